#!/bin/bash
# The legacy test peers themselves (tests/peers/), with no OMS in the
# way: the vendor order system and the lease system (npm soap servers
# from their own WSDLs) and the SMTP sink.  Each peer serves its WSDL,
# answers every operation to a client that is not OMS's (the npm soap
# client of tests/peers/client.js, and curl with a hand-written
# envelope), applies a message id once (a replay gets the first answer
# and is counted), acts out every injected fault (down, HTTP 500, SOAP
# Fault, stall, commit then drop, reset, slow, duplicate replies, a
# seeded fraction of failures) the way its control API says, checks
# WS-Security and HTTP basic credentials, and keeps its state across a
# restart and a kill -9.  The SMTP sink takes a MIME message with a PDF
# over STARTTLS, keeps it as .eml with an index, and refuses mail while
# down.  The OMS side of these exchanges is tested elsewhere.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
. "$OMS_SRCDIR/tests/peers/lib.sh"

oms_need node curl openssl
for m in soap smtp-server mailparser; do
	[ -d "$OMS_SRCDIR/tests/node_modules/$m" ] ||
	    tap_skip_all "tests/node_modules/$m is missing (cd tests && npm ci)"
done
oms_tmpdir
PEER_DIR=$OMS_TMP

# result LINE: the JSON after "OK ", or nothing.
ok_json() {
	case $1 in OK\ *) printf '%s' "${1#OK }" ;; esac
}
jget() { printf '%s' "$1" | peer_json "$2"; }

SITE='"CustomerSite":{"AccountNo":"C-100","SiteCode":"BR-7","SiteName":"Springfield branch","City":"Springfield"}'
place() { # place ID ASSET: the JSON of a PlaceOrder
	printf '{"RequestId":"%s","PurchaseOrderNo":"ORD-%s",%s,"Equipment":{"AssetTag":"%s","ProductCode":"RTR-8","PortCount":8}}' \
	    "$1" "$1" "$SITE" "$2"
}

# ------------------------------------------------------------ vendor

peer_start vos vendor --state "$OMS_TMP/vos-state"
tap_ok $? "the vendor peer starts and prints its ready line"
VOS=$PEER_URL_vos

wsdl=$(curl -s -m 10 "$VOS?wsdl")
tap_like "$wsdl" 'targetNamespace="urn:acme-vos:orders"' "the vendor WSDL is served"
tap_like "$wsdl" "location=\"http://127.0.0.1:$PEER_PORT_vos/vos/OrderIntake\"" \
    "the served WSDL's address is the peer's own port"
printf '%s' "$wsdl" >"$OMS_TMP/vendor.wsdl"
tap_cmd "the served vendor WSDL is well-formed" xmllint --noout "$OMS_TMP/vendor.wsdl"

r1=$(peer_call vendor "$VOS" PlaceOrder "$(place m-1 A-1)")
tap_is "$(jget "$(ok_json "$r1")" .OrderRef)" VOS-000001 "PlaceOrder answers with the vendor's order reference"
tap_is "$(jget "$(ok_json "$r1")" .OrderStatus)" RECEIVED "PlaceOrder's order status is RECEIVED"
r2=$(peer_call vendor "$VOS" PlaceOrder "$(place m-1 A-1)")
tap_is "$r2" "$r1" "a replay of PlaceOrder gets the first answer, unchanged"
tap_is "$(peer_get vos /_peer/requests/m-1 .count)" 2 "the peer counts the replay against the message id"
tap_is "$(peer_get vos /_peer/stats .totals.applied)" 1 "the replay is not applied again"
r3=$(peer_call vendor "$VOS" PlaceOrder "$(place m-1 A-9)")
tap_is "$r3" "$r1" "bad: the same id with another body still gets the first answer"
tap_is "$(peer_get vos /_peer/stats .totals.conflicts)" 1 "bad: and is counted as a conflict"

r=$(peer_call vendor "$VOS" ChangeOrder '{"RequestId":"m-2","PurchaseOrderNo":"ORD-2","ChangeType":"ADDON","OriginalOrderRef":"VOS-000001","Equipment":{"AssetTag":"A-1","PortCount":16}}')
tap_is "$(jget "$(ok_json "$r")" .OrderRef)" VOS-000002 "ChangeOrder answers with a new order reference"
r=$(peer_call vendor "$VOS" DisconnectOrder '{"RequestId":"m-3","PurchaseOrderNo":"ORD-3","AssetTag":"A-1","SiteCode":"BR-7","DisconnectDate":"2026-12-31","Reason":"branch closed"}')
tap_is "$(jget "$(ok_json "$r")" .OrderRef)" VOS-000003 "DisconnectOrder answers with a new order reference"
r=$(peer_call vendor "$VOS" QueryOrder '{"RequestId":"m-2"}')
tap_is "$(jget "$(ok_json "$r")" .RequestState)/$(jget "$(ok_json "$r")" .Operation)/$(jget "$(ok_json "$r")" .OrderRef)" \
    RECEIVED/ChangeOrder/VOS-000002 "QueryOrder of a received id tells the operation and the answer"
