#!/usr/bin/env bash
# Installs what building and testing Nightshift needs on Debian 12: the C libraries' -dev packages, the C compiler,
# PostgreSQL 15 (tests start their own private server), systemd (the outer-loop tests), OpenSSL, and the Python test
# peers. Safe to run repeatedly; it skips apt when everything is already present.
set -euo pipefail

packages=(
  pkg-config gcc libc6-dev
  libyaml-dev libpq-dev libcurl4-openssl-dev libsqlite3-dev libwebsockets-dev libmicrohttpd-dev libssl-dev openssl
  postgresql-15 postgresql-client-15 systemd python3 python3-pip
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/requirements-test.txt" ] && ! python3 -c 'import websockets, prometheus_client' 2>/dev/null; then
  # Debian's own python3 is "externally managed" (PEP 668); a test peer library is fine to add there.
  python3 -m pip install --quiet --disable-pip-version-check -r "$here/requirements-test.txt" ||
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages -r "$here/requirements-test.txt"
fi
