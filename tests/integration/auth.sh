#!/bin/bash
# Accounts, sessions, CSRF and the audit log through nginx and omsd:
# logging in (right, wrong and unknown, disabled), the password rules,
# a long Unicode password end to end, the session cookie's attributes
# (Secure only with cookie_secure), a new session at each login,
# logging out, idle and absolute expiry (sessions aged in the database),
# throttling by login and by address, CSRF (token and Origin), the user
# admin pages, the audit page and its filters, `omsctl audit verify`
# against an edited, a missing middle and a missing last record, and the
# security headers.  Expected values come from SQL and the configuration.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need xmllint sha256sum "$OMS_PYTHON"
# Four workers: enough for logins to run at the same time.
OMS_WORKERS=4 OMS_LOGIN_AS=none oms_start
PW=$OMS_TEST_PASSWORD

# login USER PASSWORD [CURL-ARG...]: open the login form in a new
# browser (a fresh cookie jar, $OMS_DIR/login.jar), then post it with
# the form's token and no session; sets HTTP_*, LTOK (the form's token)
# and SID (the new session's cookie value, empty when none).
login() {
	local u=$1 p=$2 a args=()
	shift 2
	rm -f "$OMS_DIR/login.jar"
	LTOK=$(oms_login_form "$OMS_DIR/login.jar")
	# A Cookie header of the caller's replaces the jar: it gets the
	# browser's oms_login cookie added.
	for a in "$@"; do
		case $a in "Cookie: "*) a="$a; oms_login=$LTOK" ;; esac
		args+=("$a")
	done
	OMS_JAR=$OMS_DIR/login.jar http POST /login --data-urlencode "csrf=$LTOK" \
	    --data-urlencode "login=$u" --data-urlencode "password=$p" "${args[@]}"
	SID=$(sed -n 's/^set-cookie: oms_session=\([^;]*\);.*/\1/Ip' "$HTTP_HEADERS" | tail -n 1 | tr -d '\r')
}

# as SID METHOD PATH [CURL-ARG...]: a request with that session's cookie.
as() {
	local s=$1 m=$2 p=$3
	shift 3
	OMS_JAR='' http "$m" "$p" -H "Cookie: oms_session=$s" "$@"
}

# token SID [PATH]: the CSRF token of a session, read from <session
# csrf> of a page's XML (default /customers).
token() {
	as "$1" GET "${2:-/customers}?format=xml"
	oms_xpath "$HTTP_BODY" 'string(/page/session/@csrf)'
}

# body_of: the last body without the request id.
body_of() {
	local rid
	rid=$(http_header X-Request-Id)
	if [ -n "$rid" ]; then sed -e "s/$rid/RID/g" "$HTTP_BODY"; else cat "$HTTP_BODY"; fi
}

# session_hash SID: how the sessions table keys a session.
session_hash() {
	printf '%s' "$1" | sha256sum | cut -d' ' -f1
}

# users: the number of accounts.
users() {
	oms_sql 'SELECT COUNT(*) FROM users'
}

# new_user LOGIN PASSWORD [ARG...]: an account made with omsctl.
new_user() {
	local l=$1 p=$2
	shift 2
	printf '%s\n' "$p" | oms_ctl user add "$l" --name "User $l" --email "$l@example.com" "$@" >"$OMS_DIR/ctl.out" 2>&1
}

now() { date +%s; }

cust=$(oms_sql 'SELECT MIN(id) FROM customers')

# ------------------------------------------------------------ login
login admin "$PW"
tap_is "$HTTP_STATUS" 303 "the admin logs in with the right password: 303"
tap_is "$(http_header Location)" /customers "and goes to the customer list"
tap_like "$SID" '^[A-Za-z0-9_-]{43}$' "the session cookie is 43 characters of base64url (256 bits)"
ADMIN=$SID
as "$ADMIN" GET /customers
tap_is "$HTTP_STATUS" 200 "the new session opens the customer list"
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions WHERE id_hash = '$SID'")" 0 "the sessions table does not hold the cookie value"
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions WHERE id_hash = '$(session_hash "$SID")'")" 1 \
    "it holds the session by the SHA-256 of its cookie"

login vendor "$PW" --data-urlencode "next=/sites/1/assets"
tap_is "$HTTP_STATUS $(http_header Location)" "303 /sites/1/assets" "a login goes on to the page it was asked for (next)"
for bad in //evil.example https://evil.example/ '/\evil.example' /login; do
	login vendor "$PW" --data-urlencode "next=$bad"
	tap_is "$HTTP_STATUS $(http_header Location)" "303 /customers" "bad: next=$bad is not followed"
done

login VENDOR "$PW"
tap_is "$HTTP_STATUS" 303 "login names are lower case: VENDOR logs in as vendor"
as "$SID" GET '/customers?format=xml'
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/session/@login)')" vendor "and the session is vendor's"

login vendor not-the-password-1
tap_is "$HTTP_STATUS" 401 "bad: a wrong password is refused with 401"
tap_is "$SID" "" "bad: and opens no session"
tap_like "$(oms_html "$HTTP_BODY" text)" 'login name or the password is wrong' "bad: the page says the login name or the password is wrong"
body_of | sed -e 's/vendor/LOGIN/g' -e "s/$LTOK/TOKEN/g" >"$OMS_DIR/wrong.body"
wrong_ct=$(http_header Content-Type)
login nosuchuser-at-all not-the-password-1
tap_is "$HTTP_STATUS" 401 "bad: an unknown login name is refused with 401 too"
body_of | sed -e 's/nosuchuser-at-all/LOGIN/g' -e "s/$LTOK/TOKEN/g" >"$OMS_DIR/unknown.body"
cmp -s "$OMS_DIR/wrong.body" "$OMS_DIR/unknown.body"
tap_ok $? "bad: unknown login and wrong password give the same page (but for the login typed)" ||
    tap_diag "$(diff "$OMS_DIR/wrong.body" "$OMS_DIR/unknown.body" | head)"
