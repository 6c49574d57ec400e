"""Atomic publication: build into a sibling folder, swap it in only when the build succeeded."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Staging:
    target: Path
    folder: Path

    @classmethod
    def begin(cls, target: Path) -> Staging:
        folder = target.with_name(target.name + ".sms-new")
        if folder.exists():
            shutil.rmtree(folder)  # left over from a build that was killed
        folder.mkdir(parents=True)
        return cls(target, folder)

    def publish(self) -> Path:
        """Replace the target with the staged site; two renames, so readers never see half a site."""
        old = self.target.with_name(self.target.name + ".sms-old")
        if old.exists():
            shutil.rmtree(old)
        if self.target.exists():
            self.target.rename(old)
        self.folder.rename(self.target)
        if old.exists():
            shutil.rmtree(old)
        return self.target

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
