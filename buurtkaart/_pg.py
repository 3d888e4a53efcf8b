"""PostgreSQL/PostGIS plumbing of the server store: locations, connections, the schema's tables and guards.

A server workspace is a PostgreSQL schema (default ``buurtkaart``) in a database with PostGIS, named by a URL
``postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME]``. A password may also come from ``PGPASSWORD`` or
``~/.pgpass`` (libpq reads both). The password never appears in :attr:`ServerLocation.label`, the name shown to
users and written to logs.

:class:`PgConnection` gives the record helpers (:mod:`buurtkaart._records`, :mod:`buurtkaart.members.audit`, ...) the
small part of the ``sqlite3`` connection API they use: ``execute(sql, params)`` with ``?`` placeholders, returning
a cursor with ``fetchone``/``fetchall``/``rowcount`` that can be iterated. The SQL those modules write is plain
SQL that both databases understand.

>>> loc = parse_location("postgresql://an:geheim@db.example:5433/bk?schema=asse")
>>> loc.label, loc.schema
('postgresql://an@db.example:5433/bk?schema=asse', 'asse')
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd

from buurtkaart.errors import WorkspaceError
from buurtkaart.schema import LAYERS, layer_spec
from buurtkaart.texts import t

DEFAULT_SCHEMA = "buurtkaart"
SRID = 31370
GEOMETRY_COLUMN = "geom"
_PG_TYPES = {"str": "text", "Int64": "bigint", "float64": "double precision"}
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
#: Full connection URLs (with password) by their label, so that a workspace reopened by its label (an app cache
#: key) still connects. Process-local; never printed.
_SECRETS: dict[str, str] = {}


#: The table of a police zone's schema that lists its municipalities (:mod:`buurtkaart.zones`).
ZONE_REGISTRY = "zone_municipalities"


def schema_url(conninfo: str, schema: str) -> str:
    """The URL of schema ``schema`` in the database of ``conninfo`` (with its credentials, never shown)."""
    return f"{conninfo}{'&' if '?' in conninfo else '?'}schema={schema}"

@dataclass(frozen=True)
class ServerLocation:
    """Where a server workspace lives: the libpq URL, the schema, and the label shown to people."""

    conninfo: str
    schema: str
    label: str


def parse_location(url: str) -> ServerLocation:
    """Split ``url`` into the libpq URL, the schema name (``?schema=``) and a label without the password."""
    url = _SECRETS.get(url, url)
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    schema = query.pop("schema", DEFAULT_SCHEMA)
    host = parts.hostname or ""
    netloc_public = (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
    if not _NAME.match(schema) or not parts.path.strip("/"):
        raise WorkspaceError(t("workspace.server_bad_url", location=urlunsplit(
            ("postgresql", netloc_public, parts.path, "", ""))), problems=[t("workspace.server_url_hint")])
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    public_query = urlencode({**query, "schema": schema}) if schema != DEFAULT_SCHEMA else urlencode(query)
    label = urlunsplit(("postgresql", netloc_public, parts.path, public_query, ""))
    _SECRETS[label] = url
    return ServerLocation(conninfo=conninfo, schema=schema, label=label)


def quote(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def plain(value: Any) -> Any:
    """A parameter value psycopg can send: numpy scalars as Python numbers, NA/NaN as NULL."""
    if value is None or isinstance(value, str | bytes | bool):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


class PgConnection:
    """A psycopg connection speaking the ``?``-placeholder dialect of the record helpers (see module doc).

    ``close()`` hands an idle, healthy connection back to a small per-process pool instead of closing it (opening
    a connection costs more than most of the statements run on it).
    """

    def __init__(self, raw: Any, schema: str, pool_key: tuple[Any, ...] | None = None) -> None:
        self.raw = raw
        self.schema = schema
        self._pool_key = pool_key

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run ``sql`` (``?`` placeholders) with ``params``; returns the cursor."""
        if params:
            return self.raw.execute(sql.replace("%", "%%").replace("?", "%s"), [plain(p) for p in params])
        return self.raw.execute(sql)

    def close(self) -> None:
        key, self._pool_key = self._pool_key, None
        if key is None or self.raw.closed or self.raw.broken:
            self.raw.close()
            return
        import psycopg

        if self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.raw.close()
            return
        with _POOL_LOCK:
            idle = _POOL.setdefault(key, [])
            if len(idle) < _POOL_SIZE:
                idle.append(self.raw)
                return
        self.raw.close()

    def __enter__(self) -> PgConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_POOL: dict[tuple[Any, ...], list[Any]] = {}
_POOL_LOCK = threading.Lock()
_POOL_SIZE = 4


def close_pool() -> None:
    """Close every idle pooled connection of this process (at exit, or to let a database go)."""
    with _POOL_LOCK:
        mine = [raw for key, idle in _POOL.items() if key[0] == os.getpid() for raw in idle]
        for key in [k for k in _POOL if k[0] == os.getpid()]:
            del _POOL[key]
    for raw in mine:
        raw.close()


atexit.register(close_pool)


def connect(location: ServerLocation, *, autocommit: bool = False, readonly: bool = False) -> PgConnection:
    """A connection with the workspace's schema first on the search path (from the pool when one is idle);
    a Dutch error if the server cannot be reached. ``readonly`` connections refuse every change."""
    try:
        import psycopg
    except ImportError:
        raise WorkspaceError(t("workspace.server_needs_psycopg", location=location.label)) from None

    key = (os.getpid(), location.conninfo, location.schema, autocommit, readonly)
    with _POOL_LOCK:
        idle = _POOL.get(key)
        raw = idle.pop() if idle else None
    if raw is not None and not raw.closed and not raw.broken:
        return PgConnection(raw, location.schema, key)
    try:
        raw = psycopg.connect(location.conninfo, autocommit=autocommit, connect_timeout=10,
                              application_name="buurtkaart")
    except psycopg.Error as exc:
        reason = type(exc).__name__
        raise WorkspaceError(t("workspace.server_unreachable", location=location.label, reason=reason),
                             problems=[t("workspace.server_url_hint")]) from None
    raw.execute(f"SET search_path TO {quote(location.schema)}, public")
    if readonly:
        raw.execute("SET default_transaction_read_only = on")
    if not autocommit:
        raw.commit()
    return PgConnection(raw, location.schema, key)


