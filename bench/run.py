#!/usr/bin/env python3
"""Benchmark runner for sms-docs.

    python bench/run.py --docs 2000 --commits 20000 [--seed 1] [--runs 3] [--keep DIR]

Generates a synthetic library repository with bench/generate.py (or reuses the cached one
under bench/.cache/, keyed by the parameters and the generator's source), then times, side
by side on the same repository, each measure once per run:

  (a)  plain `mkdocs build` of the same Markdown, Material with our theme settings
       (navigation.prune) and search, no sms-docs
  (a0) the same with Material's defaults (a navigation of every page on every page)
  (b)  our full build: `mkdocs build` with sms-docs, past_versions: false
  (b2) our full build with past_versions: true (every superseded version published)
  (c)  `sms-docs check` (every rule, no HTML; exit 0 or 1 is a success, 2 a failure), cold,
       (c1) after one new commit and (c0) with one file edited
  (d)  our history extraction alone (HISTORY_CODE below), cold and (d1) after one commit
  (e)  one raw `git log --name-status -M` pass

Builds run in-process under BUILD_WRAPPER, which times MkDocs' two steps of every page
(read and render the Markdown; render the template) by kind of page, so the document pages
of our build can be compared per page with the same pages of the plain build.

It prints the median wall time of the runs, CPU time and peak memory (max RSS of the child
process tree, from os.wait4) of each measure, then the ratios the project sets targets
for, and writes everything to bench/results-<docs>.json. Measures that need the sms-docs
package are reported as "not available" until it is installed (`pip install -e .`).

Standard library only; MkDocs and mkdocs-material must be importable by --python
(default: the interpreter running this script).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent  # the sms-docs checkout; put first on the children's PYTHONPATH
CACHE = BENCH / ".cache"

# =============================================================================================
# Configuration: the commands that depend on the sms-docs package. Edit here, or override
# with --history-code / --check-cmd (or the environment variables named below).
# =============================================================================================

# (d) HISTORY EXTRACTION: the one-pass reader of the history package, as the analysis calls
# it. Run as `python -c HISTORY_CODE REPO`, with the repository as working directory and as
# sys.argv[1]; it reads the whole history once. Override: --history-code or SMS_BENCH_HISTORY_CODE.
HISTORY_CODE = """\
import sys
from pathlib import Path
from sms_docs_plugin import history
history.read_history(Path(sys.argv[1]), ["policies", "processes", "procedures"])
"""

# (c) CHECK. "{python}" is replaced by --python. When the first word is "sms-docs" the script
# installed next to --python is used if there is one, else `{python} -m sms_docs_plugin.cli`.
# Override: --check-cmd or SMS_BENCH_CHECK_CMD (a shell-like string).
CHECK_CMD = ["sms-docs", "check", "--format", "json"]

# (e) the raw git pass that (d) is compared with.
GIT_LOG_CMD = ["git", "log", "--name-status", "-M",
               "--format=%x00%H%x09%an%x09%ae%x09%aI%x09%cI%x09%s"]

# Plain MkDocs configurations, no sms-docs. (a) has the theme settings our build runs with:
# the generated mkdocs.yml's `navigation.prune`, and `font: false`, which sms-docs sets.
# (a0) has Material's defaults: every page carries the whole navigation.
PLAIN_YML = """\
site_name: Synthetic SMS library (plain build)
docs_dir: docs
theme:
  name: material
  font: false
  features:
    - navigation.prune
plugins:
  - search
"""
PLAIN_DEFAULT_YML = """\
site_name: Synthetic SMS library (plain build)
docs_dir: docs
theme:
  name: material
plugins:
  - search
"""
LIBRARY = ("policies", "processes", "procedures")

# Runs `mkdocs build ARGS...` in-process with MkDocs' two per-page steps timed by kind of page
# (a controlled document: its source is in a library folder; anything else), and writes the
# sums as JSON to the file named by SMS_BENCH_TIMING.
BUILD_WRAPPER = r"""
import json, os, sys, time
import mkdocs.commands.build as build
LIBRARY = ("policies/", "processes/", "procedures/")
sums = {"document": [0, 0.0, 0.0], "other": [0, 0.0, 0.0]}  # pages, read+render s, template s

def kind(page):
    return "document" if page.file.src_uri.startswith(LIBRARY) else "other"

def timed(fn, slot):
    def inner(page, *a, **k):
        t = time.perf_counter()
        try:
            return fn(page, *a, **k)
        finally:
            row = sums[kind(page)]
            row[slot] += time.perf_counter() - t
            if slot == 1:
                row[0] += 1
    return inner

