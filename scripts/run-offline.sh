#!/usr/bin/env bash
# `make run`: a nightly run (`trialmill nightly`) over the bundled offline registry
# (fixtures/registry), served on loopback by trialmill-registry-server and fetched over real HTTP
# into an archive, parsed, normalized, checked by the publish gate and stored into a database; a
# summary of what the database holds at the end. A second `make run` finds everything unchanged.
set -euo pipefail
bin=${1:?usage: run-offline.sh BIN_DIR DB [ARCHIVE]}
db=${2:?usage: run-offline.sh BIN_DIR DB [ARCHIVE]}
archive=${3:-build/offline-archive}
cd "$(dirname "$0")/.."

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The server keeps serving while its stdin (a pipe nobody writes) stays open.
mkfifo "$work/hold"
"$bin/trialmill-registry-server" fixtures/registry "${TRIALMILL_OFFLINE_PORT:-8739}" < "$work/hold" > "$work/base" &
server_pid=$!
exec 3> "$work/hold"
for _ in $(seq 100); do [ -s "$work/base" ] && break; sleep 0.05; done
base=$(head -n 1 "$work/base")
[ -n "$base" ] || { echo "trialmill: the offline registry server did not start" >&2; exit 2; }
echo "trialmill: offline registry at $base, archive $archive, database $db" >&2

status=0
"$bin/trialmill" nightly --config config/offline.json --base "$base" --db "$db" --archive "$archive" ||
  status=$?
exec 3>&-

echo >&2
sqlite3 -header -column "$db" \
  "SELECT nct_id, overall_status AS status, phases, enrollment_count AS enrolled,
          (SELECT count(*) FROM sources s WHERE s.nct_id = t.nct_id) AS sources,
          substr(brief_title, 1, 50) AS title
     FROM trials t ORDER BY nct_id;" >&2
echo "trialmill: $(sqlite3 "$db" 'SELECT count(*) FROM trials') trials in $db" >&2
exit "$status"
