#!/bin/bash
# Repeated fields through nginx and omsd, on the user form: a site
# ticked twice (sites=7&sites=7, the only 5xx of a 240,000-request
# scanner pass) is one site, when creating and when editing an
# account; every single-valued field of the form given twice is a 400
# that names it and changes nothing.  Expected values come from SQL.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint "$OMS_PYTHON"
oms_start

# The admin's form token, as its pages carry it.
http GET '/customers?format=xml'
TOK=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
tap_like "$TOK" '^[A-Za-z0-9_-]{43}$' "the admin's session has a form token"

# post PATH DATA: a form as a browser sends it (token, same-site Origin).
post() {
	http POST "$1" --data "csrf=$TOK&$2" -H "Origin: $OMS_URL"
}

# sites_of ID: the sites of account ID, space-separated, in order.
sites_of() {
	oms_sql "SELECT site_id FROM user_sites WHERE user_id = $1 ORDER BY site_id" | tr '\n' ' '
}

cust=$(oms_sql 'SELECT MIN(id) FROM customers')
# shellcheck disable=SC2046 # ids, one a word
set -- $(oms_sql "SELECT id FROM sites WHERE customer_id = $cust ORDER BY id LIMIT 2")
s1=$1 s2=$2
base="name=Sam+Sites&email=sam%40example.com&role=customer&organisation=Sam+Co&customer=$cust"

# ------------------------------------------------ a site given twice
post /admin/users "login=sam&$base&password=Sam-password-77&sites=$s1&sites=$s1"
tap_is "$HTTP_STATUS" 303 "creating an account with sites=$s1&sites=$s1: 303, not 500" ||
    tap_diag "$(oms_html "$HTTP_BODY" text | tail -n 3)"
sam=$(oms_sql "SELECT id FROM users WHERE login = 'sam'")
tap_is "$(sites_of "${sam:-0}")" "$s1 " "the account has the one site"
tap_like "$(oms_sql "SELECT after_value FROM audit_log WHERE entity_id = '${sam:-0}' AND action = 'create'")" \
    "sites: $s1([^0-9,]|$)" "the audit record lists the site once"

post "/admin/users/${sam:-0}" "$base&sites=$s1&sites=$s1"
tap_is "$HTTP_STATUS" 303 "editing it with sites=$s1&sites=$s1: 303, not 500" ||
    tap_diag "$(oms_html "$HTTP_BODY" text | tail -n 3)"
tap_is "$(sites_of "${sam:-0}")" "$s1 " "the account still has the one site"

post "/admin/users/${sam:-0}" "$base&sites=$s2&sites=$s1&sites=$s2&sites=$s1"
tap_is "$HTTP_STATUS" 303 "editing it with two sites given twice each: 303"
tap_is "$(sites_of "${sam:-0}")" "$(printf '%s\n' "$s1" "$s2" | sort -n | tr '\n' ' ')" \
    "the account has the two sites, once each"
http GET "/admin/users/${sam:-0}?format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/user/sites/option[@selected])')" 2 \
    "its page shows the two sites ticked"

# ------------------------------- a single-valued field given twice
n0=$(oms_sql 'SELECT COUNT(*) FROM audit_log')
for f in name email role organisation customer; do
	v=$(printf '%s' "$base" | tr '&' '\n' | sed -n "s/^$f=//p")
	post "/admin/users/${sam:-0}" "$base&$f=$v&sites=$s1"
	tap_is "$HTTP_STATUS" 400 "bad: $f given twice: 400"
	tap_like "$(oms_html "$HTTP_BODY" text)" "field '$f' given more than once" \
	    "bad: $f given twice: the page names the field"
done
post "/admin/users/${sam:-0}" "$base&csrf=$TOK&sites=$s1"
tap_like "$HTTP_STATUS" '^4' "bad: the form token given twice: 4xx"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM audit_log')" "$n0" "bad: none of them changed anything"
tap_is "$(sites_of "${sam:-0}")" "$(printf '%s\n' "$s1" "$s2" | sort -n | tr '\n' ' ')" \
    "bad: the account keeps its two sites"

# ------------------------------------------------------------ last
tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx or went unanswered" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | head)"
tap_done
