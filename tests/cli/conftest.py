"""What every command test shares."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_folders(tmp_path, monkeypatch):
    """The user's settings and data are never read: XDG points into tmp_path,
    and no database, passphrase or clinician comes from the environment."""
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    for name in ("DB", "PASSPHRASE", "NEW_PASSPHRASE", "CLINICIAN"):
        monkeypatch.delenv(f"SIJOINT_EXAM_{name}", raising=False)
