#!/bin/bash
# Bad input through nginx: oversized queries and bodies, broken
# encodings, control characters, unknown, repeated and out-of-range
# fields, SQL and markup in the search text.  Every one gets a clear
# 4xx (or a correct, escaped 200), never a 5xx, and omsd keeps running.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint "$OMS_PYTHON"
oms_start

site=$(oms_sql 'SELECT site_id FROM assets GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1')
A=/sites/$site/assets
workers_before=$(oms_workers)
assets_before=$(oms_sql 'SELECT COUNT(*) FROM assets')

# bad QUERY FIELD NAME: GET $A?QUERY is a 400 whose message names FIELD
# (a quoted field name, or any text when FIELD is empty).
bad() {
	local text
	http GET "$A?$1"
	text=$(oms_html "$HTTP_BODY" text)
	if [ "$HTTP_STATUS" = 400 ] && printf '%s' "$text" | grep -qF -- "$2"; then
		tap_ok 0 "$3"
	else
		tap_ok 1 "$3"
		tap_diag "GET $A?$1 => $HTTP_STATUS" "$(printf '%s' "$text" | tail -n 5)"
	fi
}

# ---------------------------------------------------------- sizes
long=$(printf 'a%.0s' $(seq 1 5000))
http GET "$A?q=$long"
tap_is "$HTTP_STATUS" 414 "bad: a 5000-byte query string (max_query 4096) is 414"
tap_like "$(oms_html "$HTTP_BODY" text)" 'longer than 4096 bytes' "bad: the 414 page says what the limit is"
tap_like "$(http_header Content-Type)" '^text/html; charset=utf-8$' "bad: the 414 page is HTML"
http GET "$A?q=$(printf 'a%.0s' $(seq 1 4094))"
tap_is "$HTTP_STATUS" 400 "bad: a 4096-byte query string passes the size check (q is then too long: 400)"
tap_like "$(oms_html "$HTTP_BODY" text)" "field 'q'.*at most 100" "bad: a 4094-character q is refused for its length, naming the field"
huge=$(printf 'a%.0s' $(seq 1 20000))
http GET "$A?q=$huge"
tap_is "$HTTP_STATUS" 414 "bad: a 20000-byte URL (past nginx's buffers) is 414 from nginx"

head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$OMS_DIR/2mb"
http POST /customers -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$OMS_DIR/2mb"
tap_is "$HTTP_STATUS" 413 "bad: a 2 MB request body (max_body 1 MB) is 413"
tap_like "$(oms_html "$HTTP_BODY" text)" 'larger than 1048576 bytes' "bad: the 413 page says what the limit is"
head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$OMS_DIR/9mb"
http POST /customers -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "@$OMS_DIR/9mb"
tap_is "$HTTP_STATUS" 413 "bad: a 9 MB request body (past nginx's 8m) is 413 from nginx"
rm -f "$OMS_DIR/2mb" "$OMS_DIR/9mb"

# ------------------------------------------------------- encodings
bad 'q=%C3%28' "'q'" "bad: invalid UTF-8 %C3%28 in q is 400 naming q"
bad 'q=%ED%A0%80' "'q'" "bad: a UTF-8 surrogate %ED%A0%80 in q is 400 naming q"
bad 'q=%FF' "'q'" "bad: byte %FF in q is 400 naming q"
bad 'q=%C0%AF' "'q'" "bad: overlong UTF-8 %C0%AF in q is 400 naming q"
bad 'q=%F4%90%80%80' "'q'" "bad: a code point past U+10FFFF in q is 400 naming q"
bad 'q=a%00b' "'q'" "bad: NUL %00 in q is 400 naming q"
bad 'q=a%01b' "'q'" "bad: control character %01 in q is 400 naming q"
bad 'q=a%0Ab' "'q'" "bad: newline %0A in q is 400 naming q"
bad 'q=a%7Fb' "'q'" "bad: DEL %7F in q is 400 naming q"
bad 'q=a%C2%85b' "'q'" "bad: C1 control U+0085 in q is 400 naming q"
bad 'q=%' "'q'" "bad: a lone % in q is 400 naming q"
bad 'q=%4' "'q'" "bad: a truncated escape %4 in q is 400 naming q"
bad 'q=%zz' "'q'" "bad: a non-hex escape %zz in q is 400 naming q"
bad 'q=abc%G1' "'q'" "bad: a non-hex escape %G1 in q is 400 naming q"
bad 'q%=1' "field name" "bad: a malformed escape in a field name is 400"
bad 'q%00=1' "field name" "bad: a NUL in a field name is 400"
xml=$OMS_DIR/err.xml
http GET "$A?q=%FF" -H 'Accept: application/xml'
cp "$HTTP_BODY" "$xml"
tap_is "$HTTP_STATUS" 400 "bad: %FF in q asked for as XML is 400"
oms_xml_wellformed "$xml"
tap_ok $? "bad: the XML 400 document is well-formed"
tap_like "$(oms_xpath "$xml" 'string(/page/error/message)')" "'q'" "bad: the XML 400 document's message names q"
# A good multi-byte query passes.
http GET "$A?q=%C3%A9t%C3%A9%20%E2%82%AC%F0%9F%93%9E"
tap_is "$HTTP_STATUS" 200 "good: valid UTF-8 (é, €, an emoji) in q is 200"

