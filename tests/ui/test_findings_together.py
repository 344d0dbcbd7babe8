"""The findings read together in the window (clinical-rules.md §8, §9): the headline
in the tally panel wherever the form is, the checks with their jumps, signing with
each open check acknowledged, and the letter refused while a cauda equina flag is
open."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QWidget

from sijoint_exam.domain.block import Block, BlockSide, Guidance, Reading
from sijoint_exam.domain.catalogue import Agent
from sijoint_exam.domain.catalogue_measures import RED_FLAGS
from sijoint_exam.domain.catalogue_together import (
    CHECKS_BY_ID,
    HEADLINE_CAUDA_EQUINA,
    HEADLINE_CENTRALISED,
    SIJ_SECONDARY_NOTE,
)
from sijoint_exam.domain.outcomes import Answer
from sijoint_exam.domain.screens import (
    GradedFinding,
    HipScreen,
    NeuroScreen,
    PerSide,
    SidedFinding,
)
from sijoint_exam.domain.together import LETTER_REFUSED_CAUDA_EQUINA as LETTER_REFUSED
from sijoint_exam.domain.visit import Referral, Urgency
from sijoint_exam.ui import signing
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.preferences import Preferences
from sijoint_exam.ui.sections.provocation import ProvocationSection
from sijoint_exam.ui.sign_dialog import SignDialog

CAUDA_ITEM = next(f for f in RED_FLAGS if f.cauda_equina)
UNGUIDED = Block(
    date=dt.date(2026, 11, 2),
    number=1,
    side=BlockSide.LEFT,
    agent=Agent.LIDOCAINE,
    pre=7,
    guidance=Guidance.NONE,
    readings=(Reading(30, 1),),
)


def named(parent: QWidget, name: str) -> QWidget:
    found = parent.findChild(QWidget, name)
    assert found is not None, f"no widget named {name!r}"
    return found


@pytest.fixture
def open_window(make_main_window, repo, sample_patient, qtbot):
    """`open_window(visit)`: the visit saved and opened in a shown window."""

    def make(visit):
        patient_id = repo.add_patient(sample_patient())
        visit_id = repo.save_visit(patient_id, visit)
        window = make_main_window()
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.open_patient(patient_id)
        # The tally and the form are placed in the shown window by the event loop.
        qtbot.waitUntil(lambda: window.tally.isVisible() and _tests_box(window).y() > 0)
        return window, visit_id

    return make


def _tests_box(window: MainWindow) -> QGroupBox:
    tests = window.form.section(ProvocationSection)
    box = tests.parentWidget()
    assert isinstance(box, QGroupBox)
    return box


def test_a_cauda_equina_yes_heads_the_tally_from_the_tests_section(
    open_window, sample_visit, qtbot
):
    window, _ = open_window(sample_visit())
    tally = window.tally
    assert tally.headline_label.text().startswith("3 of 5 positive on the left")
    qtbot.mouseClick(named(window.form, "form.jump.6"), Qt.MouseButton.LeftButton)
    scrolled = window.form.scroll_area.verticalScrollBar().value()
    assert scrolled == _tests_box(window).y() > 0  # the Tests section is shown

    answer = named(window.form, f"redflags.{CAUDA_ITEM.id}")
    answer.button(Answer.YES.value).click()

    assert tally.headline_label.text() == f"⚠ {HEADLINE_CAUDA_EQUINA}"
    assert tally.isVisible() and tally.headline_label.isVisible()
    assert "background" in tally.headline_label.styleSheet()  # filled, not a tint
    # The SIJ result stays, as secondary, below the emergency.
    assert tally.secondary_label.isVisible()
    secondary = tally.secondary_label.text()
    assert SIJ_SECONDARY_NOTE in secondary
    assert "3 of 5 positive on the left" in secondary
    # Nothing moved the form: the clinician is still at the tests.
    assert window.form.scroll_area.verticalScrollBar().value() == scrolled

    answer.button(Answer.NO.value).click()
    assert tally.headline_label.text().startswith("3 of 5 positive on the left")
    assert not tally.secondary_label.isVisible()


def test_centralised_pain_heads_the_tally_and_its_check_jumps_to_it(
    open_window, sample_visit, qtbot
):
    window, _ = open_window(sample_visit())
    combo = named(window.form, "visit.centralised")
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("yes"))
    tally = window.tally
    assert tally.headline_label.text() == HEADLINE_CENTRALISED
    assert "background" not in tally.headline_label.styleSheet()
    assert "not interpretable" in tally.summary_label.text()
    assert tally.summary_label.isVisible()
    assert "No post-test probability" in tally.post_test_label.text()
    assert tally.open_checks == ("centralised_positive_cluster",)
    label = named(tally, "tally.check.centralised_positive_cluster.label")
    assert CHECKS_BY_ID["centralised_positive_cluster"].label in label.text()

    qtbot.mouseClick(named(window.form, "form.jump.6"), Qt.MouseButton.LeftButton)
    go = named(tally, "tally.check.centralised_positive_cluster.go")
    qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(combo.hasFocus)
    assert not combo.visibleRegion().isEmpty()  # scrolled into view


def test_each_check_lists_under_the_headline_and_jumps_to_its_field(
    open_window, sample_visit, qtbot
):
    visit = sample_visit(
        red_flags={CAUDA_ITEM.id: Answer.YES},
        referral=Referral(recipient="Spine clinic", urgency=Urgency.ROUTINE),
        blocks=(replace(UNGUIDED, guidance=Guidance.FLUOROSCOPY), UNGUIDED),
    )
    window, _ = open_window(visit)
    tally = window.tally
    assert tally.open_checks == ("cauda_equina_urgency", "unguided_block")
    assert "2 open" in tally.checks_heading.text()

    qtbot.mouseClick(
        named(tally, "tally.check.unguided_block.go"), Qt.MouseButton.LeftButton
    )
    # The unguided block's own guidance, not the first block's.
    qtbot.waitUntil(named(window.form, "block.2.guidance").hasFocus)

    qtbot.mouseClick(
        named(tally, "tally.check.cauda_equina_urgency.go"), Qt.MouseButton.LeftButton
    )
    urgency = named(window.form, "referral.urgency")
    qtbot.waitUntil(urgency.hasFocus)
    urgency.setCurrentIndex(urgency.findData(Urgency.EMERGENCY.value))
    assert tally.open_checks == ("unguided_block",)
    # The emergency headline stands while the flag does, whatever the urgency.
    assert tally.headline_label.text() == f"⚠ {HEADLINE_CAUDA_EQUINA}"


# --- signing -----------------------------------------------------------------


@pytest.fixture
def signer(settings):
    settings.preferences = Preferences(clinician="A. Lee, PT")
    return "A. Lee, PT"


def test_signing_with_open_checks_needs_each_acknowledged(
    open_window, sample_visit, repo, signer, monkeypatch, qtbot
):
    visit = sample_visit(
        red_flags={CAUDA_ITEM.id: Answer.YES},
        referral=Referral(recipient="Spine clinic", urgency=Urgency.ROUTINE),
        blocks=(UNGUIDED,),
    )
    window, visit_id = open_window(visit)
    expected = ("cauda_equina_urgency", "unguided_block")

    def must_not_confirm(parent, clinician):
        raise AssertionError("open checks are acknowledged, not just confirmed")

    monkeypatch.setattr(signing, "confirm_signing", must_not_confirm)
    seen: list[tuple[str, ...]] = []

    def tick_each_then_sign(dialog: SignDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        seen.append(tuple(dialog.ticks))
        for tick in dialog.ticks.values():
            assert not dialog.sign_button.isEnabled()
            qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
            assert dialog.isVisible()  # a disabled Sign does not sign
            assert tick.accessibleName().startswith("Acknowledge: ")
            qtbot.mouseClick(tick, Qt.MouseButton.LeftButton)
        assert dialog.sign_button.isEnabled()
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(SignDialog, "exec", tick_each_then_sign)
    assert window.sign_visit()
    assert seen == [expected]
    signature = repo.signature(visit_id)
    assert signature.clinician == signer
    assert signature.acknowledged_checks == expected
    # The tally says so, with nothing left to go and put right.
    tally = window.tally
    assert "2 acknowledged at signing" in tally.checks_heading.text()
    assert "open" not in tally.checks_heading.text()
    for check in expected:
        row = named(tally, f"tally.check.{check}.label")
        assert row.text() == f"✓ {CHECKS_BY_ID[check].label} (acknowledged)"
        assert tally.findChild(QWidget, f"tally.check.{check}.go") is None
    shown = window.widgets.signature_panel.text()
    assert "Signed with acknowledged checks" in shown
    for check in expected:
        assert CHECKS_BY_ID[check].label.replace("'", "&#x27;") in shown


def test_unticking_one_check_disables_signing_again(qtbot):
    dialog = SignDialog("A. Lee", ("cauda_equina_urgency", "unguided_block"))
    qtbot.addWidget(dialog)
    for tick in dialog.ticks.values():
        tick.setChecked(True)
    assert dialog.sign_button.isEnabled()
    dialog.ticks["unguided_block"].setChecked(False)
    assert not dialog.sign_button.isEnabled()
    dialog.accept()  # the Enter key's path: refused without every tick
    assert dialog.result() != SignDialog.DialogCode.Accepted
    assert dialog.acknowledged() == ("cauda_equina_urgency",)


def test_cancelling_the_checks_signs_nothing(
    open_window, sample_visit, repo, signer, monkeypatch
):
    window, visit_id = open_window(sample_visit(blocks=(UNGUIDED,)))
    monkeypatch.setattr(
        SignDialog, "exec", lambda dialog: SignDialog.DialogCode.Rejected
    )
    assert not window.sign_visit()
    assert repo.signature(visit_id) is None
    assert window.form.isEnabled()


# --- the letter --------------------------------------------------------------


@pytest.fixture
def exports(monkeypatch, tmp_path):
    """Where an export writes, and the errors the window showed."""
    target = tmp_path / "letter.pdf"
    asked: list[object] = []
    errors: list[tuple[str, str]] = []

    def ask(window, suggested):
        asked.append(suggested)
        return target

    monkeypatch.setattr(MainWindow, "ask_export_path", ask)
    monkeypatch.setattr(
        MainWindow,
        "show_error",
        lambda window, title, text: errors.append((title, text)),
    )
    return target, asked, errors


CAUDA_LETTER = {
    "red_flags": {CAUDA_ITEM.id: Answer.YES},
    "referral": Referral(
        recipient="Spine clinic", question="Please see", urgency=Urgency.ROUTINE
    ),
}


def test_the_letter_is_refused_until_the_urgency_is_emergency(
    open_window, sample_visit, exports
):
    target, asked, errors = exports
    window, _ = open_window(sample_visit(**CAUDA_LETTER))
    assert window.export_referral() is None
    assert errors == [("The referral letter was not exported", LETTER_REFUSED)]
    assert asked == [] and not target.exists()  # not even a file name asked
    # The note is not a letter: it is written, with the flag in it.
    assert window.export_note() == target
    target.unlink()

    urgency = named(window.form, "referral.urgency")
    urgency.setCurrentIndex(urgency.findData(Urgency.EMERGENCY.value))
    assert window.export_referral() == target
    assert target.exists()
    assert len(errors) == 1


def test_the_letter_is_written_once_signed_acknowledging_the_flag(
    open_window, sample_visit, repo, exports
):
    target, _, errors = exports
    window, visit_id = open_window(sample_visit(**CAUDA_LETTER))
    repo.sign_visit(visit_id, "A. Lee", acknowledged_checks=("cauda_equina_urgency",))
    window.open_visit(visit_id)
    assert window.export_referral() == target
    assert errors == []


def test_a_signature_without_the_acknowledgement_does_not_release_the_letter(
    open_window, sample_visit, repo, exports
):
    target, _, errors = exports
    window, visit_id = open_window(sample_visit(**CAUDA_LETTER))
    repo.sign_visit(visit_id, "A. Lee")  # as signed before the checks existed
    window.open_visit(visit_id)
    assert window.export_referral() is None
    assert [text for _, text in errors] == [LETTER_REFUSED]
    assert not target.exists()


# --- new fields through the form to the saved visit ---------------------------


def test_screens_weeks_and_guidance_reach_the_saved_visit(
    open_window, sample_visit, repo, qtbot
):
    guided = replace(UNGUIDED, guidance=Guidance.CT)
    window, visit_id = open_window(sample_visit(blocks=(guided,)))
    form = window.form
    for name, value in (
        ("neuro.slr.left", "negative"),
        ("neuro.slr.right", "negative"),
        ("neuro.slump.left", "positive"),
        ("neuro.myotomes", "normal"),
        ("neuro.sensation", "abnormal"),
        ("hip.fadir.right", "positive"),
    ):
        named(form, name).button(value).click()
    weeks = named(form, "history.conservative_care_weeks")
    weeks.setFocus()
    qtbot.keyClicks(weeks, "8")
    guidance = named(form, "block.1.guidance")
    guidance.setCurrentIndex(guidance.findText("Not recorded"))
    assert window.tally.screens_label.text().startswith(
        "Neuro screen: suggests radiculopathy"
    )

    assert window.save_visit()
    saved = repo.get_visit(visit_id)
    assert saved.neuro_screen == NeuroScreen(
        slr=PerSide(SidedFinding.NEGATIVE, SidedFinding.NEGATIVE),
        slump=PerSide(left=SidedFinding.POSITIVE),
        myotomes=GradedFinding.NORMAL,
        sensation=GradedFinding.ABNORMAL,
    )
    assert saved.hip_screen == HipScreen(fadir=PerSide(right=SidedFinding.POSITIVE))
    assert saved.history.conservative_care_weeks == 8
    assert saved.blocks[0].guidance is None
    # And back: the saved visit opens into the same form.
    window.open_visit(visit_id)
    assert window.form.visit() == saved
    assert named(window.form, "history.conservative_care_weeks").text() == "8"


def test_the_tally_reads_each_side_and_a_block_on_the_other_side(
    open_window, sample_visit
):
    right_block = replace(UNGUIDED, side=BlockSide.RIGHT, guidance=Guidance.CT)
    window, _ = open_window(sample_visit(blocks=(right_block,)))
    tally = window.tally
    # Each joint on its own, naming the positive tests (sample: left-sided).
    assert tally.per_side_label.text().splitlines() == [
        "Per side:",
        "left: 3 of 5 positive (Distraction, Thigh thrust (P4), Gaenslen) — positive",
        "right: 1 of 5 positive (Distraction) — negative",  # 1 + 1 untested < 3
    ]
    post_test = tally.post_test_label.text()
    assert post_test.startswith("Post-test probability 50% (34–66%)")
    assert "pretest 20% (assumed; clinic setting)" in post_test
    assert tally.agreement_label.text() == (
        "Block and cluster: not comparable — the block was on the other side"
    )
    assert tally.open_checks == ("block_side_mismatch",)


def test_the_screens_have_their_jump_and_alt_0_reaches_the_tenth_section(
    open_window, sample_visit, qtbot
):
    window, _ = open_window(sample_visit())
    form = window.form
    screens = named(form, "form.jump.7")
    assert screens.text() == "Screens"
    assert screens.toolTip() == "Go to Neuro and hip screens (Alt+7)"
    assert named(form, "form.jump.10").toolTip() == "Go to Assessment and plan (Alt+0)"
    window.activateWindow()
    qtbot.waitActive(window)
    date = named(form, "visit.date")
    date.setFocus()
    qtbot.waitUntil(date.hasFocus)
    qtbot.keyClick(date, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(named(form, "visit.assessment").hasFocus)


def test_the_headline_and_checks_are_read_whole_in_a_narrow_window(
    open_window, sample_visit, qtbot
):
    # At scale 2 on a 1366 screen the side pane is a few hundred pixels wide: a
    # word-wrapped label was given the height of its preferred width and cut.
    window, _ = open_window(sample_visit(**CAUDA_LETTER))
    window.resize(683, 384)  # 1366×768 at QT_SCALE_FACTOR=2
    tally = window.tally
    labels = [tally.headline_label, *(r.label for r in tally._check_rows.values())]

    def whole() -> bool:
        return all(
            label.height() >= label.heightForWidth(label.width()) for label in labels
        )

    qtbot.waitUntil(whole)
    assert tally.headline_label.heightForWidth(tally.headline_label.width()) > (
        tally.headline_label.fontMetrics().height() * 2
    )  # the headline does wrap at this width: the check means something
