"""Drop duplicate entries from .po catalogues, as a union merge of two branches leaves them.

Of two entries with the same context and msgid, the one with a translation (and not fuzzy) is kept. Used by
scripts/messages before it runs makemessages, which refuses a catalogue with duplicates.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def _key(entry: str) -> str | None:
    body = "\n".join(line for line in entry.splitlines() if not line.startswith("#"))
    match = re.search(r'(msgctxt .*?\n)?msgid (".*?")\n(?=msgid_plural|msgstr)', body + "\n", re.S)
    return (match.group(1) or "") + match.group(2) if match else None


def _score(entry: str) -> int:
    translated = any(re.match(r'msgstr(\[\d\])? "(.+)"', line) for line in entry.splitlines())
    return (2 if translated else 0) + (0 if "#, fuzzy" in entry else 1)


def repair(text: str) -> str:
    """Separate entries a union merge glued together, and give a msgid that lost its msgstr an empty one."""
    out: list[str] = []
    state = ""  # "id" after a msgid (and its continuation lines), "str" after a msgstr
    for line in text.splitlines():
        starts_entry = line.startswith(("msgctxt ", "msgid ", "#"))
        if state == "id" and starts_entry and not line.startswith("msgid_plural"):
            out.extend(['msgstr ""', ""])
            state = ""
        elif state == "str" and starts_entry:
            out.append("")
            state = ""
        if line.startswith("msgid ") or line.startswith("msgid_plural "):
            state = "id"
        elif line.startswith("msgstr"):
            state = "str"
        elif not line.strip():
            state = ""
        out.append(line)
    return "\n".join(out) + "\n"


def dedupe(path: Path) -> int:
    original = path.read_text(encoding="utf-8")
    text = repair(original)
    entries = re.split(r"\n{2,}", text.strip("\n"))
    kept: list[str] = []
    index: dict[str, int] = {}
    dropped = 0
    for entry in entries:
        key = _key(entry)
        if key is None:
            kept.append(entry)
            continue
        if key in index:
            dropped += 1
            if _score(entry) > _score(kept[index[key]]):
                kept[index[key]] = entry
            continue
        index[key] = len(kept)
        kept.append(entry)
    if dropped or text != original:
        path.write_text("\n\n".join(kept) + "\n", encoding="utf-8")
    return dropped


if __name__ == "__main__":
    for name in sys.argv[1:]:
        if count := dedupe(Path(name)):
            print(f"{name}: {count} duplicate entries dropped")
