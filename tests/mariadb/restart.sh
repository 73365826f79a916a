#!/bin/sh
# restart.sh: omsd on MariaDB while its server restarts.  While the
# server is down, pages and /healthz answer a clear 503 (never a 500,
# never a hang); when it is back, omsd recovers by itself (same master,
# no restart) and nothing written before is lost.  Runs its own
# throw-away server so the shared one is not disturbed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$OMS_SRCDIR/tests/lib.sh"
. "$OMS_SRCDIR/tests/mariadb-server.sh"
oms_need nginx curl mariadbd mariadb "$OMS_BUILDDIR/omsd"
oms_tmpdir
mdb=$OMS_TMP/m
oms_mariadb_start "$mdb" || tap_bail "cannot start a MariaDB server"
trap 'oms_mariadb_stop "$mdb"; _oms_cleanup' EXIT

OMS_BACKEND=mariadb
OMS_SEED_ARGS="--customers 2 --sites 2 --assets 30 --seed 5"
oms_start
master=$OMS_PID
before=$(oms_sql "SELECT COUNT(*) FROM assets")
http GET /sites/1/assets
tap_is "$HTTP_STATUS" 200 "the asset page answers before the restart"
http GET /healthz
tap_is "$HTTP_STATUS" 200 "healthz is ok before the restart"

oms_mariadb_stop "$mdb"
http GET /sites/1/assets
tap_is "$HTTP_STATUS" 503 "with the server down the asset page answers 503"
tap_file_like "$HTTP_BODY" "database is unavailable" "and says the database is unavailable"
http GET /healthz
tap_is "$HTTP_STATUS" 503 "with the server down healthz answers 503"
tap_file_like "$HTTP_HEADERS" "^Retry-After: " "a 503 carries Retry-After"
http GET "/customers?format=xml"
tap_is "$HTTP_STATUS" 503 "an XML client gets 503 too"
tap_file_like "$HTTP_BODY" '<error status="503"' "as an XML error document"

oms_mariadb_run "$mdb" || tap_bail "cannot restart the MariaDB server"
http GET /sites/1/assets
tap_is "$HTTP_STATUS" 200 "the first page after the restart answers 200 (a lost idle session is replaced for a read)"
http GET /healthz
tap_is "$HTTP_STATUS" 200 "healthz is ok again once the server is back"
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	http GET "/sites/1/assets?page=$i&per=10"
	[ "$HTTP_STATUS" = 200 ] && ok=$((ok + 1))
done
tap_is "$ok" 10 "every page answers 200 after the restart (both workers reconnected)"
tap_is "$(oms_sql "SELECT COUNT(*) FROM assets")" "$before" "nothing stored was lost"
tap_ok "$(kill -0 "$master" 2>/dev/null; echo $?)" "the same omsd master is still running"
tap_file_unlike "$OMS_LOG" "died of signal" "no worker crashed"
tap_done
