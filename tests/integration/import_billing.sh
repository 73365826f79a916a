#!/bin/bash
# import_billing.sh: bulk import and export of the billing facts of
# BILLING.md, "Formats": usage, payments and adjustments (omsctl import
# and export, and the import page).  For each kind: a good file
# imports; every class of bad row is reported with its line and column
# (and in the --rejects file), and a file with one bad row imports
# nothing; importing the same file again adds nothing (and audits
# nothing); a known key with other values is refused (a usage record
# re-sent with another quantity is never billed twice); dates after the
# business date, and dates in a period already invoiced that are older
# than backdate_days, are refused for new facts (a fact imported before
# is skipped whatever the business date); export -> import into a fresh
# database -> export gives the same files, byte for byte.  On the
# backend of OMS_BACKEND (sqlite, or mariadb through
# tests/mariadb/import_billing.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need "$OMS_PYTHON"
OMS_SEED_ARGS="--customers 2 --sites 4 --assets 40 --seed 42"
oms_start
MAIN=$OMS_DIR
T=$OMS_DIR/files
mkdir -p "$T"
# The business date of every import below, unless a test says another.
TODAY=2024-03-01
# Who omsctl records as the creator of a fact.
ME=$(id -un)

# imp KIND FILE [ARG...]: omsctl import at the business date TODAY;
# OUT and ERR hold its output, RC its exit status.
imp() {
	local kind=$1 file=$2
	shift 2
	oms_ctl --today "$TODAY" import "$kind" "$file" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# rejects FILE: "line:column" of every row of a --rejects file.
rejects() {
	"$OMS_PYTHON" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
print(" ".join(r[0] + ":" + r[1] for r in rows))' "$1"
}

# facts: the three tables as the importer writes them, hashed.
facts() {
	oms_sql "SELECT record_id, asset_id, customer_id, used_on, quantity FROM usage_records ORDER BY id;
		SELECT reference, customer_id, paid_on, amount_cents, method, invoice_id FROM payments ORDER BY id;
		SELECT reference, customer_id, dated_on, amount_cents, description, taxable, site_id, cost_centre_id FROM adjustments ORDER BY id" | md5sum
}

# lines: a value's lines (newlines as the sqlite3 client prints them,
# or as the mysql client escapes them) joined by spaces.
lines() {
	sed 's/\\n/ /g' | tr '\n' ' '
}

audits() {
	oms_sql "SELECT COUNT(*) FROM audit_log"
}

C1=$(oms_sql "SELECT code FROM customers ORDER BY id LIMIT 1")
C2=$(oms_sql "SELECT code FROM customers ORDER BY id DESC LIMIT 1")
S1=$(oms_sql "SELECT s.code FROM sites s JOIN customers c ON c.id = s.customer_id WHERE c.code = '$C1' ORDER BY s.id LIMIT 1")
CC1=$(oms_sql "SELECT k.code FROM cost_centres k JOIN customers c ON c.id = k.customer_id WHERE c.code = '$C1' ORDER BY k.id LIMIT 1")
CC2=$(oms_sql "SELECT k.code FROM cost_centres k JOIN customers c ON c.id = k.customer_id WHERE c.code = '$C2' ORDER BY k.id LIMIT 1")
S2C=$(oms_sql "SELECT s.code FROM sites s JOIN customers c ON c.id = s.customer_id WHERE c.code = '$C2' ORDER BY s.id LIMIT 1")
read -r P PMIN <<<"$(oms_sql "SELECT code, min_ports FROM products WHERE asset_type <> 'addon' ORDER BY id LIMIT 1" | tr '|' ' ')"
tap_isnt "$C1" "$C2" "two customers to work with ($C1, $C2)"
# A site only C2 has (the seeded customers share their site codes).
S2=ONLY-C2
printf 'customer,code,name,address,city,region,postcode,country\n%s,%s,Second only,1 Side St,Town,ON,K1A 0B1,CA\n' "$C2" "$S2" >"$T/site.csv"
imp sites "$T/site.csv"
tap_is "$RC/$(oms_sql "SELECT COUNT(*) FROM sites WHERE code = '$S2'")" "0/1" "a site of $C2 alone ($S2)"

# Three assets of known dates: U-1 of C1, U-2 of C2, U-3 of C1 removed
# on 2024-02-15 (its last day in service the 14th).
H=tag,customer,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,installed_on,parent_tag
{
	echo "$H"
	echo "U-1,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,"
	echo "U-2,$C2,$S2C,$CC2,$P,$PMIN,,,,,2024-01-10,"
	echo "U-3,$C1,$S1,$CC1,$P,$PMIN,,,,,2024-01-10,"
} >"$T/assets.csv"
imp assets "$T/assets.csv"
tap_is "$RC/$OUT" "0/$T/assets.csv: assets imported: 3 rows, 3 added, 0 updated, 0 skipped" "three assets to bill usage on"
oms_sql_write "UPDATE assets SET removed_on = '2024-02-15' WHERE tag = 'U-3'" >/dev/null

# ============================================================ usage
UH=record_id,asset_tag,date,quantity
printf '%s\r\nR-001,U-1,2024-01-15,100\r\nR-002,U-1,2024-02-01,0\r\nR-003,U-2,2024-03-01,250\r\nR-004,U-3,2024-02-14,7\r\n' "$UH" >"$T/usage.csv"
imp usage "$T/usage.csv"
tap_is "$RC/$OUT" "0/$T/usage.csv: usage imported: 4 rows, 4 added, 0 updated, 0 skipped" "a usage file imports"
tap_is "$(oms_sql "SELECT u.record_id, a.tag, c.code, u.used_on, u.quantity FROM usage_records u JOIN assets a ON a.id = u.asset_id JOIN customers c ON c.id = u.customer_id ORDER BY u.record_id" | tr '\n' ' ')" \
    "R-001|U-1|$C1|2024-01-15|100 R-002|U-1|$C1|2024-02-01|0 R-003|U-2|$C2|2024-03-01|250 R-004|U-3|$C1|2024-02-14|7 " \
    "each record holds its asset, the asset's customer, its date and quantity (on the business date and the last day in service too)"
tap_like "$(oms_sql "SELECT entity, action, after_value FROM audit_log WHERE entity = 'usage_record' ORDER BY id DESC LIMIT 1" | lines)" \
    "^usage_record\\|create\\|record_id: R-001 asset_tag: U-1 date: 2024-01-15 quantity: 100 record_id: R-002 .*record_id: R-004 asset_tag: U-3 date: 2024-02-14 quantity: 7 $" \
    "the records written are audited, every row in the audit record"

before=$(facts)
n=$(audits)
imp usage "$T/usage.csv"
tap_is "$RC/$OUT" "0/$T/usage.csv: usage imported: 4 rows, 0 added, 0 updated, 4 skipped" "the same usage file again is skipped"
tap_is "$(facts)/$(audits)" "$before/$n" "and changes nothing, not even the audit log"

printf '%s\nR-003,U-2,2024-03-01,251\n' "$UH" >"$T/usage-resent.csv"
imp usage "$T/usage-resent.csv"
tap_like "$RC/$ERR" "^1/.*usage-resent\\.csv:2: quantity: The usage record R-003 was imported before with quantity 250" \
    "bad: a record re-sent with another quantity is refused, never billed twice"
printf '%s\nR-003,U-1,2024-03-01,250\nR-002,U-1,2024-02-02,0\n' "$UH" >"$T/usage-resent2.csv"
imp usage "$T/usage-resent2.csv"
tap_like "$ERR" "usage-resent2\\.csv:2: asset_tag: The usage record R-003 was imported before with asset_tag U-2" \
    "bad: a record re-sent for another asset is refused"
tap_like "$ERR" "usage-resent2\\.csv:3: date: The usage record R-002 was imported before with date 2024-02-01" \
    "bad: a record re-sent with another date is refused"
tap_is "$(facts)" "$before" "bad: the re-sent records changed nothing"

{
	echo "$UH"
	echo "R-010,U-1,2024-01-20,5"
	echo "R-011,NO-SUCH,2024-01-20,5"
	echo "R-012,U-1,2024-02-31,5"
	echo "R-013,U-1,2024-03-02,5"
	echo "R-014,U-1,2024-01-09,5"
	echo "R-015,U-3,2024-02-15,5"
	echo "R-016,U-1,2024-01-20,-5"
	echo "R-017,U-1,2024-01-20,1.5"
	echo "R-010,U-1,2024-01-21,5"
	echo ",U-1,2024-01-20,5"
	echo "R-018,U-1,2024-01-20"
} >"$T/usage-bad.csv"
imp usage "$T/usage-bad.csv" --rejects "$T/usage-rejects.csv"
tap_is "$RC" 1 "bad: a usage file with bad rows is refused (exit 1)"
tap_like "$ERR" "usage-bad\\.csv:3: asset_tag: Unknown asset 'NO-SUCH'" "bad: an unknown asset tag: line 3, asset_tag"
tap_like "$ERR" "usage-bad\\.csv:4: date: The date '2024-02-31' is not a date" "bad: a date that does not exist: line 4, date"
tap_like "$ERR" "usage-bad\\.csv:5: date: The date 2024-03-02 is after the business date 2024-03-01" "bad: a date after the business date: line 5"
tap_like "$ERR" "usage-bad\\.csv:6: date: The asset U-1 is not in service on 2024-01-09" "bad: a date before the installation: line 6"
tap_like "$ERR" "usage-bad\\.csv:7: date: The asset U-3 is not in service on 2024-02-15" "bad: the removal day itself is not in service: line 7"
tap_like "$ERR" "usage-bad\\.csv:8: quantity: The quantity '-5' is not a whole number" "bad: a negative quantity: line 8"
tap_like "$ERR" "usage-bad\\.csv:9: quantity: The quantity '1\\.5' is not a whole number" "bad: a fraction: line 9"
tap_like "$ERR" "usage-bad\\.csv:10: record_id: .*twice in this file \\(first on line 2\\)" "bad: a record_id twice in the file: line 10"
tap_like "$ERR" "usage-bad\\.csv:11: record_id: The record_id must not be empty" "bad: an empty record_id: line 11"
tap_like "$ERR" "usage-bad\\.csv:12: This row has 3 fields where the header has 4" "bad: a short row: line 12"
tap_like "$ERR" "refused: 10 of 11 rows bad, nothing was imported" "the summary counts the bad rows"
tap_is "$(rejects "$T/usage-rejects.csv")" "3:asset_tag 4:date 5:date 6:date 7:date 8:quantity 9:quantity 10:record_id 11:record_id 12:" \
    "the rejects file lists each bad row's line and column"
tap_is "$(facts)/$(oms_sql "SELECT COUNT(*) FROM usage_records WHERE record_id = 'R-010'")" "$before/0" \
    "bad: nothing was imported, not even the good row"

# Many records: written 100 at a time; a bad last row leaves nothing;
# a batch with a known record falls back to row by row.
{
	echo "$UH"
	for i in $(seq 1 250); do echo "B-$i,U-$((i % 2 + 1)),2024-02-$(printf '%02d' $((i % 28 + 1))),$i"; done
} >"$T/usage-bulk.csv"
{ cat "$T/usage-bulk.csv"; echo "B-X,U-1,2024-02-30,1"; } >"$T/usage-bulk-bad.csv"
imp usage "$T/usage-bulk-bad.csv"
tap_like "$RC/$ERR" "^1/.*usage-bulk-bad\\.csv:252: date: " "bad: a bad row after two full batches is reported"
tap_is "$(facts)" "$before" "bad: and nothing of the batches before it is left"
sed -e '51s/,2024-02-[0-9]*,/,2024-03-02,/' "$T/usage-bulk.csv" | head -n 101 >"$T/usage-bulk-late.csv"
imp usage "$T/usage-bulk-late.csv"
tap_like "$RC/$ERR" "^1/.*usage-bulk-late\\.csv:51: date: The date 2024-03-02 is after the business date 2024-03-01" \
    "bad: a full batch with one record after the business date: that one is reported"
tap_like "$ERR" "usage-bulk-late\\.csv refused: 1 of 100 rows bad, nothing was imported" "bad: and only that one"
tap_is "$(facts)" "$before" "bad: not even the rest of its batch"
sed -n '1p;52,151p' "$T/usage-bulk.csv" >"$T/usage-bulk-mid.csv"
n=$(audits)
imp usage "$T/usage-bulk-mid.csv"
tap_is "$RC/$OUT" "0/$T/usage-bulk-mid.csv: usage imported: 100 rows, 100 added, 0 updated, 0 skipped" "a full batch of records is written"
tap_is "$(($(audits) - n))" 2 "one audit record for the batch, one for the file"
imp usage "$T/usage-bulk.csv"
tap_is "$RC/$OUT" "0/$T/usage-bulk.csv: usage imported: 250 rows, 150 added, 0 updated, 100 skipped" \
    "batches with known records fall back to row by row: the known ones are skipped"
tap_is "$(oms_sql "SELECT COUNT(*), SUM(quantity), MIN(c.code = CASE WHEN a.tag = 'U-1' THEN '$C1' ELSE '$C2' END) FROM usage_records u JOIN assets a ON a.id = u.asset_id JOIN customers c ON c.id = u.customer_id WHERE u.record_id LIKE 'B-%'")" \
    "250|31375|1" "every bulk record is there once, with its quantity and its asset's customer"

# ========================================================= payments
PH=reference,customer,date,amount,method
{
	echo "$PH"
	echo "P-001,$C1,2024-02-10,1500.00,cheque"
	echo "P-002,$C2,2024-02-11,0.01,wire"
	echo "P-003,$C1,2024-03-01,1234.5,eft"
} >"$T/payments.csv"
imp payments "$T/payments.csv"
tap_is "$RC/$OUT" "0/$T/payments.csv: payments imported: 3 rows, 3 added, 0 updated, 0 skipped" "a payments file imports"
tap_is "$(oms_sql "SELECT p.reference, c.code, p.paid_on, p.amount_cents, p.method, COALESCE(p.invoice_id, 0), p.created_by FROM payments p JOIN customers c ON c.id = p.customer_id ORDER BY p.reference" | tr '\n' ' ')" \
    "P-001|$C1|2024-02-10|150000|cheque|0|omsctl:$ME P-002|$C2|2024-02-11|1|wire|0|omsctl:$ME P-003|$C1|2024-03-01|123450|eft|0|omsctl:$ME " \
    "each payment holds its customer, date, cents, method, no invoice yet and who imported it"
tap_like "$(oms_sql "SELECT entity, action, after_value FROM audit_log WHERE entity = 'payment' ORDER BY id DESC LIMIT 1" | lines)" \
    "^payment\\|create\\|reference: P-003 customer: $C1 date: 2024-03-01 amount: 1234\\.5 method: eft" "each payment is audited"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'payment'")" 3 "one audit record a payment"
before=$(facts)
n=$(audits)
imp payments "$T/payments.csv"
tap_is "$RC/$OUT/$(facts)/$(audits)" "0/$T/payments.csv: payments imported: 3 rows, 0 added, 0 updated, 3 skipped/$before/$n" \
    "the same payments again are skipped and change nothing"
printf '%s\nP-001,%s,2024-02-10,1600.00,cheque\nP-002,%s,2024-02-11,0.01,wire\n' "$PH" "$C1" "$C1" >"$T/payments-other.csv"
imp payments "$T/payments-other.csv"
tap_like "$RC/$ERR" "^1/.*payments-other\\.csv:2: amount: The payment P-001 was imported before with another amount" \
    "bad: a known reference with another amount is refused"
tap_like "$ERR" "payments-other\\.csv:3: customer: The payment P-002 was imported before with another customer" \
    "bad: a known reference of another customer is refused"
{
	echo "$PH"
	echo "P-010,$C1,2024-02-10,10.00,cheque"
	echo "P-011,$C1,2024-02-10,0.00,cheque"
	echo "P-012,$C1,2024-02-10,-5.00,cheque"
	echo "P-013,$C1,2024-02-10,1.234,cheque"
	echo "P-014,NO-SUCH,2024-02-10,10.00,cheque"
	echo "P-015,$C1,2024-03-02,10.00,cheque"
	echo "P-016,$C1,2024-2-10,10.00,cheque"
	echo "P-017,$C1,2024-02-10,10.00,"
	echo "P-010,$C1,2024-02-11,10.00,cheque"
	echo "P-018,$C1,2024-02-10,\"1,000.00\",cheque"
	echo "P-019,$C1,2024-02-10,ten,cheque"
} >"$T/payments-bad.csv"
imp payments "$T/payments-bad.csv" --rejects "$T/payments-rejects.csv"
tap_is "$RC" 1 "bad: a payments file with bad rows is refused (exit 1)"
tap_like "$ERR" "payments-bad\\.csv:3: amount: The amount 0\\.00 is not positive: .*a refund is an adjustment" "bad: a zero payment: line 3, amount"
tap_like "$ERR" "payments-bad\\.csv:4: amount: The amount -5\\.00 is not positive" "bad: a negative payment: line 4"
tap_like "$ERR" "payments-bad\\.csv:5: amount: .*more than 2 decimals" "bad: three decimals: line 5"
tap_like "$ERR" "payments-bad\\.csv:6: customer: Unknown customer 'NO-SUCH'" "bad: an unknown customer: line 6"
tap_like "$ERR" "payments-bad\\.csv:7: date: The date 2024-03-02 is after the business date" "bad: a date after the business date: line 7"
tap_like "$ERR" "payments-bad\\.csv:8: date: The date '2024-2-10' is not a date" "bad: a malformed date: line 8"
tap_like "$ERR" "payments-bad\\.csv:9: method: The method must not be empty" "bad: no method: line 9"
tap_like "$ERR" "payments-bad\\.csv:10: reference: .*twice in this file \\(first on line 2\\)" "bad: a reference twice: line 10"
tap_like "$ERR" "payments-bad\\.csv:11: amount: .*thousands separator" "bad: a thousands separator: line 11"
tap_like "$ERR" "payments-bad\\.csv:12: amount: The amount 'ten' is not an amount" "bad: not a number: line 12"
tap_is "$(rejects "$T/payments-rejects.csv")" "3:amount 4:amount 5:amount 6:customer 7:date 8:date 9:method 10:reference 11:amount 12:amount" \
    "the rejects file lists each bad payment's line and column"
tap_is "$(facts)/$(audits)" "$before/$n" "bad: nothing was imported, not even the good payment"

# ====================================================== adjustments
AH=reference,customer,date,amount,description,taxable,site,cost_centre
{
	echo "$AH"
	echo "A-001,$C1,2024-02-15,-25.00,Credit for the outage,no,$S1,$CC1"
	echo "A-002,$C1,2024-02-16,10.00,\"Install, after hours\",yes,,"
	echo "A-003,$C2,2024-03-01,5.5,Late fee,yes,$S2,"
} >"$T/adjustments.csv"
imp adjustments "$T/adjustments.csv"
tap_is "$RC/$OUT" "0/$T/adjustments.csv: adjustments imported: 3 rows, 3 added, 0 updated, 0 skipped" "an adjustments file imports"
tap_is "$(oms_sql "SELECT j.reference, c.code, j.dated_on, j.amount_cents, j.description, j.taxable, COALESCE(s.code, '-'), COALESCE(k.code, '-') FROM adjustments j JOIN customers c ON c.id = j.customer_id LEFT JOIN sites s ON s.id = j.site_id LEFT JOIN cost_centres k ON k.id = j.cost_centre_id ORDER BY j.reference" | tr '\n' ' ')" \
    "A-001|$C1|2024-02-15|-2500|Credit for the outage|0|$S1|$CC1 A-002|$C1|2024-02-16|1000|Install, after hours|1|-|- A-003|$C2|2024-03-01|550|Late fee|1|$S2|- " \
    "each adjustment holds its signed cents, taxable flag, and its site and cost centre when given"
tap_is "$(oms_sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'adjustment'")" 3 "one audit record an adjustment"
before=$(facts)
n=$(audits)
imp adjustments "$T/adjustments.csv"
tap_is "$RC/$OUT/$(facts)/$(audits)" "0/$T/adjustments.csv: adjustments imported: 3 rows, 0 added, 0 updated, 3 skipped/$before/$n" \
    "the same adjustments again are skipped and change nothing"
