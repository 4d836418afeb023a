"""The map of the areas page (present/maps.py) and its ranking (present/areas_table.py): boundaries checked and
matched, attribution carried, the tile grid's layout, a click read back, the ranking's order and downloads."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from indicators.present import areas_table, maps
from indicators.progress.engine import RESULT_COLUMNS

FIXTURE = Path(__file__).parent / "fixtures" / "boundaries" / "squares.geojson"


def square(x: float, y: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(props: dict[str, Any], x: float = 106.0, y: float = 20.0) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": square(x, y)}


def write(tmp_path: Path, document: Any, name: str = "b.geojson") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def collection(*features: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features), **top}


def result_rows(areas: dict[str, tuple[float | None, str]], direction: str = "increase") -> pd.DataFrame:
    """Progress rows of one indicator: area -> (latest value, status)."""
    rows = pd.DataFrame({c: [None] * len(areas) for c in RESULT_COLUMNS})
    rows["indicator_id"], rows["indicator"], rows["indicator_en"] = "ho_ngheo", "Tỷ lệ hộ nghèo", "Poor households"
    rows["group"], rows["unit"], rows["direction"], rows["method"] = "Xã hội", "%", direction, ""
    rows["area"] = list(areas)
    rows["latest_value"] = [v for v, _ in areas.values()]
    rows["status"] = [s for _, s in areas.values()]
    rows["latest_qualifier"] = ""
    rows["latest_period"] = ["2024" if v is not None else "" for v, _ in areas.values()]
    rows["latest_date"] = pd.to_datetime(["2024-12-31" if v is not None else None for v, _ in areas.values()])
    rows["latest_kind"] = "actual"
    rows["breakdown"] = ""
    rows["latest_source"] = "Báo cáo"
    rows["progress"] = float("nan")
    rows["target_value"] = float("nan")
    return rows


@dataclass
class FakeUnit:
    code: str


class FakeRegister:
    """A province with two districts, each with communes; codes for the communes."""

    PARENTS = {"Huyện A": "Tỉnh T", "Huyện B": "Tỉnh T", "Xã A1": "Huyện A", "Xã A2": "Huyện A", "Xã B1": "Huyện B"}
    CODES = {"Xã A1": "00101", "Xã A2": "00102", "Xã B1": "00201"}

    def unit(self, name: str, on: Any = None) -> FakeUnit | None:
        return FakeUnit(self.CODES[name]) if name in self.CODES else None

    def level_of(self, name: str, on: Any = None) -> str | None:
        return {"Tỉnh": "province", "Huyện": "district", "Xã": "commune"}.get(name.split()[0])

    def children_of(self, name: str, on: Any = None) -> list[str]:
        return [c for c, p in self.PARENTS.items() if p == name]

    def ancestors(self, name: str, on: Any = None) -> list[str]:
        out = []
        while name in self.PARENTS:
            name = self.PARENTS[name]
            out.append(name)
        return out

    def names(self, level: str | None = None, on: Any = None) -> list[str]:
        return [n for n in ["Tỉnh T", *self.PARENTS] if level is None or self.level_of(n) == level]


# --- boundaries: checked, with a clear reason ------------------------------------------------------------

def test_the_shipped_fixture_loads_with_its_licence_and_attribution() -> None:
    b = maps.load_boundaries(FIXTURE, "ten")
    assert len(b.features) == 23 and b.key == "ten"
    assert "CC0" in b.licence and "made by the project" not in b.attribution
    assert b.credit.startswith("Indicators project test fixture") and "CC0" in b.credit


def test_the_key_defaults_to_the_first_of_ma_xa_code_name_every_feature_has(tmp_path: Path) -> None:
    path = write(tmp_path, collection(feature({"name": "Xã A1", "code": "1"}), feature({"name": "Xã A2", "code": "2"})))
    assert maps.load_boundaries(path).key == "code"
    path = write(tmp_path, collection(feature({"name": "Xã A1", "code": "1"}), feature({"name": "Xã A2"})))
    assert maps.load_boundaries(path).key == "name"


def test_licence_from_the_geojson_when_there_is_no_sidecar(tmp_path: Path) -> None:
    path = write(tmp_path, collection(feature({"name": "Xã A1"}), license="ODbL 1.0", attribution="© Sở TN&MT"))
    b = maps.load_boundaries(path)
    assert (b.licence, b.attribution) == ("ODbL 1.0", "© Sở TN&MT")
    path.with_name(path.name + ".license.txt").write_text("CC BY 4.0 — Sở TN&MT\n", encoding="utf-8")
    assert maps.load_boundaries(path).licence == "CC BY 4.0 — Sở TN&MT"  # the sidecar wins


def test_no_licence_at_all_gives_an_empty_credit(tmp_path: Path) -> None:
    assert maps.load_boundaries(write(tmp_path, collection(feature({"name": "Xã A1"})))).credit == ""


@pytest.mark.parametrize(("document", "code", "params"), [
    ("{not json", "not_json", None),
    ('{"type": "Feature"}', "not_collection", {}),
    ("[1, 2]", "not_collection", {}),
    (collection(), "no_features", {}),
    (collection(feature({"name": "a"}), {"type": "Feature", "properties": {"name": "b"},
                                         "geometry": {"type": "Point", "coordinates": [106, 20]}}),
     "bad_feature", {"n": 2}),
    (collection({"type": "Feature", "properties": {"name": "b"},
                 "geometry": {"type": "Polygon", "coordinates": [[[106, 20], [500, 20], [106, 21], [106, 20]]]}}),
     "bad_feature", {"n": 1}),  # a longitude off the world
    (collection({"type": "Feature", "properties": {"name": "b"},
                 "geometry": {"type": "Polygon", "coordinates": [[[106, 20], [107, 20]]]}}),
     "bad_feature", {"n": 1}),  # a ring of two points
    (collection({"type": "Feature", "properties": None, "geometry": square(106, 20)}), "bad_feature", {"n": 1}),
    (collection(feature({"ten": "a"})), "no_key", {"prop": "ma_xa / code / name", "n": 1}),
])
def test_a_bad_file_is_refused_with_its_reason(tmp_path: Path, document: Any, code: str,
                                                params: dict[str, Any] | None) -> None:
    with pytest.raises(maps.BoundaryError) as caught:
        maps.load_boundaries(write(tmp_path, document))
    assert caught.value.code == code
    if params is not None:
        assert caught.value.params == params
    for lang in ("vi", "en"):
        assert caught.value.message(lang)  # every reason has words in both languages


def test_a_configured_key_missing_from_a_feature_names_that_feature(tmp_path: Path) -> None:
    path = write(tmp_path, collection(feature({"ma_xa": "1"}), feature({"name": "x"})))
    with pytest.raises(maps.BoundaryError) as caught:
        maps.load_boundaries(path, "ma_xa")
    assert (caught.value.code, caught.value.params) == ("no_key", {"prop": "ma_xa", "n": 2})


def test_a_file_over_the_size_cap_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, collection(*[feature({"name": f"Xã {i}"}) for i in range(200)]))
    with pytest.raises(maps.BoundaryError) as caught:
        maps.load_boundaries(path, max_mb=0.01)
    assert caught.value.code == "too_large" and caught.value.params["limit"] == 0.01
    assert maps.load_boundaries(path).features  # the same file under the default cap


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(maps.BoundaryError) as caught:
        maps.load_boundaries(tmp_path / "none.geojson")
    assert caught.value.code == "missing"


# --- matching ------------------------------------------------------------------------------------------

def test_features_match_by_code_then_name_then_name_without_its_level_word(tmp_path: Path) -> None:
    path = write(tmp_path, collection(feature({"key": "00101"}), feature({"key": " XÃ  a2 "}), feature({"key": "B1"}),
                                      feature({"key": "Xã Z"})))
    b = maps.load_boundaries(path, "key")
    assert maps.match(b, ["Xã A1", "Xã A2", "Xã B1", "Xã C"], FakeRegister()) == {"Xã A1": 0, "Xã A2": 1, "Xã B1": 2}
    assert maps.match(b, ["Xã A1"], None) == {}  # without a register there is no code to match by


def test_an_integer_code_property_matches_a_text_code(tmp_path: Path) -> None:
    b = maps.load_boundaries(write(tmp_path, collection(feature({"ma_xa": 201}), feature({"ma_xa": 101}))))
    b2 = maps.load_boundaries(write(tmp_path, collection(feature({"ma_xa": "00201"})), "c.geojson"))
    assert maps.match(b2, ["Xã B1"], FakeRegister()) == {"Xã B1": 0}
    assert maps.match(b, ["Xã B1"], FakeRegister()) == {}  # 201 is not 00201: codes are text, zeros count


class Reorganised:
    """One name, two units: the old commune's code until 30/06/2025, the merged one's after."""

    def unit(self, name: str, on: Any = None) -> FakeUnit:
        return FakeUnit("14647" if on is not None and pd.Timestamp(on) < pd.Timestamp("2025-07-01") else "14650")


def test_an_area_is_matched_by_the_code_of_its_unit_on_its_day(tmp_path: Path) -> None:
    b = maps.load_boundaries(write(tmp_path, collection(feature({"ma_xa": "14647"}), feature({"ma_xa": "14650"}))))
    old = result_rows({"Xã Quang Thiện": (1.0, "achieved")})
    new = old.assign(latest_date=pd.to_datetime(["2026-06-30"]))
    assert maps.match(b, old["area"], Reorganised(), maps.area_days(old)) == {"Xã Quang Thiện": 0}
    assert maps.match(b, new["area"], Reorganised(), maps.area_days(new)) == {"Xã Quang Thiện": 1}
    first = maps.area_map(old, Reorganised(), b, "vi").data[0].geojson["features"][0]["geometry"]
    assert first == b.features[0]["geometry"]  # the old unit's shape is drawn for the old term


def test_the_map_is_a_choropleth_of_matched_areas_one_trace_per_status() -> None:
    b = maps.load_boundaries(FIXTURE, "ten")
    rows = result_rows({"Xã Kim Hải": (1.0, "achieved"), "Xã Hồi Ninh": (0.0, "no_data"),
                        "Thị trấn Phát Diệm": (1.0, "achieved")})
    fig = maps.area_map(rows, None, b, "vi")
    assert {tr.type for tr in fig.data} == {"choroplethmap"}
    assert sorted(tr.name for tr in fig.data) == ["– Chưa có số liệu", "✔ Đã đạt"]  # symbol and words
    shown = [loc for tr in fig.data for loc in tr.locations]
    assert sorted(shown) == ["Xã Hồi Ninh", "Xã Kim Hải"]  # the township has no square in the file
    assert [c[0] for tr in fig.data for c in tr.customdata] == list(shown)  # a click names its area
    assert fig.layout.map.style == "white-bg"  # no tiles from the internet
    assert all(f["id"] in shown for f in fig.data[0].geojson["features"])  # only the shown areas' shapes sent


def test_no_matching_feature_falls_back_to_the_tile_grid() -> None:
    b = maps.load_boundaries(FIXTURE, "ten")
    fig = maps.area_map(result_rows({"Xã Elsewhere": (1.0, "achieved")}), None, b, "en")
    assert {tr.type for tr in fig.data} == {"scatter"}


def test_hover_text_is_escaped_data() -> None:
    fig = maps.area_map(result_rows({"Xã <b>X</b>": (1.0, "achieved")}), None, None, "en")
    assert "&lt;b&gt;X&lt;/b&gt;" in fig.data[0].hovertext[0] and "<b>X" not in fig.data[0].hovertext[0]


# --- the tile grid ---------------------------------------------------------------------------------------

def test_tiles_go_in_name_order_row_by_row() -> None:
    names = ["Xã Đông", "Xã An", "Thị trấn Bình", "Xã Ân", "Xã Cà"]
    spots = maps.tile_positions(names, columns=2)
    assert spots == {"Xã An": (0, 0), "Xã Ân": (0, 1), "Thị trấn Bình": (1, 0), "Xã Cà": (1, 1), "Xã Đông": (2, 0)}


def test_a_tile_layout_places_its_areas_and_the_rest_follow(tmp_path: Path) -> None:
    path = tmp_path / "tile_layout.csv"
    path.write_text("name,row,col\nXã Cà,0,3\nXã An,1,0\nXã Bê,oops,1\nXã Đông,1,0\n", encoding="utf-8")
    layout = maps.read_tile_layout(path)
    assert layout == {"Xã Cà": (0, 3), "Xã An": (1, 0), "Xã Đông": (1, 0)}  # the bad line is left out
    spots = maps.tile_positions(["Xã An", "Xã Bê", "Xã Cà", "Xã Đông"], layout, columns=3)
    # Đông's place is taken by An: it joins the name order after the layout's last row
    assert spots == {"Xã Cà": (0, 3), "Xã An": (1, 0), "Xã Bê": (2, 0), "Xã Đông": (2, 1)}


def test_the_tile_grid_writes_each_status_symbol_and_short_name() -> None:
    rows = result_rows({"Xã Kim Hải": (1.0, "achieved"), "Xã Hồi Ninh": (None, "no_data"),
                        "Xã Một Tên Rất Dài Dài Dài": (0.0, "deterioration")})
    fig = maps.tile_grid(rows, "en")
    texts = {tr.name: list(tr.text) for tr in fig.data}
    assert texts["✔ Achieved"] == ["✔<br>Kim<br>Hải"]  # a word a line: a phone's squares are narrow
    assert texts["– No data"] == ["–<br>Hồi<br>Ninh"]
    assert texts["✖ Deterioration"][0].startswith("✖<br>") and texts["✖ Deterioration"][0].endswith("…")
    assert len(fig.layout.shapes) == 3  # one square each, equal size
    assert {round(s.x1 - s.x0, 6) for s in fig.layout.shapes} == {round(s.y1 - s.y0, 6) for s in fig.layout.shapes}
    assert fig.layout.yaxis.scaleanchor == "x"  # squares stay square, at the top of the figure
    assert (fig.layout.yaxis.constrain, fig.layout.yaxis.constraintoward) == ("domain", "top")
    assert sorted(c[0] for tr in fig.data for c in tr.customdata) == sorted(rows["area"])


@pytest.mark.parametrize(("event", "area"), [
    ({"selection": {"points": [{"customdata": ["Xã Kim Hải"], "point_index": 0}]}}, "Xã Kim Hải"),
    ({"selection": {"points": [{"location": "Xã Hồi Ninh"}]}}, "Xã Hồi Ninh"),
    ({"selection": {"points": []}}, None),
    ({}, None),
    (None, None),
])
def test_the_selected_area_is_read_from_the_click(event: Any, area: str | None) -> None:
    assert maps.selected_area(event) == area


# --- ranking ---------------------------------------------------------------------------------------------

def test_ranking_is_best_first_in_the_indicators_direction_with_no_value_last() -> None:
    areas = {"Xã B": (5.0, "limited"), "Xã A": (2.0, "on_track"), "Xã C": (None, "no_data"), "Xã Đ": (5.0, "limited")}
    up = areas_table.ranking(result_rows(areas), "vi")
    assert list(up["area"]) == ["Xã B", "Xã Đ", "Xã A", "Xã C"]
    assert list(up["rank"].astype("Float64").fillna(-1)) == [1, 1, 3, -1]  # equal values share a rank
    down = areas_table.ranking(result_rows(areas, "decrease"), "en", term="2025-2030")
    assert list(down["area"]) == ["Xã A", "Xã B", "Xã Đ", "Xã C"]
    assert down["status"].iat[0] == "▲ On track"
    assert down["link"].iat[0] == "./?area=X%C3%A3+A&term=2025-2030&lang=en"


def test_coverage_comes_from_the_roll_up_of_the_latest_value() -> None:
    rows = result_rows({"Huyện A": (10.0, "no_target"), "Huyện B": (7.0, "no_target")})
    computed = pd.DataFrame({"indicator_id": ["ho_ngheo", "ho_ngheo"], "area": ["Huyện A", "Huyện A"],
                             "breakdown": ["", ""], "period": ["2024", "2023"], "kind": ["actual", "actual"],
                             "reported": [22, 23], "expected": [23, 23]})
    table = areas_table.ranking(rows, "vi", computed=computed)
    assert dict(zip(table["area"], table["coverage"], strict=True)) == {"Huyện A": "22/23", "Huyện B": ""}


def test_areas_of_a_level_under_an_area_with_the_missing_ones_as_no_data() -> None:
    reg = FakeRegister()
    rows = result_rows({"Xã A1": (1.0, "achieved"), "Xã B1": (2.0, "achieved"), "Huyện A": (3.0, "achieved")})
    under_a = areas_table.area_rows(rows, "ho_ngheo", "Huyện A", "commune", reg)
    assert sorted(under_a["area"]) == ["Xã A1", "Xã A2"]
    assert under_a.set_index("area").at["Xã A2", "status"] == "no_data"
    assert sorted(areas_table.area_rows(rows, "ho_ngheo", "Tỉnh T", "commune", reg)["area"]) == [
        "Xã A1", "Xã A2", "Xã B1"]
    assert list(areas_table.area_rows(rows, "ho_ngheo", "Tỉnh T", "district", reg)["area"]) == ["Huyện A", "Huyện B"]
    assert areas_table.level_below(reg, "Tỉnh T") == "district" and areas_table.level_below(reg, "Huyện A") == "commune"
    assert areas_table.levels_under(reg, "Tỉnh T", list(reg.PARENTS)) == ["district", "commune"]


def test_downloads_are_formula_safe_and_keep_numbers() -> None:
    rows = result_rows({"=HYPERLINK(\"x\")": (5.0, "limited"), "Xã A": (-2.0, "on_track")})
    table = areas_table.ranking(rows, "en")
    text = areas_table.table_csv_bytes(table, "en").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Rank,Area,Value,Latest,Status")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][:3] == ["1", "'=HYPERLINK(\"x\")", "5.0"]
    assert lines[2][2:4] == ["-2.0", "'-2%"]  # a negative number stays a number; its text is defused
    sheet = load_workbook(io.BytesIO(areas_table.table_xlsx_bytes(table, "vi"))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][:3] == ["Hạng", "Địa bàn", "Giá trị"]
    assert values[1][1] == "'=HYPERLINK(\"x\")" and values[1][2] == 5.0 and values[2][2] == -2.0


def test_small_multiples_page_through_the_ranking_with_the_target_as_a_line() -> None:
    areas = {f"Xã {i:02d}": (float(i), "limited") for i in range(30)}
    rows = result_rows(areas)
    rows["target_value"] = 40.0
    series = pd.DataFrame({"area": list(areas) * 2, "kind": "actual", "breakdown": "",
                           "period_end": pd.to_datetime(["2021-12-31"] * 30 + ["2023-12-31"] * 30),
                           "value": [float(i) for i in range(30)] * 2})
    assert areas_table.pages(len(rows)) == 2
    first = areas_table.small_multiples(series, rows, "vi", page=1)
    second = areas_table.small_multiples(series, rows, "vi", page=2)
    assert len(first.data) == 24 and len(second.data) == 6
    assert [a.text for a in first.layout.annotations][:2] == ["Xã 29", "Xã 28"]  # ranking order
    assert len([s for s in first.layout.shapes if s.y0 == 40.0]) == 24  # the target on each
    axes = {first.layout[f"yaxis{i if i > 1 else ''}"].matches or f"y{i if i > 1 else ''}" for i in range(1, 25)}
    assert len(axes) == 1  # one y axis for every area: they compare at a glance
