#!/bin/bash
# The finance side of billing through nginx and omsd: the billing page's
# preview of a small scenario built with omsctl import (CSV) equals
# `omsctl bill preview` customer by customer; POST /billing/issue queues
# a run (a second one while it is queued is 409, so is a period that
# cannot be issued, nothing queued); omsd's billing job waits while
# another holder has the "billing" lease (as `omsctl bill issue` takes
# it), then takes it and completes the run, which its page follows to
# "done"; the invoices are there; `omsctl bill issue` is refused while
# the job holds the lease.  Payments and adjustments: entered with an
# audit record; bad inputs are 400 with the message and change nothing;
# lists with XML.  A customer user gets 403 on every new route; a POST
# without the CSRF token is 403.  MariaDB: tests/mariadb/billing_pages.sh.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint "$OMS_PYTHON"
OMS_SEED_ARGS="--customers 2 --seed 42" oms_start
T=$OMS_DIR/bp
mkdir -p "$T"

declare -A JAR CSRF
# as ROLE: make ROLE's session the one http sends.
as() { OMS_JAR=${JAR[$1]}; }
for r in admin finance customer; do
	oms_login "$r" || tap_bail "cannot log in as $r"
	mv "$OMS_JAR" "$OMS_JAR.bp"
	JAR[$r]=$OMS_JAR.bp
	as "$r"
	http GET '/customers?format=xml'
	CSRF[$r]=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
done
# post ROLE PATH FIELD=VALUE...: a form POST as ROLE with its token.
post() {
	local role=$1 path=$2 a args=()
	shift 2
	for a in "$@"; do args+=(--data-urlencode "$a"); done
	as "$role"
	http POST "$path" --data-urlencode "csrf=${CSRF[$role]}" "${args[@]}"
}
xp() { oms_xpath "$HTTP_BODY" "$1"; }
# count TABLE: its rows.
count() { oms_sql "SELECT COUNT(*) FROM $1"; }

# ---------------------------------------------------- the scenario
# The period: last month by the real date (omsd's business date is
# today); the data is imported at the first day of this month.
FIRST=$(date -u +%Y-%m-01)
P=$(date -u -d "$FIRST -1 day" +%Y-%m)
{
	echo "code,name,asset_type,charge,usage_unit"
	echo "BP-LINE,Business line,line,flat,"
	echo "BP-SET,Desk set,set,per_port,"
} >"$T/products.csv"
{
	echo "code,name,address,city,region,postcode,country,currency,terms_days"
	echo "BP1,Billing Pages One,1 Main St,Toronto,ON,M5V 1A1,CA,,30"
	echo "BP2,Billing Pages Two,2 Main St,Ottawa,ON,K1P 1A1,CA,,15"
} >"$T/customers.csv"
{
	echo "customer,code,name,address,city,region,postcode,country"
	echo "BP1,HQ,Head office,1 Main St,Toronto,ON,M5V 1A1,CA"
	echo "BP2,HQ,Head office,2 Main St,Ottawa,ON,K1P 1A1,CA"
} >"$T/sites.csv"
{
	echo "customer,code,name"
	echo "BP1,OPS,Operations"
	echo "BP2,FIN,Finance"
} >"$T/cost-centres.csv"
{
	echo "product,valid_from,monthly"
	echo "BP-LINE,$P-01,20.00"
	echo "BP-SET,$P-01,12.50"
} >"$T/prices.csv"
{
	echo "tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag"
	echo "BP-A1,BP1,HQ,OPS,BP-LINE,1,+15550101,,,,$P-01,"
	echo "BP-A2,BP1,HQ,OPS,BP-SET,3,,,,,$P-11,"
	echo "BP-B1,BP2,HQ,FIN,BP-LINE,1,+15550201,,,,$P-05,"
} >"$T/assets.csv"
ok=0
for k in products customers sites cost-centres prices assets; do
	oms_ctl --today "$FIRST" import "$k" "$T/$k.csv" >"$T/imp.out" 2>&1 ||
	    { ok=1; tap_diag "$k: $(head -n 5 "$T/imp.out")"; }
