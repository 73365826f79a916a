#!/bin/bash
# Golden documents of issued invoices (issue 9): the scenario of
# invoices.sh (tests/fixtures/invoices: INVA and INVB, Ontario and
# Quebec taxes) is issued for 2026-01 and 2026-02 with omsctl at
# replayed business dates, its documents are made with `omsctl bill
# documents` (the real oms-render-pdf), and for each invoice of INVA and
# INVB every document is compared with a committed file under
# tests/golden/documents/ (NAME is CUSTOMER-YYYY-MM):
#
#	NAME-invoice.xml NAME-report.xml   `omsctl bill export`
#	NAME-invoice.html NAME-report.html the stored bodies of
#	                                   /invoices/ID and /invoices/ID/report
#	                                   (the invoice-doc / report-doc div)
#	NAME-invoice-print.html            /invoices/ID/print
#	NAME-report-print.html             /invoices/ID/report?format=print
#	NAME-report.csv                    /invoices/ID/report.csv
#	NAME-invoice.pdf.txt NAME-report.pdf.txt
#	                                   pdftotext of the PDFs (plain, runs
#	                                   of blanks made one space, blanks
#	                                   at line ends dropped)
#	NAME-invoice.pdf.info NAME-report.pdf.info
#	                                   pdfinfo's Pages and Page size
#
# The only normalisation is of database ids, which differ between the
# backends and between runs: id="N" and *_id="N" attributes are dropped
# from the XML (as billing.sh's noids does), and the ids in the links
# of the HTML (/invoices/13 -> /invoices/ID, ?customer=2 ->
# ?customer=ID) are replaced.  The same golden files pass on SQLite and
# on MariaDB (tests/mariadb/golden_docs.sh).  The demo seed is one tiny
# customer (one site, one asset, fixed seed) whose invoices are not
# compared; its code sorts after INVB, so INVA and INVB are numbered 1
# and 2 in 2026-01 and 4 and 5 in 2026-02 (customer-code order).
#
# The PDF text is the same from run to run (no date or time of making
# is printed, only the invoice's own dates); pdftotext's plain mode
# joins a word broken at a line end with a hyphen ("2026-" and "02-01"
# in a narrow table column read "202602-01"), which is kept as it is:
# it is what the text extraction of the PDF gives.  A new Chromium or
# new fonts may wrap lines elsewhere: read the diff, then rewrite.
#
# After a deliberate change to a document, rewrite the golden files with
#	OMS_GOLDEN_UPDATE=1 make check TESTS=tests/integration/golden_docs.sh
# and read the diff before committing it.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need "$OMS_PYTHON" pdftotext pdfinfo
command -v chromium >/dev/null 2>&1 || tap_skip_all "chromium is not installed"
OMS_PDF_RENDERER=$(oms_pdf_renderer)
export OMS_PDF_RENDERER
OMS_SEED_ARGS="--customers 1 --sites 1 --assets 1 --seed 42" OMS_LOGIN_AS=finance oms_start

GOLDEN=$OMS_SRCDIR/tests/golden/documents
GOT=$OMS_DIR/got
EXP=$OMS_DIR/export
mkdir -p "$GOT" "$EXP"

FIX=$OMS_SRCDIR/tests/fixtures/invoices
for k in products prices tax-rates customers sites cost-centres assets; do
	out=$(oms_ctl --today 2026-01-20 import "$k" "$FIX/$k.csv" 2>&1) || { tap_diag "$out"; tap_bail "import $k failed"; }
done
for p in "2026-02-01 2026-01" "2026-03-01 2026-02"; do
	set -- $p
	out=$(oms_ctl --today "$1" bill issue --period "$2" 2>&1) || { tap_diag "$out"; tap_bail "issue $2 failed"; }
	out=$(oms_ctl bill export --period "$2" --out "$EXP" 2>&1) || { tap_diag "$out"; tap_bail "export $2 failed"; }
done
out=$(oms_ctl bill documents 2>&1)
tap_is "$?" 0 "omsctl bill documents" || tap_diag "$out"
tap_is "$(oms_sql "SELECT COUNT(*) FROM invoice_documents d JOIN invoices i ON i.id = d.invoice_id
    JOIN customers c ON c.id = i.customer_id WHERE c.code IN ('INVA', 'INVB')")" 24 \
    "six documents are stored for each of the four invoices of INVA and INVB"

