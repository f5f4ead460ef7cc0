#!/usr/bin/env bash
# Installs the committed Apache-2 build of TimescaleDB (timescaledb-apache-pg15.tar.gz, made by
# build.sh; BUILD-INFO inside names the source commit and build command) into PostgreSQL 15:
# the .so files into `pg_config --pkglibdir`, the control file and SQL script into
# `--sharedir`/extension. Run as root after apt installed postgresql (what .ci/run does). The
# extension is then available; a server uses it only with shared_preload_libraries=timescaledb.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$PG_CONFIG" ] || { echo "install.sh: no PostgreSQL 15 pg_config at $PG_CONFIG (apt-get install postgresql-15)" >&2; exit 1; }
case "$("$PG_CONFIG" --version)" in "PostgreSQL 15."*) ;; *) echo "install.sh: the build is for PostgreSQL 15, $PG_CONFIG is $("$PG_CONFIG" --version)" >&2; exit 1 ;; esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
tar -C "$TMP" -xzf "$HERE/timescaledb-apache-pg15.tar.gz"
# An extension built against a later minor release may call functions an earlier server lacks
# (2.28.3 built on 15.20 does not load into 15.18: undefined symbol heap_datum_check).
built=$(sed -n 's/^built against: PostgreSQL 15\.\([0-9]*\).*/\1/p' "$TMP/BUILD-INFO")
have=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL 15\.\([0-9]*\).*/\1/p')
if [ -n "$built" ] && [ -n "$have" ] && [ "$have" -lt "$built" ]; then
  echo "install.sh: the build needs PostgreSQL 15.$built or later, $PG_CONFIG is 15.$have (apt-get install postgresql-15 upgrades it)" >&2
  exit 1
fi
install -m 0644 "$TMP"/lib/*.so "$("$PG_CONFIG" --pkglibdir)/"
install -m 0644 "$TMP"/extension/* "$("$PG_CONFIG" --sharedir)/extension/"
echo "install.sh: $(head -1 "$TMP/BUILD-INFO") installed for $("$PG_CONFIG" --version)"
