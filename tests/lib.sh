# tests/lib.sh: shared helpers of the bash integration tests.  Source it
# from a bash script (the tests re-exec themselves under bash first):
#
#	. "$OMS_SRCDIR/tests/lib.sh"
#	oms_need curl sqlite3 nginx     # or "1..0 # SKIP" and exit 0
#	oms_start                       # omsd + nginx on a fresh database
#	http GET /customers             # HTTP_STATUS, HTTP_BODY, HTTP_HEADERS
#	tap_is "$HTTP_STATUS" 200 "customers answer"
#	tap_done                        # prints the plan, exit status
#
# TAP: tap_ok RC NAME (RC 0 passes, as a shell status does), tap_cmd
# NAME CMD..., tap_is GOT WANT NAME, tap_isnt, tap_like TEXT ERE NAME,
# tap_unlike, tap_file_like FILE ERE NAME, tap_file_unlike, tap_skip
# REASON NAME, tap_diag TEXT..., tap_done, tap_skip_all REASON,
# tap_bail REASON.  The plan "1..N" is printed at the end; the exit
# status is 1 when a point failed.
#
# The stack: oms_start makes a folder with mktemp -d, writes oms.conf
# (a unix socket in that folder, 2 workers), creates and seeds the
# database with a fixed seed, starts omsd and nginx in the background
# and waits until /healthz answers through nginx.  It exports
#
#	OMS_DIR        the instance folder (removed by oms_stop)
#	OMS_CONF       its oms.conf
#	OMS_DB         the SQLite database
#	OMS_LOG        omsd's log (stderr of the master and the workers)
#	OMS_PID        omsd's master pid
#	OMS_SOCKET     the FastCGI socket path
#	OMS_NGINX_PID  nginx's master pid
#	OMS_NGINX_CONF OMS_NGINX_LOG
#	OMS_PORT       nginx's port on 127.0.0.1
#	OMS_URL        http://127.0.0.1:$OMS_PORT
#	OMS_XSLT       the stylesheet folder omsd reads
#	OMS_JAR        the cookie jar of the session http and oms_curl send
#	               (empty: anonymous)
#
# Settings read by oms_start (set them before calling it):
#	OMS_XSLT_DIR   stylesheets (default $OMS_SRCDIR/xslt)
#	OMS_WORKERS    worker processes (default 2)
#	OMS_SEED_ARGS  seed-demo arguments (default "--customers 6 --seed 42")
#	OMS_CONF_EXTRA extra lines for the [server] section
#	OMS_NO_SEED    1: leave the new database empty (and log no one in)
#	OMS_LOGIN_AS   the demo user to log in as (default admin; none)
#	OMS_BACKEND    sqlite (default) or mariadb (on OMS_MARIADB_SOCKET)
#	OMS_COPY_XSLT  1: copy the stylesheets into the instance folder
#	               first (a test may then edit them)
#
# A second, independent instance: call oms_start again; the variables
# then describe the new one.  oms_use DIR switches them back to an
# instance, oms_stop [DIR] stops one (the current by default), and the
# EXIT trap stops every instance still running, by pid, even when the
# test fails half way.  OMS_KEEP=1 keeps the folders for a post mortem.

# ---------------------------------------------------------------- TAP

TAP_N=0
TAP_FAILED=0

# tap_ok RC NAME: one test point that passes when RC is 0.
tap_ok() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		printf 'ok %d - %s\n' "$TAP_N" "$2"
		return 0
	fi
	printf 'not ok %d - %s\n' "$TAP_N" "$2"
	TAP_FAILED=$((TAP_FAILED + 1))
	return 1
}

# tap_diag TEXT...: diagnostics, one "# " line per line of text.
tap_diag() {
	printf '%s\n' "$*" | sed -e 's/^/# /'
}

# tap_cmd NAME CMD [ARG...]: passes when the command succeeds; its
# output goes to the diagnostics when it fails.
tap_cmd() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	tap_ok "$rc" "$name" || { tap_diag "$* => exit $rc" "$(printf '%s' "$out" | tail -n 20)"; return 1; }
}

# tap_is GOT WANT NAME
tap_is() {
	[ "$1" = "$2" ]
	tap_ok $? "$3" || { tap_diag "   got: '$1'" "  want: '$2'"; return 1; }
}

