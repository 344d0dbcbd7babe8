"""The stored form of a visit's content (store/visit_content.py)."""

from __future__ import annotations

import hashlib
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijoint_exam.domain import visit_file
from sijoint_exam.store import visit_content
from sijoint_exam.store.visit_content import UnreadableContent, pack, unpack

# Records written with format 1 must stay readable for as long as they exist:
# its dictionary can never change (a better one is a new format byte).
FORMAT_1_DICTIONARY_SHA256 = (
    "490bb9f3905a09250250e9b293f7e77a5068bf5364ef2b9e9b01f61e3cd79e42"
)


def test_the_format_1_dictionary_is_frozen() -> None:
    dictionary = visit_content._DICTIONARIES[visit_content.FORMAT_DEFLATE_1]
    assert hashlib.sha256(dictionary).hexdigest() == FORMAT_1_DICTIONARY_SHA256


@given(st.text())
def test_any_text_round_trips(text: str) -> None:
    assert unpack(pack(text)) == text


def test_a_visit_is_stored_in_a_fraction_of_its_json(sample_visit) -> None:
    visit = sample_visit(
        assessment="Findings consistent with left sacroiliac joint pain; the "
        "patient's familiar pain was reproduced by thigh thrust and compression.",
        plan="통증이 줄었음. Review in two weeks; consider an image-guided block.",
    )
    text = visit_file.canonical_json(visit_file.visit_to_dict(visit))
    stored = pack(text)
    assert stored[0] == visit_content.FORMAT_DEFLATE_1
    assert len(stored) < len(text.encode()) / 3
    # The dictionary does its share: plain zlib keeps half again as much.
    assert len(stored) * 1.5 < len(zlib.compress(text.encode(), 9))


@pytest.mark.parametrize(
    "stored",
    [
        b"",
        "{}",  # text, as a raw edit might leave it
        bytes([2]) + pack("{}")[1:],  # a format this version does not know
        pack('{"plan": "review"}')[:-4],  # cut short
        pack("{}") + b"more",  # something after the end
        bytes([1]) + b"{}",  # not a zlib stream
    ],
    ids=["empty", "text", "newer format", "cut short", "trailing", "not deflated"],
)
def test_what_the_program_did_not_write_is_refused(stored: bytes) -> None:
    with pytest.raises(UnreadableContent, match="stored visit content"):
        unpack(stored)


def test_a_flipped_bit_is_refused_or_changes_nothing(sample_visit) -> None:
    """Damage is found (the stream's checksum), never read as other content."""
    text = visit_file.canonical_json(visit_file.visit_to_dict(sample_visit()))
    stored = pack(text)
    refused = 0
    for bit in range(8, 8 * len(stored)):
        damaged = bytearray(stored)
        damaged[bit // 8] ^= 1 << (bit % 8)
        try:
            assert unpack(bytes(damaged)) == text
        except UnreadableContent:
            refused += 1
    assert refused > 0.95 * 8 * (len(stored) - 1)
