#!/bin/bash
# Invoice documents by mail (issue 10, item 5; src/domain/distribution.c,
# backends/exchange/smtp.c).  The invoices fixture (as documents.sh) with
# billing contacts for INVA, delivery 'none' for INVB and a file drop
# for the demo customer is issued for 2026-01: one SendDocuments message
# an invoice is queued in the invoice's own unit (none for INVB), and a
# re-run queues nothing more.  The outbox dispatcher sends the mail
# (`omsctl outbox drain --system mail`; the states are read from the
# outbox rows, a retry made due again by moving its next_attempt_at)
# through the mail adapter against the real SMTP sink tests/peers/smtp.js
# requiring STARTTLS with its own certificate: no mail before the PDFs
# are made (pending, "PDF not made yet"); with the sink down nothing is
# sent (pending, with the reason), once it is up the mail arrives once
# (a drain after it sends nothing), to both contacts, with its subject,
# our Message-ID, and the two stored PDFs (byte for byte, valid for
# pdfinfo); STARTTLS off or an untrusted certificate is a retry; no
# answer after the data is dead at once (the mail server cannot be
# asked: check with the recipient, then resend); a refused recipient
# domain is dead (rejected).  The demo customer's documents go through
# the file drop [exchange docdrop] (xslt/exchange/filedrop-request.xsl):
# a record in DIR/out/ (no PDF in it), delivered by the acknowledgement
# the test writes into DIR/ack/.  The invoice page shows the delivery,
# Resend (finance) makes a new message with a new id, audited; a
# customer user fetches its own PDFs.  On the backend of OMS_BACKEND
# (mariadb through tests/mariadb/mail.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
. "$OMS_SRCDIR/tests/peers/lib.sh"

oms_need_stack
oms_need node openssl xmllint "$OMS_PYTHON"
for m in smtp-server mailparser; do
	[ -d "$OMS_SRCDIR/tests/node_modules/$m" ] ||
	    tap_skip_all "tests/node_modules/$m is missing (cd tests && npm ci)"
done
oms_tmpdir
PEER_DIR=$OMS_TMP
MAILDIR=$OMS_TMP/mail
DROP=$OMS_TMP/drop
mkdir -p "$DROP"

# ------------------------------------------------ the sink and OMS
peer_start mail smtp --dir "$MAILDIR" --require-tls --refuse-domain nowhere.example ||
    tap_bail "the SMTP sink did not start"
tap_ok 0 "the SMTP sink starts, requiring STARTTLS"
OMS_CONF_EXTRA="
[exchange mail]
adapter = smtp
endpoint = $PEER_URL_mail
from = billing@oms.example
starttls = yes
tls_ca = $MAILDIR/tls/cert.pem
tls_verify = yes
connect_timeout = 5
timeout = 30
max_attempts = 20

[exchange docdrop]
adapter = filedrop
directory = $DROP
request_xsl = exchange/filedrop-request.xsl
reply_xsl = exchange/filedrop-reply.xsl
"
OMS_SEED_ARGS="--customers 1 --sites 1 --assets 3 --seed 42" oms_start

FIX=$OMS_SRCDIR/tests/fixtures/invoices
for k in products prices tax-rates customers sites cost-centres assets; do
	out=$(oms_ctl --today 2026-01-20 import "$k" "$FIX/$k.csv" 2>&1) || { tap_diag "$out"; tap_bail "import $k failed"; }
done
demo=$(oms_sql "SELECT code FROM customers WHERE code NOT IN ('INVA', 'INVB') ORDER BY id LIMIT 1")

# ------------------------------------------------ contacts (omsctl)
tap_cmd "omsctl customer contact-add INVA ap@acme.example" oms_ctl customer contact-add INVA ap@acme.example 'Accounts Payable'
tap_cmd "omsctl customer contact-add INVA cfo@acme.example" oms_ctl customer contact-add INVA cfo@acme.example
out=$(oms_ctl customer contact-add INVA 'not an address' 2>&1)
tap_is "$?" 1 "bad: a contact that is not a mail address is refused" || tap_diag "$out"
out=$(oms_ctl customer contact-add INVA 'x@y.example
Bcc: z@evil.example' 2>&1)
tap_is "$?" 1 "bad: an address with a header in it is refused"
out=$(oms_ctl customer contact-add INVA ap@acme.example 2>&1)
tap_is "$?" 1 "bad: the same contact twice is refused"
tap_cmd "omsctl customer delivery INVB none" oms_ctl customer delivery INVB none
tap_cmd "omsctl customer contact-add INVB ap@invb.example (delivery none)" oms_ctl customer contact-add INVB ap@invb.example
tap_cmd "omsctl customer delivery $demo drop docdrop" oms_ctl customer delivery "$demo" drop docdrop
oms_ctl customer delivery INVB drop >/dev/null 2>&1
tap_is "$?" 2 "bad: a file drop without its system is a usage error"
tap_is "$(oms_ctl customer contacts INVA)" "delivery: mail
ap@acme.example	Accounts Payable
cfo@acme.example	-" "omsctl customer contacts lists the method and the contacts"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND action IN ('contact-add', 'delivery')")" 5 \
    "each contact and delivery change is audited"

