#!/bin/bash
# omsctl, the admin command line, and omsd -t: exit statuses (0 done,
# 1 failed, 2 usage), messages, and that a failed command changes
# nothing; render refuses documents with a DOCTYPE (no entity
# expansion, no external entities).  On the backend of OMS_BACKEND
# (sqlite, or mariadb through tests/mariadb/omsctl.sh): a database DB
# below is a file $T/NAME.db on SQLite, a database oms_ctl_<pid>_NAME
# on MariaDB, which the test makes where an administrator would.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
	oms_need mariadb "$OMS_BUILDDIR/omsctl" "$OMS_BUILDDIR/omsd"
	[ -S "${OMS_MARIADB_SOCKET:-}" ] ||
	    tap_skip_all "no MariaDB server (./check starts one and sets OMS_MARIADB_SOCKET)"
else
	oms_need sqlite3 "$OMS_BUILDDIR/omsctl" "$OMS_BUILDDIR/omsd"
fi
oms_tmpdir
T=$OMS_TMP
CTL=$OMS_BUILDDIR/omsctl

# mdb DB: the MariaDB name of database DB ($T/NAME.db).
mdb() {
	local b=${1##*/}
	echo "oms_ctl_$$_${b%.db}"
}

# conf FILE DB: a configuration for database DB.
conf() {
	printf '[server]\nlisten = unix:%s/omsd.sock\nxslt_dir = %s\n' "$T" "$OMS_SRCDIR/xslt" >"$1"
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		printf '[store]\nbackend = mariadb\nsocket = %s\ndatabase = %s\nuser = root\npassword_env = OMS_TEST_NO_PASSWORD\n' \
		    "$OMS_MARIADB_SOCKET" "$(mdb "$2")" >>"$1"
	else
		printf '[store]\npath = %s\n' "$2" >>"$1"
	fi
}

# sqlq DB SQL: the rows of SQL on database DB, columns separated by '|'.
sqlq() {
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		mariadb --no-defaults -S "$OMS_MARIADB_SOCKET" -uroot -N -B -D "$(mdb "$1")" -e "$2" | tr '\t' '|'
	else
		sqlite3 -batch -readonly "$1" "$2"
	fi
}

# exists DB: 1 when database DB exists, else 0.
exists() {
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		oms_mariadb_admin "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$(mdb "$1")'"
	else
		[ -e "$1" ] && echo 1 || echo 0
	fi
}

# make_db DB: make database DB for omsctl init, as the administrator
# does on MariaDB (init makes the file on SQLite).
made_dbs=
make_db() {
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		oms_mariadb_admin "CREATE DATABASE IF NOT EXISTS \`$(mdb "$1")\` CHARACTER SET utf8mb4"
		made_dbs="$made_dbs $(mdb "$1")"
	fi
}

# drop_dbs: drop the MariaDB databases the test made.
drop_dbs() {
	for d in $made_dbs; do
		oms_mariadb_admin "DROP DATABASE IF EXISTS \`$d\`"
	done
	made_dbs=
}
trap 'drop_dbs; _oms_cleanup' EXIT

# run CMD...: sets OUT (stdout), ERR (stderr) and RC.
run() {
	"$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# counts DB: customers/sites/cost centres/products/assets.
counts() {
	sqlq "$1" "SELECT (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM sites),
	    (SELECT COUNT(*) FROM cost_centres), (SELECT COUNT(*) FROM products),
	    (SELECT COUNT(*) FROM assets)" | tr '|' /
}

# assets_sum DB: every asset's id, number and serial, in one line.
assets_sum() {
	if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
		sqlq "$1" 'SELECT GROUP_CONCAT(CONCAT(id, phone_number, serial) ORDER BY id) FROM assets'
	else
		sqlq "$1" 'SELECT group_concat(id || phone_number || serial) FROM assets'
	fi
}

# The latest schema version: the highest numbered migration file.
latest=$(ls "$OMS_SRCDIR"/backends/sql/sqlite/ | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1)

# ---------------------------------------------------------- version
run "$CTL" version
tap_is "$RC" 0 "omsctl version exits 0"
tap_like "$OUT" '^omsctl [0-9]+\.[0-9]+' "omsctl version prints its version"

# ----------------------------------------------------- usage errors
conf "$T/oms.conf" "$T/oms.db"
for args in "" "-f $T/oms.conf frobnicate" "-x version" "-f" "-f $T/oms.conf init extra" "-f $T/oms.conf migrate now" \
    "-f $T/oms.conf render" "-f $T/oms.conf render customers" "-f $T/oms.conf render a b c" \
    "-f $T/oms.conf seed-demo --bogus 1" "-f $T/oms.conf seed-demo extra" "-f $T/oms.conf seed-demo --customers"; do
	# shellcheck disable=SC2086
	run "$CTL" $args
	tap_is "$RC" 2 "bad: omsctl $args: usage error exits 2"
	tap_like "$ERR" '^usage: omsctl' "bad: omsctl $args: prints the usage to stderr"
done
run "$CTL" -f "$T/no-such.conf" frobnicate
tap_is "$RC" 2 "bad: an unknown command is a usage error (2) even before the configuration is read"
tap_ok "$(exists "$T/oms.db")" "usage errors created no database"

# ---------------------------------------------------- init, migrate
run "$CTL" -f "$T/oms.conf" migrate
tap_is "$RC" 1 "bad: migrate on a missing database exits 1"
if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then want="cannot open .*$(mdb "$T/oms.db")"; else want="cannot open .*$T/oms\\.db"; fi
tap_like "$ERR" "$want" "bad: migrate on a missing database says which database it cannot open" ||
    tap_diag "$ERR"
tap_ok "$(exists "$T/oms.db")" "migrate did not create the database"

make_db "$T/oms.db"
run "$CTL" -f "$T/oms.conf" init
tap_is "$RC" 0 "init exits 0"
tap_like "$OUT" "schema version $latest" "init reports the latest schema version ($latest)"
tap_is "$(sqlq "$T/oms.db" 'SELECT MAX(version) FROM oms_migrations')" "$latest" "init recorded every migration"
tap_is "$(sqlq "$T/oms.db" 'SELECT COUNT(*) FROM customers')" 0 "a new database is empty"
if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
	tap_is "$(sqlq "$T/oms.db" "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND ENGINE <> 'InnoDB'")" 0 \
	    "every table is InnoDB"
else
	tap_is "$(sqlq "$T/oms.db" 'PRAGMA journal_mode')" wal "the database is in WAL mode"
fi
run "$CTL" -f "$T/oms.conf" init
tap_is "$RC" 0 "init a second time exits 0"
if [ "${OMS_BACKEND:-sqlite}" = mariadb ]; then
	# The administrator made the database: init only names it.
	tap_like "$OUT" "$(mdb "$T/oms.db")" "init a second time names the database"
else
	tap_like "$OUT" 'exists' "init a second time says the database exists"
fi
tap_like "$OUT" "schema version $latest \\(0 applied now\\)" "init a second time applies nothing"
tap_is "$(sqlq "$T/oms.db" 'SELECT COUNT(*), MAX(version) FROM oms_migrations' | tr '|' /)" "$latest/$latest" \
    "init a second time leaves one record per migration"
run "$CTL" -f "$T/oms.conf" migrate
tap_is "$RC" 0 "migrate on a current database exits 0"
tap_like "$OUT" '\(0 applied now\)' "migrate on a current database applies nothing"

# ---------------------------------------------------------- seed-demo
for bad in "--customers 0" "--customers abc" "--customers 1001" "--customers 5x" "--sites -1" "--sites 0" \
    "--assets 100001" "--assets 1.5" "--seed 0" "--seed 99999999999999999999"; do
	# shellcheck disable=SC2086
	run "$CTL" -f "$T/oms.conf" seed-demo $bad
	tap_is "$RC" 1 "bad: seed-demo $bad exits 1"
	tap_like "$ERR" "${bad%% *}: expected a whole number" "bad: seed-demo $bad names the option and what it expects" ||
	    tap_diag "$ERR"
done
tap_is "$(counts "$T/oms.db")" "0/0/0/0/0" "bad seed-demo arguments stored nothing"

run "$CTL" -f "$T/oms.conf" seed-demo --customers 2 --sites 3 --assets 20 --seed 7
tap_is "$RC" 0 "seed-demo --customers 2 --sites 3 --assets 20 exits 0"
tap_is "$(counts "$T/oms.db" | cut -d/ -f1,2,5)" "2/6/120" "seed-demo made 2 customers, 6 sites, 120 assets"
tap_like "$OUT" "seeded 2 customers, 6 sites, [0-9]+ cost centres, [0-9]+ products, 120 assets" "seed-demo reports what it made"
before=$(counts "$T/oms.db")
sum_before=$(assets_sum "$T/oms.db")
run "$CTL" -f "$T/oms.conf" seed-demo --customers 1
tap_is "$RC" 1 "bad: seed-demo on a non-empty database exits 1"
tap_like "$ERR" 'already holds data' "bad: seed-demo on a non-empty database says why"
tap_is "$(counts "$T/oms.db")" "$before" "the refused seed-demo left the counts as they were"
tap_is "$(assets_sum "$T/oms.db")" "$sum_before" \
    "the refused seed-demo left the assets as they were"
run "$CTL" -f "$T/oms.conf" init
tap_is "$RC/$(counts "$T/oms.db")" "0/$before" "init on a seeded database keeps the data"

# The same seed gives the same data.
conf "$T/b.conf" "$T/b.db"
make_db "$T/b.db"
"$CTL" -f "$T/b.conf" init >/dev/null 2>&1
"$CTL" -f "$T/b.conf" seed-demo --customers 2 --sites 3 --assets 20 --seed 7 >/dev/null 2>&1
tap_is "$(assets_sum "$T/b.db")" "$sum_before" \
    "seed-demo with the same seed makes the same assets"
conf "$T/c.conf" "$T/c.db"
run "$CTL" -f "$T/c.conf" seed-demo
tap_is "$RC" 1 "bad: seed-demo on a missing database exits 1"

# --activity: a year of orders in every state, made through the domain.
conf "$T/act.conf" "$T/act.db"
make_db "$T/act.db"
"$CTL" -f "$T/act.conf" init >/dev/null 2>&1
run "$CTL" -f "$T/act.conf" seed-demo --customers 2 --sites 3 --assets 30 --seed 7 --activity
tap_is "$RC" 0 "seed-demo --activity exits 0" || tap_diag "$ERR"
tap_is "$(sqlq "$T/act.db" "SELECT COUNT(DISTINCT state) FROM orders")" 9 \
    "seed-demo --activity leaves orders in all nine states"
tap_is "$(sqlq "$T/act.db" "SELECT COUNT(*) FROM orders WHERE state = 'completed' AND completed_on IS NULL")" 0 \
    "every completed demo order has its completion date"
tap_like "$(sqlq "$T/act.db" "SELECT COUNT(*) FROM domain_events")" '^[1-9][0-9]*$' \
    "the completed demo orders wrote domain events"
tap_is "$(sqlq "$T/act.db" "SELECT COUNT(*) FROM asset_states s WHERE s.valid_to IS NOT NULL AND s.valid_to < s.valid_from")" 0 \
    "no demo state ends before it starts"

# --------------------------------------------------- customer approval
code=$(sqlq "$T/act.db" "SELECT code FROM customers ORDER BY id LIMIT 1")
run "$CTL" -f "$T/act.conf" customer approval "$code" yes
tap_is "$RC" 0 "customer approval $code yes exits 0"
tap_is "$(sqlq "$T/act.db" "SELECT approval_required FROM customers WHERE code = '$code'")" 1 \
    "and the customer approves its own orders"
tap_like "$(sqlq "$T/act.db" "SELECT action FROM audit_log WHERE entity = 'customer' AND entity_id = '$code' ORDER BY id DESC LIMIT 1")" \
    '^approval$' "the change is in the audit log"
n=$(sqlq "$T/act.db" "SELECT COUNT(*) FROM audit_log")
run "$CTL" -f "$T/act.conf" customer approval "$code" yes
tap_is "$RC/$(sqlq "$T/act.db" "SELECT COUNT(*) FROM audit_log")" "0/$n" \
    "setting it again changes nothing, not even the audit log"
run "$CTL" -f "$T/act.conf" customer approval NO-SUCH yes
tap_is "$RC" 1 "bad: an unknown customer exits 1"
tap_like "$ERR" "no customer NO-SUCH" "bad: and says so"
run "$CTL" -f "$T/act.conf" customer approval "$code" maybe
tap_is "$RC" 2 "bad: customer approval with neither yes nor no is a usage error"

# ------------------------------------------------------------- render
cat >"$T/customers.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<page name="customers" title="Customers">
  <crumbs><crumb>Customers</crumb></crumbs>
  <customers count="1" sites="2" assets="3" ports="4">
    <customer id="7" code="ZED" name="Zed &amp; Sons &lt;Ltd&gt;" sites="2" assets="3" ports="4"/>
  </customers>
</page>
XML
run "$CTL" -f "$T/oms.conf" render customers "$T/customers.xml"
tap_is "$RC" 0 "render customers FILE exits 0"
tap_like "$OUT" 'Zed &amp; Sons &lt;Ltd&gt;' "render writes the page with the name escaped"
run "$CTL" -f "$T/oms.conf" render customers.xsl "$T/customers.xml"
tap_is "$RC" 0 "render accepts the stylesheet's file name too"
run "$CTL" -f "$T/oms.conf" render no-such-sheet "$T/customers.xml"
tap_is "$RC" 1 "bad: render with an unknown stylesheet exits 1"
tap_like "$ERR" "no stylesheet named 'no-such-sheet'" "bad: render names the unknown stylesheet"
run "$CTL" -f "$T/oms.conf" render ../../etc/passwd "$T/customers.xml"
tap_is "$RC" 1 "bad: render with a path as the stylesheet exits 1"
run "$CTL" -f "$T/oms.conf" render customers "$T/missing.xml"
tap_is "$RC" 1 "bad: render of a missing file exits 1"
printf '<page><unclosed></page>\n' >"$T/broken.xml"
run "$CTL" -f "$T/oms.conf" render customers "$T/broken.xml"
tap_is "$RC" 1 "bad: render of a malformed file exits 1"
tap_like "$ERR" 'not a well-formed XML document' "bad: render says the file is not well-formed"

# Billion laughs: nine levels of ten, 10^9 "lol"s if expanded.
{
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE page ['
	echo ' <!ENTITY lol "lol">'
	prev=lol
	for i in 1 2 3 4 5 6 7 8 9; do
		printf ' <!ENTITY lol%d "' "$i"
		for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$prev"; done
		echo '">'
		prev=lol$i
	done
	echo ']>'
	echo '<page name="customers" title="&lol9;"><crumbs/><customers count="0"/></page>'
} >"$T/laughs.xml"
run timeout 120 "$CTL" -f "$T/oms.conf" render customers "$T/laughs.xml"
tap_is "$RC" 1 "bad: render of a billion-laughs document exits 1 (not killed, not 0)"
# libxml2 itself refuses this one (an entity loop in an attribute).
tap_like "$ERR" 'DOCTYPE|not a well-formed' "bad: render says why it refuses the billion-laughs document"
tap_is "$(printf '%s' "$OUT" | grep -c lollol)" 0 "bad: the billion-laughs entities were not expanded into the output"
# The same in element content parses; omsctl's DOCTYPE check refuses it.
sed 's|title="&lol9;"><crumbs/>|title="t"><crumbs><crumb>\&lol9;</crumb></crumbs>|' "$T/laughs.xml" >"$T/laughs2.xml"
run timeout 120 "$CTL" -f "$T/oms.conf" render customers "$T/laughs2.xml"
tap_is "$RC" 1 "bad: render of billion laughs in element content exits 1"
tap_is "$(printf '%s' "$OUT" | grep -c lollol)" 0 "bad: billion laughs in element content: nothing expanded"

cat >"$T/xxe.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE page [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<page name="customers" title="&xxe;"><crumbs/><customers count="1">
<customer id="1" code="X" name="&xxe;" sites="0" assets="0" ports="0"/></customers></page>
XML
run "$CTL" -f "$T/oms.conf" render customers "$T/xxe.xml"
tap_isnt "$RC" 0 "bad: render of an XXE document (file:///etc/passwd) fails"
tap_unlike "$OUT$ERR" 'root:.*:0:0:' "bad: no /etc/passwd content in the output"
cat >"$T/xxe2.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE page [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<page name="customers" title="t"><crumbs><crumb>&xxe;</crumb></crumbs><customers count="0"/></page>
XML
run "$CTL" -f "$T/oms.conf" render customers "$T/xxe2.xml"
tap_is "$RC" 1 "bad: render of an XXE entity in element content exits 1"
tap_like "$ERR" 'DOCTYPE' "bad: render refuses it for its DOCTYPE"
tap_unlike "$OUT$ERR" 'root:.*:0:0:' "bad: no /etc/passwd content in that output either"

printf '<?xml version="1.0"?>\n<!DOCTYPE page SYSTEM "file:///etc/passwd">\n<page name="customers" title="t"><crumbs/><customers count="0"/></page>\n' >"$T/dtd.xml"
run "$CTL" -f "$T/oms.conf" render customers "$T/dtd.xml"
tap_isnt "$RC" 0 "bad: render of a document with an external DTD fails"
tap_unlike "$OUT$ERR" 'root:.*:0:0:' "bad: no /etc/passwd content from the external DTD"

cat >"$T/xinclude.xml" <<'XML'
<?xml version="1.0"?>
<page name="customers" title="t" xmlns:xi="http://www.w3.org/2001/XInclude"><crumbs/>
<customers count="1"><customer id="1" code="X" sites="0" assets="0" ports="0">
<xi:include href="/etc/passwd" parse="text"/></customer></customers></page>
XML
run "$CTL" -f "$T/oms.conf" render customers "$T/xinclude.xml"
tap_unlike "$OUT$ERR" 'root:.*:0:0:' "bad: an XInclude of /etc/passwd is not expanded"

# ------------------------------------------------------ configuration
printf '[server]\nworkers = 2\n\n[store]\npath = %s\nbogus_key = 1\n' "$T/oms.db" >"$T/bad.conf"
run "$CTL" -f "$T/bad.conf" migrate
tap_is "$RC" 1 "bad: omsctl with an unknown configuration key exits 1"
tap_like "$ERR" "$T/bad\\.conf:6: .*bogus_key" "bad: omsctl names file:line and the key" || tap_diag "$ERR"
printf '[store]\nbackend = oracle\n' >"$T/bad2.conf"
run "$CTL" -f "$T/bad2.conf" init
tap_is "$RC" 1 "bad: omsctl with an unknown backend exits 1"
tap_like "$ERR" "$T/bad2\\.conf:2: .*backend" "bad: omsctl names file:line of the bad backend" || tap_diag "$ERR"
printf '[nosuchsection]\nkey = 1\n' >"$T/bad3.conf"
run "$CTL" -f "$T/bad3.conf" init
tap_is "$RC" 1 "bad: omsctl with an unknown section exits 1"
tap_like "$ERR" "$T/bad3\\.conf:2: " "bad: omsctl names file:line of the unknown section's key" || tap_diag "$ERR"
run "$CTL" -f "$T/no-such.conf" init
tap_is "$RC" 1 "bad: omsctl with a missing configuration file exits 1"
tap_like "$ERR" 'no-such\.conf' "bad: omsctl names the missing configuration file"
run "$CTL" -f "$T/no-such.conf" version
tap_is "$RC" 0 "omsctl version needs no configuration"

# ------------------------------------------------------------ omsd -t
run "$OMS_BUILDDIR/omsd" -t -f "$T/oms.conf"
tap_is "$RC" 0 "omsd -t with a good configuration exits 0"
tap_like "$OUT" "$T/oms\\.conf is good" "omsd -t says the configuration is good"
tap_ok "$([ -e "$T/omsd.sock" ] && echo 1 || echo 0)" "omsd -t does not open the socket"
run "$OMS_BUILDDIR/omsd" -t -f "$T/bad.conf"
tap_isnt "$RC" 0 "bad: omsd -t with an unknown key fails"
tap_like "$ERR" "$T/bad\\.conf:6: .*bogus_key" "bad: omsd -t names file:line and the key"
printf '[server]\nxslt_dir = %s/none\n[store]\npath = %s\n' "$T" "$T/oms.db" >"$T/noxslt.conf"
run "$OMS_BUILDDIR/omsd" -t -f "$T/noxslt.conf"
tap_isnt "$RC" 0 "bad: omsd -t with a missing stylesheet folder fails"
tap_like "$ERR" "$T/none" "bad: omsd -t names the stylesheet folder"
mkdir -p "$T/badxslt/pages"
cp "$OMS_SRCDIR"/xslt/pages/*.xsl "$T/badxslt/pages/"
printf '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><x>\n</xsl:stylesheet>\n' \
    >"$T/badxslt/pages/sites.xsl"
printf '[server]\nxslt_dir = %s/badxslt\n[store]\npath = %s\n' "$T" "$T/oms.db" >"$T/badxslt.conf"
run "$OMS_BUILDDIR/omsd" -t -f "$T/badxslt.conf"
tap_isnt "$RC" 0 "bad: omsd -t with a broken stylesheet fails"
tap_like "$ERR" 'sites\.xsl' "bad: omsd -t names the broken stylesheet" || tap_diag "$ERR"
printf '[server]\nxslt_dir = %s\n[store]\npath = %s/nodir/oms.db\n' "$OMS_SRCDIR/xslt" "$T" >"$T/nodb.conf"
run "$OMS_BUILDDIR/omsd" -t -f "$T/nodb.conf"
tap_isnt "$RC" 0 "bad: omsd -t with a database that cannot be opened fails"
run "$OMS_BUILDDIR/omsd" -x
tap_is "$RC" 2 "bad: omsd with an unknown option exits 2"
tap_done
