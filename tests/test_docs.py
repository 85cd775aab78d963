"""The documentation's own machinery (docs/_ext/xn_docs.py) and the rules of its pages.

The site itself is built by ``sphinx-build`` (see the README's Documentation section);
these tests need no Sphinx: they check that the generated API reference covers every
public name exactly once, that the gallery staging turns scripts into what
sphinx-gallery reads without changing what they do, and that every code block on a
page is one that the doctest builder runs.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import xn_docs  # noqa: E402


@pytest.fixture(scope="module")
def layout():
    return xn_docs.api_layout()


# --------------------------------------------------------------------------- API reference
def test_every_public_module_has_a_page(layout):
    modules = set(layout)
    assert "xn_io" in modules
    for name in ("xn_io.table", "xn_io.leontief", "xn_io.io", "xn_io.datasets", "xn_io.errors"):
        assert name in modules
    assert not [m for m in modules if any(part.startswith("_") for part in m.split(".")[1:])]


def test_every_public_name_is_documented_exactly_once(layout):
    documented = {f"{mod}.{name}" for mod, entry in layout.items() for name in entry.own}
    # one page per object: no object documented under two names
    objects = {}
    for full in documented:
        mod, _, name = full.rpartition(".")
        obj = getattr(importlib.import_module(mod), name)
        key = (id(obj), name)
        assert key not in objects, f"{full} and {objects[key]} document the same object"
        objects[key] = full
    # every name of every public __all__ is either documented in that module or links to its page
    for mod, entry in layout.items():
        module = importlib.import_module(mod)
        for name in module.__all__:
            if name.startswith("__"):
                continue
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType):
                assert obj.__name__ in entry.submodules
                continue
            links = [f for f in entry.reexported if f.rsplit(".", 1)[1] == name]
            assert name in entry.own or links, f"{mod}.{name} is on no page"
            for full in links:
                assert full in documented, f"{mod}.{name} links to {full}, which has no page"


def test_objects_live_in_their_home_module(layout):
    assert "IOTable" in layout["xn_io.table"].own
    assert "factorize" in layout["xn_io.leontief"].own
    assert "DEFAULT_TABLE" in layout["xn_io.datasets"].own
    assert "xn_io.table.IOTable" in layout["xn_io"].reexported
    assert "IOTable" not in layout["xn_io"].own


def test_module_page_lists_every_name(layout):
    page = xn_docs.module_page(layout["xn_io.leontief"])
    for name in importlib.import_module("xn_io.leontief").__all__:
        assert re.search(rf"^   ~?(xn_io\.\w+\.)?{name}$", page, re.M), name
    assert page.startswith(".. _api-xn_io.leontief:")


def test_a_missing_name_in_all_is_an_error(monkeypatch):
    import xn_io.datasets as datasets

    monkeypatch.setattr(datasets, "__all__", [*datasets.__all__, "no_such_function"])
    with pytest.raises(RuntimeError, match="no_such_function"):
        xn_docs.api_layout()


# --------------------------------------------------------------------------- gallery staging
def _body(source: str) -> list[str]:
    """The statements of a script after its docstring, as AST dumps."""
    tree = ast.parse(source)
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return [ast.dump(node) for node in body]


def _docstring_title(source: str) -> tuple[str, str]:
    doc = ast.get_docstring(ast.parse(source), clean=True)
    first, underline = doc.splitlines()[:2]
    return first, underline


def test_gallery_source_turns_leading_comments_into_a_titled_docstring():
    script = "#!/usr/bin/env python\n# Plan 2026-2030 on the embedded table.\n#\n# Prints the plan.\nimport math\nprint(math.pi)\n"
    out = xn_docs.gallery_source(script, "plan")
    title, underline = _docstring_title(out)
    assert title == "Plan 2026-2030 on the embedded table"
    assert underline == "=" * len(title)
    assert "Prints the plan." in ast.get_docstring(ast.parse(out))
    assert _body(out) == _body(script)
    assert out.startswith("#!/usr/bin/env python\n")


def test_gallery_source_underlines_a_plain_docstring_and_keeps_a_titled_one():
    plain = '"""Carbon frontier.\n\nThe trade-off.\n"""\nx = 1\n'
    out = xn_docs.gallery_source(plain, "frontier")
    assert _docstring_title(out) == ("Carbon frontier", "=" * len("Carbon frontier"))
    assert _body(out) == _body(plain)
    titled = '"""\nCarbon frontier\n===============\n\nThe trade-off.\n"""\nx = 1\n'
    assert xn_docs.gallery_source(titled, "frontier") == titled


def test_stage_gallery_copies_only_the_listed_scripts(tmp_path):
    src = tmp_path / "examples"
    (src / "scenarios").mkdir(parents=True)
    (src / "scenarios" / "baseline.toml").write_text("name = 'baseline'\n")
    (src / "plan_2026_2030.py").write_text("# Plan\nprint(1)\n")
    (src / "scratch.py").write_text("# not in the gallery\n")
    out = tmp_path / "staged"
    staged = xn_docs.stage_gallery(src, out, scripts=("plan_2026_2030.py", "missing.py"))
    assert [p.name for p in staged] == ["plan_2026_2030.py"]
    assert sorted(p.name for p in out.iterdir()) == [
        "GALLERY_HEADER.rst",
        "_docstrings.json",
        "plan_2026_2030.py",
        "scenarios",
    ]
    assert (out / "scenarios" / "baseline.toml").is_file()


# --------------------------------------------------------------------------- page rules
RUN = {"{doctest}", "{testcode}", "{testoutput}", "{testsetup}", "{testcleanup}"}
NOT_CODE = {
    "bash",
    "console",
    "toml",
    "text",
    "csv",
    "{toctree}",
    "{include}",
    "{math}",
    "{note}",
    "{warning}",
    "{seealso}",
    "{eval-rst}",
}


def _pages():
    generated = {"_build", "dev", "gallery", "_gallery_src", "_generated", "tables"}
    return [p for p in DOCS.rglob("*.md") if not generated & set(p.relative_to(DOCS).parts)]


def test_every_python_snippet_on_a_page_runs_as_a_doctest():
    fences = re.compile(r"^(`{3,}|:{3,})[ \t]*(\S*)", re.M)
    for page in _pages():
        for match in fences.finditer(page.read_text(encoding="utf-8")):
            kind = match.group(2)
            if not kind:
                continue  # a closing fence
            assert kind in RUN | NOT_CODE, (
                f"{page.relative_to(ROOT)}: a ```{kind} block is not run by the doctest builder"
            )


def test_the_site_has_its_pages():
    for page in ("index.md", "getting_started.md", "user_guide/index.md", "api/index.md", "changelog.md"):
        assert (DOCS / page).is_file(), page


def test_gallery_title_underline_counts_wide_characters():
    out = xn_docs.gallery_source('"""Chains of 咸宁.\n\nText.\n"""\nx = 1\n', "chains")
    title, underline = _docstring_title(out)
    assert title == "Chains of 咸宁"
    assert len(underline) == len("Chains of ") + 4


def test_a_gallery_script_exit_status_is_kept_without_ending_the_build():
    staged = Path(xn_docs.__file__)  # any existing file stands in for the script
    real = sys.exit
    try:
        xn_docs.reset_argv({}, {"src_file": str(staged), "example_globals": {}})
        assert sys.exit(0) is None and sys.exit() is None
        with pytest.raises(RuntimeError, match="status 3"):
            sys.exit(3)
    finally:
        xn_docs.restore_exit({}, None, "after")
    assert sys.exit is real


def test_benchmark_results_section_is_taken_with_its_chart(tmp_path):
    bench = tmp_path / "benchmarks"
    (bench / "results").mkdir(parents=True)
    (bench / "results" / "scaling.png").write_bytes(b"\x89PNG")
    readme = bench / "README.md"
    readme.write_text(
        "# Benchmarks\n\nintro [`data/`](data/PROVENANCE.md)\n\n<!-- results:start -->\n"
        "Raw numbers in [`results/r.json`](results/r.json).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "![median time against n](results/scaling.png)\n<!-- results:end -->\n",
        encoding="utf-8",
    )
    out = tmp_path / "generated"
    out.mkdir()
    text = xn_docs.benchmark_results_markdown(readme, out)
    assert "intro" not in text
    assert "Raw numbers in `results/r.json`." in text
    assert "![median time against n](scaling.png)" in text
    assert (out / "scaling.png").read_bytes() == b"\x89PNG"
    assert "No benchmark results" in xn_docs.benchmark_results_markdown(tmp_path / "none.md", out)
    # a tagged run's block (python -m benchmarks --tag x) follows the main one
    readme.write_text(readme.read_text() + "\nbetween\n<!-- results-x:start -->\nTagged run.\n<!-- results-x:end -->\n")
    text = xn_docs.benchmark_results_markdown(readme, out)
    assert text.index("| 1 | 2 |") < text.index("Tagged run.") and "between" not in text
