#!/bin/sh
#
# golden.sh: golden renders of the view stylesheets, as TAP.
#
# Every tests/golden/NAME.SHEET.xml is rendered with
# "omsctl render SHEET" through the stylesheets of the source tree and
# compared byte for byte with tests/golden/NAME.SHEET.expected.  Then
# come checks that hold for every HTML render (no inline script, no
# style attribute or event handler attribute, no <x/> on a non-void
# element) and a -bad check that a document with a DOCTYPE is refused.
#
# Run by automake with OMS_SRCDIR and OMS_BUILDDIR set (absolute paths
# of the source and build trees).  After a deliberate change to a
# stylesheet, rewrite the expected files with
#	OMS_GOLDEN_UPDATE=1 make check TESTS=tests/golden.sh
# and read the diff before committing it.

: "${OMS_SRCDIR:?OMS_SRCDIR must name the source tree}"
: "${OMS_BUILDDIR:?OMS_BUILDDIR must name the build tree}"

golden=$OMS_SRCDIR/tests/golden
omsctl=$OMS_BUILDDIR/omsctl

if [ ! -x "$omsctl" ]; then
	echo "Bail out! $omsctl is not built"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/oms-golden.XXXXXX") || {
	echo "Bail out! cannot make a temporary directory"
	exit 1
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# render only loads the stylesheets; the store is never opened.
cat > "$tmp/oms.conf" <<EOF
[server]
xslt_dir = $OMS_SRCDIR/xslt
[store]
path = $tmp/oms.db
EOF

# One tag a line, for readable diffs of one-line HTML; CR made visible.
show() {
	awk '{ gsub(/\r/, "\\r"); gsub(/></, ">\n<"); print }' "$1"
}

n=0
failed=0

# ok|not-ok DESCRIPTION: print one test point.
point() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

set -- "$golden"/*.*.xml
echo "1..$(($# + 4))"

: > "$tmp/html-list"
for input in "$@"; do
	base=${input##*/}
	base=${base%.xml}
	sheet=${base##*.}
	name=${base%.*}
	expected=$golden/$base.expected
	out=$tmp/$base.out

	if ! "$omsctl" -f "$tmp/oms.conf" render "$sheet" "$input" \
	    > "$out" 2> "$tmp/err"; then
		point not-ok "$name ($sheet.xsl): omsctl render failed"
		sed 's/^/# /' "$tmp/err"
		continue
	fi
	case $sheet in *-csv) ;; *) echo "$out" >> "$tmp/html-list" ;; esac
	if [ -n "${OMS_GOLDEN_UPDATE:-}" ]; then
		cp "$out" "$expected"
		echo "# wrote $expected"
	fi
	if [ ! -f "$expected" ]; then
		point not-ok "$name ($sheet.xsl): no $base.expected"
	elif cmp -s "$expected" "$out"; then
		point ok "$name ($sheet.xsl)"
	else
		point not-ok "$name ($sheet.xsl)"
		show "$expected" > "$tmp/want"
		show "$out" > "$tmp/got"
		diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /'
	fi
done

# The Content-Security-Policy allows scripts only from files and no
# inline style; a page that needs either is broken in the browser.
# Attributes are looked for inside tags only: text and attribute values
# are escaped, so a '>' always ends the tag.
: > "$tmp/inline"
while read -r out; do
	grep -o '<script[^>]*>' "$out" | grep -v ' src="' >> "$tmp/inline"
	grep -o '<style[ >]' "$out" >> "$tmp/inline"
	grep -Eo '<[A-Za-z][^>]*[[:space:]](style|on[A-Za-z]+)=' "$out" \
	    >> "$tmp/inline"
done < "$tmp/html-list"
if [ -s "$tmp/inline" ]; then
	point not-ok "no inline script, style element, style or on* attribute"
	sed 's/^/# /' "$tmp/inline"
else
	point ok "no inline script, style element, style or on* attribute"
fi

# Pages are written with xsl:output method="xml": an empty element
# comes out as <x/>, which HTML reads as an unclosed start tag unless
# the element is void.
: > "$tmp/selfclosing"
while read -r out; do
	grep -Eo '<[A-Za-z][A-Za-z0-9]*[^>]*/>' "$out" |
	    grep -Ev '^<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)[[:space:]/]' \
	    >> "$tmp/selfclosing"
done < "$tmp/html-list"
if [ -s "$tmp/selfclosing" ]; then
	point not-ok "no self-closed non-void element"
	sed 's/^/# /' "$tmp/selfclosing"
else
	point ok "no self-closed non-void element"
fi

# Every HTML page starts the same way.
: > "$tmp/start"
while read -r out; do
	head -n 1 "$out" | grep -qx '<!DOCTYPE html>' || echo "$out" >> "$tmp/start"
	sed -n 2p "$out" | grep -q '^<html lang="en"><head><meta charset="utf-8"/>' ||
	    echo "$out" >> "$tmp/start"
done < "$tmp/html-list"
if [ -s "$tmp/start" ]; then
	point not-ok "HTML pages start with the doctype, html lang and meta charset"
	sed 's/^/# /' "$tmp/start"
else
	point ok "HTML pages start with the doctype, html lang and meta charset"
fi

# -bad: a document with a DOCTYPE (here declaring an external entity)
# is refused, with a non-zero exit and nothing rendered.
cat > "$tmp/doctype.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE page [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<page name="error" title="Bad Request">
  <error status="400" title="Bad Request"><message>&x;</message></error>
</page>
EOF
if "$omsctl" -f "$tmp/oms.conf" render error "$tmp/doctype.xml" \
    > "$tmp/doctype.out" 2> "$tmp/err"; then
	point not-ok "bad: a document with a DOCTYPE is refused"
	echo "# omsctl render exited 0"
elif [ -s "$tmp/doctype.out" ]; then
	point not-ok "bad: a document with a DOCTYPE is refused"
	echo "# omsctl render wrote output"
else
	point ok "bad: a document with a DOCTYPE is refused"
fi

[ "$failed" -eq 0 ]
