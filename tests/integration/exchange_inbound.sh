#!/bin/bash
# exchange_inbound.sh: the round trip of issue 10's "completing an
# order places the vendor order and books the lease", both ways, with
# the real peers (tests/peers, --strict) and OMS's own /soap called by
# the npm soap client (tests/integration/soap_client.js) as the vendor
# and the lease system would.  An order recorded and approved through
# the pages (not completed) sends a PlaceOrder, which omsd's exchange
# job delivers to the vendor peer (its order number recorded in
# vendor_orders); the vendor then reports OrderStatus acknowledged,
# scheduled and installed (with serial and number).  With [exchange
# vendor] complete_on_install = yes the installed report completes the
# OMS order (the asset active with that serial and number), whose
# BookLease the dispatcher delivers to the lease peer; the lease
# system's LeaseBooked then stores the lease's terms.  With
# complete_on_install = no (omsd restarted) the installed report is
# stored and the order stays approved, nothing more sent.
# On the backend of OMS_BACKEND (sqlite, or mariadb through
# tests/mariadb/exchange_inbound.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
. "$OMS_SRCDIR/tests/peers/lib.sh"

oms_need node curl
[ -d "$OMS_SRCDIR/tests/node_modules/soap" ] ||
    tap_skip_all "tests/node_modules/soap is missing (cd tests && npm ci)"
oms_need_stack
oms_tmpdir
PEER_DIR=$OMS_TMP
T=$OMS_TMP

peer_start vos vendor --state "$T/vos-state" --strict || tap_bail "the vendor peer did not start"
peer_start fin lease --state "$T/fin-state" --strict || tap_bail "the lease peer did not start"

sect() { # sect SYSTEM URL ACTION SIDE [LINE]
	printf '[exchange %s]\nadapter = soap\nendpoint = %s\nsoap_action = %s\n' "$1" "$2" "$3"
	printf 'request_xsl = exchange/%s-request.xsl\nreply_xsl = exchange/%s-reply.xsl\n' "$4" "$4"
	printf 'connect_timeout = 2\ntimeout = 5\nbackoff_base = 1\nbackoff_max = 2\n%s\n\n' "${5:-}"
}
OMS_CONF_EXTRA="
[jobs]
run = sessions, exchange

$(sect vendor "$PEER_URL_vos" 'urn:acme-vos:orders#{op}' vendor 'complete_on_install = yes')
$(sect finance "$PEER_URL_fin" 'urn:fincorp:leasing:v2/{op}' finance)" oms_start

CLIENT="$OMS_SRCDIR/tests/integration/soap_client.js"
WSDL="$OMS_URL/soap?wsdl"
VPW=Vendor-integration-7
FPW=Finance-integration-7
printf '%s\n' "$VPW" | oms_ctl user add vos --role integration --system vendor \
    --name 'Vendor Order System' --email vos@example.com --organisation 'Telecom Vendor' >/dev/null
tap_ok $? "a vendor integration account"
printf '%s\n' "$FPW" | oms_ctl user add lease --role integration --system finance \
    --name 'Lease system' --email lease@example.com --organisation 'Finance Company' >/dev/null
tap_ok $? "a finance integration account"
call() { node "$CLIENT" "$WSDL" "$@"; }
V=(--wsse "vos:$VPW")
F=(--basic "lease:$FPW")

http GET '/customers?format=xml'
csrf=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
# post PATH FIELD=VALUE...: a form POST as the admin with its token.
post() {
	local path=$1 a args=()
	shift
	for a in "$@"; do args+=(--data-urlencode "$a"); done
	http POST "$path" --data-urlencode "csrf=$csrf" "${args[@]}"
}
version() { oms_sql "SELECT version FROM orders WHERE id = $1"; }
ostate() { oms_sql "SELECT state FROM orders WHERE id = $1"; }
# msg_state ID: the state of outbox row ID.
msg_state() { oms_sql "SELECT state FROM outbox WHERE id = $1"; }
# is_delivered ID: 0 when outbox row ID is delivered.
is_delivered() { [ "$(msg_state "$1")" = delivered ]; }

