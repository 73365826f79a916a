#!/bin/bash
# billing.sh: the billing runs of BILLING.md end to end.  Scenarios are
# built with `omsctl import` of the CSV files in tests/fixtures/billing
# (usage, payments and adjustments by SQL for now: usage_rows,
# payment_rows, adjustment_rows), periods 2028-01 (31 days), 2028-02
# (29), 2028-03 (31) and 2028-04 (30) are issued at replayed business
# dates, and the exported invoice and report XML is checked against
# amounts worked out by hand (the arithmetic beside each).  Then: 2027-02
# (28 days), a run stopped after one customer and completed by a re-run,
# and a run killed with SIGKILL at a random point, each compared with an
# uninterrupted run of the same data.  On the backend of OMS_BACKEND
# (sqlite, or mariadb through tests/mariadb/billing.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need "$OMS_PYTHON"
F=$OMS_SRCDIR/tests/fixtures/billing
oms_tmpdir
T=$OMS_TMP

# bx FILE OP ARG...: read an exported document (python3 xml.etree).
#   val PATH            text at PATH under the invoice or report
#   lines KIND REF [c]  amounts of the lines of KIND billing REF (asset
#                       tag, order line O/1, adjustment reference), this
#                       period's, or with c the corrections; "from:amount"
#   nlines KIND [c]     how many lines of KIND (c: corrections only)
#   field KIND REF NAME [c]  NAME of those lines
#   outstanding         "number:amount_left:days_past_due" of each
cat >"$T/bx.py" <<'PY'
import sys, xml.etree.ElementTree as ET
f, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
doc = ET.parse(f).getroot()[0]
def ref(l):
    for k in ("asset_tag", "order_line", "adjustment"):
        if l.find(k) is not None:
            return l.findtext(k)
    return ""
def sel(kind, r=None, corr=False):
    out = []
    for l in doc.iter("line"):
        if l.findtext("kind") != kind or (r is not None and ref(l) != r):
            continue
        if (l.find("correction") is not None) != corr:
            continue
        out.append(l)
    return out
if op == "val":
    print(doc.findtext(args[0]) or "")
elif op == "lines":
    c = len(args) > 2 and args[2] == "c"
    print(" ".join((l.findtext("from") or "-") + ":" + l.findtext("amount")
                   for l in sel(args[0], args[1], c)))
elif op == "nlines":
    c = len(args) > 1 and args[1] == "c"
    print(len(sel(args[0] if args[0] != "any" else None, None, c))
          if args[0] != "any" else
          len([l for l in doc.iter("line") if (l.find("correction") is not None) == c]))
elif op == "field":
    c = len(args) > 3 and args[3] == "c"
    print(" ".join(l.findtext(args[2]) or "" for l in sel(args[0], args[1], c)))
elif op == "outstanding":
    print(" ".join("%s:%s:%s" % (e.findtext("number"), e.findtext("amount_left"),
                   e.findtext("days_past_due")) for e in doc.iter("earlier")))
elif op == "taxes":
    print(" ".join("%s/%s:%s:%s" % (t.findtext("jurisdiction"), t.findtext("code"),
                   t.findtext("base"), t.findtext("amount")) for t in doc.iter("tax")))
elif op == "linesum":
    print(sum(int(l.findtext("amount")) for l in doc.iter("line")))
PY
bx() { "$OMS_PYTHON" "$T/bx.py" "$@"; }

