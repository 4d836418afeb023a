"""Scoped analysts and approval through the real pages (AppTest): a commune analyst who needs approval submits
on the upload page ("Gửi duyệt"), nothing changes; rows of another area are refused, named; a province
analyst approves on the review page; the history says who submitted and who approved; a return's comment
shows on the submitter's upload page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.store import accounts
from indicators.store import submissions as subs
from indicators.store.versions import Store
from tests.apptest import PASSWORD, SHIPPED, analyst_store, open_page

COMMUNE = "Xã Kim Hải"
HEADER = SHIPPED.splitlines(keepends=True)[0]
KIM_HAI = [line for line in SHIPPED.splitlines(keepends=True) if f",{COMMUNE},".encode() in line]
# a new period for the commune: the 2021 row again, as 2023 (a new row of its own area only)
MINE = HEADER + KIM_HAI[0].replace(b",2021,actual,", b",2023,actual,", 1)


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's store with the province analyst "lan" (every area) and "hai" (Kim Hải, needs approval)."""
    url = analyst_store(tmp_path, monkeypatch)
    with Store(url) as store:
        accounts.add_user(store, "hai", PASSWORD, "analyst", scope=[COMMUNE], needs_approval=True)
    return url


def sign_in(at: AppTest, name: str) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def submit(at: AppTest, data: bytes = MINE, comment: str = "Số liệu xã Kim Hải năm 2023") -> AppTest:
    at.file_uploader(key="upload").upload("kim_hai.csv", data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="mode").value == "update"  # a scoped account's file updates by default
    at.text_input(key="comment").input(comment)
    button(at, "Gửi duyệt").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_commune_analyst_submits_and_a_province_analyst_approves(store_url: str) -> None:
    at = sign_in(open_page("app_pages/upload.py"), "hai")
    assert any(COMMUNE in c.value and "chỉ ghi số liệu" in c.value for c in at.caption)
    submit(at)
    assert any("Đã gửi duyệt (lần gửi số 1, 1 dòng)" in s.value for s in at.success)
    assert not [b for b in at.button if b.label == "Ghi thành phiên bản mới"]
    with Store(store_url) as store:
        assert [v.version for v in store.history()] == [1]  # nothing changed yet
        assert [s.status for s in subs.submissions_list(store)] == ["pending"]

    review = sign_in(open_page("app_pages/review.py"), "lan")
    assert review.selectbox(key="review_id").value == 1
    assert {m.label: m.value for m in review.metric}["Dòng mới"] == "1"
    review.text_input(key="review_comment_1").input("Đã kiểm tra")
    button(review, "Duyệt").click().run()
    assert not review.exception, [e.value for e in review.exception]
    assert any("Đã duyệt lần gửi số 1: phiên bản 2" in s.value for s in review.success)
    assert any("Không có lần gửi nào chờ bạn duyệt" in i.value for i in review.info)
    with Store(store_url) as store:
        info = store.current_version()
        assert (info.version, info.user, info.new) == (2, "lan", 1)
        rows = store.load()
        assert ((rows["area"] == COMMUNE) & (rows["period"] == "2023")).sum() == 1

    history = open_page("app_pages/history.py")
    listing = history.dataframe[0].value
    approval = listing.loc[listing["Phiên bản"] == 2, "Gửi duyệt"].iat[0]
    assert approval.startswith("Gửi bởi hai lúc ") and " · Duyệt bởi lan lúc " in approval
    assert listing.loc[listing["Phiên bản"] == 1, "Gửi duyệt"].iat[0] == ""


def test_rows_of_another_area_are_refused_and_named(store_url: str) -> None:
    at = sign_in(open_page("app_pages/upload.py"), "hai")
    at.file_uploader(key="upload").upload("ca_huyen.csv", SHIPPED, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("nằm ngoài phạm vi của tài khoản hai" in e.value for e in at.error)
    named = at.dataframe[-1].value
    assert len(named) == 20 and COMMUNE not in set(named["area"]) and "Huyện Kim Sơn" in set(named["area"])
    assert any("dòng nữa" in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "Gửi duyệt"]  # no way to write it
    at.radio(key="mode").set_value("replace").run()
    assert any("không được thay thế toàn bộ" in e.value for e in at.error)
    with Store(store_url) as store:
        assert [v.version for v in store.history()] == [1] and subs.submissions_list(store) == []


def test_a_returned_submission_shows_its_comment_to_the_submitter(store_url: str) -> None:
    submit(sign_in(open_page("app_pages/upload.py"), "hai"))
    review = sign_in(open_page("app_pages/review.py"), "lan")
    button(review, "Trả lại").click().run()
    assert any("Hãy ghi nhận xét" in e.value for e in review.error)  # a return needs a comment
    review.text_input(key="review_comment_1").input("Thiếu nguồn số liệu")
    button(review, "Trả lại").click().run()
    assert any("Đã trả lại lần gửi số 1 cho hai" in s.value for s in review.success)
    assert review.dataframe[-1].value["Trạng thái"].tolist() == ["Bị trả lại"]

    again = sign_in(open_page("app_pages/upload.py"), "hai")
    assert any("bị lan trả lại" in w.value and "Thiếu nguồn số liệu" in w.value for w in again.warning)
    with Store(store_url) as store:
        assert [v.version for v in store.history()] == [1]


def test_the_review_page_needs_a_reviewer(store_url: str) -> None:
    at = open_page("app_pages/review.py")
    assert any("Cần đăng nhập" in i.value for i in at.info) and not at.selectbox
    submit(sign_in(open_page("app_pages/upload.py"), "hai"))
    mine = sign_in(open_page("app_pages/review.py"), "hai")  # the submitter needs approval: reviews nothing
    assert any("cần được duyệt nên không duyệt được" in i.value for i in mine.info)
    assert not [b for b in mine.button if b.label == "Duyệt"]


def test_a_scoped_analyst_without_approval_commits_its_own_rows(store_url: str) -> None:
    with Store(store_url) as store:
        accounts.set_approval(store, "hai", False)
    at = sign_in(open_page("app_pages/upload.py"), "hai")
    at.file_uploader(key="upload").upload("kim_hai.csv", MINE, "text/csv").run()
    assert at.radio(key="mode").value == "update"
    at.text_input(key="comment").input("Kim Hải 2023")
    button(at, "Ghi thành phiên bản mới").click().run()
    assert any("Đã ghi phiên bản 2" in s.value for s in at.success)
    with Store(store_url) as store:
        assert store.current_version().user == "hai" and subs.submissions_list(store) == []
