"""Username rules: what a member may be called, each rule with its own message.

Names are compared by their *skeleton*: NFKC-normalized, look-alike letters from
Cyrillic and Greek (and a few Latin/digit look-alikes) mapped to one Latin letter,
case-folded. Two names with the same skeleton look the same on the page, so the
second one is refused; the skeleton is stored on the member (`username_skeleton`)
so the check is one indexed lookup.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 25
ALLOWED_PUNCTUATION = frozenset(" _-.")

# Compared without case and without separators: "Deleted_Member", "ad-min" too.
RESERVED_NAMES = frozenset(
    {
        "admin",
        "administrator",
        "administrators",
        "anonymous",
        "deleted member",
        "forum",
        "guest",
        "guests",
        "mod",
        "moderator",
        "moderators",
        "null",
        "owner",
        "root",
        "staff",
        "support",
        "sysop",
        "system",
        "undefined",
        "webmaster",
    }
)
# "Deleted member 12" is what an anonymized account is called.
RESERVED_PREFIXES = ("deleted member",)

# Letters that render like a Latin letter in common fonts, mapped to it. Upper and
# lower case are listed separately: Cyrillic "в" is a small capital, not a "b".
_HOMOGLYPHS = {
    # Cyrillic capitals
    "А": "A",
    "В": "B",
    "Е": "E",
    "Ѕ": "S",
    "І": "I",
    "Ј": "J",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Х": "X",
    "Ԛ": "Q",
    "Ԝ": "W",
    "Ү": "Y",
    "Ԁ": "D",
    "Ӏ": "I",
    # Cyrillic small letters
    "а": "a",
    "в": "B",
    "е": "e",
    "ѕ": "s",
    "і": "i",
    "ј": "j",
    "к": "K",
    "м": "M",
    "н": "H",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "T",
    "у": "y",
    "х": "x",
    "ԛ": "q",
    "ԝ": "w",
    "ү": "y",
    "ԁ": "d",
    "һ": "h",
    "ӏ": "l",
    "ɡ": "g",
    "ї": "ï",
    "ё": "ë",
    # Greek capitals
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
    # Greek small letters
    "α": "a",
    "ο": "o",
    "ρ": "p",
    "ι": "i",
    "κ": "K",
    "ν": "v",
    "υ": "u",
    "χ": "x",
    "ϲ": "c",
    "ϳ": "j",
    "γ": "y",
    "ϐ": "B",
    "ω": "w",
    # Latin and digits that pass for one another
    "I": "l",
    "1": "l",
    "|": "l",
    "0": "o",
}
_HOMOGLYPH_TABLE = str.maketrans(_HOMOGLYPHS)
# Pairs of letters that read as one; applied after case folding.
_LETTER_PAIRS = (("rn", "m"), ("vv", "w"))

_SCRIPT_WORDS = ("LATIN", "CYRILLIC", "GREEK")
_SPACE_RUNS = re.compile(r"\s+")
# Zero-width and direction-changing characters that NFKC leaves alone and that
# are not in category Cf in every Python version.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def normalize_username(value: str) -> str:
    """NFKC, with any run of whitespace made one ordinary space, trimmed."""
    value = unicodedata.normalize("NFKC", value or "")
    return _SPACE_RUNS.sub(" ", value).strip()


def username_skeleton(value: str) -> str:
    """What a name looks like, for comparing names: equal skeletons look alike."""
    text = normalize_username(value).translate(_HOMOGLYPH_TABLE)
    text = unicodedata.normalize("NFKC", text).casefold()
    for pair, single in _LETTER_PAIRS:
        text = text.replace(pair, single)
    # An underlined link shows "wind_jammer" and "wind jammer" alike.
    return text.replace("_", " ")


def _compact(value: str) -> str:
    return "".join(ch for ch in value if ch not in ALLOWED_PUNCTUATION)


_RESERVED_SKELETONS = frozenset(
    _compact(username_skeleton(variant))
    for name in RESERVED_NAMES
    for variant in (name, name.upper(), name.title())
)
_RESERVED_PREFIX_SKELETONS = tuple(
    _compact(username_skeleton(variant))
    for name in RESERVED_PREFIXES
    for variant in (name, name.upper(), name.title())
)


def _is_invisible(ch: str) -> bool:
    if ch == " ":
        return False
    category = unicodedata.category(ch)
    return (
        category in {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs"} or ch in _INVISIBLE
    )


def validate_no_invisible_characters(value: str) -> None:
    if any(_is_invisible(ch) for ch in value):
        raise ValidationError(
            "Usernames cannot contain invisible, formatting or control characters "
            "(such as zero-width spaces or right-to-left marks).",
            code="username_invisible",
        )


def validate_length(value: str) -> None:
    if len(value) < MIN_LENGTH:
        raise ValidationError(
            f"Usernames must be at least {MIN_LENGTH} characters long.",
            code="username_too_short",
        )
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            f"Usernames can be at most {MAX_LENGTH} characters long; this one has "
            f"{len(value)}.",
            code="username_too_long",
        )


def validate_characters(value: str) -> None:
    previous = ""
    marks_in_row = 0
    for ch in value:
        category = unicodedata.category(ch)
        if category.startswith("M"):
            # Combining marks belong to a letter (Devanagari vowel signs, Arabic
            # harakat); a pile of them is decoration, not a name.
            marks_in_row += 1
            if not previous.isalpha() or marks_in_row > 2:
                raise ValidationError(
                    "Accent marks must belong to a letter.", code="username_marks"
                )
            continue
        marks_in_row = 0
        if not (ch.isalpha() or category == "Nd" or ch in ALLOWED_PUNCTUATION):
            raise ValidationError(
                f"“{ch}” is not allowed in usernames. Use letters, digits, spaces "
                "and the characters _ - . only.",
                code="username_characters",
            )
        previous = ch
    if not any(ch.isalnum() for ch in value):
        raise ValidationError(
            "Usernames must contain at least one letter or digit.",
            code="username_characters",
        )


def _scripts(value: str) -> set[str]:
    found = set()
    for ch in value:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        found.add(next((w for w in _SCRIPT_WORDS if name.startswith(w)), "OTHER"))
    return found


def validate_single_script(value: str) -> None:
    scripts = _scripts(value) & set(_SCRIPT_WORDS)
    if len(scripts) > 1:
        raise ValidationError(
            "Usernames cannot mix Latin, Cyrillic and Greek letters; please use "
            "letters from one alphabet.",
            code="username_mixed_script",
        )


def validate_not_reserved(value: str) -> None:
    compact = _compact(username_skeleton(value))
    if compact in _RESERVED_SKELETONS or compact.startswith(_RESERVED_PREFIX_SKELETONS):
        raise ValidationError(
            "This name is reserved. Please choose another.", code="username_reserved"
        )


def validate_username(value: str) -> None:
    """Every rule that does not need the database, in the order members meet them.

    `value` is expected to be normalized already (normalize_username).
    """
    validate_no_invisible_characters(value)
    validate_length(value)
    validate_characters(value)
    validate_single_script(value)
    validate_not_reserved(value)


# allauth's ACCOUNT_USERNAME_VALIDATORS: a list of callables.
username_validators = [validate_username]
