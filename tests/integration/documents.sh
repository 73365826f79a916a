#!/bin/bash
# The documents of issued invoices, rendered once and stored with the
# invoice (issue 9, item 6; src/web/billdocs.c, migration 0008).  The
# scenario of invoices.sh (tests/fixtures/invoices) is issued for
# 2026-01 and 2026-02 with omsctl.  Before the documents are made the
# pages render live and the PDFs answer 404 "not made yet"; `omsctl bill
# documents` stores them (pages, printable pages, PDFs through the real
# oms-render-pdf and headless Chromium); then the pages are the stored
# bytes (the same as live, and a stored body changed in the database
# shows: it is what is served), the PDFs carry the invoice's number,
# customer, total due and page numbers on the customer's paper, a second
# run changes nothing, a customer user gets its own PDFs and 404 for
# another customer's, the Vendor 403.  A renderer that fails or is
# missing stores no PDF and says so, and an invoice longer than
# [billing] pdf_max_lines gets none.  Last, omsd's billing job makes the
# documents of a period issued later by itself.  On the backend of
# OMS_BACKEND (mariadb through tests/mariadb/documents.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need "$OMS_PYTHON" pdftotext pdfinfo
command -v chromium >/dev/null 2>&1 || { echo "1..0 # SKIP chromium is not installed"; exit 0; }
OMS_PDF_RENDERER=$(oms_pdf_renderer)
export OMS_PDF_RENDERER
# The demo accounts with one small demo customer: its invoices and the
# fixtures' make PDFs of a page or two.
OMS_SEED_ARGS="--customers 1 --sites 1 --assets 3 --seed 42" oms_start

FIX=$OMS_SRCDIR/tests/fixtures/invoices
for k in products prices tax-rates customers sites cost-centres assets; do
	out=$(oms_ctl --today 2026-01-20 import "$k" "$FIX/$k.csv" 2>&1) || { tap_diag "$out"; tap_bail "import $k failed"; }
done
for p in "2026-02-01 2026-01" "2026-03-01 2026-02"; do
	set -- $p
	out=$(oms_ctl --today "$1" bill issue --period "$2" 2>&1) || { tap_diag "$out"; tap_bail "issue $2 failed"; }
done
ca=$(oms_sql "SELECT id FROM customers WHERE code = 'INVA'")
cb=$(oms_sql "SELECT id FROM customers WHERE code = 'INVB'")
a2=$(oms_sql "SELECT id FROM invoices WHERE customer_id = $ca AND period = '2026-02'")
b1=$(oms_sql "SELECT id FROM invoices WHERE customer_id = $cb AND period = '2026-01'")
n2=$(oms_sql "SELECT number FROM invoices WHERE id = $a2")
due2=$(oms_sql "SELECT total_due_cents FROM invoices WHERE id = $a2")
ninv=$(oms_sql "SELECT COUNT(*) FROM invoices")

CPW=Documents-customer-password-1
printf '%s\n' "$CPW" | oms_ctl user add doc-cust --role customer --name 'Documents Customer' \
    --email doc-cust@example.com --organisation 'Invoice Alpha' --customer "$ca" >/dev/null 2>&1
declare -A JAR
for r in finance vendor; do
	oms_login "$r" || tap_bail "cannot log in as $r"
	mv "$OMS_JAR" "$OMS_JAR.doc"
	JAR[$r]=$OMS_JAR.doc
done
oms_login doc-cust "$CPW" || tap_bail "cannot log in as doc-cust"
mv "$OMS_JAR" "$OMS_JAR.doc"
JAR[cust]=$OMS_JAR.doc
as() { OMS_JAR=${JAR[$1]}; }
money() { "$OMS_PYTHON" -c 'import sys; c=int(sys.argv[1]); print(("-" if c < 0 else "") + "{:,}".format(abs(c)//100) + ".%02d" % (abs(c)%100))' "$1"; }
# part FILE MARK: the page from MARK (the stored body's first tag) to
# the end of <main>: what a stored body replaces, without the menus and
# tokens of the request.
part() {
	"$OMS_PYTHON" - "$1" "$2" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i = s.find(sys.argv[2])
j = s.find("</main>", i)
print(s[i:j] if i >= 0 and j > i else "NOT FOUND")
PY
}
docs() { oms_sql "SELECT COUNT(*) FROM invoice_documents WHERE kind = '$1'"; }

