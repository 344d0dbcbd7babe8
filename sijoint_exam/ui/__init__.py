"""All PySide6 code: the window, the exam form and its widgets."""
