"""The catalogue of the clinic's own accuracy: when figures are shown and the
cautions beside them, each with its source."""

from __future__ import annotations

# Fewer verified visits than this and no figure is shown: with 9 patients a
# Wilson interval spans most of 0–1 and reads as noise. A program rule (the
# issue that asked for the feature), not a published threshold.
MIN_VERIFIED_VISITS = 10

PARTIAL_VERIFICATION_CAUTION = (
    "partial verification: only patients who had a diagnostic block are counted; "
    "clinics block mostly patients whose tests were positive, which raises "
    "sensitivity and lowers specificity above what the tests would show in "
    "everyone examined (Begg & Greenes 1983, Biometrics 39:207–215)"
)
SINGLE_BLOCK_REFERENCE_CAUTION = (
    "single blocks as the reference: 12–47% of single positive blocks are false "
    "positives (Surgical Science 2015 audit 12.5%; McKenzie-Brown 2005, Pain "
    "Physician 8:115–125 20%; Maigne 1996, Spine 21:1889–92 47%)"
)
PUBLISHED_NOT_REPLACED = (
    "the clinic's figures are shown beside the published ones, never instead of them"
)
ONE_VISIT_PER_PATIENT = (
    "each patient counts once: the latest visit with both a cluster and a block result"
)
WILSON_CITATION = "Wilson 1927, J Am Stat Assoc 22:209–212"
