"""The README and docs/ link only inside the repository, and every link finds its file."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def links(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    # Code spans and blocks are examples, not links.
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


def test_the_docs_exist():
    names = {page.name for page in PAGES}
    for name in ("architecture.md", "scope.md", "personal-data.md", "jobs.md", "glossary.md"):
        assert name in names, f"docs/{name} is missing"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_stays_in_the_repository_and_finds_its_file(page):
    for target in links(page):
        if target.startswith("#"):
            continue
        assert "://" not in target and not target.startswith(("/", "mailto:")), (
            f"{page.name} links outside the repository: {target}"
        )
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{page.name} links outside the repository: {target}"
        assert path.exists(), f"{page.name} links to a missing file: {target}"
