"""Once a sheet's header is known: cells that would import wrongly without a word are fixed or refused.

- A value merged down over several data rows (a provider code merged beside a block of episodes)
  is what Excel shows on each of those rows, so each row gets it.
- A formula cell Excel saved no result for would read as blank: refused, naming the column.
- Two columns feeding one canonical column (``Referral Date`` and ``REFLD``) are harmless when they
  agree; when they differ, which one is right cannot be guessed: refused, naming the row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from app.errors import InputError
from app.extracts.mapping import known_header
from app.extracts.profiles import MappingProfile
from app.extracts.readers import Grid
from app.extracts.xlsxparts import col_letters


def fill_merged_down(grid: Grid, header: int) -> None:
    """Give every data row of a merged range in one column the value of its top cell (in place)."""
    frame = grid.frame
    for r1, c1, r2, c2 in grid.merges:
        if c1 != c2 or r2 <= r1 or r1 <= header or not 0 <= c1 < frame.shape[1] or r1 >= len(frame):
            continue
        top = frame.iat[r1, c1]
        if isinstance(top, str):
            frame.iloc[r1 + 1:min(r2, len(frame) - 1) + 1, c1] = top


def refuse_uncached(grid: Grid, header: int, positions: dict[int, str], cells: Sequence[object], *,
                    name: str) -> None:
    """InputError when a mapped column holds, below the header, a formula with no saved result."""
    header_row = grid.first_row + header
    for col, rows in sorted(grid.uncached.items()):
        below = [r for r in rows if r > header_row]
        if not below or col not in positions:
            continue
        label = _label(cells, col, grid.first_col)
        raise InputError(f"column {label} holds formulas with no saved results ({len(below)} cell(s)), so their "
                         "values cannot be read; the file was written by a program that does not calculate. "
                         "Open it in Excel, let it calculate, and save again (or paste the column as values)",
                         file=name, sheet=grid.sheet, row=min(below), column=positions[col])


def _label(cells: Sequence[object], col: int, first_col: int) -> str:
    letter = col_letters(col + first_col)
    text = cells[col] if 0 <= col < len(cells) and isinstance(cells[col], str) else None
    return f"{letter} ({text.strip()!r})" if text else letter


def refuse_conflicting_duplicates(grid: Grid, body: pd.DataFrame, positions: dict[int, str],
                                  cells: Sequence[object], *, name: str, profile: MappingProfile | None) -> None:
    """InputError when a second column naming an imported canonical column holds different values."""
    used = {target: pos for pos, target in positions.items()}
    for pos, cell in enumerate(cells):
        if pos in positions or not isinstance(cell, str) or not cell.strip():
            continue
        hit = known_header(cell, profile)
        if not hit or hit[0] not in used:
            continue
        first = used[hit[0]]
        a = body[first].str.strip().fillna("")
        b = body[pos].str.strip().fillna("")
        differ = np.flatnonzero((a != b).to_numpy())
        if len(differ):
            row = grid.first_row + int(body.index[differ[0]])
            raise InputError(
                f"two columns hold {hit[0]}: {_label(cells, first, grid.first_col)} and "
                f"{_label(cells, pos, grid.first_col)}, and they differ on this row ({a.iat[differ[0]]!r} "
                f"against {b.iat[differ[0]]!r}); delete the wrong one, or map it to nothing in a mapping profile",
                file=name, sheet=grid.sheet, row=row, column=hit[0])
