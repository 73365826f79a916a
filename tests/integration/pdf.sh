#!/bin/bash
# The PDF of a Summary Invoice end to end: the sample invoice XML
# (tests/fixtures/invoice-sample.xml) through xslt/print/invoice-print.xsl
# and src/cmd/oms-render-pdf (headless Chromium), read back with
# pdftotext: the customer name, the invoice number, the total due as
# the stylesheet formats it and "Page 1 of M" with M the page count;
# A4 and Letter paper; every font embedded; several documents in one
# call; and refusals that leave no file behind.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need xsltproc chromium pdftotext pdfinfo pdffonts
render=$OMS_SRCDIR/src/cmd/oms-render-pdf
xml=$OMS_SRCDIR/tests/fixtures/invoice-sample.xml
oms_tmpdir
cd "$OMS_TMP" || tap_bail "cannot enter $OMS_TMP"

xsltproc "$OMS_SRCDIR/xslt/print/invoice-print.xsl" "$xml" >a4.html
tap_ok $? "the print stylesheet turns the sample invoice into HTML"
xsltproc --stringparam paper Letter "$OMS_SRCDIR/xslt/print/invoice-print.xsl" "$xml" >letter.html
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

tap_done
