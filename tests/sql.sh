#!/bin/bash
# tests/sql.sh DIR SQL: run SQL on the database of the test instance in
# DIR (made by oms_start of tests/lib.sh), whichever its backend, and
# print the rows tab-separated.  For the node tests.
OMS_SRCDIR=${OMS_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
. "$OMS_SRCDIR/tests/lib.sh"
oms_use "$1"
oms_sql "$2"
