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
KINDS="products customers sites cost-centres prices usage-prices fees contract-prices tax-rates assets orders"
for k in $KINDS; do
	oms_ctl export "$k" --out "$T/$k.csv" 2>"$T/err"
	tap_is "$?" 0 "export $k"
done
tap_is "$(head -n 1 "$T/assets.csv" | tr -d '\r')" \
    "tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag" \
    "the assets header is BILLING.md's"
nassets=$(oms_sql "SELECT COUNT(*) FROM assets")
tap_is "$(($(wc -l <"$T/assets.csv") - 1))" "$nassets" "one row an asset"
oms_ctl export widgets >/dev/null 2>"$T/err"
tap_is "$?" 1 "bad: an unknown kind is not exportable (exit 1)"
tap_like "$(cat "$T/err")" "unknown kind 'widgets'" "and it says so"

# --------------------------------------------- re-import: no change
before=$(fingerprint)
audits=$(oms_sql "SELECT COUNT(*) FROM audit_log")
for k in $KINDS; do
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

# --------------------------------- many rows: the batched writes
# Clean rows are written 100 at a time; a bad row after two batches
# still leaves nothing, and a batch with a known tag falls back to
# row-by-row (the known tag is skipped).
{
	echo "$H"
	for i in $(seq 1 250); do echo "T-BULK$i,$C1,$S1,$CC1,$P,$PMIN,,,,SN$i,2024-01-10,"; done
} >"$T/bulk.csv"
{ cat "$T/bulk.csv"; echo "T-BULKX,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-99-10,"; } >"$T/bulk-bad.csv"
before=$(fingerprint)
imp assets "$T/bulk-bad.csv"
tap_like "$RC/$ERR" "^1/.*bulk-bad\\.csv:252: installed_on: " "bad: a bad last row after full batches is reported"
tap_is "$(fingerprint)" "$before" "bad: and nothing of the batches written before it is left"
head -n 151 "$T/bulk.csv" | sed -n '1p;52,151p' >"$T/bulk-mid.csv"
imp assets "$T/bulk-mid.csv"
tap_is "$RC/$OUT" "0/$T/bulk-mid.csv: assets imported: 100 rows, 100 added, 0 updated, 0 skipped" "a full batch of new assets is written"
imp assets "$T/bulk.csv"
tap_is "$RC/$OUT" "0/$T/bulk.csv: assets imported: 250 rows, 150 added, 0 updated, 100 skipped" \
    "batches with known tags fall back to row by row: the known ones are skipped"
tap_is "$(oms_sql "SELECT COUNT(*), COUNT(DISTINCT s.asset_id), MIN(s.seq), MAX(s.seq), MIN(a.serial = s.serial) FROM asset_states s JOIN assets a ON a.id = s.asset_id WHERE a.tag LIKE 'T-BULK%'")" \
    "250|250|1|1|1" "every bulk asset has its one first state, with its own values"
tap_is "$(oms_sql "SELECT COUNT(*) FROM assets a JOIN asset_states s ON s.asset_id = a.id WHERE a.tag = 'T-BULK77' AND s.serial = 'SN77' AND a.installed_on = '2024-01-10' AND s.valid_from = '2024-01-10'")" \
    1 "a batched asset and its state hold the row's values"

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
printf 'record_id,asset_tag,date,quantity\n1,X,2024-01-01,5\n' >"$T/usage.csv"
imp usage "$T/usage.csv"
tap_like "$RC/$ERR" "^1/.*usage\\.csv:2: asset_tag: Unknown asset 'X'" "bad: usage of an unknown asset (import_billing.sh has the rest)"
imp widgets "$T/usage.csv"
tap_is "$RC" 1 "bad: an unknown kind (exit 1)"
TODAY=2024-02-30 imp customers "$T/cur2.csv"
tap_like "$RC/$ERR" "^1/.*--today: expected a date" "bad: --today with a bad date"

# ------------------------------------------------------- the catalog
{
	echo "code,name,asset_type,charge,usage_unit"
	echo "IMP-LINE,Imported line,line,flat,"
	echo "IMP-PP,\"Trunk, per port\",line,per_port,minute"
	echo "IMP-AO,Imported add-on,addon,flat,"
} >"$T/cat-products.csv"
imp products "$T/cat-products.csv"
tap_is "$RC/$OUT" "0/$T/cat-products.csv: products imported: 3 rows, 3 added, 0 updated, 0 skipped" "three products are added"
tap_is "$(oms_sql "SELECT charge, usage_unit, min_ports, max_ports FROM products WHERE code = 'IMP-PP'")" "per_port|minute|0|1000" \
    "a new product has its charge, usage unit and the default port limits"
