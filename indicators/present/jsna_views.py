"""The frames the JSNA context page shows: the city against its comparators.

The comparisons themselves are made at load (`indicators.publish.jsna`).
Comparators are keyed by their role in the strategy (england, region,
statistical_neighbours), never by a name a reader sees.
"""

from __future__ import annotations

import pandas as pd

from indicators.config.spec import Strategy


def comparator_groups(areas: pd.DataFrame, strategy: Strategy) -> dict[str, list[str]]:
    """Each of the strategy's comparators (by role) → the area codes it averages over.

    `areas` is the warehouse's `comparators` table: a single-area comparator is
    its own code, a grouping is every statistical neighbour row.
    """
    groups = {}
    for comparator in strategy.comparators:
        if comparator.code:
            groups[comparator.role] = [comparator.code]
        else:
            neighbours = areas["role"] == "statistical_neighbour"
            groups[comparator.role] = areas.loc[neighbours, "area_code"].tolist()
    return groups
