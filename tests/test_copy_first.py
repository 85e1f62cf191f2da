"""Bulk copy into a store that holds data: only in a transaction that writes nothing else (kg.errors.MixedWriteError)."""

from __future__ import annotations

import pytest

from kg import KnowledgeGraph
from kg.backends.ladybug_backend import LadybugBackend
from kg.errors import MixedWriteError
from kg.journal import journaled_write


@pytest.fixture
def store(tmp_path):
    with KnowledgeGraph.open(tmp_path / "g.kg") as g:
        g.upsert_nodes("Field", [{"id": "F0", "name": "旧领域"}])
        yield g


@pytest.fixture
def engine_calls(monkeypatch):
    """The engine paths taken: ``copy`` (bulk copy, not logged) or ``log`` (LOAD FROM ..., logged)."""
    calls: list[str] = []
    copy, load_from = LadybugBackend._copy, LadybugBackend._load_from
    monkeypatch.setattr(LadybugBackend, "_copy", lambda self, *a: (calls.append("copy"), copy(self, *a))[1])
    monkeypatch.setattr(LadybugBackend, "_load_from", lambda self, *a: (calls.append("log"), load_from(self, *a))[1])
    return calls


def _fields(n: int, start: int = 1) -> list[dict]:
    return [{"id": f"F{i}", "name": f"领域{i}"} for i in range(start, start + n)]


def test_new_rows_into_a_store_with_data_are_copied_when_nothing_else_is_written(store, engine_calls):
    assert journaled_write(store, "<rows>", "Field", 3, lambda: store.upsert_nodes("Field", _fields(3))) == 3
    assert engine_calls == ["copy"] and store.count("Field") == 4


def test_without_copy_first_new_rows_into_a_store_with_data_go_through_the_log(store, engine_calls):
    with store.transaction():
        store.upsert_nodes("Field", _fields(3))
    assert engine_calls == ["log"] and store.count("Field") == 4


def test_a_logged_write_after_a_copy_is_refused_and_rolls_everything_back(store):
    with pytest.raises(MixedWriteError, match="run it again without copy_first"), store.transaction(copy_first=True):
        store.upsert_nodes("Field", _fields(3))
        store.query("MATCH (f:Field {id: 'F0'}) SET f.name = '改名'")
    assert store.count("Field") == 1
    assert store.query("MATCH (f:Field) RETURN f.name AS n")["n"].tolist() == ["旧领域"]


def test_a_mixed_load_is_run_again_through_the_log_and_lands_whole(store, engine_calls):
    attempts = []

    def write() -> int:
        attempts.append(len(engine_calls))
        n = store.upsert_nodes("Field", _fields(3))
        store.query("MATCH (f:Field {id: 'F0'}) SET f.name = '改名'")
        return n

    assert journaled_write(store, "<rows>", "Field", 4, write) == 3
    # first attempt: copied, then refused; second: every row through the log
    assert attempts == [0, 1] and engine_calls == ["copy", "log"]
    names = dict(store.query("MATCH (f:Field) RETURN f.id AS id, f.name AS n").values.tolist())
    assert names == {"F0": "改名", "F1": "领域1", "F2": "领域2", "F3": "领域3"}


def test_updates_are_written_before_new_rows_so_an_upsert_never_mixes(store, engine_calls):
    rows = [{"id": "F0", "name": "新名"}, *_fields(2)]
    assert journaled_write(store, "<rows>", "Field", 3, lambda: store.upsert_nodes("Field", rows)) == 3
    assert engine_calls == ["log", "log"]  # the update, then the new rows through the log as well
    assert store.count("Field") == 3


def test_a_load_inside_a_callers_load_is_retried_once_by_the_outer_one(store, engine_calls):
    attempts = []

    def inner() -> int:
        attempts.append("inner")
        n = store.upsert_nodes("Field", _fields(2))
        store.query("MATCH (f:Field {id: 'F0'}) SET f.name = '改名'")
        return n

    def outer() -> int:
        attempts.append("outer")
        return journaled_write(store, "<inner>", "Field", 2, inner)

    assert journaled_write(store, "<outer>", "Field", 2, outer) == 2
    assert attempts == ["outer", "inner", "outer", "inner"] and engine_calls == ["copy", "log"]
    assert store.count("Field") == 3


@pytest.mark.parametrize("copy_first", [True, False])
def test_bulk_statements_take_bounded_slices_of_rows(store, engine_calls, monkeypatch, copy_first):
    """More rows than ``bulk_rows``: written in slices inside the one transaction, all of them, once."""
    monkeypatch.setattr(store.backend, "bulk_rows", 7)
    statements: list[int] = []
    execute = store.backend._conn.execute

    def counted(statement, params=None):
        table = (params or {}).get("t", (params or {}).get("frame"))
        if table is not None and hasattr(table, "num_rows"):
            statements.append(table.num_rows)
        return execute(statement, params or {})

    monkeypatch.setattr(store.backend._conn, "execute", counted)
    with store.transaction(copy_first=copy_first):
        store.upsert_nodes("Field", _fields(20))
    with store.transaction():
        store.upsert_nodes("Field", [{"id": f"F{i}", "name": f"新名{i}"} for i in range(1, 16)])  # 15 updates
    assert engine_calls == (["copy", "log"] if copy_first else ["log", "log"])
    assert statements[:3] == [7, 7, 6] and statements[-3:] == [7, 7, 1]
    names = store.query("MATCH (f:Field) RETURN f.id AS id, f.name AS n")
    assert len(names) == 21 and sorted(names["n"])[:2] == ["新名1", "新名10"]
