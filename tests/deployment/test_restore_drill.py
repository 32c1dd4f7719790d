"""The backup restore drill (scripts/restore-drill.sh) run for real against a scratch database."""

import subprocess
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import CommunityFactory

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "restore-drill.sh"


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_backup_restores_into_a_scratch_database_and_is_checked(tmp_path):
    CommunityFactory(name="Restoredale")
    backup = tmp_path / "clp.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={backup}",
                    _url(connection.settings_dict["NAME"])], check=True, timeout=120)
    scratch = f"{connection.settings_dict['NAME']}_restore_drill"
    result = _run(backup, _url(scratch))
    assert result.returncode == 0, result.stderr
    assert "clp_community has 1 rows" in result.stdout
    assert "restore drill: OK" in result.stdout
    with connection.cursor() as cursor:  # the scratch copy was dropped afterwards
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [scratch])
        assert cursor.fetchone()[0] == 0


def test_a_damaged_backup_fails_the_drill(tmp_path):
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"PGDMP not really a dump")
    result = _run(broken, _url("clp_restore_drill_never"))
    assert result.returncode != 0
    assert "not a pg_dump archive" in result.stderr


def test_the_drill_refuses_to_drop_a_database_not_named_as_scratch(tmp_path):
    backup = tmp_path / "x.dump"
    backup.write_bytes(b"x")
    subprocess.run(["pg_dump", "--format=custom", f"--file={backup}", _url("postgres")],
                   check=True, timeout=60)
    result = _run(backup, _url("clp"))
    assert result.returncode != 0
    assert "refusing to drop 'clp'" in result.stderr
