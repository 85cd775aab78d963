"""Sphinx helpers of the xn_io documentation (no network, no state outside ``docs/``).

Two jobs, both done on ``config-inited`` so that autosummary and sphinx-gallery,
which start on ``builder-inited``, see their results:

* **The API reference** is generated from the package itself: every public
  module (``xn_io`` and every submodule whose dotted path has no part starting
  with ``_``) gets a page with its module docstring and a table of every name
  in its ``__all__``. Each object is documented once, in its *home* module —
  the module that defines it when that module lists it in ``__all__``,
  otherwise the most specific public module that does — so cross-references
  written inside a module's docstrings (``:func:`factorize```) resolve. Other
  modules that re-export the name link to that page. A name in an ``__all__``
  that the module does not have is an error, not a silent gap.
* **The gallery** is staged from ``examples/``: the scripts listed in
  :data:`GALLERY_SCRIPTS` (those that exist) are copied to ``docs/_gallery_src``
  with a gallery header, and a script that opens with ``#`` comments rather than
  a docstring gets a docstring made from them (sphinx-gallery needs one).

The functions are importable without Sphinx (``tests/test_docs.py`` uses them).
"""

from __future__ import annotations

import ast
import importlib
import json
import inspect
import os
import pkgutil
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
API_OUT = DOCS / "api" / "modules"
TABLES_OUT = DOCS / "tables"
GENERATED = DOCS / "_generated"
TARGETS_CSV = ROOT / "tables" / "sources" / "xianning_plan" / "targets.csv"
BENCH_README = ROOT / "benchmarks" / "README.md"
GALLERY_SRC = DOCS / "_gallery_src"
DOCSTRINGS = "_docstrings.json"  # the staged scripts' original docstrings, for their __doc__

#: The example scripts shown in the gallery, in this order (missing ones are skipped).
GALLERY_SCRIPTS = (
    "plan_2026_2030.py",
    "carbon_frontier.py",
    "chain_leaders.py",
    "own_table.py",
    "williams_economic_planning.py",
)

GALLERY_HEADER = """\
Gallery of examples
===================

The planner scripts of the repository's ``examples/`` folder, run when the
documentation is built (on their quick settings where they have one), with
what they print and the charts they draw. Each runs as it is after
``pip install .``: ``python examples/<name>.py``.
"""


# --------------------------------------------------------------------------- API reference
@dataclass
class ModuleEntry:
    """One public module: its own objects and the ones it re-exports."""

    name: str
    own: list[str] = field(default_factory=list)
    reexported: list[str] = field(default_factory=list)  # canonical dotted names
    submodules: list[str] = field(default_factory=list)


def _raise(message: str) -> None:
    raise RuntimeError(message)


def public_modules(package: str = "xn_io", *, on_problem=_raise) -> list[str]:
    """Dotted names of the public modules of ``package`` that import, the package first.

    A module that fails to import is reported to ``on_problem`` (by default an error).
    """
    pkg = importlib.import_module(package)
    names = [package]

    def failed(name: str) -> None:
        on_problem(f"{name} could not be imported, so it is not in the API reference")

    for info in pkgutil.walk_packages(pkg.__path__, prefix=package + ".", onerror=failed):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # noqa: BLE001 - any failure is reported, with its cause
            on_problem(
                f"{info.name} could not be imported ({type(exc).__name__}: {exc}), so it is not in the API reference"
            )
            continue
        names.append(info.name)
    return names


def _public_names(module, on_problem) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        on_problem(f"public module {module.__name__} has no __all__, so none of its names is in the API reference")
        return []
    out = []
    for name in names:
        if name.startswith("__"):
            continue
        if not hasattr(module, name):
            on_problem(f"{module.__name__}.__all__ lists {name!r}, which the module does not have")
            continue
        out.append(name)
    return out


