#!/bin/bash
# The PDF of a Summary Invoice end to end: the sample invoice XML
# (tests/fixtures/invoice-sample.xml) through tests/fixtures/pdf-study/invoice-print.xsl
# and src/cmd/oms-render-pdf (headless Chromium), read back with
# pdftotext: the customer name, the invoice number, the total due as
# the stylesheet formats it and "Page 1 of M" with M the page count;
# A4 and Letter paper; every font embedded; several documents in one
# call; and refusals that leave no file behind.
#
# oms-render-pdf is a program (src/cmd/oms-render-pdf.c) keeping one
# Chromium for a whole batch: a batch of ten documents, each PDF with
# its own text and paper; a path that needs percent-encoding; a bad
# input, a document that never loads (the time limit), a browser that
# exits at once or dies mid-batch, and SIGTERM: the right exit status,
# no PDF for the failed document, no temporary folder and no process of
# the run left behind (found by a marker in their environment).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

render=$OMS_BUILDDIR/oms-render-pdf
oms_need xsltproc chromium pdftotext pdfinfo pdffonts "$render"
xml=$OMS_SRCDIR/tests/fixtures/invoice-sample.xml
oms_tmpdir
cd "$OMS_TMP" || tap_bail "cannot enter $OMS_TMP"
# The runs' temporary profiles go here, to be seen removed.
mkdir tmp && export TMPDIR=$OMS_TMP/tmp
# Every process of a run carries this marker in its environment.
mark=oms-pdf-test-$$-$RANDOM
export OMS_PDF_MARK=$mark

# procs: how many processes carry this test's marker (the runs' and
# their Chromiums'; not this shell's, whose environment was set before
# it; read by bash itself, so no helper process of its own counts).
procs() {
	local f e n=0
	for f in /proc/[0-9]*/environ; do
		while IFS= read -r -d '' e; do
			if [ "$e" = "OMS_PDF_MARK=$mark" ]; then
				n=$((n + 1))
				break
			fi
		done 2>/dev/null <"$f"
	done 2>/dev/null
	echo "$n"
}

xsltproc "$OMS_SRCDIR/tests/fixtures/pdf-study/invoice-print.xsl" "$xml" >a4.html
tap_ok $? "the print stylesheet turns the sample invoice into HTML"
xsltproc --stringparam paper Letter "$OMS_SRCDIR/tests/fixtures/pdf-study/invoice-print.xsl" "$xml" >letter.html
tap_ok $? "the print stylesheet takes paper=Letter"

tap_cmd "oms-render-pdf writes the A4 and the Letter PDF in one call" \
	"$render" a4.html a4.pdf letter.html letter.pdf
tap_is "$(head -c 5 a4.pdf)" "%PDF-" "the output is a PDF"
tap_is "$(ls | grep -c '\.tmp\.')" 0 "no partial file is left beside it"

text=$(pdftotext -layout a4.pdf - 2>/dev/null)
pages=$(pdfinfo a4.pdf | awk '/^Pages:/ { print $2 }')
tap_like "$text" 'Société Générale de Télécom du Québec Inc\.' "the text has the customer name, accents included"
tap_like "$text" 'Invoice number +10482' "the text has the invoice number"
tap_like "$text" 'Total due +USD 6,277\.74' "the text has the total due, formatted from integer cents"
tap_like "$text" '45\.00 × 42' "the text has a line's formula, × included"
tap_like "$text" "Page 1 of $pages" "the first page says Page 1 of $pages"
tap_is "$(grep -c -E "Page [0-9]+ of $pages\$" <<<"$text")" "$pages" "every page has its number and the page count"
tap_like "$text" 'Remittance' "the remittance stub is there"
tap_like "$(pdfinfo a4.pdf | grep '^Page size')" '\(A4\)' "the A4 document is A4"
tap_like "$(pdfinfo letter.pdf | grep '^Page size')" '612(\.0+)? x 792(\.0+)?' "the Letter document is Letter"
tap_is "$(pdffonts a4.pdf | awk 'NR > 2 && $(NF - 4) != "yes"' | wc -l)" 0 "every font is embedded"
tap_is "$(pdffonts a4.pdf | awk 'NR > 2' | wc -l | tr -d ' ')" 2 "DejaVu Sans, regular and bold, and no other font"

