#!/bin/bash
# The inventory pages through nginx and omsd, as a browser and an API
# client see them: HTML and XML (?format=xml and Accept), the asset
# query's filters, sorting, paging and CSV export, headers, and the
# error statuses.  Every expected figure is computed independently
# with sqlite3 on the same database.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint "$OMS_PYTHON"
oms_start

# Each XML body is checked for well-formedness as it is fetched.
# xml_get PATH [CURL-ARG...]: GET PATH as XML into $OMS_DIR/NAME.xml.
XMLN=0
xml_get() {
	local path=$1
	shift
	http GET "$path" "$@"
	XMLN=$((XMLN + 1))
	XML=$OMS_DIR/doc$XMLN.xml
	cp "$HTTP_BODY" "$XML"
	oms_xml_wellformed "$XML"
	tap_ok $? "well-formed XML: $path" ||
	    tap_diag "status $HTTP_STATUS" "$(head -c 500 "$XML")"
}

# sorted TEXT: the lines of TEXT sorted, for comparing sets.
sorted() {
	printf '%s\n' "$1" | sed '/^$/d' | LC_ALL=C sort
}

# xml_attrs FILE XPATH ATTR: the attribute ATTR of every node of XPATH,
# one a line (empty when missing).
xml_attrs() {
	"$OMS_PYTHON" - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for n in root.iterfind(sys.argv[2]):
    print(n.get(sys.argv[3], ""))
PY
}

# ------------------------------------------------------------- health
http GET /healthz
tap_is "$HTTP_STATUS" 200 "/healthz answers 200"
tap_is "$(http_body)" ok "/healthz says ok"
tap_like "$(http_header Content-Type)" '^text/plain; charset=utf-8$' "/healthz is text/plain; charset=utf-8"

# ---------------------------------------------------------- customers
want_ids=$(oms_sql 'SELECT id FROM customers')
want_n=$(oms_sql 'SELECT COUNT(*) FROM customers')
tap_num_ge "$want_n" 2 "the seeded database has customers to list"

http GET /customers
tap_is "$HTTP_STATUS" 200 "GET /customers is 200"
tap_like "$(http_header Content-Type)" '^text/html; charset=utf-8$' "HTML pages are text/html; charset=utf-8"
tap_like "$(http_header Content-Security-Policy)" "default-src 'self'" "HTML page has a Content-Security-Policy"
tap_is "$(http_header X-Content-Type-Options)" nosniff "HTML page has X-Content-Type-Options: nosniff"
tap_like "$(http_header X-Frame-Options)" '^(DENY|SAMEORIGIN)$' "HTML page has X-Frame-Options"
cp "$HTTP_BODY" "$OMS_DIR/customers.html"
got=$(oms_html "$OMS_DIR/customers.html" hrefs | sed -n 's|^/customers/\([0-9][0-9]*\)$|\1|p' | sort -u)
tap_is "$(sorted "$got")" "$(sorted "$want_ids")" "HTML /customers links to every customer of the database"
text=$(oms_html "$OMS_DIR/customers.html" text)
missing=
while IFS= read -r name; do
	printf '%s\n' "$text" | grep -qF -- "$name" || missing="$missing [$name]"
done < <(oms_sql 'SELECT name FROM customers')
tap_is "$missing" "" "HTML /customers shows every customer's name (entities decoded)"
tap_file_unlike "$OMS_DIR/customers.html" 'Cedar & Vine' "a '&' in a name is escaped in the HTML"

