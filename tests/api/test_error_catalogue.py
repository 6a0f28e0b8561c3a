"""Error codes are a catalogue (issue 11): ``arms.common.errors.ErrorCode`` and the table in docs/api.md list the
same codes, and no code is spelt out as a string anywhere else in src/ (so a new one has to join the catalogue)."""

from __future__ import annotations

import re
from pathlib import Path

from arms.common.errors import ArmsError, ErrorCode

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "arms"
CATALOGUE = SRC / "common" / "errors.py"


def documented_codes() -> set[str]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = text.split("### Error codes", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))


def test_every_code_in_the_catalogue_is_documented_and_every_documented_code_is_in_the_catalogue():
    assert documented_codes() == {code.value for code in ErrorCode}


def test_every_error_class_takes_its_code_from_the_catalogue():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import arms.api  # noqa: F401  (mounts every app, so every error class is defined)

    assert {cls.__name__: cls.code for cls in [ArmsError, *subclasses(ArmsError)]
            if not isinstance(cls.code, ErrorCode)} == {}


# An error code written as a string: code="…" / error_code="…" / code = "…" / {"code": "…" with a catalogue value.
INLINE = re.compile(r"""\b(?:error_)?code\s*=\s*f?["'](?P<keyword>[a-z_{]*)"""
                    r"""|["']code["']\s*:\s*["'](?P<value>[a-z_]+)["']""")


def test_no_error_code_is_spelt_out_in_the_source():
    codes = {code.value for code in ErrorCode}
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path == CATALOGUE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in INLINE.finditer(line):
                value = match.group("value")
                if match.group("keyword") in codes:  # code="over_allocation", on a line of its own too
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
                elif value is None:
                    # keyword or attribute: only error constructors and error classes name a `code`
                    if re.search(r"(Error|Failed|Found|Conflict|Forbidden|Eyes|Parameter|_fail)\(|^    code = [\"']|"
                                 r"error_code=", line):
                        found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
                elif value in codes:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