# Refusals.
"$render" a4.html 2>/dev/null
tap_is $? 2 "bad: an input without an output: exit 2"
"$render" missing.html missing.pdf 2>/dev/null
tap_is "$?/$(test -e missing.pdf && echo file || echo none)" 2/none "bad: a missing input: exit 2 and no PDF"
"$render" a4.html no-such-folder/x.pdf 2>/dev/null
tap_is "$?/$(test -e no-such-folder && echo folder || echo none)" 1/none "bad: an output folder that does not exist: exit 1, nothing written"
OMS_CHROMIUM=oms-no-such-browser "$render" a4.html nobrowser.pdf 2>/dev/null
tap_is "$?/$(test -e nobrowser.pdf && echo file || echo none)" 3/none "bad: no browser: exit 3 and no PDF"
cp a4.pdf keep.pdf
"$render" missing.html keep.pdf 2>/dev/null
cmp -s a4.pdf keep.pdf
tap_ok $? "bad: a failed render leaves an existing PDF as it was"

# A batch: ten documents in one call, one Chromium; each its own
# invoice number (5000 + i) and paper (odd A4, even Letter).
args=()
for i in $(seq 1 10); do
	if [ $((i % 2)) = 1 ]; then src=a4.html; else src=letter.html; fi
	sed "s/10482/$((5000 + i))/g" "$src" >"batch$i.html"
	args+=("batch$i.html" "batch$i.pdf")
done
tap_cmd "a batch of ten documents in one call" "$render" "${args[@]}"
ok=0 num=0 paper=0 pageno=0
for i in $(seq 1 10); do
	[ "$(head -c 5 "batch$i.pdf" 2>/dev/null)" = "%PDF-" ] && ok=$((ok + 1))
	t=$(pdftotext -layout "batch$i.pdf" - 2>/dev/null)
	grep -q -E "Invoice number +$((5000 + i))\\b" <<<"$t" && ! grep -q 10482 <<<"$t" && num=$((num + 1))
	grep -q -E 'Page 1 of [0-9]+' <<<"$t" && pageno=$((pageno + 1))
	size=$(pdfinfo "batch$i.pdf" 2>/dev/null | grep '^Page size')
	if [ $((i % 2)) = 1 ]; then want='\(A4\)'; else want='612(\.0+)? x 792(\.0+)?'; fi
	grep -q -E "$want" <<<"$size" && paper=$((paper + 1))
done
tap_is "$ok" 10 "the batch wrote ten PDFs"
tap_is "$num" 10 "each PDF of the batch has its own document's invoice number"
tap_is "$paper" 10 "each PDF of the batch has its own paper, A4 or Letter"
tap_is "$pageno" 10 "each PDF of the batch has its page numbers"
tap_is "$(ls | grep -c '\.tmp\.')/$(ls tmp | wc -l)" 0/0 "the batch leaves no partial file and no temporary profile"
tap_is "$(procs)" 0 "no process of the batch is left"

dir='dir with space%25 é'
mkdir "$dir" && cp a4.html "$dir/in #1?.html"
"$render" "$dir/in #1?.html" "$dir/out.pdf" 2>/dev/null
tap_is "$?/$(head -c 5 "$dir/out.pdf" 2>/dev/null)" "0/%PDF-" "a path with a space, %, #, ? and an accent is rendered"

