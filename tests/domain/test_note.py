"""build_note and build_referral: the outline, its numbers taken from the rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sijoint_exam.domain import cluster
from sijoint_exam.domain.block import Block, BlockSide, Reading
from sijoint_exam.domain.catalogue import (
    CENTRALISATION_CAUTION,
    CLUSTER_POSITIVE_STATEMENT,
    RULES_BY_ID,
    SINGLE_BLOCK_CAUTION,
    Agent,
    PainSide,
    Result,
    SymptomaticSide,
)
from sijoint_exam.domain.catalogue_measures import (
    CAUDA_EQUINA_EMERGENCY,
    POSITIONAL_RELIABILITY_CAUTION,
)
from sijoint_exam.domain.catalogue_together import STEROID_CONFOUNDED_CAUTION
from sijoint_exam.domain.note import (
    DRAFT_STATUS,
    NOTE_TITLE,
    REFERRAL_TITLE,
    AddendumInfo,
    BodyChart,
    DocumentKind,
    Facts,
    Letterhead,
    NoteContent,
    PatientLabel,
    Section,
    SigningInfo,
    Table,
    Text,
    Tone,
    TrendChart,
    build_note,
    build_referral,
)
from sijoint_exam.domain.outcomes import Answer, Odi, Pain
from sijoint_exam.domain.visit import ProvocationFinding, Scoring
from sijoint_exam.domain.visit_file import parse_document

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-visit.json"
SIGNED = SigningInfo(
    "J. Doe, PT", dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC), "ab" * 32
)


@pytest.fixture
def full():
    """The visit-format.md sample: every section filled."""
    return parse_document(json.loads(SAMPLE.read_text("utf-8")), dt.date(2026, 11, 21))


def strings(value: object) -> list[str]:
    """Every string inside a note, a section or a block."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [
            s
            for f in dataclasses.fields(value)
            for s in strings(getattr(value, f.name))
        ]
    if isinstance(value, tuple | list):
        return [s for item in value for s in strings(item)]
    return []


def texts(section: Section, tone: Tone | None = None) -> list[str]:
    return [
        b.text
        for b in section.blocks
        if isinstance(b, Text) and (tone is None or b.tone is tone)
    ]


def facts(section: Section) -> dict[str, str]:
    return {k: v for b in section.blocks if isinstance(b, Facts) for k, v in b.rows}


def table(note: NoteContent, heading: str) -> Table:
    (found,) = [b for b in note.section(heading).blocks if isinstance(b, Table)]
    return found


def provocation(note: NoteContent) -> dict[tuple[str, str], tuple[str, bool]]:
    """(test, side) -> (result, counts) from the provocation table."""
    heading = next(
        s.heading for s in note.sections if s.heading.startswith("Provocation")
    )
    t = table(note, heading)
    return {
        (row[0], row[1]): (row[2], index in t.highlighted)
        for index, row in enumerate(t.rows)
    }


# ---------------------------------------------------------------------------
# The visit note.
# ---------------------------------------------------------------------------


def test_defaults_make_a_draft_without_letterhead(sample_patient, sample_visit):
    note = build_note(sample_patient(), sample_visit())
    assert note.kind is DocumentKind.NOTE
    assert note.title == NOTE_TITLE == "SIJ examination — visit note"
    assert note.status == DRAFT_STATUS == "DRAFT — not signed"
    assert note.signature is None and not note.signed
    assert note.letterhead == Letterhead() and note.letterhead.is_empty
    assert note.addenda == () and note.emergency is None
    assert note.patient == PatientLabel("Kim, Sungae", "1978-03-14", "A-1001", "Female")
    assert ("Symptomatic side", "Left") in note.facts


def test_soap_order(full):
    headings = [s.heading for s in build_note(*full).sections if s.level == 1]
    assert headings == [
        "Headline",
        "Subjective",
        "Objective",
        "Diagnostic blocks",
        "Assessment",
        "Plan",
    ]


def test_provocation_rows_and_what_counts(sample_patient, sample_visit):
    assert provocation(build_note(sample_patient(), sample_visit())) == {
        ("Distraction", "—"): ("Positive", True),
        ("Thigh thrust (P4)", "Left"): ("Positive", True),
        ("Thigh thrust (P4)", "Right"): ("Negative", False),
        ("Compression", "—"): ("Negative", True),
        ("FABER (Patrick)", "Left"): ("Other pain", True),
        ("FABER (Patrick)", "Right"): ("Negative", False),
        ("Gaenslen", "Left"): ("Positive", True),
        ("Gaenslen", "Right"): ("Not tested", False),
    }


