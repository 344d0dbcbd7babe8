"""Store budgets on a generated clinic of 100,000 patients and 300,000 visits.

    python bench/store_bench.py      (or through bench/run.py: `main() -> bool`)

Each figure is a median, and is set beside the same operation done with bare
`sqlite3` in the same run, on the same file: the same SQL, the same rows written,
without the repository around it. Budgets are reported, not asserted:

- open + quick_check   ≤ 1 s,    and ≤ 1.5× bare
- save of one visit    ≤ 10 ms,  and ≤ 1.5× bare
- patient search       ≤ 20 ms median per query, and ≤ 1.5× bare

The database is generated once per run (executemany in one transaction) in a
temporary folder, and removed at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import median_ms, report  # noqa: E402
from sijoint_exam.domain import visit_file  # noqa: E402
from sijoint_exam.domain.catalogue import Result, SymptomaticSide  # noqa: E402
from sijoint_exam.domain.demo import demo_clinic  # noqa: E402
from sijoint_exam.domain.visit import ProvocationFinding, Visit  # noqa: E402
from sijoint_exam.store import audit, search, visit_content  # noqa: E402
from sijoint_exam.store.database import open_database  # noqa: E402
from sijoint_exam.store.repository import Repository  # noqa: E402
from sijoint_exam.store.rows import result_rows  # noqa: E402

PATIENTS = 100_000
VISITS_PER_PATIENT = 3
OPEN_RUNS = 5
SAVE_RUNS = 60
SEARCH_RUNS = 7

FAMILY = (
    ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"] * 3
    + ["Kim", "Lee", "Park", "Choi", "Ñúñez", "García", "Müller", "Weiß", "O'Brien"]
    + ["Nguyễn", "Łukasz", "Dubois", "Rossi", "Silva", "Smith", "Jones", "Schmidt"]
)
SYLLABLES = ["서", "민", "지", "현", "영", "수", "준", "선", "애", "혜", "우", "진"]
LATIN_GIVEN = ["José", "Zoë", "Ana María", "Sungae", "Grete", "Jan", "Émile", "Ines"]

# A search-as-you-type mix: first letters, whole names, Korean names, MRNs, dates.
QUERIES = [
    "k",
    "ki",
    "kim",
    "nunez",
    "ÑÚÑ",
    "garcia jose",
    "김",
    "김 서",
    "박 민준",
    "weiss",
    "M0054321",
    "0054",
    "1978-03",
    "zz",
    "emile dubois",
]


def sample_visit(number: int = 0) -> Visit:
    """A five-test exam with some text, as the form saves one."""
    return Visit(
        date=dt.date(2026, 1, 1) + dt.timedelta(days=number % 365),
        clinician="J. Doe, PT",
        symptomatic_side=SymptomaticSide.LEFT,
        chief_complaint="Left buttock pain radiating to the posterior thigh",
        centralised=False,
        provocation={
            "distraction": ProvocationFinding(result=Result.POSITIVE),
            "thigh_thrust": ProvocationFinding(
                left=Result.POSITIVE, right=Result.NEGATIVE
            ),
            "compression": ProvocationFinding(result=Result.NEGATIVE),
            "faber": ProvocationFinding(
                left=Result.POSITIVE_OTHER, right=Result.NEGATIVE, note="groin"
            ),
            "gaenslen": ProvocationFinding(
                left=Result.POSITIVE, right=Result.NOT_TESTED
            ),
        },
        assessment="Findings consistent with left sacroiliac joint pain.",
        plan="Review in two weeks; consider a diagnostic block.",
    )


# Free text as clinicians write it, for the assessment and the plan: it is what
# compresses worst, so each stored visit carries some. Worded apart from the
# prose in store/visit_content.py's dictionary, so that the bench measures what
# the dictionary does for any note, not for sentences it happens to contain.
PHRASES = [
    "Left-sided SIJ provocation cluster positive; symptoms match her usual ache.",
    "Thigh thrust and compression both brought on the ache; distraction equivocal.",
    "Flexion in standing full; extension brings on a central back ache only.",
    "Both hips rotate fully without symptoms.",
    "Neuro screen unremarkable, SLR 80° bilaterally.",
    "Nurse on a surgical ward, frequent manual handling.",
    "Onset after slipping on ice in January; stairs and rolling over aggravate.",
    "Centralisation not observed during repeated movements.",
    "Pelvic belt eased the ache during the session.",
    "통증이 줄었음. 다음 주 재평가.",
    "Paciente refiere dolor glúteo izquierdo al subir escaleras.",
    "Follow up in 14 days, keep up the exercises at home.",
    "If no better, we will ask for a fluoroscopic SIJ injection.",
    "Plan agreed with her today.",
    "Modified duties at work for now; no lifting on one side.",
    "Progressed stabilisation work to single-leg stance.",
    "Mobilised left innominate; recheck ASLR next time.",
    "Injection response: NRS 8 down to 2 at 30 minutes after lidocaine.",
    "GP to consider inflammatory bloods given morning stiffness.",
    "Sleep disturbed two nights a week by the ache.",
]


def visit_variants(count: int = 1000) -> list[dict[str, Any]]:
    """`count` distinct visit contents as `sijoint-exam demo` makes them (a full
    exam with pain, ODI, red flags and often a block), each with an assessment
    and a plan of a few phrases in a random order."""
    chooser = random.Random(5)
    variants: list[dict[str, Any]] = []
    for _, visits in demo_clinic(count, dt.date(2026, 1, 1)):
        for visit in visits:
            content = visit_file.visit_to_dict(visit)
            content["assessment"] = " ".join(chooser.sample(PHRASES, 3))
            content["plan"] = " ".join(chooser.sample(PHRASES, 2))
            variants.append(content)
    return variants[:count]


def generate(path: Path) -> None:
    """The clinic: the real schema (through open_database), then rows in bulk."""
    with open_database(path):
        pass
    chooser = random.Random(4)
    now = "2026-01-01T00:00:00+00:00"

    def patients() -> Iterator[tuple[object, ...]]:
        for number in range(1, PATIENTS + 1):
            family = chooser.choice(FAMILY)
            if family[0] >= "가":
                given = "".join(chooser.choice(SYLLABLES) for _ in range(2))
            else:
                given = chooser.choice(LATIN_GIVEN)
            born = dt.date(1930, 1, 1) + dt.timedelta(days=chooser.randrange(29000))
            row = {
                "mrn": f"M{number:07d}",
                "family_name": family,
                "given_names": given,
                "date_of_birth": born.isoformat(),
                "sex": "unknown",
            }
            yield (number, *row.values(), search.search_text(row), now, now)

    variants = visit_variants()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA cache_size = -1000000")  # 1 GB: the indexes stay in
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO patient (id, mrn, family_name, given_names, date_of_birth,"
            " sex, search_text, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            patients(),
        )
        # Visits and their results in SQL, each visit one of the variants: Python
        # would spend most of the time building 3.3 million tuples.
        conn.execute(
            "CREATE TEMP TABLE variant (k INTEGER PRIMARY KEY, visit_date, clinician,"
            " symptomatic_side, rule, content)"
        )
        conn.execute("CREATE TEMP TABLE variant_result (k, test_id, side, result)")
        for k, content in enumerate(variants):
            conn.execute(
                "INSERT INTO variant VALUES (?, ?, ?, ?, ?, ?)",
                [
                    k,
                    content["date"],
                    content["clinician"],
                    content["symptomatic_side"],
                    content["scoring"]["rule"],
                    visit_content.pack(visit_file.canonical_json(content)),
                ],
            )
            conn.executemany(
                "INSERT INTO variant_result VALUES (?, ?, ?, ?)",
                result_rows(k, content["provocation"]),
            )
        conn.execute(
            "INSERT INTO visit (id, patient_id, visit_date, clinician,"
            " symptomatic_side, rule, content, created_at, updated_at)"
            " WITH RECURSIVE number(n) AS"
            " (SELECT 1 UNION ALL SELECT n + 1 FROM number WHERE n < ?)"
            " SELECT n, (n - 1) / ? + 1, v.visit_date, v.clinician,"
            " v.symptomatic_side, v.rule, v.content, ?, ? FROM number"
            " JOIN variant v ON v.k = n % ?",
            [
                PATIENTS * VISITS_PER_PATIENT,
                VISITS_PER_PATIENT,
                now,
                now,
                len(variants),
            ],
        )
        conn.execute(
            "INSERT INTO provocation_result SELECT visit.id, r.test_id, r.side,"
            " r.result FROM visit JOIN variant_result r ON r.k = visit.id % ?"
            " ORDER BY visit.id, r.test_id, r.side",
            [len(variants)],
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _bare(path: Path) -> sqlite3.Connection:
    """A bare connection, set up as the store sets up its own."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("busy_timeout = 5000", "foreign_keys = ON", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def bench_open(path: Path) -> bool:
    def ours() -> None:
        open_database(path).close()

    def bare(check_constraints: bool = False) -> Callable[[], None]:
        def run() -> None:
            conn = sqlite3.connect(path)
            if not check_constraints:  # as open_database does; see _quick_check
                conn.execute("PRAGMA ignore_check_constraints = ON")
            conn.execute("PRAGMA quick_check").fetchall()
            conn.close()

        return run

    ours_ms = median_ms(ours, OPEN_RUNS)
    bare_ms = median_ms(bare(), OPEN_RUNS)
    full_ms = median_ms(bare(check_constraints=True), OPEN_RUNS)
    print(
        f"  open + quick_check: {ours_ms:.0f} ms; bare sqlite3 {bare_ms:.0f} ms "
        f"(with CHECK constraints evaluated too: {full_ms:.0f} ms)"
    )
    return all(
        [
            report("open + quick_check", ours_ms, 1000, "ms"),
            report("open + quick_check / bare", ours_ms / bare_ms, 1.5, "×"),
        ]
    )