printf '%s\nA-001,%s,2024-02-15,-25.00,Credit for the long outage,no,%s,%s\nA-002,%s,2024-02-16,10.00,"Install, after hours",no,,\n' \
    "$AH" "$C1" "$S1" "$CC1" "$C1" >"$T/adjustments-other.csv"
imp adjustments "$T/adjustments-other.csv"
tap_like "$RC/$ERR" "^1/.*adjustments-other\\.csv:2: description: The adjustment A-001 was imported before with another description" \
    "bad: a known reference with another description is refused"
tap_like "$ERR" "adjustments-other\\.csv:3: taxable: The adjustment A-002 was imported before with another taxable" \
    "bad: a known reference with another taxable is refused"
{
	echo "$AH"
	echo "A-010,$C1,2024-02-15,1.00,Good,no,,"
	echo "A-011,$C1,2024-02-15,1.00,Maybe,maybe,,"
	echo "A-012,$C1,2024-02-15,1.00,Site of another,no,$S2,"
	echo "A-013,$C1,2024-02-15,1.00,No such centre,no,,NO-SUCH-CC"
	echo "A-014,$C1,2024-02-15,1.00,,no,,"
	echo "A-015,$C1,2024-02-15,-1.001,Three decimals,no,,"
	echo "A-016,$C1,2024-03-02,1.00,Tomorrow,no,,"
	echo "A-017,NO-SUCH,2024-02-15,1.00,Whose,no,,"
} >"$T/adjustments-bad.csv"
imp adjustments "$T/adjustments-bad.csv" --rejects "$T/adjustments-rejects.csv"
tap_is "$RC" 1 "bad: an adjustments file with bad rows is refused (exit 1)"
tap_like "$ERR" "adjustments-bad\\.csv:3: taxable: The taxable 'maybe' is not one of yes, no" "bad: taxable neither yes nor no: line 3"
tap_like "$ERR" "adjustments-bad\\.csv:4: site: The site '$S2' is not one of customer $C1's: it belongs to customer $C2" \
    "bad: a site of another customer: line 4"
