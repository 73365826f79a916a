#!/bin/bash
# soap_adapter.sh: the SOAP adapter (backends/exchange/soap.c) and the
# shipped mapping stylesheets (xslt/exchange/) against the real test
# peers (tests/peers/: npm soap servers from the vendor's and the lease
# system's own WSDLs), driven by tests/unit/xsend (the dispatcher's
# steps: map, send, map the reply).  The canonical messages are
# fixtures made by the real outbox (tests/fixtures/exchange/, checked
# here against docs/exchange/*.xsd); their mapped requests must be valid
# against each peer's WSDL schema.  Every result class of exchange.h is
# provoked with the peers' fault injection: down, HTTP 500, Server and
# Client Faults, stall past the timeout, commit then drop, reset, slow,
# duplicate replies, wrong credentials (HTTP basic and WS-Security), a
# wrong path, and TLS against a self-signed endpoint (openssl s_server).
# No database: nothing here touches one.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
. "$OMS_SRCDIR/tests/peers/lib.sh"

XSEND=$OMS_BUILDDIR/tests/unit/xsend
oms_need node curl xmllint xsltproc openssl "$XSEND"
[ -d "$OMS_SRCDIR/tests/node_modules/soap" ] ||
    tap_skip_all "tests/node_modules/soap is missing (cd tests && npm ci)"
oms_tmpdir
PEER_DIR=$OMS_TMP
T=$OMS_TMP
FIX=$OMS_SRCDIR/tests/fixtures/exchange
EX=$OMS_SRCDIR/tests/peers/examples

# ------------------------------------------------------------ helpers

# conf NAME SYSTEM ENDPOINT [LINE...]: $T/NAME.conf with one
# [exchange SYSTEM] section (timeout 2 s) and the extra LINEs.
conf() {
	local name=$1 sys=$2 url=$3 side action
	shift 3
	case $sys in
	vendor) side=vendor action='urn:acme-vos:orders#{op}' ;;
	*) side=finance action='urn:fincorp:leasing:v2/{op}' ;;
	esac
	{
		printf '[server]\nxslt_dir = %s\n' "$OMS_SRCDIR/xslt"
		printf '[store]\nbackend = sqlite\npath = %s/unused.db\n' "$T"
		printf '[exchange %s]\nadapter = soap\nendpoint = %s\n' "$sys" "$url"
		printf 'soap_action = %s\n' "$action"
		printf 'request_xsl = exchange/%s-request.xsl\n' "$side"
		printf 'reply_xsl = exchange/%s-reply.xsl\n' "$side"
		printf 'connect_timeout = 2\ntimeout = 2\n'
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$T/$name.conf"
}

# fresh FILE TAG: a copy of fixture FILE under a new message id with the
# asset tag FIX-A1 replaced by TAG; prints the new file's path and sets
# ID to the new id.
fresh() {
	ID=oms-$(cat /proc/sys/kernel/random/uuid)
	sed -e "s/<messageId>[^<]*</<messageId>$ID</" -e "s/FIX-A1/$2/g" \
	    "$FIX/$1" >"$T/$ID.xml"
}

# query SYSTEM ID: a canonical Query of message ID into $T/q-ID.xml.
query() {
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<Query xmlns="urn:oms:exchange:1"><messageId>%s</messageId><kind>%s</kind></Query>\n' \
	    "$2" "$1" >"$T/q-$2.xml"
}

# xs CONF SYSTEM FILE...: run the driver; its lines in OUT, its stderr
# in $T/xsend.err (debug log included).
xs() {
	OUT=$(XSEND_DEBUG=1 "$XSEND" "$T/$1.conf" "$2" "${@:3}" 2>>"$T/xsend.err")
}

# line N: line N of OUT.
line() { printf '%s\n' "$OUT" | sed -n "${1}p"; }

# ref LINE: the reference of an Ack line.
ref() { printf '%s' "$1" | sed -n 's,.*<reference>\([^<]*\)</reference>.*,\1,p'; }