def bench_save(path: Path) -> bool:
    chooser = random.Random(7)
    visits = [sample_visit(number) for number in range(SAVE_RUNS + 1)]
    with contextlib.closing(open_database(path)) as db:
        repo = Repository(db)
        turn = iter(visits)
        ours_ms = median_ms(
            lambda: repo.save_visit(chooser.randrange(1, PATIENTS), next(turn)),
            SAVE_RUNS,
        )
    with contextlib.closing(_bare(path)) as conn:
        turn = iter(visits)
        bare_ms = median_ms(
            lambda: _bare_save(conn, chooser.randrange(1, PATIENTS), next(turn)),
            SAVE_RUNS,
        )
    print(f"  save one visit: {ours_ms:.2f} ms; bare sqlite3 {bare_ms:.2f} ms")
    return all(
        [
            report("save one visit", ours_ms, 10, "ms"),
            report("save one visit / bare", ours_ms / bare_ms, 1.5, "×"),
        ]
    )


def _bare_save(conn: sqlite3.Connection, patient_id: int, visit: Visit) -> None:
    """The rows save_visit writes, by hand: the visit, its results, its draft gone,
    its audit entry chained to the last."""
    content = visit_file.visit_to_dict(visit)
    content_json = visit_file.canonical_json(content)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("SELECT 1 FROM patient WHERE id = ?", [patient_id]).fetchone()
    visit_id = conn.execute(
        "INSERT INTO visit (patient_id, visit_date, clinician, symptomatic_side,"
        " rule, content, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        [
            patient_id,
            visit.date.isoformat(),
            visit.clinician,
            visit.symptomatic_side.value,
            visit.scoring.rule,
            visit_content.pack(content_json),
            now,
            now,
        ],
    ).lastrowid
    assert visit_id is not None
    conn.executemany(
        "INSERT INTO provocation_result VALUES (?, ?, ?, ?)",
        result_rows(visit_id, content["provocation"]),
    )
    conn.execute(
        "DELETE FROM draft WHERE patient_id = ? AND visit_id IS NULL", [patient_id]
    )
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
    last = conn.execute("SELECT entry_sha256 FROM audit_log ORDER BY id DESC LIMIT 1")
    next_id = (seq.fetchone() or (0,))[0] + 1
    previous = (last.fetchone() or (audit.GENESIS,))[0]
    content_sha = hashlib.sha256(content_json.encode()).hexdigest()
    fields = [next_id, now, "user", visit.clinician, "create", "visit", visit_id, ""]
    fields += [content_sha, previous]
    entry_sha = hashlib.sha256(json.dumps(fields).encode()).hexdigest()
    conn.execute(
        "INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?,?,?)", [*fields, entry_sha]
    )
    conn.execute("COMMIT")