r=$(peer_call vendor "$VOS" QueryOrder '{"RequestId":"never-sent"}')
tap_is "$(jget "$(ok_json "$r")" .RequestState)" UNKNOWN "QueryOrder of an id never sent says UNKNOWN"
tap_is "$(peer_get vos /_peer/assets/A-1 .ops)" '[["PlaceOrder","m-1"],["ChangeOrder","m-2"],["DisconnectOrder","m-3"]]' \
    "the peer keeps the asset's operations in order of arrival"
tap_is "$(peer_get vos /_peer/stats .violations)" 0 "in order: no ordering violation recorded"

r=$(peer_call vendor "$VOS" ChangeOrder '{"RequestId":"m-4","PurchaseOrderNo":"ORD-4","ChangeType":"PORTCHANGE","Equipment":{"AssetTag":"NEVER-PLACED"}}')
tap_like "$r" '^OK ' "bad: a ChangeOrder for equipment never placed is taken (lenient peer)"
tap_like "$(peer_get vos /_peer/state .violations)" 'NEVER-PLACED.*not on order' "bad: and recorded as an ordering violation"
r=$(peer_call vendor "$VOS" PlaceOrder '{"PurchaseOrderNo":"ORD-5","CustomerSite":{"AccountNo":"C","SiteCode":"S"},"Equipment":{"AssetTag":"A-5"}}')
tap_like "$r" '^FAULT soap:Client RequestId is required' "bad: a request without RequestId gets a Client Fault"
r=$(peer_call vendor "$VOS" ChangeOrder '{"RequestId":"m-6","PurchaseOrderNo":"ORD-6","ChangeType":"UPGRADE","Equipment":{"AssetTag":"A-1"}}')
tap_like "$r" '^FAULT soap:Client ChangeType UPGRADE' "bad: an unknown ChangeType gets a Client Fault"
tap_is "$(peer_get vos /_peer/requests/m-6 .error)" "no such message id" "bad: a refused request is not applied"

# curl, a hand-written envelope: prefixes of our own choosing
env_place='<?xml version="1.0"?><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><v:PlaceOrder xmlns:v="urn:acme-vos:orders"><v:RequestId>c-1</v:RequestId><v:PurchaseOrderNo>ORD-C1</v:PurchaseOrderNo><v:CustomerSite><v:AccountNo>C-100</v:AccountNo><v:SiteCode>BR-8</v:SiteCode></v:CustomerSite><v:Equipment><v:AssetTag>C-1</v:AssetTag></v:Equipment></v:PlaceOrder></e:Body></e:Envelope>'
out=$(curl -s -m 10 -w '\n%{http_code}' -H 'Content-Type: text/xml; charset=utf-8' \
    -H 'SOAPAction: "urn:acme-vos:orders#PlaceOrder"' --data "$env_place" "$VOS")
tap_is "${out##*$'\n'}" 200 "curl with a hand-written envelope: HTTP 200"
tap_like "${out%$'\n'*}" '<PlaceOrderResponse xmlns="urn:acme-vos:orders"><OrderRef>VOS-[0-9]{6}</OrderRef><OrderStatus>RECEIVED</OrderStatus>' \
    "curl with a hand-written envelope: the PlaceOrderResponse in the vendor's namespace"
out=$(curl -s -m 10 -w '\n%{http_code}' -H 'Content-Type: text/xml' \
    --data '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><v:CancelEverything xmlns:v="urn:acme-vos:orders"/></e:Body></e:Envelope>' "$VOS")
tap_is "${out##*$'\n'}" 500 "bad: an unknown operation gets HTTP 500"
tap_like "${out%$'\n'*}" '<faultcode>soap:Client</faultcode><faultstring>no operation CancelEverything' \
    "bad: and a Client Fault naming it"
out=$(curl -s -m 10 -H 'Content-Type: text/xml' --data "${env_place//urn:acme-vos:orders/urn:oms:canonical}" "$VOS")
tap_like "$out" "<faultcode>soap:Client</faultcode><faultstring>PlaceOrder in namespace 'urn:oms:canonical' is not known here" \
    "bad: an operation in another namespace gets a Client Fault"
