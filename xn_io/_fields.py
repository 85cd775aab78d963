"""Typed checks of dataclass fields, driven by their annotations.

:func:`check_fields` walks every field of a dataclass instance and checks its
value against the field's type hint, recursively inside tables and lists:
``float`` means a finite real number (not a boolean, not a string, not NaN or
infinity), ``int`` an integer, ``bool`` a true boolean (the TOML string
``"false"`` is an error), ``dict[K, V]`` a table whose keys are ``K`` and
values ``V``, ``list[T]`` a list of ``T``, ``X | None`` either. A bare ``dict``
or ``list`` takes the kind of its default's entries, and otherwise accepts
numbers, strings and booleans, never a NaN, an infinity or deep nesting. A
new field is therefore checked as soon as it is declared with its type.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from .errors import ScenarioError, XnIOError

__all__ = ["check_fields", "check_value"]

_MAX_DEPTH = 8


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        parts = [_describe(a) for a in typing.get_args(hint) if a is not type(None)]
        return " or ".join(parts) + " (or left out)"
    if hint is bool:
        return "true or false"
    if hint is int:
        return "an integer"
    if hint is float:
        return "a finite number"
    if hint is str:
        return "a string"
    if origin is dict or hint is dict:
        return "a table"
    if origin is list or hint is list:
        return "a list"
    return str(hint)


def _error(error: type[XnIOError], message: str, key: str) -> XnIOError:
    # a key read from a user's file may hold control characters: keep the message on one line
    message = message.replace("\r", "\\r").replace("\n", "\\n")
    return error(message, field=key) if issubclass(error, ScenarioError) else error(message)


def _join(key: str, k: Any) -> str:
    """The dotted path of entry ``k`` of ``key``; a key that is not a plain printable name is shown by repr."""
    plain = isinstance(k, int) or (isinstance(k, str) and k.isprintable() and k.strip() == k and k != "")
    return f"{key}.{k}" if plain else f"{key}[{k!r}]"


def _fail(key: str, expected: str, value: Any, error: type[XnIOError] = ScenarioError) -> XnIOError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return _error(error, f"{key} must be {expected}, got {shown}", key)


def _plain(value: Any, key: str, depth: int, error: type[XnIOError] = ScenarioError) -> None:
    """Untyped content: numbers finite, nesting bounded."""
    if depth > _MAX_DEPTH:
        raise _error(error, f"{key}: nested more than {_MAX_DEPTH} levels deep", key)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise _fail(key, "a finite number", value, error)
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            _plain(v, _join(key, k), depth + 1, error)
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _plain(v, f"{key}[{i}]", depth + 1, error)
        return
    raise _fail(key, "a number, string, boolean, table or list", value, error)


def _entry_hint(default: Any) -> Any:
    """The type of a bare container's entries, from its default's entries (None when unknown)."""
    entries = list(default.values()) if isinstance(default, Mapping) else list(default or [])
    kinds = {
        bool if isinstance(e, bool) else float if isinstance(e, (int, float)) else str if isinstance(e, str) else None
        for e in entries
    }
    return kinds.pop() if len(kinds) == 1 and None not in kinds else None


def check_value(
    value: Any, hint: Any, key: str, *, default: Any = None, depth: int = 0, error: type[XnIOError] = ScenarioError
) -> None:
    """Check ``value`` against the type hint ``hint``; raise ``error`` (default :class:`ScenarioError`) naming ``key``.

    Examples
    --------
    >>> check_value({"budget": 1.2}, dict[str, float], "family_scale")
    >>> check_value({"carbon_peak": "false"}, dict[str, bool], "families")
    Traceback (most recent call last):
    ...
    xn_io.errors.ScenarioError: families.carbon_peak must be true or false, got 'false'
    >>> check_value(float("nan"), float, "discount_rate")
    Traceback (most recent call last):
    ...
    xn_io.errors.ScenarioError: discount_rate must be a finite number, got nan
    """
    if depth > _MAX_DEPTH:
        raise _error(error, f"{key}: nested more than {_MAX_DEPTH} levels deep", key)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return
        options = [a for a in args if a is not type(None)]
        first: XnIOError | None = None
        for option in options:
            try:
                check_value(value, option, key, default=default, depth=depth, error=error)
                return
            except XnIOError as exc:
                first = first or exc
        if len(options) == 1 and first is not None:
            raise first
        raise _fail(key, _describe(hint), value, error)
    if hint is Any:
        _plain(value, key, depth, error)
    elif hint is bool:
        if not isinstance(value, bool):
            raise _fail(key, "true or false", value, error)
    elif hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(key, "an integer", value, error)
    elif hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _fail(key, "a finite number", value, error)
    elif hint is str:
        if not isinstance(value, str):
            raise _fail(key, "a string", value, error)
    elif origin is dict or hint is dict:
        if not isinstance(value, Mapping):
            raise _fail(key, "a table", value, error)
        key_hint, value_hint = args if args else (None, _entry_hint(default))
        for k, v in value.items():
            if key_hint is int and (isinstance(k, bool) or not isinstance(k, int)):
                raise _error(error, f"{key} has key {k!r}; expected a year (an integer)", f"{key}.{k}")
            if key_hint is str and not isinstance(k, str):
                raise _error(error, f"{key} has key {k!r}; expected a name (a string)", f"{key}.{k}")
            if value_hint is None:
                _plain(v, _join(key, k), depth + 1, error)
            else:
                check_value(v, value_hint, _join(key, k), depth=depth + 1, error=error)
    elif origin is list or hint is list:
        if not isinstance(value, (list, tuple)):
            raise _fail(key, "a list", value, error)
        item_hint = args[0] if args else _entry_hint(default)
        for i, v in enumerate(value):
            if item_hint is None:
                _plain(v, f"{key}[{i}]", depth + 1, error)
            else:
                check_value(v, item_hint, f"{key}[{i}]", depth=depth + 1, error=error)
    else:
        _plain(value, key, depth, error)


def check_fields(obj: Any, key_of: Callable[[str], str] = str) -> None:
    """Check every field of the dataclass instance ``obj`` against its annotation.

    ``key_of`` maps a field name to the name shown in messages (e.g. its
    dotted TOML key).

    Raises
    ------
    ScenarioError
        Naming the first field (and entry) that does not have its type.
    """
    hints = typing.get_type_hints(type(obj))
    for f in dataclasses.fields(obj):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if default is dataclasses.MISSING:
            default = None
        check_value(getattr(obj, f.name), hints.get(f.name, Any), key_of(f.name), default=default)
