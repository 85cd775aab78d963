"""Where a script writes: a new output folder, checked before any work is done.

Planner scripts (``examples/``) take an output folder argument; without one they
make a new folder named after the script and the time, and say where. An
existing folder is refused *before* the work starts (unless the caller
replaces it), so a run never computes everything to then refuse to write.

Examples
--------
>>> import tempfile, pathlib
>>> base = pathlib.Path(tempfile.mkdtemp())
>>> out = output_folder(None, stem="frontier", parent=base)
>>> out.name.startswith("frontier_") and not out.exists()
True
>>> (base / "taken").mkdir()
>>> output_folder(base / "taken", stem="frontier")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
xn_io.errors.OverwriteError: ...taken already exists; choose another folder or pass --force to replace it
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..errors import OverwriteError

__all__ = ["output_folder"]


def output_folder(
    path: str | os.PathLike | None, *, stem: str, force: bool = False, parent: str | os.PathLike | None = None
) -> Path:
    """The folder a script will write to: ``path``, or a new ``<stem>_<YYYYmmdd_HHMMSS>`` folder.

    Parameters
    ----------
    path : path-like or None
        The folder the user asked for; ``None`` for a new one.
    stem : str
        Start of the new folder's name.
    force : bool
        Allow ``path`` to exist (the caller will replace it).
    parent : path-like, optional
        Where a new folder goes (default: the working folder, as a relative path).

    Returns
    -------
    pathlib.Path
        A folder that does not exist yet (or may be replaced, with ``force``).

    Raises
    ------
    OverwriteError
        ``path`` exists and ``force`` is false.
    """
    if path is not None:
        out = Path(path)
        if out.exists() and not force:
            raise OverwriteError(f"{out} already exists; choose another folder or pass --force to replace it")
        return out
    base = Path(parent) if parent is not None else Path()
    out = base / f"{stem}_{time.strftime('%Y%m%d_%H%M%S')}"
    k = 2
    while out.exists():
        out = base / f"{stem}_{time.strftime('%Y%m%d_%H%M%S')}_{k}"
        k += 1
    return out
