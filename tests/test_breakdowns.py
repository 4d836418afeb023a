"""Breakdowns shown (issue 10, item 6): the dimensions and lines of an indicator's rows, the chart by one
dimension, progress per breakdown series, the download carrying the breakdown, and the indicator page's part
(`webui.breakdowns.show_breakdowns`) under AppTest over a small scope."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators.ingest.validate import validate_bytes
from indicators.present.breakdowns import (
    dimension_label,
    dimensions,
    has_breakdowns,
    headline,
    lines,
    of_series,
    series_name,
    series_table,
)
from indicators.present.charts import breakdown_chart
from indicators.present.export import to_csv_bytes, to_xlsx_bytes
from indicators.present.plaintext import markdown_text
from indicators.progress.engine import compute_progress

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "breakdowns" / "kim_hai_lao_dong.csv"
PAGE = str(ROOT / "tests" / "pages" / "breakdowns_page.py")
INDICATOR = "lao_dong_qua_dao_tao"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    checked = validate_bytes(FIXTURE.read_bytes(), FIXTURE.name)
    assert checked.report.valid and checked.frame is not None, checked.report.issues
    return checked.frame


@pytest.fixture(scope="module")
def rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["indicator_id"] == INDICATOR]


def test_dimensions_and_their_values_in_the_contracts_order(rows: pd.DataFrame, frame: pd.DataFrame) -> None:
    assert dimensions(rows) == {"sex": ["Nam", "Nữ"], "residence": ["Nông thôn"]}
    assert has_breakdowns(rows)
    assert not has_breakdowns(frame[frame["indicator_id"] == "dan_so"])
    assert (dimension_label("sex", "vi"), dimension_label("residence", "en"), dimension_label("disability", "en")) == (
        "Giới tính", "Urban/rural", "disability")


def test_lines_by_one_dimension_with_the_others_held(rows: pd.DataFrame) -> None:
    by_sex = {value: part["value"].tolist() for value, part in lines(rows, "sex")}
    assert by_sex == {None: [60.0, 75.0, 66.0, 69.0], "Nam": [64.0, 69.0, 71.0], "Nữ": [55.0, 70.0, 62.0, 66.0]}
    rural = {value: part["value"].tolist() for value, part in lines(rows, "sex", {"residence": "Nông thôn"})}
    assert rural == {None: [63.0, 67.0], "Nữ": [64.0]}  # the rural total, and rural women
    assert [value for value, _ in lines(rows, "residence")] == [None, "Nông thôn"]


def test_progress_is_computed_per_breakdown_series(frame: pd.DataFrame) -> None:
    result = compute_progress(frame)
    table = series_table(result, INDICATOR)
    assert table["breakdown"].tolist() == ["", "sex=Nam", "sex=Nữ", "residence=Nông thôn", "sex=Nữ; residence=Nông thôn"]
    by = table.set_index("breakdown")
    assert by.at["sex=Nữ", "target_value"] == 70.0 and by.at["sex=Nữ", "latest_value"] == 66.0
    assert by.at["sex=Nam", "status"] == "no_target"  # only the total and women have a target
    assert by.at["sex=Nữ", "status"] not in ("no_target", "no_data")
    assert series_table(result, "dan_so").empty


def test_pages_list_one_series_per_indicator_and_area(frame: pd.DataFrame) -> None:
    result = compute_progress(frame)
    listed = headline(result)
    assert listed[["indicator_id", "breakdown"]].values.tolist() == [[INDICATOR, ""], ["dan_so", ""]]
    only_women = result[result["breakdown"] == "sex=Nữ"]  # a file with breakdowns only: its first one is listed
    assert headline(only_women)["breakdown"].tolist() == ["sex=Nữ"]
    total = listed.iloc[0]
    assert of_series(frame[frame["indicator_id"] == INDICATOR], total)["value"].tolist() == [60.0, 75.0, 66.0, 69.0]
    assert series_name(result[result["breakdown"] == "sex=Nữ"].iloc[0], "vi") == (
        "Tỷ lệ lao động qua đào tạo — Giới tính: Nữ")
    assert series_name(total, "en") == "Tỷ lệ lao động qua đào tạo"


def _traces(fig: object) -> dict[str, dict[str, object]]:
    return {trace.name: trace for trace in fig.data}  # type: ignore[attr-defined]


def test_breakdown_chart_a_line_per_value_the_total_dashed_and_a_target_where_there_is_one(rows: pd.DataFrame) -> None:
    fig = breakdown_chart(rows, "vi", dim="sex")
    traces = _traces(fig)
    assert list(traces)[:2] == ["Tổng số", "Mục tiêu — Tổng số: 75%"]
    assert traces["Tổng số"].line.dash == "dash" and traces["Nữ"].line.dash == "solid"
    assert list(traces["Nữ"].y) == [62.0, 66.0]  # observations only: the baseline is no point of the line
    targets = [name for name in traces if name.startswith("Mục tiêu")]
    assert targets == ["Mục tiêu — Tổng số: 75%", "Mục tiêu — Nữ: 70%"]  # men have no target
    assert traces["Nam"].marker.symbol != traces["Nữ"].marker.symbol  # colour is not the only sign
    assert fig.layout.separators == ",."
    assert "theo Giới tính" in fig.layout.title.text
    english = breakdown_chart(rows, "en", dim="residence")
    assert [trace.name for trace in english.data] == ["Total", "Target — Total: 75%", "Nông thôn"]
    assert "by Urban/rural" in english.layout.title.text


def test_breakdown_chart_draws_data_text_as_written(rows: pd.DataFrame) -> None:
    hostile = rows.assign(breakdown=rows["breakdown"].str.replace("Nam", "<b>Nam</b>", regex=False))
    fig = breakdown_chart(hostile, "vi", dim="sex")
    names = [trace.name for trace in fig.data]
    assert "&lt;b&gt;Nam&lt;/b&gt;" in names and not any("<b>" in n for n in names)


def test_downloads_carry_the_breakdown(rows: pd.DataFrame) -> None:
    written = pd.read_csv(io.BytesIO(to_csv_bytes(rows)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "breakdown" in written.columns
    assert written["breakdown"].tolist() == rows["breakdown"].tolist()
    again = validate_bytes(to_csv_bytes(rows), "again.csv")
    assert again.report.valid and again.frame is not None
    assert sorted(again.frame["breakdown"]) == sorted(rows["breakdown"])
    book = pd.read_excel(io.BytesIO(to_xlsx_bytes(rows)), dtype=str, keep_default_na=False, engine="openpyxl")
    assert book["breakdown"].tolist() == rows["breakdown"].tolist()


def _page(lang: str = "vi", indicator: str = INDICATOR) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["indicator"] = indicator
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _chart_names(at: AppTest) -> list[list[str]]:
    return [[trace.get("name") for trace in json.loads(chart.proto.spec)["data"]] for chart in at.get("plotly_chart")]


def test_show_breakdowns_draws_selectors_charts_table_and_download() -> None:
    at = _page()
    assert [h.value for h in at.subheader] == ["Số liệu phân tổ"]
    assert [s.label for s in at.selectbox] == [markdown_text("Giới tính"), markdown_text("Thành thị/nông thôn")]
    charts = _chart_names(at)
    assert len(charts) == 2  # one per dimension
    assert [n for n in charts[0] if not n.startswith("Mục tiêu")] == ["Tổng số", "Nam", "Nữ"]
    table = at.dataframe[0].value
    assert table["Phân tổ"].tolist() == ["Tổng số", "Giới tính: Nam", "Giới tính: Nữ", "Thành thị/nông thôn: Nông thôn",
                                         "Giới tính: Nữ · Thành thị/nông thôn: Nông thôn"]
    assert table["Mới nhất"].tolist()[2] == "66%"
    assert len(at.get("download_button")) == 1


def test_a_held_value_redraws_the_other_dimensions_chart() -> None:
    at = _page()
    at.selectbox(key=f"bd_hold_{INDICATOR}_residence").set_value("Nông thôn").run()
    assert not at.exception
    sex_chart = _chart_names(at)[0]
    assert sex_chart == ["Tổng số", "Nữ"]  # rural: the total and women; no rural figure for men


def test_show_breakdowns_in_english_and_nothing_without_breakdowns() -> None:
    at = _page("en")
    assert [h.value for h in at.subheader] == ["Breakdowns"]
    assert at.dataframe[0].value["Breakdown"].tolist()[:2] == ["Total", "Sex: Nam"]
    quiet = _page(indicator="dan_so")
    assert not quiet.subheader and not quiet.get("plotly_chart") and not quiet.dataframe


def test_the_indicator_page_shows_the_breakdowns_of_its_series(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from indicators.store.versions import Store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path))
    checked = validate_bytes(FIXTURE.read_bytes(), FIXTURE.name)
    assert checked.frame is not None
    with Store(url) as store:
        store.ensure_schema()
        store.commit(checked.frame, user="lan", comment="phân tổ", filename=FIXTURE.name, sha256=checked.sha256)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/indicator.py")
    at.query_params["indicator"] = INDICATOR
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Số liệu phân tổ" in [h.value for h in at.subheader]
    assert at.dataframe[-1].value["Phân tổ"].tolist()[:3] == ["Tổng số", "Giới tính: Nam", "Giới tính: Nữ"]
    assert at.selectbox(key="indicator").options == ["Tỷ lệ lao động qua đào tạo", "Dân số"]  # listed once
    series = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    actual = next(trace for trace in series if trace["name"] == "Thực hiện")
    assert len(actual["x"]) == 2  # the total's own figures (2022, 2023), not its breakdowns' too


def test_a_breakdown_is_its_own_series_for_the_ten_times_check() -> None:
    """The under-fives are a tenth of the population: no 'ten times off' against the total's median."""
    lines_ = ["indicator_id,indicator,unit,area,breakdown,period,kind,value,source"]
    for year, total, young in ((2020, 8000, 600), (2021, 8100, 610), (2022, 8150, 590), (2023, 8200, 560)):
        lines_ += [f"dan_so,Dân số,người,Xã Kim Hải,,{year},actual,{total},NGTK",
                   f"dan_so,Dân số,người,Xã Kim Hải,age_group=0-4,{year},actual,{young},NGTK"]
    lines_.append("dan_so,Dân số,người,Xã Kim Hải,age_group=0-4,2024,actual,6000,NGTK")  # this one is off
    checked = validate_bytes("\n".join(lines_).encode(), "dan_so.csv")
    off = [(i.row, i.params["typical"]) for i in checked.report.issues if i.code == "ten_times_off"]
    assert off == [(10, "600")]  # judged against the under-fives' own median (560…6000), not the total's


