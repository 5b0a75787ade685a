#!/usr/bin/env bash
# Regenerates fixtures/expected/<page>.json from the current parse | normalize output.
# The files are golden records: review every change with `git diff fixtures/expected` against
# the page before committing it. Needs python3 for stable pretty-printing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin}
for page in fixtures/pages/*; do
  name=$(basename "${page%.*}")
  "$bin/trialmill-parse" "$page" | "$bin/trialmill-normalize" --quiet |
    python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read()), indent=2, ensure_ascii=False))' \
    > "fixtures/expected/$name.json"
  echo "wrote fixtures/expected/$name.json" >&2
done