c=$(oms_sql "SELECT MIN(customer_id) FROM sites")
site=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $c")
cc=$(oms_sql "SELECT MIN(id) FROM cost_centres WHERE customer_id = $c")
product=$(oms_sql "SELECT MIN(id) FROM products WHERE asset_type = 'line' AND max_ports >= 1 AND min_ports <= 1")

# approved_order NOTE: an order recorded, submitted and approved through
# the pages; sets ID and REF.
approved_order() {
	post /orders site="$site" action=add product="$product" cc="$cc" ports=1 notes="$1"
	ID=$(http_header Location | sed -n 's,^.*/orders/\([0-9]*\)$,\1,p')
	[ -n "$ID" ] || return 1
	REF=$(oms_sql "SELECT ref FROM orders WHERE id = $ID")
	post "/orders/$ID/act" verb=submit version="$(version "$ID")"
	while [ "$(ostate "$ID")" = awaiting_approval ]; do
		post "/orders/$ID/act" verb=approve version="$(version "$ID")"
		[ "$HTTP_STATUS" = 303 ] || return 1
	done
	[ "$(ostate "$ID")" = approved ] || post "/orders/$ID/act" verb=approve version="$(version "$ID")"
	[ "$(ostate "$ID")" = approved ]
}

# ------------------------------------------------ complete_on_install = yes
approved_order "Round trip"
tap_is "$?/$(ostate "$ID")" 0/approved "an order recorded and approved through the pages"
pid=$(oms_sql "SELECT id FROM outbox WHERE order_id = $ID AND kind = 'PlaceOrder'")
pmid=$(oms_sql "SELECT message_id FROM outbox WHERE id = $pid")
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE order_id = $ID")" 1 "approval queues its PlaceOrder, nothing else"
oms_wait 600 is_delivered "$pid"
tap_ok $? "omsd's exchange job delivers the PlaceOrder to the vendor peer"
vref=$(peer_get vos "/_peer/requests/$pmid" .answer.OrderRef)
tap_like "$vref" '^VOS-' "the vendor applied it under our message id ($vref)"
tap_is "$(oms_sql "SELECT status, vendor_ref FROM vendor_orders WHERE order_id = $ID")" "placed|$vref" \
    "vendor_orders: placed, with the vendor's order number"

r=$(call OrderStatus "{\"messageId\":\"rt-1\",\"orderRef\":\"$REF\",\"line\":1,\"status\":\"acknowledged\",\"vendorRef\":\"$vref\"}" "${V[@]}")
tap_like "$r" "^OK .*$REF" "the vendor reports OrderStatus acknowledged"
tap_is "$(oms_sql "SELECT status, vendor_ref FROM vendor_orders WHERE order_id = $ID")/$(ostate "$ID")" \
    "acknowledged|$vref/approved" "stored; the order is still approved"
sday=$(date -u -d '+2 days' +%F)
r=$(call OrderStatus "{\"messageId\":\"rt-2\",\"orderRef\":\"$REF\",\"line\":1,\"status\":\"scheduled\",\"vendorRef\":\"$vref\",\"scheduledOn\":\"$sday\"}" "${V[@]}")
tap_like "$r" "^OK " "OrderStatus scheduled"
tap_is "$(oms_sql "SELECT status, scheduled_on FROM vendor_orders WHERE order_id = $ID")" "scheduled|$sday" \
    "stored with its date"
iday=$(date -u +%F)
inst="{\"messageId\":\"rt-3\",\"orderRef\":\"$REF\",\"line\":1,\"status\":\"installed\",\"vendorRef\":\"$vref\",\"installedOn\":\"$iday\",\"serial\":\"SN-RT-0001\",\"number\":\"+15559990001\"}"
r=$(call OrderStatus "$inst" "${V[@]}")
r3=$r
tap_like "$r" '^OK .*"orderState":"completed","completed":true' "OrderStatus installed, with serial and number: the answer says completed" || tap_diag "$r"
tap_is "$(oms_sql "SELECT status, installed_on, serial, phone_number FROM vendor_orders WHERE order_id = $ID")" \
    "installed|$iday|SN-RT-0001|+15559990001" "vendor_orders: installed, with serial and number"