def test_laslett_six_counts_both_gaenslen_sides(sample_patient, sample_visit):
    visit = sample_visit(scoring=Scoring(rule="laslett_2005_six"))
    rows = provocation(build_note(sample_patient(), visit))
    assert rows["Gaenslen", "Left"][1] and rows["Gaenslen", "Right"][1]
    assert rows["Sacral thrust", "—"] == ("Not tested", True)
    assert rows["FABER (Patrick)", "Left"][1] is False  # recorded, not in the rule


@pytest.mark.parametrize("side", [SymptomaticSide.BILATERAL, SymptomaticSide.UNKNOWN])
def test_both_sides_count_without_one_symptomatic_side(
    sample_patient, sample_visit, side
):
    rows = provocation(
        build_note(sample_patient(), sample_visit(symptomatic_side=side))
    )
    assert all(counts for (_, s), (_, counts) in rows.items() if s in ("Left", "Right"))


def test_cluster_section_is_the_tally(sample_patient, sample_visit):
    visit = sample_visit()
    tally = cluster.evaluate(visit)
    section = build_note(sample_patient(), visit).section("Cluster result")
    lines = texts(section)
    assert lines[0] == tally.summary
    assert CLUSTER_POSITIVE_STATEMENT in lines[0]
    assert tally.post_test_line in lines and "Post-test probability 50%" in lines[2]
    assert f"Rule: {tally.rule.name}; source: {tally.rule.citation}" in lines
    # Distraction (pain side not recorded) counts for both joints.
    assert (
        "Per side: left: 3 of 5 positive (Distraction, Thigh thrust (P4), Gaenslen)"
        " — positive; right: 1 of 5 positive (Distraction) — negative"
    ) in lines
    assert set(tally.cautions) <= set(strings(section))
    for rule_id in ("laslett_2005_six", "laslett_2005_four", "cms_lcd_2023"):
        other = cluster.evaluate(visit, rule_id)
        assert f"{other.rule.name}: {other.summary}" in strings(section)


def test_incomplete_and_coverage_rules_say_why_there_is_no_probability(
    sample_patient, sample_visit
):
    note = build_note(sample_patient(), sample_visit(provocation={}))
    assert "No post-test probability: the result is incomplete." in texts(
        note.section("Cluster result")
    )
    cms = sample_visit(scoring=Scoring(rule="cms_lcd_2023"))
    lines = texts(build_note(sample_patient(), cms).section("Cluster result"))
    assert cluster.evaluate(cms).post_test_line in lines
    assert RULES_BY_ID["cms_lcd_2023"].citation in " ".join(lines)


@pytest.mark.parametrize("centralised", [None, True, False])
def test_centralisation_line_and_caution(sample_patient, sample_visit, centralised):
    section = build_note(
        sample_patient(), sample_visit(centralised=centralised)
    ).section("Cluster result")
    assert (CENTRALISATION_CAUTION in strings(section)) is bool(centralised)
    assert any("centralis" in line.lower() for line in texts(section))


def test_red_flags_documented_negatives_and_undocumented(full):
    section = build_note(*full).section("Red-flag screen")
    assert texts(section, Tone.STRONG) == ["Answered yes: significant trauma"]
    (negatives,) = [t for t in texts(section) if t.startswith("Documented negatives")]
    assert "bladder dysfunction" in negatives and "saddle anaesthesia" in negatives
    assert texts(section, Tone.CAUTION) == [
        "cauda equina screen not documented: new sexual dysfunction"
    ]
    assert not any(t.startswith("Not asked") for t in texts(section))


def test_nothing_asked_lists_every_cauda_equina_item(sample_patient, sample_visit):
    section = build_note(sample_patient(), sample_visit()).section("Red-flag screen")
    (line,) = texts(section, Tone.CAUTION)
    assert line.startswith(
        "cauda equina screen not documented: new bladder dysfunction"
    )
    assert "new or worsening leg weakness/numbness (bilateral or progressive)" in line
    assert any(t.startswith("Not asked: fever") for t in texts(section, Tone.MUTED))


