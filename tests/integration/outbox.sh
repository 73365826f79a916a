#!/bin/bash
# outbox.sh: the transactional outbox end to end (issue 10, items 1 and
# 2 without the dispatcher).  An order recorded, approved, scheduled and
# completed through the pages writes a PlaceOrder to the vendor on
# approval and a BookLease to finance on completion; orders imported
# with omsctl (an add and a later disconnect, completed in the import)
# write PlaceOrder, BookLease, DisconnectOrder and ReturnAsset in the
# asset's order.  `omsctl outbox list` (filters) and `show` print them;
# every body shown is valid against its XSD (xmllint --schema
# docs/exchange/KIND.xsd).  `outbox resend` puts a dead message back to
# pending, audited, and refuses a pending one.  Usage errors: an unknown
# state, a missing message, `outbox drain` without [exchange] sections
# (tests/integration/drain.sh tests drain itself).
# On the backend of OMS_BACKEND (sqlite, or mariadb through
# tests/mariadb/outbox.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint
oms_start
T=$OMS_DIR/files
mkdir -p "$T"

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
# ctl ARG...: omsctl; OUT, ERR and RC hold its output and status.
ctl() {
	oms_ctl "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
# valid ID KIND: 0 when `outbox show ID` prints a body valid against
# KIND's XSD.
valid() {
	oms_ctl outbox show "$1" | sed -n '/^<?xml/,$p' >"$T/body.xml"
	xmllint --noout --nonet --schema "$OMS_SRCDIR/docs/exchange/$2.xsd" \
	    "$T/body.xml" 2>"$T/xmllint.err"
}

n0=$(oms_sql "SELECT COUNT(*) FROM outbox")
tap_is "$n0" 0 "the demo data has no message yet"

# ------------------------------------------------------ the pages
c=$(oms_sql "SELECT MIN(customer_id) FROM sites")
site=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $c")
cc=$(oms_sql "SELECT MIN(id) FROM cost_centres WHERE customer_id = $c")
product=$(oms_sql "SELECT MIN(id) FROM products WHERE asset_type = 'line' AND max_ports >= 1 AND min_ports <= 1")
post /orders site="$site" action=add product="$product" cc="$cc" ports=1 notes="Outbox"
id=$(http_header Location | sed -n 's,^.*/orders/\([0-9]*\)$,\1,p')
tap_is "$HTTP_STATUS/${id:+id}" 303/id "an order is recorded through the pages"
ref=$(oms_sql "SELECT ref FROM orders WHERE id = $id")
post "/orders/$id/act" verb=submit version="$(version "$id")"
if [ "$(oms_sql "SELECT state FROM orders WHERE id = $id")" = awaiting_approval ]; then
	post "/orders/$id/act" verb=approve version="$(version "$id")"
fi
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox")" 0 "submitted: no message yet"
post "/orders/$id/act" verb=approve version="$(version "$id")"
tap_is "$HTTP_STATUS/$(oms_sql "SELECT state FROM orders WHERE id = $id")" 303/approved "the admin approves"
ctl outbox list --system vendor
tap_is "$RC/$(printf '%s\n' "$OUT" | wc -l)" 0/1 "outbox list --system vendor: one message"
tap_like "$OUT" "^[0-9]+	pending	vendor	PlaceOrder	$ref/1#1	$ref	-	0	oms-" \
    "a pending PlaceOrder of the order, keyed by its line, seq 1"
pid=$(printf '%s\n' "$OUT" | cut -f1)
valid "$pid" PlaceOrder
tap_is "$?" 0 "its body is valid against PlaceOrder.xsd" || tap_diag "$(cat "$T/xmllint.err")"
ctl outbox show "$pid"
tap_like "$OUT" "<order ref=\"$ref\" line=\"1\" action=\"add\"/>" "outbox show prints the canonical XML"
tap_like "$OUT" "state: pending" "with its state"

day=$(date -u +%F)
post "/orders/$id/act" verb=schedule version="$(version "$id")" date="$day"
post "/orders/$id/act" verb=complete version="$(version "$id")" date="$day"
tag=$(oms_sql "SELECT a.tag FROM order_lines l JOIN assets a ON a.id = l.asset_id WHERE l.order_id = $id")
tap_is "$HTTP_STATUS/$(oms_sql "SELECT state FROM orders WHERE id = $id")/${tag:+tag}" 303/completed/tag \
    "scheduled and completed through the pages"
ctl outbox list --system finance
tap_like "$RC/$OUT" "^0/[0-9]+	pending	finance	BookLease	$tag#1	$ref	$tag	0	oms-" \
    "a BookLease to finance with the new asset's tag"
bid=$(printf '%s\n' "$OUT" | cut -f1)
valid "$bid" BookLease
tap_is "$?" 0 "its body is valid against BookLease.xsd" || tap_diag "$(cat "$T/xmllint.err")"
ctl outbox show "$bid"
tap_like "$OUT" "<effectiveOn>$day</effectiveOn>" "the lease starts on the completion date"
# The whole body, every value from SQL (message id and time from the row).
esc() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
q() { esc "$(oms_sql "$1")"; }
region=$(q "SELECT region FROM sites WHERE id = $site")
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<BookLease xmlns="urn:oms:exchange:1">'
	echo "  <messageId>$(q "SELECT message_id FROM outbox WHERE id = $bid")</messageId>"
	echo "  <createdAt>$(q "SELECT created_at FROM outbox WHERE id = $bid")</createdAt>"
	echo "  <order ref=\"$ref\" line=\"1\" action=\"add\"/>"
	echo "  <asset tag=\"$tag\"/>"
	echo "  <customer code=\"$(q "SELECT code FROM customers WHERE id = $c")\" name=\"$(q "SELECT name FROM customers WHERE id = $c")\"/>"
	echo "  <site code=\"$(q "SELECT code FROM sites WHERE id = $site")\" name=\"$(q "SELECT name FROM sites WHERE id = $site")\">"
	echo "    <address>$(q "SELECT address FROM sites WHERE id = $site")</address>"
	echo "    <city>$(q "SELECT city FROM sites WHERE id = $site")</city>"
	[ -n "$region" ] && echo "    <region>$region</region>"
	echo "    <postcode>$(q "SELECT postcode FROM sites WHERE id = $site")</postcode>"
	echo "    <country>$(q "SELECT country FROM sites WHERE id = $site")</country>"
	echo "  </site>"
	echo "  <costCentre code=\"$(q "SELECT code FROM cost_centres WHERE id = $cc")\" name=\"$(q "SELECT name FROM cost_centres WHERE id = $cc")\"/>"
	echo "  <product code=\"$(q "SELECT code FROM products WHERE id = $product")\" name=\"$(q "SELECT name FROM products WHERE id = $product")\" type=\"line\"/>"
	echo "  <ports>1</ports>"
	echo "  <monthlyAmount currency=\"$(q "SELECT currency FROM customers WHERE id = $c")\">$(q "SELECT mrc_after_cents FROM order_lines WHERE order_id = $id")</monthlyAmount>"
	echo "  <effectiveOn>$day</effectiveOn>"
	echo '</BookLease>'
} >"$T/expected.xml"
oms_ctl outbox show "$bid" | sed -n '/^<?xml/,$p' >"$T/got.xml"
tap_is "$(diff -u "$T/expected.xml" "$T/got.xml")" "" \
    "the BookLease is exactly the expected document (values from SQL)"

