"""Build the PyInstaller one-folder bundle: dist/sijoint-exam/ (and .app on macOS).

    make bundle                                   (Linux; installs PyInstaller first)
    python packaging/build_bundle.py              (any system, in a venv that has
                                                   `pip install -e ".[dev,bundle]"`)

Steps:
1. `python -m build` makes the sdist and, from it, the wheel (or --wheel names one);
2. the wheel is unpacked with `pip install --no-deps --target WORK/site`;
3. PyInstaller runs packaging/sijoint-exam.spec on that unpacked wheel, with its cache
   in WORK/config (so concurrent builds in other folders never share it).

So the bundle holds what the wheel holds (see the spec's header). Prints how long it
took and how big the folder is. PyInstaller cannot cross-compile: build on each
system for that system (packaging/README.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "sijoint-exam.spec"


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=ROOT, env=env, check=True)


def folder_size(folder: Path) -> int:
    """Bytes in the folder's files, not following PyInstaller's symbolic links."""
    return sum(
        p.lstat().st_size
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    )


def build_wheel(out: Path) -> Path:
    shutil.rmtree(out, ignore_errors=True)
    run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    (wheel,) = out.glob("sijoint_exam-*.whl")
    return wheel


def unpack_wheel(wheel: Path, site: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-compile",
        "--target",
        site,
        wheel,
    )


def run_pyinstaller(site: Path, work: Path, dist: Path) -> None:
    env = {
        **os.environ,
        "SIJOINT_EXAM_BUNDLE_SITE": str(site),
        "PYINSTALLER_CONFIG_DIR": str(work / "config"),
    }
    shutil.rmtree(work / "pyinstaller", ignore_errors=True)
    run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        dist,
        "--workpath",
        work / "pyinstaller",
        SPEC,
        env=env,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--wheel", type=Path, help="bundle this wheel instead of building one"
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "bundle", help="scratch folder"
    )
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="output folder (dist/)"
    )
    args = parser.parse_args(argv)
    work, dist = args.work.resolve(), args.dist.resolve()
    started = time.monotonic()
    wheel = args.wheel.resolve() if args.wheel else build_wheel(work / "wheel")
    unpack_wheel(wheel, work / "site")
    wheel_done = time.monotonic()
    run_pyinstaller(work / "site", work, dist)
    finished = time.monotonic()
    bundle = dist / "sijoint-exam"
    print(
        f"build_bundle: {bundle} is {folder_size(bundle) / 1e6:.0f} MB; "
        f"wheel {wheel.stat().st_size / 1e6:.1f} MB; "
        f"took {finished - started:.0f} s (wheel {wheel_done - started:.0f} s, "
        f"PyInstaller {finished - wheel_done:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