tap_like "$ERR" "adjustments-bad\\.csv:5: cost_centre: Unknown cost centre 'NO-SUCH-CC' of customer $C1" "bad: an unknown cost centre: line 5"
tap_like "$ERR" "adjustments-bad\\.csv:6: description: The description must not be empty" "bad: no description: line 6"
tap_like "$ERR" "adjustments-bad\\.csv:7: amount: .*more than 2 decimals" "bad: three decimals: line 7"
tap_like "$ERR" "adjustments-bad\\.csv:8: date: The date 2024-03-02 is after the business date" "bad: a date after the business date: line 8"
tap_like "$ERR" "adjustments-bad\\.csv:9: customer: Unknown customer 'NO-SUCH'" "bad: an unknown customer: line 9"
tap_is "$(rejects "$T/adjustments-rejects.csv")" "3:taxable 4:site 5:cost_centre 6:description 7:amount 8:date 9:customer" \
    "the rejects file lists each bad adjustment's line and column"
tap_is "$(facts)/$(audits)" "$before/$n" "bad: nothing was imported, not even the good adjustment"

# ==================================================== back-dating
# C1 has been invoiced through January 2024 (its first period); C2
# not yet.  On 2024-06-01, 92 days back is 2024-03-01: a fact of C1
# dated in January or before is refused, one in February is not (not
# invoiced), and C2's January is open.
oms_sql_write "INSERT INTO billing_periods (period, state, business_day, started_at, issued_at, invoices) VALUES ('2023-12', 'issued', '2024-01-01', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 0);
	INSERT INTO billing_periods (period, state, business_day, started_at, issued_at, invoices) VALUES ('2024-01', 'issued', '2024-02-01', '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z', 0);
	UPDATE customers SET first_period = '2024-01' WHERE code = '$C1'" >/dev/null
{
	echo "$UH"
	echo "R-100,U-1,2024-01-31,1"
	echo "R-101,U-1,2024-02-01,1"
	echo "R-102,U-2,2024-01-20,1"
} >"$T/usage-late.csv"
TODAY=2024-06-01 imp usage "$T/usage-late.csv"
tap_like "$RC/$ERR" "^1/.*usage-late\\.csv:2: date: The date 2024-01-31 is in a period already invoiced and more than 92 days before the business date 2024-06-01" \
    "bad: late usage into an invoiced period beyond backdate_days is refused"
