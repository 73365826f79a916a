#!/bin/bash
# filedrop.sh: the XML file drop end to end (issue 10, item 3; docs/
# integration-guide.md, "XML file drop").  Real canonical messages (a
# PlaceOrder and a BookLease written to the outbox by `omsctl import
# orders`, printed by `omsctl outbox show`) are mapped with the example
# stylesheets xslt/exchange/filedrop-request.xsl and -reply.xsl of an
# [exchange files] section of oms.conf and written into the exchange
# folder by the filedrop adapter (tests/integration/filedrop_drive, the
# dispatcher's part).  A shell loop plays the legacy system: it takes
# each file from out/, checks it is whole XML, and writes its
# acknowledgement into ack/ under a name of its own (written under a
# dot name, then renamed).  The collected acknowledgement mapped by
# reply_xsl is the canonical Ack (accepted with the legacy reference;
# rejected with the reason); collected again it answers again; an
# acknowledgement named <message id>.xml with no id inside matches; a
# malformed one is quarantined with a reason and the good one beside it
# matches.  A SendDocuments (written here) maps to a record with the
# invoice reference and nothing binary.  No fixed sleeps: every wait is
# on a condition with a deadline.  The database is SQLite (the file drop
# does not touch it; the canonical messages' own tests run on both
# backends in outbox.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

DRIVE=$OMS_BUILDDIR/tests/integration/filedrop_drive
oms_need sqlite3 xmllint "$OMS_BUILDDIR/omsctl" "$DRIVE"
oms_tmpdir
T=$OMS_TMP
D=$T/drop
mkdir -p "$D" "$T/legacy"

# An instance without omsd: a configuration and a seeded database.
OMS_BACKEND=sqlite
OMS_DB=$T/oms.db OMS_SOCKET=$T/omsd.sock OMS_XSLT=$OMS_SRCDIR/xslt
OMS_CONF=$T/oms.conf
oms_write_conf "$OMS_CONF"
cat >>"$OMS_CONF" <<CONF

[exchange files]
adapter = filedrop
directory = $D
request_xsl = exchange/filedrop-request.xsl
reply_xsl = exchange/filedrop-reply.xsl
CONF
if ! oms_ctl init >"$T/init.log" 2>&1 ||
    ! echo "$OMS_TEST_PASSWORD" | oms_ctl seed-demo --customers 2 --seed 42 \
    >>"$T/init.log" 2>&1; then
	tap_diag "$(cat "$T/init.log")"
	tap_bail "omsctl init/seed-demo failed"
fi

