"""The statistical methods behind every indicator, in one place to import from.

The methods are those of England's national public health profiles
(Fingertips technical guidance) and the UKHSA/OHID R package
``PHEindicatormethods``, described in ``shared/design/methods.md``. They live
in one module per concept; this module re-exports the public names so an
indicator can say ``from indicators.methods import proportion_ci``:

* :mod:`indicators.methods.intervals` — Wilson, exact Poisson/Byar's, Student's t;
* :mod:`indicators.methods.standardisation` — DSR (Dobson), ISR, and the European
  Standard Population 2013;
* :mod:`indicators.methods.benchmark` — RAG comparison with a benchmark, funnel plots;
* :mod:`indicators.methods.benchmark_fingertips` — Fingertips' double-overlap and SPC
  comparisons with a benchmark;
* :mod:`indicators.methods.trend` — Fingertips' recent trend, progress to a target;
* :mod:`indicators.methods.process_control` — XmR charts for monthly measures ("Making Data Count");
* :mod:`indicators.methods.inequality` — slope and relative index of inequality.
"""

from indicators.methods.benchmark import (
    BENCHMARK_LABELS,
    FUNNEL_LABELS,
    POLARITIES,
    classify_funnel_points,
    compare_to_benchmark,
    proportion_funnel_limits,
    rate_funnel_limits,
)
from indicators.methods.benchmark_fingertips import (
    compare_by_double_overlap,
    compare_by_spc,
    spc_proportion_limits,
    spc_rate_limits,
)
from indicators.methods.inequality import sii
from indicators.methods.intervals import (
    mean_ci,
    normalise_confidence,
    poisson_limits,
    proportion_ci,
    rate_ci,
    z_value,
)
from indicators.methods.process_control import ASSURANCE_LABELS, SPC_RULES, spc
from indicators.methods.standardisation import ESP2013, dsr, isr
from indicators.methods.trend import (
    PROGRESS_LABELS,
    TREND_CHI2_THRESHOLD,
    progress_status,
    recent_trend,
)

__all__ = [
    "ASSURANCE_LABELS",
    "BENCHMARK_LABELS",
    "ESP2013",
    "FUNNEL_LABELS",
    "POLARITIES",
    "PROGRESS_LABELS",
    "SPC_RULES",
    "TREND_CHI2_THRESHOLD",
    "classify_funnel_points",
    "compare_by_double_overlap",
    "compare_by_spc",
    "compare_to_benchmark",
    "dsr",
    "isr",
    "mean_ci",
    "normalise_confidence",
    "poisson_limits",
    "progress_status",
    "proportion_ci",
    "proportion_funnel_limits",
    "rate_ci",
    "rate_funnel_limits",
    "recent_trend",
    "sii",
    "spc",
    "spc_proportion_limits",
    "spc_rate_limits",
    "z_value",
]