tap_unlike "$ERR" "usage-late\\.csv:[34]:" "the month after, and another customer's January, are not"
sed -i '2d' "$T/usage-late.csv"
TODAY=2024-06-01 imp usage "$T/usage-late.csv"
tap_is "$RC/$OUT" "0/$T/usage-late.csv: usage imported: 2 rows, 2 added, 0 updated, 0 skipped" "without it the file imports"
TODAY=2024-06-01 imp usage "$T/usage.csv"
tap_is "$RC/$OUT" "0/$T/usage.csv: usage imported: 4 rows, 0 added, 0 updated, 4 skipped" \
    "usage imported before is skipped, not refused, once its period is invoiced and beyond backdate_days (a switch re-sending it)"
TODAY=2024-02-01 imp usage "$T/usage.csv"
tap_is "$RC/$OUT" "0/$T/usage.csv: usage imported: 4 rows, 0 added, 0 updated, 4 skipped" \
    "and skipped at an earlier business date too: a known record changes nothing"
{
	echo "$PH"
	echo "P-100,$C1,2024-01-20,1.00,cheque"
	echo "P-101,$C1,2023-12-20,1.00,cheque"
	echo "P-102,$C1,2024-02-20,1.00,cheque"
	echo "P-103,$C2,2023-12-20,1.00,cheque"
} >"$T/payments-late.csv"
TODAY=2024-06-01 imp payments "$T/payments-late.csv"
tap_like "$RC/$ERR" "^1/.*payments-late\\.csv:2: date: The date 2024-01-20 is in a period already invoiced" "bad: a late payment into an invoiced period"
tap_like "$ERR" "payments-late\\.csv:3: date: The date 2023-12-20 is in a period already invoiced" \
    "bad: one before the customer's first invoiced period counts the same"