build._populate_page = timed(build._populate_page, 1)
build._build_page = timed(build._build_page, 2)
t0 = time.perf_counter()
try:
    from mkdocs.__main__ import cli
    cli(["build", *sys.argv[1:]], standalone_mode=False)
finally:
    out = {k: {"pages": v[0], "render_seconds": round(v[1], 3), "template_seconds": round(v[2], 3)}
           for k, v in sums.items()}
    out["total_seconds"] = round(time.perf_counter() - t0, 3)
    with open(os.environ["SMS_BENCH_TIMING"], "w") as f:
        json.dump(out, f)
"""

MEASURES = {
    "a": "plain build, Material + navigation.prune",
    "a0": "plain build, Material defaults",
    "b": "full build, past_versions: false",
    "b2": "full build, past_versions: true",
    "c": "sms-docs check, cold",
    "c1": "sms-docs check after one new commit",
    "c0": "sms-docs check, one file edited",
    "d": "history extraction alone, cold",
    "d1": "history after one new commit",
    "e": "raw git log --name-status -M",
}
ORDER = ["e", "d", "d1", "c", "c1", "c0", "a", "a0", "b", "b2"]  # cheap first; all run once per round

# What each measure starts from. sms-docs keeps parsed documents and history in
# .git/sms-docs/ between runs; "cold" removes them first (a fresh CI clone), "commit" adds one
# commit on top of what the previous measure left (a CI runner that keeps .git/sms-docs, or a
# developer after a pull), "edit" changes one document in the working tree and puts it back
# after the run (the pre-commit hook).
SCENARIO = {"d": "cold", "d1": "commit", "c": "cold", "c1": "commit", "c0": "edit",
            "b": "cold", "b2": "cold"}


# --------------------------------------------------------------------------------- helpers

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def generator_hash() -> str:
    h = hashlib.sha256()
    for name in ("generate.py", "vocab.py"):
        h.update((BENCH / name).read_bytes())
    return h.hexdigest()[:10]


def ensure_repo(docs: int, commits: int, seed: int, python: str, regenerate: bool) -> tuple[Path, dict]:
    """The cached repository for these parameters; generated (and timed) when missing."""
    prefix = f"lib-d{docs}-c{commits}-s{seed}-"
    repo = CACHE / f"{prefix}{generator_hash()}"
    info_file = repo / ".git" / "sms-bench.json"
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(prefix + "*"):  # stale generator versions and broken attempts
        if old != repo or regenerate:
            shutil.rmtree(old, ignore_errors=True)
    if info_file.exists():
        info = json.loads(info_file.read_text())
        info["cached"] = True
        return repo, info
    tmp = CACHE / f"{prefix}tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    log(f"generating {docs} documents / {commits} commits (seed {seed}) ...")
    res = run_child([python, str(BENCH / "generate.py"), str(tmp), "--docs", str(docs),
                     "--commits", str(commits), "--seed", str(seed), "--quiet"],
                    cwd=BENCH, out=None, err=None)
    if res["rc"] != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SystemExit("bench/generate.py failed")
    tmp.rename(repo)
    info = json.loads(info_file.read_text())
    info.update(cached=False, wall_seconds=round(res["seconds"], 2),
                peak_rss_mb=res["peak_rss_mb"])
    info_file.write_text(json.dumps(info, indent=2) + "\n")
    log(f"generated in {res['seconds']:.1f} s: {repo}")
    return repo, info


def run_child(cmd: list[str], cwd: Path, out: Path | None, err: Path | None,
              env: dict | None = None) -> dict:
    """Run one command; wall time, CPU time and peak RSS of its process tree (os.wait4)."""
    with contextlib.ExitStack() as stack:
        fo = stack.enter_context(open(out, "wb")) if out else subprocess.DEVNULL
        fe = stack.enter_context(open(err, "wb")) if err else None
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=fo, stderr=fe, env=env or child_env())
        _, status, ru = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss: kilobytes on Linux, bytes on macOS; it covers the child and the children it
    # waited for (the largest single process, not the sum)
    rss = ru.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {"seconds": seconds, "cpu_seconds": ru.ru_utime + ru.ru_stime,
            "peak_rss_mb": round(rss, 1), "rc": p.returncode}


def tail(path: Path, n: int = 12) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def child_env() -> dict[str, str]:
    """Children import this checkout's sms_docs_plugin first (ROOT on PYTHONPATH)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env["NO_MKDOCS_2_WARNING"] = "1"  # the same quiet start for every build
    return env


