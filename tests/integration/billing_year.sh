#!/bin/bash
# billing_year.sh: twelve months of billing (2029-01 .. 2029-12) built
# only through `omsctl import` of CSV files (tests/fixtures/billing_year,
# plus 130 generated customers) and `omsctl bill issue`.  After each
# month the exported invoices and reports are checked against
# tests/integration/billing_year.py, an independent implementation of
# BILLING.md's rules that replays the same files (never OMS's database):
# lines, taxes, subtotal, current charges, previous balance, payments,
# total due, outstanding earlier invoices and aging, report rows.  Each
# period is then issued a second time, which must post nothing.  A
# second instance replays the same year with the runs killed by SIGKILL
# at 20 random points (two in each of ten months), each re-run
# completing; its documents must be the uninterrupted instance's.  On
# the backend of OMS_BACKEND (sqlite, or mariadb through
# tests/mariadb/billing_year.sh).
#
# The scenario (BILLING.md's words):
#   C1 (ON, terms 30): A1 flat line with usage, A2 per port 4 -> 6 ports
#      (change 02-11, fee 15.00), A3 at a QC site planned for 01-10 and
#      disconnected 07-25 by an order imported in August (a correction
#      of July, fee 12.00), A4 added 06-05 (fee 50.00); pays part of
#      its bill most months; a non-taxable admin fee in August.
#   C2 (QC, terms 20): B1 flat line with usage, moved to an ON site
#      04-16 (fee 10.00; its lines change jurisdiction); B2 10 -> 8 ports
#      06-20 (fee waived: override 0.00); overpays 1500.00 in March; a
#      taxable credit of -75.00 in May; late usage of July and a July
#      credit imported in August (corrections of July).
#   C3 (ON, terms 15): never pays (aging walks 1-30 .. over 90); a
#      taxable late fee without a site (billing address jurisdiction);
#      moved to a QC site on 11-30, the last day.
#   C4 (QC): first asset planned for 03-10 (no invoice in January and
#      February), disconnected 09-20 (the LINE-specific fee 8.00 in
#      effect from 09-01 wins over 12.00), pays its balance in October:
#      no invoice from November.
#   Catalog: LINE 25.00 -> 27.50 from 07-16 (two segments in July);
#   usage 200 included, tiers 0/500/2000, replaced from 09-16 (used from
#   October: the price in effect on a period's first day); HST 13 % ->
#   15 % from 10-01 (taxes on the invoice date's rates).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need "$OMS_PYTHON"
F=$OMS_SRCDIR/tests/fixtures/billing_year
Y=$OMS_SRCDIR/tests/integration/billing_year.py
oms_tmpdir
T=$OMS_TMP
NGEN=130

# ctl DATE ARG...: omsctl at the business date DATE; OUT, ERR, RC.
ctl() {
	local d=$1
	shift
	oms_ctl --today "$d" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# imp DATE KIND FILE: omsctl import, which must succeed; recorded in
# the manifest $MAN the model replays.
imp() {
	ctl "$1" import "$2" "$3"
	if [ "$RC" = 0 ]; then
		echo "import $1 $2 $3" >>"$MAN"
	else
		tap_diag "import $2 $3: $ERR"
	fi
	return "$RC"
}

# export_to PERIOD DIR: the period's documents of the current instance.
export_to() {
	rm -rf "$2"
	mkdir -p "$(dirname "$2")"
	oms_ctl bill export --period "$1" --out "$2" >/dev/null 2>"$T/err"
}

# model_check ROOT: the model's checks of ROOT/<period>, the exports
# taken right after each period was issued, as test points (one
# replay of the manifest, checking each period as it is issued).
model_check() {
	local st name diag
	if ! "$OMS_PYTHON" "$Y" check "$MAN" "$1" C1 C2 C3 C4 >"$T/model" 2>"$T/model.err"; then
		tap_ok 1 "the model ran"
		tap_diag "$(tail -n 5 "$T/model.err")"
		return
	fi
	while IFS=$'\t' read -r st name diag; do
		if [ "$st" = ok ]; then
			tap_ok 0 "$name"
		else
			tap_ok 1 "$name"
			tap_diag "$diag"
		fi
	done <"$T/model"
}

# state: "period state/invoices/min number/max number" of the database.
state_of() {
	echo "$(oms_sql "SELECT state FROM billing_periods WHERE period = '$1'")/$(oms_sql \
	    "SELECT COUNT(*), COALESCE(MIN(number), 0), COALESCE(MAX(number), 0) FROM invoices" |
	    tr '|' '/')"
}