# --------------------------------------------------------------------------------------------- structure
def table_columns(con: PgConnection, name: str) -> list[str]:
    """Columns of table ``name`` in the workspace schema (empty when the table does not exist)."""
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position", (con.schema, name))
    return [str(r[0]) for r in rows]


def table_names(con: PgConnection) -> list[str]:
    """Tables of the workspace schema, in creation order of the schema's layers first."""
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                       "AND table_type = 'BASE TABLE'", (con.schema,))
    found = {str(r[0]) for r in rows} - {_STATE}
    return [n for n in LAYERS if n in found] + sorted(found - set(LAYERS))


def sql_type(dtype: str) -> str:
    """The PostgreSQL type of a pandas dtype name."""
    if dtype in _PG_TYPES:
        return _PG_TYPES[dtype]
    if dtype.startswith(("int", "Int", "uint", "UInt")):
        return "bigint"
    if dtype.startswith(("float", "Float")):
        return "double precision"
    if dtype in ("bool", "boolean"):
        return "boolean"
    return "text"


def ensure_table(con: PgConnection, name: str, extra: dict[str, str] | None = None) -> None:
    """Create table ``name`` with the schema's columns (and ``extra`` ones: column → dtype) or add the missing
    columns, inside ``con``'s transaction."""
    spec = layer_spec(name) if name in LAYERS else None
    columns = {**(spec.columns if spec else {}), **(extra or {})}
    existing = table_columns(con, name)
    if not existing:
        geom = ""
        if spec is not None and spec.geometry_type:
            geom = f", {GEOMETRY_COLUMN} geometry({spec.geometry_type}, {SRID})"
        cols = "".join(f", {quote(c)} {sql_type(d)}" for c, d in columns.items())
        con.execute(f"CREATE TABLE {quote(name)} (fid bigserial PRIMARY KEY{geom}{cols})")
        if geom:
            con.execute(f"CREATE INDEX {quote(name + '_geom_idx')} ON {quote(name)} USING gist ({GEOMETRY_COLUMN})")
        if spec is not None and spec.key:
            con.execute(f"CREATE INDEX {quote(name + '_key_idx')} ON {quote(name)} ({quote(spec.key)})")
        con.execute(f"CREATE TRIGGER {quote(name + '_changed')} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {quote(name)} FOR EACH STATEMENT EXECUTE FUNCTION bk_changed()")
        if name == "audit_log":
            con.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                        "FOR EACH ROW EXECUTE FUNCTION bk_append_only()")
            con.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                        "FOR EACH STATEMENT EXECUTE FUNCTION bk_append_only()")
        return
    for column, dtype in columns.items():
        if column not in existing:
            con.execute(f"ALTER TABLE {quote(name)} ADD COLUMN {quote(column)} {sql_type(dtype)}")


_STATE = "bk_state"


def create_schema(con: PgConnection) -> None:
    """Create the workspace schema with its change counter and the append-only guard (inside a transaction)."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(con.schema)}")
    con.execute(f"CREATE TABLE IF NOT EXISTS {_STATE} (id int PRIMARY KEY, version bigint NOT NULL)")
    con.execute(f"INSERT INTO {_STATE} VALUES (1, 0) ON CONFLICT (id) DO NOTHING")
    # every statement that changes a table bumps the counter: the version token readers cache on
    con.execute(f"CREATE OR REPLACE FUNCTION bk_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"UPDATE {_STATE} SET version = version + 1 WHERE id = 1; RETURN NULL; END $$")
    con.execute("CREATE OR REPLACE FUNCTION bk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'audit_log is append-only'; END $$")


def ensure_postgis(con: PgConnection, label: str) -> None:
    """Make sure the database has PostGIS (creating the extension where this account may); a Dutch error if not.
    ``con`` is an autocommit connection."""
    import psycopg

    if con.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
        return
    try:
        con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.Error:
        raise WorkspaceError(t("workspace.server_no_postgis", location=label)) from None


def drop_schema(con: PgConnection) -> None:
    """Drop the workspace schema and everything in it (``create(..., overwrite=True)``, tests)."""
    con.execute(f"DROP SCHEMA IF EXISTS {quote(con.schema)} CASCADE")


def schema_exists(con: PgConnection) -> bool:
    row = con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'metadata'",
                      (con.schema,)).fetchone()
    return row is not None


def version(con: PgConnection) -> int:
    """The change counter of the workspace."""
    row = con.execute(f"SELECT version FROM {_STATE} WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def take_write_lock(con: PgConnection, label: str) -> None:
    """Wait (at most the transaction's ``lock_timeout``) for the workspace's write lock, held until commit."""
    import psycopg

    try:
        con.execute("SELECT pg_advisory_xact_lock(?)", (lock_key(con.schema),))
    except psycopg.errors.LockNotAvailable:
        raise WorkspaceError(t("workspace.locked", path=label)) from None


def lock_key(schema: str) -> int:
    """A stable advisory-lock key per workspace schema (every writer of one workspace takes the same one)."""
    return int.from_bytes(hashlib.blake2b(b"buurtkaart:" + schema.encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)
