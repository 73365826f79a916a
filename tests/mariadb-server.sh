# tests/mariadb-server.sh: start and stop a throw-away MariaDB server
# for the tests (POSIX sh; sourced by ./check and by tests that need a
# server of their own).
#
#   oms_mariadb_start DIR   installs a data folder in DIR, starts
#                           mariadbd on a unix socket only (no TCP),
#                           waits until it answers; sets
#                           OMS_MARIADB_SOCKET and OMS_MARIADB_PID
#   oms_mariadb_stop DIR    stops it by its pid (the data stays)
#   oms_mariadb_restart DIR stop, then start on the same data
#
# Every server gets a temporary folder of its own (DIR/tmp): servers
# sharing the default tmpdir (/tmp) delete each other's temporary files
# as they start.  A start is ready when this start's mariadbd (by pid)
# has written its pid file and answers a ping on its socket; a stop
# waits until the process is gone.

oms_mariadb_run() {
	mkdir -p "$1/tmp"
	rm -f "$1/pid"
	mariadbd --no-defaults --user=root --datadir="$1/data" \
	    --socket="$1/sock" --skip-networking --pid-file="$1/pid" \
	    --tmpdir="$1/tmp" \
	    --log-error="$1/err.log" --skip-name-resolve \
	    --innodb-buffer-pool-size=256M --innodb-log-file-size=64M \
	    </dev/null >/dev/null 2>&1 &
	OMS_MARIADB_PID=$!
	echo "$OMS_MARIADB_PID" > "$1/mariadbd.pid"
	# Ready: this mariadbd wrote its pid file (so an answer on the
	# socket is not from a server that is still going away) and
	# answers a ping; 60 s at most, less if it dies.
	i=0
	until [ "$(cat "$1/pid" 2>/dev/null)" = "$OMS_MARIADB_PID" ] &&
	    mariadb-admin --no-defaults --socket="$1/sock" -uroot ping \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$OMS_MARIADB_PID" 2>/dev/null; then
			echo "mariadbd did not start; see $1/err.log" >&2
			tail -n 5 "$1/err.log" >&2
			return 1
		fi
		sleep 0.1
	done
	OMS_MARIADB_SOCKET=$1/sock
	export OMS_MARIADB_SOCKET OMS_MARIADB_PID
}

oms_mariadb_start() {
	command -v mariadbd >/dev/null 2>&1 || {
		echo "mariadbd is not installed" >&2
		return 1
	}
	mkdir -p "$1"
	if [ ! -d "$1/data/mysql" ]; then
		mkdir -p "$1/tmp"
		mariadb-install-db --no-defaults --user=root --datadir="$1/data" \
		    --auth-root-authentication-method=normal --skip-test-db \
		    --tmpdir="$1/tmp" \
		    >"$1/install.log" 2>&1 || {
			echo "mariadb-install-db failed; see $1/install.log" >&2
			return 1
		}
	fi
	oms_mariadb_run "$1"
}

oms_mariadb_stop() {
	[ -f "$1/mariadbd.pid" ] || return 0
	pid=$(cat "$1/mariadbd.pid")
	if kill "$pid" 2>/dev/null; then
		# A clean shutdown (60 s at most), else SIGKILL; either way
		# wait until the process is gone, so that a start on the same
		# data never meets it.
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if kill -9 "$pid" 2>/dev/null; then
			i=0
			while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
				sleep 0.1
				i=$((i + 1))
			done
		fi
	fi
	# Reap it when it is a child of this shell.
	wait "$pid" 2>/dev/null
	rm -f "$1/mariadbd.pid"
}

oms_mariadb_restart() {
	oms_mariadb_stop "$1"
	oms_mariadb_run "$1"
}
