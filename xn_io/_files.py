"""Atomic, non-destructive, recoverable file output.

Every writer in xn_io goes through these helpers. The rules:

* Output is written under a temporary name beside the target and renamed into
  place only when complete. Temporary names are short and fixed-length
  (``.xn-io-<hash of the name>.<token>.new``), so any valid output name works.
* An existing target is replaced only with ``overwrite=True``, and even then
  only if it is a regular file (for a file writer) or a folder that xn_io
  itself wrote, recognised by its marker file :data:`MARKER`. A symbolic link
  (dangling or not), a device, or a foreign folder is never replaced.
* A folder is replaced by two renames: old → backup, new → target. Both run
  with Ctrl-C deferred; if the process is killed between them, the next write
  to the same target (or :func:`recover`) finishes the swap when the new folder
  is complete and rolls it back otherwise, and removes leftover temporary
  names. Either way the target is the complete old or the complete new output.
* Errors name the user's path, never a temporary one.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from ._interrupts import deferred_interrupts
from .errors import OutputError, OverwriteError

__all__ = [
    "MARKER",
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_directory",
    "check_writable",
    "recover",
]

MARKER = ".xn-io-output"
"""Name of the marker file in every folder xn_io writes; only such folders are ever replaced."""

_MARKER_TEXT = "This folder was written by xn_io; xn_io may replace it when asked to (overwrite=True or --force).\n"


def _fault(step: str) -> None:
    """A no-op hook between the steps of a swap; fault tests replace it to kill the process there."""


def _stem(path: Path) -> str:
    digest = hashlib.sha256(os.fsencode(path.name)).hexdigest()[:16]
    return f".xn-io-{digest}"


def _absolute(path: str | os.PathLike) -> Path:
    """``path`` made absolute without following links (``.`` and ``..`` resolved lexically)."""
    return Path(os.path.abspath(os.fspath(path)))


def _os_error(exc: OSError, shown: str | os.PathLike) -> OutputError:
    """``exc`` re-raised so that it names the user's path ``shown`` (not a temporary name)."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        reason = f"{reason} (the disk is full or a file-size limit was reached)"
    return OutputError(exc.errno, f"cannot write: {reason}", os.fspath(shown))


def _remove(entry: Path) -> None:
    with contextlib.suppress(OSError):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink()


def recover(path: str | os.PathLike) -> None:
    """Finish or roll back an interrupted replacement of ``path``; remove its temporary names.

    Called by every writer before it writes. When a previous process was killed
    between moving the old output aside and moving the new one into place, the
    new output is moved in if it is complete (its marker file was written last)
    and the old one is moved back otherwise. Nothing else is touched: only
    names of the form ``.xn-io-<hash of path's name>.*`` beside ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> recover(root / "report")   # nothing to do
    >>> sorted(root.iterdir())
    []
    """
    target = _absolute(path)
    parent = target.parent
    prefix = _stem(target) + "."
    try:
        entries = [e for e in parent.iterdir() if e.name.startswith(prefix)]
    except OSError:
        return
    if not entries:
        return
    olds = sorted(e for e in entries if e.name.endswith(".old"))
    news = {e.name[len(prefix) : -len(".new")]: e for e in entries if e.name.endswith(".new")}
    if olds and not os.path.lexists(target):
        old = olds.pop()
        token = old.name[len(prefix) : -len(".old")]
        new = news.pop(token, None)
        if new is not None and (new / MARKER).is_file():
            os.rename(new, target)  # roll forward: the new output was complete
            olds.append(old)
        else:
            os.rename(old, target)  # roll back
            if new is not None:
                news[token] = new
    for entry in [*olds, *news.values(), *(e for e in entries if e.name.endswith(".tmp"))]:
        if os.path.lexists(entry):
            _remove(entry)


def check_writable(path: str | os.PathLike, *, overwrite: bool = False, folder: bool | None = None) -> Path:
    """Check that ``path`` may be written; return it as a Path.

    First finishes or rolls back an interrupted earlier write (:func:`recover`).

    Parameters
    ----------
    path : path-like
        The output file or folder.
    overwrite : bool
        Whether an existing output may be replaced.
    folder : bool, optional
        True for a folder output (only a folder with xn_io's marker file may be
        replaced), False for a file output (only a regular file may be
        replaced), None to accept either kind.

    Raises
    ------
    OverwriteError
        If ``path`` exists and ``overwrite`` is false; or, whatever
        ``overwrite``, if it is a symbolic link, a device or other special
        file, a folder without xn_io's marker, or of the wrong kind.
    """
    shown = Path(path)
    target = _absolute(path)
    if target == Path(target.anchor):
        raise OverwriteError(f"{shown}: the root folder cannot be an output; choose a new path")
    recover(target)
    _check(target, shown, overwrite=overwrite, folder=folder)
    return shown


