"""A real program process for the kill test: edits the chief complaint again and
again, and prints an edit's number once the window's autosave has stored it."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from sijoint_exam.app import create_main_window  # noqa: E402
from sijoint_exam.domain.visit import Patient  # noqa: E402
from sijoint_exam.store.database import open_database  # noqa: E402
from sijoint_exam.store.repository import Repository  # noqa: E402
from sijoint_exam.ui.settings import Settings  # noqa: E402


def main() -> None:
    database, settings_file = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication([])
    repo = Repository(open_database(database))
    patient_id = repo.add_patient(Patient("K-1", "Kill", "Test", dt.date(1970, 1, 1)))
    window = create_main_window(repo, Settings(settings_file))
    window.open_patient(patient_id)
    edit = 0

    def next_edit() -> None:
        nonlocal edit
        edit += 1
        window.form.complaint_edit.setText(f"edit {edit}")
        # The window's own autosave timer writes the draft; poll the store for it.
        poll.start()

    def check_written() -> None:
        texts = [d.visit.chief_complaint for d in repo.drafts()]
        if f"edit {edit}" in texts:
            poll.stop()
            print(edit, flush=True)
            next_edit()

    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(check_written)
    next_edit()
    app.exec()  # runs until the test kills the process


if __name__ == "__main__":
    main()