tap_unlike "$ERR" "payments-late\\.csv:[45]:" "a later month, and a customer not yet invoiced, are not refused"
sed -i '2,3d' "$T/payments-late.csv"
TODAY=2024-06-01 imp payments "$T/payments-late.csv"
tap_is "$RC/$OUT" "0/$T/payments-late.csv: payments imported: 2 rows, 2 added, 0 updated, 0 skipped" "without them the file imports"
{
	echo "$AH"
	echo "A-100,$C1,2024-01-20,-1.00,Late credit,no,,"
	echo "A-101,$C2,2024-01-20,-1.00,Late credit,no,,"
} >"$T/adjustments-late.csv"
TODAY=2024-06-01 imp adjustments "$T/adjustments-late.csv"
tap_like "$RC/$ERR" "^1/.*adjustments-late\\.csv:2: date: The date 2024-01-20 is in a period already invoiced" "bad: a late adjustment into an invoiced period"
tap_unlike "$ERR" "adjustments-late\\.csv:3:" "not for the customer not yet invoiced"
TODAY=2024-04-15 imp adjustments "$T/adjustments-late.csv"
tap_is "$RC/$OUT" "0/$T/adjustments-late.csv: adjustments imported: 2 rows, 2 added, 0 updated, 0 skipped" \
    "within backdate_days of the business date an invoiced period takes a change"
