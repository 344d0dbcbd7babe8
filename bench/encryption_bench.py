"""Encryption budgets on the generated clinic of bench/store_bench.py (100,000
patients, 300,000 visits), encrypted with `encrypt_database`.

    python bench/encryption_bench.py      (or through bench/run.py: `main() -> bool`)

The plain database is the file `encrypt_database` keeps aside, so both hold the
same records. Budgets are reported, not asserted:

- open + quick_check of the encrypted database   ≤ 2 s (the key derivation included)
- save of one visit, encrypted / plain           ≤ 1.5× (measured in turns, same run)

Also shown, without a budget: the time to encrypt, and a backup of each.

Where the open time goes (a 2-core machine; SQLCipher 4.19 defaults: 4 KB pages,
HMAC-SHA512, PBKDF2-HMAC-SHA512 with 256,000 iterations; profiled with perf): the
key derivation takes 0.13-0.16 s. Every page read from the file is decrypted and
its HMAC checked (SHA-512 is a fifth of the time, AES 2 %). quick_check reads every
table twice (the b-tree walk of all trees, then the row checks table by table), so
the store lets the cache hold the whole file during the check
(`cipher.whole_file_cached`) and each page is decrypted once; the fresh memory
for that cache is another fifth (the kernel zeroing it), given back right after.
The rest is SQLite's own check, the plain figure.

The size of the file is what the time follows. Until migration 007 the clinic
took 878 MB (212,000 pages): each visit's JSON stored as text, two visits a page,
and every provocation result twice (a rowid table and its key's index); its check
took 3.1-4.7 s. Stored deflated with a fixed dictionary (`store/visit_content.py`)
and without rowid, the same clinic takes 296 MB encrypted (72,000 pages), and the
bench's visits are no longer one repeated: 1,000 distinct demo exams with free
text. Its check takes 1.6-2.0 s on this machine, where the 878 MB file took 4.6 s
in the same hour: SQLite's check of 3.6 million rows stays, as does the HMAC of
each page.

Not in the generated clinic: an audit log. With one entry for each patient and
visit created (400,000 entries of about 250 bytes, three of them SHA-256 hashes
in hex) the same clinic is 423 MB encrypted and its check took 2.1-2.3 s, where
the clinic alone took 1.8 s in the same hour. The log grows with every save,
signature and export, and the check on open reads all of it.

Tried and not taken: 8 KB / 16 KB cipher pages (quick_check -13 % / -20 %, but a
save 2.2× the plain one at 16 KB, and the file unreadable to SQLCipher tools not
told the size; existing files keep theirs), HMAC-SHA256 (the security settings
stay as they are), `cipher_memory_security` (already OFF by default in this SQLCipher),
memory-mapped I/O (SQLCipher does not use it), and quick_check table by table on
two connections in two threads: sqlcipher3 releases the GIL, but SQLite then
skips the freelist and the whole-file page accounting (pages never used or
claimed twice), and the visit and provocation_result tables hold 47 % and 42 %
of the pages.
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

from bench.measure import elapsed_ms, report  # noqa: E402
from bench.store_bench import PATIENTS, generate, sample_visit  # noqa: E402
from sijoint_exam.store import cipher  # noqa: E402
from sijoint_exam.store.database import open_database  # noqa: E402
from sijoint_exam.store.encryption import encrypt_database  # noqa: E402
from sijoint_exam.store.repository import Repository  # noqa: E402

PASSPHRASE = "bench passphrase, long enough"
OPEN_RUNS = 5
SAVE_RUNS = 60


def bench_open(encrypted: Path, plain: Path) -> bool:
    """Open + quick_check of each, in turns so a busy spell on the machine hits
    both; the key derivation alone (page 1 read) beside them."""
    times: dict[str, list[float]] = {"encrypted": [], "plain": [], "key": []}
    actions = {
        "encrypted": lambda: open_database(encrypted, passphrase=PASSPHRASE).close(),
        "plain": lambda: open_database(plain).close(),
        "key": lambda: cipher.opens(encrypted, PASSPHRASE),
    }
    for turn in range(OPEN_RUNS + 1):
        for kind, action in actions.items():
            took = elapsed_ms(action)
            if turn:  # the first of each warms the file cache
                times[kind].append(took)
    ours, bare, key = (statistics.median(times[k]) for k in actions)
    print(
        f"  open + quick_check: encrypted ({_mb(encrypted)}) {ours:.0f} ms, of it "
        f"the key derivation {key:.0f} ms; the same database plain ({_mb(plain)}) "
        f"{bare:.0f} ms; encrypted / plain {ours / bare:.2f}× (no budget)"
    )
    return report("open + quick_check, encrypted", ours, 2000, "ms")


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.0f} MB"


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
    print(
        f"  save one visit: encrypted {ours:.2f} ms; plain {bare_ms:.2f} ms "
        f"(in turns, same run)"
    )
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
