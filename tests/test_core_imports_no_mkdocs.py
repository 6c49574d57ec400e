"""The core imports no MkDocs (README, architecture notes).

MkDocs 2.0 runs no plugins and Material reaches its end of life in 2027: the rules, the
history, the loader and the command line must keep working whatever happens to them, and
another door (ProperDocs, a generator of plain Markdown pages for another tool) must be
a new module, not a rewrite. Each module is imported alone in a fresh interpreter, so one
that drags MkDocs in through another module is caught too.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import sms_docs_plugin

# The MkDocs door and the site modules that work on MkDocs' own structures (files,
# navigation, pages) for it alone: the only modules allowed to import MkDocs or Material.
DOOR = {
    "sms_docs_plugin.plugin",
    "sms_docs_plugin.site.plan",
    "sms_docs_plugin.site.navigation",
    "sms_docs_plugin.site.preview",
}
PROBE = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "print(' '.join(sorted(m for m in ('mkdocs', 'material', 'properdocs') if m in sys.modules)))"
)


def package_modules() -> set[str]:
    return {"sms_docs_plugin"} | {info.name for info in pkgutil.walk_packages(sms_docs_plugin.__path__, "sms_docs_plugin.")}


def modules() -> list[str]:
    return sorted(package_modules() - DOOR)


@pytest.fixture(scope="module")
def imported() -> dict[str, str]:
    """Module -> what importing it alone brought in (MkDocs, Material, ProperDocs), or the
    error it raised; every module in its own interpreter, all started at once."""
    probes = {
        name: subprocess.Popen([sys.executable, "-c", PROBE, name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in modules()
    }
    results = {}
    for name, probe in probes.items():
        out, err = probe.communicate(timeout=120)
        results[name] = out.strip() if probe.returncode == 0 else f"an error: {err.strip()}"
    return results


def test_the_listed_door_modules_exist():
    every = package_modules()
    assert every >= DOOR, f"renamed or removed: {sorted(DOOR - every)}; update the list"


@pytest.mark.parametrize("module", modules())
def test_core_module_imports_no_mkdocs(imported, module):
    assert imported[module] == "", f"importing {module} alone imports {imported[module]}"
