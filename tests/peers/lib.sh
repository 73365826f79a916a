# tests/peers/lib.sh: starting and driving the legacy test peers from a
# bash test (after tests/lib.sh) or from ./demo.
#
#	. "$OMS_SRCDIR/tests/peers/lib.sh"
#	peer_start vos vendor --state "$OMS_TMP/vos"   # or lease, or smtp
#	echo "$PEER_URL"                 # the SOAP endpoint (smtp: smtp://...)
#	peer_ctl vos POST /_peer/faults '{"faults":[{"kind":"http500","count":1}]}'
#	peer_get vos /_peer/stats .totals.applied      # prints 1
#	peer_stop vos                    # SIGTERM, waited for
#
# peer_start NAME KIND [ARG...]: starts tests/peers/peer.js KIND (vendor,
# lease) or tests/peers/smtp.js (smtp) with ARGs, its stdout and stderr
# in $PEER_DIR/NAME.out and .err, and waits (15 s at most) for its READY
# line.  It sets, for NAME: PEER_PID_NAME, PEER_PORT_NAME,
# PEER_CONTROL_NAME, PEER_URL_NAME, and PEER_PID, PEER_PORT,
# PEER_CONTROL, PEER_URL for the peer just started.  Returns 1 when the
# peer did not come up.  The pid is given to oms_track when tests/lib.sh
# is loaded, so the EXIT trap stops it.  Not in $(...).
#
# PEER_DIR: where the .out/.err files go (default $OMS_TMP, else a
# mktemp -d folder).  NODE_PATH is pointed at tests/node_modules.

PEER_SRC=${OMS_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/tests/peers
export NODE_PATH="$PEER_SRC/../node_modules${NODE_PATH:+:$NODE_PATH}"

peer_start() {
	local name=$1 kind=$2 script i line
	shift 2
	case $kind in
	vendor | lease) script="$PEER_SRC/peer.js" ;;
	smtp) script="$PEER_SRC/smtp.js" ;;
	*) echo "peer_start: unknown kind $kind" >&2; return 1 ;;
	esac
	if [ -z "${PEER_DIR:-}" ]; then
		PEER_DIR=${OMS_TMP:-$(mktemp -d)}
	fi
	: >"$PEER_DIR/$name.out"
	if [ "$kind" = smtp ]; then
		node "$script" "$@" >"$PEER_DIR/$name.out" 2>"$PEER_DIR/$name.err" &
	else
		node "$script" "$kind" "$@" >"$PEER_DIR/$name.out" 2>"$PEER_DIR/$name.err" &
	fi
	PEER_PID=$!
	declare -F oms_track >/dev/null && oms_track "$PEER_PID"
	printf -v "PEER_PID_$name" %s "$PEER_PID"
	i=0
	until line=$(grep -m1 '^READY ' "$PEER_DIR/$name.out"); do
		if ! kill -0 "$PEER_PID" 2>/dev/null || [ "$i" -ge 150 ]; then
			echo "peer_start: $name ($kind) did not start:" >&2
			cat "$PEER_DIR/$name.err" >&2
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	PEER_PORT=$(printf '%s\n' "$line" | sed -n 's/.* port=\([0-9]*\).*/\1/p')
	PEER_CONTROL=$(printf '%s\n' "$line" | sed -n 's/.* control=\([0-9]*\).*/\1/p')
	case $kind in
	smtp) PEER_URL="smtp://127.0.0.1:$PEER_PORT" ;;
	*) PEER_URL="http://127.0.0.1:$PEER_PORT$(printf '%s\n' "$line" | sed -n 's/.* path=\([^ ]*\).*/\1/p')" ;;
	esac
	printf -v "PEER_PORT_$name" %s "$PEER_PORT"
	printf -v "PEER_CONTROL_$name" %s "$PEER_CONTROL"
	printf -v "PEER_URL_$name" %s "$PEER_URL"
	export PEER_PID PEER_PORT PEER_CONTROL PEER_URL
}

# peer_stop NAME [SIGNAL]: signal the peer (TERM by default; KILL for a
# crash) and wait for it to exit (10 s, then KILL).
peer_stop() {
	local pidvar="PEER_PID_$1" pid i=0
	pid=${!pidvar:-}
	[ -n "$pid" ] || return 0
	if [ "${2:-TERM}" = KILL ]; then
		# waited for at once: no "Killed" notice from bash
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		printf -v "PEER_PID_$1" %s ""
		return 0
	fi
	kill "-${2:-TERM}" "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	printf -v "PEER_PID_$1" %s ""
	return 0
}

# peer_ctl NAME METHOD PATH [JSON]: a control request; the body in
# PEER_BODY, the HTTP status in PEER_STATUS.
peer_ctl() {
	local portvar="PEER_CONTROL_$1" out
	out=$(curl -s -m 10 -X "$2" -H 'Content-Type: application/json' \
	    ${4:+--data "$4"} -w '\n%{http_code}' "http://127.0.0.1:${!portvar}$3")
	PEER_STATUS=${out##*$'\n'}
	PEER_BODY=${out%$'\n'*}
}

# peer_json EXPR: reads JSON on stdin, prints the value at EXPR (a
# JavaScript accessor such as .totals.applied or ['m-1'].count): a
# string as is, anything else as JSON; "undefined" when absent.
peer_json() {
	node -e '
let s = "";
process.stdin.on("data", (d) => { s += d; }).on("end", () => {
  let v;
  try { v = new Function("j", "return j" + process.argv[1])(JSON.parse(s)); } catch { v = undefined; }
  console.log(typeof v === "string" ? v : v === undefined ? "undefined" : JSON.stringify(v));
});' "$1"
}

# peer_get NAME PATH EXPR: GET PATH on NAME's control port, print EXPR of it.
peer_get() {
	peer_ctl "$1" GET "$2"
	printf '%s' "$PEER_BODY" | peer_json "$3"
}

# peer_call KIND URL OP JSON [OPTION...]: tests/peers/client.js; prints
# OK {json} | FAULT code text | HTTP status | ERROR code.
peer_call() {
	node "$PEER_SRC/client.js" "$@"
}
