#!/bin/sh
# jobs.sh: two omsd "hosts" (separate masters, sockets and logs) on one
# MariaDB database, both configured to run the sessions job: exactly one
# holds the job's lease and does the work (an expired session is
# deleted once, logged by one host); kill -9 of the holder's job
# process gets it restarted by its master and the lease is taken again
# once it runs out; SIGTERM of the holding host hands the lease to the
# other at once; a crash of the holding host (kill -9 of its master and
# its job process) lets the other take over once the lease runs out.
# (The lease itself: tests/unit/test_lease; one host:
# tests/integration/jobs.sh.)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$OMS_SRCDIR/tests/lib.sh"
OMS_BACKEND=mariadb oms_need_stack
oms_need pgrep
OMS_SEED_ARGS="--customers 1 --sites 1 --assets 5 --seed 7"
OMS_CONF_EXTRA='
[jobs]
run = sessions
lease_time = 2
sessions_interval = 1' OMS_BACKEND=mariadb oms_start

# Host A is the instance oms_start made; host B runs on its database
# with its own socket and log.
a_pid=$OMS_PID a_log=$OMS_LOG a_conf=$OMS_CONF
b_conf=$OMS_DIR/b.conf b_log=$OMS_DIR/b.log
sed "s|^listen = .*|listen = unix:$OMS_DIR/b.sock|" "$OMS_CONF" >"$b_conf"
: >"$b_log"

# start_host CONF LOG: start an omsd, set STARTED to its pid, and wait
# until it logs one more "listening on" than before.
start_host() {
	local before
	before=$(grep -c 'listening on' "$2")
	"$OMS_BUILDDIR/omsd" -f "$1" >>"$2" 2>&1 </dev/null &
	STARTED=$!
	oms_track "$STARTED"
	oms_wait 300 eval '[ "$(grep -c "listening on" "'"$2"'")" -gt '"$before"' ] || ! kill -0 '"$STARTED"
	kill -0 "$STARTED" 2>/dev/null || tap_bail "omsd $1 did not start: $(tail -n 5 "$2")"
}
start_host "$b_conf" "$b_log"
b_pid=$STARTED

# job_of MASTER: its job process's pid (comm "job:sessions"), if any.
job_of() {
	local p
	for p in $(pgrep -P "$1"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = job:sessions ] && echo "$p"
	done
}

# epoch: the lease's epoch in the database (empty when none).
epoch() { oms_sql "SELECT epoch FROM job_leases WHERE name = 'sessions'"; }

# epoch_is N: the lease is at epoch N.
epoch_is() { [ "$(epoch)" = "$1" ]; }

# taker N: which host logged taking the lease at epoch N: a, b, none
# or both.
taker() {
	local a b
	a=$(grep -c "job sessions: lease taken (epoch $1," "$a_log")
	b=$(grep -c "job sessions: lease taken (epoch $1," "$b_log")
	case "$a$b" in 10) echo a ;; 01) echo b ;; 00) echo none ;; *) echo both ;; esac
}

# holder_pid: the pid in the lease row's holder (host:pid:token).
holder_pid() {
	oms_sql "SELECT holder FROM job_leases WHERE name = 'sessions'" | awk -F: '{print $(NF - 1)}'
}

# logged N ERE: the two logs hold N lines matching ERE together.
logged() {
	[ "$(cat "$a_log" "$b_log" | grep -Ec -- "$2")" = "$1" ]
}

n_sess=0
# expired_session: insert a long-expired session, number n_sess.
expired_session() {
	n_sess=$((n_sess + 1))
	oms_sql_write "INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at, address)
	    VALUES ('$(printf '%064d' "$n_sess")', (SELECT id FROM users WHERE login = 'admin'),
	    '0123456789012345678901234567890123456789012', 1000, 1000, '192.0.2.1')"
}

# gone N: session N is no longer in the table.
gone() {
	[ "$(oms_sql "SELECT COUNT(*) FROM sessions WHERE id_hash = '$(printf '%064d' "$1")'")" = 0 ]
}

# both_jobs: each host runs its job process.
both_jobs() { [ -n "$(job_of "$a_pid")" ] && [ -n "$(job_of "$b_pid")" ]; }