imp products "$T/cat-products.csv"
tap_is "$RC/$OUT" "0/$T/cat-products.csv: products imported: 3 rows, 0 added, 0 updated, 3 skipped" "importing them again skips them"
sed -e 's/^IMP-LINE,Imported line,/IMP-LINE,Imported line renamed,/' "$T/cat-products.csv" >"$T/cat-products2.csv"
imp products "$T/cat-products2.csv"
tap_is "$RC/$OUT" "0/$T/cat-products2.csv: products imported: 3 rows, 0 added, 1 updated, 2 skipped" "a new name updates the product"
tap_like "$(oms_sql "SELECT action, before_value, after_value FROM audit_log WHERE entity = 'product' ORDER BY id DESC LIMIT 1" | tr '\n' ' ')" \
    "^update\\|.*name: Imported line.*\\|.*name: Imported line renamed" "the product's update is audited"
PTYPE=$(oms_sql "SELECT asset_type FROM products WHERE code = '$P'")
other=set; [ "$PTYPE" = set ] && other=line
printf 'code,name,asset_type,charge,usage_unit\n%s,Whatever,%s,flat,\n' "$P" "$other" >"$T/cat-ptype.csv"
imp products "$T/cat-ptype.csv"
tap_like "$RC/$ERR" "^1/.*cat-ptype\\.csv:2: asset_type: The asset type and charge of a product do not change once it has assets" \
    "bad: a product with assets keeps its asset type"
printf 'code,name,asset_type,charge,usage_unit\nBAD ONE,X,phone,monthly,\n' >"$T/cat-pbad.csv"
imp products "$T/cat-pbad.csv"
tap_like "$ERR" "cat-pbad\\.csv:2: code: .*holds a space" "bad: a product code with a space"
tap_like "$ERR" "cat-pbad\\.csv:2: asset_type: The asset_type 'phone'" "bad: an unknown asset type"
tap_like "$ERR" "cat-pbad\\.csv:2: charge: The charge 'monthly'" "bad: an unknown charge"

printf 'product,valid_from,monthly\nIMP-LINE,2024-01-01,25.50\nIMP-PP,2024-01-01,4\nIMP-PP,2024-06-01,3.5\n' >"$T/cat-prices.csv"
imp prices "$T/cat-prices.csv"
tap_is "$RC/$OUT" "0/$T/cat-prices.csv: prices imported: 3 rows, 3 added, 0 updated, 0 skipped" "prices are added"
tap_is "$(oms_sql "SELECT x.valid_from, x.monthly_cents FROM product_prices x JOIN products p ON p.id = x.product_id WHERE p.code = 'IMP-PP' ORDER BY x.valid_from" | tr '\n' ' ')" \
    "2024-01-01|400 2024-06-01|350 " "in cents"
imp prices "$T/cat-prices.csv"
tap_is "$RC/$OUT" "0/$T/cat-prices.csv: prices imported: 3 rows, 0 added, 0 updated, 3 skipped" "the same prices again are skipped"
{
	echo "product,valid_from,monthly"
	echo "IMP-LINE,2025-01-01,26.00"
	echo "IMP-LINE,2025-02-01,12.345"
	echo "IMP-LINE,2025-03-01,\"1,200.00\""
	echo "NO-SUCH,2025-01-01,1.00"
	echo "IMP-LINE,2024-01-01,30.00"
	echo "IMP-LINE,2025-04-01,-1.00"
	echo "IMP-LINE,2025-05-01,1e3"
} >"$T/cat-prices-bad.csv"
before=$(oms_sql "SELECT COUNT(*) FROM product_prices")
imp prices "$T/cat-prices-bad.csv"
tap_is "$RC" 1 "bad: a prices file with bad rows is refused"
tap_like "$ERR" "cat-prices-bad\\.csv:3: monthly: The monthly '12\\.345' has more than 2 decimals" "bad: 12.345 has too many decimals"
tap_like "$ERR" "cat-prices-bad\\.csv:4: monthly: The monthly '1,200\\.00' has a thousands separator" "bad: 1,200.00 has a thousands separator"
tap_like "$ERR" "cat-prices-bad\\.csv:5: product: Unknown product 'NO-SUCH'" "bad: an unknown product"
tap_like "$ERR" "cat-prices-bad\\.csv:6: monthly: Product IMP-LINE has another monthly price from 2024-01-01" \
    "bad: a known key with another amount is refused (a fact with a date)"
