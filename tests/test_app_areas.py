"""AppTest of the areas page: the ranking's order and links, a level switch, the tile grid without boundaries,
the choropleth with its attribution, a bad boundaries file, and a click on the map opening that area."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "app_pages/areas.py"
PROVINCE = ROOT / "tests" / "fixtures" / "areas" / "province.csv"
SQUARES = ROOT / "tests" / "fixtures" / "boundaries" / "squares.geojson"


@pytest.fixture(autouse=True)
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own SQLite store (seeded from the shipped data unless a test sets INDICATORS_DATA)."""
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("INDICATORS_BOUNDARIES", raising=False)
    monkeypatch.delenv("INDICATORS_BOUNDARIES_KEY", raising=False)


#: The shipped data hold the district's closed term and the merged province's open one: the tests of the
#: district's communes open on the district's term.
KIM_SON = {"area": "Huyện Kim Sơn", "term": "2020-2025"}


def open_areas(**query: str) -> AppTest:
    if not os.environ.get("INDICATORS_DATA"):
        query = {**KIM_SON, **query}
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.title] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def map_figure(at: AppTest) -> dict:
    """The map's figure as sent to the browser (the first chart of the page)."""
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def click(at: AppTest, area: str) -> AppTest:
    """As if the user clicked `area` on the map: the chart's selection state sent with the other widgets."""
    chart = at.get("plotly_chart")[0].proto
    states = at._tree.get_widget_states()  # AppTest has no setter for a chart's selection: send it as the browser does
    states.widgets.append(WidgetState(id=chart.id, string_value=json.dumps(
        {"selection": {"points": [{"customdata": [area], "curve_number": 0, "point_number": 0}],
                       "point_indices": [0], "box": [], "lasso": []}})))
    at._run(states)
    return at


def test_shipped_data_ranks_the_communes_and_links_each_to_its_overview() -> None:
    at = open_areas()
    assert at.title[0].value.startswith("So sánh địa bàn")
    assert at.segmented_control(key="level").value == "commune"
    table = at.dataframe[0].value
    assert len(table) == 25  # Kim Sơn's 23 communes and 2 townships
    assert table["link"].str.startswith("./?area=").all()
    assert set(table["rank"].dropna()) == {1}  # every commune with a figure met the standard: one shared rank
    first = table.iloc[0]
    path, query = first["link"].split("?")
    assert path == "./"  # the overview is the default page, served at the app's root
    term = {"term": [at.query_params["term"]]} if "term" in at.query_params else {}  # the page's term, when chosen
    assert parse_qs(query) == {"area": [first["area"]], "lang": ["vi"], **term}
    assert {"csv", "xlsx"} <= {b.proto.label.split()[-1].strip("()").lower() for b in at.get("download_button")}


def test_no_boundaries_draws_the_tile_grid() -> None:
    at = open_areas()
    figure = map_figure(at)
    assert {trace["type"] for trace in figure["data"]} == {"scatter"}
    assert len(figure["layout"]["shapes"]) == 25  # a square per area
    assert "Mỗi ô vuông là một địa bàn" in shown(at)
    assert not at.error and not at.warning  # no secrets.toml, no boundaries: nothing to warn about


def test_the_province_ranks_by_direction_and_switches_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_DATA", str(PROVINCE))
    at = open_areas(indicator="ty_le_ho_ngheo", lang="en")
    assert at.selectbox(key="indicator").value == "ty_le_ho_ngheo"
    assert at.segmented_control(key="level").value == "district"  # the level below the province (in 2023)
    districts = at.dataframe[0].value
    assert districts["area"].iat[0] == "Huyện Kim Sơn" and districts["rank"].iat[0] == 1
    assert len(districts) == 8  # the old province's eight district-level units, the others without data
    assert districts["rank"].iloc[1:].isna().all() and (districts["status"].iloc[1:] == "– No data").all()
    at.segmented_control(key="level").set_value("commune").run()
    assert not at.exception
    communes = at.dataframe[0].value
    ranked = ["Thị trấn Phát Diệm", "Xã Hồi Ninh", "Xã Kim Hải", "Xã Như Hòa"]  # less poverty is better
    assert list(communes["area"].iloc[:4]) == ranked and list(communes["rank"].iloc[:4]) == [1, 2, 3, 4]
    assert len(communes) == 25  # Kim Sơn's communes of 2023: the register knows those of the other districts not
    assert at.query_params["level"] in ("commune", ["commune"])


