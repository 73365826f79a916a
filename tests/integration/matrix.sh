#!/bin/bash
# The authorization matrix, generated from `omsctl routes`: every route
# x every role (admin, vendor, finance, customer, anonymous) x the
# cases of its {id} (an object of the customer user's own customer,
# one of another customer, an id that does not exist; routes without
# {id} once).  The status each cell must give follows from the route's
# permission and the roles' permissions (DESIGN.md "Who may do what"):
#
#	anonymous, route not public   303 to /login?next=PATH for an HTML
#	                              GET; 401 for XML and for POST
#	role without the permission   403
#	customer user, another        404, the body byte for byte that of
#	customer's customer or site   an id that does not exist
#	otherwise                     what the handler answers (200, 303,
#	                              404 for a missing id)
#
# GETs are asked for as HTML and as XML; POSTs carry the role's own
# valid CSRF token, so a 403 is the permission's and not the token's.
# State-changing POSTs run after every GET, aim at throw-away accounts,
# and must change the accounts (users table and audit log) exactly
# when they are allowed to.  Then scope: what a customer user lists
# and totals is its customer's only (and, when limited to two sites,
# those two sites only), as HTML, XML and CSV, compared with SQL; and
# no body fetched as a customer user names another customer.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint "$OMS_PYTHON"
oms_start

ROLES="admin vendor finance customer anonymous"
declare -A JAR CSRF EXPO
for r in admin vendor finance customer; do
	oms_login "$r" || tap_bail "cannot log in as $r"
	# Kept apart: a later oms_login of the same user replaces its jar.
	mv "$OMS_JAR" "$OMS_JAR.matrix"
	JAR[$r]=$OMS_JAR.matrix
	OMS_JAR=${JAR[$r]}
	http GET '/customers?format=xml'
	CSRF[$r]=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
	tap_like "${CSRF[$r]}" '^[A-Za-z0-9_-]{32,}$' "$r is logged in and its pages carry a CSRF token"
done
JAR[anonymous]=
CSRF[anonymous]=

# relogin ROLE: a fresh session for ROLE in its jar, and its token.
# Logging in again ends the session that sent the form, so the matrix's
# session of a role that just passed POST /login is gone.
relogin() {
	oms_login "$1" || tap_bail "cannot log in again as $1"
	mv "$OMS_JAR" "${JAR[$1]}"
	OMS_JAR=${JAR[$1]}
	http GET '/customers?format=xml'
	CSRF[$1]=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
}

# -------------------------------------------------------- the objects
own_c=$(oms_sql "SELECT customer_id FROM users WHERE login = 'customer'")
tap_is "$own_c" "$(oms_sql 'SELECT MIN(id) FROM customers')" "the demo customer user belongs to the customer with the lowest id"
other_c=$(oms_sql "SELECT MIN(customer_id) FROM sites WHERE customer_id <> $own_c")
own_s=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $own_c")
other_s=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $other_c")
# shellcheck disable=SC2034 # none_c, none_s, none_u: read by object()
none_c=$(oms_sql 'SELECT MAX(id) + 1000 FROM customers')
none_s=$(oms_sql 'SELECT MAX(id) + 1000 FROM sites')
# Assets: one of the customer user's customer, one of another customer.
own_a=$(oms_sql "SELECT MIN(a.id) FROM assets a JOIN sites s ON s.id = a.site_id WHERE s.customer_id = $own_c")
other_a=$(oms_sql "SELECT MIN(a.id) FROM assets a JOIN sites s ON s.id = a.site_id WHERE s.customer_id = $other_c")
# shellcheck disable=SC2034 # read by object()
none_a=$(oms_sql 'SELECT MAX(id) + 1000 FROM assets')
tap_ok "$([ -n "$other_c" ] && [ -n "$own_s" ] && [ -n "$other_s" ]; echo $?)" \
    "the data has a site of the customer user's customer ($own_s) and one of another customer ($other_s)"

# Two orders for the order routes, made through the pages as the
# administrator: a draft of the customer user's customer and one of
# another customer; none_o an order that does not exist.
order_for() {
	local s=$1 c=$2 cc product
	cc=$(oms_sql "SELECT MIN(id) FROM cost_centres WHERE customer_id = $c")
	product=$(oms_sql "SELECT MIN(id) FROM products WHERE asset_type = 'line'")
	OMS_JAR=${JAR[admin]}
	http POST /orders --data "csrf=${CSRF[admin]}&site=$s&action=add&product=$product&cc=$cc&ports=1"
	local loc
	loc=$(http_header Location)
	echo "${loc#/orders/}"
}
own_o=$(order_for "$own_s" "$own_c")
other_o=$(order_for "$other_s" "$other_c")
# shellcheck disable=SC2034
none_o=$(oms_sql 'SELECT MAX(id) + 1000 FROM orders')
# A billing run for /billing/runs/{id} (runs belong to no customer: own
# and other are the same run).
oms_sql_write "INSERT INTO billing_runs (period, business_day, requested_by, requested_at, state, message)
    VALUES ('2000-01', '2000-02-01', 'matrix', '2000-02-01T00:00:00Z', 'failed', 'matrix')" >/dev/null
