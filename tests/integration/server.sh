#!/bin/bash
# omsd's master and workers: a killed worker is replaced; SIGHUP under
# load reloads stylesheets with no failed request; a broken stylesheet
# or configuration on SIGHUP leaves the old workers serving; SIGTERM
# under load finishes every answered request and removes the socket;
# log lines carry the request id; a bad configuration names file:line.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need pgrep
OMS_COPY_XSLT=1 oms_start

# two_new_workers OLD: the master has 2 workers, none of them in OLD.
two_new_workers() {
	local now
	now=$(oms_workers)
	[ "$(printf '%s\n' "$now" | sed '/^$/d' | wc -l)" = 2 ] &&
	    [ -z "$(comm -12 <(printf '%s\n' "$1" | sort) <(printf '%s\n' "$now" | sort) | sed '/^$/d')" ]
}

# load N OUT PATH: N sequential GETs of PATH; one line each in OUT:
# "STATUS CURL-EXIT complete|truncated|-" (complete: an HTML page that
# ends with </html>).  Run it in the background.
load() {
	local i code rc body=$OMS_DIR/load.$BASHPID.body state
	for ((i = 0; i < $1; i++)); do
		code=$(oms_curl -s --max-time 20 -o "$body" -w '%{http_code}' "$OMS_URL$3")
		rc=$?
		state=-
		if [ "$code" = 200 ]; then
			if tail -c 16 "$body" | grep -q '</html>'; then state=complete; else state=truncated; fi
		fi
		echo "$code $rc $state" >>"$2"
	done
	rm -f "$body"
}

# lines FILE: number of lines in FILE (0 when missing).
lines() {
	if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi
}

# a request marker: rid, method, path, status and duration in the log.
http GET "/customers/1?format=xml"
tap_is "$HTTP_STATUS" 200 "a request is served"
rid=$(http_header X-Request-Id)
tap_like "$rid" '^[0-9a-zA-Z-]{8,64}$' "the response carries an X-Request-Id"
oms_wait 300 grep -q 'GET /customers/1 200' "$OMS_LOG"
line=$(grep 'GET /customers/1 200' "$OMS_LOG" | tail -n 1)
tap_like "$line" ' info \[[0-9]+\] rid=[^ ]+ GET /customers/1 200 [0-9]+B [0-9]+\.[0-9]+ms$' \
    "the log line of a request has rid=, method, path, status, size and duration"
if [ -n "$rid" ]; then
	tap_like "$line" "rid=$rid " "the log's rid= is the response's X-Request-Id"
else
	tap_skip "no X-Request-Id header" "the log's rid= is the response's X-Request-Id"
fi
http GET /no/such/page
oms_wait 300 grep -q 'GET /no/such/page 404' "$OMS_LOG"
tap_file_like "$OMS_LOG" 'rid=[^ ]+ GET /no/such/page 404 [0-9]+B [0-9.]+ms' "a 404 is logged with its status too"

# ------------------------------------------------- kill -9 a worker
workers=$(oms_workers)
tap_is "$(printf '%s\n' "$workers" | wc -l)" 2 "omsd runs 2 workers (workers = 2)"
victim=$(printf '%s\n' "$workers" | head -n 1)
kill -9 "$victim"
oms_wait 300 eval '! kill -0 '"$victim"' 2>/dev/null && [ "$(oms_workers | wc -l)" = 2 ]'
tap_ok $? "after kill -9 of worker $victim the master runs 2 workers again"
oms_workers | grep -qx "$victim"
tap_ok $((!$?)) "the killed worker is not among them"
tap_file_like "$OMS_LOG" "worker $victim died of signal 9" "the log names the killed worker and its signal"
fails=0
for i in $(seq 1 20); do
	http GET /customers
	[ "$HTTP_STATUS" = 200 ] || fails=$((fails + 1))
done
tap_is "$fails" 0 "20 requests after the kill all succeed"
kill -0 "$OMS_PID"
tap_ok $? "the master is alive"

