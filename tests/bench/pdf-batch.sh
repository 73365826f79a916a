#!/bin/bash
# tests/bench/pdf-batch.sh: what keeping one Chromium for a batch buys
# (docs/pdf-rendering.md).  N small invoices (tests/fixtures/invoice-
# sample.xml through tests/fixtures/pdf-study/invoice-print.xsl, each with its own
# invoice number) rendered by oms-render-pdf in one call, against the
# same N in N separate calls (one Chromium each, as the shell script
# before it did), the two alternating RUNS times in the same run so
# both see the same load.  Prints each run and the medians: wall
# seconds, CPU seconds (user + system of oms-render-pdf and every
# Chromium process, from /usr/bin/time) and documents a second (wall
# and CPU).  Run by hand; it asserts nothing about time.
#
#   tests/bench/pdf-batch.sh                 # N=20, RUNS=3
#   N=50 RUNS=5 OMS_BUILDDIR=build tests/bench/pdf-batch.sh
#
# Needs: a built oms-render-pdf (OMS_BUILDDIR, default build/),
# chromium, xsltproc, /usr/bin/time (package time).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
src=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${OMS_BUILDDIR:-$src/build}
render=$build/oms-render-pdf
N=${N:-20}
RUNS=${RUNS:-3}

for t in "$render" xsltproc chromium /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "pdf-batch.sh: $t is missing" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/oms-bench-pdf-batch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# median: the median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

xsltproc "$src/tests/fixtures/pdf-study/invoice-print.xsl" "$src/tests/fixtures/invoice-sample.xml" >"$work/small.html" ||
	exit 1
args=()
for i in $(seq 1 "$N"); do
	sed "s/10482/$((50000 + i))/g" "$work/small.html" >"$work/d$i.html"
	args+=("$work/d$i.html" "$work/d$i.pdf")
done

echo "# machine: $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"), chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $N small invoices (2 pages each), $RUNS runs, batch and separate calls alternating"
printf '%-9s %4s %8s %8s %10s %10s\n' mode run wall_s cpu_s docs_per_s docs_per_cpu_s
: >"$work/batch.all"
: >"$work/separate.all"
for run in $(seq 1 "$RUNS"); do
	for mode in batch separate; do
		rm -f "$work"/d*.pdf
		if [ "$mode" = batch ]; then
			/usr/bin/time -f '%e %U %S' -o "$work/t" "$render" "${args[@]}" 2>"$work/err"
		else
			/usr/bin/time -f '%e %U %S' -o "$work/t" bash -c '
				r=$1; shift
				while [ $# -ge 2 ]; do "$r" "$1" "$2" || exit 1; shift 2; done' \
				- "$render" "${args[@]}" 2>"$work/err"
		fi
		rc=$?
		n=$(cat "$work"/d*.pdf 2>/dev/null | grep -c -a '^%PDF-')
		if [ "$rc" != 0 ] || [ "$n" != "$N" ]; then
			echo "# $mode run $run failed (exit $rc, $n of $N PDFs)" >&2
			tail -n 5 "$work/err" >&2
			continue
		fi
		read -r wall u s <"$work/t"
		cpu=$(echo "$u + $s" | bc -l)
		echo "$wall $cpu" >>"$work/$mode.all"
		printf '%-9s %4s %8.2f %8.2f %10.2f %10.2f\n' "$mode" "$run" "$wall" "$cpu" \
			"$(echo "$N / $wall" | bc -l)" "$(echo "$N / $cpu" | bc -l)"
	done
done

echo
echo "## Medians ($N documents a run; load now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-9s %8s %8s %10s %10s\n' mode wall_s cpu_s docs_per_s docs_per_cpu_s
for mode in batch separate; do
	w=$(awk '{ print $1 }' "$work/$mode.all" | median)
	c=$(awk '{ print $2 }' "$work/$mode.all" | median)
	[ "$w" = - ] && continue
	printf '%-9s %8.2f %8.2f %10.2f %10.2f\n' "$mode" "$w" "$c" \
		"$(echo "$N / $w" | bc -l)" "$(echo "$N / $c" | bc -l)"
done
