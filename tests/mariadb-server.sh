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

oms_mariadb_run() {
	mariadbd --no-defaults --user=root --datadir="$1/data" \
	    --socket="$1/sock" --skip-networking --pid-file="$1/pid" \
	    --log-error="$1/err.log" --skip-name-resolve \
	    --innodb-buffer-pool-size=256M --innodb-log-file-size=64M \
	    </dev/null >/dev/null 2>&1 &
	OMS_MARIADB_PID=$!
	echo "$OMS_MARIADB_PID" > "$1/mariadbd.pid"
	i=0
	until mariadb-admin --no-defaults --socket="$1/sock" -uroot ping \
	    >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$OMS_MARIADB_PID" 2>/dev/null; then
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
		mariadb-install-db --no-defaults --user=root --datadir="$1/data" \
		    --auth-root-authentication-method=normal --skip-test-db \
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
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
	fi
	rm -f "$1/mariadbd.pid"
}

oms_mariadb_restart() {
	oms_mariadb_stop "$1"
	oms_mariadb_run "$1"
}
