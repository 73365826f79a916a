#!/bin/bash
# Login throttling through nginx and omsd.  Every request here comes
# from 127.0.0.1 (nginx passes its peer as REMOTE_ADDR and OMS trusts
# no forwarding header), so the rule by name and address is tested
# from one address: the guessed name waits (429) with the right
# password too, while another name from the same address still logs
# in; the count is kept for the name and the address together; a
# failure after the wait doubles it.  The owner at another address and
# the exact waits are in tests/unit/test_auth.c.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need "$OMS_PYTHON"
OMS_CONF_EXTRA='
[auth]
max_failures = 2
max_address_failures = 50
failure_window = 900
failure_delay = 30
max_failure_delay = 600' OMS_LOGIN_AS=none oms_start
PW=$OMS_TEST_PASSWORD

# login USER PASSWORD: the login form in a new browser (fresh cookie
# jar), posted with its token and no session, as a browser's form
# would (same-site Origin); sets HTTP_*.
login() {
	local tok
	rm -f "$OMS_DIR/login.jar"
	tok=$(oms_login_form "$OMS_DIR/login.jar")
	OMS_JAR=$OMS_DIR/login.jar http POST /login --data-urlencode "csrf=$tok" \
	    --data-urlencode "login=$1" --data-urlencode "password=$2" -H "Origin: $OMS_URL"
}

# failures NAME: the failures counted for NAME from 127.0.0.1.
failures() {
	oms_sql "SELECT failures FROM login_failures WHERE kind = 'login' AND k = '$1' AND address = '127.0.0.1'"
}

login vendor wrong-password-1
tap_is "$HTTP_STATUS" 401 "bad: a wrong password: 401"
login vendor wrong-password-2
tap_is "$HTTP_STATUS" 401 "bad: a second wrong password (max_failures = 2): 401"
tap_is "$(failures vendor)" 2 "two failures counted for vendor from 127.0.0.1"
login vendor "$PW"
tap_is "$HTTP_STATUS" 429 "bad: then vendor waits from this address, even with the right password: 429"
tap_like "$(oms_html "$HTTP_BODY" text)" 'Too many failed logins' "bad: and the page says so"
tap_is "$(grep -ci '^set-cookie: oms_session=[^;]' "$HTTP_HEADERS")" 0 "bad: and no session is opened"
ra=$(http_header Retry-After)
tap_like "$ra" '^[0-9]+$' "the 429 says when to retry (Retry-After: $ra)"
# The wait of this name from this address (failure_delay = 30), not
# the failure window (900) of the per-address limit.
tap_ok "$([ -n "$ra" ] && [ "$ra" -ge 1 ] && [ "$ra" -le 30 ]; echo $?)" \
    "and it is the domain's wait for this name and address (1..30 s, got ${ra:-none})"
tap_is "$(failures vendor)" 2 "bad: the refused attempt is not counted"

login finance "$PW"
tap_is "$HTTP_STATUS" 303 "another name from the same address logs in"
tap_is "$(failures finance)" "" "and its good login leaves no count"

# The wait ends (time moved by moving the failure back): one more
# failure doubles the wait.
oms_sql_write "UPDATE login_failures SET window_start = window_start - 31 WHERE kind = 'login' AND k = 'vendor'" >/dev/null
login vendor wrong-password-3
tap_is "$HTTP_STATUS" 401 "bad: when the wait is over a guess is checked again: 401"
tap_is "$(failures vendor)" 3 "three failures counted"
oms_sql_write "UPDATE login_failures SET window_start = window_start - 31 WHERE kind = 'login' AND k = 'vendor'" >/dev/null
login vendor "$PW"
tap_is "$HTTP_STATUS" 429 "bad: 31 s later it still waits: the wait has doubled to 60 s"
oms_sql_write "UPDATE login_failures SET window_start = window_start - 30 WHERE kind = 'login' AND k = 'vendor'" >/dev/null
login vendor "$PW"
tap_is "$HTTP_STATUS" 303 "after 61 s the right password works"
tap_is "$(failures vendor)" "" "and clears vendor's count for this address"

# ------------------------------------------------------------ last
tap_is "$(grep -c '^\(5\|000\)' "$OMS_DIR/http.log")" 0 "no request answered 5xx or went unanswered" ||
    tap_diag "$(grep '^\(5\|000\)' "$OMS_DIR/http.log" | head)"
tap_done
