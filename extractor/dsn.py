"""Database targets: which database ``--db`` or ``--sqlite`` names, what the
driver is given to open it, and how it is shown without its secrets.

``--db`` takes what libpq takes for PostgreSQL — a URL ``postgresql://…`` or
``postgres://…`` (the scheme in any case; a driver suffix as SQLAlchemy
writes it, ``postgresql+psycopg://…``, is dropped) or a key=value string of
libpq keywords (``host=db dbname=budgets password='a b'``) — or an SQLite
file, a path ending ``.db``, ``.sqlite`` or ``.sqlite3``.  Anything else
(``mysql://…``, ``sqlite:///…``, a misspelt keyword) is refused with
`DatabaseTargetError` before anything is written.  ``--sqlite`` takes any path.

Secrets never show: `Target.shown` is the target with every secret value
masked ``***`` (the password of a URL, ``password=`` and the other secret
keywords in its query or in a key=value string), and `redact` masks those
values, as written and as decoded, and ``PGPASSWORD``, wherever they occur in
a message (libpq's errors can echo the target).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from .errors import DatabaseTargetError

__all__ = ["LIBPQ_KEYWORDS", "MASK", "SQLITE_SUFFIXES", "Target", "database_target", "database_targets", "redact"]

MASK = "***"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
#: The connection keywords of libpq (PostgreSQL 18, and ``requiressl`` of older ones).
LIBPQ_KEYWORDS = frozenset(
    """application_name channel_binding client_encoding connect_timeout dbname fallback_application_name
    gssdelegation gssencmode gsslib host hostaddr keepalives keepalives_count keepalives_idle
    keepalives_interval krbsrvname load_balance_hosts max_protocol_version min_protocol_version
    oauth_client_id oauth_client_secret oauth_issuer oauth_scope options passfile password port replication
    require_auth requirepeer requiressl scram_client_key scram_server_key service ssl_max_protocol_version
    ssl_min_protocol_version sslcert sslcertmode sslcompression sslcrl sslcrldir sslkey sslkeylogfile
    sslmode sslnegotiation sslpassword sslrootcert sslsni target_session_attrs tcp_user_timeout user""".split()  # noqa: SIM905 (a list of words)
)
#: The keywords whose values are secrets.
SECRET_KEYWORDS = frozenset({"password", "sslpassword", "oauth_client_secret", "scram_client_key", "scram_server_key"})
#: The environment variables libpq takes a secret from.
SECRET_VARIABLES = ("PGPASSWORD",)

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_POSTGRES_SCHEME = re.compile(r"postgres(?:ql)?(?:\+\w+)?", re.IGNORECASE)
_FIRST_KEY = re.compile(r"[ \t\n\r\f\v]*([A-Za-z_][A-Za-z0-9_]*)[ \t\n\r\f\v]*=")
_SPACE = " \t\n\r\f\v"  # C's isspace, as libpq splits: not the ideographic space
_FORMS = (
    "a PostgreSQL URL (postgresql://user@host/dbname), a libpq key=value string (host=… dbname=…) "
    f"or an SQLite file ({', '.join(SQLITE_SUFFIXES)})"
)


@dataclass(frozen=True, slots=True)
class Target:
    """A database to load into.  ``opens`` is what the driver is given (the
    file's path, or libpq's connection string) and is never shown."""

    dialect: Literal["sqlite", "postgresql"]
    opens: str
    shown: str
    secrets: tuple[str, ...] = ()  # longest first

    @classmethod
    def sqlite(cls, path: str | Path) -> Target:
        return cls("sqlite", str(path), str(path))


@dataclass(frozen=True, slots=True)
class _Value:
    """A value in a connection string: as written (quotes included) and what it means."""

    key: str
    written: str
    meaning: str


def redact(message: str, target: Target) -> str:
    """The message with every secret of the target masked."""
    return _masked(message, target.secrets)


def _masked(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def database_targets(sqlite: Path | None, db: str | None, environ: Mapping[str, str] = os.environ) -> list[Target]:
    """The databases of ``--sqlite`` and ``--db``; `DatabaseTargetError` for a ``--db`` it does not take."""
    targets = [] if sqlite is None else [Target.sqlite(sqlite)]
    if db is not None:
        try:
            targets.append(database_target(db, environ))
        except DatabaseTargetError as exc:
            raise DatabaseTargetError(f"--db: {exc}") from None
    return targets


def database_target(text: str, environ: Mapping[str, str] = os.environ) -> Target:
    """The database a ``--db`` value names.  The messages of refusals never
    repeat the value: it may hold a password."""
    scheme = _SCHEME.match(text)
    if scheme is not None:
        name = scheme.group(1).lower()
        if _POSTGRES_SCHEME.fullmatch(name):
            url = "postgresql://" + text[scheme.end() :]
            return _postgres(url, list(_url_values(url)), environ)
        if name == "sqlite":
            raise DatabaseTargetError("sqlite:// URLs are not read: name the file (--sqlite out/budgets.db)")
        raise DatabaseTargetError(f"{name}:// is not a database this loads: give {_FORMS}")
    first = _FIRST_KEY.match(text)
    if first is not None and first.group(1) in LIBPQ_KEYWORDS:
        values = list(_key_values(text))
        unknown = sorted({value.key for value in values} - LIBPQ_KEYWORDS)
        if unknown:
            raise DatabaseTargetError(f"not libpq connection keywords: {', '.join(unknown)}")
        return _postgres(text, values, environ)
    if text.lower().endswith(SQLITE_SUFFIXES):
        return Target.sqlite(text)
    raise DatabaseTargetError(f"not a database this loads: give {_FORMS}")


def _postgres(opens: str, values: list[_Value], environ: Mapping[str, str]) -> Target:
    """A PostgreSQL target; its secrets are its secret values, as written and
    as meant, and the secret environment variables."""
    found = {text for value in values if value.key in SECRET_KEYWORDS for text in (value.written, value.meaning)}
    found |= {environ.get(name, "") for name in SECRET_VARIABLES}
    secrets = tuple(sorted((secret for secret in found if secret), key=len, reverse=True))
    return Target("postgresql", opens, _masked(opens, secrets), secrets)


def _url_values(url: str) -> Iterator[_Value]:
    """The password and the query values of a ``postgresql://`` URL, split
    as libpq splits it: the user part ends at the first ``@`` (before any
    ``/``), the query starts at the next ``?``.  An ``@`` after it, before
    the query, is refused: libpq would take part of a password for the host."""
    start = len("postgresql://")
    user_end = _first_of(url, "@/", start)
    at = user_end if user_end < len(url) and url[user_end] == "@" else -1
    rest = at + 1 if at >= 0 else start
    query = url.find("?", rest)
    if "@" in url[rest : query if query >= 0 else len(url)]:
        raise DatabaseTargetError(
            "an @ or / in a user name, password or database name must be percent-encoded (%40, %2F)"
        )
    colon = url.find(":", start, at) if at >= 0 else -1
    if colon >= 0:
        yield _Value("password", url[colon + 1 : at], unquote(url[colon + 1 : at]))
    if query >= 0:
        for item in url[query + 1 :].split("&"):
            key, equals, value = item.partition("=")
            if equals:
                yield _Value(unquote(key), value, unquote(value))


def _first_of(text: str, characters: str, start: int) -> int:
    """Where the first of the characters is from ``start`` on, or the text's length."""
    return min((i for i in (text.find(c, start) for c in characters) if i >= 0), default=len(text))


