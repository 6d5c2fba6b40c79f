"""Small-number suppression: hand-made tables with exact outcomes, then a property test.

The property test builds random tables that add up exactly (wards and 1-3
breakdowns partition each half-year's total, financial year = H1 + H2) and
checks the result with an independent tool: exact rational Gauss-Jordan
elimination over every additive relation, where a suppressed cell is
recoverable exactly when its unit vector lies in the row space of the
relations restricted to suppressed cells.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.disclosure.small_numbers import (
    FOOTNOTE,
    SUPPRESSED_SYMBOL,
    apply_disclosure,
    find_disclosive_cells,
    find_recoverable_cells,
    footnote,
    is_small,
)

CITY = "E06000021"
NAN = float("nan")


def cell(
    numerator: float,
    *,
    area_type: str = "ward",
    area_code: str = "W1",
    breakdown: str = "all",
    category: str = "all",
    period: str = "2020 H1",
    denominator: float = NAN,
    measure: str = "count",
    indicator_id: str = "requests",
) -> dict:
    """One row of an indicator frame; value = numerator/denominator where that makes sense."""
    value = numerator
    if measure in ("proportion", "share_by_category"):
        value = numerator / denominator if denominator else NAN
    return {
        "indicator_id": indicator_id,
        "measure": measure,
        "period": period,
        "period_type": "financial_year" if "/" in period else "half_year",
        "area_code": area_code,
        "area_name": area_code,
        "area_type": area_type,
        "breakdown": breakdown,
        "category": category,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "lower_ci": value - 1 if value == value else NAN,
        "upper_ci": value + 1 if value == value else NAN,
        "suppressed": False,
        "note": None,
    }


def city(numerator: float, **kw) -> dict:
    return cell(numerator, area_type="la", area_code=CITY, **kw)


def ward(code: str, numerator: float, **kw) -> dict:
    return cell(numerator, area_code=code, **kw)


def category(breakdown: str, name: str, numerator: float, **kw) -> dict:
    return cell(numerator, area_type="la", area_code=CITY, breakdown=breakdown, category=name, **kw)


def hidden(out: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(period, area_code, category) of every suppressed row."""
    rows = out.loc[out["suppressed"], ["period", "area_code", "category"]]
    return set(rows.itertuples(index=False, name=None))


def assert_blanked(out: pd.DataFrame, *, denominator: bool = False) -> None:
    gone = out.loc[out["suppressed"]]
    for column in ("numerator", "value", "lower_ci", "upper_ci", *(["denominator"] * denominator)):
        assert gone[column].isna().all(), column
    assert (gone["note"] == SUPPRESSED_SYMBOL).all()


# --- primary and complementary suppression, by hand ----------------------------------


def test_a_single_small_ward_takes_the_next_smallest_ward_with_it():
    frame = pd.DataFrame([city(100), ward("W1", 3), ward("W2", 10), ward("W3", 20), ward("W4", 67)])
    out = apply_disclosure(frame)
    assert hidden(out) == {("2020 H1", "W1", "all"), ("2020 H1", "W2", "all")}
    assert_blanked(out)
    published = out.loc[~out["suppressed"]]
    assert published["numerator"].tolist() == [100, 20, 67]
    assert published["note"].isna().all()
    assert find_recoverable_cells(out).empty


def test_a_small_decile_is_suppressed_with_its_neighbour_and_wards_are_untouched():
    frame = pd.DataFrame(
        [
            city(60),
            ward("W1", 30),
            ward("W2", 30),
            category("deprivation_decile", "1", 2),
            category("deprivation_decile", "2", 8),
            category("deprivation_decile", "3", 50),
            category("deprivation_decile", "unknown", 0),
        ]
    )
    out = apply_disclosure(frame)
    assert hidden(out) == {("2020 H1", CITY, "1"), ("2020 H1", CITY, "2")}
    assert out.loc[out["category"] == "unknown", "numerator"].item() == 0


def test_zero_is_published_and_does_not_count_as_a_complement():
    frame = pd.DataFrame([city(12), ward("W1", 0), ward("W2", 12), ward("W3", 0)])
    out = apply_disclosure(frame)
    assert not out["suppressed"].any()
    pd.testing.assert_frame_equal(out, frame, check_dtype=False)


def test_count_equal_to_denominator_is_published_unless_small():
    rows = [
        city(7, denominator=7, measure="proportion", period="2020 H1"),
        city(3, denominator=3, measure="proportion", period="2021 H1"),
        city(20, denominator=20, measure="proportion", period="2022 H1"),
    ]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {("2021 H1", CITY, "all")}
    assert_blanked(out, denominator=True)


