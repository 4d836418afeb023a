"""Rules for user names and passwords, before anything is hashed or stored.

User names: NFC, 1-64 letters, digits or `. _ @ -`, of one script (digits and `. _ @ -` go with any),
no compatibility characters (fullwidth `ｌａｎ`, ligatures). Two names are the same account name when their
canonical forms (NFKC + casefold) are equal, so `ADMIN`, `ｌａｎ` and `Lan` cannot sit beside `admin` and
`lan`, and sign-in by any case finds the account. `lаn` with a Cyrillic а is refused as mixed-script.

Passwords: 8-1024 characters (the upper bound is checked before hashing), and not guessable: zxcvbn
(Dropbox's estimator, with its lists of common passwords, names, words, keyboard walks, repeats and
sequences) must score it at least `MIN_SCORE`, with the user name and a few local words added to its lists.

    clean_name("Nguyễn.Lan")   # 'Nguyễn.Lan'
    canonical_name("ADMIN")    # 'admin'
    check_password("12345678") # ValueError: too easy to guess
"""

from __future__ import annotations

import re
import unicodedata

from confusable_homoglyphs import categories
from zxcvbn import zxcvbn

NAME_PATTERN = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MIN_SCORE = 3  # zxcvbn 0-4; 3 = "safely unguessable: moderate protection from an offline slow-hash attack"
ZXCVBN_LENGTH = 72  # zxcvbn's own bound on the text it analyses (its cost grows with length)
# Words zxcvbn's English lists lack but a guesser here would try first.
LOCAL_WORDS = ("matkhau", "mat khau", "mật khẩu", "kimson", "kim son", "kim sơn", "ninhbinh", "ninh binh",
               "ninh bình", "vietnam", "viet nam", "việt nam", "hanoi", "chitieu", "chỉ tiêu", "indicators",
               "analyst", "admin", "quantri", "dangvien", "huyenuy", "ubnd")
_ANY_SCRIPT = {"COMMON", "INHERITED"}


def canonical_name(name: str) -> str:
    """The form two names are compared in: NFKC, case-folded (then NFKC again: casefold can denormalise)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


def clean_name(name: str) -> str:
    """The stored (NFC) form of a new user name; ValueError saying what is wrong."""
    name = unicodedata.normalize("NFC", name.strip())
    if not NAME_PATTERN.match(name):
        raise ValueError("a user name is 1-64 letters, digits or . _ @ - (no spaces)")
    if unicodedata.normalize("NFKC", name) != name:
        raise ValueError("a user name cannot use compatibility characters (fullwidth letters, ligatures…)")
    scripts = {alias for alias in categories.unique_aliases(name)} - _ANY_SCRIPT
    if len(scripts) > 1:
        raise ValueError(f"a user name uses one script, not several ({', '.join(sorted(scripts)).lower()})")
    return name


def check_password(password: str, *, name: str = "") -> None:
    """Refuse a password that is too short, too long or easy to guess (the message never contains it)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    inputs = [*LOCAL_WORDS, name, canonical_name(name)] if name else list(LOCAL_WORDS)
    verdict = zxcvbn(password[:ZXCVBN_LENGTH], user_inputs=inputs)
    if verdict["score"] < MIN_SCORE:
        advice = verdict["feedback"].get("warning") or "it is a common password or a simple pattern"
        raise ValueError(f"this password is too easy to guess ({advice[:1].lower()}{advice[1:].rstrip('.')}); "
                         "use a longer phrase of several words")