def bench_search(path: Path) -> bool:
    ours, bare = [], []
    with (
        contextlib.closing(open_database(path)) as db,
        contextlib.closing(_bare(path)) as conn,
    ):
        repo = Repository(db)
        for text in QUERIES:
            sql, params = search.query(
                text, 200, "id, mrn, family_name, given_names, date_of_birth, sex"
            )
            ours.append(median_ms(lambda t=text: repo.search_patients(t), SEARCH_RUNS))
            bare.append(
                median_ms(
                    lambda s=sql, p=params: conn.execute(s, p).fetchall(), SEARCH_RUNS
                )
            )
    worst = max(range(len(QUERIES)), key=lambda i: ours[i])
    ours_ms, bare_ms = statistics.median(ours), statistics.median(bare)
    ratio = statistics.median(o / b for o, b in zip(ours, bare, strict=True))
    print(
        f"  patient search, {len(QUERIES)} queries: median {ours_ms:.2f} ms "
        f"(bare {bare_ms:.2f} ms); slowest {QUERIES[worst]!r} {ours[worst]:.2f} ms"
    )
    return all(
        [
            report("patient search, median per query", ours_ms, 20, "ms"),
            report("patient search / bare, median", ratio, 1.5, "×"),
        ]
    )


def generated_clinic(folder: Path) -> Path:
    """Generate the 100,000-patient clinic in `folder` and say how long it took."""
    path = folder / "clinic.sqlite3"
    start = time.perf_counter()
    generate(path)
    size_mb = path.stat().st_size / 1e6
    print(
        f"  store: generated {PATIENTS:,} patients, "
        f"{PATIENTS * VISITS_PER_PATIENT:,} visits ({size_mb:.0f} MB) in "
        f"{time.perf_counter() - start:.1f} s"
    )
    return path


def main(path: Path | None = None) -> bool:
    """Print each figure against its budget (on `path`, or a clinic generated
    here); True if all are within budget. Saving writes to the database."""
    with tempfile.TemporaryDirectory() as tmp:
        path = path or generated_clinic(Path(tmp))
        results = [bench_open(path), bench_save(path), bench_search(path)]
    return all(results)


if __name__ == "__main__":
    ok = main()
    print("all within budget" if ok else "some figures are over budget")
