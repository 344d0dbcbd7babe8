"""The catalogue's block, outcome, red-flag and positional data, with sources."""

from __future__ import annotations

from sijoint_exam.domain import catalogue as c


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
    assert c.NRS_RANGE == (0, 10)
    assert (c.NRS_IMPORTANT_CHANGE_POINTS, c.NRS_IMPORTANT_CHANGE_PERCENT) == (2, 30)
    assert c.ODI_IMPORTANT_CHANGE_POINTS == 10
    assert c.IMPORTANT_CHANGE_CITATION.startswith("Ostelo 2008")
    assert c.ODI_CITATION.startswith("Fairbank & Pynsent 2000")
    assert (c.ODI_SECTIONS, c.ODI_ANSWER_RANGE, c.ODI_MAX_UNANSWERED) == (10, (0, 5), 2)
    assert c.ODI_TOO_MANY_MISSING == "too many sections missing"
    assert [(upper, band) for upper, band, _ in c.ODI_BANDS] == [
        (20, "minimal"),
        (40, "moderate"),
        (60, "severe"),
        (80, "crippling"),
        (100, "bed_bound"),
    ]
    assert c.DEFAULT_ODI_VERSION == "2.1a" and c.DEFAULT_ODI_VERSION in c.ODI_VERSIONS
    assert c.ASLR_LEG_RANGE == (0, 5) and c.ASLR_POSITIVE_FROM == 1
    assert c.ASLR_CITATION.startswith("Mens 2001")


def test_red_flag_labels():
    labels = {f.id: f.label for f in c.RED_FLAGS}
    assert labels["inflammatory_back_pain"].startswith(
        "inflammatory back pain (≥4 of 5"
    )
    assert c.CAUDA_EQUINA_UNDOCUMENTED == "cauda equina screen not documented: "
    assert c.RED_FLAGS_BY_ID["bowel"].cauda_equina


def test_no_new_text_states_a_diagnosis():
    texts = [
        c.SINGLE_BLOCK_CAUTION,
        c.STEROID_CAUTION,
        c.DURATION_CONCORDANCE_CAUTION,
        c.CAUDA_EQUINA_EMERGENCY,
        c.POSITIONAL_RELIABILITY_CAUTION,
        c.AGENT_WINDOW_CITATION,
        *(f.label for f in c.RED_FLAGS),
        *(label for _, _, label in c.ODI_BANDS),
    ]
    for text in texts:
        assert "diagnos" not in text.lower(), text
