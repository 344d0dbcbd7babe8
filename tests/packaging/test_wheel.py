"""The wheel as a user gets it: built, installed in a fresh venv elsewhere, run.

The wheel comes from conftest.py (`python -m build --wheel` on a copy of the checkout's
source files). The fresh venv, outside the checkout, gets the real dependencies from
pip, like a user's. Everything here is marked `slow` (`pytest -m "not slow"` leaves it
out); `make test` runs it.

To check another console command from the installed wheel, add one line to
`test_console_commands` (or a test of its own) with `run_console(wheel_venv, ...)`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sijoint_exam import __version__

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_VISIT = ROOT / "resources" / "sample-visit.json"
BIN = "Scripts" if os.name == "nt" else "bin"
RESOURCES = "sijoint_exam/resources"
EXPECTED_RESOURCES = {
    "fonts/NanumGothic.ttf",
    "fonts/NanumGothicBold.ttf",
    "fonts/OFL-NanumGothic.txt",
    # each font's stored glyph tables (sijoint_exam/report/glyph_tables.py)
    "fonts/NanumGothic.ttf.glyphs",
    "fonts/NanumGothicBold.ttf.glyphs",
    "fonts/NotoSans-Regular.ttf.glyphs",
    "fonts/NotoSans-Bold.ttf.glyphs",
    "fonts/DroidSansFallbackFull.ttf.glyphs",
    "icons/sijoint-exam.svg",
    "icons/sijoint-exam-48.png",
    "icons/sijoint-exam-256.png",
    "sijoint-exam.desktop",
    "sample-visit.json",
    "visit.schema.json",
}


def isolated_env(home: Path) -> dict[str, str]:
    """No checkout on the path, and no real user folders (platformdirs follows XDG)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "SIJOINT_EXAM_DB"}
    }
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


@pytest.fixture(scope="module")
def wheel_venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with the wheel and its real dependencies."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    result = subprocess.run(
        [str(venv / BIN / "python"), "-m", "pip", "install", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
        env=isolated_env(venv.parent),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return venv


def run_console(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `sijoint-exam-console ARGS` from the wheel's venv, outside the checkout.

    The working directory and the user folders (XDG_*) are temporary folders beside
    the venv, so nothing reads the checkout or touches the user's real files.
    """
    home = venv.parent / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [str(venv / BIN / "sijoint-exam-console"), *args],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        env=isolated_env(home),
    )


def run_python(venv: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run `python -I -c CODE` in the wheel's venv, outside the checkout."""
    home = venv.parent / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [str(venv / BIN / "python"), "-I", "-c", code],
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        env=isolated_env(home),
    )


def test_the_wheel_carries_the_resources_and_nothing_else(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    resources = {
        n.removeprefix(f"{RESOURCES}/") for n in names if n.startswith(RESOURCES)
    }
    assert EXPECTED_RESOURCES <= resources
    top_level = {name.split("/")[0] for name in names}
    assert top_level == {"sijoint_exam", wheel.name.split("-py3")[0] + ".dist-info"}
    # never a `packaging` package: it would shadow the packaging library
    assert not any(
        name.startswith(("packaging/", "tests/", "bench/")) for name in names
    )
    assert wheel.stat().st_size < 20_000_000, wheel.stat().st_size


def test_console_commands(wheel_venv, tmp_path):
    version = run_console(wheel_venv, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"sijoint-exam {__version__}"
    assert run_console(wheel_venv, "--help").returncode == 0
    # One line per command, e.g.:
    # assert run_console(wheel_venv, "export-pdf", ...).returncode == 0


def test_score_on_the_sample_visit(wheel_venv):
    result = run_console(wheel_venv, "score", str(SAMPLE_VISIT))
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_and_export_the_sample_visit(wheel_venv, tmp_path):
    db = str(tmp_path / "clinic.sqlite3")
    imported = run_console(wheel_venv, "import", "--db", db, str(SAMPLE_VISIT))
    assert imported.returncode == 0, imported.stderr
    visit_id = imported.stdout.split()[0]
    exported = run_console(
        wheel_venv, "export", "--db", db, "--format", "json", visit_id
    )
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["patient"]["mrn"] == "A-1001"
    # When export-pdf lands:
    # assert run_console(wheel_venv, "export-pdf", "--db", db, ...).returncode == 0


def test_the_window_opens_from_the_installed_wheel(wheel_venv, tmp_path):
    database = tmp_path / "clinic.sqlite3"
    result = run_console(wheel_venv, "--db", str(database), "--exit-when", "ready")
    assert result.returncode == 0, result.stderr
    assert database.is_file()


def test_resources_come_from_the_installed_package(wheel_venv):
    result = run_python(
        wheel_venv,
        "import json, reportlab, sijoint_exam\n"
        "from importlib.resources import files\n"
        "from reportlab.pdfbase.pdfmetrics import getFont\n"
        "from sijoint_exam.report.fonts import register_fonts\n"
        "resources = files('sijoint_exam.resources')\n"
        "glyphs = (resources / 'fonts' / 'NanumGothic.ttf.glyphs').read_bytes()\n"
        "print(json.dumps({\n"
        "    'package': sijoint_exam.__file__,\n"
        "    'resources': str(resources),\n"
        "    'fonts': sorted(p.name for p in (resources / 'fonts').iterdir()),\n"
        "    'icon': (resources / 'icons' / 'sijoint-exam.svg').is_file(),\n"
        "    'registered': register_fonts().regular,\n"
        "    'stored_tables': getFont('NanumGothic').face.used_stored_tables,\n"
        "    'reportlab': reportlab.Version,\n"
        "    'glyphs_made_by': json.loads(glyphs.partition(b'\\n')[0])['reportlab'],\n"
        "}))",
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    venv = str(wheel_venv.resolve())
    assert found["package"].startswith(venv), found
    assert found["resources"].startswith(venv), found
    assert str(ROOT) not in found["resources"]
    assert {"NanumGothic.ttf", "NanumGothicBold.ttf", "OFL-NanumGothic.txt"} <= set(
        found["fonts"]
    )
    assert found["icon"] is True
    assert found["registered"] == "NanumGothic"
    # The glyph file is read from the installed package; pip may have installed
    # another reportlab than the one that made it, which reads the font instead.
    same_reportlab = found["reportlab"] == found["glyphs_made_by"]
    assert found["stored_tables"] is same_reportlab, found
