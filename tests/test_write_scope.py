"""Accounts limited to areas (issue 10): a row is inside a scope when its area, or one of the area's ancestors on
the row's day, is in it; a write holding a row outside is refused naming the rows (first 20, then a count);
a scoped account may not replace the dataset — in the library and through `indicators import --user`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from argon2 import PasswordHasher

from indicators.cli import main
from indicators.present.export import to_csv_bytes
from indicators.store import accounts
from indicators.store import submissions as subs
from indicators.store.versions import Store
from tests.frames import make_frame

PASSWORD = "mật-khẩu-dài-đủ"
MERGER = date(2025, 7, 1)


class Register:
    """Kim Hải under Huyện Kim Sơn until the 2025 reorganisation, then directly under the province."""

    def ancestors(self, name: str, on: date | None = None) -> list[str]:
        if name == "Xã Kim Hải":
            return ["Tỉnh Ninh Bình"] if on is None or on >= MERGER else ["Huyện Kim Sơn", "Tỉnh Ninh Bình"]
        if name == "Huyện Kim Sơn":
            return ["Tỉnh Ninh Bình"]
        return []

    def names(self, level: str | None = None, on: date | None = None) -> list[str]:
        return ["Tỉnh Ninh Bình", "Huyện Kim Sơn", "Xã Kim Hải", "Xã Kim Trung"]


def rows_of(*cells: tuple[str, str]) -> pd.DataFrame:
    """A valid frame whose rows have these (area, period) pairs, in order."""
    frame = make_frame(len(cells)).copy()
    frame["area"] = [area for area, _ in cells]
    frame["period"] = [period for _, period in cells]
    frame["period_end"] = pd.to_datetime([f"{period}-12-31" for _, period in cells])
    frame["indicator_id"] = [f"chi_tieu_{i:03d}" for i in range(len(cells))]  # keys stay unique
    return frame


def user(scope: tuple[str, ...] = (), needs_approval: bool = False, disabled: bool = False) -> accounts.User:
    from datetime import UTC, datetime

    return accounts.User("hai", "analyst", disabled, datetime.now(UTC), scope=scope, needs_approval=needs_approval)


def test_a_row_is_inside_through_its_area_or_an_ancestor_on_its_day() -> None:
    frame = rows_of(("Xã Kim Hải", "2024"), ("Xã Kim Hải", "2026"), ("Huyện Kim Sơn", "2024"),
                    ("Xã Kim Trung", "2024"))
    reg = Register()
    assert subs.inside(frame, ["Xã Kim Hải"], reg).tolist() == [True, True, False, False]
    # the district holds Kim Hải's 2024 row, not its 2026 one (the district was gone by then)
    assert subs.inside(frame, ["Huyện Kim Sơn"], reg).tolist() == [True, False, True, False]
    assert subs.inside(frame, ["Tỉnh Ninh Bình"], reg).tolist() == [True, True, True, False]
    assert subs.inside(frame, [], reg).all()  # no scope: every area
    assert subs.out_of_scope(frame, ["Xã Kim Hải"], reg)["area"].tolist() == ["Huyện Kim Sơn", "Xã Kim Trung"]


def test_a_refusal_names_the_first_20_rows_and_counts_the_rest() -> None:
    frame = rows_of(*[("Xã Kim Trung", str(2000 + i)) for i in range(25)], ("Xã Kim Hải", "2024"))
    with pytest.raises(subs.WriteRefused) as refused:
        subs.check_write(user(("Xã Kim Hải",)), frame, "update", Register())
    assert refused.value.count == 25 and len(refused.value.rows) == 20
    assert list(refused.value.rows.columns) == ["row", "area", "indicator_id", "period", "kind"]
    assert refused.value.rows["row"].tolist() == frame["row"].head(20).tolist()  # the Excel rows of the file
    lines = refused.value.lines("en")
    assert lines[0] == f"row {frame['row'].iat[0]}: Xã Kim Trung · chi_tieu_000 · 2000 · {frame['kind'].iat[0]}"
    assert lines[-1] == "… and 5 more rows" and len(lines) == 21
    assert "25 rows are outside the scope of the account hai (Xã Kim Hải)" in refused.value.message("en")
    assert "25 dòng nằm ngoài phạm vi" in refused.value.message("vi")


@pytest.mark.parametrize("who", [user(("Xã Kim Hải",)), user(needs_approval=True)])
def test_a_scoped_or_approved_account_may_not_replace(who: accounts.User) -> None:
    frame = rows_of(("Xã Kim Hải", "2024"))
    with pytest.raises(subs.WriteRefused, match="may not replace the whole dataset"):
        subs.check_write(who, frame, "replace", Register())
    subs.check_write(who, frame, "update", Register())  # the same rows as an update: allowed


def test_an_unrestricted_account_writes_anything_and_a_disabled_one_nothing() -> None:
    frame = rows_of(("Xã Kim Trung", "2024"), ("Huyện Kim Sơn", "2024"))
    subs.check_write(user(), frame, "replace", Register())
    with pytest.raises(subs.WriteRefused, match="may not write"):
        subs.check_write(user(disabled=True), frame, "update", Register())


def test_area_names_are_taken_as_the_data_writes_them_and_unknown_ones_refused() -> None:
    frame = rows_of(("Xã Kim Hải", "2024"), ("Xã Đồng Hướng", "2024"))
    assert subs.known_areas(["xã kim hải", " Xã Đồng Hướng "], frame, Register()) == ("Xã Kim Hải", "Xã Đồng Hướng")
    assert subs.known_areas(["Tỉnh Ninh Bình"], frame, Register()) == ("Tỉnh Ninh Bình",)  # the register's
    with pytest.raises(subs.WriteRefused, match="Xã Kim Hai") as refused:
        subs.known_areas(["Xã Kim Hai"], frame, Register())
    assert "(Xã Kim Hải, " in refused.value.message("en")  # the nearest known names are offered


def test_the_datasets_own_hierarchy_without_the_register() -> None:
    stored = rows_of(("Xã Kim Hải", "2024"), ("Huyện Kim Sơn", "2024"))
    stored["parent_area"] = ["Huyện Kim Sơn", "Tỉnh Ninh Bình"]
    claimed = rows_of(("Xã Kim Hải", "2024"), ("Thôn Mới", "2024"))
    claimed["parent_area"] = ["Xã Kim Trung", "Xã Kim Hải"]  # moves a stored commune; places a new hamlet
    areas = subs.FrameAreas(stored, claimed)
    assert areas.names() == ["Xã Kim Hải", "Huyện Kim Sơn", "Tỉnh Ninh Bình", "Thôn Mới"]
    assert areas.ancestors("Xã Kim Hải") == ["Huyện Kim Sơn", "Tỉnh Ninh Bình"]  # the stored rows' parent kept
    assert areas.ancestors("Thôn Mới") == ["Xã Kim Hải", "Huyện Kim Sơn", "Tỉnh Ninh Bình"]


def test_a_file_cannot_bring_a_known_commune_inside_by_naming_its_parent() -> None:
    """With the areas register: Xã Kim Trung is under Huyện Kim Sơn whatever a file's parent_area says."""
    mine = rows_of(("Xã Kim Trung", "2024"))
    mine["parent_area"] = "Xã Kim Hải"
    register = subs.area_register(None, mine)
    assert register.ancestors("Xã Kim Trung", on=date(2024, 12, 31))[0] == "Huyện Kim Sơn"
    with pytest.raises(subs.WriteRefused, match="outside the scope"):
        subs.check_write(user(("Xã Kim Hải",)), mine, "update", register)