# shellcheck disable=SC2034 # own_r, other_r, none_r: read by object()
own_r=$(oms_sql 'SELECT MAX(id) FROM billing_runs')
# shellcheck disable=SC2034
other_r=$own_r
# shellcheck disable=SC2034
none_r=$((own_r + 1000))
# Two messages of the outbox for /integration/messages/{id} (issue 10):
# own_m one to the vendor, other_m one to finance, both pending (a
# resend is then refused, 409, and changes nothing).
for m in vendor finance; do
	oms_sql_write "INSERT INTO outbox (message_id, system, kind, seq_key, seq, state, attempts,
	    next_attempt_at, body, created_at, updated_at) VALUES ('matrix-$m', '$m',
	    'PlaceOrder', 'MATRIX-$m', 1, 'pending', 0, '2000-01-01T00:00:00.000Z',
	    '<PlaceOrder xmlns=\"urn:oms:exchange:1\"/>', '2000-01-01T00:00:00.000Z',
	    '2000-01-01T00:00:00.000Z')" >/dev/null
done
# shellcheck disable=SC2034 # own_m, other_m, none_m: read by object()
own_m=$(oms_sql "SELECT id FROM outbox WHERE message_id = 'matrix-vendor'")
# shellcheck disable=SC2034
other_m=$(oms_sql "SELECT id FROM outbox WHERE message_id = 'matrix-finance'")
# shellcheck disable=SC2034
none_m=$(oms_sql 'SELECT MAX(id) + 1000 FROM outbox')
tap_ok "$([ "$(oms_sql "SELECT customer_id FROM orders WHERE id = ${own_o:-0}")" = "$own_c" ] &&
    [ "$(oms_sql "SELECT customer_id FROM orders WHERE id = ${other_o:-0}")" = "$other_c" ]; echo $?)" \
    "two orders to aim the order routes at ($own_o of the customer user's customer, $other_o of another)"

# Invoices for the invoice routes (issue 9): the demo data's month
# 2026-01 issued as finance would, at the business date 2026-02-01;
# own_i an invoice of the customer user's customer, other_i one of
# another customer, none_i one that does not exist.
out=$(oms_ctl --today 2026-02-01 bill issue --period 2026-01 2>&1)
tap_is "$?" 0 "omsctl bill issue --period 2026-01 issues the demo data's invoices" || tap_diag "$out"
own_i=$(oms_sql "SELECT MIN(id) FROM invoices WHERE customer_id = $own_c")
# shellcheck disable=SC2034 # other_i, none_i: read by object()
other_i=$(oms_sql "SELECT MIN(id) FROM invoices WHERE customer_id <> $own_c")
# shellcheck disable=SC2034
none_i=$(oms_sql 'SELECT COALESCE(MAX(id), 0) + 1000 FROM invoices')
tap_ok "$([ -n "$own_i" ] && [ -n "$other_i" ]; echo $?)" \
    "two invoices to aim the invoice routes at ($own_i of the customer user's customer, $other_i of another)"
# Their stored documents, for the PDF routes.  Who may open a PDF is
# what is checked here, not the PDF: a stand-in renderer writes a
# minimal one (the real renderer is tests/integration/documents.sh's).
cat >"$OMS_DIR/stub-renderer" <<'SH'
#!/bin/sh
while [ $# -ge 2 ]; do printf '%%PDF-1.4\n%%%%EOF\n' >"$2"; shift 2; done
SH
chmod +x "$OMS_DIR/stub-renderer"
cp "$OMS_CONF" "$OMS_DIR/docs.conf"
printf '\n[billing]\npdf_renderer = %s\npdf_max_lines = 0\n' "$OMS_DIR/stub-renderer" >>"$OMS_DIR/docs.conf"
out=$("$OMS_BUILDDIR/omsctl" -f "$OMS_DIR/docs.conf" bill documents 2>&1)
tap_is "$?" 0 "omsctl bill documents stores the invoices' documents" || tap_diag "$out"

# Throw-away accounts for the account routes: one of the customer
# user's customer, one of another customer.
TPW=Matrix-throwaway-password-1
for t in own other; do
	c=$own_c
	[ "$t" = other ] && c=$other_c
	printf '%s\n' "$TPW" | oms_ctl user add "mx-$t" --role customer --name "Matrix $t" \
	    --email "mx-$t@example.com" --organisation "Matrix $t" --customer "$c" >/dev/null 2>&1
done
own_u=$(oms_sql "SELECT id FROM users WHERE login = 'mx-own'")
other_u=$(oms_sql "SELECT id FROM users WHERE login = 'mx-other'")
# shellcheck disable=SC2034
none_u=$(oms_sql 'SELECT MAX(id) + 1000 FROM users')
tap_ok "$([ -n "$own_u" ] && [ -n "$other_u" ]; echo $?)" "two throw-away accounts to aim the account routes at"

# Products belong to no customer: "own" and "other" are one product,
# which every role with the catalog permission may see.
own_p=$(oms_sql 'SELECT MIN(id) FROM products')
# shellcheck disable=SC2034 # other_p, none_p: read by object()
other_p=$own_p
# shellcheck disable=SC2034
none_p=$(oms_sql 'SELECT MAX(id) + 1000 FROM products')
tap_ok "$([ -n "$own_p" ]; echo $?)" "a product to aim the catalog routes at ($own_p)"

# The names of every other customer, raw and as escaped in HTML/XML: a
# body fetched as the customer user must hold none of them.
LEAKS=$OMS_DIR/leak-names
oms_sql "SELECT name FROM customers WHERE id <> $own_c" |
    sed -e 'p' -e 's/&/\&amp;/g' | sort -u >"$LEAKS"
LEAKED=

# -------------------------------------------------- the expectations

# role_may ROLE PERMISSION: the one table of DESIGN.md "Who may do what"
# for the permissions routes declare.  Unknown permissions: no one.
role_may() {
	case $2 in
	public) return 0 ;;
	session | inventory | catalog | orders) [ "$1" != anonymous ] ;;
	catalog-edit) [ "$1" = admin ] || [ "$1" = vendor ] ;;
	users | audit | import) [ "$1" = admin ] ;;
	# Invoices: the operator, finance and customers; not the Vendor.
	invoices) [ "$1" = admin ] || [ "$1" = finance ] || [ "$1" = customer ] ;;
	billing) [ "$1" = admin ] || [ "$1" = finance ] ;;
	# The integration page (issue 10): the operator, and vendor and
	# finance staff for their own system; the reconciliation: the
	# operator and finance.
	integration) [ "$1" = admin ] || [ "$1" = vendor ] || [ "$1" = finance ] ;;
	reconcile) [ "$1" = admin ] || [ "$1" = finance ] ;;
	*) return 1 ;;
	esac
}