out=$(curl -s -m 10 -H 'Content-Type: text/xml' --data "$(printf '%s' "$env_place" | sed 's/ xmlns:v="[^"]*"//;s/v://g;s/<PlaceOrder>/<PlaceOrder xmlns="urn:acme-vos:orders">/;s/>c-1</>c-2</;s/>C-1</>C-2</')" "$VOS")
tap_like "$out" '<PlaceOrderResponse xmlns="urn:acme-vos:orders"><OrderRef>' \
    "the operation in the default namespace is taken too"

# ------------------------------------------------------------ faults

fault() { # fault NAME JSON-RULES: set the rules, check they were taken
	peer_ctl "$1" POST /_peer/faults "$2"
	[ "$PEER_STATUS" = 200 ] || tap_diag "fault rules refused: $PEER_BODY"
}
exists() { # exists NAME ID: the peer applied ID
	peer_ctl "$1" GET "/_peer/requests/$2"
	[ "$PEER_STATUS" = 200 ]
}

fault vos '{"faults":[{"kind":"http500","count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-500 F-1)")
tap_is "$r" "HTTP 500" "fault http500: the client sees HTTP 500"
exists vos f-500
tap_isnt $? 0 "fault http500: not applied"
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-500 F-1)")
tap_like "$r" '^OK ' "fault http500 was for one request: the retry is answered"
tap_is "$(peer_get vos /_peer/requests/f-500 .count)" 1 "and applied once"

fault vos '{"faults":[{"kind":"soapfault","count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-sf F-2)")
tap_like "$r" '^FAULT soap:Server .*temporarily unavailable.*#500$' "fault soapfault: a Server Fault with HTTP 500"
exists vos f-sf
tap_isnt $? 0 "fault soapfault: not applied"

fault vos '{"faults":[{"kind":"drop","count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-drop F-3)")
tap_like "$r" '^ERROR ' "fault drop: the connection is closed without an answer ($r)"
tap_is "$(peer_get vos /_peer/requests/f-drop .count)" 1 "fault drop: but the request was committed"
r=$(peer_call vendor "$VOS" QueryOrder '{"RequestId":"f-drop"}')
tap_is "$(jget "$(ok_json "$r")" .RequestState)" RECEIVED "fault drop: QueryOrder finds it"
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-drop F-3)")
tap_is "$(jget "$(ok_json "$r")" .OrderRef)" "$(peer_get vos /_peer/requests/f-drop .answer.OrderRef)" \
    "fault drop: a resend gets the answer that was lost"
tap_is "$(peer_get vos /_peer/requests/f-drop .count)" 2 "fault drop: the resend is counted, not applied"

fault vos '{"faults":[{"kind":"reset","count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-reset F-4)")
tap_like "$r" '^ERROR ' "fault reset: no answer"
exists vos f-reset
tap_isnt $? 0 "fault reset: not applied"

fault vos '{"faults":[{"kind":"stall","apply":"before","ms":60000,"count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-stall1 F-5)" --timeout 500)
tap_is "$r" "ERROR TIMEOUT" "fault stall (applied, then no answer): the client times out"
r=$(peer_call vendor "$VOS" QueryOrder '{"RequestId":"f-stall1"}')
tap_is "$(jget "$(ok_json "$r")" .RequestState)" RECEIVED "fault stall (applied first): QueryOrder says RECEIVED"

fault vos '{"faults":[{"kind":"stall","apply":"never","ms":60000,"count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-stall2 F-6)" --timeout 500)
tap_is "$r" "ERROR TIMEOUT" "fault stall (never applied): the client times out"
r=$(peer_call vendor "$VOS" QueryOrder '{"RequestId":"f-stall2"}')
tap_is "$(jget "$(ok_json "$r")" .RequestState)" UNKNOWN "fault stall (never applied): QueryOrder says UNKNOWN"

fault vos '{"faults":[{"kind":"stall","apply":"after","ms":1500,"count":1,"ops":["PlaceOrder"]}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-stall3 F-7)" --timeout 200)
tap_is "$r" "ERROR TIMEOUT" "fault stall (applied late): the client times out"
oms_wait 150 exists vos f-stall3
tap_ok $? "fault stall (applied late): the peer applies it once the stall is over"

fault vos '{"faults":[{"kind":"slow","ms":300,"count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-slow F-8)" --timeout 20000)
tap_like "$r" '^OK ' "fault slow: answered within the client's timeout"
tap_is "$(peer_get vos /_peer/requests/f-slow .count)" 1 "fault slow: applied once"

