"""Property-based tests: the front-matter loader never raises, whatever the bytes or the
YAML, and the rule engine is deterministic — the same library gives the same findings in
the same order, sorted by (path, line, code, message)."""

from __future__ import annotations

import random
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import AUTHOR, default_body, subprocess_env

from sms_docs_plugin.analysis import analyse
from sms_docs_plugin.frontmatter import KNOWN_FIELDS, load_document
from sms_docs_plugin.model import DocType, Finding
from sms_docs_plugin.settings import Settings

PATH = "procedures/generated.md"
LOADER = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(raw: bytes, doc_type: DocType = DocType.PROCEDURE):
    return load_document(raw, PATH, Path("/nonexistent") / PATH, doc_type)


def assert_sane(raw: bytes, document, findings: list[Finding]) -> None:
    """What any load must give: findings of the front-matter family about this file, on one
    of its lines, and a reason whenever the file could not be used at all."""
    assert isinstance(findings, list)
    lines = raw.count(b"\n") + 1
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.code.startswith("SMS1"), finding
        assert finding.path == PATH
        assert 1 <= finding.line <= lines, (finding, lines)
        assert finding.message.strip()
    if document is None:
        assert findings, "a file that is not a document must say why"


# --------------------------------------------------------------------------- the loader


@LOADER
@given(st.binary(max_size=3000))
@example(b"")
@example(b"\x89PNG\r\n\x1a\n\0\0")
@example(b"\xef\xbb\xbf---\r\nid: PRO-X-001\r\n---\r\n")
@example(b"---\n" + b"[" * 5000 + b"\n---\n")
@example(b"---\n" + b"- " * 3000 + b"x\n---\n")
def test_arbitrary_bytes_never_raise_out_of_the_loader(raw):
    document, findings = load(raw)
    assert_sane(raw, document, findings)


@LOADER
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_between_fences_never_raise_out_of_the_loader(inner):
    raw = b"---\n" + inner + b"\n---\n# Body\n"
    document, findings = load(raw)
    assert_sane(raw, document, findings)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    | st.sampled_from(["1.0", "1.10", "2.x", "approved", "retired", "restricted", "PRC-INC", "policy", "~", ""])
)
KEYS = st.sampled_from(KNOWN_FIELDS) | st.text(max_size=12) | st.integers() | st.booleans() | st.none()
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=25,
)
FRONT_MATTER = st.dictionaries(KEYS, VALUES, max_size=12) | VALUES


@LOADER
@given(FRONT_MATTER, st.booleans(), st.booleans(), st.sampled_from(list(DocType)))
def test_arbitrary_yaml_never_raises_out_of_the_loader(data, flow, unicode, doc_type):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False)
    raw = f"---\n{text}---\n# Body\n\nText.\n".encode()
    document, findings = load(raw, doc_type)
    assert_sane(raw, document, findings)
    again = load(raw, doc_type)[1]
    assert again == findings, "loading the same bytes twice gives other findings"


@LOADER
@given(st.text(max_size=600))
@example("a: &a [*a]\n")
@example("a: &x\n  b: *x\n")
@example("id: !!python/object/apply:os.system ['echo pwned']\n")
@example("id: !custom tag\n")
@example("? [a, b]\n: c\n")
@example("<<: {id: PRO-X-001}\n")
@example("version: 1.10\nversion: '1.10'\n")
@example("title: |\n  multi\n  line\n")
@example("\t- a\n")
def test_arbitrary_yaml_text_never_raises_out_of_the_loader(text):
    raw = f"---\n{text}\n---\n# Body\n".encode("utf-8", "surrogatepass")
    document, findings = load(raw)
    assert_sane(raw, document, findings)


def test_a_yaml_bomb_of_aliases_is_read_without_blowing_up():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[level]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("tags: *i")
    raw = ("---\n" + "\n".join(lines) + "\n---\n# Body\n").encode()
    document, findings = load(raw)
    assert_sane(raw, document, findings)
    assert any(f.code == "SMS103" and "tags" in f.message for f in findings), findings


# --------------------------------------------------------------------------- the rule engine

