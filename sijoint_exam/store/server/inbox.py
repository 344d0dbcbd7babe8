"""Take the other rooms' records into the local database, as they are on the
server: patients, visits, signatures and addenda become ordinary local records
(the list, the letter and the exports use them), each logged in this room's
audit log as received. Read-only here where they are another room's.

Every function writes in the caller's transaction and is idempotent: what is
already here is left alone (or, for demographics, replaced by a later edit).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from sijoint_exam.store import (
    audit,
    rows,
    search,
    signing,
    sync_tables,
    visit_content,
)
from sijoint_exam.store.server.conflicts import Conflict, patient_label

_FIELDS = ("mrn", "family_name", "given_names", "date_of_birth", "sex")


@dataclass
class Inbox:
    """Applies pulled rows; collects the audit entries and the conflicts."""

    db: Database
    me: str
    rooms: dict[str, str]
    received: list[tuple[str, str, int | None, str, str, str]] = field(
        default_factory=list
    )
    conflicts: list[Conflict] = field(default_factory=list)
    visits: int = 0
    patients: int = 0

    def local_id(self, entity: str, uid: str) -> int | None:
        row = self.db.execute(
            "SELECT local_id FROM sync_record WHERE entity = ? AND uid = ?",
            [entity, uid],
        ).fetchone()
        return None if row is None else int(row[0])

    def _map(
        self, entity: str, local_id: int, uid: str, origin: str, **extra: Any
    ) -> None:
        self.db.execute(
            "INSERT INTO sync_record (entity, local_id, uid, origin, origin_room,"
            " signed_visit_ref) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (entity, local_id)"
            " DO UPDATE SET origin_room = excluded.origin_room",
            [
                entity,
                local_id,
                uid,
                origin,
                self.rooms.get(origin, ""),
                extra.get("signed_visit_ref"),
            ],
        )

    def _log(
        self, entity: str, local_id: int, sha: str, clinician: str, detail: str
    ) -> None:
        self.received.append((audit.RECEIVE, entity, local_id, sha, clinician, detail))

    # Patients

    def patient(self, row: dict[str, Any]) -> int | None:
        """Take in a patient; returns the local id (None: held by a conflict)."""
        room = self.rooms.get(row["edited_by"], "another room")
        detail = f"from {room} through the clinic server (edited {row['edited_at']})"
        local_id = self.local_id("patient", row["uid"])
        if local_id is None:
            return self._new_patient(row, detail)
        current = self.db.execute(
            f"SELECT updated_at, {', '.join(_FIELDS)} FROM patient WHERE id = ?",
            [local_id],
        ).fetchone()
        if [str(value) for value in current[1:]] == [row[name] for name in _FIELDS]:
            return local_id
        # The later edit wins (ties: the higher workstation id, as on the server).
        if (row["edited_at"], row["edited_by"]) <= (current[0], self.me):
            return local_id
        clash = self._mrn_holder(row["mrn"], local_id)
        if clash is not None:
            self._conflict(row, clash, room)
            return local_id
        values = {name: row[name] for name in _FIELDS}
        self.db.execute(
            "UPDATE patient SET mrn = ?, family_name = ?, given_names = ?,"
            " date_of_birth = ?, sex = ?, search_text = ?, updated_at = ? WHERE id = ?",
            [*values.values(), search.search_text(values), row["edited_at"], local_id],
        )
        self.patients += 1
        self._log(
            "patient",
            local_id,
            audit.patient_sha256(values),
            row["clinician"],
            f"{detail}; later than this room's details of {current[0]}, which "
            "it replaces",
        )
        return local_id

    def _new_patient(self, row: dict[str, Any], detail: str) -> int | None:
        clash = self._mrn_holder(row["mrn"], None)
        if clash is not None:
            self._conflict(row, clash, self.rooms.get(row["edited_by"], "another room"))
            return None
        values = {name: row[name] for name in _FIELDS}
        cursor = self.db.execute(
            "INSERT INTO patient (mrn, family_name, given_names, date_of_birth, sex,"
            " search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                *values.values(),
                search.search_text(values),
                row["created_at"],
                row["edited_at"],
            ],
        )
        local_id = int(cursor.lastrowid or 0)
        self.patients += 1
        self._map("patient", local_id, row["uid"], row["edited_by"])
        self._log(
            "patient", local_id, audit.patient_sha256(values), row["clinician"], detail
        )
        self.db.execute(
            "DELETE FROM sync_held WHERE kind = 'server patient' AND key = ?",
            [row["uid"]],
        )
        return local_id

    def _mrn_holder(self, mrn: str, except_id: int | None) -> tuple[Any, ...] | None:
        holder: tuple[Any, ...] | None = self.db.execute(
            "SELECT id, family_name, given_names, date_of_birth FROM patient"
            " WHERE mrn = ? AND id IS NOT ?",
            [mrn, except_id],
        ).fetchone()
        return holder

    def _conflict(self, row: dict[str, Any], clash: tuple[Any, ...], room: str) -> None:
        conflict = Conflict(
            mrn=row["mrn"],
            here=patient_label(*clash[1:]),
            there=patient_label(
                row["family_name"], row["given_names"], row["date_of_birth"]
            ),
            other_room=room,
        )
        self.conflicts.append(conflict)
        self.db.execute(
            "INSERT INTO sync_held (kind, key, mrn, reason)"
            " VALUES ('server patient', ?, ?, ?) ON CONFLICT DO NOTHING",
            [row["uid"], row["mrn"], conflict.message],
        )

    # Visits, signatures, addenda

    def visit(self, row: dict[str, Any]) -> None:
        patient_id = self.local_id("patient", row["patient_uid"])
        if patient_id is None:
            return  # its patient is held by a conflict: taken in with it later
        content = row["content_json"]
        sha = audit.sha256_text(content)
        room = self.rooms.get(row["workstation"], "another room")
        columns = [
            row["visit_date"],
            row["clinician"],
            row["symptomatic_side"],
            row["rule"],
            visit_content.pack(content),
            row["updated_at"],
        ]
        local_id = self.local_id("visit", row["uid"])
        if local_id is None:
            cursor = self.db.execute(
                "INSERT INTO visit (visit_date, clinician, symptomatic_side, rule,"
                " content, updated_at, patient_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [*columns, patient_id, row["created_at"]],
            )
            local_id = int(cursor.lastrowid or 0)
        else:
            stored = self.db.execute(
                "SELECT v.content, s.visit_id FROM visit v LEFT JOIN signature s"
                " ON s.visit_id = v.id WHERE v.id = ?",
                [local_id],
            ).fetchone()
            if stored[1] is not None or visit_content.unpack(stored[0]) == content:
                return
            self.db.execute(
                "UPDATE visit SET visit_date = ?, clinician = ?, symptomatic_side = ?,"
                " rule = ?, content = ?, updated_at = ? WHERE id = ?",
                [*columns, local_id],
            )
            self.db.execute(
                "DELETE FROM provocation_result WHERE visit_id = ?", [local_id]
            )
        self.db.conn.executemany(
            "INSERT INTO provocation_result (visit_id, test_id, side, result)"
            " VALUES (?, ?, ?, ?)",
            rows.result_rows(local_id, json.loads(content).get("provocation", {})),
        )
        self._map("visit", local_id, row["uid"], row["workstation"])
        self._log(
            "visit",
            local_id,
            sha,
            row["clinician"],
            f"from {room} through the clinic server",
        )
        self.visits += 1

    def signature(self, row: dict[str, Any]) -> None:
        visit_id = self.local_id("visit", row["visit_uid"])
        if (
            visit_id is None
            or self.db.execute(
                "SELECT 1 FROM signature WHERE visit_id = ?", [visit_id]
            ).fetchone()
        ):
            return
        patient_id, stored = self.db.execute(
            "SELECT patient_id, content FROM visit WHERE id = ?", [visit_id]
        ).fetchone()
        if audit.sha256_text(visit_content.unpack(stored)) != row["content_sha256"]:
            return  # not the content signed: the visit's last version comes first
        checks = signing.stored_checks(row["acknowledged_checks"])
        if checks is None:
            return  # not a list of check ids: not one the program wrote
        self.db.execute(
            "INSERT INTO signature (visit_id, patient_id, clinician, signed_at,"
            " content_sha256, acknowledged_checks) VALUES (?, ?, ?, ?, ?, ?)",
            [
                visit_id,
                patient_id,
                row["clinician"],
                row["signed_at"],
                row["content_sha256"],
                json.dumps(list(checks)),
            ],
        )
        room = self.rooms.get(row["workstation"], "another room")
        self._log(
            "signature",
            visit_id,
            signing.received_sha256(
                row["content_sha256"],
                row["clinician"],
                row["signed_at"],
                json.dumps(list(checks)),  # as stored
            ),
            row["clinician"],
            f"signed in {room} at {row['signed_at']}"
            f"{'; ' + signing.sign_detail(checks) if checks else ''};"
            " from the clinic server",
        )

    def addendum(self, row: dict[str, Any]) -> None:
        visit_id = self.local_id("visit", row["visit_uid"])
        if visit_id is None or self.local_id("addendum", row["uid"]) is not None:
            return
        if not self.db.execute(
            "SELECT 1 FROM signature WHERE visit_id = ?", [visit_id]
        ).fetchone():
            return
        cursor = self.db.execute(
            "INSERT INTO addendum (visit_id, text, clinician, created_at,"
            " content_sha256) VALUES (?, ?, ?, ?, ?)",
            [
                visit_id,
                row["text"],
                row["clinician"],
                row["created_at"],
                row["content_sha256"],
            ],
        )
        local_id = int(cursor.lastrowid or 0)
        self._map(
            "addendum",
            local_id,
            row["uid"],
            row["workstation"],
            signed_visit_ref=row["signed_visit_ref"],
        )
        room = self.rooms.get(row["workstation"], "another room")
        self._log(
            "addendum",
            local_id,
            row["content_sha256"],
            row["clinician"],
            f"to visit {visit_id}, written in {room}; from the clinic server",
        )

    def clinic_audit(self, entries: Iterable[dict[str, Any]]) -> None:
        """Keep the other rooms' audit entries beside this room's log."""
        self.db.conn.executemany(
            "INSERT INTO clinic_audit (workstation, id, room, at, os_user, clinician,"
            " action, entity, entity_uid, detail, content_sha256, previous_sha256,"
            " entry_sha256) VALUES (:workstation, :id, :room, :at, :os_user,"
            " :clinician, :action, :entity, :entity_uid, :detail, :content_sha256,"
            " :previous_sha256, :entry_sha256) ON CONFLICT DO NOTHING",
            [
                {**entry, "room": self.rooms.get(entry["workstation"], "")}
                for entry in entries
            ],
        )

    def flush(self) -> None:
        """Write the collected audit entries, chained, in the caller's transaction."""
        if self.received:
            audit.AuditLog(self.db).extend(self.received)
            self.received = []


def workstation_of(db: Database) -> str:
    return sync_tables.workstation(db)[0]
