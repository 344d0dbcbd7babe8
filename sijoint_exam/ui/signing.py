"""Signing in the window: who signs, the checks acknowledged, the addendum, and
what a signed visit shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    import datetime as dt

    from sijoint_exam.store.signing import Addendum, Signature


def ask_clinician(parent: QWidget, current: str) -> str | None:
    """The signing clinician's name (asked once, then remembered by the caller)."""
    from PySide6.QtWidgets import QInputDialog  # dialogs: on first use

    name, ok = QInputDialog.getText(
        parent, "Sign visit", "Signed by (name and qualification):", text=current
    )
    return name.strip() or None if ok else None


def confirm_signing(parent: QWidget, clinician: str) -> bool:
    """Signing is final: say so before it happens."""
    from PySide6.QtWidgets import QMessageBox  # dialogs: on first use

    answer = QMessageBox.question(
        parent,
        "Sign visit",
        f"Sign this visit as {clinician}?\n\nA signed visit can no longer change; "
        "corrections are added as dated, signed addenda.",
    )
    return answer == QMessageBox.StandardButton.Yes


def acknowledge_checks(
    parent: QWidget, clinician: str, checks: Sequence[str]
) -> tuple[str, ...] | None:
    """Confirm signing with open checks, each acknowledged by name; the ids
    acknowledged (all of `checks`), or None when cancelled."""
    from sijoint_exam.ui.sign_dialog import SignDialog  # dialogs: on first use

    dialog = SignDialog(clinician, checks, parent)
    try:
        if dialog.exec() != SignDialog.DialogCode.Accepted:
            return None
        return dialog.acknowledged()
    finally:
        dialog.deleteLater()


def ask_addendum_text(parent: QWidget) -> str | None:
    """The text of a correction to a signed visit (None when cancelled)."""
    from sijoint_exam.ui.addendum_dialog import AddendumDialog  # on first use

    return AddendumDialog.ask(parent)


def local(moment: dt.datetime) -> str:
    """A stored UTC time on this computer's clock, with its zone: `10:30 CET`."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z")


class SignaturePanel(QLabel):
    """The signature of a visit and its addenda, in the order they were written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exam.signature")
        self.setWordWrap(True)
        self.hide()

    def show_signature(
        self, signature: Signature | None, addenda: Sequence[Addendum]
    ) -> None:
        """Show who signed and when, the content hash, then each addendum."""
        from html import escape  # not at import: html.entities is a large table

        from sijoint_exam.domain.catalogue_together import (  # not before a visit
            ACKNOWLEDGED_CHECKS_TITLE,
            CHECKS_BY_ID,
        )

        if signature is None:
            self.clear()
            self.hide()
            return
        lines = [
            f"<b>Signed</b> by {escape(signature.clinician)} on "
            f"{local(signature.signed_at)} · SHA-256 "
            f"<code>{signature.content_sha256[:16]}…</code> · read-only"
        ]
        if signature.acknowledged_checks:
            labels = "; ".join(
                CHECKS_BY_ID[c].label for c in signature.acknowledged_checks
            )
            lines.append(f"<b>{ACKNOWLEDGED_CHECKS_TITLE}:</b> {escape(labels)}")
        for addendum in addenda:
            lines.append(
                f"<b>Addendum</b> {local(addendum.created_at)}, "
                f"{escape(addendum.clinician)}: {escape(addendum.text)}"
            )
        self.setText("<br>".join(lines))
        self.show()
