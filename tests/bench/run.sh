#!/bin/bash
# tests/bench/run.sh: the page benchmark.  Prints figures; asserts
# nothing about time (these machines are shared and noisy).
#
# For each backend (SQLite, then MariaDB on a throw-away server of its
# own when mariadbd is installed), in one run: seeds a database of 1,000
# sites with 200 assets each (10 customers x 100 sites), starts nginx
# and omsd, and measures with wrk /healthz, a static file from nginx,
# and the site asset query of a 200-asset site as HTML and as XML.  For
# each: requests/s (median of three runs), p50 and p99 latency of the
# median run.  Then the ratio of the asset page to /healthz, worker RSS
# before and after 100,000 asset-page requests, the ratio of MariaDB to
# SQLite on the asset page, and instructions a request from callgrind
# (a repeatable count, unlike seconds) on SQLite.  The asset pages are
# asked for with the session of the demo admin that oms_start logs in
# (one login, its cookie passed to wrk); /healthz and the static file
# without a cookie, as before.
#
#   tests/bench/run.sh [--quick]     --quick: 3 s runs, 20,000 requests
#   tests/bench/run.sh --callgrind   only the instruction counts (the
#                                    repeatable figures, for a before/after)
#
# Environment: OMS_BUILDDIR (default ./build), BENCH_CONNECTIONS (32),
# BENCH_SECONDS (10).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
OMS_BUILDDIR=${OMS_BUILDDIR:-$OMS_SRCDIR/build}
export OMS_SRCDIR OMS_BUILDDIR
. "$OMS_SRCDIR/tests/lib.sh"
. "$OMS_SRCDIR/tests/mariadb-server.sh"

conns=${BENCH_CONNECTIONS:-32}
secs=${BENCH_SECONDS:-10}
soak=100000
only_callgrind=0
if [ "${1:-}" = --quick ]; then
	secs=3
	soak=20000
elif [ "${1:-}" = --callgrind ]; then
	only_callgrind=1
fi
for t in wrk curl nginx; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done

declare -A RPS

# bench_backend: seed, start and measure the backend in OMS_BACKEND.
bench_backend() {
BACKEND=$OMS_BACKEND
echo "-- backend: $BACKEND"
OMS_SEED_ARGS="--customers 10 --sites 100 --assets 200 --seed 7"
OMS_WORKERS=${OMS_WORKERS:-0}
t0=$(date +%s.%N)
oms_start >/dev/null
t1=$(date +%s.%N)
sites=$(oms_sql "SELECT COUNT(*) FROM sites")
assets=$(oms_sql "SELECT COUNT(*) FROM assets")
site=$(oms_sql "SELECT site_id FROM assets GROUP BY site_id HAVING COUNT(*) = 200 ORDER BY site_id LIMIT 1")
printf 'database: %s sites, %s assets; init+seed+start %.1f s\n' "$sites" "$assets" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"
workers() { pgrep -P "$OMS_PID" | tr '\n' ' '; }
rss() {
	local total=0 p kb
	for p in $(workers); do
		kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null)
		total=$((total + ${kb:-0}))
		printf '%s=%sKiB ' "$p" "${kb:-?}"
	done
}

# run NAME URL [WRK-ARG...]: three wrk runs; prints the median's figures
# and sets RPS.
run() {
	local name=$1 url=$2 i out r p50 p99 lines=()
	shift 2
	for i in 1 2 3; do
		out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url" 2>&1)
		r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
		p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
		p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
		bad=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
		lines+=("$r $p50 $p99 $bad")
	done
	# The median run by requests/s.
	read -r r p50 p99 bad < <(printf '%s\n' "${lines[@]}" | sort -n | sed -n 2p)
	RPS[$BACKEND $name]=$r
	printf '%-22s %10s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$r" "$p50" "$p99" "${bad:-}"
}

page="$OMS_URL/sites/$site/assets"
cookie=$(oms_session_cookie)
for u in "$page" "$page?format=xml"; do
	s=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$u")
	[ "$s" = 200 ] || { echo "bench: $u answers $s, not 200, with the admin's session" >&2; exit 1; }
done
# Warm up: every worker compiles nothing lazily, but caches fill.
for i in $(seq 50); do curl -s -o /dev/null -H "Cookie: $cookie" "$page"; done
rss_before=$(rss)
run healthz "$OMS_URL/healthz"
run static "$OMS_URL/static/oms.css"
run "assets html" "$page" -H "Cookie: $cookie"
run "assets xml" "$page?format=xml" -H "Cookie: $cookie"
printf 'ratio assets html / healthz: %.1f%%\n' \
    "$(awk -v a="${RPS[$BACKEND assets html]}" -v b="${RPS[$BACKEND healthz]}" 'BEGIN {print 100 * a / b}')"
printf 'ratio assets xml  / healthz: %.1f%%\n' \
    "$(awk -v a="${RPS[$BACKEND assets xml]}" -v b="${RPS[$BACKEND healthz]}" 'BEGIN {print 100 * a / b}')"

