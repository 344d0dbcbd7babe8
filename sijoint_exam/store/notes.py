"""The visit note or referral letter of a *stored* visit: the visit, its patient,
signature, addenda and earlier visits, read from the store and handed to the
domain's note builder. Shared by the window's batch export and `export-pdf`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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


def other_visits(
    repo: Repository, patient_id: int, visit_id: int | None
) -> list[Visit]:
    """The patient's visits other than `visit_id` (left out by id, never by value:
    an edited visit is not equal to its saved copy), read once per opened visit."""
    return [
        repo.get_visit(s.id) for s in repo.list_visits(patient_id) if s.id != visit_id
    ]


def note_for_visit(
    repo: Repository,
    visit_id: int,
    kind: str,
    letterhead: Letterhead,
    *,
    current: Visit | None = None,
    earlier: Sequence[Visit] | None = None,
) -> NoteContent:
    """The note (`kind` "note") or letter ("referral") of a stored visit.

    Args:
        current: the visit as it stands in the window, unsaved edits included;
            the stored visit by default.
        earlier: the patient's other visits when the caller already holds them.

    Raises:
        NotFoundError: No visit has this id.
    """
    visit = current if current is not None else repo.get_visit(visit_id)
    patient_id = repo.visit_patient_id(visit_id)
    signing, addenda = signing_inputs(repo.signature(visit_id), repo.addenda(visit_id))
    if earlier is None:
        earlier = other_visits(repo, patient_id, visit_id)
    return build_document(
        kind,
        repo.get_patient(patient_id),
        visit,
        letterhead=letterhead,
        signing=signing,
        addenda=addenda,
        earlier_visits=earlier,
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
