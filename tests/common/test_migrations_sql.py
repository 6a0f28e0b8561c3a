"""Hand-written migration SQL: one file-naming scheme, one loader (arms.common.migrations_sql)."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from arms.common.migrations_sql import run_sql

SRC = Path(__file__).resolve().parents[2] / "src" / "arms"
SCHEME = re.compile(r"^(?P<name>[a-z0-9_]+)\.(?P<vendor>postgresql|sqlite)(?P<reverse>\.reverse)?\.sql$")


def sql_files():
    return sorted(SRC.glob("*/migrations/*.sql"))


def test_every_migration_sql_file_follows_the_one_scheme_and_has_its_reverse():
    files = sql_files()
    assert files
    for path in files:
        match = SCHEME.match(path.name)
        assert match, f"{path.relative_to(SRC)} is not <name>.<vendor>[.reverse].sql"
        if not match["reverse"]:
            assert path.with_name(f"{match['name']}.{match['vendor']}.reverse.sql").exists(), path.name


def test_every_sql_name_is_loaded_by_a_migration_through_the_one_loader():
    for directory in sorted({path.parent for path in sql_files()}):
        names = {SCHEME.match(path.name)["name"] for path in directory.glob("*.sql")}
        sources = "".join(p.read_text() for p in directory.glob("0*.py"))
        assert "sqlite3.complete_statement" not in sources, f"{directory}: a second loader"
        for name in names:
            assert f'sql_operation(__file__, "{name}")' in sources, f"{directory}: nothing loads {name}"


@pytest.mark.django_db
def test_the_loader_runs_the_reverse_and_the_forward_file_of_the_connections_vendor(tmp_path):
    (tmp_path / f"probe.{connection.vendor}.sql").write_text("CREATE TABLE probe_loader (id integer);\n")
    (tmp_path / f"probe.{connection.vendor}.reverse.sql").write_text("DROP TABLE probe_loader;\n")
    (tmp_path / "probe.othervendor.sql").write_text("this is not SQL;\n")
    editor = SimpleNamespace(connection=connection)  # all the loader reads of a schema editor
    run_sql(editor, tmp_path, "probe")
    assert "probe_loader" in connection.introspection.table_names()
    run_sql(editor, tmp_path, "probe", reverse=True)
    run_sql(editor, tmp_path, "absent")  # no file for this vendor: nothing runs
    assert "probe_loader" not in connection.introspection.table_names()
