"""The server's schema, its numbered migrations, and the workstations' group role.

Every table names the workstation (the room's database) and the login role that
wrote each row; the login role is set by a trigger, so a room cannot claim to be
another. As in a workstation's database, triggers refuse any change to a signed
visit, a signature, an addendum and the audit log, whoever asks (the owner too),
and the workstations' group role is granted INSERT and SELECT, never UPDATE or
DELETE, on those.
"""

from __future__ import annotations

from psycopg import Connection, sql

SCHEMA = "sijoint_exam"
DEFAULT_GROUP_ROLE = "sijoint_exam_workstation"
# pg_advisory_xact_lock key: pushes take it exclusively, a pull's high-water mark
# shared, so that change numbers become visible in the order they were given.
PUSH_LOCK = 7_406_118_018

_PERMANENT = "{what} is permanent on the clinic server: it cannot be changed or deleted"

_CREATE_TABLES = """
-- The database is created in UTF8 by server init's caller; convert_to is only
-- STABLE in general, so it is wrapped to be used in a generated column.
CREATE FUNCTION utf8_sha256(content text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN encode(sha256(convert_to(content, 'UTF8')), 'hex');
CREATE TABLE workstation (
    uid uuid PRIMARY KEY,
    room text NOT NULL CHECK (room <> ''),
    db_user text NOT NULL DEFAULT session_user,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz NOT NULL DEFAULT now()
);
CREATE SEQUENCE change_seq;
CREATE TABLE patient (
    uid uuid PRIMARY KEY,
    mrn text NOT NULL UNIQUE,
    family_name text NOT NULL,
    given_names text NOT NULL,
    date_of_birth text NOT NULL,
    sex text NOT NULL,
    created_at text NOT NULL,
    edited_at text NOT NULL,
    edited_by uuid NOT NULL REFERENCES workstation,
    clinician text NOT NULL,
    written_by text NOT NULL,
    changed_seq bigint NOT NULL DEFAULT nextval('change_seq')
);
CREATE INDEX patient_changed ON patient (changed_seq);
-- Every version of the demographics any room sent, the ones that lost to a
-- later edit too.
CREATE TABLE patient_version (
    id bigserial PRIMARY KEY,
    patient_uid uuid NOT NULL REFERENCES patient,
    mrn text NOT NULL,
    family_name text NOT NULL,
    given_names text NOT NULL,
    date_of_birth text NOT NULL,
    sex text NOT NULL,
    edited_at text NOT NULL,
    workstation uuid NOT NULL REFERENCES workstation,
    clinician text NOT NULL,
    content_sha256 text NOT NULL,
    written_by text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (patient_uid, workstation, edited_at, content_sha256)
);
CREATE TABLE visit (
    uid uuid PRIMARY KEY,
    patient_uid uuid NOT NULL REFERENCES patient,
    workstation uuid NOT NULL REFERENCES workstation,
    visit_date text NOT NULL,
    clinician text NOT NULL,
    symptomatic_side text NOT NULL,
    rule text NOT NULL,
    content_json text NOT NULL,
    content_sha256 text NOT NULL
        GENERATED ALWAYS AS (utf8_sha256(content_json))
        STORED,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    written_by text NOT NULL,
    changed_seq bigint NOT NULL DEFAULT nextval('change_seq')
);
CREATE INDEX visit_changed ON visit (changed_seq);
CREATE INDEX visit_patient ON visit (patient_uid);
CREATE TABLE signature (
    visit_uid uuid PRIMARY KEY REFERENCES visit,
    workstation uuid NOT NULL REFERENCES workstation,
    clinician text NOT NULL CHECK (clinician <> ''),
    signed_at text NOT NULL,
    content_sha256 text NOT NULL,
    acknowledged_checks text NOT NULL DEFAULT '[]',
    written_by text NOT NULL,
    changed_seq bigint NOT NULL DEFAULT nextval('change_seq')
);
CREATE INDEX signature_changed ON signature (changed_seq);
CREATE TABLE addendum (
    uid uuid PRIMARY KEY,
    visit_uid uuid NOT NULL REFERENCES signature,
    workstation uuid NOT NULL REFERENCES workstation,
    text text NOT NULL CHECK (text <> ''),
    clinician text NOT NULL CHECK (clinician <> ''),
    created_at text NOT NULL,
    content_sha256 text NOT NULL,
    signed_visit_ref bigint NOT NULL,
    written_by text NOT NULL,
    changed_seq bigint NOT NULL DEFAULT nextval('change_seq')
);
CREATE INDEX addendum_changed ON addendum (changed_seq);
-- Each room's own hash-chained audit log, entry for entry (id is the room's).
CREATE TABLE audit_entry (
    workstation uuid NOT NULL REFERENCES workstation,
    id bigint NOT NULL,
    at text NOT NULL,
    os_user text NOT NULL,
    clinician text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id bigint,
    detail text NOT NULL,
    content_sha256 text NOT NULL,
    previous_sha256 text NOT NULL,
    entry_sha256 text NOT NULL,
    entity_uid uuid,
    written_by text NOT NULL,
    changed_seq bigint NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (workstation, id)
);
CREATE INDEX audit_entry_changed ON audit_entry (changed_seq);

-- Who wrote a row is the login role, whatever the row says; a workstation writes
-- only as the login role it registered with.
CREATE FUNCTION stamp_writer() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
DECLARE
    writer_room uuid;
BEGIN
    NEW.written_by := session_user;
    IF TG_TABLE_NAME = 'patient' THEN
        writer_room := NEW.edited_by;
    ELSE
        writer_room := NEW.workstation;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM workstation w
                   WHERE w.uid = writer_room AND w.db_user = session_user) THEN
        RAISE EXCEPTION 'workstation % is not registered to the login role %',
            writer_room, session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME <> 'workstation' THEN
        NEW.changed_seq := nextval('change_seq');
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE FUNCTION guard_visit() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM signature s WHERE s.visit_uid = OLD.uid) THEN
        RAISE EXCEPTION 'a signed visit cannot be changed or deleted; add an addendum'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'visits are never deleted on the clinic server'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.uid <> OLD.uid OR NEW.workstation <> OLD.workstation
       OR NEW.patient_uid <> OLD.patient_uid THEN
        RAISE EXCEPTION 'a visit stays with its patient and the room that opened it'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

-- A signature covers the visit as it is on the server; an addendum follows a
-- signature (the foreign key) and is as permanent.
CREATE FUNCTION check_signature() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM visit v WHERE v.uid = NEW.visit_uid
                   AND v.content_sha256 = NEW.content_sha256) THEN
        RAISE EXCEPTION 'the signature does not match the visit on the clinic server'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER visit_signed_no_change BEFORE UPDATE OR DELETE ON visit
    FOR EACH ROW EXECUTE FUNCTION guard_visit();
CREATE TRIGGER signature_matches_visit BEFORE INSERT ON signature
    FOR EACH ROW EXECUTE FUNCTION check_signature();
CREATE TRIGGER patient_no_delete BEFORE DELETE ON patient
    FOR EACH ROW
    EXECUTE FUNCTION refuse_change('patients are never deleted on the clinic server');
"""