def probe(python: str, code: str) -> tuple[int, str]:
    p = subprocess.run([python, "-c", code], capture_output=True, text=True,
                       cwd=tempfile.gettempdir(), env=child_env())
    return p.returncode, (p.stderr.strip().splitlines() or [""])[-1]


def package_status(python: str) -> dict[str, str | None]:
    """None when a measure can run, else why not."""
    plugin = None
    rc, msg = probe(python, "import sms_docs_plugin.plugin")
    if rc != 0:
        plugin = f"sms_docs_plugin.plugin is not importable ({msg})"
    else:
        rc, _ = probe(python, "import sys\nfrom importlib.metadata import entry_points\n"
                              "sys.exit(0 if any(e.name == 'sms-docs' for e in "
                              "entry_points(group='mkdocs.plugins')) else 3)")
        if rc != 0:
            plugin = "the 'sms-docs' MkDocs plugin entry point is not installed (pip install -e .)"
    rc, msg = probe(python, "import sms_docs_plugin.history")
    history = None if rc == 0 else f"sms_docs_plugin.history is not importable ({msg})"
    rc, msg = probe(python, "import sms_docs_plugin")
    check = None if rc == 0 else f"sms_docs_plugin is not importable ({msg})"
    return {"a": None, "a0": None, "b": plugin, "b2": plugin, "c": check, "c1": check, "c0": check, "d": history,
            "d1": history, "e": None}


def check_command(python: str, override: str | None) -> list[str]:
    import shlex
    cmd = shlex.split(override) if override else list(CHECK_CMD)
    cmd = [python if c == "{python}" else c for c in cmd]
    if cmd[0] == "sms-docs":
        beside = Path(python).parent / "sms-docs"
        found = str(beside) if beside.exists() else shutil.which("sms-docs")
        cmd = [found] + cmd[1:] if found else [python, "-m", "sms_docs_plugin.cli"] + cmd[1:]
    return cmd


def config_variant(repo: Path, past_versions: bool) -> Path:
    """bench-*.yml beside mkdocs.yml: the same config with past_versions set."""
    text = (repo / "mkdocs.yml").read_text()
    line = "  - sms-docs\n"
    if line not in text:
        raise SystemExit(f"{repo}/mkdocs.yml has no '{line.strip()}' plugin line")
    value = "true" if past_versions else "false"
    text = text.replace(line, f"  - sms-docs:\n      past_versions: {value}\n")
    path = repo / f"bench-{'past' if past_versions else 'nopast'}.yml"
    path.write_text(text)
    return path


def site_stats(site: Path) -> dict:
    pages = size = 0
    for root, _dirs, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                pages += 1
                size += os.path.getsize(os.path.join(root, f))
    return {"html_pages": pages, "html_mb": round(size / 2**20, 1),
            "kb_per_page": round(size / 1024 / pages, 1) if pages else None}


def versions(python: str) -> dict:
    code = ("import json, importlib.metadata as m\nout = {}\n"
            "for n in ('mkdocs', 'mkdocs-material', 'sms-docs', 'PyYAML', 'Jinja2', 'Markdown'):\n"
            "    try: out[n] = m.version(n)\n"
            "    except Exception: out[n] = None\n"
            "import yaml\nout['libyaml'] = bool(getattr(yaml, '__with_libyaml__', False))\n"
            "print(json.dumps(out))")
    p = subprocess.run([python, "-c", code], capture_output=True, text=True,
                       cwd=tempfile.gettempdir(), env=child_env())
    try:
        out = json.loads(p.stdout)
    except ValueError:
        out = {}
    out["python"] = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                                   capture_output=True, text=True).stdout.strip()
    out["git"] = subprocess.run(["git", "--version"], capture_output=True,
                                text=True).stdout.strip().removeprefix("git version ")
    return out


def machine() -> dict:
    mem = None
    try:
        for ln in Path("/proc/meminfo").read_text().splitlines():
            if ln.startswith("MemTotal:"):
                mem = round(int(ln.split()[1]) / 2**20, 1)
    except OSError:
        pass
    cpu = platform.processor()
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"platform": platform.platform(), "cpu": cpu, "cpus": os.cpu_count(),
            "memory_gb": mem}


def fmt(v: float | None, digits: int = 2) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


# ------------------------------------------------------------------------- serve rebuild