tap_is "$(http_header Content-Type)" "$wrong_ct" "bad: and the same Content-Type"
tap_file_unlike "$HTTP_BODY" 'not-the-password' "bad: the password typed is not sent back"
login vendor ''
tap_is "$HTTP_STATUS" 400 "bad: a login without a password is 400"

# ------------------------------------------------- disabled accounts
new_user dora "$PW-dora" --role finance --organisation 'Finance Company'
tap_is "$?" 0 "omsctl user add makes an account" || tap_diag "$(cat "$OMS_DIR/ctl.out")"
login dora "$PW-dora"
DORA=$SID
as "$DORA" GET /customers
tap_is "$HTTP_STATUS" 200 "the new account logs in and works"
oms_ctl user disable dora >/dev/null 2>&1
tap_is "$(oms_sql "SELECT disabled FROM users WHERE login = 'dora'")" 1 "omsctl user disable disables it"
as "$DORA" GET /customers
tap_is "$HTTP_STATUS $(http_header Location)" "303 /login?next=%2Fcustomers" "bad: its open session stops working at once"
as "$DORA" GET '/customers?format=xml'
tap_is "$HTTP_STATUS" 401 "bad: for XML too (401)"
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'dora'")" 0 \
    "bad: its sessions are gone from the database"
login dora "$PW-dora"
tap_is "$HTTP_STATUS/$SID" 401/ "bad: a disabled account cannot log in with its right password"
body_of | sed -e 's/dora/LOGIN/g' -e "s/$LTOK/TOKEN/g" >"$OMS_DIR/disabled.body"
cmp -s "$OMS_DIR/wrong.body" "$OMS_DIR/disabled.body"
tap_ok $? "bad: and is told just what a wrong password is told"
oms_ctl user enable dora >/dev/null 2>&1
login dora "$PW-dora"
tap_is "$HTTP_STATUS" 303 "enabled again, it logs in"

# ------------------------------------------------------ the cookie
# cookie_attrs: the Set-Cookie of the last response, attributes sorted.
cookie_attrs() {
	grep -i '^set-cookie: oms_session=' "$HTTP_HEADERS" | tail -n 1 | tr -d '\r' |
	    sed -e 's/^[^;]*; *//' | tr ';' '\n' | sed -e 's/^ *//' | LC_ALL=C sort | tr '\n' ' '
}
login finance "$PW"
tap_is "$(cookie_attrs)" "HttpOnly Max-Age=43200 Path=/ SameSite=Lax " \
    "the session cookie: HttpOnly, SameSite=Lax, Path=/, Max-Age = absolute_timeout (12 h by default), no Secure"
FIN=$SID

# A new session at each login; a cookie set before is not kept.
fixed=AttackerChosenSessionValue0123456789abcdefg
tap_is "${#fixed}" 43 "a planted cookie value as long as a real one"
login finance "$PW" -H "Cookie: oms_session=$fixed"
tap_is "$HTTP_STATUS" 303 "a login with a planted cookie succeeds"
tap_isnt "$SID" "$fixed" "the session id is a new one, not the planted value"
tap_isnt "$SID" "$FIN" "two logins of one user get two session ids"
as "$fixed" GET /customers
tap_is "$HTTP_STATUS" 303 "bad: the planted value does not open the account afterwards"
as "$FIN" GET /customers
tap_is "$HTTP_STATUS" 200 "the first session of the user still works"

# ------------------------------------------------------- logout
FIN2=$SID
tok=$(token "$FIN2")
as "$FIN2" POST /logout --data "csrf=wrong$tok"
tap_is "$HTTP_STATUS" 403 "bad: logging out with a wrong token is refused"
as "$FIN2" GET /customers
tap_is "$HTTP_STATUS" 200 "bad: and the session is still open"
as "$FIN2" POST /logout --data "csrf=$tok"
tap_is "$HTTP_STATUS $(http_header Location)" "303 /login" "logging out goes to the login page"
tap_like "$(grep -i '^set-cookie:' "$HTTP_HEADERS" | tr -d '\r')" 'oms_session=;.*Max-Age=0' "and clears the cookie"
as "$FIN2" GET /customers
tap_is "$HTTP_STATUS $(http_header Location)" "303 /login?next=%2Fcustomers" "the old cookie then gets 303 to the login form"
as "$FIN2" GET '/customers?format=xml'
tap_is "$HTTP_STATUS" 401 "and 401 as XML"
as "$FIN2" POST /logout --data "csrf=$tok"
tap_is "$HTTP_STATUS" 401 "and 401 for a POST"
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions WHERE id_hash = '$(session_hash "$FIN2")'")" 0 "the session is gone from the database"
as "$FIN" GET /customers
tap_is "$HTTP_STATUS" 200 "the user's other session is not affected"

# -------------------------------------------------------- CSRF
ATOK=$(token "$ADMIN")
tap_like "$ATOK" '^[A-Za-z0-9_-]{43}$' "the admin's pages carry its CSRF token"
form="login=carol&name=Carol+Customer&email=carol%40example.com&role=customer&organisation=Carol+Co&customer=$cust&password=Carol-password-77"
n0=$(users)
as "$ADMIN" POST /admin/users --data "$form"
tap_is "$HTTP_STATUS" 403 "bad: creating a user without a token: 403"
as "$ADMIN" POST /admin/users --data "csrf=${ATOK%?}x&$form"
tap_is "$HTTP_STATUS" 403 "bad: with a wrong token: 403"
as "$ADMIN" POST /admin/users --data "csrf=$(token "$FIN")&$form"
tap_is "$HTTP_STATUS" 403 "bad: with the token of another session: 403"
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H 'Origin: http://evil.example'
tap_is "$HTTP_STATUS" 403 "bad: with the right token from a cross-site Origin: 403"
tap_like "$(oms_html "$HTTP_BODY" text)" 'did not come from OMS' "bad: the 403 page says why"
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H "Origin: http://127.0.0.1.evil.example:$OMS_PORT"
tap_is "$HTTP_STATUS" 403 "bad: from an Origin that only starts like this site's: 403"
for sch in ftp javascript https; do
	as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H "Origin: $sch://127.0.0.1:$OMS_PORT"
	tap_is "$HTTP_STATUS" 403 "bad: from the right host and port with scheme $sch://: 403"
