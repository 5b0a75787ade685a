#!/usr/bin/env bash
# with_registry.sh SERVER REGISTRY_DIR COMMAND... [--then COMMAND...]...
# Serves the offline registry on a free loopback port for the golden CLI cases (compare.cmake)
# and runs the commands in order with @BASE@ in their words replaced by the server's address,
# all against the same server (a reingest after a nightly finds the pages it stored). Every
# command but the last must succeed; their output is dropped. The last one's output and exit
# code are this script's.
set -u
server=$1
registry=$2
shift 2
work=$(mktemp -d)
mkfifo "$work/hold"
# The server serves while its stdin (a pipe nobody writes) stays open.
"$server" "$registry" < "$work/hold" > "$work/base" 2> /dev/null &
server_pid=$!
exec 3> "$work/hold"
for _ in $(seq 200); do [ -s "$work/base" ] && break; sleep 0.05; done
base=$(head -n 1 "$work/base")
finish() {
  exec 3>&-
  kill "$server_pid" 2> /dev/null
  wait "$server_pid" 2> /dev/null
  rm -rf "$work"
}
if [ -z "$base" ]; then
  echo "with_registry.sh: the registry server did not start" >&2
  finish
  exit 99
fi
words=()
status=0
run() {
  local last=$1
  shift
  local args=()
  for word in "${words[@]}"; do args+=("${word//@BASE@/$base}"); done
  if [ "$last" = 1 ]; then
    "${args[@]}" 3>&-
    status=$?
  elif ! "${args[@]}" < /dev/null > /dev/null 2> "$work/setup.err" 3>&-; then
    echo "with_registry.sh: setup failed: ${args[*]}" >&2
    cat "$work/setup.err" >&2
    status=99
  fi
}
for word in "$@"; do
  if [ "$word" = "--then" ]; then
    run 0
    [ "$status" = 0 ] || break
    words=()
  else
    words+=("$word")
  fi
done
[ "$status" = 0 ] && run 1
finish
exit "$status"