def test_cauda_equina_yes_is_an_emergency(full):
    patient, visit = full
    visit = replace(
        visit, red_flags={**visit.red_flags, "saddle_anaesthesia": Answer.YES}
    )
    note = build_note(patient, visit)
    assert note.emergency == CAUDA_EQUINA_EMERGENCY
    assert texts(note.section("Red-flag screen"), Tone.EMERGENCY) == [
        CAUDA_EQUINA_EMERGENCY
    ]
    assert build_referral(patient, visit).emergency == CAUDA_EQUINA_EMERGENCY
    assert build_note(*full).emergency is None


def test_positional_findings_come_with_the_caution_first(full):
    section = build_note(*full).section("Positional findings")
    assert section.blocks[0] == Text(POSITIONAL_RELIABILITY_CAUTION, Tone.CAUTION)
    assert facts(section)["Pattern chosen"] == "upslip (left)"
    assert facts(section)["ASIS"] == "left higher"
    assert facts(section)["Standing flexion"] == "positive left"


def test_no_positional_section_without_findings(sample_patient, sample_visit):
    note = build_note(sample_patient(), sample_visit())
    assert "Positional findings" not in [s.heading for s in note.sections]
    assert POSITIONAL_RELIABILITY_CAUTION not in strings(note)


def test_outcomes(full):
    note = build_note(*full)
    assert texts(note.section("Oswestry Disability Index")) == [
        "ODI 2.1a: 51.1% — severe disability (9 of 10 sections answered) "
        "(Fairbank & Pynsent 2000, Spine 25:2940–52)"
    ]
    (aslr,) = texts(note.section("Active straight leg raise"))
    assert aslr.startswith("Left 2, right 0, total 2 of 10 — positive")
    pain = note.section("Pain")
    assert (
        BodyChart(("left_buttock", "left_posterior_thigh", "left_foot")) in pain.blocks
    )
    assert "Pain NRS (0–10): now 6, best 3, worst 8 in the last 24 h" in texts(pain)


def test_block_readings_relief_result_and_cautions(full):
    note = build_note(*full)
    section = note.section("Block 1 (screening) — 2026-10-02, left")
    (readings,) = [b for b in section.blocks if isinstance(b, Table)]
    assert readings.rows == (
        ("30", "1", "86% relief", "90%", "Yes"),
        ("60", "2", "71% relief", "—", "Yes"),
    )
    assert "Peak 86% relief within 2 h — positive (threshold 75%)" in texts(section)
    assert SINGLE_BLOCK_CAUTION in strings(section)
    assert facts(section)["Guidance"] == "Fluoroscopy"
    intro = texts(note.section("Diagnostic blocks"))
    assert intro[0] == "Relief threshold 75% (CMS LCD L39402 et al., 2023)"
    comparative = texts(note.section("Comparative blocks"))
    assert comparative == [
        "Comparative blocks: no pair",
        "Block result positive; beside the cluster result: agree",
    ]


def test_comparative_pair_category_and_steroid_caution(full):
    patient, visit = full
    second = Block(
        date=dt.date(2026, 10, 20),
        number=2,
        side=BlockSide.LEFT,
        agent=Agent.BUPIVACAINE,
        pre=7,
        steroid=True,
        readings=(Reading(60, 1),),
        relief_hours=6,
    )
    note = build_note(patient, replace(visit, blocks=(*visit.blocks, second)))
    section = note.section("Comparative blocks")
    # Both positive with a steroid added: duration is the steroid's (§3).
    assert texts(section)[0] == "Comparative blocks: steroid confounded"
    assert STEROID_CONFOUNDED_CAUTION in strings(section)
    assert "Block 2 (confirmatory) — 2026-10-20, left" in [
        s.heading for s in note.sections
    ]


def test_no_block_section_without_blocks(sample_patient, sample_visit):
    headings = [
        s.heading for s in build_note(sample_patient(), sample_visit()).sections
    ]
    assert "Diagnostic blocks" not in headings


