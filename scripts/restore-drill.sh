#!/usr/bin/env bash
# Restore drill: prove last night's backup can be restored, into a scratch database that is
# dropped afterwards. Never touches the live database.
#
#   scripts/restore-drill.sh BACKUP_FILE SCRATCH_DATABASE_URL
#
# BACKUP_FILE is a `pg_dump --format=custom` file. The scratch URL names a database that may be
# dropped and re-created (e.g. postgres://clp@db.internal:5432/clp_restore_drill). It restores the
# dump, checks the tables every community depends on are there and counts their rows, runs
# Django's migration check against the restored copy, then drops it. Exit 0 means restorable.
set -euo pipefail

backup="${1:?usage: restore-drill.sh BACKUP_FILE SCRATCH_DATABASE_URL}"
scratch="${2:?usage: restore-drill.sh BACKUP_FILE SCRATCH_DATABASE_URL}"
here="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$here/.venv/bin/python}"

[ -s "$backup" ] || { echo "restore drill: backup file $backup is missing or empty" >&2; exit 1; }
pg_restore --list "$backup" > /dev/null || { echo "restore drill: $backup is not a pg_dump archive" >&2; exit 1; }

name="${scratch##*/}"; name="${name%%\?*}"
server="${scratch%/*}/postgres"
case "$name" in
  *drill*|*scratch*|test_*) ;;
  *) echo "restore drill: refusing to drop '$name': the scratch database name must contain 'drill' or 'scratch'" >&2; exit 1 ;;
esac

cleanup() { psql -q "$server" -c "DROP DATABASE IF EXISTS \"$name\"" > /dev/null; }
trap cleanup EXIT
cleanup
psql -q "$server" -c "CREATE DATABASE \"$name\"" > /dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch" "$backup"

for table in clp_user clp_community plans_plan consultation_survey consultation_response; do
  count="$(psql -tAq "$scratch" -c "SELECT count(*) FROM $table")"
  echo "restore drill: $table has $count rows"
done
DATABASE_URL="$scratch" "$python" "$here/manage.py" migrate --check > /dev/null \
  || { echo "restore drill: the restored database is missing migrations" >&2; exit 1; }
echo "restore drill: OK ($backup restored into $name and checked)"
