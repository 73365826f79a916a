#!/bin/sh
# tests/comments.sh: every function definition has a block comment.
#
# CONVENTIONS.md asks for a block comment on every function, static ones
# too, saying its purpose, its return codes and who frees what it
# returns.  This test checks the part a script can check: that the
# comment is there.  A definition in this tree is written
#
#	return type
#	name(parameters...
#	    more parameters)
#	{
#
# with the name and the brace in column 0; the line just above the
# return-type line must end a block comment ("*/").  Each .c file under
# src/ and backends/ is one point; offenders are printed as
# "file:line: name".  "bad" points prove the check flags an uncommented
# function (and a prototype is not taken for a definition) in a
# made-up file.
top=${OMS_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1

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

# uncommented FILE: print "FILE:LINE: name" for each function defined
# in FILE whose return-type line (LINE) does not follow a "*/".
uncommented() {
	awk '
	{ line[FNR] = $0 }
	END {
		for (i = 2; i <= FNR; i++) {
			if (line[i] !~ /^[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)
				continue
			prev = line[i - 1]
			# The return type: column 0, not a statement, not an
			# initialiser, not a preprocessor line.
			if (prev !~ /^[A-Za-z_]/ || prev ~ /[;,{}\\][ \t]*$/)
				continue
			# The parameter lines end at a "{" in column 0; a ";"
			# or an empty line first means a prototype or a call.
			def = 0
			for (j = i; j <= FNR; j++) {
				if (line[j] ~ /^\{/) {
					def = 1
					break
				}
				if (line[j] ~ /;[ \t]*$/ || line[j] ~ /^[ \t]*$/)
					break
			}
			if (!def)
				continue
			name = line[i]
			sub(/[ \t]*\(.*/, "", name)
			above = i >= 3 ? line[i - 2] : ""
			if (above !~ /\*\/[ \t]*$/)
				print FILENAME ":" (i - 1) ": " name
		}
	}' "$1"
}

for f in $(find src backends -name '*.c' | sort); do
	v=$(uncommented "$f")
	if [ -z "$v" ]; then
		point ok "$f: every function has a block comment"
	else
		point not-ok "$f: every function has a block comment"
		echo "$v" | sed 's/^/# no comment: /'
	fi
done

# bad: a made-up file with one commented function, one uncommented
# static function, a prototype and an uncommented function whose
# parameters run over two lines.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oms-comments.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/bad.c" <<'C'
#include "x.h"

static int
proto(int);

/*
 * Says what good() does.  Returns 0.
 */
int
good(void)
{
	return 0;
}

static int
naked(int a)
{
	return a;
}

enum oms_err
long_one(const char *a,
    int b)
{
	return 0;
}
C
v=$(uncommented "$tmp/bad.c")
case $v in
*"bad.c:15: naked"*) point ok "bad: an uncommented static function is flagged" ;;
*) point not-ok "bad: an uncommented static function is flagged" ;;
esac
case $v in
*"bad.c:21: long_one"*) point ok "bad: an uncommented function with wrapped parameters is flagged" ;;
*) point not-ok "bad: an uncommented function with wrapped parameters is flagged" ;;
esac
case $v in
*good*|*proto*) point not-ok "bad: a commented function and a prototype are not flagged"
	echo "$v" | sed 's/^/# /' ;;
*) point ok "bad: a commented function and a prototype are not flagged" ;;
esac

echo "1..$n"
exit $failed
