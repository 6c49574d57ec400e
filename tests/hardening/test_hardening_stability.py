"""Findings are stable: the same library gives the same output, byte for byte, run after
run and whatever Python's hash seed, so CI logs diff cleanly."""

from __future__ import annotations

import json
from datetime import date

import pytest
from support import LibraryRepo, clean_docs, default_body, doc, snapshot
from support_hardening import built, run_door

# Four hundred words three procedures share: far above the near-duplicate threshold.
SHARED = " ".join(f"{word}{n}" for n in range(100) for word in ("check", "record", "confirm", "close"))


def shared_body(doc_id: str, extra: str) -> str:
    return default_body(doc_id, "procedure", "Heading") + "\n" + SHARED + f"\n{extra}\n"


def noisy_docs() -> list:
    """A library with findings of every family, several on one file and one line."""
    return [
        *clean_docs(),
        doc("PRC-CHG", "process", parents=["POL-INC"], status="draft"),
        doc("PRC-LOOP-A", "process", parents=["PRC-LOOP-B"]),
        doc("PRC-LOOP-B", "process", parents=["PRC-LOOP-A"]),
        doc("PRO-DUP-001", "procedure", parents=["PRC-INC"], body=shared_body("PRO-DUP-001", "One.")),
        doc("PRO-DUP-002", "procedure", parents=["PRC-INC"], body=shared_body("PRO-DUP-002", "Two.")),
        doc("PRO-DUP-003", "procedure", parents=["PRC-INC"], body=shared_body("PRO-DUP-003", "Three.")),
        doc("PRO-DUP-004", "procedure", parents=["PRC-INC"], body=shared_body("PRO-DUP-004", "Four.")),
        doc("pro-dup-003", "procedure", parents=["PRC-INC"], path="procedures/copy/pro-dup-003.md"),
        doc("PRO-MANY-001", "procedure", parents=["PRC-GONE", "POL-SMS", "PRO-INC-001", "PRC-ALSO-GONE"],
            reviewd="2026-01-01", ownr="Someone", zzz="x"),
        doc("PRO-DRAFTPARENT-001", "procedure", parents=["PRC-CHG"]),
        doc("PRO-NAMES-001", "procedure", parents=["PRC-INC"],
            body=default_body("PRO-NAMES-001", "procedure", "H") + "\nAsk Jane Doe or John Roe, then PRO-NOPE-999.\n"),
        doc("PRO-ORPHAN-001", "procedure", parents=None),
        doc("PRO-BARE-001", "procedure", parents=["PRC-INC"], body="# Only a title\n"),
    ]


@pytest.fixture(scope="module")
def noisy(tmp_path_factory) -> LibraryRepo:
    root = tmp_path_factory.mktemp("stable") / "library"
    repo = LibraryRepo.create(root, noisy_docs(), {"people": ["Jane Doe", "John Roe"]})
    # A second commit: a new version without its change, then an edit left uncommitted.
    repo.add(doc("PRO-INC-001", "procedure", parents=["PRC-INC"], version="1.1", approved=date(2026, 2, 1)))
    repo.commit("Version 1.1", when="2026-02-01T10:00:00+00:00")
    spec = repo.spec("PRO-INC-001")
    repo.write(spec.path, spec.text() + "\nAn edit without a new version.\n")
    return repo


def check_output(repo: LibraryRepo, fmt: str, seed: str) -> tuple[int, str, str]:
    result = run_door(repo, ["check", "--format", fmt], cli=True, PYTHONHASHSEED=seed)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def test_the_noisy_library_has_findings_of_every_family(noisy):
    _, out, _ = check_output(noisy, "json", "0")
    found = {f["code"] for f in json.loads(out)["findings"]}
    expected = {"SMS104", "SMS201", "SMS202", "SMS203", "SMS204", "SMS205", "SMS206", "SMS301", "SMS303",
                "SMS401", "SMS402", "SMS403", "SMS404"}
    assert expected <= found, sorted(expected - found)


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_two_runs_print_the_same_findings_byte_for_byte(noisy, fmt):
    first = check_output(noisy, fmt, "0")
    second = check_output(noisy, fmt, "0")
    assert first[0] == 1
    assert first == second


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_hash_seed_does_not_change_the_findings(noisy, fmt):
    one = check_output(noisy, fmt, "1")
    two = check_output(noisy, fmt, "2")
    assert one == two
    if fmt == "json":
        near = [f for f in json.loads(one[1])["findings"] if f["code"] == "SMS402"]
        assert len(near) >= 2, "the near-duplicate rule did not fire: the seed test proves nothing"


def test_the_findings_are_in_path_line_code_message_order(noisy):
    _, out, _ = check_output(noisy, "json", "3")
    findings = json.loads(out)["findings"]
    keys = [(f["path"], f["line"], f["code"], f["message"]) for f in findings]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys)), "a finding is reported twice"
    assert any(a[:2] == b[:2] for a, b in zip(keys, keys[1:], strict=False)), "no two findings share a line"


def test_the_build_reports_the_same_findings_whatever_the_hash_seed(noisy):
    def reported(seed: str) -> list[str]:
        result = built(noisy, PYTHONHASHSEED=seed)
        assert result.returncode != 0
        return [line for line in result.stderr.splitlines() if " SMS" in line]

    first = reported("1")
    assert first, "the build reported no finding"
    assert first == reported("2")


def test_two_builds_with_different_hash_seeds_publish_identical_sites(make_library):
    repo = make_library(*clean_docs())
    assert built(repo, PYTHONHASHSEED="1").returncode == 0
    first = snapshot(repo.site)
    assert built(repo, PYTHONHASHSEED="2").returncode == 0
    assert snapshot(repo.site) == first