xml_get '/customers?format=xml'
tap_is "$HTTP_STATUS" 200 "GET /customers?format=xml is 200"
tap_like "$(http_header Content-Type)" '^application/xml; charset=utf-8$' "XML is application/xml; charset=utf-8"
tap_like "$(http_header Content-Security-Policy)" "default-src 'self'" "XML response has a Content-Security-Policy"
tap_is "$(oms_xpath "$XML" 'count(/page/customers/customer)')" "$want_n" "XML lists as many customers as the database holds"
tap_is "$(oms_xpath "$XML" 'string(/page/customers/@count)')" "$want_n" "XML customers/@count equals the database's count"
tap_is "$(sorted "$(xml_attrs "$XML" './customers/customer' id)")" "$(sorted "$want_ids")" "XML lists every customer id"
# Per customer: name, sites, assets in service and their ports.
got=$("$OMS_PYTHON" - "$XML" <<'PY'
import sys, xml.etree.ElementTree as ET
for c in ET.parse(sys.argv[1]).getroot().iterfind("./customers/customer"):
    print("|".join(c.get(k, "") for k in ("id", "name", "sites", "assets", "ports")))
PY
)
want=$(oms_sql "SELECT cu.id, cu.name,
	(SELECT COUNT(*) FROM sites s WHERE s.customer_id = cu.id),
	(SELECT COUNT(*) FROM assets a JOIN sites s ON s.id = a.site_id
	  WHERE s.customer_id = cu.id AND a.status != 'removed'),
	(SELECT COALESCE(SUM(a.ports), 0) FROM assets a JOIN sites s ON s.id = a.site_id
	  WHERE s.customer_id = cu.id AND a.status != 'removed')
	FROM customers cu" | sed 's/\.0$//')
tap_is "$(sorted "$got")" "$(sorted "$want")" "XML customers: names, site, asset and port counts equal SQL's"
tap_is "$(oms_xpath "$XML" 'string(/page/customers/@assets)')" \
    "$(oms_sql "SELECT COUNT(*) FROM assets WHERE status != 'removed'")" "XML customers/@assets is the total in service"
cp "$XML" "$OMS_DIR/customers-format.xml"

xml_get /customers -H 'Accept: application/xml'
tap_like "$(http_header Content-Type)" '^application/xml' "Accept: application/xml gives XML"
cmp -s "$XML" "$OMS_DIR/customers-format.xml"
tap_ok $? "Accept: application/xml gives the same document as ?format=xml"
http GET /customers -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
tap_like "$(http_header Content-Type)" '^text/html' "a browser's Accept header gets HTML"
tap_like "$(http_header Vary)" 'Accept' "negotiated responses say Vary: Accept"
http GET /
tap_is "$HTTP_STATUS" 200 "GET / is 200 (the customer list)"

# -------------------------------------------------------------- sites
# The customer with a '&' in its name, and the one with the most sites.
cust=$(oms_sql "SELECT id FROM customers WHERE name LIKE '%&%' ORDER BY id LIMIT 1")
[ -n "$cust" ] || cust=$(oms_sql 'SELECT MIN(id) FROM customers')
for c in "$cust" "$(oms_sql 'SELECT customer_id FROM sites GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1')"; do
	cname=$(oms_sql "SELECT name FROM customers WHERE id = $c")
	want_sites=$(oms_sql "SELECT id FROM sites WHERE customer_id = $c")
	http GET "/customers/$c"
	tap_is "$HTTP_STATUS" 200 "GET /customers/$c is 200"
	cp "$HTTP_BODY" "$OMS_DIR/sites.html"
	got=$(oms_html "$OMS_DIR/sites.html" hrefs | sed -n 's|^/sites/\([0-9][0-9]*\)/assets$|\1|p' | sort -u)
	tap_is "$(sorted "$got")" "$(sorted "$want_sites")" "HTML /customers/$c links to the asset page of each of its sites"
	oms_html "$OMS_DIR/sites.html" text | grep -qF -- "$cname"
	tap_ok $? "HTML /customers/$c names the customer ($cname)"

	xml_get "/customers/$c?format=xml"
	tap_is "$(oms_xpath "$XML" 'string(/page/customer/@name)')" "$cname" "XML /customers/$c: customer name"
	tap_is "$(oms_xpath "$XML" 'count(/page/sites/site)')" \
	    "$(oms_sql "SELECT COUNT(*) FROM sites WHERE customer_id = $c")" "XML /customers/$c: as many sites as SQL counts"
	got=$("$OMS_PYTHON" - "$XML" <<'PY'
import sys, xml.etree.ElementTree as ET
for s in ET.parse(sys.argv[1]).getroot().iterfind("./sites/site"):
    print("|".join(s.get(k, "") for k in ("id", "code", "name", "city", "assets", "ports")))
PY
)
	want=$(oms_sql "SELECT s.id, s.code, s.name, s.city,
		(SELECT COUNT(*) FROM assets a WHERE a.site_id = s.id AND a.status != 'removed'),
		(SELECT COALESCE(SUM(a.ports), 0) FROM assets a WHERE a.site_id = s.id AND a.status != 'removed')
		FROM sites s WHERE s.customer_id = $c" | sed 's/\.0$//')
	tap_is "$(sorted "$got")" "$(sorted "$want")" "XML /customers/$c: each site's asset and port counts equal SQL's"
	tap_is "$(oms_xpath "$XML" 'string(/page/sites/@ports)')" \
	    "$(oms_sql "SELECT COALESCE(SUM(a.ports), 0) FROM assets a JOIN sites s ON s.id = a.site_id
		WHERE s.customer_id = $c AND a.status != 'removed'" | sed 's/\.0$//')" \
	    "XML /customers/$c: sites/@ports is the customer's total"
done

# --------------------------------------------------------- asset query
# A site with enough assets for several pages.
site=$(oms_sql 'SELECT site_id FROM assets GROUP BY 1 HAVING COUNT(*) >= 120 ORDER BY 1 LIMIT 1')
tap_isnt "$site" "" "there is a site with at least 120 assets to page through"
site=${site:-1}
FROM="FROM assets a JOIN products p ON p.id = a.product_id JOIN cost_centres c ON c.id = a.cost_centre_id WHERE a.site_id = $site"

# check_query QUERY SQLCOND NAME: the XML of the asset page for QUERY
# (with per=500, so every match is on page 1) has the matched count,
# the port total and the set of asset ids that SQLCOND selects.
check_query() {
	local want_n want_p want_ids
	xml_get "/sites/$site/assets?format=xml&per=500&$1"
	tap_is "$HTTP_STATUS" 200 "$3: 200"
	want_n=$(oms_sql "SELECT COUNT(*) $FROM AND ($2)")
	want_p=$(oms_sql "SELECT COALESCE(SUM(a.ports), 0) $FROM AND ($2)" | sed 's/\.0$//')
	want_ids=$(oms_sql "SELECT a.id $FROM AND ($2)")
	tap_is "$(oms_xpath "$XML" 'string(/page/result/@assets)')/$(oms_xpath "$XML" 'string(/page/result/@ports)')" \
	    "$want_n/$want_p" "$3: result/@assets and @ports equal SQL's"
	tap_is "$(sorted "$(xml_attrs "$XML" './assets/asset' id)")" "$(sorted "$want_ids")" "$3: exactly the assets SQL selects"
}

check_query "" "1" "asset query, no filter"
tap_num_ge "$(oms_xpath "$XML" 'string(/page/result/@assets)')" 120 "asset query, no filter: matches every asset of the site"
for t in line set mailbox; do
	check_query "type=$t" "p.asset_type = '$t'" "asset query type=$t"
	tap_is "$(xml_attrs "$XML" './assets/asset' type | sort -u)" "$t" "asset query type=$t: every row is a $t"
done
for s in pending active suspended removed; do
	check_query "status=$s" "a.status = '$s'" "asset query status=$s"
done
cc=$(oms_sql "SELECT a.cost_centre_id $FROM GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
check_query "cc=$cc" "a.cost_centre_id = $cc" "asset query cc=$cc"
tap_is "$(xml_attrs "$XML" './assets/asset' cc | sort -u)" "$(oms_sql "SELECT code FROM cost_centres WHERE id = $cc")" \
    "asset query cc=$cc: every row is charged to that cost centre"
# Free text: a piece of a number, an extension, a serial.  instr() is an
# independent substring test (the server uses LIKE with escapes).
num=$(oms_sql "SELECT phone_number $FROM AND phone_number IS NOT NULL ORDER BY a.id LIMIT 1")
for q in "${num: -4}" "$(oms_sql "SELECT extension $FROM AND extension IS NOT NULL ORDER BY a.id DESC LIMIT 1")" \
    "$(oms_sql "SELECT substr(serial, 4, 5) $FROM AND serial IS NOT NULL ORDER BY a.id LIMIT 1")"; do
	cond="instr(COALESCE(a.phone_number,''), '$q') OR instr(COALESCE(a.extension,''), '$q')
	    OR instr(COALESCE(a.mailbox,''), '$q') OR instr(COALESCE(a.serial,''), '$q')"
	check_query "q=$q" "$cond" "asset query q=$q"
	tap_num_ge "$(oms_xpath "$XML" 'string(/page/result/@assets)')" 1 "asset query q=$q finds something"
	tap_is "$(oms_xpath "$XML" 'string(/page/filter/@q)')" "$q" "asset query q=$q: the search text is echoed in filter/@q"
done
check_query "type=line&status=active&q=${num:2:3}" \
    "p.asset_type = 'line' AND a.status = 'active' AND (instr(COALESCE(a.phone_number,''), '${num:2:3}')
     OR instr(COALESCE(a.extension,''), '${num:2:3}') OR instr(COALESCE(a.mailbox,''), '${num:2:3}')
     OR instr(COALESCE(a.serial,''), '${num:2:3}'))" "asset query type+status+q together"
check_query "q=no-such-thing-at-all" "0" "asset query matching nothing"
tap_is "$(oms_xpath "$XML" 'string(/page/result/@pages)')" 1 "asset query matching nothing has one (empty) page"

# Sorting: each key, both ways, over every row of the site.
for key in number extension mailbox serial type status cc ports installed product tag; do
	for dir in asc desc; do
		xml_get "/sites/$site/assets?format=xml&per=500&sort=$key&dir=$dir"
		"$OMS_PYTHON" - "$XML" "$key" "$dir" >"$OMS_DIR/order.out" 2>&1 <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
key, desc = sys.argv[2], sys.argv[3] == "desc"
rows = list(root.iterfind("./assets/asset"))
total = int(root.find("./result").get("assets"))
if len(rows) != total:
    sys.exit("%d rows shown of %d matched" % (len(rows), total))
if key == "ports":
    vals = [int(r.get("ports")) for r in rows]
else:
    # NULLs sort first ascending, as in SQL; values compare bytewise.
    vals = [r.get(key, "").encode() for r in rows]
want = sorted(vals, reverse=desc)
if vals != want:
    i = next(i for i in range(len(vals)) if vals[i] != want[i])
    sys.exit("out of order at row %d: %r" % (i, vals[max(0, i - 2):i + 2]))
if len(set(vals)) < 2:
    sys.exit("too few distinct values to tell an order: %r" % vals[:3])
PY
		tap_ok $? "sort=$key dir=$dir: rows ordered by $key ${dir}ending" || tap_diag "$(cat "$OMS_DIR/order.out")"
	done
done

# Paging: per=25 pages 1 and 2 are per=50 page 1; all pages of per=50
# together are every asset once.
total=$(oms_sql "SELECT COUNT(*) $FROM")
pages=$(( (total + 49) / 50 ))
xml_get "/sites/$site/assets?format=xml&per=25&page=1"
p1=$(xml_attrs "$XML" './assets/asset' id)
tap_is "$(printf '%s\n' "$p1" | wc -l)" 25 "per=25 page 1 has 25 rows"
xml_get "/sites/$site/assets?format=xml&per=25&page=2"
p2=$(xml_attrs "$XML" './assets/asset' id)
tap_is "$(oms_xpath "$XML" 'string(/page/result/@first)')-$(oms_xpath "$XML" 'string(/page/result/@last)')" "26-50" \
    "per=25 page 2 shows rows 26 to 50"
tap_is "$(printf '%s\n%s\n' "$p1" "$p2" | sort | uniq -d)" "" "per=25 pages 1 and 2 do not overlap"
xml_get "/sites/$site/assets?format=xml&per=50&page=1"
tap_is "$(xml_attrs "$XML" './assets/asset' id)" "$(printf '%s\n%s' "$p1" "$p2")" "page 2 continues page 1 (per=25 x 2 = per=50 page 1)"
tap_is "$(oms_xpath "$XML" 'string(/page/result/@pages)')" "$pages" "result/@pages is ceil(matched / per)"
next=$(oms_xpath "$XML" 'string(/page/pager/link[@rel="next"]/@href)')
tap_like "$next" "^/sites/$site/assets\\?.*page=2" "page 1 has a pager link to page 2"
all=
for p in $(seq 1 "$pages"); do
	xml_get "/sites/$site/assets?format=xml&per=50&page=$p"
	tap_is "$(oms_xpath "$XML" 'string(/page/result/@assets)')/$(oms_xpath "$XML" 'string(/page/result/@page)')" \
	    "$total/$p" "per=50 page $p of $pages: counts and page number"
	all="$all$(xml_attrs "$XML" './assets/asset' id)
"
done
last_ids=$(xml_attrs "$XML" './assets/asset' id)
tap_is "$(printf '%s' "$all" | sed '/^$/d' | sort -n | uniq -d)" "" "all pages together: no asset twice"
tap_is "$(sorted "$all")" "$(sorted "$(oms_sql "SELECT a.id $FROM")")" "all pages together: every asset of the site"
xml_get "/sites/$site/assets?format=xml&per=50&page=$((pages + 5))"
tap_is "$HTTP_STATUS/$(oms_xpath "$XML" 'string(/page/result/@page)')" "200/$pages" "a page past the end shows the last page"
tap_is "$(xml_attrs "$XML" './assets/asset' id)" "$last_ids" "a page past the end has the last page's rows"
xml_get "/sites/$site/assets?format=xml&per=50&page=1000000"
tap_is "$HTTP_STATUS/$(oms_xpath "$XML" 'string(/page/result/@page)')" "200/$pages" "page=1000000 clamps to the last page"

# The HTML asset page shows the rows of the XML page.
http GET "/sites/$site/assets?type=line&per=100"
tap_is "$HTTP_STATUS" 200 "HTML asset page with type=line is 200"
cp "$HTTP_BODY" "$OMS_DIR/assets.html"
text=$(oms_html "$OMS_DIR/assets.html" text)
missing=
for n in $(oms_sql "SELECT a.phone_number $FROM AND p.asset_type = 'line' ORDER BY a.phone_number, a.id LIMIT 100"); do
	printf '%s\n' "$text" | grep -qF -- "$n" || missing="$missing $n"
done
tap_is "$missing" "" "HTML asset page shows the number of every line on the page"
tap_like "$text" "(^|[^0-9])$(oms_sql "SELECT COUNT(*) $FROM AND p.asset_type = 'line'")([^0-9]|\$)" "HTML asset page shows the matched count"
tap_is "$(oms_html "$OMS_DIR/assets.html" danger)" "" "HTML asset page holds no script but /static/ ones and no event handlers"

# ------------------------------------------------------- as of a date
# A day in the middle of the site's installations: some assets are not
# installed yet, and some removed since are still in service.  The XML
# of the query as of that day has the states SQL says were in effect.
half=$(( $(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $site") / 2 ))
asof=$(oms_sql "SELECT installed_on FROM assets WHERE site_id = $site ORDER BY installed_on LIMIT 1 OFFSET $half")
SFROM="FROM asset_states s JOIN products p ON p.id = s.product_id WHERE s.site_id = $site AND s.valid_from <= '$asof' AND (s.valid_to IS NULL OR s.valid_to > '$asof')"
check_asof() {
	xml_get "/sites/$site/assets?format=xml&per=500&asof=$asof$1"
	tap_is "$HTTP_STATUS/$(oms_xpath "$XML" 'string(/page/asof/@date)')/$(oms_xpath "$XML" 'string(/page/asof/@today)')" \
	    "200/$asof/no" "$3: 200, as of $asof (not today)"
	tap_is "$(oms_xpath "$XML" 'string(/page/result/@assets)')/$(oms_xpath "$XML" 'string(/page/result/@ports)')" \
	    "$(oms_sql "SELECT COUNT(*) $SFROM AND ($2)")/$(oms_sql "SELECT COALESCE(SUM(s.ports), 0) $SFROM AND ($2)" | sed 's/\.0$//')" \
	    "$3: count and ports are those of the states in effect"
	tap_is "$(sorted "$(xml_attrs "$XML" './assets/asset' id)")" "$(sorted "$(oms_sql "SELECT s.asset_id $SFROM AND ($2)")")" \
	    "$3: exactly the assets SQL has in effect that day"
}
check_asof "" "1" "asset query asof=$asof"
tap_num_ge "$(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $site")" "$(( $(oms_xpath "$XML" 'string(/page/result/@assets)') + 1 ))" \
    "asset query asof=$asof: fewer assets than today"
check_asof "&status=active" "s.status = 'active'" "asset query asof=$asof status=active"
check_asof "&type=line&sort=tag&dir=desc" "p.asset_type = 'line'" "asset query asof=$asof type=line sorted by tag"
next=$(oms_xpath "$XML" 'string(/page/columns/column[@key="number"]/@href)')
tap_like "$next" "asof=$asof" "as of a day, the column links keep the day"
xml_get "/sites/$site/assets?format=xml&per=10"
today=$(oms_xpath "$XML" 'string(/page/asof/@date)')
xml_get "/sites/$site/assets?format=xml&per=500&asof=$today"
tap_is "$(oms_xpath "$XML" 'string(/page/asof/@today)')/$(sorted "$(xml_attrs "$XML" './assets/asset' id)")" \
    "yes/$(sorted "$(oms_sql "SELECT a.id $FROM")")" "asof=today ($today) is the query of today, from the assets"
tap_is "$(xml_attrs "$XML" './assets/asset' tag | sed '/^A[0-9]\{8\}$/d' | wc -l)/$(xml_attrs "$XML" './assets/asset' tag | sort | uniq -d | wc -l)" \
    "0/0" "every row has a tag, A and eight digits, none twice"
http GET "/sites/$site/assets?asof=2026-02-30"
tap_is "$HTTP_STATUS" 400 "asof=2026-02-30 bad: 400"
tap_like "$(oms_html "$HTTP_BODY" text)" "asof" "asof=2026-02-30 bad: the message names the field"
http GET "/sites/$site/assets?asof=$asof&per=500"
tap_is "$(grep -o "As of <time datetime=\"$asof\">$asof</time>" "$HTTP_BODY")" "As of <time datetime=\"$asof\">$asof</time>" \
    "the HTML page says the day it is as of"
http GET "/sites/$site/assets?asof=$asof&format=csv"
tap_is "$HTTP_STATUS/$(($(tr -cd '\n' <"$HTTP_BODY" | wc -c) - 1))" "200/$(oms_sql "SELECT COUNT(*) $SFROM")" \
    "the CSV as of $asof has a record for each state in effect"

# ------------------------------------------------------- the asset page
aid=$(oms_sql "SELECT a.id FROM assets a WHERE a.site_id = $site AND a.removed_on IS NOT NULL ORDER BY a.id LIMIT 1")
http GET "/sites/$site/assets?per=500&sort=tag"
tap_like "$(grep -o "href=\"/assets/$aid\"" "$HTTP_BODY" | head -n 1)" "/assets/$aid" "the site's asset table links asset $aid to its page"
xml_get "/assets/$aid?format=xml"
tap_is "$HTTP_STATUS/$(oms_xpath "$XML" 'string(/page/asset/@tag)')/$(oms_xpath "$XML" 'string(/page/asset/@removed)')" \
    "200/$(oms_sql "SELECT tag FROM assets WHERE id = $aid")/$(oms_sql "SELECT removed_on FROM assets WHERE id = $aid")" \
    "the asset page of removed asset $aid: its tag and removal date"
tap_is "$(oms_xpath "$XML" 'count(/page/states/state)')/$(xml_attrs "$XML" './states/state' from | tr '\n' ' ')" \
    "$(oms_sql "SELECT COUNT(*) FROM asset_states WHERE asset_id = $aid")/$(oms_sql "SELECT valid_from FROM asset_states WHERE asset_id = $aid ORDER BY seq DESC" | tr '\n' ' ')" \
    "the asset page lists its states newest first, as SQL has them"
http GET "/assets/$aid"
tap_is "$HTTP_STATUS/$(oms_html "$HTTP_BODY" danger)" "200/" "the asset page as HTML: 200, no script but /static/ ones"
http GET "/assets/$(oms_sql 'SELECT MAX(id) + 1 FROM assets')"
tap_is "$HTTP_STATUS" 404 "the page of an asset that does not exist bad: 404"

# ------------------------------------------------------------ CSV
want_n=$(oms_sql "SELECT COUNT(*) $FROM AND p.asset_type = 'line'")
http GET "/sites/$site/assets?format=csv&type=line"
tap_is "$HTTP_STATUS" 200 "CSV export is 200"
tap_like "$(http_header Content-Type)" '^text/csv; charset=utf-8$' "CSV is text/csv; charset=utf-8"
tap_like "$(http_header Content-Disposition)" '^attachment; filename="[A-Za-z0-9._-]+\.csv"$' "CSV has Content-Disposition: attachment with a .csv name"
tap_is "$(http_header X-Content-Type-Options)" nosniff "CSV has X-Content-Type-Options: nosniff"
cp "$HTTP_BODY" "$OMS_DIR/assets.csv"
oms_sql "SELECT a.phone_number $FROM AND p.asset_type = 'line'" >"$OMS_DIR/want-numbers"
"$OMS_PYTHON" - "$OMS_DIR/assets.csv" "$want_n" "$OMS_DIR/want-numbers" >"$OMS_DIR/csv.out" 2>&1 <<'PY'
import csv, io, re, sys
raw = open(sys.argv[1], "rb").read()
want_n = int(sys.argv[2])
want_numbers = sorted(l.strip() for l in open(sys.argv[3]) if l.strip())
problems = []
text = raw.decode("utf-8")            # must be UTF-8
if not text.endswith("\r\n"):
    problems.append("the last record does not end with CRLF")
if re.search(r"(?<!\r)\n", text):
    problems.append("a line ends with a bare LF")
rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
if not rows:
    sys.exit("no header line")
header, body = rows[0], rows[1:]
if not header or not all(h.strip() for h in header):
    problems.append("header line has empty names: %r" % header)
if any(re.fullmatch(r"\+1\d{10}", h) for h in header):
    problems.append("the first line is data, not a header: %r" % header)
if len(body) != want_n:
    problems.append("%d data rows, SQL matches %d" % (len(body), want_n))
bad = [r for r in body if len(r) != len(header)]
if bad:
    problems.append("%d rows with a field count other than the header's %d, e.g. %r"
                    % (len(bad), len(header), bad[0]))
numbers = sorted(f for r in body for f in r if re.fullmatch(r"\+1\d{10}", f))
if numbers != want_numbers:
    problems.append("the telephone numbers differ from SQL's (%d vs %d)" % (len(numbers), len(want_numbers)))
commas = sum(1 for r in body for f in r if "," in f)
print("header: %r; %d rows; %d fields holding a comma" % (header, len(body), commas))
if problems:
    sys.exit("\n".join(problems))
PY
tap_ok $? "CSV parses as RFC 4180 (CRLF, header, quoting), one row per matched line, the numbers SQL has" ||
    tap_diag "$(cat "$OMS_DIR/csv.out")"
# Product names hold commas ("SIP trunk, 10 channels"): quoting matters.
oms_sql "SELECT COUNT(*) $FROM AND p.name LIKE '%,%'" >"$OMS_DIR/n-comma"
http GET "/sites/$site/assets?format=csv"
cp "$HTTP_BODY" "$OMS_DIR/all.csv"
"$OMS_PYTHON" - "$OMS_DIR/all.csv" "$(oms_sql "SELECT COUNT(*) $FROM")" >"$OMS_DIR/csv.out" 2>&1 <<'PY'
import csv, io, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8").read(), newline=""), strict=True))
n = int(sys.argv[2])
if len(rows) - 1 != n:
    sys.exit("%d data rows, SQL matches %d" % (len(rows) - 1, n))
if any(len(r) != len(rows[0]) for r in rows):
    sys.exit("ragged rows")
PY
tap_ok $? "unfiltered CSV: every asset of the site (not one page), rows as wide as the header" ||
    tap_diag "$(cat "$OMS_DIR/csv.out")"

# -------------------------------------------------------- errors, HEAD
maxc=$(oms_sql 'SELECT MAX(id) + 1000 FROM customers')
maxs=$(oms_sql 'SELECT MAX(id) + 1000 FROM sites')
for path in /no/such/page /customers/ /customers/0 /customers/abc /customers/01 "/customers/$maxc" \
    "/sites/$maxs/assets" /sites/1/assets/x /static-not; do
	http GET "$path"
	tap_is "$HTTP_STATUS" 404 "GET $path is 404"
done
http GET "/customers/$maxc"
tap_like "$(http_header Content-Type)" '^text/html; charset=utf-8$' "the 404 page is HTML"
tap_is "$(http_header X-Frame-Options)" DENY "the 404 page has the security headers too"
tap_like "$(oms_html "$HTTP_BODY" text)" 'no such customer' "the 404 page says there is no such customer"
xml_get "/sites/$maxs/assets" -H 'Accept: application/xml'
tap_is "$HTTP_STATUS/$(oms_xpath "$XML" 'string(/page/error/@status)')" "404/404" "a 404 asked for as XML is an XML error document"

for path in /customers "/customers/$cust" "/sites/$site/assets" /healthz; do
	http POST "$path" -d 'a=b'
	tap_is "$HTTP_STATUS" 405 "POST $path is 405"
	tap_like "$(http_header Allow)" '^GET, HEAD$' "POST $path: Allow: GET, HEAD"
done
http PUT /customers
tap_is "$HTTP_STATUS" 405 "PUT /customers is 405"

http HEAD "/sites/$site/assets"
tap_is "$HTTP_STATUS" 200 "HEAD on the asset page is 200"
tap_like "$(http_header Content-Type)" '^text/html' "HEAD has the Content-Type of GET"
# curl -I reads no body; a raw HTTP/1.0 HEAD shows what is really sent.
raw=$(exec 3<>"/dev/tcp/127.0.0.1/$OMS_PORT" &&
    printf 'HEAD /customers HTTP/1.0\r\nHost: localhost\r\nCookie: %s\r\n\r\n' "$(oms_session_cookie)" >&3 &&
    timeout 60 cat <&3 | od -An -c | tr -s ' \n' ' ')
tap_like "$raw" '^ H T T P / 1 \. 1 2 0 0' "raw HEAD /customers is answered 200"
tap_like "$raw" '\\r \\n \\r \\n $' "raw HEAD /customers: nothing after the header block"

# ------------------------------------------------------------- static
http GET /static/oms.css
tap_is "$HTTP_STATUS" 200 "nginx serves /static/oms.css"
tap_like "$(http_header Content-Type)" '^text/css; charset=utf-8$' "oms.css is text/css; charset=utf-8"
cmp -s "$HTTP_BODY" "$OMS_SRCDIR/www/static/oms.css"
tap_ok $? "oms.css is the file in www/static"
tap_is "$(http_header X-Content-Type-Options)" nosniff "static files have X-Content-Type-Options"
http GET /static/no-such-file.css
tap_is "$HTTP_STATUS" 404 "a missing static file is 404"
tap_file_like "$OMS_DIR/customers.html" 'href="/static/oms\.css"' "the pages link the stylesheet nginx serves"

# --------------------------------------------------------- no 500 seen
tap_is "$(grep -c '^5' "$OMS_DIR/http.log")" 0 "no request answered 5xx" ||
    tap_diag "$(grep '^5' "$OMS_DIR/http.log" | head)"
# ------------------------------------------------------ long headers
# A 303 to the login form carries the whole address in next=.  Header
# blocks past 4 KB cannot pass nginx's FastCGI buffer at all (the unit
# test test_route checks omsd's header builder with a 6 KB Location);
# here a Location of about 2,900 bytes arrives whole, with the headers
# after it.
longq="q=$(printf '%%F0%.0s' $(seq 1 580))"
OMS_JAR='' http GET "/customers?$longq"
tap_is "$HTTP_STATUS" 303 "anonymous GET with a 1,742-byte query is sent to log in (303)"
loc=$(http_header Location)
tap_num_ge "${#loc}" 2900 "the Location of about 2,900 bytes is not dropped"
tap_is "$loc" "/login?next=$(oms_urlencode "/customers?$longq")" "the long Location is the login form with the whole address in next"
tap_like "$(http_header Content-Security-Policy)" "default-src" "the headers after the long Location arrive too"
tap_like "$(http_header Content-Type)" '^text/plain; charset=utf-8$' "the 303's text body says its charset"
tap_done
