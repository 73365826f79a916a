#!/bin/bash
# The inbound SOAP service (/soap, WSDL at /soap?wsdl) through nginx,
# called by the npm soap client (not OMS's code) built from the WSDL
# OMS serves: every operation, per-request authentication (WS-Security
# and HTTP basic), the policy per operation, replay and conflict
# deduplication, a Fault for every class of bad input with omsd still
# serving after each, and the XML attack corpus of
# tests/fixtures/xml-attacks.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need node curl
[ -d "$OMS_SRCDIR/tests/node_modules/soap" ] ||
    tap_skip_all "tests/node_modules/soap is missing (cd tests && npm ci)"
oms_need_stack
oms_start
CLIENT="$OMS_SRCDIR/tests/integration/soap_client.js"
WSDL="$OMS_URL/soap?wsdl"
VPW=Vendor-integration-7
FPW=Finance-integration-7

printf '%s\n' "$VPW" | oms_ctl user add vos --role integration --system vendor \
    --name 'Vendor Order System' --email vos@example.com --organisation 'Telecom Vendor' >/dev/null
tap_ok $? "omsctl creates a vendor integration account"
printf '%s\n' "$FPW" | oms_ctl user add lease --role integration --system finance \
    --operations LeaseBooked,QueryAssets --name 'Lease system' --email lease@example.com \
    --organisation 'Finance Company' >/dev/null
tap_ok $? "omsctl creates a finance integration account limited to two operations"
printf '%s\n' "$VPW" | oms_ctl user add bad1 --role integration --system vendor \
    --operations LeaseBooked --name X --email x@example.com --organisation X >/dev/null 2>&1
tap_isnt $? 0 "bad: an operation not of the account's system is refused"
tap_is "$(oms_sql "SELECT role FROM users WHERE login = 'vos'")" integration "the account has the integration role"

call() { node "$CLIENT" "$WSDL" "$@"; }
V=(--wsse "vos:$VPW")
F=(--basic "lease:$FPW")

wsdl=$(curl -s -m 10 "$WSDL")
tap_like "$wsdl" "location=\"$OMS_URL/soap\"" "the WSDL's soap:address is this server's /soap"

cust=$(oms_sql "SELECT c.code FROM customers c JOIN sites s ON s.customer_id = c.id JOIN assets a ON a.site_id = s.id ORDER BY c.id, s.id LIMIT 1")
site=$(oms_sql "SELECT s.code FROM customers c JOIN sites s ON s.customer_id = c.id JOIN assets a ON a.site_id = s.id WHERE c.code = '$cust' ORDER BY s.id LIMIT 1")
nassets=$(oms_sql "SELECT COUNT(*) FROM assets a JOIN sites s ON s.id = a.site_id JOIN customers c ON c.id = s.customer_id WHERE c.code = '$cust' AND s.code = '$site'")
tag=$(oms_sql "SELECT a.tag FROM assets a JOIN sites s ON s.id = a.site_id WHERE s.code = '$site' ORDER BY a.id LIMIT 1")