# object PATTERN CASE: the id a case stands for in a route.
object() {
	local kind
	case $1 in
	/customers/*) kind=c ;;
	/sites/*) kind=s ;;
	/admin/users/*) kind=u ;;
	/catalog/*) kind=p ;;
	/assets/*) kind=a ;;
	/orders/*) kind=o ;;
	/invoices/*) kind=i ;;
	/billing/runs/*) kind=r ;;
	/integration/messages/*) kind=m ;;
	*) echo 0; return ;;
	esac
	local v="${2}_$kind"
	echo "${!v}"
}

# expect METHOD PATTERN PERM ROLE CASE FMT: sets EXP (a status, or
# "unknown") and EXP_LOC (the Location of a 303, a prefix).
expect() {
	local m=$1 pat=$2 perm=$3 role=$4 case=$5 fmt=$6
	EXP_LOC=
	# The inbound SOAP service: its WSDL for anyone; its operations
	# only for integration accounts, which no role here is (a
	# session cookie is never read there): a SOAP Fault, HTTP 500.
	if [ "$pat" = /soap ]; then
		if [ "$m" = GET ]; then EXP=200; else EXP=500; fi
		return
	fi
	if [ "$role" = anonymous ] && [ "$perm" != public ]; then
		if [ "$m" = GET ] && [ "$fmt" = html ]; then
			EXP=303
			EXP_LOC="/login?next=$(oms_urlencode "$PATH_")"
		else
			EXP=401
		fi
		return
	fi
	if ! role_may "$role" "$perm"; then
		EXP=403
		return
	fi
	case "$m $pat" in
	"GET /healthz" | "GET /login" | "GET /" | "GET /customers" | "GET /admin/users" | \
	    "GET /admin/users/new" | "GET /admin/audit")
		EXP=200 ;;
	"POST /login")
		if [ "$role" = anonymous ]; then EXP=401; else EXP=303 EXP_LOC=/customers; fi ;;
	"GET /customers/{id}" | "GET /sites/{id}/assets" | "GET /assets/{id}")
		if [ "$case" = none ] || { [ "$case" = other ] && [ "$role" = customer ]; }; then
			EXP=404
		else
			EXP=200
		fi ;;
	"POST /logout")
		EXP=303 EXP_LOC=/login ;;
	"GET /admin/users/{id}")
		if [ "$case" = none ]; then EXP=404; else EXP=200; fi ;;
	"POST /admin/users")
		EXP=303 EXP_LOC=/admin/users/ ;;
	"GET /orders" | "GET /orders/new")
		EXP=200 ;;
	"GET /orders/{id}")
		if [ "$case" = none ] || { [ "$case" = other ] && [ "$role" = customer ]; }; then
			EXP=404
		else
			EXP=200
		fi ;;
	# The matrix sends only the token: the order's fields are missing,
	# which is a 400 once the order is found in scope.
	"POST /orders")
		EXP=400 ;;
	"POST /orders/{id}/"*)
		if [ "$case" = none ] || { [ "$case" = other ] && [ "$role" = customer ]; }; then
			EXP=404
		else
			EXP=400
		fi ;;
	"POST /admin/users/{id}" | "POST /admin/users/{id}/disable" | \
	    "POST /admin/users/{id}/enable" | "POST /admin/users/{id}/password")
		if [ "$case" = none ]; then EXP=404; else EXP=303 EXP_LOC="/admin/users/$ID_"; fi ;;
	"GET /admin/import")
		EXP=200 ;;
	"POST /admin/import")
		# The matrix posts urlencoded forms; the upload takes only
		# multipart/form-data (tests/integration/import.sh uploads).
		EXP=415 ;;
	"GET /catalog")
		EXP=200 ;;
	# Billing (issue 9): finance and admin.  The matrix sends only the
	# token, so the forms' required fields are missing: 400.
	"GET /billing" | "GET /payments" | "GET /payments/new" | \
	    "GET /adjustments" | "GET /adjustments/new")
		EXP=200 ;;
	"GET /billing/runs/{id}")
		if [ "$case" = none ]; then EXP=404; else EXP=200; fi ;;
	"POST /billing/issue" | "POST /payments/new" | "POST /adjustments/new")
		EXP=400 ;;
	"GET /catalog/{id}")
		if [ "$case" = none ]; then EXP=404; else EXP=200; fi ;;
	"GET /invoices")
		EXP=200 ;;
	"GET /invoices/{id}" | "GET /invoices/{id}/print" | "GET /invoices/{id}/report" | \
	    "GET /invoices/{id}/report.csv" | "GET /customers/{id}/statement" | \
	    "GET /invoices/{id}/invoice.pdf" | "GET /invoices/{id}/report.pdf")
		if [ "$case" = none ] || { [ "$case" = other ] && [ "$role" = customer ]; }; then
			EXP=404
		else
			EXP=200
		fi ;;
	"POST /catalog")
		EXP=303 EXP_LOC=/catalog/ ;;
	# Issue 10: own is a vendor message, other a finance one; staff see
	# their own system's only (another's is 404, as a missing one), and
	# only the operator resends (403 for staff; 409 for these pending
	# messages).
	"GET /integration" | "GET /integration/reconcile")
		EXP=200 ;;
	"GET /integration/messages/{id}" | "POST /integration/messages/{id}/resend")
		local sys=none
		[ "$case" = own ] && sys=vendor
		[ "$case" = other ] && sys=finance
		if [ "$sys" = none ] || { [ "$role" != admin ] && [ "$role" != "$sys" ]; }; then
			EXP=404
		elif [ "$m" = GET ]; then
			EXP=200
		elif [ "$role" = admin ]; then
			EXP=409
		else
			EXP=403
		fi ;;
	"POST /catalog/{id}/prices" | "POST /catalog/{id}/fees" | \
	    "POST /catalog/{id}/contracts" | "POST /catalog/{id}/usage")
		if [ "$case" = none ]; then EXP=404; else EXP=303 EXP_LOC="/catalog/$ID_"; fi ;;
	# Distribution (issue 10): finance and admin.  The matrix sends only
	# the token: the contact forms' fields are missing (400); the
	# demo's customers have no billing contacts, so a resend is refused
	# (409) and changes nothing.
	"POST /customers/{id}/contacts" | "POST /customers/{id}/contacts/remove" | \
	    "POST /customers/{id}/delivery")
		if [ "$case" = none ]; then EXP=404; else EXP=400; fi ;;
	"POST /invoices/{id}/resend")
		if [ "$case" = none ]; then EXP=404; else EXP=409; fi ;;
	*)
		EXP=unknown ;;
	esac
}

# post_data PATTERN ROLE: the form a role sends to a POST route.
post_data() {
	local tok=${CSRF[$2]:+csrf=${CSRF[$2]}&} c=$own_c
	[ "$ID_" = "$other_u" ] && c=$other_c
	case $1 in
	/login)
		if [ "$2" = anonymous ]; then
			echo "login=mx-nobody&password=not-the-password"
		else
			echo "login=$2&password=$(oms_urlencode "$OMS_TEST_PASSWORD")"
		fi ;;
	/logout | */disable | */enable) echo "${tok%&}" ;;
	/admin/users)
		echo "${tok}login=mx-new-$2&name=New+$2&email=mx-new-$2%40example.com&role=customer&organisation=Matrix&customer=$own_c&password=Matrix-new-account-pw-2" ;;
	*/password) echo "${tok}password=Matrix-changed-password-3" ;;
	/admin/users/*) echo "${tok}name=Matrix+edited&email=mx-edited%40example.com&role=customer&organisation=Matrix&customer=$c" ;;
	# The catalog's writes are facts keyed by a date: each request
	# gets its own (from its number), so that every allowed one adds.
	/catalog) echo "${tok}code=MX-$2-$nreq&name=Matrix+product&asset_type=set&charge=flat" ;;
	/catalog/*/prices) echo "${tok}valid_from=$(catalog_day)&monthly=12.34" ;;
	/catalog/*/fees) echo "${tok}action=move&valid_from=$(catalog_day)&amount=5.00" ;;
	/catalog/*/contracts) echo "${tok}customer=$own_c&valid_from=$(catalog_day)&monthly=9.99" ;;
	/catalog/*/usage) echo "${tok}valid_from=$(catalog_day)&unit=minute&included=10&tiers=0%3A0.0350%3B1000%3A0.0300" ;;
	*) echo "${tok%&}" ;;
	esac
}

# catalog_day: a date of its own for request number $nreq.
catalog_day() {
	date -u -d "2040-01-01 + $nreq days" +%F
}

# accounts: a fingerprint of what the account and order routes change
# (the catalog's writes too, through the audit log).
accounts() {
	oms_sql "SELECT id, login, display_name, email, role, organisation, customer_id, disabled, password_hash
		FROM users ORDER BY id; SELECT COUNT(*) FROM audit_log; SELECT * FROM user_sites ORDER BY 1, 2;
		SELECT id, state, version FROM orders ORDER BY id;
		SELECT (SELECT COUNT(*) FROM order_lines), (SELECT COUNT(*) FROM order_comments)" | md5sum
}

# leak_check ROLE LABEL: the last body, fetched as ROLE, names no other
# customer when ROLE is the customer user.
leak_check() {
	[ "$1" = customer ] || return 0
	if grep -qF -f "$LEAKS" "$HTTP_BODY"; then
		LEAKED="$LEAKED
$2: $(grep -oF -f "$LEAKS" "$HTTP_BODY" | sort -u | tr '\n' ' ')"
	fi
}

# body_of: the last body without the request id (which is per request).
body_of() {
	local rid
	rid=$(http_header X-Request-Id)
	if [ -n "$rid" ]; then sed -e "s/$rid/RID/g" "$HTTP_BODY"; else cat "$HTTP_BODY"; fi
}

# ------------------------------------------------------ the routes
ROUTES=$OMS_DIR/routes
oms_ctl routes >"$ROUTES"
tap_is "$?" 0 "omsctl routes lists the routes"
nroutes=$(wc -l <"$ROUTES")
tap_num_ge "$nroutes" 17 "omsctl routes lists at least the 17 routes of this release"
tap_is "$(awk 'NF != 6 || $1 !~ /^(GET|HEAD|POST)$/ || $2 !~ /^\// ||
    $4 !~ /^(anonymous|session|integration)$/ || $5 !~ /^(none|form|xml|multipart)$/ ||
    $6 !~ /^(-|[a-z,]+)$/' "$ROUTES")" "" \
    "every line of omsctl routes is METHOD PATTERN PERMISSION AUTH BODY FORMATS"
tap_is "$(awk '($3 == "public") != ($4 == "anonymous")' "$ROUTES")" "" \
    "bad: no route is public without being anonymous, or anonymous without being public"

declare -A BODY
cells=0
nreq=0
unknown=

# cell METHOD PATTERN PERM ROLE CASE: one cell of the matrix.
cell() {
	local m=$1 pat=$2 perm=$3 role=$4 case=$5 fmt fmts= decl url data before after got loc name
	ID_=0
	PATH_=$pat
	if [ "$case" != once ]; then
		ID_=$(object "$pat" "$case")
		PATH_=${pat/\{id\}/$ID_}
		# A second {id} (a line of an order): the first one.
		PATH_=${PATH_//\{id\}/1}
	fi
	cells=$((cells + 1))
	# The formats the route declares, of those the matrix asks for.
	decl=$(awk -v m="$m" -v p="$pat" '$1 == m && $2 == p {print $6}' "$ROUTES")
	for fmt in html xml; do
		[[ ,$decl, == *,$fmt,* ]] && fmts="$fmts $fmt"
	done
	[ -n "$fmts" ] || fmts=html
	[ "$m" = POST ] && fmts=html
	for fmt in $fmts; do
		expect "$m" "$pat" "$perm" "$role" "$case" "$fmt"
		name="$role $m $pat${case:+ [$case]} $fmt"
		[ "$case" = once ] && name="$role $m $pat $fmt"
		if [ "$EXP" = unknown ]; then
			unknown="$unknown $m:$pat"
			tap_ok 1 "$name: the matrix knows what to expect of this route"
			continue
		fi
		OMS_JAR=${JAR[$role]}
		url=$PATH_
		[ "$fmt" = xml ] && url="$PATH_?format=xml"
		nreq=$((nreq + 1))
		if [ "$m" = POST ]; then
			data=$(post_data "$PATH_" "$role")
			# The login form first, as a browser: its pre-session
			# cookie goes into the role's jar, its token with the form.
			if [ "$PATH_" = /login ]; then
				OMS_JAR=${OMS_JAR:-$OMS_DIR/cookies.anonymous}
				data="csrf=$(oms_login_form "$OMS_JAR")&$data"
			fi
			before=$(accounts)
			http POST "$url" --data "$data"
			after=$(accounts)
		else
			http GET "$url"
		fi
		got=$HTTP_STATUS
		loc=$(http_header Location)
		if [ -n "$EXP_LOC" ]; then
			case $loc in
			"$EXP_LOC"*) ;;
			*) got="$got to '$loc'" ;;
			esac
		fi
		tap_is "$got" "$EXP" "$name: $EXP${EXP_LOC:+ to $EXP_LOC}"
		leak_check "$role" "$name"
		BODY[$case]=$OMS_DIR/body.$case
		body_of >"${BODY[$case]}"
		if [ "$m $PATH_" = "POST /login" ] && [ "$role" != anonymous ] &&
		    [ "$HTTP_STATUS" = 303 ]; then
			http GET /customers
			tap_is "$HTTP_STATUS" 303 "$name: the session that logged in again is ended"
			relogin "$role"
		fi
		# A refused or missing object looks the same whatever the id.
		if [ "$case" = none ] && [ "$EXP" -ge 400 ] && [ "${EXPO[$fmt]}" = "$EXP" ]; then
			cmp -s "$OMS_DIR/body.other.$fmt" "${BODY[none]}"
			tap_ok $? "$name: the very body of the [other] id" ||
			    tap_diag "$(diff "$OMS_DIR/body.other.$fmt" "${BODY[none]}" | head -n 6 | cut -c 1-300)"
		fi
		if [ "$case" = other ]; then
			cp "${BODY[other]}" "$OMS_DIR/body.other.$fmt"
			EXPO[$fmt]=$EXP
		fi
		# Accounts change exactly when an account route is allowed.
		if [ "$m" = POST ] && [ "$PATH_" != /login ] && [ "$PATH_" != /logout ]; then
			if [ "$EXP" = 303 ]; then
				tap_isnt "$after" "$before" "$name: the accounts changed (and the audit log grew)"
			else
				tap_is "$after" "$before" "$name: nothing changed"
			fi
		fi
	done
}

# The order: every GET first, then the POSTs of the roles that may not
# (anonymous first), then the admin's, then logging out.
while read -r m pat perm _; do
	[ "$m" = GET ] || continue
	for role in $ROLES; do
		case $pat in
		*'{id}'*) EXPO=(); for c in own other none; do cell "$m" "$pat" "$perm" "$role" "$c"; done ;;
		*) cell "$m" "$pat" "$perm" "$role" once ;;
		esac
	done
done <"$ROUTES"
for role in anonymous customer finance vendor admin; do
	while read -r m pat perm _; do
		[ "$m" = POST ] && [ "$pat" != /logout ] || continue
		case $pat in
		*'{id}'*) EXPO=(); for c in own other none; do cell "$m" "$pat" "$perm" "$role" "$c"; done ;;
		*) cell "$m" "$pat" "$perm" "$role" once ;;
		esac
	done <"$ROUTES"
done
# Logging out, last, from a session of its own for each role: the
# role's session of the matrix goes on working.
while read -r m pat perm _; do
	[ "$m" = POST ] && [ "$pat" = /logout ] || continue
	for role in $ROLES; do
		saved_jar=${JAR[$role]} saved_tok=${CSRF[$role]}
		if [ "$role" != anonymous ]; then
			oms_login "$role" || tap_bail "cannot log in as $role again"
			JAR[$role]=$OMS_JAR
			http GET '/customers?format=xml'
			CSRF[$role]=$(oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)')
		fi
		cell "$m" "$pat" "$perm" "$role" once
		if [ "$role" != anonymous ]; then
			http GET /customers
			tap_is "$HTTP_STATUS" 303 "$role: the session that logged out is gone (303 to the login form)"
			JAR[$role]=$saved_jar CSRF[$role]=$saved_tok
			OMS_JAR=$saved_jar
			http GET /customers
			tap_is "$HTTP_STATUS" 200 "$role: its other session still works"
		fi
	done
done <"$ROUTES"
tap_is "$unknown" "" "every route of omsctl routes has an expectation in the matrix"
nroles=$(echo $ROLES | wc -w)
ncases=$(awk '{n += ($2 ~ /\{id\}/) ? 3 : 1} END {print n}' "$ROUTES")
tap_diag "matrix: $nroutes routes x $nroles roles, $ncases route cases (3 for each route with {id}): $ncases x $nroles = $cells cells, $nreq requests"
tap_is "$cells" "$((ncases * nroles))" "the matrix ran every cell"
tap_is "$LEAKED" "" "no body fetched as the customer user names another customer"

# ----------------------------------------------- scope: customer user
OMS_JAR=${JAR[customer]}

# xml_rows FILE XPATH ATTR...: the attributes of every node, '|'-joined.
xml_rows() {
	"$OMS_PYTHON" - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for n in root.iterfind(sys.argv[2]):
    print("|".join(n.get(a, "") for a in sys.argv[3:]))
PY
}
sorted() { printf '%s\n' "$1" | sed '/^$/d' | LC_ALL=C sort; }

# scope_checks WHO SITES-CONDITION: the customers page, the sites page,
# an asset page and CSV of a site in scope, and the refusal of a site
# out of scope, as WHO (the current session) sees them.  SITES is an
# SQL condition on s.id selecting the sites in scope.
scope_checks() {
	local who=$1 cond=$2 want got in_site out_site
	http GET '/customers?format=xml'
	cp "$HTTP_BODY" "$OMS_DIR/scope-customers.xml"
	leak_check customer "$who /customers?format=xml"
	tap_is "$HTTP_STATUS/$(xml_rows "$OMS_DIR/scope-customers.xml" ./customers/customer id)" "200/$own_c" \
	    "$who: the customers page lists exactly its customer"
	want=$(oms_sql "SELECT COUNT(*),
		(SELECT COUNT(*) FROM assets a JOIN sites s ON s.id = a.site_id
		  WHERE s.customer_id = $own_c AND a.status <> 'removed' AND $cond),
		(SELECT COALESCE(SUM(a.ports), 0) FROM assets a JOIN sites s ON s.id = a.site_id
		  WHERE s.customer_id = $own_c AND a.status <> 'removed' AND $cond)
		FROM sites s WHERE s.customer_id = $own_c AND $cond" | sed 's/\.0$//')
	tap_is "$(xml_rows "$OMS_DIR/scope-customers.xml" ./customers/customer sites assets ports)" "$want" \
	    "$who: its customer's sites, assets and ports equal SQL over the sites in scope"
	tap_is "$(xml_rows "$OMS_DIR/scope-customers.xml" ./customers count sites assets ports)" "1|$want" \
	    "$who: the list's count and totals cover only that"
	http GET /customers
	leak_check customer "$who /customers"
	got=$(oms_html "$HTTP_BODY" hrefs | sed -n 's|^/customers/\([0-9][0-9]*\)$|\1|p' | sort -u)
	tap_is "$got" "$own_c" "$who: the HTML customers page links only its customer"

	http GET "/customers/$own_c?format=xml"
	cp "$HTTP_BODY" "$OMS_DIR/scope-sites.xml"
	leak_check customer "$who /customers/$own_c?format=xml"
	want=$(oms_sql "SELECT s.id,
		(SELECT COUNT(*) FROM assets a WHERE a.site_id = s.id AND a.status <> 'removed'),
		(SELECT COALESCE(SUM(a.ports), 0) FROM assets a WHERE a.site_id = s.id AND a.status <> 'removed')
		FROM sites s WHERE s.customer_id = $own_c AND $cond" | sed 's/\.0$//')
	tap_is "$(sorted "$(xml_rows "$OMS_DIR/scope-sites.xml" ./sites/site id assets ports)")" "$(sorted "$want")" \
	    "$who: its sites page lists the sites in scope, each with SQL's asset and port counts"
	want=$(oms_sql "SELECT COUNT(*),
		(SELECT COUNT(*) FROM assets a JOIN sites s ON s.id = a.site_id
		  WHERE s.customer_id = $own_c AND a.status <> 'removed' AND $cond),
		(SELECT COALESCE(SUM(a.ports), 0) FROM assets a JOIN sites s ON s.id = a.site_id
		  WHERE s.customer_id = $own_c AND a.status <> 'removed' AND $cond)
		FROM sites s WHERE s.customer_id = $own_c AND $cond" | sed 's/\.0$//')
	tap_is "$(xml_rows "$OMS_DIR/scope-sites.xml" ./sites count assets ports)" "$want" \
	    "$who: the sites page's count and totals equal SQL over the sites in scope"
	http GET "/customers/$own_c"
	leak_check customer "$who /customers/$own_c"
	got=$(oms_html "$HTTP_BODY" hrefs | sed -n 's|^/sites/\([0-9][0-9]*\)/assets$|\1|p' | sort -u)
	tap_is "$(sorted "$got")" "$(sorted "$(oms_sql "SELECT s.id FROM sites s WHERE s.customer_id = $own_c AND $cond")")" \
	    "$who: the HTML sites page links the asset pages of the sites in scope only"

	in_site=$(oms_sql "SELECT MIN(s.id) FROM sites s JOIN assets a ON a.site_id = s.id WHERE s.customer_id = $own_c AND $cond")
	http GET "/sites/$in_site/assets"
	leak_check customer "$who /sites/$in_site/assets"
	tap_is "$HTTP_STATUS" 200 "$who: the asset page of its site $in_site answers 200"
	http GET "/sites/$in_site/assets?format=xml"
	leak_check customer "$who /sites/$in_site/assets?format=xml"
	tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'string(/page/result/@assets)')" \
	    "200/$(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $in_site")" \
	    "$who: the XML asset page of site $in_site counts SQL's assets"
	http GET "/sites/$in_site/assets?format=csv"
	leak_check customer "$who /sites/$in_site/assets?format=csv"
	tap_is "$HTTP_STATUS/$("$OMS_PYTHON" -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))) - 1)' "$HTTP_BODY")" \
	    "200/$(oms_sql "SELECT COUNT(*) FROM assets WHERE site_id = $in_site")" \
	    "$who: the CSV of site $in_site has a row for each of SQL's assets"

	# Out of scope: another customer's site, or (limited) another
	# site of its own customer; refused exactly as a missing site.
	out_site=$(oms_sql "SELECT MIN(s.id) FROM sites s WHERE NOT (s.customer_id = $own_c AND $cond)")
	for fmt in "" "?format=xml" "?format=csv"; do
		http GET "/sites/$out_site/assets$fmt"
		leak_check customer "$who /sites/$out_site/assets$fmt"
		got=$HTTP_STATUS
		body_of >"$OMS_DIR/out.body"
		http GET "/sites/$none_s/assets$fmt"
		body_of >"$OMS_DIR/none.body"
		cmp -s "$OMS_DIR/out.body" "$OMS_DIR/none.body"
		tap_is "$got/$HTTP_STATUS/$?" 404/404/0 \
		    "$who: site $out_site out of scope ${fmt:-as HTML}: 404 with the body of a missing site"
	done

	# The asset page: an asset in scope answers; one out of scope
	# (another customer's, or a site the limited user lacks) is a 404
	# with the body of a missing asset.
	in_asset=$(oms_sql "SELECT MIN(a.id) FROM assets a JOIN sites s ON s.id = a.site_id WHERE s.customer_id = $own_c AND $cond")
	out_asset=$(oms_sql "SELECT MIN(a.id) FROM assets a JOIN sites s ON s.id = a.site_id WHERE NOT (s.customer_id = $own_c AND $cond)")
	http GET "/assets/$in_asset?format=xml"
	leak_check customer "$who /assets/$in_asset?format=xml"
	tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'string(/page/asset/@tag)')" \
	    "200/$(oms_sql "SELECT tag FROM assets WHERE id = $in_asset")" \
	    "$who: the page of its asset $in_asset answers 200 with its tag"
	for fmt in "" "?format=xml"; do
		http GET "/assets/$out_asset$fmt"
		leak_check customer "$who /assets/$out_asset$fmt"
		got=$HTTP_STATUS
		body_of >"$OMS_DIR/out.body"
		http GET "/assets/$none_a$fmt"
		body_of >"$OMS_DIR/none.body"
		cmp -s "$OMS_DIR/out.body" "$OMS_DIR/none.body"
		tap_is "$got/$HTTP_STATUS/$?" 404/404/0 \
		    "$who: asset $out_asset out of scope ${fmt:-as HTML}: 404 with the body of a missing asset"
	done
}

LEAKED=
scope_checks "customer user" "1 = 1"

# A customer user limited to two sites of its customer.
# shellcheck disable=SC2046 # ids, one a word
set -- $(oms_sql "SELECT s.id FROM sites s WHERE s.customer_id = $own_c
	AND EXISTS (SELECT 1 FROM assets a WHERE a.site_id = s.id) ORDER BY s.id LIMIT 2")
site_a=$1 site_b=$2
tap_num_ge "$(oms_sql "SELECT COUNT(*) FROM sites WHERE customer_id = $own_c")" 3 \
    "the customer has a third site for the limited user not to see"
LPW="Two-sites-only-password-$RANDOM"
out=$(printf '%s\n' "$LPW" | oms_ctl user add two-sites --role customer --name 'Two Sites' \
    --email two-sites@example.com --organisation 'Two Sites' --customer "$own_c" \
    --site "$site_a" --site "$site_b" 2>&1)
tap_is "$?" 0 "omsctl user add --customer $own_c --site $site_a --site $site_b creates a limited user" || tap_diag "$out"
tap_is "$(oms_sql "SELECT site_id FROM user_sites us JOIN users u ON u.id = us.user_id
	WHERE u.login = 'two-sites' ORDER BY 1" | tr '\n' ' ')" "$site_a $site_b " "user_sites lists its two sites"
oms_login two-sites "$LPW" || tap_bail "the limited user cannot log in"
scope_checks "two-site user" "s.id IN ($site_a, $site_b)"
tap_is "$LEAKED" "" "no body fetched as a customer user in the scope checks names another customer"

# Every request answered; none with a 5xx.
# (A SOAP Fault from /soap is HTTP 500 by SOAP 1.1, and expected.)
tap_is "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | grep -vc ' /soap$')" 0 "no request answered 5xx or went unanswered" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | grep -v ' /soap$' | head)"
tap_done
