#!/bin/bash
# tests/bench/documents.sh: the invoice documents benchmark (issue 9):
# HTML invoices served a second, rendered live beside served from the
# documents stored at issue, and PDFs rendered a second in one process
# as the billing job does.  Prints figures; asserts nothing about time
# (these machines are shared and noisy).
#
# For each backend (SQLite, then MariaDB on a throw-away server of its
# own when mariadbd is installed and BENCH_BACKENDS allows): seeds
# BENCH_CUSTOMERS customers (20) with 10 sites of 28 assets (280 assets,
# the 282 lines an invoice of the billing benchmark's 1,000,000 assets
# at 5,000 customers), issues 2026-01, then with wrk (32 connections,
# median of three runs): the invoice page and its printable page
# rendered live (the baseline), `omsctl bill documents` without PDFs
# (pages stored a second), the same pages served from the stored
# documents; then the PDFs of every invoice and report through
# oms-render-pdf, one Chromium for each batch of eight invoices:
# documents a second, wall and CPU seconds.
#
# Environment: OMS_BUILDDIR (default ./build), BENCH_BACKENDS ("sqlite
# mariadb"), BENCH_CUSTOMERS (20), BENCH_CONNECTIONS (32), BENCH_SECONDS
# (10).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
OMS_BUILDDIR=${OMS_BUILDDIR:-$OMS_SRCDIR/build}
export OMS_SRCDIR OMS_BUILDDIR
. "$OMS_SRCDIR/tests/lib.sh"
. "$OMS_SRCDIR/tests/mariadb-server.sh"

conns=${BENCH_CONNECTIONS:-32}
secs=${BENCH_SECONDS:-10}
ncust=${BENCH_CUSTOMERS:-20}
for t in wrk curl nginx chromium /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench: $t is missing" >&2; exit 1; }
done
declare -A RPS

# run NAME URL [WRK-ARG...]: three wrk runs; prints the median's figures
# and sets RPS.
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
	printf '%-26s %10s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$r" "$p50" "$p99" "${bad:-}"
}

# timed NAME CMD...: run CMD under /usr/bin/time; prints wall and CPU
# seconds and peak RSS, sets WALL and CPU.
timed() {
	local name=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$OMS_DIR/time.out" "$@" >"$OMS_DIR/timed.out" 2>&1 ||
	    { echo "bench: $name failed: $(tail -n 3 "$OMS_DIR/timed.out")" >&2; return 1; }
	read -r WALL u s rss <"$OMS_DIR/time.out"
	CPU=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')
	printf '%-26s %8.2f s wall  %8s s CPU  peak RSS %s KiB   (%s)\n' "$name" "$WALL" "$CPU" "$rss" \
	    "$(tail -n 1 "$OMS_DIR/timed.out")"
}

bench_backend() {
	BACKEND=$OMS_BACKEND
	echo "-- backend: $BACKEND"
	OMS_SEED_ARGS="--customers $ncust --sites 10 --assets 28 --seed 7"
	OMS_WORKERS=${OMS_WORKERS:-0}
	oms_start >/dev/null
	out=$(oms_ctl --today 2026-02-01 bill issue --period 2026-01 2>&1) ||
	    { echo "bench: issue failed: $out" >&2; oms_stop; return 1; }
	ninv=$(oms_sql "SELECT COUNT(*) FROM invoices")
	# The invoice with the median number of lines.
	inv=$(oms_sql "SELECT invoice_id FROM invoice_lines GROUP BY invoice_id ORDER BY COUNT(*), invoice_id" |
	    sed -n "$(((ninv + 1) / 2))p")
	lines=$(oms_sql "SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = $inv")
	echo "database: $ninv invoices of 2026-01; measured on invoice id $inv, $lines lines"
	cookie=$(oms_session_cookie)
	page="$OMS_URL/invoices/$inv"
	for u in "$page" "$page/print"; do
		s=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$u")
		[ "$s" = 200 ] || { echo "bench: $u answers $s" >&2; oms_stop; return 1; }
	done
	run "invoice html, live" "$page" -H "Cookie: $cookie"
	run "invoice print, live" "$page/print" -H "Cookie: $cookie"
	timed "store pages ($ninv inv.)" "$OMS_BUILDDIR/omsctl" -f "$OMS_CONF" bill documents || { oms_stop; return 1; }
	printf '%-26s %10.1f invoices/s (4 documents each)\n' "pages stored" \
	    "$(awk -v n="$ninv" -v w="$WALL" 'BEGIN {print n / w}')"
	run "invoice html, stored" "$page" -H "Cookie: $cookie"
	run "invoice print, stored" "$page/print" -H "Cookie: $cookie"
	printf 'ratio stored / live, html:  %.1fx\n' \
	    "$(awk -v a="${RPS[$BACKEND invoice html, stored]}" -v b="${RPS[$BACKEND invoice html, live]}" 'BEGIN {print a / b}')"
	printf 'ratio stored / live, print: %.1fx\n' \
	    "$(awk -v a="${RPS[$BACKEND invoice print, stored]}" -v b="${RPS[$BACKEND invoice print, live]}" 'BEGIN {print a / b}')"
	cp "$OMS_CONF" "$OMS_DIR/pdf.conf"
	printf '\n[billing]\npdf_renderer = %s\n' "$OMS_BUILDDIR/oms-render-pdf" >>"$OMS_DIR/pdf.conf"
	timed "PDFs ($((2 * ninv)) documents)" "$OMS_BUILDDIR/omsctl" -f "$OMS_DIR/pdf.conf" bill documents ||
	    { oms_stop; return 1; }
	printf '%-26s %10.2f documents/s wall, %.2f documents/CPU s (omsctl and Chromium)\n' "PDFs" \
	    "$(awk -v n="$((2 * ninv))" -v w="$WALL" 'BEGIN {print n / w}')" \
	    "$(awk -v n="$((2 * ninv))" -v c="$CPU" 'BEGIN {print n / c}')"
	echo "PDF bytes: $(oms_sql "SELECT SUM(LENGTH(body)) FROM invoice_documents WHERE kind IN ('invoice.pdf', 'report.pdf')")," \
	    "pages and printables: $(oms_sql "SELECT SUM(LENGTH(body)) FROM invoice_documents WHERE kind NOT IN ('invoice.pdf', 'report.pdf')")"
	oms_stop
}

echo "== OMS documents benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $conns connections, ${secs}s runs"
backends=${BENCH_BACKENDS:-sqlite mariadb}
if [[ " $backends " == *" sqlite "* ]]; then
	OMS_BACKEND=sqlite bench_backend
fi
if [[ " $backends " == *" mariadb "* ]] && command -v mariadbd >/dev/null 2>&1; then
	oms_tmpdir
	mdb=$OMS_TMP/m
	if oms_mariadb_start "$mdb"; then
		OMS_MARIADB_SOCKET=$mdb/sock
		export OMS_MARIADB_SOCKET
		OMS_BACKEND=mariadb bench_backend
		oms_mariadb_stop "$mdb"
	fi
fi
