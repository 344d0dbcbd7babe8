"""ExamSession: which patient and visit are open, what was saved, and the store
calls on them (drafts, saving, signing). No widgets: the window shows the result.

Kept apart from the window in the manner of Anki's thin GUI operations, so the
rules of "what is saved, what is a draft, what is signed" read in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sijoint_exam.domain.visit import Patient, Visit

if TYPE_CHECKING:
    from sijoint_exam.store.drafts import Draft
    from sijoint_exam.store.notes import OtherVisits
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.store.signing import Addendum, Signature


@dataclass(frozen=True)
class Opened:
    """What the form should show after opening a visit."""

    visit: Visit
    draft: Draft | None  # the unsaved changes that were restored, if any


@dataclass
class ExamSession:
    """The open exam. `current` gives the form's visit as it stands now."""

    repository: Repository
    current: Callable[[], Visit]
    patient_id: int | None = None
    patient: Patient | None = None
    visit_id: int | None = None  # None: a new visit, not saved yet
    # The visit as last saved, or as a new visit started: edits are measured
    # against it, so an untouched new visit leaves no draft behind.
    baseline: Visit | None = None
    signature: Signature | None = None
    addenda: list[Addendum] = field(default_factory=list)
    # The room a visit is in progress in, when it is another room's (read-only).
    elsewhere: str | None = None
    # The patient's other visits, read once per opened visit (the note's trend).
    _others: OtherVisits | None = field(default=None, repr=False)

    @property
    def is_open(self) -> bool:
        return self.patient_id is not None and self.baseline is not None

    @property
    def signed(self) -> bool:
        return self.signature is not None

    @property
    def read_only(self) -> bool:
        """Signed, or another room's visit in progress."""
        return self.signed or self.elsewhere is not None

    @property
    def is_dirty(self) -> bool:
        """True when the form differs from the saved visit (or the new template)."""
        return self.is_open and self.current() != self.baseline

    # Opening

    def open_patient(self, patient_id: int) -> int | None:
        """Make `patient_id` current; returns the newest visit's id, if any."""
        self.patient_id = patient_id
        self.patient = self.repository.get_patient(patient_id)
        visits = self.repository.list_visits(patient_id)
        return visits[0].id if visits else None

    def open_visit(self, visit_id: int) -> Opened:
        """A saved visit, with its draft if one was left.

        Raises:
            DamagedRecordError: Its stored content cannot be read; then no visit
                is open (nothing the form holds can be saved over another).
        """
        self.visit_id, self.baseline = None, None
        self.baseline = self.repository.get_visit(visit_id)
        self.visit_id = visit_id
        return self._opened()

    def new_visit(self, template: Visit) -> Opened:
        """A new visit from `template` (or the draft of one never saved)."""
        self.visit_id = None
        self.baseline = template
        return self._opened()

    def other_visits(self) -> OtherVisits:
        """The patient's visits but this one, left out by id (an edited visit is
        not equal to its saved copy), with the dates of those that cannot be
        read; read once per opened visit."""
        from sijoint_exam.store.notes import OtherVisits, other_visits

        if self.patient_id is None:
            return OtherVisits([], [])
        if self._others is None:
            self._others = other_visits(self.repository, self.patient_id, self.visit_id)
        return self._others

    def _opened(self) -> Opened:
        self._others = None  # another visit: its others are read when first asked
        self._read_signature()
        assert self.baseline is not None
        draft = None if self.read_only else self.draft()
        return Opened(draft.visit if draft else self.baseline, draft)

    # Drafts

    def draft(self) -> Draft | None:
        """The autosaved draft of the open visit, if there is one."""
        for draft in self.repository.drafts():
            if (draft.patient_id, draft.visit_id) == (self.patient_id, self.visit_id):
                return draft
        return None

    def write_draft(self) -> bool:
        """Autosave: store the form as the draft, or drop a stale one; True if
        a draft was written."""
        if not self.is_open or self.read_only:
            return False
        assert self.patient_id is not None
        if self.is_dirty:
            self.repository.save_draft(self.patient_id, self.visit_id, self.current())
            return True
        if (stale := self.draft()) is not None:
            self.repository.discard_draft(stale.id)
        return False

    def revert(self) -> Visit:
        """Drop the draft; the saved visit (or the new template) to show again."""
        if (draft := self.draft()) is not None:
            self.repository.discard_draft(draft.id)
        assert self.baseline is not None
        return self.baseline

    # Saving and signing

    def save(self) -> None:
        """Save the form's visit as the record (the store clears its draft in the
        same transaction). Raises what the store raises."""
        assert self.patient_id is not None
        visit = self.current()
        self.visit_id = self.repository.save_visit(
            self.patient_id, visit, self.visit_id
        )
        self.baseline = visit

    def sign(self, clinician: str, acknowledged_checks: Sequence[str] = ()) -> None:
        """Sign the saved visit, with the checks before signing the clinician
        acknowledged by name; from now on it cannot change."""
        assert self.visit_id is not None and not self.is_dirty
        self.repository.sign_visit(self.visit_id, clinician, acknowledged_checks)
        self._read_signature()

    def add_addendum(self, text: str, clinician: str) -> None:
        """Append a dated, signed correction to the signed visit."""
        assert self.visit_id is not None and self.signed
        self.repository.add_addendum(self.visit_id, text, clinician)
        self._read_signature()

    def _read_signature(self) -> None:
        if self.visit_id is None:
            self.signature, self.addenda, self.elsewhere = None, [], None
            return
        self.signature = self.repository.signature(self.visit_id)
        self.elsewhere = self.repository.room_elsewhere(self.visit_id)
        self.addenda = self.repository.addenda(self.visit_id)