# Soak: at least $soak asset-page requests in all, then RSS again.
done_reqs=0
while [ "$done_reqs" -lt "$soak" ]; do
	out=$(wrk -t2 -c"$conns" -d5s -H "Cookie: $cookie" "$page" 2>&1)
	n=$(awk '/requests in/ {print $1}' <<<"$out")
	done_reqs=$((done_reqs + ${n:-0}))
	[ "${n:-0}" -gt 0 ] || break
done
echo "worker RSS before: $rss_before"
echo "worker RSS after $done_reqs more asset-page requests: $(rss)"
oms_stop

}

echo "== OMS page benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $conns connections, ${secs}s runs"
[ "$only_callgrind" = 1 ] || OMS_BACKEND=sqlite bench_backend
mdb=
if [ "$only_callgrind" = 0 ] && command -v mariadbd >/dev/null 2>&1; then
	oms_tmpdir
	mdb=$OMS_TMP/m
	if oms_mariadb_start "$mdb"; then
		OMS_BACKEND=mariadb bench_backend
		oms_mariadb_stop "$mdb"
		printf 'ratio mariadb / sqlite, assets html: %.1f%%\n' \
		    "$(awk -v a="${RPS[mariadb assets html]}" -v b="${RPS[sqlite assets html]}" 'BEGIN {print 100 * a / b}')"
		printf 'ratio mariadb / sqlite, assets xml:  %.1f%%\n' \
		    "$(awk -v a="${RPS[mariadb assets xml]}" -v b="${RPS[sqlite assets xml]}" 'BEGIN {print 100 * a / b}')"
	fi
fi

# Instructions a request, from callgrind: one worker, 200 requests.
if command -v valgrind >/dev/null; then
	OMS_BACKEND=sqlite
	OMS_SEED_ARGS="--customers 1 --sites 2 --assets 200 --seed 7"
	# One kind at a time: repeatable per-page counts.
	for what in "/sites/1/assets" "/sites/1/assets?format=xml" "/healthz"; do
		oms_start >/dev/null
		cookie=$(oms_session_cookie)
		[ "$what" = /healthz ] && cookie=
		oms_stop_omsd
		sed -i 's/^workers = .*/workers = 1/' "$OMS_CONF"
		log_at=$(oms_log_size)
		valgrind --tool=callgrind --trace-children=yes \
		    --callgrind-out-file="$OMS_DIR/cg.%p" "$OMS_BUILDDIR/omsd" -f "$OMS_CONF" \
		    >>"$OMS_LOG" 2>&1 &
		OMS_PID=$!
		# Ready as oms_start_omsd says: this master's 'listening on'
		# after the log's old end, the socket, /healthz answering
		# (valgrind is slow to start: 2 minutes at most).
		oms_wait 1200 _oms_omsd_ready "$log_at" || {
			echo "bench: omsd under callgrind did not start" >&2
			tail -n 5 "$OMS_LOG" >&2
			exit 1
		}
		before=$(grep -c ' 200 ' "$OMS_LOG")
		for i in $(seq 100); do curl -s -o /dev/null ${cookie:+-H "Cookie: $cookie"} "$OMS_URL$what"; done
		n=$(( $(grep -c ' 200 ' "$OMS_LOG") - before ))
		[ "$n" -ge 100 ] || echo "bench: only $n of 100 requests to $what answered 200" >&2
		kill "$OMS_PID"
		wait "$OMS_PID" 2>/dev/null
		f=$(ls -S "$OMS_DIR"/cg.* | head -n 1)
		# The whole request: the worker's loop (oms_worker_run) less
		# what it calls once (opening the store, loading the
		# stylesheets, closing), over the requests it served; and,
		# as before, oms_http_serve alone.
		set -- $(callgrind_annotate --inclusive=yes --tree=calling \
		    --threshold=100 "$f" 2>/dev/null | awk '
		    /\*  .*worker\.c:oms_worker_run/ && !t { p = 1; gsub(",", "", $1); t = $1; next }
		    p && /\*  / && !/oms_worker_run/ { exit }
		    p && / \(1x\)/ { gsub(",", "", $1); once += $1 }
		    p && /oms_http_serve \(/ {
			gsub(",", "", $1); s = $1
			match($0, /\([0-9,]+x\)/); c = substr($0, RSTART + 1, RLENGTH - 3)
			gsub(",", "", c)
		    }
		    END { printf "%d %d %d\n", t - once, s, c }')
		loop=${1:-0} srv=${2:-0} calls=${3:-1}
		[ "$calls" -gt 0 ] || calls=1
		printf 'callgrind %-30s %10d instructions a request (whole worker loop), %d in oms_http_serve (%d requests)\n' \
		    "$what" "$(( loop / calls ))" "$(( srv / calls ))" "$calls"
		oms_stop
	done
fi
