"""A dict that cannot be edited in place: the mapping fields of frozen dataclasses.

``FrozenDict`` is a ``dict`` (so ``isinstance(d, dict)``, ``json``, TOML writers and pandas
treat it as one) whose mutating methods raise ``TypeError``; it pickles and copies as
itself. ``d | other`` returns a plain ``dict``.

Examples
--------
>>> d = FrozenDict({2026: 500.0})
>>> d[2026]
500.0
>>> d[1999] = -5
Traceback (most recent call last):
...
TypeError: this mapping is read-only; make a new one (e.g. scenario.replace(field={...}))
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["FrozenDict"]


class FrozenDict(dict):
    """A read-only ``dict`` (see the module docstring)."""

    __slots__ = ()

    def _readonly(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("this mapping is read-only; make a new one (e.g. scenario.replace(field={...}))")

    __setitem__ = __delitem__ = __ior__ = _readonly
    clear = pop = popitem = setdefault = update = _readonly

    def __reduce__(self):
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict) -> FrozenDict:
        import copy

        return type(self)({copy.deepcopy(k, memo): copy.deepcopy(v, memo) for k, v in self.items()})

    def __or__(self, other: Any) -> dict:
        return {**self, **other}

    def __repr__(self) -> str:
        return dict.__repr__(self)
