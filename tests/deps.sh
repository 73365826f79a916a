# deps.sh: sourced by ./demo and ./check.  Installs the Debian packages
# and npm modules OMS needs to build, run and test, when they are
# missing, and builds OMS out of tree in build/.
#
# oms_deps_debian LIST  install what of LIST is missing (as root)
# oms_deps_npm          install tests/node_modules from the lock file
# oms_build             autogen (when needed), configure, make

OMS_PKGS_BUILD="gcc make autoconf automake libtool pkg-config libfcgi-dev
libxml2-dev libxslt1-dev libsqlite3-dev libinih-dev libmariadb-dev
libsodium-dev libcurl4-openssl-dev"
OMS_PKGS_RUN="nginx sqlite3 curl libfcgi-bin chromium fonts-dejavu-core xsltproc"
OMS_PKGS_TEST="libxml2-utils xsltproc wrk valgrind chromium procps python3
clang-14 libclang-rt-14-dev
mariadb-server mariadb-client stress-ng time poppler-utils openssl"

oms_deps_debian() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing Debian packages:$missing (run as root to install them)" >&2
		return 1
	fi
	echo "installing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# Another apt (a second ./check, unattended upgrades) may hold the
	# dpkg lock: wait for it (15 minutes at most) rather than fail.
	apt-get -o DPkg::Lock::Timeout=900 update -qq >/dev/null || return 1
	# shellcheck disable=SC2086
	apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
	    $missing >/dev/null || return 1
}

oms_deps_node() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
	oms_deps_debian nodejs npm
}

oms_deps_npm() {
	top=$1
	[ -f "$top/tests/node_modules/.package-lock.json" ] &&
	    [ "$top/tests/node_modules/.package-lock.json" -nt "$top/tests/package-lock.json" ] &&
	    return 0
	(cd "$top/tests" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || return 1
}

oms_build() {
	top=$1
	shift
	if [ ! -x "$top/configure" ]; then
		(cd "$top" && ./autogen.sh >/dev/null 2>&1) || {
			echo "autogen.sh failed" >&2
			return 1
		}
	fi
	mkdir -p "$top/build"
	if [ ! -f "$top/build/Makefile" ]; then
		(cd "$top/build" && ../configure -q "$@") || return 1
	fi
	make -C "$top/build" -s -j"$(nproc 2>/dev/null || echo 2)" >/dev/null || {
		make -C "$top/build" 2>&1 | tail -n 30 >&2
		return 1
	}
}