done
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H "Referer: http://evil.example/page"
tap_is "$HTTP_STATUS" 403 "bad: no Origin and a cross-site Referer: 403"
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H "Referer: ftp://127.0.0.1:$OMS_PORT/admin/users/new"
tap_is "$HTTP_STATUS" 403 "bad: no Origin and a Referer of another scheme: 403"
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H "Referer: $OMS_URL.evil.example/admin/users/new"
tap_is "$HTTP_STATUS" 403 "bad: no Origin and a Referer whose host only starts like this site's: 403"
# Neither Origin nor Referer: a browser always sends Origin with a form,
# so a request that says nothing of where it came from is refused.
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H 'Origin:'
tap_is "$HTTP_STATUS" 403 "bad: with the right token but neither Origin nor Referer: 403"
tap_like "$(oms_html "$HTTP_BODY" text)" 'did not say where it came from \(no Origin or Referer header\)' \
    "bad: the 403 page says the request did not say where it came from"
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form" -H 'Origin:' -H 'Accept: application/xml'
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'string(/page/@name)')" 403/error \
    "bad: neither header, asked for XML: 403 with the XML error document"
tap_like "$(oms_xpath "$HTTP_BODY" 'string(/page)')" 'no Origin or Referer header' \
    "bad: and the XML error document says why"
as "$ADMIN" POST /logout --data "csrf=$ATOK" -H 'Origin:'
as "$ADMIN" GET /customers
tap_is "$HTTP_STATUS" 200 "bad: a logout with neither header is refused too: the session still works"
tap_is "$(users)" "$n0" "bad: none of them created anything"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND after_value LIKE '%carol%'")" 0 \
    "bad: and none is in the audit log"
audit0=$(oms_sql 'SELECT COUNT(*) FROM audit_log')
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form"
tap_is "$HTTP_STATUS" 303 "with the session's token: 303"
carol=$(oms_sql "SELECT id FROM users WHERE login = 'carol'")
tap_is "$(http_header Location)" "/admin/users/$carol" "to the new user's page"
tap_is "$(users)" "$((n0 + 1))" "one account more"
tap_is "$(oms_sql "SELECT role, customer_id, organisation FROM users WHERE id = $carol")" "customer|$cust|Carol Co" \
    "stored with the role, customer and organisation sent"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM audit_log')" "$((audit0 + 1))" "one audit record more"
admin_id=$(oms_sql "SELECT id FROM users WHERE login = 'admin'")
tap_is "$(oms_sql "SELECT user_id, login, address, entity, entity_id, action FROM audit_log ORDER BY id DESC LIMIT 1")" \
    "$admin_id|admin|127.0.0.1|user|$carol|create" "the audit record says who (admin), from where, what, on which account"
