"""AppTest over every page for a province and its communes, in a closed and an open term (?area=, ?term=).

The store holds tests/fixtures/terms/province.csv: a province, two communes, the terms 2020-2025 (closed:
today is after 2025, and 2025-2030 has begun) and 2025-2030 (open).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.store.current import load_csv
from indicators.store.versions import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FIXTURE = ROOT / "tests" / "fixtures" / "terms" / "province.csv"
PROVINCE, ONE, TWO = "Tỉnh Thử Nghiệm", "Xã Một", "Xã Hai"
PAGES = ["app_pages/overview.py", "app_pages/indicator.py", "app_pages/communes.py", "app_pages/data.py",
         "app_pages/present.py"]
SCOPES = [(PROVINCE, "2020-2025"), (PROVINCE, "2025-2030"), (ONE, "2020-2025"), (TWO, "2025-2030")]


@pytest.fixture(scope="module")
def province_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One store for the module (the pages' caches are shared across its tests), holding the fixture."""
    folder = tmp_path_factory.mktemp("terms")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    with Store(url) as store:
        store.ensure_schema()
        store.seed_if_empty(load_csv(FIXTURE), source_name=FIXTURE.name,
                            sha256=hashlib.sha256(FIXTURE.read_bytes()).hexdigest())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INDICATORS_DATABASE_URL", url)
        patch.setenv("INDICATORS_VAR_DIR", str(folder))
        yield url


def open_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.title] + [m.value for m in at.subheader]
    parts += [m.value for m in at.header] + [f"{m.label} {m.value}" for m in at.metric]
    parts += [c.value for c in at.caption] + [w.value for w in at.warning] + [i.value for i in at.info]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