fault() { # fault NAME JSON-RULES
	peer_ctl "$1" POST /_peer/faults "$2"
	[ "$PEER_STATUS" = 200 ] || tap_diag "fault rules refused: $PEER_BODY"
}

# ------------------------------------------------ fixtures and schemas

for k in PlaceOrder ChangeOrder DisconnectOrder; do
	tap_cmd "fixture vendor-$k.xml (made by the outbox) is valid against $k.xsd" \
	    xmllint --noout --nonet --schema "$OMS_SRCDIR/docs/exchange/$k.xsd" "$FIX/vendor-$k.xml"
done
for k in BookLease AmendLease ReturnAsset; do
	tap_cmd "fixture finance-$k.xml (made by the outbox) is valid against $k.xsd" \
	    xmllint --noout --nonet --schema "$OMS_SRCDIR/docs/exchange/$k.xsd" "$FIX/finance-$k.xml"
done
if [ -f "$OMS_SRCDIR/docs/exchange/Query.xsd" ]; then
	tap_cmd "fixture vendor-Query.xml is valid against Query.xsd" \
	    xmllint --noout --nonet --schema "$OMS_SRCDIR/docs/exchange/Query.xsd" "$FIX/vendor-Query.xml"
fi

xsltproc "$EX/schema.xsl" "$OMS_SRCDIR/tests/peers/vendor.wsdl" >"$T/vendor.xsd"
xsltproc "$EX/schema.xsl" "$OMS_SRCDIR/tests/peers/lease.wsdl" >"$T/lease.xsd"
conf map-vendor vendor http://127.0.0.1:9/
conf map-finance finance http://127.0.0.1:9/
for f in vendor-PlaceOrder vendor-ChangeOrder vendor-DisconnectOrder vendor-Query; do
	"$XSEND" -m "$T/map-vendor.conf" vendor "$FIX/$f.xml" >"$T/$f.mapped" 2>"$T/map.err"
	tap_cmd "$f maps to a request valid against the vendor WSDL's schema" \
	    xmllint --noout --nonet --schema "$T/vendor.xsd" "$T/$f.mapped"
done
for f in finance-BookLease finance-AmendLease finance-ReturnAsset finance-Query; do
	"$XSEND" -m "$T/map-finance.conf" finance "$FIX/$f.xml" >"$T/$f.mapped" 2>"$T/map.err"
	tap_cmd "$f maps to a request valid against the lease WSDL's schema" \
	    xmllint --noout --nonet --schema "$T/lease.xsd" "$T/$f.mapped"
done
tap_like "$(cat "$T/finance-BookLease.mapped")" '<MonthlyRental>75.60</MonthlyRental><Currency>USD</Currency>' \
    "BookLease: 7560 cents go as the decimal 75.60"
tap_like "$(cat "$T/vendor-PlaceOrder.mapped")" '<RequestId>oms-d72f4553-[^<]*</RequestId><PurchaseOrderNo>FIX-1/1</PurchaseOrderNo>' \
    "PlaceOrder: RequestId is our message id, the purchase order our order line"
sed 's/<PlaceOrder /<SendDocuments /;s,</PlaceOrder>,</SendDocuments>,' "$FIX/vendor-PlaceOrder.xml" >"$T/other.xml"
r=$("$XSEND" -m "$T/map-vendor.conf" vendor "$T/other.xml" 2>/dev/null)
tap_like "$r" '^error	request_xsl: ' "bad: a message kind the mapping does not know fails the mapping"

# ------------------------------------------------------------ vendor

peer_start vos vendor --state "$T/vos-state"
tap_ok $? "the vendor peer starts"
conf vendor vendor "$PEER_URL_vos"