after=$(oms_sql "SELECT after_value FROM audit_log ORDER BY id DESC LIMIT 1")
tap_like "$after" 'login: carol' "its after-values hold the login"
tap_like "$after" "role: customer" "its after-values hold the role"
tap_like "$after" "customer: $cust" "its after-values hold the customer"
tap_unlike "$after" 'Carol-password-77|argon2' "its after-values hold neither the password nor its hash"
tap_is "$(oms_sql "SELECT before_value IS NULL FROM audit_log ORDER BY id DESC LIMIT 1")" 1 "a creation has no before-values"
# A same-site Origin, as a browser sends with every form.
form2=${form//carol/carla}
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form2" -H "Origin: $OMS_URL"
tap_is "$HTTP_STATUS" 303 "with the token and this site's own Origin ($OMS_URL): 303" ||
    tap_diag "$(oms_html "$HTTP_BODY" text | tail -n 3)"
# No Origin but a Referer of this site (a browser that strips Origin).
form3=${form//carol/carlo}
as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$form3" -H "Referer: $OMS_URL/admin/users/new"
tap_is "$HTTP_STATUS" 303 "with the token, no Origin and a Referer of this site: 303" ||
    tap_diag "$(oms_html "$HTTP_BODY" text | tail -n 3)"
tap_is "$(oms_sql "SELECT COUNT(*) FROM users WHERE login = 'carlo'")" 1 "and the account is created"
login carol Carol-password-77
tap_is "$HTTP_STATUS" 303 "the user created through the form logs in"

# ------------------------------------------- the login form's token
# Login CSRF: a page elsewhere must not log a browser into another
# account.  GET /login sets a pre-session cookie and renders its token;
# POST /login needs both, equal.
# login_cookie_attrs: the oms_login Set-Cookie of the last response,
# attributes sorted.
login_cookie_attrs() {
	grep -i '^set-cookie: oms_login=' "$HTTP_HEADERS" | tail -n 1 | tr -d '\r' |
	    sed -e 's/^[^;]*; *//' | tr ';' '\n' | sed -e 's/^ *//' | LC_ALL=C sort | tr '\n' ' '
}
# jar_login JAR: the oms_login cookie value a jar holds.
jar_login() {
	awk '$6 == "oms_login" {print $7}' "$1" 2>/dev/null
}
rm -f "$OMS_DIR/a.jar" "$OMS_DIR/b.jar"
OMS_JAR=$OMS_DIR/a.jar http GET /login -c "$OMS_DIR/a.jar"
ta=$(oms_html "$HTTP_BODY" value csrf 2>/dev/null)
tap_like "$ta" '^[A-Za-z0-9_-]{43}$' "GET /login renders a pre-session token in the form's csrf field"
tap_is "$(jar_login "$OMS_DIR/a.jar")" "$ta" "and sets it as the oms_login cookie"
tap_is "$(login_cookie_attrs)" "HttpOnly Max-Age=3600 Path=/login SameSite=Strict " \
    "the oms_login cookie: HttpOnly, SameSite=Strict, Path=/login, an hour, no Secure"
OMS_JAR=$OMS_DIR/a.jar http GET '/login?format=xml' -c "$OMS_DIR/a.jar"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/login/@csrf)')" "$ta" \
    "the same browser opening the form again (another tab) gets the same token, in XML as login/@csrf"
tb=$(oms_login_form "$OMS_DIR/b.jar")
tap_ok "$([ -n "$tb" ] && [ "$tb" != "$ta" ]; echo $?)" "another browser gets another token"
OMS_JAR='' http GET /login -H 'Cookie: oms_login=<b>"x";Path=/'
tap_unlike "$(cat "$HTTP_HEADERS" "$HTTP_BODY")" '<b>|"x"' "bad: a malformed oms_login cookie is neither echoed nor rendered"
tap_like "$(oms_html "$HTTP_BODY" value csrf 2>/dev/null)" '^[A-Za-z0-9_-]{43}$' "bad: it is replaced by a new token"

oms_sql_write 'DELETE FROM login_failures' >/dev/null
sessions0=$(oms_sql 'SELECT COUNT(*) FROM sessions')
OMS_JAR='' http POST /login --data-urlencode "csrf=$ta" --data-urlencode "login=vendor" --data-urlencode "password=$PW"
tap_is "$HTTP_STATUS" 403 "bad: POST /login with the form's token but without the cookie: 403"
tap_like "$(oms_html "$HTTP_BODY" text)" 'login form has expired or did not come from OMS' \
    "bad: the 403 page says the login form expired or came from elsewhere"
tap_unlike "$(cat "$HTTP_HEADERS")" '^[Ss]et-[Cc]ookie: oms_session=[^;]' "bad: and sets no session cookie"
OMS_JAR=$OMS_DIR/a.jar http POST /login --data-urlencode "csrf=${ta%?}x" --data-urlencode "login=vendor" \
    --data-urlencode "password=$PW"
tap_is "$HTTP_STATUS" 403 "bad: with the cookie but a wrong csrf field: 403"
OMS_JAR=$OMS_DIR/a.jar http POST /login --data-urlencode "login=vendor" --data-urlencode "password=$PW"
tap_is "$HTTP_STATUS" 403 "bad: with the cookie but no csrf field: 403"
OMS_JAR=$OMS_DIR/a.jar http POST /login --data-urlencode "csrf=$tb" --data-urlencode "login=vendor" \
    --data-urlencode "password=$PW"
tap_is "$HTTP_STATUS" 403 "bad: one browser's cookie with another browser's token: 403"
OMS_JAR=$OMS_DIR/b.jar http POST /login --data-urlencode "csrf=$ta" --data-urlencode "login=vendor" \
    --data-urlencode "password=$PW"
tap_is "$HTTP_STATUS" 403 "bad: and the other way round: 403"
OMS_JAR='' http POST /login -H "Cookie: oms_login=$ta" --data-urlencode "csrf=$ta" \
    --data-urlencode "login=vendor" --data-urlencode "password=$PW" -H "Origin: http://evil.example"
tap_is "$HTTP_STATUS" 403 "bad: the right cookie and token from a cross-site Origin: 403"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM sessions')" "$sessions0" "bad: none of them opened a session"
tap_is "$(oms_sql "SELECT COUNT(*) FROM login_failures WHERE k = 'vendor'")" 0 \
    "bad: nor counted as a failed login (the password was never checked)"
OMS_JAR=$OMS_DIR/a.jar http POST /login --data-urlencode "csrf=$ta" --data-urlencode "login=vendor" \
    --data-urlencode "password=$PW"
SID=$(sed -n 's/^set-cookie: oms_session=\([^;]*\);.*/\1/Ip' "$HTTP_HEADERS" | tail -n 1 | tr -d '\r')
tap_is "$HTTP_STATUS/${#SID}" 303/43 "the form's token with its browser's cookie: 303 and a session"
tap_like "$(login_cookie_attrs)" 'Max-Age=0 ' "and the used oms_login cookie is cleared"
as "$SID" GET /customers
tap_is "$HTTP_STATUS" 200 "the session works"
OMS_JAR=$OMS_DIR/b.jar http POST /login --data-urlencode "csrf=$tb" --data-urlencode "login=vendor" \
    --data-urlencode "password=wrong-password-b"
tap_is "$HTTP_STATUS" 401 "a wrong password with a good token: 401, the login page"
tap_is "$(oms_html "$HTTP_BODY" value csrf 2>/dev/null)" "$tb" "which renders the browser's token again"
oms_sql_write 'DELETE FROM login_failures' >/dev/null

# ------------------------------------------------- password rules
pw_refused() {
	local what=$1 data=$2 msg=$3 n
	n=$(users)
	as "$ADMIN" POST /admin/users --data "csrf=$ATOK&$data"
	tap_is "$HTTP_STATUS" 400 "bad: a new user with $what: 400"
	tap_like "$(oms_html "$HTTP_BODY" text)" "$msg" "bad: $what: the form says '$msg'"
	tap_is "$(users)" "$n" "bad: $what: no account was created"
}
base="name=Pat&email=pat%40example.com&role=vendor&organisation=Telecom+Vendor"
pw_refused "a 9-character password" "login=pat&$base&password=Short-123" "at least 10 characters"
pw_refused "a common password" "login=pat&$base&password=Password123" "most common"
pw_refused "the login as password" "login=patricia-k&$base&password=Patricia-K" "must not be the login"
pw_refused "no password" "login=pat&$base" "at least 10 characters|required"
tap_file_unlike "$HTTP_BODY" 'Short-123|Password123' "bad: the refused password is not shown again"
as "$ADMIN" POST "/admin/users/$carol/password" --data "csrf=$ATOK&password=short"
tap_is "$HTTP_STATUS" 400 "bad: resetting a password to a short one: 400"
tap_like "$(oms_html "$HTTP_BODY" text)" 'at least 10 characters' "bad: and the user page says why"
login carol Carol-password-77
tap_is "$HTTP_STATUS" 303 "bad: and the old password still works"

# A long Unicode password (with spaces, even at the ends) through
# omsctl, then through the login form.
long=" Pässwörd — 日本語のパスワード 🔑🔒 ÆØÅ ñ ç Ω ∑ ✓ $(printf 'abcdefghij%.0s' $(seq 1 40)) end "
tap_num_ge "$(printf '%s' "$long" | wc -c)" 450 "a password of $(printf '%s' "$long" | wc -c) bytes of UTF-8"
new_user uni "$long" --role vendor --organisation 'Telecom Vendor'
tap_is "$?" 0 "omsctl user add takes it from standard input" || tap_diag "$(cat "$OMS_DIR/ctl.out")"
login uni "$long"
tap_is "$HTTP_STATUS" 303 "the login form takes it"
login uni "${long% }"
tap_is "$HTTP_STATUS" 401 "bad: without its last space it is wrong"
login uni "$(printf '%s' "$long" | sed 's/ö/o/')"
tap_is "$HTTP_STATUS" 401 "bad: with one letter changed it is wrong"

# ------------------------------------------------ the admin pages
as "$ADMIN" GET '/admin/users?format=xml'
cp "$HTTP_BODY" "$OMS_DIR/users.xml"
tap_is "$HTTP_STATUS/$(oms_xpath "$OMS_DIR/users.xml" 'count(/page/users/user)')" "200/$(users)" \
    "the user list shows every account"
tap_is "$(oms_xpath "$OMS_DIR/users.xml" 'string(/page/users/user[@login="dora"]/@role)')" finance "and each one's role"
as "$ADMIN" GET /admin/users
tap_is "$HTTP_STATUS" 200 "the user list as HTML"
tap_is "$(oms_html "$HTTP_BODY" hrefs | grep "^/admin/users/[0-9][0-9]*$" | sort -u | wc -l)" "$(users)" "links to every account's page"

dora=$(oms_sql "SELECT id FROM users WHERE login = 'dora'")
login dora "$PW-dora"
DORA=$SID
tok=$(token "$ADMIN" "/admin/users/$dora")
tap_is "$tok" "$ATOK" "the user page carries the session's token"
as "$ADMIN" GET "/admin/users/$dora"
tap_is "$(oms_html "$HTTP_BODY" value csrf)" "$ATOK" "its forms carry it"
audit0=$(oms_sql 'SELECT COUNT(*) FROM audit_log')
as "$ADMIN" POST "/admin/users/$dora" \
    --data "csrf=$tok&name=Dora+Renamed&email=dora.r%40example.com&role=finance&organisation=Finance+Company"
tap_is "$HTTP_STATUS $(http_header Location)" "303 /admin/users/$dora" "editing an account: 303 back to it"
tap_is "$(oms_sql "SELECT display_name, email FROM users WHERE id = $dora")" "Dora Renamed|dora.r@example.com" "the edit is stored"
tap_is "$(oms_sql "SELECT action, entity_id FROM audit_log WHERE id = $((audit0 + 1))")" "update|$dora" "the edit is audited"
tap_like "$(oms_sql "SELECT before_value FROM audit_log WHERE id = $((audit0 + 1))")" 'display_name: User dora' \
    "with the values before"
tap_like "$(oms_sql "SELECT after_value FROM audit_log WHERE id = $((audit0 + 1))")" 'display_name: Dora Renamed' \
    "and after"
as "$DORA" GET /customers
tap_is "$HTTP_STATUS" 200 "an edit that keeps role and customer keeps the account's session"
as "$ADMIN" POST "/admin/users/$dora" \
    --data "csrf=$tok&name=Dora&email=not-an-address&role=finance&organisation=Finance+Company"
tap_is "$HTTP_STATUS" 400 "bad: an edit with a bad e-mail address: 400"
tap_like "$(oms_html "$HTTP_BODY" text)" 'e-mail' "bad: and the form says so"

# A customer user limited through the form to two sites of its
# customer; a site of another customer is refused, storing nothing.
# shellcheck disable=SC2046 # ids, one a word
set -- $(oms_sql "SELECT id FROM sites WHERE customer_id = $cust ORDER BY id LIMIT 2")
osite=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id <> $cust")
cform="csrf=$ATOK&name=Carol+Customer&email=carol%40example.com&role=customer&organisation=Carol+Co&customer=$cust"
as "$ADMIN" POST "/admin/users/$carol" --data "$cform&sites=$1&sites=$osite"
tap_is "$HTTP_STATUS" 400 "bad: limiting a customer user to a site of another customer: 400"
tap_like "$(oms_html "$HTTP_BODY" text)" "not one of the customer" "bad: and the form says why"
tap_is "$(oms_sql "SELECT COUNT(*) FROM user_sites WHERE user_id = $carol")" 0 "bad: and no site is stored"
as "$ADMIN" POST "/admin/users/$carol" --data "$cform&sites=$1&sites=$2"
tap_is "$HTTP_STATUS" 303 "limiting it to two of its customer's sites: 303"
tap_is "$(oms_sql "SELECT site_id FROM user_sites WHERE user_id = $carol ORDER BY 1" | tr '\n' ' ')" "$1 $2 " \
    "user_sites holds the two sites"
login carol Carol-password-77
as "$SID" GET "/customers/$cust?format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" '/page/sites/site/@id' | tr ' ' '\n' | sed -n 's/^id="\([0-9]*\)"$/\1/p' | sort -n | tr '\n' ' ')" \
    "$(printf '%s\n' "$1" "$2" | sort -n | tr '\n' ' ')" "the limited user's customer page lists those two sites"
