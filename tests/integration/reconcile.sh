#!/bin/bash
# reconcile.sh: monitoring and reconciliation of the legacy exchange
# (issue 10, item 6) end to end.
#
# A small installation is built through the real paths: the catalog,
# customers, sites and assets of tests/fixtures/billing imported with
# omsctl, January 2028's orders imported completed (which writes their
# outbox messages), 2028-01 issued with `omsctl bill issue`, then an
# add completed back in January after the run (an asset in service
# that January's invoice does not bill).  What the other components of
# issue 10 write -- the dispatcher (message states, replies,
# vendor_orders 'placed' and asset_leases on accepted replies) and the
# inbound /soap service (vendor order status, LeaseBooked) -- is
# planted straight into the database with the sqlite3 / mariadb client,
# as those components would leave it.
#
# Planted for 2028-01, one of each kind of mismatch, and a control set
# that matches:
#   no-lease              B1 (in service, no lease)   [+ A6, below]
#   lease-not-in-service  A3 (removed 2028-01-20, lease still booked)
#   billed-no-order       A5 (add-on of O5: its vendor order rejected,
#                         its PlaceOrder dead)
#   lease-amount          G1 (lease 15.00 a month, billed 1 port x 10.00)
#   not-billed            A6 (O6, completed 2028-01-25 after the run;
#                         it has no lease either: a no-lease row too)
#   installed-no-asset    O4's line: the vendor says installed on
#                         2028-01-25, no asset given
#   control: A2 (lease 60.00 = 6 ports x 10.00, the segment after its
#   change from 4 ports, not the first), A1 (lease 25.00 = its 20.00 and
#   its add-on A5's 5.00: A5 has no lease of its own; vendor order
#   installed), A4 (lease 20.00 = 2 ports; its vendor order is its
#   delivered PlaceOrder, no vendor_orders row), Z1 (a lease that starts
#   in April: not in January's report).
# The report must find exactly these, the same in the page's XML, its
# CSV and `omsctl reconcile` (text and CSV; exit 1), and nothing for a
# quiet period (exit 0); bad periods are 400 and exit 2.
#
# The integration page: counts by system and state match the states
# planted on the messages, the oldest waiting of each system, the dead
# ones with their reasons, the unknown one; a message's page (body,
# reply, last error); Resend puts a dead message back to pending,
# audited, and is refused (409) for a pending or unknown one; vendor
# and finance staff see their own system only and may not resend
# (403), the customer may see none of it (403); unknown ids are 404.
# On the backend of OMS_BACKEND (sqlite, or mariadb through
# tests/mariadb/reconcile.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint
F=$OMS_SRCDIR/tests/fixtures/billing
OMS_NO_SEED=1
export OMS_NO_SEED
oms_start
T=$OMS_DIR/rc
mkdir -p "$T"
# The operator's administrator (no demo data: no demo users).
printf '%s\n' "$OMS_TEST_PASSWORD" | oms_ctl user add admin --role admin --name "RC admin" \
    --email rc-admin@example.com --organisation Operator >"$T/user.out" 2>&1 ||
    tap_bail "cannot add the admin: $(cat "$T/user.out")"
oms_login admin || tap_bail "cannot log in as admin"