def api_layout(package: str = "xn_io", *, on_problem=_raise) -> dict[str, ModuleEntry]:
    """Where each public name is documented.

    Parameters
    ----------
    package : str
    on_problem : callable
        Called with a message for a module that does not import, has no
        ``__all__``, or lists a name it does not have; by default it raises
        :class:`RuntimeError`.

    Returns
    -------
    dict
        Module name → :class:`ModuleEntry`, in the order of :func:`public_modules`.
    """
    modules = {name: importlib.import_module(name) for name in public_modules(package, on_problem=on_problem)}
    listed = {name: _public_names(mod, on_problem) for name, mod in modules.items()}

    def home(name: str, obj) -> str:
        holders = [m for m, names in listed.items() if name in names and getattr(modules[m], name) is obj]
        defined = getattr(obj, "__module__", None)
        if inspect.isclass(obj) or inspect.isfunction(obj) or callable(obj):
            if defined in holders:
                return defined
        return max(holders, key=lambda m: (m.count("."), m != package))

    layout = {name: ModuleEntry(name) for name in modules}
    for modname, names in listed.items():
        entry = layout[modname]
        for name in names:
            obj = getattr(modules[modname], name)
            if inspect.ismodule(obj):
                entry.submodules.append(obj.__name__)
                continue
            where = home(name, obj)
            if where == modname:
                entry.own.append(name)
            else:
                entry.reexported.append(f"{where}.{name}")
    return layout


def _title(module) -> str:
    doc = inspect.getdoc(module) or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    return first.rstrip(".")


def module_page(entry: ModuleEntry) -> str:
    """The reStructuredText of one module's API page."""
    module = importlib.import_module(entry.name)
    head = f"``{entry.name}``"
    lines = [f".. _api-{entry.name}:", "", head, "=" * len(head), ""]
    lines += [f".. automodule:: {entry.name}", "   :no-members:", "", f".. currentmodule:: {entry.name}", ""]
    if entry.own:
        lines += ["Contents", "--------", "", ".. autosummary::", "   :toctree: ../generated", "   :nosignatures:", ""]
        lines += [f"   {name}" for name in entry.own]
        lines.append("")
    if entry.reexported:
        what = "Public names" if entry.name.count(".") == 0 else "Re-exported here"
        lines += [what, "-" * len(what), ""]
        if entry.name.count(".") == 0:
            lines += [
                f"Everything below is importable directly from ``{entry.name}`` "
                "(e.g. ``xn_io.IOTable``); each links to the page of its home module.",
                "",
            ]
        else:
            lines += [f"Importable from ``{entry.name}``; documented in their home modules.", ""]
        # outside the module's context, so that autosummary takes the full names as they are
        lines += [".. currentmodule:: None", "", ".. autosummary::", "   :nosignatures:", ""]
        lines += [f"   ~{name}" for name in entry.reexported]
        lines.append("")
    if entry.submodules:
        lines += ["Submodules", "----------", ""]
        lines += [f"* :mod:`{sub}` — {_title(importlib.import_module(sub))}" for sub in entry.submodules]
        lines.append("")
    del module
    return "\n".join(lines)