env_dup=${env_place//c-1/f-dup}
env_dup=${env_dup//C-1/F-9}
fault vos '{"faults":[{"kind":"duplicate","count":1}]}'
r=$(peer_call raw "$VOS" "$env_dup" 'urn:acme-vos:orders#PlaceOrder')
tap_is "$r" "RESPONSES 2" "fault duplicate: the same reply comes twice on the connection"
tap_is "$(peer_get vos /_peer/requests/f-dup .count)" 1 "fault duplicate: applied once"
fault vos '{"faults":[{"kind":"duplicate","count":1}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-dup2 F-10)")
tap_like "$r" '^OK ' "fault duplicate: the npm soap client takes the first reply"

fault vos '{"faults":[{"kind":"http500","count":2,"ops":["ChangeOrder"]}]}'
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-ops F-11)")
tap_like "$r" '^OK ' "a fault rule limited to ChangeOrder lets PlaceOrder through"
tap_is "$(peer_get vos /_peer/faults '.faults[0].count')" 2 "and is not used up by it"
peer_ctl vos POST /_peer/faults '{"faults":[{"kind":"melt"}]}'
tap_is "$PEER_STATUS" 400 "bad: an unknown fault kind is refused by the control API"
fault vos '{"faults":[]}'
tap_is "$(peer_get vos /_peer/faults .faults)" '[]' "the fault rules are cleared"

peer_ctl vos POST /_peer/down
tap_is "$(printf '%s' "$PEER_BODY" | peer_json .up)" false "down: the control API says the peer is down"
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-down F-12)")
tap_is "$r" "ERROR ECONNREFUSED" "down: connections are refused"
curl -s -m 5 -o /dev/null "$VOS?wsdl"
tap_is $? 7 "down: curl cannot connect either"
peer_ctl vos POST /_peer/up
r=$(peer_call vendor "$VOS" PlaceOrder "$(place f-down F-12)")
tap_like "$r" '^OK ' "up: the same port answers again"

# a third of the requests fail at random (seeded): each message still
# applied exactly once by a client that retries and asks when in doubt
fault vos '{"faults":[{"kind":"random","kinds":["http500","soapfault","drop","reset"],"fraction":0.3333,"seed":7}]}'
cat >"$OMS_TMP/bulk.js" <<'EOF'
const soap = require('soap');
const [url, wsdl, n] = process.argv.slice(2);
(async () => {
  const c = await soap.createClientAsync(wsdl, { endpoint: url });
  let tries = 0;
  const deadline = Date.now() + 120000;
  const late = () => { if (Date.now() > deadline) throw new Error(`deadline passed after ${tries} tries`); };
  for (let i = 0; i < Number(n); i++) {
    const asset = `BULK-${i % 7}`;
    const first = i < 7;
    const id = `bulk-${i}`;
    const args = first
      ? { RequestId: id, PurchaseOrderNo: `PO-${i}`, CustomerSite: { AccountNo: 'C-1', SiteCode: 'S-1' }, Equipment: { AssetTag: asset } }
      : { RequestId: id, PurchaseOrderNo: `PO-${i}`, ChangeType: 'OTHER', Equipment: { AssetTag: asset } };
    for (;;) {
      late();
      tries++;
      try {
        await c[first ? 'PlaceOrderAsync' : 'ChangeOrderAsync'](args, { timeout: 10000 });
        break;
      } catch (err) {
        if (err.response) continue;           // an answer: not applied, send again
        let known = false;                    // no answer: ask first
        for (;;) {
          late();
          try {
            const [q] = await c.QueryOrderAsync({ RequestId: id }, { timeout: 10000 });
            known = q.RequestState === 'RECEIVED';
            break;
          } catch { /* the query failed too: ask again */ }
        }
        if (known) break;
      }
    }
  }
  console.log(`SENT ${n} TRIES ${tries}`);
})().catch((e) => { console.log(`FAILED ${e}`); });
EOF
before=$(peer_get vos /_peer/stats .totals.applied)
faults_before=$(peer_get vos /_peer/stats .totals.faults)
r=$(node "$OMS_TMP/bulk.js" "$VOS" "$PEER_SRC/vendor.wsdl" 300)
tap_like "$r" '^SENT 300 ' "a third failing: 300 messages sent through retries and queries"
after=$(peer_get vos /_peer/stats .totals.applied)
tap_is "$((after - before))" 300 "a third failing: each applied exactly once"
nf=$(( $(peer_get vos /_peer/stats .totals.faults) - faults_before ))
tap_ok "$([ "$nf" -gt 50 ] && [ "$nf" -lt 250 ]; echo $?)" "a third failing: about a third of the requests failed ($nf faults for ${r##* } tries)"
tap_is "$(peer_get vos /_peer/stats .violations)" 1 "a third failing: no new ordering violation"
tap_is "$(peer_get vos /_peer/assets/BULK-3 '.ops.map((o) => o[1]).join()')" \
    "$(seq 3 7 299 | sed 's/^/bulk-/' | paste -sd,)" "a third failing: an asset's messages arrived in order"