def _check(target: Path, shown: Path, *, overwrite: bool, folder: bool | None) -> None:
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _os_error(exc, shown) from None
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise OverwriteError(
            f"{shown}: is a symbolic link; xn_io never writes through or replaces a link, choose another output path"
        )
    if stat.S_ISDIR(mode):
        if folder is False:
            raise OverwriteError(f"{shown}: is a folder; expected a file path")
        if not (target / MARKER).is_file():
            raise OverwriteError(
                f"{shown}: is a folder that xn_io did not write (no {MARKER} marker); "
                "xn_io replaces only its own output folders, choose a new path"
            )
    elif stat.S_ISREG(mode):
        if folder is True:
            raise OverwriteError(f"{shown}: is a file; expected a folder path")
    else:
        raise OverwriteError(f"{shown}: is a device or special file; xn_io replaces only regular files")
    if not overwrite:
        raise OverwriteError(f"{shown} already exists; pass overwrite=True (or --force) to replace it")


def _token() -> str:
    return secrets.token_hex(4)


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to the file ``path`` through a temporary file renamed into place.

    Raises
    ------
    OverwriteError
        See :func:`check_writable` (``folder=False``).
    OutputError
        When the file cannot be written (naming ``path``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_bytes(root / "a.txt", b"hello").read_bytes()
    b'hello'
    """
    shown = check_writable(path, overwrite=overwrite, folder=False)
    target = _absolute(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _os_error(exc, shown) from None
    tmp = target.parent / f"{_stem(target)}.{_token()}.tmp"
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with deferred_interrupts():
            if os.path.lexists(target):
                _check(target, shown, overwrite=overwrite, folder=False)
            os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, (OverwriteError, OutputError)):
            raise
        raise _os_error(exc, shown) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return shown


def atomic_write_text(path: str | os.PathLike, text: str, *, overwrite: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


@contextlib.contextmanager
def atomic_directory(path: str | os.PathLike, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``path`` only if the block succeeds.

    The folder receives xn_io's marker file (:data:`MARKER`) when the block
    ends. On an exception the temporary folder is removed and ``path`` is left
    as it was. With ``overwrite=True`` an existing folder that xn_io wrote is
    replaced whole (see the module notes for how an interrupted swap is
    recovered).

    Raises
    ------
    OverwriteError
        See :func:`check_writable` (``folder=True``).
    OutputError
        When the folder cannot be written (naming ``path``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_directory(root / "out") as tmp:
    ...     _ = (tmp / "a.txt").write_text("hello")
    >>> (root / "out" / "a.txt").read_text()
    'hello'
    """
    shown = check_writable(path, overwrite=overwrite, folder=True)
    target = _absolute(path)
    stem, token = _stem(target), _token()
    new = target.parent / f"{stem}.{token}.new"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        new.mkdir()
    except OSError as exc:
        raise _os_error(exc, shown) from None
    try:
        yield new
        (new / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(new, ignore_errors=True)
        if isinstance(exc, (OverwriteError, OutputError)):
            raise
        raise _os_error(exc, shown) from None
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    backup = target.parent / f"{stem}.{token}.old"
    try:
        with deferred_interrupts():
            if os.path.lexists(target):
                _check(target, shown, overwrite=overwrite, folder=True)
                os.rename(target, backup)
                _fault("after-backup")
                os.rename(new, target)
                _fault("after-swap")
                shutil.rmtree(backup, ignore_errors=True)
            else:
                os.rename(new, target)
    except OSError as exc:
        if os.path.lexists(backup) and not os.path.lexists(target):
            with contextlib.suppress(OSError):
                os.rename(backup, target)  # roll back
        shutil.rmtree(new, ignore_errors=True)
        if isinstance(exc, (OverwriteError, OutputError)):
            raise
        raise _os_error(exc, shown) from None