TODAY=2024-06-01 imp adjustments "$T/adjustments-late.csv"
tap_is "$RC/$OUT" "0/$T/adjustments-late.csv: adjustments imported: 2 rows, 0 added, 0 updated, 2 skipped" \
    "once beyond it, the same adjustments again are skipped, not refused"
TODAY=2024-06-01 imp payments "$T/payments.csv"
tap_is "$RC/$OUT" "0/$T/payments.csv: payments imported: 3 rows, 0 added, 0 updated, 3 skipped" \
    "so are payments imported before"

# ========================================================= the page
http GET /admin/import
tok=$(oms_html "$HTTP_BODY" value csrf)
printf '%s\nP-WEB,%s,2024-02-10,12.00,card\n' "$PH" "$C2" >"$T/payments-web.csv"
http POST /admin/import -F "csrf=$tok" -F kind=payments -F "file=@$T/payments-web.csv;type=text/csv"
tap_is "$HTTP_STATUS" 200 "a payments file uploads through the import page"
tap_like "$(oms_html "$HTTP_BODY" text | tr '\n' ' ')" "Imported +payments +from payments-web\\.csv: 1 rows, 1 added" "the page shows the counts"
printf '%s\nR-WEB,U-2,2024-02-10,1\nR-WEB2,NO-SUCH,2024-02-10,1\n' "$UH" >"$T/usage-web.csv"
http POST '/admin/import?format=xml' -F "csrf=$tok" -F kind=usage -F "file=@$T/usage-web.csv"
tap_is "$HTTP_STATUS/$(oms_xpath "$HTTP_BODY" 'string(//report/@refused)')/$(oms_xpath "$HTTP_BODY" 'string(//report/problem[1]/@line)')/$(oms_xpath "$HTTP_BODY" 'string(//report/problem[1]/@column)')" \
    "422/1/3/asset_tag" "bad: a bad usage upload is refused with its row's line and column"

