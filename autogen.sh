#!/bin/sh
# Regenerate the build system: configure, Makefile.in and the auxiliary scripts.
set -e
cd "$(dirname "$0")"
autoreconf -fi
