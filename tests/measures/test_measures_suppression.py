"""Small-number suppression: primary, secondary (never recoverable by subtraction), percentages."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.suppression import (
    RESTRICTED_LABEL,
    SUPPRESSED,
    disclosure_label,
    percent,
    suppress,
    suppress_percent,
    suppression_mask,
)


def test_spec_example_row_with_total():
    table = pd.DataFrame([[3, 10, 12, 25]], columns=["a", "b", "c", "Total"])
    out = suppress(table)
    assert out.iloc[0].tolist() == [SUPPRESSED, SUPPRESSED, 12, 25]


def test_zero_is_shown_and_a_row_without_small_cells_is_unchanged():
    table = pd.DataFrame([[0, 10, 12, 22]], columns=["a", "b", "c", "Total"])
    assert suppress(table).iloc[0].tolist() == [0, 10, 12, 22]


def test_ties_take_the_right_most_then_bottom_most():
    row = pd.DataFrame([[2, 10, 10, 10, 32]], columns=["a", "b", "c", "d", "Total"])
    assert suppress(row).iloc[0].tolist() == [SUPPRESSED, 10, 10, SUPPRESSED, 32]
    column = pd.DataFrame({"n": [2, 10, 10, 22]}, index=["x", "y", "z", "Total"])
    assert suppress(column, total_column=None)["n"].tolist() == [SUPPRESSED, 10, SUPPRESSED, 22]


def test_a_total_of_1_to_4_is_suppressed_and_no_total_means_no_secondary():
    row = pd.DataFrame([[1, 2, 0, 3]], columns=["a", "b", "c", "Total"])
    assert suppress(row).iloc[0].tolist() == [SUPPRESSED, SUPPRESSED, 0, SUPPRESSED]
    plain = pd.DataFrame([[3, 10, 12]], columns=["a", "b", "c"])
    assert suppress(plain).iloc[0].tolist() == [SUPPRESSED, 10, 12]


def test_percentages():
    assert percent(1, 3) == 33.3
    assert percent(1, 8) == 12.5  # exact half stays
    assert percent(1, 16) == 6.3  # 6.25 rounds half-up (round() would give 6.2)
    assert percent(0, 0) is None
    assert suppress_percent(3, 10) == SUPPRESSED
    assert suppress_percent(10, 4) == SUPPRESSED
    assert suppress_percent(SUPPRESSED, 100) == SUPPRESSED
    assert suppress_percent(0, 10) == 0.0
    assert suppress_percent(5, 40) == 12.5
    assert suppress_percent(0, 0) is None


def test_every_output_says_whether_it_is_restricted():
    assert disclosure_label(True) == RESTRICTED_LABEL == "Restricted - not for publication"
    assert "suppressed" in disclosure_label(False).lower()


def recoverable(values: np.ndarray, mask: np.ndarray, row_total: bool, col_total: bool) -> set:
    """Suppressed cells a reader could work out from the published totals by adding and subtracting
    rows and columns (independent checker: a cell is determined when appending its unit vector to the
    equations' matrix does not raise the rank)."""
    rows, cols = values.shape
    body_r, body_c = rows - col_total, cols - row_total
    equations = []
    if row_total:
        equations += [([(i, j) for j in range(body_c)], (i, cols - 1)) for i in range(rows)]
    if col_total:
        equations += [([(i, j) for i in range(body_r)], (rows - 1, j)) for j in range(cols)]
    unknown = [(i, j) for i in range(rows) for j in range(cols) if mask[i, j]]
    if not unknown or not equations:
        return set()
    matrix = np.array([[1 if u in cells else -1 if u == total else 0 for u in unknown]
                       for cells, total in equations], dtype=float)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for k, cell in enumerate(unknown):
        probe = np.zeros((1, len(unknown)))
        probe[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, probe])) == rank:
            found.add(cell)
    return found


@st.composite
def count_tables(draw):
    n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    small = st.one_of(st.just(0), st.integers(1, 6), st.integers(0, 60))
    body = np.array(draw(st.lists(st.lists(small, min_size=n_cols, max_size=n_cols), min_size=n_rows,
                                  max_size=n_rows)), dtype=float)
    row_total, col_total = draw(st.booleans()), draw(st.booleans())
    full = body
    if row_total:
        full = np.column_stack([full, full.sum(axis=1)])
    if col_total:
        full = np.vstack([full, full.sum(axis=0)])
    return full, row_total, col_total


@settings(max_examples=50, deadline=None)
@given(count_tables())
def test_no_suppressed_cell_can_be_recovered_from_the_totals(table):
    values, row_total, col_total = table
    mask = suppression_mask(values, row_total=row_total, col_total=col_total)
    # primary suppression always holds; nothing is suppressed in a table without small numbers
    small = (values >= 1) & (values <= 4)
    assert mask[small].all()
    assert mask.any() == small.any()
    assert recoverable(values, mask, row_total, col_total) == set()


def test_checker_itself_finds_a_lone_suppressed_cell():
    values = np.array([[3.0, 10, 12, 25]])
    lone = np.array([[True, False, False, False]])
    assert recoverable(values, lone, True, False) == {(0, 0)}
    assert recoverable(values, np.array([[True, True, False, False]]), True, False) == set()


def test_a_cell_beside_only_zeros_is_protected_by_suppressing_a_zero():
    values = np.array([[1.0, 5, 6], [5, 0, 5], [6, 5, 11]])
    mask = suppression_mask(values)
    assert mask[1, 0] and mask[1, 1]  # 5 alone beside a 0 in its row: the 0 is suppressed too
    assert recoverable(values, mask, True, True) == set()


def test_a_value_recoverable_only_by_combining_lines_is_protected():
    values = np.array([[5.0, 0, 5, 4, 14], [4, 3, 50, 2, 59], [39, 5, 5, 1, 50], [2, 5, 19, 38, 64],
                       [50, 13, 79, 45, 187]])
    mask = suppression_mask(values)
    assert recoverable(values, mask, True, True) == set()
