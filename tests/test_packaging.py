"""What an installed sms-docs carries: every file the package reads at run time.

The suite runs against an editable install, which reads files from the source tree; a
wheel holds only what `package-data` names. A template folder left out of it once made
every `sms-docs check` of a regular install fail.
"""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = REPO_ROOT / "sms_docs_plugin"


def test_package_data_names_every_file_the_package_reads():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sms_docs_plugin"]
    shipped = {Path(match) for pattern in patterns for match in glob.glob(str(PACKAGE / pattern), recursive=True)}
    needed = {
        path for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }
    assert needed, "the package reads no data file?"
    assert sorted(p.relative_to(PACKAGE).as_posix() for p in needed - shipped) == []
