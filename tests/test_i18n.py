"""The catalogue (indicators/i18n.py): every key in both languages, none unused, the same parameters in
vi and en, every call passing exactly those, and English plurals chosen by CLDR's rule.

The call sites are read from the source (AST): a `t(...)` (or `pair(...)`) whose key is a string literal
(or a conditional between literals) is checked against the message's parameters; a key built at run time
must be spelled as one of `FAMILIES`, which lists the exact keys it can produce.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from indicators.i18n import COUNTS, FAMILIES, PARAMS, TEXT, CatalogueError, counts, pair, parameters, t
from indicators.ingest.report import SEVERITY, IssueLog, ValidationReport, make_issue
from indicators.ingest.validate import validate_bytes
from indicators.progress.statuses import BY_CODE, STATUS_CODES

ROOT = Path(__file__).resolve().parents[1]
#: Where the words a user reads are asked for: the library, the pages, their glue and the entry point.
SOURCES = sorted([*(ROOT / "src" / "indicators").rglob("*.py"), *(ROOT / "app_pages").rglob("*.py"),
                  *(ROOT / "webui").rglob("*.py"), ROOT / "app.py"])
LOOKUPS = {"t", "pair"}
SELECTOR = re.compile(r"\{(\w+)\|")


@dataclass(frozen=True)
class Call:
    where: str
    keys: tuple[str, ...]  # the literal keys it may ask for (both sides of a conditional)
    family: str | None  # the spelling of a key built at run time
    keywords: frozenset[str] | None  # None when the call passes **values


def _pattern(node: ast.expr) -> str:
    """The spelling of a run-time key: f"trend_{trend}" -> 'trend_{trend}', 'kind_' + k -> 'kind_{k}'."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_pattern(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return "{" + ast.unparse(node.value) + "}"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pattern(node.left) + _pattern(node.right)
    return "{" + ast.unparse(node) + "}"


