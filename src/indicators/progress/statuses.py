"""The eight statuses of a series, their thresholds, words and symbols — declared once.

Colour is never the only signal: every status has words in both languages and a symbol. The colours are a
matter of presentation and live in the palette (indicators.present.theme.STATUS_COLOURS).
"""

from __future__ import annotations

from dataclasses import dataclass

PACE_ON_TRACK = 0.95
PACE_ACCELERATION = 0.60


@dataclass(frozen=True)
class Status:
    code: str
    vi: str
    en: str
    symbol: str
    meaning_vi: str
    meaning_en: str

    def label(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en


STATUSES: tuple[Status, ...] = (
    Status("achieved", "Đã đạt", "Achieved", "✔",
           "Đã đạt hoặc vượt mục tiêu", "Target reached or exceeded"),
    Status("on_track", "Đúng tiến độ", "On track", "▲",
           "Tốc độ ≥ 95% tiến độ cần thiết", "Pace at least 95% of what is needed"),
    Status("needs_acceleration", "Cần đẩy nhanh", "Needs acceleration", "◆",
           "Tốc độ 60–95% tiến độ cần thiết", "Pace 60–95% of what is needed"),
    Status("limited", "Chậm", "Limited progress", "▼",
           "Tốc độ dưới 60% tiến độ cần thiết", "Pace below 60% of what is needed"),
    Status("deterioration", "Đi xuống", "Deterioration", "✖",
           "Đang đi xa mục tiêu", "Moving away from the target"),
    Status("insufficient_data", "Chưa đủ số liệu", "Insufficient data", "?",
           "Có mục tiêu nhưng thiếu số liệu gốc hoặc chưa qua thời gian", "A target but no baseline or no time elapsed"),
    Status("no_target", "Chưa có mục tiêu", "No target", "○",
           "Có số liệu nhưng chưa có mục tiêu được công bố", "Figures but no published target"),
    Status("no_data", "Chưa có số liệu", "No data", "–",
           "Có mục tiêu nhưng chưa có số liệu thực hiện", "A target but no actual value yet"),
)
BY_CODE: dict[str, Status] = {s.code: s for s in STATUSES}
STATUS_CODES: tuple[str, ...] = tuple(s.code for s in STATUSES)


def status_label(code: str, lang: str = "vi", *, symbol: bool = True) -> str:
    """'✔ Đã đạt' — the words (and symbol) for a status code."""
    s = BY_CODE[code]
    return f"{s.symbol} {s.label(lang)}" if symbol else s.label(lang)
