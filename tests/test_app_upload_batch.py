"""Batches and grid entry on the upload page (AppTest): three communes' forms at once — one combined report
naming the files, one preview, one version or one version per file —, the figures of one commune typed
into the grid, and the form to send out."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.store.versions import Store
from tests.apptest import ROOT, analyst_store, open_page
from tests.test_app_analyst import sign_in

FORMS = ROOT / "tests" / "fixtures" / "bieu_browser"
ROUND = ["xa_kim_hai.csv", "xa_kim_tan.csv", "xa_an_hoa.csv"]


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return analyst_store(tmp_path, monkeypatch)


def upload_many(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    if not at.toggle(key="upload_many").value:
        at.toggle(key="upload_many").set_value(True).run()
    at.file_uploader(key="upload_files").set_value([(name, data, "text/csv") for name, data in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def the_round() -> list[tuple[str, bytes]]:
    return [(name, (FORMS / name).read_bytes()) for name in ROUND]


def commit(at: AppTest, comment: str, key: str) -> AppTest:
    at.text_input(key=key).input(comment)
    next(b for b in at.button if b.label == "Ghi thành phiên bản mới").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_three_communes_as_one_version(store_url: str) -> None:
    at = upload_many(sign_in(open_page("app_pages/upload.py")), the_round())
    files = at.dataframe[0].value  # one line per file: what was detected, rows, errors, warnings
    assert list(files["Tệp"]) == ROUND and list(files["Số dòng"]) == [8, 8, 8]
    assert all(d.startswith("Biểu dạng bảng rộng") for d in files["Nhận dạng"])
    assert any("Cả 3 tệp hợp lệ: 24 dòng" in s.value for s in at.success), [e.value for e in at.error]
    assert at.radio(key="batch_mode").value == "update"  # a round of forms adds to the data by default
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Dòng mới"], counts["Bị bỏ"]) == ("24", "0")
    at.radio(key="batch_mode").set_value("replace").run()  # the whole dataset: the rest would go
    assert {m.label: m.value for m in at.metric}["Bị bỏ"] == "91" and any("BỎ 91 dòng" in w.value for w in at.warning)
    at.radio(key="batch_mode").set_value("update").run()
    commit(at, "Đợt báo cáo năm 2025", "batch_comment")
    assert any("Đã ghi 1 phiên bản: 2" in s.value for s in at.success), [s.value for s in at.success]
    with Store(store_url) as store:
        info = store.current_version()
        assert (info.version, info.new, info.filename) == (2, 24, ", ".join(ROUND))
        stored = store.load()
        assert {"Xã Kim Hải", "Xã Kim Tân", "Xã Ân Hòa"} <= set(stored["area"]) and len(stored) == 91 + 24


def test_one_version_per_file(store_url: str) -> None:
    at = upload_many(sign_in(open_page("app_pages/upload.py")), the_round())
    at.radio(key="batch_as").set_value("per_file").run()
    assert at.radio(key="batch_mode").disabled and any("lần lượt" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Bị bỏ"] == "0"
    commit(at, "Đợt báo cáo năm 2025", "batch_comment")
    assert any("Đã ghi 3 phiên bản: 2, 3, 4" in s.value.replace("\\", "") for s in at.success), [s.value for s in at.success]
    with Store(store_url) as store:
        history = store.history()
        assert [(v.version, v.filename, v.mode, v.new) for v in history[:3]] == [
            (4, "xa_an_hoa.csv", "update", 8), (3, "xa_kim_tan.csv", "update", 8), (2, "xa_kim_hai.csv", "update", 8)]


def test_one_combined_report_names_the_files(store_url: str) -> None:
    round_ = the_round()
    broken = ("xa_kim_tan.csv", round_[1][1].replace(b'"60,4"', "sáu mươi".encode()))
    at = upload_many(sign_in(open_page("app_pages/upload.py")), [round_[0], broken, round_[2]])
    report = at.dataframe[1].value  # after the table of files
    assert {"Tệp", "Ô"} <= set(report.columns)
    [cell] = report.loc[report["Mã lỗi"] == "unconverted_cell", ["Tệp", "Ô"]].to_numpy().tolist()
    assert cell == ["xa_kim_tan.csv", "E6"]  # a warning, named where the analyst sees it

    again = ("xa_kim_hai_ban_sua.csv", round_[0][1].replace(b"64,5", b"65,0"))  # a commune's form sent twice
    upload_many(at, [*round_, again])
    report = at.dataframe[1].value
    dups = report[report["Mã lỗi"] == "batch_duplicate_key"]
    assert len(dups) == 8 and set(dups["Tệp"]) == {"xa_kim_hai_ban_sua.csv"}
    assert all("xa_kim_hai.csv" in m for m in dups["Thông báo"])
    with Store(store_url) as store:
        assert store.current_version().version == 1  # nothing written


def test_type_two_figures_into_the_grid_and_commit(store_url: str) -> None:
    at = sign_in(open_page("app_pages/upload.py"))
    at.segmented_control(key="upload_way").set_value("entry").run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="entry_area").set_value("Xã Kim Hải").run()
    assert at.text_input(key="entry_period").value == "2026"  # the year after the latest figure
    grid = at.data_editor[0].value
    first, second = (int(grid.index.get_loc(grid.index[grid["indicator_id"] == i][0]))
                     for i in ("nuoc_hop_ve_sinh", "dan_so"))
    at.session_state[at.data_editor[0].key] = {
        "edited_rows": {first: {"value": 98.5, "source": "Báo cáo UBND xã Kim Hải"},
                        second: {"value": 9901, "kind": "estimate", "source": "Báo cáo UBND xã Kim Hải"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("2 chỉ tiêu của Xã Kim Hải, kỳ 2026" in i.value.replace("\\", "") for i in at.info), [i.value for i in at.info]
    assert {m.label: m.value for m in at.metric}["Dòng mới"] == "2"
    commit(at, "Nhập số liệu xã Kim Hải", "entry_comment")
    assert any("Đã ghi phiên bản 2" in s.value for s in at.success), [e.value for e in at.error]
    with Store(store_url) as store:
        stored = store.load()
        mine = stored[(stored["area"] == "Xã Kim Hải") & (stored["period"] == "2026")].set_index("indicator_id")
        assert mine.loc["nuoc_hop_ve_sinh", "value"] == 98.5 and mine.loc["dan_so", "kind"] == "estimate"
        assert mine.loc["dan_so", "unit"] == "người" and len(stored) == 93


def test_a_figure_without_source_is_reported_at_its_grid_row(store_url: str) -> None:
    at = sign_in(open_page("app_pages/upload.py"))
    at.segmented_control(key="upload_way").set_value("entry").run()
    at.session_state[at.data_editor[0].key] = {"edited_rows": {2: {"value": 5}}, "added_rows": [],
                                               "deleted_rows": []}
    at.run()
    report = at.dataframe[1].value
    assert list(report.loc[report["Mã lỗi"] == "missing_value", "Dòng (Excel)"]) == [3]
    assert not [b for b in at.button if b.label == "Ghi thành phiên bản mới"]


def test_the_form_to_send_out(store_url: str) -> None:
    at = sign_in(open_page("app_pages/upload.py"))
    at.segmented_control(key="upload_way").set_value("template").run()
    assert not at.exception, [e.value for e in at.exception]
    areas = at.multiselect(key="template_areas")
    assert "Xã Kim Hải" in areas.options and areas.value == areas.options  # every area by default
    assert at.text_input(key="template_period").value == "2026"
    assert len(at.get("download_button")) == 1


def test_the_form_for_a_period_that_is_not_one_is_refused(store_url: str) -> None:
    at = sign_in(open_page("app_pages/upload.py"))
    at.segmented_control(key="upload_way").set_value("template").run()
    at.multiselect(key="template_areas").set_value(["Xã Kim Hải"]).run()
    assert not at.error and len(at.get("download_button")) == 1
    at.text_input(key="template_period").input("năm sau").run()
    assert not at.exception and at.error and not at.get("download_button")


def test_one_file_at_a_time_unless_a_batch_is_asked_for(store_url: str) -> None:
    """A second file chosen in the one-file uploader replaces the first (a corrected file after a refused
    one is not a batch of both); the batch's uploader holds many, and one file there is a batch of one."""
    at = sign_in(open_page("app_pages/upload.py"))
    assert not at.toggle(key="upload_many").value and not at.file_uploader(key="upload").accept_multiple_files
    at.toggle(key="upload_many").set_value(True).run()
    assert at.file_uploader(key="upload_files").accept_multiple_files
    upload_many(at, the_round()[:1])
    assert list(at.dataframe[0].value["Tệp"]) == ["xa_kim_hai.csv"]
    assert any("Cả 1 tệp hợp lệ: 8 dòng" in s.value for s in at.success), [e.value for e in at.error]


def test_a_dhis2_file_with_its_id_to_name_mapping_beside_it(store_url: str) -> None:
    """A DHIS2 data value set names its data elements by id and carries no units: refused alone; with the
    mapping file uploaded beside it (the companion uploader appears for DHIS2 and Open SDG files), valid."""
    peers = ROOT / "tests" / "fixtures" / "peers"
    at = sign_in(open_page("app_pages/upload.py"))
    at.file_uploader(key="upload").set_value(
        [("dhis2_dataValueSetB.csv", (peers / "dhis2_dataValueSetB.csv").read_bytes(), "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Tệp hợp lệ" in s.value for s in at.success)
    assert [u for u in at.file_uploader if u.key == "upload_companion"], "the companion uploader is offered"
    at.file_uploader(key="upload_companion").set_value(
        [("dhis2_names.csv", (peers / "dhis2_names.csv").read_bytes(), "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Tệp hợp lệ: 12 dòng" in s.value for s in at.success), [e.value for e in at.error]