r=$(call QueryAssets "{\"messageId\":\"q-1\",\"customerCode\":\"$cust\",\"siteCode\":\"$site\"}" "${V[@]}")
tap_like "$r" '^OK ' "QueryAssets answers the vendor (WS-Security)"
tap_like "$r" "\"count\":\"?$nassets\"?" "with the site's asset count ($nassets)"
tap_like "$r" "\"tag\":\"$tag\"" "and its assets"
r2=$(call QueryAssets "{\"messageId\":\"q-1\",\"customerCode\":\"$cust\",\"siteCode\":\"$site\"}" "${V[@]}")
tap_is "$r2" "$r" "a replay of the same message gets the same answer"
raw() { curl -s -m 20 -o "$OMS_DIR/raw.out" -w '%{http_code}' -H 'Content-Type: text/xml' "$@" "$OMS_URL/soap"; }
env_q() { printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:o="urn:oms:soap:1"><soap:Body><o:QueryAssets><o:messageId>%s</o:messageId><o:customerCode>%s</o:customerCode><o:siteCode>%s</o:siteCode></o:QueryAssets></soap:Body></soap:Envelope>' "$@"; }
raw -u "vos:$VPW" --data-binary "$(env_q raw-1 "$cust" "$site")" >/dev/null
cp "$OMS_DIR/raw.out" "$OMS_DIR/raw1.out"
raw -u "vos:$VPW" --data-binary "$(env_q raw-1 "$cust" "$site")" >/dev/null
tap_cmd "a replay's answer is byte-identical (HTTP basic)" cmp -s "$OMS_DIR/raw1.out" "$OMS_DIR/raw.out"
r=$(call QueryAssets "{\"messageId\":\"q-1\",\"customerCode\":\"$cust\",\"siteCode\":\"nosuch\"}" "${V[@]}")
tap_like "$r" '^FAULT soap:Client .*already used' "bad: the same id with another body gets a Client Fault"
tap_like "$r" '#500$' "as HTTP 500 (SOAP 1.1)"
tap_is "$(oms_sql "SELECT COUNT(*) FROM inbound_messages WHERE message_id IN ('q-1', 'raw-1')")" 2 "each message is remembered once"

r=$(call QueryAssets "{\"messageId\":\"q-2\",\"customerCode\":\"$cust\",\"siteCode\":\"nosuch\"}" "${V[@]}")
tap_like "$r" '^FAULT soap:Client There is no site' "bad: an unknown site gets a Fault saying so"

# LeaseBooked: finance only.
lb="{\"messageId\":\"l-1\",\"assetTag\":\"$tag\",\"leaseNumber\":\"LN-77\",\"termMonths\":36,\"startsOn\":\"2030-01-01\",\"monthlyAmount\":1234,\"schedule\":{\"payment\":[{\"dueOn\":\"2030-02-01\",\"amount\":1234}]}}"
r=$(call LeaseBooked "$lb" "${F[@]}")
tap_like "$r" '^OK .*LN-77' "LeaseBooked answers the lease system (HTTP basic)"
tap_is "$(oms_sql "SELECT l.lease_number, l.term_months, l.monthly_cents FROM asset_leases l JOIN assets a ON a.id = l.asset_id WHERE a.tag = '$tag'")" "LN-77|36|1234" "the lease is stored on the asset"
r=$(call LeaseBooked "${lb/l-1/l-2}" "${V[@]}")
tap_like "$r" '^FAULT soap:Client This account may not call LeaseBooked' "bad: the vendor may not book a lease"
r=$(call LeaseBooked "$(printf '%s' "${lb/l-1/l-3}" | sed "s/$tag/NO-SUCH-TAG/")" "${F[@]}")
tap_like "$r" '^FAULT soap:Client There is no asset' "bad: an unknown asset gets a Fault saying so"
r=$(call GetInvoice "{\"messageId\":\"g-1\",\"customerCode\":\"$cust\",\"period\":\"2030-01\"}" "${F[@]}")
tap_like "$r" '^FAULT soap:Client This account may not call GetInvoice' "bad: an operation the account was not granted"

# OrderStatus on an order line, if the seed made orders.
ref=$(oms_sql "SELECT o.ref FROM orders o JOIN order_lines l ON l.order_id = o.id ORDER BY o.id LIMIT 1")
if [ -n "$ref" ]; then
	r=$(call OrderStatus "{\"messageId\":\"o-1\",\"orderRef\":\"$ref\",\"line\":1,\"status\":\"scheduled\",\"vendorRef\":\"VOS-1\",\"scheduledOn\":\"2030-01-05\"}" "${V[@]}")
	tap_like "$r" "^OK .*$ref" "OrderStatus answers the vendor"
	tap_is "$(oms_sql "SELECT v.status, v.vendor_ref, v.scheduled_on FROM vendor_orders v JOIN orders o ON o.id = v.order_id WHERE o.ref = '$ref'")" "scheduled|VOS-1|2030-01-05" "the line's status is stored in vendor_orders"
else
	tap_skip "the seed made no orders" 2
fi
r=$(call OrderStatus "{\"messageId\":\"o-2\",\"orderRef\":\"NOPE\",\"line\":1,\"status\":\"acknowledged\"}" "${V[@]}")
tap_like "$r" '^FAULT soap:Client There is no order NOPE' "bad: an unknown order gets a Fault saying so"
r=$(call GetInvoice "{\"messageId\":\"g-2\",\"customerCode\":\"$cust\",\"period\":\"1999-01\"}" "${V[@]}")
tap_like "$r" '^FAULT soap:Client There is no invoice' "bad: GetInvoice of a period never issued gets a Fault"
r=$(call GetBillingReport "{\"messageId\":\"g-3\",\"customerCode\":\"$cust\",\"period\":\"1999-01\"}" "${V[@]}")
tap_like "$r" '^FAULT soap:Client There is no invoice' "bad: GetBillingReport likewise"

# Authentication.
r=$(call QueryAssets "{\"messageId\":\"a-1\",\"customerCode\":\"$cust\",\"siteCode\":\"$site\"}" --wsse "vos:wrong-password-1")
tap_like "$r" '^FAULT soap:Client Authentication failed\.' "bad: a wrong password gets a Fault"
r2=$(call QueryAssets "{\"messageId\":\"a-1\",\"customerCode\":\"$cust\",\"siteCode\":\"$site\"}" --wsse "nobody:wrong-password-1")
tap_is "$r2" "$r" "bad: an unknown login gets the very same Fault"
r=$(call QueryAssets "{\"messageId\":\"a-2\",\"customerCode\":\"$cust\",\"siteCode\":\"$site\"}")
tap_like "$r" '^FAULT soap:Client Authentication failed' "bad: no credentials get a Fault"
code=$(raw --cookie "oms_session=$(oms_session_cookie 2>/dev/null)" --data-binary "$(env_q c-1 "$cust" "$site")")
tap_like "$(cat "$OMS_DIR/raw.out")" 'Authentication failed' "bad: a person's session cookie is no way into /soap"
printf '%s\n' "$VPW" | oms_ctl user add demoint --role integration --system vendor \
    --name D --email d@example.com --organisation D >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$OMS_DIR/j" -d "login=demoint&password=$VPW" "$OMS_URL/login")
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'demoint'")" 0 "bad: an integration account cannot log in to the pages"

# Bad input classes, each a Fault, omsd serving after each.
ALIVE=0
alive() {
	local r
	ALIVE=$((ALIVE + 1))
	r=$(call QueryAssets "{\"messageId\":\"alive-$ALIVE\",\"customerCode\":\"$cust\",\"siteCode\":\"$site\"}" "${V[@]}")
	tap_like "$r" '^OK ' "omsd still serves after $1"
}
badraw() { # NAME EXPECT BODY-FILE
	local code
	code=$(raw -u "vos:$VPW" --data-binary @"$3")
	tap_is "$code" 500 "bad: $1 answers HTTP 500"
	tap_like "$(head -c 2000 "$OMS_DIR/raw.out")" "<faultcode>soap:Client</faultcode>.*$2" "bad: $1 gets a Client Fault saying so"
	tap_unlike "$(cat "$OMS_DIR/raw.out")" 'root:x:0:0' "bad: $1: no /etc/passwd in the answer"
	alive "$1"
}
T=$OMS_DIR
printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a>' >"$T/malformed.xml"
badraw "malformed XML" "not well-formed" "$T/malformed.xml"
printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:o="urn:oms:soap:1"><soap:Body><o:DropTables><o:messageId>u-1</o:messageId></o:DropTables></soap:Body></soap:Envelope>' >"$T/unknown.xml"
badraw "an unknown operation" "Unknown operation .DropTables." "$T/unknown.xml"
printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:o="urn:oms:soap:1"><soap:Body><o:QueryAssets><o:messageId>s-1</o:messageId><o:siteCode>x</o:siteCode></o:QueryAssets></soap:Body></soap:Envelope>' >"$T/schema.xml"
badraw "a schema violation" "does not match the schema" "$T/schema.xml"
printf '<x/>' >"$T/notsoap.xml"
badraw "a document that is no Envelope" "not a SOAP 1.1 Envelope" "$T/notsoap.xml"
for f in billion-laughs external-entity external-dtd parameter-entities; do
	badraw "attack $f" "DOCTYPE not allowed" "$OMS_SRCDIR/tests/fixtures/xml-attacks/$f.xml"
done
{ printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
  for _ in $(seq 100000); do printf '<a>'; done; } >"$T/deep.xml"
badraw "attack deep nesting (100,000)" "deeper than" "$T/deep.xml"
{ printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a b="'
  head -c 2000000 /dev/zero | tr '\0' 'A'; printf '"/></soap:Body></soap:Envelope>'; } >"$T/big.xml"
badraw "an oversized envelope (2 MB)" "larger than" "$T/big.xml"
{ printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a b="'
  head -c 20000000 /dev/zero | tr '\0' 'A'; printf '"/></soap:Body></soap:Envelope>'; } >"$T/huge.xml"
badraw "attack huge attribute (20 MB)" "larger than" "$T/huge.xml"
{ printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a'
  for i in $(seq 30000); do printf ' a%d="1"' "$i"; done; printf '/></soap:Body></soap:Envelope>'; } >"$T/attrs.xml"
badraw "attack many attributes" "larger than|Unknown operation|not well-formed" "$T/attrs.xml"
{ printf '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><a'
  for i in $(seq 20000); do printf ' xmlns:n%d="urn:n%d"' "$i" "$i"; done; printf '/></soap:Body></soap:Envelope>'; } >"$T/ns.xml"
badraw "attack namespace bomb" "larger than|Unknown operation|not well-formed" "$T/ns.xml"
tap_cmd "omsd is still running" kill -0 "$OMS_PID"
tap_done