# ------------------------------------------------ the billing run queues
out=$(oms_ctl --today 2026-02-01 bill issue --period 2026-01 2>&1)
tap_is "$?" 0 "omsctl bill issue --period 2026-01" || tap_diag "$out"
ia=$(oms_sql "SELECT id FROM invoices WHERE customer_code = 'INVA' AND period = '2026-01'")
ib=$(oms_sql "SELECT id FROM invoices WHERE customer_code = 'INVB' AND period = '2026-01'")
idemo=$(oms_sql "SELECT id FROM invoices WHERE customer_code = '$demo' AND period = '2026-01'")
na=$(oms_sql "SELECT number FROM invoices WHERE id = $ia")
tap_ok "$([ -n "$ia" ] && [ -n "$ib" ]; echo $?)" "INVA and INVB have their 2026-01 invoices ($ia, $ib)"
tap_is "$(oms_sql "SELECT system, kind, seq_key, seq, state FROM outbox WHERE invoice_id = $ia")" \
    "mail|SendDocuments|invoice:$ia|1|pending" "INVA's invoice: one pending SendDocuments to mail, keyed invoice:ID"
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE invoice_id = $ib")" 0 "INVB (delivery none): nothing queued"
if [ -n "$idemo" ]; then
	tap_is "$(oms_sql "SELECT system, kind, seq_key FROM outbox WHERE invoice_id = $idemo")" \
	    "docdrop|SendDocuments|invoice:$idemo" "the demo customer (file drop): one message to its drop system"
else
	tap_skip "the demo customer has no 2026-01 invoice" "the demo customer (file drop): one message to its drop system"
fi
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox WHERE invoice_id IS NOT NULL")" "$(oms_sql "SELECT COUNT(*) FROM invoices WHERE customer_code <> 'INVB'")" \
    "one message an invoice of a customer that receives them"
m1=$(oms_sql "SELECT id FROM outbox WHERE invoice_id = $ia")
mid1=$(oms_sql "SELECT message_id FROM outbox WHERE id = $m1")
oms_ctl outbox show "$m1" | sed -e '1,/^$/d' >"$OMS_TMP/m1.xml"
out=$(xmllint --noout --schema "$OMS_SRCDIR/docs/exchange/SendDocuments.xsd" "$OMS_TMP/m1.xml" 2>&1)
tap_is "$?" 0 "the message is valid by docs/exchange/SendDocuments.xsd" || tap_diag "$out"
tap_file_like "$OMS_TMP/m1.xml" '<recipient name="Accounts Payable">ap@acme.example</recipient>' "it names the recipients"
before=$(oms_sql "SELECT COUNT(*) FROM outbox")
oms_ctl --today 2026-02-01 bill issue --period 2026-01 >/dev/null 2>&1
tap_is "$(oms_sql "SELECT COUNT(*) FROM outbox")" "$before" "issuing the period again queues nothing more"

# ------------------------------------------------ no mail without PDFs
# drain [CONF [SYSTEM]]: the dispatcher over the mail system (or
# SYSTEM) until nothing is due; its summary line and exit status (its
# log goes to drain.log).
drain() { "$OMS_BUILDDIR/omsctl" -f "${1:-$OMS_CONF}" outbox drain --system "${2:-mail}" 2>>"$OMS_TMP/drain.log"; }
# state ID: the outbox row's state and last error.
state() { oms_sql "SELECT state, COALESCE(last_error, '') FROM outbox WHERE id = $1"; }
# due ID: a message waiting out its back-off is due now.
due() { oms_sql_write "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE id = $1" >/dev/null; }
msgs() { peer_get mail /_peer/stats .messages; }
out=$(drain)
tap_is "$?|$out" "3|delivered 0, retry 1, unknown 0, dead 0, left 1" "omsctl outbox drain: one retry, one left"
tap_like "$(state "$m1")" '^pending\|PDF not made yet' "before the PDFs are made: pending, PDF not made yet"
tap_is "$(msgs)" 0 "and nothing reached the sink"
out=$(drain)
tap_is "$out" "delivered 0, retry 0, unknown 0, dead 0, left 1" "not tried again before its back-off ends"