# ------------------------------------------------ before: live pages
as finance
http GET "/invoices/$a2"
cp "$HTTP_BODY" "$OMS_DIR/live.html"
tap_is "$HTTP_STATUS" 200 "the invoice page renders live before its documents are made"
tap_unlike "$(cat "$HTTP_BODY")" 'invoice.pdf' "and links no PDF yet"
http GET "/invoices/$a2/print"
cp "$HTTP_BODY" "$OMS_DIR/live-print.html"
http GET "/invoices/$a2/report"
cp "$HTTP_BODY" "$OMS_DIR/live-report.html"
http GET "/invoices/$a2/report?format=print"
cp "$HTTP_BODY" "$OMS_DIR/live-report-print.html"
http GET "/invoices/$a2/invoice.pdf"
tap_is "$HTTP_STATUS" 404 "bad: a PDF not made yet is 404"
tap_like "$(cat "$HTTP_BODY")" "The PDF of invoice $n2 is not made yet" "which says it is not made yet"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM invoice_documents')" 0 "no document is stored before they are made"

# ------------------------------------------------ omsctl bill documents
out=$(oms_ctl bill documents 2>&1)
tap_is "$?" 0 "omsctl bill documents" || tap_diag "$out"
tap_like "$out" "pages of $ninv invoices and PDFs of $ninv stored" "it reports the pages and PDFs of the $ninv invoices"
kinds=""
for k in invoice.html invoice-print.html invoice.pdf report.html report-print.html report.pdf; do
	kinds="$kinds $k:$(docs "$k")"
done
tap_is "$kinds" " invoice.html:$ninv invoice-print.html:$ninv invoice.pdf:$ninv report.html:$ninv report-print.html:$ninv report.pdf:$ninv" \
    "six documents an invoice are stored"

# ------------------------------------------------ stored = live
http GET "/invoices/$a2"
cp "$HTTP_BODY" "$OMS_DIR/stored.html"
tap_is "$HTTP_STATUS" 200 "the invoice page from its stored body answers 200"
tap_is "$(part "$OMS_DIR/stored.html" '<div class="invoice-doc">')" "$(part "$OMS_DIR/live.html" '<div class="invoice-doc">')" \
    "the stored invoice body is byte for byte the live one"
tap_like "$(cat "$HTTP_BODY")" "href=\"/invoices/$a2/invoice.pdf\"" "the page now links its PDF"
tap_unlike "$(cat "$HTTP_BODY")" 'oms:stored-document' "no placeholder is left in the page"
http GET "/invoices/$a2/print"
cmp -s "$HTTP_BODY" "$OMS_DIR/live-print.html"
tap_ok $? "the stored printable invoice is byte for byte the live one"
http GET "/invoices/$a2/report"
cp "$HTTP_BODY" "$OMS_DIR/stored-report.html"
tap_is "$(part "$OMS_DIR/stored-report.html" '<div class="report-doc">')" "$(part "$OMS_DIR/live-report.html" '<div class="report-doc">')" \
    "the stored report body is byte for byte the live one"
tap_like "$(cat "$HTTP_BODY")" "href=\"/invoices/$a2/report.pdf\"" "the report page links its PDF"
http GET "/invoices/$a2/report?format=print"
cmp -s "$HTTP_BODY" "$OMS_DIR/live-report-print.html"
tap_ok $? "the stored printable report is byte for byte the live one"
# What is served is what is stored: change a stored body in the database.
oms_sql_write "UPDATE invoice_documents SET body = '<div class=\"report-doc\">STORED-BODY-$b1</div>'
    WHERE invoice_id = $b1 AND kind = 'report.html'" >/dev/null
http GET "/invoices/$b1/report"
tap_like "$(cat "$HTTP_BODY")" "STORED-BODY-$b1" "the report page serves the stored body"
http GET "/invoices/$b1/report?format=xml"
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'count(/page/report/rows/row) > 0')" 200/true \
    "the XML is still built from the invoice's rows"

# ------------------------------------------------ the PDFs
http GET "/invoices/$a2/invoice.pdf"
cp "$HTTP_BODY" "$OMS_DIR/a2.pdf"
tap_is "$HTTP_STATUS $(http_header Content-Type)" "200 application/pdf" "the invoice PDF is served"
tap_like "$(http_header Content-Disposition)" "^inline; filename=\"INVA-2026-02-invoice.pdf\"" \
    "shown in the browser as INVA-2026-02-invoice.pdf"
