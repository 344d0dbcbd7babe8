"""Patient search: accent- and case-insensitive, every word must match, by index."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlite_utils import Database

from sijoint_exam.domain.visit import Patient
from sijoint_exam.store import search
from sijoint_exam.store.repository import Repository


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ñúñez", "nunez"),
        ("N\u0303u\u0301n\u0303ez", "nunez"),  # decomposed, as macOS types it
        ("GRETE WEIß", "grete weiss"),
        ("Łukasz Øster", "łukasz øster"),  # no combining mark to drop: kept
        ("김 선애", "김 선애"),  # Hangul survives decomposition into jamo
        ("ＡＢＣ１２", "abc12"),  # full-width forms
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert search.fold(text) == folded


FAMILY = ["Kim", "Ñúñez", "Nuñez", "García", "Weiß", "김", "이", "O'Brien", "Müller"]
GIVEN = ["José", "Sungae", "선애", "Grete", "Ana María", "Zoë", ""]


@pytest.fixture
def crowd(repo: Repository) -> list[tuple[int, Patient]]:
    """120 patients with names drawn from accented, Korean and plain lists."""
    chooser = random.Random(20261120)
    added = []
    for number in range(120):
        patient = Patient(
            mrn=f"M-{number:04d}",
            family_name=chooser.choice(FAMILY),
            given_names=chooser.choice(GIVEN),
            date_of_birth=dt.date(1940, 1, 1) + dt.timedelta(days=number * 211),
        )
        added.append((repo.add_patient(patient), patient))
    return added


def _brute_force(crowd: list[tuple[int, Patient]], text: str) -> list[int]:
    """What search must find, by the definition: every folded word is contained in
    one of the folded fields (never across two)."""
    words = [search.fold(word) for word in text.split()]
    found = []
    for patient_id, patient in crowd:
        fields = [
            search.fold(value)
            for value in (
                patient.family_name,
                patient.given_names,
                patient.mrn,
                patient.date_of_birth.isoformat(),
            )
        ]
        if all(any(word in field for field in fields) for word in words):
            found.append((search.fold(patient.family_name), patient_id))
    return [patient_id for _, patient_id in sorted(found)]


QUERIES = [
    "",
    "k",
    "KIM",
    "nunez",
    "ÑUÑ",
    "ñ",
    "uñ jos",
    "weiss grete",
    "weis",
    "ss",
    "김",
    "선",
    "김 선애",
    "o'b",
    "'",
    "m-00",
    "M-0042",
    "19",
    "1941-",
    "zoe",
    "ana maria",
    "maría ana",
    "müller zoë m-01",
    "x",
    "nothing here",
]


@pytest.mark.parametrize("text", QUERIES)
def test_search_finds_exactly_the_patients_whose_fields_contain_every_word(
    repo: Repository, crowd: list[tuple[int, Patient]], text: str
) -> None:
    found = repo.search_patients(text, limit=1000)
    # Names sort case-insensitively (NOCASE: ASCII only), ids break ties; compare
    # as sets and check the order separately.
    assert sorted(s.id for s in found) == sorted(_brute_force(crowd, text))
    keys = [
        (s.patient.family_name.lower(), s.patient.given_names.lower()) for s in found
    ]
    assert keys == sorted(keys)


def test_search_limit(repo: Repository, crowd) -> None:
    assert len(repo.search_patients("", limit=7)) == 7
    assert len(repo.search_patients("kim", limit=3)) == 3


@pytest.mark.parametrize(
    "text", ['"', '"kim', "kim*", "AND", "NEAR(kim", "kim OR lee", "-kim", "^k", "%"]
)
def test_search_text_is_never_query_syntax(repo: Repository, crowd, text: str) -> None:
    found = repo.search_patients(text, limit=1000)
    assert sorted(s.id for s in found) == sorted(_brute_force(crowd, text))


def test_search_follows_changes_of_name(repo: Repository, sample_patient) -> None:
    patient_id = repo.add_patient(sample_patient(family_name="Gonzalez"))
    repo.update_patient(patient_id, sample_patient(family_name="Ibáñez"))
    assert repo.search_patients("gonzalez") == []
    assert [s.id for s in repo.search_patients("ibanez")] == [patient_id]
    assert [s.id for s in repo.search_patients("iba")] == [patient_id]


@pytest.mark.parametrize(
    ("text", "index"),
    [("kim", "patient_search VIRTUAL TABLE"), ("k", "idx_patient_search")],
    ids=["trigram index for three letters", "name index for fewer"],
)
def test_search_uses_an_index_not_a_scan_of_patients(
    db: Database, text: str, index: str
) -> None:
    sql, params = search.query(text, 200)
    plan = [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    assert any(index in step for step in plan), plan
    assert "SCAN patient" not in plan, plan  # a scan of the table itself