@pytest.mark.parametrize(("area", "term"), SCOPES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_chosen_area_and_term(province_store: str, page: str, area: str, term: str) -> None:
    at = open_page(page, area=area, term=term)
    assert at.title
    assert at.selectbox(key="area").value == area and at.selectbox(key="term").value == term
    assert at.query_params["area"] == [area] or at.query_params["area"] == area
    if page != "app_pages/present.py":  # the slides carry the area in their subtitle instead
        closed = "(đã kết thúc)" if term == "2020-2025" else "(đang thực hiện)"
        assert any(area in c.value and closed in c.value for c in at.caption), [c.value for c in at.caption]
    else:
        assert area in texts(at)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_closed_term_counts_verdicts_and_gives_final_figures(province_store: str) -> None:
    at = open_page("app_pages/overview.py", area=PROVINCE, term="2020-2025")
    shown = metrics(at)
    assert (shown["✔ Đạt mục tiêu"], shown["✘ Không đạt mục tiêu"], shown["… Chưa công bố số liệu cuối kỳ"]) == (
        "1", "1", "1")
    body = texts(at)
    assert "Số liệu cuối kỳ: 950 tỷ đồng (2025)" in body
    assert "Số liệu cuối kỳ: Chưa công bố số liệu cuối kỳ" in body  # the schools: only a 2023 figure
    assert "✔ Đã đạt" not in shown  # no pace counts for a term that is over


def test_the_open_term_shows_pace(province_store: str) -> None:
    at = open_page("app_pages/overview.py", area=PROVINCE, term="2025-2030")
    shown = metrics(at)
    assert "◆ Cần đẩy nhanh" in shown and "✔ Đạt mục tiêu" not in shown
    assert int(shown["◆ Cần đẩy nhanh"]) >= 1  # the poverty rate: a sixth of the way in a fifth of the time


def test_without_a_link_the_page_opens_on_the_open_term_and_the_province(province_store: str) -> None:
    at = open_page("app_pages/overview.py")
    assert at.selectbox(key="term").value == "2025-2030"
    assert at.selectbox(key="area").value == PROVINCE
    assert PROVINCE in at.title[0].value


def test_an_unknown_area_or_term_in_the_link_warns_and_falls_back(province_store: str) -> None:
    at = open_page("app_pages/overview.py", area="Xã Không Có", term="1990-1995")
    warnings = re.sub(r"\\(.)", r"\1", " ".join(w.value for w in at.warning))
    assert "Xã Không Có" in warnings and "1990-1995" in warnings
    assert at.selectbox(key="area").value == PROVINCE and at.selectbox(key="term").value == "2025-2030"


def test_choosing_an_area_writes_it_to_the_link_and_each_commune_has_its_overview(province_store: str) -> None:
    at = open_page("app_pages/overview.py", area=PROVINCE, term="2020-2025")
    at.selectbox(key="area").set_value(ONE).run()
    assert not at.exception
    assert at.query_params["area"] in ([ONE], ONE)
    assert ONE in at.title[0].value
    assert metrics(at)["✔ Đạt mục tiêu"] == "1"  # Xã Một's poverty target of 2020-2025


def test_a_break_is_a_caption_and_a_dashed_line(province_store: str) -> None:
    at = open_page("app_pages/indicator.py", area=TWO, term="2025-2030", indicator="xa_hop_nhat")
    assert "Chuỗi số liệu gãy từ 01/10/2025 (sáp nhập đơn vị hành chính)" in texts(at)
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = [s for s in figure["layout"]["shapes"] if str(s.get("x0")).startswith("2025-10-01")]
    assert len(lines) == 1 and lines[0]["line"]["dash"] == "dash"
    assert "Gãy chuỗi" in [a["text"] for a in figure["layout"]["annotations"]]


def test_the_sub_areas_of_the_province(province_store: str) -> None:
    at = open_page("app_pages/communes.py", area=PROVINCE, term="2025-2030")
    table = at.dataframe[0].value
    assert sorted(table.iloc[:, 0]) == sorted([ONE, TWO])
    lonely = open_page("app_pages/communes.py", area=ONE, term="2025-2030")
    assert "Xã Một không có địa bàn cấp dưới trong số liệu." in texts(lonely)


def test_the_data_page_holds_the_areas_rows(province_store: str) -> None:
    at = open_page("app_pages/data.py", area=TWO, term="2025-2030")
    table = at.dataframe[0].value
    expected = sum(line.split(",")[5] == TWO for line in FIXTURE.read_text(encoding="utf-8").splitlines()[1:])
    assert len(table) == expected and set(table.iloc[:, 1]) == {TWO}


def test_the_slides_of_a_closed_term_state_its_verdicts(province_store: str) -> None:
    at = open_page("app_pages/present.py", area=PROVINCE, term="2020-2025")
    assert ("Nhiệm kỳ 2020–2025 đã kết thúc: 1/3 mục tiêu đạt, 1 không đạt, 1 chưa công bố số liệu cuối kỳ."
            in texts(at))


def test_a_province_with_many_targets_gets_twelve_cards_and_a_table(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    head = "indicator_id,indicator,group,unit,area,term,period,kind,value,direction,source\n"
    rows = "".join(f"c{i:02d},Chỉ tiêu {i:02d},G,%,Tỉnh Nhiều,2025-2030,2030,target,{50 + i},increase,s\n"
                   f"c{i:02d},Chỉ tiêu {i:02d},G,%,Tỉnh Nhiều,,2026,actual,{40 + i},increase,s\n" for i in range(15))
    data = tmp_path / "many.csv"
    data.write_text(head + rows, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'many.sqlite'}"
    with Store(url) as store:
        store.ensure_schema()
        store.seed_if_empty(load_csv(data), source_name="many.csv", sha256="0" * 64)
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path))
    at = open_page("app_pages/overview.py")
    cards = [m for m in at.markdown if re.fullmatch(r"\*\*Chỉ tiêu \d\d\*\*", m.value)]
    assert len(cards) == 12
    more = at.dataframe[0].value
    assert list(more.iloc[:, 0]) == ["Chỉ tiêu 12", "Chỉ tiêu 13", "Chỉ tiêu 14"]
    assert "Và 3 mục tiêu khác:" in texts(at)
