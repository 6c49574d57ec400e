"""Atomic publication: build beside the published site, swap the new one in only when the
build succeeded, one build of a site at a time.

- **Where.** The site is published where `site_dir` really is. When `site` is a symbolic
  link (a deployment's `site -> /srv/www/library`), the new site is staged beside the
  link's target and swapped in there; the link itself is never touched.
- **One step.** The swap exchanges the two folders at once (Linux `renameat2` with
  `RENAME_EXCHANGE`), so a reader finds the old site or the new one, never half of one and
  never none. Where the system cannot exchange, two renames leave a moment with no site,
  never a mixed one.
- **Taking turns.** Builds of one site hold a lock file beside it with `flock`, which the
  system releases when its holder dies: a killed build leaves no stale lock.
- **Leftovers.** What a killed build left (its staging folder, an old site) is removed by
  the next build, or set aside and named when it cannot be; it never blocks a build.
- **Failures** (read-only folder, full disk, no permission) are one line that says what
  to do; the published site stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows has no flock: builds there do not take turns, the rest holds
    fcntl = None  # type: ignore[assignment]

Say = Callable[[str], None]  # tells the operator something (the plugin's INFO log)

# What the file system answers when the site cannot be written: the build stops with a
# message saying so (see `failure`), never with a traceback.
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EBUSY}


class PublicationError(Exception):
    """The site cannot be published here; the message is one line that says what to do."""


@dataclass
class Staging:
    site_dir: Path  # as configured: maybe a symbolic link
    target: Path  # the folder the site really is published at
    folder: Path  # the new site, beside the target
    lock: SiteLock

    @classmethod
    def begin(cls, site_dir: Path, say: Say) -> Staging:
        """Waits for any other build of the same site, then makes an empty staging folder."""
        target = Path(os.path.realpath(site_dir))
        _check_target(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            lock = SiteLock.acquire(target.with_name(target.name + ".sms-lock"), target, say)
        except OSError as exc:
            raise PublicationError(failure(target, exc)) from exc
        folder = target.with_name(target.name + ".sms-new")
        try:
            _clear_leftovers(target, folder, say)
            folder.mkdir()
            _copy_access(target, folder)
        except OSError as exc:
            lock.release()
            raise PublicationError(failure(target, exc)) from exc
        return cls(site_dir, target, folder, lock)

    def publish(self, say: Say) -> Path:
        """Swaps the staged site in and returns `site_dir`. Raises PublicationError with the
        previous site still in place (`discard` then removes the staged one)."""
        try:
            if os.path.lexists(self.target):
                _swap(self.folder, self.target)
            else:
                os.rename(self.folder, self.target)
        except OSError as exc:
            raise PublicationError(failure(self.target, exc)) from exc
        # The staging folder's name now holds the previous site: published is published,
        # so a folder that cannot be removed is set aside and named, not an error.
        if os.path.lexists(self.folder):
            _remove_or_set_aside(self.folder, self.target, say)
        self.lock.release()
        return self.site_dir

    def discard(self) -> None:
        # What cannot be removed now is set aside by the next build (see _clear_leftovers).
        shutil.rmtree(self.folder, ignore_errors=True)
        self.lock.release()

    def write_failure(self, error: BaseException) -> str | None:
        """The one-line message for an error raised while the build wrote the staged site
        (a full disk, a read-only file system), or None when it is something else."""
        if not isinstance(error, OSError) or error.errno not in WRITE_ERRORS:
            return None
        if error.errno in (errno.EACCES, errno.EPERM, errno.EBUSY):
            # Only when it is about the site being written: a source file may be unreadable too.
            written = _written(error)
            if written is None or not Path(written).is_relative_to(self.folder):
                return None
        return failure(self.target, error)


@dataclass
class SiteLock:
    """An exclusive `flock` on a file beside the site, removed when released."""

    path: Path
    fd: int

    @classmethod
    def acquire(cls, path: Path, site: Path, say: Say) -> SiteLock:
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            if fcntl is None:
                return cls(path, fd)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    by = f" (process {holder})" if holder.isdigit() else ""
                    say(f"another build is publishing to {site}{by}; waiting for it to finish")
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if _names(fd, path):
                    _note_holder(fd)
                    return cls(path, fd)
            except BaseException:
                os.close(fd)
                raise
            # The build that held it finished and removed that file meanwhile: lock the next one.
            os.close(fd)

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            if _names(self.fd, self.path):
                self.path.unlink()  # removed while still held, so a waiting build sees it go
        except OSError:
            pass  # a lock file left behind is harmless: nobody holds it
        finally:
            os.close(self.fd)
            self.fd = -1


def failure(target: Path, error: OSError) -> str:
    """One line: what went wrong publishing to `target`, and what to do about it."""
    where = _written(error) or str(target.parent)
    kept = "the published site was left as it was"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        # Most likely the site's own disk; another one (a temporary folder) is named as it is.
        device = target.parent if Path(where).is_relative_to(target.parent) else Path(where).parent
        return (
            f"sms-docs: no space left on the device holding {device}; free some space (a build needs room "
            f"for a second copy of the site beside {target.name}) and build again; {kept}"
        )
    if error.errno == errno.EROFS:
        return (
            f"sms-docs: cannot publish to {target}: {where} is on a read-only file system; mount it read-write "
            f"or set site_dir to a writable folder; {kept}"
        )
    if error.errno in (errno.EACCES, errno.EPERM) and where == str(target):
        return (
            f"sms-docs: cannot publish to {target}: the build's user may not write to it; make it writable "
            f"(chmod -R u+w) or set site_dir to a folder it can write; {kept}"
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return (
            f"sms-docs: cannot publish to {target}: permission denied on {where}; give the build's user write "
            f"access to {target.parent} (the new site is written beside {target.name} and swapped in) or set "
            f"site_dir to a folder it can write; {kept}"
        )
    if error.errno == errno.EBUSY:
        return (
            f"sms-docs: cannot publish to {target}: it is a mount point, and publishing replaces the folder in "
            f"one step; mount its parent folder instead, or set site_dir to a folder inside the mount; {kept}"
        )
    return f"sms-docs: cannot publish to {target}: {error.strerror or error} ({where}); {kept}"


def _written(error: OSError) -> str | None:
    """The file being written when `error` happened: a copy names its source first."""
    for name in (error.filename2, error.filename):
        if isinstance(name, str):
            return name
    return None


def _check_target(target: Path) -> None:
    """Refuses before building, not after, what the swap could not do."""
    if os.path.lexists(target) and not target.is_dir():
        raise PublicationError(
            f"sms-docs: cannot publish to {target}: it is not a folder (a file, or a symbolic link that leads "
            "nowhere); move it away or set site_dir to a folder; nothing was changed"
        )
    if not target.is_dir():
        return
    if not os.access(target, os.W_OK):
        statvfs = getattr(os, "statvfs", None)  # not on Windows
        read_only_fs = statvfs is not None and statvfs(target).f_flag & os.ST_RDONLY
        error = errno.EROFS if read_only_fs else errno.EACCES
        raise PublicationError(failure(target, OSError(error, os.strerror(error), str(target))))
    if os.path.ismount(target):
        raise PublicationError(failure(target, OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(target))))


def _clear_leftovers(target: Path, staging: Path, say: Say) -> None:
    """Removes what killed builds left beside the site: their staging folder, old sites."""
    old = target.name + ".sms-old"
    for path in sorted(target.parent.iterdir()):
        if path == staging or path.name.startswith(old):
            _remove_or_set_aside(path, target, say)


def _remove_or_set_aside(path: Path, target: Path, say: Say) -> None:
    try:
        _remove(path)
        return
    except OSError as exc:
        reason = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    if not path.name.startswith(target.name + ".sms-old"):
        # Frees the staging folder's name, so no later build has to remove it first.
        aside = target.with_name(f"{target.name}.sms-old-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(path, aside)
            path = aside
        except OSError:
            pass  # the next build says so, as it cannot make its staging folder
    say(f"could not remove {path} ({reason}); the builds ignore it: remove it by hand")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _swap(staged: Path, target: Path) -> None:
    """After this, `target` holds the staged site and `staged` the previous one."""
    if _exchange(staged, target):
        return
    old = target.with_name(f"{target.name}.sms-old-{uuid.uuid4().hex[:8]}")
    os.rename(target, old)
    try:
        os.rename(staged, target)
    except OSError:
        os.rename(old, target)
        raise
    os.rename(old, staged)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(one: Path, other: Path) -> bool:
    """Swaps two paths in one step; False where the system or the file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(one), _AT_FDCWD, os.fsencode(other), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(other))


@cache
def _renameat2() -> Callable[..., int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):  # no C library to ask (Windows)
        return None
    function = getattr(libc, "renameat2", None)  # Linux with glibc 2.28 or later
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
    return function


def _names(fd: int, path: Path) -> bool:
    """True when `path` is still the file open as `fd`."""
    try:
        here, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _note_holder(fd: int) -> None:
    """Writes our process id, so a waiting build can say whom it waits for."""
    with contextlib.suppress(OSError):  # a full disk: the lock holds all the same
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)


def _copy_access(target: Path, folder: Path) -> None:
    """The new site keeps the mode and group a deployment gave the old one (a web server
    reading it through its group, say)."""
    if not target.is_dir():
        return
    old = target.stat()
    os.chmod(folder, stat.S_IMODE(old.st_mode))
    with contextlib.suppress(OSError):  # not a member of that group: the folder keeps ours
        os.chown(folder, -1, old.st_gid)