# The PDFs, by a stand-in renderer that writes a small valid PDF of
# each page (the real one is documents.sh's).
cat >"$OMS_TMP/render" <<'PY'
#!/usr/bin/python3
import hashlib, sys
a = sys.argv[1:]
for i in range(0, len(a) - 1, 2):
    h = hashlib.sha256(open(a[i], "rb").read()).hexdigest()[:16]
    text = ("BT /F1 12 Tf 72 720 Td (OMS test %s) Tj ET" % h).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for n, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % n + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(a[i + 1], "wb").write(out)
PY
chmod +x "$OMS_TMP/render"
cp "$OMS_CONF" "$OMS_TMP/docs.conf"
printf '\n[billing]\npdf_renderer = %s\npdf_max_lines = 0\n' "$OMS_TMP/render" >>"$OMS_TMP/docs.conf"
out=$("$OMS_BUILDDIR/omsctl" -f "$OMS_TMP/docs.conf" bill documents 2>&1)
tap_is "$?" 0 "omsctl bill documents stores the PDFs" || tap_diag "$out"

# ------------------------------------------------ down, then up
peer_ctl mail POST /_peer/down '{"mode":"refuse"}'
due "$m1"
out=$(drain)
tap_like "$(state "$m1")" '^pending\|.+' "the sink down: pending again, with the reason" || tap_diag "$out"
tap_unlike "$(state "$m1")" 'PDF not made' "the reason is the sink's now"
tap_is "$(msgs)" 0 "and nothing was sent"
peer_ctl mail POST /_peer/up
peer_ctl mail POST /_peer/down '{"mode":"421"}'
due "$m1"
out=$(drain)
tap_like "$(state "$m1")" '^pending\|.*421' "the sink answering 421: pending, with its reply" || tap_diag "$out"
peer_ctl mail POST /_peer/up

# STARTTLS off, and a CA that does not sign the sink's certificate.
sed -e 's/^starttls = yes/starttls = no/' "$OMS_CONF" >"$OMS_TMP/plain.conf"
due "$m1"
out=$(drain "$OMS_TMP/plain.conf")
tap_like "$(state "$m1")" '^pending\|.*530' "bad: without STARTTLS the sink refuses the sender: retry" || tap_diag "$out"
sed -e "s|^tls_ca = .*|tls_ca = $OMS_SRCDIR/tests/peers/vendor.wsdl|" "$OMS_CONF" >"$OMS_TMP/ca.conf"
due "$m1"
before=$(state "$m1")
out=$(drain "$OMS_TMP/ca.conf")
tap_like "$out" '^delivered 0, retry 1,' "bad: a certificate not signed by tls_ca is not trusted: retry" || tap_diag "$out"
tap_like "$(state "$m1")" '^pending\|.+' "and the message is pending again" || tap_diag "$before"
tap_is "$(msgs)" 0 "none of these sent anything"

due "$m1"
out=$(drain)
tap_is "$?|$out" "0|delivered 1, retry 0, unknown 0, dead 0, left 0" "the sink up: the dispatcher delivers the mail"
tap_is "$(oms_sql "SELECT state, attempts FROM outbox WHERE id = $m1")" "delivered|6" "delivered at its sixth attempt"
tap_is "$(msgs)" 1 "one mail reached the sink"
out=$(drain)
tap_is "$out|$(msgs)" "delivered 0, retry 0, unknown 0, dead 0, left 0|1" "a drain after it sends nothing more"

