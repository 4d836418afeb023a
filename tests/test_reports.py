"""The deck and the brief: they open, say the right things in the right format, and the CLI writes both."""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import re
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from indicators import paths
from indicators.cli import main
from indicators.ingest.validate import validate_bytes
from indicators.present import fontfiles, theme
from indicators.present import model as reports
from indicators.present.pdf import build_brief
from indicators.present.pptx import build_deck
from indicators.present.view import VersionView, view_of
from indicators.progress.engine import compute_progress
from indicators.store.current import load_csv
from indicators.store.versions import Store

GROUPS = ["Nông thôn mới", "Kinh tế", "Xã hội", "Hạ tầng", "Xây dựng Đảng", "Đơn vị hành chính"]


@pytest.fixture(scope="module")
def shipped() -> VersionView:
    """The shipped data as version 3, seen in mid-2024, while its term was open (pace and statuses; a closed
    term's verdicts are tested in tests/test_scope.py)."""
    return view_of(load_csv(paths.KIM_SON_DATA), label=3, today=date(2024, 6, 1))


@pytest.fixture(scope="module")
def deck(shipped: VersionView) -> tuple[bytes, list[tuple[float, str]]]:
    calls: list[tuple[float, str]] = []
    data = build_deck(shipped, lang="vi", progress=lambda f, m: calls.append((f, m)))
    return data, calls