tap_is "$(head -c 5 "$OMS_DIR/a2.pdf")" "%PDF-" "it is a PDF"
txt=$(pdftotext -layout "$OMS_DIR/a2.pdf" - 2>/dev/null | tr -s ' ')
tap_like "$txt" "Summary Invoice $n2" "its text has the invoice number ($n2)"
tap_like "$txt" "Invoice Alpha, Ltd" "the customer's name"
tap_like "$txt" "$(money "$due2")" "and the total due ($(money "$due2"))"
tap_like "$txt" "Page 1 of [0-9]" "its pages are numbered"
tap_like "$(pdfinfo "$OMS_DIR/a2.pdf" | grep '^Page size')" "612 x 792" "a Canadian customer's PDF is on Letter paper"
http GET "/invoices/$a2/report.pdf"
cp "$HTTP_BODY" "$OMS_DIR/a2-report.pdf"
tap_is "$HTTP_STATUS $(http_header Content-Type)" "200 application/pdf" "the report PDF is served"
rtxt=$(pdftotext -layout "$OMS_DIR/a2-report.pdf" - 2>/dev/null | tr -s ' ')
tap_like "$rtxt" "Billing Report" "its text is the Billing Report"
tap_like "$rtxt" "$(money "$(oms_sql "SELECT subtotal_cents FROM invoices WHERE id = $a2")")" "with the total before tax"
tap_is "$(oms_sql "SELECT LENGTH(body) FROM invoice_documents WHERE invoice_id = $a2 AND kind = 'invoice.pdf'")" \
    "$(stat -c %s "$OMS_DIR/a2.pdf")" "the database holds the PDF's every byte (a binary value, not text cut at a NUL)"
sum1=$(oms_sql "SELECT SUM(LENGTH(body)) FROM invoice_documents")
out=$(oms_ctl bill documents 2>&1)
tap_like "$?/$out" "^0/documents: pages of 0 invoices and PDFs of 0 stored" "a second run makes nothing"
http GET "/invoices/$a2/invoice.pdf"
cmp -s "$HTTP_BODY" "$OMS_DIR/a2.pdf"
tap_ok $? "an issued invoice's PDF never changes"
tap_is "$(oms_sql "SELECT SUM(LENGTH(body)) FROM invoice_documents")" "$sum1" "nor does any stored document"

# ------------------------------------------------ who sees them
as cust
for s in invoice.pdf report.pdf; do
	http GET "/invoices/$a2/$s"
	tap_is "$HTTP_STATUS $(http_header Content-Type)" "200 application/pdf" "the customer user opens its own $s"
	http GET "/invoices/$b1/$s"
	tap_is "$HTTP_STATUS" 404 "bad: another customer's $s is 404"
	tap_unlike "$(cat "$HTTP_BODY")" "Invoice Beta" "and names nothing of it"
done
http GET "/invoices/$a2"
tap_like "$HTTP_STATUS $(tr -d '\n' <"$HTTP_BODY")" '^200 .*class="invoice-doc"' "the customer user opens its own stored invoice page"
as vendor
http GET "/invoices/$a2/invoice.pdf"
tap_is "$HTTP_STATUS" 403 "bad: the vendor may not open a PDF (403)"
http GET "/invoices/99999999/invoice.pdf"
tap_is "$HTTP_STATUS" 403 "bad: nor learn whether one exists (403)"
as finance
http GET "/invoices/99999999/invoice.pdf"
tap_is "$HTTP_STATUS" 404 "bad: a missing invoice's PDF is 404"

# ------------------------------------------------ renderer failures
out=$(oms_ctl --today 2026-04-01 bill issue --period 2026-03 2>&1)
tap_is "$?" 0 "2026-03 issued" || tap_diag "$out"
n3=$(oms_sql "SELECT COUNT(*) FROM invoices WHERE period = '2026-03'")
cat >"$OMS_DIR/bad-renderer" <<'SH'
#!/bin/sh
echo "bad-renderer: refusing on purpose" >&2
exit 1
SH
chmod +x "$OMS_DIR/bad-renderer"
cp "$OMS_CONF" "$OMS_DIR/bad.conf"
printf '\n[billing]\npdf_renderer = %s\n' "$OMS_DIR/bad-renderer" >>"$OMS_DIR/bad.conf"
out=$("$OMS_BUILDDIR/omsctl" -f "$OMS_DIR/bad.conf" bill documents 2>&1)
rc=$?
tap_is "$rc" 1 "bad: a failing renderer: omsctl bill documents exits 1" || tap_diag "$out"
tap_like "$out" "$n3 invoices had no PDF" "and says how many invoices have no PDF"
tap_is "$(oms_sql "SELECT COUNT(*) FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id
    WHERE i.period = '2026-03' AND d.kind IN ('invoice.pdf', 'report.pdf')")/$(oms_sql "SELECT COUNT(*)
    FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id WHERE i.period = '2026-03'
    AND d.kind = 'invoice.html'")" "0/$n3" "no PDF is stored, the pages are"