tap_is "$(ostate "$ID")" completed "complete_on_install = yes: the OMS order is completed"
tag=$(oms_sql "SELECT a.tag FROM order_lines l JOIN assets a ON a.id = l.asset_id WHERE l.order_id = $ID")
tap_is "$(oms_sql "SELECT a.status, a.serial, a.phone_number FROM order_lines l JOIN assets a ON a.id = l.asset_id WHERE l.order_id = $ID")" \
    "active|SN-RT-0001|+15559990001" "its asset ($tag) is in service with the vendor's serial and number"
bid=$(oms_sql "SELECT id FROM outbox WHERE order_id = $ID AND kind = 'BookLease'")
tap_like "$bid" '^[0-9]+$' "the completion queues the BookLease of the asset"
bmid=$(oms_sql "SELECT message_id FROM outbox WHERE id = $bid")
oms_wait 600 is_delivered "$bid"
tap_ok $? "the dispatcher delivers the BookLease to the lease peer"
lnum=$(peer_get fin "/_peer/assets/$tag" .lease)
tap_is "$(peer_get fin "/_peer/assets/$tag" '.ops.map((o) => o[0] + " " + o[1]).join()')" "BookLease $bmid" \
    "the lease peer booked the asset under our message id ($lnum)"
tap_is "$(oms_sql "SELECT l.status, l.lease_number FROM asset_leases l JOIN assets a ON a.id = l.asset_id WHERE a.tag = '$tag'")" \
    "booked|$lnum" "asset_leases: booked, with the lease system's number"

r=$(call OrderStatus "$inst" "${V[@]}")
tap_is "$r" "$r3" "the installed report again (a replay): the same answer"
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE order_id = $ID")/$(ostate "$ID")" 2/completed \
    "bad: the replay completes nothing twice and queues nothing"

lb="{\"messageId\":\"rt-4\",\"assetTag\":\"$tag\",\"leaseNumber\":\"$lnum\",\"termMonths\":36,\"startsOn\":\"$iday\",\"monthlyAmount\":4250,\"schedule\":{\"payment\":[{\"dueOn\":\"$iday\",\"amount\":4250}]}}"
r=$(call LeaseBooked "$lb" "${F[@]}")
tap_like "$r" "^OK .*$lnum" "the lease system reports LeaseBooked" || tap_diag "$r"
tap_is "$(oms_sql "SELECT l.lease_number, l.status, l.term_months, l.starts_on, l.monthly_cents FROM asset_leases l JOIN assets a ON a.id = l.asset_id WHERE a.tag = '$tag'")" \
    "$lnum|booked|36|$iday|4250" "asset_leases: the lease's terms stored"
tap_is "$(peer_get vos /_peer/stats .totals.violations)/$(peer_get fin /_peer/stats .totals.violations)" 0/0 \
    "no ordering violation at either peer"

# ------------------------------------------------ complete_on_install = no
oms_stop_omsd
sed -i 's/^complete_on_install = yes$/complete_on_install = no/' "$OMS_CONF"
oms_start_omsd || tap_bail "omsd did not start again"
oms_save
approved_order "Stays approved"
tap_is "$?/$(ostate "$ID")" 0/approved "another order, approved"
pid=$(oms_sql "SELECT id FROM outbox WHERE order_id = $ID AND kind = 'PlaceOrder'")
oms_wait 600 is_delivered "$pid"
tap_ok $? "its PlaceOrder delivered"
vref=$(oms_sql "SELECT vendor_ref FROM vendor_orders WHERE order_id = $ID")
r=$(call OrderStatus "{\"messageId\":\"rt-5\",\"orderRef\":\"$REF\",\"line\":1,\"status\":\"installed\",\"vendorRef\":\"$vref\",\"installedOn\":\"$iday\",\"serial\":\"SN-RT-0002\",\"number\":\"+15559990002\"}" "${V[@]}")
tap_like "$r" "^OK " "OrderStatus installed"
tap_like "$r" '"orderState":"approved","completed":false' "bad: the answer says approved, not completed"
tap_is "$(oms_sql "SELECT status, serial FROM vendor_orders WHERE order_id = $ID")" "installed|SN-RT-0002" \
    "the report is stored"
tap_is "$(ostate "$ID")/$(oms_sql "SELECT COUNT(*) FROM outbox WHERE order_id = $ID")" approved/1 \
    "bad: complete_on_install = no: the order stays approved, no BookLease"

tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no page request answered 5xx"
tap_done