as "$ADMIN" GET "/admin/users/$carol?format=xml"
tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/user/sites/option[@selected])')" 2 "the user page shows the two sites ticked"
CAROL=$SID
as "$ADMIN" POST "/admin/users/$carol" --data "$cform&sites=$1&sites=$2&name=x" 
tap_is "$HTTP_STATUS" 400 "bad: a field given twice (name) is refused: 400"
as "$CAROL" GET /customers
tap_is "$HTTP_STATUS" 200 "editing its sites keeps the account's session"
ocust=$(oms_sql "SELECT MIN(id) FROM customers WHERE id <> $cust")
as "$ADMIN" POST "/admin/users/$carol" --data "${cform/customer=$cust/customer=$ocust}"
tap_is "$HTTP_STATUS" 303 "moving the customer user to another customer: 303"
as "$CAROL" GET /customers
tap_is "$HTTP_STATUS" 303 "its session ends (no page under the old scope)"
tap_is "$(oms_sql "SELECT COUNT(*) FROM user_sites WHERE user_id = $carol")" 0 "and its old customer's sites are no longer listed"

as "$ADMIN" POST "/admin/users/$dora/disable" --data "csrf=$tok"
tap_is "$HTTP_STATUS" 303 "disabling an account through its page: 303"
tap_is "$(oms_sql "SELECT disabled FROM users WHERE id = $dora")" 1 "it is disabled"
as "$DORA" GET /customers
tap_is "$HTTP_STATUS" 303 "its session stopped working"
tap_is "$(oms_sql "SELECT action, login FROM audit_log ORDER BY id DESC LIMIT 1")" "disable|admin" "the disabling is audited"
as "$ADMIN" POST "/admin/users/$admin_id/disable" --data "csrf=$tok"
tap_is "$HTTP_STATUS" 400 "bad: an admin cannot disable its own account"
tap_is "$(oms_sql "SELECT disabled FROM users WHERE id = $admin_id")" 0 "bad: and it stays enabled"
as "$ADMIN" POST "/admin/users/$dora/enable" --data "csrf=$tok"
tap_is "$HTTP_STATUS/$(oms_sql "SELECT disabled FROM users WHERE id = $dora")" 303/0 "enabling it again: 303, enabled"
login dora "$PW-dora"
DORA=$SID
tap_is "$HTTP_STATUS" 303 "and it logs in again"
as "$ADMIN" POST "/admin/users/$dora/password" --data "csrf=$tok&password=Dora-new-password-5"
tap_is "$HTTP_STATUS" 303 "resetting its password: 303"
as "$DORA" GET /customers
tap_is "$HTTP_STATUS" 303 "the reset logs the account out"
login dora "$PW-dora"
tap_is "$HTTP_STATUS" 401 "bad: the old password no longer works"
login dora Dora-new-password-5
tap_is "$HTTP_STATUS" 303 "the new one does"
tap_is "$(oms_sql "SELECT action, entity_id FROM audit_log ORDER BY id DESC LIMIT 1")" "password|$dora" "the reset is audited"
after=$(oms_sql "SELECT after_value FROM audit_log ORDER BY id DESC LIMIT 1")
tap_like "$after" '^password: \(changed\)' "saying that the password changed"
tap_unlike "$after" 'Dora-new-password|argon2' "but neither the password nor its hash"

