"""`score`, `import` and `export`: the visit file (docs/visit-format.md), headless."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sijoint_exam.cli.common import (
    EPILOG,
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    clinician_argument,
    command_clinician,
    database_argument,
    open_existing_for_command,
    open_for_command,
)

if TYPE_CHECKING:  # the domain is imported inside the handlers, as it is needed
    from sijoint_exam.domain.visit import Patient, Visit
    from sijoint_exam.store.repository import Repository

# A visit file is a few kilobytes; anything this large is not one.
MAX_FILE_BYTES = 1024 * 1024
# Problem lines printed for one file (docs/visit-format.md).
MAX_PROBLEM_LINES = 20


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `score`, `import` and `export`."""
    score = subparsers.add_parser(
        "score",
        help="score a visit file: cluster, blocks, ODI, ASLR, red flags",
        description="Read a visit file and print every result the rules derive "
        "from it. No database is needed. The file's format is described in "
        "docs/visit-format.md.",
        epilog=EPILOG,
    )
    score.add_argument("file", type=Path, metavar="FILE")
    score.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON (docs/visit-format.md)",
    )
    score.set_defaults(run=run_score)

    imports = subparsers.add_parser(
        "import",
        help="import visit files into the database",
        description="Check every FILE first; import nothing if one is invalid. Each "
        "file's patient and visit are then written together or not at all. An "
        "existing patient with the same MRN is reused when family name, given "
        "names and date of birth match. Prints each new visit's id on its own line.",
        epilog=EPILOG,
    )
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE")
    database_argument(imports)
    clinician_argument(imports)
    imports.set_defaults(run=run_import)

    export = subparsers.add_parser(
        "export",
        help="write a stored visit as a visit file or a FHIR R4 bundle",
        description="Write the visit VISIT_ID (to standard output, or to FILE with "
        "-o) as the program's visit file (--format json) or as a FHIR R4 "
        "transaction Bundle (--format fhir) that an R4 server accepts with one "
        "POST to its base URL. With --format fhir, --from/--to/--out-dir write "
        "one Bundle per visit dated in that range.",
        epilog=EPILOG,
    )
    export.add_argument("visit_id", nargs="?", type=int, metavar="VISIT_ID")
    export.add_argument("--format", choices=("json", "fhir"), required=True)
    export.add_argument("-o", "--output", type=Path, metavar="FILE")
    from sijoint_exam.cli.fhir_commands import add_fhir_arguments

    add_fhir_arguments(export)
    database_argument(export)
    clinician_argument(export)
    export.set_defaults(run=run_export)


def _error(line: str) -> None:
    print(line, file=sys.stderr)


# ---------------------------------------------------------------------------
# Reading a visit file.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refused:
    """Why a file could not be used: the lines to print and the exit status."""

    lines: list[str]
    status: int


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A repeated key would silently drop the first value: refuse it like a typo.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _json_value(path: Path) -> Any:
    """The file's JSON value, or `_Refused`."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return _Refused(
            [f"{path}: cannot be read: {exc.strerror or exc}"], EXIT_FAILURE
        )
    if len(data) > MAX_FILE_BYTES:
        message = f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB, not a visit file"
        return _Refused([message], EXIT_INVALID_INPUT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _Refused([f"{path}: not UTF-8 text"], EXIT_INVALID_INPUT)
    try:
        return json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates
        )
    except RecursionError:
        message = f"{path}: not valid JSON: nested too deeply"
        return _Refused([message], EXIT_INVALID_INPUT)
    except ValueError as exc:
        return _Refused([f"{path}: not valid JSON: {exc}"], EXIT_INVALID_INPUT)


def read_visit_file(path: Path, today: dt.date) -> tuple[Patient, Visit] | _Refused:
    """The patient and visit of a visit file, or why it is refused."""
    from sijoint_exam.domain.visit_file import parse_document

    value = _json_value(path)
    if isinstance(value, _Refused):
        return value
    parsed = parse_document(value, today)
    if isinstance(parsed, list):
        return _Refused(
            capped([str(problem) for problem in parsed]), EXIT_INVALID_INPUT
        )
    return parsed


def capped(lines: list[str]) -> list[str]:
    """The first `MAX_PROBLEM_LINES` lines, then how many more there were: a
    file with thousands of problems says enough in a screenful."""
    if len(lines) <= MAX_PROBLEM_LINES:
        return lines
    return [*lines[:MAX_PROBLEM_LINES], f"and {len(lines) - MAX_PROBLEM_LINES:,} more"]


# ---------------------------------------------------------------------------
# score
# ---------------------------------------------------------------------------


def run_score(args: argparse.Namespace) -> int:
    """Print the score of one visit file."""
    from sijoint_exam.domain.score import score_to_json, score_to_text, score_visit

    parsed = read_visit_file(args.file, dt.date.today())
    if isinstance(parsed, _Refused):
        for line in parsed.lines:
            _error(line)
        return parsed.status
    patient, visit = parsed
    score = score_visit(visit)
    if args.json:
        print(json.dumps(score_to_json(score), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(score_to_text(score, patient))
    return EXIT_OK


# ---------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------


def _patient_with_mrn(repo: Repository, mrn: str) -> tuple[int, Patient] | None:
    # Search finds every patient whose record contains the MRN; keep the exact one.
    for summary in repo.search_patients(mrn, limit=2**62):
        if summary.patient.mrn == mrn:
            return summary.id, summary.patient
    return None


def _same_person(a: Patient, b: Patient) -> bool:
    return (a.family_name, a.given_names, a.date_of_birth) == (
        b.family_name,
        b.given_names,
        b.date_of_birth,
    )


def _mrn_conflict(path: Path, patient: Patient, other: Patient) -> str:
    return (
        f"{path}: patient.mrn: {patient.mrn!r} belongs to {other.display_name}, "
        f"born {other.date_of_birth}, not to {patient.display_name}, "
        f"born {patient.date_of_birth}"
    )


def _conflicts(
    repo: Repository, loaded: list[tuple[Path, Patient, Visit]]
) -> list[str]:
    """Files whose MRN names someone else, in the database or an earlier file."""
    lines = []
    claimed: dict[str, Patient] = {}
    for path, patient, _ in loaded:
        stored = _patient_with_mrn(repo, patient.mrn)
        other = stored[1] if stored else claimed.get(patient.mrn)
        if other is not None and not _same_person(patient, other):
            lines.append(_mrn_conflict(path, patient, other))
        claimed.setdefault(patient.mrn, patient)
    return lines


def _store(repo: Repository, db: Any, patient: Patient, visit: Visit) -> int:
    """Write one file's patient (unless known) and visit in one transaction."""
    from sijoint_exam.store.transactions import immediate

    # IMMEDIATE, not db.atomic()'s deferred BEGIN: this reads before it writes, and
    # must wait for another writer rather than fail (see store.transactions).
    with immediate(db):
        stored = _patient_with_mrn(repo, patient.mrn)
        patient_id = stored[0] if stored else repo.add_patient(patient)
        return repo.save_visit(patient_id, visit)