def _literals(node: ast.expr) -> tuple[str, ...] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node but the bodies of the lookup functions themselves (they forward the key they are given)."""
    nodes, todo = [], [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef) and node.name in LOOKUPS:
            continue
        nodes.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return nodes


def _calls() -> list[Call]:
    calls = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _nodes(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS):
                continue
            if not node.args:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            keywords = (None if any(k.arg is None for k in node.keywords)
                        else frozenset(k.arg for k in node.keywords if k.arg is not None))
            literal = _literals(node.args[0])
            if literal is not None:
                calls.append(Call(where, literal, None, keywords))
            else:
                calls.append(Call(where, (), _pattern(node.args[0]), keywords))
    return calls


CALLS = _calls()


def test_the_scan_sees_the_call_sites() -> None:
    assert len(CALLS) > 200
    assert any(c.keys == ("overview",) for c in CALLS)
    assert any(c.family == "trend_{trend}" for c in CALLS)


def test_every_key_has_both_languages_non_empty() -> None:
    for key, texts in TEXT.items():
        assert isinstance(texts, tuple) and len(texts) == 2, key
        vi, en = texts
        assert isinstance(vi, str) and vi.strip(), f"{key}: no Vietnamese"
        assert isinstance(en, str) and en.strip(), f"{key}: no English"


def test_both_languages_take_the_same_parameters() -> None:
    for key, (vi, en) in TEXT.items():
        assert parameters(vi) == parameters(en), key


def test_vietnamese_has_no_plural_forms_and_english_counts_are_declared() -> None:
    for key, (vi, en) in TEXT.items():
        assert not counts(vi), f"{key}: Vietnamese has no plural forms (CLDR: 'other' only)"
        assert set(SELECTOR.findall(en)) == set(COUNTS[key]), key


def test_every_key_asked_for_exists() -> None:
    missing = [(c.where, k) for c in CALLS for k in c.keys if k not in TEXT]
    assert not missing


def test_every_run_time_key_is_a_declared_family() -> None:
    undeclared = sorted({(c.where, c.family) for c in CALLS if c.family is not None and c.family not in FAMILIES})
    assert not undeclared, "declare these in i18n.FAMILIES (the exact keys each can produce)"


def test_families_hold_existing_keys_of_their_spelling() -> None:
    for spelling, keys in FAMILIES.items():
        assert keys, spelling
        shape = re.compile("".join(".*" if part.startswith("{") else re.escape(part)
                                   for part in re.split(r"(\{[^}]*\})", spelling)))
        for key in keys:
            assert key in TEXT, (spelling, key)
            assert shape.fullmatch(key), (spelling, key)


def test_families_are_the_codes_they_stand_for() -> None:
    assert set(FAMILIES["check_{code}"]) == {f"check_{c}" for c in SEVERITY}
    assert FAMILIES["status_{self.code}"] == tuple(f"status_{c}" for c in STATUS_CODES)
    assert FAMILIES["status_meaning_{self.code}"] == tuple(f"status_meaning_{c}" for c in STATUS_CODES)


def test_no_key_is_unused_and_no_family_is_stale() -> None:
    used = {k for c in CALLS for k in c.keys}
    spelled = {c.family for c in CALLS if c.family is not None}
    used |= {k for family in spelled & FAMILIES.keys() for k in FAMILIES[family]}
    assert sorted(set(TEXT) - used) == []
    assert sorted(FAMILIES.keys() - spelled) == []


def test_every_literal_call_passes_exactly_the_declared_parameters() -> None:
    wrong = []
    for c in CALLS:
        if c.keywords is None:
            continue
        keys = c.keys or FAMILIES.get(c.family or "", ())
        for key in keys:
            if key in PARAMS and c.keywords != PARAMS[key]:
                wrong.append((c.where, key, sorted(c.keywords), sorted(PARAMS[key])))
    assert not wrong


def test_calls_passing_values_through_are_few_and_known() -> None:
    """`**values` hides the parameters from the scan: only these places do it (the runtime check covers them:
    the validation and store-fault suites make every such message)."""
    through = {c.where.split(":")[0] for c in CALLS if c.keywords is None}
    assert through <= {"src/indicators/ingest/report.py", "src/indicators/store/versions.py", "src/indicators/cli/versions.py"}


# --- the lookup function ---------------------------------------------------------------------------
def test_t_raises_on_a_missing_an_unexpected_parameter_and_an_unknown_key() -> None:
    with pytest.raises(CatalogueError, match="missing.*'total'"):
        t("report_page", "en", n=1)
    with pytest.raises(CatalogueError, match="unexpected.*'year'"):
        t("overview", "en", year=2025)
    with pytest.raises(CatalogueError, match="no catalogue key"):
        t("no_such_key", "en")
    with pytest.raises(CatalogueError, match="must be a number"):
        t("not_plotted", "en", n="3")


def test_t_falls_back_to_vietnamese_and_fills_parameters() -> None:
    assert t("overview") == t("overview", "fr") == "Tổng quan"
    assert t("report_page", "en", n=2, total=5) == "Page 2 of 5"
    assert pair("check_decimal_named", decimal=",") == (" (dấu thập phân ',')", " (decimal separator ',')")


@pytest.mark.parametrize(("n", "english", "vietnamese"), [
    (0, "Not plotted (no baseline or target): 0 indicators", "Không vẽ trên biểu đồ (thiếu số liệu gốc hoặc mục tiêu): 0 chỉ tiêu"),
    (1, "Not plotted (no baseline or target): 1 indicator", "Không vẽ trên biểu đồ (thiếu số liệu gốc hoặc mục tiêu): 1 chỉ tiêu"),
    (2, "Not plotted (no baseline or target): 2 indicators", "Không vẽ trên biểu đồ (thiếu số liệu gốc hoặc mục tiêu): 2 chỉ tiêu"),
    (1500, "Not plotted (no baseline or target): 1,500 indicators",
     "Không vẽ trên biểu đồ (thiếu số liệu gốc hoặc mục tiêu): 1.500 chỉ tiêu"),
])
def test_english_plurals_follow_the_count_and_counts_use_the_languages_digits(n: int, english: str,
                                                                           vietnamese: str) -> None:
    assert t("not_plotted", "en", n=n) == english
    assert t("not_plotted", "vi", n=n) == vietnamese


def test_counting_messages_say_one_and_many() -> None:
    import numpy as np

    assert t("file_valid", "en", rows=1, encoding="utf-8") == "The file is valid: 1 row (utf-8)."
    assert t("committed", "en", version=3, rows=2) == "Committed version 3 (2 rows). Every viewer sees it now."
    assert t("removals_confirm", "en", n=1) == "I agree to remove this row"
    assert t("removals_confirm", "en", n=np.int64(4)) == "I agree to remove these 4 rows"
    assert t("cli_confirm", "en", n=1) == "Commit a new version removing 1 row? [y/N] "
    assert t("report_summary_sub", "en", n=1, k=1) == "Status of 1 indicator; table: the one with a target"
    assert t("report_summary_sub", "en", n=9, k=2) == "Status of 9 indicators; table: the 2 with a target"
    assert t("nar_group_lead_none", "en", group="Party", n=1) == "Party: 1 indicator, none with a published target."


# --- validation messages, progress texts, statuses come from the catalogue --------------------------
def test_every_validation_code_has_a_catalogue_message() -> None:
    assert {k.removeprefix("check_") for k in FAMILIES["check_{code}"]} == set(SEVERITY)


def test_an_issue_is_written_in_both_languages_from_the_catalogue() -> None:
    issue = make_issue("missing_column", column="unit", label=("Đơn vị tính", "Unit"))
    assert issue.message("vi") == "Thiếu cột bắt buộc 'unit' (Đơn vị tính)."
    assert issue.message("en") == "The required column 'unit' (Unit) is missing."
    with pytest.raises(CatalogueError):
        make_issue("missing_column", column="unit")  # the label is declared: a checker must pass it


def test_the_more_rows_issue_and_the_summary_count_in_english() -> None:
    log = IssueLog(limit=1)
    for row in (2, 3):
        log.add("blank_row", row=row)
    for row in (4, 5, 6):
        log.add("nul_character", row=row, column="note")
    report = ValidationReport(log.finish(), rows=1)
    more = [i.message("en") for i in report.issues if i.row is None]
    assert more == ["…and 1 more row with the same problem (blank_row).",
                    "…and 2 more rows with the same problem (nul_character)."]
    assert report.summary("en") == "invalid: 1 row, 2 errors, 2 warnings"
    assert report.summary("vi") == "không hợp lệ: 1 dòng, 2 lỗi, 2 cảnh báo"
    assert report.to_lines("en")[0] == "row 2 — blank_row: The row is empty and is skipped."


def test_progress_texts_are_in_the_users_language() -> None:
    data = (b"indicator_id,indicator,group,unit,area,period,kind,value,source\n"
            b"a,A,G,%,X,2023,actual,1,S\n")
    heard: dict[str, list[str]] = {"vi": [], "en": []}
    for lang, messages in heard.items():
        validate_bytes(data, "a.csv", progress=lambda f, m, out=messages: out.append(m), lang=lang)
    assert heard["en"] == [t("progress_reading", "en"), t("progress_checking", "en"), t("progress_checked", "en")]
    assert heard["vi"] == [t("progress_reading", "vi"), t("progress_checking", "vi"), t("progress_checked", "vi")]
    assert heard["en"][0] == "Reading the file…"
    heard["en"].clear()
    validate_bytes(b"\x00\x01binary", "a.csv", progress=lambda f, m: heard["en"].append(m), lang="en")
    assert heard["en"] == ["Reading the file…", "The file cannot be read"]


def test_status_words_and_meanings_come_from_the_catalogue() -> None:
    for code in STATUS_CODES:
        status = BY_CODE[code]
        assert status.label("en") == t(f"status_{code}", "en")
        assert status.meaning("vi") == status.meaning_vi == t(f"status_meaning_{code}", "vi")
        assert status.meaning_en == t(f"status_meaning_{code}", "en")


def test_issue_call_sites_with_keywords_pass_exactly_the_declared_parameters() -> None:
    """`ReadError("code", ...)`, `make_issue("code", ...)`, `log.add("code", ...)`: the keywords beyond row,
    column and value are the message's parameters beyond those (per-cell parameters that travel as lists of
    dicts, in ingest/rules.py, are checked when the message is written: `t` raises)."""
    where_fields = {"row", "column", "value"}
    checked, wrong = 0, []
    for path in sorted((ROOT / "src" / "indicators").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value in SEVERITY
                    and ast.unparse(node.func) in {"ReadError", "make_issue", "log.add"}):
                continue
            if any(k.arg is None for k in node.keywords):
                continue
            code = node.args[0].value
            passed = {k.arg for k in node.keywords if k.arg is not None} - where_fields
            declared = set(PARAMS[f"check_{code}"]) - where_fields
            checked += 1
            if passed != declared:
                wrong.append((f"{path.relative_to(ROOT)}:{node.lineno}", code, sorted(passed), sorted(declared)))
    assert checked > 30
    assert not wrong