def write_api_pages(out: Path = API_OUT, package: str = "xn_io", *, on_problem=_raise) -> list[Path]:
    """Write one page per public module into ``out`` (removing stale pages first)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    stale = out.parent / "generated"
    if stale.exists():
        shutil.rmtree(stale)
    written = []
    for name, entry in api_layout(package, on_problem=on_problem).items():
        path = out / f"{name}.rst"
        path.write_text(module_page(entry), encoding="utf-8")
        written.append(path)
    return written


# --------------------------------------------------------------------------- embedded tables
def _md_cell(value) -> str:
    text = f"{value:,.6g}" if isinstance(value, float) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(frame, *, index: str) -> list[str]:
    header = [index, *map(str, frame.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, row in frame.iterrows():
        lines.append("| " + " | ".join([_md_cell(key), *(_md_cell(v) for v in row.tolist())]) + " |")
    return lines


def table_page(name: str, out: Path = TABLES_OUT) -> str:
    """The MyST page of one embedded table: its listing, key figures, sectors and provenance."""
    from xn_io.datasets import list_tables, load_table, table_path

    info = list_tables().loc[name]
    table = load_table(name)
    folder = table_path(name)
    lines = [f"({'table-' + name})=", f"# `{name}`", "", str(info["description"]), ""]
    lines += [
        f"Load it with `xn_io.load_table({name!r})`. Year {info['year']}, {info['sectors']} sectors, "
        f"money in {info['unit']}; status of its figures: **{info['status'] or 'see below'}**.",
        "",
        "## Key figures",
        "",
        "Computed from the shipped files when this page was built.",
        "",
    ]
    lines += _md_table(table.summary(), index="indicator")
    lines += ["", "## Sectors", ""]
    sectors = table.sector_info
    cols = [c for c in ("name_en", "name_zh") if c in sectors.columns]
    lines += _md_table(sectors[cols], index="sector")
    provenance = folder / "PROVENANCE.md"
    if provenance.is_file():
        rel = Path(os.path.relpath(provenance.resolve(), out.resolve()))
        lines += ["", "```{include} " + rel.as_posix(), ":heading-offset: 1", "```"]
    return "\n".join(lines) + "\n"


def write_table_pages(out: Path = TABLES_OUT) -> list[Path]:
    """Write one page per embedded table into ``out`` (emptied first)."""
    from xn_io.datasets import list_tables

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written = []
    for name in list_tables().index:
        path = out / f"{name}.md"
        path.write_text(table_page(name, out), encoding="utf-8")
        written.append(path)
    return written


# --------------------------------------------------------------------------- the plan's targets
_UNITS = {
    "100m_yuan": "亿元",
    "10k_yuan": "万元",
    "10k_tce": "万吨标准煤",
    "10k_kW": "万kW",
    "10k_tonnes_per_year": "万吨/年",
    "100m_jin": "亿斤",
    "percent": "%",
    "percent_per_year": "%/yr",
    "percentage_points": "pp",
    "microgram_per_m3": "µg/m³",
}


def targets_markdown(path: Path = TARGETS_CSV) -> str:
    """The plan's figures (``targets.csv``) as a Markdown table, in the file's order."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)

    def figure(year: str, value: str) -> str:
        return f"{value} ({year})" if value and year else value or "—"

    rows = pd.DataFrame(
        {
            "indicator": frame["indicator_en"] + " · " + frame["indicator_zh"],
            "unit": frame["unit"].map(lambda u: _UNITS.get(u, u)),
            "base": [figure(y, v) for y, v in zip(frame["base_year"], frame["base_value"])],
            "target": [figure(y, v) for y, v in zip(frame["target_year"], frame["target_value"])],
            "kind": frame["target_kind"],
            "binding": frame["binding"],
            "where in the plan": frame["where_in_plan"],
            "note": frame["note"],
        }
    ).set_index(frame["id"].map(lambda i: f"`{i}`"))
    return "\n".join(_md_table(rows, index="id")) + "\n"


_RESULTS = re.compile(r"<!-- (results(?:-[\w-]+)?):start -->(.*?)<!-- \1:end -->", re.S)
_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def benchmark_results_markdown(readme: Path = BENCH_README, out: Path = GENERATED) -> str:
    """The latest results sections of the benchmarks' README, for the docs.

    Every block between ``<!-- results:start -->`` / ``<!-- results-<tag>:start -->``
    and its end marker is included, in the README's order. Images it shows are
    copied into ``out`` (and referred to by file name there); links to other files of the repository become their text, since the site does
    not carry those files.
    """
    blocks = _RESULTS.findall(readme.read_text(encoding="utf-8")) if readme.is_file() else []
    if not blocks:
        return "No benchmark results are committed yet; `python -m benchmarks --quick` makes some.\n"

    def relink(m: re.Match) -> str:
        bang, text, target = m.groups()
        if "://" in target or target.startswith("#"):
            return m.group(0)
        if bang:
            src = (readme.parent / target).resolve()
            if not src.is_file():
                return f"*(the chart {target} is missing from the repository)*"
            shutil.copyfile(src, out / src.name)
            return f"![{text}]({src.name})"
        return text

    return "\n\n---\n\n".join(_LINK.sub(relink, body).strip() for _, body in blocks) + "\n"


