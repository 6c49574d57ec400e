"""Per-type document templates: the sections a document must have, and the body `new` writes.

Shipped in the package (data/document-templates/TYPE.md); a library overrides them with a folder
of its own (`templates:` in mkdocs.yml) holding files of the same names.
"""

from __future__ import annotations

import re
from pathlib import Path

from .markdown_text import outline
from .model import DocType
from .settings import Settings

PACKAGED = Path(__file__).resolve().parent / "data" / "document-templates"


def template_text(settings: Settings, doc_type: DocType) -> str:
    if settings.templates:
        folder = Path(settings.templates)
        custom = (folder if folder.is_absolute() else settings.root / folder) / f"{doc_type.value}.md"
        if custom.is_file():
            return custom.read_text(encoding="utf-8-sig")
    return (PACKAGED / f"{doc_type.value}.md").read_text(encoding="utf-8")


def sections(text: str) -> list[str]:
    """The level-2 headings of a Markdown text, outside code."""
    return outline(text).sections()


def normalise(heading: str) -> str:
    return re.sub(r"[\s:.]+$", "", heading).casefold()


def required_sections(settings: Settings) -> dict[DocType, list[str]]:
    return {doc_type: sections(template_text(settings, doc_type)) for doc_type in DocType}