# ------------------------------------------------- one holder of two
oms_wait 100 both_jobs
tap_ok $? "both hosts run a sessions job process"
oms_wait 100 epoch_is 1
tap_ok $? "the lease is taken at epoch 1"
first=$(taker 1)
tap_like "$first" '^(a|b)$' "exactly one host took it ($first)"
if [ "$first" = a ]; then holder=$a_pid other=$b_pid other_log=$b_log; else holder=$b_pid other=$a_pid other_log=$a_log; fi
tap_is "$(holder_pid)" "$(job_of "$holder")" "the lease row names that host's job process"
oms_wait 100 grep -q 'job sessions: waiting for the lease held by' "$other_log"
tap_ok $? "the other host's job waits for the lease"

expired_session
oms_wait 100 gone 1
tap_ok $? "an expired session is deleted"
oms_wait 50 logged 1 'job sessions: deleted 1 expired session'
tap_ok $? "the deletion is logged once, by one of the two hosts"
tap_is "$(grep -c 'job sessions: deleted' "$other_log")" 0 "bad: the host without the lease did no work"

# ------------------------------- kill -9 the job: the master restarts it
victim=$(job_of "$holder")
kill -9 "$victim"
oms_wait 100 eval '[ -n "$(job_of '"$holder"')" ] && [ "$(job_of '"$holder"')" != '"$victim"' ]'
tap_ok $? "kill -9 of the holding job process: its master starts another"
# The killed process kept its lease: whoever takes it must wait for it
# to run out (2 s), then exactly one host takes it at epoch 2.
oms_wait 200 epoch_is 2
tap_ok $? "the lease is taken again once it ran out (epoch 2)"
second=$(taker 2)
tap_like "$second" '^(a|b)$' "by exactly one host ($second)"
expired_session
oms_wait 100 gone 2
tap_ok $? "the new holder deletes expired sessions"
oms_wait 50 logged 2 'job sessions: deleted 1 expired session'
tap_ok $? "logged once more, by one host"

# ---------------------------- SIGTERM the holding host: handed over
if [ "$second" = a ]; then holder=$a_pid other=$b_pid; else holder=$b_pid other=$a_pid; fi
kill "$holder"
oms_wait_exit "$holder" 300
tap_is "${OMS_EXIT:-}" 0 "the holding host stops on SIGTERM"
oms_wait 200 epoch_is 3
tap_ok $? "the other host takes the released lease over (epoch 3)"
tap_is "$(taker 3)" "$([ "$second" = a ] && echo b || echo a)" "the other host logged taking it"
tap_is "$(holder_pid)" "$(job_of "$other")" "the lease row names its job process"
expired_session
oms_wait 100 gone 3
tap_ok $? "the surviving host deletes expired sessions"

# --------------------- the stopped host comes back and waits its turn
if [ "$second" = a ]; then back_conf=$a_conf back_log=$a_log; else back_conf=$b_conf back_log=$b_log; fi
waits=$(grep -c 'job sessions: waiting for the lease held by' "$back_log")
start_host "$back_conf" "$back_log"
back=$STARTED
if [ "$second" = a ]; then a_pid=$back; else b_pid=$back; fi
oms_wait 100 eval '[ "$(grep -c "job sessions: waiting for the lease held by" "'"$back_log"'")" -gt '"$waits"' ]'
tap_ok $? "the restarted host's job waits for the lease"
tap_is "$(epoch)" 3 "bad: it does not take the lease from the holder"

# ----------------- crash of the holding host: kill -9 master and job
crashed=$other
crashed_job=$(job_of "$crashed")
kill -9 "$crashed" "$crashed_job"
tap_diag "killed at $(date +%T.%N)"
oms_wait 100 eval '! kill -0 '"$crashed_job"' 2>/dev/null'
wait "$crashed" 2>/dev/null
oms_wait 200 epoch_is 4
tap_ok $? "after a crash of the holding host the other takes over once the lease ran out (epoch 4)"
tap_is "$(holder_pid)" "$(job_of "$back")" "the lease row names the surviving host's job process"
expired_session
oms_wait 100 gone 4
tap_ok $? "and it deletes expired sessions"
oms_wait 50 logged 4 'job sessions: deleted 1 expired session'
tap_ok $? "four expired sessions, four deletions logged in all"

kill "$back" 2>/dev/null
oms_wait_exit "$back" 300
tap_is "$(oms_sql "SELECT expires_at FROM job_leases WHERE name = 'sessions'")" 0 \
    "the last host released the lease when it stopped"
# The instance's own omsd (host A's first pid) is gone already; keep
# oms_stop from waiting on it.
OMS_PID=
oms_save
tap_done
