#!/bin/bash
# tests/bench/exchange.sh: the legacy exchange benchmark (issue 10).
# Prints figures; asserts nothing about time (these machines are shared
# and noisy).
#
# For each backend (SQLite, then MariaDB on a throw-away server of its
# own when mariadbd is installed and BENCH_BACKENDS allows), one
# instance seeded with one customer of two sites of 200 assets, the
# vendor and lease test peers (tests/peers/peer.js, healthy, no auth)
# as [exchange vendor] and [exchange finance] with the shipped mappings
# (xslt/exchange/), backoff_base 30, backoff_max 300 (a real
# installation's values: the defaults are 30 and 3600):
#
# 1. Inbound /soap QueryAssets of the 200-asset site through nginx with
#    wrk (HTTP basic as a vendor integration account; a lua script),
#    each request with a distinct messageId (the real path: parsed,
#    authorised, answered, remembered) and all with one fixed messageId
#    (the replay path: the stored answer); beside the asset page's XML
#    (GET /sites/ID/assets?format=xml with the admin's session, as
#    tests/bench/run.sh).  Median of three runs.
# 2. Outbox throughput: a backlog of BENCH_MESSAGES messages (2,000:
#    half as many order lines, each a PlaceOrder to the vendor and a
#    BookLease to finance, made by `omsctl import orders`) drained by
#    `omsctl outbox drain` with no exchange job running; messages/s =
#    N / drain seconds, median of three backlogs.  Baseline in the same
#    run: the same number of SOAP envelopes of the same shape (the
#    fixtures mapped by the shipped stylesheets, distinct ids) POSTed
#    by one curl process, one after the other, a new connection each
#    (as the adapter: no keep-alive), straight to the peers.
# 3. Latency from commit to delivery: omsd restarted with the exchange
#    job; BENCH_TRICKLE messages (200: one order line an `omsctl import
#    orders`, two messages each) committed one import at a time at
#    BENCH_RATE imports a second (4); latency = delivered_at -
#    created_at of each message (both with milliseconds: the time of
#    the import's transaction and of the dispatcher's delivery, one
#    clock).  p50, p99.  The job looks for due messages every 250 ms
#    when idle (docs/oms.conf.5).
# 4. A backlog of BENCH_BACKLOG messages (10,000) queued while the
#    peers are down and the job retrying; then the peers up, and the
#    time until every one is delivered: (a) as the back-off has them
#    (waiting it out), (b) with the back-off cleared (every message due
#    at once when the peers come back: the pure drain by the job).
#
#   tests/bench/exchange.sh
#   BENCH_BACKENDS=sqlite BENCH_SECONDS=5 tests/bench/exchange.sh
#
# Environment: OMS_BUILDDIR (default ./build), BENCH_BACKENDS ("sqlite
# mariadb"), BENCH_CONNECTIONS (32), BENCH_SECONDS (10), BENCH_MESSAGES
# (2000), BENCH_TRICKLE (200), BENCH_RATE (4), BENCH_BACKLOG (10000),
# BENCH_PARTS (the parts to run: "inbound throughput latency backlog").
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
OMS_BUILDDIR=${OMS_BUILDDIR:-$OMS_SRCDIR/build}
export OMS_SRCDIR OMS_BUILDDIR
. "$OMS_SRCDIR/tests/lib.sh"
. "$OMS_SRCDIR/tests/mariadb-server.sh"
. "$OMS_SRCDIR/tests/peers/lib.sh"

conns=${BENCH_CONNECTIONS:-32}
secs=${BENCH_SECONDS:-10}
nmsg=${BENCH_MESSAGES:-2000}
ntrickle=${BENCH_TRICKLE:-200}
rate=${BENCH_RATE:-4}
nbacklog=${BENCH_BACKLOG:-10000}
parts=" ${BENCH_PARTS:-inbound throughput latency backlog} "
for t in wrk curl nginx node xsltproc python3; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done
[ -d "$OMS_SRCDIR/tests/node_modules/soap" ] ||
    { echo "bench: tests/node_modules/soap is missing (cd tests && npm ci)" >&2; exit 1; }