def test_a_small_complement_of_a_proportion_is_suppressed():
    # 18 of 20 families had the outcome: publishing it says 2 did not.
    rows = [
        city(18, denominator=20, measure="proportion", period="2020 H1"),
        city(15, denominator=20, measure="proportion", period="2021 H1"),
        city(0, denominator=20, measure="proportion", period="2022 H1"),
        city(18, denominator=20, measure="mean", period="2023 H1", indicator_id="days"),
    ]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {("2020 H1", CITY, "all")}


def test_a_complement_suppression_in_a_ward_is_protected_like_any_other():
    rows = [
        city(60, denominator=100, measure="proportion"),
        ward("W1", 18, denominator=20, measure="proportion"),
        ward("W2", 12, denominator=30, measure="proportion"),
        ward("W3", 30, denominator=50, measure="proportion"),
    ]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {("2020 H1", "W1", "all"), ("2020 H1", "W2", "all")}
    assert_blanked(out, denominator=True)


def test_a_rate_keeps_its_population_denominator():
    rows = [
        city(3, denominator=12_000, measure="rate", period="2020 H1"),
        city(50, denominator=12_000, measure="rate", period="2021 H1"),
    ]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {("2020 H1", CITY, "all")}
    assert out["denominator"].tolist() == [12_000, 12_000]
    assert_blanked(out)


def test_a_small_second_half_suppresses_the_first_half_not_the_financial_year():
    rows = [city(50, period="2020 H1"), city(3, period="2020 H2"), city(53, period="2020/21")]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {("2020 H1", CITY, "all"), ("2020 H2", CITY, "all")}
    assert out.loc[out["period"] == "2020/21", "numerator"].item() == 53


def test_the_financial_year_is_suppressed_when_the_other_half_is_zero():
    rows = [city(0, period="2020 H1"), city(3, period="2020 H2"), city(3, period="2020/21")]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {("2020 H2", CITY, "all"), ("2020/21", CITY, "all")}


def test_a_financial_year_is_only_a_sum_when_both_halves_are_in_the_frame():
    rows = [city(3, period="2020 H2"), city(53, period="2020/21")]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {("2020 H2", CITY, "all")}


def test_min_count_can_be_raised_for_one_indicator():
    rows = [
        *(r | {"indicator_id": "a"} for r in (city(57), ward("W1", 7), ward("W2", 50))),
        *(r | {"indicator_id": "b"} for r in (city(57), ward("W1", 7), ward("W2", 50))),
    ]
    out = apply_disclosure(pd.DataFrame(rows), min_count_by_indicator={"b": 10})
    assert out.loc[out["indicator_id"] == "a", "suppressed"].tolist() == [False] * 3
    assert out.loc[out["indicator_id"] == "b", "suppressed"].tolist() == [False, True, True]


def test_missing_counts_are_never_small_and_protect_nothing():
    # W2's count is missing: it hides nothing, so W3 is the complement for W1.
    frame = pd.DataFrame([city(30), ward("W1", 3), ward("W2", NAN), ward("W3", 27)])
    out = apply_disclosure(frame)
    assert hidden(out) == {("2020 H1", "W1", "all"), ("2020 H1", "W3", "all")}
    assert np.isnan(out.loc[out["area_code"] == "W2", "numerator"].item())
    assert not out.loc[out["area_code"] == "W2", "suppressed"].item()


def test_an_all_zero_table_is_published_as_it_is():
    rows = [city(0, period=p) for p in ("2020 H1", "2020 H2", "2020/21")] + [
        ward(w, 0, period=p) for w in ("W1", "W2") for p in ("2020 H1", "2020 H2", "2020/21")
    ]
    out = apply_disclosure(pd.DataFrame(rows))
    assert not out["suppressed"].any()
    assert (out["numerator"] == 0).all()


def test_share_by_category_hides_every_row_showing_a_suppressed_total():
    # H2 is small, so H1's total is the financial-year complement; every H1
    # category shows that total as its denominator, so they go too.
    def share(period: str, total: int, parts: dict[str, int]) -> list[dict]:
        kw = {"measure": "share_by_category", "period": period, "denominator": total}
        return [city(total, **kw)] + [category("source", k, v, **kw) for k, v in parts.items()]

    rows = [
        *share("2020 H1", 40, {"school": 25, "health": 15}),
        *share("2020 H2", 3, {"school": 3, "health": 0}),
        *share("2020/21", 43, {"school": 28, "health": 15}),
    ]
    out = apply_disclosure(pd.DataFrame(rows))
    assert hidden(out) == {
        ("2020 H1", CITY, "all"),
        ("2020 H1", CITY, "school"),
        ("2020 H1", CITY, "health"),
        ("2020 H2", CITY, "all"),
        ("2020 H2", CITY, "school"),
        ("2020 H2", CITY, "health"),
    }
    assert_blanked(out, denominator=True)
    assert out.loc[out["period"] == "2020/21", "denominator"].tolist() == [43, 43, 43]


