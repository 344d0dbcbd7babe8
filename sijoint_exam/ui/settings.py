"""Typed preferences and window state over QSettings, at an injected path (never
clinical data). What the preferences are and their defaults: `preferences.py`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from sijoint_exam.paths import private_file, private_folder

# Imported when first read: the window's geometry is read before it is shown,
# the preferences (and the domain catalogue behind their defaults) after.
if TYPE_CHECKING:
    from sijoint_exam.ui.preferences import Preferences


class Settings:
    """Preferences and window state; tests pass a path in `tmp_path`."""

    def __init__(self, path: Path) -> None:
        # Owner-only before QSettings writes: it keeps the mode of the file it
        # finds, and would create one readable by every account.
        path = Path(path)
        private_file(private_folder(path.parent) / path.name)
        self._qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> Path:
        return Path(self._qsettings.fileName())

    @property
    def preferences(self) -> Preferences:
        """The stored preferences, typed, with defaults for anything missing."""
        from dataclasses import fields

        from sijoint_exam.ui.preferences import Preferences

        values = {}
        for field in fields(Preferences):
            raw = self._qsettings.value(f"preferences/{field.name}")
            if raw is None:
                continue
            try:
                # INI files hand every value back as text: convert by the field type.
                kind = {"int": int, "float": float}.get(str(field.type), str)
                values[field.name] = kind(raw)
            except (TypeError, ValueError):
                continue
        return Preferences(**values).sanitised()

    @preferences.setter
    def preferences(self, preferences: Preferences) -> None:
        from dataclasses import fields

        for field in fields(preferences):
            key = f"preferences/{field.name}"
            self._qsettings.setValue(key, getattr(preferences, field.name))

    def choose_preferences(self, chosen: Preferences | None) -> None:
        """Keep the preferences chosen in the settings dialog (None: cancelled)."""
        if chosen is not None:
            self.preferences = chosen
            self.sync()

    def remember(self, **changes: object) -> None:
        """Change some preferences (e.g. the clinician after a save)."""
        from dataclasses import replace

        self.preferences = replace(self.preferences, **changes)  # type: ignore[arg-type]

    @property
    def export_dir(self) -> Path | None:
        """Where the last PDF was saved, offered again next time."""
        value = self._qsettings.value("window/export_dir")
        return Path(value) if isinstance(value, str) and value else None

    @export_dir.setter
    def export_dir(self, folder: Path) -> None:
        self._qsettings.setValue("window/export_dir", str(folder))

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
