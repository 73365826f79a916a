#!/bin/bash
# tests/bench/billing.sh: the billing benchmark (issue 9).  Prints
# figures; asserts nothing about time (these machines are shared and
# noisy).
#
# For each backend (SQLite, then MariaDB on a throw-away server of its
# own when mariadbd is installed), in one run, for two data sets (the
# big one, and a small one to show whether peak RSS grows with the
# number of assets):
#   1. generates (tests/bench/import_gen.py, then billing_gen.py for
#      the catalog and the orders; deterministic) customers, 10 sites
#      and 2 cost centres a customer, 200 assets a customer, catalog
#      prices, usage prices, fees, a tax rate, and completed orders
#      (moves and changes) for 5 % of the assets, dated in the period;
#   2. on a fresh instance (the smallest demo seed) imports them with
#      omsctl import at the business date (--today) of the first day
#      after the period, then loads one usage record for every line
#      asset with SQL (see usage());
#   3. times, each under /usr/bin/time -v (seconds and peak RSS):
#      omsctl bill preview, omsctl bill issue and omsctl bill export of
#      the period (invoices per second);
#   4. the baseline, in the same run on the same database: the period's
#      flat charges by one INSERT ... SELECT with the proration formula
#      in SQL into a scratch table shaped like invoice_lines (see
#      baseline()), and the ratio issue/baseline (the issue's target:
#      within 3x).
#
#   tests/bench/billing.sh [--quick]   big set: 5,000 customers, 50,000
#                                      sites, 1,000,000 assets; small
#                                      set: 100 customers, 20,000 assets
#                                      --quick: 100 and 10 customers
#
# Environment: OMS_BUILDDIR (default ./build), BENCH_PERIOD (2025-01),
# BENCH_BACKENDS ("sqlite mariadb"), BENCH_ORDER_EVERY (20: an order for
# every 20th asset, 5 %, in both sets; a larger number gives fewer
# orders, for when the orders import is too slow to wait for on the big
# set).  Needs python3, sqlite3, nginx and /usr/bin/time (Debian
# package time, in tests/deps.sh's list); the mariadb client and
# mariadbd for the MariaDB pass.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
OMS_BUILDDIR=${OMS_BUILDDIR:-$OMS_SRCDIR/build}
export OMS_SRCDIR OMS_BUILDDIR
. "$OMS_SRCDIR/tests/lib.sh"
. "$OMS_SRCDIR/tests/mariadb-server.sh"

period=${BENCH_PERIOD:-2025-01}
backends=${BENCH_BACKENDS:-sqlite mariadb}
nsites=10 nassets=200
big=5000 small=100
if [ "${1:-}" = --quick ]; then
	big=100 small=10
fi
for t in python3 sqlite3 nginx /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done
# The period's first day, the next period's first day (the business
# date: the period has ended), and its number of days.
pfirst=$period-01
pnext=$(date -u -d "$pfirst + 1 month" +%Y-%m-%d)
pdays=$(( ($(date -u -d "$pnext" +%s) - $(date -u -d "$pfirst" +%s)) / 86400 ))

oms_tmpdir

# gen NCUST: the CSV files of NCUST customers into $OMS_TMP/csvNCUST.
gen() {
	local d=$OMS_TMP/csv$1 t0 t1
	t0=$(date +%s.%N)
	if ! python3 "$OMS_SRCDIR/tests/bench/import_gen.py" "$d" "$1" "$nsites" "$nassets" ||
	    ! python3 "$OMS_SRCDIR/tests/bench/billing_gen.py" "$d" "$1" "$nsites" "$nassets" \
	    "$period" "${BENCH_ORDER_EVERY:-20}"; then
		echo "bench: the generator failed" >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	printf 'generated %d customers, %d sites, %d assets, %d orders in %.1f s\n' "$1" \
	    "$(($1 * nsites))" "$(($(wc -l <"$d/assets.csv") - 1))" \
	    "$(($(wc -l <"$d/orders.csv") - 1))" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"
}

declare -A RSS ISSUE_SECS

# timed NAME CMD...: run CMD under /usr/bin/time -v; prints its seconds
# and peak RSS, and sets SECS and KIB.
timed() {
	local name=$1 tf=$OMS_TMP/time.out rc
	shift
	/usr/bin/time -v -o "$tf" "$@" >"$OMS_TMP/cmd.out" 2>"$OMS_TMP/cmd.err"
	rc=$?
	SECS=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		print s }' "$tf")
	KIB=$(awk -F': ' '/Maximum resident/ {print $2}' "$tf")
	printf '%-34s %9.2f s (cpu %6.2f s)   peak RSS %8s KiB   %s\n' "$name" "$SECS" \
	    "$(awk -F': ' '/(User|System) time/ {t += $2} END {print t}' "$tf")" "$KIB" \
	    "$( [ $rc = 0 ] || echo "FAILED: $(head -c 300 "$OMS_TMP/cmd.err")")"
	return $rc
}

