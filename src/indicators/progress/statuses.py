"""The eight statuses of a series, their thresholds and symbols — declared once.

Colour is never the only signal: every status has words in both languages (the catalogue's
`status_<code>` and `status_meaning_<code>`, indicators/i18n.py) and a symbol. The colours are a
matter of presentation and live in the palette (indicators.present.theme.STATUS_COLOURS).

>>> status_label("on_track", "en")
'▲ On track'
>>> BY_CODE["achieved"].meaning("vi")
'Đã đạt hoặc vượt mục tiêu'
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.i18n import t

PACE_ON_TRACK = 0.95
PACE_ACCELERATION = 0.60


@dataclass(frozen=True)
class Status:
    code: str
    symbol: str

    def label(self, lang: str = "vi") -> str:
        """The status in words: 'Đúng tiến độ' / 'On track'."""
        return t(f"status_{self.code}", lang)

    def meaning(self, lang: str = "vi") -> str:
        """What the status means: 'Tốc độ ≥ 95% tiến độ cần thiết' / 'Pace at least 95% of what is needed'."""
        return t(f"status_meaning_{self.code}", lang)

    @property
    def meaning_vi(self) -> str:
        return self.meaning("vi")

    @property
    def meaning_en(self) -> str:
        return self.meaning("en")


STATUSES: tuple[Status, ...] = (
    Status("achieved", "✔"),
    Status("on_track", "▲"),
    Status("needs_acceleration", "◆"),
    Status("limited", "▼"),
    Status("deterioration", "✖"),
    Status("insufficient_data", "?"),
    Status("no_target", "○"),
    Status("no_data", "–"),
)
BY_CODE: dict[str, Status] = {s.code: s for s in STATUSES}
STATUS_CODES: tuple[str, ...] = tuple(s.code for s in STATUSES)


def status_label(code: str, lang: str = "vi", *, symbol: bool = True) -> str:
    """'✔ Đã đạt' — the words (and symbol) for a status code."""
    s = BY_CODE[code]
    return f"{s.symbol} {s.label(lang)}" if symbol else s.label(lang)
