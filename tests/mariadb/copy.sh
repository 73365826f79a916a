#!/bin/sh
# copy.sh: omsctl copy moves a whole database from SQLite to MariaDB
# and back, verified: the MariaDB copy serves the same documents as the
# SQLite original; a target holding data is refused unless --force;
# the round trip gives back the same rows.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$OMS_SRCDIR/tests/lib.sh"
OMS_BACKEND=mariadb oms_need_stack
oms_tmpdir
OMS_SEED_ARGS="--customers 3 --sites 3 --assets 80 --seed 23"

OMS_BACKEND=sqlite oms_start
lite=$OMS_DIR
lite_conf=$OMS_CONF
lite_db=$OMS_DB
# A customer user limited to two sites: rows in user_sites (and one
# more audit record) to copy.
lc=$(oms_sql 'SELECT MIN(id) FROM customers')
# shellcheck disable=SC2046 # ids, one a word
set -- $(oms_sql "SELECT id FROM sites WHERE customer_id = $lc ORDER BY id LIMIT 2")
printf '%s\n' "$OMS_TEST_PASSWORD-limited" | oms_ctl user add limited --role customer --name 'Lim Ited' \
    --email limited@example.com --organisation Limited --customer "$lc" --site "$1" --site "$2" >/dev/null 2>&1
tap_is "$(oms_sql 'SELECT COUNT(*) FROM user_sites')" 2 "the source has a user limited to two sites"
lite_users=$(oms_sql 'SELECT COUNT(*) FROM users')/$(oms_sql 'SELECT COUNT(*) FROM audit_log')
OMS_BACKEND=mariadb OMS_NO_SEED=1 oms_start
maria=$OMS_DIR
maria_conf=$OMS_CONF
tap_is "$(oms_sql 'SELECT COUNT(*) FROM assets')" 0 "the MariaDB target starts empty"

out=$("$OMS_BUILDDIR/omsctl" -f "$lite_conf" copy "$maria_conf" 2>&1)
tap_is "$?" 0 "copy SQLite -> MariaDB exits 0" || tap_diag "$out"
tap_like "$out" "copied and verified" "and says the copy was verified"
tap_unlike "$out" "DIFFERENT" "no table differs"
oms_use "$lite"
want=$(oms_sql 'SELECT COUNT(*), COALESCE(SUM(ports), 0), MAX(id) FROM assets')
oms_use "$maria"
tap_is "$(oms_sql 'SELECT COUNT(*), COALESCE(SUM(ports), 0), MAX(id) FROM assets')" "$want" \
    "MariaDB holds the same assets (count, ports, highest id)"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM users')/$(oms_sql 'SELECT COUNT(*) FROM audit_log')" "$lite_users" \
    "MariaDB holds the same accounts and audit records"
tap_is "$(oms_sql 'SELECT COUNT(*) FROM user_sites')" 2 "MariaDB holds the limited user's two sites"
out=$(oms_ctl audit verify 2>&1)
tap_is "$?" 0 "the copied audit log's chain holds on MariaDB" || tap_diag "$out"

# The accounts came along: the admin logs in on the copy with the
# password it has on the original (sessions are not copied).
oms_login admin
tap_ok $? "the admin logs in on the copy with its password"

# The copy serves the same documents as the original (apart from the
# session's own CSRF token, random at each login).
for u in "/customers?format=xml" "/customers/2?format=xml" "/sites/4/assets?format=xml&per=500" \
    "/sites/4/assets?format=csv" "/sites/7/assets?format=xml&sort=serial&dir=desc"; do
	oms_use "$lite"
	a=$(oms_curl -s -o "$OMS_TMP/a" -w '%{http_code}' "$OMS_URL$u")
	oms_use "$maria"
	b=$(oms_curl -s -o "$OMS_TMP/b" -w '%{http_code}' "$OMS_URL$u")
	sed -i -e 's/\(<session [^>]*csrf="\)[^"]*"/\1-"/' "$OMS_TMP/a" "$OMS_TMP/b"
	[ "$a/$b" = 200/200 ] && cmp -s "$OMS_TMP/a" "$OMS_TMP/b"
	tap_ok $? "the copy answers $u as the original does ($a, $b)"
done

before=$(oms_sql 'SELECT COUNT(*), MAX(id) FROM assets')
out=$("$OMS_BUILDDIR/omsctl" -f "$lite_conf" copy "$maria_conf" 2>&1)
tap_is "$?" 1 "bad: a second copy into a target with data exits 1"
tap_like "$out" "already holds data" "bad: and says the target holds data"
tap_is "$(oms_sql 'SELECT COUNT(*), MAX(id) FROM assets')" "$before" "bad: and leaves the target as it was"

# A change in the source, then --force replaces the target.
# (The asset's history goes with it: the sqlite3 shell enforces no
# foreign key, and a dangling state would fail the copy.)
gone=$(sqlite3 "$lite_db" "SELECT MAX(id) FROM assets")
sqlite3 "$lite_db" "DELETE FROM asset_states WHERE asset_id = $gone; DELETE FROM assets WHERE id = $gone"
out=$("$OMS_BUILDDIR/omsctl" -f "$lite_conf" copy --force "$maria_conf" 2>&1)
tap_is "$?" 0 "copy --force into a target with data exits 0" || tap_diag "$out"
oms_use "$lite"
want=$(oms_sql 'SELECT COUNT(*), MAX(id) FROM assets')
oms_use "$maria"
tap_is "$(oms_sql 'SELECT COUNT(*), MAX(id) FROM assets')" "$want" "--force replaced the target's rows"

# And back: MariaDB -> a new SQLite file, row for row the same.
printf '[store]\nbackend = sqlite\npath = %s/back.db\n' "$OMS_TMP" >"$OMS_TMP/back.conf"
out=$("$OMS_BUILDDIR/omsctl" -f "$maria_conf" copy "$OMS_TMP/back.conf" 2>&1)
tap_is "$?" 0 "copy MariaDB -> a new SQLite database exits 0" || tap_diag "$out"
for t in customers sites cost_centres products assets users user_sites audit_log; do
	a=$(sqlite3 -readonly "$lite_db" "SELECT * FROM $t ORDER BY 1" | md5sum)
	b=$(sqlite3 -readonly "$OMS_TMP/back.db" "SELECT * FROM $t ORDER BY 1" | md5sum)
	tap_is "$b" "$a" "the round trip gives back every row of $t"
done
tap_is "$(sqlite3 -readonly "$OMS_TMP/back.db" 'PRAGMA foreign_key_check' | wc -l)" 0 \
    "the SQLite copy has no dangling foreign keys"
out=$("$OMS_BUILDDIR/omsctl" -f "$OMS_TMP/back.conf" audit verify 2>&1)
tap_is "$?" 0 "the audit log's chain holds after the round trip" || tap_diag "$out"

out=$("$OMS_BUILDDIR/omsctl" -f "$lite_conf" copy "$lite_conf" 2>&1)
tap_is "$?" 1 "bad: copying a database onto itself exits 1"
tap_like "$out" "same database" "bad: and says why"
tap_done