# sqlw SQL: run SQL with write access on the current database (the
# bench's own data load and baseline, as an administrator would).
sqlw() {
	if [ "$BACKEND" = sqlite ]; then
		sqlite3 -bail -batch -noheader -cmd '.timeout 10000' "$OMS_DB" "$1"
	else
		mariadb --no-defaults -S "$OMS_MARIADB_SOCKET" -uroot -N -B -D "$OMS_DB" -e "$1"
	fi
}

# usage: one usage record for every line asset, dated the 15th of the
# period, with the customer_id of its site.  The usage CSV import
# (omsctl import usage) is not on this branch yet: this is the bench's
# own data load, by SQL, not a measure of anything.  Quantities 0 to
# 1,999 minutes: some under the included 100, some in the second tier.
usage() {
	local rid="'U' || a.tag"
	[ "$BACKEND" = mariadb ] && rid="CONCAT('U', a.tag)"
	sqlw "INSERT INTO usage_records (record_id, asset_id, customer_id, used_on, quantity)
	    SELECT $rid, a.id, s.customer_id, '$period-15', a.id % 2000
	    FROM assets a JOIN sites s ON s.id = a.site_id
	    JOIN products p ON p.id = a.product_id
	    WHERE p.asset_type = 'line' AND a.tag LIKE 'B%'" ||
	    echo "bench: the usage load failed" >&2
}

