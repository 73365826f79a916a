#!/bin/sh
# tls.sh: `tls = on` never falls back to plain text.  The test server
# offers no TLS (and a unix socket is never encrypted), so omsctl with
# tls = on must refuse the session, and with tls = off it connects.
# The documents must say the same: none may promise a plain-text
# fallback (docs/oms.conf.5, docs/admin-guide.md, docs/multi-host.md
# once did).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$OMS_SRCDIR/tests/lib.sh"
oms_need mariadb "$OMS_BUILDDIR/omsctl"
[ -n "${OMS_MARIADB_SOCKET:-}" ] || tap_skip_all "no MariaDB server (OMS_MARIADB_SOCKET)"
oms_tmpdir

db=oms_t_tls_$$
oms_mariadb_admin "CREATE DATABASE \`$db\` CHARACTER SET utf8mb4" || tap_bail "cannot create $db"
trap 'oms_mariadb_admin "DROP DATABASE IF EXISTS \`$db\`"; _oms_cleanup' EXIT

conf() { # conf FILE TLS
	printf '[server]\nxslt_dir = %s/xslt\n[store]\nbackend = mariadb\nsocket = %s\ndatabase = %s\nuser = root\npassword_env = OMS_TEST_NO_PASSWORD\ntls = %s\n' \
	    "$OMS_SRCDIR" "$OMS_MARIADB_SOCKET" "$db" "$2" >"$1"
}
conf "$OMS_TMP/off.conf" off
conf "$OMS_TMP/on.conf" on

"$OMS_BUILDDIR/omsctl" -f "$OMS_TMP/off.conf" init >"$OMS_TMP/off.out" 2>&1
tap_ok $? "tls = off connects to the server over its socket"

"$OMS_BUILDDIR/omsctl" -f "$OMS_TMP/on.conf" migrate >"$OMS_TMP/on.out" 2>&1
rc=$?
tap_isnt "$rc" 0 "bad: tls = on with a server that offers no TLS is refused"
tap_file_like "$OMS_TMP/on.out" "did not agree to TLS" "bad: and the message says the server did not agree to TLS"
tap_file_unlike "$OMS_TMP/on.out" "Applied|applied" "bad: nothing was done over the unencrypted session"

for d in docs/oms.conf.5 docs/admin-guide.md docs/multi-host.md; do
	tap_file_unlike "$OMS_SRCDIR/$d" "falls? back to plain text|still accepted, in plain text" \
	    "$d does not promise a plain-text fallback"
done
tap_done