tap_like "$ERR" "cat-prices-bad\\.csv:7: monthly: .*must not be negative" "bad: a negative price"
tap_like "$ERR" "cat-prices-bad\\.csv:8: monthly: .*is not an amount" "bad: an exponent is not an amount"
tap_like "$ERR" "refused: 6 of 7 rows bad" "bad: six of seven rows"
tap_is "$(oms_sql "SELECT COUNT(*) FROM product_prices")" "$before" "bad: all or nothing: not even the good price is added"

{
	echo "product,valid_from,unit,included,tiers"
	echo "IMP-PP,2024-01-01,minute,100,0:0.0350;1000:0.0300"
	echo "IMP-LINE,2024-01-01,GB,0,0:1.5"
} >"$T/cat-usage.csv"
imp usage-prices "$T/cat-usage.csv"
tap_is "$RC/$OUT" "0/$T/cat-usage.csv: usage-prices imported: 2 rows, 2 added, 0 updated, 0 skipped" "usage prices are added"
tap_is "$(oms_sql "SELECT t.from_units, t.rate_micros FROM usage_tiers t JOIN usage_prices u ON u.id = t.usage_price_id JOIN products p ON p.id = u.product_id WHERE p.code = 'IMP-PP' ORDER BY t.from_units" | tr '\n' ' ')" \
    "0|35000 1000|30000 " "with their tiers in millionths"
imp usage-prices "$T/cat-usage.csv"
tap_like "$RC/$OUT" "^0/.* 0 added, 0 updated, 2 skipped" "the same usage prices again are skipped"
{
	echo "product,valid_from,unit,included,tiers"
	echo "IMP-PP,2025-01-01,minute,100,100:0.0350"
	echo "IMP-PP,2024-01-01,minute,100,0:0.0400"
	echo "IMP-PP,2025-02-01,minute,100,0:0.0000001"
} >"$T/cat-usage-bad.csv"
imp usage-prices "$T/cat-usage-bad.csv"
tap_like "$RC/$ERR" "^1/.*cat-usage-bad\\.csv:2: tiers: .*The first tier starts from 0 units" "bad: a tier list not starting at 0"
tap_like "$ERR" "cat-usage-bad\\.csv:3: tiers: .*another usage price from that date" "bad: another usage price on a known key"
tap_like "$ERR" "cat-usage-bad\\.csv:4: tiers: .*at most six decimals" "bad: a rate with seven decimals"

{
	echo "action,product,valid_from,amount"
	echo "add,,2024-01-01,50.00"
	echo "add,IMP-LINE,2024-01-01,75.00"
	echo "move,,2024-01-01,0.00"
	echo "change,,2024-01-01,10"
} >"$T/cat-fees.csv"
imp fees "$T/cat-fees.csv"
tap_is "$RC/$OUT" "0/$T/cat-fees.csv: fees imported: 4 rows, 4 added, 0 updated, 0 skipped" "fees are added (any product and one product)"
tap_is "$(oms_sql "SELECT COUNT(*) FROM fees WHERE action = 'add' AND product_id IS NULL AND amount_cents = 5000")" 1 "an empty product is any product"
printf 'action,product,valid_from,amount\nadd,,2024-01-01,55.00\nrenew,,2024-01-01,1.00\n' >"$T/cat-fees-bad.csv"
imp fees "$T/cat-fees-bad.csv"
tap_like "$RC/$ERR" "^1/.*cat-fees-bad\\.csv:2: amount: There is another add fee for any product from 2024-01-01" "bad: another fee on a known key"
tap_like "$ERR" "cat-fees-bad\\.csv:3: action: The action 'renew'" "bad: an unknown action"

