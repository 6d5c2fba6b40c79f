"""Import every `indicators` module a page uses, once per process, in one fixed order.

Streamlit runs each session's script in its own thread. When many sessions
arrive at a fresh server, their pages would import the engine at the same time
and in different orders; under sixteen sessions at start a page once failed
with an ImportError for a module that was there. dashboard.py imports this
first, so one thread imports everything while the others wait on this module.
(A server started with `python -m indicators serve` has imported them before
its first session: then this finds them all imported.)
"""

from __future__ import annotations

from indicators.serving import import_page_modules

import_page_modules()