# ---------------------------------------------------- the audit page
as "$ADMIN" GET '/admin/audit?format=xml'
cp "$HTTP_BODY" "$OMS_DIR/audit.xml"
total=$(oms_sql 'SELECT COUNT(*) FROM audit_log')
tap_is "$HTTP_STATUS/$(oms_xpath "$OMS_DIR/audit.xml" 'string(/page/result/@records)')" "200/$total" \
    "the audit page counts every record"
tap_is "$(oms_xpath "$OMS_DIR/audit.xml" 'string(/page/records/record[1]/@id)')" "$(oms_sql 'SELECT MAX(id) FROM audit_log')" \
    "the newest record comes first"
tap_is "$(oms_xpath "$OMS_DIR/audit.xml" 'string(/page/records/record[1]/@address)')" 127.0.0.1 "records show the address"
as "$ADMIN" GET /admin/audit
tap_is "$HTTP_STATUS" 200 "the audit page as HTML"
tap_like "$(oms_html "$HTTP_BODY" text)" 'Dora Renamed' "it shows the values of a change"
for f in "entity=user" "action=disable" "user=admin" "action=update&user=admin" "entity=user&action=create&user=admin"; do
	cond=$(printf '%s' "$f" | sed -e "s/entity=\([^&]*\)/entity = '\1'/" -e "s/action=\([^&]*\)/action = '\1'/" \
	    -e "s/user=\([^&]*\)/login = '\1'/" -e 's/&/ AND /g')
	as "$ADMIN" GET "/admin/audit?format=xml&$f"
	want=$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE $cond")
	tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'string(/page/result/@records)')" "200/$want" "audit filter $f: SQL's count"
	tap_is "$(oms_xpath "$HTTP_BODY" 'count(/page/records/record)')" "$([ "$want" -gt 50 ] && echo 50 || echo "$want")" \
	    "audit filter $f: the records on the page"
	got=$(oms_xpath "$HTTP_BODY" '/page/records/record/@id' | tr ' ' '\n' | sed -n 's/^id="\([0-9]*\)"$/\1/p' | sort -n | tr '\n' ' ')
	tap_is "$got" "$(oms_sql "SELECT id FROM audit_log WHERE $cond ORDER BY id DESC LIMIT 50" | sort -n | tr '\n' ' ')" \
	    "audit filter $f: exactly SQL's records"
done
as "$ADMIN" GET '/admin/audit?format=xml&action=no-such-action'
tap_is "$(oms_xpath "$HTTP_BODY" 'string(/page/result/@records)')" 0 "a filter matching nothing shows no record"
as "$FIN" GET /admin/audit
tap_is "$HTTP_STATUS" 403 "bad: the audit page is for admins only"

