"""The Markdown files `adopt` reads: which of them are documents, and what each says now."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from ..frontmatter import decode, load_document, split
from ..library import MARKDOWN_SUFFIXES
from ..markdown_text import Outline, outline, prose
from ..model import DocType, Document
from .guesses import folder_type

# A folder's own description: not a controlled document, in whatever folder it sits.
FOLDER_NOTES = {"readme", "index"}
# Files of the repository itself when they sit at its top.
REPOSITORY_FILES = {"changelog", "license", "contributing", "code_of_conduct", "security", "summary", "notice", "authors"}
# Folders that hold no documents: build output, tools' environments.
SKIPPED_FOLDERS = {"site", "node_modules", "venv", "__pycache__"}


@dataclass
class Source:
    """A Markdown file to adopt, as it is now."""

    path: str  # POSIX path relative to the root
    text: str  # decoded, with LF line ends
    crlf: bool  # written back with the line ends it had
    bom: bool
    front: Document | None  # its front matter as the loader reads it; None without front matter
    body: str
    body_line: int  # 1-based line of the body's first line in the file
    shape: Outline
    prose: str

    @property
    def stem(self) -> str:
        return posixpath.splitext(posixpath.basename(self.path))[0]

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)

    def heading(self) -> str:
        """The text of the first level-1 heading, or ''."""
        return next((h.text for h in self.shape.headings if h.level == 1), "")

    def sections(self) -> list[str]:
        return self.shape.sections()


@dataclass
class Survey:
    sources: list[Source] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (path, why it is left alone)
    folder_notes: list[str] = field(default_factory=list)  # README/index files inside library folders
    assets: list[str] = field(default_factory=list)  # every other file, for those that move with their folder


def survey(root: Path, library_folders: list[str], docs_dir: str, skipped: list[str]) -> Survey:
    """Every Markdown file under `root` that could be a controlled document.

    The site's own pages (`docs_dir`) stay pages, unless a folder on their way is named
    after a document type; the `skipped` folders (templates, external documents), hidden
    folders and build output are not read. Files that are not documents are listed with
    the reason.
    """
    found = Survey()
    for path in _walk(root, {posixpath.normpath(folder) for folder in skipped if folder}):
        rel = path.relative_to(root).as_posix()
        if not path.name.lower().endswith(MARKDOWN_SUFFIXES):
            found.assets.append(rel)
            continue
        stem = posixpath.splitext(path.name)[0].lower()
        in_library = any(_under(rel, folder) for folder in library_folders)
        if _under(rel, docs_dir) and not in_library and not _typed_folder(rel):
            continue  # an ordinary page of the site
        if "/" not in rel and stem in REPOSITORY_FILES | FOLDER_NOTES:
            found.notes.append((rel, "a file of the repository, not a controlled document"))
            continue
        if stem in FOLDER_NOTES:
            if in_library:
                found.folder_notes.append(rel)
            else:
                found.notes.append((rel, "a folder's description, not a controlled document"))
            continue
        source, problem = read_source(path, rel)
        if source is None:
            found.notes.append((rel, problem))
        else:
            found.sources.append(source)
    return found


def read_source(path: Path, rel: str) -> tuple[Source | None, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror}): left as it is"
    text, error, _ = decode(raw)
    if text is None:
        return None, f"not UTF-8 text ({error}): save it as UTF-8 and run adopt again"
    parsed = split(text)
    front = None
    if parsed.front_matter is None and text.split("\n", 1)[0].rstrip() == "---":
        return None, "its front matter opened by `---` on line 1 is never closed; close it and run adopt again"
    if parsed.front_matter is not None:
        front, findings = load_document(raw, rel, path, DocType.POLICY)
        broken = [f for f in findings if f.code == "SMS101"]
        if front is None or broken:
            reason = broken[0].message if broken else "its front matter cannot be read"
            return None, f"line {broken[0].line if broken else 1}: {reason}; then run adopt again"
    shape = outline(parsed.body)
    return Source(
        path=rel,
        text=text,
        crlf=b"\r\n" in raw,
        bom=raw.startswith(b"\xef\xbb\xbf"),
        front=front,
        body=parsed.body,
        body_line=parsed.body_line,
        shape=shape,
        prose=prose(parsed.body, shape),
    ), ""


def _walk(root: Path, skipped: set[str]) -> list[Path]:
    found = []
    for current, dirnames, filenames in os.walk(root):
        base = Path(current)
        rel = base.relative_to(root).as_posix()
        keep = []
        for name in sorted(dirnames):
            child = name if rel == "." else f"{rel}/{name}"
            if name.startswith(".") or name in SKIPPED_FOLDERS or child in skipped or (base / name).is_symlink():
                continue
            if (base / name / "pyvenv.cfg").exists():  # a Python virtual environment
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            path = base / name
            if not name.startswith(".") and not path.is_symlink():
                found.append(path)
    return found


def _under(path: str, folder: str) -> bool:
    folder = posixpath.normpath(folder)
    return folder == "." or path.startswith(folder + "/")


def _typed_folder(rel: str) -> bool:
    return folder_type(rel) is not None
