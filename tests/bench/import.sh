#!/bin/bash
# tests/bench/import.sh: the bulk import benchmark.  Prints figures;
# asserts nothing about time (these machines are shared and noisy).
#
# For each backend (SQLite, then MariaDB on a throw-away server of its
# own when mariadbd is installed), in one run:
#   1. generates (tests/bench/import_gen.py, deterministic) CSV files of
#      5,000 customers, 50,000 sites, 2 cost centres a customer and
#      1,000,000 assets (every 100th customer with all its 200 assets on
#      one site, the size of the page benchmark's sites);
#   2. on a fresh instance (the smallest demo seed, for the admin login),
#      imports products, customers, sites, cost-centres, then assets
#      with omsctl import, each under /usr/bin/time -v: seconds and peak
#      RSS;
#   3. the baseline, in the same run on the same database: the same
#      asset rows loaded by the database's own bulk path into a scratch
#      table shaped like the CSV (sqlite3 .import in one transaction;
#      LOAD DATA LOCAL INFILE on MariaDB), and the ratio import/baseline;
#   4. the site asset page of a 200-asset site of that database, as HTML
#      and XML, with wrk (median of three runs), beside the same pages
#      on the page benchmark's own seed (tests/bench/run.sh: 10
#      customers x 100 sites x 200 assets).
#
#   tests/bench/import.sh [--quick]   --quick: 100 customers, 1,000
#                                     sites, 20,000 assets; 3 s runs
#
# Environment: OMS_BUILDDIR (default ./build), BENCH_CONNECTIONS (32),
# BENCH_SECONDS (10).  Needs python3, wrk, curl, nginx and /usr/bin/time
# (Debian package time, in tests/deps.sh's list).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
OMS_BUILDDIR=${OMS_BUILDDIR:-$OMS_SRCDIR/build}
export OMS_SRCDIR OMS_BUILDDIR
. "$OMS_SRCDIR/tests/lib.sh"
. "$OMS_SRCDIR/tests/mariadb-server.sh"

conns=${BENCH_CONNECTIONS:-32}
secs=${BENCH_SECONDS:-10}
ncust=5000 nsites=10 nassets=200
if [ "${1:-}" = --quick ]; then
	ncust=100
	secs=3
fi
for t in wrk curl nginx python3 /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done

oms_tmpdir
GEN=$OMS_TMP/csv
t0=$(date +%s.%N)
python3 "$OMS_SRCDIR/tests/bench/import_gen.py" "$GEN" "$ncust" "$nsites" "$nassets" ||
    { echo "bench: the generator failed" >&2; exit 1; }
t1=$(date +%s.%N)
rows=$(($(wc -l <"$GEN/assets.csv") - 1))

declare -A RPS

# timed NAME CMD...: run CMD under /usr/bin/time -v; prints its seconds
# and peak RSS, and sets SECS.
timed() {
	local name=$1 tf=$OMS_TMP/time.out rc
	shift
	/usr/bin/time -v -o "$tf" "$@" >"$OMS_TMP/cmd.out" 2>"$OMS_TMP/cmd.err"
	rc=$?
	SECS=$(awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		print s }' "$tf")
	printf '%-34s %9.2f s (cpu %6.2f s)   peak RSS %8s KiB   %s\n' "$name" "$SECS" \
	    "$(awk -F': ' '/(User|System) time/ {t += $2} END {print t}' "$tf")" \
	    "$(awk -F': ' '/Maximum resident/ {print $2}' "$tf")" \
	    "$( [ $rc = 0 ] || echo "FAILED: $(head -c 300 "$OMS_TMP/cmd.err")")"
}

# run NAME URL [WRK-ARG...]: three wrk runs; prints the median's figures
# (as tests/bench/run.sh does) and sets RPS.
run() {
	local name=$1 url=$2 i out r p50 p99 bad lines=()
	shift 2
	for i in 1 2 3; do
		out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" "$url" 2>&1)
		r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
		p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
		p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
		bad=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
		lines+=("$r $p50 $p99 $bad")
	done
	read -r r p50 p99 bad < <(printf '%s\n' "${lines[@]}" | sort -n | sed -n 2p)
	RPS[$BACKEND $name]=$r
	printf '%-34s %9s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$r" "$p50" "$p99" "${bad:-}"
}

