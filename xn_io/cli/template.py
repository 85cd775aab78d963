"""A commented scenario file to start from: every field, its default and what it means.

The comments are taken from the ``Attributes`` section of
:class:`xn_io.optimize.Scenario`'s docstring, the values from ``Scenario()``,
so the template always matches the scenario the code reads. Fields without a
default (``None``) are written commented out.

Examples
--------
>>> from xn_io.optimize import Scenario
>>> import tomllib
>>> text = commented_scenario(Scenario())
>>> Scenario.from_dict(tomllib.loads(text)) == Scenario()
True
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

__all__ = ["field_docs", "commented_scenario"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def field_docs(cls: type) -> dict[str, str]:
    """Field descriptions from the numpydoc ``Attributes`` section of ``cls``'s docstring."""
    doc = inspect.getdoc(cls) or ""
    lines = doc.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "Attributes") + 2
    except StopIteration:
        return {}
    out: dict[str, str] = {}
    names: list[str] = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            if re.match(r"^-{3,}$", line.strip()) or not re.search(r" : |^\w+$", line):
                break
            names = [n.strip() for n in line.split(" : ")[0].split(",")]
            type_ = line.split(" : ", 1)[1].strip() if " : " in line else ""
            for n in names:
                out[n] = f"({type_})" if type_ else ""
        elif line.strip() and names:
            for n in names:
                out[n] = (out[n] + " " + line.strip()).strip()
    return out


def _key(k: Any) -> str:
    k = str(k)
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }" if v else "{}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _plain_rst(text: str) -> str:
    text = re.sub(r":\w+:`~?([^`]+)`", r"\1", text)
    return text.replace("``", "")


def _comment(text: str, width: int = 92) -> list[str]:
    text = _plain_rst(text)
    return ["# " + ln for ln in textwrap.wrap(text, width=width)] if text else []


def commented_scenario(scenario: Any, *, header: str = "") -> str:
    """TOML text of ``scenario`` with a comment above every field.

    Parameters
    ----------
    scenario : xn_io.optimize.Scenario
    header : str
        Lines of comment to open the file with.

    Returns
    -------
    str
        TOML that :meth:`Scenario.from_toml` reads back to an equal scenario.
    """
    cls = type(scenario)
    docs = field_docs(cls)
    layout = scenario.to_dict()
    # where would the unset (None) fields go? ask to_dict with a placeholder value
    unset: dict[str, str] = {}
    for f in dataclasses.fields(cls):
        if getattr(scenario, f.name) is None:
            try:
                probe = dataclasses.replace(scenario, **{f.name: 0.5}).to_dict()
            except Exception:
                probe = {}
            section = next((k for k, v in probe.items() if isinstance(v, Mapping) and f.name in v), "")
            unset[f.name] = section
    out = _comment(header) if header else []
    if out:
        out.append("")

    def emit(name: str, value: Any) -> None:
        out.extend(_comment(f"{name} {docs.get(name, '')}".strip()))
        out.append(f"{_key(name)} = {_value(value)}")
        out.append("")

    def emit_unset(section: str) -> None:
        for name, sec in unset.items():
            if sec == section:
                out.extend(_comment(f"{name} {docs.get(name, '')}".strip()))
                out.append(f"# {name} =   (unset: remove the '#' and give a value to set it)")
                out.append("")

    sections = {k: v for k, v in layout.items() if isinstance(v, Mapping) and k not in docs}
    for name, value in layout.items():
        if name not in sections:
            emit(name, value)
    emit_unset("")
    for section, fields in sections.items():
        out.append(f"[{section}]")
        out.append("")
        for name, value in fields.items():
            emit(name, value)
        emit_unset(section)
    return "\n".join(out).rstrip() + "\n"