def test_trend_only_with_an_earlier_visit(full):
    patient, visit = full
    assert "Trend across visits" not in [s.heading for s in build_note(*full).sections]
    earlier = replace(
        visit,
        date=dt.date(2026, 9, 1),
        pain=Pain(now=8),
        odi=Odi(answers=(5,) * 10),
        provocation={},
    )
    later = replace(visit, date=dt.date(2027, 1, 1), pain=Pain(now=1))
    # The patient's *other* visits (callers leave this one out by id); a later
    # visit is not part of this visit's trend.
    note = build_note(patient, visit, earlier_visits=[later, earlier])
    section = note.section("Trend across visits")
    (chart,) = [b for b in section.blocks if isinstance(b, TrendChart)]
    assert [(p.date, p.nrs, p.odi, p.positive) for p in chart.points] == [
        ("2026-09-01", 8, 100.0, 0),
        ("2026-11-20", 6, 51.1, 3),
    ]
    assert chart.positive_max == 5
    lines = texts(section)
    assert lines[0].startswith("Pain NRS 8 → 6 since 2026-09-01: an important change")
    assert lines[1].startswith("ODI 100 → 51.1 since 2026-09-01: an important change")


def test_the_trend_names_the_visits_it_cannot_read(full):
    """A damaged earlier visit does not stop the note: the trend says it is left
    out, so that the gap is not read as no visit."""
    patient, visit = full
    earlier = replace(visit, date=dt.date(2026, 9, 1), pain=Pain(now=8))
    note = build_note(
        patient,
        visit,
        earlier_visits=[earlier],
        # The second date is after this visit: not part of its trend.
        unreadable_dates=[dt.date(2026, 10, 1), dt.date(2027, 2, 1)],
    )
    lines = texts(note.section("Trend across visits"))
    assert lines[-1] == (
        "Not in this trend: the visit of 2026-10-01, whose stored record cannot be "
        "read (damaged; to be restored from a backup)."
    )
    assert not any("2027-02-01" in line for line in lines)


def test_a_trend_of_unreadable_visits_only_says_so(full):
    patient, visit = full
    note = build_note(
        patient,
        visit,
        unreadable_dates=[dt.date(2026, 10, 1), dt.date(2026, 9, 1)],
    )
    section = note.section("Trend across visits")
    assert not any(isinstance(b, TrendChart) for b in section.blocks)
    assert texts(section) == [
        "Not in this trend: the visits of 2026-09-01, 2026-10-01, whose stored "
        "records cannot be read (damaged; to be restored from a backup)."
    ]
    later_only = build_note(patient, visit, unreadable_dates=[dt.date(2027, 1, 1)])
    assert "Trend across visits" not in [s.heading for s in later_only.sections]


def test_signed_note_and_addenda_in_order(full):
    addenda = [
        AddendumInfo(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC), "Second.", "B"),
        AddendumInfo(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC), "First.", "A"),
    ]
    note = build_note(*full, signing=SIGNED, addenda=addenda)
    assert note.signed
    assert note.status == "Signed 2026-11-20 09:30 UTC by J. Doe, PT"
    assert note.signature.content_hash == "ab" * 32
    assert note.signature.signed_at == "2026-11-20 09:30 UTC"
    assert [(a.heading, a.text, a.signed) for a in note.addenda] == [
        (
            "Addendum 1 — 2026-11-21 10:00 UTC",
            "First.",
            "Signed 2026-11-21 10:00 UTC by A",
        ),
        (
            "Addendum 2 — 2026-11-23 08:00 UTC",
            "Second.",
            "Signed 2026-11-23 08:00 UTC by B",
        ),
    ]


def test_free_text_is_kept_verbatim(sample_patient, sample_visit):
    text = 'Plan <b>& "quotes"\nsecond line'
    note = build_note(sample_patient(), sample_visit(plan=text, assessment=text))
    assert texts(note.section("Plan")) == [text]
    assert texts(note.section("Clinician's assessment")) == [text]


def test_empty_free_text_is_not_recorded(sample_patient, sample_visit):
    note = build_note(sample_patient(), sample_visit(plan="  "))
    assert note.section("Plan").blocks == (Text("Not recorded", Tone.MUTED),)


def test_non_lateral_detail_and_remarks(sample_patient, sample_visit):
    findings = dict(sample_visit().provocation)
    findings["distraction"] = ProvocationFinding(
        result=Result.POSITIVE, pain_side=PainSide.BILATERAL
    )
    note = build_note(sample_patient(), sample_visit(provocation=findings))
    heading = "Provocation tests — Three of five (van der Wurff 2006)"
    assert table(note, heading).rows[0][3] == "pain bilateral"
    assert facts(note.section(heading)) == {"FABER (Patrick)": "groin"}


# ---------------------------------------------------------------------------
# The referral letter.
# ---------------------------------------------------------------------------