# The tables nothing may change once written, and what each is called in messages.
PERMANENT_TABLES = {
    "signature": "a signature",
    "addendum": "an addendum",
    "audit_entry": "the audit log",
    "patient_version": "a version of the patient details",
}
STAMPED_TABLES = (
    "patient",
    "patient_version",
    "visit",
    "signature",
    "addendum",
    "audit_entry",
)


def _guards() -> str:
    statements = []
    for table, what in PERMANENT_TABLES.items():
        message = _PERMANENT.format(what=what.capitalize())
        for timing, level in (("UPDATE OR DELETE", "ROW"), ("TRUNCATE", "STATEMENT")):
            name = f"{table}_no_{'truncate' if timing == 'TRUNCATE' else 'change'}"
            statements.append(
                f"CREATE TRIGGER {name} BEFORE {timing} ON {table} FOR EACH {level}"
                f" EXECUTE FUNCTION refuse_change('{message}');"
            )
    for table in ("visit", "patient"):
        statements.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION"
            f" refuse_change('{table}s are never deleted on the clinic server');"
        )
    for table in STAMPED_TABLES:
        statements.append(
            f"CREATE TRIGGER {table}_stamp_writer BEFORE INSERT OR UPDATE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION stamp_writer();"
        )
    return "\n".join(statements)