# Runs `mkdocs serve ARGS...` in-process with every on_* hook of SmsDocsPlugin timed; after
# each build it prints "BENCH-BUILD total=<s> hooks=<s>" on stderr.
SERVE_WRAPPER = r"""
import functools, sys, time
state = {"hooks": 0.0}
try:
    from sms_docs_plugin.plugin import SmsDocsPlugin
except Exception:
    SmsDocsPlugin = None

def timed(fn):
    @functools.wraps(fn)
    def inner(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            state["hooks"] += time.perf_counter() - t
    return inner

if SmsDocsPlugin is not None:
    for name in list(vars(SmsDocsPlugin)):
        if name.startswith("on_") and callable(getattr(SmsDocsPlugin, name)):
            setattr(SmsDocsPlugin, name, timed(getattr(SmsDocsPlugin, name)))

import mkdocs.commands.serve as serve
original = serve.build

def build(*a, **k):
    state["hooks"] = 0.0
    t = time.perf_counter()
    try:
        return original(*a, **k)
    finally:
        total = time.perf_counter() - t
        sys.stderr.write(f"BENCH-BUILD total={total:.4f} hooks={state['hooks']:.4f}\n")
        sys.stderr.flush()

serve.build = build
from mkdocs.__main__ import cli
cli(["serve", *sys.argv[1:]])
"""


def prepare(scenario: str | None, repo: Path, doc: Path, n: int) -> None:
    """Put the clone in the state a measure starts from (see SCENARIO)."""
    if scenario == "cold":
        shutil.rmtree(repo / ".git" / "sms-docs", ignore_errors=True)
    elif scenario in ("commit", "edit"):
        edit_document(doc, n)
        if scenario == "commit":
            subprocess.run(["git", "commit", "-q", "-a", "-m", f"Benchmark: new version of {doc.name}"],
                           cwd=repo, check=True, env={**child_env(), "GIT_AUTHOR_NAME": "Benchmark",
                                                      "GIT_AUTHOR_EMAIL": "bench@example.org",
                                                      "GIT_COMMITTER_NAME": "Benchmark",
                                                      "GIT_COMMITTER_EMAIL": "bench@example.org"})


def edit_document(path: Path, n: int) -> None:
    """A proper new version of one document: minor bump, new change, approved today."""
    import datetime as dt
    import re
    text = path.read_text()
    fm, sep, body = text[4:].partition("\n---\n")
    major, minor = re.search(r'^version: "(\d+)\.(\d+)"$', fm, re.M).groups()
    fm = re.sub(r'^version: ".*"$', f'version: "{major}.{int(minor) + 1}"', fm, flags=re.M)
    fm = re.sub(r"^effective: .*\n?", "", fm, flags=re.M)
    today = dt.date.today()
    old = re.search(r"^approved: (\S+)$", fm, re.M)
    day = max(today, dt.date.fromisoformat(old.group(1))) if old else today
    fm = re.sub(r"^approved: .*$", f"approved: {day.isoformat()}", fm, flags=re.M)
    change = f"change: Benchmark rebuild {n} clarified one sentence of the purpose ({time.time_ns()})."
    if re.search(r"^change: ", fm, re.M):
        fm = re.sub(r"^change: .*$", change, fm, flags=re.M)
    else:
        fm += "\n" + change
    body += f"\nBenchmark rebuild {n} adds this sentence to the body.\n"
    path.write_text("---\n" + fm + sep + body)


