#!/usr/bin/env bash
# Regenerates fixtures/corpus-expected/ from the page texts in ../shared/corpus/pages (with each
# page's URL from URLS.tsv): one normalized record per page, or the page's error in errors.tsv.
# Review every change against the page before committing it. Needs python3 for pretty-printing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/bin}
pages=../shared/corpus/pages
out=fixtures/corpus-expected
: > "$out/errors.tsv"
err=$(mktemp)
trap 'rm -f "$err"' EXIT
while IFS=$'\t' read -r file url; do
  name=${file%.txt}
  if record=$("$bin/trialmill-parse" --quiet --url "$url" "$pages/$file" 2>"$err"); then
    printf '%s\n' "$record" | "$bin/trialmill-normalize" --quiet |
      python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read()), indent=2, ensure_ascii=False))' \
      > "$out/$name.json"
  else
    printf '%s\t%s\n' "$file" "$(sed -e 's/^[^:]*: error: [^:]*: //' "$err")" >> "$out/errors.tsv"
  fi
done < "$pages/URLS.tsv"
