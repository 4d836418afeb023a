"""The catalogue: every word a user reads, in Vietnamese (default) and English, declared once.

Pages, validation messages, progress texts, statuses, the deck, the brief and the CLI all take their words
from `TEXT` through one function, `t(key, lang, **parameters)`:

>>> t("overview", "en")
'Overview'
>>> t("report_page", "vi", n=2, total=5)
'Trang 2/5'

A message names its parameters (`{rows}`); both languages use the same ones and `t` raises
`CatalogueError` when a call passes one too few or one too many. A count that a noun follows is written
as a plural selector, `{n|one form|other form}` (`#` inside a form is the number): the form is chosen by
CLDR's plural rule for the language (babel), and the count is written with the language's digits.
Vietnamese has no plural forms, so only English messages carry selectors:

>>> t("nar_group_lead", "en", group="Party", n=1, targets=0)
'Party: 1 indicator, 0 with a target.'
>>> t("nar_group_lead", "en", group="Party", n=1200, targets=3)
'Party: 1,200 indicators, 3 with a target.'
>>> t("nar_group_lead", "vi", group="Đảng", n=1200, targets=3)
'Đảng: 1.200 chỉ tiêu, trong đó 3 có mục tiêu.'

Keys built at run time (`t(f"trend_{trend}")`) are declared in `FAMILIES`, so tests/test_i18n.py can
check that every key is used and every call passes the parameters its message declares.
"""

from __future__ import annotations

import re
from functools import cache
from string import Formatter
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

