"""The engine imports without Streamlit: Streamlit belongs to pages/, never to indicators/.

Every module under indicators/ is imported in a fresh interpreter where
`import streamlit` fails, so a module that needs it (directly or through
another) is named, with the import that failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from indicators.paths import PROJECT_ROOT

IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
sys.modules["streamlit"] = None  # `import streamlit` now raises ImportError
import indicators

failed = []
def record(name):
    failed.append(f"{name}: {sys.exc_info()[1]!r}")

for module in pkgutil.walk_packages(indicators.__path__, "indicators.", onerror=record):
    if module.name.endswith(".__main__"):  # runs the command line, imports nothing new
        continue
    try:
        importlib.import_module(module.name)
    except ImportError as err:
        failed.append(f"{module.name}: {err!r}")
print("\\n".join(failed))
"""


def modules_needing_streamlit(root: Path) -> str:
    """Import every module of the `indicators` package found first from `root`."""
    run = subprocess.run(  # noqa: S603 (this interpreter, a fixed script, no shell)
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_every_engine_module_imports_without_streamlit() -> None:
    needs_streamlit = modules_needing_streamlit(PROJECT_ROOT)
    assert not needs_streamlit, f"modules that need Streamlit:\n{needs_streamlit}"


def test_the_check_names_a_module_that_needs_streamlit(tmp_path: Path) -> None:
    """The test above would see one: a module importing Streamlit is named, not missed."""
    package = tmp_path / "indicators"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "glue.py").write_text("import streamlit\n", encoding="utf-8")
    found = modules_needing_streamlit(tmp_path)
    assert found.startswith("indicators.glue: ") and "streamlit" in found, found