xs vendor vendor "$FIX/vendor-PlaceOrder.xml" "$FIX/vendor-ChangeOrder.xml" "$FIX/vendor-DisconnectOrder.xml"
P=oms-d72f4553-b558-4993-81be-79eabba45068
C=oms-e786b253-6436-4153-93eb-fdd7e3628c5e
D=oms-a1ce7c74-e829-4736-81da-0a2fe5da827f
tap_is "$(line 1)" "answered	<Ack xmlns=\"urn:oms:exchange:1\"><messageId>$P</messageId><status>accepted</status><reference>VOS-000001</reference></Ack>" \
    "PlaceOrder: answered, an accepted Ack with the vendor's order number"
tap_like "$(line 2)" "^answered	.*<messageId>$C</messageId><status>accepted</status><reference>VOS-000002</reference>" \
    "ChangeOrder: accepted with its order number"
tap_like "$(line 3)" "^answered	.*<messageId>$D</messageId><status>accepted</status><reference>VOS-000003</reference>" \
    "DisconnectOrder: accepted with its order number"
tap_is "$(peer_get vos /_peer/assets/FIX-A1 .ops)" "[[\"PlaceOrder\",\"$P\"],[\"ChangeOrder\",\"$C\"],[\"DisconnectOrder\",\"$D\"]]" \
    "the vendor applied the three, in order, under our message ids"
tap_is "$(peer_get vos /_peer/requests/$P .count)/$(peer_get vos /_peer/stats .totals.applied)/$(peer_get vos /_peer/stats .violations)" \
    1/3/0 "each applied once, no ordering violation"
tap_is "$(peer_get vos /_peer/state ".records['VOS-000002'].Type")/$(peer_get vos /_peer/state ".records['VOS-000002'].Equipment.PortCount")" \
    PORTCHANGE/8 "the vendor holds the change as a port change to 8 ports"

xs vendor vendor "$FIX/vendor-PlaceOrder.xml"
tap_like "$OUT" "^answered	.*<status>accepted</status><reference>VOS-000001</reference>" \
    "the same message again: the vendor's first answer, accepted with the same order number"
tap_is "$(peer_get vos /_peer/requests/$P .count)/$(peer_get vos /_peer/stats .totals.applied)" 2/3 \
    "the vendor counts the resend and still applied it once"

query PlaceOrder "$P"
query PlaceOrder oms-00000000-0000-4000-8000-000000000000
xs vendor vendor "$T/q-$P.xml" "$T/q-oms-00000000-0000-4000-8000-000000000000.xml"
tap_like "$(line 1)" "^answered	.*<messageId>$P</messageId><status>accepted</status><reference>VOS-000001</reference>" \
    "QueryOrder of a delivered message: accepted (found) with its order number"
tap_like "$(line 2)" "^answered	.*<status>notfound</status></Ack>$" "QueryOrder of an id never sent: notfound"

# faults, each on a new message
fresh vendor-PlaceOrder.xml F-DOWN
peer_ctl vos POST /_peer/down
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^retry	no connection: .*' "peer down (connection refused): retry"
peer_ctl vos POST /_peer/up
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^answered	.*<status>accepted</status>' "up again: the same message is answered"

fresh vendor-PlaceOrder.xml F-500
fault vos '{"faults":[{"kind":"http500","count":1}]}'
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^retry	HTTP 500, ' "HTTP 500 with an HTML page: retry"
tap_is "$(peer_get vos /_peer/requests/$ID .error)" "no such message id" "and the vendor did not apply it"

fresh vendor-PlaceOrder.xml F-SF
fault vos '{"faults":[{"kind":"soapfault","count":1}]}'
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^retry	SOAP Fault Server \(HTTP 500\): ACME VOS is temporarily unavailable' \
    "a SOAP Server Fault: retry, with the faultstring"

fresh vendor-PlaceOrder.xml F-STALL
fault vos '{"faults":[{"kind":"stall","apply":"before","ms":60000,"count":1}]}'
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^unknown	no answer within 2 s after the request was sent' \
    "applied, then no answer past the timeout: unknown"
