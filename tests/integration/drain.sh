#!/bin/bash
# drain.sh: `omsctl outbox drain` and omsd's job "exchange" (issue 10,
# item 2) with a configuration whose adapter cannot deliver: the vendor
# system's [exchange vendor] names the soap adapter at a closed port.
# The send is refused by the closed port, so drain retries later, prints its summary and exits 3, and the message
# is pending with the reason.  Usage errors exit 2; an unknown system
# and a configuration without [exchange] sections exit 1, as does a
# bad --timeout.  The job
# takes no lease (the claims share the work).  On the backend of
# OMS_BACKEND (sqlite, or mariadb through tests/mariadb/drain.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
# The mappings: the canonical message as it is; any reply as it is.
oms_tmpdir
cat >"$OMS_TMP/same.xsl" <<'XSL'
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:template match="/"><xsl:copy-of select="."/></xsl:template>
</xsl:stylesheet>
XSL
# omsd runs without the exchange job first, so that drain alone sends
# (a job racing it would make the counts a matter of luck); the job is
# started further down.
OMS_CONF_EXTRA="
[jobs]
run = sessions

[exchange vendor]
adapter = soap
endpoint = http://127.0.0.1:9/vendor
connect_timeout = 1
timeout = 2
request_xsl = $OMS_TMP/same.xsl
reply_xsl = $OMS_TMP/same.xsl
max_attempts = 3
backoff_base = 60" oms_start
T=$OMS_DIR/files
mkdir -p "$T"

# ctl ARG...: omsctl; OUT, ERR and RC hold its output and status.
ctl() {
	oms_ctl "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

mid=oms-11111111-2222-4333-8444-555555555555
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
oms_sql_write "INSERT INTO outbox (message_id, system, kind, seq_key, seq,
    state, attempts, next_attempt_at, body, created_at, updated_at)
    VALUES ('$mid', 'vendor', 'AmendLease', 'DRAIN-1', 1, 'pending', 0,
    '$now', '<AmendLease xmlns=\"urn:oms:exchange:1\"><messageId>$mid</messageId></AmendLease>',
    '$now', '$now')"
tap_is "$(oms_sql "SELECT state FROM outbox WHERE message_id = '$mid'")" pending \
    "a pending message to the vendor"

# ------------------------------------------------------ usage
ctl outbox drain --timeout nonsense
tap_is "$RC" 1 "bad: drain --timeout nonsense is refused (exit 1, as every bad number)"
ctl outbox drain extra
tap_is "$RC" 2 "bad: drain with a stray argument is a usage error"
ctl outbox drain --system nosuch
tap_is "$RC" 1 "bad: drain --system of no [exchange] section fails"
tap_like "$ERR" "no \[exchange nosuch\] section" "and says so"

# ------------------------------------------------------ the soap adapter
ctl outbox drain --system vendor
tap_is "$RC" 3 "bad: drain with the peer down ends with messages left (exit 3)"
tap_is "$OUT" "delivered 0, retry 1, unknown 0, dead 0, left 1" \
    "its summary: a retry, one left"
tap_is "$(oms_sql "SELECT state FROM outbox WHERE message_id = '$mid'")/$(oms_sql "SELECT attempts FROM outbox WHERE message_id = '$mid'")/$(oms_sql "SELECT COUNT(*) FROM outbox WHERE message_id = '$mid' AND last_error IS NOT NULL")" \
    "pending/1/1" "the message is pending again, with the reason"
# The job: omsd again with it, the message due at once.
from=$(oms_log_size)
oms_stop_omsd
sed -i 's/^run = sessions$/run = sessions, exchange/' "$OMS_CONF"
oms_sql_write "UPDATE outbox SET next_attempt_at = '$now' WHERE message_id = '$mid'" >/dev/null
oms_start_omsd || tap_bail "omsd did not start again"
oms_save
oms_wait 100 sh -c "tail -c +$((from + 1)) '$OMS_LOG' | grep -q 'exchange vendor: $mid AmendLease: sending -> pending'"
tap_ok $? "the exchange job retries too, and logs the change"
oms_wait 50 sh -c "tail -c +$((from + 1)) '$OMS_LOG' | grep -q 'job exchange: started'"
tap_ok $? "omsd runs the exchange job"
tap_file_unlike "$OMS_LOG" "job exchange: lease taken" "the exchange job takes no lease"
tap_is "$(oms_sql "SELECT COUNT(*) FROM job_leases WHERE name = 'exchange'")" 0 \
    "no lease row for the exchange job"

# ------------------------------------------------------ no sections
grep -v '^\[exchange vendor\]\|^adapter\|^endpoint\|^connect_timeout\|^timeout\|^max_attempts\|^backoff_base\|_xsl =' \
    "$OMS_CONF" >"$T/bare.conf"
"$OMS_BUILDDIR/omsctl" -f "$T/bare.conf" outbox drain >"$T/out" 2>"$T/err"
tap_is "$?" 1 "bad: drain with no [exchange] section fails"
tap_file_like "$T/err" "no \[exchange NAME\] section" "and says so"

tap_done