# A bad input in the middle of a batch: the documents before it are
# written, it and those after it are not.
"$render" a4.html mid1.pdf missing.html mid2.pdf a4.html mid3.pdf 2>err.txt
tap_is "$?/$(ls mid*.pdf 2>/dev/null | tr '\n' ' ')" "2/mid1.pdf " "bad: a missing input in the middle of a batch: exit 2, only the PDF before it"
tap_like "$(cat err.txt)" 'missing\.html: not a readable file' "bad: the message names the missing input"
"$render" a4.html dir1.pdf tmp dir2.pdf 2>/dev/null
tap_is "$?/$(ls dir*.pdf 2>/dev/null | tr '\n' ' ')" "2/dir1.pdf " "bad: a folder as input: exit 2, no PDF for it"

# A browser that exits at once.
OMS_CHROMIUM=false "$render" a4.html false.pdf 2>err.txt
tap_is "$?/$(test -e false.pdf && echo file || echo none)" 1/none "bad: a browser that exits at once: exit 1, no PDF"
tap_like "$(cat err.txt)" 'a4\.html: Chromium exited \(status 1\)' "bad: the message names the document and says the browser exited"
tap_is "$(ls tmp | wc -l)/$(procs)" 0/0 "bad: after a browser that exits at once, no temporary profile and no process left"

# A document that never loads (its script never ends): the time limit.
printf '<!DOCTYPE html><html><body><p>never</p><script>for (;;) {}</script></body></html>\n' >hang.html
OMS_PDF_TIMEOUT=3 "$render" hang.html hang.pdf 2>err.txt
tap_is "$?/$(test -e hang.pdf && echo file || echo none)" 1/none "bad: a document that never loads: exit 1 at the time limit, no PDF"
tap_like "$(cat err.txt)" 'hang\.html: no PDF within the time limit' "bad: the message names the document and the time limit"
tap_is "$(ls | grep -c '\.tmp\.')/$(ls tmp | wc -l)/$(procs)" 0/0/0 "bad: after a time-out, no partial file, no temporary profile, no process"

# Chromium killed mid-batch: the document being rendered and the ones
# after it get no PDF.  The wrapper records the browser's pid.
printf '#!/bin/sh\necho $$ >"%s/browser.pid"\nexec chromium "$@"\n' "$OMS_TMP" >browser.sh
chmod +x browser.sh
OMS_CHROMIUM=$OMS_TMP/browser.sh OMS_PDF_TIMEOUT=600 "$render" a4.html die1.pdf hang.html die2.pdf a4.html die3.pdf 2>err.txt &
pid=$!
oms_track "$pid"
oms_wait 1200 test -s die1.pdf
tap_num_ge "$(procs)" 2 "while a batch runs its Chromium processes are seen (so the checks for leftovers can fail)"
kill -9 "$(cat browser.pid)"
oms_wait_exit "$pid" 600
tap_is "$OMS_EXIT/$(ls die*.pdf 2>/dev/null | tr '\n' ' ')" "1/die1.pdf " "bad: Chromium killed mid-batch: exit 1, only the PDF rendered before"
tap_like "$(cat err.txt)" 'hang\.html: Chromium exited \(signal 9\)' "bad: the message names the document and says the browser died"
tap_is "$(ls | grep -c '\.tmp\.')/$(ls tmp | wc -l)/$(procs)" 0/0/0 "bad: after Chromium died, no partial file, no temporary profile, no process"

# SIGTERM mid-batch: the browser and the temporary files go.
OMS_PDF_TIMEOUT=600 "$render" a4.html term1.pdf hang.html term2.pdf 2>/dev/null &
pid=$!
oms_track "$pid"
oms_wait 1200 test -s term1.pdf
kill -TERM "$pid"
oms_wait_exit "$pid" 600
tap_is "$OMS_EXIT/$(ls term*.pdf 2>/dev/null | tr '\n' ' ')" "143/term1.pdf " "bad: SIGTERM mid-batch: exit 143, no PDF for the document in progress"
tap_is "$(ls | grep -c '\.tmp\.')/$(ls tmp | wc -l)/$(procs)" 0/0/0 "bad: after SIGTERM, no partial file, no temporary profile, no process"

tap_done