# ctl DATE ARG...: omsctl at the business date DATE; OUT, ERR and RC.
ctl() {
	local day=$1
	shift
	oms_ctl --today "$day" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
sqlw() { oms_sql_write "$1" >/dev/null; }

# ------------------------------------------------ the installation
ok=0
for k in products prices usage-prices fees tax-rates customers sites cost-centres assets; do
	ctl 2028-01-01 import "$k" "$F/$k.csv"
	[ "$RC" = 0 ] || { ok=1; tap_diag "import $k: $ERR"; }
done
tap_is "$ok" 0 "the catalog, customers, sites and assets import"
ctl 2028-02-01 import orders "$F/orders-2028-01.csv"
tap_is "$RC" 0 "January's orders import, completed" || tap_diag "$ERR"
ctl 2028-02-01 bill issue --period 2028-01
tap_is "$RC" 0 "2028-01 issues" || tap_diag "$ERR"
{
	echo "order_ref,line,action,customer,asset_tag,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,parent_tag,requested_on,completed_on,fee_override,reason"
	echo "O6,1,add,C1,A6,S1,K1,BLINE,1,,,,,,2028-01-20,2028-01-25,,"
} >"$T/o6.csv"
ctl 2028-02-02 import orders "$T/o6.csv"
tap_is "$RC" 0 "an add completed on 2028-01-25, after the run" || tap_diag "$ERR"

id() { oms_sql "SELECT id FROM assets WHERE tag = '$1'"; }
line() { oms_sql "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.ref = '$1'"; }
oid() { oms_sql "SELECT id FROM orders WHERE ref = '$1'"; }
msg() { oms_sql "SELECT id FROM outbox WHERE order_ref = '$1' AND kind = '$2'"; }
now=2028-02-02T10:00:00.000Z

# ------------------------- what the dispatcher and /soap would write
# Leases (LeaseBooked / BookLease replies).
lease() { # TAG NUMBER STATUS MONTHLY_CENTS STARTS
	sqlw "INSERT INTO asset_leases (asset_id, lease_number, status, term_months, starts_on, monthly_cents, booked_at, updated_at)
	    VALUES ($(id "$1"), '$2', '$3', 36, '$5', $4, '$now', '$now')"
}
lease A2 L-A2 booked 6000 2027-12-01
lease A1 L-A1 booked 2500 2028-01-10
lease A4 L-A4 booked 2000 2028-01-31
lease G1 L-G1 booked 1500 2027-12-01
lease A3 L-A3 booked 2000 2027-12-01
lease Z1 L-Z1 booked 2000 2028-04-08
# Vendor orders (PlaceOrder replies, OrderStatus).
vorder() { # ORDER ASSET-TAG-OR-NULL STATUS INSTALLED_ON-OR-NULL
	local a=NULL
	[ "$2" != NULL ] && a=$(id "$2")
	sqlw "INSERT INTO vendor_orders (order_line_id, order_id, asset_id, vendor_ref, status, installed_on, updated_at)
	    VALUES ($(line "$1"), $(oid "$1"), $a, 'V-$1', '$3', $4, '$now')"
}
vorder O1 A1 installed "'2028-01-10'"
vorder O5 A5 rejected NULL
vorder O4 NULL installed "'2028-01-25'"
# Message states.
state() { # ORDER KIND STATE ATTEMPTS ERROR
	sqlw "UPDATE outbox SET state = '$3', attempts = $4, last_error = $5 WHERE id = $(msg "$1" "$2")"
}
state O1 PlaceOrder delivered 1 NULL
sqlw "UPDATE outbox SET delivered_at = '$now', reply = '<Ack xmlns=\"urn:oms:exchange:1\"><messageId>x</messageId><status>accepted</status><reference>V-O1</reference></Ack>' WHERE id = $(msg O1 PlaceOrder)"
state O2 PlaceOrder delivered 1 NULL
state O3 ChangeOrder dead 8 "'HTTP 500 from the vendor'"
state O5 PlaceOrder dead 8 "'SOAP Fault: unknown product BVMX'"
state O4 DisconnectOrder unknown 1 "'timed out after sending'"
state O1 BookLease sending 1 NULL
tap_is "$(oms_sql "SELECT system, state, COUNT(*) FROM outbox GROUP BY system, state ORDER BY system, state" | tr '\n' ' ')" \
    "finance|pending|5 finance|sending|1 vendor|dead|2 vendor|delivered|2 vendor|pending|1 vendor|unknown|1 " \
    "the outbox holds the planted states (12 messages)"

# ------------------------------------------------ the report
P=2028-01
EXPECT="billed-no-order A5
installed-no-asset -
lease-amount G1
lease-not-in-service A3
no-lease A6
no-lease B1
not-billed A6"
ctl 2028-02-02 reconcile $P
tap_is "$RC" 1 "omsctl reconcile $P: mismatches, exit 1" || tap_diag "$ERR"
tap_is "$(printf '%s\n' "$OUT" | grep -v '^#' | awk -F'\t' '{print $1 " " $2}' | sort)" "$EXPECT" \
    "omsctl reconcile finds exactly each planted mismatch" || tap_diag "$OUT"
tap_like "$OUT" "^lease-amount	G1	C3	-	3	L-G1	15.00	10.00$" \
    "the lease amount row: lease 15.00 a month against 10.00 billed, invoice 3"
tap_like "$OUT" "^installed-no-asset	-	-	O4	-	-	-	-$" "the vendor's installed line links its order"
tap_like "$OUT" "# $P: 8 assets in service, 7 billed, 6 leases booked, 1 vendor orders" "the totals line"
tap_like "$OUT" "# 7 mismatches: no-lease 2, lease-not-in-service 1, billed-no-order 1, lease-amount 1, not-billed 1, installed-no-asset 1" \
    "the count of each kind"
ctl 2028-02-02 reconcile $P --format csv
tap_is "$RC" 1 "omsctl reconcile --format csv: exit 1"
cp "$T/out" "$T/ctl.csv"
tap_is "$(head -n 1 "$T/ctl.csv" | tr -d '\r')" \
    "Kind,Asset,Customer,Order,Vendor reference,Vendor status,Invoice,Lease,Lease monthly,Billed monthly" "its header"
tap_is "$(tail -n +2 "$T/ctl.csv" | tr -d '\r' | awk -F, '{print $1 " " ($2 == "" ? "-" : $2)}' | sort)" "$EXPECT" \
    "the CSV has the same mismatches"
tap_like "$(tr -d '\r' <"$T/ctl.csv")" "billed-no-order,A5,C1,O5,V-O5,rejected,1,,,5.00" \
    "the billed add-on with its rejected vendor order"

http GET "/integration/reconcile?period=$P&format=xml"
tap_is "$HTTP_STATUS" 200 "the report page as XML"
cp "$HTTP_BODY" "$T/page.xml"
pairs=$(for i in $(seq 1 "$(oms_xpath "$T/page.xml" 'count(/page/mismatches/mismatch)')"); do
	k=$(oms_xpath "$T/page.xml" "string(/page/mismatches/mismatch[$i]/@kind)")
	a=$(oms_xpath "$T/page.xml" "string(/page/mismatches/mismatch[$i]/@asset)")
	echo "$k ${a:--}"
done | sort)
tap_is "$pairs" "$EXPECT" "the page's XML has the same mismatches"
tap_is "$(oms_xpath "$T/page.xml" 'string(/page/mismatches/@count)')" 7 "its count"
tap_is "$(oms_xpath "$T/page.xml" "string(/page/mismatches/mismatch[@kind='lease-amount']/@asset-href)")" \
    "/assets/$(id G1)" "a mismatch links its asset"
tap_is "$(oms_xpath "$T/page.xml" "string(/page/mismatches/mismatch[@kind='billed-no-order']/@order-href)")" \
    "/orders/$(oid O5)" "and its order"
tap_is "$(oms_xpath "$T/page.xml" "string(/page/mismatches/mismatch[@kind='lease-amount']/@invoice-href)")" \
    "/invoices/$(oms_sql "SELECT i.id FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.code = 'C3' AND i.period = '$P'")" \
    "and the invoice that bills it"
http GET "/integration/reconcile?period=$P&format=csv"
tap_is "$HTTP_STATUS" 200 "the report as CSV"
tap_is "$(cmp -s "$HTTP_BODY" "$T/ctl.csv"; echo $?)" 0 "the page's CSV is byte for byte omsctl's" ||
    tap_diag "$(diff "$HTTP_BODY" "$T/ctl.csv")"
http GET "/integration/reconcile?period=$P"
tap_is "$HTTP_STATUS" 200 "the report page as HTML"
tap_like "$(cat "$HTTP_BODY")" "7 mismatches" "it says how many"
tap_like "$(cat "$HTTP_BODY")" "href=\"/assets/$(id B1)\"" "with links to the assets"

ctl 2028-02-02 reconcile 2027-06
tap_is "$RC/$(printf '%s\n' "$OUT" | grep -vc '^#')" 0/0 "a period where everything matches: exit 0, no row"
ctl 2028-02-02 reconcile 2028-13
tap_like "$RC/$ERR" "^2/.*expected a period YYYY-MM" "bad: a month 13 is refused (exit 2)"
ctl 2028-02-02 reconcile
tap_is "$RC" 2 "bad: no period (usage, exit 2)"
ctl 2028-02-02 reconcile $P --format xls
tap_is "$RC" 2 "bad: an unknown format (usage, exit 2)"
http GET "/integration/reconcile?period=2028-13"
tap_is "$HTTP_STATUS" 400 "bad: the page refuses a month 13 (400)"
http GET "/integration/reconcile?period=January"
tap_is "$HTTP_STATUS" 400 "bad: and a period that is not YYYY-MM (400)"

# ------------------------------------------------ the integration page
http GET "/integration?format=xml"
tap_is "$HTTP_STATUS" 200 "the integration page as XML"
cp "$HTTP_BODY" "$T/int.xml"
cnt() { oms_xpath "$T/int.xml" "string(/page/counts/system[@name='$1']/@$2)"; }
tap_is "$(cnt vendor pending)/$(cnt vendor delivered)/$(cnt vendor dead)/$(cnt vendor unknown)/$(cnt vendor sending)/$(cnt vendor total)" \
    1/2/2/1/0/6 "vendor: 1 pending, 2 delivered, 2 dead, 1 unknown, 6 in all"
tap_is "$(cnt finance pending)/$(cnt finance sending)/$(cnt finance dead)/$(cnt finance total)" \
    5/1/0/6 "finance: 5 pending, 1 sending, 6 in all"
tap_is "$(oms_xpath "$T/int.xml" "string(/page/oldest/waiting[@system='vendor']/@id)")" \
    "$(oms_sql "SELECT MIN(id) FROM outbox WHERE system = 'vendor' AND state IN ('pending', 'sending', 'unknown') AND created_at = (SELECT MIN(created_at) FROM outbox WHERE system = 'vendor' AND state IN ('pending', 'sending', 'unknown'))")" \
    "the oldest waiting vendor message"
tap_like "$(oms_xpath "$T/int.xml" "string(/page/oldest/waiting[@system='finance']/@age-seconds)")" '^[0-9]+$' \
    "the oldest waiting finance message has an age"
dead5=$(msg O5 PlaceOrder)
tap_is "$(oms_xpath "$T/int.xml" "string(/page/result/@dead)")/$(oms_xpath "$T/int.xml" "count(/page/list[@state='dead']/message)")" \
    2/2 "two dead messages listed"
tap_is "$(oms_xpath "$T/int.xml" "string(/page/list[@state='dead']/message[@id='$dead5']/error)")" \
    "SOAP Fault: unknown product BVMX" "each with the reason of its last failure"
tap_is "$(oms_xpath "$T/int.xml" "string(/page/list[@state='unknown']/message/@kind)")" DisconnectOrder \
    "the unknown message is listed"
http GET "/integration"
tap_is "$HTTP_STATUS" 200 "the integration page as HTML"
tap_like "$(cat "$HTTP_BODY")" "HTTP 500 from the vendor" "it shows the reasons"
tap_like "$(cat "$HTTP_BODY")" 'href="/integration"' "the navigation links the integration page"
http GET "/integration?format=csv"
tap_is "$HTTP_STATUS/$(tail -n +2 "$HTTP_BODY" | wc -l)" 200/3 "as CSV: the dead and unknown messages"
http GET "/integration?system=finance&format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/counts/system)')/$(oms_xpath "$HTTP_BODY" 'string(/page/counts/system/@name)')" \
    1/finance "?system= narrows the page to one system"

http GET "/integration/messages/$(msg O1 PlaceOrder)?format=xml"
tap_is "$HTTP_STATUS" 200 "a message's page"
tap_like "$(oms_xpath "$HTTP_BODY" 'string(/page/message/body)')" '<order ref="O1" line="1" action="add"/>' \
    "with its body"
tap_like "$(oms_xpath "$HTTP_BODY" 'string(/page/message/reply)')" '<reference>V-O1</reference>' \
    "and the reply, indented" || tap_diag "$(cat "$HTTP_BODY")"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/message/@delivered)')/$(oms_xpath "$HTTP_BODY" 'count(/page/resend)')" \
    "$now/1" "delivered: when, and a Resend form"