# ------------------------------------------------ omsctl import orders
ccode=$(oms_sql "SELECT code FROM customers WHERE id = $c")
scode=$(oms_sql "SELECT code FROM sites WHERE id = $site")
cccode=$(oms_sql "SELECT code FROM cost_centres WHERE id = $cc")
pcode=$(oms_sql "SELECT code FROM products WHERE id = $product")
d0=$(date -u -d '3 days ago' +%F)
{
	echo order_ref,line,action,customer,asset_tag,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,parent_tag,requested_on,completed_on,fee_override,reason
	echo "OBX-1,1,add,$ccode,OBX-A1,$scode,$cccode,$pcode,1,+15557770001,,,,,$d0,$d0,,"
	echo "OBX-2,1,disconnect,$ccode,OBX-A1,,,,,,,,,,$day,$day,,"
} >"$T/orders.csv"
ctl import orders "$T/orders.csv"
tap_is "$RC" 0 "omsctl import orders: an add and a disconnect of it" || tap_diag "$ERR"
tap_is "$(oms_sql "SELECT kind, seq FROM outbox WHERE seq_key = 'OBX-A1' AND system = 'vendor' ORDER BY id" | tr '\n' ' ')" \
    "PlaceOrder|1 DisconnectOrder|2 " "the vendor: PlaceOrder then DisconnectOrder, in the asset's order"
