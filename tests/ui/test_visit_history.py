"""Progress in the window: new visit from the last one, comparison, trend chart."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from sijoint_exam.domain.outcomes import Pain
from sijoint_exam.domain.visit import History
from sijoint_exam.ui.visit_history import CompareDialog, TrendChart, TrendDialog


def two_visits(repo, sample_patient, sample_visit):
    patient_id = repo.add_patient(sample_patient())
    first = sample_visit(
        date=dt.date(2026, 11, 6),
        pain=Pain(now=7),
        history=History(mechanism="fall onto the left buttock"),
    )
    second = sample_visit(date=dt.date(2026, 11, 20), pain=Pain(now=4))
    repo.save_visit(patient_id, first)
    repo.save_visit(patient_id, second)
    return patient_id


def test_new_visit_from_last_keeps_history_not_findings(
    make_main_window, repo, sample_patient, sample_visit
):
    patient_id = repo.add_patient(sample_patient())
    repo.save_visit(
        patient_id,
        sample_visit(history=History(mechanism="fall onto the left buttock")),
    )
    window = make_main_window()
    window.open_patient(patient_id)
    window.new_visit_from_last()
    visit = window.form.visit()
    assert visit.history.mechanism == "fall onto the left buttock"
    assert visit.chief_complaint == sample_visit().chief_complaint
    assert visit.provocation == {}  # examined afresh
    assert window.session.visit_id is None


def test_compare_marks_the_important_nrs_change(
    make_main_window, repo, sample_patient, sample_visit
):
    window = make_main_window()
    window.open_patient(two_visits(repo, sample_patient, sample_visit))
    window.compare_with_previous()
    dialog = window.findChild(CompareDialog)
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    row = labels.index("Pain now (NRS)")
    assert table.item(row, 1).text() == "7"
    assert table.item(row, 2).text() == "4  ◆"  # 3 points: important
    assert table.horizontalHeaderItem(1).text() == "2026-11-06"


def test_trend_chart_gets_one_point_per_visit(
    make_main_window, repo, sample_patient, sample_visit, qtbot
):
    window = make_main_window()
    window.open_patient(two_visits(repo, sample_patient, sample_visit))
    window.show_trend()
    dialog = window.findChild(TrendDialog)
    chart = dialog.findChild(TrendChart)
    assert [p.nrs_now for p in chart.points] == [7, 4]
    image = chart.grab()  # paints without error, at a usable size
    assert image.width() >= 520 and image.height() >= 360


def test_compare_needs_two_visits(make_main_window, repo, sample_patient):
    window = make_main_window()
    window.open_patient(repo.add_patient(sample_patient()))
    assert not window.menu_actions.compare.isEnabled()
    assert window.findChild(CompareDialog) is None


def test_visit_list_shows_nrs_odi_and_state(
    make_main_window, repo, sample_patient, sample_visit
):
    from sijoint_exam.domain.outcomes import Odi

    patient_id = repo.add_patient(sample_patient())
    repo.save_visit(
        patient_id, sample_visit(pain=Pain(now=6), odi=Odi(answers=(2,) * 10))
    )
    window = make_main_window()
    window.open_patient(patient_id)
    model = window.visit_list.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    row = {h: model.data(model.index(0, c)) for c, h in enumerate(headers)}
    assert row["NRS"] == "6" and row["ODI"] == "40%"
    assert model.data(model.index(0, 5)) == "open"
