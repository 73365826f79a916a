#!/bin/bash
# The read side of billing through nginx and omsd: a scenario imported
# with omsctl (tests/fixtures/invoices/*.csv: two customers, three
# sites, four assets, Ontario and Quebec taxes) and issued for 2026-01
# and 2026-02 with `omsctl bill issue`; then the pages.  The invoice
# page's XML is element for element the file `omsctl bill export`
# writes, and so is the report's; the HTML shows the formatted total
# due; the report CSV's totals equal the invoice's and its rows sum to
# the total before tax; the statement's running balance ends at the
# latest invoice's total due.  Scope: a customer user gets 200 on its
# own invoice and 404 (the body of a missing one) on another
# customer's, by page, XML, CSV, print and statement; the Vendor gets
# 403 (DESIGN.md gives it no invoices).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint "$OMS_PYTHON"
oms_start

FIX=$OMS_SRCDIR/tests/fixtures/invoices
for k in products prices tax-rates customers sites cost-centres assets; do
	out=$(oms_ctl --today 2026-01-20 import "$k" "$FIX/$k.csv" 2>&1)
	tap_is "$?" 0 "omsctl import $k" || tap_diag "$out"
done
out=$(oms_ctl --today 2026-02-01 bill issue --period 2026-01 2>&1)
tap_is "$?" 0 "omsctl bill issue --period 2026-01" || tap_diag "$out"
out=$(oms_ctl --today 2026-03-01 bill issue --period 2026-02 2>&1)
tap_is "$?" 0 "omsctl bill issue --period 2026-02" || tap_diag "$out"
EXP=$OMS_DIR/export
for p in 2026-01 2026-02; do
	out=$(oms_ctl bill export --period $p --out "$EXP" 2>&1)
	tap_is "$?" 0 "omsctl bill export --period $p" || tap_diag "$out"
done

ca=$(oms_sql "SELECT id FROM customers WHERE code = 'INVA'")
cb=$(oms_sql "SELECT id FROM customers WHERE code = 'INVB'")
inv_a1=$(oms_sql "SELECT id FROM invoices WHERE customer_id = $ca AND period = '2026-01'")
inv_a2=$(oms_sql "SELECT id FROM invoices WHERE customer_id = $ca AND period = '2026-02'")
inv_b1=$(oms_sql "SELECT id FROM invoices WHERE customer_id = $cb AND period = '2026-01'")
none_i=$(oms_sql 'SELECT MAX(id) + 1000 FROM invoices')
tap_ok "$([ -n "$inv_a1" ] && [ -n "$inv_a2" ] && [ -n "$inv_b1" ]; echo $?)" \
    "invoices issued for INVA (2026-01 $inv_a1, 2026-02 $inv_a2) and INVB ($inv_b1)"

# A customer user of INVA; finance and the vendor from the demo users.
CPW=Invoice-customer-password-1
printf '%s\n' "$CPW" | oms_ctl user add inv-cust --role customer --name 'Invoice Customer' \
    --email inv-cust@example.com --organisation 'Invoice Alpha' --customer "$ca" >/dev/null 2>&1
declare -A JAR
for r in finance vendor; do
	oms_login "$r" || tap_bail "cannot log in as $r"
	mv "$OMS_JAR" "$OMS_JAR.inv"
	JAR[$r]=$OMS_JAR.inv
done
oms_login inv-cust "$CPW" || tap_bail "cannot log in as inv-cust"
mv "$OMS_JAR" "$OMS_JAR.inv"
JAR[cust]=$OMS_JAR.inv
as() { OMS_JAR=${JAR[$1]}; }
xp() { oms_xpath "$HTTP_BODY" "$1"; }

# same_xml A XPATH-A B XPATH-B: 0 when the elements are the same,
# element for element (names, attributes, text); the difference
# otherwise.
same_xml() {
	"$OMS_PYTHON" - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
def find(path, xp):
    r = ET.parse(path).getroot()
    return r if xp == "." else r.find(xp)
def canon(e):
    return (e.tag, sorted(e.attrib.items()), (e.text or "").strip(),
            [canon(c) for c in e])
a, b = find(sys.argv[1], sys.argv[2]), find(sys.argv[3], sys.argv[4])
if a is None or b is None:
    print("missing element"); sys.exit(1)
if canon(a) != canon(b):
    def walk(x, y, p):
        if x.tag != y.tag or x.attrib != y.attrib or (x.text or "").strip() != (y.text or "").strip():
            print("differs at", p, x.tag, y.tag); return True
        if len(x) != len(y):
            print("child count at", p, len(x), len(y)); return True
        return any(walk(c, d, p + "/" + c.tag) for c, d in zip(x, y))
    walk(a, b, a.tag); sys.exit(1)
PY
}
# money CENTS: as the pages write it ("1,234.56").
money() { "$OMS_PYTHON" -c 'import sys; c=int(sys.argv[1]); print(("-" if c < 0 else "") + "{:,}".format(abs(c)//100) + ".%02d" % (abs(c)%100))' "$1"; }

