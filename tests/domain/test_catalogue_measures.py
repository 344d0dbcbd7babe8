"""The catalogue's block, outcome, red-flag and positional data, with sources."""

from __future__ import annotations

from sijoint_exam.domain import catalogue as c
from sijoint_exam.domain import catalogue_measures as m


def test_block_numbers_and_sources():
    assert c.DEFAULT_BLOCK_THRESHOLD_PERCENT == 75
    assert c.BLOCK_PRE_NRS_RANGE == (1, 10)
    assert c.AGENT_CLASS == {
        c.Agent.LIDOCAINE: c.AgentClass.SHORT_ACTING,
        c.Agent.BUPIVACAINE: c.AgentClass.LONG_ACTING,
        c.Agent.ROPIVACAINE: c.AgentClass.LONG_ACTING,
    }
    assert "Barnsley 1993" in c.AGENT_WINDOW_CITATION
    assert "unconfirmed" in c.AGENT_WINDOW_CITATION  # tagged [U] in the evidence
    assert "Dreyfuss 1996" in c.BLOCK_THRESHOLD_CITATIONS[90]
    assert "IASP" in c.BLOCK_THRESHOLD_CITATIONS[100]
    for source in ("Surgical Science 2015", "McKenzie-Brown 2005", "Maigne 1996"):
        assert source in c.SINGLE_BLOCK_CAUTION
    assert "Interv Pain Med 2022" in c.DURATION_CONCORDANCE_CAUTION


def test_outcome_numbers_and_sources():
    assert m.NRS_RANGE == (0, 10)
    assert (m.NRS_IMPORTANT_CHANGE_POINTS, m.NRS_IMPORTANT_CHANGE_PERCENT) == (2, 30)
    assert m.ODI_IMPORTANT_CHANGE_POINTS == 10
    assert m.IMPORTANT_CHANGE_CITATION.startswith("Ostelo 2008")
    assert m.ODI_CITATION.startswith("Fairbank & Pynsent 2000")
    assert (m.ODI_SECTIONS, m.ODI_ANSWER_RANGE, m.ODI_MAX_UNANSWERED) == (10, (0, 5), 2)
    assert m.ODI_TOO_MANY_MISSING == "too many sections missing"
    assert [(upper, band) for upper, band, _ in m.ODI_BANDS] == [
        (20, "minimal"),
        (40, "moderate"),
        (60, "severe"),
        (80, "crippling"),
        (100, "bed_bound"),
    ]
    assert m.DEFAULT_ODI_VERSION == "2.1a" and m.DEFAULT_ODI_VERSION in m.ODI_VERSIONS
    assert m.ASLR_LEG_RANGE == (0, 5) and m.ASLR_POSITIVE_FROM == 1
    assert m.ASLR_CITATION.startswith("Mens 2001")


def test_red_flag_labels():
    labels = {f.id: f.label for f in m.RED_FLAGS}
    assert labels["inflammatory_back_pain"].startswith(
        "inflammatory back pain (≥4 of 5"
    )
    assert m.CAUDA_EQUINA_UNDOCUMENTED == "cauda equina screen not documented: "
    assert m.RED_FLAGS_BY_ID["bowel"].cauda_equina


def test_no_new_text_states_a_diagnosis():
    texts = [
        c.SINGLE_BLOCK_CAUTION,
        c.STEROID_CAUTION,
        c.DURATION_CONCORDANCE_CAUTION,
        m.CAUDA_EQUINA_EMERGENCY,
        m.POSITIONAL_RELIABILITY_CAUTION,
        c.AGENT_WINDOW_CITATION,
        *(f.label for f in m.RED_FLAGS),
        *(label for _, _, label in m.ODI_BANDS),
    ]
    for text in texts:
        assert "diagnos" not in text.lower(), text
