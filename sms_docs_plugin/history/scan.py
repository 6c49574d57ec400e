"""The blob scanner: the few front-matter fields history needs, read from old versions'
bytes without a YAML parser, and a content key that tells a review from a change.

History reads tens of thousands of old blobs; a line scanner is many times faster than YAML
and handles how front matter is written in practice (`key: value`, `[a, b]`, `- item`
lists, quoted strings, folded text). The full text of an old version is read only when a
page shows it.
"""

from __future__ import annotations

import hashlib
import re
import sys

import yaml

# The fields history needs, in the order a revision keeps them.
KEPT_FIELDS = (
    "id", "version", "status", "title", "owner", "approver", "approved", "effective", "review", "change",
    "classification",
)
FIELD_INDEX = {name: index for index, name in enumerate(KEPT_FIELDS)}
EMPTY = ("",) * len(KEPT_FIELDS)
# Texts that differ from version to version are not interned; roles, numbers and statuses are.
_UNIQUE_FIELDS = ("change", "title")
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")
_FENCE_BYTES = re.compile(rb"---[ \t]*\n")
_CLOSING_BYTES = re.compile(rb"^(?:---|\.\.\.)[ \t]*$", re.M)

Parsed = tuple[tuple[str, ...], str]  # (field values in KEPT_FIELDS order, content key)


def parse_blob(raw: bytes) -> Parsed:
    """Fields and content key of a document's bytes, as fast as Python allows: only the
    front matter is decoded; the body is hashed as bytes. The content key covers everything
    but the `review` line: equal keys mean nothing but the review date changed."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    match = _FENCE_BYTES.match(raw)
    closing = _CLOSING_BYTES.search(raw, match.end()) if match else None
    if match is None or closing is None:
        return EMPTY, hashlib.sha1(raw).hexdigest()
    front = raw[match.end() : closing.start()].decode("utf-8", "surrogateescape")
    kept = "\n".join(line for line in front.split("\n") if not line.startswith("review:"))
    digest = hashlib.sha1(kept.encode("utf-8", "surrogateescape"))
    digest.update(b"\n---\n")
    digest.update(raw[closing.end() + 1 :])
    fields = scan_fields(front)
    values = tuple(
        _text(fields.get(name)) if name in _UNIQUE_FIELDS else sys.intern(_text(fields.get(name))) for name in KEPT_FIELDS
    )
    return values, digest.hexdigest()


def _text(value: object) -> str:
    if value is None:
        return ""
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def content_key(text: str) -> str:
    """The content key of a decoded document (see `parse_blob`)."""
    return parse_blob(text.encode("utf-8", "surrogateescape"))[1]


def scan_fields(front_matter: str) -> dict[str, object]:
    """The top-level scalar and list fields of front matter."""
    fields: dict[str, object] = {}
    lines = front_matter.split("\n")
    index = 0
    while index < len(lines):
        match = _KEY_LINE.match(lines[index])
        index += 1
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if value.startswith("#"):
            value = ""
        continuation = []
        while index < len(lines) and (lines[index].startswith((" ", "\t")) or not lines[index].strip()):
            if lines[index].strip():
                continuation.append(lines[index].strip())
            index += 1
        if value in ("", ">", "|", ">-", "|-") and continuation:
            if all(item.startswith("- ") or item == "-" for item in continuation):
                fields[key] = [_unquote(item[1:].strip()) for item in continuation]
            else:
                fields[key] = " ".join(continuation)
        elif value.startswith("[") and value.endswith("]"):
            fields[key] = [_unquote(item.strip()) for item in value[1:-1].split(",") if item.strip()]
        else:
            fields[key] = _unquote(" ".join([value, *continuation]).strip())
    return fields


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")  # YAML single quotes escape a quote by doubling it
    if len(value) >= 2 and value[0] == value[-1] == '"':
        if "\\" in value:  # backslash escapes (\" \\ \n ...): let YAML decode them, as the loader does
            try:
                loaded = yaml.safe_load(value)
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, str):
                return loaded
        return value[1:-1]
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value
