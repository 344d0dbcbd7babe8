"""The lying-side choice follows the catalogue's flag, not a test's name."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget

from sijoint_exam.domain.catalogue import PROVOCATION_TESTS
from sijoint_exam.ui.sections import provocation


def test_a_row_asks_the_lying_side_exactly_when_the_catalogue_says(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    flagged = [t for t in PROVOCATION_TESTS if t.records_lying_side]
    assert [t.id for t in flagged] == ["compression"]  # the catalogue as it is
    for test in PROVOCATION_TESTS:
        row = provocation.TestRow(test, parent)
        assert (row.lying_side is not None) == test.records_lying_side, test.id
    # Another test given the flag gets the choice, named after it.
    sacral = next(t for t in PROVOCATION_TESTS if t.id == "sacral_thrust")
    row = provocation.TestRow(replace(sacral, records_lying_side=True), parent)
    assert row.lying_side is not None
    assert row.lying_side.objectName() == "provocation.sacral_thrust.lying_side"
