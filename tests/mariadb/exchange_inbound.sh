#!/bin/sh
# tests/integration/exchange_inbound.sh against the MariaDB backend (the server is
# started by ./check, which sets OMS_MARIADB_SOCKET; skipped without).
OMS_BACKEND=mariadb
export OMS_BACKEND
exec bash "$OMS_SRCDIR/tests/integration/exchange_inbound.sh" "$@"