# ------------------------------------------- SIGHUP under load
mark="reload-mark-$RANDOM$RANDOM"
titled=$(grep -l '</title>' "$OMS_XSLT"/pages/*.xsl)
tap_isnt "$titled" "" "a stylesheet writes the <title> (to change before the reload)"
http GET /customers
tap_file_unlike "$HTTP_BODY" "$mark" "before SIGHUP the page does not have the new title text"
before=$(oms_workers)
out=$OMS_DIR/load-hup
: >"$out"
load 150 "$out" /customers &
l1=$!
oms_track "$l1"
load 150 "$out" /customers &
l2=$!
oms_track "$l2"
oms_wait 300 eval '[ "$(lines "$out")" -ge 40 ]'
for f in $titled; do sed -i "s|</title>|$mark</title>|" "$f"; done
kill -HUP "$OMS_PID"
at_hup=$(lines "$out")
wait "$l1" "$l2"
n=$(lines "$out")
tap_is "$n" 300 "300 requests ran across the SIGHUP"
tap_is "$(grep -cv '^200 0 complete$' "$out")" 0 "no request failed or was cut short during the reload" ||
    tap_diag "$(sort "$out" | uniq -c)"
tap_num_ge "$((n - at_hup))" 50 "at least 50 of them ran after the SIGHUP"
oms_wait 300 grep -q 'reload: generation 1 serving' "$OMS_LOG"
tap_ok $? "the log says the new generation is serving"
oms_wait 300 two_new_workers "$before"
tap_ok $? "after SIGHUP there are 2 workers, all new" || tap_diag "before: $before" "now: $(oms_workers)"
http GET /customers
tap_file_like "$HTTP_BODY" "$mark" "after SIGHUP the changed stylesheet is in use"
tap_is "$HTTP_STATUS" 200 "and the page is 200"

# wrk, if there, for a second reload under concurrent load.
if command -v wrk >/dev/null 2>&1; then
	before=$(oms_workers)
	wrk_at=$(oms_log_size)
	wrk -t2 -c8 -d3s -H "Cookie: $(oms_session_cookie)" "$OMS_URL/sites/$(oms_sql 'SELECT MIN(id) FROM sites')/assets" >"$OMS_DIR/wrk.out" 2>&1 &
	w=$!
	oms_track "$w"
	# SIGHUP once wrk's requests are being served (20 of them in the
	# log since it started), not after a guessed time.
	wrk_served() { oms_log_since "$wrk_at" | grep -c " GET /sites/[0-9]*/assets 200 "; }
	oms_wait 300 eval '[ "$(wrk_served)" -ge 20 ] || ! kill -0 '"$w"' 2>/dev/null'
	tap_num_ge "$(wrk_served)" 20 "wrk's requests were being served when the second SIGHUP went"
	kill -HUP "$OMS_PID"
	wait "$w"
	reqs=$(sed -n 's/^ *\([0-9][0-9]*\) requests in.*/\1/p' "$OMS_DIR/wrk.out")
	tap_num_ge "$reqs" 10 "wrk ran requests across a second SIGHUP"
	tap_file_unlike "$OMS_DIR/wrk.out" 'Non-2xx|Socket errors' "wrk saw no error and no non-2xx response" ||
	    tap_diag "$(cat "$OMS_DIR/wrk.out")"
	# wrk counts only 4xx and 5xx as errors: a lost session (303 to
	# the login form) shows in omsd's log.
	tap_file_unlike "$OMS_LOG" ' GET /sites/[0-9]+/assets 303 ' "wrk's requests were served with its session, not sent to log in"
	oms_wait 300 two_new_workers "$before"
	tap_ok $? "after the second SIGHUP there are 2 new workers"
else
	tap_skip "wrk is not installed" "wrk ran requests across a second SIGHUP"
fi

# --------------------------------- SIGHUP with a broken stylesheet
before=$(oms_workers)
cp "$OMS_XSLT/pages/customers.xsl" "$OMS_DIR/customers.xsl.good"
printf '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n<xsl:template match="/"><broken>\n</xsl:stylesheet>\n' \
    >"$OMS_XSLT/pages/customers.xsl"
fails_before=$(grep -c 'reload: the new workers could not start' "$OMS_LOG")
kill -HUP "$OMS_PID"
oms_wait 300 eval '[ "$(grep -c "reload: the new workers could not start" "$OMS_LOG")" -gt '"$fails_before"' ]'
tap_ok $? "SIGHUP with a broken stylesheet: the log says the reload failed"
tap_file_like "$OMS_LOG" 'cannot compile .*customers\.xsl' "the log names the broken stylesheet"
fails=0
for i in $(seq 1 20); do
	http GET /customers
	[ "$HTTP_STATUS" = 200 ] || fails=$((fails + 1))
done
tap_is "$fails" 0 "the old workers go on serving: 20 requests succeed"
tap_file_like "$HTTP_BODY" "$mark" "and they serve with the stylesheets they had"
tap_is "$(oms_workers)" "$before" "the old workers are the ones running"

# --------------------------------- SIGHUP with a broken configuration
cp "$OMS_DIR/customers.xsl.good" "$OMS_XSLT/pages/customers.xsl"
cp "$OMS_CONF" "$OMS_DIR/oms.conf.good"
printf '[server]\nworkers = 2\nno_such_key = 1\n' >>"$OMS_CONF"
kill -HUP "$OMS_PID"
oms_wait 300 grep -q 'reload: .*oms.conf:[0-9]*: .*no_such_key.*keeping the running configuration' "$OMS_LOG"
tap_ok $? "SIGHUP with a bad configuration: the log names file:line and key and keeps the running one" ||
    tap_diag "$(grep reload "$OMS_LOG" | tail -n 3)"
http GET /customers
tap_is "$HTTP_STATUS" 200 "requests still succeed"
tap_is "$(oms_workers)" "$before" "the workers were left alone"
cp "$OMS_DIR/oms.conf.good" "$OMS_CONF"
kill -HUP "$OMS_PID"
oms_wait 300 two_new_workers "$before"
tap_ok $? "once fixed, SIGHUP starts new workers"
http GET /customers
tap_is "$HTTP_STATUS" 200 "and they serve"

# ------------------------------- a second omsd on the same socket
timeout 60 "$OMS_BUILDDIR/omsd" -f "$OMS_CONF" >"$OMS_DIR/second.log" 2>&1
tap_is "$?" 1 "bad: a second omsd on a socket in use exits 1"
tap_file_like "$OMS_DIR/second.log" "another server is listening on $OMS_SOCKET" "bad: and says the socket is in use"
[ -S "$OMS_SOCKET" ]
tap_ok $? "the socket of the running omsd is still there"
http GET /customers
tap_is "$HTTP_STATUS" 200 "the running omsd still serves"

# ---------------------------------------------- SIGTERM under load
workers=$(oms_workers)
out=$OMS_DIR/load-term
: >"$out"
load 100 "$out" /customers &
l1=$!
oms_track "$l1"
load 100 "$out" /customers &
l2=$!
oms_track "$l2"
oms_wait 300 eval '[ "$(lines "$out")" -ge 30 ]'
kill -TERM "$OMS_PID"
oms_wait_exit "$OMS_PID" 300
tap_is "$OMS_EXIT" 0 "SIGTERM: the master exits 0 (its workers drain or are killed after shutdown_timeout = 10 s)"
OMS_PID=
oms_save
tap_ok "$([ -e "$OMS_SOCKET" ] && echo 1 || echo 0)" "SIGTERM: the socket file is removed"
alive=
for p in $workers; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
tap_is "$alive" "" "SIGTERM: the workers are gone"
wait "$l1" "$l2"
tap_is "$(lines "$out")" 200 "the load ran to its end"
tap_is "$(grep -c ' truncated$' "$out")" 0 "SIGTERM: no 200 response was cut short"
tap_is "$(awk '$2 != 0' "$out" | wc -l)" 0 "SIGTERM: every request got a whole response (curl saw no transfer error)" ||
    tap_diag "$(sort "$out" | uniq -c)"
tap_num_ge "$(grep -c '^200 ' "$out")" 30 "requests before the stop succeeded"
tap_is "$(grep -cv '^\(200\|502\) ' "$out")" 0 "every response was 200, or nginx's 502 once omsd was gone" ||
    tap_diag "$(sort "$out" | uniq -c)"
tap_file_like "$OMS_LOG" 'info .*stopped$' "the log says omsd stopped"

# ------------------------------ kill -9 of the master takes workers along
oms_start_omsd
tap_ok $? "omsd starts again on the same socket"
http GET /healthz
tap_is "$HTTP_STATUS" 200 "and serves"
workers=$(oms_workers)
kill -9 "$OMS_PID"
{ wait "$OMS_PID"; } 2>/dev/null
OMS_PID=
oms_save
check_gone() {
	local p
	for p in $workers; do kill -0 "$p" 2>/dev/null && return 1; done
	return 0
}
oms_wait 300 check_gone
tap_ok $? "after kill -9 of the master its workers leave too (no orphans)"

# ------------------------------------------------- bad configuration
bad=$OMS_DIR/bad.conf
printf '# a comment\n[server]\nworkers = 2\nwokers = 3\n' >"$bad"
msg=$("$OMS_BUILDDIR/omsd" -f "$bad" 2>&1)
rc=$?
tap_isnt "$rc" 0 "omsd with an unknown key exits non-zero"
tap_like "$msg" "$bad:4: .*wokers" "omsd names file:line and the key" || tap_diag "$msg"
printf '[server]\nworkers = many\n' >"$bad"
msg=$("$OMS_BUILDDIR/omsd" -f "$bad" 2>&1)
rc=$?
tap_isnt "$rc" 0 "omsd with a bad value exits non-zero"
tap_like "$msg" "$bad:2: .*workers" "omsd names file:line of the bad value" || tap_diag "$msg"
printf '[server\nworkers = 2\n' >"$bad"
msg=$("$OMS_BUILDDIR/omsd" -f "$bad" 2>&1)
rc=$?
tap_isnt "$rc" 0 "omsd with a syntax error exits non-zero"
tap_like "$msg" "$bad:1: " "omsd names file:line of the syntax error" || tap_diag "$msg"
msg=$("$OMS_BUILDDIR/omsd" -f "$OMS_DIR/missing.conf" 2>&1)
rc=$?
tap_isnt "$rc" 0 "omsd with a missing configuration file exits non-zero"
tap_like "$msg" "missing\\.conf" "omsd names the missing file" || tap_diag "$msg"
sed -e "s|^listen = .*|listen = unix:$OMS_DIR/other.sock|" \
    -e "s|^xslt_dir = .*|xslt_dir = $OMS_DIR/no-such-dir|" "$OMS_CONF" >"$bad"
msg=$(timeout 60 "$OMS_BUILDDIR/omsd" -f "$bad" 2>&1)
rc=$?
tap_is "$rc" 1 "omsd whose workers cannot load the stylesheets exits 1"
tap_like "$msg" 'no-such-dir' "and says which stylesheet folder failed" || tap_diag "$msg"
tap_done