# tap_isnt GOT UNWANTED NAME
tap_isnt() {
	[ "$1" != "$2" ]
	tap_ok $? "$3" || { tap_diag "   got: '$1'" "  want anything else"; return 1; }
}

# tap_num_ge GOT MIN NAME: GOT is an integer >= MIN.
tap_num_ge() {
	[ -n "$1" ] && [ "$1" -ge "$2" ] 2>/dev/null
	tap_ok $? "$3" || { tap_diag "   got: '$1'" "  want: >= $2"; return 1; }
}

# tap_like TEXT ERE NAME: TEXT matches the extended regular expression.
tap_like() {
	printf '%s' "$1" | grep -Eq -- "$2"
	tap_ok $? "$3" || { tap_diag "  '$(printf '%s' "$1" | head -c 300)'" "  does not match /$2/"; return 1; }
}

# tap_unlike TEXT ERE NAME
tap_unlike() {
	! printf '%s' "$1" | grep -Eq -- "$2"
	tap_ok $? "$3" || { tap_diag "  '$(printf '%s' "$1" | grep -E -- "$2" | head -c 300)'" "  matches /$2/"; return 1; }
}

# tap_file_like FILE ERE NAME
tap_file_like() {
	grep -Eq -- "$2" "$1" 2>/dev/null
	tap_ok $? "$3" || { tap_diag "  $1 does not match /$2/:" "$(head -c 300 "$1" 2>/dev/null)"; return 1; }
}

# tap_file_unlike FILE ERE NAME
tap_file_unlike() {
	! grep -Eq -- "$2" "$1" 2>/dev/null
	tap_ok $? "$3" || { tap_diag "  $1 matches /$2/:" "$(grep -E -- "$2" "$1" | head -n 5)"; return 1; }
}

# tap_skip REASON NAME: a point that cannot be checked here.
tap_skip() {
	TAP_N=$((TAP_N + 1))
	printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "$2" "$1"
}

# tap_done: the plan, then exit 1 when a point failed.
tap_done() {
	printf '1..%d\n' "$TAP_N"
	[ "$TAP_FAILED" -eq 0 ] && exit 0
	tap_diag "$TAP_FAILED of $TAP_N failed"
	exit 1
}

# tap_skip_all REASON: skip the whole test (nothing has been printed).
tap_skip_all() {
	printf '1..0 # SKIP %s\n' "$*"
	exit 0
}

# tap_bail REASON: the test cannot go on.
tap_bail() {
	printf 'Bail out! %s\n' "$*"
	exit 1
}

# ---------------------------------------------------------- the stack

OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
OMS_BUILDDIR=${OMS_BUILDDIR:-$(pwd)}
export OMS_SRCDIR OMS_BUILDDIR
_OMS_INSTANCES=()
_OMS_CHILDREN=()
_OMS_TMPDIRS=()
# The Python with the standard library that Debian ships.
OMS_TEST_PASSWORD=${OMS_TEST_PASSWORD:-test-password-1}
export OMS_TEST_PASSWORD
OMS_PYTHON=/usr/bin/python3
[ -x "$OMS_PYTHON" ] || OMS_PYTHON=python3

