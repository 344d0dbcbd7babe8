"""A visit whose stored content cannot be read: the window names it and leaves
no visit open, instead of ending in a traceback."""

from __future__ import annotations

from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui import operations
from sijoint_exam.ui.main_window import MainWindow
from tests.conftest import TODAY


def test_a_damaged_visit_is_named_and_nothing_is_left_open(
    make_main_window, repo, db, sample_patient, sample_visit, monkeypatch
):
    patient_id = repo.add_patient(sample_patient())
    intact = repo.save_visit(patient_id, sample_visit(plan="intact"))
    damaged = repo.save_visit(patient_id, sample_visit(plan="damaged"))
    db.execute("UPDATE visit SET content = x'01ff00' WHERE id = ?", [damaged])
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(
        MainWindow,
        "show_error",
        lambda window, title, text: errors.append((title, text)),
    )
    window = make_main_window()
    window.open_patient(patient_id, intact)
    assert window.session.is_open

    window.open_visit(damaged)

    [(title, text)] = errors
    assert title == "The visit cannot be opened"
    assert text.startswith(f"Visit {damaged} cannot be read")
    assert not window.session.is_open
    assert window.session.visit_id is None
    assert not window.menu_actions.save.isEnabled()
    tally = {
        window.visit_list.model.row(row).id: window.visit_list.model.data(
            window.visit_list.model.index(row, 2)
        )
        for row in range(window.visit_list.model.rowCount())
    }
    assert tally == {intact: "3/5", damaged: "cannot be read"}
    # The intact visit still opens, and what reads the earlier visits skips it.
    window.open_visit(intact)
    assert window.session.is_open and window.form.visit().plan == "intact"
    carried = operations.template_from_last(
        window.session, Visit(date=TODAY), window.statusBar()
    )
    assert carried is not None
    assert carried.chief_complaint == sample_visit().chief_complaint
    # The intact visit's note is built, the damaged visit named as left out of
    # its trend instead of failing it.
    request = operations.note_request(
        window.session, window.settings.preferences, "note"
    )
    assert request is not None
    trend = request.build().section("Trend across visits")
    assert any(
        "Not in this trend: the visit of" in getattr(block, "text", "")
        for block in trend.blocks
    )
