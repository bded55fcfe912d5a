"""proctoring.analysis stays pure OpenCV/numpy (DESIGN.md): the worker and the bench load it alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_it_imports_without_django():
    code = (
        "import sys, proctoring.analysis; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'hub'}); "
        "assert not loaded, loaded"
    )

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )

    assert done.returncode == 0, done.stderr
