"""统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative division (6),
organisation code (9, itself carrying a GB 11714 check character) and a check character computed
modulo 31 over the first 17 with the weights 3^i mod 31. The letters I, O, S, V and Z are not used.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


class UsccError(ValueError):
    """Why a code is not a 统一社会信用代码: a stable ``code`` (LENGTH, CHARACTERS, CHECK_CHARACTER) and its
    ``params``. The domain speaks no language: the edge puts it in the user's words
    (``arms.customers.uscc.uscc_message``); ``str()`` is an English sentence for logs and tests."""

    LENGTH = "length"  # params: length
    CHARACTERS = "characters"  # params: characters (the ones GB 32100 does not use)
    CHECK_CHARACTER = "check_character"  # params: given, expected

    _ENGLISH = {
        LENGTH: "统一社会信用代码 must have 18 characters, got {length}",
        CHARACTERS: "统一社会信用代码 contains characters that GB 32100 does not use: {characters}",
        CHECK_CHARACTER: "统一社会信用代码 check digit is {given}, expected {expected}",
    }

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(self._ENGLISH[code].format(**params))


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return the normalised code, or raise UsccError saying what is wrong with it."""
    value = (code or "").strip().upper()
    if len(value) != 18:
        raise UsccError(UsccError.LENGTH, length=len(value))
    bad = sorted({ch for ch in value if ch not in ALPHABET})
    if bad:
        raise UsccError(UsccError.CHARACTERS, characters="".join(bad))
    expected = check_character(value[:17])
    if value[17] != expected:
        raise UsccError(UsccError.CHECK_CHARACTER, given=value[17], expected=expected)
    return value


def make_uscc(first17: str) -> str:
    """Complete a 17-character stem with its check character (for demo data and tests)."""
    return first17 + check_character(first17)