{
	echo "customer,product,valid_from,valid_to,monthly"
	echo "$C1,IMP-LINE,2024-01-01,2024-12-31,20.00"
	echo "$C1,IMP-PP,2024-01-01,,3.00"
} >"$T/cat-contract.csv"
imp contract-prices "$T/cat-contract.csv"
tap_is "$RC/$OUT" "0/$T/cat-contract.csv: contract-prices imported: 2 rows, 2 added, 0 updated, 0 skipped" "contract prices are added"
tap_is "$(oms_sql "SELECT COUNT(*) FROM contract_prices WHERE valid_to IS NULL AND monthly_cents = 300")" 1 "an empty valid_to is open"
{
	echo "customer,product,valid_from,valid_to,monthly"
	echo "$C1,IMP-LINE,2024-01-01,2025-06-30,20.00"
	echo "$C1,IMP-LINE,2025-03-01,2025-01-01,20.00"
	echo "NOBODY,IMP-LINE,2025-03-01,,20.00"
} >"$T/cat-contract-bad.csv"
imp contract-prices "$T/cat-contract-bad.csv"
tap_like "$RC/$ERR" "^1/.*cat-contract-bad\\.csv:2: monthly: This customer has another contract price" "bad: another contract price on a known key"
tap_like "$ERR" "cat-contract-bad\\.csv:3: valid_to: The valid_to 2025-01-01 is not after" "bad: a valid_to before valid_from"
tap_like "$ERR" "cat-contract-bad\\.csv:4: customer: Unknown customer 'NOBODY'" "bad: an unknown customer"

printf 'jurisdiction,tax,valid_from,rate\nCA-QC,QST,2024-01-01,9.975\nCA-QC,GST,2024-01-01,5\nCA-ON,HST,2024-01-01,13.0\n' >"$T/cat-tax.csv"
imp tax-rates "$T/cat-tax.csv"
tap_is "$RC/$OUT" "0/$T/cat-tax.csv: tax-rates imported: 3 rows, 3 added, 0 updated, 0 skipped" "tax rates are added"
tap_is "$(oms_sql "SELECT rate_ppm FROM tax_rates WHERE jurisdiction = 'CA-QC' AND tax = 'QST'")" 99750 "9.975 % is 99,750 ppm"
printf 'jurisdiction,tax,valid_from,rate\nCA-QC,QST,2024-01-01,9.5\nCAQC,PST,2024-01-01,7\nCA-BC,PST,2024-01-01,7.12345\nCA-BC,XST,2024-01-01,101\n' >"$T/cat-tax-bad.csv"
imp tax-rates "$T/cat-tax-bad.csv"
tap_like "$RC/$ERR" "^1/.*cat-tax-bad\\.csv:2: rate: CA-QC QST has another rate from 2024-01-01" "bad: another tax rate on a known key"
tap_like "$ERR" "cat-tax-bad\\.csv:3: jurisdiction: " "bad: a jurisdiction without its dash"
tap_like "$ERR" "cat-tax-bad\\.csv:4: rate: .*more than 4 decimals" "bad: a rate with five decimals"
tap_like "$ERR" "cat-tax-bad\\.csv:5: rate: .*more than 100%" "bad: a rate over 100 %"

for k in products prices usage-prices fees contract-prices tax-rates; do
	oms_ctl export "$k" --out "$T/cat-x-$k.csv"
done
tap_like "$(cat "$T/cat-x-usage-prices.csv" | tr -d '\r' | tr '\n' ' ')" "IMP-PP,2024-01-01,minute,100,0:0\\.035;1000:0\\.03 " \
    "usage prices export with their tiers"
tap_like "$(tr -d '\r' <"$T/cat-x-tax-rates.csv" | tr '\n' ' ')" "CA-ON,HST,2024-01-01,13 CA-QC,GST,2024-01-01,5 CA-QC,QST,2024-01-01,9\\.975 " \
    "tax rates export as percent, in key order"
tap_like "$(tr -d '\r' <"$T/cat-x-prices.csv" | tr '\n' ' ')" "IMP-PP,2024-01-01,4\\.00 IMP-PP,2024-06-01,3\\.50 " \
    "prices export as amounts without separators"
tap_like "$(tr -d '\r' <"$T/cat-x-fees.csv" | tr '\n' ' ')" "add,,2024-01-01,50\\.00 add,IMP-LINE,2024-01-01,75\\.00 " \
    "fees export with an empty product for any"

