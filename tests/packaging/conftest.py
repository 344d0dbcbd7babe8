"""The packaging tests share one wheel, built from a copy of the checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def source_files(root: Path) -> list[Path]:
    """The checkout's files as git sees them: tracked, or new and not ignored."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    names = [name for name in listing.decode().split("\0") if name]
    return [Path(name) for name in names if (root / name).is_file()]


def copy_source(root: Path, target: Path) -> Path:
    for relative in source_files(root):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, destination)
    return target


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """`python -m build --wheel` on a copy of the checkout."""
    work = tmp_path_factory.mktemp("wheel-build")
    source = copy_source(ROOT, work / "source")
    dist = work / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    (built,) = dist.glob("sijoint_exam-*.whl")
    return built
