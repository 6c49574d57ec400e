"""Reads one controlled document from bytes: decoding, front matter, field validation.

MkDocs silently drops front matter it cannot parse, so we parse it ourselves and
report every problem as a finding with the line of the offending key. Nothing in here
raises on bad input.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import (
    ID_PATTERN,
    Classification,
    DocType,
    Document,
    Finding,
    Record,
    Status,
    Version,
    make_finding,
    valid_retention,
)

# The C loader is several times faster; the pure-Python one behaves the same.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KNOWN_FIELDS = (
    "id", "type", "title", "version", "status", "owner", "approver", "approved",
    "effective", "review", "parents", "clauses", "change", "classification",
    "supersedes", "tags", "records", "references", "publisher", "edition", "location",
)
ALWAYS_REQUIRED = ("id", "type", "title", "version", "status", "owner")
REQUIRED_WHEN_APPROVED = ("approver", "approved")
# A document of external origin: identified, owned, located and reviewed, but not versioned here.
EXTERNAL_FIELDS = ("id", "type", "title", "owner", "publisher", "edition", "location", "review", "classification", "tags")
EXTERNAL_REQUIRED = ("id", "type", "title", "owner", "publisher", "edition", "location", "review")
RECORD_FIELDS = ("name", "location", "retention", "owner", "disposal")
_LIST_FIELDS = ("parents", "clauses", "supersedes", "tags", "references")
_TEXT_FIELDS = ("title", "owner", "approver", "change", "publisher", "edition", "location")
_DATE_FIELDS = {"approved": "approved", "effective": "effective_date", "review": "review_date"}
_FENCE = re.compile(r"^---[ \t]*$")
_CLOSING_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_E = TypeVar("_E", bound=Enum)


@dataclass
class ParsedText:
    """A file split into front matter and body, before any field is judged."""

    text: str
    front_matter: str | None
    body: str
    body_line: int


def git_blob_id(raw: bytes) -> str:
    """The id git gives these bytes, so the working tree is compared with history without git."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def decode(raw: bytes) -> tuple[str | None, str | None, int]:
    """UTF-8 with or without BOM, CRLF or LF. Returns (text, error, error line)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8", line
    return text.replace("\r\n", "\n").replace("\r", "\n"), None, 0


def split(text: str) -> ParsedText:
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return ParsedText(text, None, text, 1)
    for index in range(1, len(lines)):
        if _CLOSING_FENCE.match(lines[index]):
            return ParsedText(
                text, "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
            )
    return ParsedText(text, None, text, 1)


def load_document(raw: bytes, path: str, abs_path: Path, folder_type: DocType) -> tuple[Document | None, list[Finding]]:
    """Parse and validate one file. Returns the document (None if unusable) and findings."""
    text, error, error_line = decode(raw)
    if text is None:
        return None, [
            make_finding("SMS101", path, error_line, f"the file is not UTF-8 text ({error}); save it as UTF-8")
        ]
    parsed = split(text)
    if parsed.front_matter is None:
        if _FENCE.match(text.split("\n", 1)[0]):
            message = (
                "the front matter opened by `---` on line 1 is never closed; "
                "end the YAML fields with a line `---` before the body"
            )
        else:
            message = (
                "no front matter: start the file with a line `---`, the YAML fields "
                "(id, type, title, version, status, owner ...), and a closing `---`"
            )
        return None, [make_finding("SMS101", path, 1, message)]
    return _FieldReader(parsed, raw, path, abs_path, folder_type).read()


class _FieldReader:
    """Validates the fields of one front-matter block, collecting findings."""

    def __init__(self, parsed: ParsedText, raw: bytes, path: str, abs_path: Path, folder_type: DocType) -> None:
        self.parsed = parsed
        self.path = path
        self.findings: list[Finding] = []
        self.doc = Document(
            path=path,
            abs_path=abs_path,
            folder_type=folder_type,
            text=parsed.text,
            blob=git_blob_id(raw),
            body=parsed.body,
            body_line=parsed.body_line,
        )

    def add(self, code: str, line: int, message: str) -> None:
        self.findings.append(make_finding(code, self.path, line, message, self.doc.id))

    def read(self) -> tuple[Document | None, list[Finding]]:
        mapping = self._compose()
        if mapping is None:
            return None, self.findings
        loader, node = mapping
        nodes: dict[str, Node] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 2  # +1 for 1-based, +1 for the opening fence
            if not isinstance(key_node, ScalarNode):
                self.add("SMS101", line, "a front-matter key must be a plain name such as `title`")
                continue
            key = key_node.value
            if key in nodes:
                self.add("SMS101", line, f"`{key}` is given twice; keep one of them")
                continue
            nodes[key] = value_node
            self.doc.lines[key] = line
            self.doc.front_matter[key] = _construct(loader, value_node)
        self._read_fields(nodes)
        if self.doc.id:
            # Findings raised before the id was read (duplicate keys, unknown fields) name it too.
            self.findings = [f if f.doc_id else replace(f, doc_id=self.doc.id) for f in self.findings]
        return self.doc, self.findings

    def _compose(self) -> tuple[object, MappingNode] | None:
        loader = _Loader(self.parsed.front_matter or "")
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 2 if mark else 1
            problem = exc.problem or str(exc)
            self.add("SMS101", line, f"front matter is not valid YAML: {problem}; fix the YAML syntax on this line")
            return None
        except yaml.reader.ReaderError as exc:
            # A character YAML refuses (NUL, other control characters): its line, not line 1.
            text = self.parsed.front_matter or ""
            line = text.count("\n", 0, max(exc.position, 0)) + 2
            code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
            self.add(
                "SMS101",
                line,
                f"front matter is not valid YAML: the control character U+{code:04X} is not allowed; remove it from this line",
            )
            return None
        except (yaml.YAMLError, RecursionError) as exc:
            self.add("SMS101", 1, f"front matter is not valid YAML: {exc}")
            return None
        finally:
            loader.dispose()
        if not isinstance(node, MappingNode):
            self.add("SMS101", 1, "front matter must be a YAML mapping of `key: value` lines")
            return None
        return loader, node

    def _read_fields(self, nodes: dict[str, Node]) -> None:
        doc = self.doc
        for key in nodes:
            if key not in KNOWN_FIELDS:
                near = difflib.get_close_matches(key, KNOWN_FIELDS, n=1, cutoff=0.6)
                hint = f"did you mean `{near[0]}`?" if near else "remove it or check the spelling"
                self.add("SMS104", doc.lines[key], f"unknown field `{key}`: {hint}")
        self._read_id(nodes.get("id"))
        self._read_type(nodes.get("type"))
        nodes = self._fields_of_type(nodes)
        self._read_version(nodes.get("version"))
        doc.status = self._choice("status", nodes.get("status"), Status)
        classification = self._choice("classification", nodes.get("classification"), Classification)
        doc.classification = classification or Classification.INTERNAL
        for name in _TEXT_FIELDS:
            setattr(doc, name, self._text(name, nodes.get(name)))
        for name, attribute in _DATE_FIELDS.items():
            setattr(doc, attribute, self._date(name, nodes.get(name)))
        for name in _LIST_FIELDS:
            setattr(doc, name, self._list(name, nodes.get(name)))
        self._read_records(nodes.get("records"))
        self._require(nodes)

    def _fields_of_type(self, nodes: dict[str, Node]) -> dict[str, Node]:
        """The fields this type of document has; the others are reported (SMS104) and not read."""
        doc_type = self.doc.doc_type
        kept: dict[str, Node] = {}
        for key, node in nodes.items():
            reason = _not_a_field_of(doc_type, key)
            if reason:
                self.add("SMS104", self.doc.lines[key], f"`{key}` is not a field of {_a(doc_type)}: {reason}")
            else:
                kept[key] = node
        return kept

    def _read_records(self, node: Node | None) -> None:
        if node is None or _is_empty(node):
            return
        if not isinstance(node, SequenceNode):
            self.add("SMS103", self.doc.line("records"), f"`records` must be a list with one entry per record: {_RECORD_EXAMPLE}")
            return
        for item in node.value:
            line = item.start_mark.line + 2
            if not isinstance(item, MappingNode):
                self.add("SMS103", line, f"each entry of `records` must be a mapping: {_RECORD_EXAMPLE}")
                continue
            values = self._record_values(item)
            if not values.get("name"):
                self.add("SMS103", line, "this record has no `name`; say what is recorded, e.g. `name: Incident record`")
                continue
            self.doc.records.append(
                Record(
                    values["name"],
                    values.get("location", ""),
                    values.get("retention", ""),
                    values.get("owner", ""),
                    values.get("disposal", ""),
                    line,
                )
            )

    def _record_values(self, item: MappingNode) -> dict[str, str]:
        values: dict[str, str] = {}
        for key_node, value_node in item.value:
            line = key_node.start_mark.line + 2
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else ""
            if key not in RECORD_FIELDS:
                near = difflib.get_close_matches(key, RECORD_FIELDS, n=1, cutoff=0.6)
                hint = f"did you mean `{near[0]}`?" if near else f"a record has {', '.join(RECORD_FIELDS)}"
                self.add("SMS104", line, f"unknown field `{key}` in a record: {hint}")
                continue
            if key in values:
                self.add("SMS103", line, f"`{key}` is given twice in this record; keep one of them")
                continue
            if not isinstance(value_node, ScalarNode):
                self.add("SMS103", line, f"`{key}` of a record must be a single value, not a list or mapping")
                continue
            value = "" if _is_empty(value_node) else str(value_node.value).strip()
            if key == "retention" and value:
                value = value.lower()
                if not valid_retention(value):
                    self.add(
                        "SMS103",
                        line,
                        f"retention `{value_node.value}` is not a period: write years, months or days as "
                        '`"7y"`, `"18m"`, `"90d"`, or `permanent`',
                    )
            values[key] = value
        return values

    def _require(self, nodes: dict[str, Node]) -> None:
        required = list(EXTERNAL_REQUIRED if self.doc.doc_type is DocType.EXTERNAL else ALWAYS_REQUIRED)
        if self.doc.status is Status.APPROVED:
            required += REQUIRED_WHEN_APPROVED
        for name in required:
            node = nodes.get(name)
            if node is None or _is_empty(node):
                where = "is missing" if node is None else "is empty"
                self.add("SMS102", self.doc.line(name), f"required field `{name}` {where}; {_HOW_TO_FILL[name]}")

    def _scalar(self, name: str, node: Node | None) -> str | None:
        if node is None or _is_empty(node):
            return None
        if not isinstance(node, ScalarNode):
            self.add("SMS103", self.doc.line(name), f"`{name}` must be a single value, not a list or mapping")
            return None
        return str(node.value).strip()

    def _read_id(self, node: Node | None) -> None:
        value = self._scalar("id", node)
        if value is None:
            return
        if not ID_PATTERN.match(value):
            capitals = value.upper()
            fix = f"write it in capitals: `{capitals}`" if ID_PATTERN.match(capitals) else "such as `PRO-INC-002`"
            self.add(
                "SMS103",
                self.doc.line("id"),
                f"id `{value}` is not valid: use capital letters and digits in dash-separated parts, {fix}",
            )
            if ID_PATTERN.match(capitals):
                # Ids compare ignoring case: keep it, so a clash with an existing id is reported too (SMS201).
                self.doc.id = value
            return
        self.doc.id = value

    def _read_type(self, node: Node | None) -> None:
        value = self._scalar("type", node)
        if value is None:
            return
        try:
            declared = DocType(value)
        except ValueError:
            self.add("SMS103", self.doc.line("type"), f"type `{value}` is not one of policy, process, procedure, external")
            return
        self.doc.type = declared
        if declared is not self.doc.folder_type:
            self.add(
                "SMS105",
                self.doc.line("type"),
                f"type is `{declared}` but the file is in the {self.doc.folder_type} folder; "
                f"move the file to the {declared} folder or set `type: {self.doc.folder_type}`",
            )

    def _read_version(self, node: Node | None) -> None:
        if node is None or _is_empty(node):
            return
        line = self.doc.line("version")
        # A plain (unquoted) scalar: style is None with the pure-Python loader, "" with the C loader.
        if isinstance(node, ScalarNode) and not node.style and node.tag in _NUMBER_TAGS:
            self.add(
                "SMS103",
                line,
                f"version `{node.value}` is not quoted, so YAML reads it as a number "
                f"(`1.10` would become `1.1`); write it as a quoted string: version: \"{node.value}\"",
            )
            return
        value = self._scalar("version", node)
        if value is None:
            return
        if Version.parse(value) is None:
            self.add("SMS103", line, f"version `{value}` is not MAJOR.MINOR such as \"1.0\" or \"2.3\"")
            return
        self.doc.version = value

    def _choice(self, name: str, node: Node | None, kind: type[_E]) -> _E | None:
        value = self._scalar(name, node)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in kind)
            self.add("SMS103", self.doc.line(name), f"{name} `{value}` is not one of {allowed}")
            return None

    def _text(self, name: str, node: Node | None) -> str:
        return self._scalar(name, node) or ""

    def _date(self, name: str, node: Node | None) -> date | None:
        value = self._scalar(name, node)
        if value is None:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.add("SMS103", self.doc.line(name), f"{name} `{value}` is not a date written as YYYY-MM-DD")
            return None

    def _list(self, name: str, node: Node | None) -> list[str]:
        if node is None or _is_empty(node):
            return []
        if isinstance(node, ScalarNode):
            return [str(node.value).strip()]
        if isinstance(node, SequenceNode) and all(isinstance(item, ScalarNode) for item in node.value):
            return [str(item.value).strip() for item in node.value if str(item.value).strip()]
        self.add("SMS103", self.doc.line(name), f"`{name}` must be a list of values such as [A, B]")
        return []


_HOW_TO_FILL = {
    "id": "add an identifier such as `id: PRO-INC-002`",
    "type": "add `type: policy`, `process`, `procedure` or `external`",
    "title": "add a short title such as `title: Log and classify an incident`",
    "version": 'add `version: "1.0"` (quoted)',
    "status": "add `status: draft`, `approved` or `retired`",
    "owner": "add the accountable role such as `owner: Incident Manager`",
    "approver": "an approved document names the role that authorized it, e.g. `approver: Head of Service Desk`",
    "approved": "an approved document gives its approval date, e.g. `approved: 2026-03-02`",
    "publisher": "add who issues the document, e.g. `publisher: ISO` or the supplier's name",
    "edition": 'add the edition the SMS relies on, e.g. `edition: "2018"` or the contract\'s date',
    "location": "add where the controlled copy is kept, e.g. `location: Document store / Standards`",
    "review": "add the date its owner next checks it is still the edition in force, e.g. `review: 2027-03-01`",
}
_RECORD_EXAMPLE = '`- {name: Incident record, location: Service desk tool, retention: "2y"}`'
_NOT_VERSIONED = "an external document has no versions of its own: `edition` says which edition applies and git keeps its history"
_EXTERNAL_HAS_NO = {
    "version": _NOT_VERSIONED,
    "status": _NOT_VERSIONED,
    "approver": _NOT_VERSIONED,
    "approved": _NOT_VERSIONED,
    "effective": _NOT_VERSIONED,
    "change": _NOT_VERSIONED,
    "supersedes": _NOT_VERSIONED,
    "parents": "it sits outside the hierarchy; the documents that rely on it list its id in `references`",
    "clauses": "the documents that rely on it claim clauses, it does not",
    "records": "records are declared by the processes and procedures that produce them",
    "references": "only the documents of the library refer to external documents",
}


def _not_a_field_of(doc_type: DocType, key: str) -> str | None:
    """Why `key` does not belong to this type of document, or None when it does."""
    if doc_type is DocType.EXTERNAL:
        return f"{_EXTERNAL_HAS_NO[key]}; remove it" if key in _EXTERNAL_HAS_NO else None
    if key in ("publisher", "edition", "location"):
        return f"only external documents (`type: external`, in the external folder) have `{key}`; remove it"
    if key == "records" and doc_type is DocType.POLICY:
        return "records are declared by the processes and procedures that produce them; move them there"
    return None


def _a(doc_type: DocType) -> str:
    return "an external document" if doc_type is DocType.EXTERNAL else f"a {doc_type}"


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _construct(loader: object, node: Node) -> object:
    """The plain value of a node, for callers that want it; invalid values become text."""
    try:
        return loader.construct_object(node, deep=True)  # type: ignore[attr-defined]
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return getattr(node, "value", None) if isinstance(node, ScalarNode) else None


def without_title(body: str) -> str:
    """The body without its leading `# Title`: pages print their own heading with the id."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            return "\n".join(lines[index + 1 :]) if line.startswith("# ") else body
    return body