query PlaceOrder "$ID"
xs vendor vendor "$T/q-$ID.xml"
tap_like "$OUT" '^answered	.*<status>accepted</status><reference>VOS-' "and QueryOrder finds it"

fresh vendor-PlaceOrder.xml F-NEVER
fault vos '{"faults":[{"kind":"stall","apply":"never","ms":60000,"count":1}]}'
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^unknown	no answer within 2 s' "stalled and never applied: unknown too (OMS cannot tell)"
query PlaceOrder "$ID"
xs vendor vendor "$T/q-$ID.xml" "$T/$ID.xml"
tap_like "$(line 1)" '^answered	.*<status>notfound</status>' "QueryOrder: notfound, so it is sent again"
tap_like "$(line 2)" '^answered	.*<status>accepted</status>' "and the resend is accepted"

fresh vendor-PlaceOrder.xml F-DROP
fault vos '{"faults":[{"kind":"drop","count":1}]}'
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^unknown	the connection failed after the request was sent' \
    "commit then drop the connection: unknown"
tap_is "$(peer_get vos /_peer/requests/$ID .count)" 1 "the vendor has it"
query PlaceOrder "$ID"
xs vendor vendor "$T/q-$ID.xml"
tap_is "$(ref "$OUT")" "$(peer_get vos /_peer/requests/$ID .answer.OrderRef)" \
    "QueryOrder finds it, with the order number whose answer was lost"

fresh vendor-PlaceOrder.xml F-RESET
fault vos '{"faults":[{"kind":"reset","count":1}]}'
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^unknown	' "connection reset after the request went out: unknown"
tap_is "$(peer_get vos /_peer/requests/$ID .error)" "no such message id" "(the vendor had not applied it: the Query will say so)"

fresh vendor-PlaceOrder.xml F-SLOW
fault vos '{"faults":[{"kind":"slow","ms":600,"count":1}]}'
xs vendor vendor "$T/$ID.xml"
tap_like "$OUT" '^answered	.*<status>accepted</status>' "slow, under the timeout: answered"

fresh vendor-PlaceOrder.xml F-DUP1
d1=$ID
fresh vendor-PlaceOrder.xml F-DUP2
d2=$ID
fault vos '{"faults":[{"kind":"duplicate","count":1}]}'
xs vendor vendor "$T/$d1.xml" "$T/$d2.xml"
tap_is "$(ref "$(line 1)")" "$(peer_get vos /_peer/requests/$d1 .answer.OrderRef)" \
    "a reply written twice: the first message gets its own answer"
tap_is "$(ref "$(line 2)")" "$(peer_get vos /_peer/requests/$d2 .answer.OrderRef)" \
    "and the next message on the handle gets its own, not the stray copy"
tap_is "$(peer_get vos /_peer/requests/$d1 .count)/$(peer_get vos /_peer/requests/$d2 .count)" 1/1 \
    "each applied once"
fault vos '{"faults":[]}'

fresh vendor-PlaceOrder.xml F-ACTION
conf vendor-action vendor "$PEER_URL_vos"
sed -i 's/^soap_action = .*/soap_action = urn:acme-vos:legacy#{op}/' "$T/vendor-action.conf"
xs vendor-action vendor "$T/$ID.xml"
tap_like "$OUT" "^rejected	SOAP Fault Client: SOAPAction 'urn:acme-vos:legacy#PlaceOrder' is not PlaceOrder's" \
    "bad: a wrong soap_action gets a Client Fault: rejected, with the faultstring"
sed -e 's/<customer code="NWIG"/<customer code=""/' "$T/$ID.xml" >"$T/nocust.xml"
xs vendor vendor "$T/nocust.xml"
tap_like "$OUT" '^rejected	SOAP Fault Client: CustomerSite/AccountNo and CustomerSite/SiteCode are required' \
    "bad: a request the vendor refuses (no account number): rejected"
tap_is "$(peer_get vos /_peer/requests/$ID .error)" "no such message id" "bad: neither was applied"