def test_the_scope_is_stored_cleaned_rechecked_and_changed(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        made = accounts.add_user(store, "hai", PASSWORD, "analyst", scope=[" Xã Kim Hải", "Xã Kim Hải", "Xã Kim Trung"],
                                 needs_approval=True)
        assert made.scope == ("Xã Kim Hải", "Xã Kim Trung") and made.needs_approval and not made.unrestricted
        signed_in = accounts.authenticate(store, "hai", PASSWORD)
        assert signed_in is not None and signed_in.scope == ("Xã Kim Hải", "Xã Kim Trung")
        accounts.set_scope(store, "hai", ["Xã Kim Trung"])
        accounts.set_approval(store, "hai", False)
        fresh = accounts.recheck(store, signed_in)  # a signed-in session writes with the new scope
        assert fresh.scope == ("Xã Kim Trung",) and not fresh.needs_approval
        assert accounts.set_scope(store, "hai", []).unrestricted
        with pytest.raises(ValueError, match="not an area"):
            accounts.set_scope(store, "hai", ["Xã\x00Kim"])
        assert [u.scope for u in accounts.list_users(store)] == [()]


# --- the command line ------------------------------------------------------------------------------------
def seed_frame() -> pd.DataFrame:
    """Three areas' rows (no of_total: a changed value stays valid)."""
    return make_frame(120, areas=3).assign(source="Cục Thống kê", of_total=np.nan)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store seeded from three areas' rows, with hai limited to one of them."""
    seed = tmp_path / "seed.csv"
    seed.write_bytes(to_csv_bytes(seed_frame()))
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_DATA", str(seed))
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return tmp_path


def _users_add(name: str, *extra: str) -> int:
    import io
    import sys

    sys.stdin = io.StringIO(PASSWORD + "\n")
    try:
        return main(["users", "add", name, "--role", "analyst", "--password-stdin", "--lang", "en", *extra])
    finally:
        sys.stdin = sys.__stdin__


def _file(env: Path, frame: pd.DataFrame, name: str = "f.csv") -> str:
    path = env / name
    path.write_bytes(to_csv_bytes(frame))
    return str(path)


def test_users_add_checks_the_areas_and_list_shows_scope_and_approval(env: Path, capsys) -> None:
    assert _users_add("hai", "--area", "xã đồng hướng 1", "--needs-approval") == 0
    out = capsys.readouterr().out
    assert "user hai: scope Xã Đồng Hướng 1 · needs approval" in out  # the data's spelling
    assert _users_add("minh", "--area", "Xã Không Có") == 2
    assert "No such area" in capsys.readouterr().err
    assert main(["users", "list", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].split()[0] == "hai" and lines[0].endswith("Xã Đồng Hướng 1 · needs approval")
    assert main(["users", "scope", "hai", "--every-area", "--no-needs-approval", "--lang", "en"]) == 0
    assert "user hai: scope every area" in capsys.readouterr().out


def test_import_as_a_scoped_account_refuses_rows_outside_and_writes_nothing(env: Path, capsys) -> None:
    assert _users_add("hai", "--area", "Xã Đồng Hướng 1") == 0
    frame = seed_frame()
    frame["value"] = frame["value"] + 1  # every row changed
    path = _file(env, frame)
    capsys.readouterr()
    assert main(["import", path, "--comment", "c", "--user", "hai", "--mode", "update", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    outside = frame[frame["area"] != "Xã Đồng Hướng 1"]
    assert f"{len(outside)} rows are outside the scope of the account hai" in err
    assert f"row {outside['row'].iat[0]}: {outside['area'].iat[0]} · {outside['indicator_id'].iat[0]}" in err
    assert f"… and {len(outside) - 20} more rows" in err
    with Store(f"sqlite:///{env / 'store.sqlite'}") as store:
        assert [v.version for v in store.history()] == [1]  # nothing written

    mine = frame[frame["area"] == "Xã Đồng Hướng 1"]
    assert main(["import", _file(env, mine, "mine.csv"), "--comment", "c", "--user", "hai", "--lang", "en"]) == 1
    assert "may not replace the whole dataset" in capsys.readouterr().err  # the default mode is replace
    assert main(["import", _file(env, mine, "mine.csv"), "--comment", "c", "--user", "hai", "--mode", "update",
                 "--lang", "en"]) == 0
    assert f"changed {len(mine)}" in capsys.readouterr().out
    with Store(f"sqlite:///{env / 'store.sqlite'}") as store:
        current = store.load()
    changed = current["value"].to_numpy() != seed_frame()["value"].to_numpy()
    assert np.array_equal(changed, (current["area"] == "Xã Đồng Hướng 1").to_numpy())


def test_import_without_an_account_keeps_todays_behaviour(env: Path, capsys) -> None:
    frame = seed_frame()
    frame["value"] = frame["value"] + 1
    assert main(["import", _file(env, frame), "--comment", "c", "--user", "not-an-account", "--lang", "en"]) == 0
    assert "version 2" in capsys.readouterr().out
    with Store(f"sqlite:///{env / 'store.sqlite'}") as store:
        assert store.current_version().user == "not-an-account"


def test_a_scoped_account_may_not_roll_back(env: Path, capsys) -> None:
    assert _users_add("hai", "--area", "Xã Đồng Hướng 1") == 0
    frame = seed_frame().assign(value=1.0)
    assert main(["import", _file(env, frame), "--comment", "c", "--lang", "en"]) == 0
    assert main(["rollback", "1", "--user", "hai", "--lang", "en"]) == 1
    assert "may not roll back" in capsys.readouterr().err
    with Store(f"sqlite:///{env / 'store.sqlite'}") as store:
        assert store.current_version().version == 2
