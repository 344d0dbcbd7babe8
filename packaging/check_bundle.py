"""Check a built bundle: it starts, answers --version, and finds its fonts and icons.

    make bundle-test                              (builds the bundle first)
    python packaging/check_bundle.py [dist/sijoint-exam] [--screenshot shot.png]

Runs the bundle's own executables, never the checkout's Python, with temporary user
folders and databases:

1. the resources are in the folder (fonts and their licence, icons, .desktop file);
2. `sijoint-exam-console --version` prints this checkout's version;
3. `sijoint-exam-selfcheck` finds the fonts and draws the icons, offscreen;
4. `sijoint-exam --db TMP --exit-when ready` opens the window and the database,
   offscreen;
5. `sijoint-exam-console score` on the bundle's resources/sample-visit.json;
6. on Linux, under Xvfb (xvfb-run; installed with apt-get when missing and run as
   root): 3 and 4 again on the real xcb platform, and with --screenshot a PNG of the
   running window (xdotool and ImageMagick's `import`, installed the same way).

Exit status 0 if every check passed. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = os.name == "nt"
EXE = ".exe" if WINDOWS else ""
XVFB_SCREEN = "1366x768x24"  # a common clinic laptop
INSIDE_XVFB = "--inside-xvfb"  # internal: this script re-run under xvfb-run
APT_PACKAGES = {
    "xvfb-run": ["xvfb", "xauth"],
    "xdotool": ["xdotool"],
    "import": ["imagemagick"],
    "xprop": ["x11-utils"],
}


def checkout_version() -> str:
    text = (ROOT / "sijoint_exam" / "__init__.py").read_text("utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    assert match, "no __version__ in sijoint_exam/__init__.py"
    return match.group(1)


@dataclass
class Checker:
    bundle: Path
    scratch: Path
    failures: list[str] = field(default_factory=list)

    def executable(self, name: str) -> Path:
        return self.bundle / f"{name}{EXE}"

    def env(self, platform: str | None = "offscreen") -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"PYTHONPATH", "PYTHONHOME", "SIJOINT_EXAM_DB"}
        }
        env.pop("QT_QPA_PLATFORM", None)
        if platform:
            env["QT_QPA_PLATFORM"] = platform
        home = self.scratch / "home"
        for xdg in ("CONFIG", "DATA", "STATE", "CACHE"):
            env[f"XDG_{xdg}_HOME"] = str(home / xdg.lower())
        return env

    def run(
        self, name: str, *args: str, platform: str | None = "offscreen"
    ) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        result = subprocess.run(
            [str(self.executable(name)), *args],
            cwd=self.scratch,
            capture_output=True,
            text=True,
            timeout=180,
            env=self.env(platform),
        )
        elapsed = time.monotonic() - started
        print(f"  {name} {' '.join(args)} -> {result.returncode} ({elapsed:.1f} s)")
        return result

    def expect(self, ok: bool, what: str, detail: str = "") -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failures.append(what)
            if detail:
                print("     " + detail.strip().replace("\n", "\n     "))

    def check_files(self) -> None:
        resources = self.bundle / "_internal" / "sijoint_exam" / "resources"
        wanted = [
            "fonts/NanumGothic.ttf",
            "fonts/NanumGothicBold.ttf",
            "fonts/OFL-NanumGothic.txt",
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
        ]
        missing = [name for name in wanted if not (resources / name).is_file()]
        self.expect(not missing, "resources are in the bundle", f"missing: {missing}")
        for name in ("sijoint-exam", "sijoint-exam-console", "sijoint-exam-selfcheck"):
            self.expect(self.executable(name).is_file(), f"{name}{EXE} exists")

    def check_version(self) -> None:
        expected = f"sijoint-exam {checkout_version()}"
        names = ["sijoint-exam-console"] + ([] if WINDOWS else ["sijoint-exam"])
        for name in names:
            result = self.run(name, "--version")
            self.expect(
                result.returncode == 0 and result.stdout.strip() == expected,
                f"{name} --version prints '{expected}'",
                result.stdout + result.stderr,
            )

    def check_selfcheck(self, platform: str | None, label: str) -> None:
        result = self.run("sijoint-exam-selfcheck", platform=platform)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            report = {}
        inside = str(self.bundle.resolve()) in str(report.get("resources", ""))
        accelerated = report.get("reportlab_accelerated") is True
        self.expect(
            result.returncode == 0
            and report.get("frozen") is True
            and inside
            and accelerated,
            f"fonts and icons found and drawn, reportlab accelerated, inside the "
            f"bundle ({label})",
            result.stdout + result.stderr,
        )
        if report:
            print(f"     Qt platform: {report.get('qt_platform')}")

    def check_window(self, platform: str | None, label: str) -> None:
        database = self.scratch / f"{label}.sqlite3"
        result = self.run(
            "sijoint-exam",
            "--db",
            str(database),
            "--exit-when",
            "ready",
            platform=platform,
        )
        self.expect(
            result.returncode == 0 and database.is_file(),
            f"window opens and the database is created ({label})",
            result.stderr,
        )

    def check_score(self) -> None:
        sample = (
            self.bundle
            / "_internal"
            / "sijoint_exam"
            / "resources"
            / "sample-visit.json"
        )
        result = self.run("sijoint-exam-console", "score", str(sample))
        self.expect(result.returncode == 0, "score on the sample visit", result.stderr)


def ensure_tools(*tools: str) -> bool:
    """Install missing tools' Debian packages as root; False if still missing."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return True
    packages = sorted({p for tool in missing for p in APT_PACKAGES[tool]})
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"installing {' '.join(packages)} for {', '.join(missing)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
        if subprocess.run(install, env=env).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, check=False)
            subprocess.run(install, env=env, check=False)
    still = [tool for tool in tools if shutil.which(tool) is None]
    if still:
        print(
            f"missing {', '.join(still)}: sudo apt-get install {' '.join(packages)}",
            file=sys.stderr,
        )
    return not still