fault vos '{"faults":[]}'

# restarts: SIGTERM (a snapshot), then kill -9 (the journal)
applied=$(peer_get vos /_peer/stats .totals.applied)
peer_stop vos
peer_start vos vendor --state "$OMS_TMP/vos-state"
tap_ok $? "the vendor peer starts again on its state"
VOS=$PEER_URL_vos
tap_is "$(peer_get vos /_peer/stats .totals.applied)" "$applied" "after a restart: the same number applied"
tap_is "$(peer_get vos /_peer/requests/m-1 .count)" 3 "after a restart: the counts per message id are kept (m-1 came 3 times)"
r=$(peer_call vendor "$VOS" PlaceOrder "$(place m-1 A-1)")
tap_is "$r" "$r1" "after a restart: a replay still gets the first answer"
r=$(peer_call vendor "$VOS" PlaceOrder "$(place k-1 K-1)")
ref=$(jget "$(ok_json "$r")" .OrderRef)
peer_stop vos KILL
peer_start vos vendor --state "$OMS_TMP/vos-state"
tap_ok $? "the vendor peer starts again after kill -9"
VOS=$PEER_URL_vos
tap_is "$(peer_get vos /_peer/requests/k-1 .answer.OrderRef)" "$ref" "after kill -9: the last answered request is kept"
r=$(peer_call vendor "$VOS" PlaceOrder "$(place k-2 K-2)")
tap_isnt "$(jget "$(ok_json "$r")" .OrderRef)" "$ref" "after kill -9: order references are not handed out twice"
peer_stop vos

# ------------------------------------------------------------ lease

printf 'fin-secret\n' >"$OMS_TMP/fin.pw"
peer_start fin lease --state "$OMS_TMP/fin-state" --strict --auth wsse --user omsfin --password-file "$OMS_TMP/fin.pw"
tap_ok $? "the lease peer starts (strict, WS-Security)"
FIN=$PEER_URL_fin
tap_like "$(curl -s -m 10 "$FIN?wsdl")" 'targetNamespace="urn:fincorp:leasing:v2"' "the lease WSDL is served"

book='{"TransactionRef":"t-1","ExternalOrderRef":"ORD-1","Lessee":{"ClientNo":"C-100","ClientName":"Acme Stores"},"Asset":{"AssetTag":"L-1","AssetClass":"ROUTER","Ports":8},"CommencementDate":"2026-01-31","TermMonths":36,"MonthlyRental":"125.50","Currency":"USD"}'
r=$(peer_call lease "$FIN" BookLease "$book")
tap_like "$r" '^FAULT soap:Client wsse:FailedAuthentication' "bad: BookLease without a UsernameToken gets an authentication Fault"
r=$(peer_call lease "$FIN" BookLease "$book" --wsse omsfin:wrong)
tap_like "$r" '^FAULT soap:Client wsse:FailedAuthentication' "bad: a wrong password gets an authentication Fault"
tap_is "$(peer_get fin /_peer/stats .totals.applied)/$(peer_get fin /_peer/stats .totals.auth_failures)" 0/2 \
    "bad: neither was applied; both counted as authentication failures"
r=$(peer_call lease "$FIN" BookLease "$book" --wsse omsfin:fin-secret)
j=$(ok_json "$r")
tap_is "$(jget "$j" .LeaseNumber)/$(jget "$j" .LeaseStatus)/$(jget "$j" .TermMonths)" FL-000001/ACTIVE/36 \
    "BookLease (PasswordText): lease number, status and term"
tap_is "$(jget "$j" .Schedule.Instalment.length)" 36 "BookLease: a schedule of 36 instalments"
tap_is "$(jget "$j" '.Schedule.Instalment[1].DueDate.slice(0, 10)')/$(jget "$j" '.Schedule.Instalment[35].DueDate.slice(0, 10)')" \
    2026-02-28/2028-12-31 "BookLease: monthly due dates, the day kept to the month's end"
r2=$(peer_call lease "$FIN" BookLease "$book" --wsse-digest omsfin:fin-secret)
tap_is "$r2" "$r" "a replay (PasswordDigest) gets the first answer"
r=$(peer_call lease "$FIN" AmendLease '{"TransactionRef":"t-2","ExternalOrderRef":"ORD-2","AssetTag":"L-1","AmendmentType":"ADDON","EffectiveDate":"2026-06-01","NewMonthlyRental":"150.00","Ports":16}' --wsse omsfin:fin-secret)
j=$(ok_json "$r")
tap_is "$(jget "$j" .LeaseStatus)/$(jget "$j" .AmendmentNo)/$(jget "$j" .MonthlyRental)" AMENDED/1/150 \
    "AmendLease: amended, amendment 1, the new rental"
