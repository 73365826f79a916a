#!/bin/bash
# tests/bench/pdf.sh: the measurements of docs/pdf-rendering.md, which
# chose the PDF renderer of invoices and billing reports among Debian's
# packaged ones: Apache FOP (XSL-FO), WeasyPrint (HTML and CSS) and
# headless Chromium (HTML and CSS).  Run by hand; it prints figures and
# asserts nothing about time.
#
#   tests/bench/pdf.sh            # every renderer, 5 runs each
#   RUNS=3 RENDERERS="weasyprint chromium" LINES=500 tests/bench/pdf.sh
#
# Needs: xsltproc, fop, weasyprint, chromium, poppler-utils, time
# (/usr/bin/time), fonts-dejavu-core, python3; node and tests/node_modules
# (npm ci in tests/) for Chromium's batch through playwright-core.
#
# For each renderer and each document (the 10-line sample
# tests/fixtures/invoice-sample.xml and a LINES-line invoice from
# tests/fixtures/invoice-gen.sh): the stylesheet is applied once with
# xsltproc (HTML from tests/fixtures/pdf-study/invoice-print.xsl, FO from
# invoice-fo.xsl; the transform is timed apart, it is the same C code
# for all), then the renderer runs RUNS times as its own process under
# /usr/bin/time: the median wall and CPU (user + system) seconds, the
# largest peak RSS (of the largest single process: Chromium's figure is
# its biggest process, not the sum of them) and the page count.  Then
# 20 small documents in one go: in one process where the renderer has a
# way (WeasyPrint's Python API, one Chromium through playwright-core),
# 20 processes for FOP.  Then the installed size of each renderer's
# packages and the checks of the output: paper size for A4 and Letter,
# "Page 1 of N" with N the page count, every font embedded, and the
# text (accented customer name, "×", the total due) read back by
# pdftotext.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
src=${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
RUNS=${RUNS:-5}
LINES=${LINES:-2000}
RENDERERS=${RENDERERS:-fop weasyprint chromium}
PY=/usr/bin/python3     # Debian's: the python3 first on PATH may not be
CHROMIUM_ARGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--no-pdf-header-footer)

for t in xsltproc pdftotext pdfinfo pdffonts /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "pdf.sh: $t is missing" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/oms-bench-pdf.XXXXXX")
trap 'rm -rf "$work"' EXIT

# render R IN OUT: one renderer process turning IN (HTML or FO) into OUT.
render() {
	case $1 in
	fop) fop -q -c "$src/tests/fixtures/pdf-study/fop.xconf" -fo "$2" -pdf "$3" >/dev/null 2>&1 ;;
	weasyprint) weasyprint -q "$2" "$3" >/dev/null 2>&1 ;;
	chromium)
		local ud
		ud=$(mktemp -d "$work/ud.XXXXXX")
		chromium "${CHROMIUM_ARGS[@]}" --user-data-dir="$ud" \
			--print-to-pdf="$3" "file://$2" >/dev/null 2>&1
		local rc=$?
		rm -rf "$ud"
		return $rc
		;;
	esac
}

# input R DOC: the file renderer R reads for document DOC (small, large, letter).
input() {
	if [ "$1" = fop ]; then echo "$work/$2.fo"; else echo "$work/$2.html"; fi
}

# median: the median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pages PDF: its page count.
pages() {
	pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'
}

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $RENDERERS; do
	case $r in
	fop) echo "# fop $(dpkg-query -W -f='${Version}' fop), java $(java -version 2>&1 | awk -F'"' 'NR == 1 { print $2 }')" ;;
	weasyprint) echo "# weasyprint $(dpkg-query -W -f='${Version}' weasyprint)" ;;
	chromium) echo "# chromium $(dpkg-query -W -f='${Version}' chromium)" ;;
	esac
done

# The documents.
cp "$src/tests/fixtures/invoice-sample.xml" "$work/small.xml"
"$src/tests/fixtures/invoice-gen.sh" "$LINES" >"$work/large.xml"
for d in small large; do
	s=$(date +%s%N)
	xsltproc "$src/tests/fixtures/pdf-study/invoice-print.xsl" "$work/$d.xml" >"$work/$d.html"
	e=$(date +%s%N)
	xsltproc "$src/tests/fixtures/pdf-study/invoice-fo.xsl" "$work/$d.xml" >"$work/$d.fo"
	f=$(date +%s%N)
	printf '# xsltproc %s: HTML %.3f s, FO %.3f s (%d lines)\n' "$d" \
		"$(echo "($e - $s) / 1000000000" | bc -l)" "$(echo "($f - $e) / 1000000000" | bc -l)" \
		"$(grep -c '<line kind=' "$work/$d.xml")"
done
xsltproc --stringparam paper Letter "$src/tests/fixtures/pdf-study/invoice-print.xsl" "$work/small.xml" >"$work/letter.html"
xsltproc --stringparam paper Letter "$src/tests/fixtures/pdf-study/invoice-fo.xsl" "$work/small.xml" >"$work/letter.fo"