# baseline: the period's flat charges by the database alone, one
# INSERT ... SELECT into a scratch table shaped like invoice_lines
# (asset, site, cost centre, product, days, amount): for every asset
# state that meets the period while the asset is in service (assets
# installed_on/removed_on), its days in the period times the catalog's
# monthly price in effect at its start (product_prices) over the days
# of the month, rounded half up in integers.  No segments merged, no
# contract prices, usage, fees, taxes or documents: the least a run
# that writes the same lines can cost.  Sets BASE_SECS; drops the
# table afterwards.
baseline() {
	local days price from to ddl ins
	ddl="CREATE TABLE bench_lines (asset_id INTEGER, site_id INTEGER,
	    cost_centre_id INTEGER, product_id INTEGER, days INTEGER,
	    amount_cents INTEGER)"
	if [ "$BACKEND" = sqlite ]; then
		from="MAX(st.valid_from, a.installed_on, '$pfirst')"
		to="MIN(COALESCE(st.valid_to, '$pnext'), COALESCE(a.removed_on, '$pnext'), '$pnext')"
		days="CAST(julianday($to) - julianday($from) AS INTEGER)"
	else
		from="GREATEST(st.valid_from, a.installed_on, '$pfirst')"
		to="LEAST(COALESCE(st.valid_to, '$pnext'), COALESCE(a.removed_on, '$pnext'), '$pnext')"
		days="DATEDIFF($to, $from)"
	fi
	price="(SELECT pp.monthly_cents FROM product_prices pp
	    WHERE pp.product_id = st.product_id AND pp.valid_from <= $from
	    ORDER BY pp.valid_from DESC LIMIT 1)"
	ins="INSERT INTO bench_lines SELECT asset_id, site_id, cost_centre_id, product_id,
	    days, (2 * monthly * days + $pdays) DIV (2 * $pdays) FROM (
	    SELECT st.asset_id, st.site_id, st.cost_centre_id, st.product_id,
	    $days AS days, $price AS monthly
	    FROM asset_states st JOIN assets a ON a.id = st.asset_id
	    WHERE st.valid_from < '$pnext' AND (st.valid_to IS NULL OR st.valid_to > '$pfirst')
	    AND a.installed_on < '$pnext' AND (a.removed_on IS NULL OR a.removed_on > '$pfirst')
	    ) x WHERE days > 0 AND monthly IS NOT NULL"
	sqlw "$ddl" || return 1
	if [ "$BACKEND" = sqlite ]; then
		# SQLite's integer division is /, on integers.
		ins=${ins// DIV / \/ }
		timed "baseline: INSERT ... SELECT" sqlite3 -bail "$OMS_DB" "BEGIN; $ins; COMMIT"
	else
		timed "baseline: INSERT ... SELECT" mariadb --no-defaults -S "$OMS_MARIADB_SOCKET" \
		    -uroot "$OMS_DB" -e "BEGIN; $ins; COMMIT"
	fi
	BASE_SECS=$SECS
	local bn bc rn rc
	read -r bn bc < <(sqlw "SELECT COUNT(*), SUM(amount_cents) FROM bench_lines" | tr '|\t' '  ')
	read -r rn rc < <(sqlw "SELECT COUNT(*), SUM(amount_cents) FROM invoice_lines
	    WHERE kind = 'recurring' AND billed_period = '$period'" | tr '|\t' '  ')
	printf '    %s lines, %s cents (issued recurring lines: %s, %s cents)\n' \
	    "$bn" "$bc" "$rn" "$rc"
	sqlw "DROP TABLE bench_lines"
}

# bench_set NCUST: a fresh instance with the data set of NCUST
# customers on OMS_BACKEND; imports, usage, preview, issue, baseline,
# export.  Sets RSS and ISSUE_SECS of "BACKEND NCUST".
bench_set() {
	local d=$OMS_TMP/csv$1 k n out=$OMS_TMP/docs$1 ctl
	BACKEND=$OMS_BACKEND
	echo "-- backend: $BACKEND, $1 customers, $(($(wc -l <"$d/assets.csv") - 1)) assets, period $period"
	OMS_SEED_ARGS="--customers 1 --sites 1 --assets 1 --seed 7"
	OMS_WORKERS=${OMS_WORKERS:-0}
	oms_start >/dev/null || { echo "bench: the instance did not start" >&2; return 1; }
	ctl=("$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" --today "$pnext")
	for k in products customers sites cost-centres prices usage-prices fees tax-rates assets orders; do
		timed "omsctl import $k" "${ctl[@]}" import "$k" "$d/$k.csv" ||
		    { tail -n 5 "$OMS_TMP/cmd.out" "$OMS_TMP/cmd.err"; oms_stop; return 1; }
		tail -n 1 "$OMS_TMP/cmd.out" | sed 's/^/    /'
	done
	usage
	printf 'database: %s sites, %s assets, %s asset states, %s usage records\n' \
	    "$(oms_sql "SELECT COUNT(*) FROM sites")" "$(oms_sql "SELECT COUNT(*) FROM assets")" \
	    "$(oms_sql "SELECT COUNT(*) FROM asset_states")" "$(oms_sql "SELECT COUNT(*) FROM usage_records")"
	timed "omsctl bill preview" "${ctl[@]}" bill preview --period "$period"
	grep "^period" "$OMS_TMP/cmd.out" | sed 's/^/    /'
	printf '    %s warnings\n' "$(grep -c '^warning' "$OMS_TMP/cmd.out")"
	timed "omsctl bill issue" "${ctl[@]}" bill issue --period "$period"
	tail -n 1 "$OMS_TMP/cmd.out" | sed 's/^/    /'
	RSS[$BACKEND $1]=$KIB
	ISSUE_SECS[$BACKEND $1]=$SECS
	printf '    %s invoice lines\n' "$(oms_sql "SELECT COUNT(*) FROM invoice_lines")"
	baseline
	printf 'ratio issue / baseline: %.1fx (target: within 3x)\n' \
	    "$(awk -v a="${ISSUE_SECS[$BACKEND $1]}" -v b="$BASE_SECS" 'BEGIN {print (b > 0 ? a / b : 0)}')"
	timed "omsctl bill export" "${ctl[@]}" bill export --period "$period" --out "$out"
	n=$(oms_sql "SELECT COUNT(*) FROM invoices WHERE period = '$period'")
	printf '    %s invoices: %.0f invoices/s (XML invoice and report each)\n' "$n" \
	    "$(awk -v n="$n" -v s="$SECS" 'BEGIN {print (s > 0 ? n / s : 0)}')"
	rm -rf "$out"
	oms_stop
}

# bench_backend: both data sets on OMS_BACKEND, then peak RSS of issue
# side by side.
bench_backend() {
	bench_set "$small"
	bench_set "$big"
	printf 'peak RSS of issue, %d vs %d assets: %s KiB vs %s KiB (%.2fx for %dx the assets)\n' \
	    "$((small * nassets))" "$((big * nassets))" "${RSS[$OMS_BACKEND $small]:-?}" \
	    "${RSS[$OMS_BACKEND $big]:-?}" \
	    "$(awk -v a="${RSS[$OMS_BACKEND $small]:-0}" -v b="${RSS[$OMS_BACKEND $big]:-0}" \
	        'BEGIN {print (a > 0 ? b / a : 0)}')" "$((big / small))"
}

echo "== OMS billing benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, period $period ($pdays days), business date $pnext"
gen "$small"
gen "$big"
for b in $backends; do
	case $b in
	sqlite)
		OMS_BACKEND=sqlite bench_backend ;;
	mariadb)
		command -v mariadbd >/dev/null 2>&1 || { echo "-- mariadb: mariadbd is not installed"; continue; }
		mdb=$OMS_TMP/m
		if oms_mariadb_start "$mdb"; then
			OMS_BACKEND=mariadb bench_backend
			oms_mariadb_stop "$mdb"
		fi ;;
	esac
done
