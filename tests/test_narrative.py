"""Sentences written from the data: every status and every qualifier in both languages, the article's case."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest

from indicators import paths
from indicators.ingest.validate import validate_bytes
from indicators.present.formatting import QUALIFIER_TEXT, fmt_date, fmt_number, fmt_percent
from indicators.present.narrative import (
    counts_text,
    group_lead,
    paragraphs,
    sentence,
    share_reached,
    when,
)
from indicators.progress.engine import compute_progress
from indicators.progress.statuses import BY_CODE, STATUS_CODES
from indicators.store.current import load_csv

HEADER = "indicator_id,indicator,indicator_en,group,unit,area,period,kind,value,of_total,direction,method,source\n"


def result(rows: str) -> pd.DataFrame:
    checked = validate_bytes((HEADER + rows).encode(), "inline.csv")
    assert checked.report.valid, checked.report.to_dict()
    return compute_progress(checked.frame)


def one(rows: str) -> pd.Series:
    out = result(rows)
    assert len(out) == 1
    return out.iloc[0]


def paced(latest: str, *, direction: str = "increase", method: str = "", kind: str = "actual") -> str:
    """Baseline 0 at end-2020, target 100 at end-2025; the latest value on 01/07/2023 (half-way)."""
    return (f"x,Số hộ được hỗ trợ,Households supported,G,hộ,Huyện A,2020,baseline,0,,{direction},{method},Báo cáo A\n"
            f"x,Số hộ được hỗ trợ,Households supported,G,hộ,Huyện A,01/07/2023,{kind},{latest},,{direction},{method},Báo cáo B\n"
            f"x,Số hộ được hỗ trợ,Households supported,G,hộ,Huyện A,2025,target,100,,{direction},{method},Nghị quyết C\n")


STATUS_ROWS = {
    "achieved": paced("120"),
    "on_track": paced("50"),
    "needs_acceleration": paced("40"),
    "limited": paced("20"),
    "deterioration": paced("-5").replace(",hộ,", ",tỷ đồng,"),  # money: a count (hộ) cannot be negative
    "insufficient_data": "x,Số hộ,Households,G,hộ,Huyện A,2023,actual,50,,increase,,Báo cáo B\n"
                         "x,Số hộ,Households,G,hộ,Huyện A,2025,target,100,,increase,,Nghị quyết C\n",
    "no_target": "x,Số hộ,Households,G,hộ,Huyện A,2022,actual,40,,,,Báo cáo B\n"
                 "x,Số hộ,Households,G,hộ,Huyện A,2023,actual,50,,,,Báo cáo B\n",
    "no_data": "x,Số hộ,Households,G,hộ,Huyện A,2020,baseline,0,,increase,,Báo cáo A\n"
               "x,Số hộ,Households,G,hộ,Huyện A,2025,target,100,,increase,,Nghị quyết C\n",
}
# (status, lang) -> phrases the sentence must hold
STATUS_PHRASES = {
    ("achieved", "vi"): ["Đến 01/07/2023, số hộ được hỗ trợ đạt 120 hộ", "bằng 120% mục tiêu (100 hộ, năm 2025)",
                         "— Đã đạt."],
    ("achieved", "en"): ["Households supported (as of 1 Jul 2023): 120 hộ", "120% of the target (100 hộ by 2025)",
                         "— Achieved."],
    ("on_track", "vi"): ["đạt 50 hộ, bằng 50% mục tiêu", "— Đúng tiến độ (thời gian đã qua 49,9%)."],
    ("on_track", "en"): ["50 hộ, 50% of the target", "— On track (49.9% of the time elapsed)."],
    ("needs_acceleration", "vi"): ["bằng 40% mục tiêu", "— Cần đẩy nhanh", "Cần tăng bình quân 23,98 hộ mỗi năm để đạt mục tiêu."],
    ("needs_acceleration", "en"): ["40% of the target", "— Needs acceleration", "Needs to go up by 23.98 hộ a year to reach the target."],
    ("limited", "vi"): ["bằng 20% mục tiêu", "— Chậm (thời gian đã qua 49,9%)", "Cần tăng bình quân 31,97 hộ mỗi năm"],
    ("limited", "en"): ["20% of the target", "— Limited progress", "Needs to go up by 31.97 hộ a year"],
    ("deterioration", "vi"): ["đạt -5 tỷ đồng, bằng -5% mục tiêu", "— Đi xuống",
                              "Cần tăng bình quân 41,96 tỷ đồng mỗi năm"],
    ("deterioration", "en"): ["-5 tỷ đồng, -5% of the target", "— Deterioration",
                              "Needs to go up by 41.96 tỷ đồng a year"],
    ("insufficient_data", "vi"): ["Năm 2023, số hộ đạt 50 hộ, bằng 50% mục tiêu (100 hộ, năm 2025) — Chưa đủ số liệu."],
    ("insufficient_data", "en"): ["Households (2023): 50 hộ, 50% of the target (100 hộ by 2025) — Insufficient data."],
    ("no_target", "vi"): ["Năm 2023, số hộ đạt 50 hộ; chưa có mục tiêu được công bố.",
                          "Tăng 10 hộ so với năm 2022."],
    ("no_target", "en"): ["Households (2023): 50 hộ; no published target.", "Up 10 hộ since 2022."],
    ("no_data", "vi"): ["Số hộ: chưa có số liệu thực hiện (mục tiêu 100 hộ, năm 2025)."],
    ("no_data", "en"): ["Households: no data yet (target 100 hộ by 2025)."],
}


def test_every_status_has_a_case() -> None:
    assert set(STATUS_ROWS) == set(STATUS_CODES)


@pytest.mark.parametrize(("status", "lang"), sorted(STATUS_PHRASES))
def test_every_status_in_both_languages(status: str, lang: str) -> None:
    row = one(STATUS_ROWS[status])
    assert row["status"] == status
    text = sentence(row, lang)
    for phrase in STATUS_PHRASES[(status, lang)]:
        assert phrase in text, (phrase, text)
    words = "no published target" if (status, lang) == ("no_target", "en") else BY_CODE[status].label(lang)
    assert words.lower() in text.lower()
    assert ("Nguồn: " if lang == "vi" else "Source: ") in text
    assert unicodedata.is_normalized("NFC", text)


QUALIFIERS = [("7000", ""), (">7000", ">"), ("<7000", "<"), (">=7000", ">="), ("<=7000", "<="), ("~7000", "~"),
              ("trên 7000", ">"), ("khoảng 7000", "~")]  # as the analyst writes the value, and its qualifier


@pytest.mark.parametrize(("written", "qualifier"), QUALIFIERS)
def test_every_qualifier_in_both_languages(written: str, qualifier: str) -> None:
    row = one(f"v,Vốn huy động,Capital mobilised,G,tỷ đồng,Huyện A,31/10/2023,actual,{written},,,,Báo cáo\n")
    assert row["latest_qualifier"] == qualifier
    vi = f"{QUALIFIER_TEXT['vi'][qualifier]} 7.000 tỷ đồng".strip()
    en = f"{QUALIFIER_TEXT['en'][qualifier]} 7,000 tỷ đồng".strip()
    assert f"Đến 31/10/2023, vốn huy động đạt {vi}; chưa có mục tiêu được công bố." in sentence(row, "vi")
    assert f"Capital mobilised (as of 31 Oct 2023): {en}; no published target." in sentence(row, "en")


def test_bounds_read_as_words() -> None:
    assert (QUALIFIER_TEXT["vi"][">"], QUALIFIER_TEXT["vi"]["<"], QUALIFIER_TEXT["vi"]["~"]) == ("trên", "dưới", "khoảng")
    assert (QUALIFIER_TEXT["en"][">"], QUALIFIER_TEXT["en"]["<"]) == ("over", "under")


@pytest.mark.parametrize(("written", "vi", "en"), [(">50", "trên 50%", "over 50%"), ("<50", "dưới 50%", "under 50%"),
                                                   ("~50", "khoảng 50%", "about 50%")])
def test_a_bounded_value_gives_a_bounded_share(written: str, vi: str, en: str) -> None:
    row = one(paced(written))
    assert f"bằng {vi} mục tiêu" in sentence(row, "vi")
    assert f"{en} of the target" in sentence(row, "en")


def test_a_bound_on_a_falling_indicator_flips_the_share() -> None:
    """Poverty under 2% against a baseline of 3% and a target of 1%: more than half the way."""
    row = one("p,Tỷ lệ hộ nghèo,Poor households,G,%,A,2020,baseline,3,,decrease,,s\n"
              "p,Tỷ lệ hộ nghèo,Poor households,G,%,A,01/07/2023,actual,<2,,decrease,,s\n"
              "p,Tỷ lệ hộ nghèo,Poor households,G,%,A,2025,target,1,,decrease,,s\n")
    assert share_reached(row) == (pytest.approx(0.5), ">", True)
    text = sentence(row, "vi")
    assert "Đến 01/07/2023, tỷ lệ hộ nghèo còn dưới 2%" in text
    assert "hoàn thành trên 50% chặng đường từ mức gốc 3% (năm 2020) đến mục tiêu (1%, năm 2025)" in text


def test_estimates_say_uoc() -> None:
    row = one(paced("50", kind="estimate"))
    assert "đạt" in sentence(row, "vi") and "ước đạt 50 hộ" in sentence(row, "vi")
    assert "an estimated 50 hộ" in sentence(row, "en")
    falling = one("p,Tỷ lệ hộ nghèo,Poor,G,%,A,2023,estimate,1.2,,decrease,,s\n")
    assert "Năm 2023, tỷ lệ hộ nghèo ước còn 1,2%" in sentence(falling, "vi")


def test_falling_indicator_needs_a_fall_each_year() -> None:
    row = one("p,Tỷ lệ hộ nghèo,Poor households,G,%,A,2020,baseline,3,,decrease,,s\n"
              "p,Tỷ lệ hộ nghèo,Poor households,G,%,A,01/07/2023,actual,2.6,,decrease,,s\n"
              "p,Tỷ lệ hộ nghèo,Poor households,G,%,A,2025,target,1,,decrease,,s\n")
    assert row["status"] == "limited"
    assert "Cần giảm bình quân 0,64 điểm phần trăm mỗi năm để đạt mục tiêu." in sentence(row, "vi")
    assert "Needs to go down by 0.64 percentage points a year" in sentence(row, "en")


def test_cagr_indicator_needs_a_growth_rate() -> None:
    row = one(paced("20", method="cagr").replace(",2020,baseline,0,", ",2020,baseline,10,"))
    assert row["method"] == "cagr" and row["status"] in ("limited", "needs_acceleration", "deterioration")
    assert re.search(r"Cần tăng bình quân \d+(,\d)?%/năm để đạt mục tiêu\.", sentence(row, "vi"))


def test_flags_and_denominators_read_as_words() -> None:
    flag = one("h,Huyện đạt chuẩn nông thôn mới,District meets NTM,G,1 = đạt chuẩn,A,2022,actual,1,,,,s\n")
    assert sentence(flag, "vi").startswith("Huyện đạt chuẩn nông thôn mới: đạt chuẩn (năm 2022)")
    assert sentence(flag, "en").startswith("District meets NTM (2022): yes (đạt chuẩn)")
    count = one("s,Số trường đạt chuẩn,Schools,G,trường,A,2023,actual,78,78,,,s\n")
    assert "đạt 78/78 trường" in sentence(count, "vi")
    assert "78 of 78 trường" in sentence(count, "en")


def test_only_a_baseline_says_no_data() -> None:
    row = one("b,Số hộ,Households,G,hộ,A,2020,baseline,5,,increase,,s\n")
    assert row["status"] == "no_data"
    assert sentence(row, "vi").startswith("Số hộ: chưa có số liệu.")
    assert sentence(row, "en").startswith("Households: no data yet.")


def test_periods_as_people_write_them() -> None:
    day = pd.Timestamp("2023-10-31")
    assert when("2022", pd.Timestamp("2022-12-31"), "vi") == "Năm 2022"
    assert when("2023-08", pd.Timestamp("2023-08-31"), "vi") == "Tháng 08/2023"
    assert when("31/10/2023", day, "vi") == "Đến 31/10/2023"
    assert when("2023-10-31", day, "en") == "as of 31 Oct 2023"
    assert when("2010", pd.Timestamp("2010-12-31"), "vi", role="since") == "so với năm 2010"
    assert when("2025", pd.Timestamp("2025-12-31"), "en", role="by") == "by 2025"


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return compute_progress(load_csv(paths.KIM_SON_DATA))


def series(shipped: pd.DataFrame, indicator_id: str) -> pd.Series:
    return shipped[shipped["indicator_id"] == indicator_id].iloc[0]


def test_the_articles_sentence(shipped: pd.DataFrame) -> None:
    text = sentence(series(shipped, "dang_vien_moi"), "vi")
    assert text.startswith(
        "Đến 31/10/2023, số đảng viên mới được kết nạp trong nhiệm kỳ đạt 667 đảng viên, bằng 66,7% mục tiêu"
        " (1.000 đảng viên, năm 2025) — Đúng tiến độ (thời gian đã qua 56,6%)."
    )
    for number in ("667", "66,7%", "1.000", "31/10/2023"):
        assert number in text
    assert "đúng tiến độ" in text.lower()
    assert "Nguồn: Trang TTĐT huyện Kim Sơn" in text
    english = sentence(series(shipped, "dang_vien_moi"), "en")
    assert "667 đảng viên, 66.7% of the target (1,000 đảng viên by 2025) — On track" in english


def test_change_since_the_previous_value(shipped: pd.DataFrame) -> None:
    income = series(shipped, "thu_nhap_binh_quan")
    assert "Tăng 46,1 triệu đồng/người/năm so với năm 2010." in sentence(income, "vi")
    assert "Up 46.1 triệu đồng/người/năm since 2010." in sentence(income, "en")
    capital = series(shipped, "von_huy_dong_ntm")  # two lower bounds: no exact change, the earlier figure
    assert "đạt trên 7.000 tỷ đồng" in sentence(capital, "vi")
    assert "Số liệu kỳ trước (ngày 21/08/2023): trên 7.000 tỷ đồng." in sentence(capital, "vi")
    units = series(shipped, "don_vi_hanh_chinh_cap_xa")
    assert "Giảm 2 đơn vị so với ngày 01/03/2020." in sentence(units, "vi")


def _allowed_numbers(row: pd.Series, lang: str) -> set[str]:
    """Every number token the row's own figures can produce when formatted."""
    bag = [str(row["indicator"]), str(row["indicator_en"]), str(row["unit"]), str(row["area"])]
    for col in ("latest_value", "previous_value", "baseline_value", "target_value", "latest_of_total"):
        bag.append(fmt_number(row[col], lang))
    for share in (row["progress"], row["elapsed"], (share_reached(row) or (None,))[0], row["required_per_year"]):
        bag.append(fmt_percent(share, lang))
    bag += [fmt_number(abs(row["latest_value"] - row["previous_value"]), lang),
            fmt_number(abs(row["required_per_year"]), lang)]
    for col in ("latest", "previous", "baseline", "target"):
        bag += [str(row[f"{col}_period"]), fmt_date(row[f"{col}_date"], lang)]
    return set(re.findall(r"\d+(?:[.,]\d+)*", " ".join(bag)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_number_comes_from_the_data(shipped: pd.DataFrame, lang: str) -> None:
    for _, row in shipped.iterrows():
        text = sentence(row, lang, with_source=False)
        numbers = set(re.findall(r"\d+(?:[.,]\d+)*", text))
        assert numbers <= _allowed_numbers(row, lang), (text, numbers - _allowed_numbers(row, lang))


def test_paragraphs_put_targets_first_and_name_other_areas(shipped: pd.DataFrame) -> None:
    main = shipped[shipped["group"] == "Xây dựng Đảng"]
    texts = paragraphs(main, "vi", with_source=False)
    assert len(texts) == len(main)
    assert "mục tiêu" in texts[0] and "chưa có mục tiêu" in texts[-1]
    communes = shipped[shipped["area"] != "Huyện Kim Sơn"].head(2)
    named = paragraphs(communes, "vi", main_area="Huyện Kim Sơn")
    assert all(f"({area})" in text for area, text in zip(communes["area"], named, strict=True))


def test_group_lead_and_counts(shipped: pd.DataFrame) -> None:
    party = shipped[shipped["group"] == "Xây dựng Đảng"]
    assert group_lead(party, "Xây dựng Đảng", "vi") == "Xây dựng Đảng: 9 chỉ tiêu, trong đó 2 có mục tiêu."
    economy = shipped[shipped["group"] == "Kinh tế"]
    assert group_lead(economy, "Kinh tế", "en") == "Kinh tế: 8 indicators, none with a published target."
    assert counts_text(party, "vi") == "✔ Đã đạt: 1 · ▲ Đúng tiến độ: 1 · ○ Chưa có mục tiêu: 7"
    assert counts_text(party, "en").startswith("✔ Achieved: 1 · ▲ On track: 1")