peer_ctl mail GET /_peer/messages
printf '%s' "$PEER_BODY" >"$OMS_TMP/index.json"
j() { peer_json "$1" <"$OMS_TMP/index.json"; }
tap_is "$(j '[0].envelope_to')" '["ap@acme.example","cfo@acme.example"]' "to both billing contacts (envelope)"
tap_is "$(j '[0].to')" '["ap@acme.example","cfo@acme.example"]' "and in To:"
tap_is "$(j '[0].envelope_from')" billing@oms.example "from the section's sender"
tap_is "$(j '[0].secure')" true "over STARTTLS"
tap_is "$(j '[0].subject')" "Invoice $na for Invoice Alpha, Ltd (INVA), 2026-01" "the subject names the invoice, customer and period"
tap_is "$(j '[0].message_id')" "<$mid1@oms.example>" "the Message-ID is our message id"
tap_like "$(j '[0].text')" "Summary Invoice $na" "the text names the invoice"
tap_is "$(j '[0].attachments.length')" 2 "two attachments"
tap_is "$(j '[0].attachments.map(a => a.filename + " " + a.content_type).join(",")')" \
    "INVA-2026-01-invoice.pdf application/pdf,INVA-2026-01-report.pdf application/pdf" "the invoice and report PDFs, named as the pages name them"
sha() { oms_sql "SELECT hex(body) FROM invoice_documents WHERE invoice_id = $ia AND kind = '$1'" |
    "$OMS_PYTHON" -c 'import sys, hashlib; print(hashlib.sha256(bytes.fromhex(sys.stdin.read().strip())).hexdigest())'; }
tap_is "$(j '[0].attachments[0].sha256')" "$(sha invoice.pdf)" "the invoice PDF is the stored one, byte for byte"
tap_is "$(j '[0].attachments[1].sha256')" "$(sha report.pdf)" "the report PDF is the stored one, byte for byte"
"$OMS_PYTHON" - "$MAILDIR/$(j '[0].file')" "$OMS_TMP/att" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
for i, p in enumerate(p for p in m.iter_attachments()):
    open("%s%d.pdf" % (sys.argv[2], i), "wb").write(p.get_content())
PY
tap_is "$(head -c 5 "$OMS_TMP/att0.pdf")" "%PDF-" "the attached invoice starts as a PDF"
if command -v pdfinfo >/dev/null 2>&1; then
	pdfinfo "$OMS_TMP/att0.pdf" >/dev/null 2>&1
	tap_ok $? "pdfinfo reads the attached invoice"
else
	tap_skip "pdfinfo is not installed" "pdfinfo reads the attached invoice"
fi

# ------------------------------------------------ the file drop
# The demo customer takes its documents by file drop: the dispatcher
# writes the record of filedrop-request.xsl into DIR/out/ (no PDF in
# it: the legacy side fetches the documents by the invoice's number),
# and the acknowledgement the legacy side writes into DIR/ack/
# (here: the test) makes it delivered.
if [ -n "$idemo" ]; then
	md=$(oms_sql "SELECT id FROM outbox WHERE invoice_id = $idemo")
	mdid=$(oms_sql "SELECT message_id FROM outbox WHERE id = $md")
	ndemo=$(oms_sql "SELECT number FROM invoices WHERE id = $idemo")
	out=$(drain "$OMS_CONF" docdrop)
	tap_is "$?|$out" "3|delivered 0, retry 0, unknown 1, dead 0, left 1" "omsctl outbox drain --system docdrop: written, its answer awaited" || tap_diag "$out"
	tap_like "$(state "$md")" '^unknown\|' "the message waits for its acknowledgement (unknown)"
	f=$DROP/out/$mdid.xml
	x() { xmllint --nonet --xpath "$2" "$1" 2>/dev/null; }
	tap_is "$(x "$f" 'string(/OmsRecord/@kind)')|$(x "$f" 'string(/OmsRecord/messageId)')|$(x "$f" 'string(/OmsRecord/invoiceNumber)')" \
	    "SendDocuments|$mdid|$ndemo" "DIR/out/<message id>.xml: a SendDocuments record with the invoice's number"
	tap_is "$(x "$f" 'string(/OmsRecord/customerCode)')" "$demo" "and the customer's code"
	tap_file_unlike "$f" 'JVBERi0|%PDF' "bad: no PDF in the file (a limitation: the legacy side fetches them)"
	tap_is "$(msgs)" 1 "nothing went to the mail sink"
	printf '<?xml version="1.0"?>\n<OmsAck><messageId>%s</messageId><result>OK</result><legacyRef>DMS-7</legacyRef></OmsAck>\n' \
	    "$mdid" >"$DROP/ack/.DMS-7.xml"
	mv "$DROP/ack/.DMS-7.xml" "$DROP/ack/DMS-7.xml"
	due "$md"
	out=$(drain "$OMS_CONF" docdrop)
	tap_is "$?|$out" "0|delivered 1, retry 0, unknown 0, dead 0, left 0" "the acknowledgement collected: delivered" || tap_diag "$out"
	tap_is "$(oms_sql "SELECT state FROM outbox WHERE id = $md")|$(oms_sql "SELECT COUNT(*) FROM outbox WHERE id = $md AND reply LIKE '%DMS-7%'")" \
	    "delivered|1" "the canonical Ack with the legacy reference is kept"
	tap_is "$(ls "$DROP/out" | wc -l | tr -d ' ')" 1 "one file was written, once"
