"""Diagnostic blocks against clinical-rules.md §3, worked by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sijoint_exam.domain.block import (
    DEFAULT_AGENT_WINDOWS,
    AgentWindows,
    Block,
    BlockResult,
    BlockSide,
    Comparative,
    Guidance,
    Reading,
    block_result,
    comparative_pair,
    low_baseline_text,
    peak_relief_percent,
    read_blocks,
    readings_in_window,
    relief_percent,
    relief_text,
    window_minutes,
    window_phrase,
)
from sijoint_exam.domain.catalogue import (
    AGENT_WINDOW_HOURS_RANGE,
    BLOCK_THRESHOLD_CHOICES,
    BLOCK_THRESHOLD_CITATIONS,
    DEFAULT_AGENT_WINDOW_HOURS,
    DURATION_CONCORDANCE_CAUTION,
    SINGLE_BLOCK_CAUTION,
    STEROID_CAUTION,
    Agent,
)
from sijoint_exam.domain.catalogue_together import (
    GUIDANCE_NOT_RECORDED_CAUTION,
    STEROID_CONFOUNDED_CAUTION,
    UNGUIDED_BLOCK_CAUTION,
)

DAY = dt.date(2026, 10, 2)


def read(blocks, threshold):
    """The blocks read against `threshold` with the default agent windows."""
    return read_blocks(blocks, threshold, DEFAULT_AGENT_WINDOWS)


def block(
    agent=Agent.LIDOCAINE,
    pre=7,
    readings=((30, 1),),
    number=1,
    side=BlockSide.LEFT,
    hours=None,
    steroid=None,
    day=DAY,
    guidance=Guidance.FLUOROSCOPY,
):
    return Block(
        date=day,
        number=number,
        side=side,
        agent=agent,
        pre=pre,
        readings=tuple(Reading(m, n) for m, n in readings),
        relief_hours=hours,
        steroid=steroid,
        guidance=guidance,
    )


# ---------------------------------------------------------------------------
# % relief: (pre − post) / pre × 100, half-up to a whole number.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pre", "post", "percent"),
    [
        (7, 1, 86),  # 85.71 (the visit-format.md sample)
        (7, 2, 71),  # 71.43
        (8, 1, 88),  # 87.5 exactly: half-up
        (8, 3, 63),  # 62.5: half-up
        (8, 5, 38),  # 37.5: half-up
        (4, 1, 75),  # exactly 75
        (10, 0, 100),
        (1, 0, 100),
        (5, 5, 0),
        (3, 1, 67),  # 66.67
        (3, 2, 33),  # 33.33
        (6, 1, 83),  # 83.33
        (9, 2, 78),  # 77.78
    ],
)
def test_relief_percent(pre, post, percent):
    assert relief_percent(pre, post) == percent


@pytest.mark.parametrize(
    ("pre", "post", "percent"),
    [
        (8, 9, -13),  # −12.5: rounded on its magnitude, like a fall of 12.5
        (8, 10, -25),
        (5, 10, -100),
        (1, 10, -900),
        (6, 7, -17),  # −16.67
    ],
)
def test_a_worse_reading_is_negative(pre, post, percent):
    assert relief_percent(pre, post) == percent
    assert relief_text(percent).startswith("pain increased")


def test_relief_text():
    assert relief_text(86) == "86% relief"
    assert relief_text(0) == "0% relief"
    assert relief_text(-13) == "pain increased (−13%)"


@pytest.mark.parametrize("pre", [0, -1])
def test_pre_block_zero_is_refused(pre):
    with pytest.raises(ValueError, match="cannot be computed"):
        relief_percent(pre, 0)


# ---------------------------------------------------------------------------
# Peak within the agent's window.
# ---------------------------------------------------------------------------


def test_windows_are_settings_with_the_rule_values():
    assert DEFAULT_AGENT_WINDOW_HOURS == {
        Agent.LIDOCAINE: 2,
        Agent.BUPIVACAINE: 8,
        Agent.ROPIVACAINE: 8,
    }
    assert AGENT_WINDOW_HOURS_RANGE == (1, 24)
    assert {a: window_minutes(a) for a in Agent} == {
        Agent.LIDOCAINE: 120,
        Agent.BUPIVACAINE: 480,
        Agent.ROPIVACAINE: 480,
        Agent.OTHER: None,  # every reading counts
    }


def test_agent_windows_have_one_field_per_windowed_agent():
    windows = AgentWindows()
    assert windows == DEFAULT_AGENT_WINDOWS and windows.is_default
    assert windows.by_agent() == DEFAULT_AGENT_WINDOW_HOURS
    assert list(windows.by_agent()) == list(DEFAULT_AGENT_WINDOW_HOURS)
    assert windows.hours(Agent.OTHER) is None
    # Frozen and hashable, like the Scoring that holds it.
    assert hash(AgentWindows(lidocaine=3)) == hash(AgentWindows(lidocaine=3))
    assert not AgentWindows(lidocaine=3).is_default


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (None, "all readings"),
        (120, "within 2 h"),
        (180, "within 3 h"),
        (90, "within 90 min"),
    ],
)
def test_window_phrase(minutes, text):
    assert window_phrase(minutes) == text


@pytest.mark.parametrize(
    ("agent", "readings", "peak"),
    [
        # Lidocaine: 2 h inclusive; a better reading at 121 min is ignored.
        (Agent.LIDOCAINE, ((30, 4), (120, 3), (121, 0)), 57),
        (Agent.LIDOCAINE, ((121, 0), (240, 0)), None),
        # Bupivacaine and ropivacaine: 8 h inclusive.
        (Agent.BUPIVACAINE, ((30, 4), (480, 1), (481, 0)), 86),
        (Agent.ROPIVACAINE, ((30, 4), (480, 1), (481, 0)), 86),
        (Agent.BUPIVACAINE, ((600, 0),), None),
        # Other: every reading counts.
        (Agent.OTHER, ((30, 4), (10_000, 0)), 100),
        # No reading at all.
        (Agent.OTHER, (), None),
        # The peak is the largest relief, wherever it lies in time.
        (Agent.LIDOCAINE, ((15, 6), (30, 1), (60, 2)), 86),
        # All readings worse: the peak is the least bad, negative.
        (Agent.LIDOCAINE, ((30, 8), (60, 9)), -14),
    ],
)
def test_peak_relief_in_the_window(agent, readings, peak):
    assert peak_relief_percent(block(agent, pre=7, readings=readings)) == peak


def test_window_setting_can_be_changed():
    wide = AgentWindows(lidocaine=4)
    b = block(readings=((200, 0),))
    assert peak_relief_percent(b) is None
    assert peak_relief_percent(b, wide) == 100


def test_a_3_hour_lidocaine_window_counts_the_180_minute_reading():
    # pre 8: 30 min NRS 4 → 50%; 180 min NRS 1 → 88% (7/8 = 87.5, half-up).
    b = block(pre=8, readings=((30, 4), (180, 1)))
    two, three = AgentWindows(), AgentWindows(lidocaine=3)
    assert readings_in_window(b, two) == (Reading(30, 4),)
    assert readings_in_window(b, three) == (Reading(30, 4), Reading(180, 1))
    default = read_blocks([b], 75, two).blocks[0]
    widened = read_blocks([b], 75, three).blocks[0]
    assert (default.peak_relief_percent, default.result) == (50, BlockResult.NEGATIVE)
    assert (widened.peak_relief_percent, widened.result) == (88, BlockResult.POSITIVE)
    # The reading carries its window, so whatever shows the peak names it.
    assert (default.window_minutes, widened.window_minutes) == (120, 180)
    assert widened.readings_in_window == (Reading(30, 4), Reading(180, 1))
    assert default.readings_in_window == (Reading(30, 4),)


def test_a_window_setting_leaves_other_agents_alone():
    b = block(Agent.BUPIVACAINE, pre=8, readings=((30, 4), (180, 1)))
    long = read_blocks([b], 75, AgentWindows(lidocaine=1)).blocks[0]
    assert (long.peak_relief_percent, long.window_minutes) == (88, 480)
    other = block(Agent.OTHER, pre=8, readings=((30, 4), (5000, 0)))
    unknown = read_blocks([other], 75, AgentWindows(lidocaine=1)).blocks[0]
    assert (unknown.peak_relief_percent, unknown.window_minutes) == (100, None)


# ---------------------------------------------------------------------------
# Result vs the threshold.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("peak", "threshold", "result"),
    [
        (75, 75, BlockResult.POSITIVE),
        (74, 75, BlockResult.NEGATIVE),
        (86, 90, BlockResult.NEGATIVE),
        (100, 100, BlockResult.POSITIVE),
        (99, 100, BlockResult.NEGATIVE),
        (50, 50, BlockResult.POSITIVE),
        (-20, 50, BlockResult.NEGATIVE),
        (None, 75, BlockResult.INCOMPLETE),
    ],
)
def test_block_result(peak, threshold, result):
    assert block_result(peak, threshold) is result


def test_every_threshold_choice_has_a_citation():
    assert set(BLOCK_THRESHOLD_CITATIONS) == set(BLOCK_THRESHOLD_CHOICES)
    assert BLOCK_THRESHOLD_CITATIONS[75].startswith("CMS")


def test_the_visit_threshold_is_the_one_used():
    b = block(pre=10, readings=((30, 2),))  # 80%
    assert read([b], 75).blocks[0].result is BlockResult.POSITIVE
    assert read([b], 80).blocks[0].result is BlockResult.POSITIVE
    assert read([b], 90).blocks[0].result is BlockResult.NEGATIVE
    assert read([b], 90).blocks[0].threshold_percent == 90


# ---------------------------------------------------------------------------
# Cautions on single blocks and steroid.
# ---------------------------------------------------------------------------


def test_single_block_caution_wording():
    # "Not confirmed by a second block" is not a false-positive rate: the two
    # figures are stated apart (revised 2026-12-07).
    assert SINGLE_BLOCK_CAUTION.startswith(
        "a single positive block is not confirmed by a second block in 12.5–47%"
    )
    assert "single uncontrolled blocks: 20% false positive" in SINGLE_BLOCK_CAUTION


def test_a_single_positive_block_carries_the_false_positive_caution():
    reading = read([block()], 75).blocks[0]
    assert reading.result is BlockResult.POSITIVE
    assert reading.cautions == (SINGLE_BLOCK_CAUTION,)


@pytest.mark.parametrize("readings", [((30, 6),), ((300, 0),)])
def test_a_negative_or_incomplete_block_carries_no_false_positive_caution(readings):
    assert read([block(readings=readings)], 75).blocks[0].cautions == ()


def test_steroid_caution():
    reading = read([block(steroid=True)], 75).blocks[0]
    assert reading.cautions == (SINGLE_BLOCK_CAUTION, STEROID_CAUTION)
    assert "steroid" in STEROID_CAUTION
    assert read([block(steroid=False)], 75).blocks[0].cautions == (
        SINGLE_BLOCK_CAUTION,
    )


# ---------------------------------------------------------------------------
# Comparative blocks.
# ---------------------------------------------------------------------------

LIDO, BUPI, ROPI, OTHER = (
    Agent.LIDOCAINE,
    Agent.BUPIVACAINE,
    Agent.ROPIVACAINE,
    Agent.OTHER,
)
POS, NEG, INC = ((30, 1),), ((30, 6),), ((600, 0),)


def pair(first, second, hours=(1.5, 6.0)):
    return [
        block(first[0], readings=first[1], number=1, hours=hours[0]),
        block(second[0], readings=second[1], number=2, hours=hours[1]),
    ]


@pytest.mark.parametrize(
    ("blocks", "category"),
    [
        # Both positive: the long-acting agent's relief lasted longer.
        (pair((LIDO, POS), (BUPI, POS), (1.5, 6.0)), Comparative.CONCORDANT),
        (pair((LIDO, POS), (ROPI, POS), (1.5, 6.0)), Comparative.CONCORDANT),
        # Order does not matter: long-acting first.
        (pair((BUPI, POS), (LIDO, POS), (6.0, 1.5)), Comparative.CONCORDANT),
        # Short-acting lasted as long or longer.
        (pair((LIDO, POS), (BUPI, POS), (3.0, 3.0)), Comparative.DISCORDANT),
        (pair((LIDO, POS), (BUPI, POS), (5.0, 2.0)), Comparative.DISCORDANT),
        (pair((BUPI, POS), (LIDO, POS), (1.0, 2.0)), Comparative.DISCORDANT),
        # First positive, second negative.
        (pair((LIDO, POS), (BUPI, NEG)), Comparative.NOT_CONFIRMED),
        # First negative, whatever the second.
        (pair((LIDO, NEG), (BUPI, POS)), Comparative.NEGATIVE),
        (pair((LIDO, NEG), (BUPI, INC)), Comparative.NEGATIVE),
        # A result or a needed duration missing.
        (pair((LIDO, INC), (BUPI, POS)), Comparative.INCOMPLETE),
        (pair((LIDO, POS), (BUPI, INC)), Comparative.INCOMPLETE),
        (pair((LIDO, POS), (BUPI, POS), (None, 6.0)), Comparative.INCOMPLETE),
        (pair((LIDO, POS), (BUPI, POS), (1.5, None)), Comparative.INCOMPLETE),
        # Durations are not needed when the second is negative.
        (pair((LIDO, POS), (BUPI, NEG), (None, None)), Comparative.NOT_CONFIRMED),
    ],
)
def test_comparative_categories(blocks, category):
    assert read(blocks, 75).comparative is category


@pytest.mark.parametrize(
    "agents",
    [(LIDO, LIDO), (BUPI, ROPI), (BUPI, BUPI), (LIDO, OTHER), (OTHER, BUPI)],
)
def test_same_class_or_unknown_agent_is_no_pair(agents):
    blocks = pair((agents[0], POS), (agents[1], POS))
    assert comparative_pair(blocks) is None
    assert read(blocks, 75).comparative is None


def test_a_pair_needs_numbers_one_and_two_on_the_same_side():
    both_first = [block(LIDO, number=1), block(BUPI, number=1)]
    assert comparative_pair(both_first) is None
    other_side = [block(LIDO), block(BUPI, number=2, side=BlockSide.RIGHT)]
    assert comparative_pair(other_side) is None
    listed_second_first = [block(BUPI, number=2), block(LIDO, number=1)]
    assert comparative_pair(listed_second_first) == (1, 0)


def test_concordant_pair_lifts_the_single_block_caution():
    reading = read(pair((LIDO, POS), (BUPI, POS)), 75)
    assert reading.comparative is Comparative.CONCORDANT
    assert all(SINGLE_BLOCK_CAUTION not in r.cautions for r in reading.blocks)
    assert reading.comparative_cautions == (DURATION_CONCORDANCE_CAUTION,)


def test_discordant_pair_lifts_the_single_block_caution_too():
    # §3: the caution is for a positive block not part of a concordant or
    # discordant pair; a discordant pair was still confirmed by a second block.
    reading = read(pair((LIDO, POS), (BUPI, POS), (4.0, 2.0)), 75)
    assert reading.comparative is Comparative.DISCORDANT
    assert all(SINGLE_BLOCK_CAUTION not in r.cautions for r in reading.blocks)


def test_the_single_block_caution_is_said_once_per_visit():
    two_singles = [block(), block(day=dt.date(2026, 10, 9))]
    reading = read(two_singles, 75)
    said = [r for r in reading.blocks if SINGLE_BLOCK_CAUTION in r.cautions]
    assert len(said) == 1


@pytest.mark.parametrize("steroid_on", [0, 1])
def test_steroid_in_a_positive_pair_reads_as_a_single_positive_block(steroid_on):
    blocks = pair((LIDO, POS), (BUPI, POS))
    blocks[steroid_on] = replace(blocks[steroid_on], steroid=True)
    reading = read(blocks, 75)
    assert reading.comparative is Comparative.STEROID_CONFOUNDED
    assert reading.overall is BlockResult.POSITIVE
    assert STEROID_CONFOUNDED_CAUTION in reading.comparative_cautions
    assert STEROID_CAUTION in reading.blocks[steroid_on].cautions
    # Read as a single positive block: the caution comes back, once.
    said = [r for r in reading.blocks if SINGLE_BLOCK_CAUTION in r.cautions]
    assert len(said) == 1


def test_steroid_in_a_pair_not_both_positive_keeps_its_category():
    blocks = pair((LIDO, POS), (BUPI, NEG))
    blocks[1] = replace(blocks[1], steroid=True)
    reading = read(blocks, 75)
    assert reading.comparative is Comparative.NOT_CONFIRMED
    assert STEROID_CAUTION in reading.comparative_cautions


# ---------------------------------------------------------------------------
# Image guidance and a low baseline (revised 2026-12-07).
# ---------------------------------------------------------------------------


def test_an_unguided_block_is_shown_but_not_read_as_a_diagnostic_block():
    blind = block(guidance=Guidance.NONE)
    reading = read([blind], 75)
    (only,) = reading.blocks
    assert only.peak_relief_percent == 86  # (7 − 1) / 7 → 85.7 → 86, still shown
    assert only.result is BlockResult.UNGUIDED
    assert UNGUIDED_BLOCK_CAUTION in only.cautions
    assert (
        "Rosenberg 2000" in UNGUIDED_BLOCK_CAUTION and "22%" in UNGUIDED_BLOCK_CAUTION
    )
    assert SINGLE_BLOCK_CAUTION not in only.cautions
    # Never the result beside the cluster.
    assert reading.overall is None and reading.overall_side is None


def test_an_unguided_negative_block_is_not_a_valid_negative():
    blind = block(readings=NEG, guidance=Guidance.NONE)
    guided = block(readings=POS, day=dt.date(2026, 9, 1))
    reading = read([guided, blind], 75)
    # The later block was blind: the guided one, earlier, is the one read.
    assert reading.blocks[1].result is BlockResult.UNGUIDED
    assert reading.overall is BlockResult.POSITIVE


def test_an_unguided_block_is_never_part_of_a_pair():
    blocks = pair((LIDO, POS), (BUPI, POS))
    blocks[1] = replace(blocks[1], guidance=Guidance.NONE)
    assert comparative_pair(blocks) is None
    assert read(blocks, 75).comparative is None


def test_guidance_not_recorded_is_read_with_a_caution():
    reading = read([block(guidance=None)], 75)
    assert reading.blocks[0].result is BlockResult.POSITIVE
    assert GUIDANCE_NOT_RECORDED_CAUTION in reading.blocks[0].cautions
    assert reading.overall is BlockResult.POSITIVE


@pytest.mark.parametrize(
    ("pre", "expected"),
    [
        (1, "with a pre-block NRS of 1, relief reads only 0 or 100%"),
        (2, "with a pre-block NRS of 2, relief reads only 0, 50 or 100%"),
        (3, "with a pre-block NRS of 3, relief reads only 0, 33, 67 or 100%"),
        (4, None),
        (10, None),
    ],
)
def test_low_baseline_says_relief_reads_in_coarse_steps(pre, expected):
    assert low_baseline_text(pre) == expected
    cautions = read([block(pre=pre, readings=((30, 0),))], 75).blocks[0].cautions
    assert (
        (expected in cautions)
        if expected
        else all("pre-block NRS of" not in c for c in cautions)
    )


def test_the_overall_block_carries_its_side():
    right = block(side=BlockSide.RIGHT)
    assert read([right], 75).overall_side is BlockSide.RIGHT
    assert read(pair((LIDO, POS), (BUPI, POS)), 75).overall_side is BlockSide.LEFT


# ---------------------------------------------------------------------------
# The overall block result and agreement with the cluster.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("blocks", "overall"),
    [
        ([], None),
        ([block()], BlockResult.POSITIVE),
        ([block(readings=NEG)], BlockResult.NEGATIVE),
        ([block(readings=INC)], BlockResult.INCOMPLETE),
        (pair((LIDO, POS), (BUPI, POS)), BlockResult.POSITIVE),
        (pair((LIDO, POS), (BUPI, POS), (4.0, 2.0)), BlockResult.POSITIVE),
        (pair((LIDO, POS), (BUPI, NEG)), BlockResult.NEGATIVE),
        (pair((LIDO, NEG), (BUPI, POS)), BlockResult.NEGATIVE),
        (pair((LIDO, POS), (BUPI, INC)), BlockResult.INCOMPLETE),
        # No pair: the latest block by date speaks.
        (
            [
                block(readings=NEG, day=dt.date(2026, 10, 9)),
                block(readings=POS, day=dt.date(2026, 10, 2)),
            ],
            BlockResult.NEGATIVE,
        ),
    ],
)
def test_overall_block_result(blocks, overall):
    assert read(blocks, 75).overall is overall


def test_a_block_without_a_valid_pre_nrs_has_no_peak_yet():
    # A block being typed (pre not entered) must not crash the live tally;
    # validation names the field instead.
    draft = block(pre=0, readings=((30, 1),))
    assert peak_relief_percent(draft) is None