# ---------------------------------------------------------- fields
bad 'foo=1' "'foo'" "bad: an unknown field is 400 naming it"
bad 'type=line&colour=red' "'colour'" "bad: an unknown field after a good one is 400 naming it"
bad 'q=a&q=b' "'q'" "bad: a repeated field q is 400 naming it"
bad 'page=1&page=2' "'page'" "bad: a repeated field page is 400 naming it"
bad 'page=0' "'page'" "bad: page=0 is 400 naming page"
bad 'page=-1' "'page'" "bad: page=-1 is 400 naming page"
bad 'page=abc' "'page'" "bad: page=abc is 400 naming page"
bad 'page=1.5' "'page'" "bad: page=1.5 is 400 naming page"
bad 'page=0x10' "'page'" "bad: page=0x10 is 400 naming page"
bad 'page=1000001' "'page'" "bad: page past its maximum is 400 naming page"
bad 'page=99999999999999999999999' "'page'" "bad: a page number that overflows is 400 naming page"
bad 'per=5' "'per'" "bad: per=5 (below 10) is 400 naming per"
bad 'per=501' "'per'" "bad: per=501 (above 500) is 400 naming per"
bad 'cc=99999999999' "'cc'" "bad: cc=99999999999 (past int32) is 400 naming cc"
bad 'cc=-3' "'cc'" "bad: cc=-3 is 400 naming cc"
bad 'type=fax' "'type'" "bad: type=fax is 400 naming type"
bad 'type=LINE' "'type'" "bad: type=LINE (case matters) is 400 naming type"
bad 'status=deleted' "'status'" "bad: status=deleted is 400 naming status"
bad 'sort=price' "'sort'" "bad: sort=price is 400 naming sort"
bad 'sort=number;drop' "'sort'" "bad: sort with SQL in it is 400 naming sort"
bad 'dir=up' "'dir'" "bad: dir=up is 400 naming dir"
bad 'format=pdf' "'format'" "bad: format=pdf is 400 naming format"
bad "q=$(printf 'x%.0s' $(seq 1 101))" "'q'" "bad: q of 101 characters is 400 naming q"
http GET "$A?q=$(printf '%%C3%%A9%.0s' $(seq 1 100))"
tap_is "$HTTP_STATUS" 200 "good: q of 100 two-byte characters is 200 (the limit counts characters)"
http GET "$A?type=&status=&cc=&q=&sort=&dir=&page=&per="
tap_is "$HTTP_STATUS" 200 "good: every field empty (a form's 'any') is 200"
http GET "$A?page=%201%20&per=+25+"
tap_is "$HTTP_STATUS" 200 "good: numbers with spaces around them are 200"
http GET "/customers?format=csv"
tap_is "$HTTP_STATUS" 400 "bad: format=csv on /customers (no CSV) is 400"
tap_like "$(oms_html "$HTTP_BODY" text)" "'format'" "bad: the message names format"
http GET "/customers/1?format=csv"
tap_is "$HTTP_STATUS" 400 "bad: format=csv on a customer's sites page is 400"
http GET "/customers?q=x"
tap_is "$HTTP_STATUS" 400 "bad: a field of another page (q on /customers) is 400"
http GET "/healthz?format=xml"
tap_is "$HTTP_STATUS" 400 "bad: any field on /healthz is 400"