def serve_rebuild(python: str, cfg: Path, cwd: Path, doc: Path, runs: int, logfile: Path,
                  timeout: float) -> dict:
    """Start `mkdocs serve`, then edit `doc` `runs` times and time each rebuild."""
    import queue
    import signal
    import socket
    import threading
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.Popen([python, "-c", SERVE_WRAPPER, "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
                         cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env=child_env(), bufsize=1)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        with open(logfile, "w") as f:
            for line in p.stderr:
                f.write(line)
                f.flush()
                lines.put(line)
        lines.put("")  # the server is gone

    threading.Thread(target=pump, daemon=True).start()

    def wait_for(pred, seconds: float) -> str | None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                return None
            if line == "":
                return None
            if pred(line):
                return line
        return None

    def numbers(line: str) -> tuple[float, float]:
        parts = dict(x.split("=") for x in line.split()[1:])
        return float(parts["total"]), float(parts["hooks"])

    out: dict = {"rebuilds": []}
    try:
        t0 = time.perf_counter()
        first = wait_for(lambda ln: ln.startswith("BENCH-BUILD"), timeout)
        if not first or not wait_for(lambda ln: "Serving on" in ln, 60):
            out["error"] = "the server did not start: " + tail(logfile)
            return out
        out["initial_build_seconds"] = numbers(first)[0]
        out["startup_seconds"] = round(time.perf_counter() - t0, 3)
        for n in range(1, runs + 1):
            time.sleep(1.0)
            t0 = time.perf_counter()
            edit_document(doc, n)
            line = wait_for(lambda ln: ln.startswith("BENCH-BUILD"), timeout)
            if not line:
                out["error"] = (f"no rebuild within {timeout:.0f} s of editing {doc.name} "
                                "(is the folder watched?)")
                break
            total, hooks = numbers(line)
            out["rebuilds"].append({"wall_seconds": round(time.perf_counter() - t0, 3),
                                    "build_seconds": total, "plugin_hook_seconds": hooks})
    finally:
        p.send_signal(signal.SIGINT)
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if out["rebuilds"]:
        rb = out["rebuilds"]
        out["median_build_seconds"] = round(statistics.median(r["build_seconds"] for r in rb), 3)
        out["median_wall_seconds"] = round(statistics.median(r["wall_seconds"] for r in rb), 3)
        out["median_plugin_hook_seconds"] = round(
            statistics.median(r["plugin_hook_seconds"] for r in rb), 3)
    return out


# ------------------------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark sms-docs against plain MkDocs.")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="runs per measure (median reported)")
    ap.add_argument("--only", default=",".join(ORDER),
                    help="comma-separated measures to run, from " + ",".join(ORDER))
    ap.add_argument("--keep", type=Path, help="work in DIR and keep it (sites, logs, clone)")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter with mkdocs, mkdocs-material (and sms-docs) installed")
    ap.add_argument("--history-code", default=os.environ.get("SMS_BENCH_HISTORY_CODE"),
                    help="Python code for measure (d); default: HISTORY_CODE in this file")
    ap.add_argument("--check-cmd", default=os.environ.get("SMS_BENCH_CHECK_CMD"),
                    help="command for measure (c); default: CHECK_CMD in this file")
    ap.add_argument("--serve-rebuild", action="store_true",
                    help="also time `mkdocs serve` rebuilds after editing one document "
                         "(ours with the repository's mkdocs.yml, and plain)")
    ap.add_argument("--serve-config", choices=("repo", "nopast", "past"), default="repo",
                    help="our serve's config: the repository's mkdocs.yml (default) or the "
                         "past_versions false/true variant")
    ap.add_argument("--no-serve-plain", action="store_true",
                    help="with --serve-rebuild: skip the plain site's serve (only for comparison, and slow)")
    ap.add_argument("--serve-timeout", type=float, default=1800,
                    help="seconds to wait for a serve build (default 1800)")
    ap.add_argument("--regenerate", action="store_true", help="ignore the cached repository")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--json", type=Path, help="results file (default bench/results-<docs>.json)")
    args = ap.parse_args(argv)
    only = [m.strip() for m in args.only.split(",") if m.strip()]
    bad = [m for m in only if m not in MEASURES]
    if bad:
        ap.error(f"unknown measures {bad}; choose from {ORDER}")
    only = [m for m in ORDER if m in only]
    python = args.python
    rc, msg = probe(python, "import mkdocs, material")
    if rc != 0:
        raise SystemExit(f"{python} cannot import mkdocs and material: {msg}")

    cached_repo, gen = ensure_repo(args.docs, args.commits, args.seed, python, args.regenerate)
    if args.generate_only:
        print(cached_repo)
        return 0

    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            raise SystemExit(f"--keep {args.keep}: directory exists and is not empty")
        ws = args.keep.resolve()
        ws.mkdir(parents=True, exist_ok=True)
    else:
        ws = Path(tempfile.mkdtemp(prefix="sms-bench-"))
    try:
        return bench(args, only, python, cached_repo, gen, ws)
    finally:
        if not args.keep:
            shutil.rmtree(ws, ignore_errors=True)


def bench(args, only: list[str], python: str, cached_repo: Path, gen: dict, ws: Path) -> int:
    logs = ws / "logs"
    logs.mkdir()
    # our builds run in a full local clone, so the cache stays pristine
    repo = ws / "repo"
    subprocess.run(["git", "clone", "-q", "--local", str(cached_repo), str(repo)], check=True)
    with open(repo / ".git" / "info" / "exclude", "a") as f:
        f.write("bench-*.yml\n")
    # the plain build reads the same Markdown from one docs_dir
    plain = ws / "plain"
    (plain / "docs").mkdir(parents=True)
    shutil.copytree(repo / "content", plain / "docs", dirs_exist_ok=True)
    for folder in LIBRARY:
        shutil.copytree(repo / folder, plain / "docs" / folder)
    (plain / "mkdocs.yml").write_text(PLAIN_YML)
    (plain / "mkdocs-default.yml").write_text(PLAIN_DEFAULT_YML)

    def build(config: Path, site: str) -> list[str]:
        return [python, "-c", BUILD_WRAPPER, "-f", str(config), "-d", str(ws / site)]

    status = package_status(python)
    history_code = args.history_code or HISTORY_CODE
    cmds: dict[str, tuple[list[str], Path, Path | None]] = {
        "a": (build(plain / "mkdocs.yml", "site-a"), plain, ws / "site-a"),
        "a0": (build(plain / "mkdocs-default.yml", "site-a0"), plain, ws / "site-a0"),
        "c": (check_command(python, args.check_cmd), repo, None),
        "d": ([python, "-c", history_code, str(repo)], repo, None),
        "e": (GIT_LOG_CMD, repo, None),
    }
    cmds["c1"] = cmds["c0"] = cmds["c"]
    cmds["d1"] = cmds["d"]
    edited = sorted((repo / "procedures").rglob("*.md"))[-1]
    if status["b"] is None:
        cmds["b"] = (build(config_variant(repo, False), "site-b"), repo, ws / "site-b")
        cmds["b2"] = (build(config_variant(repo, True), "site-b2"), repo, ws / "site-b2")

    results: dict[str, dict] = {}
    for m in MEASURES:
        results[m] = {"name": MEASURES[m], "status": "skipped" if m not in only else "ok",
                      "runs": []}
        if m in only and status[m]:
            results[m].update(status="not available", note=status[m])
        if m in cmds:
            results[m]["command"] = cmds[m][0] if m[0] != "d" else [python, "-c", history_code, "REPO"]

    # warm the page cache (repository, docs) without timing it
    subprocess.run(["git", "log", "--name-status", "-M", "--format=%H"], cwd=repo,
                   stdout=subprocess.DEVNULL, check=True)

    log(f"workspace: {ws}")
    for r in range(args.runs):
        for m in only:
            res = results[m]
            if res["status"] != "ok":
                continue
            cmd, cwd, site = cmds[m]
            if site:
                shutil.rmtree(site, ignore_errors=True)
            out, err = logs / f"{m}-{r + 1}.out", logs / f"{m}-{r + 1}.err"
            log(f"run {r + 1}/{args.runs}: ({m}) {MEASURES[m]} ...")
            prepare(SCENARIO.get(m), repo, edited, r + 1)
            timing = logs / f"{m}-{r + 1}.timing.json"
            one = run_child(cmd, cwd, out if m[0] in "cd" else None, err,
                            env={**child_env(), "SMS_BENCH_TIMING": str(timing)})
            if timing.exists():
                one["pages"] = json.loads(timing.read_text())
            if SCENARIO.get(m) == "edit":
                subprocess.run(["git", "checkout", "-q", "--", str(edited)], cwd=repo, check=True)
            ok = one["rc"] in ((0, 1) if m[0] == "c" else (0,))
            res["runs"].append(one)
            log(f"    {one['seconds']:.2f} s, {one['peak_rss_mb']:.0f} MB, exit {one['rc']}")
            if not ok:
                res["status"] = "failed"
                res["note"] = f"exit {one['rc']}: " + tail(err)
                log(res["note"])
            if m[0] == "c" and r == 0 and ok:
                res["findings"] = summarize_check(out)

    for m, res in results.items():
        runs = res["runs"]
        if res["status"] == "ok" and runs:
            res["median_seconds"] = round(statistics.median(x["seconds"] for x in runs), 3)
            res["min_seconds"] = round(min(x["seconds"] for x in runs), 3)
            res["max_seconds"] = round(max(x["seconds"] for x in runs), 3)
            res["median_cpu_seconds"] = round(statistics.median(x["cpu_seconds"] for x in runs), 3)
            res["peak_rss_mb"] = max(x["peak_rss_mb"] for x in runs)
            site = cmds[m][2]
            if site and site.exists():
                res["site"] = site_stats(site)
                res["site"]["seconds_per_page"] = round(res["median_seconds"] / max(1, res["site"]["html_pages"]), 4)
            if runs[0].get("pages"):
                res["document_pages"] = document_pages(runs)

    serve = None
    if args.serve_rebuild:
        serve = {}
        rel = sorted((repo / "procedures").rglob("*.md"))[0].relative_to(repo)
        targets = {} if args.no_serve_plain else {"plain": (plain / "mkdocs.yml", plain, plain / "docs" / rel)}
        if status["b"] is None:
            cfg = {"repo": repo / "mkdocs.yml", "nopast": repo / "bench-nopast.yml",
                   "past": repo / "bench-past.yml"}[args.serve_config]
            targets = {"ours": (cfg, repo, repo / rel), **targets}
        else:
            serve["ours"] = {"error": "not available: " + status["b"]}
        for name, (cfg, cwd, doc) in targets.items():
            log(f"serve ({name}): starting mkdocs serve, then {args.runs} edit(s) of {rel} ...")
            serve[name] = serve_rebuild(python, cfg, cwd, doc, args.runs,
                                        logs / f"serve-{name}.err", args.serve_timeout)
            log(f"    {serve[name]}")
        serve["document"] = rel.as_posix()
        serve["config"] = args.serve_config

    ratios = compute_ratios(results, args.docs, serve)
    report = {
        "params": {"docs": args.docs, "commits": args.commits, "seed": args.seed,
                               "runs": args.runs},
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(), "versions": versions(python), "repository": gen,
        "history_code": history_code, "measures": results, "serve_rebuild": serve,
        "ratios": ratios,
    }
    out = args.json or BENCH / f"results-{args.docs}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"\nresults: {out}" + (f"\nworkspace kept: {ws}" if args.keep else ""))
    return 0 if all(r["status"] in ("ok", "not available", "skipped")
                    for r in results.values()) else 1


def document_pages(runs: list[dict]) -> dict:
    """The median over runs of MkDocs' time for the pages of controlled documents alone."""
    rows = [r["pages"]["document"] for r in runs]
    seconds = statistics.median(x["render_seconds"] + x["template_seconds"] for x in rows)
    pages = rows[0]["pages"]
    return {"pages": pages, "seconds": round(seconds, 3),
            "render_seconds": round(statistics.median(x["render_seconds"] for x in rows), 3),
            "template_seconds": round(statistics.median(x["template_seconds"] for x in rows), 3),
            "ms_per_page": round(1000 * seconds / pages, 2) if pages else None}


def summarize_check(out: Path) -> dict | None:
    try:
        data = json.loads(out.read_text())
    except (OSError, ValueError):
        return None
    by: dict[str, int] = {}
    for f in data.get("findings", []):
        key = f"{f.get('code')} {f.get('severity')}"
        by[key] = by.get(key, 0) + 1
    return {"documents": data.get("documents"), "findings": len(data.get("findings", [])),
            "by_code": dict(sorted(by.items()))}


def compute_ratios(results: dict, docs: int, serve: dict | None = None) -> list[dict]:
    """The project's targets (issue 15), judged at 2,000 documents / 20,000 commits, and
    ratios without a target that show how the rest compares."""
    def med(m: str) -> float | None:
        return results[m].get("median_seconds")

    def cpu(m: str) -> float | None:
        return results[m].get("median_cpu_seconds")

    def mem(m: str) -> float | None:
        return results[m].get("peak_rss_mb")

    def per_page(m: str) -> float | None:
        return (results[m].get("document_pages") or {}).get("ms_per_page")

    def div(x: float | None, y: float | None) -> float | None:
        return round(x / y, 3) if x is not None and y else None

    ours, plain = (serve or {}).get("ours", {}), (serve or {}).get("plain", {})
    # (name, wall-clock value, the same from CPU time, target or None)
    rows = [
        ("full build, no past versions ÷ plain (prune)", div(med("b"), med("a")), div(cpu("b"), cpu("a")), 1.3),
        ("document pages, time per page ÷ plain (prune)", div(per_page("b"), per_page("a")), None, 1.0),
        ("peak memory, full build (no past versions) ÷ plain", div(mem("b"), mem("a")), None, 1.5),
        ("sms-docs check, cold, seconds", med("c"), cpu("c"), 3.0),
        ("sms-docs check after a commit, seconds", med("c1"), cpu("c1"), 1.0),
        ("sms-docs check, one file edited, seconds", med("c0"), cpu("c0"), 1.0),
        ("serve rebuild after one edit: ours ÷ plain (prune)",
         div(ours.get("median_build_seconds"), plain.get("median_build_seconds")), None, 2.0),
        ("full build, every past version ÷ plain (prune)", div(med("b2"), med("a")), div(cpu("b2"), cpu("a")), None),
        ("peak memory, full build (past versions) ÷ plain", div(mem("b2"), mem("a")), None, None),
        ("full build, no past versions ÷ plain (defaults)", div(med("b"), med("a0")), div(cpu("b"), cpu("a0")), None),
        ("history extraction, cold ÷ raw git log", div(med("d"), med("e")), div(cpu("d"), cpu("e")), None),
        ("history after one new commit ÷ raw git log", div(med("d1"), med("e")), div(cpu("d1"), cpu("e")), None),
        ("serve rebuild: sms-docs hooks ÷ our whole rebuild",
         div(ours.get("median_plugin_hook_seconds"), ours.get("median_build_seconds")), None, None),
    ]
    ref = BENCH / "results-2000.json"
    if docs > 2000 and ref.exists():
        try:
            base = json.loads(ref.read_text())["measures"]
            for m in ("b", "c", "c1", "c0", "d"):
                rows.append((f"({m}) {MEASURES[m]} ÷ the same at 2,000 documents",
                             div(med(m), base[m].get("median_seconds")),
                             div(cpu(m), base[m].get("median_cpu_seconds")), None))
        except (ValueError, KeyError):
            pass
    return [{"name": name, "value": value, "cpu_value": cpu_value, "target": target,
             "target_at": "2,000 / 20,000" if target is not None else "-",
             "met": (value <= target) if value is not None and target is not None and docs == 2000 else None}
            for name, value, cpu_value, target in rows]


def print_table(rep: dict) -> None:
    p, gen = rep["params"], rep["repository"]
    print(f"\nsms-docs benchmark: {p['docs']:,} documents, {p['commits']:,} commits, "
          f"seed {p['seed']}, median of {p['runs']} run(s)")
    how = "cached" if gen.get("cached") else f"generated in {gen.get('wall_seconds')} s"
    print(f"repository: {gen.get('policies')} policies, {gen.get('processes')} processes, "
          f"{gen.get('procedures')} procedures, {gen.get('versions')} versions ({how})")
    v = rep["versions"]
    print(f"python {v.get('python')}, mkdocs {v.get('mkdocs')}, material {v.get('mkdocs-material')}, "
          f"sms-docs {v.get('sms-docs')}, git {v.get('git')}, libyaml {v.get('libyaml')}\n")
    print(f"{'measure':<44} {'median s':>9} {'min s':>8} {'max s':>8} {'cpu s':>8} {'peak MB':>8}  status")
    for key, res in rep["measures"].items():
        if res["status"] == "skipped":
            continue
        label = f"({key}) {res['name']}"
        note = res["status"] if res["status"] == "ok" else f"{res['status']}: {res.get('note', '')}"
        print(f"{label:<44} {fmt(res.get('median_seconds')):>9} {fmt(res.get('min_seconds')):>8} "
              f"{fmt(res.get('max_seconds')):>8} {fmt(res.get('median_cpu_seconds')):>8} "
              f"{fmt(res.get('peak_rss_mb'), 0):>8}  {note.splitlines()[0] if note else ''}")
        if res.get("site"):
            s = res["site"]
            print(f"{'':<44} {s['html_pages']} pages built, {1000 * s['seconds_per_page']:.1f} ms/page, "
                  f"{s['kb_per_page']} KB/page ({s['html_mb']} MB)")
        if res.get("document_pages"):
            d = res["document_pages"]
            print(f"{'':<44} document pages alone: {d['pages']} pages, {d['ms_per_page']} ms/page in MkDocs' "
                  f"page steps ({d['render_seconds']} s Markdown, {d['template_seconds']} s template)")
        if res.get("findings"):
            f = res["findings"]
            print(f"{'':<44} {f['documents']} documents, {f['findings']} findings {f['by_code']}")
    serve = rep.get("serve_rebuild")
    if serve:
        print(f"\nmkdocs serve, rebuild after editing {serve.get('document')}:")
        for name in ("ours", "plain"):
            r = serve.get(name) or {}
            if r.get("median_build_seconds") is not None:
                print(f"  {name:<6} rebuild {r['median_build_seconds']:.2f} s (wall from the edit "
                      f"{r['median_wall_seconds']:.2f} s), sms-docs hooks "
                      f"{r['median_plugin_hook_seconds']:.2f} s; first build "
                      f"{r.get('initial_build_seconds', 0):.2f} s")
            if r.get("error"):
                print(f"  {name:<6} {r['error'].splitlines()[0]}")
    print(f"\n{'ratio (met: judged on wall-clock medians)':<58} {'value':>8} {'by cpu':>8}  "
          f"{'target':>7}  met   (target set at)")
    for r in rep["ratios"]:
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        tgt = "n/a" if r["target"] is None else f"≤ {r['target']:g}"
        print(f"{r['name']:<58} {fmt(r['value'], 3):>8} {fmt(r.get('cpu_value'), 3):>8}  "
              f"{tgt:>7}  {met:<4}  ({r['target_at']})")


if __name__ == "__main__":
    sys.exit(main())
