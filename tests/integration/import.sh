#!/bin/bash
# import.sh: bulk import and export of CSV files (omsctl import and
# export, the import page /admin/import), in the formats of BILLING.md:
# every implemented kind imports; every class of bad row is reported
# with its line and column, and a file with one bad row imports
# nothing; importing again changes nothing; export -> import into a
# fresh database -> export gives the same files; a customer's new name
# by re-import is audited; the page takes an upload through nginx, and
# only an administrator may use it.  On the backend of OMS_BACKEND
# (sqlite, or mariadb through tests/mariadb/import.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need "$OMS_PYTHON"
OMS_SEED_ARGS="--customers 2 --sites 8 --assets 400 --seed 42"
oms_start
MAIN=$OMS_DIR
T=$OMS_DIR/files
mkdir -p "$T"

# fingerprint: the inventory as the importer writes it, hashed.
fingerprint() {
	oms_sql "SELECT code, name, address, city, region, postcode, country, currency, terms_days FROM customers ORDER BY id;
		SELECT id, customer_id, code, name, address, city, region, postcode, country FROM sites ORDER BY id;
		SELECT id, customer_id, code, name FROM cost_centres ORDER BY id;
		SELECT id, tag, site_id, cost_centre_id, product_id, status, ports, phone_number, extension, mailbox, serial, installed_on, removed_on, parent_id FROM assets ORDER BY id;
		SELECT asset_id, seq, valid_from, valid_to, site_id, cost_centre_id, product_id, ports, status FROM asset_states ORDER BY id" | md5sum
}

