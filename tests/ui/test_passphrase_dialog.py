"""The passphrase dialog: OK only for a passphrase that may be set, the problem
named under the fields, and nothing of the passphrase in its repr."""

from __future__ import annotations

import pytest

from sijoint_exam.ui.passphrase_dialog import (
    PassphraseDialog,
    PassphraseEntry,
    new_passphrase_problem,
)

GOOD = "kestrel over the river"


@pytest.fixture
def dialog(qtbot):
    def make(ask_current: bool = False) -> PassphraseDialog:
        made = PassphraseDialog(
            "Encrypt database", "<p>What happens.</p>", "Encrypt", ask_current
        )
        qtbot.addWidget(made)
        return made

    return make


def test_ok_only_once_both_fields_hold_the_same_good_passphrase(dialog):
    shown = dialog()
    assert not shown.ok_button.isEnabled()
    assert shown.problem_label.text() == ""  # nothing typed: nothing to judge yet
    shown.new_edit.setText("short")
    assert shown.problem_label.text().startswith("New passphrase: ")
    shown.new_edit.setText(GOOD)
    assert shown.problem_label.text().startswith("New passphrase again: ")
    assert not shown.ok_button.isEnabled()
    shown.again_edit.setText(GOOD)
    assert shown.ok_button.isEnabled() and shown.problem_label.text() == ""
    assert shown.ok_button.text() == "Encrypt"
    assert shown.entry() == PassphraseEntry(GOOD, GOOD, "")


def test_changing_needs_the_current_passphrase_too(dialog):
    shown = dialog(ask_current=True)
    shown.new_edit.setText(GOOD)
    shown.again_edit.setText(GOOD)
    assert not shown.ok_button.isEnabled()
    assert shown.problem_label.text().startswith("Current passphrase: ")
    shown.current_edit.setText("the old passphrase")
    assert shown.ok_button.isEnabled()


def test_the_rule_is_the_commands_and_the_fields_are_named():
    assert new_passphrase_problem(PassphraseEntry(GOOD, GOOD)) is None
    assert new_passphrase_problem(PassphraseEntry("  seven  ", "  seven  ")) == (
        "New passphrase: A passphrase needs at least 8 characters (not counting "
        "spaces at either end)."
    )
    assert new_passphrase_problem(PassphraseEntry(GOOD, GOOD + "\0")).startswith(
        "New passphrase again: "
    )
    # e + combining accent and é are one passphrase to SQLCipher
    composed, decomposed = "caf\u00e9 au lait", "cafe\u0301 au lait"
    assert new_passphrase_problem(PassphraseEntry(composed, decomposed)) is None


def test_the_passphrase_never_shows_in_a_repr():
    entry = PassphraseEntry(GOOD, GOOD, "old passphrase")
    assert GOOD not in repr(entry) and "old" not in repr(entry)
    assert GOOD not in str(entry)
