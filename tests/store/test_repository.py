"""The repository: patients and visits in, the same domain objects out."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlite_utils import Database

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.domain.visit import ProvocationFinding, Scoring
from sijoint_exam.store.repository import (
    DuplicateMrnError,
    NotFoundError,
    Repository,
    VisitSummary,
)

NINE_THIRTY = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _found(repo: Repository, text: str) -> list[str]:
    return [summary.patient.family_name for summary in repo.search_patients(text)]


@pytest.fixture
def clinic(repo: Repository, sample_patient) -> Repository:
    """Four patients: Latin, accented, Korean and lower-case names."""
    repo.add_patient(sample_patient())
    repo.add_patient(
        sample_patient(
            mrn="B-2002",
            family_name="Ñúñez",
            given_names="José",
            date_of_birth=dt.date(1990, 7, 1),
        )
    )
    repo.add_patient(
        sample_patient(
            mrn="C-3003",
            family_name="김",
            given_names="선애",
            date_of_birth=dt.date(1965, 12, 31),
        )
    )
    repo.add_patient(
        sample_patient(
            mrn="D-4004",
            family_name="de la Cruz",
            given_names="Grete Weiß",
            date_of_birth=dt.date(2001, 2, 3),
        )
    )
    return repo


# Patients


@pytest.mark.parametrize(
    ("family_name", "given_names"),
    [("Kim", "Sungae"), ("김", "선애"), ("Ñúñez", "José"), ("O'Brien-Łukasz", "")],
)
def test_patient_round_trip(
    repo: Repository, sample_patient, family_name: str, given_names: str
) -> None:
    patient = sample_patient(family_name=family_name, given_names=given_names)
    patient_id = repo.add_patient(patient)
    assert repo.get_patient(patient_id) == patient


def test_patient_timestamps_are_iso_utc(db: Database, sample_patient) -> None:
    times = iter([NINE_THIRTY, NINE_THIRTY + dt.timedelta(hours=2)])
    repo = Repository(db, clock=lambda: next(times))
    patient_id = repo.add_patient(sample_patient())
    repo.update_patient(patient_id, sample_patient(given_names="Sun-ae"))
    row = db.table("patient").get(patient_id)
    assert row["created_at"] == "2026-11-20T09:30:00+00:00"
    assert row["updated_at"] == "2026-11-20T11:30:00+00:00"
    assert row["date_of_birth"] == "1978-03-14"
    assert repo.get_patient(patient_id).given_names == "Sun-ae"


def test_unknown_patient(repo: Repository, sample_patient) -> None:
    with pytest.raises(NotFoundError):
        repo.get_patient(42)
    with pytest.raises(NotFoundError):
        repo.update_patient(42, sample_patient())


def test_duplicate_mrn_names_the_patient_who_has_it(
    repo: Repository, sample_patient
) -> None:
    repo.add_patient(sample_patient())
    message = 'MRN "A-1001" is already used by Kim, Sungae'
    with pytest.raises(DuplicateMrnError) as caught:
        repo.add_patient(sample_patient(family_name="Lee"))
    assert str(caught.value) == message
    assert len(repo.search_patients()) == 1


def test_update_to_another_patients_mrn_is_refused(
    repo: Repository, sample_patient
) -> None:
    repo.add_patient(sample_patient())
    lee = repo.add_patient(sample_patient(mrn="A-2002", family_name="Lee"))
    repo.update_patient(lee, sample_patient(mrn="A-2002", family_name="Lee-Park"))
    with pytest.raises(DuplicateMrnError, match="Kim, Sungae"):
        repo.update_patient(lee, sample_patient(family_name="Lee-Park"))
    assert repo.get_patient(lee).mrn == "A-2002"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["de la Cruz", "Kim", "Ñúñez", "김"]),  # case ignored
        ("김", ["김"]),
        ("선애", ["김"]),
        ("Ñúñ", ["Ñúñez"]),
        ("ñÚÑ", ["Ñúñez"]),  # case folded beyond ASCII
        ("N\u0303u\u0301n\u0303", ["Ñúñez"]),  # decomposed accents, as macOS types
        ("nunez", ["Ñúñez"]),  # accents are ignored
        ("NUÑEZ JOSE", ["Ñúñez"]),
        ("WEISS", ["de la Cruz"]),  # full case folding: ß is ss
        ("kim sung", ["Kim"]),
        ("  SUNGAE   kim ", ["Kim"]),
        ("kim josé", []),  # every word must match the same patient
        ("a-1001", ["Kim"]),
        ("1990-07", ["Ñúñez"]),
        ("kimsungae", []),  # no matching across fields
    ],
)
def test_search_patients(clinic: Repository, text: str, expected: list[str]) -> None:
    assert _found(clinic, text) == expected


def test_search_patients_limit_and_ids(clinic: Repository) -> None:
    [first] = clinic.search_patients(limit=1)
    assert first.patient.family_name == "de la Cruz"
    assert clinic.get_patient(first.id) == first.patient


# Visits


def test_visit_round_trip_and_summary(
    repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    visit = sample_visit()
    visit_id = repo.save_visit(patient_id, visit)
    assert repo.get_visit(visit_id) == visit
    assert repo.visit_patient_id(visit_id) == patient_id
    assert repo.list_visits(patient_id) == [
        VisitSummary(
            id=visit_id,
            patient_id=patient_id,
            date=dt.date(2026, 11, 20),
            clinician="J. Doe, PT",
            rule="vanderwurff_2006",
            positive_count=3,
            updated_at=NINE_THIRTY,
        )
    ]


def test_positive_count_follows_the_visits_rule(
    repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    # Laslett's four: distraction and thigh thrust positive; Gaenslen not counted.
    repo.save_visit(patient_id, sample_visit(scoring=Scoring(rule="laslett_2005_four")))
    [summary] = repo.list_visits(patient_id)
    assert (summary.rule, summary.positive_count) == ("laslett_2005_four", 2)


def test_provocation_rows_match_the_visit(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    visit_id = repo.save_visit(repo.add_patient(sample_patient()), sample_visit())
    rows = {
        (row["test_id"], row["side"], row["result"])
        for row in db.table("provocation_result").rows_where("visit_id = ?", [visit_id])
    }
    assert rows == {
        ("distraction", "none", "positive"),
        ("thigh_thrust", "left", "positive"),
        ("thigh_thrust", "right", "negative"),
        ("compression", "none", "negative"),
        ("faber", "left", "positive_other"),
        ("faber", "right", "negative"),
        ("gaenslen", "left", "positive"),
        ("gaenslen", "right", "not_tested"),
    }


def test_saving_over_a_visit_replaces_it_and_its_rows(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    revised = sample_visit(
        provocation={"sacral_thrust": ProvocationFinding(result=Result.POSITIVE)},
        plan="Diagnostic block",
    )
    assert repo.save_visit(patient_id, revised, visit_id=visit_id) == visit_id
    assert repo.get_visit(visit_id) == revised
    assert [s.id for s in repo.list_visits(patient_id)] == [visit_id]
    rows = list(db.query("SELECT test_id, side, result FROM provocation_result"))
    assert rows == [{"test_id": "sacral_thrust", "side": "none", "result": "positive"}]


def test_visit_and_rows_are_saved_together_or_not_at_all(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    db.execute(
        "CREATE TRIGGER refuse_results BEFORE INSERT ON provocation_result"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        repo.save_visit(patient_id, sample_visit(plan="new plan"), visit_id=visit_id)
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        repo.save_visit(patient_id, sample_visit())
    assert repo.get_visit(visit_id) == sample_visit()
    assert db.table("visit").count == 1
    assert db.table("provocation_result").count == 8


def test_visits_are_listed_newest_first(
    repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    other_id = repo.add_patient(sample_patient(mrn="Z-9", family_name="Other"))
    dates = [dt.date(2026, 1, 5), dt.date(2026, 11, 20), dt.date(2025, 6, 30)]
    for day in dates:
        repo.save_visit(patient_id, sample_visit(date=day))
    repo.save_visit(other_id, sample_visit(date=dt.date(2027, 1, 1)))
    listed = [summary.date for summary in repo.list_visits(patient_id)]
    assert listed == sorted(dates, reverse=True)
    assert repo.list_visits(12345) == []


def test_save_visit_refuses_what_it_cannot_store(
    repo: Repository, sample_patient, sample_visit
) -> None:
    kim = repo.add_patient(sample_patient())
    lee = repo.add_patient(sample_patient(mrn="A-2002", family_name="Lee"))
    kims_visit = repo.save_visit(kim, sample_visit())
    with pytest.raises(NotFoundError):
        repo.save_visit(999, sample_visit())
    with pytest.raises(NotFoundError):
        repo.save_visit(kim, sample_visit(), visit_id=999)
    with pytest.raises(ValueError, match="another patient"):
        repo.save_visit(lee, sample_visit(), visit_id=kims_visit)
    bogus = sample_visit(
        provocation={"bogus_test": ProvocationFinding(result=Result.POSITIVE)}
    )
    with pytest.raises(ValueError, match="bogus_test"):
        repo.save_visit(kim, bogus)
    assert repo.get_visit(kims_visit) == sample_visit()
    assert repo.list_visits(lee) == []


def test_unknown_visit(repo: Repository) -> None:
    with pytest.raises(NotFoundError):
        repo.get_visit(7)
    with pytest.raises(NotFoundError):
        repo.visit_patient_id(7)
