"""Test support: real library repositories in a temporary folder, real git, real builds.

A test describes its library with `doc(...)` specs, writes them with `LibraryRepo`, and
runs the two doors of the product on it: `sms-docs check` (in-process or as a real
process) and `mkdocs build` (always a real process). Nothing here mocks git or MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import yaml

import sms_docs_plugin.model

# The `today` of every build and check: fixed, so review dates never fall due while the
# suite ages. 2026-06-01 00:00 UTC; every default `approved` date lies before it.
SOURCE_DATE_EPOCH = "1780272000"
TODAY = datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), UTC).date()
COMMIT_DATE = "2026-01-15T10:00:00+00:00"
AUTHOR = ("Test Author", "author@example.org")

FOLDERS = {"policy": "policies", "process": "processes", "procedure": "procedures", "external": "external"}
FIELD_ORDER = ("id", "type", "title", "version", "status", "owner", "approver", "approved", "parents")
VENV_BIN = Path(sys.executable).parent
PACKAGED_TEMPLATES = Path(sms_docs_plugin.model.__file__).resolve().parent / "data" / "document-templates"


def subprocess_env(**extra: str | None) -> dict[str, str]:
    """The environment of every git, mkdocs and sms-docs process the tests start.

    `extra` adds variables; a value of None removes one (e.g. SOURCE_DATE_EPOCH=None).
    """
    env = dict(os.environ)
    env.update(
        NO_MKDOCS_2_WARNING="1",
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME=AUTHOR[0],
        GIT_AUTHOR_EMAIL=AUTHOR[1],
        GIT_COMMITTER_NAME=AUTHOR[0],
        GIT_COMMITTER_EMAIL=AUTHOR[1],
    )
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Raw:
    """A front-matter value written exactly as given, e.g. an unquoted `1.10`."""

    text: str


@dataclass
class DocSpec:
    """One controlled document to write: its front-matter fields in order, its body and path."""

    id: str
    type: str
    fields: dict[str, object]
    body: str
    path: str

    def text(self) -> str:
        lines = ["---"]
        for key, value in self.fields.items():
            lines.append(f"{key}: {yaml_value(value)}")
        lines.append("---")
        return "\n".join(lines) + "\n" + self.body

    def line_of(self, key: str) -> int:
        """The 1-based line of `key:` in the written file (the test's own oracle)."""
        return line_of(self.text(), key)


def doc(
    doc_id: str,
    doc_type: str,
    parents: str | Iterable[str] | None = None,
    *,
    body: str | None = None,
    path: str | None = None,
    folder: str | None = None,
    subdir: str | None = None,
    **fields: object,
) -> DocSpec:
    """A valid, approved document of `doc_type`; keyword fields override or add fields.

    A field given as None is left out; `Raw("1.10")` is written verbatim. `parents=None`
    writes no `parents` key at all; `parents=[]` writes `parents: []`. The file goes to
    `<folder of the type>/<subdir>/<id in lower case>.md` unless `path` or `folder` says
    otherwise.
    """
    title = fields.get("title") or f"Title of {doc_id}"
    values: dict[str, object] = {
        "id": doc_id,
        "type": doc_type,
        "title": title,
        "version": "1.0",
        "status": "approved",
        "owner": "Service Owner",
        "approver": "Head of Service",
        "approved": date(2026, 1, 15),
    }
    if parents is not None:
        values["parents"] = [parents] if isinstance(parents, str) else list(parents)
    values.update(fields)
    if doc_type == "procedure":
        # The template's `## Records` section is declared too, or SMS406 would warn; last, so
        # the lines of the other fields stay where tests expect them.
        values.setdefault("records", Raw(f'[{{name: {doc_id} record, location: Service desk tool, retention: "1y"}}]'))
    ordered = {k: values[k] for k in FIELD_ORDER if k in values}
    ordered.update({k: v for k, v in values.items() if k not in ordered})
    ordered = {k: v for k, v in ordered.items() if v is not None}
    if path is None:
        base = folder or FOLDERS[doc_type]
        name = f"{doc_id.lower()}.md"
        path = str(PurePosixPath(base, subdir, name) if subdir else PurePosixPath(base, name))
    if body is None:
        body = default_body(doc_id, doc_type, str(title))
    return DocSpec(doc_id, doc_type, ordered, body, path)


def external_doc(doc_id: str, *, body: str = "", path: str | None = None, **fields: object) -> DocSpec:
    """A complete external document (`type: external`) in the external folder; keyword fields
    override or add fields, None leaves one out."""
    values: dict[str, object] = {
        "id": doc_id,
        "type": "external",
        "title": f"Title of {doc_id}",
        "owner": "Service Owner",
        "publisher": "Standards Body",
        "edition": "2018",
        "location": "Document store, standards shelf",
        "review": date(2026, 12, 1),
    }
    values.update(fields)
    values = {k: v for k, v in values.items() if v is not None}
    return DocSpec(doc_id, "external", values, body, path or f"external/{doc_id.lower()}.md")


def default_body(doc_id: str, doc_type: str, title: str) -> str:
    """A body with every section its type's template requires (SMS403), each in words
    that name the document, so no two bodies overlap (SMS402)."""
    lines = [f"# {title}", ""]
    for heading in template_sections(doc_type):
        lines += [f"## {heading}", "", f"{doc_id} {heading.lower()}.", ""]
    return "\n".join(lines)


def template_sections(doc_type: str) -> list[str]:
    """The level-2 headings of the product's packaged template for `doc_type`."""
    template = PACKAGED_TEMPLATES / f"{doc_type}.md"
    if not template.is_file():
        return ["Purpose"]
    text = template.read_text(encoding="utf-8")
    return [line[3:].strip() for line in text.split("\n") if line.startswith("## ")]


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _\-]*$")
_YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def yaml_value(value: object) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | int | float):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.lstrip("\ufeff").startswith(f"{key}:"):
            return number
    raise AssertionError(f"no line `{key}:` in\n{text}")