conf vendor-404 vendor "${PEER_URL_vos%/OrderIntake}/Nowhere"
xs vendor-404 vendor "$T/$ID.xml"
tap_like "$OUT" '^rejected	HTTP 404, the reply is not XML' "bad: a wrong endpoint path (HTTP 404): rejected"

tap_file_like "$T/xsend.err" "exchange vendor: PlaceOrder $P: answered \\(HTTP 200, " \
    "the adapter logs each request with its message id and result"
peer_stop vos

# HTTP basic
printf 'vos-secret\n' >"$T/vos.pw"
printf 'not-it\n' >"$T/vos-wrong.pw"
peer_start vb vendor --state "$T/vb-state" --auth basic --user omsvos --password-file "$T/vos.pw"
conf vb vendor "$PEER_URL_vb" 'auth = basic' 'username = omsvos' "password_file = $T/vos.pw"
conf vb-wrong vendor "$PEER_URL_vb" 'auth = basic' 'username = omsvos' "password_file = $T/vos-wrong.pw"
fresh vendor-PlaceOrder.xml B-1
xs vb-wrong vendor "$T/$ID.xml"
tap_like "$OUT" "^rejected	HTTP 401: the system refused OMS's credentials" \
    "bad: HTTP basic with a wrong password: rejected (resending will not fix credentials)"
xs vb vendor "$T/$ID.xml"
tap_like "$OUT" '^answered	.*<status>accepted</status>' "HTTP basic with the right password: accepted"
tap_is "$(peer_get vb /_peer/stats .totals.applied)/$(peer_get vb /_peer/stats .totals.auth_failures)" 1/1 \
    "the vendor applied only the authenticated request"
peer_stop vb

# ------------------------------------------------------------ lease

printf 'fin-secret\n' >"$T/fin.pw"
printf 'fin-wrong\n' >"$T/fin-wrong.pw"
peer_start fin lease --state "$T/fin-state" --strict --auth wsse --user omsfin --password-file "$T/fin.pw"
tap_ok $? "the lease peer starts (strict, WS-Security)"
conf fin finance "$PEER_URL_fin" 'auth = wsse' 'username = omsfin' "password_file = $T/fin.pw"
conf fin-wrong finance "$PEER_URL_fin" 'auth = wsse' 'username = omsfin' "password_file = $T/fin-wrong.pw"

B=oms-a3da18f2-3c8f-4dd1-819b-ae34ff6b938b
A=oms-afd05d3a-ac5e-4f9b-8028-bf30329bea0c
R=oms-7cfca2ce-0264-4090-aae5-bec0a9cab73e
xs fin-wrong finance "$FIX/finance-BookLease.xml"
tap_like "$OUT" '^rejected	SOAP Fault Client: wsse:FailedAuthentication' \
    "bad: a WS-Security UsernameToken with a wrong password: rejected"
xs fin finance "$FIX/finance-BookLease.xml" "$FIX/finance-AmendLease.xml" "$FIX/finance-ReturnAsset.xml"
tap_is "$(line 1)" "answered	<Ack xmlns=\"urn:oms:exchange:1\"><messageId>$B</messageId><status>accepted</status><reference>FL-000001</reference></Ack>" \
    "BookLease (UsernameToken, PasswordText): accepted with the lease number"
tap_like "$(line 2)" "^answered	.*<messageId>$A</messageId><status>accepted</status><reference>FL-000001</reference>" \
    "AmendLease: accepted, the same lease"
tap_like "$(line 3)" "^answered	.*<messageId>$R</messageId><status>accepted</status><reference>FL-000001</reference>" \
    "ReturnAsset: accepted, the same lease"
tap_is "$(peer_get fin /_peer/assets/FIX-A1 '.ops.map((o) => o[0]).join()')" BookLease,AmendLease,ReturnAsset \
    "the lease system posted the three in order"
