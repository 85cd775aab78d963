"""Units carried with results as data: a ``<measure>_unit`` column per measure (internal).

``DataFrame.attrs`` is dropped by many pandas operations (``pd.concat`` of
frames with different attrs, ``merge``, a CSV round trip), so every result
frame that holds measures in several units also holds each measure's unit in
a string column next to the numbers; ``.attrs["units"]`` keeps the same
mapping for convenience.

Examples
--------
>>> import pandas as pd
>>> frame = with_unit_columns(pd.DataFrame({"output": [1.0], "co2": [2.0]}), {"output": "亿元", "co2": "万吨"})
>>> frame.columns.tolist(), frame.loc[0, "co2_unit"]
(['output', 'co2', 'output_unit', 'co2_unit'], '万吨')
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["with_unit_columns"]


def with_unit_columns(frame: pd.DataFrame, units: Mapping[str, str]) -> pd.DataFrame:
    """Append a ``<measure>_unit`` column for each measure of ``units`` (in place) and return ``frame``."""
    for measure, unit in units.items():
        frame[f"{measure}_unit"] = str(unit)
    frame.attrs["units"] = {str(k): str(v) for k, v in units.items()}
    return frame