def test_the_form_lists_the_totals_latest_figures(frame: pd.DataFrame) -> None:
    """The form (biểu mẫu) asks for an indicator's total: its latest figures are the total's, not a breakdown's."""
    import openpyxl

    from indicators.present.forms import build_template

    sheet = openpyxl.load_workbook(io.BytesIO(build_template(frame, areas=["Xã Kim Hải"])))["Xã Kim Hải"]
    row = next(r for r in sheet.iter_rows(values_only=True) if "lao_dong_qua_dao_tao" in r)
    assert [v for v in row if isinstance(v, (int, float))] == [60, 66, 69, 75]  # 2020 baseline, 2022, 2023, target


def test_the_typing_grid_is_prefilled_with_the_totals_figure(frame: pd.DataFrame) -> None:
    from indicators.ingest.entry import entry_grid

    grid = entry_grid(frame.iloc[::-1], "Xã Kim Hải", "2023").set_index("indicator_id")  # breakdowns first
    assert grid.at[INDICATOR, "value"] == 69.0  # not a breakdown's 71, 66, 67 or 64


def test_the_upload_page_shows_a_report_tables_breakdowns_for_correction(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.apptest import analyst_store, open_page
    from tests.test_app_analyst import sign_in

    analyst_store(tmp_path, monkeypatch)
    at = sign_in(open_page("app_pages/upload.py"))
    data = (ROOT / "tests" / "fixtures" / "bieu" / "breakdown.csv").read_bytes()
    at.file_uploader(key="upload").upload("breakdown.csv", data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(markdown_text("Giữ 2 chuỗi số liệu phân tổ (Giới tính).") in i.value for i in at.info)  # detected
    columns = at.data_editor[0].value
    assert columns["breakdown"].tolist() == ["", "", "", "sex=Nam", "sex=Nữ"]
    # the analyst says column E is the urban figure, not the women's: applied, the rows follow
    at.session_state[at.data_editor[0].key] = {"edited_rows": {4: {"breakdown": "residence=Thành thị"}},
                                               "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="mapping_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.data_editor[0].value["breakdown"].tolist()[4] == "residence=Thành thị"
