"""The Bundle POSTed to a FHIR receiver the test run starts on 127.0.0.1, and read
back; sent twice, it updates what the first send created (see fhir_receiver.py for
what the receiver is: a minimal validating store, not a full FHIR server)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from sijoint_exam.exchange.fhir import build_bundle
from sijoint_exam.ui.fhir_export import stored_visit_export
from tests.exchange.conftest import LETTERHEAD, SYSTEM
from tests.exchange.fhir_receiver import FHIR_JSON, Receiver


def _post(base: str, bundle: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        base + "/",
        data=json.dumps(bundle).encode("utf-8"),
        headers={"Content-Type": FHIR_JSON},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def _get(base: str, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return json.load(response)


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def test_post_reads_back_and_a_second_send_updates(receiver, signed_store) -> None:
    bundle = build_bundle(stored_visit_export(signed_store, 1, SYSTEM, LETTERHEAD))
    status, reply = _post(receiver.base_url, bundle)
    assert status == 200, reply
    assert reply["type"] == "transaction-response"
    assert {e["response"]["status"] for e in reply["entry"]} == {"201 Created"}

    found = _get(receiver.base_url, f"/Patient?identifier={SYSTEM}|A-1001")
    assert found["total"] == 1
    patient = found["entry"][0]["resource"]
    assert patient["name"][0]["family"] == "Kim"
    sent = [e["resource"] for e in bundle["entry"]]
    observations = [r for r in sent if r["resourceType"] == "Observation"]
    stored = _get(receiver.base_url, "/Observation")
    assert stored["total"] == len(observations)
    # References now name the receiver's ids, and they resolve.
    subject = stored["entry"][0]["resource"]["subject"]["reference"]
    assert subject == f"Patient/{patient['id']}"
    assert _get(receiver.base_url, f"/{subject}")["id"] == patient["id"]
    provenance = _get(receiver.base_url, "/Provenance")["entry"]
    assert len(provenance) == 2  # the visit's signature and the addendum's

    # The same visit again: every resource updated in place, none added.
    status, again = _post(receiver.base_url, bundle)
    assert status == 200
    assert {e["response"]["status"] for e in again["entry"]} == {"200 OK"}
    assert _get(receiver.base_url, "/Observation")["total"] == len(observations)
    assert _get(receiver.base_url, "/Patient")["total"] == 1
    assert (
        patient["id"]
        == _get(receiver.base_url, "/Patient")["entry"][0]["resource"]["id"]
    )
    assert _get(receiver.base_url, f"/Patient/{patient['id']}")["meta"] == {
        "versionId": "2"
    }


def test_second_visit_of_the_patient_adds_to_the_same_patient(
    receiver, signed_store
) -> None:
    for visit_id in (1, 2):
        bundle = build_bundle(
            stored_visit_export(signed_store, visit_id, SYSTEM, LETTERHEAD)
        )
        assert _post(receiver.base_url, bundle)[0] == 200
    assert _get(receiver.base_url, "/Patient")["total"] == 1
    assert _get(receiver.base_url, "/Encounter")["total"] == 2


def test_invalid_bundle_is_refused_whole(receiver, signed_store) -> None:
    bundle = build_bundle(stored_visit_export(signed_store, 2, SYSTEM, LETTERHEAD))
    bundle["entry"][-1]["resource"]["status"] = "signed"  # not an R4 code
    status, reply = _post(receiver.base_url, bundle)
    assert status == 400
    assert reply["resourceType"] == "OperationOutcome"
    assert _get(receiver.base_url, "/Patient")["total"] == 0