# ---------------------------------------------------------- orders
OH=order_ref,line,action,customer,asset_tag,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,parent_tag,requested_on,completed_on,fee_override,reason
{
	echo "$OH"
	echo "IMP-O2,1,change,$C1,IMP-A1,,,,,,,,SER-CHANGED,,2024-02-18,2024-02-20,,"
	echo "IMP-O1,1,add,$C1,IMP-A1,$S1,$CC1,IMP-LINE,1,+15550100,,,SER-A1,,2024-02-05,2024-02-10,0,Waived for the import"
	echo "IMP-O1B,1,addon,$C1,IMP-A2,,,IMP-AO,0,,,,,IMP-A1,2024-02-06,2024-02-10,,"
	echo "IMP-O3,1,disconnect,$C1,IMP-A1,,,,,,,,,,2024-03-05,,,"
} >"$T/orders.csv"
TODAY=2024-03-01 imp orders "$T/orders.csv"
tap_is "$RC/$OUT" "0/$T/orders.csv: orders imported: 4 rows, 4 added, 0 updated, 0 skipped" \
    "an orders file records and completes orders in one go" || tap_diag "$ERR"
tap_is "$(oms_sql "SELECT ref, state, COALESCE(completed_on, '-') FROM orders WHERE ref LIKE 'IMP-O%' ORDER BY ref" | tr '\n' ' ')" \
    "IMP-O1|completed|2024-02-10 IMP-O1B|completed|2024-02-10 IMP-O2|completed|2024-02-20 IMP-O3|submitted|- " \
    "completed orders are completed on their dates; one without completed_on waits, submitted"
tap_is "$(oms_sql "SELECT a.installed_on, COALESCE(a.removed_on, '-'), COALESCE(a.serial, '-'), COALESCE(p.tag, '-') FROM assets a LEFT JOIN assets p ON p.id = a.parent_id WHERE a.tag IN ('IMP-A1', 'IMP-A2') ORDER BY a.tag" | tr '\n' ' ')" \
    "2024-02-10|-|SER-CHANGED|- 2024-02-10|-|-|IMP-A1 " "the add made the asset, the addon its add-on, the change its serial"
tap_is "$(oms_sql "SELECT s.seq, s.valid_from, COALESCE(s.valid_to, '-'), COALESCE(s.serial, '-') FROM asset_states s JOIN assets a ON a.id = s.asset_id WHERE a.tag = 'IMP-A1' ORDER BY s.seq" | tr '\n' ' ')" \
    "1|2024-02-10|2024-02-20|SER-A1 2|2024-02-20|-|SER-CHANGED " "the asset's history: its add, then its change"
tap_is "$(oms_sql "SELECT l.fee_override_cents, l.override_reason FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.ref = 'IMP-O1' AND l.line_no = 1")" \
    "0|Waived for the import" "the fee override and its reason are kept"
TODAY=2024-03-01 imp orders "$T/orders.csv"
tap_is "$RC/$OUT" "0/$T/orders.csv: orders imported: 4 rows, 0 added, 0 updated, 4 skipped" "importing the orders again skips them"
sed -e 's/SER-CHANGED/SER-OTHER/' "$T/orders.csv" >"$T/orders-other.csv"
TODAY=2024-03-01 imp orders "$T/orders-other.csv"
tap_like "$RC/$ERR" "^1/.*orders-other\\.csv:2: serial: The order IMP-O2 was imported before with other values" \
    "bad: an order imported before with other rows is refused"
{
	echo "$OH"
	echo "IMP-B1,1,add,$C1,IMP-B1A,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-03-02,,"
	echo "IMP-B2,1,add,$C1,IMP-B2A,IMP-ONLY,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-02-26,,"
	echo "ORD000777,1,add,$C1,IMP-B3A,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-02-26,,"
	echo "IMP-B4,1,add,$C1,IMP-B4A,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-02-26,,"
	echo "IMP-B4,2,add,$C2,IMP-B4B,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-02-26,,"
	echo "IMP-B5,1,move,$C1,NO-SUCH-ASSET,$S1,,,,,,,,,2024-02-25,2024-02-26,,"
	echo "IMP-B6,1,add,$C1,IMP-B6A,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2023-10-01,,"
	echo "IMP-B7,1,add,$C1,IMP-B7A,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-02-26,5.00,"
	echo "IMP-B8,1,add,$C1,IMP-B8A,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-02-26,,"
	echo "IMP-B8,3,add,$C1,IMP-B8B,$S1,$CC1,IMP-LINE,1,,,,,,2024-02-25,2024-02-26,,"
} >"$T/orders-bad.csv"
# A customer that approves its own orders first: the import approves
# for it too (as the administrator), then completes.
CC2=$(oms_sql "SELECT k.code FROM cost_centres k JOIN customers c ON c.id = k.customer_id WHERE c.code = '$C2' ORDER BY k.id LIMIT 1")
oms_sql_write "UPDATE customers SET approval_required = 1 WHERE code = '$C2'" >/dev/null
{
	echo "$OH"
	echo "IMP-AP1,1,add,$C2,IMP-AP1A,IMP-ONLY,$CC2,IMP-LINE,1,,,,,,2024-02-20,2024-02-22,,"
} >"$T/orders-approve.csv"
TODAY=2024-03-01 imp orders "$T/orders-approve.csv"
tap_is "$RC/$(oms_sql "SELECT state FROM orders WHERE ref = 'IMP-AP1'")/$(oms_sql "SELECT COUNT(*) FROM assets WHERE tag = 'IMP-AP1A' AND installed_on = '2024-02-22'")" \
    "0/completed/1" "an order of a customer that approves first is completed too" || tap_diag "$ERR"