printf '\n[billing]\npdf_renderer = %s\n' "$OMS_DIR/no-such-renderer" >>"$OMS_DIR/bad.conf"
out=$("$OMS_BUILDDIR/omsctl" -f "$OMS_DIR/bad.conf" bill documents 2>&1)
tap_like "$?/$out" "^1/.*cannot run" "bad: a missing renderer: exit 1, it cannot run"
a3=$(oms_sql "SELECT id FROM invoices WHERE customer_id = $ca AND period = '2026-03'")
http GET "/invoices/$a3/invoice.pdf"
tap_is "$HTTP_STATUS" 404 "the PDF of a 2026-03 invoice is still not made"

# ------------------------------------------------ the line limit
# [billing] pdf_max_lines: a longer invoice gets no PDF (the browser
# needs gigabytes for one of thousands of lines), and its PDF address
# says so.
cp "$OMS_CONF" "$OMS_DIR/short.conf"
printf '\n[billing]\npdf_max_lines = 1\n' >>"$OMS_DIR/short.conf"
short=$(oms_sql "SELECT COUNT(*) FROM invoices i WHERE i.period = '2026-03'
    AND (SELECT COUNT(*) FROM invoice_lines l WHERE l.invoice_id = i.id) <= 1")
out=$("$OMS_BUILDDIR/omsctl" -f "$OMS_DIR/short.conf" bill documents 2>&1)
tap_like "$?/$out" "^0/documents: pages of 0 invoices and PDFs of $short stored\$" \
    "with pdf_max_lines = 1 only the $short invoices of one line or none get a PDF"
tap_is "$(oms_sql "SELECT COUNT(*) FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id
    WHERE i.period = '2026-03' AND d.kind = 'invoice.pdf'
    AND (SELECT COUNT(*) FROM invoice_lines l WHERE l.invoice_id = i.id) > 1")" 0 \
    "no longer invoice has one"
from=$(oms_log_size)
OMS_CONF_EXTRA='
[billing]
pdf_max_lines = 1' oms_write_conf "$OMS_CONF"
kill -HUP "$OMS_PID"
a3lines=$(oms_sql "SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = $a3")
too_long() {
	http GET "/invoices/$a3/invoice.pdf"
	[ "$HTTP_STATUS" = 404 ] && grep -q "has $a3lines lines, more than are made into a PDF (1)" "$HTTP_BODY"
}
oms_wait 300 too_long
tap_ok $? "bad: a longer invoice's PDF address says it has too many lines for a PDF (404)"

# ------------------------------------------------ omsd's billing job
from=$(oms_log_size)
OMS_CONF_EXTRA='
[jobs]
run = billing
lease_time = 3' oms_write_conf "$OMS_CONF"
kill -HUP "$OMS_PID"
made() { [ "$(oms_sql "SELECT COUNT(*) FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id
    WHERE i.period = '2026-03' AND d.kind = 'report.pdf'")" = "$n3" ]; }
oms_wait 1200 made
tap_ok $? "omsd's billing job makes the PDFs of 2026-03 by itself" ||
    tap_diag "$(oms_log_since "$from" | grep -i 'job billing' | tail -n 5)"
tap_like "$(oms_log_since "$from")" "job billing: PDFs of [0-9]+ invoice\\(s\\) stored" "and logs it"
http GET "/invoices/$a3/invoice.pdf"
tap_is "$HTTP_STATUS $(head -c 5 "$HTTP_BODY")" "200 %PDF-" "the PDF is served"
tap_like "$(pdftotext "$HTTP_BODY" - 2>/dev/null)" "2026-03" "for its period"
tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | head)"
tap_done