echo
echo "## One document a process: median of $RUNS runs"
printf '%-11s %-6s %8s %8s %10s %6s\n' renderer doc wall_s cpu_s peak_rss_MiB pages
for r in $RENDERERS; do
	for d in small large; do
		: >"$work/t.all"
		for i in $(seq 1 "$RUNS"); do
			/usr/bin/time -f '%e %U %S %M' -o "$work/t.one" \
				bash -c "$(declare -f render); work='$work' src='$src'; CHROMIUM_ARGS=(${CHROMIUM_ARGS[*]}); render $r '$(input "$r" "$d")' '$work/$r-$d.pdf'" ||
				echo "# $r $d run $i failed" >&2
			tail -n 1 "$work/t.one" >>"$work/t.all"
		done
		printf '%-11s %-6s %8s %8s %10s %6s\n' "$r" "$d" \
			"$(awk '{ print $1 }' "$work/t.all" | median)" \
			"$(awk '{ printf "%.2f\n", $2 + $3 }' "$work/t.all" | median)" \
			"$(awk '$4 > m { m = $4 } END { printf "%.0f", m / 1024 }' "$work/t.all")" \
			"$(pages "$work/$r-$d.pdf")"
	done
done

echo
echo "## 20 small documents in one go"
mkdir -p "$work/batch"
for i in $(seq -w 1 20); do
	cp "$work/small.html" "$work/batch/s$i.html"
	cp "$work/small.fo" "$work/batch/s$i.fo"
done
printf '%-11s %-28s %8s %8s %10s %8s\n' renderer how wall_s cpu_s peak_rss_MiB docs_per_s
for r in $RENDERERS; do
	rm -f "$work/batch/"*.pdf
	case $r in
	fop)
		how="20 processes"
		cmd="for f in '$work'/batch/*.fo; do fop -q -c '$src/tests/fixtures/pdf-study/fop.xconf' -fo \"\$f\" -pdf \"\${f%.fo}.pdf\" >/dev/null 2>&1; done"
		;;
	weasyprint)
		how="1 process, Python API"
		cmd="$PY -c 'import glob, weasyprint
for f in sorted(glob.glob(\"$work/batch/*.html\")):
    weasyprint.HTML(filename=f).write_pdf(f[:-5] + \".pdf\")' 2>/dev/null"
		;;
	chromium)
		if [ -d "$src/tests/node_modules/playwright-core" ] && command -v node >/dev/null; then
			how="1 browser, playwright-core"
			cmd="NODE_PATH='$src/tests/node_modules' node '$src/tests/bench/pdf-chromium.js' '$work/batch' '$work'/batch/*.html >/dev/null"
		else
			how="20 processes"
			cmd="for f in '$work'/batch/*.html; do ud=\$(mktemp -d); chromium ${CHROMIUM_ARGS[*]} --user-data-dir=\$ud --print-to-pdf=\"\${f%.html}.pdf\" \"file://\$f\" >/dev/null 2>&1; rm -rf \$ud; done"
		fi
		;;
	esac
	/usr/bin/time -f '%e %U %S %M' -o "$work/t.one" bash -c "$cmd" || echo "# $r batch failed" >&2
	n=$(find "$work/batch" -name '*.pdf' | wc -l)
	read -r wall u s rss <"$work/t.one"
	printf '%-11s %-28s %8s %8.2f %10.0f %8.2f\n' "$r" "$how" "$wall" "$(echo "$u + $s" | bc -l)" \
		"$(echo "$rss / 1024" | bc -l)" "$(echo "$n / $wall" | bc -l)"
	[ "$n" = 20 ] || echo "# $r: $n of 20 PDFs written" >&2
done

echo
echo "## Installed size: the package and what it needs (Depends, Pre-Depends), beyond a minimal Debian (tests/bench/pdf-size.py)"
printf '%-11s %9s %12s %12s\n' renderer packages MiB MiB_own
$PY "$src/tests/bench/pdf-size.py" fop weasyprint chromium

echo
echo "## Output checks (small invoice)"
name=$(xmllint --xpath 'string(/invoice/customer/name)' "$work/small.xml" 2>/dev/null || sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$work/small.xml" | head -n 1)
due=$(xsltproc <(cat <<XSL
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="$src/xslt/pages/order-money.xsl"/>
  <xsl:output method="text"/>
  <xsl:template match="/"><xsl:call-template name="money"><xsl:with-param name="cents" select="/invoice/total_due"/></xsl:call-template></xsl:template>
</xsl:stylesheet>
XSL
) "$work/small.xml" 2>/dev/null)
printf '%-11s %-14s %-14s %-10s %-9s %-9s %-8s %-8s\n' renderer A4_pts Letter_pts page_N_of_M fonts_emb name_text times_x total_due
for r in $RENDERERS; do
	render $r "$(input $r letter)" "$work/$r-letter.pdf"
	p=$(pages "$work/$r-small.pdf")
	txt=$(pdftotext -layout "$work/$r-small.pdf" - 2>/dev/null)
	a4=$(pdfinfo "$work/$r-small.pdf" | awk '/^Page size:/ { printf "%.0fx%.0f", $3, $5 }')
	lt=$(pdfinfo "$work/$r-letter.pdf" | awk '/^Page size:/ { printf "%.0fx%.0f", $3, $5 }')
	pn=no
	[ "$(grep -c -E "Page [0-9]+ of $p\$" <<<"$txt")" = "$p" ] && pn=yes
	emb=$(pdffonts "$work/$r-small.pdf" | awk 'NR > 2 && $(NF - 4) != "yes" { n++ } END { print n ? "no" : "yes" }')
	has() { grep -q -F -- "$1" <<<"$txt" && echo yes || echo no; }
	printf '%-11s %-14s %-14s %-10s %-9s %-9s %-8s %-8s\n' $r "$a4" "$lt" $pn $emb \
		"$(has "$name")" "$(has "×")" "$(has "$due")"
done
