"""A report as data, rendered to Markdown and to one self-contained HTML page.

A :class:`Report` is a list of blocks — headings, paragraphs, bullet lists,
notes, tables and figures. :meth:`Report.to_markdown` and
:meth:`Report.to_html` render the same blocks; :meth:`Report.write` writes a
folder with ``report.md``, ``report.html``, one CSV per table and one PNG per
figure, atomically: the folder appears complete or not at all.

The HTML page needs nothing beside itself: figures are embedded as base64 PNG
``data:`` URIs, the style sheet is inline, the glyphs of its Chinese text and
units are embedded as a font subset (:mod:`xn_io.report.webfont`), and there
are no scripts, links to fonts or other outside resources.

Examples
--------
>>> import pandas as pd
>>> r = Report("Demo")
>>> r.paragraph("GDP is the sum of value added.")
>>> r.table("gdp", pd.DataFrame({"GDP": [2000.0]}, index=[2025]), title="GDP (亿元)")
>>> print(r.to_markdown().splitlines()[0])
# Demo
>>> page = r.to_html()
>>> "<table" in page and "@font-face" in page and "http:" not in page and "https:" not in page
True
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._files import atomic_directory
from ..errors import XnIOError
from .webfont import font_face_css

__all__ = ["Report", "Heading", "Paragraph", "Bullets", "Note", "TableBlock", "FigureBlock", "figure_png"]

_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")


@dataclass(frozen=True)
class Heading:
    """A section heading (level 2 or 3; level 1 is the report title)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (``code`` spans in backticks are kept)."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bullet list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Note:
    """A highlighted remark: data status, fallbacks, caveats."""

    text: str


@dataclass(frozen=True)
class TableBlock:
    """A table shown in the report and written as ``<name>.csv``."""

    name: str
    frame: pd.DataFrame
    title: str = ""
    caption: str = ""
    digits: int = 2
    max_rows: int | None = None
    columns: tuple[str, ...] | None = None  # shown on the page; the CSV holds every column


@dataclass(frozen=True)
class FigureBlock:
    """A chart as PNG bytes, written as ``figures/<name>.png`` and embedded in the HTML."""

    name: str
    png: bytes
    title: str = ""
    caption: str = ""