def clean_docs() -> list[DocSpec]:
    """The smallest library with no finding: root policy › policy › process › procedure."""
    return [
        doc("POL-SMS", "policy", title="Service management policy"),
        doc("POL-INC", "policy", parents=["POL-SMS"], title="Incident management policy"),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management"),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident"),
    ]


# --------------------------------------------------------------------------- repositories


@dataclass
class Completed:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class LibraryRepo:
    """A library repository on disk: mkdocs.yml, content/, the three folders, and git."""

    root: Path
    options: Mapping[str, object] | None = None
    site_name: str = "Test SMS library"
    specs: dict[str, DocSpec] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        root: Path,
        docs: Iterable[DocSpec] = (),
        options: Mapping[str, object] | None = None,
        *,
        commit: bool = True,
    ) -> LibraryRepo:
        root.mkdir(parents=True, exist_ok=True)
        repo = cls(root, options)
        repo.write_config(options)
        repo.write("content/index.md", "# Home\n\nThe library of the test service provider.\n")
        repo.add(*docs)
        repo.git("init", "-q", "-b", "main")
        repo.git("config", "user.name", AUTHOR[0])
        repo.git("config", "user.email", AUTHOR[1])
        repo.git("config", "commit.gpgsign", "false")
        if commit:
            repo.commit("Initial library")
        return repo

    # files

    def write_config(self, options: Mapping[str, object] | None = None, **top_level: object) -> None:
        """mkdocs.yml with Material (no web fonts, pruned navigation) and our plugin."""
        self.options = options
        config: dict[str, object] = {
            "site_name": self.site_name,
            "docs_dir": "content",
            "theme": {"name": "material", "font": False, "features": ["navigation.prune"]},
            "plugins": ["search", {"sms-docs": dict(options)} if options else "sms-docs"],
        }
        config.update(top_level)
        self.write("mkdocs.yml", yaml.safe_dump(config, sort_keys=False))

    def add(self, *specs: DocSpec) -> list[str]:
        for spec in specs:
            self.write(spec.path, spec.text())
            self.specs[spec.id] = spec
        return [spec.path for spec in specs]

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def spec(self, doc_id: str) -> DocSpec:
        return self.specs[doc_id]

    # git

    def git(self, *args: str, when: str = COMMIT_DATE) -> str:
        env = subprocess_env(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stderr}"
        return done.stdout

    def commit(self, message: str = "Update the library", when: str = COMMIT_DATE) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.head

    @property
    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    # the two doors, as real processes

    def check(self, *args: str, **env: str | None) -> Completed:
        """`sms-docs check ARGS` as a real process in the library folder."""
        return self.run_cli("check", *args, **env)

    def run_cli(self, *args: str, **env: str | None) -> Completed:
        script = VENV_BIN / "sms-docs"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "sms_docs_plugin.cli"]
        return _run([*command, *args], self.root, **env)

    def build(self, *args: str, **env: str | None) -> Completed:
        """`mkdocs build ARGS` as a real process in the library folder."""
        return _run([sys.executable, "-m", "mkdocs", "build", *args], self.root, **env)

    # the built site

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, rel_source: str) -> Path:
        """The built page of a source file (directory URLs): `policies/pol-x.md` -> site/policies/pol-x/index.html."""
        stem = PurePosixPath(rel_source).with_suffix("")
        if stem.name == "index":
            return self.site / stem.parent / "index.html"
        return self.site / stem / "index.html"

    def doc_page(self, doc_id: str) -> Path:
        return self.page(self.specs[doc_id].path)

    def site_snapshot(self) -> dict[str, str]:
        return snapshot(self.site)