# ==================================== round trip through a fresh db
KINDS="products customers sites cost-centres prices usage-prices fees contract-prices tax-rates assets orders usage payments adjustments"
for k in $KINDS; do
	oms_ctl export "$k" --out "$T/one-$k.csv" 2>"$T/err"
	tap_is "$?" 0 "export $k"
done
tap_is "$(tr -d '\r' <"$T/one-payments.csv" | tr '\n' ' ')" \
    "$PH P-001,$C1,2024-02-10,1500.00,cheque P-002,$C2,2024-02-11,0.01,wire P-003,$C1,2024-03-01,1234.50,eft P-102,$C1,2024-02-20,1.00,cheque P-103,$C2,2023-12-20,1.00,cheque P-WEB,$C2,2024-02-10,12.00,card " \
    "payments export in the import format, by reference, amounts with 2 decimals"
tap_is "$(tr -d '\r' <"$T/one-adjustments.csv" | sed -n '1,3p' | tr '\n' ' ')" \
    "$AH A-001,$C1,2024-02-15,-25.00,Credit for the outage,no,$S1,$CC1 A-002,$C1,2024-02-16,10.00,\"Install, after hours\",yes,, " \
    "adjustments export signed amounts, yes/no and empty site and cost centre"
tap_is "$(tr -d '\r' <"$T/one-usage.csv" | sed -n '1,2p' | tr '\n' ' ')" "$UH B-1,U-2,2024-02-02,1 " "usage exports by record_id in byte order"
tap_is "$(($(wc -l <"$T/one-usage.csv") - 1))" "$(oms_sql "SELECT COUNT(*) FROM usage_records")" "one row a usage record"
for k in usage payments adjustments; do
	imp "$k" "$T/one-$k.csv"
	tap_like "$RC/$OUT" "^0/.* 0 added, 0 updated, [0-9]+ skipped" "re-importing the exported $k skips every row"
done
OMS_NO_SEED=1 oms_start
ok=0
for k in $KINDS; do
	oms_ctl --today 2024-03-01 import "$k" "$T/one-$k.csv" >/dev/null 2>"$T/err" || { ok=1; tap_diag "$k: $(head -n 5 "$T/err")"; }
done
tap_is "$ok" 0 "every exported file imports into a fresh database, in BILLING.md's order"
for k in usage payments adjustments; do
	oms_ctl export "$k" --out "$T/two-$k.csv"
	cmp -s "$T/one-$k.csv" "$T/two-$k.csv"
	tap_ok $? "export -> import -> export gives the same $k file, byte for byte"
done
oms_use "$MAIN"

tap_done