def slide_texts(data: bytes) -> list[str]:
    """The text of each slide, title first: text boxes and table cells."""
    texts = []
    for slide in Presentation(io.BytesIO(data)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append("\n".join(parts))
    return texts


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# --- the model ----------------------------------------------------------------------------------------
def test_report_is_about_the_main_area_and_its_term(shipped: VersionView) -> None:
    r = reports.prepare(shipped, "vi")
    assert r.area == "Huyện Kim Sơn"
    assert r.term == "Nhiệm kỳ 2020–2025"
    assert r.subtitle == "Huyện Kim Sơn · Nhiệm kỳ 2020–2025"
    assert r.dateline == "Tiến độ tính đến 31/10/2023 · Phiên bản 3"
    assert [s.group for s in r.sections] == GROUPS  # file order
    assert set(r.result["area"]) == {"Huyện Kim Sơn"}
    assert len(r.sources) == len(set(r.sources))
    party = r.sections[GROUPS.index("Xây dựng Đảng")]
    assert list(party.rows["status"][:2]) == ["achieved", "on_track"]  # targets first
    assert r.source_numbers(party.rows.head(1)) == [1]
    assert reports.prepare(shipped, "en").term == "Term 2020–2025"


def test_term_without_baselines_names_the_target_year() -> None:
    csv = ("indicator_id,indicator,group,unit,area,period,kind,value,direction,source\n"
           "x,X,G,%,A,2023,actual,40,increase,s\nx,X,G,%,A,2030,target,90,increase,s\n")
    result = compute_progress(validate_bytes(csv.encode(), "t.csv").frame)
    assert reports.term_text(result, "vi") == "Mục tiêu đến năm 2030"
    assert reports.term_text(result.iloc[0:0], "vi") == ""


def test_each_group_gets_the_chart_that_fits(shipped: VersionView) -> None:
    r = reports.prepare(shipped)
    kinds = {s.group: reports.group_figure(r, s).data[0].type for s in r.sections}
    assert kinds["Nông thôn mới"] == "bar"          # targets: share of each target reached
    assert kinds["Kinh tế"] == "scatter"            # no target, a history: the longest series
    assert kinds["Hạ tầng"] == "table"              # single values: a table of the latest figures


def test_slide_plan_has_a_title_then_each_group_then_its_series(shipped: VersionView) -> None:
    r = reports.prepare(shipped)
    plan = reports.slide_plan(r)
    assert plan[0].kind == "title"
    assert len(plan) == 1 + len(r.sections) + len(r.result)
    assert [s.title for s in plan if s.kind == "group"] == GROUPS
    first_group = plan[1]
    assert plan[2].kind == "indicator" and plan[2].section == first_group.section
    assert r.result.loc[plan[2].row, "indicator_id"] == "xa_dat_chuan_ntm"


# --- the deck -----------------------------------------------------------------------------------------
def test_deck_opens_with_titles_numbers_and_statuses(deck: tuple[bytes, list[tuple[float, str]]]) -> None:
    texts = slide_texts(deck[0])
    title = texts[0]
    assert "Kết quả thực hiện các chỉ tiêu kinh tế - xã hội" in title
    assert "Huyện Kim Sơn · Nhiệm kỳ 2020–2025" in title and "Phiên bản 3" in title
    assert "Tiến độ tính đến 31/10/2023" in title  # the date of the progress figures
    summary = texts[1]
    assert "Tổng hợp" in summary and "667 đảng viên (31/10/2023)" in summary and "1.000 đảng viên (2025)" in summary
    assert "66,7%" in summary and "▲ Đúng tiến độ" in summary and "✔ Đã đạt" in summary
    titles = [slide.shapes.title.text for slide in Presentation(io.BytesIO(deck[0])).slides]
    assert titles[:2] == ["Kết quả thực hiện các chỉ tiêu kinh tế - xã hội", "Tổng hợp"]
    assert [t for t in titles if t in GROUPS] == GROUPS
    assert titles[-1].startswith("Nguồn số liệu")
    body = "\n".join(texts)
    assert "Đến 31/10/2023, số đảng viên mới được kết nạp trong nhiệm kỳ đạt 667 đảng viên, bằng 66,7% mục tiêu" in body
    assert unicodedata.is_normalized("NFC", body)


def test_every_slide_cites_its_sources(deck: tuple[bytes, list[tuple[float, str]]]) -> None:
    texts = slide_texts(deck[0])
    for n, text in enumerate(texts, start=1):
        assert f"Trang {n}/{len(texts)}" in text
        assert "Nguồn: [" in text or text.startswith("Nguồn số liệu"), text[:80]
    assert "[1] Trang TTĐT huyện Kim Sơn" in texts[-1] or "[1] Trang TTĐT huyện Kim Sơn" in texts[-2]


def test_group_slides_carry_a_large_chart_image(deck: tuple[bytes, list[tuple[float, str]]]) -> None:
    pictures = [shape for slide in Presentation(io.BytesIO(deck[0])).slides for shape in slide.shapes
                if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == len(GROUPS)
    for pic in pictures:
        assert pic.image.content_type == "image/png"
        assert pic.image.size[0] >= 1440


def test_deck_reports_its_progress(deck: tuple[bytes, list[tuple[float, str]]]) -> None:
    fractions = [f for f, _ in deck[1]]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert any("Nông thôn mới" in m for _, m in deck[1])


def test_english_deck(shipped: VersionView) -> None:
    body = "\n".join(slide_texts(build_deck(replace(shipped, label="7"), lang="en")))
    assert "Progress on socio-economic targets" in body and "Term 2020–2025" in body and "Version 7" in body
    assert "667 đảng viên (31 Oct 2023)" in body and "1,000 đảng viên (2025)" in body and "▲ On track" in body


def test_deck_of_a_dataset_without_targets() -> None:
    csv = ("indicator_id,indicator,group,unit,area,period,kind,value,source\n"
           "a,Dân số,Xã hội,người,Xã A,2022,actual,1000,s1\nb,Diện tích,,km²,Xã A,2022,actual,12.5,s2\n")
    frame = validate_bytes(csv.encode(), "t.csv").frame
    texts = slide_texts(build_deck(view_of(frame), lang="vi"))
    body = "\n".join(texts)
    assert "Dân số" in body and "1.000 người" in body and "12,5 km²" in body
    assert "Chỉ tiêu khác" in body  # an indicator without a group


# --- the brief ----------------------------------------------------------------------------------------
def test_brief_has_one_to_three_pages_of_vietnamese(shipped: VersionView) -> None:
    pages, text = pdf_text(build_brief(shipped, lang="vi"))
    assert 1 <= pages <= 3
    for expected in ("Kết quả thực hiện các chỉ tiêu kinh tế - xã hội", "Huyện Kim Sơn", "Phiên bản 3",
                     "Đúng tiến độ", "Đã đạt", "Chưa có mục tiêu", "đảng viên", "667", "1.000", "66,7%",
                     "31/10/2023", "Nguồn số liệu", "Diễn giải"):
        assert expected in text, expected
    assert unicodedata.is_normalized("NFC", text)


def test_brief_in_english(shipped: VersionView) -> None:
    pages, text = pdf_text(build_brief(shipped, lang="en"))
    assert 1 <= pages <= 3
    assert "On track" in text and "1,000" in text and "66.7%" in text and "Sources" in text


def test_brief_builds_with_no_font_installed(shipped: VersionView,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The brief embeds the package's DejaVu Sans: on a machine without fonts-dejavu-core (every system font
    folder unreadable here) it still builds, in Vietnamese, in the palette's colours."""
    real_open = builtins.open
    opened: list[str] = []

    def no_system_fonts(file: object, *args: object, **kwargs: object) -> object:
        name = os.fspath(file) if isinstance(file, (str, os.PathLike)) else ""
        if name.lower().endswith((".ttf", ".otf")):
            opened.append(name)
            if not Path(name).resolve().is_relative_to(fontfiles.FONT_DIR):
                raise FileNotFoundError(name)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", no_system_fonts)
    data = build_brief(shipped, lang="vi")
    assert opened and all(Path(f).resolve().is_relative_to(fontfiles.FONT_DIR) for f in opened)
    reader = PdfReader(io.BytesIO(data))
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts
    assert "Đúng tiến độ" in pdf_text(data)[1]
    streams = b"".join(page.get_contents().get_data() for page in reader.pages).decode("latin-1")
    inks = {tuple(round(float(v) * 255) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", streams)}
    assert {theme.rgb(theme.STATUS_COLOURS["on_track"]), theme.rgb(theme.LIGHT.accent)} <= inks


def test_shipped_fonts_have_their_licence_and_every_vietnamese_letter() -> None:
    from fontTools.ttLib import TTFont

    assert "Bitstream" in (fontfiles.FONT_DIR / "LICENSE").read_text(encoding="utf-8")
    letters = "ĐđăâêôơưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ✔▲◆▼✖○–"
    for (family, style) in fontfiles.FILES:
        cmap = TTFont(fontfiles.font_file(family, style)).getBestCmap()
        assert [c for c in letters if ord(c) not in cmap] == [], (family, style)


# --- the command line ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["pptx", "pdf"])
def test_cli_writes_both_formats_from_a_file(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"bao_cao.{fmt}"
    assert main(["report", "--format", fmt, "--out", str(out), "--data", str(paths.KIM_SON_DATA)]) == 0
    data = out.read_bytes()
    assert data[:4] == (b"PK\x03\x04" if fmt == "pptx" else b"%PDF")
    assert str(out) in capsys.readouterr().out


def test_cli_reads_the_stores_current_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(url)
    store.ensure_schema()
    raw = paths.KIM_SON_DATA.read_bytes()
    info = store.seed_if_empty(load_csv(paths.KIM_SON_DATA), source_name="kim_son.csv",
                               sha256=hashlib.sha256(raw).hexdigest())
    store.close()
    assert info is not None
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    out = tmp_path / "brief.pdf"
    assert main(["report", "--format", "pdf", "--out", str(out), "--lang", "en"]) == 0
    assert f"Version {info.version}" in pdf_text(out.read_bytes())[1]
    assert main(["report", "--format", "pdf", "--out", str(out), "--version", str(info.version)]) == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--version", "99"], "99"),
    (["--version", "abc", "--lang", "en"], "--version must be a version number"),
    (["--data", "missing.csv"], "No such file"),
    (["--data", "bad.csv"], "error"),
])
def test_cli_bad_input_is_one_line_without_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], args: list[str],
                                                     message: str) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.csv").write_text("indicator_id,value\nx,abc\n", encoding="utf-8")
    assert main(["report", "--format", "pptx", "--out", str(tmp_path / "x.pptx"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("indicators report: ") and message in err and "Traceback" not in err
    assert not (tmp_path / "x.pptx").exists()