http GET "/integration/messages/$dead5"
tap_like "$(cat "$HTTP_BODY")" "SOAP Fault: unknown product BVMX" "a dead message's page shows its last error"
tap_like "$(cat "$HTTP_BODY")" "action=\"/integration/messages/$dead5/resend\"" "and the Resend form"

csrf=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
[ -n "$csrf" ] || { http GET '/integration?format=xml'; csrf=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)'); }
audits=$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox' AND action = 'resend'")
http POST "/integration/messages/$dead5/resend" --data-urlencode "csrf=$csrf"
tap_is "$HTTP_STATUS/$(http_header Location)" "303//integration/messages/$dead5" "Resend answers 303 to the message"
tap_is "$(oms_sql "SELECT state, attempts, COALESCE(last_error, '-') FROM outbox WHERE id = $dead5")" "pending|0|-" \
    "the dead message is pending again, no attempts, no error"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox' AND action = 'resend'")" "$((audits + 1))" \
    "the resend is audited"
tap_is "$(oms_sql "SELECT login FROM audit_log WHERE entity = 'outbox' AND action = 'resend' ORDER BY id DESC LIMIT 1")" \
    admin "by the admin who pressed it" 2>/dev/null ||
    tap_diag "$(oms_sql "SELECT * FROM audit_log WHERE entity = 'outbox' ORDER BY id DESC LIMIT 1")"