TYPES = {"POL": "policy", "PRC": "process", "PRO": "procedure"}
IDS = ["POL-SMS", "POL-INC", "PRC-INC", "PRC-CHG", "PRO-INC-001", "PRO-INC-002", "PRO-CHG-001"]
PARAGRAPHS = [
    "Record every call in the service desk tool with the caller, the service and the time.",
    "Classify the incident by impact and urgency and set the priority from the matrix.",
    "Escalate a priority one incident to the incident manager at once by telephone.",
    "The Incident Manager reviews open incidents every morning and assigns the owners.",
]


@st.composite
def libraries(draw) -> list[tuple[str, str]]:
    """Small libraries as (path, text): random hierarchies with duplicate ids (in another
    case), dangling parents, cycles, self-parents, wrong-level parents, bad versions and
    statuses, and bodies sharing paragraphs."""
    files = []
    count = draw(st.integers(min_value=1, max_value=8))
    for number in range(count):
        doc_id = draw(st.sampled_from(IDS))
        if draw(st.booleans()) and number:
            doc_id = doc_id.lower()  # a case-insensitive clash
        declared = TYPES[doc_id[:3].upper()]
        folder_type = draw(st.sampled_from([declared, declared, "policy", "process", "procedure"]))
        parents = draw(st.lists(st.sampled_from([*IDS, "PRC-GONE", doc_id]), max_size=3))
        status = draw(st.sampled_from(["approved", "approved", "draft", "retired", "bogus"]))
        version = draw(st.sampled_from(['"1.0"', '"2.3"', "1.10", '"x"']))
        body = default_body(doc_id.upper(), declared, "Heading") if draw(st.booleans()) else "# Heading\n"
        body += "\n" + "\n\n".join(draw(st.lists(st.sampled_from(PARAGRAPHS), max_size=4))) + "\n"
        lines = [
            "---",
            f"id: {doc_id}",
            f"type: {declared}",
            f"title: Document {number}",
            f"version: {version}",
            f"status: {status}",
            "owner: Service Owner",
            "approver: Head of Service",
            "approved: 2026-01-15",
        ]
        if parents or draw(st.booleans()):
            lines.append(f"parents: [{', '.join(parents)}]")
        lines.append("---")
        folder = {"policy": "policies", "process": "processes", "procedure": "procedures"}[folder_type]
        files.append((f"{folder}/d{number}-{doc_id.lower()}.md", "\n".join(lines) + "\n" + body))
    return files


def write_library(root: Path, files: list[tuple[str, str]], order: random.Random | None = None) -> None:
    (root / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\nplugins: [search, sms-docs]\n", "utf-8")
    listed = list(files)
    if order is not None:
        order.shuffle(listed)
    for rel, text in listed:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def rule_findings(root: Path) -> list[dict]:
    return [f.to_dict() for f in analyse(Settings(root=root), today=date(2026, 6, 1)).findings]


def assert_sorted(findings: list[dict]) -> None:
    keys = [(f["path"], f["line"], f["code"], f["message"]) for f in findings]
    assert keys == sorted(keys), "findings are not in (path, line, code, message) order"


@RULES
@given(libraries())
def test_the_rules_give_the_same_findings_in_the_same_sorted_order_every_time(files):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_library(root, files)
        first = rule_findings(root)
        second = rule_findings(root)
    assert first == second
    assert_sorted(first)


@FEW
@given(libraries(), st.randoms(use_true_random=False))
def test_the_order_files_were_written_in_does_not_change_the_findings(files, order):
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        write_library(Path(one), files)
        write_library(Path(two), files, order)
        assert rule_findings(Path(one)) == rule_findings(Path(two))


def _commit(root: Path) -> None:
    env = subprocess_env(GIT_AUTHOR_DATE="2026-01-15T10:00:00+00:00", GIT_COMMITTER_DATE="2026-01-15T10:00:00+00:00")
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", f"user.name={AUTHOR[0]}", "-c", f"user.email={AUTHOR[1]}", "commit", "-q", "-m", "Library"],
    ):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@FEW
@given(libraries(), libraries())
def test_the_rules_are_deterministic_with_git_history_too(first_files, second_files):
    """Two commits (a library, then another library over it, ids kept or not): the history
    rules join in, and still the same library gives the same findings in the same order."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_library(root, first_files)
        _commit(root)
        write_library(root, second_files)
        first = rule_findings(root)
        second = rule_findings(root)
    assert first == second
    assert_sorted(first)