def test_referral_sections_in_letter_order(full):
    letter = build_referral(*full)
    assert letter.kind is DocumentKind.REFERRAL and letter.title == REFERRAL_TITLE
    assert [s.heading for s in letter.sections if s.heading] == [
        "Bottom line",
        "Reason for referral",
        "History",
        "Red-flag screen",
        "Examination findings",
        "Neuro and hip screens",
        "Conservative care to date",
        "Imaging and previous injections",
        "Relevant comorbidities",
        "Impression",
        "Requested",
        "Copies",
    ]
    address = dict(letter.facts)
    assert address["To"] == "Dr A. Example, Spine Clinic"
    assert address["Urgency"] == "Routine"
    assert texts(letter.section("Copies")) == ["GP, patient"]


def test_referral_question_findings_and_impression(full):
    letter = build_referral(*full)
    assert texts(letter.section("Reason for referral"), Tone.STRONG) == [
        "Question: consideration of an image-guided diagnostic SIJ block"
    ]
    findings = letter.section("Examination findings")
    assert (
        facts(findings)["Positive"]
        == "Distraction; Thigh thrust (P4) left; Gaenslen left"
    )
    tally = cluster.evaluate(full[1])
    assert any(CLUSTER_POSITIVE_STATEMENT in t for t in texts(findings, Tone.STRONG))
    impression = letter.section("Impression")
    assert tally.post_test_line in texts(impression)
    assert set(tally.cautions) <= set(strings(impression))
    assert POSITIONAL_RELIABILITY_CAUTION in strings(findings)
    assert facts(letter.section("Relevant comorbidities")) == {
        "Anticoagulation": "No",
        "Contrast allergy": "No",
        "Pregnant": "No",
    }


def _cms_rows(letter: NoteContent) -> dict[str, str]:
    return facts(letter.section("Bottom line"))


def test_cms_checklist_in_the_bottom_line(full):
    assert cluster.evaluate(full[1], "cms_lcd_2023").positive == 3
    rows = _cms_rows(build_referral(*full))
    assert rows["At least 3 of 6 provocation tests positive"] == "met"
    assert rows["At least 4 weeks of conservative care"] == "not documented"
    lines = strings(build_referral(*full).section("Bottom line"))
    assert not any("All six CMS 2023 criteria are met" in t for t in lines)


def test_no_cms_claim_below_three(full):
    patient, visit = full
    findings = dict(visit.provocation)
    findings["distraction"] = ProvocationFinding(result=Result.NEGATIVE)
    findings["yeoman"] = ProvocationFinding(left=Result.NEGATIVE)
    visit = replace(visit, provocation=findings)
    assert cluster.evaluate(visit, "cms_lcd_2023").positive == 2
    rows = _cms_rows(build_referral(patient, visit))
    assert rows["At least 3 of 6 provocation tests positive"] == "not met"


def test_referral_dated_when_signed(full):
    signed = SigningInfo(
        "J. Doe, PT", dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC), "0" * 64
    )
    assert dict(build_referral(*full, signing=signed).facts)["Date"] == "2026-12-01"
    assert dict(build_referral(*full).facts)["Date"] == "2026-11-20"


# ---------------------------------------------------------------------------
# Both.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("build", [build_note, build_referral])
def test_no_diagnosis_is_ever_stated(full, build):
    patient, visit = full
    for centralised in (None, True, False):
        note = build(patient, replace(visit, centralised=centralised))
        for text in strings(note):
            assert "diagnosed" not in text.lower() and "dysfunction diagnos" not in text


@pytest.mark.parametrize("build", [build_note, build_referral])
def test_content_is_frozen(full, build):
    note = build(*full)
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.title = "changed"  # type: ignore[misc]


def test_letterhead_is_passed_through(full):
    head = Letterhead("Clinic", "1 Road", "555", "/nowhere/logo.png")
    assert build_note(*full, letterhead=head).letterhead == head
    assert build_referral(*full, letterhead=head).letterhead == head


def test_times_are_shown_on_the_clinics_clock_with_its_zone():
    from sijoint_exam.domain.note_outline import when

    stored = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    berlin_winter = dt.timezone(dt.timedelta(hours=1), "CET")
    assert when(stored, berlin_winter) == "2026-11-20 10:30 CET"
    assert when(stored, dt.UTC) == "2026-11-20 09:30 UTC"
