#!/bin/sh
# tests/bench/store-iter.sh: peak memory of reading a million rows
# through the store, buffered (oms_query: before oms_query_iter, the
# only way, and on MariaDB the whole result in the client) and in
# batches (oms_query_iter), on SQLite and on MariaDB (a throw-away
# server of its own, when mariadbd is installed).  Prints figures;
# asserts nothing.
#
#   tests/bench/store-iter.sh [ROWS]      (default and most 1000000)
#
# Environment: OMS_BUILDDIR (default ./build).
set -u
OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
OMS_BUILDDIR=${OMS_BUILDDIR:-$OMS_SRCDIR/build}
rows=${1:-1000000}
prog=$OMS_BUILDDIR/tests/bench/store_iter
make -s -C "$OMS_BUILDDIR" tests/bench/store_iter >/dev/null || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/oms-bench-iter.XXXXXX") || exit 1
. "$OMS_SRCDIR/tests/mariadb-server.sh"
trap 'oms_mariadb_stop "$dir/mdb"; rm -rf "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run LABEL ARGS...: fill, then read both ways, one process each.
run() {
	label=$1
	shift
	"$prog" "$@" fill "$rows" >/dev/null || { echo "$label: the fill failed"; return 1; }
	for mode in buffered iter; do
		printf '%-8s %-9s %s\n' "$label" "$mode" "$("$prog" "$@" read "$mode")"
	done
}

echo "reading $rows rows of 100 bytes through the store"
run sqlite sqlite "$dir/bench.db"
if command -v mariadbd >/dev/null 2>&1 &&
    oms_mariadb_start "$dir/mdb" >"$dir/mdb.log" 2>&1; then
	mariadb --no-defaults --socket="$dir/mdb/sock" -uroot \
	    -e 'CREATE DATABASE bench' || exit 1
	run mariadb mariadb "$dir/mdb/sock" bench
else
	echo "mariadb: skipped (no server)"
fi
