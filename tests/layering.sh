#!/bin/sh
# tests/layering.sh: a layer includes only the layers below it.
#
#	core < store < domain < web < cmd
#
# Every "x.h" that a file under src/LAYER/ (or a backend) includes is
# looked up among the headers of the tree; the test fails when the
# header belongs to a higher layer than the including file.  Store
# backends (backends/store/) sit in the store layer; the legacy
# adapters of the exchange (backends/exchange/, when there are some)
# in the domain layer.  System headers (<...>) and config.h are not
# ours.  A "-bad" point proves the check can fail: a made-up domain
# file that includes a web header must be flagged.
top=${OMS_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1

rank() {
	case $1 in
	core) echo 1 ;; store) echo 2 ;; domain) echo 3 ;; web) echo 4 ;;
	cmd) echo 5 ;; *) echo 0 ;;
	esac
}

# The layer of a source file, from its path.
layer_of_file() {
	case $1 in
	src/core/*) echo core ;;
	src/store/*) echo store ;;
	src/domain/*) echo domain ;;
	src/web/*) echo web ;;
	src/cmd/*) echo cmd ;;
	backends/store/*) echo store ;;
	backends/exchange/*) echo domain ;;
	*) echo unknown ;;
	esac
}

# The layer that owns header name h (by its folder), or nothing.
layer_of_header() {
	for l in core store domain web cmd; do
		[ -f "src/$l/$1" ] && { echo "$l"; return; }
	done
}

n=0
failed=0
point() { # point ok|not-ok NAME
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

# violations FILE...: print "file includes header (layer)" for each
# include that goes upward.
violations() {
	for f in "$@"; do
		fl=$(layer_of_file "$f")
		fr=$(rank "$fl")
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r h; do
			[ "$h" = config.h ] && continue
			hl=$(layer_of_header "$(basename "$h")")
			[ -z "$hl" ] && continue
			if [ "$(rank "$hl")" -gt "$fr" ]; then
				echo "$f ($fl) includes $h ($hl)"
			fi
		done
	done
}

# Every source file is in a layer: none is left in src/ itself.
stray=$(find src -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) ! -name migrations_gen.c | sort)
if [ -z "$stray" ]; then
	point ok "every source file sits in a layer folder"
else
	point not-ok "every source file sits in a layer folder"
	echo "$stray" | sed 's/^/# not in a layer: /'
fi

# A header name is owned by one layer only (else the lookup is ambiguous).
dups=$(find src -name '*.h' -exec basename {} \; | sort | uniq -d)
if [ -z "$dups" ]; then
	point ok "each header name is in one layer only"
else
	point not-ok "each header name is in one layer only"
	echo "$dups" | sed 's/^/# twice: /'
fi

for l in core store domain web cmd; do
	files=$(find "src/$l" -name '*.[ch]' 2>/dev/null | sort)
	[ "$l" = store ] && files="$files $(find backends/store -name '*.[ch]' 2>/dev/null | sort)"
	[ "$l" = domain ] && files="$files $(find backends/exchange -name '*.[ch]' 2>/dev/null | sort)"
	# shellcheck disable=SC2086
	v=$(violations $files)
	if [ -z "$v" ]; then
		point ok "$l includes only its own layer and the ones below"
	else
		point not-ok "$l includes only its own layer and the ones below"
		echo "$v" | sed 's/^/# /'
	fi
done

# bad: the check flags a domain file that includes a web header.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oms-layering.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/domain"
printf '#include "http.h"\n#include "store.h"\n' >"$tmp/src/domain/bad.c"
(cd "$tmp" && mkdir -p src/web src/store && : >src/web/http.h && : >src/store/store.h)
v=$(cd "$tmp" && violations src/domain/bad.c)
case $v in
*"includes http.h (web)"*) point ok "bad: a domain file including a web header is flagged" ;;
*) point not-ok "bad: a domain file including a web header is flagged" ;;
esac
case $v in
*store.h*) point not-ok "bad: including a lower layer's header is not flagged" ;;
*) point ok "bad: including a lower layer's header is not flagged" ;;
esac

echo "1..$n"
exit $failed
