"""Every relative link in the README, CONTEXT.md and docs/ leads to a file of the repository.

A page that links to a decision record or a style guide that is not there sends the reader nowhere; this was
docs/domain/dunning.md's link to an ADR under a name it never had, and the README's to a style file outside
the repository.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


def markdown_files() -> list[Path]:
    return sorted([*ROOT.glob("*.md"), *(ROOT / "docs").glob("**/*.md")])


def test_relative_links_in_the_docs_lead_to_files_of_the_repository():
    broken = []
    for page in markdown_files():
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            resolved = (page.parent / target).resolve()
            if not resolved.exists() or ROOT not in resolved.parents:
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert len(markdown_files()) > 10
    assert broken == []


def test_the_readme_points_to_the_house_style_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "[docs/style.md](docs/style.md)" in readme
    assert "../shared" not in readme
