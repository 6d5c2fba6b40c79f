"""A review store in a test's own folder, and the strategy its entries are checked against."""

from __future__ import annotations

from indicators.config import spec
from indicators.paths import CONFIG_PATH
from indicators.review import writing

STRATEGY = spec.load_strategy(CONFIG_PATH)
INDICATOR = next(i.id for i in STRATEGY.indicators if i.measure.kind.tile)
PERIOD = "2024 H2"
LEAD = writing.Writer("lead@council.example", may_write=True)
SCRIPT = "<script>alert(1)</script>"
DROP = "'); DROP TABLE actions;--"
