"""Mapping profiles and indicator aliases, kept in the store (issue 9); `Store` delegates here.

A *profile* is a wide-table mapping saved under a name (`wide.Mapping.to_profile`): which column of a
report form is what. Saving a name again makes a new revision; old revisions are kept (nothing is updated
or deleted) and reading gives the latest. An *alias* is a report row's label an analyst matched to an
indicator id; aliases are keyed by the folded label (`contract.fold`) and the latest save of a key wins.

    store.save_profile("Biểu 01 xã", mapping.to_profile("Biểu 01 xã"), user="lan")   # -> revision 1, 2, …
    store.profiles()            # [{...body, "name", "revision", "user", "saved_at"}], latest of each name
    store.save_aliases({"Số xã đạt chuẩn NTM": "ntm_communes"}, user="lan")          # -> 1 (rows written)
    store.aliases()             # {"so xa dat chuan ntm": "ntm_communes"}

Writes take the store's writer lock (`Store.serialised`: SQLite BEGIN IMMEDIATE, PostgreSQL an advisory
lock), so two concurrent saves of one name get revisions n and n + 1, and neither is lost.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from indicators.contract import ID_PATTERN, fold
from indicators.i18n import pair
from indicators.store.tables import indicator_aliases, mapping_profiles

if TYPE_CHECKING:
    from indicators.store.versions import Store

MAX_NAME = 120  # characters of a profile name
MAX_LABEL = 1000  # characters of an alias (a report row's label as written)
MAX_USER = 128
MAX_SIGNATURE = 128
MAX_BODY = 256 * 1024  # bytes of a profile body as UTF-8 JSON
MAX_ALIASES = 10_000  # aliases in one save
_LOCK_KEY = 0x1D1C_9A0F  # PostgreSQL advisory lock for profile and alias saves
_NO_CONTROL = ("Cc", "Cs", "Zl", "Zp")  # control characters, lone surrogates, line/paragraph separators


class InvalidProfile(ValueError):
    """A profile name, body, alias or user the store refuses (nothing was written). `texts` is its message
    (vi, en); `message(lang)` picks one."""

    def __init__(self, texts: tuple[str, str]) -> None:
        self.texts = texts
        super().__init__(texts[1])

    def message(self, lang: str = "vi") -> str:
        return self.texts[1] if lang == "en" else self.texts[0]


def clean_text(text: Any, *, limit: int, refusal: tuple[str, str]) -> str:
    """`text` stripped and NFC; InvalidProfile(refusal) when it is not text, empty, longer than `limit`
    characters or holds a control character (or a line separator)."""
    if not isinstance(text, str):
        raise InvalidProfile(refusal)
    cleaned = unicodedata.normalize("NFC", text.strip())
    if not cleaned or len(cleaned) > limit or any(unicodedata.category(ch) in _NO_CONTROL for ch in cleaned):
        raise InvalidProfile(refusal)
    return cleaned


def _name(name: Any) -> str:
    return clean_text(name, limit=MAX_NAME, refusal=pair("profile_bad_name", limit=MAX_NAME))


def _user(user: Any) -> str:
    return clean_text(user, limit=MAX_USER, refusal=pair("profile_bad_user", limit=MAX_USER))


def _body_json(body: Any, name: str) -> tuple[str, str]:
    """(JSON text, signature) of a profile body; InvalidProfile when it is not a JSON object or too large."""
    if not isinstance(body, dict):
        raise InvalidProfile(pair("profile_bad_body", limit=MAX_BODY // 1024))
    signature = body.get("signature", "")
    if not isinstance(signature, str) or len(signature) > MAX_SIGNATURE:
        raise InvalidProfile(pair("profile_bad_body", limit=MAX_BODY // 1024))
    try:
        text = json.dumps({**body, "name": name}, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        raise InvalidProfile(pair("profile_bad_body", limit=MAX_BODY // 1024)) from None
    if len(text.encode("utf-8")) > MAX_BODY:
        raise InvalidProfile(pair("profile_bad_body", limit=MAX_BODY // 1024))
    return text, signature


def _out(row: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(row["body"])
    body.update(name=row["name"], revision=row["revision"], user=row["user"],
                saved_at=row["saved_at"].replace(tzinfo=UTC).isoformat())
    return body


def save_profile(store: Store, name: str, body: dict[str, Any], *, user: str) -> int:
    """Save `body` as the next revision of profile `name`; the revision (1 for a new name)."""
    from indicators.store.versions import _utcnow

    name = _name(name)
    user = _user(user)
    text, signature = _body_json(body, name)
    with store.serialised(_LOCK_KEY) as conn:
        last = conn.execute(select(func.max(mapping_profiles.c.revision))
                            .where(mapping_profiles.c.name == name)).scalar()
        revision = (last or 0) + 1
        conn.execute(insert(mapping_profiles).values(name=name, revision=revision, signature=signature, body=text,
                                                     user=user, saved_at=_utcnow()))
    return revision


def profiles(store: Store) -> list[dict[str, Any]]:
    """The latest revision of every profile, by name: each its body plus name, revision, user, saved_at."""
    latest = (select(mapping_profiles.c.name, func.max(mapping_profiles.c.revision).label("revision"))
              .group_by(mapping_profiles.c.name).subquery())
    query = (select(mapping_profiles)
             .join(latest, (mapping_profiles.c.name == latest.c.name)
                   & (mapping_profiles.c.revision == latest.c.revision))
             .order_by(mapping_profiles.c.name))
    with store._read() as conn:
        return [_out(row) for row in conn.execute(query).mappings()]


def profile(store: Store, name: str, revision: int | None = None) -> dict[str, Any] | None:
    """The latest revision of profile `name` (or that `revision`), as `profiles` gives it; None if none."""
    try:
        name = _name(name)
    except InvalidProfile:
        return None
    query = select(mapping_profiles).where(mapping_profiles.c.name == name)
    if revision is not None:
        query = query.where(mapping_profiles.c.revision == revision)
    with store._read() as conn:
        row = conn.execute(query.order_by(mapping_profiles.c.revision.desc()).limit(1)).mappings().first()
    return None if row is None else _out(row)


def save_aliases(store: Store, aliases: dict[str, str], *, user: str) -> int:
    """Record each {label as written: indicator_id}; the number of rows written. A label whose folded form
    already maps to that id is not written again; a later label folding like an earlier one wins."""
    from indicators.store.versions import _utcnow

    user = _user(user)
    if len(aliases) > MAX_ALIASES:
        raise InvalidProfile(pair("alias_too_many", limit=MAX_ALIASES))
    wanted: dict[str, tuple[str, str]] = {}  # folded -> (label, id)
    for label, indicator_id in aliases.items():
        refusal = pair("alias_bad_label", limit=MAX_LABEL)
        label = clean_text(label, limit=MAX_LABEL, refusal=refusal)
        key = fold(label)
        if not key:
            raise InvalidProfile(refusal)
        if not isinstance(indicator_id, str) or not ID_PATTERN.match(indicator_id) or len(indicator_id) > 128:
            raise InvalidProfile(pair("alias_bad_id", alias=label[:80], id=str(indicator_id)[:80]))
        wanted.pop(key, None)  # re-inserted: the later label's order
        wanted[key] = (label, indicator_id)
    if not wanted:
        return 0
    saved_at = _utcnow()
    with store.serialised(_LOCK_KEY) as conn:
        known = _latest_aliases(conn)
        rows = [dict(alias=label, alias_key=key, indicator_id=indicator_id, user=user, saved_at=saved_at)
                for key, (label, indicator_id) in wanted.items() if known.get(key) != indicator_id]
        if rows:
            conn.execute(insert(indicator_aliases), rows)
    return len(rows)


def aliases(store: Store) -> dict[str, str]:
    """{folded label: indicator_id}, the latest save of each folded label."""
    with store._read() as conn:
        return _latest_aliases(conn)


def _latest_aliases(conn: Any) -> dict[str, str]:
    query = select(indicator_aliases.c.alias_key, indicator_aliases.c.indicator_id).order_by(indicator_aliases.c.id)
    return {key: indicator_id for key, indicator_id in conn.execute(query)}
