"""At 1366×768 with QT_SCALE_FACTOR=2 (683×384 to Qt) the exam column is about 340
px wide: no section may make the whole form, and so every result row, scroll
sideways (a wide table scrolls on its own; buttons and form rows wrap)."""

from __future__ import annotations

import datetime as dt

from sijoint_exam.domain.block import Block, BlockSide, Guidance, Reading
from sijoint_exam.domain.catalogue import Agent
from sijoint_exam.ui.exam_form import ExamForm
from sijoint_exam.ui.widgets.sideways import SidewaysScroll

EXAM_COLUMN_AT_SCALE_2 = 340


def test_the_exam_fits_a_column_of_a_window_at_scale_2(qtbot, sample_visit):
    form = ExamForm()
    qtbot.addWidget(form)
    block = Block(
        date=dt.date(2026, 10, 2),
        number=1,
        side=BlockSide.LEFT,
        agent=Agent.LIDOCAINE,
        pre=7,
        guidance=Guidance.FLUOROSCOPY,
        readings=(Reading(30, 1, 90), Reading(60, 2)),
    )
    form.load(sample_visit(blocks=(block,)))  # readings: the widest section
    form.resize(EXAM_COLUMN_AT_SCALE_2 + 40, 400)
    form.show()
    qtbot.waitExposed(form)
    body = form.scroll_area.widget()
    assert body.minimumSizeHint().width() <= EXAM_COLUMN_AT_SCALE_2
    qtbot.waitUntil(lambda: form.scroll_area.horizontalScrollBar().maximum() == 0)
    # The block's readings table is still whole, inside its own sideways scroll.
    (table,) = [s for s in form.findChildren(SidewaysScroll)]
    assert table.widget().minimumSizeHint().width() > table.width()