done
tap_is "$ok" 0 "the scenario is imported with omsctl import --today $FIRST"
BP1=$(oms_sql "SELECT id FROM customers WHERE code = 'BP1'")
BP2=$(oms_sql "SELECT id FROM customers WHERE code = 'BP2'")
BP1_SITE=$(oms_sql "SELECT id FROM sites WHERE customer_id = $BP1")
BP1_CC=$(oms_sql "SELECT id FROM cost_centres WHERE customer_id = $BP1")
BP2_SITE=$(oms_sql "SELECT id FROM sites WHERE customer_id = $BP2")

# ------------------------------------------------ customers: 403
as customer
for r in "GET /billing" "GET /billing/runs/1" "GET /payments" "GET /payments/new" \
    "GET /adjustments" "GET /adjustments/new"; do
	http ${r% *} "${r#* }"
	tap_is "$HTTP_STATUS" 403 "bad: a customer user gets 403 on $r"
done
for r in /billing/issue /payments/new /adjustments/new; do
	post customer "$r" "period=$P" "customer=$BP1" "date=$FIRST" "amount=1.00"
	tap_is "$HTTP_STATUS" 403 "bad: a customer user gets 403 on POST $r"
done

# ------------------------------------------------ the preview
as finance
http GET /billing
tap_is "$HTTP_STATUS" 200 "finance opens the billing page"
tap_like "$(cat "$HTTP_BODY")" "Preview of $P" "it previews the next period, $P, by default"
http GET "/billing?format=xml"
tap_is "$(xp 'string(/page/next/@period)')" "$P" "the next period to issue is $P"
tap_is "$(xp 'string(/page/issue/@action)')" "/billing/issue" "and it can be issued now"
cp "$HTTP_BODY" "$T/preview.xml"
oms_ctl bill preview --period "$P" >"$T/preview.txt" 2>&1
tap_is "$?" 0 "omsctl bill preview --period $P runs"
# One line a customer (code current change total) and the totals, from
# each side, amounts in cents.
"$OMS_PYTHON" - "$T/preview.xml" "$T/preview.txt" "$T/web.txt" "$T/cli.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
def cents(s):
    s = s.replace(",", "")
    neg = s.startswith("-")
    w, f = s.lstrip("-").split(".")
    v = int(w) * 100 + int(f)
    return str(-v if neg else v)
doc = ET.parse(sys.argv[1]).getroot()
inv = doc.find("preview/invoices")
with open(sys.argv[3], "w") as out:
    for i in inv.findall("invoice"):
        out.write("%s %s %s %s\n" % (i.get("customer-code"), i.get("current"),
            i.get("change"), i.get("total-due")))
    out.write("total %s %s %s\n" % (inv.get("count"), inv.get("current"), inv.get("total-due")))
    for w in doc.findall("preview/warnings/warning"):
        out.write("warning %s: %s\n" % (w.get("customer-code"), w.text))
with open(sys.argv[2]) as f, open(sys.argv[4], "w") as out:
    lines = f.read().splitlines()
    rows = [l for l in lines[1:] if not l.startswith(("period ", "warning: "))]
    for l in rows:
        c, cur, chg, tot = l.split()
        out.write("%s %s %s %s\n" % (c, cents(cur), chg if chg == "new" else cents(chg), cents(tot)))
    for l in lines:
        if l.startswith("period "):
            p = l.split()
            out.write("total %s %s %s\n" % (p[2], cents(p[6].rstrip(",")), cents(p[9])))
    for l in lines:
        if l.startswith("warning: "):
            out.write("warning %s\n" % l[len("warning: "):])
PY
tap_is "$(cat "$T/web.txt")" "$(cat "$T/cli.txt")" \
    "the page's preview equals omsctl bill preview: every customer's current charges, change, total due, the totals and the warnings"
