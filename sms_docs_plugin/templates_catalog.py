"""Per-type document templates: the sections a document must have, and the body `new` writes.

Shipped in the package (data/templates/TYPE.md); a library overrides them with a folder
of its own (`templates:` in mkdocs.yml) holding files of the same names.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import DocType
from .settings import Settings

PACKAGED = Path(__file__).resolve().parent / "data" / "templates"
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$")


def template_text(settings: Settings, doc_type: DocType) -> str:
    if settings.templates:
        folder = Path(settings.templates)
        custom = (folder if folder.is_absolute() else settings.root / folder) / f"{doc_type.value}.md"
        if custom.is_file():
            return custom.read_text(encoding="utf-8-sig")
    return (PACKAGED / f"{doc_type.value}.md").read_text(encoding="utf-8")


def sections(text: str) -> list[str]:
    """The level-2 headings of a Markdown text, outside fenced code."""
    found = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = None if fenced else _SECTION.match(line)
        if match:
            found.append(match.group(1).strip())
    return found


def normalise(heading: str) -> str:
    return re.sub(r"[\s:.]+$", "", heading).casefold()


def required_sections(settings: Settings) -> dict[DocType, list[str]]:
    return {doc_type: sections(template_text(settings, doc_type)) for doc_type in DocType}
