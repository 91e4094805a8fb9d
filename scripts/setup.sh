#!/usr/bin/env bash
# Installs what ledgerflow needs to build and test, skipping what is already there.
# Idempotent and quiet when nothing is missing. Needs root (or sudo) only when a package is missing.
set -euo pipefail
# postgresql: the warehouse tests start a throwaway PostgreSQL 15 cluster (tests/support).
here="$(cd "$(dirname "$0")/.." && pwd)"

debs=(build-essential cmake ninja-build pkg-config zlib1g-dev
      librdkafka-dev kcat libsimdjson-dev libsqlite3-dev sqlite3 libpq-dev postgresql
      libcpp-httplib-dev libtomlplusplus-dev libcli11-dev libfmt-dev libspdlog-dev
      nlohmann-json3-dev libxxhash-dev libisal-dev libjemalloc-dev libzstd-dev liblz4-dev libssl-dev libbrotli-dev
      libgtest-dev libgmock-dev libbenchmark-dev clang-format nodejs chromium)

missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end packages (bundled into the binary) and the browser test driver.
for dir in web tests/browser; do
  if [ -f "$here/$dir/package-lock.json" ]; then
    stamp="$here/$dir/node_modules/.lock-stamp"
    if [ ! -f "$stamp" ] || ! cmp -s "$here/$dir/package-lock.json" "$stamp"; then
      echo "setup: npm ci in $dir"
      (cd "$here/$dir" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
      cp "$here/$dir/package-lock.json" "$stamp"
    fi
  fi
done
