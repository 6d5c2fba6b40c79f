"""No council name or GSS code in the product's code: config/indicators.yaml is the truth.

Only the places that are about one real area may name it: `config/` (the
strategy), `data/` (the shipped reference files), `indicators/demo/` (the
synthetic extracts are set in a real city's geography) and `tests/`.
"""

from __future__ import annotations

import re
from pathlib import Path

from indicators.config import spec
from indicators.paths import CONFIG_PATH, PROJECT_ROOT

ALLOWED = ("config", "data", "tests", "indicators/demo")
GSS_CODE = re.compile(r"\b(E0[0-9]{7}|E1[0-9]{7}|E92000001)\b")


def council_words(strategy: spec.Strategy) -> list[str]:
    """The names the strategy gives its place: council, area (and its first word), region."""
    region = strategy.comparator("region")
    words = [strategy.council, strategy.area_name, strategy.area_name.split("-")[0]]
    return [w for w in (*words, region.name if region else "") if w]


def python_files(root: Path) -> list[Path]:
    """Every .py file of the project outside the allowed places and tool folders."""
    return sorted(
        path
        for path in root.rglob("*.py")
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
        and not any(path.relative_to(root).as_posix().startswith(f"{a}/") for a in ALLOWED)
    )


def council_specifics(root: Path, words: list[str]) -> list[str]:
    """`file:line: text` for every line naming the council or holding a GSS code."""
    found = []
    for path in python_files(root):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if GSS_CODE.search(line) or any(word in line for word in words):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_council_name_or_gss_code_in_code() -> None:
    words = council_words(spec.load_strategy(CONFIG_PATH))
    assert council_specifics(PROJECT_ROOT, words) == []


def test_the_grep_finds_a_name_or_a_code_put_back(tmp_path: Path) -> None:
    words = council_words(spec.load_strategy(CONFIG_PATH))
    (tmp_path / "indicators" / "load").mkdir(parents=True)
    (tmp_path / "indicators" / "demo").mkdir(parents=True)
    (tmp_path / "pages").mkdir()
    (tmp_path / "indicators" / "load" / "reference.py").write_text(
        'CITY = "x"\nENGLAND = "E92000001"\n', encoding="utf-8"
    )
    (tmp_path / "pages" / "jsna.py").write_text(
        f'st.title("{words[1]}")\nREGION = "E12000005"\nWARD = "E05008715"\n', encoding="utf-8"
    )
    (tmp_path / "indicators" / "demo" / "setting.py").write_text(
        f'CITY = "{words[1]}"\n', encoding="utf-8"
    )
    assert council_specifics(tmp_path, words) == [
        'indicators/load/reference.py:2: ENGLAND = "E92000001"',
        f'pages/jsna.py:1: st.title("{words[1]}")',
        'pages/jsna.py:2: REGION = "E12000005"',
        'pages/jsna.py:3: WARD = "E05008715"',
    ]
