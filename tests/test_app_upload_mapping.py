"""The mapping step of a report table ("biểu") on the upload page (AppTest): the proposal shown in two
editable tables, one cell corrected, applied, previewed, committed; the mapping saved as a profile (and the
changed indicator as an alias) applies by itself to the next file of the same layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from indicators.contract import fold
from indicators.store.versions import Store
from tests.apptest import PASSWORD, ROOT, analyst_store, open_page
from tests.test_app_analyst import sign_in

BIEU = ROOT / "tests" / "fixtures" / "bieu"


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return analyst_store(tmp_path, monkeypatch)


def upload(at: AppTest, name: str) -> AppTest:
    at.file_uploader(key="upload").upload(name, (BIEU / name).read_bytes(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def edit(at: AppTest, table: int, edits: dict[int, dict[str, Any]]) -> AppTest:
    """Cell edits in the mapping's editor `table` (0: columns, 1: rows), as the browser sends them."""
    at.session_state[at.data_editor[table].key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def row_index(at: AppTest, label: str) -> int:
    rows = at.data_editor[1].value
    return int(rows.index[rows["label"] == label][0])


def test_correct_the_mapping_apply_preview_commit_then_the_profile_applies_by_itself(store_url: str) -> None:
    at = upload(sign_in(open_page("app_pages/upload.py")), "simple.csv")
    assert any(i.value.startswith("Đã nhận dạng: Biểu dạng bảng rộng") for i in at.info)
    assert len(at.data_editor) == 2  # the columns and the rows, editable
    columns, rows = at.data_editor[0].value, at.data_editor[1].value
    assert list(columns["column"]) == ["A", "B", "C", "D", "E", "F", "G"]
    assert list(columns["role"]) == ["stt", "label", "unit", "value", "value", "value", "derived"]
    assert set(rows.columns) >= {"row", "stt", "label", "role", "indicator_id", "direction"}
    assert at.radio(key="mode").value == "update"  # a report table adds to the data by default
    # the new indicators with a target and no direction: refused until the analyst says which way is better
    codes = set(at.dataframe[2].value["Mã lỗi"])
    assert "target_without_direction" in codes and not any("Tệp hợp lệ" in s.value for s in at.success)

    poor, food = row_index(at, "Tỷ lệ hộ nghèo"), row_index(at, "Tổng sản lượng lương thực")
    assert rows.at[poor, "match"] == "new"
    edit(at, 1, {poor: {"indicator_id": "ty_le_ho_ngheo"}, food: {"direction": "increase"}})
    edit(at, 0, {5: {"kind": "actual"}})  # column F "Ước TH năm 2023": the analyst knows it is final
    click(at, "mapping_apply")
    assert any("Tệp hợp lệ: 11 dòng" in s.value for s in at.success), [e.value for e in at.error]
    assert at.data_editor[0].value.at[5, "kind"] == "actual"  # the applied mapping is shown
    applied = at.data_editor[1].value.iloc[poor]
    assert (applied["indicator_id"], applied["match"], applied["direction"]) == ("ty_le_ho_ngheo", "id", "decrease")
    assert applied["indicator"].startswith("Tỷ lệ hộ nghèo (chuẩn nghèo đa chiều")  # the stored series' name
    changes = at.dataframe[-1].value
    mine = changes[(changes["indicator_id"] == "ty_le_ho_ngheo") & (changes["period"] == "2023")]
    assert set(mine["kind"]) == {"actual", "target"} and set(mine["area"]) == {"Xã Kim Chính"}
    assert {m.label: m.value for m in at.metric}["Dòng mới"] == "11"

    at.text_input(key="comment").input("Biểu 01 xã Kim Chính")
    next(b for b in at.button if b.label == "Ghi thành phiên bản mới").click().run()
    assert any("Đã ghi phiên bản 2" in s.value for s in at.success), [e.value for e in at.error]
    with Store(store_url) as store:
        stored = store.load()
        row = stored[(stored["indicator_id"] == "ty_le_ho_ngheo") & (stored["area"] == "Xã Kim Chính")
                     & (stored["period"] == "2023") & (stored["kind"] == "actual")]
        assert list(row["value"]) == [1.4] and len(stored) == 91 + 11

    at.text_input(key="profile_name").input("Biểu 01 cấp xã")
    click(at, "profile_save")
    assert any("Đã lưu mẫu ánh xạ" in s.value for s in at.success), [e.value for e in at.error]
    with Store(store_url) as store:
        [profile] = store.profiles()
        assert profile["name"] == "Biểu 01 cấp xã" and profile["user"] == "lan"
        assert store.aliases() == {fold("Tỷ lệ hộ nghèo"): "ty_le_ho_ngheo"}

    upload(at, "simple_kim_dong.csv")  # the same form from another commune
    assert any("Đã áp dụng mẫu ánh xạ 'Biểu 01 cấp xã'" in i.value for i in at.info), [i.value for i in at.info]
    assert at.data_editor[0].value.at[5, "kind"] == "actual"
    rows = at.data_editor[1].value
    poor_row = rows.iloc[row_index(at, "Tỷ lệ hộ nghèo")]
    assert (poor_row["indicator_id"], poor_row["match"]) == ("ty_le_ho_ngheo", "alias")
    assert any("Tệp hợp lệ: 11 dòng" in s.value for s in at.success), [e.value for e in at.error]
    changes = at.dataframe[-1].value
    assert set(changes.loc[changes["indicator_id"] == "ty_le_ho_ngheo", "area"]) == {"Xã Kim Đông"}


def test_saving_a_profile_needs_a_name_and_a_signed_in_writer(store_url: str) -> None:
    at = upload(sign_in(open_page("app_pages/upload.py")), "simple.csv")
    click(at, "profile_save")
    assert any("Hãy đặt tên" in e.value for e in at.error)
    at.text_input(key="profile_name").input("x" * 120)
    with Store(store_url) as store:  # the account is disabled meanwhile: nothing is written
        from indicators.store import accounts

        accounts.disable_user(store, "lan")
    click(at, "profile_save")
    assert not any("Đã lưu" in s.value for s in at.success)
    with Store(store_url) as store:
        assert store.profiles() == []


def test_the_report_names_the_cell_of_the_original_file(store_url: str) -> None:
    at = upload(sign_in(open_page("app_pages/upload.py")), "simple.csv")
    report = at.dataframe[2].value
    assert {"Ô", "Dòng (Excel)", "Cột"} <= set(report.columns)
    missing = report[report["Mã lỗi"] == "target_without_direction"]
    assert set(missing["Ô"]) == {"B7", "B9"}
    assert any("ô B7" in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_the_mapping_step_in_english(store_url: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("app_pages/upload.py").run()
    at.text_input(key="login_name").input("lan")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    upload(at, "simple.csv")
    assert any(i.value.startswith("Detected: A wide report table") for i in at.info), [i.value for i in at.info]
    assert any("Mapping: what each column" in h.value for h in at.subheader)
    for kind in ("way", "entry", "template"):
        at.segmented_control(key="upload_way").set_value("files" if kind == "way" else kind).run()
        assert not at.exception, (kind, [e.value for e in at.exception])
