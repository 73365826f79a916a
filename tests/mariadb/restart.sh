#!/bin/sh
# restart.sh: omsd on MariaDB while its server restarts.  While the
# server is down, pages and /healthz answer a clear 503 (never a 500,
# never a hang); when it is back, omsd recovers by itself (same master,
# no restart) and nothing written before is lost.  Runs its own
# throw-away server so the shared one is not disturbed.
#
# Then the server restarts between two requests, under workers that
# have served nothing yet (a SIGHUP just replaced them): every worker's
# first request after it is a logged-in page whose session was last
# seen minutes ago, so it prepares and runs the session read, then
# writes the touch.  Each must replace the session the restart closed,
# whatever its first statement, and answer 200 (not 503 once: 9 of 10
# pages were seen in CI).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$OMS_SRCDIR/tests/lib.sh"
. "$OMS_SRCDIR/tests/mariadb-server.sh"
oms_need nginx curl mariadbd mariadb "$OMS_BUILDDIR/omsd"
oms_tmpdir
mdb=$OMS_TMP/m
oms_mariadb_start "$mdb" || tap_bail "cannot start a MariaDB server"
trap 'oms_mariadb_stop "$mdb"; _oms_cleanup' EXIT

OMS_BACKEND=mariadb
OMS_WORKERS=4
OMS_SEED_ARGS="--customers 2 --sites 2 --assets 30 --seed 5"
oms_start
master=$OMS_PID
# The session oms_start made and four more of the admin, for five
# requests at once.
jars=$OMS_JAR
for j in 1 2 3 4; do
	# As a browser logs in: the form (its pre-session cookie and
	# token) first, then the POST from this origin.
	tok=$(oms_login_form "$OMS_DIR/jar.$j")
	s=$(curl -s --max-time 60 -b "$OMS_DIR/jar.$j" -c "$OMS_DIR/jar.$j" \
	    -o /dev/null -w '%{http_code}' -H "Origin: $OMS_URL" \
	    --data-urlencode "csrf=$tok" \
	    --data-urlencode "login=admin" --data-urlencode "password=$OMS_TEST_PASSWORD" \
	    "$OMS_URL/login")
	[ "$s" = 303 ] || tap_bail "login $j as admin answered $s"
	jars="$jars $OMS_DIR/jar.$j"
done
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
tap_is "$ok" 10 "every page answers 200 after the restart (every worker reconnected)"

# ------------- a restart between two requests, under fresh workers
# fresh_workers OLD: the master runs 4 workers, none of them in OLD.
fresh_workers() {
	local now
	now=$(oms_workers)
	[ "$(printf '%s\n' "$now" | sed '/^$/d' | wc -l)" = 4 ] &&
	    [ -z "$(comm -12 <(printf '%s\n' "$1") <(printf '%s\n' "$now") | sed '/^$/d')" ]
}
old_workers=$(oms_workers)
kill -HUP "$master"
oms_wait 300 fresh_workers "$old_workers"
tap_ok $? "SIGHUP: 4 new workers, none has served a request" ||
    tap_diag "before: $old_workers" "now: $(oms_workers)"
oms_mariadb_restart "$mdb" || tap_bail "cannot restart the MariaDB server"
restarted=$(date +%s)
log_at=$(stat -c %s "$OMS_LOG")
# since_restart: omsd's log since the server came back.
since_restart() { tail -c +"$((log_at + 1))" "$OMS_LOG"; }
# unserved: the workers that have logged no request since the restart.
unserved() {
	local w
	for w in $(oms_workers); do
		since_restart | grep -q " \\[$w\\] rid=" || echo "$w"
	done
}
# Batches of five logged-in pages at once (five sessions, each last
# seen 5 minutes ago so that each request writes its touch), until
# every worker has taken one.  Nothing else (no /healthz, whose ping
# would replace the session) comes first.
out=$OMS_DIR/after-restart
: >"$out"
batches=0
while [ -n "$(unserved)" ] && [ "$batches" -lt 50 ]; do
	oms_sql_write "UPDATE sessions SET seen_at = seen_at - 300" >/dev/null
	pids=
	for j in $jars; do
		curl -s --max-time 30 -b "$j" -o /dev/null -w '%{http_code}\n' \
		    "$OMS_URL/sites/1/assets?page=$((batches % 3 + 1))&per=10" >>"$out" &
		pids="$pids $!"
	done
	wait $pids
	batches=$((batches + 1))
done
tap_is "$(unserved)" "" "every worker served a logged-in page after the restart ($batches batches of 5)"
tap_is "$(grep -cv '^200$' "$out")" 0 "every one of these $(wc -l <"$out") pages answered 200" ||
    tap_diag "$(sort "$out" | uniq -c)" "$(since_restart | grep -E ' (error|warn) ' | head -n 5)"
for w in $(oms_workers); do
	first=$(since_restart | grep -E " \\[$w\\] rid=[^ ]+ [A-Z]+ /" | head -n 1)
	tap_like "$first" " GET /sites/1/assets[^ ]* 200 " \
	    "worker $w: its first request after the restart (session read and touch) answered 200"
done
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions WHERE seen_at < $restarted")" 0 \
    "every session's touch (a write) was stored after the restart"
tap_is "$(since_restart | grep -cE ' (error|warn) \[')" 0 "no store error is logged once the server is back" ||
    tap_diag "$(since_restart | grep -E ' (error|warn) \[' | head -n 5)"
http GET /healthz
tap_is "$HTTP_STATUS" 200 "healthz is ok after the second restart"
tap_is "$(oms_sql "SELECT COUNT(*) FROM assets")" "$before" "nothing stored was lost"
tap_ok "$(kill -0 "$master" 2>/dev/null; echo $?)" "the same omsd master is still running"
tap_file_unlike "$OMS_LOG" "died of signal" "no worker crashed"
tap_done