# imp KIND FILE [ARG...]: omsctl import (at the business date TODAY
# when it is set); OUT and ERR hold its output, RC its exit status.
imp() {
	local kind=$1 file=$2
	shift 2
	oms_ctl ${TODAY:+--today "$TODAY"} import "$kind" "$file" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# ------------------------------------------------------------ export
for k in customers sites cost-centres assets; do
	oms_ctl export "$k" --out "$T/$k.csv" 2>"$T/err"
	tap_is "$?" 0 "export $k"
done
tap_is "$(head -n 1 "$T/assets.csv" | tr -d '\r')" \
    "tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag" \
    "the assets header is BILLING.md's"
nassets=$(oms_sql "SELECT COUNT(*) FROM assets")
tap_is "$(($(wc -l <"$T/assets.csv") - 1))" "$nassets" "one row an asset"
oms_ctl export products >/dev/null 2>"$T/err"
tap_is "$?" 1 "bad: products are not exportable yet (exit 1)"
tap_like "$(cat "$T/err")" "not yet exportable" "and it says so"

# --------------------------------------------- re-import: no change
before=$(fingerprint)
audits=$(oms_sql "SELECT COUNT(*) FROM audit_log")
for k in customers sites cost-centres assets; do
	imp "$k" "$T/$k.csv"
	tap_is "$RC" 0 "re-import of $k succeeds"
	tap_like "$OUT" " 0 added, 0 updated, [0-9]+ skipped" "re-import of $k skips every row"
done
tap_is "$(fingerprint)" "$before" "re-importing every file changed nothing"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log")" "$audits" \
    "not even the audit log grew"

# --------------------------------------------------- keys and codes
C1=$(oms_sql "SELECT code FROM customers ORDER BY id LIMIT 1")
C2=$(oms_sql "SELECT code FROM customers ORDER BY id DESC LIMIT 1")
S1=$(oms_sql "SELECT s.code FROM sites s JOIN customers c ON c.id = s.customer_id WHERE c.code = '$C1' ORDER BY s.id LIMIT 1")
CC1=$(oms_sql "SELECT k.code FROM cost_centres k JOIN customers c ON c.id = k.customer_id WHERE c.code = '$C1' ORDER BY k.id LIMIT 1")
read -r P PMIN PMAX <<<"$(oms_sql "SELECT code, min_ports, max_ports FROM products WHERE asset_type <> 'addon' ORDER BY id LIMIT 1" | tr '|' ' ')"
tap_isnt "$C1" "$C2" "two customers to work with ($C1, $C2)"

# ------------------------------------- sites and cost centres added
printf 'customer,code,name,address,city,region,postcode,country\r\n%s,IMP-ONLY,"Only, of the second",1 Side St,Town,ON,K1A 0B1,CA\r\n' "$C2" >"$T/site-new.csv"
imp sites "$T/site-new.csv"
tap_is "$RC/$OUT" "0/$T/site-new.csv: sites imported: 1 rows, 1 added, 0 updated, 0 skipped" "a new site of $C2 is added"
tap_is "$(oms_sql "SELECT s.name FROM sites s JOIN customers c ON c.id = s.customer_id WHERE c.code = '$C2' AND s.code = 'IMP-ONLY'")" \
    "Only, of the second" "with its quoted name"
printf 'name,customer,code\n"Imported, centre",%s,CC-IMP\n' "$C1" >"$T/cc-new.csv"
imp cost-centres "$T/cc-new.csv"
tap_is "$RC" 0 "a cost centre is added (columns in another order)"
tap_is "$(oms_sql "SELECT k.name FROM cost_centres k JOIN customers c ON c.id = k.customer_id WHERE c.code = '$C1' AND k.code = 'CC-IMP'")" \
    "Imported, centre" "with its name"

# ------------------------------------------------- every bad class
H=tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag
{
	echo "$H"
	echo "T-OK1,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,"
	echo "T-BAD1,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-13-01,"
	echo "T-BAD2,NO-SUCH-CUSTOMER,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,"
	echo "T-BAD3,$C1,IMP-ONLY,$CC1,$P,$PMIN,,,,,2024-01-10,"
	echo "T-BAD4,$C1,$S1,$CC1,$P,$((PMAX + 1)),,,,,2024-01-10,"
	echo "T-OK1,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,"
	echo "T-BAD5,\"$C1\"x,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,"
	echo "T-BAD6,$C1,$S1,$CC1,NO-SUCH-PRODUCT,1,,,,,2024-01-10,"
	echo "T-BAD7,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,T-OK1"
} >"$T/bad.csv"
before=$(fingerprint)
imp assets "$T/bad.csv" --rejects "$T/rejects.csv"
tap_is "$RC" 1 "bad: a file with bad rows is refused (exit 1)"
tap_like "$ERR" "bad\\.csv:3: installed_on: " "bad: a bad date is reported with line 3 and its column"
tap_like "$ERR" "bad\\.csv:4: customer: Unknown customer" "bad: an unknown customer: line 4, customer"
tap_like "$ERR" "bad\\.csv:5: site: The site 'IMP-ONLY' is not one of customer $C1's: it belongs to customer $C2" \
    "bad: a site of another customer: line 5, site, naming its customer"
tap_like "$ERR" "bad\\.csv:6: ports: Ports $((PMAX + 1)) are outside" "bad: ports out of range: line 6, ports"
tap_like "$ERR" "bad\\.csv:7: tag: .*twice in this file \\(first on line 2\\)" "bad: a duplicate tag in the file: line 7, tag"
tap_like "$ERR" "bad\\.csv:8: customer: bad quoting" "bad: bad quoting: line 8, its column"
tap_like "$ERR" "bad\\.csv:9: product: Unknown product" "bad: an unknown product: line 9"
tap_like "$ERR" "bad\\.csv:10: parent_tag: A parent is given for product $P, which is not an add-on" \
    "bad: a parent for a product that is not an add-on: line 10"
tap_like "$ERR" "refused: 8 of 9 rows bad, nothing was imported" "the summary counts the bad rows"
tap_is "$(fingerprint)" "$before" "bad: nothing was imported, not even the good row"
tap_is "$(oms_sql "SELECT COUNT(*) FROM assets WHERE tag = 'T-OK1'")" 0 "bad: the good row's asset is not there"
tap_is "$(head -n 1 "$T/rejects.csv" | tr -d '\r')" "line,column,reason,row" "the rejects file has its header"
tap_is "$("$OMS_PYTHON" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
print(" ".join(r[0] + ":" + r[1] for r in rows))
print(rows[0][3])' "$T/rejects.csv" | tr '\n' '|')" \
    "3:installed_on 4:customer 5:site 6:ports 7:tag 8:customer 9:product 10:parent_tag|T-BAD1,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-13-01,|" \
    "the rejects file: line, column and the original row of every bad row"

# ------------------------------------------------ header problems
sed -e '1s/,parent_tag$//' -e '2,$s/,$//' "$T/bad.csv" | head -n 2 >"$T/missing.csv"
imp assets "$T/missing.csv"
tap_is "$RC" 1 "bad: a missing column refuses the file"
tap_like "$ERR" "missing\\.csv:1: parent_tag: Missing column 'parent_tag'" "bad: the missing column is named"
{ echo "$H,colour"; echo "T-X,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,,red"; } >"$T/unknown.csv"
imp assets "$T/unknown.csv"
tap_is "$RC" 1 "bad: an unknown column refuses the file"
tap_like "$ERR" "unknown\\.csv:1: colour: Unknown column 'colour'" "bad: the unknown column is named"

# ------------------------------------------- assets with an add-on
oms_sql_write "INSERT INTO products (code, name, asset_type, charge, min_ports, max_ports) VALUES ('AO-IMP', 'Hunt group', 'addon', 'flat', 0, 0)" >/dev/null
{
	echo "$H"
	echo "T-NEW1,$C1,$S1,$CC1,$P,$PMIN,+15550001,201,,SER-1,2024-01-10,"
	echo "T-NEW2,$C1,$S1,$CC1,AO-IMP,0,,,,,2024-02-01,T-NEW1"
} >"$T/new.csv"
TODAY=2024-03-01 imp assets "$T/new.csv"
tap_is "$RC/$OUT" "0/$T/new.csv: assets imported: 2 rows, 2 added, 0 updated, 0 skipped" \
    "an asset and its add-on are imported (--today 2024-03-01)"
tap_is "$(oms_sql "SELECT p.tag FROM assets a JOIN assets p ON p.id = a.parent_id WHERE a.tag = 'T-NEW2'")" "T-NEW1" \
    "the add-on has its parent"
tap_is "$(oms_sql "SELECT COUNT(*), MIN(s.valid_from), MIN(s.status) FROM asset_states s JOIN assets a ON a.id = s.asset_id WHERE a.tag = 'T-NEW1'")" \
    "1|2024-01-10|active" "the new asset has its first state from its installation"
tap_like "$(oms_sql "SELECT entity, entity_id, action, after_value FROM audit_log ORDER BY id DESC LIMIT 1" | tr '\n' ' ')" \
    "^import\\|assets\\|import\\|rows: 2.*added: 2" "the import of the file is audited"
imp assets "$T/new.csv"
tap_is "$RC/$OUT" "0/$T/new.csv: assets imported: 2 rows, 0 added, 0 updated, 2 skipped" "importing them again skips both"
sed -e 's/,201,/,202,/' "$T/new.csv" >"$T/changed.csv"
imp assets "$T/changed.csv"
tap_like "$RC/$ERR" "^1/.*changed\\.csv:2: extension: The asset T-NEW1 exists with another extension" \
    "bad: a known tag with other values is refused"
{
	echo "$H"
	echo "T-NEW3,$C1,$S1,$CC1,AO-IMP,0,,,,,2024-02-01,"
	echo "T-NEW4,$C1,$S1,$CC1,AO-IMP,0,,,,,2024-02-01,T-NEW2"
	echo "T-NEW5,$C1,$S1,$CC1,AO-IMP,0,,,,,2023-12-01,T-NEW1"
} >"$T/addons.csv"
imp assets "$T/addons.csv"
tap_like "$ERR" "addons\\.csv:2: parent_tag: Product AO-IMP is an add-on: it needs a parent_tag" "bad: an add-on without a parent"
tap_like "$ERR" "addons\\.csv:3: parent_tag: The parent T-NEW2 is itself an add-on" "bad: an add-on on an add-on"
tap_like "$ERR" "addons\\.csv:4: parent_tag: The parent T-NEW1 is not in service on 2023-12-01" "bad: a parent not yet in service"

# ---------------------------------------------------- customers
sed -e "s/^$C1,[^,]*,/$C1,Renamed By Import,/" "$T/customers.csv" >"$T/renamed.csv"
old=$(oms_sql "SELECT name FROM customers WHERE code = '$C1'")
imp customers "$T/renamed.csv"
tap_is "$RC/$OUT" "0/$T/renamed.csv: customers imported: 2 rows, 0 added, 1 updated, 1 skipped" "a customer's new name updates it"
tap_is "$(oms_sql "SELECT name FROM customers WHERE code = '$C1'")" "Renamed By Import" "the name is changed"
tap_like "$(oms_sql "SELECT entity, action, login, before_value, after_value FROM audit_log WHERE entity = 'customer' ORDER BY id DESC LIMIT 1" | tr '\n' ' ')" \
    "^customer\\|update\\|omsctl:[^|]*\\|.*name: $old.*\\|.*name: Renamed By Import" "the update is audited with the names before and after"
printf 'code,name,address,city,region,postcode,country,currency,terms_days\nEURO,Euro Customer,1 Rue,Paris,IDF,75001,FR,EUR,30\nNEWC,New Customer,2 Main St,Ottawa,ON,K1A 0B1,CA,,45\n' >"$T/cur.csv"
imp customers "$T/cur.csv"
tap_like "$RC/$ERR" "^1/.*cur\\.csv:2: currency: The currency EUR is not the installation's \\(USD\\)" \
    "bad: a customer in another currency is refused"
sed -e '/^EURO/d' "$T/cur.csv" >"$T/cur2.csv"
imp customers "$T/cur2.csv"
tap_is "$RC" 0 "a new customer with an empty currency imports"
tap_is "$(oms_sql "SELECT currency, terms_days FROM customers WHERE code = 'NEWC'")" "USD|45" "it gets the installation's currency and its terms"

printf 'code,name,address,city,region,postcode,country,currency,terms_days\nLAT1,Caf\xe9 Latin-1,1 Rue,Paris,IDF,75001,FR,,30\n' >"$T/latin1.csv"
imp customers "$T/latin1.csv"
tap_like "$RC/$ERR" "^1/.*latin1\\.csv:2: name: not valid UTF-8" "bad: a file that is not UTF-8 is refused, naming the column"

# [billing] currency: the installation's currency, checked.
cp "$OMS_CONF" "$T/cad.conf"
printf '\n[billing]\ncurrency = CAD\nbackdate_days = 31\n' >>"$T/cad.conf"
printf 'code,name,address,city,region,postcode,country,currency,terms_days\nCADC,Canadian,1 Main St,Ottawa,ON,K1A 0B1,CA,,30\n' >"$T/cad.csv"
"$OMS_BUILDDIR/omsctl" -f "$T/cad.conf" import customers "$T/cad.csv" >/dev/null 2>"$T/err"
tap_is "$?/$(oms_sql "SELECT currency FROM customers WHERE code = 'CADC'")" "0/CAD" \
    "an empty currency is the one of [billing] currency"
# Out again by hand: the round trip below is of a one-currency database.
oms_sql_write "DELETE FROM customers WHERE code = 'CADC'" >/dev/null
printf '\n[billing]\ncurrency = cad\n' >>"$T/cad.conf"
"$OMS_BUILDDIR/omsctl" -f "$T/cad.conf" import customers "$T/cad.csv" >/dev/null 2>"$T/err"
tap_like "$?/$(cat "$T/err")" "^1/.*bad value for 'currency' in section \\[billing\\]" "bad: a currency that is not three capitals"

# ------------------------------------------- kinds and options
printf 'code,name,asset_type,charge,usage_unit\nX,Y,line,flat,\n' >"$T/products.csv"
imp products "$T/products.csv"
tap_like "$RC/$ERR" "^1/.*products files are not yet importable" "bad: a kind not yet importable says so"
imp widgets "$T/products.csv"
tap_is "$RC" 1 "bad: an unknown kind (exit 1)"
TODAY=2024-02-30 imp customers "$T/cur2.csv"
tap_like "$RC/$ERR" "^1/.*--today: expected a date" "bad: --today with a bad date"

# ---------------------------------------------------- the page
http GET /admin/import
tap_is "$HTTP_STATUS" 200 "the import page answers the administrator"
tok=$(oms_html "$HTTP_BODY" value csrf)
printf 'customer,code,name\n%s,CC-WEB,From the page\n' "$C1" >"$T/cc-web.csv"
http POST /admin/import -F "csrf=$tok" -F kind=cost-centres -F "file=@$T/cc-web.csv;type=text/csv"
tap_is "$HTTP_STATUS" 200 "an upload through nginx imports"
tap_like "$(oms_html "$HTTP_BODY" text | tr '\n' ' ')" "Imported +cost-centres +from cc-web\\.csv: 1 rows, 1 added" "the page shows the counts"
tap_is "$(oms_sql "SELECT COUNT(*) FROM cost_centres WHERE code = 'CC-WEB'")" 1 "the cost centre is there"
http POST '/admin/import?format=xml' -F "csrf=$tok" -F kind=assets -F "file=@$T/bad.csv"
tap_is "$HTTP_STATUS" 422 "bad: a file with bad rows is refused (422)"
tap_is "$(oms_xpath "$HTTP_BODY" 'string(//report/@refused)')/$(oms_xpath "$HTTP_BODY" 'count(//report/problem)')/$(oms_xpath "$HTTP_BODY" 'string(//report/problem[1]/@line)')/$(oms_xpath "$HTTP_BODY" 'string(//report/problem[1]/@column)')" \
    "8/8/3/installed_on" "bad: the report lists every bad row with its line and column"
http POST /admin/import -F kind=cost-centres -F "file=@$T/cc-web.csv"
tap_is "$HTTP_STATUS" 403 "bad: an upload without the form's token is refused"
http POST /admin/import -F "csrf=$tok" -F kind=cost-centres -F "file=@$T/cc-web.csv" -F extra=1
tap_is "$HTTP_STATUS" 400 "bad: a field the form does not have is refused"
http POST /admin/import --data "csrf=$tok&kind=sites"
tap_is "$HTTP_STATUS" 415 "bad: an urlencoded body is refused"
oms_login vendor || tap_bail "cannot log in as vendor"
http GET /admin/import
tap_is "$HTTP_STATUS" 403 "bad: the vendor may not see the import page"
vtok=$(curl -s -b "$OMS_JAR" "$OMS_URL/customers" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
http POST /admin/import -F "csrf=$vtok" -F kind=cost-centres -F "file=@$T/cc-web.csv"
tap_is "$HTTP_STATUS" 403 "bad: the vendor may not import"

# ------------------------------------- round trip through a fresh db
for k in customers sites cost-centres assets; do
	oms_ctl export "$k" --out "$T/one-$k.csv"
done
products=$(oms_sql "SELECT code, name, asset_type, charge, min_ports, max_ports FROM products ORDER BY id")
OMS_NO_SEED=1 oms_start
while IFS='|' read -r code name type charge min max; do
	oms_sql_write "INSERT INTO products (code, name, asset_type, charge, min_ports, max_ports) VALUES ('$code', '${name//\'/\'\'}', '$type', '$charge', $min, $max)" >/dev/null
done <<<"$products"
ok=0
for k in customers sites cost-centres assets; do
	oms_ctl import "$k" "$T/one-$k.csv" >/dev/null 2>"$T/err" || { ok=1; tap_diag "$k: $(head -n 5 "$T/err")"; }
done
tap_is "$ok" 0 "every exported file imports into a fresh database"
for k in customers sites cost-centres assets; do
	oms_ctl export "$k" --out "$T/two-$k.csv"
	cmp -s "$T/one-$k.csv" "$T/two-$k.csv"
	tap_ok $? "export -> import -> export gives the same $k file"
done
oms_use "$MAIN"

tap_done
