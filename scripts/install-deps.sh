#!/usr/bin/env bash
# Installs the Debian packages trialmill builds and tests with, only those missing.
# Run by `make`, `make run` and `make test`; safe to run again (does nothing when all are present).
set -euo pipefail

packages=(
  cmake g++ make pkg-config sqlite3
  libcurl4-openssl-dev libgumbo-dev rapidjson-dev
  libsqlitecpp-dev libsqlite3-dev doctest-dev libcpp-httplib-dev libssl-dev libcli11-dev zlib1g-dev
  libxml2-dev libzip-dev
  clang libclang-rt-14-dev
  pandoc dpkg-dev file man-db
  libpq-dev postgresql
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1; then
  sudo_cmd=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo; install them and retry" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