def screenshot(checker: Checker, target: Path) -> None:
    """Start the program on a new database, wait for its window, save the screen."""
    database = checker.scratch / "screenshot.sqlite3"
    program = subprocess.Popen(
        [str(checker.executable("sijoint-exam")), "--db", str(database)],
        cwd=checker.scratch,
        env=checker.env(platform=None),
    )
    try:
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "sijoint-exam"],
            capture_output=True,
            text=True,
            timeout=90,
        ).stdout.split()
        checker.expect(bool(window), "the window appears under Xvfb")
        if not window:
            return
        # No fixed wait: grab the screen until three grabs in a row are the same.
        previous, same, grabs = b"", 0, 0
        while same < 2 and grabs < 100:
            shot = subprocess.run(
                ["import", "-window", "root", "png:-"], capture_output=True, check=True
            ).stdout
            same = same + 1 if shot == previous else 0
            previous, grabs = shot, grabs + 1
        target.write_bytes(previous)
        checker.expect(same >= 2, f"screenshot of a settled window: {target}")
        properties = subprocess.run(
            ["xprop", "-id", window[0], "WM_CLASS", "WM_NAME", "_NET_WM_ICON"],
            capture_output=True,
            text=True,
        ).stdout
        for line in properties.splitlines():
            print("     " + line[:100])
    finally:
        program.terminate()
        program.wait(timeout=30)


def inside_xvfb(checker: Checker, shot: Path | None) -> None:
    checker.check_selfcheck(platform=None, label="Xvfb, xcb")
    checker.check_window(platform=None, label="xvfb")
    if shot is not None:
        screenshot(checker, shot)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "bundle", nargs="?", type=Path, default=ROOT / "dist" / "sijoint-exam"
    )
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the window")
    parser.add_argument("--no-xvfb", action="store_true", help="offscreen checks only")
    parser.add_argument(INSIDE_XVFB, action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    if not bundle.is_dir():
        print(f"check_bundle: no bundle at {bundle}; run make bundle", file=sys.stderr)
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sijoint-bundle-check-") as scratch:
        checker = Checker(bundle, Path(scratch))
        if args.inside_xvfb:
            inside_xvfb(checker, args.screenshot)
            return 1 if checker.failures else 0
        checker.check_files()
        checker.check_version()
        checker.check_selfcheck(platform="offscreen", label="offscreen")
        checker.check_window(platform="offscreen", label="offscreen")
        checker.check_score()
        if sys.platform.startswith("linux") and not args.no_xvfb:
            tools = ["xvfb-run"] + (
                ["xdotool", "import", "xprop"] if args.screenshot else []
            )
            if ensure_tools(*tools):
                command = [sys.executable, __file__, str(bundle), INSIDE_XVFB]
                if args.screenshot:
                    command += ["--screenshot", str(args.screenshot.resolve())]
                print(f"under Xvfb ({XVFB_SCREEN}):", flush=True)
                result = subprocess.run(
                    ["xvfb-run", "-a", "-s", f"-screen 0 {XVFB_SCREEN}", *command]
                )
                checker.expect(result.returncode == 0, "checks under Xvfb")
            else:
                checker.expect(False, "Xvfb is available")
    elapsed = time.monotonic() - started
    if checker.failures:
        print(f"check_bundle: {len(checker.failures)} failed ({elapsed:.0f} s)")
        return 1
    print(f"check_bundle: all passed ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
