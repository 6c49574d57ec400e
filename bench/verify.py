#!/usr/bin/env python3
"""Check that a repository made by bench/generate.py is a clean library (SPEC §2-§4).

    python bench/verify.py REPO [--no-history] [--no-duplicates]

Independent of the sms-docs package: it re-implements the rules the generator must
satisfy, so the benchmark measures a library on which ``sms-docs check`` should find
nothing. Final state: every front matter parses with PyYAML and has the required fields
and valid values, the type matches the folder, the hierarchy is complete (no orphans,
dangling or wrong-level parents, cycles, gaps), every body has its type's sections, 300-1500
words, no raw HTML and no git author's name, no two bodies are near-duplicates, every
``review`` is after 2026-12-31 and every ``approved`` date is in the past. History (one
``git log`` pass plus one ``git cat-file --batch``, renames followed): each approved
document's version rises with every change other than a review-date move, ``change`` is
never copied from the previous version, ``approved`` never goes backwards, and no document
is left suspect (a parent's latest major version after its own last approval or review).

Needs PyYAML (the C loader is used when present). Exit status 0 when clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
VERSION_RE = re.compile(r"^(\d+)\.(\d+)$")
FOLDERS = {"policies": "policy", "processes": "process", "procedures": "procedure"}
SECTIONS = {
    "policy": ["Purpose", "Scope", "Policy statements", "Roles and responsibilities"],
    "process": ["Purpose", "Scope", "Inputs and outputs", "Activities",
                "Roles and responsibilities", "Measures"],
    "procedure": ["Purpose", "When to use", "Roles", "Inputs", "Steps", "Records"],
}
KNOWN = {"id", "type", "title", "version", "status", "owner", "approver", "approved",
         "effective", "review", "parents", "clauses", "change", "classification",
         "supersedes", "tags", "records"}
LEVEL = {"policy": 0, "process": 1, "procedure": 2}


def split(text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = text.index("\n---\n", 4)
    return text[4:end], text[end + 5:]


def final_state(repo: Path, errors: list[str], check_dups: bool) -> dict[str, dict]:
    today = dt.date.today()
    docs: dict[str, dict] = {}
    for folder, type_ in FOLDERS.items():
        for path in sorted((repo / folder).rglob("*.md")):
            rel = path.relative_to(repo).as_posix()
            fm_text, body = split(path.read_text())
            fm = yaml.load(fm_text, Loader=Loader)
            for key in ("id", "type", "title", "version", "status", "owner"):
                if key not in fm:
                    errors.append(f"{rel}: missing {key}")
            unknown = set(fm) - KNOWN
            if unknown:
                errors.append(f"{rel}: unknown fields {sorted(unknown)}")
            if not ID_RE.match(str(fm.get("id", ""))):
                errors.append(f"{rel}: bad id {fm.get('id')!r}")
            if fm.get("type") != type_:
                errors.append(f"{rel}: type {fm.get('type')} in {folder}/")
            if not isinstance(fm.get("version"), str) or not VERSION_RE.match(fm["version"]):
                errors.append(f"{rel}: version {fm.get('version')!r} not a quoted MAJOR.MINOR")
            if fm.get("status") != "approved":
                errors.append(f"{rel}: status {fm.get('status')} (the final state is all approved)")
            for key in ("approver", "approved", "review"):
                if key not in fm:
                    errors.append(f"{rel}: approved document without {key}")
            if isinstance(fm.get("approved"), dt.date) and fm["approved"] > today:
                errors.append(f"{rel}: approved {fm['approved']} is in the future")
            if not isinstance(fm.get("review"), dt.date) or fm["review"] <= dt.date(2026, 12, 31):
                errors.append(f"{rel}: review {fm.get('review')} not after 2026-12-31")
            if "effective" in fm and fm["effective"] < fm["approved"]:
                errors.append(f"{rel}: effective before approved")
            if type_ != "policy" and not fm.get("parents"):
                errors.append(f"{rel}: orphan")
            if fm.get("owner") == fm.get("approver"):
                errors.append(f"{rel}: approved by its owner")
            records = fm.get("records") or []
            if type_ != "policy" and not records:
                errors.append(f"{rel}: no records declared")
            if any(not isinstance(r, dict) or not (r.get("name") and r.get("location") and r.get("retention"))
                   for r in records):
                errors.append(f"{rel}: a record without name, location or retention")
            if "<" in body:
                errors.append(f"{rel}: raw HTML or '<' in body")
            heads = re.findall(r"^## (.+)$", body, re.M)
            for s in SECTIONS[type_]:
                if s not in heads:
                    errors.append(f"{rel}: missing section {s}")
            words = len(body.split())
            if not 300 <= words <= 1520:
                errors.append(f"{rel}: {words} words")
            key = str(fm.get("id", "")).upper()
            if key in docs:
                errors.append(f"{rel}: duplicate id {key} (also {docs[key]['path']})")
            docs[key] = {"path": rel, "fm": fm, "body": body, "type": type_}

    # hierarchy
    children: dict[str, list[str]] = defaultdict(list)
    roots = []
    for key, d in docs.items():
        parents = d["fm"].get("parents") or []
        if isinstance(parents, str):
            parents = [parents]
        d["parents"] = [p.upper() for p in parents]
        if d["type"] == "policy" and not parents:
            roots.append(key)
        for p in d["parents"]:
            if p not in docs:
                errors.append(f"{d['path']}: dangling parent {p}")
                continue
            pt = docs[p]["type"]
            ok = (d["type"] == "procedure" and pt == "process") or (
                d["type"] == "process" and pt == "policy") or (
                d["type"] == "policy" and pt == "policy")
            if not ok:
                errors.append(f"{d['path']}: {d['type']} under {pt} {p}")
            children[p].append(key)
    if len(roots) != 1:
        errors.append(f"{len(roots)} root policies: {roots[:5]}")
    else:
        seen, stack = set(), [roots[0]]
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            stack.extend(children[k])
        unreachable = [k for k in docs if k not in seen]
        if unreachable:
            errors.append(f"{len(unreachable)} documents unreachable from {roots[0]} "
                          f"(or in a cycle): {unreachable[:5]}")
    for key, d in docs.items():
        if d["type"] == "policy" and not any(docs[c]["type"] == "process" for c in children[key]):
            errors.append(f"{d['path']}: policy without a process (gap)")
        if d["type"] == "process" and not children[key]:
            errors.append(f"{d['path']}: process without a procedure (gap)")

    # people named in bodies
    authors = subprocess.run(["git", "-C", str(repo), "log", "--format=%an%n%cn"],
                             capture_output=True, text=True, check=True).stdout.split("\n")
    names = {n for n in authors if n}
    parts = {p for n in names for p in n.split()}
    for d in docs.values():
        words = set(re.findall(r"[A-Z][a-z]+", d["body"]))
        hit = words & parts
        if hit:
            errors.append(f"{d['path']}: names of people in the body: {sorted(hit)[:3]}")
    if check_dups:
        near_duplicates(docs, errors)
    return docs


def near_duplicates(docs: dict[str, dict], errors: list[str], k: int = 5) -> None:
    """Largest Jaccard similarity of word k-shingles between any two bodies."""
    t0 = time.perf_counter()
    sh: dict[str, set[int]] = {}
    for key, d in docs.items():
        words = re.findall(r"[a-z0-9]+", d["body"].lower())
        sh[key] = {hash(tuple(words[i:i + k])) for i in range(len(words) - k + 1)}
    index: dict[int, list[str]] = defaultdict(list)
    for key, s in sh.items():
        for h in s:
            index[h].append(key)
    shared: Counter = Counter()
    for keys in index.values():
        if 1 < len(keys) <= 40:
            for i, a in enumerate(keys):
                for b in keys[i + 1:]:
                    shared[(a, b)] += 1
    best = []
    for (a, b), _n in shared.most_common(50):
        j = len(sh[a] & sh[b]) / len(sh[a] | sh[b])
        best.append((j, a, b))
    best.sort(reverse=True)
    top = best[0] if best else (0.0, "-", "-")
    print(f"near-duplicates: highest 5-shingle Jaccard {top[0]:.3f} ({top[1]} / {top[2]}), "
          f"{time.perf_counter() - t0:.1f}s")
    if top[0] >= 0.3:
        errors.append(f"near-duplicate bodies: {top[1]} and {top[2]} (Jaccard {top[0]:.2f})")


def history(repo: Path, docs: dict[str, dict], errors: list[str]) -> None:
    """One pass: git log --raw for the changed blobs, git cat-file --batch for their text."""
    t0 = time.perf_counter()
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--reverse", "--raw", "-M", "--no-abbrev",
         "--format=%x00%H %ct"], capture_output=True, text=True, check=True).stdout
    commits = []
    for chunk in log.split("\x00")[1:]:
        lines = chunk.strip("\n").split("\n")
        sha, ct = lines[0].split()
        changes = []
        for ln in lines[1:]:
            if not ln.startswith(":"):
                continue
            meta, *paths = ln.split("\t")
            _, _, _, new_blob, status = meta[1:].split()
            changes.append((status[0], paths, new_blob))
        commits.append((sha, int(ct), changes))
    blobs = [b for _, _, ch in commits for s, p, b in ch
             if s != "D" and p[-1].endswith(".md") and p[-1].split("/")[0] in FOLDERS]
    proc = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"],
                          input=("\n".join(blobs) + "\n").encode(), capture_output=True, check=True)
    out = proc.stdout
    texts: dict[str, str] = {}
    pos = 0
    for b in blobs:
        nl = out.index(b"\n", pos)
        size = int(out[pos:nl].split()[2])
        texts[b] = out[nl + 1:nl + 1 + size].decode()
        pos = nl + 1 + size + 1

    state: dict[str, dict] = {}  # path -> last front matter of that document
    last_major: dict[str, int] = {}  # id -> commit number of its latest major version
    last_ok: dict[str, int] = {}  # id -> commit number of its latest approval or review
    n_versions = n_reviews = 0
    for n, (sha, _ct, changes) in enumerate(commits):
        for status, paths, blob in changes:
            path = paths[-1]
            if not (path.endswith(".md") and path.split("/")[0] in FOLDERS):
                continue
            prev = state.pop(paths[0], None) if status == "R" else state.get(path)
            if status == "D":
                state.pop(path, None)
                continue
            fm_text, body = split(texts[blob])
            fm = yaml.load(fm_text, Loader=Loader)
            fm["_body"] = body
            state[path] = fm
            did = fm["id"].upper()
            if prev is None:
                n_versions += 1
                last_ok[did] = n
                if fm["version"].split(".")[1] == "0":
                    last_major[did] = n
                continue
            if status == "R" and fm == prev:
                continue
            diff = {k for k in set(fm) | set(prev) if fm.get(k) != prev.get(k)}
            where = f"{sha[:10]} {path}"
            if diff == {"review"}:
                n_reviews += 1
                last_ok[did] = n
                continue
            old = tuple(map(int, prev["version"].split(".")))
            new = tuple(map(int, fm["version"].split(".")))
            if prev.get("status") == "approved" and new <= old:
                errors.append(f"{where}: approved document changed without a higher version "
                              f"({prev['version']} -> {fm['version']})")
            if new != old:
                n_versions += 1
                if fm.get("status") == "approved":
                    if not fm.get("change") or fm.get("change") == prev.get("change"):
                        errors.append(f"{where}: new version without a new change text")
                    if prev.get("approved") and fm["approved"] < prev["approved"]:
                        errors.append(f"{where}: approved went backwards")
                    last_ok[did] = n
                    if new[0] > old[0]:
                        last_major[did] = n
    for key, d in docs.items():
        # ancestors' latest major versions must precede this document's last approval
        stack, seen = list(d["parents"]), set()
        while stack:
            p = stack.pop()
            if p in seen or p not in docs:
                continue
            seen.add(p)
            if last_major.get(p, -1) > last_ok.get(key, -1):
                errors.append(f"{d['path']}: suspect, {p} has a major version after its "
                              f"last approval or review")
                break
            stack.extend(docs[p]["parents"])
    print(f"history: {len(commits)} commits, {n_versions} versions, {n_reviews} reviews, "
          f"{len(blobs)} blobs read, {time.perf_counter() - t0:.1f}s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo", type=Path)
    ap.add_argument("--no-history", action="store_true")
    ap.add_argument("--no-duplicates", action="store_true")
    args = ap.parse_args()
    errors: list[str] = []
    t0 = time.perf_counter()
    docs = final_state(args.repo, errors, not args.no_duplicates)
    types = Counter(d["type"] for d in docs.values())
    print(f"final state: {len(docs)} documents {dict(types)}, {time.perf_counter() - t0:.1f}s")
    if not args.no_history:
        history(args.repo, docs, errors)
    for e in errors[:40]:
        print("ERROR", e)
    print(f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
