"""The whole-publication protection as linear algebra: pinned means determined, exactly."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_disclosure import pinned_exactly

from indicators.disclosure.suppression import (
    LinearPublication,
    forced_zero,
    pinned_quantities,
    protect,
)


def table(
    n: int, relations: list[list[tuple[int, int]]], rows: list[list[int]]
) -> LinearPublication:
    out = LinearPublication(n)
    for relation in relations:
        out.add_relation([v for v, _ in relation], [c for _, c in relation])
    for i, variables in enumerate(rows):
        out.add_row(variables, (0, False, i, i))
    return out


def test_a_total_and_all_but_one_part_pin_the_last_part() -> None:
    # x0 = x1 + x2; rows show x1, x2, x0 (the total costs most to hide); x2 hidden.
    t = table(3, [[(0, 1), (1, -1), (2, -1)]], [[1], [2], [0]])
    t.protect_quantity([2], [1.0])
    assert pinned_quantities(t, np.array([False, True, False])) == [0]
    hidden = protect(t, np.array([False, True, False]))
    assert hidden.tolist() == [True, True, False]  # the other part goes, the total stays
    assert pinned_quantities(t, hidden) == []


def test_a_shown_protected_count_is_hidden_at_every_row_that_shows_it() -> None:
    # x0 shown by rows 0 and 1 (the same count in two indicators), no relations.
    t = table(2, [], [[0], [0, 1], [1]])
    t.protect_quantity([0], [1.0])
    assert protect(t, np.zeros(3, dtype=bool)).tolist() == [True, True, False]


def test_a_complement_is_pinned_by_its_two_counts_in_other_rows() -> None:
    # numerator x0 and denominator x1 hidden together in row 0, but each shown elsewhere.
    t = table(2, [], [[0, 1], [0], [1]])
    t.protect_quantity([1, 0], [1.0, -1.0])
    hidden = np.array([True, False, False])
    assert pinned_quantities(t, hidden) == [0]
    assert pinned_quantities(t, protect(t, hidden)) == []


def test_a_chain_through_a_latent_total_is_followed() -> None:
    # Latent L (x3) = x0 + x1 = x2 + x4: two splits of one unpublished total.
    t = table(5, [[(3, 1), (0, -1), (1, -1)], [(3, 1), (2, -1), (4, -1)]], [[0], [1], [2], [4]])
    t.protect_quantity([0], [1.0])
    hidden = np.array([True, False, False, False])
    assert pinned_quantities(t, hidden) == [0]
    after = protect(t, hidden)
    assert pinned_quantities(t, after) == [] and after.sum() == 2


@st.composite
def systems(draw: st.DrawFn) -> tuple[LinearPublication, np.ndarray, list[dict[int, int]]]:
    n = draw(st.integers(2, 9))
    members = st.lists(st.integers(0, n - 1), min_size=2, max_size=n, unique=True)
    # Each relation is a total (coefficient 1) and its parts (-1), as in a publication.
    relations = [
        {v: (1 if i == 0 else -1) for i, v in enumerate(m)}
        for m in draw(st.lists(members, min_size=1, max_size=6))
    ]
    hidden = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    out = table(n, [list(r.items()) for r in relations], [[v] for v in range(n)])
    for v in range(n):
        out.protect_quantity([v], [1.0])
    return out, hidden, relations


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems())
def test_pinned_agrees_with_exact_elimination(system) -> None:
    """Peeling, components and SVD against exact Gauss-Jordan over the hidden cells."""
    t, hidden, relations = system
    unknowns = np.flatnonzero(hidden)
    column = {int(v): j for j, v in enumerate(unknowns)}
    equations = [{column[v]: c for v, c in r.items() if v in column} for r in relations]
    expected = {int(unknowns[j]) for j in pinned_exactly(equations, len(unknowns))}
    expected |= {v for v in range(len(hidden)) if not hidden[v]}  # shown: known outright
    assert set(pinned_quantities(t, hidden)) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems())
def test_protect_leaves_no_protected_quantity_pinned(system) -> None:
    t, hidden, _ = system
    # Protect what can be protected: hidden cells that hiding everything leaves unknown.
    hopeless = set(pinned_quantities(t, np.ones(len(hidden), dtype=bool)))
    t.protected = [t.protected[v] for v in np.flatnonzero(hidden) if v not in hopeless]
    after = protect(t, hidden)
    assert (after | ~hidden).all() and (after >= hidden).all()
    assert pinned_quantities(t, after) == []


def test_a_shown_total_of_zero_forces_its_hidden_parts_to_zero() -> None:
    """Counts are never negative: T = a + b with T shown as 0 tells the reader a = b = 0,
    and then S = a + c (S shown) gives c away, though the equations alone would not."""
    t = table(
        5, [[(0, 1), (1, -1), (2, -1)], [(3, 1), (1, -1), (4, -1)]], [[0], [3], [1], [2], [4]]
    )
    t.values = np.array([0.0, 0.0, 0.0, 3.0, 3.0])
    t.protect_quantity([4], [1.0])
    hidden = np.array([False, False, True, True, True])
    assert forced_zero(t, t.known(hidden)).tolist() == [False, True, True, False, False]
    assert pinned_quantities(t, hidden) == [0]
    t.values = np.zeros(0)  # without values, only the equations: x4 looks safe
    assert pinned_quantities(t, hidden) == []
    t.values = np.array([0.0, 0.0, 0.0, 3.0, 3.0])
    after = protect(t, hidden)
    assert pinned_quantities(t, after) == []