# drive send|collect ID: the driver; OUT, ERR, RC.
drive() {
	"$DRIVE" "$OMS_CONF" files "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
# x FILE XPATH: an XPath over FILE, the canonical namespace as o:.
x() {
	xmllint --nonet --xpath "$2" - <"$1" 2>/dev/null
}
ox() {
	printf '%s\n' "$1" | xmllint --nonet --xpath \
	    "string(/*[local-name()='Ack']/*[local-name()='$2'])" - 2>/dev/null
}
# wait_for SECONDS CMD...: run CMD until it succeeds or the deadline.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# ------------------------------------------------ canonical messages
c=$(oms_sql "SELECT MIN(customer_id) FROM sites")
site=$(oms_sql "SELECT MIN(id) FROM sites WHERE customer_id = $c")
cc=$(oms_sql "SELECT MIN(id) FROM cost_centres WHERE customer_id = $c")
product=$(oms_sql "SELECT MIN(id) FROM products WHERE asset_type = 'line' AND max_ports >= 1 AND min_ports <= 1")
ccode=$(oms_sql "SELECT code FROM customers WHERE id = $c")
scode=$(oms_sql "SELECT code FROM sites WHERE id = $site")
cccode=$(oms_sql "SELECT code FROM cost_centres WHERE id = $cc")
pcode=$(oms_sql "SELECT code FROM products WHERE id = $product")
d0=$(date -u -d '3 days ago' +%F)
{
	echo order_ref,line,action,customer,asset_tag,site,cost_centre,product,ports,phone_number,extension,mailbox,serial,parent_tag,requested_on,completed_on,fee_override,reason
	echo "FD-1,1,add,$ccode,FD-A1,$scode,$cccode,$pcode,1,+15557770001,,,,,$d0,$d0,,"
} >"$T/orders.csv"
oms_ctl import orders "$T/orders.csv" >"$T/import.log" 2>&1
tap_is "$?" 0 "omsctl import orders: an add, completed" || tap_diag "$(cat "$T/import.log")"
pid=$(oms_sql "SELECT id FROM outbox WHERE kind = 'PlaceOrder' AND seq_key = 'FD-A1'")
bid=$(oms_sql "SELECT id FROM outbox WHERE kind = 'BookLease' AND seq_key = 'FD-A1'")
pmid=$(oms_sql "SELECT message_id FROM outbox WHERE id = $pid")
bmid=$(oms_sql "SELECT message_id FROM outbox WHERE id = $bid")
oms_ctl outbox show "$pid" | sed -n '/^<?xml/,$p' >"$T/place.xml"
oms_ctl outbox show "$bid" | sed -n '/^<?xml/,$p' >"$T/book.xml"
xmllint --noout --nonet --schema "$OMS_SRCDIR/docs/exchange/PlaceOrder.xsd" "$T/place.xml" 2>"$T/xsd.err"
tap_is "$?/${pmid:0:4}" 0/oms- "a real PlaceOrder from the outbox, valid against its XSD" ||
    tap_diag "$(cat "$T/xsd.err")"

# ------------------------------------------------ the dispatcher sends
drive send "$pmid" <"$T/place.xml"
tap_is "$RC/$ERR" 0/waiting "send: the mapped PlaceOrder is written, waiting"
f=$D/out/$pmid.xml
tap_is "$(x "$f" 'string(/OmsRecord/@kind)')" PlaceOrder "the file is the flat record of a PlaceOrder"
tap_is "$(x "$f" 'string(/OmsRecord/messageId)')" "$pmid" "it carries our message id"
tap_is "$(x "$f" 'string(/OmsRecord/orderRef)')|$(x "$f" 'string(/OmsRecord/orderAction)')" \
    "FD-1|add" "the order reference and action, flattened (order/@ref: orderRef)"
tap_is "$(x "$f" 'string(/OmsRecord/customerCode)')|$(x "$f" 'string(/OmsRecord/siteCode)')|$(x "$f" 'string(/OmsRecord/productCode)')" \
    "$ccode|$scode|$pcode" "customer, site and product codes as in the database"
tap_is "$(x "$f" 'string(/OmsRecord/siteCity)')" \
    "$(oms_sql "SELECT city FROM sites WHERE id = $site")" "the site's city (site/city: siteCity)"
tap_like "$(x "$f" 'string(/OmsRecord/monthlyAmountCurrency)')" '^[A-Z]{3}$' \
    "an amount's currency attribute becomes its own field"
tap_is "$(x "$f" 'count(/OmsRecord/*[*])')" 0 "the record is flat"
tap_is "$(find "$D/tmp" "$D/out" -name '*.tmp' | wc -l)" 0 "no temporary file left"
drive send "$bmid" <"$T/book.xml"
tap_is "$RC/$ERR" 0/waiting "send: the BookLease too"

drive collect "$pmid"
tap_is "$RC/$ERR" 2/waiting "collect before the legacy side answered: waiting"

# ------------------------------------------------ the legacy system
# Each new file of out/: checked whole, moved to legacy/, answered in
# ack/ under its own name (ACK-n.xml, written as .ACK-n.xml first).  A
# PlaceOrder is accepted (reference V-n), a BookLease refused.
legacy() {
	local n=0 g id kind end=$((SECONDS + 120))
	while [ "$SECONDS" -lt "$end" ] && [ ! -e "$T/legacy.stop" ]; do
		for g in "$D"/out/*.xml; do
			[ -e "$g" ] || continue
			mv "$g" "$T/legacy/" || continue
			g=$T/legacy/${g##*/}
			if ! xmllint --noout --nonet "$g" 2>/dev/null; then
				echo "partial: $g" >>"$T/legacy.bad"
				continue
			fi
			n=$((n + 1))
			id=$(x "$g" 'string(/OmsRecord/messageId)')
			kind=$(x "$g" 'string(/OmsRecord/@kind)')
			if [ "$kind" = PlaceOrder ]; then
				printf '<?xml version="1.0"?>\n<OmsAck><messageId>%s</messageId><result>OK</result><legacyRef>V-%d</legacyRef></OmsAck>\n' \
				    "$id" "$n" >"$D/ack/.ACK-$n.xml"
			else
				printf '<?xml version="1.0"?>\n<OmsAck><messageId>%s</messageId><result>ERROR</result><text>customer %s unknown here</text></OmsAck>\n' \
				    "$id" "$ccode" >"$D/ack/.ACK-$n.xml"
			fi
			mv "$D/ack/.ACK-$n.xml" "$D/ack/ACK-$n.xml"
		done
		sleep 0.1
	done
}
legacy &
LEGACY=$!
oms_track "$LEGACY"

collected() { drive collect "$1"; [ "$RC" != 2 ]; }
wait_for 60 collected "$pmid"
tap_is "$RC/$ERR" 0/answered "collect: the PlaceOrder's acknowledgement came" || tap_diag "$OUT"
tap_like "$(ox "$OUT" messageId)|$(ox "$OUT" status)|$(ox "$OUT" reference)" \
    "^$pmid\\|accepted\\|V-[12]\$" "reply_xsl maps it to the canonical Ack: accepted, the vendor's reference"