http POST "/integration/messages/$dead5/resend" --data-urlencode "csrf=$csrf"
tap_is "$HTTP_STATUS" 409 "bad: a pending message is not resent (409)"
tap_like "$(cat "$HTTP_BODY")" "waiting to be sent already" "and the page says why"
http POST "/integration/messages/$(msg O4 DisconnectOrder)/resend" --data-urlencode "csrf=$csrf"
tap_is "$HTTP_STATUS/$(oms_sql "SELECT state FROM outbox WHERE id = $(msg O4 DisconnectOrder)")" 409/unknown \
    "bad: an unknown message is never resent blind (409)"
http POST "/integration/messages/$(msg O3 ChangeOrder)/resend"
tap_is "$HTTP_STATUS/$(oms_sql "SELECT state FROM outbox WHERE id = $(msg O3 ChangeOrder)")" 403/dead \
    "bad: a resend without the form's token is refused"
http GET "/integration/messages/999999"
tap_is "$HTTP_STATUS" 404 "bad: an unknown message is 404"
http POST "/integration/messages/999999/resend" --data-urlencode "csrf=$csrf"
tap_is "$HTTP_STATUS" 404 "bad: resending an unknown message is 404"
http GET "/integration?page=0"
tap_is "$HTTP_STATUS" 400 "bad: page 0 is refused (400)"