def test_ties_are_broken_by_code_whatever_the_row_order():
    rows = [city(40), ward("W1", 2), ward("W3", 9), ward("W2", 9), ward("W4", 20)]
    expected = {("2020 H1", "W1", "all"), ("2020 H1", "W2", "all")}
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3]):
        assert hidden(apply_disclosure(pd.DataFrame([rows[i] for i in order]))) == expected


def test_a_cell_pinned_by_a_combination_of_relations_gets_a_complement():
    # Ward-level breakdown: a wards × sources table. Two 2×2 blocks of small
    # cells and one small cell joining them leave no relation with a single
    # suppression, yet the joining cell (W2, s3) is row W2 minus block 1.
    small = {("W1", "s1"), ("W1", "s2"), ("W2", "s1"), ("W2", "s2"), ("W2", "s3")}
    small |= {("W3", "s3"), ("W3", "s4"), ("W4", "s3"), ("W4", "s4")}
    wards, sources = ["W1", "W2", "W3", "W4"], ["s1", "s2", "s3", "s4"]
    grid = {(w, s): 1 if (w, s) in small else 10 for w in wards for s in sources}
    rows = [city(sum(grid.values()))]
    rows += [ward(w, sum(grid[w, s] for s in sources)) for w in wards]
    rows += [category("source", s, sum(grid[w, s] for w in wards)) for s in sources]
    rows += [ward(w, n, breakdown="source", category=s) for (w, s), n in grid.items()]
    frame = pd.DataFrame(rows)

    primary_only = frame.assign(suppressed=[(r["area_code"], r["category"]) in small for r in rows])
    pinned = find_recoverable_cells(primary_only)
    assert list(zip(pinned["area_code"], pinned["category"], strict=True)) == [("W2", "s3")]

    out = apply_disclosure(frame)
    assert hidden(out) == {("2020 H1", w, s) for w, s in small | {("W1", "s3")}}
    assert find_recoverable_cells(out).empty


def test_rows_already_suppressed_stay_suppressed_and_are_protected():
    frame = pd.DataFrame([city(100), ward("W1", 30), ward("W2", 20), ward("W3", 50)])
    frame.loc[1, "suppressed"] = True
    out = apply_disclosure(frame)
    assert hidden(out) == {("2020 H1", "W1", "all"), ("2020 H1", "W2", "all")}
    assert_blanked(out)


