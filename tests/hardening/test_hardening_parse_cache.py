"""What sms-docs keeps in `.git/sms-docs/` is data, never code: CI restores that folder from
a cache anyone with write access to the cache can poison. A crafted file there never runs
anything, and a damaged or ill-shaped one is ignored: the check gives the same answer."""

from __future__ import annotations

import json
import marshal
import pickle
from pathlib import Path

import pytest
from support import LibraryRepo


class _Payload:
    """Unpickling this creates the file named by `target`."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):  # noqa: ANN204
        return (Path.write_text, (self.target, "pwned"))


def stored(repo: LibraryRepo) -> Path:
    return repo.root / ".git" / "sms-docs"


def test_the_parsed_documents_are_kept_as_json(clean_library):
    assert clean_library.check().returncode == 0
    kept = [path for path in stored(clean_library).iterdir() if path.name.startswith("documents")]
    assert [path.suffix for path in kept] == [".json"], kept
    json.loads(kept[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["documents-v1.pickle", "documents-v2.json", "documents-v2.pickle"])
def test_a_crafted_pickle_in_the_kept_files_never_runs(clean_library, tmp_path, name):
    first = clean_library.check("--format", "json")
    target = tmp_path / "pwned"
    (stored(clean_library) / name).write_bytes(pickle.dumps(_Payload(target)))

    again = clean_library.check("--format", "json")

    assert not target.exists(), "the kept file ran code"
    assert again.returncode == first.returncode == 0 and again.stdout == first.stdout


def test_a_crafted_marshal_payload_in_the_kept_files_never_runs(clean_library, tmp_path):
    first = clean_library.check("--format", "json")
    target = tmp_path / "pwned"
    code = compile(f"open({str(target)!r}, 'w').write('pwned')", "<payload>", "exec")
    (stored(clean_library) / "documents-v2.json").write_bytes(marshal.dumps(code))

    again = clean_library.check("--format", "json")

    assert not target.exists()
    assert again.returncode == 0 and again.stdout == first.stdout


def _poisoned(original: dict) -> list[dict]:
    """Documents files of the right kind whose shapes are wrong in one place each."""
    variants = []
    entries = original["entries"]

    def variant(change) -> None:  # noqa: ANN001
        copy = json.loads(json.dumps(original))
        change(copy)
        variants.append(copy)

    variant(lambda d: d.update(entries="not a list"))
    variant(lambda d: d["entries"][0].update(document={"path": 42}))
    variant(lambda d: d["entries"][0]["document"].update(type="guideline"))
    variant(lambda d: d["entries"][0]["document"].update(approved="yesterday"))
    variant(lambda d: d["entries"][0]["document"].update(__class__="os.system"))
    variant(lambda d: d["entries"][0].update(findings=[{"code": "SMS999"}]))
    variant(lambda d: d["entries"][0]["document"]["front_matter"].update(x={"$object": "os.system"}))
    assert entries
    return variants


def test_a_kept_file_of_the_wrong_shape_is_ignored(clean_library):
    first = clean_library.check("--format", "json")
    kept = stored(clean_library) / "documents-v2.json"
    original = json.loads(kept.read_text(encoding="utf-8"))
    for poisoned in _poisoned(original):
        kept.write_text(json.dumps(poisoned), encoding="utf-8")
        again = clean_library.check("--format", "json")
        assert again.returncode == 0 and again.stdout == first.stdout, again.output[-3000:]


def _history_variants(loaded: tuple) -> list[tuple]:
    """Kept histories that marshal reads back fine but whose values are of the wrong type."""
    key, head, commits, documents, ended = loaded
    path, end, note, revisions = documents[0]
    position, revision_path, blob, values, content_key = revisions[0]
    wrong_values = (42, *values[1:])
    return [
        (key, head, commits, [(path, end, note, [(position, revision_path, blob, wrong_values, content_key)])], ended),
        (key, head, commits, [(path, end, note, [(position, revision_path, 7, values, content_key)])], ended),
        (key, head, [(None, *commits[0][1:]), *commits[1:]], documents, ended),
        (key, head, commits, [(path, end, note, [(position, revision_path, blob, (*values, "extra"), content_key)])], ended),
    ]


def test_a_kept_history_with_values_of_the_wrong_type_is_ignored(clean_library):
    first = clean_library.check("--format", "json")
    kept = stored(clean_library) / "history-v3.marshal"
    for variant in _history_variants(marshal.loads(kept.read_bytes())):
        kept.write_bytes(marshal.dumps(variant))
        again = clean_library.check("--format", "json")
        assert again.returncode == 0 and again.stdout == first.stdout, again.output[-3000:]


def test_kept_blobs_with_values_of_the_wrong_type_are_ignored(clean_library):
    first = clean_library.run_cli("history", "PRO-INC-001")
    folder = stored(clean_library)
    fingerprint, entries = marshal.loads((folder / "blobs-v4.marshal").read_bytes())
    damaged = {sha: ((None,) * len(values), body) for sha, (values, body) in entries.items()}
    (folder / "blobs-v4.marshal").write_bytes(marshal.dumps((fingerprint, damaged)))
    (folder / "history-v3.marshal").unlink()  # else the stored history of HEAD is used, not the blobs

    again = clean_library.run_cli("history", "PRO-INC-001")

    assert again.returncode == first.returncode == 0 and again.stdout == first.stdout, again.output[-3000:]
    assert "1.0" in first.stdout