# pages LABEL SITE: the site asset page of SITE as HTML and XML.
pages() {
	local page="$OMS_URL/sites/$2/assets" cookie u s
	cookie=$(oms_session_cookie)
	for u in "$page" "$page?format=xml"; do
		s=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$u")
		[ "$s" = 200 ] || { echo "bench: $u answers $s, not 200" >&2; return 1; }
	done
	for i in $(seq 50); do curl -s -o /dev/null -H "Cookie: $cookie" "$page"; done
	run "$1 assets html" "$page" -H "Cookie: $cookie"
	run "$1 assets xml" "$page?format=xml" -H "Cookie: $cookie"
}

# baseline: the asset rows by the database's own bulk path, into a
# scratch table shaped like the CSV (dropped afterwards).
baseline() {
	local cols="tag, customer, site, cost_centre, product, ports,
	    phone_number, extension, mailbox, serial, installed_on, parent_tag"
	local ddl="CREATE TABLE bench_assets_csv (tag VARCHAR(40), customer VARCHAR(32),
	    site VARCHAR(32), cost_centre VARCHAR(32), product VARCHAR(32), ports VARCHAR(12),
	    phone_number VARCHAR(32), extension VARCHAR(16), mailbox VARCHAR(16),
	    serial VARCHAR(64), installed_on VARCHAR(10), parent_tag VARCHAR(40))"
	[ "$BACKEND" = mariadb ] && ddl="$ddl CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	if [ "$BACKEND" = sqlite ]; then
		sqlite3 "$OMS_DB" "$ddl" || return 1
		printf '.mode csv\n.import --skip 1 %s bench_assets_csv\n' "$GEN/assets.csv" >"$OMS_TMP/load.sql"
		timed "baseline: sqlite3 .import" sqlite3 -bail "$OMS_DB" ".read $OMS_TMP/load.sql"
		n=$(sqlite3 "$OMS_DB" "SELECT COUNT(*) FROM bench_assets_csv")
	else
		oms_mariadb_admin "SET GLOBAL local_infile = 1; USE \`$OMS_DB\`; $ddl" || return 1
		timed "baseline: LOAD DATA LOCAL INFILE" mariadb --no-defaults --local-infile=1 \
		    -S "$OMS_MARIADB_SOCKET" -uroot "$OMS_DB" -e "LOAD DATA LOCAL INFILE
		    '$GEN/assets.csv' INTO TABLE bench_assets_csv CHARACTER SET utf8mb4
		    FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'
		    LINES TERMINATED BY '\n' IGNORE 1 LINES ($cols)"
		n=$(oms_mariadb_admin "SELECT COUNT(*) FROM \`$OMS_DB\`.bench_assets_csv")
	fi
	BASE_SECS=$SECS
	[ "$n" = "$rows" ] || echo "bench: the baseline loaded $n rows, not $rows" >&2
}

