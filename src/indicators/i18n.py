"""Interface words in Vietnamese (default) and English, declared once: `t("overview", "en")`."""

from __future__ import annotations

from typing import Any

LANGS = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Bảng theo dõi chỉ tiêu kinh tế - xã hội", "Socio-economic indicators dashboard"),
    "language": ("Ngôn ngữ", "Language"),
    "overview": ("Tổng quan", "Overview"),
    "indicator_page": ("Chỉ tiêu", "Indicator"),
    "communes": ("Xã, thị trấn", "Communes"),
    "data_sources": ("Số liệu & nguồn", "Data & sources"),
    "upload": ("Cập nhật số liệu", "Upload data"),
    "history": ("Lịch sử phiên bản", "Version history"),
    "present": ("Trình chiếu", "Presentation"),
    "data_as_of": ("Số liệu đến", "Data as of"),
    "version": ("Phiên bản", "Version"),
    "target": ("Mục tiêu", "Target"),
    "target_period": ("Thời hạn", "Target date"),
    "latest": ("Mới nhất", "Latest"),
    "baseline": ("Số liệu gốc", "Baseline"),
    "status": ("Trạng thái", "Status"),
    "progress": ("Hoàn thành", "Progress"),
    "elapsed": ("Thời gian đã qua", "Time elapsed"),
    "pace": ("Tốc độ so với yêu cầu", "Pace"),
    "projected": ("Dự báo đến thời hạn", "Projected at target date"),
    "required_per_year": ("Cần tăng mỗi năm", "Required change per year"),
    "trend": ("Xu hướng", "Trend"),
    "source": ("Nguồn", "Source"),
    "note": ("Ghi chú", "Note"),
    "unit": ("Đơn vị", "Unit"),
    "area": ("Địa bàn", "Area"),
    "group": ("Nhóm", "Group"),
    "period": ("Kỳ", "Period"),
    "value": ("Giá trị", "Value"),
    "kind": ("Loại", "Kind"),
    "all_groups": ("Tất cả các nhóm", "All groups"),
    "choose_indicator": ("Chọn chỉ tiêu", "Choose an indicator"),
    "pace_chart_title": ("Tiến độ so với thời gian của nhiệm kỳ", "Progress against time elapsed"),
    "pace_chart_x": ("Thời gian đã qua (% giai đoạn)", "Time elapsed (% of period)"),
    "pace_chart_y": ("Đã hoàn thành (% khoảng cách đến mục tiêu)", "Progress (% of distance to target)"),
    "on_pace_line": ("Đường đúng tiến độ", "On-pace line"),
    "status_by_group": ("Trạng thái theo nhóm", "Status by group"),
    "series_count": ("Số chỉ tiêu", "Indicators"),
    "actual": ("Thực hiện", "Actual"),
    "estimate": ("Ước", "Estimate"),
    "projection": ("Dự báo", "Projection"),
    "kpi_target_none": ("Chưa có mục tiêu", "No target"),
    "not_plotted": ("Không vẽ trên biểu đồ (thiếu số liệu gốc hoặc mục tiêu): {n} chỉ tiêu",
                    "Not plotted (no baseline or target): {n} indicators"),
    "standard": ("Chuẩn cao nhất đạt được", "Highest standard reached"),
    "standard_none": ("Chưa có số liệu", "No data"),
    "commune_count": ("Số xã, thị trấn", "Units"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải Excel (XLSX)", "Download Excel (XLSX)"),
    "rows": ("dòng", "rows"),
    "achieved_without_pace": ("Đã đạt (không cần tính tốc độ)", "Achieved (pace not needed)"),
    "trend_improving": ("Cải thiện", "Improving"),
    "trend_worsening": ("Xấu đi", "Worsening"),
    "trend_stable": ("Ổn định", "Stable"),
    "trend_rising": ("Tăng", "Rising"),
    "trend_falling": ("Giảm", "Falling"),
    "trend_": ("Một số liệu", "Single value"),
    "per_year": ("/năm", "/year"),
    "no_data_loaded": ("Chưa có số liệu", "No data loaded"),
    "kind_actual": ("Thực hiện", "Actual"),
    "kind_estimate": ("Ước", "Estimate"),
    "kind_baseline": ("Gốc", "Baseline"),
    "kind_target": ("Mục tiêu", "Target"),
    "baseline_first_observation": ("(lấy số liệu đầu tiên làm gốc)", "(first value used as baseline)"),
    "targets_heading": ("Các chỉ tiêu có mục tiêu", "Indicators with a target"),
    "other_figures": ("Các số liệu khác (chưa có mục tiêu)", "Other figures (no target)"),
    "details": ("Xem chi tiết", "Details"),
    "numbers_table": ("Bảng số liệu", "The numbers"),
    "sources_notes": ("Nguồn và ghi chú", "Sources and notes"),
    "target_date": ("Thời hạn mục tiêu", "Target date"),
    "of_total": ("Trên tổng số", "Of total"),
    "communes_intro": ("Chuẩn cao nhất mỗi xã, thị trấn đã đạt theo số liệu đã công bố (thang chuẩn theo thứ tự trong tệp số liệu).",
                       "The highest standard each unit has reached in the published figures (standards in file order)."),
    "since": ("Từ kỳ", "Since"),
    "all_rows_caption": ("Mọi dòng số liệu kèm nguồn; tệp tải về theo hợp đồng dữ liệu v1, an toàn với công thức Excel.",
                         "Every row with its source; downloads follow data contract v1 and are safe against Excel formulas."),
    "filter_text": ("Lọc theo chữ", "Filter"),
    "n_of_total": ("{n}/{total}", "{n} of {total}"),
    "share_chart_title": ("Mức độ hoàn thành mục tiêu", "Share of each target reached"),
    "share_chart_x": ("Đã hoàn thành (% mục tiêu); vạch xám: thời gian đã qua", "Reached (% of target); grey tick: time elapsed"),
    # narrative.py: sentences written from the data ({p} is a formatted period)
    "nar_at_year": ("Năm {p}", "{p}"),
    "nar_at_month": ("Tháng {p}", "{p}"),
    "nar_at_day": ("Đến {p}", "as of {p}"),
    "nar_since_year": ("so với năm {p}", "since {p}"),
    "nar_since_month": ("so với tháng {p}", "since {p}"),
    "nar_since_day": ("so với ngày {p}", "since {p}"),
    "nar_by_year": ("năm {p}", "by {p}"),
    "nar_by_month": ("tháng {p}", "by {p}"),
    "nar_by_day": ("ngày {p}", "by {p}"),
    "nar_in_year": ("năm {p}", "{p}"),
    "nar_in_month": ("tháng {p}", "{p}"),
    "nar_in_day": ("ngày {p}", "{p}"),
    "nar_latest": ("{when}, {name} {verb} {value}", "{name} ({when}): {verb}{value}"),
    "nar_verb_actual": ("đạt", ""),
    "nar_verb_actual_decrease": ("còn", ""),
    "nar_verb_estimate": ("ước đạt", "an estimated "),
    "nar_verb_estimate_decrease": ("ước còn", "an estimated "),
    "nar_flag": ("{name}: {flag} ({when})", "{name} ({when}): {flag}"),
    "nar_flag_yes": ("{words}", "yes ({words})"),
    "nar_flag_no": ("chưa {words}", "no ({words})"),
    "nar_target_paren": ("{target}, {when}", "{target} {when}"),
    "nar_target_only": ("; mục tiêu: {target}", "; target: {target}"),
    "nar_share_of_target": (", bằng {share} mục tiêu ({target})", ", {share} of the target ({target})"),
    "nar_share_of_distance": (
        ", hoàn thành {share} chặng đường từ mức gốc {baseline} ({since}) đến mục tiêu ({target})",
        ", {share} of the way from the baseline ({baseline}, {since}) to the target ({target})"),
    "nar_elapsed": (" (thời gian đã qua {elapsed})", " ({elapsed} of the time elapsed)"),
    "nar_no_target": ("; chưa có mục tiêu được công bố", "; no published target"),
    "nar_no_data": ("{name}: chưa có số liệu thực hiện (mục tiêu {target}).", "{name}: no data yet (target {target})."),
    "nar_no_data_at_all": ("{name}: chưa có số liệu.", "{name}: no data yet."),
    "nar_up": ("Tăng", "Up"),
    "nar_down": ("Giảm", "Down"),
    "nar_change": ("{verb} {amount} {since}.", "{verb} {amount} {since}."),
    "nar_unchanged": ("Không đổi {since}.", "Unchanged {since}."),
    "nar_previous": ("Số liệu kỳ trước ({at}): {value}.", "Previous figure ({at}): {value}."),
    "nar_points": ("điểm phần trăm", "percentage points"),
    "nar_amount_per_year": ("{amount} mỗi năm", "{amount} a year"),
    "nar_rate_per_year": ("{rate}/năm", "{rate} a year"),
    "nar_required": ("Cần {verb} bình quân {per_year} để đạt mục tiêu.", "Needs to go {verb} by {per_year} to reach the target."),
    "nar_source": ("Nguồn: {source}.", "Source: {source}."),
    "nar_group_lead": ("{group}: {n} chỉ tiêu, trong đó {targets} có mục tiêu.", "{group}: {n} indicators, {targets} with a target."),
}


def t(key: str, lang: str = "vi", **values: Any) -> str:
    """The interface text for `key` in `lang`, with {placeholders} filled."""
    vi, en = TEXT[key]
    text = en if lang == "en" else vi
    return text.format(**values) if values else text


def indicator_name(row: Any, lang: str = "vi") -> str:
    """The English name where there is one and English is asked for; otherwise the Vietnamese name."""
    english = str(row.get("indicator_en", "") or "") if hasattr(row, "get") else ""
    return english if lang == "en" and english else str(row["indicator"])


def trend_label(trend: str, lang: str = "vi") -> str:
    return t(f"trend_{trend}", lang)
