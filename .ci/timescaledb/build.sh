#!/usr/bin/env bash
# Rebuild .ci/timescaledb/timescaledb-apache-pg15.tar.gz from source: the Apache-2-licensed part of
# TimescaleDB (no TSL code), built against this machine's PostgreSQL 15, telemetry compiled out
# (offline first). Needs: git, cmake, gcc, postgresql-server-dev-15.
#
#   .ci/timescaledb/build.sh [SOURCE_DIR]
#
# 2.28.x is the last TimescaleDB line that builds against PostgreSQL 15 (2.29 dropped it).
# SOURCE_DIR is a clone of https://github.com/timescale/timescaledb (default /work/tsdb-src); the
# tag below is checked out in it (local changes discarded) and must be the commit below; then
# patches/*.patch are applied: the Apache-side (src/) parts of two security fixes from 2.29.1
# (#10386 permission checks on internal chunk functions, #10379 search_path and SQL injection in
# reading a hypertable's max time), which no PostgreSQL-15 release has. Took 7 min 50 s on 2 shared cores. .ci/timescaledb/install.sh installs
# the result (what .ci/run does).
set -euo pipefail
TAG=2.28.3
COMMIT=4a77ff5cf1bf4348c4f0527e042434a289f06e39
SRC=${1:-/work/tsdb-src}
HERE=$(cd "$(dirname "$0")" && pwd)
PG_CONFIG=${PG_CONFIG:-$(command -v pg_config)}
case "$("$PG_CONFIG" --version)" in "PostgreSQL 15."*) ;; *) echo "build.sh: needs PostgreSQL 15's pg_config, got $("$PG_CONFIG" --version)" >&2; exit 1 ;; esac

git -C "$SRC" -c advice.detachedHead=false checkout -q -f "$TAG"
[ "$(git -C "$SRC" rev-parse HEAD)" = "$COMMIT" ] || { echo "build.sh: tag $TAG is not commit $COMMIT in $SRC" >&2; exit 1; }
cd "$SRC"
for p in "$HERE"/patches/*.patch; do git apply "$p"; done
BUILD_FORCE_REMOVE=true BUILD_DIR=build ./bootstrap -DPG_CONFIG="$PG_CONFIG" \
  -DCMAKE_BUILD_TYPE=Release -DAPACHE_ONLY=ON -DUSE_TELEMETRY=OFF -DSEND_TELEMETRY_DEFAULT=OFF \
  -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF -DENABLE_DEBUG_UTILS=OFF -DGENERATE_DOWNGRADE_SCRIPT=OFF \
  -DWARNINGS_AS_ERRORS=OFF
START=$(date +%s)
make -C build -j"$(nproc)"
echo "build.sh: make took $(( $(date +%s) - START )) s"

# Stage only what a fresh CREATE EXTENSION needs: the loader and versioned module, the control
# file and this version's install script (no update scripts from older versions).
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
make -C build install DESTDIR="$STAGE/root" >/dev/null
LIB="$STAGE/root$("$PG_CONFIG" --pkglibdir)"
EXT="$STAGE/root$("$PG_CONFIG" --sharedir)/extension"
mkdir -p "$STAGE/pkg/lib" "$STAGE/pkg/extension"
cp "$LIB/timescaledb.so" "$LIB/timescaledb-$TAG.so" "$STAGE/pkg/lib/"
strip --strip-unneeded "$STAGE/pkg/lib/"*.so
cp "$EXT/timescaledb.control" "$EXT/timescaledb--$TAG.sql" "$STAGE/pkg/extension/"
cp LICENSE LICENSE-APACHE NOTICE "$STAGE/pkg/"
cat > "$STAGE/pkg/BUILD-INFO" <<INFO
TimescaleDB $TAG, Apache-2 part only (APACHE_ONLY=ON), telemetry compiled out
source: https://github.com/timescale/timescaledb commit $COMMIT (tag $TAG)
patches: $(cd "$HERE/patches" && ls *.patch | tr '\n' ' ')(.ci/timescaledb/patches/: src/ parts of upstream commits c5937f657, cd55b77a9 from 2.29.1)
built against: $("$PG_CONFIG" --version) on $(. /etc/os-release && echo "$PRETTY_NAME") $(uname -m), $(gcc --version | head -1)
build: .ci/timescaledb/build.sh (bootstrap -DCMAKE_BUILD_TYPE=Release -DAPACHE_ONLY=ON -DUSE_TELEMETRY=OFF -DSEND_TELEMETRY_DEFAULT=OFF -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF -DENABLE_DEBUG_UTILS=OFF -DGENERATE_DOWNGRADE_SCRIPT=OFF -DWARNINGS_AS_ERRORS=OFF; make; strip --strip-unneeded)
INFO
# gzip, not xz: tar -z needs nothing beyond a minimal Debian (xz-utils is not essential).
tar -C "$STAGE/pkg" --owner=0 --group=0 --sort=name --mtime=@0 -cf - . | gzip -9n >"$HERE/timescaledb-apache-pg15.tar.gz"
ls -l "$HERE/timescaledb-apache-pg15.tar.gz"