# floor: what the database itself takes to write the loaded rows into
# the schema (assets and their first states, every index and foreign
# key), codes resolved by joins, in one transaction that is rolled
# back (the tags get a prefix, the imported ones being taken): the
# least any import into this schema can cost on top of reading the
# file.  Drops the scratch table.
floor() {
	local ins sel top
	top=$(oms_sql "SELECT MAX(id) FROM assets")
	sel="SELECT s.id, k.id, p.id, 'active', CAST(b.ports AS INTEGER),
	    NULLIF(b.phone_number, ''), NULLIF(b.extension, ''), NULLIF(b.mailbox, ''),
	    NULLIF(b.serial, ''), b.installed_on, CONCAT('F', b.tag)
	    FROM bench_assets_csv b JOIN customers c ON c.code = b.customer
	    JOIN sites s ON s.customer_id = c.id AND s.code = b.site
	    JOIN cost_centres k ON k.customer_id = c.id AND k.code = b.cost_centre
	    JOIN products p ON p.code = b.product"
	ins="INSERT INTO assets (site_id, cost_centre_id, product_id, status, ports,
	    phone_number, extension, mailbox, serial, installed_on, tag) $sel;
	    INSERT INTO asset_states (asset_id, seq, valid_from, site_id, cost_centre_id,
	    product_id, ports, status, phone_number, extension, mailbox, serial)
	    SELECT id, 1, installed_on, site_id, cost_centre_id, product_id, ports, status,
	    phone_number, extension, mailbox, serial FROM assets WHERE id > $top;"
	if [ "$BACKEND" = sqlite ]; then
		# sqlite3 has no CONCAT before 3.44: || is the same.
		ins=${ins//CONCAT(\'F\', b.tag)/\'F\' || b.tag}
		SECS=$(printf 'PRAGMA foreign_keys = ON;\n.timer on\nBEGIN; %s\n.timer off\nROLLBACK;\n' \
		    "$ins" | sqlite3 -bail "$OMS_DB" 2>&1 | awk '/^Run Time:/ {t += $4} END {print t + 0}')
		sqlite3 "$OMS_DB" "DROP TABLE bench_assets_csv"
	else
		SECS=$(mariadb --no-defaults -S "$OMS_MARIADB_SOCKET" -uroot -N -B "$OMS_DB" -e "
		    BEGIN; SELECT UNIX_TIMESTAMP(NOW(6)); $ins SELECT UNIX_TIMESTAMP(NOW(6));
		    ROLLBACK; DROP TABLE bench_assets_csv" | awk 'NR == 1 {a = $1} NR == 2 {print $1 - a}')
	fi
	printf '%-34s %9.2f s\n' "floor: INSERT ... SELECT" "$SECS"
}

# quiesce: let the database finish the import's background work before
# pages are timed (a fixed sleep would be a guess).  SQLite: fold the
# WAL into the database.  MariaDB: flush every dirty page of the buffer
# pool and purge the undo history, waited on with a 10-minute deadline.
quiesce() {
	local i=0 dirty pct
	if [ "$BACKEND" = sqlite ]; then
		sqlite3 "$OMS_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
		return
	fi
	pct=$(oms_mariadb_admin "SELECT @@innodb_max_dirty_pages_pct")
	oms_mariadb_admin "SET GLOBAL innodb_max_dirty_pages_pct = 0"
	while :; do
		dirty=$(oms_mariadb_admin "SELECT SUM(VARIABLE_VALUE) FROM
		    information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN
		    ('INNODB_BUFFER_POOL_PAGES_DIRTY', 'INNODB_HISTORY_LIST_LENGTH')")
		[ "$dirty" = 0 ] && break
		i=$((i + 1))
		[ $i -gt 1200 ] && { echo "bench: $dirty dirty pages after 10 minutes" >&2; break; }
		sleep 0.5
	done
	oms_mariadb_admin "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
}

# bench_backend: import, baseline and pages on OMS_BACKEND.
bench_backend() {
	BACKEND=$OMS_BACKEND
	echo "-- backend: $BACKEND"
	OMS_SEED_ARGS="--customers 1 --sites 1 --assets 1 --seed 7"
	OMS_WORKERS=${OMS_WORKERS:-0}
	oms_start >/dev/null
	local k imp_secs
	for k in products customers sites cost-centres assets; do
		timed "omsctl import $k" "$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" import "$k" "$GEN/$k.csv"
		tail -n 1 "$OMS_TMP/cmd.out" | sed 's/^/    /'
	done
	imp_secs=$SECS
	baseline
	floor
	printf 'ratio import / baseline (assets, %d rows): %.1fx\n' "$rows" \
	    "$(awk -v a="$imp_secs" -v b="$BASE_SECS" 'BEGIN {print (b > 0 ? a / b : 0)}')"
	printf 'ratio (baseline + floor) / baseline: %.1fx   import / (baseline + floor): %.2fx\n' \
	    "$(awk -v f="$SECS" -v b="$BASE_SECS" 'BEGIN {print (b > 0 ? (b + f) / b : 0)}')" \
	    "$(awk -v a="$imp_secs" -v f="$SECS" -v b="$BASE_SECS" 'BEGIN {print (b + f > 0 ? a / (b + f) : 0)}')"
	quiesce
	printf 'database: %s sites, %s assets, %s asset states\n' \
	    "$(oms_sql "SELECT COUNT(*) FROM sites")" "$(oms_sql "SELECT COUNT(*) FROM assets")" \
	    "$(oms_sql "SELECT COUNT(*) FROM asset_states")"
	site=$(oms_sql "SELECT s.id FROM sites s JOIN customers c ON c.id = s.customer_id WHERE c.code = 'BC00001' AND s.code = 'S001'")
	pages "imported" "$site"
	oms_stop
	OMS_SEED_ARGS="--customers 10 --sites 100 --assets 200 --seed 7"
	oms_start >/dev/null
	site=$(oms_sql "SELECT site_id FROM assets GROUP BY site_id HAVING COUNT(*) = 200 ORDER BY site_id LIMIT 1")
	quiesce
	pages "run.sh seed" "$site"
	oms_stop
}

echo "== OMS import benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $conns connections, ${secs}s runs"
printf 'generated %d customers, %d sites, %d assets in %.1f s\n' "$ncust" \
    "$((ncust * nsites))" "$rows" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')"
OMS_BACKEND=sqlite bench_backend
if command -v mariadbd >/dev/null 2>&1; then
	mdb=$OMS_TMP/m
	if oms_mariadb_start "$mdb"; then
		OMS_BACKEND=mariadb bench_backend
		oms_mariadb_stop "$mdb"
	fi
fi
