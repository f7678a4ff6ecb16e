"""Opening the books: the stored base currency is the answer, and books opened without
creating them must exist; on SQLite nothing is ever created by a refused open."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from wsis_funding.money.errors import CurrencyMismatch, UnknownCurrency
from wsis_funding.services import open_tracker
from wsis_funding.storage.engine import VERSION_TABLE
from wsis_funding.storage.errors import BooksNotFound, BooksUnavailable


def sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def test_new_books_keep_chf_when_no_base_currency_is_given(db_url: str) -> None:
    with open_tracker(db_url) as t:
        assert t.base_currency == "CHF"
    with open_tracker(db_url, create=False) as t:
        assert t.base_currency == "CHF"


def test_books_kept_in_eur_open_without_repeating_the_currency(db_url: str) -> None:
    with open_tracker(db_url, base_currency="EUR") as t:
        assert t.base_currency == "EUR"
    with open_tracker(db_url) as t:
        assert t.base_currency == "EUR"
        assert t.verify() == []
    with open_tracker(db_url, create=False) as t:
        assert t.base_currency == "EUR"
    with open_tracker(db_url, base_currency="EUR", create=False) as t:
        assert t.base_currency == "EUR"


def test_another_base_currency_for_existing_books_is_a_mismatch_naming_both(db_url: str) -> None:
    open_tracker(db_url, base_currency="EUR").close()
    with pytest.raises(CurrencyMismatch) as caught:
        open_tracker(db_url, base_currency="CHF")
    assert "EUR" in str(caught.value)
    assert "CHF" in str(caught.value)
    assert (caught.value.expected, caught.value.got) == ("EUR", "CHF")
    with open_tracker(db_url) as t:  # the refused call changed nothing
        assert t.base_currency == "EUR"


def test_an_unknown_base_currency_is_refused_before_a_file_is_made(tmp_path: Path) -> None:
    with pytest.raises(UnknownCurrency):
        open_tracker(f"sqlite:///{tmp_path}/books.db", base_currency="EURO")
    assert list(tmp_path.iterdir()) == []


def test_create_must_be_a_bool(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="create"):
        open_tracker(f"sqlite:///{tmp_path}/books.db", create="no")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_existing_books_open_without_creating(db_url: str) -> None:
    open_tracker(db_url).close()
    with open_tracker(db_url, create=False) as t:
        assert t.verify() == []


def test_a_missing_sqlite_file_is_not_found_and_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/books.dbb"
    with pytest.raises(BooksNotFound, match="does not exist") as caught:
        open_tracker(url, create=False)
    assert isinstance(caught.value, LookupError)
    assert caught.value.url == url
    assert str(tmp_path / "books.dbb") in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_not_found_and_not_created(tmp_path: Path) -> None:
    with pytest.raises(BooksNotFound, match="does not exist"):
        open_tracker(f"sqlite:///{tmp_path}/no/books.db", create=False)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_not_books(tmp_path: Path) -> None:
    with pytest.raises(BooksNotFound, match="is a folder"):
        open_tracker(f"sqlite:///{tmp_path}", create=False)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database_is_not_books_and_is_left_alone(tmp_path: Path) -> None:
    f = tmp_path / "notes.db"
    f.write_text("not a database\n" * 100, encoding="utf-8")
    before = f.read_bytes()
    with pytest.raises(BooksNotFound, match="not a SQLite database"):
        open_tracker(f"sqlite:///{f}", create=False)
    assert f.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["notes.db"]


def test_a_stranger_sqlite_database_is_not_books_and_is_left_untouched(tmp_path: Path) -> None:
    """Not even switched to WAL: a refused open writes nothing into another program's file."""
    f = tmp_path / "other.db"
    conn = sqlite3.connect(f)
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = f.read_bytes()
    with pytest.raises(BooksNotFound, match=VERSION_TABLE):
        open_tracker(f"sqlite:///{f}", create=False)
    assert f.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]