# ------------------------------------------------ audit verify
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 0 "omsctl audit verify passes" || tap_diag "$out"
tap_like "$out" "$(oms_sql 'SELECT COUNT(*) FROM audit_log') records" "and counts the records"
last=$(oms_sql 'SELECT MAX(id) FROM audit_log')
tap_num_ge "$last" 6 "the log has a middle to cut"
oms_sql_write 'CREATE TABLE audit_saved AS SELECT * FROM audit_log' >/dev/null
oms_sql_write "UPDATE audit_log SET after_value = 'login: admin
role: customer' WHERE id = 2" >/dev/null
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 1 "bad: with record 2 edited, audit verify exits 1"
tap_like "$out" 'record 2[^0-9]' "bad: and names record 2" || tap_diag "$out"
oms_sql_write 'UPDATE audit_log SET after_value = (SELECT after_value FROM audit_saved WHERE audit_saved.id = 2) WHERE id = 2' >/dev/null
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 0 "restored, it passes again" || tap_diag "$out"
mid=$((last / 2))
oms_sql_write "DELETE FROM audit_log WHERE id = $mid" >/dev/null
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 1 "bad: with record $mid of $last deleted, audit verify exits 1"
tap_like "$out" "record ${mid}[^0-9].*missing" "bad: and names the missing record $mid" || tap_diag "$out"
oms_sql_write "INSERT INTO audit_log SELECT * FROM audit_saved WHERE id = $mid" >/dev/null
oms_sql_write "DELETE FROM audit_log WHERE id = $last" >/dev/null
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 1 "bad: with the last record ($last) deleted, audit verify exits 1"
tap_like "$out" "$last" "bad: and names the missing last record" || tap_diag "$out"
oms_sql_write "INSERT INTO audit_log SELECT * FROM audit_saved WHERE id = $last" >/dev/null
oms_sql_write 'DROP TABLE audit_saved' >/dev/null
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 0 "restored, it passes again" || tap_diag "$out"

# --------------------------------------------- security headers
# headers_ok LABEL: the last response carries the security headers.
headers_ok() {
	local csp
	csp=$(http_header Content-Security-Policy)
	tap_is "$(http_header Cache-Control)" no-store "$1: Cache-Control: no-store"
	tap_like "$csp" "frame-ancestors 'none'" "$1: CSP frame-ancestors 'none'"
	tap_like "$csp" "(script-src|default-src) 'self'" "$1: CSP limits scripts to this site"
	tap_unlike "$csp" "unsafe-inline|unsafe-eval" "$1: CSP allows no inline script"
	tap_is "$(http_header X-Content-Type-Options)" nosniff "$1: X-Content-Type-Options: nosniff"
	tap_like "$(http_header Referrer-Policy)" '^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$' \
	    "$1: a Referrer-Policy that keeps addresses on this site"
	tap_like "$(http_header Content-Type)" '; charset=utf-8$' "$1: charset=utf-8"
	tap_is "$(oms_html "$HTTP_BODY" danger)" "" "$1: no inline script, no event handler"
}
as "$ADMIN" GET /customers
headers_ok "/customers as admin"
as "$ADMIN" GET "/admin/users/$dora"
headers_ok "a user page"
as "$ADMIN" GET /admin/audit
headers_ok "the audit page"
as "$FIN" GET /admin/users
tap_is "$HTTP_STATUS" 403 "a 403 page"
headers_ok "a 403 page"
OMS_JAR='' http GET /login
headers_ok "the login page"
tap_like "$(oms_html "$HTTP_BODY" value csrf 2>/dev/null)" '^[A-Za-z0-9_-]{43}$' \
    "the login form has no session token, but its pre-session token (43 characters of base64url)"

# ------------------------------- [auth]: Secure, expiry, throttling
oms_stop_omsd
cat >>"$OMS_CONF" <<'CONF'

[auth]
idle_timeout = 120
absolute_timeout = 600
max_failures = 3
max_address_failures = 7
failure_window = 900
cookie_secure = yes
CONF
oms_start_omsd || tap_bail "omsd did not restart with [auth]"
login vendor "$PW"
tap_is "$(cookie_attrs)" "HttpOnly Max-Age=600 Path=/ SameSite=Lax Secure " \
    "with cookie_secure = yes the cookie is Secure; Max-Age follows absolute_timeout"
OMS_JAR='' http GET /login
tap_is "$(login_cookie_attrs)" "HttpOnly Max-Age=3600 Path=/login SameSite=Strict Secure " \
    "with cookie_secure = yes the login form's oms_login cookie is Secure too"
V=$SID
h=$(session_hash "$V")
as "$V" GET /customers
tap_is "$HTTP_STATUS" 200 "the session works"

# Idle: last seen 100 s ago (under 120) is fine; 130 s ago is expired.
oms_sql_write "UPDATE sessions SET seen_at = $(($(now) - 100)) WHERE id_hash = '$h'" >/dev/null
as "$V" GET /customers
tap_is "$HTTP_STATUS" 200 "idle for 100 s of idle_timeout = 120: still open"
oms_sql_write "UPDATE sessions SET seen_at = $(($(now) - 130)) WHERE id_hash = '$h'" >/dev/null
as "$V" GET /customers
tap_is "$HTTP_STATUS $(http_header Location)" "303 /login?next=%2Fcustomers" "bad: idle for 130 s: expired, 303 to the login form"
tap_like "$(grep -i '^set-cookie:' "$HTTP_HEADERS" | tr -d '\r')" 'oms_session=;.*Max-Age=0' "bad: and its cookie is cleared"
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions WHERE id_hash = '$h'")" 0 "bad: the expired session is deleted"
as "$V" GET /customers
tap_is "$HTTP_STATUS" 303 "bad: and stays expired"

# Idle time counts from the last request: a request 59 s after the
# last recorded activity, then 62 s without any (time is moved by
# moving the session's times back) leaves the session open.
login vendor "$PW"
V=$SID
h=$(session_hash "$V")
oms_sql_write "UPDATE sessions SET created_at = $(($(now) - 59)), seen_at = $(($(now) - 59)) WHERE id_hash = '$h'" >/dev/null
as "$V" GET /customers
tap_is "$HTTP_STATUS" 200 "a request 59 s after the last one"
oms_sql_write "UPDATE sessions SET created_at = created_at - 62, seen_at = seen_at - 62 WHERE id_hash = '$h'" >/dev/null
as "$V" GET /customers
tap_is "$HTTP_STATUS" 200 "then 62 s idle of idle_timeout = 120: still open (idle counts from the last request)"

