#!/usr/bin/env bash
# `make run`: the whole pipeline over the bundled offline pages in fixtures/, into a database,
# then a summary of what the database holds.
set -euo pipefail
bin=${1:?usage: run-offline.sh BIN_DIR DB}
db=${2:?usage: run-offline.sh BIN_DIR DB}
cd "$(dirname "$0")/.."

shopt -s nullglob
pages=(fixtures/pages/*.txt fixtures/pages/*.html)
echo "trialmill: parsing ${#pages[@]} pages from fixtures/pages into $db" >&2

status=0
"$bin/trialmill-parse" "${pages[@]}" | "$bin/trialmill-normalize" --quiet | "$bin/trialmill-store" --db "$db" || status=$?

echo >&2
sqlite3 -header -column "$db" \
  "SELECT nct_id, overall_status AS status, phases, enrollment_count AS enrolled, substr(brief_title, 1, 60) AS title
     FROM trials ORDER BY nct_id;" >&2
echo "trialmill: $(sqlite3 "$db" 'SELECT count(*) FROM trials') trials in $db" >&2
exit "$status"