def run_import(args: argparse.Namespace) -> int:
    """Import every file, or none if one is invalid; print each new visit id."""
    today = dt.date.today()
    loaded = []
    status = EXIT_OK
    for path in args.files:
        parsed = read_visit_file(path, today)
        if isinstance(parsed, _Refused):
            prefix = f"{path}: "
            for line in parsed.lines:
                _error(line if line.startswith(prefix) else prefix + line)
            status = max(status, parsed.status)
        else:
            loaded.append((path, *parsed))
    if status != EXIT_OK:
        return status
    from sijoint_exam.store.database import DatabaseError
    from sijoint_exam.store.repository import Repository

    try:
        db = open_for_command(args)
    except DatabaseError as exc:
        _error(str(exc))
        return EXIT_FAILURE
    try:
        repo = Repository(db, clinician=command_clinician(args))
        conflicts = _conflicts(repo, loaded)
        for line in conflicts:
            _error(line)
        if conflicts:
            return EXIT_INVALID_INPUT
        for _, patient, visit in loaded:
            print(_store(repo, db, patient, visit), flush=True)
    finally:
        db.close()
    return EXIT_OK


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    """Write the visit file (or FHIR Bundle) of a stored visit, and log the export."""
    if args.format == "fhir":
        from sijoint_exam.cli.fhir_commands import run_export_fhir

        return run_export_fhir(args)
    problems = []
    if args.visit_id is None:
        problems.append("export: VISIT_ID: required with --format json")
    if any(x is not None for x in (args.from_date, args.to_date, args.out_dir)):
        problems.append("export: --from/--to/--out-dir: only with --format fhir")
    if args.identifier_system is not None:
        problems.append("export: --identifier-system: only with --format fhir")
    for line in problems:
        _error(line)
    if problems:
        return EXIT_INVALID_INPUT
    from sijoint_exam.store.repository import Repository

    # No instance lock: export may run beside the window, as `verify` does.
    db = open_existing_for_command(args, instance_lock=False)
    if db is None:
        return EXIT_FAILURE
    try:
        repo = Repository(db, clinician=command_clinician(args))
        return _export(repo, args.visit_id, args.output)
    finally:
        db.close()


def _export(repo: Repository, visit_id: int, output: Path | None) -> int:
    from sijoint_exam.domain.visit_file import document
    from sijoint_exam.store.repository import DamagedRecordError, NotFoundError

    try:
        visit = repo.get_visit(visit_id)
        patient = repo.get_patient(repo.visit_patient_id(visit_id))
    except NotFoundError:
        _error(f"VISIT_ID: there is no visit with id {visit_id}")
        return EXIT_INVALID_INPUT
    except DamagedRecordError as exc:
        _error(str(exc))
        return EXIT_FAILURE
    signature = repo.signature(visit_id)
    checks = None if signature is None else signature.acknowledged_checks
    content = document(patient, visit, checks)
    text = json.dumps(content, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            from sijoint_exam.store.files import write_text_whole

            write_text_whole(output, text)
        except OSError as exc:
            _error(f"{output}: cannot be written: {exc.strerror or exc}")
            return EXIT_FAILURE
    repo.record_export(visit_id, output or "standard output", "visit file")
    _warn_of_refusal_on_import(visit_id, content)
    return EXIT_OK


def _warn_of_refusal_on_import(visit_id: int, content: dict[str, object]) -> None:
    """A record stored before the input limits may hold what `import` now
    refuses (a control character, say): the file is written as the record is,
    nothing left out, and the warning names each field so it can be corrected."""
    from sijoint_exam.domain.input_limits import limit_problems

    problems = limit_problems(content)
    if not problems:
        return
    _error(
        f"export: warning: visit {visit_id} was written as stored, but `import` "
        "refuses the file until these are corrected (in the window, or in the file "
        "for a signed visit):"
    )
    for line in capped([str(problem) for problem in problems]):
        _error(f"  {line}")