# oms_need PROGRAM...: skip the whole test unless every program (a name
# on PATH or a path) is there.  Call it before the first test point.
oms_need() {
	local p
	for p in "$@"; do
		case $p in
		*/*) [ -x "$p" ] || tap_skip_all "$p is missing (build first)" ;;
		*) command -v "$p" >/dev/null 2>&1 || tap_skip_all "$p is not installed" ;;
		esac
	done
}

# oms_need_stack: what oms_start needs.
oms_need_stack() {
	oms_need nginx curl sqlite3 "$OMS_BUILDDIR/omsd" "$OMS_BUILDDIR/omsctl"
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		oms_need mariadb
		[ -S "${OMS_MARIADB_SOCKET:-}" ] ||
		    tap_skip_all "no MariaDB server (./check starts one and sets OMS_MARIADB_SOCKET)"
	fi
}

# The EXIT trap: stop every instance and every helper still running.
_oms_cleanup() {
	local d p
	for p in "${_OMS_CHILDREN[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	for d in "${_OMS_INSTANCES[@]}"; do
		[ -n "$d" ] && oms_stop "$d"
	done
	for d in "${_OMS_TMPDIRS[@]}"; do
		if [ "${OMS_KEEP:-0}" = 1 ]; then echo "# kept $d" >&2; else rm -rf "$d"; fi
	done
}
trap _oms_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# oms_track PID: a background helper the EXIT trap kills if still alive.
oms_track() {
	_OMS_CHILDREN+=("$1")
}

# oms_tmpdir: make a temporary folder (mode 755, removed at exit) and
# set OMS_TMP to it.  Not in $(...): the folder must be recorded here.
oms_tmpdir() {
	local base=${TMPDIR:-/tmp}
	[ "${#base}" -gt 60 ] && base=/tmp
	OMS_TMP=$(mktemp -d "$base/oms-test.XXXXXX") || tap_bail "mktemp failed"
	chmod 755 "$OMS_TMP"
	_OMS_TMPDIRS+=("$OMS_TMP")
}

# oms_sql SQL: run SQL on the current instance's database, read-only.
oms_sql() {
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		# Columns separated by '|', as sqlite3 prints them.
		mariadb --no-defaults -S "$OMS_MARIADB_SOCKET" -uroot -N -B \
		    -D "$OMS_DB" -e "$1" | tr '\t' '|'
	else
		sqlite3 -batch -noheader -readonly "$OMS_DB" "$1"
	fi
}

# oms_sql_write SQL: run SQL on the current instance's database with
# write access, as an administrator would by hand (to age a session,
# tamper with a record, clear counters); prints rows like oms_sql.
oms_sql_write() {
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		mariadb --no-defaults -S "$OMS_MARIADB_SOCKET" -uroot -N -B \
		    -D "$OMS_DB" -e "$1" | tr '\t' '|'
	else
		sqlite3 -batch -noheader -cmd '.timeout 10000' "$OMS_DB" "$1"
	fi
}

# oms_integrity: "ok" when the database's own consistency check passes.
oms_integrity() {
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		oms_sql "CHECK TABLE customers, sites, cost_centres, products, assets" |
		    awk -F'|' '$3 == "status" && $4 != "OK" {bad = 1} END {print bad ? "bad" : "ok"}'
	else
		oms_sql 'PRAGMA integrity_check'
	fi
}

# oms_mariadb_admin SQL: run SQL as root on the test MariaDB server.
oms_mariadb_admin() {
	mariadb --no-defaults -S "$OMS_MARIADB_SOCKET" -uroot -N -B -e "$1"
}

# oms_ctl ARG...: omsctl on the current instance's configuration.
oms_ctl() {
	"$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" "$@"
}

# oms_use DIR: make DIR's instance the current one.
oms_use() {
	# shellcheck disable=SC1091
	. "$1/env"
}

# _oms_pid_wait PID TENTHS: wait up to TENTHS/10 s for PID to go away,
# then reap it when it is our child.  Returns 1 if it is still there.
_oms_pid_wait() {
	local i=0
	while kill -0 "$1" 2>/dev/null && [ "$i" -lt "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$1" 2>/dev/null && return 1
	wait "$1" 2>/dev/null
	return 0
}

# oms_wait_exit PID TENTHS: wait for PID (a child of this shell) to exit
# within TENTHS/10 s; sets OMS_EXIT to its exit status, or "timeout".
# Not in $(...): a subshell cannot wait for its parent's children.
oms_wait_exit() {
	local i=0
	while kill -0 "$1" 2>/dev/null && [ "$i" -lt "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		OMS_EXIT=timeout
		return 1
	fi
	wait "$1" 2>/dev/null
	OMS_EXIT=$?
	export OMS_EXIT
}

# oms_stop_omsd: stop the current instance's omsd (SIGTERM, then SIGKILL
# after 30 s) and wait for it.
oms_stop_omsd() {
	[ -n "${OMS_PID:-}" ] || return 0
	if kill "$OMS_PID" 2>/dev/null; then
		_oms_pid_wait "$OMS_PID" 300 || {
			kill -9 "$OMS_PID" 2>/dev/null
			_oms_pid_wait "$OMS_PID" 50
		}
	else
		wait "$OMS_PID" 2>/dev/null
	fi
	rm -f "$OMS_DIR/omsd.pid"
}

# oms_wait TENTHS CMD [ARG...]: run CMD every tenth of a second until it
# succeeds; 1 when it has not within TENTHS/10 s.
oms_wait() {
	local n=$1 i=0
	shift
	until "$@"; do
		i=$((i + 1))
		[ "$i" -ge "$n" ] && return 1
		sleep 0.1
	done
}

# oms_log_since OFFSET: the current instance's omsd log from byte
# OFFSET on (what was written since a size taken with oms_log_size).
oms_log_since() {
	tail -c +"$(($1 + 1))" "$OMS_LOG" 2>/dev/null
}

# oms_log_size: the size of the current instance's omsd log in bytes
# (0 when there is none yet).
oms_log_size() {
	local n
	n=$(stat -c %s "$OMS_LOG" 2>/dev/null)
	echo "${n:-0}"
}

# oms_healthz_fcgi: 0 when omsd answers /healthz on its FastCGI socket,
# through nginx when the instance's nginx runs, else straight with
# cgi-fcgi (when it is not installed: when the socket exists).  Either
# answer counts, 200 ok or a 503 (the database is down): omsd answered.
oms_healthz_fcgi() {
	local s
	if [ -n "${OMS_NGINX_PID:-}" ] && kill -0 "$OMS_NGINX_PID" 2>/dev/null &&
	    [ -n "${OMS_URL:-}" ]; then
		s=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$OMS_URL/healthz")
		[ "$s" = 200 ] || [ "$s" = 503 ]
	elif command -v cgi-fcgi >/dev/null 2>&1; then
		REQUEST_METHOD=GET DOCUMENT_URI=/healthz SCRIPT_NAME=/healthz \
		    REQUEST_URI=/healthz QUERY_STRING= \
		    timeout 10 cgi-fcgi -bind -connect "$OMS_SOCKET" 2>/dev/null |
		    grep -Eq '^Status: (200|503)'
	else
		[ -S "$OMS_SOCKET" ]
	fi
}

# _oms_omsd_ready OFFSET: 0 when the omsd started as OMS_PID serves:
# its master logged "listening on" (which it does once its workers are
# ready) after byte OFFSET of the log, the socket is there, and
# /healthz answers through it.  A line of an earlier start in the same
# log never counts: it is before OFFSET and names another pid.
_oms_omsd_ready() {
	oms_log_since "$1" | grep -Eq "\\[$OMS_PID\\] omsd .* listening on " &&
	    [ -S "$OMS_SOCKET" ] && oms_healthz_fcgi
}

# oms_start_omsd: start omsd for the current instance and wait (60 s at
# most) until this start serves, as _oms_omsd_ready says; 1 (with the
# log in the diagnostics) when it died or did not get there.
oms_start_omsd() {
	local i=0 from
	from=$(oms_log_size)
	"$OMS_BUILDDIR/omsd" -f "$OMS_CONF" >>"$OMS_LOG" 2>&1 </dev/null &
	OMS_PID=$!
	echo "$OMS_PID" >"$OMS_DIR/omsd.pid"
	_oms_write_env
	until _oms_omsd_ready "$from"; do
		if ! kill -0 "$OMS_PID" 2>/dev/null || [ "$i" -ge 600 ]; then
			tap_diag "omsd did not start:" "$(oms_log_since "$from" | tail -n 20)"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# oms_save: record the current instance's variables (after changing
# OMS_PID, say) so that oms_use and oms_stop see them.
oms_save() {
	_oms_write_env
}

# Write the instance's variables to DIR/env for oms_use.
_oms_write_env() {
	local v
	: >"$OMS_DIR/env"
	for v in OMS_DIR OMS_CONF OMS_DB OMS_LOG OMS_PID OMS_SOCKET OMS_XSLT \
	    OMS_BACKEND OMS_MARIADB_SOCKET OMS_JAR \
	    OMS_NGINX_PID OMS_NGINX_CONF OMS_NGINX_LOG OMS_PORT OMS_URL; do
		printf 'export %s=%q\n' "$v" "${!v:-}" >>"$OMS_DIR/env"
	done
}

# _oms_port_busy PORT: 0 when something already listens there.
_oms_port_busy() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# oms_start_nginx: start nginx for the current instance on a free port
# and wait until /healthz answers through it.
oms_start_nginx() {
	local port i
	OMS_NGINX_CONF=$OMS_DIR/nginx.conf
	OMS_NGINX_LOG=$OMS_DIR/nginx/err.log
	mkdir -p "$OMS_DIR/nginx"
	port=$((20000 + RANDOM % 20000))
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		port=$((port + 1 + RANDOM % 50))
		[ "$port" -gt 40000 ] && port=$((20000 + RANDOM % 1000))
		_oms_port_busy "$port" && continue
		sed -e "s|@PREFIX@|$OMS_DIR/nginx|g" -e "s|@PORT@|$port|g" \
		    -e "s|@SOCKET@|unix:$OMS_SOCKET|g" \
		    -e "s|@WWW@|$OMS_SRCDIR/www|g" \
		    "$OMS_SRCDIR/www/nginx.conf.in" >"$OMS_NGINX_CONF"
		: >"$OMS_NGINX_LOG"
		rm -f "$OMS_DIR/nginx/nginx.pid"
		nginx -p "$OMS_DIR/nginx" -c "$OMS_NGINX_CONF" -e "$OMS_NGINX_LOG" \
		    </dev/null >>"$OMS_DIR/nginx/stdout.log" 2>&1 &
		OMS_NGINX_PID=$!
		OMS_PORT=$port
		OMS_URL=http://127.0.0.1:$port
		_oms_write_env
		# Ready when nginx has written its pid file (it does so only
		# once it holds its port: an answer on the port before that
		# may come from another test's nginx that took the port
		# first) and /healthz answers ok through it.
		i=0
		while [ "$i" -lt 300 ]; do
			if ! kill -0 "$OMS_NGINX_PID" 2>/dev/null; then
				wait "$OMS_NGINX_PID" 2>/dev/null
				break
			fi
			if [ "$(cat "$OMS_DIR/nginx/nginx.pid" 2>/dev/null)" = "$OMS_NGINX_PID" ] &&
			    [ "$(curl -s --max-time 5 "$OMS_URL/healthz" 2>/dev/null)" = ok ]; then
				echo "$OMS_NGINX_PID" >"$OMS_DIR/nginx.pid"
				return 0
			fi
			sleep 0.1
			i=$((i + 1))
		done
		# Lost a race for the port: try another.
		if ! kill -0 "$OMS_NGINX_PID" 2>/dev/null &&
		    grep -q 'in use' "$OMS_NGINX_LOG" "$OMS_DIR/nginx/stdout.log" 2>/dev/null; then
			continue
		fi
		break
	done
	tap_diag "nginx did not answer /healthz on port ${OMS_PORT:-?}:" \
	    "$(tail -n 10 "$OMS_NGINX_LOG" "$OMS_DIR/nginx/stdout.log" 2>/dev/null)" \
	    "$(tail -n 10 "$OMS_LOG")"
	return 1
}

# oms_stop_nginx: stop the current instance's nginx by its pid.
oms_stop_nginx() {
	[ -n "${OMS_NGINX_PID:-}" ] || return 0
	if kill "$OMS_NGINX_PID" 2>/dev/null; then
		_oms_pid_wait "$OMS_NGINX_PID" 100 || {
			kill -9 "$OMS_NGINX_PID" 2>/dev/null
			_oms_pid_wait "$OMS_NGINX_PID" 50
		}
	fi
	rm -f "$OMS_DIR/nginx.pid"
}

# oms_pdf_renderer: the PDF renderer of this build
# (src/cmd/oms-render-pdf.c), for OMS_PDF_RENDERER.
oms_pdf_renderer() {
	echo "$OMS_BUILDDIR/oms-render-pdf"
}

# oms_write_conf FILE: oms.conf for the current instance.
oms_write_conf() {
	cat >"$1" <<CONF
# Written by tests/lib.sh.
[server]
listen = unix:$OMS_SOCKET
workers = ${OMS_WORKERS:-2}
xslt_dir = $OMS_XSLT
shutdown_timeout = 10
log_level = info
${OMS_CONF_EXTRA:-}

[billing]
# PDFs of issued invoices: none unless a test asks (OMS_PDF_RENDERER,
# oms_pdf_renderer below), as Chromium is slow to start.
pdf_renderer = ${OMS_PDF_RENDERER:-}

CONF
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		cat >>"$1" <<CONF
[store]
backend = mariadb
socket = $OMS_MARIADB_SOCKET
database = $OMS_DB
user = root
password_env = OMS_TEST_NO_PASSWORD
busy_timeout_ms = 5000
CONF
	else
		cat >>"$1" <<CONF
[store]
backend = sqlite
path = $OMS_DB
CONF
	fi
}

# oms_start: a new instance, the current one from now on.  Bails out
# (after stopping what it started) when something does not start.
oms_start() {
	local base=${TMPDIR:-/tmp} dir
	# A unix socket path must fit in sun_path (108 bytes).
	[ "${#base}" -gt 60 ] && base=/tmp
	dir=$(mktemp -d "$base/oms-test.XXXXXX") || tap_bail "mktemp failed"
	# nginx's workers run as nobody when it runs as root: they must
	# reach the socket in this folder.
	chmod 755 "$dir"
	_OMS_INSTANCES+=("$dir")
	OMS_DIR=$dir
	OMS_CONF=$dir/oms.conf
	OMS_BACKEND=${OMS_BACKEND:-sqlite}
	if [ "$OMS_BACKEND" = mariadb ]; then
		# A database of its own on the shared test server.
		OMS_DB=oms_t_$(basename "$dir" | tr -c 'A-Za-z0-9\n' _)
		oms_mariadb_admin "CREATE DATABASE \`$OMS_DB\` CHARACTER SET utf8mb4" ||
		    tap_bail "cannot create database $OMS_DB"
	else
		OMS_DB=$dir/oms.db
	fi
	OMS_LOG=$dir/omsd.log
	OMS_SOCKET=$dir/omsd.sock
	OMS_PID='' OMS_NGINX_PID='' OMS_PORT='' OMS_URL=''
	OMS_NGINX_CONF=$dir/nginx.conf OMS_NGINX_LOG=$dir/nginx/err.log
	export OMS_DIR OMS_CONF OMS_DB OMS_LOG OMS_PID OMS_SOCKET OMS_NGINX_PID OMS_BACKEND \
	    OMS_NGINX_CONF OMS_NGINX_LOG OMS_PORT OMS_URL
	if [ "${OMS_COPY_XSLT:-0}" = 1 ]; then
		cp -R "${OMS_XSLT_DIR:-$OMS_SRCDIR/xslt}" "$dir/xslt" || tap_bail "cannot copy the stylesheets"
		OMS_XSLT=$dir/xslt
	else
		OMS_XSLT=${OMS_XSLT_DIR:-$OMS_SRCDIR/xslt}
	fi
	export OMS_XSLT
	_oms_write_env
	oms_write_conf "$OMS_CONF"
	# shellcheck disable=SC2086
	if ! oms_ctl init >"$dir/init.log" 2>&1 ||
	    { [ "${OMS_NO_SEED:-0}" != 1 ] &&
	    ! echo "$OMS_TEST_PASSWORD" | oms_ctl seed-demo ${OMS_SEED_ARGS:---customers 6 --seed 42} \
	    --demo-users >>"$dir/init.log" 2>&1; }; then
		tap_diag "$(cat "$dir/init.log")"
		tap_bail "omsctl init/seed-demo failed"
	fi
	oms_start_omsd || tap_bail "omsd did not start (stylesheets in ${OMS_XSLT_DIR:-$OMS_SRCDIR/xslt}?)"
	oms_start_nginx || tap_bail "nginx did not start"
	export OMS_PID OMS_NGINX_PID OMS_PORT OMS_URL
	OMS_JAR=
	_oms_write_env
	# Tests act as the operator's admin unless they log in as another
	# user (OMS_LOGIN_AS=none: stay anonymous).
	if [ "${OMS_NO_SEED:-0}" != 1 ] && [ "${OMS_LOGIN_AS:-admin}" != none ]; then
		oms_login "${OMS_LOGIN_AS:-admin}" || tap_bail "cannot log in as ${OMS_LOGIN_AS:-admin}"
	fi
}

# oms_login_form JAR: open the login form as a browser does, with the
# cookie jar JAR (read when it exists, written): the jar then holds the
# oms_login pre-session cookie; prints the form's hidden csrf field,
# which a POST /login must send with that cookie (empty when none).
oms_login_form() {
	curl -s --max-time 60 -b "$1" -c "$1" "$OMS_URL/login" |
	    sed -n 's/.*<input type="hidden" name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1
}

# oms_login USER [PASSWORD]: log in through nginx as USER (the demo
# users admin, vendor, finance, customer have $OMS_TEST_PASSWORD) and
# make its session the one http and oms_curl send (cookie jar in
# OMS_JAR).  Returns non-zero when the login is refused.
oms_login() {
	local jar=$OMS_DIR/cookies.$1 status tok
	rm -f "$jar"
	tok=$(oms_login_form "$jar")
	status=$(curl -s --max-time 60 -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
	    -H "Origin: $OMS_URL" --data-urlencode "csrf=$tok" \
	    --data-urlencode "login=$1" --data-urlencode "password=${2:-$OMS_TEST_PASSWORD}" \
	    "$OMS_URL/login")
	[ "$status" = 303 ] || return 1
	OMS_JAR=$jar
	export OMS_JAR
	_oms_write_env
}

# oms_anonymous: forget the current session (requests go anonymous).
oms_anonymous() {
	OMS_JAR=
	export OMS_JAR
	_oms_write_env
}

# oms_curl ARGS...: curl with the current session's cookie.
oms_curl() {
	curl ${OMS_JAR:+-b "$OMS_JAR"} "$@"
}

# oms_session_cookie: "oms_session=..." of the current session.
oms_session_cookie() {
	[ -n "${OMS_JAR:-}" ] && [ -f "$OMS_JAR" ] || return 0
	awk '$6 == "oms_session" {print "oms_session=" $7}' "$OMS_JAR" 2>/dev/null
}

# oms_stop [DIR]: stop an instance (the current one by default) by its
# pids and remove its folder.
oms_stop() {
	local dir=${1:-${OMS_DIR:-}} i
	[ -n "$dir" ] && [ -f "$dir/env" ] || return 0
	# The current instance's variables may be newer than its env file
	# (a test that restarted omsd by hand); another's are in the file.
	[ "$dir" = "${OMS_DIR:-}" ] || oms_use "$dir"
	oms_stop_nginx
	oms_stop_omsd
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ] && [ "${OMS_KEEP:-0}" != 1 ]; then
		oms_mariadb_admin "DROP DATABASE IF EXISTS \`$OMS_DB\`" >/dev/null 2>&1
	fi
	for i in "${!_OMS_INSTANCES[@]}"; do
		[ "${_OMS_INSTANCES[$i]}" = "$dir" ] && unset "_OMS_INSTANCES[$i]"
	done
	if [ "${OMS_KEEP:-0}" = 1 ]; then
		echo "# kept $dir" >&2
	else
		rm -rf "$dir"
	fi
}

# ---------------------------------------------------------- HTTP

# http METHOD PATH [CURL-ARG...]: one request to the current instance.
# Sets HTTP_STATUS (000 when there was no answer), HTTP_BODY (a file
# holding the body) and HTTP_HEADERS (a file holding the headers), and
# appends "STATUS METHOD PATH" to $OMS_DIR/http.log.  A request other
# than GET and HEAD says it comes from this site (Origin: $OMS_URL), as
# a browser's form does, unless the arguments set Origin or Referer
# themselves: -H 'Origin:' sends neither.
http() {
	local method=$1 path=$2 a from=1
	shift 2
	if [ "$method" != GET ] && [ "$method" != HEAD ]; then
		for a in "$@"; do
			case $a in [Oo][Rr][Ii][Gg][Ii][Nn]:* | [Rr][Ee][Ff][Ee][Rr][Ee][Rr]:*) from=0 ;; esac
		done
		[ "$from" = 1 ] && set -- -H "Origin: $OMS_URL" "$@"
	fi
	HTTP_BODY=$OMS_DIR/http.body
	HTTP_HEADERS=$OMS_DIR/http.headers
	: >"$HTTP_BODY"
	: >"$HTTP_HEADERS"
	if [ "$method" = HEAD ]; then
		# curl -I reads no body (and would write the headers to -o).
		HTTP_STATUS=$(curl -s --max-time 30 ${OMS_JAR:+-b "$OMS_JAR"} -I -o /dev/null -D "$HTTP_HEADERS" \
		    -w '%{http_code}' "$@" "$OMS_URL$path")
	else
		HTTP_STATUS=$(curl -s --max-time 30 ${OMS_JAR:+-b "$OMS_JAR"} -X "$method" -o "$HTTP_BODY" \
		    -D "$HTTP_HEADERS" -w '%{http_code}' "$@" "$OMS_URL$path")
	fi
	HTTP_STATUS=${HTTP_STATUS:-000}
	printf '%s %s %s\n' "$HTTP_STATUS" "$method" "$path" >>"$OMS_DIR/http.log"
}

# http_header NAME: the value of a header of the last response (the
# last one of that name), without the CR.
http_header() {
	grep -i "^$1:" "$HTTP_HEADERS" | tail -n 1 | sed -e 's/^[^:]*:[[:space:]]*//' -e 's/\r$//'
}

