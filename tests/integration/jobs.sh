#!/bin/bash
# omsd's job processes on one host (SQLite): a job configured in [jobs]
# runs as one process of its own beside the workers, takes the job's
# lease and does its work (the sessions job deletes an expired
# session); kill -9 of the job process gets it restarted, and the new
# one takes the lease over once it runs out; SIGHUP starts a new one and
# retires the old, which releases the lease, leaving one job process; a
# reload naming an unknown job is refused and the job goes on; SIGTERM
# stops the job (the lease released) and omsd.  Two hosts on MariaDB:
# tests/mariadb/jobs.sh.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. "${OMS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

oms_need_stack
oms_need pgrep
OMS_CONF_EXTRA='
[jobs]
run = sessions
lease_time = 2
sessions_interval = 1' oms_start

# job_pids: the master's job processes (comm "job:KIND"), one a line.
job_pids() {
	local p
	for p in $(pgrep -P "$OMS_PID"); do
		case $(cat "/proc/$p/comm" 2>/dev/null) in job:*) echo "$p" ;; esac
	done
}

# one_job_not OLD: exactly one job process, and it is not OLD.
one_job_not() {
	local now
	now=$(job_pids)
	[ "$(printf '%s\n' "$now" | sed '/^$/d' | wc -l)" = 1 ] && [ "$now" != "$1" ]
}

# count ERE: lines of the log matching ERE.
count() { grep -Ec -- "$1" "$OMS_LOG"; }

# at_least N ERE: the log has at least N lines matching ERE.
at_least() { [ "$(count "$2")" -ge "$1" ]; }

# expired_session ID: insert a session last seen in 1970 (long expired).
n_sess=0
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

# ---------------------------------------------------- started, working
oms_wait 100 one_job_not none
tap_ok $? "omsd runs one job process for [jobs] run = sessions"
job=$(job_pids)
tap_is "$(pgrep -P "$OMS_PID" | wc -l)" 3 "beside its 2 workers"
tap_is "$(cat "/proc/$job/comm" 2>/dev/null)" "job:sessions" "the process is named job:sessions"
oms_wait 100 at_least 1 'job sessions: lease taken \(epoch 1,'
tap_ok $? "the job takes the sessions lease at epoch 1"
tap_like "$(oms_sql "SELECT name, epoch, holder FROM job_leases")" \
    "^sessions\|1\|[^|]+:$job:[0-9a-f]{16}$" "the lease row names the job process as its holder"

expired_session
oms_wait 100 gone 1
tap_ok $? "an expired session is deleted by the job (no one logged in)"
# The line follows the commit: wait for it, then count.
oms_wait 50 at_least 1 'job sessions: deleted 1 expired session'
tap_is "$(count 'job sessions: deleted 1 expired session')" 1 "and the deletion is logged once"
tap_num_ge "$(oms_sql "SELECT COUNT(*) FROM sessions")" 1 "bad: the live session of the test is not deleted"
http GET "/customers?format=xml"
tap_is "$HTTP_STATUS" 200 "and still works"

# ------------------------------------------------ kill -9: restarted
taken=$(count 'job sessions: lease taken')
kill -9 "$job"
oms_wait 100 one_job_not "$job"
tap_ok $? "after kill -9 of the job process the master starts another"
new=$(job_pids)
tap_file_like "$OMS_LOG" "job process $job died of signal 9" "the master logs the job's death"
# The killed holder did not release its lease: the new process waits
# for it to run out (lease_time = 2 s), then takes it, at epoch 2.
oms_wait 150 at_least $((taken + 1)) 'job sessions: lease taken'
tap_ok $? "the new job process takes the lease over once it runs out"
tap_like "$(oms_sql "SELECT epoch, holder FROM job_leases WHERE name = 'sessions'")" \
    "^2\|[^|]+:$new:" "the lease row: epoch 2, the new process"
expired_session
oms_wait 100 gone 2
tap_ok $? "the new job process deletes expired sessions"

# ------------------------------------------------ SIGHUP: a new one
released=$(count 'job sessions: lease released')
taken=$(count 'job sessions: lease taken')
kill -HUP "$OMS_PID"
oms_wait 200 one_job_not "$new"
tap_ok $? "after SIGHUP one job process runs, a new one"
oms_wait 100 at_least $((released + 1)) 'job sessions: lease released'
tap_ok $? "the retired job process released the lease"
oms_wait 100 at_least $((taken + 1)) 'job sessions: lease taken'
tap_ok $? "the new generation's job process took it"
hup=$(job_pids)
tap_is "$(job_pids | wc -l)" 1 "still exactly one job process"
tap_like "$(oms_sql "SELECT epoch, holder FROM job_leases WHERE name = 'sessions'")" \
    "^3\|[^|]+:$hup:" "the lease row: epoch 3, the new generation's process"
expired_session
oms_wait 100 gone 3
tap_ok $? "and it deletes expired sessions"

# ------------------------------------- bad: an unknown job on reload
cp "$OMS_CONF" "$OMS_DIR/good.conf"
sed -i 's/^run = sessions$/run = sessions, nosuchjob/' "$OMS_CONF"
out=$("$OMS_BUILDDIR/omsd" -t -f "$OMS_CONF" 2>&1)
rc=$?
tap_isnt "$rc" 0 "bad: omsd -t refuses an unknown job"
tap_like "$out" "unknown job 'nosuchjob'" "and names it"
errs=$(count "reload: unknown job 'nosuchjob'")
kill -HUP "$OMS_PID"
oms_wait 100 at_least $((errs + 1)) "reload: unknown job 'nosuchjob'"
tap_ok $? "bad: a reload naming an unknown job is refused"
tap_is "$(job_pids)" "$hup" "and the job process goes on"
cp "$OMS_DIR/good.conf" "$OMS_CONF"

# ------------------------------------------------- SIGTERM: stopped
stopped=$(count 'job sessions: stopped')
oms_stop_omsd
tap_ok $? "omsd stops on SIGTERM"
tap_ok "$(kill -0 "$hup" 2>/dev/null && echo 1 || echo 0)" "the job process is gone"
tap_is "$(count 'job sessions: stopped')" $((stopped + 1)) "the job logged its stop"
tap_is "$(oms_sql "SELECT expires_at FROM job_leases WHERE name = 'sessions'")" 0 \
    "the lease was released on the way out"
tap_done