# cpu_issue DATE PERIOD: omsctl bill issue in the background, its CPU
# time followed in /proc/PID/schedstat (nanoseconds) until it exits:
# RC, and NS the last CPU time seen, which the killed runs aim within.
cpu_issue() {
	local pid ns=0 t
	"$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" --today "$1" bill issue --period "$2" \
	    >"$T/out" 2>"$T/err" &
	pid=$!
	oms_track "$pid"
	while read -r t _ <"/proc/$pid/schedstat"; do
		ns=$t
		kill -0 "$pid" 2>/dev/null || break
	done 2>/dev/null
	wait "$pid"
	RC=$?
	NS=$ns
	ERR=$(cat "$T/err")
}

# gen_files: the generated customers G001..G130 (ON), one site, one
# cost centre and one per-port asset each (1..5 ports), in $T.
gen_files() {
	local i c
	echo 'code,name,address,city,region,postcode,country,currency,terms_days' >"$T/g-customers.csv"
	echo 'customer,code,name,address,city,region,postcode,country' >"$T/g-sites.csv"
	echo 'customer,code,name' >"$T/g-cc.csv"
	echo 'tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag' >"$T/g-assets.csv"
	for i in $(seq 1 "$NGEN"); do
		c=$(printf 'G%03d' "$i")
		echo "$c,Generated $i,$i King St,Toronto,ON,M5V 1A1,CA,,$((i % 3 * 15 + 15))" >>"$T/g-customers.csv"
		echo "$c,S,Site $i,$i King St,Toronto,ON,M5V 1A1,CA" >>"$T/g-sites.csv"
		echo "$c,K,All" >>"$T/g-cc.csv"
		echo "GA$i,$c,S,K,PORT,$((i % 5 + 1)),,,,,2028-12-$(printf %02d $((i % 28 + 1))),"
	done >>"$T/g-assets.csv"
}

# setup: the catalog, customers, sites, cost centres and assets.
setup() {
	local k
	for k in products prices usage-prices fees tax-rates customers sites cost-centres assets; do
		imp 2029-01-01 "$k" "$F/$k.csv" || return 1
	done
	imp 2029-01-01 customers "$T/g-customers.csv" && imp 2029-01-01 sites "$T/g-sites.csv" &&
	    imp 2029-01-01 cost-centres "$T/g-cc.csv" && imp 2029-01-01 assets "$T/g-assets.csv"
}

# month_files M: import month M's files (orders, usage, payments,
# adjustments, those that exist) at the business date, the first day
# of the next month.  Returns non-zero when one fails.
month_files() {
	local p=$1 k f
	for k in orders usage payments adjustments; do
		f=$F/$k-$p.csv
		[ -f "$f" ] || continue
		if [ "$p" = 2029-10 ] && [ "$k" = payments ]; then
			# C4 pays its balance: the model's total due of its
			# September invoice.
			sed "s/C4DUE/$("$OMS_PYTHON" "$Y" due "$MAN" 2029-09 C4)/" "$f" >"$T/payments-$p.csv"
			f=$T/payments-$p.csv
		fi
		imp "$(next_day "$p")" "$k" "$f" || return 1
	done
}