# Absolute: active all along, but logged in 590 s / 610 s ago.
login vendor "$PW"
V=$SID
h=$(session_hash "$V")
oms_sql_write "UPDATE sessions SET created_at = $(($(now) - 590)), seen_at = $(now) WHERE id_hash = '$h'" >/dev/null
as "$V" GET /customers
tap_is "$HTTP_STATUS" 200 "logged in 590 s ago of absolute_timeout = 600, active: still open"
oms_sql_write "UPDATE sessions SET created_at = $(($(now) - 610)), seen_at = $(now) WHERE id_hash = '$h'" >/dev/null
as "$V" GET '/customers?format=xml'
tap_is "$HTTP_STATUS" 401 "bad: logged in 610 s ago, even though active: expired (401 as XML)"

# Throttling by login: max_failures = 3.
oms_sql_write 'DELETE FROM login_failures' >/dev/null
i=0
for l in vendor Vendor VENDOR; do
	i=$((i + 1))
	login "$l" "wrong-password-$i"
	tap_is "$HTTP_STATUS" 401 "bad: wrong password $i of max_failures = 3 for vendor (as $l): 401"
done
login vEnDoR "wrong-password-4"
tap_is "$HTTP_STATUS" 429 "bad: the 4th attempt is throttled, whatever the case of the name: 429"
tap_like "$(oms_html "$HTTP_BODY" text)" 'Too many failed logins' "bad: and says so"
ra=$(http_header Retry-After)
# The wait of this name from this address (failure_delay, 60 s by
# default), not the 900-second failure window.
tap_ok "$([ -n "$ra" ] && [ "$ra" -ge 1 ] && [ "$ra" -le 60 ]; echo $?)" \
    "bad: the 429 says when to try again (Retry-After: the name's wait, 1..60 s; got ${ra:-none})"
login vendor "$PW"
tap_is "$HTTP_STATUS/$SID" 429/ "bad: while throttled even the right password is refused, no session"
login finance "$PW"
tap_is "$HTTP_STATUS" 303 "another account from the same address still logs in"
# The window ends: the failures no longer count.
oms_sql_write "UPDATE login_failures SET window_start = window_start - 1000" >/dev/null
login vendor "$PW"
tap_is "$HTTP_STATUS" 303 "once failure_window has passed, the right password works again"

# A burst of 12 wrong passwords at once (4 workers): still only
# max_failures = 3 of them are checked, the others are throttled.
oms_sql_write 'DELETE FROM login_failures' >/dev/null
pids=()
rm -f "$OMS_DIR/burst.jar"
btok=$(oms_login_form "$OMS_DIR/burst.jar")
for i in $(seq 12); do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -b "$OMS_DIR/burst.jar" \
	    --data "csrf=$btok&login=finance&password=burst-$i" -H "Origin: $OMS_URL" \
	    "$OMS_URL/login" >>"$OMS_DIR/burst" &
	pids+=($!)
done
wait "${pids[@]}"
tap_is "$(sort "$OMS_DIR/burst" | uniq -c | awk '{printf "%s:%s ", $2, $1}')" "401:3 429:9 " \
    "bad: 12 wrong passwords at once: 3 checked (401), 9 throttled (429)"
tap_is "$(oms_sql "SELECT failures FROM login_failures WHERE kind = 'login' AND k = 'finance'")" 3 \
    "bad: and 3 failures counted"

# Throttling by address: max_address_failures = 7 from 127.0.0.1.
oms_sql_write 'DELETE FROM login_failures' >/dev/null
for i in 1 2 3 4 5 6 7; do
	login "nobody-$i" "wrong-password-$i"
	[ "$HTTP_STATUS" = 401 ] || break
done
tap_is "$i/$HTTP_STATUS" 7/401 "bad: 7 failed logins for 7 different names from one address: each 401"
login finance "$PW"
tap_is "$HTTP_STATUS/$SID" 429/ "bad: then the address is throttled: a right password gets 429"
tap_like "$(http_header Retry-After)" '^[1-9][0-9]*$' "bad: the address's 429 carries Retry-After too"
oms_sql_write 'DELETE FROM login_failures' >/dev/null
login finance "$PW"
tap_is "$HTTP_STATUS" 303 "cleared, the address may log in again"

# ---------------------------------------------- a second login
# Logging in while holding a valid session ends the old one.
oms_sql_write 'DELETE FROM login_failures' >/dev/null
login finance "$PW"
old_sid=$SID
as "$old_sid" GET /customers
tap_is "$HTTP_STATUS" 200 "the first session works"
rm -f "$OMS_DIR/login.jar"
ltok=$(oms_login_form "$OMS_DIR/login.jar")
OMS_JAR='' http POST /login -H "Cookie: oms_session=$old_sid; oms_login=$ltok" \
    --data-urlencode "csrf=$ltok" --data-urlencode "login=vendor" --data-urlencode "password=$PW"
new_sid=$(sed -n 's/^set-cookie: oms_session=\([^;]*\);.*/\1/Ip' "$HTTP_HEADERS" | tail -n 1 | tr -d '\r')
tap_ok "$([ "$HTTP_STATUS" = 303 ] && [ -n "$new_sid" ] && [ "$new_sid" != "$old_sid" ]; echo $?)" \
    "logging in again with the old session's cookie gives a new session"
as "$old_sid" GET /customers
tap_is "$HTTP_STATUS" 303 "bad: the old session no longer works after the new login (303 to log in)"
tap_is "$(oms_sql "SELECT COUNT(*) FROM sessions WHERE id_hash = '$(printf '%s' "$old_sid" | sha256sum | cut -d' ' -f1)'")" 0 \
    "bad: the old session is gone from the database"
as "$new_sid" GET /customers
tap_is "$HTTP_STATUS" 200 "the new session works"

# ------------------------------------------------------------ last
tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx or went unanswered" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | head)"
tap_done
