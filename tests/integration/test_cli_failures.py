"""The command line never lies and never crashes: each failure is one line and exit status 2.

Read commands refuse books that do not exist (and create no file); bad URLs, unreachable
servers, wrong passwords and unwritable outputs are one line ``error: ...`` on stderr, on
SQLite and, where it applies, on PostgreSQL; books in a base currency other than CHF are read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import wsis_funding
from tests.cli import ENV_VARS, Result, assert_refused, run, run_process
from tests.factories import DUE, ISSUED, Books, example_issuer
from wsis_funding.services import open_tracker

READS = [
    ("books", "verify"),
    ("books", "standing", "1", "WSIS2024"),
    ("books", "receivables", "--as-of", "2024-07-01"),
    ("books", "render", "WSIS-2024-0001", "-o", "invoice.pdf"),
]
READ_IDS = ["verify", "standing", "receivables", "render"]


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, and no settings from the environment."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def invoiced(db_url: str) -> tuple[str, str]:
    """Books on each engine with one issued invoice: (URL, invoice number)."""
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        invoice = tracker.issue_invoice(books.confirmed_pledge(), ISSUED, due_on=DUE)
    return db_url, invoice.number


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def with_password(url: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    user, server = rest.split(":", 1)[0], rest.split("@", 1)[1]
    return f"{scheme}://{user}:{password}@{server}"


# Books that are not there


@pytest.mark.parametrize("args", READS, ids=READ_IDS)
def test_no_database_given_is_refused_and_no_file_is_made(
    capsys: pytest.CaptureFixture[str], cwd: Path, args: tuple[str, ...]
) -> None:
    assert_refused(run(capsys, *args), "no database given: pass --database URL")
    assert files(cwd) == []


@pytest.mark.parametrize("args", READS, ids=READ_IDS)
def test_a_typo_in_the_path_is_refused_and_no_file_is_made(
    capsys: pytest.CaptureFixture[str], cwd: Path, args: tuple[str, ...]
) -> None:
    result = run(capsys, "--database", "sqlite:///books.dbb", *args)
    assert_refused(result, f"no books at sqlite:///books.dbb: {cwd / 'books.dbb'} does not exist")
    assert files(cwd) == []


def test_the_database_from_the_environment_is_refused_too_when_missing(
    capsys: pytest.CaptureFixture[str], cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WSIS_FUNDING_DATABASE_URL", "sqlite:///missing.db")
    assert_refused(run(capsys, "books", "verify"), "does not exist")
    assert files(cwd) == []


def test_a_folder_as_the_database_is_refused(capsys: pytest.CaptureFixture[str], cwd: Path) -> None:
    (cwd / "books").mkdir()
    result = run(capsys, "--database", "sqlite:///books", "books", "verify")
    assert_refused(result, "is a folder, not a database file")
    assert files(cwd) == ["books"]


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(
    capsys: pytest.CaptureFixture[str], cwd: Path
) -> None:
    (cwd / "notes.db").write_text("shopping list\n" * 50, encoding="utf-8")
    result = run(capsys, "--database", "sqlite:///notes.db", "books", "verify")
    assert_refused(result, "is not a SQLite database")
    assert files(cwd) == ["notes.db"]
    assert (cwd / "notes.db").read_text(encoding="utf-8") == "shopping list\n" * 50


def test_a_database_without_books_is_refused_on_both_engines(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE things (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    result = run(capsys, "--database", db_url, "books", "verify")
    assert_refused(result, "no books at")
    assert "wsis_funding_alembic_version" in result.err
    engine = create_engine(db_url)
    with engine.connect() as conn:  # nothing was created in it
        tables = conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table'")
            if engine.dialect.name == "sqlite"
            else text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        assert list(tables) == ["things"]
    engine.dispose()


# URLs and servers


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root:Secret-77@db/books", "unsupported database or driver 'mysql'"),
        ("postgressql://root:Secret-77@db/books", "unsupported database or driver 'postgressql'"),
        ("sqlite+aiosqlite:///books.db", "'sqlite+aiosqlite'"),
        ("books.db", "for a SQLite file write sqlite:///books.db"),
        ("sqlite://books.db", "a SQLite URL has no user, password or host"),
        ("postgresql+psycopg://root:Secret-77@db:port/books", "the port must be a number"),
        ("sqlite:///books.db?mode=ro", "unknown SQLite option(s): mode"),
    ],
)
def test_a_bad_or_unsupported_url_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str], cwd: Path, url: str, fragment: str
) -> None:
    result = run(capsys, "--database", url, "books", "verify")
    assert_refused(result, fragment)
    assert "Secret-77" not in result.err
    assert files(cwd) == []


def test_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str], pg_url: str) -> None:
    host_port = pg_url.split("@", 1)[1].split("/", 1)[0]
    url = with_password(pg_url, "Secret-77").replace(host_port, f"127.0.0.1:{closed_port()}")
    result = run(capsys, "--database", url, "books", "verify")
    assert_refused(result, "cannot open the books at postgresql+psycopg://wsis:***@127.0.0.1:")
    assert "Connection refused" in result.err
    assert "Secret-77" not in result.err


def test_a_wrong_password_is_one_line_and_not_shown(
    capsys: pytest.CaptureFixture[str], pg_url: str
) -> None:
    result = run(capsys, "--database", with_password(pg_url, "Secret-77"), "books", "verify")
    assert_refused(result, "password authentication failed")
    assert "Secret-77" not in result.err


def test_a_database_missing_on_the_server_is_one_line(
    capsys: pytest.CaptureFixture[str], pg_url: str
) -> None:
    url = pg_url.rpartition("/")[0] + "/no_such_books"
    assert_refused(run(capsys, "--database", url, "books", "verify"), '"no_such_books" does not')


# Books in another base currency


def test_books_kept_in_eur_are_read_by_the_cli(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    open_tracker(db_url, base_currency="EUR").close()
    result = run(capsys, "--database", db_url, "books", "verify")
    assert (result.code, result.out, result.err) == (0, "the books are sound\n", "")
    result = run(capsys, "--database", db_url, "books", "receivables", "--as-of", "2024-07-01")
    assert (result.code, result.err) == (0, "")
    with open_tracker(db_url) as tracker:
        assert tracker.base_currency == "EUR"


# Arguments


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("standing", "7", "WSIS2024"), "unknown partner 7"),
        (("standing", "99999999999999999999", "WSIS2024"), "unknown partner 99999999999999999999"),
        (("standing", "0", "WSIS2024"), "unknown partner 0"),
        (("standing", "ACME", "WSIS2024"), "'ACME' is not a valid integer"),
        (("standing", "1", "WSIS2099"), "unknown edition 'WSIS2099'"),
        (("standing", "1", "WSIS\udcff"), "bytes that are not UTF-8"),
        (("render", "WSIS-2024-9999"), "no issued document 'WSIS-2024-9999'"),
        (("render", "WSIS\x1b[31m"), "control characters"),
        (("receivables", "--as-of", "2024-13-01"), "'2024-13-01' does not match the format"),
        (("receivables",), "Missing option '--as-of'"),
    ],
)
def test_a_bad_argument_is_one_line_on_both_engines(
    capsys: pytest.CaptureFixture[str],
    cwd: Path,
    invoiced: tuple[str, str],
    args: tuple[str, ...],
    fragment: str,
) -> None:
    assert_refused(run(capsys, "--database", invoiced[0], "books", *args), fragment)
    assert files(cwd) == []


# Output files and folders


@pytest.mark.parametrize(
    ("output", "fragment"),
    [
        ("missing/invoice.pdf", "missing does not exist"),
        ("folder", "folder is a folder, not a file"),
        ("", "is a folder, not a file"),
        ("a-file/invoice.pdf", "a-file is not a folder"),
    ],
)
def test_a_bad_output_path_is_one_line_and_no_file_is_made(
    capsys: pytest.CaptureFixture[str],
    cwd: Path,
    invoiced: tuple[str, str],
    output: str,
    fragment: str,
) -> None:
    (cwd / "folder").mkdir()
    (cwd / "a-file").write_text("mine\n", encoding="utf-8")
    url, number = invoiced
    result = run(capsys, "--database", url, "books", "render", number, "-o", output)
    assert_refused(result, fragment)
    assert files(cwd) == ["a-file", "folder"]
    assert (cwd / "a-file").read_text(encoding="utf-8") == "mine\n"


def test_render_writes_through_a_link_and_over_an_old_file(
    capsys: pytest.CaptureFixture[str], cwd: Path, invoiced: tuple[str, str]
) -> None:
    url, number = invoiced
    (cwd / "real.pdf").write_bytes(b"old")
    (cwd / "link.pdf").symlink_to("real.pdf")
    result = run(capsys, "--database", url, "books", "render", number, "-o", "link.pdf")
    assert (result.code, result.err) == (0, "")
    assert (cwd / "link.pdf").is_symlink()
    assert (cwd / "real.pdf").read_bytes().startswith(b"%PDF-")
    assert files(cwd) == ["link.pdf", "real.pdf"]  # no temporary file left behind
    result = run(capsys, "--database", url, "books", "render", number)
    assert result.out == f"wrote {number}.pdf ({(cwd / 'real.pdf').stat().st_size} bytes)\n"


def test_demo_into_an_existing_file_is_one_line_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], cwd: Path
) -> None:
    (cwd / "out").write_text("mine\n", encoding="utf-8")
    assert_refused(run(capsys, "demo", "--out", "out"), "out is a file, not a folder")
    assert_refused(run(capsys, "demo", "--out", "out/sub"), "out is a file, not a folder")
    assert files(cwd) == ["out"]
    assert (cwd / "out").read_text(encoding="utf-8") == "mine\n"


def test_demo_refuses_a_folder_where_its_database_goes(
    capsys: pytest.CaptureFixture[str], cwd: Path
) -> None:
    (cwd / "out" / "demo.db").mkdir(parents=True)
    assert_refused(run(capsys, "demo", "--out", "out"), "demo.db is a folder, not a file")
    assert files(cwd) == ["out", "out/demo.db"]


# Settings


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"\xff\xfe database_url = 1", "not valid UTF-8: byte 0xff at line 1, byte 1"),
        (b"database_url = " + b"9" * 5000, "not valid TOML: an integer literal has more than"),
        (b"database_url = " + b"[" * 3000, "nested too deeply"),
        (b"database_url = [" * 5000, "larger than 65536 bytes; a settings file"),
        (b"colour = 'blue'", "unknown key(s): colour"),
    ],
)
def test_a_bad_settings_file_is_one_line(
    capsys: pytest.CaptureFixture[str], cwd: Path, content: bytes, fragment: str
) -> None:
    (cwd / "settings.toml").write_bytes(content)
    assert_refused(run(capsys, "--config", "settings.toml", "books", "verify"), fragment)


def test_verify_that_finds_problems_lists_them_and_exits_1(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    with open_tracker(sqlite_url, issuer=example_issuer()) as tracker:
        Books(tracker).confirmed_pledge()
        with tracker.engine.begin() as conn:  # the table owner goes around the triggers
            triggers = conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
            for name in list(triggers.scalars()):
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            conn.execute(text("UPDATE journal_postings SET amount_minor = amount_minor + 1"))
    result = run(capsys, "--database", sqlite_url, "books", "verify")
    assert result.code == 1
    assert result.out
    assert "sound" not in result.out
    assert result.err == ""


def test_a_bug_of_ours_is_one_line_with_status_70_unless_asked_for_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("something\nwe did not foresee")

    # wsis_funding.cli.tiers is the click group there; the module is in sys.modules
    monkeypatch.setattr(sys.modules["wsis_funding.cli.tiers"], "illustrative_schedule", broken)
    result = run(capsys, "tiers", "show")
    assert result.code == 70
    assert result.err == (
        "error: unexpected RuntimeError: something we did not foresee (a bug in wsis-funding; "
        "set WSIS_FUNDING_TRACEBACK=1 to see where)\n"
    )
    monkeypatch.setenv("WSIS_FUNDING_TRACEBACK", "1")
    with pytest.raises(RuntimeError, match="foresee"):
        run(capsys, "tiers", "show")


# A real process: nothing but the one line reaches stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("books", "verify"), "no database given"),
        (("--database", "sqlite:///books.dbb", "books", "verify"), "does not exist"),
        (("--database", "mysql://root:Secret-77@db/books", "books", "verify"), "'mysql'"),
        (("demo", "--out", "a-file"), "a-file is a file, not a folder"),
        (("tiers", "show", "--schedule", "missing.toml"), "missing.toml"),
    ],
)
def test_a_real_process_prints_one_line_and_no_traceback(
    cwd: Path, args: tuple[str, ...], fragment: str
) -> None:
    (cwd / "a-file").write_text("mine\n", encoding="utf-8")
    assert_refused(run_process(*args, cwd=cwd), fragment)
    assert files(cwd) == ["a-file"]


def test_a_real_process_on_an_unreachable_server_and_a_bad_output(
    cwd: Path, invoiced: tuple[str, str], pg_url: str
) -> None:
    host_port = pg_url.split("@", 1)[1].split("/", 1)[0]
    url = with_password(pg_url, "Secret-77").replace(host_port, f"127.0.0.1:{closed_port()}")
    result = run_process("--database", url, "books", "verify", cwd=cwd)
    assert_refused(result, "Connection refused")
    assert "Secret-77" not in result.err
    db, number = invoiced
    result = run_process("--database", db, "books", "render", number, "-o", "no/x.pdf", cwd=cwd)
    assert_refused(result, "no does not exist")
    assert files(cwd) == []


def test_a_reader_that_goes_away_is_no_traceback(cwd: Path) -> None:
    src = str(Path(wsis_funding.__file__).parents[1])
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["PYTHONPATH"] = src
    proc = subprocess.Popen(
        [sys.executable, "-m", "wsis_funding.cli", "tiers", "show"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()  # like `wsis-funding tiers show | head -c 1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert err == ""
    assert proc.returncode in (0, 1)


def test_the_real_process_reads_eur_books(cwd: Path, sqlite_url: str) -> None:
    open_tracker(sqlite_url, base_currency="EUR").close()
    result = run_process("--database", sqlite_url, "books", "verify", cwd=cwd)
    assert result == Result(0, "the books are sound\n", "")