def test_a_level_in_the_url_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_DATA", str(PROVINCE))
    at = open_areas(indicator="ty_le_ho_ngheo", level="commune")
    assert at.segmented_control(key="level").value == "commune"
    assert list(at.dataframe[0].value["rank"].astype("Float64").fillna(-1).iloc[:5]) == [1, 2, 3, 4, -1]


def test_boundaries_draw_a_choropleth_with_their_licence_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_BOUNDARIES", str(SQUARES))
    monkeypatch.setenv("INDICATORS_BOUNDARIES_KEY", "ten")
    at = open_areas(lang="en")
    figure = map_figure(at)
    assert {trace["type"] for trace in figure["data"]} == {"choroplethmap"}
    assert figure["layout"]["map"]["style"] == "white-bg"
    body = shown(at)
    assert "Boundaries: Indicators project test fixture (made-up squares)" in body
    assert "CC0" in body
    assert "2 areas have no boundary in the file" in body  # the two townships have no square


def test_boundaries_without_a_licence_warn_the_administrator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "plain.geojson"
    document = json.loads(SQUARES.read_text(encoding="utf-8"))
    del document["attribution"]
    copy.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("INDICATORS_BOUNDARIES", str(copy))
    monkeypatch.setenv("INDICATORS_BOUNDARIES_KEY", "ten")
    at = open_areas()
    assert {trace["type"] for trace in map_figure(at)["data"]} == {"choroplethmap"}
    assert "plain.geojson.license.txt" in shown(at)


def test_a_bad_boundaries_file_is_a_message_and_the_tile_grid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', encoding="utf-8")
    monkeypatch.setenv("INDICATORS_BOUNDARIES", str(bad))
    at = open_areas(lang="en")
    assert "Feature 1 of the boundaries file is not a valid Polygon/MultiPolygon" in shown(at)
    assert {trace["type"] for trace in map_figure(at)["data"]} == {"scatter"}


def test_a_click_on_the_map_opens_that_areas_overview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_areas(lang="en")
    click(at, "Xã Kim Hải")
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["area"] == ["Xã Kim Hải"] or at.query_params["area"] == "Xã Kim Hải"
    assert at.query_params["lang"] in ("en", ["en"])
    assert "Socio-economic indicators dashboard" in shown(at)  # the overview page


def test_a_click_on_the_choropleth_opens_that_area_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SQUARES, tmp_path / "s.geojson")
    monkeypatch.setenv("INDICATORS_BOUNDARIES", str(tmp_path / "s.geojson"))
    monkeypatch.setenv("INDICATORS_BOUNDARIES_KEY", "ten")
    at = open_areas()
    click(at, "Xã Hồi Ninh")
    assert not at.exception, [e.value for e in at.exception]
    assert "Xã Hồi Ninh" in str(at.query_params["area"])


def test_boundaries_can_be_set_in_secrets_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["indicators"] = {"boundaries": str(SQUARES.relative_to(ROOT)), "boundaries_key": "ten"}
    at.run()
    at.switch_page(PAGE)
    for key, value in KIM_SON.items():  # the squares are Kim Sơn's communes
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert {trace["type"] for trace in map_figure(at)["data"]} == {"choroplethmap"}
    assert not at.error  # and without a secrets file (the other tests) nothing is said about secrets either


def test_an_area_with_nothing_under_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_DATA", str(PROVINCE))
    at = open_areas(area="Xã Kim Hải", indicator="ty_le_ho_ngheo", lang="en")
    assert "No area of this level lies under Xã Kim Hải." in [i.value for i in at.info]
    assert not at.get("plotly_chart")  # no map of nothing


def test_a_rolled_up_value_is_ranked_with_its_coverage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_DATA", str(PROVINCE))
    at = open_areas(indicator="so_ho_ngheo", level="district", lang="en")
    table = at.dataframe[0].value.set_index("area")
    assert table.at["Huyện Kim Sơn", "value"] == 395  # the four communes that reported, summed
    assert table.at["Huyện Kim Sơn", "coverage"] == "4/25"  # of the district's 25 communes that year
    assert table.at["Huyện Kim Sơn", "source"] == "Tính từ số liệu 4/25 xã"  # the roll-up's source, as stored
    assert table.drop(index="Huyện Kim Sơn")["coverage"].eq("").all()
