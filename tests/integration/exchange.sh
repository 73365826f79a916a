#!/bin/bash
# exchange.sh: the outbound exchange end to end with real peers (issue
# 10, "Tests, with real peers"): 10,000 messages from `omsctl import
# orders` (4,000 adds, each a PlaceOrder to the vendor and a BookLease
# to finance; later 1,000 disconnects of those assets, each a
# DisconnectOrder and a ReturnAsset, seq 2 of the asset) through the
# vendor and lease peers of tests/peers, started --strict (a request out
# of order for its asset is refused and counted as a violation) and
# failing about a third of their requests (a random rule, fraction
# 0.3333, over http500, soapfault, reset, drop, stall, duplicate and
# slow, 50 ms; before it a rare stall past the section's timeout).
# omsd's exchange job and a concurrent `omsctl outbox drain` share the
# work; omsd (master, workers, job process) is killed with SIGKILL
# twice and each peer is restarted twice (SIGTERM, and SIGKILL), at
# points chosen by the delivered count.  At the end: every message
# delivered, each applied exactly once by its peer under our message
# id (no conflict, no violation, the per-asset order ours), the vendor
# orders and leases recorded as the peers answered them, the faults
# really injected, and unknown outcomes resolved by a Query.
#
# max_attempts: a message goes dead only on a retry outcome once its
# attempts reach max_attempts.  Each exchange (send or Query) fails at
# most with p = 0.3333 + 0.003; two non-failing exchanges in a row
# always deliver (a Query's notfound is followed by a send), so a
# message is open after 2j exchanges with p <= (1 - 0.664^2)^j =
# 0.559^j.  With 100 attempts (j = 50; the peers' restarts cost a few
# more) that is 2.4e-13 a message, 2.4e-9 for all 10,000: nothing goes
# dead by bad luck.
#
# On the backend of OMS_BACKEND (sqlite, or mariadb through
# tests/mariadb/exchange.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
. "$OMS_SRCDIR/tests/peers/lib.sh"

oms_need node curl
[ -d "$OMS_SRCDIR/tests/node_modules/soap" ] ||
    tap_skip_all "tests/node_modules/soap is missing (cd tests && npm ci)"
oms_need_stack
T0=$(date +%s)
oms_tmpdir
PEER_DIR=$OMS_TMP
T=$OMS_TMP
NADD=4000
NDIS=1000
TOTAL=$(((NADD + NDIS) * 2))

# ------------------------------------------------------------ peers

# The fault rules: a stall past the 1 s timeout now and then (unknown:
# the peer applies it after 1.5 s), then a third of the requests failed
# one way or another (the stall here, 50 ms, is below the timeout).
RULES='{"faults":[
 {"kind":"stall","fraction":0.003,"seed":SEED1,"ms":1500},
 {"kind":"random","fraction":0.3333,"seed":SEED2,"ms":50,
  "kinds":["http500","soapfault","reset","drop","stall","duplicate","slow"]}]}'