declare -A RPS

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'; }
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# run NAME URL [WRK-ARG...]: three wrk runs; prints the median's figures
# and sets RPS.
run() {
	local name=$1 url=$2 i out r p50 p99 bad lines=() c0 reqs=0
	shift 2
	c0=$(workers_cpu)
	for i in 1 2 3; do
		out=$(BENCH_RUN="$BACKEND-$name-$i" wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url" 2>&1)
		reqs=$((reqs + $(awk '/requests in/ {print $1}' <<<"$out")))
		r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
		p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
		p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
		bad=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
		lines+=("$r $p50 $p99 $bad")
	done
	read -r r p50 p99 bad < <(printf '%s\n' "${lines[@]}" | sort -n | sed -n 2p)
	RPS[$BACKEND $name]=$r
	printf '%-34s %10s req/s   p50 %8s   p99 %8s   %5.2f ms worker CPU a request   %s\n' "$name" "$r" "$p50" "$p99" \
	    "$(awk -v a="$c0" -v b="$(workers_cpu)" -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {print n ? 1000 * (b - a) / hz / n : 0}')" "${bad:-}"
}

# workers_cpu: the CPU time (user and system, in clock ticks) omsd's
# workers have used so far.
workers_cpu() {
	local p t=0
	for p in $(pgrep -P "$OMS_PID"); do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}

# orders FILE PREFIX N: an orders file of N completed adds (PREFIX-i),
# each a new asset PREFIX-Ai on the orders' site.
orders() {
	local i d0
	d0=$(date -u -d '3 days ago' +%F)
	{
		echo order_ref,line,action,customer,asset_tag,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,parent_tag,requested_on,completed_on,fee_override,reason
		for ((i = 1; i <= $3; i++)); do
			PHONE=$((PHONE + 1))
			echo "$2-$i,1,add,$CCODE,$2-A$i,$SCODE,$CCCODE,$PCODE,1,+1444$(printf %07d "$PHONE"),,,,,$d0,$d0,,"
		done
	} >"$1"
}

# import PREFIX N: import N order lines (2 N messages); 1 on failure.
import() {
	orders "$W/$1.csv" "$1" "$2"
	oms_ctl import orders "$W/$1.csv" >"$W/import.out" 2>&1 ||
	    { echo "bench: import $1 failed: $(tail -n 3 "$W/import.out")" >&2; return 1; }
}

# count PREFIX [STATE]: messages of orders PREFIX-* (in STATE).
count() {
	oms_sql "SELECT COUNT(*) FROM outbox WHERE order_ref LIKE '$1-%'${2:+ AND state = '$2'}"
}

# all_delivered PREFIX N: true when N messages of PREFIX are delivered.
all_delivered() { [ "$(count "$1" delivered)" -ge "$2" ]; }

# all_tried PREFIX N: true when each of the N messages of PREFIX has
# been tried at least once.
all_tried() {
	[ "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE order_ref LIKE '$1-%' AND attempts >= 1")" -ge "$2" ]
}

# envelopes N: N SOAP envelopes (N/2 PlaceOrder, N/2 BookLease, the
# fixtures mapped by the shipped stylesheets, distinct message ids and
# asset tags) and the curl configuration $W/curl.cfg that POSTs them one
# after the other, a new connection each.
envelopes() {
	local i v f ov of
	v=$(xsltproc "$OMS_SRCDIR/xslt/exchange/vendor-request.xsl" "$FIX/vendor-PlaceOrder.xml" | sed 1d)
	f=$(xsltproc "$OMS_SRCDIR/xslt/exchange/finance-request.xsl" "$FIX/finance-BookLease.xml" | sed 1d)
	ov=$(sed -n 's,.*<messageId>\([^<]*\)</messageId>.*,\1,p' "$FIX/vendor-PlaceOrder.xml")
	of=$(sed -n 's,.*<messageId>\([^<]*\)</messageId>.*,\1,p' "$FIX/finance-BookLease.xml")
	local pre='<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' post='</soap:Body></soap:Envelope>'
	mkdir -p "$W/env"
	: >"$W/curl.cfg"
	for ((i = 1; i <= $1 / 2; i++)); do
		v2=${v//$ov/oms-base-$BENCH_TAG-v$i}
		f2=${f//$of/oms-base-$BENCH_TAG-f$i}
		printf '%s%s%s' "$pre" "${v2//FIX-A1/BASE-$BENCH_TAG-A$i}" "$post" >"$W/env/v$i.xml"
		printf '%s%s%s' "$pre" "${f2//FIX-A1/BASE-$BENCH_TAG-A$i}" "$post" >"$W/env/f$i.xml"
		printf 'url = "%s"\ndata-binary = "@%s"\nheader = "Content-Type: text/xml; charset=utf-8"\nheader = "SOAPAction: \\"urn:acme-vos:orders#PlaceOrder\\""\nheader = "Connection: close"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nnext\n' \
		    "$PEER_URL_vos" "$W/env/v$i.xml" >>"$W/curl.cfg"
		printf 'url = "%s"\ndata-binary = "@%s"\nheader = "Content-Type: text/xml; charset=utf-8"\nheader = "SOAPAction: \\"urn:fincorp:leasing:v2/BookLease\\""\nheader = "Connection: close"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\nnext\n' \
		    "$PEER_URL_fin" "$W/env/f$i.xml" >>"$W/curl.cfg"
	done
}

# latency PREFIX: "N p50 p99 max min" of delivered_at - created_at (both
# ms, the clock of the writer: omsctl's commit, the dispatcher's
# delivery) in ms over the delivered messages of PREFIX.
latency() {
	oms_sql "SELECT created_at, delivered_at FROM outbox WHERE order_ref LIKE '$1-%' AND state = 'delivered'" >"$W/delivered"
	python3 - "$W/delivered" <<'PY'
import sys, datetime
def t(d):
    d = d.strip().rstrip('Z')
    f = '%Y-%m-%dT%H:%M:%S.%f' if '.' in d else '%Y-%m-%dT%H:%M:%S'
    return datetime.datetime.strptime(d, f).replace(tzinfo=datetime.timezone.utc).timestamp()
v = sorted(1000 * (t(b) - t(a)) for a, b in (l.split('|') for l in open(sys.argv[1]) if '|' in l))
def p(q):
    return v[min(len(v) - 1, int(q * len(v)))]
print("%d %.0f %.0f %.0f %.0f" % (len(v), p(.5), p(.99), v[-1], v[0]))
PY
}

bench_backend() {
	BACKEND=$OMS_BACKEND
	BENCH_TAG=$BACKEND
	echo "-- backend: $BACKEND"
	oms_tmpdir
	W=$OMS_TMP
	PEER_DIR=$W
	FIX=$OMS_SRCDIR/tests/fixtures/exchange
	PHONE=0
	peer_start vos vendor --state "$W/vos" || return 1
	peer_start fin lease --state "$W/fin" || { peer_stop vos; return 1; }
	OMS_SEED_ARGS="--customers 1 --sites 2 --assets 200 --seed 7"
	OMS_WORKERS=${OMS_WORKERS:-0}
	OMS_CONF_EXTRA="
[jobs]
run = sessions

[exchange vendor]
adapter = soap
endpoint = $PEER_URL_vos
soap_action = urn:acme-vos:orders#{op}
request_xsl = exchange/vendor-request.xsl
reply_xsl = exchange/vendor-reply.xsl
connect_timeout = 5
timeout = 30
backoff_base = 30
backoff_max = 300

[exchange finance]
adapter = soap
endpoint = $PEER_URL_fin
soap_action = urn:fincorp:leasing:v2/{op}
request_xsl = exchange/finance-request.xsl
reply_xsl = exchange/finance-reply.xsl
connect_timeout = 5
timeout = 30
backoff_base = 30
backoff_max = 300" oms_start >/dev/null
	site=$(oms_sql "SELECT site_id FROM assets GROUP BY site_id HAVING COUNT(*) = 200 ORDER BY site_id LIMIT 1")
	osite=$(oms_sql "SELECT id FROM sites WHERE id <> $site ORDER BY id LIMIT 1")
	c=$(oms_sql "SELECT customer_id FROM sites WHERE id = $site")
	CCODE=$(oms_sql "SELECT code FROM customers WHERE id = $c")
	SCODE=$(oms_sql "SELECT code FROM sites WHERE id = $osite")
	qsite=$(oms_sql "SELECT code FROM sites WHERE id = $site")
	CCCODE=$(oms_sql "SELECT code FROM cost_centres WHERE customer_id = $c ORDER BY id LIMIT 1")
	PCODE=$(oms_sql "SELECT code FROM products WHERE asset_type = 'line' AND max_ports >= 1 AND min_ports <= 1 ORDER BY id LIMIT 1")
	echo "database: site $qsite of $CCODE with $(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $site") assets;" \
	    "orders on site $SCODE, product $PCODE; peers vendor :$PEER_PORT_vos, lease :$PEER_PORT_fin"

	# ---------------------------------------------- 1. inbound /soap
	if [[ $parts == *" inbound "* ]]; then
	pw=Bench-integration-7
	printf '%s\n' "$pw" | oms_ctl user add benchvos --role integration --system vendor \
	    --name 'Bench vendor' --email bench@example.com --organisation 'Bench' >/dev/null ||
	    { echo "bench: cannot add the integration account" >&2; }
	export BENCH_SOAP_AUTH="Basic $(printf 'benchvos:%s' "$pw" | base64 -w0)"
	export BENCH_SOAP_BODY="<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:o=\"urn:oms:soap:1\"><soap:Body><o:QueryAssets><o:messageId>%s</o:messageId><o:customerCode>$CCODE</o:customerCode><o:siteCode>$qsite</o:siteCode></o:QueryAssets></soap:Body></soap:Envelope>"
	cat >"$W/soap.lua" <<'LUA'
-- QueryAssets with HTTP basic; messageId distinct a request unless
-- BENCH_SOAP_FIXED is set (then always that one: the replay path).
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.headers["Authorization"] = os.getenv("BENCH_SOAP_AUTH")
local body = os.getenv("BENCH_SOAP_BODY")
local fixed = os.getenv("BENCH_SOAP_FIXED")
local runid = os.getenv("BENCH_RUN"):gsub("[^%w]", "-")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
function request()
  n = n + 1
  local id = fixed or string.format("bench-%s-%d-%d", runid, tid, n)
  return wrk.format(nil, nil, nil, string.format(body, id))
end
LUA
	s=$(curl -s -o "$W/q.out" -w '%{http_code}' -H "Authorization: $BENCH_SOAP_AUTH" \
	    -H 'Content-Type: text/xml; charset=utf-8' --data-binary "$(printf "$BENCH_SOAP_BODY" probe-1)" "$OMS_URL/soap")
	echo "QueryAssets probe: HTTP $s, $(grep -o ' tag="' "$W/q.out" | wc -l) tags, $(wc -c <"$W/q.out") bytes"
	cookie=$(oms_session_cookie)
	page="$OMS_URL/sites/$site/assets?format=xml"
	s=$(curl -s -o "$W/p.out" -w '%{http_code}' -H "Cookie: $cookie" "$page")
	echo "asset page probe: HTTP $s, $(wc -c <"$W/p.out") bytes"
	for i in $(seq 50); do curl -s -o /dev/null -H "Cookie: $cookie" "$page"; done
	run "assets page xml" "$page" -H "Cookie: $cookie"
	run "soap QueryAssets, distinct ids" "$OMS_URL/soap" -s "$W/soap.lua"
	BENCH_SOAP_FIXED=bench-fixed-$BACKEND run "soap QueryAssets, one id (replay)" "$OMS_URL/soap" -s "$W/soap.lua"
	echo "inbound messages remembered: $(oms_sql "SELECT COUNT(*) FROM inbound_messages")"
	printf 'ratio soap (distinct) / assets xml: %.1f%%   replay / assets xml: %.1f%%\n' \
	    "$(awk -v a="${RPS[$BACKEND soap QueryAssets, distinct ids]}" -v b="${RPS[$BACKEND assets page xml]}" 'BEGIN {print 100 * a / b}')" \
	    "$(awk -v a="${RPS[$BACKEND soap QueryAssets, one id (replay)]}" -v b="${RPS[$BACKEND assets page xml]}" 'BEGIN {print 100 * a / b}')"
	fi

	# ---------------------------------------------- 2. throughput
	if [[ $parts == *" throughput "* ]]; then
	envelopes "$nmsg"
	bl=()
	for r in 1 2 3; do
		t0=$(now)
		curl -s -K "$W/curl.cfg" >"$W/codes" 2>"$W/curl.err"
		bl+=("$(since "$t0")")
		[ "$(grep -c '^200$' "$W/codes")" = "$nmsg" ] ||
		    echo "bench: baseline: only $(grep -c '^200$' "$W/codes") of $nmsg answered 200 ($(sort "$W/codes" | uniq -c | tr '\n' ' '))" >&2
		peer_ctl vos POST /_peer/reset
		peer_ctl fin POST /_peer/reset
	done
	bs=$(printf '%s\n' "${bl[@]}" | median)
	dl=()
	for r in 1 2 3; do
		t0=$(now)
		import "TP$r" $((nmsg / 2)) || break
		ti=$(since "$t0")
		q=$(count "TP$r" pending)
		t0=$(now)
		oms_ctl outbox drain >"$W/drain.out" 2>&1
		rc=$?
		dl+=("$(since "$t0")")
		echo "  run $r: $q pending after the import (${ti} s); drain ${dl[-1]} s, exit $rc: $(tail -n 1 "$W/drain.out"); delivered $(count "TP$r" delivered)"
	done
	ds=$(printf '%s\n' "${dl[@]}" | median)
	printf '%-34s %10.1f messages/s   (%d messages in %s s, median of 3)\n' "outbox drain (omsctl)" \
	    "$(awk -v n="$nmsg" -v t="$ds" 'BEGIN {print n / t}')" "$nmsg" "$ds"
	printf '%-34s %10.1f messages/s   (%d envelopes in %s s, median of 3)\n' "baseline: curl, new connection each" \
	    "$(awk -v n="$nmsg" -v t="$bs" 'BEGIN {print n / t}')" "$nmsg" "$bs"
	printf 'ratio OMS / baseline: %.1f%%\n' "$(awk -v a="$bs" -v b="$ds" 'BEGIN {print 100 * a / b}')"
	fi

	# ---------------------------------------------- 3. latency
	oms_stop_omsd
	sed -i 's/^run = sessions$/run = sessions, exchange/' "$OMS_CONF"
	oms_start_omsd || { echo "bench: omsd did not start with the exchange job" >&2; oms_stop; peer_stop vos; peer_stop fin; return 1; }
	: >"$W/commits"
	n=$((ntrickle / 2))
	[[ $parts == *" latency "* ]] || n=0
	tstart=$(now)
	for ((i = 1; i <= n; i++)); do
		# One import every 1/rate s.
		due=$(awk -v s="$tstart" -v i="$i" -v r="$rate" 'BEGIN {printf "%.3f", s + (i - 1) / r}')
		wait_s=$(awk -v d="$due" -v t="$(now)" 'BEGIN {w = d - t; printf "%.3f", (w > 0 ? w : 0)}')
		sleep "$wait_s"
		orders "$W/lat.csv" "LAT-$i" 1
		a=$(now)
		oms_ctl import orders "$W/lat.csv" >"$W/import.out" 2>&1 || echo "bench: import LAT-$i failed" >&2
		b=$(now)
		echo "LAT-$i-1 $a $b" >>"$W/commits"
	done
	[ "$n" = 0 ] || {
	oms_wait 600 all_delivered LAT "$ntrickle" || echo "bench: not all of the trickle delivered" >&2
	read -r nl p50 p99 mx mn < <(latency LAT)
	imp=$(awk '{print 1000 * ($3 - $2)}' "$W/commits" | median)
	printf '%-34s p50 %6s ms   p99 %6s ms   (max %s, min %s; %d messages, %s imports/s, an import %.0f ms)\n' \
	    "latency commit -> delivered" "$p50" "$p99" "$mx" "$mn" "$nl" "$rate" "$imp"
	}

	# ---------------------------------------------- 4. backlog
	hows="backoff cleared"
	[[ $parts == *" backlog "* ]] || hows=
	for how in $hows; do
		p=BK${how:0:1}
		peer_ctl vos POST /_peer/down
		peer_ctl fin POST /_peer/down
		t0=$(now)
		import "$p" $((nbacklog / 2)) || break
		ti=$(since "$t0")
		oms_wait 6000 all_tried "$p" "$nbacklog" || echo "bench: not every message of the backlog tried" >&2
		echo "  backlog $how: $(count "$p") messages queued (import ${ti} s), each tried once with the peers down after $(since "$t0") s;" \
		    "attempts max $(oms_sql "SELECT MAX(attempts) FROM outbox WHERE order_ref LIKE '$p-%'")"
		peer_ctl vos POST /_peer/up
		peer_ctl fin POST /_peer/up
		t0=$(now)
		if [ "$how" = cleared ]; then
			oms_sql_write "UPDATE outbox SET next_attempt_at = '$(date -u -d '1 minute ago' +%Y-%m-%dT%H:%M:%S.000Z)' WHERE order_ref LIKE '$p-%' AND state = 'pending'" >/dev/null
		fi
		oms_wait 36000 all_delivered "$p" "$nbacklog" || echo "bench: backlog $how not all delivered" >&2
		d=$(since "$t0")
		printf '%-34s %10s s   %8.1f messages/s   (%d messages; back-off %s; load %s)\n' "backlog drained, $how" "$d" \
		    "$(awk -v n="$nbacklog" -v t="$d" 'BEGIN {print n / t}')" "$nbacklog" \
		    "$([ "$how" = backoff ] && echo "30 s doubling to 300 s, waited out" || echo "cleared when the peers came back")" \
		    "$(cut -d' ' -f1-3 /proc/loadavg)"
	done
	echo "peer vendor: $(peer_get vos /_peer/stats .totals)"
	echo "peer lease:  $(peer_get fin /_peer/stats .totals)"
	echo "outbox: $(oms_sql "SELECT state, COUNT(*) FROM outbox GROUP BY state" | tr '\n' ' ')"
	oms_stop
	peer_stop vos
	peer_stop fin
}

echo "== OMS exchange benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $conns connections, ${secs}s runs"
backends=${BENCH_BACKENDS:-sqlite mariadb}
if [[ " $backends " == *" sqlite "* ]]; then
	OMS_BACKEND=sqlite bench_backend
fi
if [[ " $backends " == *" mariadb "* ]] && command -v mariadbd >/dev/null 2>&1; then
	oms_tmpdir
	mdb=$OMS_TMP/m
	if oms_mariadb_start "$mdb"; then
		OMS_MARIADB_SOCKET=$mdb/sock
		export OMS_MARIADB_SOCKET
		OMS_BACKEND=mariadb bench_backend
		oms_mariadb_stop "$mdb"
	fi
fi