def figure_png(fig: Any, *, dpi: int = 110) -> bytes:
    """Render a matplotlib figure to PNG bytes (no timestamp, so reruns give the same file)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _check_name(name: str, kind: str) -> None:
    if not _NAME.match(name):
        raise XnIOError(f"{kind} name {name!r} must use only letters, digits, '_' and '-' (it becomes a file name)")


def _fmt(value: Any, digits: int) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value != value:  # NaN
            return ""
        if value != 0 and abs(value) < 10 ** (-digits):
            return f"{value:.3g}"
        return f"{value:,.{digits}f}"
    if value is None:
        return ""
    return str(value)


def _cells(block: TableBlock) -> tuple[list[str], list[list[str]], int]:
    frame = block.frame if block.columns is None else block.frame[list(block.columns)]
    shown = frame if block.max_rows is None else frame.head(block.max_rows)
    index_name = " / ".join(str(n) for n in frame.index.names if n is not None) or ""
    header = [index_name] + [str(c) for c in frame.columns]

    def label(i: Any) -> str:
        return " / ".join(_fmt(part, block.digits) for part in i) if isinstance(i, tuple) else _fmt(i, block.digits)

    rows = [
        [label(i)] + [_fmt(v, block.digits) for v in row] for i, row in zip(shown.index, shown.itertuples(index=False))
    ]
    return header, rows, len(frame) - len(shown)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _inline_html(text: str) -> str:
    out = html.escape(text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", out)


_CSS = """
body{font-family:"xn-io CJK",system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:62rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{border-bottom:2px solid #2b6a4f;padding-bottom:.3rem}h2{margin-top:2rem;color:#2b6a4f}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #ccc;padding:.25rem .55rem;text-align:left}
th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eef4f0}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption,.caption{font-size:.85rem;color:#555}
.note{background:#fff8e1;border-left:4px solid #e0a800;padding:.5rem .8rem;margin:.8rem 0}
code{background:#f3f3f3;padding:0 .2rem}
""".strip()


@dataclass
class Report:
    """A report: a title and a list of blocks.

    Parameters
    ----------
    title : str
        The report's title (the page's ``<h1>``).
    blocks : list
        Blocks in order; add them with the methods below.
    lang : str
        The page's language (``"en"`` or ``"zh"``), for the HTML ``lang`` attribute.
    workbook : str, optional
        File name of an Excel workbook :meth:`write` adds beside the report,
        one sheet per table (e.g. ``"plan.xlsx"``); tables point to it.
    """

    title: str
    blocks: list = field(default_factory=list)
    lang: str = "en"
    workbook: str | None = None

    # ------------------------------------------------------------- building
    def heading(self, text: str, *, level: int = 2) -> None:
        """Add a section heading."""
        self.blocks.append(Heading(text, level))

    def paragraph(self, text: str) -> None:
        """Add a paragraph."""
        self.blocks.append(Paragraph(text))

    def bullets(self, items) -> None:
        """Add a bullet list."""
        self.blocks.append(Bullets(tuple(str(i) for i in items)))

    def note(self, text: str) -> None:
        """Add a highlighted note."""
        self.blocks.append(Note(text))

    def table(
        self,
        name: str,
        frame: pd.DataFrame,
        *,
        title: str = "",
        caption: str = "",
        digits: int = 2,
        max_rows: int | None = None,
        columns: Sequence[str] | None = None,
    ) -> None:
        """Add a table, written as ``<name>.csv`` in full even when ``max_rows`` or ``columns`` shorten the page.

        Raises
        ------
        XnIOError
            If ``name`` is not a plain file name or is used twice.
        """
        _check_name(name, "table")
        if any(isinstance(b, TableBlock) and b.name == name for b in self.blocks):
            raise XnIOError(f"table name {name!r} is used twice in report {self.title!r}")
        if columns is not None:
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise XnIOError(f"table {name!r}: no column {missing[0]!r} to show")
        shown = None if columns is None else tuple(columns)
        self.blocks.append(TableBlock(name, frame.copy(), title, caption, digits, max_rows, shown))

    def figure(self, name: str, fig_or_png: Any, *, title: str = "", caption: str = "") -> None:
        """Add a figure (a matplotlib figure, rendered now, or PNG bytes).

        Raises
        ------
        XnIOError
            If ``name`` is not a plain file name or is used twice, or the bytes are not a PNG.
        """
        _check_name(name, "figure")
        if any(isinstance(b, FigureBlock) and b.name == name for b in self.blocks):
            raise XnIOError(f"figure name {name!r} is used twice in report {self.title!r}")
        png = fig_or_png if isinstance(fig_or_png, bytes) else figure_png(fig_or_png)
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise XnIOError(f"figure {name!r} is not a PNG image")
        self.blocks.append(FigureBlock(name, png, title, caption))

    def extend(self, other: Report) -> None:
        """Append the blocks of ``other`` (its title becomes a section heading)."""
        self.heading(other.title)
        for block in other.blocks:
            if isinstance(block, TableBlock):
                self.table(
                    block.name,
                    block.frame,
                    title=block.title,
                    caption=block.caption,
                    digits=block.digits,
                    max_rows=block.max_rows,
                    columns=block.columns,
                )
            elif isinstance(block, FigureBlock):
                self.figure(block.name, block.png, title=block.title, caption=block.caption)
            elif isinstance(block, Heading):
                self.blocks.append(Heading(block.text, min(block.level + 1, 4)))
            else:
                self.blocks.append(block)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's tables by name."""
        return {b.name: b.frame for b in self.blocks if isinstance(b, TableBlock)}

    @property
    def figures(self) -> dict[str, bytes]:
        """The report's figures (PNG bytes) by name."""
        return {b.name: b.png for b in self.blocks if isinstance(b, FigureBlock)}

    # ------------------------------------------------------------- rendering
    def _data_note(self, block: TableBlock, hidden: int, *, md: bool) -> str:
        files = f"[`{block.name}.csv`]({block.name}.csv)" if md else f"{block.name}.csv"
        if self.workbook:
            files += f" and sheet {block.name[:31]} of " + (
                f"[`{self.workbook}`]({self.workbook})" if md else self.workbook
            )
        if hidden:
            return f"… and {hidden} more rows — see {files}."
        return f"Data: {files}."

    def to_markdown(self) -> str:
        """The report as Markdown; figures are linked as ``figures/<name>.png``, tables as ``<name>.csv``."""
        out = [f"# {self.title}", ""]
        for b in self.blocks:
            if isinstance(b, Heading):
                out += ["#" * b.level + " " + b.text, ""]
            elif isinstance(b, Paragraph):
                out += [b.text, ""]
            elif isinstance(b, Bullets):
                out += [f"- {item}" for item in b.items] + [""]
            elif isinstance(b, Note):
                out += ["> **Note.** " + b.text.replace("\n", "\n> "), ""]
            elif isinstance(b, TableBlock):
                header, rows, hidden = _cells(b)
                if b.title:
                    out += [f"**{b.title}**", ""]
                out.append("| " + " | ".join(_md_escape(h) for h in header) + " |")
                numeric = [
                    pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in b.frame.dtypes
                ]
                out.append("|" + "|".join([":--"] + ["--:" if n else ":--" for n in numeric]) + "|")
                out += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
                out += ["", (b.caption + " " if b.caption else "") + self._data_note(b, hidden, md=True), ""]
            elif isinstance(b, FigureBlock):
                out += [f"![{b.title or b.name}](figures/{b.name}.png)", ""]
                if b.caption:
                    out += [f"*{b.caption}*", ""]
        return "\n".join(out).rstrip() + "\n"

    def to_html(self) -> str:
        """The report as one self-contained HTML page (figures embedded as base64 PNG, inline CSS)."""
        e = _inline_html
        out = [f"<h1>{e(self.title)}</h1>"]
        for b in self.blocks:
            if isinstance(b, Heading):
                out.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
            elif isinstance(b, Paragraph):
                out.append(f"<p>{e(b.text)}</p>")
            elif isinstance(b, Bullets):
                out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
            elif isinstance(b, Note):
                out.append(f'<div class="note"><strong>Note.</strong> {e(b.text)}</div>')
            elif isinstance(b, TableBlock):
                header, rows, hidden = _cells(b)
                parts = ['<div class="scroll"><table>']
                if b.title:
                    parts.append(f"<caption>{e(b.title)}</caption>")
                numeric = [False] + [
                    pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t) for t in b.frame.dtypes
                ]
                cls = ["" if not n else ' class="n"' for n in numeric]
                parts.append(
                    "<thead><tr>" + "".join(f"<th{k}>{e(h)}</th>" for h, k in zip(header, cls)) + "</tr></thead><tbody>"
                )
                parts += ["<tr>" + "".join(f"<td{k}>{e(c)}</td>" for c, k in zip(row, cls)) + "</tr>" for row in rows]
                parts.append("</tbody></table></div>")
                parts.append(
                    f'<p class="caption">{e(b.caption + " " if b.caption else "")}{e(self._data_note(b, hidden, md=False))}</p>'
                )
                out.append("".join(parts))
            elif isinstance(b, FigureBlock):
                data = base64.b64encode(b.png).decode("ascii")
                alt = html.escape(b.title or b.name, quote=True)
                cap = (
                    f"<figcaption>{e(b.title)}{' — ' if b.title and b.caption else ''}{e(b.caption)}</figcaption>"
                    if (b.title or b.caption)
                    else ""
                )
                out.append(f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">{cap}</figure>')
        body = "\n".join(out)
        # the glyphs of 亿元, 万吨 and Chinese names, embedded: the page renders without a CJK font installed
        face = font_face_css(self.title + html.unescape(body))
        head = [
            "<!DOCTYPE html>",
            f'<html lang="{self.lang}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(self.title)}</title>",
            f"<style>{face}{_CSS}</style></head><body>",
        ]
        return "\n".join(head) + "\n" + body + "\n</body></html>\n"

    def write(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write the report folder: ``report.md``, ``report.html``, ``<table>.csv``, ``figures/<figure>.png`` and the workbook, if any.

        The folder is assembled in a temporary folder beside ``path`` and
        renamed into place when complete; on any failure nothing is left.

        Parameters
        ----------
        path : path-like
            The folder to create.
        overwrite : bool
            Replace an existing folder (whole) instead of raising.

        Returns
        -------
        pathlib.Path

        Raises
        ------
        OverwriteError
            If ``path`` exists and ``overwrite`` is false.
        """
        markdown, page = self.to_markdown(), self.to_html()
        book = None
        if self.workbook:
            from ..excel import write_workbook

            book = {b.name: b.frame for b in self.blocks if isinstance(b, TableBlock)}
        with atomic_directory(path, overwrite=overwrite) as tmp:
            if book is not None:
                write_workbook(book, tmp / str(self.workbook))
            for b in self.blocks:
                if isinstance(b, TableBlock):
                    b.frame.to_csv(tmp / f"{b.name}.csv", lineterminator="\n")
                elif isinstance(b, FigureBlock):
                    (tmp / "figures").mkdir(exist_ok=True)
                    (tmp / "figures" / f"{b.name}.png").write_bytes(b.png)
            (tmp / "report.md").write_text(markdown, encoding="utf-8")
            (tmp / "report.html").write_text(page, encoding="utf-8")
        return Path(path)