def write_generated() -> None:
    """Write the fragments that pages include (``docs/_generated/``, emptied first)."""
    if GENERATED.exists():
        shutil.rmtree(GENERATED)
    GENERATED.mkdir()
    (GENERATED / "plan_targets.md").write_text(targets_markdown(), encoding="utf-8")
    (GENERATED / "benchmark_results.md").write_text(benchmark_results_markdown(), encoding="utf-8")


# --------------------------------------------------------------------------- gallery
_DOCSTRING = re.compile(r'^\s*(?:#![^\n]*\n)?(?:#[^\n]*coding[^\n]*\n)?\s*[rRuU]?("""|\'\'\')')


def _width(text: str) -> int:
    """Display width as docutils counts it: wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def gallery_source(text: str, name: str) -> str:
    """A script as sphinx-gallery wants it: opening with a docstring whose first line is a title.

    A script that already opens with a docstring is kept as it is (its first
    line is underlined if it is not already a reStructuredText title). A script
    that opens with ``#`` comments gets them as its docstring.
    """
    lines = text.splitlines()
    start = 0
    shebang = []
    while start < len(lines) and (
        lines[start].startswith("#!") or "coding" in lines[start] and lines[start].startswith("#")
    ):
        shebang.append(lines[start])
        start += 1
    if _DOCSTRING.match("\n".join(lines[start:])):
        body = "\n".join(lines[start:])
        quote = body.lstrip()[:3] if body.lstrip()[:3] in ('"""', "'''") else body.lstrip()[1:4]
        head, _, rest = body.partition(quote)
        doc, _, tail = rest.partition(quote)
        doc_lines = doc.strip("\n").splitlines()
        if len(doc_lines) >= 2 and set(doc_lines[1].strip()) <= set("=-~^") and doc_lines[1].strip():
            return text
        title = doc_lines[0].strip().rstrip(".") if doc_lines else name
        new_doc = "\n".join([title, "=" * _width(title), "", *doc_lines[1:]]).rstrip() + "\n"
        return "\n".join(shebang + [head + quote + new_doc + quote + tail])
    comments = []
    i = start
    while i < len(lines) and (lines[i].startswith("#") or not lines[i].strip()):
        if not lines[i].strip() and comments and comments[-1] == "":
            i += 1
            continue
        comments.append(lines[i].lstrip("#")[1:] if lines[i].startswith("# ") else lines[i].lstrip("#"))
        i += 1
    comments = [c.rstrip() for c in comments]
    while comments and not comments[-1]:
        comments.pop()
    title = comments[0].strip().rstrip(".") if comments else name
    rest = comments[1:]
    while rest and not rest[0]:
        rest.pop(0)
    doc = [title, "=" * _width(title), "", *rest]
    doc_text = "\n".join(doc).replace('"""', "'''")
    return "\n".join(shebang + ['"""', doc_text, '"""', *lines[i:]]) + "\n"


