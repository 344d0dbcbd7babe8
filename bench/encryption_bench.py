"""Encryption budgets on the generated clinic of bench/store_bench.py (100,000
patients, 300,000 visits), encrypted with `encrypt_database`.

    python bench/encryption_bench.py      (or through bench/run.py: `main() -> bool`)

The plain database is the file `encrypt_database` keeps aside, so both hold the
same records. Budgets are reported, not asserted:

- open + quick_check of the encrypted database   ≤ 2 s (the key derivation included)
- save of one visit, encrypted / plain           ≤ 1.5× (measured in turns, same run)

Also shown, without a budget: the time to encrypt, and a backup of each.

Where the open time goes (measured on a 2-core machine, SQLCipher 4 defaults:
4 KB pages, HMAC-SHA512): the key derivation takes about 0.13 s; every page read
is decrypted and its HMAC checked (about 13 µs a page, 107,000 pages), and
quick_check reads each table twice (the b-tree walk, then the row checks of the
STRICT / NOT NULL tables), which a 2 MB page cache cannot hold between the two.
Tried and not taken: 16 KB cipher pages (quick_check -30 %, but a save 2.2× the
plain one) and HMAC-SHA256 (-30 % on this CPU with SHA extensions, slower on
CPUs without them); both also make the file unreadable to SQLCipher tools that
are not told the settings.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import elapsed_ms, median_ms, report  # noqa: E402
from bench.store_bench import PATIENTS, generate, sample_visit  # noqa: E402
from sijoint_exam.store.database import open_database  # noqa: E402
from sijoint_exam.store.encryption import encrypt_database  # noqa: E402
from sijoint_exam.store.repository import Repository  # noqa: E402

PASSPHRASE = "bench passphrase, long enough"
OPEN_RUNS = 5
SAVE_RUNS = 60


def bench_open(encrypted: Path, plain: Path) -> bool:
    ours = median_ms(
        lambda: open_database(encrypted, passphrase=PASSPHRASE).close(), OPEN_RUNS
    )
    bare = median_ms(lambda: open_database(plain).close(), OPEN_RUNS)
    print(
        f"  open + quick_check: encrypted {ours:.0f} ms; the same database plain "
        f"{bare:.0f} ms ({ours / bare:.2f}×, no budget)"
    )
    return report("open + quick_check, encrypted", ours, 2000, "ms")


def bench_save(encrypted: Path, plain: Path) -> bool:
    chooser = random.Random(11)
    visits = iter([sample_visit(number) for number in range(2 * SAVE_RUNS + 2)])
    times: dict[str, list[float]] = {"encrypted": [], "plain": []}
    with (
        contextlib.closing(open_database(encrypted, passphrase=PASSPHRASE)) as enc,
        contextlib.closing(open_database(plain)) as bare,
    ):
        repos = {"encrypted": Repository(enc), "plain": Repository(bare)}
        for turn in range(SAVE_RUNS + 1):
            for kind, repo in repos.items():
                patient_id = chooser.randrange(1, PATIENTS)
                visit = next(visits)
                took = elapsed_ms(
                    lambda r=repo, p=patient_id, v=visit: r.save_visit(p, v)
                )
                if turn:  # the first of each warms the caches
                    times[kind].append(took)
    ours, bare_ms = (statistics.median(times[k]) for k in ("encrypted", "plain"))
    print(f"  save one visit: encrypted {ours:.2f} ms; plain {bare_ms:.2f} ms")
    return report("save one visit, encrypted / plain", ours / bare_ms, 1.5, "×")


def bench_backup(encrypted: Path, plain: Path, folder: Path) -> None:
    with contextlib.closing(open_database(encrypted, passphrase=PASSPHRASE)) as db:
        ours = elapsed_ms(
            lambda: Repository(db).backup_to(folder / "encrypted.sqlite3")
        )
    with contextlib.closing(open_database(plain)) as db:
        bare = elapsed_ms(lambda: Repository(db).backup_to(folder / "plain.sqlite3"))
    print(
        f"  backup: encrypted (VACUUM INTO) {ours / 1000:.1f} s; plain (backup API) "
        f"{bare / 1000:.1f} s (no budget)"
    )


def main() -> bool:
    """Generate and encrypt the clinic, print each figure against its budget;
    True if all are within budget."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clinic.sqlite3"
        start = time.perf_counter()
        generate(path)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        plain = encrypt_database(path, PASSPHRASE)
        print(
            f"  encryption: generated {PATIENTS:,} patients "
            f"({plain.stat().st_size / 1e6:.0f} MB) in {generated:.1f} s; "
            f"encrypted them in {time.perf_counter() - start:.1f} s"
        )
        results = [bench_open(path, plain), bench_save(path, plain)]
        bench_backup(path, plain, Path(tmp))
    return all(results)


if __name__ == "__main__":
    ok = main()
    print("all within budget" if ok else "some figures are over budget")
