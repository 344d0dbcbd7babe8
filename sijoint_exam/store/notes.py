"""The visit note or referral letter of a *stored* visit: the visit, its patient,
signature, addenda and earlier visits, read from the store and handed to the
domain's note builder. Shared by the window's batch export and `export-pdf`."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from sijoint_exam.domain.note import (
    AddendumInfo,
    Letterhead,
    NoteContent,
    SigningInfo,
    build_document,
)
from sijoint_exam.domain.visit import Visit

if TYPE_CHECKING:
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.store.signing import Addendum, Signature

log = logging.getLogger(__name__)

NOTE = "note"
REFERRAL = "referral"


def signing_inputs(
    signature: Signature | None, addenda: Sequence[Addendum]
) -> tuple[SigningInfo | None, list[AddendumInfo]]:
    """The store's signature and addenda as the note builder takes them."""
    signing = (
        SigningInfo(
            signature.clinician,
            signature.signed_at,
            signature.content_sha256,
            signature.acknowledged_checks,
        )
        if signature is not None
        else None
    )
    return signing, [AddendumInfo(a.created_at, a.text, a.clinician) for a in addenda]


class OtherVisits(NamedTuple):
    """A patient's visits other than the one a note is for."""

    visits: list[Visit]
    # The dates of those whose stored record cannot be read: the note's trend
    # names them as left out, rather than failing the note of a good visit.
    unreadable_dates: list[dt.date]


def other_visits(
    repo: Repository, patient_id: int, visit_id: int | None
) -> OtherVisits:
    """The patient's visits other than `visit_id` (left out by id, never by value:
    an edited visit is not equal to its saved copy), read once per opened visit."""
    from sijoint_exam.store.errors import DamagedRecordError

    others = OtherVisits([], [])
    for summary in repo.list_visits(patient_id):
        if summary.id == visit_id:
            continue
        try:
            others.visits.append(repo.get_visit(summary.id))
        except DamagedRecordError:
            log.warning("visit %s cannot be read; left out of the trend", summary.id)
            others.unreadable_dates.append(summary.date)
    return others


def note_for_visit(
    repo: Repository,
    visit_id: int,
    kind: str,
    letterhead: Letterhead,
    *,
    current: Visit | None = None,
) -> NoteContent:
    """The note (`kind` "note") or letter ("referral") of a stored visit.

    Args:
        current: the visit as it stands in the window, unsaved edits included;
            the stored visit by default.

    Raises:
        NotFoundError: No visit has this id.
        DamagedRecordError: This visit's stored content cannot be read (another
            visit's is named in the note's trend instead).
    """
    visit = current if current is not None else repo.get_visit(visit_id)
    patient_id = repo.visit_patient_id(visit_id)
    signing, addenda = signing_inputs(repo.signature(visit_id), repo.addenda(visit_id))
    others = other_visits(repo, patient_id, visit_id)
    return build_document(
        kind,
        repo.get_patient(patient_id),
        visit,
        letterhead=letterhead,
        signing=signing,
        addenda=addenda,
        earlier_visits=others.visits,
        unreadable_dates=others.unreadable_dates,
    )


def letter_refusal_for_visit(repo: Repository, visit_id: int) -> str | None:
    """Why a stored visit's referral letter may not be exported, or None.

    Raises:
        NotFoundError: No visit has this id.
    """
    from sijoint_exam.domain.score import score_visit
    from sijoint_exam.domain.together import letter_refusal

    signature = repo.signature(visit_id)
    acknowledged = () if signature is None else signature.acknowledged_checks
    return letter_refusal(score_visit(repo.get_visit(visit_id)).checks, acknowledged)
