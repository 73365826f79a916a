#!/bin/sh
# tests/integration/golden_docs.sh against the MariaDB backend (the
# server is started by ./check, which sets OMS_MARIADB_SOCKET; skipped
# without): the same golden files as on SQLite.
OMS_BACKEND=mariadb
export OMS_BACKEND
exec bash "$OMS_SRCDIR/tests/integration/golden_docs.sh" "$@"
