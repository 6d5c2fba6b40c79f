"""Pages only read: no page imports the compute path, the statistics, SQLGlot or the PDF stack.

(The analysts' workbench is the one page that computes, a definition's preview, by design;
`indicators.serving.COMPUTING` names it, and it is left out here.)

Traced for real: a fresh Python process runs every page (and every aim page)
with AppTest against the demo warehouse, then reports which modules it
imported. A page that starts computing (or a module it imports that does) puts
the engine back into page start-up and fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from indicators.config import spec
from indicators.paths import CONFIG_PATH, PROJECT_ROOT
from indicators.serving import COMPUTING

# The compute path and the heavy libraries a page must never need.
NEVER_ON_A_PAGE = (
    "indicators.engine",
    "indicators.methods",
    "indicators.disclosure.publication",
    "indicators.disclosure.suppression",
    "indicators.publish.build",
    "indicators.config.check",
    "scipy",
    "sqlglot",
    "reportlab",
    "matplotlib",
)

TRACE = textwrap.dedent(
    """
    import json, sys
    from streamlit.testing.v1 import AppTest

    dashboard, pages, aims = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    for page in pages:
        app = AppTest.from_file(dashboard, default_timeout=120)
        if page:
            app.switch_page(page)
        app.run()
        assert not app.exception, (page, [e.value for e in app.exception])

    def aim_page(aim_id):
        from pages import aim

        aim.render(aim_id)

    for aim_id in aims:
        app = AppTest.from_function(aim_page, args=(aim_id,), default_timeout=120)
        app.run()
        assert not app.exception, (aim_id, [e.value for e in app.exception])
    print(json.dumps(sorted(sys.modules)))
    """
)


def test_no_page_imports_the_compute_path(demo_warehouse: Path, tmp_path: Path) -> None:
    pages = [""] + [f"pages/{p.name}" for p in sorted((PROJECT_ROOT / "pages").glob("*.py"))]
    # aim.py is traced through every aim; the workbench computes a preview by design.
    left = ("pages/__init__.py", "pages/aim.py", *(f"pages/{name}" for name in COMPUTING))
    pages = [p for p in pages if p not in left]
    aims = [a.id for a in spec.load_strategy(CONFIG_PATH).aims]
    trace = tmp_path / "trace_page_imports.py"  # AppTest reads a page function's source
    trace.write_text(TRACE, encoding="utf-8")
    done = subprocess.run(  # noqa: S603 (our own interpreter and script, no shell)
        [sys.executable, str(trace), str(PROJECT_ROOT / "dashboard.py"), json.dumps(pages),
         json.dumps(aims)],
        cwd=PROJECT_ROOT,
        env={
            **_environment(),
            "EARLY_HELP_WAREHOUSE": str(demo_warehouse),
            "PYTHONPATH": str(PROJECT_ROOT),  # `from pages import aim`, as pytest has it
        },
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert "indicators.store.publication" in imported  # the trace saw the pages read
    assert "plotly" in imported
    found = [m for m in imported if m.startswith(NEVER_ON_A_PAGE)]
    assert found == [], found


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("EARLY_HELP_")}
