"""The analyst's flow through the real pages (AppTest): sign in, a bad file, a good file, preview, commit,
the new value on the overview for everyone, history, rollback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.store.versions import Store
from tests.apptest import APP, PASSWORD, ROOT, SHIPPED, analyst_store, open_page


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return analyst_store(tmp_path, monkeypatch)


def session(page: str) -> AppTest:
    return open_page(page)


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_name").input("lan")
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()  # the form's submit button is the first button in the sidebar form
    assert not at.exception, [e.value for e in at.exception]
    return at


def overview_text(at: AppTest) -> str:
    return "\n".join(f"{m.label} {m.value}" for m in at.metric)


def test_upload_needs_a_login(store_url: str) -> None:
    at = session("app_pages/upload.py")
    assert len(at.get("file_uploader")) == 0
    sign_in(at, password="wrong password")
    assert any("Sai tên đăng nhập" in e.value for e in at.sidebar.error)
    assert len(at.get("file_uploader")) == 0


def test_signed_out_pages_say_where_the_sign_in_box_is(store_url: str) -> None:
    """On a phone the sidebar, with the sign-in box, is collapsed: the page must say where to find it."""
    for page in ("app_pages/upload.py", "app_pages/history.py"):
        at = session(page)
        assert any("Ô đăng nhập ở thanh bên" in i.value and "»" in i.value for i in at.info), page
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/upload.py").run()
    assert any("sign-in box is in the sidebar" in i.value for i in at.info), [i.value for i in at.info]


def test_bad_file_shows_the_report_and_cannot_commit(store_url: str) -> None:
    at = sign_in(session("app_pages/upload.py"))
    bad = SHIPPED.replace(b",31/10/2023,actual,667,", ",31/10/2023,actual,sáu trăm,".encode(), 1)
    at.file_uploader(key="upload").upload("bad.csv", bad, "text/csv").run()
    assert not at.exception
    report = at.dataframe[0].value
    assert "bad_number" in set(report["Mã lỗi"])
    bad_cell = report[report["Mã lỗi"] == "bad_number"].iloc[0]
    assert (bad_cell["Dòng (Excel)"], bad_cell["Cột"], bad_cell["Giá trị"]) == (45, "value", "sáu trăm")
    assert not [b for b in at.button if b.label == "Ghi thành phiên bản mới"]


def test_good_file_preview_commit_and_rollback(store_url: str) -> None:
    at = sign_in(session("app_pages/upload.py"))
    newer = SHIPPED.replace(b",31/10/2023,actual,667,", b",31/10/2023,actual,712,", 1)
    at.file_uploader(key="upload").upload("nam_2023.csv", newer, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    counts = {m.label: m.value for m in at.metric}
    assert counts["Thay đổi"] == "1" and counts["Dòng mới"] == "0" and counts["Bị bỏ"] == "0"
    changes = at.dataframe[-1].value
    assert list(changes[["field", "old", "new"]].iloc[0]) == ["value", "667", "712"]
    at.text_input(key="comment").input("Số liệu đảng viên mới cập nhật")
    next(b for b in at.button if b.label == "Ghi thành phiên bản mới").click().run()
    assert any("Đã ghi phiên bản 2" in s.value for s in at.success)

    viewer = AppTest.from_file(APP, default_timeout=120).run()  # another session sees it at once
    assert "712 đảng viên" in overview_text(viewer)
    history = Store(store_url).history()
    assert [v.version for v in history][:2] == [2, 1]
    assert history[0].user == "lan" and history[0].changed == 1

    hist = sign_in(session("app_pages/history.py"))
    hist.selectbox(key="cmp_a").set_value(1)
    hist.selectbox(key="cmp_b").set_value(2).run()
    assert {m.label: m.value for m in hist.metric}["Thay đổi"] == "1"
    hist.text_input(key="rollback_comment").input("Quay lại số liệu bài viết")
    next(b for b in hist.button if b.label == "Khôi phục phiên bản").click().run()
    assert not hist.exception, [e.value for e in hist.exception]
    current = Store(store_url).current_version()
    assert current is not None and current.version == 3 and current.restored_from == 1
    assert "667 đảng viên" in overview_text(AppTest.from_file(APP, default_timeout=120).run())
    assert len(Store(store_url).history()) == 3  # nothing deleted


def test_history_page_is_readable_without_login(store_url: str) -> None:
    at = session("app_pages/history.py")
    assert len(at.dataframe[0].value) == 1
    assert len(at.get("download_button")) == 2
    assert not [b for b in at.button if b.label == "Khôi phục phiên bản"]


def test_excel_workbook_with_a_chosen_sheet(store_url: str) -> None:
    import csv
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Hướng dẫn"
    book.active["A1"] = "Sheet 2 holds the figures"
    sheet = book.create_sheet("Số liệu")
    for i, row in enumerate(csv.reader(io.StringIO(SHIPPED.decode("utf-8")))):
        if i == 0 or row[0] == "dang_vien_moi":
            sheet.append([float(c) if c.isdigit() and i and j == 8 else c for j, c in enumerate(row)])
    buffer = io.BytesIO()
    book.save(buffer)

    at = sign_in(session("app_pages/upload.py"))
    at.file_uploader(key="upload").upload("bao_cao.xlsx", buffer.getvalue()).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="sheet").options == ["Hướng dẫn", "Số liệu"]
    assert at.error, "the first sheet is not a contract table"
    at.selectbox(key="sheet").set_value("Số liệu").run()
    assert any("Tệp hợp lệ: 3 dòng" in s.value for s in at.success)
    at.radio(key="mode").set_value("update").run()
    counts = {m.label: m.value for m in at.metric}
    assert counts["Không đổi"] == "3" and counts["Bị bỏ"] == "0"  # update mode never removes rows


def _commit_button(at: AppTest):
    return next(b for b in at.button if b.label == "Ghi thành phiên bản mới")


def test_a_colleague_commit_between_preview_and_button_is_not_overwritten(store_url: str) -> None:
    """Lost update: the page previewed against version 1; a colleague commits version 2; the button must
    not write version 3 on top of version 2 with other counts than the ones shown."""
    from indicators.ingest.validate import validate_bytes

    at = sign_in(session("app_pages/upload.py"))
    mine = SHIPPED.replace(b",31/10/2023,actual,667,", b",31/10/2023,actual,712,", 1)
    at.file_uploader(key="upload").upload("nam_2023.csv", mine, "text/csv").run()
    assert {m.label: m.value for m in at.metric}["Thay đổi"] == "1"
    assert any("phiên bản 1" in c.value for c in at.caption)

    theirs = SHIPPED.replace(b",2022,actual,23,23,", b",2022,actual,22,23,", 1)
    with Store(store_url) as store:  # the colleague, through the library, between preview and button
        checked = validate_bytes(theirs, "minh.csv")
        assert checked.report.valid
        store.commit(checked.frame, user="minh", comment="sửa số xã", filename="minh.csv",
                     sha256=checked.sha256, expected_current=1)

    at.text_input(key="comment").input("Số liệu đảng viên mới cập nhật")
    _commit_button(at).click().run()
    assert not at.exception, [e.value for e in at.exception]
    with Store(store_url) as store:
        assert store.current_version().version == 2, "the colleague's version 2 was overwritten"
    assert any("phiên bản 2" in e.value and "chưa ghi gì" in e.value for e in at.error)
    counts = {m.label: m.value for m in at.metric}  # the new preview, against version 2
    assert counts["Thay đổi"] == "2"
    assert any("phiên bản 2" in c.value for c in at.caption)

    _commit_button(at).click().run()  # what is shown now is what gets written
    assert any("Đã ghi phiên bản 3" in s.value for s in at.success)
    with Store(store_url) as store:
        info = store.current_version()
        assert (info.version, info.parent, info.changed, info.user) == (3, 2, 2, "lan")


def test_removals_are_shown_and_confirmed_before_the_commit(store_url: str) -> None:
    at = sign_in(session("app_pages/upload.py"))
    lines = SHIPPED.splitlines(keepends=True)
    fewer = b"".join(line for line in lines if not line.startswith(b"dang_vien_moi,"))
    removed = sum(line.startswith(b"dang_vien_moi,") for line in lines)
    at.file_uploader(key="upload").upload("thieu.csv", fewer, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Bị bỏ"] == str(removed)
    warning = next(w.value for w in at.warning if "BỎ" in w.value)
    assert f"BỎ {removed} dòng" in warning and "phiên bản 1" in warning
    table = at.dataframe[-1].value  # the last table, right above the commit button
    assert len(table) == removed and set(table["indicator_id"]) == {"dang_vien_moi"}

    at.text_input(key="comment").input("Bỏ chỉ tiêu đảng viên mới")
    _commit_button(at).click().run()
    assert any("đánh dấu ô đồng ý" in e.value for e in at.error)
    assert Store(store_url).current_version().version == 1  # not confirmed: nothing written

    next(c for c in at.checkbox if c.label.startswith("Tôi đồng ý bỏ")).check()
    _commit_button(at).click().run()
    assert any("Đã ghi phiên bản 2" in s.value for s in at.success)
    assert Store(store_url).current_version().removed == removed


def test_rollback_refuses_when_a_colleague_committed_since_the_page_was_shown(store_url: str) -> None:
    from indicators.ingest.validate import validate_bytes

    with Store(store_url) as store:  # version 1 (the store was empty), then the page draws it
        checked = validate_bytes(SHIPPED.replace(b",2022,actual,23,23,", b",2022,actual,22,23,", 1), "b.csv")
        store.commit(checked.frame, user="minh", comment="v2", filename="b.csv", sha256=checked.sha256)
    hist = sign_in(session("app_pages/history.py"))
    with Store(store_url) as store:  # a colleague, after the page was drawn
        store.commit(checked.frame.assign(note="khác"), user="minh", comment="v3", filename="c.csv",
                     sha256="c" * 64)
    hist.text_input(key="rollback_comment").input("Quay lại")
    next(b for b in hist.button if b.label == "Khôi phục phiên bản").click().run()
    assert not hist.exception, [e.value for e in hist.exception]
    assert any("Đã có người ghi phiên bản khác" in e.value for e in hist.error)
    with Store(store_url) as store:
        assert [v.version for v in store.history()] == [2, 1]  # the rollback wrote nothing


def test_reruns_reuse_the_staged_file_instead_of_reading_it_again(store_url: str, monkeypatch) -> None:
    from indicators.store import staging

    reads: list[str] = []
    real = staging.validate_bytes

    def counting(data: bytes, filename: str, **kwargs):
        reads.append(filename)
        return real(data, filename, **kwargs)

    monkeypatch.setattr(staging, "validate_bytes", counting)
    at = sign_in(session("app_pages/upload.py"))
    newer = SHIPPED.replace(b",31/10/2023,actual,667,", b",31/10/2023,actual,712,", 1)
    at.file_uploader(key="upload").upload("nam_2023.csv", newer, "text/csv").run()
    assert reads == ["nam_2023.csv"]
    at.run()
    at.text_input(key="comment").input("đang gõ").run()
    at.radio(key="mode").set_value("update").run()  # another mode: a new preview, the same checked file
    assert {m.label: m.value for m in at.metric}["Thay đổi"] == "1"
    assert reads == ["nam_2023.csv"]
    at.radio(key="decimal").set_value(",").run()  # another reading of the file: read again
    assert len(reads) == 2


HOSTILE_FILES = sorted(p for p in (ROOT / "tests" / "fixtures" / "hostile" / "files").iterdir()
                       if p.suffix in (".csv", ".xlsx", ".xml", ".json") and "hidden" not in p.name
                       and "sep_line" not in p.name)


@pytest.mark.parametrize("path", HOSTILE_FILES, ids=lambda p: p.name)
def test_a_hostile_file_on_the_upload_page_gets_a_report_and_writes_nothing(store_url: str, path: Path) -> None:
    """Bombs, damaged workbooks, 400-digit numbers, mixed encodings, XML/JSON: the page names the problem,
    offers no commit button, and the store keeps only the shipped version."""
    at = sign_in(session("app_pages/upload.py"))
    name = path.name if path.suffix in (".csv", ".xlsx") else f"{path.stem}.csv"  # the uploader takes csv/xlsx
    at.file_uploader(key="upload").upload(name, path.read_bytes()).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value for e in at.error] + [str(d.value) for d in at.dataframe]
    assert shown, f"{path.name}: no report on the page"
    assert not [b for b in at.button if b.label == "Ghi thành phiên bản mới"]
    assert [v.version for v in Store(store_url).history()] == [1]


@pytest.mark.parametrize(("fixture", "words"), [
    ("number_400_digits.csv", ("dòng 3, cột value — '10000", "000…' không phải số hữu hạn (quá lớn")),
    ("dimension_bomb.xlsx", ("tệp — Trang tính 'Số liệu' có ô XFD1048576", "vượt giới hạn 256 cột (INDICATORS_MAX_")),
    ("cp1258_last_row_utf8.csv", ("tệp — Dòng văn bản 4 viết bằng UTF-8", "lưu lại toàn bộ tệp dạng CSV UTF-8.")),
])
def test_the_report_box_says_each_problem_in_words_not_only_in_the_cut_table(store_url: str, fixture: str,
                                                                           words: tuple[str, str]) -> None:
    """The table cuts a long message (and a 400-digit value pushes it out of sight, worse on a phone): the
    page writes out the first problems under the red box, where and why, with a long value shortened."""
    at = sign_in(session("app_pages/upload.py"))
    at.file_uploader(key="upload").upload(fixture, (ROOT / "tests/fixtures/hostile/files" / fixture).read_bytes()).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, "no report box"
    lines = [m.value.replace("\\", "") for m in at.markdown]  # without the Markdown escapes of ui.plain
    assert any(all(w in line for w in words) for line in lines), lines
    assert all(len(line) < 400 for line in lines), lines  # the 400 digits are cut


def test_a_locked_sign_in_says_how_long_to_wait_not_only_a_utc_time(store_url: str) -> None:
    """"try again after 22:05:12 UTC" is 05:05 on an official's clock in Vietnam: the page says the wait too."""
    at = session("app_pages/upload.py")
    for _ in range(7):
        sign_in(at, password="sai mat khau roi")
    locked = [e.value for e in at.sidebar.error if "UTC" in e.value]
    assert locked, [e.value for e in at.sidebar.error]
    assert "khoảng 1 phút nữa" in locked[-1] or "giây nữa" in locked[-1], locked