# The guard triggers `verify --server` expects, by table.
GUARD_TRIGGERS = (
    "visit_signed_no_change",
    "signature_matches_visit",
    "patient_no_delete",
    *(
        f"{table}_no_{kind}"
        for table in PERMANENT_TABLES
        for kind in ("change", "truncate")
    ),
    "visit_no_truncate",
    "patient_no_truncate",
    *(f"{table}_stamp_writer" for table in STAMPED_TABLES),
)

# Append-only and numbered, like the workstation's: never edit a released one.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("001_clinic_schema", _CREATE_TABLES + _guards()),
)


def check_ready(conn: Connection) -> None:
    """Raise ValueError, saying what to do, unless the schema is this program's.

    A room cannot migrate the server (it has no right to); the administrator
    runs `server init` once, and again after an upgrade of the program.
    """
    found = conn.execute(
        "SELECT to_regclass(%s) IS NOT NULL",
        [f"{SCHEMA}.schema_migration"],
    ).fetchone()
    if not found or not found[0]:
        raise ValueError(
            "it has no sijoint-exam schema yet: run `sijoint-exam server init` on it "
            "(as its owner or a superuser)"
        )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migration")}
    known = [name for name, _ in MIGRATIONS]
    if done - set(known):
        raise ValueError("its schema is newer than this program: update the program")
    missing = [name for name in known if name not in done]
    if missing:
        raise ValueError(
            f"its schema lacks {', '.join(missing)}: run `sijoint-exam server init` "
            "on it (as its owner or a superuser)"
        )


def migrate(conn: Connection) -> list[str]:
    """Create the schema if need be and apply the migrations it lacks, in one
    transaction; returns the names applied now."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [PUSH_LOCK])
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA))
        )
        conn.execute(
            sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(SCHEMA))
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration"
            " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT name FROM schema_migration")}
        known = {name for name, _ in MIGRATIONS}
        newer = sorted(done - known)
        if newer:
            raise ValueError(
                "the clinic server's schema is newer than this program "
                f"({', '.join(newer)}); update the program"
            )
        applied = []
        for name, statements in MIGRATIONS:
            if name in done:
                continue
            conn.execute(statements)
            conn.execute("INSERT INTO schema_migration (name) VALUES (%s)", [name])
            applied.append(name)
    return applied


def grant_workstations(conn: Connection, group_role: str) -> bool:
    """Create the workstations' group role if it is missing (returns True then),
    and grant it what a room needs: read everything, add records, change only
    unsigned visits (the triggers refuse signed ones) and demographics."""
    group = sql.Identifier(group_role)
    schema = sql.Identifier(SCHEMA)
    with conn.transaction():
        exists = conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", [group_role]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(group))
        statements = [
            "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {group}",
            "GRANT USAGE ON SCHEMA {schema} TO {group}",
            "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {group}",
            "GRANT INSERT ON {schema}.workstation, {schema}.patient,"
            " {schema}.patient_version, {schema}.visit, {schema}.signature,"
            " {schema}.addendum, {schema}.audit_entry TO {group}",
            "GRANT UPDATE (room, last_seen) ON {schema}.workstation TO {group}",
            "GRANT UPDATE (mrn, family_name, given_names, date_of_birth, sex,"
            " edited_at, edited_by, clinician) ON {schema}.patient TO {group}",
            "GRANT UPDATE (visit_date, clinician, symptomatic_side, rule,"
            " content_json, updated_at) ON {schema}.visit TO {group}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {group}",
        ]
        for statement in statements:
            conn.execute(sql.SQL(statement).format(schema=schema, group=group))
    return not exists
