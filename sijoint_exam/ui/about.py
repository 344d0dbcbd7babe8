"""About: the version, where this program keeps its data, and the licences."""

from __future__ import annotations

from html import escape
from importlib.resources import files

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from sijoint_exam import __version__

PROGRAM_LICENCE = "GNU General Public License, version 3 or later"


def font_licences() -> list[str]:
    """The licence files shipped beside the bundled fonts."""
    fonts = files("sijoint_exam.resources") / "fonts"
    return sorted(p.name for p in fonts.iterdir() if p.name.endswith(".txt"))


class AboutDialog(QDialog):
    """A small, non-modal sheet; `facts` maps a label to a value (paths)."""

    def __init__(self, facts: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About sijoint-exam")
        self.setObjectName("about")
        rows = "".join(
            f"<tr><td><b>{escape(k)}</b>&nbsp;</td><td>{escape(v)}</td></tr>"
            for k, v in {"Version": __version__, **facts}.items()
        )
        licences = "".join(f"<li>{escape(name)}</li>" for name in font_licences())
        text = (
            "<h3>sijoint-exam</h3><p>Records a sacroiliac-joint examination and "
            "tallies the provocation tests against published rules. It supports the "
            "clinician's reasoning; it never states a diagnosis.</p>"
            f"<table>{rows}</table>"
            f"<p>Program licence: {PROGRAM_LICENCE}.<br>Bundled fonts, with "
            f"their licences in the program's resources/fonts:</p><ul>{licences}</ul>"
        )
        self.label = QLabel(text, self)
        self.label.setObjectName("about.text")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