def test_an_in_memory_database_holds_no_books_to_open() -> None:
    with pytest.raises(BooksNotFound, match="in-memory"):
        open_tracker("sqlite://", create=False)


def test_a_postgres_database_without_the_schema_is_not_books_and_stays_empty(
    pg_url: str,
) -> None:
    with pytest.raises(BooksNotFound, match=VERSION_TABLE) as caught:
        open_tracker(pg_url, create=False)
    assert "***" in str(caught.value)
    assert ":wsis@" not in str(caught.value)  # the password of the test role
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()


def test_a_file_removed_while_open_is_not_made_again_by_a_new_connection(
    sqlite_url: str,
) -> None:
    open_tracker(sqlite_url).close()
    db = sqlite_file(sqlite_url)
    with open_tracker(sqlite_url, create=False) as t:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        failed: list[BaseException] = []

        def read() -> None:  # another thread takes a connection of its own
            try:
                t.verify()
            except Exception as e:
                failed.append(e)

        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    assert failed
    assert not db.exists()


def test_creating_books_in_a_folder_that_does_not_exist_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(BooksUnavailable, match="does not exist") as caught:
        open_tracker(f"sqlite:///{tmp_path}/no/books.db")
    assert isinstance(caught.value, ConnectionError)
    assert list(tmp_path.iterdir()) == []


def test_creating_books_on_a_folder_or_a_non_database_file_is_unavailable(
    tmp_path: Path,
) -> None:
    with pytest.raises(BooksUnavailable, match="is a folder"):
        open_tracker(f"sqlite:///{tmp_path}")
    f = tmp_path / "notes.txt"
    f.write_text("hello\n" * 100, encoding="utf-8")
    with pytest.raises(BooksUnavailable, match="not a database"):
        open_tracker(f"sqlite:///{f}")
    assert f.read_text(encoding="utf-8") == "hello\n" * 100


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _with_password(url: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    user = rest.split(":", 1)[0]
    return f"{scheme}://{user}:{password}@{rest.split('@', 1)[1]}"


@pytest.mark.parametrize("create", [True, False])
def test_a_wrong_password_is_unavailable_and_never_shown(pg_url: str, create: bool) -> None:
    url = _with_password(pg_url, "Not-The-Secret-4711")
    with pytest.raises(BooksUnavailable, match="password authentication failed") as caught:
        open_tracker(url, create=create)
    assert "Not-The-Secret-4711" not in str(caught.value)
    assert "***" in caught.value.url
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_an_unreachable_server_is_unavailable(pg_url: str) -> None:
    host_port = pg_url.split("@", 1)[1].split("/", 1)[0]
    url = pg_url.replace(host_port, f"127.0.0.1:{_closed_port()}")
    with pytest.raises(BooksUnavailable, match="refused"):
        open_tracker(url, create=False)


def test_a_database_missing_on_the_server_is_unavailable(pg_url: str) -> None:
    url = pg_url.rpartition("/")[0] + "/no_such_books_here"
    with pytest.raises(BooksUnavailable, match='"no_such_books_here" does not exist'):
        open_tracker(url)


def test_postgresql_without_a_driver_name_means_psycopg(pg_url: str) -> None:
    with open_tracker(pg_url.replace("postgresql+psycopg://", "postgresql://", 1)) as t:
        assert t.engine.dialect.driver == "psycopg"


def test_an_option_libpq_does_not_know_is_an_invalid_url(pg_url: str) -> None:
    from wsis_funding.storage.errors import InvalidDatabaseUrl

    with pytest.raises(InvalidDatabaseUrl, match='invalid connection option "colour"'):
        open_tracker(f"{pg_url}?colour=blue")


def test_books_from_a_newer_version_are_unavailable_and_left_as_they_are(db_url: str) -> None:
    with open_tracker(db_url) as t, t.engine.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = 'rev_9999_future'"))
    for create in (True, False):
        with pytest.raises(BooksUnavailable, match="newer wsis-funding"):
            open_tracker(db_url, create=create)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one() == (
            "rev_9999_future"
        )
    engine.dispose()
