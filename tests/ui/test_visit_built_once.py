"""One click on a test builds the Visit once: the tally, the session's dirty check
and autosave all read that one (issue: it was rebuilt six times per click)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.ui.sections.provocation import ProvocationSection


def test_one_click_builds_the_visit_once(
    make_main_window, repo, sample_patient, sample_visit, qtbot, monkeypatch
):
    patient_id = repo.add_patient(sample_patient())
    repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.show()
    qtbot.waitExposed(window)
    window.open_patient(patient_id)
    qtbot.waitUntil(lambda: window.session is not None and window.session.is_open)
    tests = window.form.section(ProvocationSection)
    builds = []
    real_apply = ProvocationSection.apply

    def counted(self, visit):
        builds.append(1)
        return real_apply(self, visit)

    monkeypatch.setattr(ProvocationSection, "apply", counted)
    selector = tests.findChild(QToolButton, "negative")
    assert selector is not None
    qtbot.mouseClick(selector, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(builds) >= 1)
    session = window.session
    assert session.is_dirty
    assert session.write_draft()  # autosave reads the same visit
    assert window.form.visit() is session.current()
    assert len(builds) == 1
    # The change is in the built visit, and a save reads the widgets afresh.
    assert Result.NEGATIVE in {
        f.result for f in session.current().provocation.values()
    } | {f.left for f in session.current().provocation.values()}
    assert window.save_visit() is not False
    assert len(builds) == 2
