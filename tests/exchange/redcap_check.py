"""A REDCap-format check of a data dictionary and the data files it describes.

The rules REDCap's Data Dictionary upload applies (REDCap's "Data Dictionary"
help and its upload error messages): the 18 columns in order; record_id first;
variable and form names of lower-case letters, digits and underscores, starting
with a letter (at most 26 characters, REDCap's recommended limit); each form's
fields together; known field types; "code, label | …" choices for radio,
dropdown and checkbox fields and for nothing else; known validation types with
numeric limits. The data files are then read against it, value by value.
"""

from __future__ import annotations

import csv
import io
import re

from sijoint_exam.exchange.research import DICTIONARY_COLUMNS

NAME = re.compile(r"^[a-z][a-z0-9_]{0,25}$")
CHOICE_CODE = re.compile(r"^-?[A-Za-z0-9_.]+$")
FIELD_TYPES = {
    "text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse", "calc",
    "file", "slider", "descriptive", "sql",
}  # fmt: skip
VALIDATIONS = {
    "", "date_ymd", "date_mdy", "date_dmy", "datetime_ymd", "datetime_seconds_ymd",
    "email", "integer", "number", "phone", "time", "zipcode", "alpha_only",
}  # fmt: skip
CHOICE_TYPES = {"dropdown", "radio", "checkbox"}
REPEAT = ("redcap_repeat_instrument", "redcap_repeat_instance")


def _choices(text: str) -> dict[str, str]:
    out = {}
    for part in text.split("|"):
        code, comma, label = part.strip().partition(",")
        if not comma or not CHOICE_CODE.match(code.strip()) or not label.strip():
            raise ValueError(f"choice {part.strip()!r} is not 'code, label'")
        out[code.strip()] = label.strip()
    return out


def dictionary_problems(text: str) -> list[str]:
    """What a REDCap upload would refuse in this data dictionary (CSV text)."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0]) != DICTIONARY_COLUMNS:
        return ["the header is not REDCap's 18 data dictionary columns"]
    problems = []
    fields = [dict(zip(DICTIONARY_COLUMNS, row, strict=True)) for row in rows[1:]]
    if not fields or fields[0]["Variable / Field Name"] != "record_id":
        problems.append("the first field is not record_id")
    seen: set[str] = set()
    forms_done: set[str] = set()
    current_form = None
    for field in fields:
        name, form = field["Variable / Field Name"], field["Form Name"]
        kind = field["Field Type"]
        where = f"{name}:"
        if not NAME.match(name):
            problems.append(f"{where} not a valid variable name")
        if name in seen:
            problems.append(f"{where} appears twice")
        seen.add(name)
        if not NAME.match(form):
            problems.append(f"{where} form {form!r} is not a valid form name")
        if form != current_form:
            if form in forms_done:
                problems.append(f"{where} form {form} is split in two")
            if current_form is not None:
                forms_done.add(current_form)
            current_form = form
        if kind not in FIELD_TYPES:
            problems.append(f"{where} unknown field type {kind!r}")
        if not field["Field Label"]:
            problems.append(f"{where} no label")
        choices = field["Choices, Calculations, OR Slider Labels"]
        if kind in CHOICE_TYPES:
            try:
                _choices(choices)
            except ValueError as error:
                problems.append(f"{where} {error}")
        elif choices and kind not in ("calc", "slider", "sql"):
            problems.append(f"{where} choices on a {kind} field")
        validation = field["Text Validation Type OR Show Slider Number"]
        if validation not in VALIDATIONS or (validation and kind != "text"):
            problems.append(f"{where} validation {validation!r} not allowed")
        for limit in ("Text Validation Min", "Text Validation Max"):
            if field[limit] and validation in ("integer", "number"):
                try:
                    float(field[limit])
                except ValueError:
                    problems.append(f"{where} {limit} is not a number")
        for flag in ("Identifier?", "Required Field?", "Matrix Ranking?"):
            if field[flag] not in ("", "y"):
                problems.append(f"{where} {flag} must be empty or y")
    return problems


def data_problems(dictionary_text: str, data_text: str) -> list[str]:
    """What does not fit the dictionary in one data file (CSV text)."""
    fields = {
        row["Variable / Field Name"]: row
        for row in csv.DictReader(io.StringIO(dictionary_text))
    }
    reader = csv.DictReader(io.StringIO(data_text))
    header = reader.fieldnames or []
    problems = [
        f"column {c} is not in the dictionary"
        for c in header
        if c not in fields and c not in REPEAT
    ]
    for number, row in enumerate(reader, start=2):
        for column, value in row.items():
            if column in REPEAT or column not in fields or value == "":
                continue
            field = fields[column]
            kind = field["Field Type"]
            where = f"line {number}, {column}={value!r}:"
            if kind in CHOICE_TYPES:
                codes = _choices(field["Choices, Calculations, OR Slider Labels"])
                if value not in codes:
                    problems.append(f"{where} not one of the choices")
            elif kind == "yesno" and value not in ("0", "1"):
                problems.append(f"{where} not 0 or 1")
            validation = field["Text Validation Type OR Show Slider Number"]
            if validation in ("integer", "number"):
                try:
                    number_value = (
                        int(value) if validation == "integer" else float(value)
                    )
                except ValueError:
                    problems.append(f"{where} not {validation}")
                    continue
                low, high = field["Text Validation Min"], field["Text Validation Max"]
                if (low and number_value < float(low)) or (
                    high and number_value > float(high)
                ):
                    problems.append(f"{where} outside {low}–{high}")
    return problems