# noids FILE: the XML without id="N" and *_id="N" attributes.
noids() {
	sed -E 's/ [a-z_]*id="[0-9]+"//g' "$1"
}
# ids: stdin to stdout with the database ids in links made ID: a number
# as a path segment (/invoices/13/print -> /invoices/ID/print) or as a
# query value (?customer=2 -> ?customer=ID), inside attribute values.
ids() {
	"$OMS_PYTHON" -c '
import re, sys
s = sys.stdin.read()
def fix(m):
    v = re.sub(r"/[0-9]+(?=[/?#\"]|$)", "/ID", m.group(2))
    v = re.sub(r"([?&](?:amp;)?[a-z_]+=)[0-9]+(?=[&#\"]|$)", r"\1ID", v)
    return m.group(1) + v + "\""
sys.stdout.write(re.sub(r"((?:href|action|src)=\")([^\"]*)\"", fix, s))'
}
# div FILE CLASS: the <div class="CLASS"> element of a page, to its
# matching </div>.
div() {
	"$OMS_PYTHON" - "$1" "$2" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
i = s.find('<div class="%s">' % sys.argv[2])
if i < 0:
    print("NOT FOUND"); sys.exit(0)
depth = 0
for m in re.finditer(r"<(/?)div\b[^>]*?(/?)>", s[i:]):
    if m.group(2):
        continue
    depth += -1 if m.group(1) else 1
    if depth == 0:
        print(s[i:i + m.end()]); sys.exit(0)
print("UNBALANCED")
PY
}
# pdftext FILE: pdftotext's plain text, runs of spaces and tabs made one
# space and blanks at line ends dropped (the page breaks, \f, are kept).
pdftext() {
	pdftotext -enc UTF-8 "$1" - 2>/dev/null | sed -E 's/[ \t]+/ /g; s/ +$//'
}
# pdfpages FILE: the page count and page size pdfinfo reports.
pdfpages() {
	pdfinfo "$1" 2>/dev/null | grep -E '^(Pages|Page size):' | sed -E 's/[ \t]+/ /g'
}

# ------------------------------------------------ the documents
INVOICES=$(oms_sql "SELECT i.id, c.code, i.period FROM invoices i JOIN customers c ON c.id = i.customer_id
    WHERE c.code IN ('INVA', 'INVB') ORDER BY c.code, i.period" | tr '\t|' '  ')
tap_is "$(printf '%s\n' "$INVOICES" | awk '{print $2 "-" $3}' | tr '\n' ' ')" \
    "INVA-2026-01 INVA-2026-02 INVB-2026-01 INVB-2026-02 " "INVA and INVB have an invoice in each period"
while read -r id code period; do
	n=$code-$period
	for k in invoice report; do
		noids "$EXP/$n-$k.xml" >"$GOT/$n-$k.xml"
	done
	http GET "/invoices/$id"
	div "$HTTP_BODY" invoice-doc | ids >"$GOT/$n-invoice.html"
	http GET "/invoices/$id/report"
	div "$HTTP_BODY" report-doc | ids >"$GOT/$n-report.html"
	http GET "/invoices/$id/print"
	ids <"$HTTP_BODY" >"$GOT/$n-invoice-print.html"
	http GET "/invoices/$id/report?format=print"
	ids <"$HTTP_BODY" >"$GOT/$n-report-print.html"
	http GET "/invoices/$id/report.csv"
	cp "$HTTP_BODY" "$GOT/$n-report.csv"
	for k in invoice report; do
		http GET "/invoices/$id/$k.pdf"
		cp "$HTTP_BODY" "$OMS_DIR/$n-$k.pdf"
		pdftext "$OMS_DIR/$n-$k.pdf" >"$GOT/$n-$k.pdf.txt"
		pdfpages "$OMS_DIR/$n-$k.pdf" >"$GOT/$n-$k.pdf.info"
	done
done <<<"$INVOICES"

# ------------------------------------------------ compared
if [ -n "${OMS_GOLDEN_UPDATE:-}" ]; then
	mkdir -p "$GOLDEN"
	rm -f "$GOLDEN"/*
	cp "$GOT"/* "$GOLDEN"/
	tap_diag "wrote $(ls "$GOLDEN" | wc -l) files to $GOLDEN"
fi
# A golden file of no document made is stale (a rename, an invoice gone).
stale=$(comm -23 <(cd "$GOLDEN" 2>/dev/null && ls) <(cd "$GOT" && ls) | tr '\n' ' ')
tap_is "$stale" "" "bad: no golden file is left without its document" ||
    tap_diag "OMS_GOLDEN_UPDATE=1 rewrites tests/golden/documents"
for f in "$GOT"/*; do
	b=$(basename "$f")
	if [ ! -f "$GOLDEN/$b" ]; then
		tap_ok 1 "$b: no golden file (OMS_GOLDEN_UPDATE=1 writes it)"
		continue
	fi
	cmp -s "$GOLDEN/$b" "$f"
	tap_ok $? "$b is the golden one" ||
	    tap_diag "$(diff -u --label "golden/$b" --label "made/$b" <(sed 's/></>\n</g' "$GOLDEN/$b") \
	    <(sed 's/></>\n</g' "$f") | head -n 30)"
done
tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | head)"
tap_done
