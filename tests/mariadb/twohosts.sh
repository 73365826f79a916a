#!/bin/sh
# twohosts.sh: two omsd "hosts" (separate processes, sockets, logs) on
# one MariaDB database behind one nginx upstream, as docs/multi-host.md
# describes: requests are shared between them, both answer alike, and
# when one host stops the other carries on with no failed request.
# (Gapless numbering from several hosts at once: tests/unit/test_numbers.)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$OMS_SRCDIR/tests/lib.sh"
OMS_BACKEND=mariadb oms_need_stack
OMS_SEED_ARGS="--customers 2 --sites 3 --assets 40 --seed 31"
OMS_BACKEND=mariadb oms_start
a_pid=$OMS_PID
a_log=$OMS_LOG

# Host B: the same configuration but its own socket and log.
b_conf=$OMS_DIR/b.conf
b_log=$OMS_DIR/b.log
sed "s|^listen = .*|listen = unix:$OMS_DIR/b.sock|" "$OMS_CONF" >"$b_conf"
"$OMS_BUILDDIR/omsd" -f "$b_conf" >>"$b_log" 2>&1 </dev/null &
b_pid=$!
oms_track "$b_pid"
# Ready when B's master (by pid) has logged that it listens (its
# workers are ready) and /healthz answers on its socket.
b_ready() {
	grep -Eq "\\[$b_pid\\] omsd .* listening on " "$b_log" 2>/dev/null &&
	    [ -S "$OMS_DIR/b.sock" ] || return 1
	command -v cgi-fcgi >/dev/null || return 0
	REQUEST_METHOD=GET DOCUMENT_URI=/healthz SCRIPT_NAME=/healthz QUERY_STRING= \
	    timeout 10 cgi-fcgi -bind -connect "$OMS_DIR/b.sock" 2>/dev/null | grep -q '^Status: 200'
}
i=0
until b_ready; do
	i=$((i + 1))
	[ $i -lt 600 ] && kill -0 "$b_pid" 2>/dev/null || tap_bail "host B did not start: $(tail -n 5 "$b_log")"
	sleep 0.1
done

# One nginx in front of both, from the shipped template, on a free
# port.  Ready when it has written its pid file (it does once it holds
# the port: an answer before that may come from another test's server
# that took the port first) and /healthz answers through it; a port
# lost to another server is retried on the next.
up_ready() {
	[ "$(cat "$OMS_DIR/up/nginx.pid" 2>/dev/null)" = "$up_pid" ] &&
	    [ "$(curl -s --max-time 5 "$up/healthz")" = ok ]
}
mkdir -p "$OMS_DIR/up"
port=$((20000 + RANDOM % 20000))
up_pid=
for _ in 1 2 3 4 5 6 7 8 9 10; do
	port=$((port + 1 + RANDOM % 50))
	[ "$port" -gt 40000 ] && port=$((20000 + RANDOM % 1000))
	_oms_port_busy "$port" && continue
	sed -e "s|@PREFIX@|$OMS_DIR/up|g" -e "s|@PORT@|$port|g" \
	    -e "s|@SOCKET@|oms_hosts|g" -e "s|@WWW@|$OMS_SRCDIR/www|g" \
	    -e "s|^http {|http {\n\tupstream oms_hosts {\n\t\tserver unix:$OMS_SOCKET;\n\t\tserver unix:$OMS_DIR/b.sock;\n\t}\n\tfastcgi_next_upstream error timeout;|" \
	    "$OMS_SRCDIR/www/nginx.conf.in" >"$OMS_DIR/up.conf"
	rm -f "$OMS_DIR/up/nginx.pid"
	: >"$OMS_DIR/up/err.log"
	nginx -p "$OMS_DIR/up" -c "$OMS_DIR/up.conf" -e "$OMS_DIR/up/err.log" </dev/null >/dev/null 2>&1 &
	up_pid=$!
	oms_track "$up_pid"
	up=http://127.0.0.1:$port
	i=0
	until up_ready; do
		i=$((i + 1))
		kill -0 "$up_pid" 2>/dev/null && [ $i -lt 300 ] || break
		sleep 0.1
	done
	up_ready && break
	kill "$up_pid" 2>/dev/null
	wait "$up_pid" 2>/dev/null
	grep -q 'in use' "$OMS_DIR/up/err.log" || tap_bail "the upstream nginx did not answer: $(tail -n 5 "$OMS_DIR/up/err.log")"
	up_pid=
done
[ -n "$up_pid" ] || tap_bail "no free port for the upstream nginx"

