"""Shared fixtures: headless Qt, sample patients and visits, an in-memory store."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

# Qt aborts on a display-less machine without this; setdefault lets a developer
# watch with QT_QPA_PLATFORM=xcb.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Stored times are UTC and shown on the computer's clock: the tests' clock is UTC,
# wherever they run, so that the times they expect are the same everywhere.
os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

from sijoint_exam.domain.catalogue import Result, SymptomaticSide  # noqa: E402
from sijoint_exam.domain.visit import (  # noqa: E402
    Patient,
    ProvocationFinding,
    Sex,
    Visit,
)

# The throwaway PostgreSQL of the clinic-server tests (fixtures clinic_server, clinic).
pytest_plugins = ["tests.clinic_server"]

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def sample_patient() -> Callable[..., Patient]:
    """A factory: `sample_patient(family_name="Ñúñez")`."""

    def make(**overrides: Any) -> Patient:
        base = Patient(
            mrn="A-1001",
            family_name="Kim",
            given_names="Sungae",
            date_of_birth=dt.date(1978, 3, 14),
            sex=Sex.FEMALE,
        )
        return replace(base, **overrides)

    return make


@pytest.fixture
def sample_visit() -> Callable[..., Visit]:
    """A factory for a left-sided visit with three of five positive."""

    def make(**overrides: Any) -> Visit:
        base = Visit(
            date=TODAY,
            clinician="J. Doe, PT",
            symptomatic_side=SymptomaticSide.LEFT,
            chief_complaint="Left buttock pain radiating to the foot",
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
        )
        return replace(base, **overrides)

    return make


@pytest.fixture
def db():
    """A migrated in-memory database."""
    from sijoint_exam.store.database import open_database

    database = open_database(None)
    yield database
    database.close()


@pytest.fixture
def repo(db):
    """A repository over the in-memory database, with a fixed clock."""
    from sijoint_exam.store.repository import Repository

    return Repository(db, clock=lambda: dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC))