else
	for t in "written" "waits" "record" "customer" "no PDF" "no mail" "delivered" "Ack" "once"; do
		tap_skip "the demo customer has no 2026-01 invoice" "file drop: $t"
	done
fi

# ------------------------------------------------ the pages
declare -A JAR
for r in finance vendor; do
	oms_login "$r" || tap_bail "cannot log in as $r"
	mv "$OMS_JAR" "$OMS_JAR.mail"
	JAR[$r]=$OMS_JAR.mail
done
CPW=Mail-customer-password-1
ca=$(oms_sql "SELECT id FROM customers WHERE code = 'INVA'")
printf '%s\n' "$CPW" | oms_ctl user add mail-cust --role customer --name 'Mail Customer' \
    --email mail-cust@example.com --organisation 'Invoice Alpha' --customer "$ca" >/dev/null 2>&1
oms_login mail-cust "$CPW" || tap_bail "cannot log in as mail-cust"
mv "$OMS_JAR" "$OMS_JAR.mail"
JAR[cust]=$OMS_JAR.mail
as() { OMS_JAR=${JAR[$1]}; }

as finance
http GET "/invoices/$ia"
tap_is "$HTTP_STATUS" 200 "finance opens the invoice"
tap_like "$(cat "$HTTP_BODY")" 'Mailed to ap@acme.example, cfo@acme.example on [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z' "its page says where and when the documents were mailed"
tap_like "$(cat "$HTTP_BODY")" "action=\"/invoices/$ia/resend\"" "and offers Resend to finance"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$HTTP_BODY" | head -n 1)
http GET "/invoices/$ib"
tap_like "$(cat "$HTTP_BODY")" 'Not sent: this customer fetches its documents' "INVB's page says its documents are not sent"
as cust
http GET "/invoices/$ia"
tap_like "$(cat "$HTTP_BODY")" 'Mailed to ap@acme.example' "the customer sees the delivery of its invoice"
tap_unlike "$(cat "$HTTP_BODY")" '/resend' "but no Resend"
http GET "/invoices/$ia/invoice.pdf"
tap_is "$HTTP_STATUS" 200 "the customer fetches its invoice PDF"
tap_is "$(sha256sum <"$HTTP_BODY" | cut -d' ' -f1)" "$(sha invoice.pdf)" "the very PDF that was mailed"
http GET "/invoices/$ia/report.pdf"
tap_is "$HTTP_STATUS" 200 "and its report PDF"
http POST "/invoices/$ia/resend" --data "csrf=$csrf"
tap_is "$HTTP_STATUS" 403 "bad: a customer may not resend"
as vendor
http GET "/invoices/$ia"
tap_isnt "$HTTP_STATUS" 200 "bad: the vendor does not see invoices"

# ------------------------------------------------ resend
as finance
naudit=$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND action = 'resend-documents'")
http POST "/invoices/$ia/resend" --data "csrf=$csrf"
tap_is "$HTTP_STATUS" 303 "finance resends the documents"
m2=$(oms_sql "SELECT MAX(id) FROM outbox WHERE invoice_id = $ia")
tap_isnt "$m2" "$m1" "a new outbox message"
tap_is "$(oms_sql "SELECT state, seq_key FROM outbox WHERE id = $m2")" "pending|invoice:$ia/resend:1" "pending, keyed apart from the first"
mid2=$(oms_sql "SELECT message_id FROM outbox WHERE id = $m2")
tap_isnt "$mid2" "$mid1" "with a new message id"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND action = 'resend-documents' AND entity_id = '$ia'")" \
    $((naudit + 1)) "the resend is audited"
http POST "/invoices/$ia/resend" --data "csrf=$csrf"
tap_is "$HTTP_STATUS" 409 "bad: a second resend while one waits is refused"
http GET "/invoices/$ia"
tap_like "$(cat "$HTTP_BODY")" 'Sent again: Waiting: to ap@acme.example' "the page shows the resend waiting"
out=$(drain)
tap_is "$out|$(state "$m2")" "delivered 1, retry 0, unknown 0, dead 0, left 0|delivered|" "the resend is mailed"
tap_is "$(msgs)" 2 "a second mail at the sink"
tap_is "$(peer_get mail /_peer/messages '[1].message_id')" "<$mid2@oms.example>" "with the new Message-ID"
tap_like "$(peer_get mail /_peer/messages '[1].subject')" '\(sent again\)$' "and a subject that says it is sent again"