# ------------------------------------------------ who sees what
c1=$(oms_sql "SELECT id FROM customers WHERE code = 'C1'")
for u in vendor finance customer; do
	extra=()
	[ "$u" = customer ] && extra=(--customer "$c1")
	printf '%s\n' "$OMS_TEST_PASSWORD" | oms_ctl user add "rc-$u" --role "$u" --name "RC $u" \
	    --email "rc-$u@example.com" --organisation "RC" "${extra[@]}" >"$T/user.out" 2>&1 ||
	    tap_diag "user add rc-$u: $(cat "$T/user.out")"
done
oms_login rc-vendor || tap_bail "cannot log in as rc-vendor"
http GET "/integration?format=xml"
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'count(/page/counts/system)')/$(oms_xpath "$HTTP_BODY" 'string(/page/counts/system/@name)')" \
    200/1/vendor "the vendor's staff see their own system only"
http GET "/integration?system=finance&format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/counts/system/@name)')" vendor "bad: even when asking for another"
http GET "/integration/messages/$(msg O1 BookLease)"
tap_is "$HTTP_STATUS" 404 "bad: a finance message is 404 to the vendor"
http GET "/integration/messages/$(msg O3 ChangeOrder)?format=xml"
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'count(/page/resend)')" 200/0 "a vendor message, without a Resend form"
vcsrf=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
http POST "/integration/messages/$(msg O3 ChangeOrder)/resend" --data-urlencode "csrf=$vcsrf"
tap_is "$HTTP_STATUS/$(oms_sql "SELECT state FROM outbox WHERE id = $(msg O3 ChangeOrder)")" 403/dead \
    "bad: the vendor may not resend (403)"
http GET "/integration/reconcile?period=$P"
tap_is "$HTTP_STATUS" 403 "bad: the vendor may not see the reconciliation (403)"
oms_login rc-finance || tap_bail "cannot log in as rc-finance"
http GET "/integration/reconcile?period=$P&format=xml"
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'string(/page/mismatches/@count)')" 200/7 "finance sees the reconciliation"
http GET "/integration?format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/counts/system/@name)')" finance "finance sees its own system"
oms_login rc-customer || tap_bail "cannot log in as rc-customer"
http GET "/integration"
tap_is "$HTTP_STATUS" 403 "bad: a customer may not see the integration page (403)"
http GET "/integration/messages/$(msg O1 PlaceOrder)"
tap_is "$HTTP_STATUS" 403 "bad: nor a message (403)"
http GET "/integration/reconcile?period=$P"
tap_is "$HTTP_STATUS" 403 "bad: nor the reconciliation (403)"
oms_anonymous
http GET "/integration?format=xml"
tap_is "$HTTP_STATUS" 401 "bad: anonymous XML is 401"

ctl 2028-02-02 audit verify
tap_is "$RC" 0 "the audit chain holds"
tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx"
tap_done
