#!/bin/bash
# MAC orders through nginx and omsd, as the users of each role would
# use the pages: the demo customer user opens the new-order form of a
# site of its customer, records a draft with a first line, adds two
# lines and removes one, submits; the vendor approves, schedules,
# enters each line's number and completes; the site's asset query then
# lists the new assets and its count grew by the lines.  Refusals: a
# finance user's action (403), a stale version (409, nothing changed),
# another customer's user (404, as a missing order), a bad filter and
# a refused line (400 with the message in the page), an action that
# the state forbids (409).  The list's filters, XML and CSV export.
# Expected values come from SQL.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint "$OMS_PYTHON"
oms_start

declare -A JAR CSRF
# as ROLE: make ROLE's session the one http sends.
as() { OMS_JAR=${JAR[$1]}; }
for r in admin vendor finance customer; do
	oms_login "$r" || tap_bail "cannot log in as $r"
	mv "$OMS_JAR" "$OMS_JAR.orders"
	JAR[$r]=$OMS_JAR.orders
	as "$r"
	http GET '/customers?format=xml'
	CSRF[$r]=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
done

# post ROLE PATH FIELD=VALUE...: a form POST as ROLE with its token.
post() {
	local role=$1 path=$2 a args=()
	shift 2
	for a in "$@"; do args+=(--data-urlencode "$a"); done
	as "$role"
	http POST "$path" --data-urlencode "csrf=${CSRF[$role]}" "${args[@]}"
}
# xp XPATH: an XPath over the last body.
xp() { oms_xpath "$HTTP_BODY" "$1"; }
# col COLUMN: a column of the order $id in SQL (one query a column:
# the dialects concatenate differently).
col() { oms_sql "SELECT $1 FROM orders WHERE id = $id"; }
# version ID: the order's version in SQL.
version() { oms_sql "SELECT version FROM orders WHERE id = $1"; }

