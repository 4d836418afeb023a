"""Peer formats (issue 9, item 3): Open SDG data files, DHIS2 data value sets, PX-Web tables -> contract rows.

Real samples in tests/fixtures/peers (see its README for where each came from and its licence): each converts
to the rows written here, `validate_bytes` detects its format and validates it, breakdowns are kept as rows
with the contract's `breakdown` (issue 10),
damaged files give one clear issue, and a tidy contract file is still read as tidy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from indicators.ingest.adapters import Catalogue, Options, convert_bytes, detect, dhis2, opensdg, pxweb
from indicators.ingest.adapters.peer_common import contract_period, is_total, no_figure, slug
from indicators.ingest.limits import Limits
from indicators.ingest.reading import ReadError
from indicators.ingest.validate import validate_bytes

PEERS = Path(__file__).parent / "fixtures" / "peers"
GOOD = Path(__file__).parent / "fixtures" / "good"
COLUMNS = ["indicator_id", "indicator", "unit", "area", "period", "kind", "value"]


def read(name: str) -> bytes:
    return (PEERS / name).read_bytes()


def rows(name: str, options: Options | None = None, data: bytes | None = None) -> pd.DataFrame:
    converted = convert_bytes(read(name) if data is None else data, name, options or Options())
    return converted.raw.to_frame()


def codes(result: object) -> dict[str, int]:
    found: dict[str, int] = {}
    for issue in result.report.issues:  # type: ignore[attr-defined]
        found[issue.code] = found.get(issue.code, 0) + 1
    return found


def issue(result: object, code: str):  # noqa: ANN201
    return next(i for i in result.report.issues if i.code == code)  # type: ignore[attr-defined]


# --- detection --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "fmt"), [
    ("opensdg_uk_1-2-1.csv", "opensdg"), ("opensdg_ca_1-2-1.csv", "opensdg"),
    ("dhis2_dataValueSetB.csv", "dhis2"), ("dhis2_dataValueSetA.xml", "dhis2"),
    ("dhis2_dataValues_bulk_trimmed.json", "dhis2"), ("dhis2_dataValues_single_dataset.json", "dhis2"),
    ("px_BE0101A1elimtot.px", "pxweb"), ("px_HA0201E8.px", "pxweb"), ("gso_pxweb_dan_so.csv", "pxweb"),
    ("gso_pxweb_ho_ngheo.csv", "pxweb"),
])
def test_each_sample_is_detected(name: str, fmt: str) -> None:
    assert detect(read(name), name) == fmt
    assert validate_bytes(read(name), name, options=Options()).format == fmt


@pytest.mark.parametrize("name", sorted(p.name for p in GOOD.iterdir()))
def test_a_tidy_contract_file_is_still_tidy(name: str) -> None:
    result = validate_bytes((GOOD / name).read_bytes(), name)
    assert result.format == "tidy"
    assert result.report.valid


@pytest.mark.parametrize(("header", "opensdg_", "dhis2_"), [
    (["Year", "Units", "Sex", "Value"], True, False),
    (["year", "value"], True, False),
    (["Year", "Group", "Value"], True, False),  # open-sdg-data-starter's own sample
    (["indicator_id", "Year", "Value"], False, False),  # the contract's own columns: tidy
    (["Period", "Value"], False, False),
    (["dataelement", "period", "orgunit", "categoryoptioncombo", "value"], False, True),
    (["DataElement", "Period", "OrgUnit", "Value", "Comment"], False, True),
    (["dataelement", "period", "value"], False, False),
])
def test_headers_are_sniffed(header: list[str], opensdg_: bool, dhis2_: bool) -> None:
    assert opensdg.sniff_header(header) is opensdg_
    assert dhis2.sniff_header(header) is dhis2_


@pytest.mark.parametrize(("data", "name", "dhis2_", "px"), [
    (b'{"dataValues": []}', "x.json", True, False),
    (b'\xef\xbb\xbf {\n "dataSet": "a", "dataValues": [', "x.json", True, False),
    (b'{"rows": []}', "x.json", False, False),
    (b'<?xml version="1.0"?><dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">', "x.xml", True, False),
    (b"<html><body>", "x.xml", False, False),
    (b'CHARSET="ANSI";\nAXIS-VERSION="2000";', "x.txt", False, True),
    (b'AXIS-VERSION="2006";', "x", False, True),
    (b"indicator_id,value\nx,1\n", "x.csv", False, False),
])
def test_bytes_are_sniffed(data: bytes, name: str, dhis2_: bool, px: bool) -> None:
    assert dhis2.sniff(data, name) is dhis2_
    assert pxweb.sniff(data, name) is px


# --- helpers ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("period", "expected"), [
    ("2024", "2024"), ("202401", "2024-01"), ("202412", "2024-12"), ("202413", None),
    ("2024Q1", "2024-03"), ("2024Q4", "2024-12"), ("2024Q5", None),
    ("2024S1", "2024-06"), ("2024S2", "2024-12"), ("2024AprilS1", "2024-09"), ("2024AprilS2", "2025-03"),
    ("20240115", "2024-01-15"), ("20240231", None), ("202401B", "2024-02"), ("202402B", None),
    ("2024W1", "2024-01-07"), ("2020W53", "2021-01-03"), ("2024BiW1", "2024-01-14"),
    ("2024April", "2025-03"), ("2024July", "2025-06"), ("2024Oct", "2025-09"), ("2024Nov", "2025-10"),
    ("2024M03", "2024-03"), ("2006K1", "2006-03"), ("2024H2", "2024-12"),
    ("2024-05", "2024-05"), ("31/12/2024", "31/12/2024"),
    ("2024WedW1", None), ("2016/2017", None), ("", None), ("abc", None),
])
def test_peer_periods_become_contract_periods(period: str, expected: str | None) -> None:
    assert contract_period(period) == expected


@pytest.mark.parametrize(("text", "total"), [
    ("", True), ("Total", True), ("Tổng số", True), ("TỔNG SỐ", True), ("Cả nước", True), ("All ages", True),
    ("Both sexes", True), ("0-9 Total", True), ("default", True), ("Nữ", False), ("Male", False),
    ("15 to 24", False), ("Nam", False),
])
def test_totals_are_told_from_breakdowns(text: str, total: bool) -> None:
    assert is_total(text) is total


def test_helpers() -> None:
    assert [no_figure(v) for v in ("..", "...", "-", "NA", "", " ", "0", "1.5")] == [True] * 6 + [False] * 2
    assert slug("Dân số trung bình (Nghìn người)") == "dan_so_trung_binh"
    assert slug("Maternal mortality ratio [3.1.1]") == "maternal_mortality_ratio"
    assert slug("%") == "indicator"


# --- Open SDG ------------------------------------------------------------------------------------------------

def test_opensdg_uk_keeps_the_headline_and_sex_and_age_as_breakdowns() -> None:
    frame = rows("opensdg_uk_1-2-1.csv")
    total = frame[frame["breakdown"] == ""]
    assert total[COLUMNS].values.tolist() == [
        ["sdg_1_2_1", "SDG 1.2.1", "Percentage (%)", "Toàn quốc", "2016", "actual", "15.9"],
        ["sdg_1_2_1", "SDG 1.2.1", "Percentage (%)", "Toàn quốc", "2017", "actual", "17.0"],
    ]
    assert frame[["period", "breakdown", "value"]].values.tolist()[1:3] + frame[["period", "breakdown", "value"]].values.tolist()[8:10] == [
        ["2016", "age_group=15 and under", "18.1"], ["2016", "age_group=16 to 24", "19.9"],
        ["2016", "sex=Male; age_group=15 and under", "18.1"], ["2016", "sex=Male; age_group=16 to 24", "18.2"]]
    assert len(frame) == 42 and frame["breakdown"].nunique() == 21  # 20 breakdown series and the total
    result = validate_bytes(read("opensdg_uk_1-2-1.csv"), "opensdg_uk_1-2-1.csv", options=Options())
    assert result.report.valid, result.report.issues
    assert codes(result) == {"area_assumed": 1}  # nothing is left out any more
    assert result.detected[1].endswith("Kept 20 breakdown series (Sex, Age group).")
    headline = result.frame[result.frame["breakdown"] == ""]
    assert headline["value"].tolist() == [15.9, 17.0]
    assert headline["row"].tolist() == [2, 23]  # rows of the original file
    female = result.frame[result.frame["breakdown"] == "sex=Female"]
    assert (female["period"].tolist(), female["value"].tolist(), female["row"].tolist()) == (
        ["2016", "2017"], [16.5, 17.9], [16, 37])


def test_opensdg_breakdown_issues_name_the_disaggregation_cell() -> None:
    converted = convert_bytes(read("opensdg_uk_1-2-1.csv"), "u.csv", Options())
    assert (converted.origin.cell("breakdown", 1), converted.origin.cell("breakdown", 8)) == ("D3", "C10")


def test_opensdg_area_option_names_the_national_rows() -> None:
    result = validate_bytes(read("opensdg_uk_1-2-1.csv"), "u.csv", options=Options(area="Vương quốc Anh"))
    assert set(result.frame["area"]) == {"Vương quốc Anh"}
    assert "area_assumed" not in codes(result)


def test_opensdg_canada_with_its_metadata_gives_unit_area_and_target() -> None:
    meta = ("1-2-1.yml", read("opensdg_ca_1-2-1.yml"))
    frame = rows("opensdg_ca_1-2-1.csv", Options(companion=meta))
    assert frame[COLUMNS].values.tolist()[:2] == [
        ["sdg_1_2_1", "SDG 1.2.1", "Percentage (%)", "Canada", "2015", "actual", "14.5"],
        ["sdg_1_2_1", "SDG 1.2.1", "Percentage (%)", "Canada", "2016", "actual", "12.9"],
    ]
    assert frame[COLUMNS].values.tolist()[-1] == [
        "sdg_1_2_1", "SDG 1.2.1", "Percentage (%)", "Canada", "2030", "target", "7.25"]
    assert set(frame["direction"]) == {"decrease"}  # progress_calculation_options: direction negative
    assert set(frame["area"]) == {"Canada", "Alberta", "Calgary, Alberta"}  # GeoCode 48 named by Geography
    # "Persons in low income" holds sex and age together: "All persons" is the total, "Females, 18 to 64 years" two
    assert sorted(set(frame["breakdown"])) == [
        "", "sex=Females", "sex=Females; age_group=18 to 64 years", "sex=Females; age_group=65 years and over",
        "sex=Females; age_group=under 18 years", "sex=Males"]
    assert frame[frame["breakdown"] == "sex=Females"][["area", "period", "value"]].values.tolist()[:2] == [
        ["Alberta", "2021", "8.1"], ["Alberta", "2022", "10.2"]]
    assert set(frame[frame["kind"] == "target"]["breakdown"]) == {""}  # the metadata's target is the headline's
    result = validate_bytes(read("opensdg_ca_1-2-1.csv"), "opensdg_ca_1-2-1.csv", options=Options(companion=meta))
    assert result.report.valid, result.report.issues
    assert codes(result) == {}


def test_opensdg_without_units_says_so_at_each_cell() -> None:
    result = validate_bytes(read("opensdg_ca_1-2-1.csv"), "opensdg_ca_1-2-1.csv", options=Options())
    assert codes(result)["missing_value"] == 29  # every row, its 16 breakdown rows too
    first = issue(result, "missing_value")
    assert (first.column, first.cell) == ("unit", "E2")


def test_opensdg_catalogue_reuses_the_stored_indicator() -> None:
    stored = pd.DataFrame({"indicator_id": ["ngheo_da_chieu"], "indicator": ["Tỷ lệ nghèo"],
                           "unit": ["%"], "group": ["Xã hội"], "direction": ["decrease"]})
    frame = rows("opensdg_uk_1-2-1.csv", Options(catalogue=Catalogue(stored, {"sdg 1.2.1": "ngheo_da_chieu"})))
    assert frame[["indicator_id", "indicator", "unit", "group", "direction"]].drop_duplicates().values.tolist() == [
        ["ngheo_da_chieu", "Tỷ lệ nghèo", "Percentage (%)", "Xã hội", "decrease"]]


def test_opensdg_issues_name_the_original_cell() -> None:
    data = read("opensdg_uk_1-2-1.csv").replace(b"2017,Percentage (%),,,17.0", b"2017,Percentage (%),,,1o.5")
    data = data.replace(b"2016,Percentage (%),,,15.9", b"20x6,Percentage (%),,,15.9")
    result = validate_bytes(data, "u.csv", options=Options())
    assert (issue(result, "bad_period").cell, issue(result, "bad_period").value) == ("A2", "20x6")
    assert (issue(result, "bad_number").cell, issue(result, "bad_number").row) == ("E23", 23)


def test_opensdg_na_is_no_figure_and_series_in_two_units_are_two_indicators() -> None:
    data = (b"Year,Series,Units,Sex,Value\n2020,Births,Number,,120\n2021,Births,Number,,NA\n"
            b"2020,Births,Rate,,1.5\n2020,Births,Number,Female,60\n")
    result = validate_bytes(data, "indicator_3-1-2.csv", options=Options(area="Ninh Bình"))
    assert result.report.valid, result.report.issues
    assert result.frame[["indicator", "breakdown", "value"]].values.tolist() == [
        ["Births (Number)", "", 120.0], ["Births (Rate)", "", 1.5], ["Births (Number)", "sex=Female", 60.0]]
    assert (issue(result, "no_figure").cell, issue(result, "no_figure").params["n"]) == ("E3", 1)


def test_opensdg_damaged_metadata_and_missing_columns() -> None:
    bad = validate_bytes(read("opensdg_uk_1-2-1.csv"), "u.csv", options=Options(companion=("m.yml", b"a: [1,")))
    assert bad.unreadable and codes(bad) == {"peer_file_damaged": 1}
    with pytest.raises(ReadError) as caught:
        convert_bytes(b"Units,Value\nx,1\n", "x.csv", Options(fmt="opensdg"))
    assert caught.value.code == "peer_file_damaged"


def test_opensdg_metadata_front_matter() -> None:
    meta = opensdg.read_metadata(b"---\ncomputation_units: Number\ngraph_target_lines:\n- value: 25\n"
                                 b"indicator_name: global_indicators.3-2-1-title\n---\n# text\n")
    assert (meta.unit, meta.target, meta.target_year, meta.direction) == ("Number", "25", "2030", "")


# --- DHIS2 ------------------------------------------------------------------------------------------------

NAMES = ("dhis2_names.csv", read("dhis2_names.csv"))


def test_dhis2_csv_with_a_mapping_file() -> None:
    frame = rows("dhis2_dataValueSetB.csv", Options(companion=NAMES))
    assert frame[COLUMNS].values.tolist()[:3] == [
        ["so_ca_sinh", "Số ca sinh", "ca", "Xã Ninh Hải", "2012-01", "actual", "10001"],
        ["so_ca_sinh", "Số ca sinh", "ca", "Xã Ninh Xuân", "2012-01", "actual", "10002"],
        ["so_ca_sinh", "Số ca sinh", "ca", "Xã Ninh Hải", "2012-02", "actual", "10003"],
    ]
    assert set(frame["note"]) == {"comment"}
    result = validate_bytes(read("dhis2_dataValueSetB.csv"), "dhis2_dataValueSetB.csv",
                            options=Options(companion=NAMES))
    assert result.report.valid and not result.report.issues
    assert len(result.frame) == 12


def test_dhis2_without_a_mapping_keeps_the_ids_and_says_so() -> None:
    result = validate_bytes(read("dhis2_dataValueSetB.csv"), "dhis2_dataValueSetB.csv", options=Options())
    warning = issue(result, "ids_not_named")
    assert (warning.params["n"], warning.value) == (5, "f7n9E0hX8qk")
    assert set(result.converted.raw.to_frame()["area"]) == {"DiszpKrYNg8", "BdfsJfj87js"}
    missing = issue(result, "missing_value")  # DHIS2 values carry no unit: the mapping file gives it
    assert (missing.column, missing.cell) == ("unit", "F2")


def test_dhis2_metadata_json_names_ids_and_the_data_set() -> None:
    names = ("metadata.json", read("dhis2_metadata.json"))
    frame = rows("dhis2_dataValueSetA.xml", Options(companion=names))
    assert frame[["indicator", "area", "period", "value", "source"]].values.tolist() == [
        ["Số ca sinh", "Xã Ninh Hải", "2012-01", "10001", "Báo cáo y tế xã hằng tháng — dhis2_dataValueSetA.xml"],
        ["Số ca sinh", "Xã Ninh Xuân", "2012-01", "10002", "Báo cáo y tế xã hằng tháng — dhis2_dataValueSetA.xml"],
        ["Số ca sinh", "Xã Ninh Hải", "2012-02", "10003", "Báo cáo y tế xã hằng tháng — dhis2_dataValueSetA.xml"],
    ]
    assert dhis2.read_names(read("dhis2_metadata.json"))["pBOMPrpg1QX"] == "Báo cáo y tế xã hằng tháng"
    assert dhis2.read_names(read("dhis2_names.csv"))["unit:Ix2HsbDMLea"] == "trẻ"


def test_dhis2_json_keeps_the_default_combo_and_reports_the_others() -> None:
    converted = convert_bytes(read("dhis2_dataValues_bulk_trimmed.json"), "bulk.json", Options())
    frame = converted.raw.to_frame()
    assert len(frame) == 15 and (frame["breakdown"] == "").sum() == 9
    assert frame[["indicator", "area", "period", "value"]].values.tolist()[0] == [
        "tpz77FcntKx", "O6uvpzGd5pu", "2018", "500000"]
    assert set(frame[frame["breakdown"] == ""]["period"]) == {"2018", "2019-12"}
    assert converted.detected[1] == "A DHIS2 data value set (JSON): 15 records → 15 rows. Kept 6 breakdown series (coc)."
    kept = frame[frame["breakdown"] != ""]
    assert sorted(set(kept["breakdown"])) == ["coc=hF0pQZIn6Ch", "coc=oPcWGgS2Liz", "coc=rtfSaMjPyq6"]  # no names: ids
    assert converted.origin.row("value", int(kept.index[0]) - 2) == 7  # the first is the file's 7th data value


def test_dhis2_combos_named_by_the_mapping_become_dimensions() -> None:
    names = ('kind,id,name\ncategoryOptionCombo,hF0pQZIn6Ch,Nữ\ncategoryOptionCombo,oPcWGgS2Liz,"Female, 15-49y"\n'
             'categoryOptionCombo,rtfSaMjPyq6,"Fixed, <1y"\n').encode()
    converted = convert_bytes(read("dhis2_dataValues_bulk_trimmed.json"), "bulk.json",
                              Options(companion=("n.csv", names)))
    frame = converted.raw.to_frame()
    # a name whose every part is sex or an age group gives those dimensions; another stays the combo's name
    assert sorted(set(frame["breakdown"])) == ["", "coc=Fixed, <1y", "sex=Female; age_group=15-49y", "sex=Nữ"]
    assert converted.detected[1].endswith("Kept 6 breakdown series (Sex, Age group, coc).")


@pytest.mark.parametrize(("name", "pairs"), [
    ("Female, <5y", [("sex", "Female"), ("age_group", "<5y")]),
    ("Nam, 15-24 tuổi", [("sex", "Nam"), ("age_group", "15-24 tuổi")]),
    ("Urban", [("residence", "Urban")]),
    ("Male, Female", [("coc", "Male, Female")]),  # one dimension twice is no breakdown of two
    ("Outreach, <1y", [("coc", "Outreach, <1y")]),
    ("2024", [("coc", "2024")]),  # a bare number is no age group
])
def test_dhis2_combo_names(name: str, pairs: list[tuple[str, str]]) -> None:
    assert dhis2.combo_breakdown(name) == pairs
    assert dhis2.combo_breakdown(name, "attributeOptionCombo") == [("aoc", name)]


def test_opensdg_other_disaggregations_keep_their_folded_name() -> None:
    data = (b"Year,Units,Disability status,Location,Value\n2020,%,,,10\n2020,%,With disability,,14\n"
            b"2020,%,,Urban,8\n2020,%,With disability,Rural,16\n")
    result = validate_bytes(data, "indicator_1-1-1.csv", options=Options(area="Ninh Bình"))
    assert result.report.valid, result.report.issues
    assert result.frame[["breakdown", "value"]].values.tolist() == [
        ["", 10.0], ["disability_status=With disability", 14.0], ["residence=Urban", 8.0],
        ["residence=Rural; disability_status=With disability", 16.0]]


def test_dhis2_json_record_numbers_locate_validation_issues() -> None:
    document = json.loads(read("dhis2_dataValues_bulk_trimmed.json"))
    document["dataValues"][2]["value"] = "abc"
    names = ("n.csv", "kind,id,name,unit\n" + "".join(f"dataElement,{v['dataElement']},E{i},người\n"
                                                      for i, v in enumerate(document["dataValues"])))
    result = validate_bytes(json.dumps(document).encode(), "bulk.json",
                            options=Options(companion=(names[0], names[1].encode())))
    bad = issue(result, "bad_number")
    assert (bad.row, bad.cell, bad.value) == (3, "", "abc")  # the third data value of the file


def test_dhis2_every_period_kind_and_one_the_contract_cannot_hold() -> None:
    periods = ["2024", "202401", "2024Q1", "2024S1", "2024W1", "2024BiW1", "202403B", "20240115", "2024April",
               "2024AprilS2", "2024WedW1"]
    document = {"dataSet": "ds1", "dataValues": [{"dataElement": "de1", "period": p, "orgUnit": "ou1",
                                                  "value": str(i)} for i, p in enumerate(periods)]}
    names = "kind,id,name,unit\ndataElement,de1,Tỷ lệ tiêm chủng,%\norgUnit,ou1,Xã Ninh Hải\n".encode()
    result = validate_bytes(json.dumps(document).encode(), "p.json", options=Options(companion=("n.csv", names)))
    assert result.converted.raw.to_frame()["period"].tolist() == [
        "2024", "2024-01", "2024-03", "2024-06", "2024-01-07", "2024-01-14", "2024-04", "2024-01-15", "2025-03",
        "2025-03"]
    bad = issue(result, "period_not_supported")
    assert (bad.row, bad.value, bad.severity) == (11, "2024WedW1", "error")
    assert not result.report.valid
    # 2024April and 2024AprilS2 both end in March 2025: the contract sees one period twice
    assert "duplicate_key" in codes(result)


def test_dhis2_deleted_and_empty_values_are_no_figure() -> None:
    data = (b'"dataelement","period","orgunit","categoryoptioncombo","attributeoptioncombo","value","deleted"\n'
            b'"de1","2024","ou1","","","5","false"\n"de1","2023","ou1","","","7","true"\n'
            b'"de1","2022","ou1","HllvX50cXC0","","",""\n"de1","2021","ou1","","xYz12345678","3",""\n')
    converted = convert_bytes(data, "d.csv", Options())
    assert converted.raw.to_frame()[["value", "breakdown"]].values.tolist() == [["5", ""], ["3", "aoc=xYz12345678"]]
    found = {i.code: i for i in converted.issues}
    assert (found["no_figure"].params["n"], found["no_figure"].cell) == (2, "F3")
    assert set(found) == {"no_figure", "ids_not_named"}  # nothing left out; the attribute combo has no name


@pytest.mark.parametrize(("data", "name", "reason"), [
    (b'{"dataValues": [{"dataElement": "a",', "bad.json", "JSON"),
    (b'{"dataValues": {"x": 1}}', "bad.json", "dataValues"),
    (b'<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0"><dataValue dataElement="a"', "bad.xml", "XML"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
     b'<dataValueSet><dataValue value="&lol2;"/></dataValueSet>', "bomb.xml", "DTD"),
])
def test_dhis2_damaged_files_give_one_clear_issue(data: bytes, name: str, reason: str) -> None:
    result = validate_bytes(data, name, options=Options())
    assert result.unreadable and codes(result) == {"peer_file_damaged": 1}
    assert reason in result.report.issues[0].message("en")


def test_dhis2_records_are_bounded_by_the_row_limit() -> None:
    document = {"dataValues": [{"dataElement": "a", "period": "2024", "orgUnit": "o", "value": "1"}] * 6}
    result = validate_bytes(json.dumps(document).encode(), "big.json", limits=Limits(rows=5), options=Options())
    assert result.unreadable and codes(result) == {"too_many_rows": 1}


# --- PX-Web ------------------------------------------------------------------------------------------------

def test_px_keeps_the_eliminated_totals() -> None:
    frame = rows("px_BE0101A1elimtot.px", Options(area="Thụy Điển"))
    assert frame[frame["breakdown"] == ""][COLUMNS].values.tolist()[:2] == [
        ["population", "Population", "number", "Thụy Điển", "2001", "actual", "8909128"],
        ["population", "Population", "number", "Thụy Điển", "2002", "actual", "8940788"],
    ]
    assert (frame["breakdown"] == "").sum() == 6 and len(frame) == 90  # 6 totals, 14 breakdown series × 6 years
    assert frame[["breakdown", "period", "value"]].values.tolist()[:1] + frame[["breakdown", "period", "value"]].values.tolist()[6:7] == [
        ["sex=men; marital_status=single", "2001", "2391644"], ["sex=women; marital_status=single", "2001", "2064764"]]
    assert {"sex=men", "marital_status=married"} <= set(frame["breakdown"])  # one eliminated, the other kept
    result = validate_bytes(read("px_BE0101A1elimtot.px"), "px_BE0101A1elimtot.px", options=Options())
    assert result.report.valid, result.report.issues
    assert codes(result) == {"area_assumed": 1}  # nothing is left out any more
    assert result.detected[1].endswith("Kept 14 breakdown series (Sex, marital_status).")
    assert issue(result, "area_assumed").value == "Toàn quốc"
    assert result.frame["source"].iloc[0] == "Statistics Sweden — px_BE0101A1elimtot.px"


def test_px_quarters_and_a_total_named_in_the_stub() -> None:
    frame = rows("px_HA0201E8.px")
    total = frame[frame["breakdown"] == ""]
    assert total["period"].tolist()[:5] == ["2006-03", "2006-06", "2006-09", "2006-12", "2007-03"]
    assert total["value"].tolist()[:3] == ["121", "124", "120"]  # the "0-9 Total" commodity group
    assert frame["value"].tolist()[:3] == ["146", "157", "154"]  # the first group, a breakdown of it
    assert set(frame["unit"]) == {"index"}


def test_px_a_breakdown_without_a_total_keeps_its_breakdown_rows() -> None:
    result = validate_bytes(read("px_BE0101N1.px"), "px_BE0101N1.px", options=Options())
    assert result.report.valid, result.report.issues
    assert len(result.frame) == 84 and set(result.frame["breakdown"]) == {"sex=men", "sex=women"}
    assert result.frame[["area", "period", "breakdown", "value"]].values.tolist()[:2] == [
        ["01 Stockholm county", "2007", "sex=men", 961146.0], ["01 Stockholm county", "2007", "sex=women", 988370.0]]


def test_px_preliminary_values_dots_and_an_area_variable() -> None:
    px = ('CHARSET="ANSI";\nAXIS-VERSION="2013";\nCODEPAGE="utf-8";\nMATRIX="V02.01";\n'
          'TITLE="Dân số trung bình phân theo địa phương";\nCONTENTS="Dân số trung bình";\nUNITS="nghìn người";\n'
          'STUB="Địa phương";\nHEADING="Năm";\nVALUES("Địa phương")="CẢ NƯỚC","Ninh Bình";\n'
          'VALUES("Năm")="2021","Sơ bộ 2022";\nSOURCE="Tổng cục Thống kê";\nDATA=\n98504.4 99474.4\n1000.1 ".." ;\n')
    result = validate_bytes(px.encode(), "V02.01.px", options=Options(area="Việt Nam"))
    assert result.report.valid, result.report.issues
    assert result.frame[["area", "period", "kind", "value"]].values.tolist() == [
        ["Việt Nam", "2021", "actual", 98504.4], ["Việt Nam", "2022", "estimate", 99474.4],
        ["Ninh Bình", "2021", "actual", 1000.1]]
    assert (issue(result, "no_figure").cell, issue(result, "no_figure").row) == ("B15", 15)


@pytest.mark.parametrize(("px", "reason"), [
    ('AXIS-VERSION="2000";\nSTUB="a";\nVALUES("a")="x","y";\nHEADING="b";\nVALUES("b")="2020";\nDATA=\n1 2 3;',
     "3 cells"),
    ('AXIS-VERSION="2000";\nSTUB="a";\nVALUES("a")="x";\n', "DATA="),
    ('AXIS-VERSION="2000";\nSTUB="a";\nHEADING="b";\nVALUES("b")="2020";\nDATA=\n1;', "'a'"),
    ('AXIS-VERSION="2000";\nthis is not a keyword', "line 2"),
])
def test_px_damaged_files_give_one_clear_issue(px: str, reason: str) -> None:
    result = validate_bytes(px.encode(), "bad.px", options=Options())
    assert result.unreadable and codes(result) == {"peer_file_damaged": 1}
    assert reason in result.report.issues[0].message("en")


def test_pxweb_csv_of_gso() -> None:
    frame = rows("gso_pxweb_dan_so.csv")
    assert frame[COLUMNS].values.tolist()[3:5] == [
        ["dan_so_trung_binh", "Dân số trung bình", "Nghìn người", "CẢ NƯỚC", "2022", "estimate", "99474,4"],
        ["dan_so_trung_binh", "Dân số trung bình", "Nghìn người", "Đồng bằng sông Hồng", "2019", "actual", "22543,2"],
    ]
    result = validate_bytes(read("gso_pxweb_dan_so.csv"), "gso_pxweb_dan_so.csv", options=Options(area="Việt Nam"))
    assert result.report.valid and result.decimal == ","
    assert result.frame["value"].iloc[0] == 96484.0 and result.frame["area"].iloc[0] == "Việt Nam"
    assert (issue(result, "no_figure").params["n"], issue(result, "no_figure").cell) == (2, "D8")
    assert result.frame["row"].iloc[0] == 4  # the row of the file, after the title and a blank line


def test_pxweb_csv_breakdown_column_and_the_catalogue() -> None:
    stored = pd.DataFrame({"indicator_id": ["ho_ngheo"], "indicator": ["Tỷ lệ hộ nghèo"], "unit": ["%"],
                           "group": ["Xã hội"], "direction": ["decrease"]})
    result = validate_bytes(read("gso_pxweb_ho_ngheo.csv"), "gso_pxweb_ho_ngheo.csv", current=None,
                            options=Options(catalogue=Catalogue(stored)))
    assert result.report.valid
    assert set(result.frame["indicator_id"]) == {"ho_ngheo"}
    assert set(result.frame["direction"]) == {"decrease"}
    assert result.frame[result.frame["breakdown"] == ""][["area", "period", "kind", "value"]].values.tolist()[:3] == [
        ["CẢ NƯỚC", "2020", "actual", 4.8], ["CẢ NƯỚC", "2021", "actual", 4.4], ["CẢ NƯỚC", "2022", "estimate", 4.3]]
    urban = result.frame[result.frame["breakdown"] == "residence=Thành thị"]
    assert urban[["area", "period", "value"]].values.tolist()[:2] == [["CẢ NƯỚC", "2020", 1.2], ["CẢ NƯỚC", "2021", 1.1]]
    assert set(result.frame["breakdown"]) == {"", "residence=Thành thị", "residence=Nông thôn"}
    assert result.converted.origin.cell("breakdown", 3) == "B4"  # the "Thành thị" cell of the row


def test_a_report_table_with_a_title_line_is_not_a_pxweb_csv() -> None:
    data = '"Biểu 01: Một số chỉ tiêu KT-XH chủ yếu"\n"Chỉ tiêu","2021","2022","Ước 2023"\n"Dân số","1","2","3"\n'
    assert not pxweb.sniff(data.encode(), "bieu01.csv")
    assert pxweb.sniff(data.replace('"Chỉ tiêu"', '"Tỉnh, thành phố"').encode(), "v.csv")


def test_opensdg_uk_sdmx_columns_status_and_unit_multiplier() -> None:
    name = "opensdg_uk_indicator_1-2-1_sdmx.csv"  # today's layout of the same UK file
    result = validate_bytes(read(name), name, options=Options(area="Vương quốc Anh"))
    assert result.report.valid
    assert result.frame[result.frame["breakdown"] == ""][["indicator_id", "unit", "period", "kind", "value"]].values.tolist() == [
        ["sdg_1_2_1", "Percentage (%)", "2016", "actual", 15.9], ["sdg_1_2_1", "Percentage (%)", "2017", "actual", 17.0]]
    assert result.frame["breakdown"].nunique() == 21
    data = read(name).replace(b"2016,,Undefined,,Percentage (%),Units,15.9", b"2016,,E,,Percentage (%),Thousands,15.9")
    frame = rows(name, data=data)
    assert frame[["unit", "kind"]].values.tolist()[0] == ["Percentage (%) (Thousands)", "estimate"]


def test_dhis2_xml_value_elements_the_set_period_and_the_row_limit() -> None:
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" '
            'period="2024Q2" orgUnit="ou1"><dataValue dataElement="de1"><value>12</value></dataValue>'
            '<dataValue dataElement="de2" value="7" comment="ước tính"/></dataValueSet>').encode()
    frame = rows("set.xml", data=data)
    assert frame[["indicator", "area", "period", "value", "note"]].values.tolist() == [
        ["de1", "ou1", "2024-06", "12", ""], ["de2", "ou1", "2024-06", "7", "ước tính"]]
    result = validate_bytes(data, "set.xml", limits=Limits(rows=1), options=Options())
    assert result.unreadable and codes(result) == {"too_many_rows": 1}
    assert validate_bytes(b"<html><dataValueSet/></html>", "x.xml", options=Options(fmt="dhis2")).unreadable


def test_opensdg_xlsx_names_its_sheet_and_cells(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "1-2-1"
    for line in read("opensdg_uk_1-2-1.csv").decode().splitlines():
        sheet.append([float(c) if c.replace(".", "").isdigit() and "." in c else c for c in line.split(",")])
    sheet["E2"] = "n/a?"
    book.save(tmp_path / "indicator_1-2-1.xlsx")
    data = (tmp_path / "indicator_1-2-1.xlsx").read_bytes()
    result = validate_bytes(data, "indicator_1-2-1.xlsx", options=Options())
    assert result.format == "opensdg"
    bad = issue(result, "bad_number")
    assert (bad.sheet, bad.cell, bad.value) == ("1-2-1", "E2", "n/a?")
    assert result.frame["breakdown"].nunique() == 21  # the breakdowns of the sheet kept too


def test_px_contents_variable_gives_one_indicator_per_content() -> None:
    px = ('AXIS-VERSION="2010";\nCODEPAGE="utf-8";\nTITLE="Diện tích và dân số";\nCONTENTS="Diện tích và dân số";\n'
          'UNITS="-";\nSTUB="Tỉnh";\nHEADING="Chỉ tiêu","Năm";\nCONTVARIABLE="Chỉ tiêu";\n'
          'VALUES("Tỉnh")="Ninh Bình";\nVALUES("Chỉ tiêu")="Diện tích","Dân số";\nVALUES("Năm")="2022","2023";\n'
          'UNITS("Diện tích")="km2";\nUNITS("Dân số")="nghìn người";\nDATA=\n1411.8 1411.8 1010.7 1016.3;\n')
    frame = rows("contents.px", data=px.encode())
    assert frame[["indicator_id", "unit", "area", "period", "value"]].values.tolist() == [
        ["dien_tich", "km2", "Ninh Bình", "2022", "1411.8"], ["dien_tich", "km2", "Ninh Bình", "2023", "1411.8"],
        ["dan_so", "nghìn người", "Ninh Bình", "2022", "1010.7"], ["dan_so", "nghìn người", "Ninh Bình", "2023", "1016.3"]]


def test_px_sex_breakdown_year_variable_and_a_school_year() -> None:
    px = ('AXIS-VERSION="2010";\nCODEPAGE="utf-8";\nCONTENTS="Số học sinh";\nUNITS="học sinh";\n'
          'STUB="Giới tính";\nHEADING="Năm";\nVALUES("Giới tính")="Tổng số","Nam","Nữ";\n'
          'VALUES("Năm")="2022","2023-2024";\nDATA=\n100 110\n52 57\n48 53;\n')
    converted = convert_bytes(px.encode(), "hs.px", Options(area="Xã Ninh Hải"))
    assert converted.raw.to_frame()[["period", "breakdown", "value"]].values.tolist() == [
        ["2022", "", "100"], ["2022", "sex=Nam", "52"], ["2022", "sex=Nữ", "48"]]
    found = {i.code: i for i in converted.issues}
    assert (found["period_not_supported"].value, found["period_not_supported"].cell) == ("2023-2024", "B10")  # line 10: the first data line
    assert [i.code for i in converted.issues].count("period_not_supported") == 1


def test_px_declaring_more_cells_than_the_limit_is_refused_before_reading_them() -> None:
    values = ",".join(f'"{i}"' for i in range(2000))
    px = f'AXIS-VERSION="2000";\nSTUB="a";\nHEADING="b";\nVALUES("a")={values};\nVALUES("b")={values};\nDATA=\n1;'
    result = validate_bytes(px.encode(), "big.px", limits=Limits(cells=1_000_000), options=Options())
    assert result.unreadable and codes(result) == {"too_many_sheet_cells": 1}
