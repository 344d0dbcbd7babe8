"""FlowLayout: answer buttons wrap onto a second line instead of widening the form."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton, QWidget

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.ui.widgets.finding_selector import FindingSelector
from sijoint_exam.ui.widgets.flow_layout import FlowLayout


def test_buttons_wrap_when_the_row_is_narrow(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host)
    buttons = []
    for text in ("Positive", "Other pain", "Negative", "Not tested", "Unable"):
        button = QToolButton(host)
        button.setText(text)
        button.setFixedSize(80, 44)
        layout.addWidget(button)
        buttons.append(button)
    one_line = layout.heightForWidth(1000)
    assert layout.heightForWidth(200) > one_line  # two buttons a line: three lines
    host.resize(200, layout.heightForWidth(200))
    host.show()
    qtbot.waitUntil(lambda: buttons[-1].y() > buttons[0].y())
    rows = sorted({b.y() for b in buttons})
    assert len(rows) == 3
    assert all(b.geometry().right() < 200 for b in buttons)
    # Wide enough: one line, in order.
    host.resize(1000, one_line)
    qtbot.waitUntil(lambda: len({b.y() for b in buttons}) == 1)
    assert [b.x() for b in buttons] == sorted(b.x() for b in buttons)


def test_a_result_row_is_no_wider_than_its_widest_button(qtbot):
    selector = FindingSelector("Thigh thrust, left")
    qtbot.addWidget(selector)
    widest = max(
        b.minimumSizeHint().width() for b in selector.findChildren(QToolButton)
    )
    assert selector.minimumSizeHint().width() < 2 * widest
    selector.set_result(Result.UNABLE)
    assert selector.result is Result.UNABLE
