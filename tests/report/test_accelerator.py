"""reportlab's C accelerator is installed and used (a pyproject dependency).

Without `rl-accel`, reportlab silently falls back to pure-Python copies of its
hot functions and every PDF takes longer (the export budgets in bench/).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reportlab.lib import rl_accel

# Writes the bench's sample note, invariant, to argv[1]; argv[2] "python" first
# hides the accelerator, so that reportlab uses its pure-Python copies.
_WRITE = """
import sys
if sys.argv[2] == "python":
    sys.modules["_rl_accel"] = None
from reportlab.lib import rl_accel
from bench.sample import sample_note
from sijoint_exam.report.visit_note import write_visit_note
write_visit_note(sample_note(), sys.argv[1], invariant=True)
print(type(rl_accel.fp_str).__name__)
"""


def test_reportlab_uses_its_c_accelerator():
    for name in ("fp_str", "asciiBase85Encode", "instanceStringWidthTTF", "escapePDF"):
        function = getattr(rl_accel, name)
        assert type(function).__name__ == "builtin_function_or_method", name


def test_the_same_pdf_with_and_without_the_accelerator(tmp_path):
    written = {}
    for mode in ("c", "python"):
        target = tmp_path / f"{mode}.pdf"
        out = subprocess.run(
            [sys.executable, "-c", _WRITE, str(target), mode],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parents[2],  # bench/ beside the package
        )
        written[mode] = (out.stdout.strip(), target.read_bytes())
    assert written["c"][0] == "builtin_function_or_method"
    assert written["python"][0] == "function"
    assert written["c"][1] == written["python"][1]