# ------------------------------------------------ no answer after the data
# The sink keeps the mail but holds its reply past the adapter's
# timeout: the outcome is unknown (it may well have gone), not a retry;
# a mail server cannot be asked, so it is dead at once with a reason
# that says what to do, and never sent again blind.
peer_ctl mail POST /_peer/stall '{"seconds":30}'
sed -e 's/^timeout = 30/timeout = 2/' "$OMS_CONF" >"$OMS_TMP/short.conf"
oms_ctl bill resend "$ia" >/dev/null 2>&1
m25=$(oms_sql "SELECT MAX(id) FROM outbox WHERE invoice_id = $ia")
out=$(drain "$OMS_TMP/short.conf")
tap_is "$?|$out" "0|delivered 0, retry 0, unknown 0, dead 1, left 0" "bad: no answer after the data: dead at once, nothing left" || tap_diag "$out"
tap_like "$(state "$m25")" '^dead\|outcome unknown and the mail server cannot be asked: check with the recipient, then resend \(no answer after the message was sent' \
    "with the reason: the outcome is unknown and the mail server cannot be asked"
peer_ctl mail POST /_peer/stall '{"seconds":0}'
out=$(drain)
tap_is "$out" "delivered 0, retry 0, unknown 0, dead 0, left 0" "a dead mail is not sent again blind"
n=0
until [ "$(msgs)" = 3 ] || [ "$n" -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
tap_is "$(msgs)" 3 "the sink did take that mail"

# ------------------------------------------------ a refused recipient
oms_ctl customer contact-remove INVA ap@acme.example >/dev/null &&
    oms_ctl customer contact-remove INVA cfo@acme.example >/dev/null &&
    oms_ctl customer contact-add INVA ap@nowhere.example >/dev/null
tap_ok $? "INVA's contacts changed to an address of a domain the sink refuses"
out=$(oms_ctl bill resend "$ia" 2>&1)
tap_like "$out" 'queued again as outbox message' "omsctl bill resend" || tap_diag "$out"
m3=$(oms_sql "SELECT MAX(id) FROM outbox WHERE invoice_id = $ia")
out=$(drain)
tap_is "$?|$out" "0|delivered 0, retry 0, unknown 0, dead 1, left 0" "bad: every recipient refused: dead at once" || tap_diag "$out"
tap_like "$(state "$m3")" '^dead\|every recipient refused: 550' "rejected, with the server's reply"
tap_is "$(msgs)" 3 "and nothing more reached the sink"
as finance
http GET "/invoices/$ia"
tap_like "$(cat "$HTTP_BODY")" 'Failed: every recipient refused' "the page shows the failure"

# ------------------------------------------------ contacts on the customer page
http GET "/customers/$ca"
tap_like "$(cat "$HTTP_BODY")" 'ap@nowhere.example' "the customer page lists the billing contacts to finance"
http POST "/customers/$ca/contacts" --data "csrf=$csrf&email=ar%40acme.example&name=Receivables"
tap_is "$HTTP_STATUS" 303 "finance adds a contact on the customer page"
http POST "/customers/$ca/contacts" --data "csrf=$csrf&email=nonsense"
tap_is "$HTTP_STATUS" 400 "bad: not an address: 400"
http POST "/customers/$ca/contacts/remove" --data "csrf=$csrf&email=ap%40nowhere.example"
tap_is "$HTTP_STATUS" 303 "and removes one"
http POST "/customers/$ca/delivery" --data "csrf=$csrf&method=drop"
tap_is "$HTTP_STATUS" 400 "bad: a file drop without its system: 400"
http POST "/customers/$ca/contacts" --data "email=x%40acme.example"
tap_is "$HTTP_STATUS" 403 "bad: without the CSRF token: 403"
tap_is "$(oms_ctl customer contacts INVA)" "delivery: mail
ar@acme.example	Receivables" "the contacts are what the forms left"
as cust
http GET "/customers/$ca"
tap_unlike "$(cat "$HTTP_BODY")" 'ar@acme.example' "the customer user's customer page has no contact forms"

peer_stop mail
tap_done