# ------------------------------------------------ invoice = export
as finance
for pair in "$inv_a1 INVA-2026-01" "$inv_a2 INVA-2026-02" "$inv_b1 INVB-2026-01"; do
	set -- $pair
	http GET "/invoices/$1?format=xml"
	cp "$HTTP_BODY" "$OMS_DIR/page-$2.xml"
	d=$(same_xml "$OMS_DIR/page-$2.xml" invoice "$EXP/$2-invoice.xml" invoice)
	tap_is "$HTTP_STATUS/$?" 200/0 "the XML of invoice $1 is element for element $2-invoice.xml of omsctl bill export" ||
	    tap_diag "$d"
	http GET "/invoices/$1/report?format=xml"
	cp "$HTTP_BODY" "$OMS_DIR/report-$2.xml"
	d=$(same_xml "$OMS_DIR/report-$2.xml" report "$EXP/$2-report.xml" report)
	tap_is "$HTTP_STATUS/$?" 200/0 "the XML of its report is element for element $2-report.xml" ||
	    tap_diag "$d"
done

# ------------------------------------------------ the invoice page
P=$OMS_DIR/page-INVA-2026-02.xml
due=$(oms_xpath "$P" 'string(/page/invoice/total_due)')
prev=$(oms_xpath "$P" 'string(/page/invoice/previous_balance)')
tap_is "$prev" "$(oms_xpath "$OMS_DIR/page-INVA-2026-01.xml" 'string(/page/invoice/total_due)')" \
    "the February invoice's previous balance is January's total due"
tap_is "$(oms_xpath "$P" 'count(/page/invoice/outstanding/earlier)')" 1 "and lists January as outstanding"
http GET "/invoices/$inv_a2"
tap_is "$HTTP_STATUS" 200 "the invoice page answers 200"
tap_like "$(cat "$HTTP_BODY")" "class=\"num total-due\">$(money "$due")<" "its HTML shows the total due formatted ($(money "$due"))"
tap_like "$(cat "$HTTP_BODY")" "href=\"/assets/$(oms_xpath "$P" 'string(/page/invoice/lines/line[1]/@asset_id)')\"" \
    "a line links the asset it bills"
tap_like "$(cat "$HTTP_BODY")" "12.50 × 3 ports × 28/28 days" "a line shows its formula"
for u in "/invoices/$inv_a2/print" "/invoices/$inv_a2?format=print"; do
	http GET "$u"
	tap_is "$HTTP_STATUS" 200 "$u answers 200"
	tap_like "$(cat "$HTTP_BODY")" '/static/print.css' "$u uses the print stylesheet"
	tap_like "$(tr -d '\n' <"$HTTP_BODY")" 'class="remittance".*stub-customer">INVA<.*stub-number">'"$(oms_xpath "$P" 'string(/page/invoice/number)')"'<.*stub-total">USD '"$(money "$due")"'<' \
	    "$u ends with the remittance stub: customer code, invoice number, total due"
done
tap_is "$(oms_xpath "$P" 'string(/page/links/@paper)')" letter "a Canadian customer's print layout is on Letter paper"

# ------------------------------------------------ the report CSV
for pair in "$inv_a1 INVA-2026-01" "$inv_a2 INVA-2026-02" "$inv_b1 INVB-2026-01"; do
	set -- $pair
	for u in "/invoices/$1/report.csv" "/invoices/$1/report?format=csv"; do
		http GET "$u"
		tap_like "$HTTP_STATUS $(http_header Content-Type)" '^200 text/csv' "$u is CSV"
	done
	cp "$HTTP_BODY" "$OMS_DIR/report-$2.csv"
	got=$("$OMS_PYTHON" - "$OMS_DIR/report-$2.csv" <<'PY'
import csv, sys
from decimal import Decimal
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
c = lambda r: int(Decimal(r["Amount"]) * 100)
one = lambda t: [c(r) for r in rows if r["Type"] == t]
print(sum(c(r) for r in rows if r["Type"] == "row"), one("total_before_tax")[0],
      ";".join("%s/%s/%d" % (r["Jurisdiction"], r["Tax"], c(r)) for r in rows if r["Type"] == "tax"),
      one("current_charges")[0], one("total_due")[0])
PY
)
	I=$OMS_DIR/page-$2.xml
	sub=$(oms_xpath "$I" 'string(/page/invoice/subtotal)')
	taxes=$("$OMS_PYTHON" -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
print(";".join("%s/%s/%s" % (t.findtext("jurisdiction"), t.findtext("code"), t.findtext("amount")) for t in r.iterfind("invoice/taxes/tax")))' "$I")
	want="$sub $sub $taxes $(oms_xpath "$I" 'string(/page/invoice/current_charges)') $(oms_xpath "$I" 'string(/page/invoice/total_due)')"
	tap_is "$got" "$want" "$2: the report CSV's rows sum to the total before tax, which with its taxes, current charges and total due equals the invoice's"
done
CSVROWS=$("$OMS_PYTHON" -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1], newline="")) if r["Type"] == "row"))' "$OMS_DIR/report-INVA-2026-01.csv")
tap_is "$CSVROWS" "$(oms_xpath "$OMS_DIR/report-INVA-2026-01.xml" 'count(/page/report/rows/row)')" "the CSV has one record a site and cost centre"

