"""Mapping profiles and indicator aliases in the store, on SQLite and PostgreSQL: a save is a new revision
(old ones kept, the latest read), aliases are keyed by the folded label (the latest wins), names and bodies
are checked before anything is written, and concurrent saves lose nothing."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from indicators.store.profiles import MAX_BODY, InvalidProfile
from indicators.store.tables import indicator_aliases, mapping_profiles
from indicators.store.versions import Store

BODY: dict[str, Any] = {
    "signature": "ab12" * 8,
    "columns": [{"column": "A", "header": "STT", "role": "stt"}, {"column": "C", "header": "Năm 2025",
                                                                 "role": "value", "period": "2025"}],
    "table": {"header_rows": "5-7", "body": "8-40", "unit": "xã"},
}


def count(store: Store, table: Any) -> int:
    store.ensure_schema()
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_save_is_a_new_revision_and_the_latest_is_read(store: Store) -> None:
    assert store.profiles() == [] and store.profile("Biểu 01") is None
    assert store.save_profile("Biểu 01", BODY, user="lan") == 1
    changed = {**BODY, "table": {**BODY["table"], "body": "8-41"}}
    assert store.save_profile("Biểu 01", changed, user="minh") == 2
    assert store.save_profile("Biểu 02 xã", BODY, user="lan") == 1
    latest = store.profile("Biểu 01")
    assert latest is not None
    assert (latest["revision"], latest["user"], latest["table"]["body"]) == (2, "minh", "8-41")
    assert latest["name"] == "Biểu 01" and latest["signature"] == BODY["signature"]
    assert latest["columns"] == BODY["columns"]
    assert datetime.fromisoformat(latest["saved_at"]).utcoffset() is not None  # aware UTC, JSON-able
    assert [(p["name"], p["revision"]) for p in store.profiles()] == [("Biểu 01", 2), ("Biểu 02 xã", 1)]
    assert store.profiles()[0] == latest
    assert count(store, mapping_profiles) == 3  # revision 1 is kept
    assert store.engine.dialect.name in ("sqlite", "postgresql")
    from indicators.store import profiles

    first = profiles.profile(store, "Biểu 01", revision=1)
    assert first is not None and first["table"]["body"] == "8-40" and first["user"] == "lan"


def test_names_are_stored_nfc_and_found_in_any_normal_form(store: Store) -> None:
    decomposed = "Bie\u0302\u0309u 03"  # "Biểu 03" written with combining marks
    assert store.save_profile(f"  {decomposed} ", BODY, user="lan") == 1
    assert store.save_profile("Biểu 03", BODY, user="lan") == 2  # the same name
    found = store.profile(decomposed)
    assert found is not None and found["name"] == "Biểu 03" and found["revision"] == 2


@pytest.mark.parametrize("name", ["", "   ", "x" * 121, "Biểu\n01", "tab\there", "nul\x00", "sep\u2028x", 7])
def test_a_bad_name_is_refused_and_nothing_written(store: Store, name: Any) -> None:
    with pytest.raises(InvalidProfile) as refused:
        store.save_profile(name, BODY, user="lan")
    assert "120" in refused.value.message("vi") and "120" in refused.value.message("en")
    assert isinstance(refused.value, ValueError)
    assert count(store, mapping_profiles) == 0
    assert store.profile(name if isinstance(name, str) else "7") is None


def test_a_name_of_120_characters_is_kept(store: Store) -> None:
    name = "Biểu " + "x" * 115
    assert len(name) == 120 and store.save_profile(name, BODY, user="lan") == 1
    assert store.profile(name) is not None


@pytest.mark.parametrize("body", [
    [1, 2], "text", None, {"x": float("nan")}, {"x": object()}, {"signature": 5}, {"signature": "s" * 129},
    {"columns": "é" * (MAX_BODY // 2)},  # > 256 KB as UTF-8 (2 bytes a character)
])
def test_a_bad_body_is_refused(store: Store, body: Any) -> None:
    with pytest.raises(InvalidProfile) as refused:
        store.save_profile("Biểu 01", body, user="lan")
    assert "256" in refused.value.message("en")
    assert count(store, mapping_profiles) == 0


def test_a_body_just_under_the_limit_is_kept(store: Store) -> None:
    body = {"columns": "a" * (MAX_BODY - 100)}
    assert store.save_profile("big", body, user="lan") == 1
    assert store.profile("big")["columns"] == body["columns"]  # type: ignore[index]


def test_a_bad_user_is_refused(store: Store) -> None:
    for user in ("", "a\x07b", "u" * 129):
        with pytest.raises(InvalidProfile):
            store.save_profile("Biểu 01", BODY, user=user)
        with pytest.raises(InvalidProfile):
            store.save_aliases({"Số xã": "communes"}, user=user)
    assert count(store, mapping_profiles) == 0 and count(store, indicator_aliases) == 0


def test_aliases_are_folded_and_the_latest_wins(store: Store) -> None:
    assert store.aliases() == {}
    assert store.save_aliases({"Số xã đạt chuẩn NTM": "ntm_communes", "Tỷ lệ hộ nghèo": "poverty_rate"},
                              user="lan") == 2
    assert store.aliases() == {"so xa dat chuan ntm": "ntm_communes", "ty le ho ngheo": "poverty_rate"}
    # the same alias again changes nothing; written in other case and accents it is the same key
    assert store.save_aliases({"Số xã đạt chuẩn NTM": "ntm_communes"}, user="lan") == 0
    assert store.save_aliases({"SỐ XÃ  ĐẠT CHUẨN ntm": "ntm_new_communes"}, user="minh") == 1
    assert store.aliases()["so xa dat chuan ntm"] == "ntm_new_communes"
    assert count(store, indicator_aliases) == 3  # the earlier rows are kept
    # the Catalogue matches through them (folded label -> id)
    from indicators.ingest.adapters import Catalogue

    catalogue = Catalogue.of(None, store.aliases())
    assert catalogue.match("số xã đạt chuẩn ntm") == ("ntm_new_communes", "alias")


def test_two_labels_folding_alike_in_one_save_the_later_wins(store: Store) -> None:
    assert store.save_aliases({"Dân số": "population", "Dan so": "population_avg"}, user="lan") == 1
    assert store.aliases() == {"dan so": "population_avg"}
    with store.engine.connect() as conn:
        assert conn.execute(select(indicator_aliases.c.alias)).scalars().all() == ["Dan so"]


@pytest.mark.parametrize("aliases", [
    {"Số xã": "Bad Id"}, {"Số xã": ""}, {"": "communes"}, {"  ": "communes"}, {"Số\nxã": "communes"},
    {"---": "communes"}, {"Số xã": 3}, {"x" * 1001: "communes"}, {"Số xã": "communes", "Hộ": "bad-id"},
])
def test_a_bad_alias_is_refused_and_none_of_the_save_written(store: Store, aliases: dict[str, Any]) -> None:
    with pytest.raises(InvalidProfile) as refused:
        store.save_aliases(aliases, user="lan")
    assert refused.value.message("vi") and refused.value.message("en")
    assert count(store, indicator_aliases) == 0


def test_concurrent_saves_lose_nothing(store_url: str) -> None:
    """Threads, each with its own Store (its own connections), save one name and aliases at once."""
    errors: list[BaseException] = []
    revisions: list[int] = []
    start = threading.Barrier(4)

    def save(i: int) -> None:
        try:
            with Store(store_url) as mine:
                start.wait()
                for j in range(3):
                    revisions.append(mine.save_profile("Biểu 01", {**BODY, "by": f"{i}-{j}"}, user=f"u{i}"))
                    mine.save_aliases({f"Chỉ tiêu {i} {j}": f"ind_{i}_{j}"}, user=f"u{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with Store(store_url) as store:
        store.ensure_schema()
        threads = [threading.Thread(target=save, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(revisions) == list(range(1, 13))
        assert store.profile("Biểu 01")["revision"] == 12  # type: ignore[index]
        assert len(store.aliases()) == 12
        assert count(store, mapping_profiles) == 12