tap_is "$(jget "$j" '.Schedule.Instalment[3].Amount')/$(jget "$j" '.Schedule.Instalment[5].Amount')" 125.5/150 \
    "AmendLease: the instalments from the effective date carry the new rental"
r=$(peer_call lease "$FIN" AmendLease '{"TransactionRef":"t-3","ExternalOrderRef":"ORD-3","AssetTag":"NOT-LEASED","AmendmentType":"PORTCHANGE","EffectiveDate":"2026-06-01"}' --wsse omsfin:fin-secret)
tap_like "$r" '^FAULT soap:Client AmendLease for asset NOT-LEASED with no active lease' \
    "bad: strict peer: AmendLease with no lease is refused"
exists fin t-3
tap_isnt $? 0 "bad: strict peer: and not applied"
r=$(peer_call lease "$FIN" BookLease "${book//t-1/t-4}" --wsse omsfin:fin-secret)
tap_like "$r" '^FAULT soap:Client BookLease for asset L-1 already leased' "bad: a second lease on a leased asset is refused"
r=$(peer_call lease "$FIN" BookLease "$(printf '%s' "$book" | sed 's/t-1/t-5/;s/L-1/L-2/;s/125.50/12.345/')" --wsse omsfin:fin-secret)
tap_like "$r" '^FAULT soap:Client MonthlyRental must be an amount' "bad: an amount with three decimals is refused"
r=$(peer_call lease "$FIN" ReturnAsset '{"TransactionRef":"t-6","ExternalOrderRef":"ORD-6","AssetTag":"L-1","ReturnDate":"2026-09-15"}' --wsse omsfin:fin-secret)
j=$(ok_json "$r")
tap_is "$(jget "$j" .LeaseNumber)/$(jget "$j" .LeaseStatus)/$(jget "$j" .Schedule.Instalment.length)" FL-000001/RETURNED/8 \
    "ReturnAsset: the lease returned, the schedule cut at the return date"
r=$(peer_call lease "$FIN" QueryLease '{"TransactionRef":"t-2"}' --wsse omsfin:fin-secret)
tap_is "$(jget "$(ok_json "$r")" .Outcome)/$(jget "$(ok_json "$r")" .Operation)/$(jget "$(ok_json "$r")" .Confirmation.AmendmentNo)" \
    POSTED/AmendLease/1 "QueryLease by TransactionRef: the posting and its answer"
r=$(peer_call lease "$FIN" QueryLease '{"AssetTag":"L-1"}' --wsse omsfin:fin-secret)
tap_is "$(jget "$(ok_json "$r")" .Confirmation.LeaseStatus)" RETURNED "QueryLease by AssetTag: the lease held on the asset"
r=$(peer_call lease "$FIN" QueryLease '{"TransactionRef":"t-99"}' --wsse omsfin:fin-secret)
tap_is "$(jget "$(ok_json "$r")" .Outcome)" NOT_FOUND "QueryLease of a TransactionRef never posted: NOT_FOUND"
tap_is "$(peer_get fin /_peer/assets/L-1 '.ops.map((o) => o[0]).join()')" BookLease,AmendLease,ReturnAsset \
    "the lease peer keeps the asset's postings in order"
fault fin '{"faults":[{"kind":"drop","count":1}]}'
r=$(peer_call lease "$FIN" BookLease "$(printf '%s' "$book" | sed 's/t-1/t-7/;s/L-1/L-7/')" --wsse omsfin:fin-secret)
tap_like "$r" '^ERROR ' "lease fault drop: no answer"
r=$(peer_call lease "$FIN" QueryLease '{"TransactionRef":"t-7"}' --wsse omsfin:fin-secret)
tap_is "$(jget "$(ok_json "$r")" .Outcome)" POSTED "lease fault drop: the booking was committed, QueryLease finds it"
peer_stop fin
peer_start fin lease --state "$OMS_TMP/fin-state" --strict --auth wsse --user omsfin --password-file "$OMS_TMP/fin.pw"
tap_ok $? "the lease peer starts again on its state"
FIN=$PEER_URL_fin
r=$(peer_call lease "$FIN" QueryLease '{"AssetTag":"L-7"}' --wsse omsfin:fin-secret)
tap_is "$(jget "$(ok_json "$r")" .Confirmation.LeaseStatus)" ACTIVE "after a restart: the lease peer still holds its leases"
peer_stop fin