def test_the_input_is_not_changed_and_the_index_is_kept():
    frame = pd.DataFrame([city(10), ward("W1", 4), ward("W2", 6)], index=[7, 3, 5])
    frame["numerator"] = frame["numerator"].astype(int)
    before = frame.copy()
    out = apply_disclosure(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert out.index.tolist() == [7, 3, 5]
    assert out["suppressed"].tolist() == [False, True, True]


# --- checks callers use ----------------------------------------------------------------


def test_is_small_works_on_arrays_series_and_scalars():
    counts = [0, 1, 4, 5, NAN, -1, 0.5]
    assert is_small(np.array(counts), 5).tolist() == [False, True, True, False, False, False, True]
    series = is_small(pd.Series(counts, index=list("abcdefg")), 5)
    assert series.index.tolist() == list("abcdefg")
    assert series.tolist() == [False, True, True, False, False, False, True]
    assert is_small(3, 5) is True
    assert is_small(NAN, 5) is False
    assert is_small(pd.NA, 5) is False
    assert is_small([7, 7], [5, 10]).tolist() == [False, True]


def test_find_disclosive_cells_lists_small_published_counts():
    frame = pd.DataFrame(
        [
            city(100),
            ward("W1", 3),
            ward("W2", 97),
            city(18, denominator=20, measure="proportion", indicator_id="p"),
        ]
    )
    found = find_disclosive_cells(frame)
    assert found["area_code"].tolist() == ["W1", CITY]
    assert found["indicator_id"].tolist() == ["requests", "p"]
    assert find_disclosive_cells(apply_disclosure(frame)).empty
    assert find_disclosive_cells(frame, min_count=2).empty


def test_footnote_names_the_symbol_and_threshold():
    assert footnote(10).startswith("c = suppressed to protect confidentiality: fewer than 10 ")
    assert "{min_count}" in FOOTNOTE


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda f: f.drop(columns="numerator"), {}, "lacks columns: numerator"),
        (lambda f: f.assign(measure="dsr"), {}, "unknown measure"),
        (lambda f: pd.concat([f, f.iloc[[0]]]), {}, "more than one row"),
        (lambda f: f.assign(numerator="three"), {}, "'numerator' must hold numbers"),
        (lambda f: f, {"min_count": 0}, "min_count must be a whole number"),
        (lambda f: f, {"min_count_by_indicator": {"requests": "5"}}, "'requests'"),
        (lambda f: f.assign(period="2020 Q1"), {}, "'2020 Q1' is not like"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(change, kwargs, message):
    frame = change(pd.DataFrame([city(10), ward("W1", 10)]))
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        apply_disclosure(frame, **kwargs)


def test_forty_periods_of_fifty_areas_and_categories_take_well_under_a_second():
    rng = np.random.default_rng(7)
    rows = []
    for year in range(2005, 2025):
        halves = {}
        for half in ("H1", "H2"):
            wards = rng.integers(0, 12, 30)
            deciles, sources = split(wards.sum(), 10, rng), split(wards.sum(), 10, rng)
            halves[half] = {(CITY, "all", "all"): wards.sum()}
            halves[half] |= {(f"W{i:02d}", "all", "all"): n for i, n in enumerate(wards)}
            halves[half] |= {(CITY, "decile", str(i)): n for i, n in enumerate(deciles)}
            halves[half] |= {(CITY, "source", str(i)): n for i, n in enumerate(sources)}
        fy = {k: halves["H1"][k] + halves["H2"][k] for k in halves["H1"]}
        fy_label = f"{year}/{(year + 1) % 100:02d}"
        for period, counts in [
            (f"{year} H1", halves["H1"]),
            (f"{year} H2", halves["H2"]),
            (fy_label, fy),
        ]:
            for (code, breakdown, name), n in counts.items():
                area_type = "la" if code == CITY else "ward"
                rows.append(
                    cell(n, area_type=area_type, area_code=code, breakdown=breakdown,
                         category=name, period=period)
                )  # fmt: skip
    frame = pd.DataFrame(rows)
    # Speed is measured in bench/, not asserted here: this checks a large frame works.
    out = apply_disclosure(frame)
    assert out["suppressed"].any()
    assert find_disclosive_cells(out).empty


def split(total: int, parts: int, rng: np.random.Generator) -> np.ndarray:
    cuts = np.sort(rng.integers(0, total + 1, parts - 1))
    return np.diff(np.concatenate([[0], cuts, [total]]))


# --- the property test ------------------------------------------------------------------

MEASURES = ["count", "proportion", "rate", "mean", "share_by_category"]
HALVES = ("2020 H1", "2020 H2")
FY = "2020/21"


@st.composite
def partition(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """`total` split into `parts` non-negative whole numbers, often with small ones."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@st.composite
def tables(
    draw: st.DrawFn, measure: str | None = None
) -> tuple[pd.DataFrame, int, list[tuple[tuple, list[tuple]]]]:
    """A random indicator frame that adds up, its min_count and its additive relations.

    Slices are ('ward', code, 'all') or ('la', breakdown, category); relations
    are (total key, part keys) with key = (period, slice).
    """
    measure = measure or draw(st.sampled_from(MEASURES))
    min_count = draw(st.integers(2, 10))
    with_fy = draw(st.booleans())
    wards = [f"W{i}" for i in range(draw(st.integers(1, 5)))]
    breakdowns = {f"b{b}": draw(st.integers(1, 4)) for b in range(draw(st.integers(1, 3)))}
    total_slice = ("la", "all", "all")
    ward_slices = [("ward", w, "all") for w in wards]
    groups = [ward_slices] + [[("la", b, f"c{i}") for i in range(k)] for b, k in breakdowns.items()]

    numerators: dict[tuple, dict] = {}
    complements: dict[tuple, dict] = {}
    for period in HALVES:
        for counts in (numerators, complements):
            total = draw(st.integers(0, 3 * min_count + 10))
            counts[period] = {total_slice: total}
            for group in groups:
                counts[period] |= dict(zip(group, draw(partition(total, len(group))), strict=True))
    slices = list(numerators[HALVES[0]])
    periods = [*HALVES, FY] if with_fy else list(HALVES)
    if with_fy:
        for counts in (numerators, complements):
            counts[FY] = {s: counts[HALVES[0]][s] + counts[HALVES[1]][s] for s in slices}

    rows = []
    for period in periods:
        for s in slices:
            num = numerators[period][s]
            den = {
                "count": NAN,
                "rate": 10_000 + 100 * len(rows),
                "share_by_category": numerators[period][total_slice],
            }.get(measure, num + complements[period][s])
            area_type, code = ("ward", s[1]) if s[0] == "ward" else ("la", CITY)
            breakdown, name = ("all", "all") if s[0] == "ward" else (s[1], s[2])
            rows.append(
                cell(num, area_type=area_type, area_code=code, breakdown=breakdown,
                     category=name, period=period, denominator=den, measure=measure)
            )  # fmt: skip
            rows[-1]["slice"] = s

    relations = [((p, total_slice), [(p, s) for s in group]) for p in periods for group in groups]
    if with_fy:
        relations += [((FY, s), [(p, s) for p in HALVES]) for s in slices]
    return pd.DataFrame(rows), min_count, relations


def pinned_exactly(equations: list[dict[int, int]], columns: int) -> set[int]:
    """Columns whose unit vector is in the row space, by exact Gauss-Jordan elimination.

    In reduced row echelon form, e_j is in the row space exactly when j is a
    pivot column and its pivot row has no other non-zero entry.
    """
    matrix = [[Fraction(eq.get(j, 0)) for j in range(columns)] for eq in equations]
    pivots: list[tuple[int, int]] = []
    for column in range(columns):
        row = len(pivots)
        pivot = next((i for i in range(row, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        matrix[row] = [v / matrix[row][column] for v in matrix[row]]
        for i, other in enumerate(matrix):
            if i != row and other[column] != 0:
                factor = other[column]
                matrix[i] = [a - factor * b for a, b in zip(other, matrix[row], strict=True)]
        pivots.append((row, column))
    return {c for r, c in pivots if sum(v != 0 for v in matrix[r]) == 1}


def recoverable(out: pd.DataFrame, relations: list, measure: str) -> set[tuple]:
    """Suppressed cells the published cells determine, from the relations alone.

    For a share, every category (and ward) shows its period's total as its
    denominator, so one published part of a within-period relation reveals
    the total: that is one more equation, ``total = known``.
    """
    keys = zip(out["period"], out["slice"], strict=True)
    is_hidden = dict(zip(keys, out["suppressed"], strict=True))
    unknowns = sorted(k for k, h in is_hidden.items() if h)
    column = {k: j for j, k in enumerate(unknowns)}
    equations = []
    for total, parts in relations:
        terms = [(total, 1)] + [(p, -1) for p in parts]
        equations.append({column[k]: sign for k, sign in terms if k in column})
        within_period = all(p[0] == total[0] for p in parts)
        shows_total = measure == "share_by_category" and within_period
        if shows_total and total in column and not all(is_hidden[p] for p in parts):
            equations.append({column[total]: 1})
    return {unknowns[j] for j in pinned_exactly(equations, len(unknowns))}


@pytest.mark.parametrize("measure", MEASURES)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_nothing_small_is_published_and_nothing_suppressed_can_be_worked_out(measure, data):
    frame, min_count, relations = data.draw(tables(measure), label="table")
    out = apply_disclosure(frame, min_count=min_count)

    published = out.loc[~out["suppressed"]]
    checked = [published["numerator"]]
    if measure in ("proportion", "mean", "share_by_category"):
        checked.append(published["denominator"])
    if measure == "proportion":
        checked.append(published["denominator"] - published["numerator"])
    for counts in checked:
        assert not ((counts >= 1) & (counts < min_count)).any()
    assert find_disclosive_cells(out, min_count).empty

    assert recoverable(out, relations, measure) == set()
    assert find_recoverable_cells(out).empty

    keep = ~out["suppressed"]
    pd.testing.assert_frame_equal(out.loc[keep], frame.loc[keep], check_dtype=False)
    assert_blanked(out, denominator=measure not in ("rate", "count"))
    if measure == "rate":
        assert out["denominator"].equals(frame["denominator"])

    again = apply_disclosure(out, min_count=min_count)
    assert again["suppressed"].equals(out["suppressed"])
    shuffled = apply_disclosure(frame.sample(frac=1, random_state=1), min_count=min_count)
    assert shuffled["suppressed"].sort_index().equals(out["suppressed"])