tap_is "$(oms_sql "SELECT kind, seq FROM outbox WHERE seq_key = 'OBX-A1' AND system = 'finance' ORDER BY id" | tr '\n' ' ')" \
    "BookLease|1 ReturnAsset|2 " "finance: BookLease then ReturnAsset, in the asset's order"
ctl outbox list --system finance --limit 1
rid=$(printf '%s\n' "$OUT" | cut -f1)
tap_like "$RC/$OUT" "^0/[0-9]+	pending	finance	ReturnAsset	OBX-A1#2	OBX-2	OBX-A1	" \
    "outbox list is newest first; --limit 1 gives the ReturnAsset"
valid "$rid" ReturnAsset
tap_is "$?" 0 "its body is valid against ReturnAsset.xsd" || tap_diag "$(cat "$T/xmllint.err")"
did=$(oms_sql "SELECT id FROM outbox WHERE kind = 'DisconnectOrder' AND order_ref = 'OBX-2'")
valid "$did" DisconnectOrder
tap_is "$?" 0 "the DisconnectOrder is valid against DisconnectOrder.xsd" || tap_diag "$(cat "$T/xmllint.err")"
ctl outbox list
tap_is "$(printf '%s\n' "$OUT" | wc -l)" "$(oms_sql "SELECT COUNT(*) FROM outbox")" "outbox list: every message"
tap_is "$(oms_sql "SELECT COUNT(DISTINCT message_id) FROM outbox")" "$(oms_sql "SELECT COUNT(*) FROM outbox")" \
    "every message id is unique"

# --------------------------------------------------------- resend
ctl outbox resend "$bid"
tap_like "$RC/$ERR" "^1/.*not resent: This message is waiting to be sent already" \
    "bad: a pending message is not resent (exit 1)"
oms_sql_write "UPDATE outbox SET state = 'dead', attempts = 8, last_error = 'peer said no' WHERE id = $bid" >/dev/null
ctl outbox list --state dead
tap_like "$RC/$OUT" "^0/$bid	dead	finance	BookLease	.*	8	oms-[^	]*	peer said no$" \
    "outbox list --state dead shows it with its attempts and reason"
audits=$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox' AND action = 'resend'")
ctl outbox resend "$bid"
tap_is "$RC/$OUT" "0/message $bid is pending again" "outbox resend puts a dead message back"
tap_is "$(oms_sql "SELECT state, attempts, COALESCE(last_error, '-') FROM outbox WHERE id = $bid")" \
    "pending|0|-" "pending, no attempts, no error"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox' AND action = 'resend'")" \
    "$((audits + 1))" "the resend is audited"
ctl audit verify
tap_is "$RC" 0 "the audit chain holds"

# ---------------------------------------------------- usage errors
ctl outbox list --state bogus
tap_like "$RC/$ERR" "^1/.*--state: pending, sending, unknown, delivered or dead" "bad: an unknown state (exit 1)"
ctl outbox show 999999
tap_like "$RC/$ERR" "^1/.*no message 999999" "bad: show of a missing message (exit 1)"
ctl outbox drain
tap_is "$RC" 1 "bad: outbox drain without an [exchange] section fails (exit 1)"


tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx"
tap_done
