"""Patient search: the folded search text and the SQL that finds a patient by it.

Names are folded once, when a patient is written, into `patient.search_text`; the
search folds the words typed in the same way. A word of three characters or more is
looked up in an FTS5 trigram index of that text (any substring, fast however many
patients there are); shorter words are matched by walking a covering index in name
order, which stops as soon as a page of patients is found.

This module uses the standard library only: the migrations import it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# FTS5's trigram tokenizer cannot look up anything shorter than a trigram.
_TRIGRAM = 3

# Newline separates the fields, so a search word never matches across the end of one
# field and the start of the next (no word can contain one: words are split on
# whitespace).
_FIELD_SEPARATOR = "\n"

ORDER = "family_name COLLATE NOCASE, given_names COLLATE NOCASE, id"


def fold(text: str) -> str:
    """Text as search compares it: without accents, case-folded, composed.

    "Ñúñez" and "NUNEZ" both fold to "nunez"; "Weiß" to "weiss"; Hangul is kept
    (decomposed to jamo and composed again, so "선애" stays "선애").
    """
    # NFKD splits accented letters into letter + combining mark; dropping the marks
    # removes the accents. Folding before composing again catches "ß" -> "ss".
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare.casefold())


def search_text(row: Mapping[str, object]) -> str:
    """The folded text a patient is found by: names, MRN and date of birth."""
    fields = (row["family_name"], row["given_names"], row["mrn"], row["date_of_birth"])
    return _FIELD_SEPARATOR.join(fold(str(field)) for field in fields)


def _fts_phrase(word: str) -> str:
    """A word as an FTS5 phrase: quoted, so punctuation in it is no operator."""
    return '"' + word.replace('"', '""') + '"'


def query(text: str, limit: int, columns: str = "*") -> tuple[str, list[object]]:
    """The SQL and parameters of a search for every word of `text`, in name order."""
    words = [fold(word) for word in text.split()]
    words = [word for word in words if word]
    long_words = [word for word in words if len(word) >= _TRIGRAM]
    # Every word must be contained; instr() states that exactly, and the trigram
    # index (when there is a long word) only narrows the rows it is asked of.
    conditions = ["instr(search_text, ?) > 0" for _ in words]
    params: list[object] = list(words)
    if long_words:
        match = " AND ".join(_fts_phrase(word) for word in long_words)
        conditions.insert(
            0, "id IN (SELECT rowid FROM patient_search WHERE patient_search MATCH ?)"
        )
        params.insert(0, match)
        source = "patient"
    else:
        # Short words only (or none): walk the names in order and stop at the limit.
        source = "patient INDEXED BY idx_patient_search"
    where = " AND ".join(conditions) or "1"
    sql = f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {ORDER} LIMIT ?"
    return sql, [*params, limit]
