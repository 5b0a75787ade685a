#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (or, with FUZZ_RUNS set, for that many inputs from a
# fixed seed: deterministic, as CI wants), seeded with the fixture pages, the shared corpus's API
# JSON and the expected records. A crash leaves its input in the working directory and fails.
set -euo pipefail
bin=${1:?usage: run-fuzz.sh BIN_DIR SECONDS [TARGET...]}
seconds=${2:-60}
shift 2 || shift $#
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_parse_page fuzz_normalize fuzz_store)
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fuzz_parse_page reads its first byte as the format selector: 0 = detect. The per-parser
# targets (fuzz_parse_<format>) take the pages as they are.
mkdir -p "$work/parse" "$work/pages" "$work/normalize" "$work/store"
n=0
for f in fixtures/pages/* fixtures/html/* ../shared/corpus/ctgov-v2/*.json ../shared/corpus/pages/*.txt; do
  [ -f "$f" ] || continue
  { printf '\0'; head -c 65536 "$f"; } > "$work/parse/seed$n"
  head -c 65536 "$f" > "$work/pages/seed$((n++))"
done
for f in fixtures/expected/*.json docs/parsed-record-example.json; do
  cp "$f" "$work/normalize/$(basename "$f")"
done
for f in fixtures/expected/*.json; do
  cp "$f" "$work/store/$(basename "$f")"
done

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$PWD/scripts/ubsan.supp"
artifacts="$bin/../fuzz-artifacts"
mkdir -p "$artifacts"
status=0
for target in "${targets[@]}"; do
  case "$target" in
    fuzz_parse_page) corpus="$work/parse" ;;
    fuzz_parse_*) corpus="$work/pages" ;;
    *) corpus="$work/${target#fuzz_}" ;;
  esac
  if [ -n "${FUZZ_RUNS:-}" ]; then
    limit=(-runs="$FUZZ_RUNS" -seed=1)
    echo "fuzz: $target for $FUZZ_RUNS inputs" >&2
  else
    limit=(-max_total_time="$seconds")
    echo "fuzz: $target for ${seconds}s" >&2
  fi
  "$bin/$target" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=131072 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" 2> "$work/$target.log" || status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY" "$work/$target.log" >&2 || true
  [ $status -eq 0 ] || { tail -40 "$work/$target.log" >&2; break; }
done
exit $status
