#!/bin/sh
# tests/browser/integration.js against the MariaDB backend (the server
# is started by ./check, which sets OMS_MARIADB_SOCKET; skipped without).
OMS_BACKEND=mariadb
export OMS_BACKEND
exec node "$OMS_SRCDIR/tests/browser/integration.js" "$@"