LANGS = ("vi", "en")
_LOCALES = {"vi": "vi_VN", "en": "en_US"}

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Bảng theo dõi chỉ tiêu kinh tế - xã hội", "Socio-economic indicators dashboard"),
    "nav_section": ("Chỉ tiêu KT-XH", "Indicators"),
    "nav_manage": ("Quản lý số liệu", "Data management"),
    "targets_until": ("Mục tiêu đến năm {year}", "Targets for {year}"),
    "overview": ("Tổng quan", "Overview"),
    "indicator_page": ("Chỉ tiêu", "Indicator"),
    "data_sources": ("Số liệu & nguồn", "Data & sources"),
    "upload": ("Cập nhật số liệu", "Upload data"),
    "history": ("Lịch sử phiên bản", "Version history"),
    "present": ("Trình chiếu", "Presentation"),
    "data_as_of": ("Tiến độ tính đến", "Progress as of"),
    "version": ("Phiên bản", "Version"),
    "target": ("Mục tiêu", "Target"),
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
    "area": ("Địa bàn", "Area"),
    "group": ("Nhóm", "Group"),
    "period": ("Kỳ", "Period"),
    "value": ("Giá trị", "Value"),
    "kind": ("Loại", "Kind"),
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
                    "Not plotted (no baseline or target): {n} {n|indicator|indicators}"),
    "standard": ("Chuẩn cao nhất đạt được", "Highest standard reached"),
    "standard_none": ("Chưa có số liệu", "No data"),
    "commune_count": ("Số xã, thị trấn", "Units"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải Excel (XLSX)", "Download Excel (XLSX)"),
    "rows": ("dòng", "rows"),
    "rows_shown": ("{n}/{total} dòng", "{n} of {total} {total|row|rows}"),
    "trend_improving": ("Cải thiện", "Improving"),
    "trend_worsening": ("Xấu đi", "Worsening"),
    "trend_stable": ("Ổn định", "Stable"),
    "trend_rising": ("Tăng", "Rising"),
    "trend_falling": ("Giảm", "Falling"),
    "trend_": ("Một số liệu", "Single value"),
    "no_data_loaded": ("Chưa có số liệu", "No data loaded"),
    "kind_actual": ("Thực hiện", "Actual"),
    "kind_estimate": ("Ước", "Estimate"),
    "kind_baseline": ("Gốc", "Baseline"),
    "kind_target": ("Mục tiêu", "Target"),
    "targets_heading": ("Các chỉ tiêu có mục tiêu", "Indicators with a target"),
    "other_figures": ("Các số liệu khác (chưa có mục tiêu)", "Other figures (no target)"),
    "details": ("Xem chi tiết", "Details"),
    "numbers_table": ("Bảng số liệu", "The numbers"),
    "sources_notes": ("Nguồn và ghi chú", "Sources and notes"),
    "of_total": ("Trên tổng số", "Of total"),
    "since": ("Từ kỳ", "Since"),
    "all_rows_caption": ("Mọi dòng số liệu kèm nguồn; tệp tải về theo hợp đồng dữ liệu v2, an toàn với công thức Excel.",
                         "Every row with its source; downloads follow data contract v2 and are safe against Excel formulas."),
    "filter_text": ("Lọc theo chữ", "Filter"),
    "login_required": ("Cần đăng nhập bằng tài khoản cán bộ số liệu (analyst) để tải lên, ghi phiên bản hoặc khôi phục. "
                       "Ô đăng nhập ở thanh bên (trên điện thoại: mở bằng nút » ở góc trên bên trái).",
                       "Sign in with an analyst account to upload, commit or roll back. The sign-in box is in the "
                       "sidebar (on a phone: open it with the » button at the top left)."),
    "analyst_login": ("Đăng nhập cán bộ số liệu", "Analyst sign-in"),
    "username": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "signed_in_as": ("Đang đăng nhập:", "Signed in as"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "login_locked": ("Đăng nhập sai quá nhiều lần; thử lại sau {until}.", "Too many failed sign-ins; try again after {until}."),
    "upload_help": ("Bảng dữ liệu theo chuẩn (tiêu đề cột tiếng Việt hoặc tiếng Anh), một biểu báo cáo (CSV/XLSX, "
                    "như khi nhận được), biểu mẫu đã điền, hoặc tệp Open SDG, DHIS2 (CSV/JSON/XML), PX-Web.",
                    "A contract table (Vietnamese or English headers), a report table (biểu, CSV/XLSX, as "
                    "received), a filled-in form, or an Open SDG, DHIS2 (CSV/JSON/XML) or PX-Web file."),
    "decimal_mark": ("Dấu thập phân", "Decimal mark"),
    "decimal_auto": ("Tự nhận biết", "Detect"),
    "commit_mode": ("Cách cập nhật", "Mode"),
    "mode_replace": ("Thay toàn bộ", "Replace all"),
    "mode_update": ("Bổ sung/sửa theo khóa", "Update by key"),
    "sheet": ("Trang tính", "Sheet"),
    "reading_file": ("Đang đọc tệp…", "Reading the file…"),
    "choose_decimal": ("Tệp chưa cho biết dấu thập phân: hãy chọn “,” hoặc “.” ở trên.",
                       "The file does not settle the decimal mark: choose “,” or “.” above."),
    "file_valid": ("Tệp hợp lệ: {rows} dòng ({encoding}).", "The file is valid: {rows} {rows|row|rows} ({encoding})."),
    "count_new": ("Dòng mới", "New"),
    "count_changed": ("Thay đổi", "Changed"),
    "count_unchanged": ("Không đổi", "Unchanged"),
    "count_removed": ("Bị bỏ", "Removed"),
    "commit_comment": ("Ghi chú cho phiên bản (bắt buộc)", "Comment for this version (required)"),
    "commit": ("Ghi thành phiên bản mới", "Commit as a new version"),
    "comment_required": ("Hãy ghi chú cho phiên bản.", "Please add a comment."),
    "concurrent_commit": ("Đã có người ghi phiên bản khác trong lúc bạn xem trước: hãy xem lại bản xem trước rồi ghi lại.",
                          "Someone committed another version while you previewed: review the preview and commit again."),
    "committed": ("Đã ghi phiên bản {version} ({rows} dòng). Mọi người xem đều thấy ngay.",
                  "Committed version {version} ({rows} {rows|row|rows}). Every viewer sees it now."),
    "created_at": ("Thời điểm", "Created"),
    "user": ("Người ghi", "User"),
    "comment": ("Ghi chú", "Comment"),
    "file": ("Tệp", "File"),
    "current": ("Đang dùng", "Current"),
    "download_version": ("Tải một phiên bản", "Download a version"),
    "compare_versions": ("So sánh hai phiên bản", "Compare two versions"),
    "older": ("Phiên bản cũ", "Older"),
    "newer": ("Phiên bản mới", "Newer"),
    "rollback": ("Khôi phục phiên bản", "Roll back"),
    "rollback_to": ("Khôi phục về phiên bản", "Roll back to version"),
    "rolled_back": ("Đã tạo phiên bản {version} với nội dung của phiên bản {target}.",
                    "Created version {version} with the content of version {target}."),
    "severity_error": ("Lỗi", "Error"),
    "severity_warning": ("Cảnh báo", "Warning"),
    "issue_severity": ("Mức độ", "Severity"),
    "issue_row": ("Dòng (Excel)", "Row (Excel)"),
    "issue_column": ("Cột", "Column"),
    "issue_value": ("Giá trị", "Value"),
    "issue_code": ("Mã lỗi", "Code"),
    "issue_message": ("Thông báo", "Message"),
    "n_of_total": ("{n}/{total}", "{n} of {total}"),
    "share_chart_title": ("Mức độ hoàn thành mục tiêu", "Share of each target reached"),
    "share_chart_x": ("Đã hoàn thành (% mục tiêu); vạch đứng: thời gian đã qua",
                      "Reached (% of target); upright tick: time elapsed"),
    # reports: deck, brief, presentation mode
    "report_title": ("Kết quả thực hiện các chỉ tiêu kinh tế - xã hội", "Progress on socio-economic targets"),
    "report_term": ("Nhiệm kỳ {start}–{end}", "Term {start}–{end}"),
    "report_targets_for": ("Mục tiêu đến năm {end}", "Targets for {end}"),
    "report_other_group": ("Chỉ tiêu khác", "Other indicators"),
    "report_made_on": ("Lập ngày {date}", "Prepared on {date}"),
    "report_summary": ("Tổng hợp", "Summary"),
    "report_summary_sub": ("Trạng thái của {n} chỉ tiêu; bảng: {k} chỉ tiêu có mục tiêu",
                           "Status of {n} {n|indicator|indicators}; table: {k|the one|the #} with a target"),
    "report_all_indicators": ("Các chỉ tiêu", "Indicators"),
    "report_sources": ("Nguồn số liệu", "Sources"),
    "report_continued": ("(tiếp)", "(continued)"),
    "report_slide": ("Trang {n}/{total}", "Slide {n} of {total}"),
    "report_page": ("Trang {n}/{total}", "Page {n} of {total}"),
    "report_narrative": ("Diễn giải", "What the figures say"),
    "report_source_no": ("Nguồn", "Src."),
    "report_building": ("Đang tạo…", "Building…"),
    "report_chart": ("Đang vẽ biểu đồ: {name}", "Drawing chart: {name}"),
    "report_done": ("Xong", "Done"),
    "present_prev": ("Trước", "Previous"),
    "present_next": ("Sau", "Next"),
    "present_slide": ("Trang chiếu", "Slide"),
    "present_dark": ("Nền tối", "Dark"),
    "present_keys": ("Phím ← → để chuyển trang", "Use the ← → keys to change slides"),
    "present_chart_png": ("Tải biểu đồ (PNG)", "Chart as PNG"),
    "present_chart_svg": ("Tải biểu đồ (SVG)", "Chart as SVG"),
    "present_exports": ("Tài liệu họp", "Meeting documents"),
    "present_build": ("Tạo bản trình chiếu và bản tóm tắt", "Build the deck and the brief"),
    "present_deck": ("Tải bản trình chiếu (PPTX)", "Download the deck (PPTX)"),
    "present_brief": ("Tải bản tóm tắt (PDF)", "Download the brief (PDF)"),
    "present_deck_building": ("Bản trình chiếu", "Deck"),
    "present_brief_building": ("Bản tóm tắt", "Brief"),
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
    "nar_latest": ("{when}, {name} {figure}", "{name} ({when}): {figure}"),
    "nar_verb_actual": ("đạt {value}", "{value}"),
    "nar_verb_actual_decrease": ("còn {value}", "{value}"),
    "nar_verb_estimate": ("ước đạt {value}", "an estimated {value}"),
    "nar_verb_estimate_decrease": ("ước còn {value}", "an estimated {value}"),
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
    "nar_group_lead": ("{group}: {n} chỉ tiêu, trong đó {targets} có mục tiêu.", "{group}: {n} {n|indicator|indicators}, {targets} with a target."),
    "nar_group_lead_none": ("{group}: {n} chỉ tiêu, chưa có mục tiêu nào được công bố.",
                            "{group}: {n} {n|indicator|indicators}, none with a published target."),
    # --- issue 7: updates (stage then commit, removals, database faults) ---
    "store_full": ("Cơ sở dữ liệu đã đầy (hết dung lượng đĩa): chưa ghi gì, số liệu cũ vẫn nguyên vẹn. Hãy giải phóng dung lượng rồi thử lại.",
                   "The database is full (no disk space left): nothing was written and the existing data are intact. Free some space and try again."),
    "store_unavailable": ("Không kết nối được cơ sở dữ liệu: chưa ghi gì. Trang sẽ hoạt động lại khi cơ sở dữ liệu trở lại; hãy thử lại sau ít phút.",
                          "The database is unreachable: nothing was written. The pages work again as soon as it is back; try again in a few minutes."),
    "store_bad_url": ("Địa chỉ cơ sở dữ liệu không được hỗ trợ (“{scheme}”): dùng sqlite:///ĐƯỜNG_DẪN hoặc postgresql://…",
                      "Unsupported database URL (“{scheme}”): use sqlite:///PATH or postgresql://…"),
    "stage_stale": ("Trong lúc bạn xem trước, đã có người ghi phiên bản {actual} (bạn xem trước trên phiên bản {expected}): chưa ghi gì. Bản xem trước dưới đây đã được tính lại trên phiên bản {actual}; hãy xem lại rồi ghi.",
                    "While you previewed, someone committed version {actual} (you previewed against version {expected}): nothing was written. The preview below has been recomputed against version {actual}; review it and commit again."),
    "stage_rebased": ("Số liệu hiện hành đã chuyển sang phiên bản {actual} kể từ lần xem trước: bản xem trước đã được tính lại.",
                      "The current data moved to version {actual} since your preview: the preview has been recomputed."),
    "previewed_against": ("Xem trước so với phiên bản {version}; nút ghi chỉ ghi đúng bản xem trước này.",
                          "Preview against version {version}; the commit button writes exactly this preview."),
    "previewed_against_empty": ("Xem trước so với kho trống.", "Preview against an empty store."),
    "removals_warning": ("Lần ghi này sẽ BỎ {n} dòng đang có trong phiên bản {version} mà tệp không chứa (chế độ thay thế toàn bộ). Các dòng bị bỏ:",
                         "This commit REMOVES {n} {n|row|rows} of version {version} that the file does not contain (replace mode). {n|The removed row|The removed rows}:"),
    "removals_confirm": ("Tôi đồng ý bỏ {n} dòng này", "I agree to remove {n|this row|these # rows}"),
    "removals_unconfirmed": ("Hãy đánh dấu ô đồng ý bỏ dòng trước khi ghi.", "Tick the box agreeing to the removals before committing."),
    "cli_preview": ("xem trước so với phiên bản {base}: mới {new}, thay đổi {changed}, không đổi {unchanged}, bị bỏ {removed}",
                    "preview against version {base}: new {new}, changed {changed}, unchanged {unchanged}, removed {removed}"),
    "cli_removed_row": ("  bỏ: {row}", "  remove: {row}"),
    "cli_removed_more": ("  … và {n} dòng nữa", "  … and {n} more"),
    "cli_confirm": ("Ghi phiên bản mới và bỏ {n} dòng? [y/N] ", "Commit a new version removing {n} {n|row|rows}? [y/N] "),
    "cli_needs_yes": ("lần ghi này sẽ bỏ {n} dòng của phiên bản {base}: chạy lại với --yes để xác nhận (chưa ghi gì)",
                      "this commit would remove {n} {n|row|rows} of version {base}: rerun with --yes to confirm (nothing written)"),
    "cli_declined": ("đã huỷ: chưa ghi gì", "cancelled: nothing written"),
    # --- issue 7: accounts ---
    "login_throttled": ("Quá nhiều lần đăng nhập sai từ địa chỉ này; thử lại sau {until}.",
                        "Too many failed sign-ins from this address; try again after {until}."),
    "login_busy": ("Máy chủ đang kiểm tra các lượt đăng nhập khác; vui lòng thử lại sau giây lát.",
                   "The server is busy checking other sign-ins; try again in a moment."),
    "session_revoked": ("Tài khoản đã bị khóa hoặc đổi mật khẩu sau khi đăng nhập: chưa ghi gì. Hãy đăng nhập lại.",
                        "The account was disabled or its password changed since you signed in: nothing was "
                        "written. Please sign in again."),
    # --- issue 7: check in the real browser ---
    "wait_seconds": ("khoảng {n} giây nữa", "in about {n} s"),
    "wait_minutes": ("khoảng {n} phút nữa", "in about {n} min"),
    # --- issue 8: cli ---
    "cli_seeded": ("đã tạo phiên bản {version} từ {source}", "seeded version {version} from {source}"),
    "cli_store_empty": ("kho chưa có phiên bản nào: hãy nhập một tệp bằng `indicators import`",
                        "the store has no version yet: import a file with `indicators import`"),
    "cli_bad_version": ("--version phải là số phiên bản, không phải {value}",
                        "--version must be a version number, not {value}"),
    "cli_counts": ("phiên bản {version}: {rows} dòng (mới {new}, thay đổi {changed}, không đổi {unchanged}, bị bỏ {removed})",
                   "version {version}: {rows} rows (new {new}, changed {changed}, unchanged {unchanged}, removed {removed})"),
    "cli_rolled_back": ("{counts} — bản sao của phiên bản {version}", "{counts} — a copy of version {version}"),
    "cli_history_line": ("{mark} {version}  {created} UTC  {user} {mode} {rows} dòng  +{new} ~{changed} -{removed}  {comment}",
                         "{mark} {version}  {created} UTC  {user} {mode} {rows} rows  +{new} ~{changed} -{removed}  {comment}"),
    "cli_history_empty": ("chưa có phiên bản nào", "no version yet"),
    "cli_export_suffix": ("--out phải là tệp .csv hoặc .xlsx", "--out must name a .csv or .xlsx file"),
    "cli_exported": ("{out}: phiên bản {version}, {rows} dòng", "{out}: version {version}, {rows} rows"),
    "cli_report_written": ("{out}: {size} byte ({format}, {language}, phiên bản {version})",
                           "{out}: {size} bytes ({format}, {language}, version {version})"),
    "cli_detected": ("đã nhận dạng ({format}): {detected}", "detected ({format}): {detected}"),
    "cli_converted": ("đã ghi {rows} dòng vào {path}", "wrote {rows} {rows|row|rows} to {path}"),
    "cli_converted_invalid": ("đã ghi {rows} dòng (còn lỗi, sửa theo báo cáo trên) vào {path}",
        "wrote {rows} {rows|row|rows} (with errors: fix them as reported above) to {path}"),
    "cli_tidy_not_converted": ("{file} đã là bảng theo chuẩn dữ liệu: sửa chính tệp đó theo báo cáo trên (không ghi tệp mới)",
        "{file} is already a contract table: correct it as reported above (nothing written)"),
    "cli_out_suffix": ("--out phải là tệp .csv hoặc .xlsx, không phải {path}", "--out must be a .csv or .xlsx file, not {path}"),
    "cli_unknown_profile": ("không có mẫu ánh xạ '{name}' (có: {known})", "no mapping profile '{name}' (saved: {known})"),
    "cli_no_store_for_profile": ("chưa có kho dữ liệu nên không có mẫu ánh xạ '{name}'",
        "there is no store yet, so no mapping profile '{name}'"),
    "cli_batch_stopped": ("dừng ở tệp {file} sau {n} phiên bản đã ghi (mỗi phiên bản trọn vẹn): {reason}",
        "stopped at {file} after {n} committed {n|version|versions} (each whole): {reason}"),
    "cli_decimal_hint": ("gợi ý: chạy lại với --decimal , hoặc --decimal .", "hint: rerun with --decimal , or --decimal ."),
    "cli_password": ("Mật khẩu: ", "Password: "),
    "cli_password_again": ("Nhập lại mật khẩu: ", "Repeat the password: "),
    "cli_passwords_differ": ("hai mật khẩu không giống nhau", "the two passwords differ"),
    "cli_user_added": ("đã thêm tài khoản {name} ({role})", "user {name} added ({role})"),
    "cli_password_changed": ("đã đổi mật khẩu của {name}", "password of {name} changed"),
    "cli_user_disabled": ("đã khóa tài khoản {name}", "user {name} disabled"),
    "cli_user_enabled": ("đã mở lại tài khoản {name}", "user {name} enabled"),
    "cli_unlocked": ("đã gỡ khóa đăng nhập của {name}", "sign-in of {name} unlocked"),
    "cli_unlocked_client": ("đã gỡ khóa đăng nhập của {name} (và của địa chỉ {client})",
                            "sign-in of {name} unlocked (and address {client})"),
    "cli_user_state_active": ("đang dùng", "active"),
    "cli_user_state_disabled": ("đã khóa", "disabled"),
    # --- validation messages (ingest/report.py): one per issue code; {row}, {column}, {value} and the
    # checker's parameters; a parameter may be passed as a (vi, en) pair ---
    "check_empty_file": ("Tệp rỗng, không có dữ liệu.",
        "The file is empty."),
    "check_not_a_table": ("Tệp không phải bảng CSV hoặc XLSX: {reason}.",
        "The file is not a CSV or XLSX table: {reason}."),
    "check_bad_encoding": ("Dòng văn bản {line} không phải UTF-8 hợp lệ: lưu lại tệp dạng CSV UTF-8.",
        "Text line {line} is not valid UTF-8: save the file again as CSV UTF-8."),
    "check_missing_sheet": ("Tệp không có trang tính '{value}' (có: {sheets}).",
        "The workbook has no sheet '{value}' (it has: {sheets})."),
    "check_unclosed_quote": ("Dấu ngoặc kép mở ở dòng {row} không được đóng: phần còn lại của tệp bị gộp vào một ô.",
        "A quote opened in row {row} is never closed: the rest of the file would be one cell."),
    "check_too_many_cells": ("Dòng có {cells} ô nhưng tiêu đề chỉ có {expected} cột (dấu phân cách không được đặt trong ngoặc kép, ví dụ số thập phân '57,2' trong tệp phân cách bằng dấu phẩy?).",
        "The row has {cells} {cells|cell|cells} but the header has {expected} {expected|column|columns} (an unquoted separator, e.g. a decimal comma '57,2' in a comma-separated file?)."),
    "check_no_rows": ("Tệp có dòng tiêu đề nhưng không có dòng số liệu.",
        "The file has a header but no data rows."),
    "check_missing_column": ("Thiếu cột bắt buộc '{column}' ({label}).",
        "The required column '{column}' ({label}) is missing."),
    "check_duplicate_column": ("Hai cột '{other}' và '{value}' cùng là cột '{column}'.",
        "Columns '{other}' and '{value}' both mean '{column}'."),
    "check_unknown_column": ("Cột '{value}' không thuộc mẫu dữ liệu nên bị bỏ qua.",
        "Column '{value}' is not in the data contract and is ignored."),
    "check_blank_row": ("Dòng trống, được bỏ qua.",
        "The row is empty and is skipped."),
    "check_missing_indicator_id": ("Dòng không có mã chỉ tiêu (dòng tổng cộng?): đặt mã hoặc xoá dòng.",
        "The row has no indicator_id (a totals row?): give it an id or delete it."),
    "check_bad_indicator_id": ("Mã chỉ tiêu '{value}' không hợp lệ: chỉ dùng chữ thường a–z, chữ số và dấu _.",
        "'{value}' is not a valid indicator_id: use only lower-case a–z, digits and _."),
    "check_missing_value": ("Cột bắt buộc '{column}' ({label}) để trống.",
        "The required column '{column}' ({label}) is empty."),
    "check_bad_number": ("'{value}' không phải là số{convention}.",
        "'{value}' is not a number{convention}."),
    "check_ambiguous_number": ("'{value}' có thể là {as_comma} (nếu dấu thập phân là dấu phẩy) hoặc {as_point} (nếu là dấu chấm): tệp không cho biết; hãy chọn dấu thập phân ',' hoặc '.'.",
        "'{value}' could be {as_comma} (with a decimal comma) or {as_point} (with a decimal point): the file does not say which; choose the decimal separator ',' or '.'."),
    "check_conflicting_decimal": ("'{value}' dùng dấu thập phân '{this}' nhưng {n_other} ô khác dùng '{other}' (ví dụ dòng {other_row}: '{other_value}'): hãy chọn một dấu thập phân.",
        "'{value}' uses the decimal separator '{this}' but {n_other} other {n_other|cell uses|cells use} '{other}' (e.g. row {other_row}: '{other_value}'): choose one decimal separator."),
    "check_bad_period": ("'{value}' không phải kỳ hợp lệ: dùng YYYY, YYYY-MM, YYYY-MM-DD hoặc DD/MM/YYYY.",
        "'{value}' is not a period: use YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY."),
    "check_unknown_kind": ("Loại '{value}' không hợp lệ: dùng thực hiện, ước, cơ sở hoặc mục tiêu.",
        "'{value}' is not a kind: use actual, estimate, baseline or target."),
    "check_unknown_direction": ("Chiều hướng '{value}' không hợp lệ: dùng tăng hoặc giảm.",
        "'{value}' is not a direction: use increase or decrease."),
    "check_unknown_method": ("Phương pháp '{value}' không hợp lệ: dùng linear hoặc cagr.",
        "'{value}' is not a method: use linear or cagr."),
    "check_duplicate_key": ("Dòng {row} trùng khoá (mã chỉ tiêu, địa bàn, phân tổ, kỳ, loại, nhiệm kỳ) với dòng {first_row}: {value}.",
        "Row {row} has the same key (indicator_id, area, breakdown, period, kind, term) as row {first_row}: {value}."),
    "check_inconsistent_indicator": ("Chỉ tiêu '{indicator_id}' có {column} '{value}' ở đây nhưng '{other_value}' ở dòng {other_row}: mọi dòng của một chỉ tiêu phải thống nhất.",
        "Indicator '{indicator_id}' has {column} '{value}' here but '{other_value}' in row {other_row}: every row of one indicator must agree."),
    "check_target_without_direction": ("Chỉ tiêu '{indicator_id}' có mục tiêu nhưng chưa có chiều hướng (tăng/giảm).",
        "Indicator '{indicator_id}' has a target but no direction (increase/decrease)."),
    "check_large_change": ("Giá trị {value} chênh lệch quá một nửa so với số hiện có ({old}): hãy kiểm tra.",
        "The value {value} differs by more than half from the current one ({old}): check it."),
    "check_file_too_large": ("Tệp lớn hơn giới hạn {limit} MB ({setting}): không đọc tệp này.",
        "The file is larger than the limit of {limit} MB ({setting}): it is not read."),
    "check_xlsx_too_large": ("Tệp XLSX khi giải nén chiếm {size} MB, vượt giới hạn {limit} MB ({setting}): không đọc tệp này.",
        "The XLSX workbook unpacks to {size} MB, over the limit of {limit} MB ({setting}): it is not read."),
    "check_xlsx_ratio": ("Phần '{value}' của tệp XLSX nén {ratio}:1, vượt giới hạn {limit}:1 ({setting}) — dấu hiệu của một 'bom nén': không đọc tệp này.",
        "The part '{value}' of the workbook is compressed {ratio}:1, over the limit of {limit}:1 ({setting}) — the mark of a zip bomb: it is not read."),
    "check_too_many_rows": ("{where} có dòng {last_row}, vượt giới hạn {limit} dòng ({setting}).",
        "{where} reaches row {last_row}, over the limit of {limit} rows ({setting})."),
    "check_too_many_columns": ("{where} có ô {value} ở cột thứ {n}, vượt giới hạn {limit} cột ({setting}).",
        "{where} has the cell {value} in column {n}, over the limit of {limit} columns ({setting})."),
    "check_too_many_sheet_cells": ("{where} trải trên {rows} dòng × {columns} cột = {cells} ô, vượt giới hạn {limit} ô ({setting}).",
        "{where} spans {rows} rows × {columns} columns = {cells} cells, over the limit of {limit} cells ({setting})."),
    "check_needs_more_memory": ("Đọc tệp này cần nhiều bộ nhớ hơn mức cho phép ({limit} MB, {setting}): không đọc tệp này.",
        "The file needs more memory than allowed ({limit} MB, {setting}): it is not read."),
    "check_workbook_damaged": ("Tệp XLSX bị hỏng{where}: {reason}.",
        "The workbook is damaged{where}: {reason}."),
    "check_bad_xlsx_cell": ("Ô {value} của trang tính '{sheet}': {reason}; dòng này bị bỏ qua.",
        "Cell {value} of sheet '{sheet}': {reason}; the row is left out."),
    "check_number_out_of_range": ("'{value}' không phải số hữu hạn (quá lớn, vô cực hoặc NaN).",
        "'{value}' is not a finite number (too large, infinite or NaN)."),
    "check_nul_character": ("Ô chứa ký tự NUL (nội dung nhị phân?): xoá ký tự này.",
        "The cell holds a NUL character (binary content?): remove it."),
    "check_mixed_encoding": ("Dòng văn bản {line} viết bằng UTF-8 nhưng các dòng trước là Windows-1258: tệp trộn hai bảng mã; lưu lại toàn bộ tệp dạng CSV UTF-8.",
        "Text line {line} is UTF-8 but the lines before it are Windows-1258: the file mixes two encodings; save the whole file again as CSV UTF-8."),
    "check_structured_file": ("Đây là tệp {kind}, không phải bảng: lưu số liệu dạng CSV hoặc XLSX.",
        "This file is {kind}, not a table: save the data as CSV or XLSX."),
    "check_unreadable_file": ("Không mở được tệp {value}: {reason}.",
        "The file {value} cannot be opened: {reason}."),
    "check_hidden_sheets": ("Tệp có trang tính ẩn ({sheets}): đã đọc trang hiện đầu tiên '{value}'; chọn trang khác nếu cần.",
        "The workbook has hidden sheets ({sheets}): the first visible sheet '{value}' was read; choose another sheet if needed."),
    "check_decimal_named": (" (dấu thập phân '{decimal}')", " (decimal separator '{decimal}')"),
    "check_more": ("…và {n} dòng khác có cùng lỗi '{code}'.",
        "…and {n} more {n|row|rows} with the same problem ({code})."),
    "check_summary_valid": ("hợp lệ: {rows} dòng, {errors} lỗi, {warnings} cảnh báo",
        "valid: {rows} {rows|row|rows}, {errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}"),
    "check_summary_invalid": ("không hợp lệ: {rows} dòng, {errors} lỗi, {warnings} cảnh báo",
        "invalid: {rows} {rows|row|rows}, {errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}"),
    "check_at_row": ("dòng {row}", "row {row}"),
    "check_at_column": ("cột {column}", "column {column}"),
    "check_at_file": ("tệp", "file"),
    "check_at_file_named": ("tệp {file}", "file {file}"),
    "detected_tidy": ("Bảng dữ liệu dài theo chuẩn (mỗi dòng một số liệu): {rows} dòng.",
        "The contract's long table (one figure per row): {rows} {rows|row|rows}."),
    "reason_format_unavailable": ("định dạng '{format}' chưa được hỗ trợ", "the format '{format}' is not supported"),
    "check_at_sheet": ("trang {sheet}", "sheet {sheet}"),
    "check_at_cell": ("ô {cell}", "cell {cell}"),
    # reasons and places put into the messages above (as (vi, en) pairs: `pair`)
    "reason_not_utf16": ("không đọc được dạng UTF-16", "it is not valid UTF-16"),
    "reason_binary": ("nội dung nhị phân", "binary content"),
    "reason_empty_header": ("dòng 1 (tiêu đề) trống", "row 1 (the header) is empty"),
    "reason_old_xls": ("tệp Excel .xls cũ: lưu lại dạng .xlsx hoặc CSV", "an old .xls workbook: save it as .xlsx or CSV"),
    "reason_not_xlsx": ("không mở được dạng XLSX", "not a readable XLSX workbook"),
    "reason_part_too_large": ("phần '{member}' quá lớn", "the part '{member}' is too large"),
    "reason_part_not_xml": ("phần '{member}' không phải XML hợp lệ", "the part '{member}' is not valid XML"),
    "reason_no_unpack": ("không giải nén được: {error}", "it does not unpack: {error}"),
    "reason_not_finite": ("số không hữu hạn (NaN, vô cực hoặc vượt ±1,8e308)",
                          "a number that is not finite (NaN, infinite or beyond ±1.8e308)"),
    "reason_bad_date": ("ngày nằm ngoài lịch", "a date outside the calendar"),
    "reason_no_sheet": ("tệp XLSX không có trang tính", "the workbook has no sheet"),
    "reason_all_hidden": ("mọi trang tính đều ẩn", "every sheet is hidden"),
    "reason_missing_style": ("kiểu định dạng số {style} không có trong tệp (tệp bị hỏng)",
                             "the style {style} does not exist in the workbook (it is damaged)"),
    "reason_text_for_number": ("ô {ref} ghi '{text}' ở chỗ phải là số", "the cell {ref} holds '{text}' where a number must be"),
    "reason_shared_string": ("ô {ref} trỏ tới chuỗi dùng chung số {index} nhưng tệp chỉ có {count}",
                             "the cell {ref} points at shared string {index} but the workbook has {count}"),
    "reason_worker_start": ("không chạy được tiến trình đọc: {error}", "the reading process did not start: {error}"),
    "reason_worker_stopped": ("tiến trình đọc dừng bất thường: {reason}", "the reading process stopped: {reason}"),
    "where_file": ("Tệp", "The file"),
    "where_sheet": ("Trang tính '{sheet}'", "The sheet '{sheet}'"),
    "where_in_sheet": (" (trang tính '{sheet}')", " (sheet '{sheet}')"),
    # --- progress texts of long work (ingest) ---
    "progress_reading": ("Đang đọc tệp…", "Reading the file…"),
    "progress_reading_sheet": ("Đang đọc trang tính…", "Reading the sheet…"),
    "progress_unreadable": ("Không đọc được tệp", "The file cannot be read"),
    "progress_checking": ("Đang kiểm tra số liệu…", "Checking the figures…"),
    "progress_checked": ("Đã kiểm tra xong", "Checked"),
    # --- the eight statuses (progress/statuses.py): words and meanings ---
    "status_achieved": ("Đã đạt", "Achieved"),
    "status_on_track": ("Đúng tiến độ", "On track"),
    "status_needs_acceleration": ("Cần đẩy nhanh", "Needs acceleration"),
    "status_limited": ("Chậm", "Limited progress"),
    "status_deterioration": ("Đi xuống", "Deterioration"),
    "status_insufficient_data": ("Chưa đủ số liệu", "Insufficient data"),
    "status_no_target": ("Chưa có mục tiêu", "No target"),
    "status_no_data": ("Chưa có số liệu", "No data"),
    "status_meaning_achieved": ("Đã đạt hoặc vượt mục tiêu", "Target reached or exceeded"),
    "status_meaning_on_track": ("Tốc độ ≥ 95% tiến độ cần thiết", "Pace at least 95% of what is needed"),
    "status_meaning_needs_acceleration": ("Tốc độ 60–95% tiến độ cần thiết", "Pace 60–95% of what is needed"),
    "status_meaning_limited": ("Tốc độ dưới 60% tiến độ cần thiết", "Pace below 60% of what is needed"),
    "status_meaning_deterioration": ("Đang đi xa mục tiêu", "Moving away from the target"),
    "status_meaning_insufficient_data": ("Có mục tiêu nhưng thiếu số liệu gốc hoặc chưa qua thời gian", "A target but no baseline or no time elapsed"),
    "status_meaning_no_target": ("Có số liệu nhưng chưa có mục tiêu được công bố", "Figures but no published target"),
    "status_meaning_no_data": ("Có mục tiêu nhưng chưa có số liệu thực hiện", "A target but no actual value yet"),
    # --- numbers and values (present/formatting.py) ---
    "qualifier_gt": ("trên", "over"),
    "qualifier_lt": ("dưới", "under"),
    "qualifier_ge": ("ít nhất", "at least"),
    "qualifier_le": ("tối đa", "at most"),
    "qualifier_about": ("khoảng", "about"),
    "flag_not": ("chưa {label}", "not {label}"),
    "status_count": ("{status}: {n}", "{status}: {n}"),
    "summary_line": ("{status} {name} [{area}]: {latest} ({when}); mục tiêu {target}",
        "{status} {name} [{area}]: {latest} ({when}); target {target}"),
    "summary_pace": ("; tiến độ {pace}", "; pace {pace}"),
    "summary_total": ("{n} chuỗi số liệu — {counts}", "{n} series — {counts}"),
    # --- issue 8: migrations ---
    "store_too_new": ("Lược đồ cơ sở dữ liệu ở phiên bản {store}, mới hơn chương trình này (phiên bản mới nhất "
                      "nó biết là {head}): chưa đọc, chưa ghi gì. Hãy dùng bản chương trình đã nâng cấp cơ sở dữ "
                      "liệu này (hoặc mới hơn).",
                      "The store's schema is at revision {store}, newer than this program (the newest it knows "
                      "is {head}): nothing was read or written. Use the release of the program that upgraded "
                      "the store, or a newer one."),
    "store_too_old": ("Lược đồ cơ sở dữ liệu ở phiên bản {store}, cũ hơn chương trình này cần ({head}): chưa "
                      "đọc, chưa ghi gì. Người quản trị hãy sao lưu cơ sở dữ liệu rồi chạy "
                      "“indicators db upgrade”.",
                      "The store's schema is at revision {store}, older than this program needs ({head}): "
                      "nothing was read or written. An administrator should back the store up, then run "
                      "“indicators db upgrade”."),
    "store_unrecognised": ("Cơ sở dữ liệu có một số bảng trùng tên với kho dữ liệu nhưng không phải kho do "
                           "chương trình này tạo: chưa đọc, chưa ghi gì. Hãy kiểm tra INDICATORS_DATABASE_URL.",
                           "The database holds some tables named like the store's but is not a store this "
                           "program made: nothing was read or written. Check INDICATORS_DATABASE_URL."),
    "db_stamped": ("kho do bản phát hành trước khi có migration tạo: ghi nhận là phiên bản {baseline}",
                   "store made by the release before migrations: recorded as revision {baseline}"),
    "db_upgraded": ("đã nâng cấp lược đồ: {before} → {after}", "schema upgraded: {before} → {after}"),
    "db_up_to_date": ("lược đồ đã ở phiên bản {head}: không có gì phải làm",
                      "the schema is already at revision {head}: nothing to do"),
    "db_current": ("lược đồ của kho: {store} · của chương trình: {head} · {status}",
                   "store's schema: {store} · this program's: {head} · {status}"),
    "db_state_empty": ("kho trống: sẽ được tạo ở phiên bản {head} khi dùng lần đầu",
                       "empty store: created at revision {head} on first use"),
    "db_state_unstamped": ("kho của bản phát hành trước khi có migration: chạy “indicators db upgrade”",
                           "a store of the release before migrations: run “indicators db upgrade”"),
    "db_state_older": ("cũ hơn: chạy “indicators db upgrade”", "older: run “indicators db upgrade”"),
    "db_state_current": ("đúng phiên bản", "up to date"),
    "db_state_newer": ("mới hơn chương trình này: chương trình sẽ không dùng kho này",
                       "newer than this program: it will not use this store"),
    "db_state_foreign": ("không phải kho do chương trình này tạo", "not a store this program made"),
    # --- issue 9: store (mapping profiles and aliases) ---
    "profile_bad_name": ("Tên mẫu ánh xạ phải có từ 1 đến {limit} ký tự và không chứa ký tự điều khiển.",
                         "A mapping profile's name has 1 to {limit} characters and no control characters."),
    "profile_bad_user": ("Tên người lưu phải có từ 1 đến {limit} ký tự và không chứa ký tự điều khiển.",
                         "The saving user's name has 1 to {limit} characters and no control characters."),
    "profile_bad_body": ("Nội dung mẫu ánh xạ phải là một đối tượng JSON không quá {limit} KB.",
                         "A mapping profile's body must be a JSON object of at most {limit} KB."),
    "alias_bad_label": ("Tên gọi khác của chỉ tiêu phải có từ 1 đến {limit} ký tự và không chứa ký tự điều khiển.",
                        "An indicator alias has 1 to {limit} characters and no control characters."),
    "alias_bad_id": ("Không lưu được tên gọi khác '{alias}': mã chỉ tiêu '{id}' không hợp lệ (chữ thường, số, _).",
                     "The alias '{alias}' was not saved: the indicator id '{id}' is not valid (a-z, 0-9, _)."),
    "alias_too_many": ("Mỗi lần lưu tối đa {limit} tên gọi khác.", "At most {limit} aliases are saved at once."),
    # --- issue 9: wide report tables (biểu) ---
    "detected_wide": ("Biểu dạng bảng rộng: {indicators} chỉ tiêu × {columns} cột số liệu, {figures} số liệu.",
        "A wide report table: {indicators} {indicators|indicator|indicators} × {columns} "
        "{columns|value column|value columns}, {figures} {figures|figure|figures}."),
    "detected_wide_profile": ("Biểu dạng bảng rộng, đọc theo mẫu đã lưu '{name}': {indicators} chỉ tiêu × "
        "{columns} cột số liệu, {figures} số liệu.",
        "A wide report table, read with the saved profile '{name}': {indicators} "
        "{indicators|indicator|indicators} × {columns} {columns|value column|value columns}, "
        "{figures} {figures|figure|figures}."),
    "reason_wide_no_header": ("không tìm thấy dòng tiêu đề cột (STT, Chỉ tiêu, ĐVT, các năm) và số liệu bên dưới",
        "no column header (STT, Chỉ tiêu, ĐVT, years) with figures below it was found"),
    "check_unconverted_cell": ("Ô ghi '{value}' không đọc được thành số: số liệu này chưa được nhập — sửa ô "
        "(một con số) hoặc ghi vào cột ghi chú.",
        "The cell holds '{value}', which is not a number: this figure was not taken in — write a number in the "
        "cell, or put the text in the note column."),
    "check_unit_differs": ("Đơn vị '{value}' khác đơn vị đã lưu của chỉ tiêu {indicator_id} ('{stored}'): đã "
        "dùng đơn vị đã lưu; kiểm tra lại số liệu có cùng đơn vị không.",
        "The unit '{value}' differs from the stored unit of {indicator_id} ('{stored}'): the stored unit was "
        "used; check that the figures are in the same unit."),
    "check_table_without_area": ("Biểu không ghi địa bàn (không có ở tiêu đề, dòng UBND hay một cột): hãy chọn "
        "địa bàn (--area).",
        "The table names no area (not in its title, its letterhead or a column): give the area (--area)."),
    "check_total_left_out": ("Dòng tổng '{value}' chưa được nhập: biểu không ghi địa bàn của dòng tổng; chọn "
        "địa bàn (--area) để nhập nó.",
        "The totals row '{value}' was left out: the table does not say which area it is; give the area "
        "(--area) to take it in."),
    # --- issue 9: peer formats (Open SDG, DHIS2, PX-Web adapters) ---
    "check_no_figure": ("{n} ô không có số liệu ('..', '-', 'NA' hoặc trống): đã bỏ qua (ô đầu tiên được nêu ở đây).",
                        "{n} {n|cell|cells} hold no figure ('..', '-', 'NA' or empty): left out (the first is "
                        "named here)."),
    "check_ids_not_named": ("{n} mã DHIS2 chưa có tên (không có tệp đối chiếu mã → tên): giữ nguyên mã làm tên, "
                            "ví dụ '{value}'.",
                            "{n} DHIS2 {n|id has|ids have} no name (no id → name mapping file): the ids are kept "
                            "as names, e.g. '{value}'."),
    "check_period_not_supported": ("Kỳ '{value}' không ghi được theo chuẩn dữ liệu (năm YYYY, tháng YYYY-MM hoặc "
                                   "ngày YYYY-MM-DD): sửa kỳ này trong tệp gốc.",
                                   "The period '{value}' cannot be written in the data contract (a year YYYY, month "
                                   "YYYY-MM or day YYYY-MM-DD): correct it in the original file."),
    "check_peer_file_damaged": ("Tệp {format} bị hỏng hoặc không đúng dạng: {reason}.",
                                "The {format} file is damaged or not in its format: {reason}."),
    "check_area_assumed": ("Tệp không ghi địa bàn cho dòng tổng: đã dùng '{value}' (chọn địa bàn khác bằng --area).",
                           "The file names no area for its total rows: '{value}' was used (give another with "
                           "--area)."),
    "detected_opensdg": ("Tệp số liệu Open SDG: {rows} dòng, {indicators} chỉ tiêu.",
                         "An Open SDG data file: {rows} {rows|row|rows}, {indicators} "
                         "{indicators|indicator|indicators}."),
    "detected_dhis2": ("Bộ giá trị dữ liệu DHIS2 ({format}): {records} bản ghi → {rows} dòng.",
                       "A DHIS2 data value set ({format}): {records} {records|record|records} → {rows} "
                       "{rows|row|rows}."),
    "detected_pxweb": ("Bảng PX-Web ({format}) '{title}': {rows} dòng.",
                       "A PX-Web table ({format}) '{title}': {rows} {rows|row|rows}."),
    "peer_national_area": ("Toàn quốc", "National"),
    "reason_json": ("không đọc được dạng JSON ({error})", "not readable as JSON ({error})"),
    "reason_xml": ("không đọc được dạng XML ({error})", "not readable as XML ({error})"),
    "reason_xml_forbidden": ("XML có khai báo thực thể hoặc DTD (không được phép)",
                             "the XML declares entities or a DTD (not allowed)"),
    "reason_no_data_values": ("không có danh sách dataValues", "it has no dataValues list"),
    "reason_px_no_data": ("không có phần DATA=", "it has no DATA= part"),
    "reason_px_cells": ("phần DATA có {found} ô nhưng các biến cần {expected} ô",
                        "the DATA part holds {found} cells where its variables need {expected}"),
    "reason_yaml": ("không đọc được dạng YAML ({error})", "not readable as YAML ({error})"),
    "reason_opensdg_columns": ("thiếu cột Year hoặc Value", "it has no Year or Value column"),
    "peer_sdg_target_note": ("Mục tiêu theo siêu dữ liệu Open SDG (graph_target_lines), năm {year}",
                             "The target of the Open SDG metadata (graph_target_lines), year {year}"),
    "reason_px_syntax": ("sai cú pháp gần dòng {line}", "a syntax error near line {line}"),
    "reason_px_no_values": ("biến '{variable}' không có VALUES", "the variable '{variable}' has no VALUES"),
    # --- issue 9: forms (the "biểu mẫu" template: present/forms.py, ingest/adapters/template.py) ---
    "template_help_sheet": ("Hướng dẫn", "Instructions"),
    "template_no_area": ("Chưa có địa bàn nào để lập biểu mẫu: hãy chọn ít nhất một địa bàn.",
                         "There is no area to make a form for: choose at least one area."),
    "template_bad_period": ("'{value}' không phải là kỳ báo cáo (ví dụ: 2026, 2026-06 hoặc 30/06/2026).",
                            "'{value}' is not a period (for example 2026, 2026-06 or 30/06/2026)."),
    "template_unknown_indicator": ("Chỉ tiêu không có trong kho dữ liệu: '{value}'.",
                                   "Indicators not in the store: '{value}'."),
    "template_stt": ("STT", "No."),
    "template_latest_actual": ("TH {year}", "Actual {year}"),
    "template_latest_estimate": ("Ước {year}", "Est. {year}"),
    "template_latest_baseline": ("Gốc {year}", "Baseline {year}"),
    "template_target_year": ("Mục tiêu {year}", "Target {year}"),
    "template_target": ("Mục tiêu", "Target"),
    "template_entry_value": ("Số liệu {period}", "Figure {period}"),
    "template_period_note": ("Kỳ: {period}", "Period: {period}"),
    "template_kind_actual": ("thực hiện", "actual"),
    "template_kind_estimate": ("ước", "estimate"),
    "template_direction_increase": ("tăng", "increase"),
    "template_direction_decrease": ("giảm", "decrease"),
    "template_no_group": ("Chỉ tiêu khác", "Other indicators"),
    "template_list_error_title": ("Không có trong danh sách", "Not in the list"),  # Excel: ≤ 32 characters
    "template_list_error": ("Hãy chọn một trong: {words}.", "Choose one of: {words}."),
    "template_title": ("BIỂU MẪU BÁO CÁO CHỈ TIÊU KINH TẾ – XÃ HỘI", "SOCIO-ECONOMIC INDICATORS REPORTING FORM"),
    "template_area": ("Địa bàn: {area}", "Area: {area}"),
    "template_period": ("Kỳ báo cáo: {period}", "Reporting period: {period}"),
    "template_hint": ("(Chỉ nhập vào các ô nền vàng; xem trang “Hướng dẫn”)",
                      "(Enter figures in the yellow cells only; see the “Instructions” sheet)"),
    "template_date_line": ("…, ngày … tháng … năm …", "…, date: …"),
    "template_prepared_by": ("NGƯỜI LẬP BIỂU", "PREPARED BY"),
    "template_head_of_unit": ("THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF UNIT"),
    "template_sign": ("(Ký, ghi rõ họ tên)", "(signature and full name)"),
    "template_help_title": ("HƯỚNG DẪN ĐIỀN BIỂU MẪU", "HOW TO FILL IN THE FORM"),
    "template_help_intro": (
        "Biểu mẫu này dùng để báo cáo số liệu kỳ {period} của các chỉ tiêu kinh tế – xã hội. Mỗi trang tính là "
        "biểu của một địa bàn (tên trang tính là tên địa bàn).",
        "This form reports the figures of period {period} of the socio-economic indicators. Each sheet is the "
        "form of one area (the sheet is named after the area)."),
    "template_help_cells": (
        "1. Chỉ nhập vào các ô nền vàng: cột “Số liệu {period}”, “Loại”, “Nguồn”, “Ghi chú”, và “Chiều hướng” "
        "khi ô đó còn trống. Các ô khác đã được khoá (không đặt mật khẩu) để giữ nguyên bố cục: không thêm, "
        "xoá hay đổi chỗ hàng, cột, không đổi tên trang tính.",
        "1. Fill in the yellow cells only: the columns “Figure {period}”, “Kind”, “Source”, “Note”, and "
        "“Direction” where it is empty. The other cells are locked (with no password) to keep the layout: do "
        "not add, delete or move rows or columns, and do not rename the sheets."),
    "template_help_number": (
        "2. Số liệu ghi bằng số, không kèm đơn vị tính; dấu phẩy ngăn cách phần thập phân: 57,2 (năm mươi bảy "
        "phẩy hai), 7.000 (bảy nghìn). Excel hiển thị số theo cài đặt của máy (57,2 hoặc 57.2): cả hai đều "
        "được đọc đúng. Số liệu chỉ là ngưỡng thì ghi kèm dấu: “> 7.000”, “< 1,5”, “≥ 95”.",
        "2. Write figures as numbers, without the unit. Excel shows numbers as the computer is set (57.2 or, "
        "in Vietnamese, 57,2): both are read correctly. A figure that is only a bound takes its sign: "
        "“> 7000”, “< 1.5”, “≥ 95”."),
    "template_help_kind": (
        "3. Cột “Loại”: chọn “thực hiện” khi đã có số liệu chính thức; chọn “ước” khi là số ước tính, chưa có "
        "số chính thức (ví dụ ước thực hiện cả năm khi báo cáo trước khi hết năm). Để trống được hiểu là "
        "“thực hiện”.",
        "3. “Kind”: choose “actual” for an official figure, “estimate” for an estimate made before the "
        "official figure exists (e.g. the whole year's figure reported before the year ends). Empty means "
        "“actual”."),
    "template_help_source": (
        "4. Cột “Nguồn”: văn bản, báo cáo hoặc cơ quan cung cấp số liệu (ví dụ: Báo cáo số …/BC-UBND ngày …). "
        "Để trống thì nguồn được ghi là biểu mẫu này (theo tên tệp).",
        "4. “Source”: the document, report or office the figure comes from. Empty: the source recorded is "
        "this form (by its file name)."),
    "template_help_empty": (
        "5. Chỉ tiêu chưa có số liệu: để trống ô số liệu (có thể ghi lý do vào “Ghi chú”); dòng không có số "
        "liệu không được nhập vào hệ thống.",
        "5. An indicator with no figure yet: leave its cell empty (the reason may go in “Note”); a row "
        "without a figure is not imported."),
    "template_help_latest": (
        "6. Các cột “TH …”, “Ước …”, “Gốc …” và “Mục tiêu” là số liệu đã có trong hệ thống (TH: thực hiện, "
        "Ước: ước tính, Gốc: năm gốc), để đối chiếu; không cần sửa.",
        "6. The columns “Actual …”, “Est. …”, “Baseline …” and “Target” are the figures the system already "
        "holds, for comparison; they need no change."),
    "template_help_send": (
        "7. Điền xong, lưu tệp dưới dạng Excel (.xlsx), giữ nguyên các trang tính, rồi gửi lại cho nơi đã gửi "
        "biểu mẫu này (bộ phận tổng hợp số liệu). Không cần chuyển sang định dạng khác.",
        "7. When done, save the file as Excel (.xlsx) with all its sheets and send it back to whoever sent you "
        "this form (the office compiling the figures). No other format is needed."),
    "template_help_meta": (
        "Tệp có một trang tính ẩn (“_meta”) ghi thông tin để chương trình đọc lại biểu mẫu: không xoá, không sửa.",
        "The file has a hidden sheet (“_meta”) telling the product how to read the form back: do not delete "
        "or change it."),
    "template_source": ("Biểu mẫu {file}", "Form {file}"),
    "detected_template": (
        "Biểu mẫu của chương trình, kỳ {period}: {areas} địa bàn, {rows} số liệu đã điền. Biểu mẫu chỉ có số "
        "liệu của kỳ mới: hãy nhập ở chế độ “Bổ sung/sửa theo khóa”.",
        "The product's form for period {period}: {areas} {areas|area|areas}, {rows} {rows|figure|figures} "
        "filled in. The form holds only the new period's figures: import it in “Update by key” mode."),
    "detected_template_unreadable": ("Biểu mẫu của chương trình, nhưng không đọc được thông tin của biểu mẫu.",
                                     "The product's form, but its own information cannot be read."),
    "reason_template_no_meta": ("tệp không có trang “_meta” của biểu mẫu", "the file has no “_meta” sheet of a form"),
    "reason_template_meta_field": ("trang “_meta” thiếu hoặc ghi sai “{field}” ('{value}')",
                                   "the “_meta” sheet lacks or misstates “{field}” ('{value}')"),
    "reason_template_meta_product": ("trang “_meta” không do chương trình này tạo ('{value}')",
                                     "the “_meta” sheet was not written by this product ('{value}')"),
    "reason_template_meta_version": ("biểu mẫu phiên bản {value}, chương trình này đọc phiên bản {version}",
                                     "the form is of version {value}, this program reads version {version}"),
    "check_template_meta_damaged": (
        "Không đọc được thông tin của biểu mẫu: {reason}. Hãy điền trên biểu mẫu tải từ chương trình và "
        "không sửa trang ẩn “_meta”.",
        "The form's own information cannot be read: {reason}. Fill in a form downloaded from the product and "
        "leave its hidden “_meta” sheet as it is."),
    "check_template_sheet_missing": (
        "Biểu mẫu thiếu trang tính '{value}' (địa bàn {area}): số liệu của địa bàn này chưa được đọc.",
        "The form has no sheet '{value}' (area {area}) any more: that area's figures were not read."),
    "check_template_layout_changed": (
        "Bố cục biểu mẫu đã bị thay đổi: ô này phải là tiêu đề '{expected}' nhưng đang là '{value}' (cột bị "
        "chuyển, xoá hoặc đổi tên). Trang tính này chưa được đọc; hãy điền lại trên biểu mẫu gốc.",
        "The form's layout was changed: this cell should be the header '{expected}' but is '{value}' (a "
        "column moved, deleted or renamed). This sheet was not read; fill in the original form again."),
    "check_template_empty": (
        "Biểu mẫu chưa có số liệu nào: mọi ô của cột “{entry}” đều trống.",
        "The form holds no figure: every cell of the column “{entry}” is empty."),
    "check_template_entry_without_value": (
        "Dòng của chỉ tiêu '{value}' có ghi loại, nguồn hoặc ghi chú nhưng không có số liệu: dòng này không "
        "được nhập.",
        "The row of indicator '{value}' has a kind, source or note but no figure: it is not imported."),
    "check_template_value_outside": (
        "Ô có số liệu '{value}' nằm ngoài các dòng chỉ tiêu của biểu mẫu: số liệu này không được nhập.",
        "The figure '{value}' is outside the form's indicator rows: it is not imported."),
    "cli_template_suffix": ("--out phải là tệp .xlsx", "--out must be an .xlsx file"),
    "cli_template_written": ("{out}: biểu mẫu kỳ {period}, {areas} địa bàn (từ phiên bản {version})",
                             "{out}: the form for period {period}, {areas} {areas|area|areas} "
                             "(from version {version})"),
    # --- issue 9: store (plausibility and header matching: ingest/plausibility.py, ingest/rules.py) ---
    "check_above_total": ("Giá trị {value} lớn hơn tổng số của nó ({total}): phần không thể lớn hơn tổng.",
        "The value {value} is above its total ({total}): a part cannot exceed its whole."),
    "check_share_above_100": ("Tỷ lệ {value}% vượt 100%: nếu đây không phải tỷ lệ của một tổng thể (ví dụ so "
        "với kế hoạch) thì bỏ qua cảnh báo này, nếu không hãy kiểm tra.",
        "The share {value}% is above 100%: ignore this if it is not a share of a whole (e.g. against a plan), "
        "otherwise check it."),
    "check_negative_count": ("Giá trị {value} âm nhưng đơn vị '{unit}' là số đếm: số đếm không thể âm.",
        "The value {value} is negative but the unit '{unit}' counts things: a count cannot be negative."),
    "check_ten_times_off": ("Giá trị {value} lệch từ mười lần trở lên so với mức thường gặp của chuỗi số liệu "
        "({typical}: trung vị của {n} số liệu cùng chỉ tiêu, cùng địa bàn): sai đơn vị hoặc sai dấu phẩy?",
        "The value {value} is ten or more times off its series' typical value ({typical}: the median of "
        "{n} values of the same indicator and area): a wrong unit or decimal mark?"),
    "check_unit_changed": ("Chỉ tiêu '{indicator_id}' có đơn vị '{value}' trong tệp nhưng '{old}' trong kho: "
        "kiểm tra lại đơn vị (số liệu hai đơn vị không so sánh được với nhau).",
        "Indicator '{indicator_id}' has the unit '{value}' in the file but '{old}' in the store: check the "
        "unit (figures in two units cannot be compared)."),
    "check_header_collision": ("Cột '{value}' cũng được hiểu là cột '{column}' ({label}): {reason}.",
        "Column '{value}' also reads as column '{column}' ({label}): {reason}."),
    "header_collision_lost": ("cột này không được đọc vì cột '{other}' khớp đúng hơn",
        "it is not read, since column '{other}' matches better"),
    "header_collision_homograph": ("cột này vẫn được đọc như vậy vì không có cột nào ghi đúng tên có dấu, nhưng "
        "bỏ dấu thì nó cũng có thể là '{words}': hãy kiểm tra, hoặc ghi tên cột có đủ dấu",
        "it is read so, since no column has the accented name, but without accents it may also be "
        "'{words}': check it, or write the column's name with its accents"),
    # --- issue 9: upload page (mapping step, batches, grid entry, template download)
    "batch_checking": ("Đang kiểm tra tệp {i}/{n}: {file}…", "Checking file {i} of {n}: {file}…"),
    "batch_checked": ("Đã kiểm tra {n} tệp.", "Checked {n} {n|file|files}."),
    "batch_committing": ("Đang ghi tệp {i}/{n}: {file}…", "Committing file {i} of {n}: {file}…"),
    "batch_committed": ("Đã ghi {n} phiên bản.", "Committed {n} {n|version|versions}."),
    "check_batch_duplicate_key": ("Khoá (mã chỉ tiêu, địa bàn, kỳ, loại) {value} đã có ở tệp {first_file} (dòng {first_row}): hai tệp không được cùng cho một số liệu.",
        "The key (indicator_id, area, period, kind) {value} is also given by {first_file} (row {first_row}): two files may not give the same figure."),
    "check_batch_inconsistent_indicator": ("Chỉ tiêu '{indicator_id}' có {column} '{value}' ở tệp này nhưng '{other_value}' ở tệp {other_file}: mọi tệp phải thống nhất.",
        "Indicator '{indicator_id}' has {column} '{value}' in this file but '{other_value}' in {other_file}: the files must agree."),
    "detected_entry": ("Số liệu nhập trực tiếp: {rows} chỉ tiêu của {area}, kỳ {period}.",
        "Figures typed on the page: {rows} {rows|indicator|indicators} of {area}, period {period}."),
    "upload_way": ("Cách đưa số liệu vào", "How to bring figures in"),
    "upload_way_files": ("Tải tệp lên", "Upload files"),
    "upload_way_entry": ("Nhập trực tiếp", "Type the figures"),
    "upload_way_template": ("Tải biểu mẫu", "Download the form"),
    "preview_change": ("Thay đổi", "Change"),
    "preview_field": ("Trường", "Field"),
    "preview_old": ("Cũ", "Old"),
    "preview_new": ("Mới", "New"),
    "upload_companion": ("Tệp giải thích kèm theo (không bắt buộc)", "A file that explains it (optional)"),
    "upload_companion_help": ("DHIS2: bảng mã → tên (CSV kind,id,name,unit) hoặc tệp metadata JSON; Open SDG: "
        "tệp metadata YAML của chỉ tiêu (đơn vị, địa bàn, mục tiêu).",
        "DHIS2: an id → name mapping (CSV kind,id,name,unit) or a metadata JSON; Open SDG: the indicator's "
        "metadata YAML (unit, area, target)."),
    "upload_file": ("Tệp số liệu (CSV, Excel XLSX; DHIS2 JSON/XML; PX)", "Data file (CSV, Excel XLSX; DHIS2 JSON/XML; PX)"),
    "upload_files": ("Các tệp số liệu của một đợt (CSV, Excel XLSX; DHIS2 JSON/XML; PX)", "The files of one round (CSV, Excel XLSX; DHIS2 JSON/XML; PX)"),
    "upload_many": ("Nhiều tệp một lúc (một đợt báo cáo)", "Several files at once (one reporting round)"),
    "upload_many_help": ("Ví dụ biểu của các xã trong một đợt: một báo cáo chung, một bản xem trước, ghi một lần hoặc mỗi tệp một phiên bản.",
        "E.g. the communes' forms of one round: one combined report, one preview, committed at once or one version per file."),
    "upload_area": ("Địa bàn của bảng (nếu tệp không ghi)", "The table's area (if the file names none)"),
    "upload_area_help": ("Dùng cho bảng báo cáo không ghi địa bàn, như tuỳ chọn --area của dòng lệnh.",
        "For a report table that names no area, like the command line's --area."),
    "upload_detected": ("Đã nhận dạng: {what}", "Detected: {what}"),
    "issue_cell": ("Ô", "Cell"),
    "issue_at_file": ("tệp {file}", "file {file}"),
    "issue_at_sheet": ("trang {sheet}", "sheet {sheet}"),
    "issue_at_cell": ("ô {cell}", "cell {cell}"),
    "issue_at_row": ("dòng {row}", "row {row}"),
    "issue_at_column": ("cột {column}", "column {column}"),
    "issue_at_whole_file": ("cả tệp", "whole file"),
    "mapping_title": ("Ánh xạ bảng: cột nào, dòng nào là gì", "Mapping: what each column and row is"),
    "mapping_help": ("Chương trình đề xuất vai trò của từng cột (kỳ, loại số liệu) và từng dòng (chỉ tiêu nào). Sửa ô cần sửa rồi bấm “Áp dụng”; bản xem trước bên dưới sẽ tính lại. Chỉ tiêu mới cần chọn chiều hướng (tăng/giảm) nếu có mục tiêu.",
        "The program proposes what each column (period, kind) and each row (which indicator) is. Correct a cell, then press “Apply”; the preview below follows. A new indicator with a target needs its direction (increase/decrease)."),
    "mapping_apply": ("Áp dụng", "Apply"),
    "mapping_own_applied": ("Đang dùng ánh xạ bạn đã sửa: bản xem trước bên dưới theo ánh xạ này. Bấm “Lưu mẫu ánh xạ” để tệp cùng bố cục lần sau tự áp dụng.",
        "Your corrected mapping is applied: the preview below follows it. Press “Save the mapping profile” so the next file of this layout applies it by itself."),
    "mapping_profile_applied": ("Đã áp dụng mẫu ánh xạ '{name}' (bảng cùng bố cục).",
        "Applied the mapping profile '{name}' (a table of the same layout)."),
    "map_column": ("Cột", "Column"),
    "map_header": ("Tiêu đề cột", "Header"),
    "map_role": ("Vai trò", "Role"),
    "map_kind": ("Loại", "Kind"),
    "map_indicator_id": ("Mã chỉ tiêu", "Indicator id"),
    "map_indicator": ("Chỉ tiêu", "Indicator"),
    "map_unit": ("Đơn vị tính", "Unit"),
    "map_direction": ("Chiều hướng", "Direction"),
    "map_row": ("Dòng", "Row"),
    "map_stt": ("STT", "No."),
    "map_label": ("Nội dung dòng", "Row text"),
    "map_match": ("Khớp với kho", "Matched"),
    "map_role_stt": ("Số thứ tự", "Numbering"),
    "map_role_label": ("Tên chỉ tiêu", "Indicator name"),
    "map_role_unit": ("Đơn vị tính", "Unit"),
    "map_role_value": ("Số liệu", "Figures"),
    "map_role_derived": ("Cột tính (bỏ qua)", "Derived (left out)"),
    "map_role_note": ("Ghi chú", "Note"),
    "map_role_area": ("Địa bàn", "Area"),
    "map_role_skip": ("Bỏ qua", "Skip"),
    "map_row_indicator": ("Chỉ tiêu", "Indicator"),
    "map_row_area": ("Địa bàn", "Area"),
    "map_row_heading": ("Tiêu đề nhóm", "Heading"),
    "map_row_total": ("Dòng tổng", "Total"),
    "map_row_skip": ("Bỏ qua", "Skip"),
    "map_increase": ("Tăng là tốt", "Increase is better"),
    "map_decrease": ("Giảm là tốt", "Decrease is better"),
    "map_match_id": ("theo mã", "by id"),
    "map_match_name": ("theo tên", "by name"),
    "map_match_alias": ("theo tên gọi khác", "by alias"),
    "map_match_new": ("chỉ tiêu mới", "new indicator"),
    "profile_name": ("Tên mẫu ánh xạ", "Profile name"),
    "profile_name_hint": ("ví dụ: Biểu 01 KT-XH cấp xã", "e.g. Commune socio-economic form 01"),
    "profile_save": ("Lưu mẫu ánh xạ", "Save the mapping profile"),
    "profile_name_required": ("Hãy đặt tên cho mẫu ánh xạ.", "Give the profile a name."),
    "profile_saved": ("Đã lưu mẫu ánh xạ '{name}' (lần lưu {revision}) và {n} tên gọi khác của chỉ tiêu: tệp cùng bố cục lần sau sẽ tự áp dụng.",
        "Saved the mapping profile '{name}' (revision {revision}) and {n} indicator {n|alias|aliases}: the next file of this layout applies it by itself."),
    "batch_commit_as": ("Ghi thành", "Commit as"),
    "batch_one": ("Một phiên bản", "One version"),
    "batch_per_file": ("Mỗi tệp một phiên bản", "One version per file"),
    "batch_per_file_help": ("Mỗi tệp một phiên bản: các tệp được ghi lần lượt theo cách bổ sung/sửa theo khóa (không bỏ dòng nào); nếu một tệp không ghi được, các tệp sau không được ghi.",
        "One version per file: the files are committed one after another, updating by key (nothing removed); if one fails, the files after it are not committed."),
    "batch_detected": ("Nhận dạng", "Detected"),
    "batch_rows": ("Số dòng", "Rows"),
    "batch_errors": ("Lỗi", "Errors"),
    "batch_warnings": ("Cảnh báo", "Warnings"),
    "batch_valid": ("Cả {n} tệp hợp lệ: {rows} dòng.", "All {n} files are valid: {rows} {rows|row|rows}."),
    "batch_done": ("Đã ghi {n} phiên bản: {versions}. Mọi người xem đều thấy ngay.",
        "Committed {n} {n|version|versions}: {versions}. Every viewer sees it now."),
    "batch_stopped": ("Đã ghi {n} phiên bản ({versions}), rồi dừng ở tệp {file}: {reason}. Tệp {file} và các tệp sau chưa được ghi.",
        "Committed {n} {n|version|versions} ({versions}), then stopped at {file}: {reason}. {file} and the files after it were not committed."),
    "entry_needs_data": ("Kho chưa có số liệu: hãy tải một tệp lên trước.", "The store holds no data yet: upload a file first."),
    "entry_help": ("Gõ số liệu vào cột Giá trị (để trống: không đổi gì); chọn loại, ghi nguồn. Các dòng có số liệu được kiểm tra và xem trước như một tệp, rồi ghi theo cách bổ sung/sửa theo khóa.",
        "Type the figures in the Value column (empty: nothing changes); choose the kind, give the source. The rows with a figure are checked and previewed like a file, then committed as an update by key."),
    "entry_filename": ("Nhập trực tiếp – {area} – {period}", "Typed on the page – {area} – {period}"),
    "template_areas": ("Địa bàn", "Areas"),
    "template_help": ("Biểu mẫu Excel: mỗi địa bàn một trang, ghi sẵn chỉ tiêu, đơn vị và số liệu gần nhất; gửi cho các xã điền số liệu kỳ mới rồi tải lên lại (không cần ánh xạ).",
        "An Excel form: one sheet per area, with the indicators, units and latest figures; send it to the communes to fill in the new period, then upload it back (no mapping needed)."),
    "template_download": ("Tải biểu mẫu", "Download the form"),
    # issue 10: areas page and map (H-map)
    "areas_page": ("So sánh địa bàn", "Areas"),
    "areas_intro": ("Một chỉ tiêu ở mọi địa bàn của một cấp thuộc địa bàn đã chọn: xếp hạng, bản đồ và diễn biến của từng nơi. Bấm vào một địa bàn trên bản đồ để mở trang tổng quan của nơi đó.",
        "One indicator in every area of a level under the chosen area: a ranking, a map and each area's series. Click an area on the map to open its overview."),
    "areas_level": ("Cấp", "Level"),
    "areas_none": ("Không có địa bàn cấp này thuộc {area}.", "No area of this level lies under {area}."),
    "areas_rank": ("Hạng", "Rank"),
    "areas_value": ("Giá trị", "Value"),
    "areas_progress_pct": ("Hoàn thành (%)", "Progress (%)"),
    "areas_coverage": ("Tính từ (báo cáo/tổng)", "Computed from (reported/all)"),
    "areas_coverage_help": ("Giá trị tính từ số liệu của các địa bàn cấp dưới: số đã báo cáo trên tổng số.",
        "A value computed from the areas below: how many reported, of how many."),
    "areas_open": ("Mở", "Open"),
    "areas_open_label": ("Tổng quan", "Overview"),
    "areas_ranking": ("Xếp hạng", "Ranking"),
    "areas_map": ("Bản đồ", "Map"),
    "areas_tiles_caption": ("Mỗi ô vuông là một địa bàn (chưa có tệp ranh giới): màu và ký hiệu cho biết trạng thái.",
        "Each square is an area (no boundaries file is set): its colour and symbol give the status."),
    "areas_unmatched": ("{n} địa bàn không có ranh giới trong tệp: {names}.",
        "{n} {n|area has|areas have} no boundary in the file: {names}."),
    "areas_credit": ("Ranh giới: {credit}", "Boundaries: {credit}"),
    "areas_no_credit": ("Tệp ranh giới không ghi giấy phép và nguồn; người quản trị cần bổ sung tệp {file}.",
        "The boundaries file names no licence or attribution; the administrator should add {file}."),
    "areas_multiples": ("Diễn biến từng địa bàn", "Each area's series"),
    "areas_page_no": ("Trang", "Page"),
    "areas_page_of": ("Địa bàn {first}–{last} trong {n}", "Areas {first}–{last} of {n}"),
    "areas_file": ("so-sanh-dia-ban", "areas"),
    "boundaries_missing": ("Không tìm thấy tệp ranh giới {path}: hiển thị dạng ô vuông.",
        "The boundaries file {path} was not found: showing squares instead."),
    "boundaries_too_large": ("Tệp ranh giới quá lớn ({mb} MB, tối đa {limit} MB): hiển thị dạng ô vuông.",
        "The boundaries file is too large ({mb} MB, at most {limit} MB): showing squares instead."),
    "boundaries_not_json": ("Tệp ranh giới không phải JSON hợp lệ ({reason}): hiển thị dạng ô vuông.",
        "The boundaries file is not valid JSON ({reason}): showing squares instead."),
    "boundaries_not_collection": ("Tệp ranh giới phải là một GeoJSON FeatureCollection: hiển thị dạng ô vuông.",
        "The boundaries file must be a GeoJSON FeatureCollection: showing squares instead."),
    "boundaries_no_features": ("Tệp ranh giới không có vùng nào (features): hiển thị dạng ô vuông.",
        "The boundaries file holds no features: showing squares instead."),
    "boundaries_too_many": ("Tệp ranh giới có {n} vùng, tối đa {limit}: hiển thị dạng ô vuông.",
        "The boundaries file holds {n} features, at most {limit}: showing squares instead."),
    "boundaries_bad_feature": ("Vùng thứ {n} của tệp ranh giới không phải Polygon/MultiPolygon hợp lệ có properties: hiển thị dạng ô vuông.",
        "Feature {n} of the boundaries file is not a valid Polygon/MultiPolygon with properties: showing squares instead."),
    "boundaries_no_key": ("Vùng thứ {n} của tệp ranh giới thiếu thuộc tính {prop} để nhận ra địa bàn: hiển thị dạng ô vuông.",
        "Feature {n} of the boundaries file lacks the property {prop} that names its area: showing squares instead."),
    # issue 10: contract v2 (lead)
    "check_bad_term": ("Nhiệm kỳ '{value}' không hợp lệ: viết năm đầu-năm cuối, ví dụ 2020-2025.",
        "'{value}' is not a term: write first year-last year, e.g. 2020-2025."),
    "check_unknown_series_break": ("Gãy chuỗi '{value}' không hợp lệ: dùng sáp nhập, chuẩn mới, phương pháp mới hoặc có (để trống nếu không gãy).",
        "'{value}' is not a series break: use merger, new_standard, method_change or break (empty when the series does not break)."),
    "check_unknown_rollup": ("Cách tổng hợp '{value}' không hợp lệ: dùng tổng, bình quân, bình quân gia quyền theo <mã chỉ tiêu> hoặc không.",
        "'{value}' is not a roll-up: use sum, mean, weighted:<indicator_id> or none."),
    "check_bad_area_code": ("Mã địa bàn '{value}' không hợp lệ: mã của Tổng cục Thống kê chỉ gồm chữ số (ví dụ 14647).",
        "'{value}' is not an area code: GSO codes are digits only (e.g. 14647)."),
    "check_bad_breakdown": ("Phân tổ '{value}' không hợp lệ: viết chiều=giá trị, cách nhau bởi dấu chấm phẩy (ví dụ sex=Nữ; age_group=15-24), mỗi chiều một lần.",
        "'{value}' is not a breakdown: write dimension=value pairs separated by semicolons (e.g. sex=Female; age_group=15-24), each dimension once."),
    # issue 10: terms, verdicts, the chosen area and term
    "verdict_achieved": ("Đạt mục tiêu", "Target achieved"),
    "verdict_not_achieved": ("Không đạt mục tiêu", "Target not achieved"),
    "verdict_no_final": ("Chưa công bố số liệu cuối kỳ", "No final figure published"),
    "verdict_heading": ("Kết quả cuối nhiệm kỳ", "End-of-term results"),
    "verdict_final": ("Số liệu cuối kỳ", "Final figure"),
    "nar_verdict": ("{name}: số liệu cuối kỳ {value} ({when}), mục tiêu {target} — {verdict}.",
        "{name}: final figure {value} ({when}) against a target of {target} — {verdict}."),
    "nar_verdict_no_final": ("{name}: mục tiêu {target} — {verdict}.", "{name}: target {target} — {verdict}."),
    "nar_verdict_no_final_latest": ("{name}: mục tiêu {target}; số liệu gần nhất {value} ({when}) — {verdict}.",
        "{name}: target {target}; latest figure {value} ({when}) — {verdict}."),
    "nar_term_closed": ("{term} đã kết thúc: {achieved}/{of} mục tiêu đạt, {not_achieved} không đạt, {no_final} chưa công bố số liệu cuối kỳ.",
        "{term} has ended: {achieved} of {of} {of|target|targets} achieved, {not_achieved} not achieved, {no_final} without a final figure."),
    "term_pick": ("Nhiệm kỳ", "Term"),
    "area_pick": ("Địa bàn", "Area"),
    "term_closed": ("{term} (đã kết thúc)", "{term} (closed)"),
    "term_open": ("{term} (đang thực hiện)", "{term} (open)"),
    "url_area_unknown": ("Không có địa bàn '{area}' trong số liệu: đang hiển thị {default}.",
        "The data name no area '{area}': showing {default}."),
    "url_term_unknown": ("Không có nhiệm kỳ '{term}' trong số liệu: đang hiển thị {default}.",
        "The data hold no term '{term}': showing {default}."),
    "computed_badge": ("Số liệu tính toán", "Computed figure"),
    "series_break_caption": ("Chuỗi số liệu gãy từ {when} ({reason}): số liệu trước đó không so sánh được với số liệu sau.",
        "The series breaks at {when} ({reason}): figures before it are not comparable with those after."),
    "break_merger": ("sáp nhập đơn vị hành chính", "administrative merger"),
    "break_new_standard": ("chuẩn mới", "new standard"),
    "break_method_change": ("phương pháp mới", "new method"),
    "break_break": ("gãy chuỗi", "series break"),
    "break_line": ("Gãy chuỗi", "Series break"),
    "predecessors_heading": ("Số liệu của đơn vị trước sáp nhập", "Figures of the units before the merger"),
    "predecessors_caption": ("Các đơn vị đã hợp thành {area}; số liệu của từng đơn vị, không cộng dồn.",
        "The units merged into {area}; each unit's own figures, never summed."),
    "predecessor": ("Đơn vị trước sáp nhập", "Former unit"),
    "subareas": ("Địa bàn cấp dưới", "Sub-areas"),
    "subareas_intro": ("Các địa bàn thuộc {area}: chuẩn cao nhất mỗi địa bàn đã đạt.",
        "The areas under {area}: the highest standard each has reached."),
    "targets_more": ("Và {n} mục tiêu khác:", "And {n} more {n|target|targets}:"),
    "cli_no_such_area": ("Số liệu không có địa bàn '{area}'.", "The data name no area '{area}'."),
    "cli_no_such_term": ("Số liệu không có nhiệm kỳ '{term}' (có: {terms}).", "The data hold no term '{term}' (they hold: {terms})."),
    "subareas_none": ("{area} không có địa bàn cấp dưới trong số liệu.", "The data name no areas under {area}."),
    # issue 10: areas (the register, its checks, roll-ups)
    "level_province": ("Cấp tỉnh", "Province"),
    "level_district": ("Cấp huyện", "District"),
    "level_commune": ("Cấp xã", "Commune"),
    "level_units_province": ("tỉnh", "provinces"),
    "level_units_district": ("huyện", "districts"),
    "level_units_commune": ("xã", "communes"),
    "rollup_source": ("Tính từ số liệu {n}/{of} {level}", "Computed from {n} of {of} {level}"),
    "check_area_code_mismatch": ("Mã địa bàn {area_code} không khớp với {area}: vào thời điểm của dòng này, danh mục đơn vị hành chính ghi mã {expected}.",
        "The area code {area_code} does not match {area}: at this row's date the register of administrative units gives {expected}."),
    "check_area_code_unknown": ("Mã địa bàn {area_code} ({area}) không có trong danh mục đơn vị hành chính.",
        "The area code {area_code} ({area}) is not in the register of administrative units."),
    # issue 10: breakdowns (adapters keep them; the indicator page shows them)
    "breakdowns_kept": ("Giữ {n} chuỗi số liệu phân tổ ({dims}).", "Kept {n} breakdown {n|series|series} ({dims})."),
    "bd_title": ("Số liệu phân tổ", "Breakdowns"),
    "bd_total": ("Tổng số", "Total"),
    "bd_chart_title": ("{name} — theo {dim}", "{name} — by {dim}"),
    "bd_hold_help": ("Mỗi biểu đồ vẽ một chiều phân tổ; chọn ở đây nhóm của các chiều còn lại (mặc định: tổng số).",
        "Each chart draws one breakdown dimension; choose here the group kept for the other dimensions (default: the total)."),
    "bd_table_title": ("Số liệu mới nhất và tiến độ theo phân tổ", "Latest figures and progress by breakdown"),
    "bd_breakdown": ("Phân tổ", "Breakdown"),
    "bd_download": ("Tải số liệu phân tổ (CSV)", "Download the breakdown rows (CSV)"),
    "map_breakdown_help": ("Số liệu của cột này thuộc phân tổ nào, dạng chiều=giá trị (sex=Nữ; residence=Nông thôn); để trống: tổng số.",
        "Which breakdown the column's figures belong to, as dimension=value (sex=Nữ; residence=Nông thôn); empty: the total."),
    # issue 10: scoped analysts and approval (store/submissions.py, cli/users.py, cli/submissions.py, review page)
    "scope_unknown_areas": ("Không có địa bàn này trong số liệu hay danh mục đơn vị hành chính: {areas}.",
        "No such area in the data or the register of administrative units: {areas}."),
    "scope_row": ("dòng {row}: {what}", "row {row}: {what}"),
    "scope_more_rows": ("… và {n} dòng nữa", "… and {n} more {n|row|rows}"),
    "scope_not_writer": ("Tài khoản {name} không được ghi số liệu (bị khóa hoặc không phải cán bộ số liệu): không ghi gì.",
        "The account {name} may not write (disabled, or not an analyst): nothing was written."),
    "scope_no_replace": ("Tài khoản {name} giới hạn theo địa bàn hoặc cần duyệt nên không được thay thế toàn bộ số liệu (sẽ bỏ dòng của địa bàn khác): hãy chọn cách “bổ sung/sửa theo khóa”. Không ghi gì.",
        "The account {name} is limited to areas or needs approval, so it may not replace the whole dataset (that would remove other areas' rows): choose “update by key”. Nothing was written."),
    "scope_refused": ("{n} dòng nằm ngoài phạm vi của tài khoản {name} ({scope}): không ghi gì. Hãy bỏ các dòng này hoặc nhờ cán bộ có phạm vi đó tải lên.",
        "{n} {n|row is|rows are} outside the scope of the account {name} ({scope}): nothing was written. Remove {n|it|them} or ask an analyst whose scope holds {n|it|them}."),
    "submission_not_found": ("Không có lần gửi duyệt số {id}.", "There is no submission {id}."),
    "submission_closed": ("Lần gửi số {id} đã được duyệt hoặc trả lại: không ghi gì.",
        "Submission {id} was already approved or returned: nothing was written."),
    "review_not_writer": ("{name} không phải tài khoản cán bộ số liệu đang hoạt động: không được duyệt.",
        "{name} is not an active analyst account: it may not review."),
    "review_needs_approval": ("Tài khoản {name} cần được duyệt nên không duyệt được lần gửi của người khác.",
        "The account {name} needs approval itself, so it may not review others' submissions."),
    "review_own": ("{name} không được tự duyệt lần gửi của chính mình.", "{name} may not review their own submission."),
    "review_out_of_scope": ("{n} dòng của lần gửi nằm ngoài phạm vi của {name} ({scope}): không được duyệt.",
        "{n} {n|row|rows} of the submission {n|is|are} outside the scope of {name} ({scope}): it may not review it."),
    "review_comment_required": ("Hãy ghi nhận xét: người gửi cần biết phải sửa gì.",
        "Write a comment: the submitter needs to know what to correct."),
    "submit_for_approval": ("Gửi duyệt", "Submit for approval"),
    "submitted": ("Đã gửi duyệt (lần gửi số {id}, {rows} dòng): chờ cán bộ cấp tỉnh duyệt. Số liệu hiện hành chưa thay đổi.",
        "Submitted for approval (submission {id}, {rows} {rows|row|rows}): it awaits a province analyst. The current data has not changed."),
    "scope_caption": ("Tài khoản của bạn chỉ ghi số liệu của: {scope} (và các đơn vị trực thuộc).",
        "Your account writes only the figures of: {scope} (and the units under them)."),
    "approval_caption": ("Số liệu bạn tải lên được gửi duyệt; chỉ được ghi khi cán bộ cấp tỉnh duyệt.",
        "What you upload is submitted for approval; it is written when a province analyst approves it."),
    "my_submissions": ("Các lần gửi duyệt của bạn", "Your submissions"),
    "submission_returned": ("Lần gửi số {id} ({file}) bị {reviewer} trả lại lúc {at}: {comment}",
        "Submission {id} ({file}) was returned by {reviewer} at {at}: {comment}"),
    "submission_pending": ("Chờ duyệt", "Pending"),
    "submission_approved": ("Đã duyệt", "Approved"),
    "submission_returned_status": ("Bị trả lại", "Returned"),
    "submission_id": ("Số", "No."),
    "submission_status": ("Trạng thái", "Status"),
    "submitted_by": ("Người gửi", "Submitted by"),
    "submitted_at": ("Lúc gửi", "Submitted at"),
    "reviewer": ("Người duyệt", "Reviewer"),
    "reviewed_at": ("Lúc duyệt", "Reviewed at"),
    "review_comment": ("Nhận xét", "Comment"),
    "review": ("Duyệt số liệu", "Review"),
    "review_intro": ("Các lần gửi chờ duyệt trong phạm vi của bạn. Duyệt: số liệu được ghi thành phiên bản mới (bổ sung/sửa theo khóa vào phiên bản hiện hành). Trả lại: người gửi thấy nhận xét của bạn ở trang Tải lên.",
        "The pending submissions within your scope. Approve: the figures become a new version (the current one updated by key). Return: the submitter sees your comment on the Upload page."),
    "review_none": ("Không có lần gửi nào chờ bạn duyệt.", "No submission awaits your review."),
    "review_choose": ("Lần gửi", "Submission"),
    "review_option": ("Số {id} · {user} · {at} · {file} · {rows} dòng",
        "No. {id} · {user} · {at} · {file} · {rows} {rows|row|rows}"),
    "review_comment_of": ("Ghi chú của người gửi: {comment}", "The submitter's comment: {comment}"),
    "review_overwritten": ("Từ khi gửi (trên phiên bản {base}) đến nay (phiên bản {current}) đã có {n} thay đổi ở các dòng này; duyệt sẽ ghi đè chúng:",
        "Since it was submitted (on version {base}), {n} {n|change was|changes were} made to these rows (now version {current}); approving overwrites {n|it|them}:"),
    "approve": ("Duyệt", "Approve"),
    "send_back": ("Trả lại", "Return"),
    "approved_as": ("Đã duyệt lần gửi số {id}: phiên bản {version}. Mọi người xem đều thấy ngay.",
        "Approved submission {id}: version {version}. Every viewer sees it now."),
    "sent_back": ("Đã trả lại lần gửi số {id} cho {user}.", "Returned submission {id} to {user}."),
    "review_moved": ("Trong lúc bạn xem, phiên bản hiện hành đã đổi: không ghi gì. Bản xem trước bên dưới đã tính lại; hãy xem lại rồi duyệt.",
        "The current version changed while you looked: nothing was written. The preview below was recomputed; review it and approve again."),
    "review_closed": ("Đã duyệt và đã trả lại", "Approved and returned"),
    "history_approval": ("Gửi bởi {user} lúc {submitted} · Duyệt bởi {reviewer} lúc {reviewed}",
        "Submitted by {user} at {submitted} · Approved by {reviewer} at {reviewed}"),
    "history_submission": ("Gửi duyệt", "Submission"),
    "rollback_unrestricted": ("Khôi phục thay thế toàn bộ số liệu: tài khoản giới hạn địa bàn hoặc cần duyệt không được khôi phục.",
        "A rollback replaces the whole dataset: an account limited to areas or needing approval may not roll back."),
    "cli_every_area": ("mọi địa bàn", "every area"),
    "cli_needs_approval": ("cần duyệt", "needs approval"),
    "cli_user_scope": ("tài khoản {name}: phạm vi {scope}{approval}", "user {name}: scope {scope}{approval}"),
    "cli_submitted": ("đã gửi duyệt: lần gửi số {id} ({rows} dòng), chờ duyệt; phiên bản hiện hành không đổi",
        "submitted for approval: submission {id} ({rows} {rows|row|rows}), pending; the current version is unchanged"),
    "cli_submission_line": ("{id} {created} {user} {status} {rows} dòng · {file} · {comment}{review}",
        "{id} {created} {user} {status} {rows} {rows|row|rows} · {file} · {comment}{review}"),
    "cli_submissions_empty": ("(không có lần gửi duyệt nào)", "(no submissions)"),
    "cli_review_preview": ("lần gửi số {id} của {user} trên phiên bản hiện hành {current}: mới {new}, thay đổi {changed}, không đổi {unchanged}",
        "submission {id} by {user} onto the current version {current}: new {new}, changed {changed}, unchanged {unchanged}"),
    "cli_overwritten": ("ghi đè {n} thay đổi từ sau phiên bản {base}:", "overwrites {n} {n|change|changes} made since version {base}:"),
    "cli_approved": ("đã duyệt lần gửi số {id}: phiên bản {version}", "approved submission {id}: version {version}"),
    "cli_returned": ("đã trả lại lần gửi số {id} cho {user}", "returned submission {id} to {user}"),
    "check_parent_mismatch": ("Địa bàn cấp trên '{parent}' không khớp với {area}: vào thời điểm của dòng này, {area} thuộc {expected}.",
        "The parent area '{parent}' does not match {area}: at this row's date {area} belonged to {expected}."),
}


#: Keys a call builds at run time, by the expression written at the call site (f-string placeholders keep
#: their source text): the exact keys each can produce. tests/test_i18n.py holds every non-literal key of a
#: `t(...)` call to this list, and counts these keys as used.
FAMILIES: dict[str, tuple[str, ...]] = {
    "trend_{trend}": ("trend_improving", "trend_worsening", "trend_stable", "trend_rising", "trend_falling",
                      "trend_"),
    "nar_{role}_{kind}": tuple(f"nar_{role}_{kind}" for role in ("at", "since", "by", "in")
                               for kind in ("year", "month", "day")),
    "nar_verb_{kind}": ("nar_verb_actual", "nar_verb_actual_decrease", "nar_verb_estimate",
                        "nar_verb_estimate_decrease"),
    "check_{code}": (),  # filled below from the validation codes of ingest/report.py
    "status_{self.code}": (),  # and these two from progress/statuses.py
    "status_meaning_{self.code}": (),
    "qualifier_{name}": ("qualifier_gt", "qualifier_lt", "qualifier_ge", "qualifier_le", "qualifier_about"),
    "{self.KEY}": ("store_full", "store_unavailable", "store_bad_url", "store_too_new", "store_too_old",
                   "store_unrecognised"),  # store/versions.py error classes
    "{kind}": ("actual", "estimate"),  # present/charts.py: a series' kind names its trace
    "kind_{k}": ("kind_actual", "kind_estimate", "kind_baseline", "kind_target"),  # app_pages
    "kind_{r['kind']}": ("kind_actual", "kind_estimate", "kind_baseline", "kind_target"),
    "preview_{name}": ("preview_change", "preview_field", "preview_old", "preview_new"),
    "count_{name}": ("count_new", "count_changed", "count_unchanged", "count_removed"),
    "mode_{m}": ("mode_replace", "mode_update"),
    "severity_{s}": ("severity_error", "severity_warning"),
    "verdict_{code}": ("verdict_achieved", "verdict_not_achieved", "verdict_no_final"),  # progress/terms.py, overview
    "break_{code}": ("break_merger", "break_new_standard", "break_method_change", "break_break"),  # indicator page
    "level_{level}": ("level_province", "level_district", "level_commune"),  # areas.level_label
    "level_units_{unit}": ("level_units_province", "level_units_district", "level_units_commune"),  # areas.rollup
}
FAMILIES["check_{code}"] = tuple(k for k in TEXT if k.startswith("check_") and not k.startswith(
    ("check_more", "check_summary_", "check_at_", "check_decimal_named")))
_STATUS_CODES = ("achieved", "on_track", "needs_acceleration", "limited", "deterioration", "insufficient_data",
                 "no_target", "no_data")
FAMILIES["status_{self.code}"] = tuple(f"status_{c}" for c in _STATUS_CODES)
FAMILIES["status_meaning_{self.code}"] = tuple(f"status_meaning_{c}" for c in _STATUS_CODES)


class CatalogueError(LookupError):
    """A key the catalogue does not hold, or a call whose parameters are not the message's."""


#: A plural selector: `{n|one form|other form}`; `#` in a form stands for the number.
_SELECTOR = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def parameters(template: str) -> frozenset[str]:
    """The parameters a template names, selectors included: `"{n} {n|row|rows} of {v}"` -> {n, v}."""
    names = {m.group(1) for m in _SELECTOR.finditer(template)}
    for _, field, _, _ in Formatter().parse(_SELECTOR.sub("", template)):
        if field is not None:
            names.add(re.split(r"[.\[!:]", field, maxsplit=1)[0])
    return frozenset(names)


def counts(template: str) -> frozenset[str]:
    """The parameters a template counts with (those in a plural selector)."""
    return frozenset(m.group(1) for m in _SELECTOR.finditer(template))


#: key -> the parameters of its message (the same in both languages: tests/test_i18n.py).
PARAMS: dict[str, frozenset[str]] = {key: parameters(vi) | parameters(en) for key, (vi, en) in TEXT.items()}
COUNTS: dict[str, frozenset[str]] = {key: counts(vi) | counts(en) for key, (vi, en) in TEXT.items()}


@cache
def _plural(lang: str) -> Any:
    """CLDR's cardinal plural rule of `lang` (babel): 'one' or 'other' in English, always 'other' in Vietnamese."""
    return Locale.parse(_LOCALES[lang]).plural_form


def _is_number(value: Any) -> bool:
    import numbers

    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _number(value: Any) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def t(key: str, lang: str = "vi", **values: Any) -> str:
    """The text of `key` in `lang` ('vi' unless 'en'), its parameters filled.

    Raises `CatalogueError` for an unknown key, a missing or an unexpected parameter, and a count (a
    parameter of a plural selector) that is not a number."""
    try:
        vi, en = TEXT[key]
        declared = PARAMS[key]
    except KeyError:
        raise CatalogueError(f"no catalogue key {key!r}") from None
    if values.keys() != declared:
        missing, extra = sorted(declared - values.keys()), sorted(values.keys() - declared)
        raise CatalogueError(f"{key!r} takes {sorted(declared)}: missing {missing}, unexpected {extra}")
    lang = "en" if lang == "en" else "vi"
    text = en if lang == "en" else vi
    if not declared:
        return text
    counted = COUNTS[key]
    if counted:
        for name in counted:
            if not _is_number(values[name]):
                raise CatalogueError(f"{key!r}: the count {name!r} must be a number, not {values[name]!r}")
        plural = _plural(lang)
        shown = {name: format_decimal(_number(values[name]), locale=_LOCALES[lang]) for name in counted}

        def choose(m: re.Match[str]) -> str:
            form = m.group(2) if plural(abs(values[m.group(1)])) == "one" else m.group(3)
            return form.replace("#", shown[m.group(1)])

        text = _SELECTOR.sub(choose, text)
        values = {**values, **shown}
    return text.format(**values)



def pair(key: str, **values: Any) -> tuple[str, str]:
    """`(vi, en)`: both texts of `key`, for a value that is put into a message in either language later."""
    return t(key, "vi", **values), t(key, "en", **values)


def indicator_name(row: Any, lang: str = "vi") -> str:
    """The English name where there is one and English is asked for; otherwise the Vietnamese name."""
    english = str(row.get("indicator_en", "") or "") if hasattr(row, "get") else ""
    return english if lang == "en" and english else str(row["indicator"])


def trend_label(trend: str, lang: str = "vi") -> str:
    return t(f"trend_{trend}", lang)
