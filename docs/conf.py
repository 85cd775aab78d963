"""Sphinx configuration of the xn_io documentation.

Build (offline, warnings as errors)::

    pip install ".[docs]"
    sphinx-build -W --keep-going -b html docs docs/_build/html
    sphinx-build -W --keep-going -b doctest docs docs/_build/doctest -D plot_gallery=0

The API reference (``api/modules/``, ``api/generated/``) and the gallery
(``gallery/``) are generated at build time from the package and from
``examples/``; none of them is edited by hand.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Document the source tree next to this file (the installed package is the same code).
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))
os.environ.setdefault("MPLBACKEND", "Agg")

import xn_io  # noqa: E402

project = "xn_io"
author = "xn_io developers"
copyright = "2026, xn_io developers"
version = release = xn_io.__version__

extensions = [
    "xn_docs",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_gallery_src",
    "_generated",  # fragments included by the pages
    "_ext",
    "dev",  # the developers' internal contract is not part of the site
    "gallery/*.ipynb",
    "gallery/*.py",
    "gallery/*.zip",
    "gallery/*.md5",
    "gallery/*.json",
    "sg_execution_times.rst",
]
language = "en"
today_fmt = "%Y-%m-%d"

# --------------------------------------------------------------------------- MyST
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "attrs_block"]
myst_heading_anchors = 3

# --------------------------------------------------------------------------- autodoc / numpydoc
autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # the numpydoc sections carry the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# --------------------------------------------------------------------------- doctest
# Only the explicit ``doctest``/``testcode`` blocks of the pages are run here; the
# docstrings' examples are run by pytest (``--doctest-modules``).
doctest_test_doctest_blocks = ""
doctest_global_setup = """
import numpy as np
import pandas as pd
import xn_io
try:
    import pymrio
except ImportError:
    pymrio = None
try:
    import distributed
except ImportError:
    distributed = None
pd.set_option("display.width", 100)
"""
doctest_default_flags = (
    __import__("doctest").ELLIPSIS
    | __import__("doctest").NORMALIZE_WHITESPACE
    | __import__("doctest").DONT_ACCEPT_TRUE_FOR_1
)

# --------------------------------------------------------------------------- gallery
sphinx_gallery_conf = {
    "examples_dirs": str(DOCS / "_gallery_src"),
    "gallery_dirs": str(DOCS / "gallery"),
    "filename_pattern": r".*\.py$",  # every staged script is run (the list is in _ext/xn_docs.py)
    "ignore_pattern": r"__init__\.py|^_",
    "reset_argv": "xn_docs.reset_argv",  # --quick where a script has it; __file__, __doc__
    "reset_modules": ("matplotlib", "xn_docs.restore_exit"),
    "reset_modules_order": "both",
    "download_all_examples": False,
    "remove_config_comments": True,
    "plot_gallery": "True",
    "image_scrapers": ("matplotlib", "xn_docs.png_scraper"),  # open figures, and the PNGs a script writes
    "matplotlib_animations": False,
    "show_memory": False,
    "line_numbers": False,
    "min_reported_time": 1,
    "write_computation_times": False,
    "within_subsection_order": "FileNameSortKey",
}

# --------------------------------------------------------------------------- HTML
html_theme = "pydata_sphinx_theme"
html_title = f"xn_io {release}"
html_static_path = ["_static"]
html_css_files = ["xn_io.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {"default_mode": "light"}
html_last_updated_fmt = None


def _local_mathjax() -> Path | None:
    """MathJax 3 as shipped by the ``django-static-mathjax`` wheel (a docs extra), if installed."""
    spec = importlib.util.find_spec("mathjax")
    for location in (spec.submodule_search_locations or []) if spec else []:
        script = Path(location) / "static" / "mathjax" / "es5" / "tex-svg-full.js"
        if script.is_file():
            return script
    return None


# Formulas render offline: MathJax (SVG output, fonts inside the script) is copied into the
# site's _static folder. Without the package the site falls back to MathJax's CDN.
_mathjax = _local_mathjax()
if _mathjax is not None:
    html_static_path.append(str(_mathjax))
    mathjax_path = _mathjax.name

# No intersphinx: the build must not touch the network.
smartquotes_action = "qe"  # keep "--option" as typed (no en dashes)