def stage_gallery(src: Path = ROOT / "examples", out: Path = GALLERY_SRC, scripts=GALLERY_SCRIPTS) -> list[Path]:
    """Copy the gallery's scripts from ``src`` to ``out`` (emptied first), in gallery form."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _SHOWN.clear()
    (out / "GALLERY_HEADER.rst").write_text(GALLERY_HEADER, encoding="utf-8")
    staged = []
    docstrings: dict[str, str | None] = {}
    for name in scripts:
        path = src / name
        if not path.is_file():
            continue
        target = out / name
        text = path.read_text(encoding="utf-8")
        target.write_text(gallery_source(text, path.stem), encoding="utf-8")
        docstrings[name] = ast.get_docstring(ast.parse(text), clean=False)
        staged.append(target)
    (out / DOCSTRINGS).write_text(json.dumps(docstrings, ensure_ascii=False, indent=1), encoding="utf-8")
    for extra in ("scenarios",):
        if (src / extra).is_dir():
            shutil.copytree(src / extra, out / extra)
    return staged


# --------------------------------------------------------------------------- Sphinx hooks
def reset_argv(gallery_conf, script_vars) -> list[str]:
    """Command-line arguments of a gallery script: ``--quick`` and ``--charts DIR`` where the script has them.

    sphinx-gallery calls this just before it runs a script, with the script's globals
    made; it is also where the script gets ``__file__`` (the staged copy, beside the
    staged ``scenarios/``), which sphinx-gallery leaves undefined but the examples use
    to find their data, as scripts run with ``python examples/<name>.py`` may, and
    ``__doc__`` (their original docstring; sphinx-gallery blanks it).
    """
    src_file = Path(script_vars["src_file"])
    example_globals = script_vars.get("example_globals")
    if example_globals is not None:
        example_globals["__file__"] = str(src_file)
        sidecar = src_file.parent / DOCSTRINGS
        if sidecar.is_file():
            example_globals["__doc__"] = json.loads(sidecar.read_text(encoding="utf-8")).get(src_file.name)
    # sphinx-gallery lets SystemExit through, which would end the whole build with status 0
    # and no pages: while a script runs, exit(0) returns and exit(n ≠ 0) fails the example.
    sys.exit = _example_exit
    src = src_file.read_text(encoding="utf-8")
    argv = ["--quick"] if "--quick" in src else []
    if "--charts" in src:  # a script that draws only when asked where to save
        argv += ["--charts", f"{src_file.stem}_charts"]
    return argv


_REAL_EXIT = sys.exit
_SHOWN: set[Path] = set()


def png_scraper(block, block_vars, gallery_conf) -> str:
    """sphinx-gallery image scraper for the charts a script *writes* (reports, chain drawings).

    The examples save their charts as PNG files in the folders they write, and close
    the figures, so matplotlib's scraper sees nothing. After each code block this
    scraper shows every PNG that has appeared since under the staged examples' folder
    (where the scripts run), in the order of their paths.
    """
    from sphinx_gallery.scrapers import figure_rst

    root = Path(block_vars["src_file"]).parent
    new = sorted(p for p in root.rglob("*.png") if p not in _SHOWN)
    _SHOWN.update(new)
    shown = []
    for png, dest in zip(new, block_vars["image_path_iterator"]):
        shutil.copyfile(png, dest)
        shown.append(dest)
    return figure_rst(shown, gallery_conf["src_dir"])


def _example_exit(status=None) -> None:
    """``sys.exit`` while a gallery script runs: success returns, failure raises."""
    if status in (None, 0):
        return
    raise RuntimeError(f"the example exited with status {status!r}")


def restore_exit(gallery_conf, fname, when) -> None:
    """sphinx-gallery ``reset_modules`` hook: give ``sys.exit`` back after each script."""
    sys.exit = _REAL_EXIT


def _on_config_inited(app, config) -> None:
    from sphinx.util import logging

    logger = logging.getLogger("xn_docs")
    # The generated pages are rewritten on every build, so a saved environment saves little,
    # and a stale one hides newly generated pages from autosummary: always start afresh.
    (Path(app.doctreedir) / "environment.pickle").unlink(missing_ok=True)
    write_api_pages(on_problem=lambda message: logger.warning(message, type="xn_docs", subtype="api"))
    write_table_pages()
    write_generated()
    # The gallery's pages are regenerated from the staged scripts on every build.
    shutil.rmtree(DOCS / "gallery", ignore_errors=True)
    # XN_DOCS_EXAMPLES points the gallery at another folder of scripts (to try the pipeline).
    stage_gallery(Path(os.environ.get("XN_DOCS_EXAMPLES", ROOT / "examples")))


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("config-inited", _on_config_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