tap_is "$(oms_sql "SELECT GROUP_CONCAT(to_state) FROM (SELECT t.to_state FROM order_transitions t JOIN orders o ON o.id = t.order_id WHERE o.ref = 'IMP-AP1' ORDER BY t.id) x")" \
    "draft,awaiting_approval,submitted,approved,scheduled,completed" "through every state of the workflow"

before=$(fingerprint)
orders=$(oms_sql "SELECT COUNT(*) FROM orders")
TODAY=2024-03-01 imp orders "$T/orders-bad.csv"
tap_is "$RC" 1 "bad: an orders file with bad rows is refused"
tap_like "$ERR" "orders-bad\\.csv:2: completed_on: The completion date 2024-03-02 is after the business date 2024-03-01" \
    "bad: a completion after --today"
tap_like "$ERR" "orders-bad\\.csv:3: site: The site 'IMP-ONLY' is not one of customer $C1's: it belongs to customer $C2" \
    "bad: an order row of another customer's site"
tap_like "$ERR" "orders-bad\\.csv:4: order_ref: The order_ref ORD000777 has the form of OMS's own series" \
    "bad: a reference of OMS's own series says so"
tap_like "$ERR" "orders-bad\\.csv:6: customer: The rows of order IMP-B4 disagree on the customer" "bad: rows of one order of two customers"
tap_like "$ERR" "orders-bad\\.csv:7: asset_tag: Unknown asset 'NO-SUCH-ASSET'" "bad: a move of an unknown asset"
tap_like "$ERR" "orders-bad\\.csv:8: completed_on: The completion date 2023-10-01 is more than 92 days before" \
    "bad: a completion back-dated too far"
tap_like "$ERR" "orders-bad\\.csv:9: reason: A fee_override needs a reason" "bad: an override without a reason"
tap_like "$ERR" "orders-bad\\.csv:11: line: The lines of order IMP-B8 are numbered 1, 2, \\.\\.\\. without gaps" "bad: a gap in the lines"
tap_is "$(fingerprint)/$(oms_sql "SELECT COUNT(*) FROM orders")" "$before/$orders" "bad: nothing of the file was recorded, not even its good orders"

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
for k in $KINDS; do
	oms_ctl export "$k" --out "$T/one-$k.csv"
done
tap_is "$(($(wc -l <"$T/one-orders.csv") - 1))" 5 "the orders file holds the completed and the waiting orders"
OMS_NO_SEED=1 oms_start
ok=0
for k in $KINDS; do
	oms_ctl --today 2024-03-01 import "$k" "$T/one-$k.csv" >/dev/null 2>"$T/err" || { ok=1; tap_diag "$k: $(head -n 5 "$T/err")"; }
done
tap_is "$ok" 0 "every exported file imports into a fresh database, in BILLING.md's order"
tap_is "$(oms_sql "SELECT s.seq, s.valid_from, COALESCE(s.serial, '-') FROM asset_states s JOIN assets a ON a.id = s.asset_id WHERE a.tag = 'IMP-A1' ORDER BY s.seq" | tr '\n' ' ')" \
    "1|2024-02-10|SER-A1 2|2024-02-20|SER-CHANGED " "the imported orders made the same history"
for k in $KINDS; do
	oms_ctl export "$k" --out "$T/two-$k.csv"
	cmp -s "$T/one-$k.csv" "$T/two-$k.csv"
	tap_ok $? "export -> import -> export gives the same $k file"
done
oms_use "$MAIN"

tap_done
