"""The PyInstaller bundle, built from the session's wheel and run offscreen.

`packaging/build_bundle.py --wheel` bundles the wheel conftest.py built, in temporary
folders (so runs in parallel checkouts share nothing), and `packaging/check_bundle.py
--no-xvfb` runs the bundle's own executables: --version, the self-check that finds and
draws the fonts and icons, the window on a new database, `score` on the sample visit.
The same checks under Xvfb, with a screenshot, are `make bundle-test`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


@pytest.fixture(scope="module")
def bundle(wheel, tmp_path_factory) -> Path:
    pytest.importorskip(
        "PyInstaller", reason="pip install -e '.[bundle]' (make test does)"
    )
    work = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "build_bundle.py"),
            "--wheel",
            str(wheel),
            "--work",
            str(work / "work"),
            "--dist",
            str(work / "dist"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    print(result.stdout.splitlines()[-1])  # size and time, shown with -s
    return work / "dist" / "sijoint-exam"


def test_the_bundle_runs_and_finds_its_fonts_and_icons(bundle):
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "check_bundle.py"), str(bundle), "--no-xvfb"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
