"""统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative division (6),
organisation code (9, itself carrying a GB 11714 check character) and a check character computed
modulo 31 over the first 17 with the weights 3^i mod 31. The letters I, O, S, V and Z are not used.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


class UsccError(ValueError):
    pass


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return the normalised code, or raise UsccError saying what is wrong with it."""
    value = (code or "").strip().upper()
    if len(value) != 18:
        raise UsccError(f"统一社会信用代码 must have 18 characters, got {len(value)}")
    bad = sorted({ch for ch in value if ch not in ALPHABET})
    if bad:
        raise UsccError(f"统一社会信用代码 contains characters that GB 32100 does not use: {''.join(bad)}")
    expected = check_character(value[:17])
    if value[17] != expected:
        raise UsccError(f"统一社会信用代码 check digit is {value[17]}, expected {expected}")
    return value


def make_uscc(first17: str) -> str:
    """Complete a 17-character stem with its check character (for demo data and tests)."""
    return first17 + check_character(first17)