count() { grep -c ' GET /sites/' "$1"; }
a0=$(count "$a_log")
b0=$(count "$b_log")
fail=0
for i in $(seq 200); do
	s=$(oms_curl -s -o /dev/null -w '%{http_code}' "$up/sites/$((i % 6 + 1))/assets?per=10&page=$((i % 3 + 1))")
	[ "$s" = 200 ] || fail=$((fail + 1))
done
tap_is "$fail" 0 "200 requests through the upstream: none failed"
a1=$(( $(count "$a_log") - a0 ))
b1=$(( $(count "$b_log") - b0 ))
tap_num_ge "$a1" 1 "host A served some of them ($a1)"
tap_num_ge "$b1" 1 "host B served some of them ($b1)"
tap_is "$((a1 + b1))" 200 "and together all 200"

# Both hosts give the same document for the same question.
# The session lives in the database: host B knows the cookie host A's
# login made.
oms_curl -s -o "$OMS_DIR/a.xml" "$OMS_URL/sites/2/assets?format=xml&per=500"
REQUEST_METHOD=GET DOCUMENT_URI=/sites/2/assets QUERY_STRING='format=xml&per=500' \
    HTTP_COOKIE="$(oms_session_cookie)" cgi-fcgi -bind -connect "$OMS_DIR/b.sock" 2>/dev/null | sed '1,/^\r$/d' >"$OMS_DIR/b.xml"
if command -v cgi-fcgi >/dev/null; then
	grep -q '<asset ' "$OMS_DIR/a.xml" && cmp -s "$OMS_DIR/a.xml" "$OMS_DIR/b.xml"
	tap_ok $? "host B answers exactly as host A (the same session, the same asset list)"
else
	tap_skip "cgi-fcgi is missing" "host B answers exactly as host A"
fi

# Numbered records from both hosts at once: two clients create 15
# accounts each through the upstream; every creation appends an audit
# record numbered from one gapless series.  All 30 must exist, the
# numbers must run without a gap or a repeat, the chain must hold, and
# both hosts must have taken some of the writes.
csrf=$(oms_curl -s "$up/customers?format=xml" | sed -n 's/.*<session [^>]*csrf="\([^"]*\)".*/\1/p')
tap_like "$csrf" '^[A-Za-z0-9_-]{43}$' "the session's form token, through the upstream"
audit0=$(oms_sql "SELECT COUNT(*) FROM audit_log")
users0=$(oms_sql "SELECT COUNT(*) FROM users")
create() {
	local i s bad=0
	for i in $(seq 15); do
		s=$(oms_curl -s -o /dev/null -w '%{http_code}' \
		    -H "Origin: $up" \
		    --data-urlencode "csrf=$csrf" --data-urlencode "login=host$1user$i" \
		    --data-urlencode "name=User $1 $i" --data-urlencode "email=u$1$i@example.com" \
		    --data-urlencode "role=vendor" --data-urlencode "organisation=Vendor" \
		    --data-urlencode "password=a long enough password $1 $i" "$up/admin/users")
		[ "$s" = 303 ] || bad=$((bad + 1))
	done
	echo "$bad" >"$OMS_DIR/create.$1"
}
create x &
cx=$!
create y &
cy=$!
wait "$cx" "$cy"
tap_is "$(cat "$OMS_DIR/create.x")/$(cat "$OMS_DIR/create.y")" "0/0" \
    "30 accounts created at once from two clients: every one answered 303"
tap_is "$(oms_sql "SELECT COUNT(*) FROM users")" "$((users0 + 30))" "all 30 accounts exist"
tap_is "$(oms_sql "SELECT COUNT(*), MIN(id), MAX(id), COUNT(DISTINCT id) FROM audit_log")" \
    "$((audit0 + 30))|1|$((audit0 + 30))|$((audit0 + 30))" \
    "the audit records are numbered 1..N: unique and without a gap"
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 0 "the audit chain holds across both hosts" || tap_diag "$out"
tap_num_ge "$(grep -c 'POST /admin/users 303' "$a_log")" 1 "host A took some of the writes"
tap_num_ge "$(grep -c 'POST /admin/users 303' "$b_log")" 1 "host B took some of the writes"

# Host A stops (as for an upgrade): the upstream goes on through B.
kill "$a_pid"
oms_wait_exit "$a_pid" 300
fail=0
for i in $(seq 50); do
	s=$(oms_curl -s -o /dev/null -w '%{http_code}' "$up/sites/$((i % 6 + 1))/assets")
	[ "$s" = 200 ] || fail=$((fail + 1))
done
tap_is "$fail" 0 "with host A stopped, 50 more requests: none failed"
tap_num_ge "$(( $(count "$b_log") - b0 - b1 ))" 50 "host B served them"
kill "$up_pid" "$b_pid" 2>/dev/null
wait "$up_pid" "$b_pid" 2>/dev/null
tap_done