tap_is "$(peer_get fin /_peer/state ".records['FL-000001'].MonthlyRental")/$(peer_get fin /_peer/state ".records['FL-000001'].LeaseStatus")/$(peer_get fin /_peer/state ".records['FL-000001'].AmendmentNo")" \
    151.20/RETURNED/1 "the lease: amended to 151.20 a month, then returned"
tap_is "$(peer_get fin /_peer/stats .totals.applied)/$(peer_get fin /_peer/stats .totals.auth_failures)" 3/1 \
    "three postings applied; the wrong password counted, not applied"

xs fin finance "$FIX/finance-BookLease.xml"
tap_like "$OUT" '^answered	.*<status>accepted</status><reference>FL-000001</reference>' \
    "the same BookLease again: the first answer, accepted"
tap_is "$(peer_get fin /_peer/requests/$B .count)/$(peer_get fin /_peer/stats .totals.applied)" 2/3 \
    "counted, not posted again"

query BookLease "$B"
query BookLease oms-00000000-0000-4000-8000-000000000001
xs fin finance "$T/q-$B.xml" "$T/q-oms-00000000-0000-4000-8000-000000000001.xml"
tap_like "$(line 1)" "^answered	.*<messageId>$B</messageId><status>accepted</status><reference>FL-000001</reference>" \
    "QueryLease of a delivered posting: accepted (found) with its lease number"
tap_like "$(line 2)" '^answered	.*<status>notfound</status></Ack>$' "QueryLease of an id never sent: notfound"

fresh finance-AmendLease.xml NO-LEASE
xs fin finance "$T/$ID.xml"
tap_like "$OUT" '^rejected	SOAP Fault Client: AmendLease for asset NO-LEASE with no active lease' \
    "bad: an AmendLease the strict lease system refuses: rejected, with its reason"

fresh finance-BookLease.xml L-DROP
fault fin '{"faults":[{"kind":"drop","count":1}]}'
xs fin finance "$T/$ID.xml"
tap_like "$OUT" '^unknown	' "lease: commit then drop: unknown"
query BookLease "$ID"
xs fin finance "$T/q-$ID.xml"
tap_like "$OUT" '^answered	.*<status>accepted</status><reference>FL-' "and QueryLease finds the posting"

fresh finance-BookLease.xml L-SF
fault fin '{"faults":[{"kind":"soapfault","count":1}]}'
xs fin finance "$T/$ID.xml"
tap_like "$OUT" '^retry	SOAP Fault Server' "lease: a Server Fault: retry"
xs fin finance "$T/$ID.xml"
tap_like "$OUT" '^answered	.*<status>accepted</status>' "and the retry is posted"
peer_stop fin

if grep -q -e fin-secret -e vos-secret -e fin-wrong -e not-it "$T/xsend.err"; then secret=leaked; else secret=none; fi
tap_is "$secret" none "no password in the adapter's log or result lines"

# ------------------------------------------------------------ TLS

# An https endpoint with a self-signed certificate for 127.0.0.1:
# openssl's own test server (the peers speak plain HTTP).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$T/tls.key" -out "$T/tls.pem" 2>/dev/null
port=$("$OMS_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$T/tls.pem" -key "$T/tls.key" -www \
    >"$T/s_server.out" 2>&1 </dev/null &
oms_track $!
oms_wait 100 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
conf tls vendor "https://127.0.0.1:$port/vos/OrderIntake"
fresh vendor-PlaceOrder.xml T-1
xs tls vendor "$T/$ID.xml"
tap_like "$OUT" '^retry	TLS handshake failed, nothing sent: .*(self-signed|self signed)' \
    "bad: tls_verify (the default) against a self-signed certificate: retry, saying why"
conf tls-ca vendor "https://127.0.0.1:$port/vos/OrderIntake" "tls_ca = $T/tls.pem"
xs tls-ca vendor "$T/$ID.xml"
tap_unlike "$OUT" 'TLS' "with tls_ca set to that certificate the handshake succeeds (${OUT%%	*})"

tap_done