# next_day PERIOD: the first day of the next month.
next_day() {
	local y=${1%-*} m=${1#*-}
	m=$((10#$m + 1))
	[ "$m" = 13 ] && { y=$((y + 1)); m=1; }
	printf '%04d-%02d-01' "$y" "$m"
}

OMS_NO_SEED=1
export OMS_NO_SEED
gen_files

# ========================================= the uninterrupted instance
oms_start
MAIN=$OMS_DIR
MAN=$T/main.manifest
: >"$MAN"
setup
tap_is "$?" 0 "the catalog, 4 customers and $NGEN generated ones import"
for m in $(seq 1 12); do
	P=$(printf '2029-%02d' "$m")
	D=$(next_day "$P")
	month_files "$P"
	tap_is "$?" 0 "$P: the month's orders, usage, payments and adjustments import"
	if [ "$P" = 2029-12 ]; then
		# An order back-dated 108 days (> backdate_days 92) into an
		# invoiced period is refused, and nothing of it is kept.
		ctl "$D" import orders "$F/orders-too-old.csv"
		tap_isnt "$RC" 0 "bad: an order completed 2029-09-15 imported on $D (108 days back) is refused"
		tap_like "$ERR$OUT" "92" "and the error names the 92-day limit"
	fi
	cpu_issue "$D" "$P"
	tap_is "$RC" 0 "$P issues on $D" || tap_diag "$ERR"
	CPU[$m]=$NS
	echo "issue $D $P" >>"$MAN"
	export_to "$P" "$T/main/$P"
	tap_is "$?" 0 "$P exports"
	# A second issue of the same data posts nothing.
	before=$(state_of "$P")/$(oms_sql "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM invoice_lines" | tr '|' '/')
	ctl "$D" bill issue --period "$P"
	tap_is "$RC" 0 "$P: a second issue succeeds"
	tap_like "$OUT" "issued already" "$P: and says it issued nothing"
	after=$(state_of "$P")/$(oms_sql "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM invoice_lines" | tr '|' '/')
	tap_is "$after" "$before" "$P: the second issue stored no invoice or line"
	export_to "$P" "$T/again"
	diff -r "$T/main/$P" "$T/again" >/dev/null
	tap_ok $? "$P: the second issue changed no document"
done

# Every month's invoices and reports against the model.
model_check "$T/main"

# A few of the model's values worked by hand, so that the model itself
# is checked (BILLING.md's round(n/d), half away from zero):
I=$T/main/2029-01/C1-2029-01-invoice.xml
# A3 from 01-10: 22 of 31 days; round(2500 * 22 / 31) = round(1774.19) = 1774
tap_is "$(grep -c '<amount>1774</amount>' "$I")" 1 "by hand: C1 2029-01, A3 from the 10th bills 1774"
# A1 usage 150 minutes, 200 included: a usage line of 0
# C1 January: A1 2500 + A2 4 x 800 = 3200 + A3 1774 + usage 0 = 7474;
# S1 (ON) base 5700, HST round(741) = 741; S2 (QC) base 1774: GST
# round(88.7) = 89, QST round(1774 * 0.09975 = 176.96) = 177;
# current 7474 + 741 + 89 + 177 = 8481
tap_like "$(tr -d ' \n' <"$I")" "<current_charges>8481</current_charges>" \
    "by hand: C1 2029-01 current charges 7474 + 741 + 89 + 177 = 8481"
I=$T/main/2029-05/C3-2029-05-invoice.xml
# C3 never pays: G1 3 ports x 800 = 2400 + HST 312 = 2712 a month, due
# 15 days after the invoice date.  On 05-31: January's (due 02-15) is
# 105 days past due (over 90), February's (due 03-15) 77 (61-90),
# March's (due 04-15) 46 (31-60), April's (due 05-15) 16 (1-30).
tap_like "$(tr -d ' \n' <"$I")" \
    "<not_due>0</not_due><days_1_30>2712</days_1_30><days_31_60>2712</days_31_60><days_61_90>2712</days_61_90><days_over_90>2712</days_over_90>" \
    "by hand: C3 2029-05 aging 2712 in each of 1-30, 31-60, 61-90 and over 90"
# total due 5 x 2712 = 13560
tap_like "$(tr -d ' \n' <"$I")" "<total_due>13560</total_due>" "by hand: C3 2029-05 total due 5 x 2712 = 13560"

# has: the lines and taxes of an invoice of the main instance, in one
# line (billing_year.py get), for the checks by hand below.
has() {
	"$OMS_PYTHON" "$Y" get "$T/main/$2/$1-$2-invoice.xml"
}
# has_all CUSTOMER PERIOD NAME ITEM...: every ITEM is among them.
has_all() {
	local got i ok=0
	got=" $(has "$1" "$2") "
	for i in "${@:4}"; do
		case $got in *" $i "*) ;; *) ok=1 ;; esac
	done
	tap_ok "$ok" "$3" || tap_diag "got:$got" "want: ${*:4}"
}
# July, LINE 25.00 -> 27.50 from 07-16: A1 two segments,
# 1..15: round(2500 * 15 / 31) = round(1209.68) = 1210;
# 16..31: round(2750 * 16 / 31) = round(1419.35) = 1419
has_all C1 2029-07 "by hand: C1 2029-07, a catalog price change on the 16th: A1 1210 + 1419" \
    recurring:A1=1210 recurring:A1=1419
# August, A3 disconnected 07-25 (imported in August): July now bills
# 1..15 1210 and 16..24 round(2750 * 9 / 31) = round(798.39) = 798;
# already invoiced 1210 + 1419: correction 798 - 1419 = -621, and the
# disconnect fee 12.00 (the LINE fee 8.00 starts 09-01) as a correction
tap_like "$(has C1 2029-08)" "recurring:A3:2029-07=-621" \
    "by hand: C1 2029-08, back-dated disconnect: A3 July corrected by -621"
tap_like "$(has C1 2029-08)" "one-time:O5/1:2029-07=1200" \
    "by hand: C1 2029-08, the back-dated disconnect's fee 1200 as a correction of July"
# B1's July usage: 450 minutes, 200 included, 250 x 0.04 = 1000; with
# the 400 imported late, 850: 650 billable, 500 x 0.04 + 150 x 0.03 =
# 20.00 + 4.50 = 2450; correction 2450 - 1000 = 1450
tap_like "$(has C2 2029-08)" "usage:B1:2029-07=1450" \
    "by hand: C2 2029-08, late usage of July: a usage correction of 1450"
tap_like "$(has C2 2029-08)" "adjustment:ADJ4:2029-07=-1000" \
    "by hand: C2 2029-08, a credit dated in July: an adjustment correction of -1000"
# September, D1 (LINE) disconnected 09-20: the LINE fee 8.00 in effect
# from 09-01 wins over the any-product 12.00
tap_like "$(has C4 2029-09)" "one-time:O6/1=800" \
    "by hand: C4 2029-09, the product-specific disconnect fee 800 wins"
# October: the usage price of 09-16 applies (in effect on 10-01): A1
# 350 minutes, 250 included: 100 x 0.038 = 380
tap_like "$(has C1 2029-10)" "usage:A1=380" \
    "by hand: C1 2029-10, the new usage price from October (380)"
# November, C3's G1 (3 ports) moved to T2 (QC) on 11-30:
# 1..29 at T1 round(2400 * 29 / 30) = 2320; 30 at T2 round(2400 / 30) =
# 80; move fee 1000 at T2.  HST 15 % (from 10-01) on 2320 = 348;
# QC on 1080: GST round(54.00) = 54, QST round(107.73) = 108
has_all C3 2029-11 "by hand: C3 2029-11, a move on the last day across jurisdictions, HST at 15 %" \
    recurring:G1=2320 recurring:G1=80 one-time:O7/1=1000 CA-ON/HST=348 CA-QC/GST=54 CA-QC/QST=108

# ============================= the same year, killed at random points
oms_start
KILL=$OMS_DIR
MAN=$T/kill.manifest
: >"$MAN"
setup
tap_is "$?" 0 "the second instance imports the same data"
kills=0 midrun=0
for m in $(seq 1 12); do
	P=$(printf '2029-%02d' "$m")
	D=$(next_day "$P")
	month_files "$P" || tap_diag "$P: an import failed"
	[ "$P" = 2029-12 ] && ctl "$D" import orders "$F/orders-too-old.csv"
	# two kills in each of the months 2029-02 .. 2029-11, each when
	# the run has used a random part of the CPU time of the
	# uninterrupted run of the month (a re-run, with less to do, of
	# half of it); a run that ends first is killed as it exits
	nk=0
	[ "$m" -ge 2 ] && [ "$m" -le 11 ] && nk=2
	for k in $(seq 1 "$nk"); do
		want=$(( (RANDOM * 32768 + RANDOM) % (CPU[$m] / k + 1) ))
		"$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" --today "$D" bill issue --period "$P" \
		    >/dev/null 2>&1 &
		kpid=$!
		oms_track "$kpid"
		deadline=$((SECONDS + 120))
		ns=0
		while read -r ns _ <"/proc/$kpid/schedstat" && [ "$ns" -lt "$want" ] &&
		    [ "$SECONDS" -lt "$deadline" ]; do
			:
		done 2>/dev/null
		kill -9 "$kpid" 2>/dev/null
		wait "$kpid" 2>/dev/null
		ws=$?
		[ "$ws" = 137 ] && midrun=$((midrun + 1))
		kills=$((kills + 1))
		tap_diag "$P kill $k: at ${ns} ns of CPU (aimed at $want of ${CPU[$m]}), status $ws"
		# consistent: no period row, or 'issuing'/'issued'; numbers
		# 1..count without gaps
		st=$(state_of "$P")
		case $st in
		/*|issuing/*|issued/*) ok=0 ;;
		*) ok=1 ;;
		esac
		IFS=/ read -r s cnt lo hi <<<"$st"
		[ "$cnt" = "$hi" ] && { [ "$cnt" = 0 ] || [ "$lo" = 1 ]; } || ok=1
		tap_ok "$ok" "$P kill $k: the killed run left a consistent state ($st)"
	done
	ctl "$D" bill issue --period "$P"
	tap_is "$RC" 0 "$P: the run completes$([ "$nk" = 0 ] || echo " after $nk kills")" || tap_diag "$ERR"
	echo "issue $D $P" >>"$MAN"
done
tap_is "$kills" 20 "the runs were killed at 20 points"
tap_num_ge "$midrun" 10 "at least 10 of them while the run was still working ($midrun)"
for m in $(seq 1 12); do
	P=$(printf '2029-%02d' "$m")
	export_to "$P" "$T/kill/$P"
done
"$OMS_PYTHON" "$Y" same "$T/kill" "$T/main" >"$T/diff" 2>&1
tap_ok $? "after 20 kills and re-runs, all 12 months' documents are the uninterrupted run's (database ids aside: $(head -n 1 "$T/diff"))" ||
    tap_diag "$(head -n 20 "$T/diff")"
tap_is "$(state_of 2029-12)" "issued/$(oms_use "$MAIN"; state_of 2029-12 | cut -d/ -f2-)" \
    "the same invoice count and numbers as the uninterrupted run"
docs=$(find "$T/main" -name 'C*.xml' -o -name 'G001-*.xml')
xmllint --noout --schema "$OMS_SRCDIR/docs/invoice.xsd" $docs >"$T/xsd" 2>&1
tap_ok $? "exported documents are valid against docs/invoice.xsd" ||
    tap_diag "$(grep -v validates "$T/xsd" | head -n 5)"
oms_stop "$KILL"
oms_stop "$MAIN"
tap_done
