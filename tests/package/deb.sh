#!/usr/bin/env bash
# The Debian package as a user gets it: built by CPack from this build tree, unpacked with dpkg -x
# into a clean folder (no install into the machine), then its man pages and a subcommand's --help
# used from there. Exits non-zero with the reason on the first thing that is not as promised.
set -euo pipefail
build=${1:?usage: deb.sh BUILD_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb.sh: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$work"/out/trialmill_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no trialmill_*.deb made"
echo "package: $(basename "$deb")"

depends=$(dpkg-deb -f "$deb" Depends)
echo "depends: $depends"
for lib in libcurl libgumbo libsqlite3 libstdc++; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done

root="$work/root"
dpkg -x "$deb" "$root"
for f in usr/bin/trialmill usr/bin/trialmill-fetch usr/bin/trialmill-parse usr/bin/trialmill-normalize \
         usr/bin/trialmill-store usr/bin/trialmill-export etc/trialmill/live.json \
         usr/share/doc/trialmill/examples/offline.json \
         usr/lib/systemd/system/trialmill-nightly.service usr/lib/systemd/system/trialmill-nightly.timer; do
  [ -e "$root/$f" ] || fail "missing $f"
done
grep -q '^ExecStart=/usr/bin/trialmill nightly --config /etc/trialmill/live.json' \
  "$root/usr/lib/systemd/system/trialmill-nightly.service" || fail "the service does not run the installed binary"

for page in trialmill trialmill-nightly trialmill-store; do
  file="$root/usr/share/man/man1/$page.1.gz"
  [ -e "$file" ] || file="$root/usr/share/man/man1/$page.1"
  [ -e "$file" ] || fail "no man page $page(1)"
  text=$(MANWIDTH=100 man -l "$file" 2>/dev/null | col -b)
  grep -q '^NAME' <<<"$text" || fail "man $page has no NAME section"
  grep -q "$page" <<<"$text" || fail "man $page does not name $page"
done
echo "man pages: trialmill(1) trialmill-nightly(1) trialmill-store(1) render"

help=$("$root/usr/bin/trialmill" nightly --help) || fail "trialmill nightly --help exited $?"
grep -q -- '--config' <<<"$help" || fail "trialmill nightly --help lists no --config"
version=$("$root/usr/bin/trialmill" --version)
grep -q 'schema' <<<"$version" || fail "trialmill --version does not tell the schema version: $version"
echo "trialmill --version: $version"
echo "deb.sh: ok"
