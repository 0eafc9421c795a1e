"""The state store's schema and its migrations, for both backends.

* **SQLite** is migrated in place when a store is opened: tables are created if missing and
  columns added after the first release are added to older files (:data:`SQLITE_ADDED_COLUMNS`),
  so an existing state file keeps working.
* **PostgreSQL** has numbered migrations (:data:`POSTGRES_MIGRATIONS`, table ``schema_version``),
  one transaction each, under an advisory lock so that workers starting together migrate once.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from typing import Any

logger = logging.getLogger(__name__)

# -- SQLite ---------------------------------------------------------------------------------------

SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    url TEXT,
    outlet_id TEXT,
    fingerprint TEXT,
    published TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    delivered_fingerprint TEXT,
    delivered_revision INTEGER,
    delivered_at TEXT,
    delivered_to TEXT,
    source TEXT,
    delivered_source TEXT,
    fetched_at TEXT,
    etag TEXT,
    last_modified TEXT,
    validated_fingerprint TEXT
);
CREATE TABLE IF NOT EXISTS aliases (
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    entry_id TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    revision INTEGER NOT NULL,
    source TEXT,
    PRIMARY KEY (entry_id, canonical_url)
);
CREATE INDEX IF NOT EXISTS pending_by_url ON pending (canonical_url);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    spider TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    finish_reason TEXT NOT NULL,
    exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS outlet_runs (
    run_id TEXT NOT NULL,
    outlet_id TEXT NOT NULL,
    found INTEGER NOT NULL,
    parsed INTEGER NOT NULL,
    coverage TEXT NOT NULL,
    tripped INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, outlet_id)
);
CREATE TABLE IF NOT EXISTS checkpoints (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

#: Columns added to the SQLite schema after the first release: (table, column, type). Stores
#: made before get them when opened.
SQLITE_ADDED_COLUMNS = (
    ("articles", "source", "TEXT"),
    ("articles", "delivered_source", "TEXT"),
    ("pending", "source", "TEXT"),
    ("articles", "fetched_at", "TEXT"),
    ("articles", "etag", "TEXT"),
    ("articles", "last_modified", "TEXT"),
    ("articles", "validated_fingerprint", "TEXT"),
)


def migrate_sqlite(db: sqlite3.Connection) -> None:
    """Create or bring up to date the schema of the SQLite store ``db`` (WAL journal), and give
    a new store its id and delivery generation; committed."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SQLITE_SCHEMA)
    for table, column, kind in SQLITE_ADDED_COLUMNS:
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    db.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('store_id', ?), "
        "('generation', '0')",
        (uuid.uuid4().hex,),
    )
    db.commit()


# -- PostgreSQL -----------------------------------------------------------------------------------

#: PostgreSQL migrations, in order; ``{s}`` is the schema. Never edit one that shipped: append
#: another.
POSTGRES_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE {s}.articles (
        canonical_url TEXT PRIMARY KEY,
        url TEXT,
        outlet_id TEXT,
        fingerprint TEXT,
        published TEXT,
        first_seen TIMESTAMPTZ NOT NULL,
        last_seen TIMESTAMPTZ NOT NULL,
        delivered_fingerprint TEXT,
        delivered_revision INTEGER,
        delivered_at TIMESTAMPTZ,
        delivered_to TEXT
    );
    CREATE TABLE {s}.aliases (url TEXT PRIMARY KEY, canonical_url TEXT NOT NULL);
    CREATE TABLE {s}.pending (
        spool TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        canonical_url TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        revision INTEGER NOT NULL,
        PRIMARY KEY (spool, entry_id, canonical_url)
    );
    CREATE INDEX pending_by_url ON {s}.pending (canonical_url);
    CREATE TABLE {s}.runs (
        run_id TEXT PRIMARY KEY,
        spider TEXT NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        finish_reason TEXT NOT NULL,
        exit_code INTEGER
    );
    CREATE TABLE {s}.outlet_runs (
        run_id TEXT NOT NULL REFERENCES {s}.runs (run_id) ON DELETE CASCADE,
        outlet_id TEXT NOT NULL,
        found INTEGER NOT NULL,
        parsed INTEGER NOT NULL,
        coverage JSONB NOT NULL,
        tripped BOOLEAN NOT NULL DEFAULT FALSE,
        PRIMARY KEY (run_id, outlet_id)
    );
    CREATE TABLE {s}.claims (
        canonical_url TEXT NOT NULL,
        revision INTEGER NOT NULL,
        owner TEXT NOT NULL,
        claimed_at TIMESTAMPTZ NOT NULL,
        lease_until TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (canonical_url, revision)
    );
    CREATE INDEX claims_by_owner ON {s}.claims (owner);
    CREATE TABLE {s}.templates (
        name TEXT PRIMARY KEY,
        doc JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    );
    """,
    # Source fingerprints (revisions only when the page changed), and the store's delivery mark.
    """
    ALTER TABLE {s}.articles ADD COLUMN source TEXT;
    ALTER TABLE {s}.articles ADD COLUMN delivered_source TEXT;
    ALTER TABLE {s}.pending ADD COLUMN source TEXT;
    CREATE INDEX articles_by_outlet ON {s}.articles (outlet_id, first_seen);
    CREATE TABLE {s}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO {s}.meta VALUES ('store_id', md5(random()::text || clock_timestamp()::text)),
                                ('generation', '0');
    """,
    # Checkpoints of long jobs (a backfill's file and offset).
    """
    CREATE TABLE {s}.checkpoints (
        name TEXT PRIMARY KEY,
        value JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    );
    """,
    # Conditional refetches: when a page was last fetched and the validators of what it held.
    """
    ALTER TABLE {s}.articles ADD COLUMN fetched_at TIMESTAMPTZ;
    ALTER TABLE {s}.articles ADD COLUMN etag TEXT;
    ALTER TABLE {s}.articles ADD COLUMN last_modified TEXT;
    ALTER TABLE {s}.articles ADD COLUMN validated_fingerprint TEXT;
    """,
)


def migrate_postgres(conn: Any, schema: str, label: str) -> None:
    """Apply the migrations the database ``conn`` lacks to ``schema`` (``label``: the store's
    redacted URL, for the log)."""

    def q(sql: str) -> str:
        return sql.replace("{s}", schema)

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"newsbot:{schema}",))
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        conn.execute(q("CREATE TABLE IF NOT EXISTS {s}.schema_version (version INTEGER)"))
        row = conn.execute(q("SELECT max(version) FROM {s}.schema_version")).fetchone()
        current = row[0] or 0
        for number, sql in enumerate(POSTGRES_MIGRATIONS, start=1):
            if number <= current:
                continue
            conn.execute(q(sql))
            conn.execute(q("INSERT INTO {s}.schema_version VALUES (%s)"), (number,))
            logger.info("State store %s: schema migrated to version %d", label, number)
