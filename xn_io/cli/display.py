"""Text for an 80-column terminal: tables with units in their headers, wrapped notes, "… and N more — see FILE".

The ``xn-io`` commands print through these helpers instead of printing pandas
frames: columns are chosen and formatted by the command, numbers get thousands
separators and a fixed number of decimals per column, headers carry units, and
text columns are cut (with "…") so that every line fits the terminal. Chinese
characters count as two columns, as a terminal draws them.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"name": ["Steel", "Tea"], "output": [142.58, 9.61]}, index=["steel", "tea"])
>>> print(render_table(f, [Column("name", "sector"), Column("output", "output (亿元)", digits=1)], width=40))
sector  output (亿元)
------  -------------
Steel           142.6
Tea               9.6
"""

from __future__ import annotations

import math
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Column", "render_table", "display_width", "fit", "wrap", "terminal_width", "more_line", "number"]

MAX_WIDTH = 100


def terminal_width() -> int:
    """The terminal's width, between 60 and 100 columns (80 when not on a terminal)."""
    return max(60, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide East Asian characters take two).

    Examples
    --------
    >>> display_width("GDP 亿元")
    8
    """
    return sum(
        2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1 for ch in text
    )


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in "…" when cut.

    Examples
    --------
    >>> fit("Accommodation (hotels and homestays)", 16)
    'Accommodation (…'
    """
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, align: str) -> str:
    gap = max(0, width - display_width(text))
    return text + " " * gap if align == "<" else " " * gap + text


def number(value: Any, digits: int = 1, *, signed: bool = False) -> str:
    """A number with thousands separators and ``digits`` decimals; "" for NaN/None.

    Examples
    --------
    >>> number(4989.56), number(0.0004, 3), number(float("nan"))
    ('4,989.6', '0.0004', '')
    """
    if value is None:
        return ""
    if isinstance(value, (bool,)):
        return "yes" if value else "no"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return ""
    if v != 0 and abs(v) < 0.5 * 10 ** (-digits):
        return f"{v:+.2g}" if signed else f"{v:.2g}"
    return f"{v:+,.{digits}f}" if signed else f"{v:,.{digits}f}"


@dataclass(frozen=True)
class Column:
    """A column to print: the frame's column (or ``"index"``), its header, format and alignment.

    Attributes
    ----------
    key : str
        Column of the frame, or ``"index"`` for the row labels.
    header : str
        Header text, units included (``"output (亿元)"``).
    digits : int, optional
        Decimals of a numeric column (text columns leave it ``None``).
    format : callable, optional
        Formats one value (overrides ``digits``).
    shrink : bool
        May be cut with "…" to fit the width (text columns; default true when ``digits`` is None).
    """

    key: str
    header: str
    digits: int | None = None
    format: Callable[[Any], str] | None = None
    shrink: bool | None = None

    def text(self, value: Any) -> str:
        if self.format is not None:
            return self.format(value)
        if self.digits is not None:
            return number(value, self.digits)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        return str(value)

    @property
    def align(self) -> str:
        return ">" if self.digits is not None else "<"

    @property
    def can_shrink(self) -> bool:
        return self.digits is None and self.format is None if self.shrink is None else self.shrink


def render_table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    width: int | None = None,
    limit: int | None = None,
    more: str = "",
    indent: str = "",
) -> str:
    """``frame`` as fixed-width text that fits ``width`` columns.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : sequence of Column
        What to print, in order.
    width : int, optional
        Line width (default :func:`terminal_width`).
    limit : int, optional
        Rows to print; the rest are counted in a last line "… and N more — see <more>".
    more : str
        Where the rest are (a file, or how to get it).
    indent : str
        Put before every line.
    """
    width = terminal_width() if width is None else width
    shown = frame if limit is None else frame.head(limit)
    cells = [
        [c.text(i if c.key == "index" else row[c.key]) for c in columns]
        for i, (_, row) in zip(shown.index, shown.iterrows())
    ]
    widths = [max([display_width(c.header)] + [display_width(r[k]) for r in cells]) for k, c in enumerate(columns)]
    room = width - len(indent) - 2 * (len(columns) - 1)
    excess = sum(widths) - room
    flexible = [k for k, c in enumerate(columns) if c.can_shrink]
    while excess > 0 and flexible:  # cut the widest text column first, down to 8 columns
        k = max(flexible, key=lambda j: widths[j])
        if widths[k] <= 8:
            break
        cut = min(excess, widths[k] - 8)
        widths[k] -= cut
        excess -= cut
    lines = []
    for row in [[c.header for c in columns], ["-" * w for w in widths], *cells]:
        parts = [_pad(fit(text, widths[k]), widths[k], columns[k].align) for k, text in enumerate(row)]
        lines.append(indent + "  ".join(parts).rstrip())
    hidden = len(frame) - len(shown)
    if hidden > 0:
        lines.append(
            wrap(
                f"… and {hidden} more" + (f" — see {more}" if more else ""),
                width,
                indent=indent,
                subsequent=indent + "  ",
            )
        )
    return "\n".join(lines)


def more_line(hidden: int, where: str) -> str:
    """ "… and N more — see WHERE", or "" when nothing is hidden."""
    return f"… and {hidden} more — see {where}" if hidden > 0 else ""


def wrap(text: str, width: int | None = None, *, indent: str = "", subsequent: str | None = None) -> str:
    """``text`` wrapped to ``width`` display columns (Chinese characters count two).

    Examples
    --------
    >>> print(wrap("one two three four", 10, indent="- ", subsequent="  "))
    - one two
      three
      four
    """
    width = terminal_width() if width is None else width
    subsequent = indent if subsequent is None else subsequent
    lines: list[str] = []
    line, prefix = indent, indent  # the current line and the indent it started with

    def add(word: str) -> None:
        nonlocal line
        line = line + (" " if line != prefix else "") + word

    for word in text.split():
        while display_width(subsequent + word) > width:  # a word longer than a line: cut it
            room = width - display_width(line) - (1 if line != prefix else 0)
            head = fit(word, room + 1)[:-1] if room > 1 else ""
            if not head:
                lines.append(line.rstrip())
                line = prefix = subsequent
                continue
            add(head)
            lines.append(line)
            line = prefix = subsequent
            word = word[len(head) :]
        if line != prefix and display_width(line) + 1 + display_width(word) > width:
            lines.append(line)
            line = prefix = subsequent
        add(word)
    if line != prefix:
        lines.append(line)
    return "\n".join(lines)