# faults NAME S: the fault rules on peer NAME, seeded with S.
faults() {
	local r=${RULES//SEED1/$2}
	peer_ctl "$1" POST /_peer/faults "${r//SEED2/$(($2 + 1))}"
	[ "$PEER_STATUS" = 200 ] || tap_diag "fault rules refused by $1: $PEER_BODY"
}

# restart NAME KIND SIGNAL SEED: stop the peer with SIGNAL and start it
# again on the same ports and state, with its fault rules.
restart() {
	local p c
	p=PEER_PORT_$1 c=PEER_CONTROL_$1
	p=${!p} c=${!c}
	peer_stop "$1" "$3"
	peer_start "$1" "$2" --state "$T/$1-state" --strict --port "$p" --control-port "$c" ||
	    tap_bail "peer $1 did not start again"
	faults "$1" "$4"
}

peer_start vos vendor --state "$T/vos-state" --strict || tap_bail "the vendor peer did not start"
peer_start fin lease --state "$T/fin-state" --strict || tap_bail "the lease peer did not start"
faults vos 11
faults fin 21
tap_is "$(peer_get vos /_peer/faults '.faults.length')/$(peer_get fin /_peer/faults '.faults.length')" 2/2 \
    "both peers run --strict with the fault rules"

# ------------------------------------------------------------ OMS

sect() { # sect SYSTEM URL ACTION SIDE
	printf '[exchange %s]\nadapter = soap\nendpoint = %s\nsoap_action = %s\n' "$1" "$2" "$3"
	printf 'request_xsl = exchange/%s-request.xsl\nreply_xsl = exchange/%s-reply.xsl\n' "$4" "$4"
	printf 'connect_timeout = 1\ntimeout = 1\nmax_attempts = 100\nbackoff_base = 1\nbackoff_max = 2\nbatch = 10\n\n'
}
OMS_CONF_EXTRA="
[jobs]
run = sessions, exchange

$(sect vendor "$PEER_URL_vos" 'urn:acme-vos:orders#{op}' vendor)
$(sect finance "$PEER_URL_fin" 'urn:fincorp:leasing:v2/{op}' finance)" oms_start

# ctl ARG...: omsctl; OUT, ERR and RC hold its output and status.
ctl() {
	oms_ctl "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
delivered() { oms_sql "SELECT COUNT(*) FROM outbox WHERE state = 'delivered'"; }

# until_delivered N SECONDS: wait until N messages are delivered; 1
# when that does not happen within SECONDS.
until_delivered() {
	local end=$(($(date +%s) + $2)) n
	while :; do
		n=$(delivered)
		if [ "${n:-0}" -ge "$1" ]; then
			tap_diag "$n delivered at $(($(date +%s) - T0)) s"
			return 0
		fi
		[ "$(date +%s)" -ge "$end" ] && { tap_diag "$n delivered, waited for $1"; return 1; }
		sleep 0.3
	done
}

# tree PID: PID and every process below it.
tree() {
	local c
	echo "$1"
	for c in $(ps -o pid= --ppid "$1"); do tree "$c"; done
}

# crash: SIGKILL to omsd's master, workers and job process at once,
# then omsd started again.
crash() {
	local pids p i=0
	pids=$(tree "$OMS_PID")
	# shellcheck disable=SC2086
	kill -9 $pids 2>/dev/null
	wait "$OMS_PID" 2>/dev/null
	for p in $pids; do
		while kill -0 "$p" 2>/dev/null && [ "$i" -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	done
	tap_is "$(for p in $pids; do kill -0 "$p" 2>/dev/null && echo "$p"; done)" "" \
	    "omsd killed with SIGKILL at $(delivered) delivered ($(echo $pids | wc -w) processes)"
	# Its claims, left behind (the drain's are its own).
	STRANDED=$((STRANDED + $(oms_sql "SELECT COUNT(*) FROM outbox WHERE state = 'sending' AND claimed_by NOT LIKE '%:$DRAIN'")))
	oms_start_omsd || tap_bail "omsd did not start again"
	oms_save
}

c=$(oms_sql "SELECT MIN(customer_id) FROM sites")
site=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $c")
cc=$(oms_sql "SELECT MIN(id) FROM cost_centres WHERE customer_id = $c")
product=$(oms_sql "SELECT MIN(id) FROM products WHERE asset_type = 'line' AND max_ports >= 1 AND min_ports <= 1")
ccode=$(oms_sql "SELECT code FROM customers WHERE id = $c")
scode=$(oms_sql "SELECT code FROM sites WHERE id = $site")
cccode=$(oms_sql "SELECT code FROM cost_centres WHERE id = $cc")
pcode=$(oms_sql "SELECT code FROM products WHERE id = $product")
d0=$(date -u -d '3 days ago' +%F)
day=$(date -u +%F)
HEAD=order_ref,line,action,customer,asset_tag,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,parent_tag,requested_on,completed_on,fee_override,reason
{
	echo "$HEAD"
	for i in $(seq -f %05g 1 "$NADD"); do
		echo "E2E-O$i,1,add,$ccode,E2E-A$i,$scode,$cccode,$pcode,1,+1555$((8000000 + 10#$i)),,,,,$d0,$d0,,"
	done
} >"$T/adds.csv"
# The disconnects: every 4th asset.
{
	echo "$HEAD"
	for i in $(seq -f %05g 4 4 "$NADD"); do
		echo "E2E-D$i,1,disconnect,$ccode,E2E-A$i,,,,,,,,,,$day,$day,,"
	done
} >"$T/disconnects.csv"

tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox")" 0 "the outbox is empty at first"
t=$(date +%s)
ctl import orders "$T/adds.csv"
tap_diag "the import of $NADD orders took $(($(date +%s) - t)) s"
tap_is "$RC" 0 "omsctl import orders: $NADD adds, approved and completed" || tap_diag "$ERR"
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE kind IN ('PlaceOrder', 'BookLease')")" $((NADD * 2)) \
    "a PlaceOrder and a BookLease for each"

STRANDED=0
# A second dispatcher beside omsd's job, all along.
"$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" outbox drain --timeout 1500 >"$T/drain.out" 2>"$T/drain.err" &
DRAIN=$!
oms_track "$DRAIN"

# ------------------------------------------------------------ chaos
# Each step waits on the delivered count (generous deadlines: a slow
# machine is not a failure).
until_delivered 1500 600 || tap_bail "1,500 messages not delivered"
crash
until_delivered 2500 600 || tap_bail "2,500 messages not delivered"
restart vos vendor TERM 12
tap_ok $? "the vendor peer restarted (SIGTERM) at $(delivered) delivered"
until_delivered 3000 600 || tap_bail "3,000 messages not delivered"
ctl import orders "$T/disconnects.csv"
tap_is "$RC" 0 "omsctl import orders at $(delivered) delivered: $NDIS disconnects of those assets" || tap_diag "$ERR"
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE kind IN ('DisconnectOrder', 'ReturnAsset') AND seq = 2")" \
    $((NDIS * 2)) "a DisconnectOrder and a ReturnAsset for each, seq 2 of the asset"
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox")" "$TOTAL" "$TOTAL messages in all"
until_delivered 4000 600 || tap_bail "4,000 messages not delivered"
restart fin lease KILL 22
tap_ok $? "the lease peer restarted after SIGKILL at $(delivered) delivered"
until_delivered 5500 600 || tap_bail "5,500 messages not delivered"
crash
until_delivered 6500 600 || tap_bail "6,500 messages not delivered"
restart fin lease TERM 23
tap_ok $? "the lease peer restarted (SIGTERM) at $(delivered) delivered"
until_delivered 7500 600 || tap_bail "7,500 messages not delivered"
restart vos vendor KILL 13
tap_ok $? "the vendor peer restarted after SIGKILL at $(delivered) delivered"

until_delivered "$TOTAL" 1200
tap_ok $? "every message is delivered in the end"
T1=$(date +%s)
tap_diag "$TOTAL messages delivered $((T1 - T0)) s after the start ($OMS_BACKEND)"
oms_wait_exit "$DRAIN" 600
tap_is "$OMS_EXIT" 0 "the concurrent drain ends when nothing is left" || tap_diag "$(tail -n 5 "$T/drain.err")"
by_drain=$(sed -n 's/^delivered \([0-9]*\),.*/\1/p' "$T/drain.out")
tap_num_ge "${by_drain:-0}" 1 "the drain delivered some ($by_drain), omsd's job the rest"
tap_diag "$(cat "$T/drain.out")"

# ------------------------------------------------------------ our side
tap_is "$(oms_sql "SELECT state, COUNT(*) FROM outbox GROUP BY state" | tr '\n' ' ')" "delivered|$TOTAL " \
    "every outbox row delivered: none dead, unknown, pending or sending"
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL OR reply IS NULL")" 0 \
    "each with its time and the peer's Ack"
tap_diag "attempts: $(oms_sql "SELECT attempts, COUNT(*) FROM outbox GROUP BY attempts ORDER BY attempts" | tr '\n' ' ')"

# ------------------------------------------------------------ the peers
# The peers' whole state, fetched once each (a few MB).
for n in vos fin; do
	port=PEER_CONTROL_$n
	code=$(curl -s -m 60 -o "$T/$n.state" -w '%{http_code}' "http://127.0.0.1:${!port}/_peer/state")
	[ "$code" = 200 ] || tap_bail "the state of peer $n: HTTP $code"
done
# peer_list NAME EXPR: EXPR over the peer's state, one item a line.
peer_list() {
	peer_json "$2" <"$T/$1.state"
}
for p in vos:vendor fin:finance; do
	n=${p%%:*} sys=${p#*:}
	want=$(oms_sql "SELECT COUNT(*) FROM outbox WHERE system = '$sys'")
	peer_ctl "$n" GET /_peer/stats
	printf '%s' "$PEER_BODY" >"$T/$n.stats"
	st() { peer_json "$1" <"$T/$n.stats"; }
	tap_is "$(st .ids)/$(st .totals.applied)" "$want/$want" \
	    "$sys peer: $want message ids applied, each once (applied = ids)"
	tap_is "$(st .totals.conflicts)/$(st .totals.violations)/$(st .violations)/$(st .totals.rejected)" 0/0/0/0 \
	    "$sys peer: no conflict, no violation, nothing refused"
	oms_sql "SELECT message_id FROM outbox WHERE system = '$sys' ORDER BY message_id" | LC_ALL=C sort >"$T/$n.ours"
	peer_list "$n" '.requests, Object.keys(j.requests).sort().join("\n")' | LC_ALL=C sort >"$T/$n.theirs"
	tap_is "$(diff "$T/$n.ours" "$T/$n.theirs" | head -n 5)" "" \
	    "$sys peer: the ids it applied are exactly our message ids"
	# Per-asset order: the peer's operations on each asset in order of
	# arrival are our messages of that key in seq order.
	oms_sql "SELECT seq_key, kind, message_id FROM outbox WHERE system = '$sys' ORDER BY seq_key, seq" >"$T/$n.order.ours"
	peer_list "$n" '.assets, Object.keys(j.assets).sort().map((t) => j.assets[t].ops.map((o) => t + "|" + o[0] + "|" + o[1]).join("\n")).join("\n")' >"$T/$n.order.theirs"
	tap_is "$(diff "$T/$n.order.ours" "$T/$n.order.theirs" | head -n 5)" "" \
	    "$sys peer: every asset's operations arrived in our seq order"
	faults=$(st .totals.faults) http=$(st .totals.http)
	tap_diag "$sys peer: $http HTTP requests, $faults faults injected, $(st .totals.replays) replays, $(st .totals.queries) queries, max count $(st .max_count)"
	tap_num_ge "$faults" $((want / 4)) "$sys peer: the faults were injected ($faults, a quarter of $want at least)"
	tap_num_ge "$((faults * 100))" $((http * 25)) "$sys peer: about a third of its requests failed (over a quarter)"
	tap_num_ge "$(st .totals.queries)" 1 "$sys peer: OMS asked it about unknown outcomes"
done
tap_is "$(peer_get vos /_peer/assets/E2E-A00004 '.ops.map((o) => o[0]).join()')" PlaceOrder,DisconnectOrder \
    "a disconnected asset at the vendor: placed, then disconnected"
tap_is "$(peer_get fin /_peer/assets/E2E-A00004 '.ops.map((o) => o[0]).join()')" BookLease,ReturnAsset \
    "and at the lease system: booked, then returned"

# ------------------------------------------------------------ side effects
oms_sql "SELECT message_id, vendor_ref FROM vendor_orders WHERE message_id IS NOT NULL ORDER BY message_id" | LC_ALL=C sort >"$T/vo.ours"
peer_list vos '.requests, Object.keys(j.requests).sort().map((id) => id + "|" + j.requests[id].answer.OrderRef).join("\n")' | LC_ALL=C sort >"$T/vo.theirs"
tap_is "$(oms_sql "SELECT COUNT(*) FROM vendor_orders WHERE vendor_ref IS NOT NULL AND status = 'placed'")" $((NADD + NDIS)) \
    "a vendor order recorded for each order line sent to the vendor"
tap_is "$(diff "$T/vo.ours" "$T/vo.theirs" | head -n 5)" "" \
    "each with the order number the vendor answered its message"
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox o JOIN orders r ON r.id = o.order_id JOIN order_lines l ON l.order_id = r.id LEFT JOIN vendor_orders v ON v.order_line_id = l.id WHERE o.system = 'vendor' AND v.order_line_id IS NULL")" 0 \
    "no delivered vendor message without its vendor order"
oms_sql "SELECT a.tag, l.lease_number, l.status FROM asset_leases l JOIN assets a ON a.id = l.asset_id WHERE a.tag LIKE 'E2E-%' ORDER BY a.tag" | LC_ALL=C sort >"$T/al.ours"
peer_list fin '.assets, Object.keys(j.assets).sort().map((t) => t + "|" + j.assets[t].lease + "|" + (j.assets[t].active ? "booked" : "returned")).join("\n")' | LC_ALL=C sort >"$T/al.theirs"
tap_is "$(oms_sql "SELECT l.status, COUNT(*) FROM asset_leases l JOIN assets a ON a.id = l.asset_id WHERE a.tag LIKE 'E2E-%' GROUP BY l.status ORDER BY l.status" | tr '\n' ' ')" \
    "booked|$((NADD - NDIS)) returned|$NDIS " "the leases: booked for each asset, returned for the disconnected"
tap_is "$(diff "$T/al.ours" "$T/al.theirs" | head -n 5)" "" \
    "each with the lease number and status the lease system holds"

# ------------------------------------------------------------ unknowns
cat "$OMS_LOG" "$T/drain.err" >"$T/all.log"
grep -o 'exchange [a-z]*: oms-[^ ]* [A-Za-z]*: sending -> unknown' "$T/all.log" |
    awk '{print $3}' | sort -u >"$T/unknown.ids"
grep -o 'exchange [a-z]*: oms-[^ ]* [A-Za-z]*: sending -> delivered' "$T/all.log" |
    awk '{print $3}' | sort -u >"$T/delivered.ids"
resolved=$(comm -12 "$T/unknown.ids" "$T/delivered.ids" | wc -l)
tap_num_ge "$resolved" 1 "messages whose outcome was unknown were delivered after a Query ($resolved)"
tap_file_like "$T/all.log" 'notfound\): sent again' "a Query answered notfound led to a send under the same id"
if [ "$STRANDED" -gt 0 ]; then
	tap_file_like "$T/all.log" 'the claim of [^ ]* ran out' \
	    "the $STRANDED claims the killed omsd left were taken back and asked about"
else
	tap_skip "the killed omsd held no claim at either kill" "claims taken back"
fi
tap_is "$(grep -c ' -> dead' "$T/all.log")" 0 "no message went dead"
tap_diag "$(wc -l <"$T/unknown.ids") messages were unknown at some point; the whole run took $(($(date +%s) - T0)) s"

tap_done