printf 'vos-secret\n' >"$OMS_TMP/vos.pw"
peer_start vb vendor --state "$OMS_TMP/vb-state" --auth basic --user omsvos --password-file "$OMS_TMP/vos.pw"
r=$(peer_call vendor "$PEER_URL_vb" PlaceOrder "$(place b-1 B-1)")
tap_is "$r" "HTTP 401" "bad: HTTP basic: no credentials get 401"
r=$(peer_call vendor "$PEER_URL_vb" PlaceOrder "$(place b-1 B-1)" --basic omsvos:nope)
tap_is "$r" "HTTP 401" "bad: HTTP basic: a wrong password gets 401"
r=$(peer_call vendor "$PEER_URL_vb" PlaceOrder "$(place b-1 B-1)" --basic omsvos:vos-secret)
tap_like "$r" '^OK ' "HTTP basic: the right credentials are answered"
tap_is "$(peer_get vb /_peer/stats .totals.applied)" 1 "HTTP basic: only the authenticated request applied"
peer_stop vb

# ------------------------------------------------------------ smtp

# a small valid PDF (offsets computed), the invoice's stand-in
"$OMS_PYTHON" - "$OMS_TMP/invoice.pdf" <<'EOF'
import sys
objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        None, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
text = b"BT /F1 18 Tf 72 760 Td (Summary Invoice 2026-11) Tj ET"
objs[3] = b"<</Length %d>>stream\n" % len(text) + text + b"\nendstream"
out = bytearray(b"%PDF-1.4\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(sys.argv[1], "wb").write(out)
EOF
pdf_sha=$(sha256sum "$OMS_TMP/invoice.pdf" | cut -d' ' -f1)

peer_start mail smtp --dir "$OMS_TMP/mail" --starttls
tap_ok $? "the SMTP sink starts with STARTTLS"
SMTP=$PEER_URL_mail
send() { # send ID [CURL OPTION...]: an invoice mail with the PDF attached
	local id=$1
	shift
	curl -s -m 20 "$@" "$SMTP" --mail-from billing@oms.example --mail-rcpt ap@acme.example \
	    --mail-rcpt controller@acme.example \
	    -H "Subject: Summary Invoice $id" -H 'From: OMS Billing <billing@oms.example>' \
	    -H 'To: ap@acme.example, controller@acme.example' -H "Message-ID: <$id@oms.example>" \
	    -F '=Your summary invoice is attached.;type=text/plain; charset=utf-8' \
	    -F "=@$OMS_TMP/invoice.pdf;type=application/pdf;filename=invoice-$id.pdf;encoder=base64"
}
send inv-1 --ssl-reqd --cacert "$OMS_TMP/mail/tls/cert.pem"
tap_is $? 0 "curl sends a MIME mail with a PDF over STARTTLS, verifying the sink's certificate"
tap_is "$(peer_get mail /_peer/messages .length)" 1 "the sink indexed one message"
tap_is "$(peer_get mail /_peer/messages '[0].secure')" true "the message came over TLS"
tap_is "$(peer_get mail /_peer/messages '[0].envelope_to.join()')" ap@acme.example,controller@acme.example \
    "the index has both recipients"
tap_is "$(peer_get mail /_peer/messages '[0].subject')" "Summary Invoice inv-1" "the index has the subject"
tap_is "$(peer_get mail /_peer/messages '[0].attachments[0].sha256')" "$pdf_sha" \
    "the attachment in the index is the PDF, byte for byte"
eml="$OMS_TMP/mail/$(peer_get mail /_peer/messages '[0].file')"
tap_cmd "the message is kept as an .eml file" test -s "$eml"
node -e '
const fs = require("fs");
require("mailparser").simpleParser(fs.readFileSync(process.argv[1])).then((m) => {
  const a = m.attachments.find((x) => x.contentType === "application/pdf");
  fs.writeFileSync(process.argv[2], a.content);
  console.log(m.messageId, a.filename);
});' "$eml" "$OMS_TMP/back.pdf" >"$OMS_TMP/parsed.txt" 2>&1
tap_file_like "$OMS_TMP/parsed.txt" '^<inv-1@oms.example> invoice-inv-1.pdf$' \
    "mailparser reads the .eml back: message id and attachment name"
tap_cmd "the attachment read back is the PDF sent" cmp "$OMS_TMP/invoice.pdf" "$OMS_TMP/back.pdf"
if command -v pdfinfo >/dev/null 2>&1; then
	tap_cmd "the attachment read back is a valid PDF" pdfinfo "$OMS_TMP/back.pdf"
else
	tap_skip "pdfinfo is not installed" "the attachment read back is a valid PDF"
fi

peer_ctl mail POST /_peer/down
send inv-2
tap_is $? 7 "smtp down: the connection is refused"
peer_ctl mail POST /_peer/up
send inv-2
tap_is $? 0 "smtp up: the mail goes"
peer_ctl mail POST /_peer/down '{"mode":"421"}'
send inv-3
tap_isnt $? 0 "smtp down (421): the mail is not taken"
tap_like "$(peer_get mail /_peer/stats .refused)" '^[1-9]' "smtp down (421): the sink counts the refusal"
peer_ctl mail POST /_peer/up
send inv-3
tap_is $? 0 "smtp up after 421: the mail goes"
tap_is "$(peer_get mail /_peer/messages '.map((m) => m.subject).join()')" \
    "Summary Invoice inv-1,Summary Invoice inv-2,Summary Invoice inv-3" "the sink holds each mail once"
peer_stop mail
peer_start mail smtp --dir "$OMS_TMP/mail" --require-tls
tap_is "$(peer_get mail /_peer/messages .length)" 3 "after a restart: the sink still has its messages"
SMTP=$PEER_URL_mail
send inv-4
tap_isnt $? 0 "bad: --require-tls: a mail without STARTTLS is refused"
send inv-4 --ssl-reqd --cacert "$OMS_TMP/mail/tls/cert.pem"
tap_is $? 0 "--require-tls: with STARTTLS it goes"
peer_stop mail

# ------------------------------------------------------------ examples
# tests/peers/examples: one request per operation, as a mapping
# stylesheet should write it; each payload is valid against the schema
# in its WSDL, is answered by a fresh peer, and so is the answer.

EX=$OMS_SRCDIR/tests/peers/examples
xsltproc "$EX/schema.xsl" "$OMS_SRCDIR/tests/peers/vendor.wsdl" >"$OMS_TMP/vendor.xsd"
xsltproc "$EX/schema.xsl" "$OMS_SRCDIR/tests/peers/lease.wsdl" >"$OMS_TMP/lease.xsd"
peer_start exv vendor --state "$OMS_TMP/exv-state" --strict
peer_start exl lease --state "$OMS_TMP/exl-state" --strict
for op in PlaceOrder ChangeOrder DisconnectOrder QueryOrder BookLease AmendLease ReturnAsset QueryLease; do
	case $op in
	*Order) sys=vendor url=$PEER_URL_exv action=urn:acme-vos:orders#$op ;;
	*) sys=lease url=$PEER_URL_exl action=urn:fincorp:leasing:v2/$op ;;
	esac
	xsltproc "$EX/payload.xsl" "$EX/$op.xml" >"$OMS_TMP/req.xml"
	tap_cmd "example $op: the payload is valid against $sys.wsdl's schema" \
	    xmllint --noout --schema "$OMS_TMP/$sys.xsd" "$OMS_TMP/req.xml"
	curl -s -m 10 -H 'Content-Type: text/xml; charset=utf-8'  -H "SOAPAction: \"$action\"" \
	    --data-binary "@$EX/$op.xml" -o "$OMS_TMP/resp.xml" -w '%{http_code}' "$url" >"$OMS_TMP/code"
	tap_is "$(cat "$OMS_TMP/code")" 200 "example $op: answered by the $sys peer"
	xsltproc "$EX/payload.xsl" "$OMS_TMP/resp.xml" >"$OMS_TMP/resp-payload.xml" 2>/dev/null
	tap_cmd "example $op: the answer is a ${op}Response valid against the schema" \
	    sh -c 'grep -q "<'"$op"'Response" "$1" && xmllint --noout --schema "$2" "$1"' sh \
	    "$OMS_TMP/resp-payload.xml" "$OMS_TMP/$sys.xsd"
done
tap_like "$(cat "$OMS_TMP/resp.xml")" '<Outcome>POSTED</Outcome>' "example QueryLease: the example booking is found"
sed 's/ xmlns="urn:acme-vos:orders"//' "$EX/PlaceOrder.xml" | xsltproc "$EX/payload.xsl" - >"$OMS_TMP/req.xml"
xmllint --noout --schema "$OMS_TMP/vendor.xsd" "$OMS_TMP/req.xml" >/dev/null 2>&1
tap_isnt $? 0 "bad: a PlaceOrder without the vendor's namespace is not valid against the schema"
out=$(curl -s -m 10 -H 'Content-Type: text/xml' -H 'SOAPAction: "urn:fincorp:leasing:v2#QueryLease"' \
    --data-binary "@$EX/QueryLease.xml" "$PEER_URL_exl")
tap_like "$out" "<faultcode>soap:Client</faultcode><faultstring>SOAPAction 'urn:fincorp:leasing:v2#QueryLease' is not QueryLease's \\(urn:fincorp:leasing:v2/QueryLease\\)" \
    "bad: a SOAPAction that is not the operation's gets a Client Fault"
peer_stop exv
peer_stop exl

tap_done
