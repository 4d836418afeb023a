"""`summary`, `report` and `export` read the same store the same way: --database-url, else
$INDICATORS_DATABASE_URL, else var/indicators.sqlite; --version N, else the current version; an empty store
is seeded from the shipped data first; a store error is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators.cli import main
from indicators.i18n import t
from indicators.present.export import to_csv_bytes
from indicators.progress.engine import summary_records
from indicators.store.versions import Store
from tests.frames import make_frame

READERS = ["summary", "report", "export"]
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"


def clean(n: int, seed: int = 0):
    """make_frame without formula-like sources (an export prefixes those with ')."""
    frame = make_frame(n, seed=seed)
    return frame.assign(source="Cục Thống kê tỉnh Ninh Bình")


def two_versions(path: Path) -> str:
    """A store at `path` holding version 1 (40 rows) and version 2, current (20 other rows)."""
    url = f"sqlite:///{path}"
    with Store(url) as store:
        store.seed_if_empty(clean(40), source_name="one.csv", sha256="1" * 64)
        store.commit(clean(20, seed=9), user="lan", comment="two", filename="two.csv", sha256="2" * 64)
    return url


def read(command: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run a reading command; what it read, as comparable text (summary JSON, CSV, the report's line)."""
    out_file = tmp_path / ("out.csv" if command == "export" else "out.pdf")
    extra = {"summary": ["--format", "json"], "export": ["--out", str(out_file)],
             "report": ["--format", "pdf", "--out", str(out_file)]}[command]
    return main([command, *extra, *args]), str(out_file)


def expected(command: str, url: str, version: int) -> object:
    with Store(url) as store:
        frame = store.load(version)
    if command == "summary":
        return json.loads(json.dumps(summary_records(frame), ensure_ascii=False, allow_nan=False))
    return to_csv_bytes(frame)


def what_was_read(command: str, out_file: str, stdout: str) -> object:
    if command == "summary":
        return json.loads(stdout)
    if command == "export":
        return Path(out_file).read_bytes()
    return stdout.strip().rsplit(" ", 1)[-1]  # "…, version 2)": the version the report names


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize(("version_args", "version"), [([], 2), (["--version", "1"], 1)])
def test_each_reader_reads_the_version_asked_for(command: str, version_args: list[str], version: int,
                                                 tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = two_versions(tmp_path / "store.sqlite")
    code, out_file = read(command, tmp_path, "--database-url", url, "--lang", "en", *version_args)
    assert code == 0
    got = what_was_read(command, out_file, capsys.readouterr().out)
    assert got == (f"{version})" if command == "report" else expected(command, url, version))


@pytest.mark.parametrize("command", READERS)
def test_the_url_option_beats_the_environment_which_beats_the_default(
        command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    option_url = two_versions(tmp_path / "option.sqlite")
    env_url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    with Store(env_url) as store:
        store.seed_if_empty(clean(12, seed=3), source_name="env.csv", sha256="3" * 64)
    monkeypatch.setenv("INDICATORS_DATABASE_URL", env_url)
    assert read(command, tmp_path, "--database-url", option_url, "--version", "1")[0] == 0
    capsys.readouterr()
    code, out_file = read(command, tmp_path)  # the environment's store: its version 1 is its current one
    assert code == 0
    got = what_was_read(command, out_file, capsys.readouterr().out)
    assert got == ("1)" if command == "report" else expected(command, env_url, 1))
    if command != "report":
        assert got != expected(command, option_url, 1)
    monkeypatch.delenv("INDICATORS_DATABASE_URL")
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path / "var"))
    assert read(command, tmp_path)[0] == 0  # the default store: var/indicators.sqlite, seeded
    assert (tmp_path / "var" / "indicators.sqlite").exists()


@pytest.mark.parametrize("command", READERS)
def test_an_empty_store_is_seeded_once_from_the_shipped_data(command: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_bytes(to_csv_bytes(clean(40)))
    monkeypatch.setenv("INDICATORS_DATA", str(seed))
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert read(command, tmp_path, "--database-url", url, "--lang", "en")[0] == 0
    assert capsys.readouterr().err == f"indicators: seeded version 1 from {seed}\n"
    assert read(command, tmp_path, "--database-url", url)[0] == 0
    assert capsys.readouterr().err == ""
    with Store(url) as store:
        assert [v.filename for v in store.history()] == ["seed.csv"]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", READERS)
def test_an_empty_store_without_shipped_data_is_one_line(command: str, lang: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INDICATORS_DATA", str(tmp_path / "no-seed.csv"))
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert read(command, tmp_path, "--database-url", url, "--lang", lang)[0] == 2
    assert capsys.readouterr().err == f"indicators {command}: {t('cli_store_empty', lang)}\n"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", READERS)
def test_an_unreachable_store_is_one_line_in_the_users_language(command: str, lang: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert read(command, tmp_path, "--database-url", UNREACHABLE, "--lang", lang)[0] == 2
    err = capsys.readouterr().err
    assert err == f"indicators {command}: {t('store_unavailable', lang)}\n"


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize(("version", "words"), [("42", "42"), ("abc", "--version must be a version number")])
def test_a_bad_version_is_one_line(command: str, version: str, words: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    url = two_versions(tmp_path / "store.sqlite")
    assert read(command, tmp_path, "--database-url", url, "--version", version, "--lang", "en")[0] == 2
    err = capsys.readouterr().err
    assert err.startswith(f"indicators {command}: ") and words in err and err.count("\n") == 1
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("command", ["summary", "report"])
def test_data_reads_a_file_instead_and_excludes_version(command: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "file.csv"
    data.write_bytes(to_csv_bytes(clean(12, seed=4)))
    url = f"sqlite:///{tmp_path / 'untouched.sqlite'}"
    assert read(command, tmp_path, "--data", str(data), "--database-url", url)[0] == 0
    assert not (tmp_path / "untouched.sqlite").exists()  # the store is not opened
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        read(command, tmp_path, "--data", str(data), "--version", "1")
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"indicators {command}: argument --version: not allowed with argument --data")
    assert err.count("\n") == 1