# ------------------------------------------------- SQL in the search
# check_q TEXT NAME: q=TEXT is 200, matches exactly what an
# independent substring test finds, and is echoed back unchanged.
check_q() {
	local enc want
	enc=$(oms_urlencode "$1")
	http GET "$A?format=xml&per=500&q=$enc"
	cp "$HTTP_BODY" "$xml"
	# An independent substring count (no LIKE), with the text as hex
	# so that nothing in it is SQL.
	local hex needle
	hex=$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')
	if [ "$OMS_BACKEND" = mariadb ]; then
		needle="(CONVERT(X'$hex' USING utf8mb4) COLLATE utf8mb4_unicode_ci)"
		want=$(oms_sql "SELECT COUNT(*) FROM assets a WHERE a.site_id = $site AND
		    (LOCATE($needle, COALESCE(a.phone_number,'')) OR LOCATE($needle, COALESCE(a.extension,''))
		    OR LOCATE($needle, COALESCE(a.mailbox,'')) OR LOCATE($needle, COALESCE(a.serial,'')))")
	else
		needle="CAST(X'$hex' AS TEXT)"
		want=$(oms_sql "SELECT COUNT(*) FROM assets a WHERE a.site_id = $site AND
		    (instr(COALESCE(a.phone_number,''), $needle) OR instr(COALESCE(a.extension,''), $needle)
		    OR instr(COALESCE(a.mailbox,''), $needle) OR instr(COALESCE(a.serial,''), $needle))")
	fi
	tap_is "$HTTP_STATUS/$(oms_xpath "$xml" 'string(/page/result/@assets)')" "200/$want" \
	    "q=$2: 200 and exactly the assets holding it as a substring ($want)"
	tap_is "$(oms_xpath "$xml" 'string(/page/filter/@q)')" "$1" "q=$2: echoed unchanged in the XML"
	http GET "$A?q=$enc"
	html=$OMS_DIR/q.html
	cp "$HTTP_BODY" "$html"
	tap_is "$HTTP_STATUS/$(oms_html "$html" value q)" "200/$1" "q=$2: the HTML search box holds the text as typed"
}
check_q "' OR 1=1 --" "' OR 1=1 --"
check_q '%' '%'
check_q '_' '_'
check_q '!' '!'
check_q '\' 'backslash'
check_q '!%' '!%'
check_q '"; DROP TABLE assets;--' '"; DROP TABLE assets;--'
check_q "2%0" "2%0 (a digit, a literal %, a digit)"
check_q "2_0" "2_0 (a literal _ between digits)"
check_q "20" "20 (control: the plain digits do match)"
tap_num_ge "$(oms_xpath "$xml" 'string(/page/result/@assets)')" 1 "q=20 finds assets, so the 0s above are not a broken search"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM assets')" "$assets_before" "the assets table is intact after SQL in q"
tap_is "$(oms_integrity)" ok "the database passes its integrity check"

# ------------------------------------------------- markup in the search
for m in '<script>alert(1)</script>' '"><img src=x onerror=alert(1)>' "'><svg onload=alert(1)>" \
    '</textarea><script>alert(1)</script>' 'javascript:alert(1)' '&lt;b&gt;&amp;'; do
	check_q "$m" "$m"
	tap_is "$(oms_html "$html" danger)" "" "q=$m: nothing in the HTML runs script"
	if [[ $m == *'<'* ]]; then
		grep -qF -- "<${m#*<}" "$html"
		[ $? -ne 0 ]
		tap_ok $? "q=$m: the raw markup is not in the HTML" ||
		    tap_diag "$(grep -F -- "<${m#*<}" "$html" | head -3)"
	fi
	http GET "$A?q=$(oms_urlencode "$m")&format=csv"
	tap_is "$HTTP_STATUS" 200 "q=$m: CSV export is 200"
done

# ------------------------------------------------- a long escaped search
# 100 four-byte characters: 1,202 bytes of query, far under max_query.
# The links of the page once went through a 1,024-byte buffer whose
# snprintf offsets ran past its end: cut escapes, and a stack overflow.
clef=$(printf '\xf0\x9d\x84\x9e%.0s' $(seq 1 100))
qenc=$(printf '%%F0%%9D%%84%%9E%.0s' $(seq 1 100))
http GET "$A?q=$qenc&sort=serial&per=25"
tap_is "$HTTP_STATUS" 200 "a search of 100 four-byte characters (1,202 bytes of query) is 200"
links=$(oms_html "$HTTP_BODY" hrefs | grep -F "/sites/$site/assets?")
tap_num_ge "$(printf "%s\\n" "$links" | grep -c .)" 2 "the long search's page has its CSV and XML export links"
cut=$(printf '%s\n' "$links" | "$OMS_PYTHON" -c '
import sys, urllib.parse
want = sys.argv[1]
bad = 0
for l in sys.stdin:
    l = l.strip()
    if not l:
        continue
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(l).query, errors="strict").get("q", [""])[0]
    if q != want:
        bad += 1
print(bad)' "$clef" 2>&1)
tap_is "$cut" 0 "bad: no link of the long search's page cuts its query (every link carries all 100 characters)"
http GET "$A?q=$qenc&format=xml"
tap_is "$HTTP_STATUS" 200 "the long search as XML is 200"
tap_like "$(oms_xpath "$HTTP_BODY" 'string(/page/export/@href)')" "q=$qenc(&|\$)" "the XML export link carries the whole escaped query"

# ---------------------------------------------------- still running
kill -0 "$OMS_PID" 2>/dev/null
tap_ok $? "omsd's master is still running"
tap_is "$(oms_workers | wc -l)" 2 "omsd still has its 2 workers"
tap_is "$(oms_workers)" "$workers_before" "no worker was replaced (none crashed)"
http GET /healthz
tap_is "$HTTP_STATUS" 200 "/healthz still answers"
tap_is "$(grep -c '^5' "$OMS_DIR/http.log")" 0 "no request was answered 5xx" ||
    tap_diag "$(grep '^5' "$OMS_DIR/http.log" | head -c 600)"
tap_file_unlike "$OMS_LOG" 'died of signal|exited with status' "omsd's log shows no worker death"
tap_file_unlike "$OMS_LOG" ' 500 ' "omsd's log shows no 500"
tap_done