# ------------------------------------------------ the list
http GET '/invoices?format=xml'
tap_is "$HTTP_STATUS/$(xp 'count(/page/invoices/invoice)')" "200/$(oms_sql 'SELECT COUNT(*) FROM invoices')" "finance lists every invoice"
http GET "/invoices?format=xml&customer=$ca&period=2026-02"
cp "$HTTP_BODY" "$OMS_DIR/list-INVA.xml"
tap_is "$(xp 'string(/page/invoices/invoice/@id)')/$(xp 'count(/page/invoices/invoice)')" "$inv_a2/1" "the customer and period filters narrow it to one"
http GET '/invoices?period=2026-13'
tap_is "$HTTP_STATUS" 400 "bad: a period that is not a month is refused (400)"
tap_like "$(cat "$HTTP_BODY")" 'role="alert"' "with the message in the page"

# ------------------------------------------------ the statement
http GET "/customers/$ca/statement?format=xml"
cp "$HTTP_BODY" "$OMS_DIR/statement-INVA.xml"
tap_is "$HTTP_STATUS/$(xp 'string(/page/statement/@invoices)')" 200/2 "the statement of INVA lists its two invoices"
tap_is "$(xp 'string(/page/statement/@balance)')" "$due" "its balance is the latest invoice's total due (no payments)"
tap_is "$(xp 'string(/page/statement/entry[last()]/@balance)')" "$due" "and so is the running balance of its last entry"
tap_is "$(xp 'string(/page/latest/invoice/@id)')" "$inv_a2" "its aging is the latest invoice's"
http GET "/customers/$ca"
tap_like "$(cat "$HTTP_BODY")" "href=\"/customers/$ca/statement\"" "the customer page links its statement"
tap_like "$(cat "$HTTP_BODY")" "href=\"/invoices\\?customer=$ca\"" "and its invoices"
tap_like "$(cat "$HTTP_BODY")" 'href="/invoices"' "the menu has Invoices for finance"

# ------------------------------------------------ scope
as vendor
http GET /invoices
tap_is "$HTTP_STATUS" 403 "bad: the vendor may not list invoices (403)"
http GET "/invoices/$inv_a1"
tap_is "$HTTP_STATUS" 403 "bad: nor open one (403)"
http GET "/customers/$ca"
tap_unlike "$(cat "$HTTP_BODY")" 'href="/invoices' "the vendor's pages do not link invoices"

as cust
http GET '/invoices?format=xml'
tap_is "$(xp 'count(/page/invoices/invoice)')/$(xp 'count(/page/invoices/invoice[@customer != '"$ca"'])')" 2/0 \
    "the customer user lists its customer's two invoices only"
http GET "/invoices?format=xml&customer=$cb"
tap_is "$(xp 'count(/page/invoices/invoice[@customer != '"$ca"'])')" 0 "bad: a customer filter does not widen it"
for suffix in "" "?format=xml" "/print" "?format=print" "/report" "/report?format=xml" "/report.csv" "/report?format=csv"; do
	http GET "/invoices/$inv_a1$suffix"
	tap_is "$HTTP_STATUS" 200 "the customer user opens its own /invoices/ID$suffix (200)"
	http GET "/invoices/$inv_b1$suffix"
	got=$HTTP_STATUS
	sed "s/$(http_header X-Request-Id)/RID/g" "$HTTP_BODY" >"$OMS_DIR/other.body"
	http GET "/invoices/$none_i$suffix"
	sed "s/$(http_header X-Request-Id)/RID/g" "$HTTP_BODY" >"$OMS_DIR/none.body"
	cmp -s "$OMS_DIR/other.body" "$OMS_DIR/none.body"
	tap_is "$got/$HTTP_STATUS/$?" 404/404/0 "bad: another customer's /invoices/ID$suffix is 404 with the body of a missing one"
	! grep -q 'Invoice Beta' "$OMS_DIR/other.body"
	tap_ok $? "and names nothing of it"
done
for fmt in "" "?format=xml"; do
	http GET "/customers/$ca/statement$fmt"
	tap_is "$HTTP_STATUS" 200 "the customer user opens its own statement${fmt:+ as XML} (200)"
	http GET "/customers/$cb/statement$fmt"
	tap_is "$HTTP_STATUS" 404 "bad: another customer's statement${fmt:+ as XML} is 404"
done

tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | head)"
tap_done
