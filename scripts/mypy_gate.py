"""`make lint`'s type check: mypy --strict on the whole package, held two ways.

The domain, the store, the report and the exchange formats must be clean. The window,
the command line and the composition root are held by a ratchet: their error count per
package may fall, never rise, against `scripts/mypy-ratchet.json`. When it falls, the
script says so, and the lower count is written down with `--tighten`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATCHET = ROOT / "scripts" / "mypy-ratchet.json"
STRICT = ("domain", "store", "report", "exchange")
ERROR = re.compile(r"^sijoint_exam/([a-z_]+)(?:/|\.py).*: error: ")


def _errors() -> tuple[Counter[str], list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "sijoint_exam"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    counts: Counter[str] = Counter()
    for line in lines:
        if match := ERROR.match(line):
            counts[match[1]] += 1
    if result.returncode not in (0, 1) or (result.returncode == 1 and not counts):
        print(result.stdout + result.stderr, file=sys.stderr)
        raise SystemExit("mypy did not run")
    return counts, lines


def main(argv: list[str]) -> int:
    counts, lines = _errors()
    allowed: dict[str, int] = json.loads(RATCHET.read_text("utf-8"))
    failed = False
    for part in STRICT:
        if counts[part]:
            failed = True
            print(f"mypy: sijoint_exam/{part} must be clean under --strict:")
            print("\n".join(x for x in lines if x.startswith(f"sijoint_exam/{part}")))
    if "--tighten" in argv:
        # Writes down the counts as they are now: run it when they have fallen.
        kept = {p: c for p, c in sorted(counts.items()) if p not in STRICT}
        RATCHET.write_text(json.dumps(kept, indent=2) + "\n", "utf-8")
        print(f"mypy: ratchet written: {kept}")
        return 1 if failed else 0
    for part, count in sorted(counts.items()):
        if part in STRICT:
            continue
        limit = allowed.get(part, 0)
        if count > limit:
            failed = True
            print(
                f"mypy: sijoint_exam/{part} has {count} errors, the ratchet allows "
                f"{limit}:"
            )
            print("\n".join(x for x in lines if x.startswith(f"sijoint_exam/{part}")))
        elif count < limit:
            print(
                f"mypy: sijoint_exam/{part} is down to {count} errors (ratchet "
                f"{limit}); run `python scripts/mypy_gate.py --tighten`"
            )
    if not failed:
        total = sum(c for p, c in counts.items() if p not in STRICT)
        print(f"mypy: strict parts clean; {total} errors held by the ratchet")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
