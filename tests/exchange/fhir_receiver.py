"""A minimal FHIR R4 receiver for the tests, on 127.0.0.1 (standard library only).

Not a FHIR server: enough of one to take what the program sends. It accepts a
`transaction` Bundle by `POST [base]`, validates it with both validators (refusing
the whole Bundle with an OperationOutcome on any problem), resolves conditional
updates (`PUT Type?identifier=system|value`) and updates by id (`PUT Type/id`),
rewrites `urn:uuid:` references to the ids it assigned, and stores every resource
in memory with a version. `GET [base]/Type?identifier=system|value`,
`GET [base]/Type` and `GET [base]/Type/id` read them back.
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.exchange.fhir_validation import problems

FHIR_JSON = "application/fhir+json"


class ReceiverError(Exception):
    """A request refused, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _outcome(message: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "invalid", "diagnostics": message}],
    }


def _has_identifier(resource: dict[str, Any], system: str, value: str) -> bool:
    found = resource.get("identifier", [])
    found = found if isinstance(found, list) else [found]
    return any(i.get("system") == system and i.get("value") == value for i in found)


def _rewrite(value: Any, ids: dict[str, str]) -> Any:
    """Every `reference` to a fullUrl of the Bundle, pointed at its stored id."""
    if isinstance(value, dict):
        out = {k: _rewrite(v, ids) for k, v in value.items()}
        if isinstance(out.get("reference"), str) and out["reference"] in ids:
            out["reference"] = ids[out["reference"]]
        return out
    if isinstance(value, list):
        return [_rewrite(v, ids) for v in value]
    return value


class Store:
    """Resources by type and id; every change bumps `meta.versionId`."""

    def __init__(self) -> None:
        self.resources: dict[str, dict[str, dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def search(self, kind: str, identifier: str | None) -> list[dict[str, Any]]:
        found = list(self.resources.get(kind, {}).values())
        if identifier is None:
            return found
        system, _, value = identifier.partition("|")
        return [r for r in found if _has_identifier(r, system, value)]

    def _target(self, url: str) -> tuple[str, str, bool]:
        """(type, id, exists) that a PUT url names."""
        path, _, query = url.partition("?")
        kind = path.split("/")[0]
        if not query:
            logical_id = path.split("/")[1]
            return kind, logical_id, logical_id in self.resources.get(kind, {})
        identifier = parse_qs(query).get("identifier", [None])[0]
        if identifier is None:
            raise ReceiverError(400, f"{url}: only identifier= conditions are known")
        matches = self.search(kind, unquote(identifier))
        if len(matches) > 1:
            raise ReceiverError(412, f"{url}: {len(matches)} resources match")
        if matches:
            return kind, matches[0]["id"], True
        return kind, str(next(self._ids)), False

    def transaction(self, bundle: dict[str, Any]) -> dict[str, Any]:
        """Apply a transaction Bundle whole; the transaction-response Bundle."""
        if (
            bundle.get("resourceType") != "Bundle"
            or bundle.get("type") != "transaction"
        ):
            raise ReceiverError(400, "POST [base] takes a transaction Bundle")
        found = problems(bundle)
        if found:
            raise ReceiverError(400, "; ".join(found[:5]))
        with self._lock:
            targets = []
            for entry in bundle["entry"]:
                if entry["request"]["method"] != "PUT":
                    raise ReceiverError(400, "only PUT entries are supported")
                targets.append(self._target(entry["request"]["url"]))
            ids = {
                entry["fullUrl"]: f"{kind}/{logical_id}"
                for entry, (kind, logical_id, _) in zip(
                    bundle["entry"], targets, strict=True
                )
            }
            responses = []
            for entry, (kind, logical_id, exists) in zip(
                bundle["entry"], targets, strict=True
            ):
                stored = self.resources.setdefault(kind, {})
                version = (
                    int(stored[logical_id]["meta"]["versionId"]) + 1 if exists else 1
                )
                resource = _rewrite(entry["resource"], ids)
                resource["id"] = logical_id
                resource["meta"] = {"versionId": str(version)}
                stored[logical_id] = resource
                responses.append(
                    {
                        "response": {
                            "status": "200 OK" if exists else "201 Created",
                            "location": f"{kind}/{logical_id}/_history/{version}",
                        }
                    }
                )
        return {
            "resourceType": "Bundle",
            "type": "transaction-response",
            "entry": responses,
        }


class _Handler(BaseHTTPRequestHandler):
    store: Store

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: pytest shows failures, not traffic

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", FHIR_JSON)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        try:
            if urlsplit(self.path).path.strip("/"):
                raise ReceiverError(404, "POST the Bundle to the base URL")
            bundle = json.loads(self.rfile.read(length))
            self._send(200, self.server.store.transaction(bundle))  # type: ignore[attr-defined]
        except ReceiverError as error:
            self._send(error.status, _outcome(str(error)))
        except ValueError as error:
            self._send(400, _outcome(f"not JSON: {error}"))

    def do_GET(self) -> None:  # noqa: N802
        store: Store = self.server.store  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        if len(parts) == 2:
            found = store.resources.get(parts[0], {}).get(parts[1])
            if found is None:
                self._send(404, _outcome(f"{url.path}: not found"))
            else:
                self._send(200, found)
            return
        if len(parts) != 1:
            self._send(404, _outcome(f"{url.path}: not found"))
            return
        identifier = parse_qs(url.query).get("identifier", [None])[0]
        matches = store.search(parts[0], identifier)
        self._send(
            200,
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(matches),
                "entry": [{"resource": r} for r in matches],
            },
        )


class Receiver:
    """The receiver on a free loopback port; a context manager that stops it."""

    def __init__(self) -> None:
        self.store = Store()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.store = self.store  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