tap_like "$OUT" 'xmlns="urn:oms:exchange:1"' "the Ack is in the canonical namespace"
if [ -f "$OMS_SRCDIR/docs/exchange/Ack.xsd" ]; then
	printf '%s\n' "$OUT" >"$T/ack.xml"
	xmllint --noout --nonet --schema "$OMS_SRCDIR/docs/exchange/Ack.xsd" "$T/ack.xml" 2>"$T/xsd.err"
	tap_is "$?" 0 "the Ack is valid against Ack.xsd" || tap_diag "$(cat "$T/xsd.err")"
fi
tap_is "$(ls "$D/ack/done/" | grep -c "^$pmid.xml\$")|$(grep -l "$pmid" "$D"/ack/*.xml 2>/dev/null | wc -l)" "1|0" \
    "the acknowledgement is filed as ack/done/<message id>.xml"
first=$OUT
drive collect "$pmid"
tap_is "$RC/$OUT" "0/$first" "collected again (the dispatcher died before its commit): the same Ack"

wait_for 60 collected "$bmid"
tap_is "$RC/$(ox "$OUT" status)" 0/rejected "the BookLease's acknowledgement: rejected"
tap_is "$(ox "$OUT" reason)" "customer $ccode unknown here" "with the legacy side's text as the reason"
tap_is "$(ls "$T/legacy" | wc -l)|$(cat "$T/legacy.bad" 2>/dev/null)" "2|" \
    "the legacy side read two files, each whole"

# ------------------------------------------------ by name; malformed
touch "$T/legacy.stop"
wait "$LEGACY"
mid3=oms-00000000-0000-4000-8000-0000000000f3
mid4=oms-00000000-0000-4000-8000-0000000000f4
sed "s/$pmid/$mid3/" "$T/place.xml" | { drive send "$mid3"; }
tap_is "$RC" 0 "send a third message"
printf '<OmsAck><result>DUPLICATE</result></OmsAck>\n' >"$D/ack/.x"
mv "$D/ack/.x" "$D/ack/$mid3.xml"
drive collect "$mid3"
tap_is "$RC/$(ox "$OUT" messageId)/$(ox "$OUT" status)" "0/$mid3/duplicate" \
    "an acknowledgement named <message id>.xml with no id inside matches by name"

sed "s/$pmid/$mid4/" "$T/place.xml" | { drive send "$mid4"; }
printf 'OK %s\n' "$mid4" >"$D/ack/LEGACY-9.xml"
printf '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><OmsAck><messageId>%s</messageId><result>&e;</result></OmsAck>\n' \
    "$mid4" >"$D/ack/LEGACY-10.xml"
# Finished writing a while ago (a file just changed is given time).
touch -d '1 minute ago' "$D/ack/LEGACY-9.xml" "$D/ack/LEGACY-10.xml"
drive collect "$mid4"
tap_is "$RC/${ERR##*$'\n'}" 2/waiting "malformed acknowledgements answer nothing"
tap_like "$ERR" "warn .*ack/LEGACY-9.xml quarantined" "the log says which file was quarantined"
tap_is "$(cd "$D/quarantine" && ls | tr '\n' ' ')" \
    "LEGACY-10.xml LEGACY-10.xml.why LEGACY-9.xml LEGACY-9.xml.why " \
    "both are quarantined, each with a .why"
tap_file_like "$D/quarantine/LEGACY-9.xml.why" "not well-formed" "the reason: not XML"
tap_file_like "$D/quarantine/LEGACY-10.xml.why" "DOCTYPE" "the reason: a DOCTYPE (no entity read)"
printf '<OmsAck><messageId>%s</messageId><result>OK</result></OmsAck>\n' "$mid4" >"$D/ack/LEGACY-11.xml"
drive collect "$mid4"
tap_is "$RC/$(ox "$OUT" status)" 0/accepted "a good acknowledgement after them still matches"

# ------------------------------------------------ SendDocuments
cat >"$T/senddocs.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<SendDocuments xmlns="urn:oms:exchange:1">
  <messageId>oms-00000000-0000-4000-8000-0000000000f5</messageId>
  <createdAt>2028-02-01T06:00:00Z</createdAt>
  <customer code="$ccode" name="Test"/>
  <invoice number="INV-2028-01-0001" period="2028-01"/>
  <document kind="invoice" format="pdf"><content encoding="base64">JVBERi0xLjQK</content></document>
</SendDocuments>
XML
drive send oms-00000000-0000-4000-8000-0000000000f5 <"$T/senddocs.xml"
f=$D/out/oms-00000000-0000-4000-8000-0000000000f5.xml
tap_is "$RC|$(x "$f" 'string(/OmsRecord/@kind)')|$(x "$f" 'string(/OmsRecord/invoiceNumber)')" \
    "0|SendDocuments|INV-2028-01-0001" "a SendDocuments maps to a record with the invoice reference"
tap_file_unlike "$f" "JVBERi0" "nothing binary in the file"

tap_done
