#!/bin/sh
# store-tx.sh: tests/unit/test_store_tx on a MariaDB server of its own,
# whose global autocommit the test may turn off (OMS_UNIT_PRIVATE_SERVER
# =1): the store's sessions must set autocommit themselves rather than
# inherit the server's default.  A private server, because turning the
# default off on the shared one would disturb the suites running beside
# it.  Skipped where ./check runs no MariaDB (OMS_MARIADB_SOCKET unset).
if [ -z "${OMS_MARIADB_SOCKET:-}" ] || ! command -v mariadbd >/dev/null 2>&1; then
	echo "1..0 # SKIP no MariaDB server (./check starts one and sets OMS_MARIADB_SOCKET)"
	exit 0
fi
. "$OMS_SRCDIR/tests/mariadb-server.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/oms-storetx.XXXXXX") || exit 1
trap 'oms_mariadb_stop "$dir"; rm -rf "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! oms_mariadb_start "$dir" >"$dir/start.log" 2>&1; then
	echo "Bail out! the private MariaDB server did not start"
	cat "$dir/start.log" >&2
	exit 1
fi
OMS_UNIT_PRIVATE_SERVER=1 "$OMS_BUILDDIR/tests/unit/test_store_tx"
