"""Drawings of pillar chains (matplotlib, Agg backend), saved as PNG and SVG without overwriting.

Sectors are laid out in columns by their distance from the pillar (suppliers
to the left, buyers to the right), sized by output and coloured by the share
of their inputs bought outside the region; links are as wide as their flow.
A grey "outside the region" node on the far left sends a dashed red link to
every chain sector in proportion to its imported inputs.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import networkx as nx

from .._files import atomic_write_bytes, check_writable

__all__ = ["OUTSIDE", "draw_chain", "save_chain_drawing"]

OUTSIDE = "outside the region"
"""Label of the node standing for suppliers outside the region."""


def _positions(chain: nx.DiGraph) -> dict[str, tuple[float, float]]:
    columns: dict[int, list[str]] = {}
    for n, d in chain.nodes(data=True):
        role = d.get("role", "pillar")
        depth = int(d.get("depth", 0))
        col = 0 if role == "pillar" else (-depth if "upstream" in role else depth)
        columns.setdefault(col, []).append(n)
    pos = {}
    for col, nodes in columns.items():
        nodes.sort(key=lambda n: -chain.nodes[n].get("output", 0.0))
        k = len(nodes)
        for r, n in enumerate(nodes):
            stagger = 0.3 * (1 if r % 2 else -1) if k > 2 else 0.0  # keeps links within a column visible
            pos[n] = (float(col) * 1.6 + stagger, ((k - 1) / 2.0 - r) * 1.2)
    return pos


def draw_chain(chain: nx.DiGraph, *, title: str | None = None, label: str = "name_en", status: str = ""):
    """Draw one pillar chain (from :func:`~xn_io.network.pillar_chain`) and return the matplotlib Figure.

    Parameters
    ----------
    chain : networkx.DiGraph
        A pillar chain; node ``output`` and ``import_share``, edge ``flow``.
    title : str, optional
        Defaults to the pillar's name.
    label : str
        Node attribute used as label (falls back to the sector id).
    status : str
        Shown in the corner (e.g. ``"ESTIMATE"``, ``"ILLUSTRATIVE"``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.network import pillar_chain, sector_graph
    >>> chain = pillar_chain(sector_graph(xn_io.load_table("xianning-2025")), "modern_equipment")
    >>> fig = draw_chain(chain, status="ESTIMATE")
    >>> fig.axes[0].get_title()
    'modern_equipment chain'
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure  # object-oriented API: no pyplot state, whatever the session's backend

    pos = _positions(chain)
    left = min((p[0] for p in pos.values()), default=0.0) - 1.6
    pos[OUTSIDE] = (left, 0.0)
    xs = [p[0] for p in pos.values()]
    rows = max((sum(1 for p in pos.values() if p[0] == c) for c in set(xs)), default=1)
    # about 1.6 in per column and 1.6 in per row: at the width of a printed page the 9-pt labels stay legible
    fig = Figure(figsize=(min(12.0, max(8.0, 1.6 * (max(xs) - min(xs) + 2))), max(5.0, 1.6 * rows + 2.0)))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    outputs = [d.get("output", 0.0) for _, d in chain.nodes(data=True)]
    flows = [d.get("flow", 0.0) for *_, d in chain.edges(data=True)]
    imported = [d.get("imported_inputs", 0.0) for _, d in chain.nodes(data=True)]
    big = max(outputs + [1e-12])
    wide = max(flows + imported + [1e-12])
    cmap = matplotlib.colormaps["YlOrRd"]
    for u, v, d in chain.edges(data=True):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(
                arrowstyle="-|>",
                color="#4a6fa5",
                alpha=0.7,
                lw=0.5 + 8.0 * d.get("flow", 0.0) / wide,
                shrinkA=14,
                shrinkB=14,
                connectionstyle="arc3,rad=0.12",
            ),
        )
    for n, d in chain.nodes(data=True):
        m = d.get("imported_inputs", 0.0)
        if m > 0 and "downstream" not in d.get("role", "pillar"):
            (x0, y0), (x1, y1) = pos[OUTSIDE], pos[n]
            ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops=dict(
                    arrowstyle="-|>",
                    color="#c0392b",
                    alpha=0.55,
                    lw=0.5 + 8.0 * m / wide,
                    linestyle="--",
                    shrinkA=14,
                    shrinkB=14,
                    connectionstyle="arc3,rad=-0.08",
                ),
            )
    for n, d in chain.nodes(data=True):
        x, y = pos[n]
        size = 200 + 2400 * math.sqrt(d.get("output", 0.0) / big)
        share = d.get("import_share", 0.0)
        edge = "black" if d.get("role") == "pillar" else "#555555"
        ax.scatter(
            [x],
            [y],
            s=size,
            color=cmap(0.1 + 0.9 * share),
            edgecolors=edge,
            linewidths=2.2 if d.get("role") == "pillar" else 0.8,
            zorder=3,
        )
        lines = _label_lines(str(d.get(label) or n))
        below = math.sqrt(size) / 2 + 3  # points from the node's centre to below its disc
        ax.annotate(
            "\n".join([*lines, f"output {d.get('output', 0.0):,.0f}"]),
            xy=(x, y),
            xytext=(0, -below),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8.5,
            zorder=4,
            linespacing=1.1,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8),
        )
        if "imported_inputs" in d:
            ax.annotate(
                f"imported {d['imported_inputs']:,.0f} ({d.get('import_share', 0.0):.0%})",
                xy=(x, y),
                xytext=(0, -below - 10.5 * (len(lines) + 1) - 4),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=8,
                color="#c0392b",
                zorder=4,
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.8),
            )
    ax.scatter([pos[OUTSIDE][0]], [0.0], s=900, marker="s", color="#dddddd", edgecolors="#c0392b", zorder=3)
    ax.annotate(
        "bought outside\nthe region",
        xy=pos[OUTSIDE],
        xytext=(0, -18),
        textcoords="offset points",
        ha="center",
        va="top",
        fontsize=8.5,
        color="#c0392b",
    )
    pillar = chain.graph.get("pillar", "")
    unit = {"亿元": "100 million CNY"}.get(chain.graph.get("unit", ""), chain.graph.get("unit", ""))
    ax.set_title(title or f"{pillar} chain", fontsize=12)
    fig.text(
        0.01,
        0.01,
        f"node size: output ({unit}); colour: imported share of inputs, 0% (yellow) to 100% (dark red)\n"
        "blue arrows: regional flows (width: flow); red dashed: inputs bought outside the region (width: value)\n"
        "thick border: pillar sectors; suppliers left, buyers right",
        fontsize=8,
        color="#333333",
    )
    if status:
        fig.text(0.99, 0.99, status, ha="right", va="top", fontsize=9, color="#c0392b", weight="bold")
    ax.margins(0.12)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def _label_lines(text: str, width: int = 18, most: int = 3) -> list[str]:
    """A node label on up to ``most`` lines of about ``width`` columns (Chinese characters count two), cut with "…" after.

    Examples
    --------
    >>> _label_lines("Accommodation (hotels and homestays)")
    ['Accommodation', '(hotels and', 'homestays)']
    >>> _label_lines("文化、体育、娱乐（含景区）")
    ['文化、体育、娱乐', '（含景区）']
    """
    import unicodedata

    def cols(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)

    cjk = cols(text) > len(text)
    joiner = "" if cjk else " "
    step = width // 2 if cjk else width
    lines: list[str] = []
    line = ""
    for token in text.replace("（", " （").split():
        for piece in [token] if cols(token) <= width else [token[i : i + step] for i in range(0, len(token), step)]:
            if line and cols(line + joiner + piece) > width:
                lines.append(line)
                line = piece
            else:
                line = line + joiner + piece if line else piece
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def save_chain_drawing(chain: nx.DiGraph, path: str | os.PathLike, *, overwrite: bool = False, **kwargs) -> list[Path]:
    """Draw a chain and save it as ``<path>.png`` and ``<path>.svg`` (atomic writes).

    Parameters
    ----------
    chain : networkx.DiGraph
    path : path-like
        File name without suffix (a ``.png``/``.svg`` suffix is dropped).
    overwrite : bool
        Replace existing files; by default an existing file raises.
    **kwargs
        Passed to :func:`draw_chain`.

    Returns
    -------
    list of Path
        The PNG and the SVG.

    Raises
    ------
    OverwriteError
        If either file exists and ``overwrite`` is false (nothing is written).

    Examples
    --------
    >>> import tempfile, pathlib, xn_io
    >>> from xn_io.network import pillar_chain, sector_graph
    >>> chain = pillar_chain(sector_graph(xn_io.load_table("xianning-2025")), "big_health")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in save_chain_drawing(chain, folder / "big_health")]
    ['big_health.png', 'big_health.svg']
    >>> save_chain_drawing(chain, folder / "big_health")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    xn_io.errors.OverwriteError: ... already exists; pass overwrite=True (or --force) to replace it
    """
    base = Path(path)
    if base.suffix.lower() in (".png", ".svg"):
        base = base.with_suffix("")
    targets = [base.with_name(base.name + ".png"), base.with_name(base.name + ".svg")]
    for t in targets:
        check_writable(t, overwrite=overwrite, folder=False)
    fig = draw_chain(chain, **kwargs)
    out = []
    for t, fmt in zip(targets, ("png", "svg")):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=150)
        out.append(atomic_write_bytes(t, buffer.getvalue(), overwrite=overwrite))
    return out