own_c=$(oms_sql "SELECT customer_id FROM users WHERE login = 'customer'")
other_c=$(oms_sql "SELECT MIN(customer_id) FROM sites WHERE customer_id <> $own_c")
site=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $own_c")
other_site=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $other_c")
cc=$(oms_sql "SELECT MIN(id) FROM cost_centres WHERE customer_id = $own_c")
product=$(oms_sql "SELECT MIN(id) FROM products WHERE asset_type = 'line'")
before=$(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $site AND status <> 'removed'")
tap_ok "$([ -n "$site" ] && [ -n "$cc" ] && [ -n "$product" ]; echo $?)" \
    "the demo data has a site ($site), a cost centre ($cc) and a line product ($product) of the customer user's customer"

# ------------------------------------------------------ the customer
as customer
http GET /orders/new
tap_is "$HTTP_STATUS" 200 "the customer user opens the new-order site picker"
tap_like "$(cat "$HTTP_BODY")" "/orders/new\\?site=$site\"" "which links the form of its site $site"
http GET "/orders/new?site=$other_site"
tap_is "$HTTP_STATUS" 404 "bad: the form for another customer's site is 404"
http GET "/orders/new?site=$site&format=xml"
tap_is "$HTTP_STATUS/$(xp "count(/page/form/line/products/option[@value=$product])")" 200/1 \
    "the form for its site offers the product"
tap_is "$(xp 'string(/page/form/line/@override)')" no "and no fee override to a customer user"

post customer /orders site="$site" action=add product="$product" cc="$cc" ports=1 \
    requested=2026-01-15 fee=10.00 reason=because
tap_is "$HTTP_STATUS" 403 "bad: a customer user's fee override is refused (403)"
tap_like "$(cat "$HTTP_BODY")" 'override a fee' "with the domain's reason in the form"
post customer /orders site="$site" action=bogus product="$product"
tap_is "$HTTP_STATUS" 400 "bad: an unknown action is refused (400)"
tap_like "$(cat "$HTTP_BODY")" 'role="alert"' "with the message in the form"
n0=$(oms_sql 'SELECT COUNT(*) FROM orders')
post customer /orders site="$site" action=add product="$product" cc="$cc" ports=1 \
    notes="Three new lines"
tap_is "$HTTP_STATUS" 303 "the customer user records a draft (303)"
loc=$(http_header Location)
id=${loc#/orders/}
tap_like "$loc" '^/orders/[0-9]+$' "to the new order ($loc)"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM orders')" "$((n0 + 1))" "one order more"
tap_is "$(col state)/$(col customer_id)/$(col requested_on)" \
    "draft/$own_c/$(date -u +%F)" "a draft of its customer, requested for today by default"

http GET "$loc?format=xml"
tap_is "$(xp 'string(/page/order/@state)')/$(xp 'count(/page/order/lines/line)')" draft/1 "the order page shows the draft with one line"
tap_is "$(xp 'count(/page/order/verbs/verb)')/$(xp 'string(/page/order/verbs/verb/@name)')" "$(
    [ "$(oms_sql "SELECT approval_required FROM customers WHERE id = $own_c")" = 1 ] && echo 2/submit || echo 2/submit)" \
    "its buttons: submit and cancel"
tap_is "$(xp 'count(/page/order/verbs/verb[@name="cancel"])')" 1 "cancel is one of them"
tap_is "$(xp 'count(/page/order/lineform)')/$(xp 'count(/page/order/lines/line/@remove)')" 1/1 \
    "the draft has the add-line form and a remove button"

v=$(version "$id")
for k in 2 3 4; do
	post customer "/orders/$id/lines" version="$v" action=add product="$product" cc="$cc" ports=1
	tap_is "$HTTP_STATUS/$(http_header Location)" "303//orders/$id" "line $k is added (303 back to the order)"
	v=$(version "$id")
done
post customer "/orders/$id/lines/4/delete" version="$v"
tap_is "$HTTP_STATUS" 303 "line 4 is removed"
tap_is "$(oms_sql "SELECT COUNT(*) FROM order_lines WHERE order_id = $id")" 3 "three lines remain"
v=$(version "$id")
post customer "/orders/$id/lines" version="$v" action=add product="$product" cc=999999
tap_is "$HTTP_STATUS" 400 "bad: a line with another customer's cost centre is refused (400)"
tap_like "$(cat "$HTTP_BODY")" 'Line 4: choose a cost centre' "with the domain's sentence in the order page"
tap_is "$(version "$id")" "$v" "and the order is unchanged"

http GET "/orders/$id?format=xml"
fee=$(oms_sql "SELECT COALESCE(SUM(CASE WHEN fee_override_cents IS NOT NULL THEN fee_override_cents WHEN fee_priced = 1 THEN fee_cents ELSE 0 END), 0) FROM order_lines WHERE order_id = $id")
mrc=$(oms_sql "SELECT COALESCE(SUM(mrc_after_cents - mrc_before_cents), 0) FROM order_lines WHERE order_id = $id")
tap_is "$(xp 'string(/page/order/totals/@fee)')/$(xp 'string(/page/order/totals/@mrc-change)')" "$fee/$mrc" \
    "the order's totals are SQL's sums over its lines"

post customer "/orders/$id/act" verb=submit version="$v" comment="Please install"
tap_is "$HTTP_STATUS" 303 "the customer user submits"
state=$(oms_sql "SELECT state FROM orders WHERE id = $id")
if [ "$state" = awaiting_approval ]; then
	# The customer approves its own orders: its approver does.
	post admin "/orders/$id/act" verb=approve version="$(version "$id")"
	state=$(oms_sql "SELECT state FROM orders WHERE id = $id")
fi
tap_is "$state" submitted "the order waits for the vendor"

# --------------------------------------------------------- refusals
v=$(version "$id")
post finance "/orders/$id/act" verb=approve version="$v"
tap_is "$HTTP_STATUS" 403 "bad: a finance user may not approve (403)"
tap_like "$(cat "$HTTP_BODY")" 'role="alert"' "the order page says why"
tap_is "$(version "$id")/$(oms_sql "SELECT state FROM orders WHERE id = $id")" "$v/submitted" "and nothing changed"
post customer "/orders/$id/act" verb=complete version="$v" date="$(date -u +%F)"
tap_like "$HTTP_STATUS" '^40[39]$' "bad: a customer user may not complete"
post vendor "/orders/$id/act" verb=approve version="$((v - 1))"
tap_is "$HTTP_STATUS" 409 "bad: the vendor's approval at a stale version is 409"
tap_like "$(cat "$HTTP_BODY")" 'Someone changed this order' "saying someone changed the order"
tap_is "$(version "$id")/$(oms_sql "SELECT state FROM orders WHERE id = $id")" "$v/submitted" "and nothing changed"

# Another customer's user: the order is missing.
printf '%s\n' Orders-other-password-1 | oms_ctl user add ord-other --role customer --name Other \
    --email ord-other@example.com --organisation Other --customer "$other_c" >/dev/null 2>&1
oms_login ord-other Orders-other-password-1 || tap_bail "cannot log in as ord-other"
http GET "/orders/$id"
got=$HTTP_STATUS
http GET '/orders?format=xml'
tap_is "$got/$(xp "count(/page/orders/order[@id=$id])")" 404/0 "bad: another customer's user gets 404 and does not list the order"
otok=$(http GET '/customers?format=xml' >/dev/null; xp 'string(/page/session/@csrf)')
http POST "/orders/$id/comments" --data-urlencode "csrf=$otok" --data-urlencode "comment=peek"
tap_is "$HTTP_STATUS" 404 "bad: nor may it comment on it (404)"

# ---------------------------------------------------------- the vendor
post vendor "/orders/$id/act" verb=approve version="$v" comment="OK"
tap_is "$HTTP_STATUS" 303 "the vendor approves"
as vendor
http GET "/orders/$id?format=xml"
tap_is "$(xp 'string(/page/order/@state)')/$(xp 'count(/page/order/lines/line/@fill)')" approved/3 \
    "approved: the vendor may enter each line's identifiers"
day=$(date -u +%F)
post vendor "/orders/$id/act" verb=schedule version="$(version "$id")" date="$day"
tap_is "$HTTP_STATUS/$(col state) $(col scheduled_on)" \
    "303/scheduled $day" "the vendor schedules it for $day"
base=$((5550100 + RANDOM % 800))
for k in 1 2 3; do
	post vendor "/orders/$id/lines/$k" version="$(version "$id")" number="+1 416 $((base + k))"
	tap_is "$HTTP_STATUS" 303 "the vendor enters line $k's number"
done
post vendor "/orders/$id/act" verb=complete version="$(version "$id")" date="$day"
tap_is "$HTTP_STATUS" 303 "the vendor completes the order"
tap_is "$(col state) $(col completed_on)" "completed $day" "completed on $day"
post vendor "/orders/$id/act" verb=cancel version="$(version "$id")"
tap_is "$HTTP_STATUS" 409 "bad: a completed order cannot be cancelled (409)"

as customer
http GET "/orders/$id?format=xml"
tap_is "$(xp 'count(/page/order/verbs/verb)')" 0 "the completed order offers the customer no button"
tap_is "$(xp 'count(/page/order/lines/line[@asset-href])')" 3 "each line links its asset"
after=$(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $site AND status <> 'removed'")
tap_is "$after" "$((before + 3))" "the site has three assets more"
http GET "/sites/$site/assets?format=xml&q=$((base + 1))"
tap_is "$(xp 'string(/page/result/@assets)')" 1 "the site asset query finds the first new number"
http GET "/sites/$site/assets?format=xml"
tap_is "$(xp 'string(/page/result/@assets)')" "$(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $site")" \
    "and counts SQL's assets of the site"

post customer "/orders/$id/comments" comment="Thanks"
tap_is "$HTTP_STATUS" 303 "the customer user comments on the completed order"
http GET "/orders/$id?format=xml"
tap_is "$(xp 'string(/page/order/comments/comment[last()])')" Thanks "the comment shows"

# --------------------------------------------------------- the list
http GET '/orders?format=xml'
tap_is "$HTTP_STATUS/$(xp 'string(/page/result/@orders)')" \
    "200/$(oms_sql "SELECT COUNT(*) FROM orders WHERE customer_id = $own_c")" \
    "the customer user's list counts its customer's orders"
http GET '/orders?state=completed&action=add&format=xml'
tap_is "$(xp "count(/page/orders/order[@id=$id])")" 1 "filtered by state and action, the order is listed"
http GET '/orders?state=draft&format=xml'
tap_is "$(xp "count(/page/orders/order[@id=$id])")" 0 "bad: not among the drafts"
http GET '/orders?from=2026-13-01'
tap_is "$HTTP_STATUS" 400 "bad: a bad date filter is 400"
tap_like "$(cat "$HTTP_BODY")" "'from' date" "with the message on the page"
http GET '/orders?action=teleport'
tap_is "$HTTP_STATUS" 400 "bad: an unknown action filter is 400"
http GET '/orders?format=csv'
ref=$(oms_sql "SELECT ref FROM orders WHERE id = $id")
tap_is "$HTTP_STATUS/$(http_header Content-Type)" "200/text/csv; charset=utf-8" "the CSV export answers text/csv"
tap_is "$("$OMS_PYTHON" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
print(len(rows) - 1, sum(1 for r in rows if r[0] == sys.argv[2] and r[5] == "completed"))' "$HTTP_BODY" "$ref")" \
    "$(oms_sql "SELECT COUNT(*) FROM orders WHERE customer_id = $own_c") 1" \
    "the CSV has a row for each of the customer's orders, the completed one among them"
as admin
http GET "/orders?customer=$own_c&format=xml"
tap_is "$(xp 'string(/page/result/@orders)')" "$(oms_sql "SELECT COUNT(*) FROM orders WHERE customer_id = $own_c")" \
    "staff filter by customer"
http GET /orders
tap_is "$HTTP_STATUS" 200 "the HTML list renders"
tap_like "$(cat "$HTTP_BODY")" "href=\"/orders/$id\"" "and links the order"
http GET "/orders/$id"
tap_is "$HTTP_STATUS" 200 "the HTML order page renders"

tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | head)"
tap_done
