"""The window can show every script the PDF can: the bundled fonts are Qt's too."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from sijoint_exam.ui.bundled_fonts import add_bundled_fonts


def test_bundled_fonts_cover_hangul_and_chinese_names(qapp):
    families = add_bundled_fonts()
    assert "NanumGothic" in families
    writing = QFontDatabase.WritingSystem
    assert writing.Korean in QFontDatabase.writingSystems("NanumGothic")
    fallback = next(f for f in families if f.startswith("Droid Sans Fallback"))
    assert writing.SimplifiedChinese in QFontDatabase.writingSystems(fallback)
    # Every character of a Korean name is in the font Qt can now fall back to.
    hangul = QFontMetrics(QFont("NanumGothic"))
    assert all(hangul.inFontUcs4(ord(ch)) for ch in "김선애민준")
    chinese = QFontMetrics(QFont(fallback))
    assert all(chinese.inFontUcs4(ord(ch)) for ch in "张晓燕")