# ctl DATE ARG...: omsctl at the business date DATE; OUT, ERR, RC.
ctl() {
	local day=$1
	shift
	oms_ctl --today "$day" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# imp DATE KIND FILE: omsctl import, which must succeed.
imp() {
	ctl "$1" import "$2" "$3"
	[ "$RC" = 0 ] || tap_diag "import $2 $3: $ERR"
	return "$RC"
}

# issue DATE PERIOD: omsctl bill issue, then export into $T/$PERIOD (of
# the current instance: $T/<instance>/<period>).
issue() {
	ctl "$1" bill issue --period "$2"
}
export_to() {
	rm -rf "$2"
	oms_ctl bill export --period "$1" --out "$2" >/dev/null 2>"$T/err"
}

# usage_rows TAG DATE QTY [TAG DATE QTY...]: usage records, imported
# as a usage CSV file (record ids U-TAG-DATE-QTY) at the business date
# of the latest of them.
N_CSV=0
usage_rows() {
	local f last=
	N_CSV=$((N_CSV + 1))
	f=$T/usage-$N_CSV.csv
	echo "record_id,asset_tag,date,quantity" >"$f"
	while [ $# -ge 3 ]; do
		echo "U-$1-$2-$3,$1,$2,$3" >>"$f"
		[ "$2" \> "$last" ] && last=$2
		shift 3
	done
	imp "$last" usage "$f"
}

# payment_rows REF CUSTOMER DATE CENTS: one payment, imported as a
# payments CSV file on its date.
payment_rows() {
	local f
	N_CSV=$((N_CSV + 1))
	f=$T/payments-$N_CSV.csv
	printf 'reference,customer,date,amount,method\n%s,%s,%s,%d.%02d,cheque\n' \
	    "$1" "$2" "$3" $(($4 / 100)) $(($4 % 100)) >"$f"
	imp "$3" payments "$f"
}

# adjustment_rows REF CUSTOMER DATE CENTS TAXABLE(0/1) SITE CC: one
# adjustment, imported as an adjustments CSV file on its date.
adjustment_rows() {
	local f a=$4 sign=
	N_CSV=$((N_CSV + 1))
	f=$T/adjustments-$N_CSV.csv
	[ "$a" -lt 0 ] && { sign=-; a=$((-a)); }
	printf 'reference,customer,date,amount,description,taxable,site,cost_centre\n' >"$f"
	printf '%s,%s,%s,%s%d.%02d,test adjustment,%s,%s,%s\n' "$1" "$2" "$3" "$sign" \
	    $((a / 100)) $((a % 100)) "$([ "$5" = 1 ] && echo yes || echo no)" "$6" "$7" >>"$f"
	imp "$3" adjustments "$f"
}

# report_matches INVOICE REPORT NAME: the report's totals are the
# invoice's (total before tax = subtotal; taxes, current, total due).
report_matches() {
	local i=$1 r=$2
	tap_is "$(bx "$r" val totals/total_before_tax)/$(bx "$r" taxes)/$(bx "$r" val totals/current_charges)/$(bx "$r" val totals/total_due)" \
	    "$(bx "$i" val subtotal)/$(bx "$i" taxes)/$(bx "$i" val current_charges)/$(bx "$i" val total_due)" \
	    "$3: the report's totals are the invoice's"
	tap_is "$(bx "$i" linesum)" "$(bx "$i" val subtotal)" "$3: the subtotal is the sum of the lines"
}

# all_reports_match DIR: report_matches for every invoice in DIR.
all_reports_match() {
	local f
	for f in "$1"/*-invoice.xml; do
		report_matches "$f" "${f%-invoice.xml}-report.xml" "$(basename "$f" -invoice.xml)"
	done
}

# base_scenario: catalog, customers, sites, assets (business date 2028-01-01).
base_scenario() {
	local k
	for k in products prices usage-prices fees tax-rates customers sites cost-centres assets; do
		imp 2028-01-01 "$k" "$F/$k.csv" || return 1
	done
}

# =================================================== the main instance
OMS_NO_SEED=1
export OMS_NO_SEED
oms_start
MAIN=$OMS_DIR
base_scenario
tap_is "$?" 0 "the catalog, customers, sites and assets import"
imp 2028-02-01 orders "$F/orders-2028-01.csv"
tap_is "$RC" 0 "January's completed orders import (add, change, add-on, disconnect, add)"
# A1 (C1): 600 + 737 = 1337 minutes in January.
usage_rows A1 2028-01-12 600 A1 2028-01-28 737
# C2: a credit of 123.45, taxable, at Q1, larger than C2's charges.
adjustment_rows ADJ1 C2 2028-01-15 -12345 1 Q1 KQ

# ------------------------------------------------------ runs refused
ctl 2028-01-31 bill issue --period 2028-01
tap_is "$RC" 1 "bad: issuing 2028-01 on its last day is refused (exit 1)"
tap_like "$ERR" "not ended" "and says the period has not ended"
ctl 2028-02-01 bill preview --period 2028-01
tap_like "$OUT" "3 invoices" "the preview of 2028-01 shows three invoices (C10 has no line)"

issue 2028-02-01 2028-01
tap_is "$RC" 0 "2028-01 issues"
J=$T/m-2028-01
export_to 2028-01 "$J"
tap_is "$?" 0 "2028-01 exports"
I=$J/C1-2028-01-invoice.xml

# ----------------------------------------- January, C1 (CA-ON, terms 10)
tap_is "$(bx "$I" val number)" 1 "C1 2028-01 is invoice 1"
tap_is "$(bx "$I" val invoice_date)/$(bx "$I" val due_date)" "2028-01-31/2028-02-10" \
    "invoice date = last day; due = +10 days terms"
# A2 per port, change 4 -> 6 ports completed 2028-01-11: two segments.
# 1..10: round(1000 * 4 * 10 / 31) = round(1290.32) = 1290
# 11..31: round(1000 * 6 * 21 / 31) = round(4064.52) = 4065
tap_is "$(bx "$I" lines recurring A2)" "2028-01-01:1290 2028-01-11:4065" \
    "per-port change mid-month: two segments (1290, 4065)"
# A3 disconnected 2028-01-20: last day billed 19; round(2000*19/31) = round(1225.81) = 1226
tap_is "$(bx "$I" lines recurring A3)" "2028-01-01:1226" "removal: disconnect on day 20 bills days 1..19 (1226)"
tap_is "$(bx "$I" field recurring A3 to)" "2028-01-19" "removal: the line ends on day 19"
# A1 added 2028-01-10: days 10..31 = 22; round(2000*22/31) = round(1419.35) = 1419
tap_is "$(bx "$I" lines recurring A1)" "2028-01-10:1419" "install: add on day 10 bills days 10..31 (1419)"
# A4 added 2028-01-31, 2 ports: round(1000*2*1/31) = round(64.52) = 65
tap_is "$(bx "$I" lines recurring A4)" "2028-01-31:65" "install on the last day: one day, 2 ports (65)"
# A5 add-on from 2028-01-15: 17 days; round(500*17/31) = round(274.19) = 274
tap_is "$(bx "$I" lines recurring A5)" "2028-01-15:274" "add-on rated from its day (274)"
# usage A1: Q = 1337, included 100 -> billable 1237; 1000 * 35000 +
# 237 * 34500 = 35,000,000 + 8,176,500 = 43,176,500 micro;
# round(43176500 / 10000) = round(4317.65) = 4318
tap_is "$(bx "$I" lines usage A1)" "2028-01-01:4318" "usage: 100 included, two tiers (4318)"
tap_is "$(bx "$I" field usage A1 quantity)/$(bx "$I" field usage A1 billable)" "1337/1237" \
    "usage: all units and the billable ones"
# fees: O1 add of BLINE: product fee 25.00 over the any-product 50.00
tap_is "$(bx "$I" lines one-time O1/1)" "2028-01-10:2500" "fee precedence: add BLINE 25.00 wins over any-product 50.00"
# O2 add of BPORT: only the any-product fee 50.00
tap_is "$(bx "$I" lines one-time O2/1)" "2028-01-31:5000" "fee: any-product add 50.00"
# O3 change with an override of 0.00: a line of 0 (the fee is waived)
tap_is "$(bx "$I" lines one-time O3/1)" "2028-01-11:0" "fee override 0.00: a one-time line of 0"
tap_is "$(bx "$I" lines one-time O4/1)" "2028-01-20:1000" "disconnect fee 10.00"
# O5 add-on: no addon fee in the catalog, no override: no line
tap_is "$(bx "$I" lines one-time O5/1)" "" "no fee in effect and no override: no line"
# subtotal: recurring 1290+4065+1226+1419+65+274 = 8339; usage 4318;
# fees 2500+5000+0+1000 = 8500; 8339+4318+8500 = 21157
tap_is "$(bx "$I" val subtotal)" 21157 "C1 2028-01 subtotal 21157"
# HST 13%: round(21157 * 130000 / 1e6) = round(2750.41) = 2750
tap_is "$(bx "$I" taxes)" "CA-ON/HST:21157:2750" "C1 2028-01 HST 2750 on 21157"
# current = 21157 + 2750 = 23907; previous 0; payments 0
tap_is "$(bx "$I" val current_charges)/$(bx "$I" val previous_balance)/$(bx "$I" val payments)/$(bx "$I" val total_due)" \
    "23907/0/0/23907" "C1 2028-01 current 23907 = total due"

# ------------------------------- January, C2 (CA-QC, negative base)
I2=$J/C2-2028-01-invoice.xml
# B1 full month: 2000; credit -12345; base = 2000 - 12345 = -10345
tap_is "$(bx "$I2" lines adjustment ADJ1)" "2028-01-15:-12345" "the credit is an adjustment line of -12345"
# GST 5%: round(-10345 * 0.05) = round(-517.25) = -517
# QST 9.975%: round(-10345 * 99750 / 1e6) = round(-1031.91) = -1032
tap_is "$(bx "$I2" taxes)" "CA-QC/GST:-10345:-517 CA-QC/QST:-10345:-1032" \
    "two taxes of CA-QC on a negative base (-517, -1032)"
# current = -10345 - 517 - 1032 = -11894
tap_is "$(bx "$I2" val current_charges)/$(bx "$I2" val total_due)" "-11894/-11894" "C2 2028-01 current -11894"
tap_is "$(bx "$J/C3-2028-01-invoice.xml" val total_due)" 1130 "C3 2028-01: 1000 + HST 130 = 1130"
tap_is "$(ls "$J" | tr '\n' ' ')" \
    "C1-2028-01-invoice.xml C1-2028-01-report.xml C2-2028-01-invoice.xml C2-2028-01-report.xml C3-2028-01-invoice.xml C3-2028-01-report.xml " \
    "C10 (no line in January) gets no invoice"
all_reports_match "$J"

# ------------------------------------------------ issuing twice
ctl 2028-02-01 bill issue --period 2028-01
tap_is "$RC" 0 "a second issue of 2028-01 succeeds"
tap_like "$OUT" "issued already" "and issues nothing"
export_to 2028-01 "$T/m-2028-01-again"
diff -r "$J" "$T/m-2028-01-again" >/dev/null
tap_ok $? "the second issue changed no document"

ctl 2028-04-01 bill issue --period 2028-03
tap_is "$RC" 1 "bad: issuing 2028-03 with 2028-02 skipped is refused (exit 1)"
tap_like "$ERR" "in order" "and says periods are issued in order"

# =========================================================== February
imp 2028-02-01 contract-prices "$F/contract-prices.csv"
tap_is "$RC" 0 "contract prices import (C1 back-dated into January)"
imp 2028-03-01 orders "$F/orders-2028-02.csv"
tap_is "$RC" 0 "February's moves import"
# C1 pays 100.00 on 2028-02-10 (on the February invoice) and 50.00 on
# 2028-03-05 (after the February invoice date: waits for March).
payment_rows P1 C1 2028-02-10 10000
payment_rows P2 C1 2028-03-05 5000
# C3 overpays: 50.00 on 2028-02-15
payment_rows P3 C3 2028-02-15 5000
# A1: 50 minutes, within the 100 included
usage_rows A1 2028-02-03 50
issue 2028-03-06 2028-02
tap_is "$RC" 0 "2028-02 issues"
J=$T/m-2028-02
export_to 2028-02 "$J"
I=$J/C1-2028-02-invoice.xml
tap_is "$(bx "$I" val number)" 4 "C1 2028-02 is invoice 4 (numbers follow on)"
# A1 contract 15.00 from 2028-01-01 to 2028-02-10 (excluded), contract
# 18.00 from 2028-02-05: latest valid_from wins from the 5th.
# 1..4: round(1500*4/29) = round(206.90) = 207; 5..29: round(1800*25/29) = round(1551.72) = 1552
tap_is "$(bx "$I" lines recurring A1)" "2028-02-01:207 2028-02-05:1552" \
    "overlapping contracts: the latest valid_from wins (207, 1552)"
# A2 6 ports full February: 1000*6*29/29 = 6000
tap_is "$(bx "$I" lines recurring A2)" "2028-02-01:6000" "29-day month, full: 6000"
tap_is "$(bx "$I" field recurring A2 period_days)" 29 "2028-02 has 29 days"
tap_is "$(bx "$I" lines usage A1)" "2028-02-01:0" "usage within the included quantity: a line of 0"
# corrections of January (contract 15.00 back-dated over the catalog 20.00):
# A1: round(1500*22/31) = round(1064.52) = 1065; 1065 - 1419 = -354
# A3: round(1500*19/31) = round(919.35) = 919; 919 - 1226 = -307
tap_is "$(bx "$I" lines recurring A1 c)" "-:-354" "back-dated contract: correction of A1 for January (-354)"
tap_is "$(bx "$I" lines recurring A3 c)" "-:-307" "back-dated contract: correction of A3 for January (-307)"
tap_is "$(bx "$I" field recurring A3 correction c)/$(bx "$I" nlines any c)" "2028-01/2" "two correction lines naming 2028-01, no more"
# subtotal 207+1552+6000+2000(A4)+500(A5)+0-354-307 = 9598
# HST round(9598*0.13) = round(1247.74) = 1248; current 10846
# total due = 23907 - 10000 + 10846 = 24753
tap_is "$(bx "$I" val subtotal)/$(bx "$I" val tax_total)/$(bx "$I" val current_charges)" "9598/1248/10846" \
    "C1 2028-02 subtotal 9598, HST 1248, current 10846"
tap_is "$(bx "$I" val previous_balance)/$(bx "$I" val payments)/$(bx "$I" val total_due)" "23907/10000/24753" \
    "payment of 02-10 reported, 03-05 waits: 23907 - 10000 + 10846 = 24753"
# outstanding: invoice 1 left 23907 - 10000 = 13907, due 02-10 -> 19 days past
tap_is "$(bx "$I" outstanding)" "1:13907:19" "outstanding: invoice 1, 13907 left, 19 days past due"
tap_is "$(bx "$I" val aging/days_1_30)" 13907 "aging: 13907 in 1-30"
# C2: move Q1 -> Q2 (02-10) -> Q1 (02-20): three segments, each rounded
# 1..9: round(2000*9/29) = round(620.69) = 621; 10..19: round(2000*10/29) = round(689.66) = 690; 20..29: 690
I2=$J/C2-2028-02-invoice.xml
tap_is "$(bx "$I2" lines recurring B1)" "2028-02-01:621 2028-02-10:690 2028-02-20:690" \
    "move A -> B -> A: three segments (621 + 690 + 690 = 2001 > 2000)"
tap_is "$(bx "$I2" field recurring B1 site)" "Q1 Q2 Q1" "the segments' sites"
# moves 750 + 750; subtotal 2001 + 1500 = 3501
# GST round(175.05) = 175; QST round(3501*0.09975) = round(349.22) = 349; current 4025
# total due = -11894 + 4025 = -7869; credits exceed: nothing outstanding
tap_is "$(bx "$I2" taxes)" "CA-QC/GST:3501:175 CA-QC/QST:3501:349" "C2 2028-02 GST 175 and QST 349 on 3501"
tap_is "$(bx "$I2" val previous_balance)/$(bx "$I2" val total_due)" "-11894/-7869" \
    "C2: previous balance -11894, total due -11894 + 4025 = -7869"
tap_is "$(bx "$I2" outstanding)" "" "C2: credit exceeds the charges: nothing outstanding"
# C3: contract 6.00/port 02-01..02-15 (excluded), then catalog 10.00
# 1..14: round(600*14/29) = round(289.66) = 290; 15..29: round(1000*15/29) = round(517.24) = 517
I3=$J/C3-2028-02-invoice.xml
tap_is "$(bx "$I3" lines recurring G1)" "2028-02-01:290 2028-02-15:517" \
    "contract window valid_to: contract price to the 14th, catalog from the 15th"
# subtotal 807; HST round(104.91) = 105; current 912; 1130 - 5000 + 912 = -2958
tap_is "$(bx "$I3" val payments)/$(bx "$I3" val total_due)" "5000/-2958" "C3 overpays: total due 1130 - 5000 + 912 = -2958"
tap_is "$(bx "$I3" outstanding)" "" "overpayment: nothing listed"
all_reports_match "$J"

# ============================================================== March
# Back-dated disconnect of A4 completed 2028-02-20 (February issued).
imp 2028-03-07 orders "$F/orders-backdated.csv"
tap_is "$RC" 0 "a back-dated disconnect into issued February imports"
issue 2028-04-01 2028-03
tap_is "$RC" 0 "2028-03 issues"
J=$T/m-2028-03
export_to 2028-03 "$J"
I=$J/C1-2028-03-invoice.xml
# A4 February now days 1..19: round(2000*19/29) = round(1310.34) = 1310; 1310 - 2000 = -690
tap_is "$(bx "$I" lines recurring A4 c)" "-:-690" "back-dated disconnect: recurring correction -690"
tap_is "$(bx "$I" lines one-time O8/1 c)" "-:1000" "back-dated disconnect: its fee 1000 as a correction"
tap_is "$(bx "$I" field recurring A4 correction c)" "2028-02" "the correction names 2028-02"
tap_is "$(bx "$I" lines recurring A4)" "" "A4 bills nothing in March"
tap_is "$(bx "$I" lines recurring A1 c)" "" "January's contract correction is not posted again"
# C1 March: A1 contract 1800, A2 6000, A5 500 = 8300; corrections -690 + 1000 = 310
# subtotal 8610; HST round(1119.3) = 1119; current 9729; 24753 - 5000 + 9729 = 29482
tap_is "$(bx "$I" val subtotal)/$(bx "$I" val current_charges)" "8610/9729" "C1 2028-03 subtotal 8610, current 9729"
tap_is "$(bx "$I" val payments)/$(bx "$I" val total_due)" "5000/29482" "the waiting payment is reported in March: 29482"
# payments 15000 oldest first: invoice 1 left 8907 (due 02-10: 50 days
# past), invoice 4 left 10846 (due 03-10: 21 days); 8907 + 10846 + 9729 = 29482
tap_is "$(bx "$I" outstanding)" "1:8907:50 4:10846:21" "outstanding oldest first with days past due"
tap_is "$(bx "$I" val aging/days_31_60)/$(bx "$I" val aging/days_1_30)" "8907/10846" "aging 31-60 and 1-30"
# C2 March: catalog BLINE 20.00 to 03-15, 40.00 from 03-16
# 1..15: round(2000*15/31) = round(967.74) = 968; 16..31: round(4000*16/31) = round(2064.52) = 2065
I2=$J/C2-2028-03-invoice.xml
tap_is "$(bx "$I2" lines recurring B1)" "2028-03-01:968 2028-03-16:2065" "catalog price change mid-month (968, 2065)"
# subtotal 3033; GST round(151.65) = 152; QST round(302.54) = 303; current 3488; -7869 + 3488 = -4381
tap_is "$(bx "$I2" val current_charges)/$(bx "$I2" val total_due)" "3488/-4381" "C2 2028-03: current 3488, due -4381"
all_reports_match "$J"

# ============================================================== April
issue 2028-05-01 2028-04
tap_is "$RC" 0 "2028-04 issues"
J=$T/m-2028-04
export_to 2028-04 "$J"
I=$J/C1-2028-04-invoice.xml
tap_is "$(bx "$I" nlines any c)" 0 "no correction is posted a second time"
# numbers in customer-code byte order: C1 10, C10 11, C2 12, C3 13
tap_is "$(for c in C1 C10 C2 C3; do bx "$J/$c-2028-04-invoice.xml" val number; done | tr '\n' ' ')" "10 11 12 13 " \
    "invoice numbers gapless in code order (C1, C10, C2, C3)"
# Z1 (C10) planned for 2028-04-08: days 8..30 = 23; round(4000*23/30) = round(3066.67) = 3067
tap_is "$(bx "$J/C10-2028-04-invoice.xml" lines recurring Z1)" "2028-04-08:3067" "30-day month, install on the 8th (3067)"
# C1: 8300 + HST 1079 = 9379; outstanding: 1 left 8907 (80 days past:
# over 61), 4 left 10846 (51 days), 7 left 9729 (due 04-10: 20 days)
tap_is "$(bx "$I" outstanding)" "1:8907:80 4:10846:51 7:9729:20" "April: three invoices outstanding"
tap_is "$(bx "$I" val aging/days_61_90)/$(bx "$I" val aging/days_31_60)/$(bx "$I" val aging/days_1_30)" \
    "8907/10846/9729" "aging 61-90, 31-60, 1-30"
# total due 29482 + 9379 = 38861 = 8907 + 10846 + 9729 + 9379
tap_is "$(bx "$I" val total_due)" 38861 "C1 2028-04 total due 38861"
all_reports_match "$J"

# ============================= resumability: stopped, then completed
# (two instances built alike; 2027-02 has 28 days)
# resume_scenario: six customers with one line each for 2027-02.
resume_scenario() {
	local i
	base_scenario || return 1
	{
		echo 'tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag'
		echo 'R1,C1,S1,K1,BPORT,3,,,,,2027-02-11,'
		echo 'R2,C2,Q1,KQ,BLINE,1,,,,,2027-01-01,'
		echo 'R3,C3,T1,KT,BLINE,1,,,,,2027-02-28,'
		echo 'R4,C10,Z,KZ,BPORT,2,,,,,2027-01-01,'
	} >"$T/r-assets.csv"
	imp 2027-03-01 assets "$T/r-assets.csv"
}
oms_start
R1=$OMS_DIR
resume_scenario
OMS_TEST_BILL_STOP_AFTER=1 oms_ctl --today 2027-03-01 bill issue --period 2027-02 >/dev/null 2>"$T/err"
tap_isnt "$?" 0 "bad: an issue stopped after one customer fails"
ctl 2027-03-02 bill issue --period 2027-03
tap_is "$RC" 1 "bad: the next period is refused while 2027-02 is half issued"
issue 2027-03-01 2027-02
tap_is "$RC" 0 "a plain re-run completes 2027-02"
export_to 2027-02 "$T/r1"
oms_start
R2=$OMS_DIR
resume_scenario
issue 2027-03-01 2027-02
tap_is "$RC" 0 "an uninterrupted run of the same data"
export_to 2027-02 "$T/r2"
diff -r "$T/r1" "$T/r2" >"$T/diff" 2>&1
tap_ok $? "stopped + re-run gives the documents of the uninterrupted run" || tap_diag "$(head -n 20 "$T/diff")"
# R1 (C1) 3 ports from 02-11: 18 days of 28; round(1000*3*18/28) = round(1928.57) = 1929
tap_is "$(bx "$T/r2/C1-2027-02-invoice.xml" lines recurring R1)" "2027-02-11:1929" "28-day month: 3 ports x 18/28 (1929)"
# R3 (C3) from the 28th: round(2000*1/28) = round(71.43) = 71
tap_is "$(bx "$T/r2/C3-2027-02-invoice.xml" lines recurring R3)" "2027-02-28:71" "28-day month, last day only (71)"
tap_is "$(for c in C1 C10 C2 C3; do bx "$T/r1/$c-2027-02-invoice.xml" val number; done | tr '\n' ' ')" "1 2 3 4 " \
    "the resumed run's numbers are gapless in code order"
all_reports_match "$T/r1"
oms_stop "$R1"
oms_stop "$R2"

# ==================================== kill -9 at a random point
# big_scenario: 300 generated customers with one 4-port asset each.
big_scenario() {
	local i
	base_scenario || return 1
	{
		echo 'code,name,address,city,region,postcode,country,currency,terms_days'
		for i in $(seq 1 300); do echo "K$i,Customer $i,$i King St,Toronto,ON,M5V 1A1,CA,,"; done
	} >"$T/k-customers.csv"
	{
		echo 'customer,code,name,address,city,region,postcode,country'
		for i in $(seq 1 300); do echo "K$i,S,Site $i,$i King St,Toronto,ON,M5V 1A1,CA"; done
	} >"$T/k-sites.csv"
	{
		echo 'customer,code,name'
		for i in $(seq 1 300); do echo "K$i,CC,All"; done
	} >"$T/k-cc.csv"
	{
		echo 'tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag'
		for i in $(seq 1 300); do echo "KA$i,K$i,S,CC,BPORT,$((i % 7 + 1)),,,,,2027-12-$(printf %02d $((i % 28 + 1))),"; done
	} >"$T/k-assets.csv"
	imp 2028-01-01 customers "$T/k-customers.csv" && imp 2028-01-01 sites "$T/k-sites.csv" &&
	    imp 2028-01-01 cost-centres "$T/k-cc.csv" && imp 2028-01-01 assets "$T/k-assets.csv"
}
oms_start
K1=$OMS_DIR
big_scenario
tap_is "$?" 0 "300 generated customers import"
oms_start
K2=$OMS_DIR
big_scenario
issue 2028-01-01 2027-12
tap_is "$RC" 0 "the uninterrupted run of 2027-12 (303 customers with a line)"
export_to 2027-12 "$T/k2"
oms_use "$K1"
# Kill when a random number (1..150) of invoices are stored, or
# whatever point the run has reached when it ends first.
want=$((RANDOM % 150 + 1))
# omsctl itself in the background (not through a shell function, whose
# subshell kill -9 would kill instead, leaving omsctl running).
"$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" --today 2028-01-01 bill issue --period 2027-12 \
    >/dev/null 2>&1 &
kpid=$!
oms_track "$kpid"
deadline=$((SECONDS + 120))
while kill -0 "$kpid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
	n=$(oms_sql "SELECT COUNT(*) FROM invoices" 2>/dev/null)
	[ "${n:-0}" -ge "$want" ] && break
done
kill -9 "$kpid" 2>/dev/null
wait "$kpid" 2>/dev/null
tap_diag "killed at ${n:-?} invoices (aimed at $want)"
# The killed run's lease names a process of this host that is gone:
# the re-run takes it at once and completes the period.
issue 2028-01-01 2027-12
tap_is "$RC" 0 "the re-run right after kill -9 completes 2027-12" || tap_diag "$ERR"
tap_is "$(oms_sql "SELECT state FROM billing_periods WHERE period = '2027-12'")" issued \
    "2027-12 is issued after the re-run"
export_to 2027-12 "$T/k1"
# 303 invoices: C10's only asset is planned for 2028-04
tap_is "$(ls "$T/k1" | wc -l)" 606 "303 invoices and reports"
# noids DIR: the documents without the database ids (id="..." and
# *_id="..." attributes): surrogate keys, which a killed run's
# rolled-back inserts may shift on MariaDB (AUTO_INCREMENT is not
# transactional); the invoice numbers are compared below.
noids() {
	mkdir -p "$1.noids"
	for f in "$1"/*.xml; do
		sed -E 's/ [a-z_]*id="[0-9]+"//g' "$f" >"$1.noids/$(basename "$f")"
	done
}
noids "$T/k1"
noids "$T/k2"
diff -r "$T/k1.noids" "$T/k2.noids" >"$T/diff" 2>&1
tap_ok $? "after kill -9 and a re-run, the documents are the uninterrupted run's (database ids aside)" ||
    tap_diag "$(head -n 20 "$T/diff")"
nums=$(for f in "$T"/k1/*-invoice.xml; do bx "$f" val number; done | sort -n | uniq | wc -l)
tap_is "$nums/$(for f in "$T"/k1/*-invoice.xml; do bx "$f" val number; done | sort -n | tail -n 1)" "303/303" \
    "numbers 1..303 without gaps or repeats"
# Every document exported above is valid against docs/invoice.xsd.
docs=$(find "$T" -name '*-invoice.xml' -o -name '*-report.xml' | grep -v noids)
xmllint --noout --schema "$OMS_SRCDIR/docs/invoice.xsd" $docs >"$T/xsd" 2>&1
tap_ok $? "all $(printf '%s\n' $docs | wc -l) exported documents are valid against docs/invoice.xsd" ||
    tap_diag "$(grep -v validates "$T/xsd" | head -n 5)"
tap_done
