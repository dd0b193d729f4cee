"""Database targets (issue 28): which forms ``--db`` takes, and passwords
that never show, whatever form they were given in.

The runs against an unreachable server (port 1 of 127.0.0.1) need no
server; the end-to-end runs use ``EXTRACTOR_TEST_PG`` (see conftest.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from typer.testing import CliRunner, Result

from extractor.cli import app
from extractor.dsn import LIBPQ_KEYWORDS, MASK, Target, database_target, redact
from extractor.errors import DatabaseTargetError
from extractor.writers.sql import DatabaseError, SqlLoader
from tests.writers.conftest import CLEAN, clean_variants, pg_url

#: A password with what needs quoting or encoding around a core that no output may hold.
CORE = "Zq9sEcReT"
PASSWORD = f"{CORE} w@s/x'y"
QUOTED = "'" + PASSWORD.replace("'", "\\'") + "'"  # as a key=value string quotes it
UNREACHABLE = "host=127.0.0.1 port=1 dbname=none connect_timeout=2"


def _url(query: str, userinfo: str = "bob", scheme: str = "postgresql") -> str:
    return f"{scheme}://{userinfo}@127.0.0.1:1/none?connect_timeout=2{query}"


def _everything(result: Result, folder: Path) -> Iterator[tuple[str, str]]:
    """Every text a run left: its stderr and stdout, and every file under the folder."""
    yield "output", result.output
    for path in sorted(folder.rglob("*")):
        yield str(path), path.name
        if path.is_file():
            yield str(path), path.read_bytes().decode("utf-8", "replace")


def _assert_no_secret(result: Result, folder: Path) -> None:
    for where, text in _everything(result, folder):
        assert CORE not in text and quote(CORE) not in text, where


# (the --db value, PGPASSWORD, how the target is shown)
FORMS = {
    "url password": (_url("", f"bob:{quote(PASSWORD, safe='')}"), None, _url("", f"bob:{MASK}")),
    "url query": (_url(f"&password={quote(PASSWORD)}"), None, _url(f"&password={MASK}")),
    "key=value": (f"{UNREACHABLE} password={CORE}", None, f"{UNREACHABLE} password={MASK}"),
    "key=value quoted": (f"{UNREACHABLE} password={QUOTED}", None, f"{UNREACHABLE} password={MASK}"),
    "PGPASSWORD": (UNREACHABLE, PASSWORD, UNREACHABLE),
    "upper-case scheme": (_url("", f"bob:{CORE}", "POSTGRESQL"), None, _url("", f"bob:{MASK}")),
    "postgres scheme": (_url("", f"bob:{CORE}", "postgres"), None, _url("", f"bob:{MASK}")),
    "driver suffix": (_url("", f"bob:{CORE}", "postgresql+psycopg"), None, _url("", f"bob:{MASK}")),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_password_in_any_form_never_shows_when_the_server_is_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    # issue 28: ?password= was shown as given; a key=value DSN, POSTGRESQL:// and
    # postgresql+psycopg:// were taken for SQLite paths (folders made here, exit 0)
    target, variable, shown = FORMS[form]
    if variable is not None:
        monkeypatch.setenv("PGPASSWORD", variable)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_bytes(CLEAN.read_bytes())
    args = ["in.txt", "-o", "out", "--db", target, "--log-file", "run.log", "-vv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("extract: error: ")]
    assert len(errors) == 1 and errors[0].startswith(f"extract: error: cannot connect to {shown}: connection failed: ")
    _assert_no_secret(result, tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.txt", "out", "run.log"]


def test_a_target_libpq_cannot_parse_is_not_echoed_with_its_password() -> None:
    # issue 28: libpq's error repeats the URL; urlsplit raised on it (a traceback, exit 1)
    with pytest.raises(DatabaseError) as failure:
        SqlLoader(f"postgresql://bob:{CORE}@[::1:1/none")
    assert str(failure.value) == (
        f"cannot connect to postgresql://bob:{MASK}@[::1:1/none: end of string reached when looking for "
        f'matching "]" in IPv6 host address in URI: "postgresql://bob:{MASK}@[::1:1/none"'
    )


REFUSED = {
    f"mysql://bob:{CORE}@db/budgets": "--db: mysql:// is not a database this loads: give a PostgreSQL URL",
    "sqlite:///out/budgets.db": "--db: sqlite:// URLs are not read: name the file (--sqlite out/budgets.db)",
    f"host=db passwrd={CORE}": "--db: not libpq connection keywords: passwrd",
    f"host=db password={CORE} a b": "--db: not a key=value string (a word without =)",
    f"host=db password='{CORE}": "--db: a key=value string with a quote ' not closed",
    f"postgresql://bob:{CORE}@x@db/budgets": "--db: an @ or / in a user name, password or database name must",
    f"passwrd={CORE}": "--db: not a database this loads: give a PostgreSQL URL",
    "out/budgets": "--db: not a database this loads: give a PostgreSQL URL",
}


@pytest.mark.parametrize("target", REFUSED)
def test_a_db_that_is_neither_postgresql_nor_sqlite_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    # issue 28: each was loaded as an SQLite file named after it, folders made in the current folder
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_bytes(CLEAN.read_bytes())
    result = CliRunner().invoke(app, ["in.txt", "-o", "out", "--db", target])
    assert result.exit_code == 2
    assert result.output.startswith(f"extract: error: {REFUSED[target]}")
    assert len(result.output.strip().splitlines()) == 1
    _assert_no_secret(result, tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == ["in.txt"]  # not even -o


@pytest.mark.parametrize("name", ["out/budgets.db", "budgets.SQLite", "x=1.sqlite3"])
def test_a_db_that_names_an_sqlite_file_still_loads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [str(CLEAN), "-o", "out", "--db", name, "-q"])
    assert result.exit_code == 0, result.output
    with SqlLoader(tmp_path / name) as loader:
        assert loader.connection.execute("SELECT count(*) FROM documents").fetchone() == (1,)


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql://bob:{quote(PASSWORD, safe='')}@db:5432/budgets?sslmode=require",
        f"postgresql://bob:pa?{CORE}@db/budgets?password={quote(PASSWORD)}&application_name=a@b",
        f"postgresql://db/budgets?application_name=a@b&password={CORE}",
        make_conninfo("host=db dbname=budgets", password=PASSWORD, sslpassword="k" + CORE),
        f"host = db password= dbname={CORE}",  # libpq: the password is 'dbname=…'
        f"host=db password={CORE}\\ w\\'x",
    ],
)
def test_the_secrets_found_are_those_libpq_reads(text: str) -> None:
    target = database_target(text, {})
    read = conninfo_to_dict(target.opens)
    secrets = [read[key] for key in ("password", "sslpassword") if key in read]
    assert secrets and all(secret in target.secrets for secret in secrets)
    assert CORE not in target.shown and MASK in target.shown
    assert all(CORE not in redact(f"libpq said: {value}", target) for value in [text, *secrets])


def test_pgpassword_is_masked_in_messages() -> None:
    target = database_target("host=db dbname=budgets", {"PGPASSWORD": PASSWORD})
    assert target.shown == "host=db dbname=budgets"
    assert redact(f"echoed {PASSWORD}!", target) == f"echoed {MASK}!"


def test_every_keyword_of_the_libpq_in_use_is_known() -> None:
    linked = {option.keyword.decode() for option in psycopg.pq.Conninfo.get_defaults()}
    assert linked <= LIBPQ_KEYWORDS


def test_a_path_is_always_an_sqlite_file() -> None:
    assert database_target("out/d.sqlite") == Target.sqlite("out/d.sqlite")
    with pytest.raises(DatabaseTargetError):
        database_target("out/d")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _server_forms(url: str) -> dict[str, tuple[str, str | None, str]]:
    """The test server's target with a made-up password in each form: the
    server must trust its clients, as CI's does.  (The --db value,
    PGPASSWORD, what is shown of it.)"""
    params = conninfo_to_dict(url)
    if "password" in params:
        pytest.skip("EXTRACTOR_TEST_PG has a password: these runs need a server that trusts its clients")
    user, dbname = params.pop("user", ""), params.pop("dbname", "")
    query = urlencode(params, quote_via=quote)
    plain = make_conninfo("", user=user, dbname=dbname, **params)
    base = f"postgresql://{quote(user)}@/{quote(dbname)}?{query}"
    return {
        "url password": (
            f"postgresql://{quote(user)}:{quote(PASSWORD, safe='')}@/{quote(dbname)}?{query}",
            None,
            f"postgresql://{quote(user)}:{MASK}@/{quote(dbname)}?{query}",
        ),
        "url query": (f"{base}&password={quote(PASSWORD, safe='')}", None, f"{base}&password={MASK}"),
        "key=value quoted": (f"{plain} password={QUOTED}", None, f"{plain} password={MASK}"),
        "PGPASSWORD": (plain, PASSWORD, plain),
    }


@pytest.mark.parametrize("form", ["url password", "url query", "key=value quoted", "PGPASSWORD"])
def test_a_password_in_any_form_never_shows_in_a_run_s_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    # issue 28: ?password= was in stderr, failures.csv, documents.csv, the manifest and the review site
    url = pg_url("test_dsn")
    target, variable, shown = _server_forms(url)[form]
    if variable is not None:
        monkeypatch.setenv("PGPASSWORD", variable)
    SqlLoader(url).close()
    with psycopg.connect(url, autocommit=True) as admin:  # a rule of its own: one checkpoint per project
        admin.execute("CREATE UNIQUE INDEX schedule_checkpoint ON schedule (doc_id, project, checkpoint)")
    files = clean_variants(tmp_path / "in")
    files["b-no-code"].unlink()
    out, review, log = tmp_path / "out", tmp_path / "review", tmp_path / "run.log"
    args = ["-o", str(out), "--db", target, "--review", str(review), "--log-file", str(log), "-vv"]
    result = CliRunner().invoke(app, [str(tmp_path / "in"), *args])
    assert result.exit_code == 1, result.output
    reason = f"not loaded into {shown}: UniqueViolation: duplicate key value violates unique constraint"
    assert [row["reason"][: len(reason)] for row in _rows(out / "failures.csv")] == [reason]
    assert reason in result.output and reason in log.read_text(encoding="utf-8")
    assert (review / "index.html").is_file()
    _assert_no_secret(result, tmp_path)
