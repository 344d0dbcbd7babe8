"""The research dataset's rows and REDCap dictionary (exchange/research.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest

from sijoint_exam.cli.research_command import _csv_text
from sijoint_exam.domain.demo import demo_clinic
from sijoint_exam.domain.visit import Patient
from sijoint_exam.exchange import research
from tests.exchange.redcap_check import data_problems, dictionary_problems


def _texts(dataset: research.Dataset) -> dict[str, str]:
    return {
        "visits": _csv_text(research.columns(research.VISIT_FIELDS), dataset.visits),
        "tests": _csv_text(research.columns(research.TEST_FIELDS), dataset.tests),
        "blocks": _csv_text(research.columns(research.BLOCK_FIELDS), dataset.blocks),
    }


def _dictionary() -> str:
    return _csv_text(list(research.DICTIONARY_COLUMNS), research.data_dictionary())


def _demo(patients: int = 30) -> list:
    clinic = demo_clinic(patients, dt.date(2026, 11, 20), seed=5)
    return [(p, [(v, n % 2 == 0) for n, v in enumerate(vs)]) for p, vs in clinic]


def test_dictionary_passes_the_redcap_check() -> None:
    assert dictionary_problems(_dictionary()) == []


def test_the_check_catches_what_redcap_refuses() -> None:
    rows = research.data_dictionary()
    rows[1] = {**rows[1], "Variable / Field Name": "Visit-Year"}
    rows[3] = {**rows[3], "Choices, Calculations, OR Slider Labels": "female"}
    rows.append(rows[2])  # a name twice, and its form split in two
    found = dictionary_problems(_csv_text(list(research.DICTIONARY_COLUMNS), rows))
    assert any("Visit-Year: not a valid variable name" in p for p in found)
    assert any("is not 'code, label'" in p for p in found)
    assert any("appears twice" in p for p in found)
    assert any("is split in two" in p for p in found)


def test_every_data_file_fits_the_dictionary() -> None:
    dataset = research.build_dataset(_demo(), random.Random(3))
    dictionary = _dictionary()
    for name, text in _texts(dataset).items():
        assert data_problems(dictionary, text) == [], name
    assert len(dataset.visits) > 30 and dataset.blocks and dataset.tests


def test_record_ids_are_a_shuffled_count_not_the_mrn_order() -> None:
    patients = _demo(12)
    first = research.build_dataset(patients, random.Random(1)).key
    second = research.build_dataset(patients, random.Random(2)).key
    assert [r for r, _ in first] == [str(n) for n in range(1, 13)]
    assert dict(first) != dict(second)  # the same patients, new pseudonyms
    assert sorted(m for _, m in first) == sorted(p.mrn for p, _ in patients)


@pytest.mark.parametrize(
    ("born", "text"),
    [
        (dt.date(1936, 11, 21), "89"),  # 90 tomorrow
        (dt.date(1936, 11, 20), "90+"),
        (dt.date(1920, 1, 1), "90+"),
        (dt.date(2000, 2, 29), "26"),
    ],
)
def test_age_of_ninety_and_over_is_aggregated(born: dt.date, text: str) -> None:
    patient = Patient("X", "Y", "Z", born)
    assert research.age_text(patient, dt.date(2026, 11, 20)) == text


def test_one_test_row_per_visit_test_and_side() -> None:
    patients = _demo(4)
    dataset = research.build_dataset(patients, random.Random(0))
    visits = sum(len(vs) for _, vs in patients)
    # 4 lateral tests × 2 sides + 3 non-lateral = 11 rows per visit.
    assert len(dataset.tests) == visits * 11
    rows = list(csv.DictReader(io.StringIO(_texts(dataset)["tests"])))
    assert {r["test_side"] for r in rows} == {"left", "right", "none"}
