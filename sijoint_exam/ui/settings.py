"""Typed UI preferences over QSettings, at an injected path (never clinical data)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from sijoint_exam.domain.catalogue import DEFAULT_RULE_ID, RULES_BY_ID


class Settings:
    """Preferences with defaults; tests pass a path in `tmp_path`."""

    def __init__(self, path: Path) -> None:
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> Path:
        return Path(self._qsettings.fileName())

    def _text(self, key: str, default: str = "") -> str:
        value = self._qsettings.value(key, default)
        return value if isinstance(value, str) else default

    @property
    def clinician(self) -> str:
        """The clinician name new visits start with."""
        return self._text("clinician")

    @clinician.setter
    def clinician(self, name: str) -> None:
        self._qsettings.setValue("clinician", name)

    @property
    def rule_id(self) -> str:
        """The rule set new visits are tallied against."""
        rule_id = self._text("rule", DEFAULT_RULE_ID)
        return rule_id if rule_id in RULES_BY_ID else DEFAULT_RULE_ID

    @rule_id.setter
    def rule_id(self, rule_id: str) -> None:
        self._qsettings.setValue("rule", rule_id)

    @property
    def export_dir(self) -> Path | None:
        """Where the last PDF was saved, offered again next time."""
        text = self._text("export_dir")
        return Path(text) if text else None

    @export_dir.setter
    def export_dir(self, folder: Path) -> None:
        self._qsettings.setValue("export_dir", str(folder))

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, geometry: QByteArray) -> None:
        self._qsettings.setValue("window/geometry", geometry)

    def sync(self) -> None:
        """Write to disk now."""
        self._qsettings.sync()
