"""The adoption of a folder as one plan: the files to move, the files to write, and a
report of every guess with its reason. Planning reads only; `apply_adoption` writes."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..authoring import ids_in_history, yaml_text
from ..history import read_history
from ..model import ID_PATTERN, DocType, Document, Status, Version
from ..settings import Settings
from .config_file import DEFAULT_DOCS_DIR, EXTENSIONS, Extension, completed_config, extension_names, new_config, read_config
from .guesses import (
    HIERARCHY,
    Candidate,
    choose_root,
    compact_levels,
    folder_type,
    guess_owner,
    guess_parent,
    guess_title,
    guess_type,
    id_prefix,
    propose_id,
    significant,
)
from .links import link_graph, rewrite
from .sources import Source, read_source, survey
from .templates import shared_sections, template_text

FIELD_ORDER = ("id", "type", "title", "version", "status", "owner", "approver", "approved", "parents", "change")
# Why the first version under control exists: it records the adoption in the history sheet,
# and a file with commits from before it has a reason for the version it now has.
ADOPTED = "Brought under document control with sms-docs adopt."
NEW_DOCS_DIR = "content"
TEMPLATES_DIR = "templates"
# A front-matter line that starts a new key (not a list item, comment or continuation).
_KEY_LINE = re.compile(r"^[^\s#-][^:]*:")


@dataclass
class Adoption:
    root: Path
    documents: int = 0
    moves: list[tuple[str, str]] = field(default_factory=list)  # (from, to), relative to the root
    writes: dict[str, bytes] = field(default_factory=dict)  # path after the moves -> new content
    report: list[str] = field(default_factory=list)  # what was guessed and why, line by line
    warnings: list[str] = field(default_factory=list)  # what the author must still do

    @property
    def changes(self) -> bool:
        return bool(self.moves or self.writes)


def plan_adoption(settings: Settings, *, approve_as: str | None, today: date) -> Adoption:
    """Everything `sms-docs adopt` would do to the folder of `settings.root`; nothing is written.

    Raises ConfigError when mkdocs.yml cannot be read, HistoryError when git refuses the
    repository (the ids of its history must not be reused).
    """
    root = settings.root
    plan = Adoption(root)
    config_path = root / "mkdocs.yml"
    config_text = config_path.read_text(encoding="utf-8-sig") if config_path.is_file() else None
    config = read_config(config_text) if config_text is not None else {}
    docs_dir = str(config.get("docs_dir") or DEFAULT_DOCS_DIR) if config_text is not None else NEW_DOCS_DIR
    library = {doc_type: posixpath.normpath(settings.library[doc_type]) for doc_type in HIERARCHY}
    # Other folders of the library (external documents) are not adopt's to change.
    others = [posixpath.normpath(folder) for name, folder in settings.library.items() if name not in library]
    found = survey(root, list(library.values()), docs_dir, [settings.templates or "", *others])
    used = ids_in_history(read_history(root, library.values()))

    candidates = [_candidate(source, library) for source in found.sources]
    compact_levels(candidates)
    for candidate in candidates:
        candidate.title, candidate.title_reason = guess_title(candidate.source)
        candidate.words = set(significant(candidate.title)) | set(significant(candidate.source.stem))
    _assign_ids(candidates, used)
    links = link_graph({c.path: c.source.prose for c in candidates})
    _assign_parents(plan, candidates, links)

    moves = _moves(plan, candidates, found.assets, found.folder_notes, library, docs_dir)
    adopted = [c for c in candidates if not c.complete or c.path in moves]
    plan.documents = len(adopted)
    for candidate in candidates:
        _plan_document(plan, candidate, moves, library[candidate.type], approve_as, today)
    drafts = [c.id for c in candidates if c.source.front is not None and c.source.front.status is Status.DRAFT]
    if approve_as and drafts:
        plan.warnings.append(f"{len(drafts)} document(s) stay drafts, as their front matter says ({', '.join(drafts)}): "
                             "approve each one by setting status, approver and approved")
    for path, why in found.notes:
        relinked = _relink_note(plan, root, path, moves)
        plan.report.append(f"{path}: left where it is ({why})" + ("; its links now lead to where the documents are" if relinked else ""))

    written = _plan_templates(plan, settings, candidates, adopted, moves)
    _plan_config(plan, config_text, config, settings, docs_dir, candidates, moves, written)
    plan.moves = sorted(moves.items())
    return plan


def apply_adoption(plan: Adoption) -> None:
    root = plan.root
    for old, new in plan.moves:
        target = root / new
        target.parent.mkdir(parents=True, exist_ok=True)
        (root / old).rename(target)
    for rel, data in sorted(plan.writes.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for old, _ in plan.moves:  # folders the moves emptied go too
        folder = (root / old).parent
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


# -- documents -----------------------------------------------------------------------------


def _candidate(source: Source, library: dict[DocType, str]) -> Candidate:
    doc_type, reason, explicit = guess_type(source, library)
    return Candidate(source, doc_type, reason, explicit, complete=_complete(source.front))


def _complete(front: Document | None) -> bool:
    """Front matter the loader reads without a missing or invalid required field."""
    if front is None:
        return False
    required = all((front.id and ID_PATTERN.match(front.id), front.type, front.title, front.version, front.status, front.owner))
    approved = front.status is not Status.APPROVED or bool(front.approver and front.approved)
    hung = front.type is DocType.POLICY or bool(front.parents)
    return bool(required and approved and hung)


def _assign_ids(candidates: list[Candidate], used: set[str]) -> None:
    """Ids in front matter are kept (the first by path, when two share one); the others get
    one from their type and file name that no document has or ever had."""
    taken: set[str] = set()
    kept: dict[str, str] = {}
    for candidate in sorted(candidates, key=lambda c: c.path):
        front = candidate.source.front
        current = front.id.upper() if front is not None and front.id and ID_PATTERN.match(front.id.upper()) else None
        if current and current.casefold() not in taken:
            written = "" if current == front.id else f" (`{front.id}` in capitals)"
            candidate.id, candidate.id_reason = current, f"its front matter{written}"
            taken.add(current.casefold())
            kept[current.casefold()] = candidate.path
    prefixes = {doc_type: id_prefix(doc_type, [c.id for c in candidates if c.id and c.type is doc_type]) for doc_type in HIERARCHY}
    taken |= used  # a new id is none a document has, nor one any document had
    for candidate in sorted(candidates, key=lambda c: c.path):
        if candidate.id:
            continue
        candidate.id, reason = propose_id(candidate.source, prefixes[candidate.type], taken)
        taken.add(candidate.id.casefold())
        front = candidate.source.front
        if front is not None and front.id:
            owner = kept.get(front.id.casefold())
            why = f"`{front.id}` is already the id of {owner}" if owner else f"`{front.id}` is not a valid id"
            reason = f"{why}; a new one from {reason}"
        candidate.id_reason = reason


def _assign_parents(plan: Adoption, candidates: list[Candidate], links: dict[str, set[str]]) -> None:
    for candidate in candidates:
        front = candidate.source.front
        if front is not None and front.parents:
            candidate.parents, candidate.parent_reason = list(front.parents), "its front matter"
    policies = [c for c in candidates if c.type is DocType.POLICY]
    chosen = choose_root(policies, links)
    top = chosen[0] if chosen is not None else None
    if chosen is not None:
        root, why = chosen
        for policy in policies:
            if policy is not root and not policy.parents and not policy.complete:
                policy.parents, policy.parent_reason = [root.id], f"under the top policy {root.id}: {why}"
    for candidate in candidates:
        if candidate.type is DocType.POLICY or candidate.parents:
            continue
        options = [c for c in candidates if c.type is candidate.type.parent_type]
        if not options:
            continue  # reported with the document: it stays an orphan
        parents, reason = guess_parent(candidate, options, links, top)
        candidate.parents, candidate.parent_reason = [p.id for p in parents], reason


def _moves(
    plan: Adoption, candidates: list[Candidate], assets: list[str], notes: list[str], library: dict[DocType, str], docs_dir: str
) -> dict[str, str]:
    """Old path -> new path of every file that moves: documents into their type's folder,
    the files of a folder that moves with it, folder descriptions out of the library."""
    root = plan.root
    moves: dict[str, str] = {}
    staying = {c.path for c in candidates} | set(assets) | set(notes)
    claimed: set[str] = set()
    prefixes: dict[str, set[str]] = {}  # folder named after a type -> the library folders its documents go to
    for candidate in sorted(candidates, key=lambda c: c.path):
        path, folder = candidate.path, library[candidate.type]
        if path.startswith(folder + "/"):
            claimed.add(path)
            continue
        inside = next((f for f in library.values() if path.startswith(f + "/")), None)
        named = folder_type(path)
        if inside is not None:
            old_prefix, rest = inside, path[len(inside) + 1 :]
        elif named is not None:
            parts = path.split("/")
            cut = len(parts) - 1 - parts[:-1][::-1].index(named[1])
            old_prefix, rest = "/".join(parts[:cut]), "/".join(parts[cut:])
        else:
            old_prefix, rest = "", path
        target = f"{folder}/{rest}"
        if target in claimed or target in staying or (root / target).exists():
            target = _free_path(root, f"{folder}/{path}", claimed | staying)
        moves[path] = target
        claimed.add(target)
        if old_prefix:
            prefixes.setdefault(old_prefix, set()).add(folder)
    for asset in assets:
        for old_prefix, folders in sorted(prefixes.items(), key=lambda item: -len(item[0])):  # the deepest folder first
            if len(folders) == 1 and asset.startswith(old_prefix + "/") and not any(asset.startswith(f + "/") for f in library.values()):
                target = f"{next(iter(folders))}/{asset[len(old_prefix) + 1 :]}"
                if target not in claimed and not (root / target).exists():
                    moves[asset] = target
                    claimed.add(target)
                break
    for note in notes:
        target = f"{docs_dir}/{note}"
        if (root / target).exists() or target in claimed:
            plan.warnings.append(f"{note}: a folder's description inside the library folders, and {target} exists: move it out yourself")
            continue
        moves[note] = target
        claimed.add(target)
        plan.report.append(f"{target}: moved from {note} (a folder's description, not a controlled document: a page of the site)")
    return moves


def _free_path(root: Path, wanted: str, taken: set[str]) -> str:
    stem, suffix = posixpath.splitext(wanted)
    candidate, number = wanted, 2
    while candidate in taken or (root / candidate).exists():
        candidate, number = f"{stem}-{number}{suffix}", number + 1
    return candidate


def _plan_document(
    plan: Adoption, candidate: Candidate, moves: dict[str, str], folder: str, approve_as: str | None, today: date
) -> None:
    source = candidate.source
    old = source.path
    new = moves.get(old, old)
    values, status_note = _front_values(candidate, approve_as, today)
    body = rewrite(source.body, source.prose, old, new, moves)
    text = _with_front_matter(source, values, body)
    if text != source.text:
        plan.writes[new] = _encoded(text, source)
    if not values and new == old and text == source.text:
        return
    lines = [new + (f"  (moved from {old}: a {candidate.type} belongs in {folder}/)" if new != old else "")]
    if "type" in values or new != old:
        lines.append(f"  type     {candidate.type} ({candidate.type_reason})")
    if "id" in values:
        lines.append(f"  id       {candidate.id} ({candidate.id_reason})")
    if "title" in values:
        lines.append(f"  title    {candidate.title} ({candidate.title_reason})")
    if "owner" in values:
        owner, reason = guess_owner(source, candidate.type)
        lines.append(f"  owner    {owner} ({reason})")
    if "parents" in values:
        lines.append(f"  parents  {', '.join(candidate.parents)} ({candidate.parent_reason})")
    elif candidate.type is not DocType.POLICY and not candidate.parents:
        plan.warnings.append(f"{new}: no {candidate.type.parent_type} in the library to hang this {candidate.type} under")
    if "status" in values or "version" in values or "approver" in values:
        lines.append(f"  status   {status_note}")
    if body != source.body:
        lines.append("  links    rewritten to where their targets now are")
    plan.report.extend(lines)


def _front_values(candidate: Candidate, approve_as: str | None, today: date) -> tuple[dict[str, str], str]:
    """The front-matter lines to write (key -> YAML value), keeping every valid field there is."""
    front = candidate.source.front
    values: dict[str, str] = {}
    if front is None or front.id != candidate.id:
        values["id"] = candidate.id
    if front is None or front.type is not candidate.type:
        values["type"] = candidate.type.value
    if front is None or not front.title:
        values["title"] = yaml_text(candidate.title)
    version = front.version if front is not None else ""
    if not version:
        version = _written_version(front) or "1.0"
        values["version"] = f'"{version}"'
    status = front.status if front is not None else None
    if status is None:
        status = Status.APPROVED if approve_as else Status.DRAFT
        values["status"] = status.value
    note = f'{status}, version "{version}"'
    if status is Status.APPROVED:
        approver = front.approver if front is not None else ""
        approved = front.approved if front is not None else None
        if approve_as:
            if not approver:
                values["approver"] = yaml_text(approve_as)
            if approved is None:
                values["approved"] = today.isoformat()
            note = f"{note}, approved by {approver or approve_as} on {approved or today}"
        elif not (approver and approved):
            values["status"] = Status.DRAFT.value
            note = f'draft, version "{version}" (its front matter says approved but names no approver or date: approve it again)'
    if front is None or not front.owner:
        values["owner"] = yaml_text(guess_owner(candidate.source, candidate.type)[0])
    if candidate.parents and (front is None or front.parents != candidate.parents):
        values["parents"] = "[" + ", ".join(candidate.parents) + "]"
    if not candidate.complete and (front is None or not front.change):
        values["change"] = yaml_text(ADOPTED)
    return values, note


def _written_version(front: Document | None) -> str | None:
    """A version written as a number (`version: 2.1`), as it was written, when it is MAJOR.MINOR."""
    if front is None or "version" not in front.lines:
        return None
    line = front.text.split("\n")[front.lines["version"] - 1]
    written = line.split(":", 1)[1].strip().strip("\"'") if ":" in line else ""
    return written if Version.parse(written) else None


def _with_front_matter(source: Source, values: dict[str, str], body: str) -> str:
    if source.front is None:
        block = ["---", *(f"{key}: {values[key]}" for key in FIELD_ORDER if key in values), "---"]
        return "\n".join(block) + "\n" + body
    lines = source.text.split("\n")[: source.body_line - 1]
    closing = len(lines) - 1
    replaced = {source.front.lines[key] - 1: key for key in values if key in source.front.lines}
    for index in sorted(replaced, reverse=True):
        end = index + 1
        while end < closing and not _KEY_LINE.match(lines[end]):
            end += 1
        key = replaced[index]
        lines[index:end] = [f"{key}: {values[key]}"]
        closing -= end - index - 1
    added = [f"{key}: {values[key]}" for key in FIELD_ORDER if key in values and key not in source.front.lines]
    lines[closing:closing] = added
    return "\n".join(lines) + "\n" + body


def _encoded(text: str, source: Source) -> bytes:
    if source.crlf:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")


def _relink_note(plan: Adoption, root: Path, path: str, moves: dict[str, str]) -> bool:
    """A README beside the documents keeps its links to them working; True when rewritten."""
    if not moves:
        return False
    source, _ = read_source(root / path, path)
    if source is None:
        return False
    body = rewrite(source.body, source.prose, path, path, moves)
    if body == source.body:
        return False
    plan.writes[path] = _encoded(_with_front_matter(source, {}, body) if source.front else body, source)
    return True


# -- templates and mkdocs.yml ----------------------------------------------------------------


def _plan_templates(
    plan: Adoption, settings: Settings, candidates: list[Candidate], adopted: list[Candidate], moves: dict[str, str]
) -> bool:
    """Writes a template for each type adopted now, unless the library has one; True when a
    template is written (mkdocs.yml then names the folder)."""
    folder = settings.templates or TEMPLATES_DIR
    written = False
    for doc_type in HIERARCHY:
        if not any(c.type is doc_type for c in adopted):
            continue
        path = f"{folder}/{doc_type.value}.md"
        if (plan.root / path).exists() and path not in moves:
            plan.report.append(f"{path}: kept (the library's own {doc_type} template)")
            continue
        documents = [c for c in candidates if c.type is doc_type]
        sections = shared_sections([c.source.sections() for c in documents])
        plan.writes[path] = template_text(sections).encode("utf-8")
        written = True
        which = f"the only {doc_type}" if len(documents) == 1 else f"all {len(documents)} {_plural(doc_type)}"
        if sections:
            verb = "has" if len(documents) == 1 else "have"
            plan.report.append(f"{path}: the sections {which} {verb}, in their order: {' › '.join(sections)}")
        else:
            plan.report.append(f"{path}: {which} share no section, so it requires none; edit it to set the structure you want")
    return written


def _plural(doc_type: DocType) -> str:
    return {DocType.POLICY: "policies", DocType.PROCESS: "processes"}.get(doc_type, f"{doc_type}s")


def _plan_config(
    plan: Adoption,
    config_text: str | None,
    config: dict[str, object],
    settings: Settings,
    docs_dir: str,
    candidates: list[Candidate],
    moves: dict[str, str],
    templates_written: bool,
) -> None:
    templates = (settings.templates or TEMPLATES_DIR) if templates_written else None
    needed = [e for e in EXTENSIONS if any(_uses(c.source, e) for c in candidates)]
    present = extension_names(config)
    uses = [f"{e.name} ({e.what}, e.g. in {next(moves.get(c.path, c.path) for c in candidates if _uses(c.source, e))})"
            for e in needed if e.name not in present]
    if config_text is None:
        name = " ".join(significant(plan.root.resolve().name)).capitalize() or "Document"
        plan.writes["mkdocs.yml"] = new_config(f"{name} library", docs_dir, templates, needed).encode("utf-8")
        plan.report.append("mkdocs.yml: written (theme material; plugins search and sms-docs"
                           + (f", templates from {templates}/" if templates else "") + ")")
        if not (plan.root / docs_dir).exists():
            plan.writes[f"{docs_dir}/index.md"] = _home_page(f"{name} library").encode("utf-8")
            plan.report.append(f"{docs_dir}/index.md: written (the site's home page; MkDocs reads its pages from {docs_dir}/)")
    else:
        if settings.templates and templates_written:
            templates = None  # already named in mkdocs.yml
        text = completed_config(config_text, config, templates, needed)
        if text != config_text:
            plan.writes["mkdocs.yml"] = text.encode("utf-8")
            plan.report.append("mkdocs.yml: the sms-docs plugin" + (f" with templates from {templates}/" if templates else "")
                               + " and the Markdown extensions the documents use, added")
        theme = config.get("theme")
        name = theme.get("name") if isinstance(theme, dict) else theme
        if name != "material":
            plan.warnings.append(f"mkdocs.yml: the theme is {name or 'not set'}; sms-docs is made for `theme: material`")
    for line in uses:
        plan.report.append(f"mkdocs.yml: markdown extension {line}")


def _uses(source: Source, extension: Extension) -> bool:
    return extension.pattern.search(source.body if extension.in_code else source.prose) is not None


def _home_page(title: str) -> str:
    return (
        f"# {title}\n\n"
        "The controlled policies, processes and procedures of the service management system. "
        "Find a document in the navigation or by searching its id or title; the register lists them all.\n"
    )
