"""Helpers for the tests of the rules and of authoring: libraries committed by a
named author, extra mkdocs.yml variants beside the real one (so one repository can be
checked with several option sets), bodies built section by section, the line of a text
in a written file, and a small JSON Schema checker for the keywords `sms-docs schema` uses.

Everything runs real git and the real `sms-docs`; nothing is mocked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

import yaml
from support import FOLDERS, DocSpec, LibraryRepo, describe, template_sections

REPO_ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- libraries


def library_at(
    root: Path,
    *docs: DocSpec,
    options: Mapping[str, object] | None = None,
    author: str | None = None,
    variants: Mapping[str, Mapping[str, object]] | None = None,
) -> LibraryRepo:
    """A committed library; the first commit is by `author` when given. `variants` maps a
    config file name (e.g. `loose.yml`) to the sms-docs options it holds instead of mkdocs.yml's."""
    repo = LibraryRepo.create(root, docs, options, commit=False)
    for name, variant in (variants or {}).items():
        write_variant(repo, name, variant)
    commit_by(repo, "Initial library", author)
    return repo


def commit_by(repo: LibraryRepo, message: str, author: str | None = None) -> str:
    """Stage everything and commit, as `author` ("First Last") when given."""
    if author is None:
        return repo.commit(message)
    email = re.sub(r"\W+", ".", author.lower()).strip(".") + "@example.org"
    repo.git("add", "-A")
    repo.git("commit", "-q", "--allow-empty", f"--author={author} <{email}>", "-m", message)
    return repo.head


def write_variant(repo: LibraryRepo, name: str, options: Mapping[str, object]) -> str:
    """A copy of the library's mkdocs.yml named `name` whose sms-docs block is `options`."""
    config = yaml.safe_load((repo.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"sms-docs": dict(options)}]
    repo.write(name, yaml.safe_dump(config, sort_keys=False))
    return name


def check_json(repo: LibraryRepo, *args: str, config: str | None = None, **env: str | None) -> dict:
    """`sms-docs [-f CONFIG] check --format json ARGS` as a real process; the parsed output."""
    prefix = ["-f", config] if config else []
    result = repo.run_cli(*prefix, "check", "--format", "json", *args, **env)
    assert result.returncode in (0, 1), f"check exited {result.returncode}:\n{result.output}"
    return json.loads(result.stdout)


def findings_at(findings: list[dict], path: str, code: str | None = None) -> list[dict]:
    return [f for f in findings if f["path"] == path and (code is None or f["code"] == code)]


def assert_finding(finding: dict, code: str, severity: str, path: str, line: int, *phrases: str) -> None:
    got = (finding["code"], finding["severity"], finding["path"], finding["line"])
    assert got == (code, severity, path, line), describe([finding])
    for phrase in phrases:
        assert phrase in finding["message"], f"{phrase!r} not in {finding['message']!r}"


# --------------------------------------------------------------------------- bodies and lines


def body_with(doc_id: str, doc_type: str, title: str, sections: Mapping[str, str] | None = None,
              headings: Iterable[str] | None = None) -> str:
    """A body with the given level-2 `headings` (default: every section of the packaged
    template, in order); a section's text is `sections[heading]` or words naming the document."""
    sections = sections or {}
    lines = [f"# {title}", ""]
    for heading in template_sections(doc_type) if headings is None else headings:
        lines += [f"## {heading}", "", sections.get(heading, f"{doc_id} {heading.lower()}."), ""]
    return "\n".join(lines)


def line_with(spec: DocSpec | str, needle: str) -> int:
    """The 1-based line of the written file that holds `needle`; it must occur on one line only."""
    text = spec.text() if isinstance(spec, DocSpec) else spec
    hits = [number for number, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits} of\n{text}"
    return hits[0]


def body_line(spec: DocSpec) -> int:
    """The first line after the closing `---` of the front matter."""
    return len(spec.fields) + 3


def words(prefix: str, count: int) -> str:
    """`count` distinct words that occur in no other text: `prefix0 prefix1 ...`."""
    return " ".join(f"{prefix}{number}" for number in range(count))


# --------------------------------------------------------------------------- front matter


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter as YAML data, body) of a document's text."""
    assert text.startswith("---\n"), text[:80]
    front, body = text[4:].split("\n---\n", 1)
    data = yaml.safe_load(front)
    assert isinstance(data, dict), front
    return data, body


def as_editor_sees(data: object) -> object:
    """Front matter as a YAML 1.2 editor hands it to JSON Schema: dates are strings."""
    if isinstance(data, dict):
        return {str(k): as_editor_sees(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_editor_sees(v) for v in data]
    if isinstance(data, date):
        return data.isoformat()
    return data


def sample_documents() -> list[Path]:
    """Every controlled document of this project's sample library."""
    return sorted(p for folder in FOLDERS.values() for p in (REPO_ROOT / folder).rglob("*.md"))


# --------------------------------------------------------------------------- JSON Schema


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}
_KNOWN = {
    "$schema", "$id", "title", "description", "default", "format", "type", "enum", "const", "pattern",
    "minLength", "required", "properties", "additionalProperties", "items", "oneOf", "if", "then",
}


def schema_errors(instance: object, schema: Mapping[str, object], where: str = "$") -> list[str]:
    """Violations of the JSON Schema keywords the front-matter schema uses (draft 2020-12
    semantics for type, enum, const, pattern, minLength, required, properties,
    additionalProperties, items, oneOf and if/then); an unknown keyword is itself an error,
    so the checker never silently ignores part of the schema."""
    errors = [f"{where}: keyword {k!r} unknown to the test's checker" for k in schema if k not in _KNOWN]
    if "type" in schema and not _TYPES[str(schema["type"])](instance):
        return [*errors, f"{where}: {instance!r} is not of type {schema['type']}"]
    if "enum" in schema and instance not in schema["enum"]:  # type: ignore[operator]
        errors.append(f"{where}: {instance!r} is not one of {schema['enum']}")
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{where}: {instance!r} is not {schema['const']!r}")
    if isinstance(instance, str):
        if "pattern" in schema and not re.search(str(schema["pattern"]), instance):
            errors.append(f"{where}: {instance!r} does not match {schema['pattern']}")
        if len(instance) < int(schema.get("minLength", 0)):  # type: ignore[arg-type]
            errors.append(f"{where}: {instance!r} is shorter than {schema['minLength']}")
    if isinstance(instance, dict):
        properties: Mapping[str, Mapping[str, object]] = schema.get("properties", {})  # type: ignore[assignment]
        for key in schema.get("required", []):  # type: ignore[union-attr]
            if key not in instance:
                errors.append(f"{where}: required property {key!r} missing")
        for key, value in instance.items():
            if key in properties:
                errors += schema_errors(value, properties[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: property {key!r} is not allowed")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            errors += schema_errors(item, schema["items"], f"{where}[{index}]")  # type: ignore[arg-type]
    if "oneOf" in schema:
        passing = [s for s in schema["oneOf"] if not schema_errors(instance, s, where)]  # type: ignore[union-attr]
        if len(passing) != 1:
            errors.append(f"{where}: {instance!r} matches {len(passing)} of the oneOf alternatives, not exactly 1")
    if "if" in schema and not schema_errors(instance, schema["if"], where):  # type: ignore[arg-type]
        errors += schema_errors(instance, schema.get("then", {}), where)  # type: ignore[arg-type]
    return errors