tap_like "$(cat "$T/web.txt")" "^BP1 " "the preview has the scenario's customer BP1"
tap_is "$(grep '^BP2 ' "$T/web.txt")" "BP2 $(( (2000 * 26 + 15) / 30 )) new $(( (2000 * 26 + 15) / 30 ))" \
    "BP2: 20.00 x 26/30 days, its first invoice (new), all due" \
    || [ "$(date -u -d "$P-01 +1 month -1 day" +%d)" != 30 ]
http GET "/billing?period=2020-13"
tap_is "$HTTP_STATUS" 400 "bad: a malformed period is 400"
tap_like "$(cat "$HTTP_BODY")" "The period must be a month" "bad: with the message in the page"

# ------------------------------------------------ queueing a run
runs0=$(count billing_runs)
post finance /billing/issue "period=$(date -u +%Y-%m)"
tap_is "$HTTP_STATUS" 409 "bad: issuing the current month (not ended) is 409"
tap_like "$(cat "$HTTP_BODY")" "has not ended" "bad: the page says why"
tap_is "$(count billing_runs)" "$runs0" "bad: and nothing is queued"
as finance
http POST /billing/issue --data-urlencode "period=$P"
tap_is "$HTTP_STATUS" 403 "bad: POST /billing/issue without the CSRF token is 403"
tap_is "$(count billing_runs)" "$runs0" "bad: nothing is queued"
post finance /billing/issue "period=$P"
tap_is "$HTTP_STATUS" 303 "finance issues $P: 303"
loc=$(http_header Location)
tap_like "$loc" "/billing/runs/[0-9]+$" "to the run's page"
run=${loc##*/}
tap_is "$(oms_sql "SELECT period, state, requested_by FROM billing_runs WHERE id = $run")" \
    "$P|queued|finance" "a billing_runs row: the period, queued, asked by finance"
tap_is "$(oms_sql "SELECT business_day FROM billing_runs WHERE id = $run")" "$(date -u +%Y-%m-%d)" \
    "at the business date"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'billing_run' AND entity_id = '$run' AND action = 'queue'")" 1 \
    "the request is audited"
http GET "/billing/runs/$run"
tap_is "$HTTP_STATUS" 200 "the run's page"
tap_like "$(cat "$HTTP_BODY")" '<meta http-equiv="refresh" content="2"' "refreshes itself while queued"
post admin /billing/issue "period=$P"
tap_is "$HTTP_STATUS" 409 "bad: a second run while one is queued is 409"
tap_like "$(cat "$HTTP_BODY")" "queued or running already" "bad: with the message"
tap_is "$(count billing_runs)" "$((runs0 + 1))" "bad: nothing more is queued"

# ----------------------------- the billing job and the billing lease
# Another holder has the "billing" lease (as `omsctl bill issue` takes
# it): the job must wait for it.
if [ "$OMS_BACKEND" = mariadb ]; then
	NOW="(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)"
else
	NOW="CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
fi
oms_sql_write "INSERT INTO job_leases (name, holder, epoch, expires_at, taken_at)
    VALUES ('billing', 'elsewhere:1:omsctl', 1, $NOW + 600000, $NOW)" >/dev/null
from=$(oms_log_size)
OMS_CONF_EXTRA='
[jobs]
run = billing
lease_time = 3' oms_write_conf "$OMS_CONF"
kill -HUP "$OMS_PID"
waiting() { oms_log_since "$from" | grep -q "job billing: waiting for the lease held by elsewhere:1:omsctl"; }
oms_wait 300 waiting
tap_ok $? "the billing job starts and waits for the lease another holder has"
tap_is "$(oms_sql "SELECT state FROM billing_runs WHERE id = $run")" queued \
    "bad: the run is not taken while the other holder has the lease"
oms_sql_write "DELETE FROM job_leases WHERE name = 'billing'" >/dev/null
# done: the run's XML says done (polled through the page, as a browser).
run_state() {
	as finance
	http GET "/billing/runs/$run?format=xml"
	[ "$(xp 'string(/page/run/@state)')" = "$1" ]
}
oms_wait 600 run_state done
tap_ok $? "once the lease is free the job takes it and the run ends: done"
tap_is "$(xp 'count(/page/refresh)')" 0 "the finished run's page no longer refreshes"
inv=$(oms_sql "SELECT COUNT(*) FROM invoices WHERE period = '$P'")
tap_is "$(xp 'string(/page/run/@invoices)')" "$inv" "the run's invoices count is the invoices issued ($inv)"
tap_num_ge "$inv" 2 "invoices exist for $P"
tap_is "$(xp 'concat(/page/run/@done, "/", /page/run/@total)')" \
    "$(oms_sql "SELECT COUNT(*) FROM customers WHERE first_period IS NOT NULL")/$(oms_sql "SELECT COUNT(*) FROM customers WHERE first_period IS NOT NULL")" \
    "its progress: every customer done"
tap_is "$(oms_sql "SELECT state FROM billing_periods WHERE period = '$P'")" issued "the period is issued"
tap_is "$(oms_sql "SELECT current_cents FROM invoices WHERE period = '$P' AND customer_id = $BP2")" \
    "$(awk '$1 == "BP2" {print $2}' "$T/web.txt")" "BP2's invoice has the previewed current charges"
holder=$(oms_sql "SELECT holder FROM job_leases WHERE name = 'billing'")
tap_like "$holder" "^[^:]+:[0-9]+:[0-9a-f]+$" "the job holds the billing lease"
oms_ctl bill issue --period "$P" >"$T/cli-issue.out" 2>&1
tap_is "$?" 1 "bad: omsctl bill issue is refused while the job holds the billing lease"
tap_like "$(cat "$T/cli-issue.out")" "another billing run holds the lease" "bad: saying so"
# A run that cannot be done (queued behind the page's back, for a period
# before the last issued) ends failed, with why on its page.
oms_sql_write "INSERT INTO billing_runs (period, business_day, requested_by, requested_at, state)
    VALUES ('2000-01', '$(date -u +%Y-%m-%d)', 'test', '2000-01-01T00:00:00Z', 'queued')" >/dev/null
run=$(oms_sql "SELECT MAX(id) FROM billing_runs")
oms_wait 300 run_state failed
tap_ok $? "bad: a run of a period before the last issued ends failed"
tap_like "$(xp 'string(/page/run/message)')" "before the last one issued" "bad: its page says why"
http GET "/billing/runs/$run"
tap_like "$(cat "$HTTP_BODY")" 'role="alert">That period is before the last one issued' "bad: in the HTML too"
http GET "/billing?format=xml"
tap_is "$(xp 'string(/page/next/@period)')" "$(date -u +%Y-%m)" "the next period to issue is now this month"
tap_is "$(xp 'string(/page/periods/period[1]/@period)')" "$P" "and $P is listed as issued"
http GET "/billing?period=$P"
tap_like "$(cat "$HTTP_BODY")" "issued" "the billing page of $P says it is issued"
tap_unlike "$(cat "$HTTP_BODY")" 'action="/billing/issue"' "bad: and offers no Issue button for it"

# ------------------------------------------------ payments
fp() { oms_sql "SELECT COUNT(*) FROM payments"; }
fa() { oms_sql "SELECT COUNT(*) FROM adjustments"; }
TODAY=$(date -u +%Y-%m-%d)
TOMORROW=$(date -u -d tomorrow +%Y-%m-%d)
as finance
http GET "/payments/new?customer=$BP2&format=xml"
tap_is "$HTTP_STATUS" 200 "the payment form for BP2"
tap_is "$(xp 'count(/page/form/invoices/invoice)')" 1 "shows BP2's issued invoice"
tap_is "$(xp 'string(/page/form/invoices/invoice/@total-due)')" \
    "$(oms_sql "SELECT total_due_cents FROM invoices WHERE customer_id = $BP2")" "with its total due"
n0=$(fp)
a0=$(oms_sql "SELECT COUNT(*) FROM audit_log")
badpay() {
	local why=$1 msg=$2
	shift 2
	post finance /payments/new "customer=$BP2" "$@"
	tap_is "$HTTP_STATUS" 400 "bad: a payment $why is 400"
	tap_like "$(cat "$HTTP_BODY")" "$msg" "bad: ($why) with the message"
}
badpay "of 3 decimals" "at most 2 decimals" "date=$TODAY" "amount=10.005" "method=cheque"
badpay "of 0" "must be positive" "date=$TODAY" "amount=0.00" "method=cheque"
badpay "that is negative" "must be positive" "date=$TODAY" "amount=-5.00" "method=cheque"
badpay "dated after the business date" "after the business date" "date=$TOMORROW" "amount=5.00" "method=cheque"
badpay "with a malformed date" "must be a date" "date=2024-02-30" "amount=5.00" "method=cheque"
badpay "without a method" "method of payment is required" "date=$TODAY" "amount=5.00"
badpay "back-dated into an invoiced period past backdate_days" "already invoiced and more than 92 days" \
    "date=$(date -u -d "$P-01 -100 days" +%Y-%m-%d)" "amount=5.00" "method=cheque"
as finance
http POST /payments/new --data-urlencode "customer=$BP2" --data-urlencode "date=$TODAY" \
    --data-urlencode "amount=5.00" --data-urlencode "method=cheque"
tap_is "$HTTP_STATUS" 403 "bad: a payment without the CSRF token is 403"
tap_is "$(fp)/$(oms_sql "SELECT COUNT(*) FROM audit_log")" "$n0/$a0" "bad: the refused payments changed nothing"
post finance /payments/new "customer=$BP2" "date=$TODAY" "amount=12.34" "method=cheque" "reference=CHQ-991"
tap_is "$HTTP_STATUS" 303 "a payment of 12.34 is recorded: 303"
tap_is "$(http_header Location)" "/payments?customer=$BP2" "to the customer's payments"
tap_is "$(oms_sql "SELECT reference, amount_cents, paid_on, method, created_by FROM payments WHERE customer_id = $BP2")" \
    "CHQ-991|1234|$TODAY|cheque|finance" "stored as entered, in cents"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'payment' AND action = 'create'")" 1 "and audited"
post finance /payments/new "customer=$BP2" "date=$TODAY" "amount=1.00" "method=cheque" "reference=CHQ-991"
tap_is "$HTTP_STATUS" 409 "bad: a reference used already is 409"
post finance /payments/new "customer=$BP1" "date=$TODAY" "amount=1,000.00" "method=transfer"
tap_is "$HTTP_STATUS" 400 "bad: an amount with a thousands separator is 400 (BILLING.md's format)"
post finance /payments/new "customer=$BP1" "date=$TODAY" "amount=1000" "method=transfer"
tap_is "$HTTP_STATUS" 303 "a payment without a reference gets one"
tap_like "$(oms_sql "SELECT reference FROM payments WHERE customer_id = $BP1")" "^PAY-WEB-[0-9]+$" "PAY-WEB-N"
http GET "/payments?customer=$BP2&format=xml"
tap_is "$(xp 'concat(/page/result/@payments, " ", /page/payments/payment/@reference, " ", /page/payments/payment/@amount)')" \
    "1 CHQ-991 1234" "the payments list, filtered by customer, as XML"
http GET "/payments?format=xml"
tap_is "$(xp 'string(/page/result/@payments)')" 2 "unfiltered: both"
http GET "/payments?page=2&format=xml"
tap_is "$(xp 'count(/page/payments/payment)')" 0 "page 2 is empty"
http GET /payments
tap_like "$(cat "$HTTP_BODY")" "12.34" "the HTML list formats the amount"

# ------------------------------------------------ adjustments
n0=$(fa)
a0=$(oms_sql "SELECT COUNT(*) FROM audit_log")
badadj() {
	local why=$1 msg=$2
	shift 2
	post finance /adjustments/new "customer=$BP1" "$@"
	tap_is "$HTTP_STATUS" 400 "bad: an adjustment $why is 400"
	tap_like "$(cat "$HTTP_BODY")" "$msg" "bad: ($why) with the message"
}
ok_fields=("date=$TODAY" "description=Goodwill credit" "taxable=0")
badadj "without a reason" "reason is required" "amount=-5.00" "${ok_fields[@]}"
badadj "of 3 decimals" "at most 2 decimals" "amount=-5.001" "reason=late install" "${ok_fields[@]}"
badadj "of 0" "changes nothing" "amount=0" "reason=late install" "${ok_fields[@]}"
badadj "without a description" "description is required" "amount=-5.00" "reason=late install" "date=$TODAY"
badadj "dated after the business date" "after the business date" "amount=-5.00" "reason=r" \
    "date=$TOMORROW" "description=x"
badadj "at another customer's site" "not one of the customer" "amount=-5.00" "reason=r" \
    "${ok_fields[@]}" "site=$BP2_SITE"
post finance /adjustments/new "customer=$BP1" "amount=abc" "reason=r" "${ok_fields[@]}"
tap_is "$HTTP_STATUS" 400 "bad: a taxable that is not 0 or 1, or an amount that is not one, is 400"
as finance
http POST /adjustments/new --data-urlencode "customer=$BP1" --data-urlencode "amount=-5.00" \
    --data-urlencode "reason=r" --data-urlencode "date=$TODAY" --data-urlencode "description=x"
tap_is "$HTTP_STATUS" 403 "bad: an adjustment without the CSRF token is 403"
tap_is "$(fa)/$(oms_sql "SELECT COUNT(*) FROM audit_log")" "$n0/$a0" "bad: the refused adjustments changed nothing"
post finance /adjustments/new "customer=$BP1" "amount=-5.25" "reason=late installation" \
    "${ok_fields[@]}" "site=$BP1_SITE" "cc=$BP1_CC"
tap_is "$HTTP_STATUS" 303 "a credit of -5.25 at BP1's site and cost centre is recorded: 303"
tap_is "$(oms_sql "SELECT amount_cents, dated_on, description, taxable, site_id, cost_centre_id, created_by FROM adjustments WHERE customer_id = $BP1")" \
    "-525|$TODAY|Goodwill credit|0|$BP1_SITE|$BP1_CC|finance" "stored as entered"
tap_like "$(oms_sql "SELECT after_value FROM audit_log WHERE entity = 'adjustment' AND action = 'create'" | tr '\n' ' ')" \
    "reason: late installation" "audited with its reason"
post admin /adjustments/new "customer=$BP2" "amount=7" "reason=fee" "date=$TODAY" "description=Site visit" "taxable=1"
tap_is "$HTTP_STATUS" 303 "admin records a taxable charge"
http GET "/adjustments?customer=$BP1&format=xml"
tap_is "$(xp 'concat(/page/result/@adjustments, " ", /page/adjustments/adjustment/@amount, " ", /page/adjustments/adjustment/@site-code)')" \
    "1 -525 HQ" "the adjustments list, filtered by customer, as XML"
http GET "/adjustments/new?customer=$BP1"
tap_is "$HTTP_STATUS" 200 "the adjustment form for BP1"
tap_like "$(cat "$HTTP_BODY")" "HQ Head office" "offers BP1's sites"
http GET /billing
tap_like "$(cat "$HTTP_BODY")" 'href="/billing"' "the Billing menu is in the layout for finance"
as customer
http GET /customers
tap_unlike "$(cat "$HTTP_BODY")" 'href="/billing"' "bad: and not for a customer user"

tap_done