def _key_values(text: str) -> Iterator[_Value]:
    """The pairs of a libpq key=value string, read as libpq reads them:
    values quoted with ``'`` or not, ``\\`` escaping the next character.
    `DatabaseTargetError`, without the text, when it is not one."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in _SPACE:
            i += 1
        if i == n:
            return
        start = i
        while i < n and text[i] != "=" and text[i] not in _SPACE:
            i += 1
        key = text[start:i]
        while i < n and text[i] in _SPACE:
            i += 1
        if i == n or text[i] != "=":
            raise DatabaseTargetError("not a key=value string (a word without =): quote values with spaces, x='a b'")
        i += 1
        while i < n and text[i] in _SPACE:
            i += 1
        start, meaning, i = i, *_value(text, i)
        yield _Value(key, text[start:i], meaning)


def _value(text: str, i: int) -> tuple[str, int]:
    """The value starting at ``i`` and where it ends."""
    quoted = i < len(text) and text[i] == "'"
    i += quoted
    characters = []
    while i < len(text):
        if text[i] == "\\":
            characters.append(text[i + 1 : i + 2])
            i += 2
        elif quoted and text[i] == "'":
            return "".join(characters), i + 1
        elif not quoted and text[i] in _SPACE:
            return "".join(characters), i
        else:
            characters.append(text[i])
            i += 1
    if quoted:
        raise DatabaseTargetError("a key=value string with a quote ' not closed")
    return "".join(characters), min(i, len(text))