def _run(command: list[str], cwd: Path, **env: str | None) -> Completed:
    done = subprocess.run(
        command, cwd=cwd, env=subprocess_env(**env), capture_output=True, text=True, check=False, timeout=300
    )
    return Completed(done.returncode, done.stdout, done.stderr)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` -> sha256 of its bytes; empty when the folder is absent."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def copy_tree(source: Path, target: Path, names: Iterable[str]) -> list[str]:
    """Copy the named files and folders of `source` into `target`; returns those that existed."""
    copied = []
    for name in names:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        elif src.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
        else:
            continue
        copied.append(name)
    return copied


# --------------------------------------------------------------------------- findings


def of_code(findings: list[dict], code: str) -> list[dict]:
    return [f for f in findings if f["code"] == code]


def only(findings: list[dict], code: str) -> dict:
    """The single finding with `code`; fails listing all findings otherwise."""
    matches = of_code(findings, code)
    assert len(matches) == 1, f"expected exactly one {code}, got {len(matches)}:\n" + describe(findings)
    return matches[0]


def describe(findings: list[dict]) -> str:
    return "\n".join(f"  {f['path']}:{f['line']}: {f['code']} {f['severity']}: {f['message']}" for f in findings)


# --------------------------------------------------------------------------- HTML


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join("".join(parts).split())

    def iter(self) -> Iterable[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> list[Node]:
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (class_ is None or class_ in node.classes)
            and all(node.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, class_: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, class_, **attrs)
        assert found, f"no <{tag or '*'} class={class_!r} {attrs}> in the page"
        return found[0]

    def links(self) -> list[tuple[str, str]]:
        """(text, href) of every <a href> inside this node."""
        return [(a.text, a.attrs["href"]) for a in self.find_all("a") if "href" in a.attrs]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def read_page(path: Path) -> Node:
    return parse_html(path.read_text(encoding="utf-8"))


def resolve_href(page: Path, href: str, site: Path) -> Path:
    """The file a relative link of a built page points to, inside `site`."""
    target = href.split("#", 1)[0]
    assert not re.match(r"^[a-z]+:", target) and not target.startswith("/"), f"not a relative link: {href}"
    resolved = (page.parent / target).resolve()
    if target.endswith("/") or resolved.is_dir():
        resolved = resolved / "index.html"
    assert resolved.is_relative_to(site.resolve()), f"{href} leaves the site"
    return resolved