# http_body: the body of the last response.
http_body() {
	cat "$HTTP_BODY"
}

# oms_xpath FILE XPATH: the string value of an XPath over an XML file.
oms_xpath() {
	xmllint --nonet --xpath "$2" "$1" 2>/dev/null
}

# oms_xml_wellformed FILE: 0 when FILE is well-formed XML.
oms_xml_wellformed() {
	xmllint --noout --nonet "$1" 2>/dev/null
}

# oms_urlencode TEXT: percent-encode TEXT for a query value.
oms_urlencode() {
	"$OMS_PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}

# oms_workers: the pids of omsd's workers, one a line, sorted.
oms_workers() {
	pgrep -P "$OMS_PID" | sort -n
}

# oms_html FILE MODE [ARG]: look into an HTML page with a real parser
# (Python's html.parser: entities decoded, attributes unquoted as a
# browser would).  Modes:
#	hrefs        every <a href>, one a line
#	text         the text content (not of script or style), one line
#	             per text node
#	value NAME   the value of the first <input name=NAME>; exit 1 when
#	             there is none
#	danger       anything that would run script: an event handler
#	             attribute, a javascript: URL, a <script> that is not
#	             an empty one from /static/, an <iframe>, <object>,
#	             <embed>, <img>, <svg>, or <base>; one a line
#	title        the <title> text
oms_html() {
	"$OMS_PYTHON" - "$@" <<'PY'
import signal, sys
from html.parser import HTMLParser

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # "| grep -q" may stop reading

path, mode = sys.argv[1], sys.argv[2]
arg = sys.argv[3] if len(sys.argv) > 3 else None

class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.texts, self.values, self.danger = [], [], {}, []
        self.title, self.stack, self.in_title = "", [], False
        self.script_static = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(a["href"])
        if tag == "input" and a.get("name") is not None:
            self.values.setdefault(a["name"], a.get("value") or "")
        for k, v in attrs:
            if k.startswith("on"):
                self.danger.append("attribute %s=%r on <%s>" % (k, v, tag))
            if (k in ("href", "src", "action", "formaction", "xlink:href", "data")
                    and v and v.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html"))):
                self.danger.append("URL %s=%r on <%s>" % (k, v, tag))
        if tag in ("iframe", "object", "embed", "img", "svg", "base", "frame"):
            self.danger.append("element <%s %s>" % (tag, attrs))
        if tag == "script":
            src = a.get("src") or ""
            if not src.startswith("/static/"):
                self.danger.append("script %r" % (attrs,))
            self.script_static = src
        if tag == "title":
            self.in_title = True
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "script":
            self.script_static = None
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.script_static is not None:
            if data.strip():
                self.danger.append("inline script text %r" % data[:80])
            return
        if self.stack and self.stack[-1] == "style":
            return
        if self.in_title:
            self.title += data
        if data.strip():
            self.texts.append(data)

p = P()
with open(path, encoding="utf-8", errors="replace") as f:
    p.feed(f.read())
p.close()
out = []
if mode == "hrefs":
    out = p.hrefs
elif mode == "text":
    out = p.texts
elif mode == "value":
    if arg not in p.values:
        sys.exit(1)
    out = [p.values[arg]]
elif mode == "danger":
    out = p.danger
elif mode == "title":
    out = [p.title]
else:
    sys.exit("oms_html: unknown mode " + mode)
for line in out:
    print(line.replace("\n", " "))
PY
}
