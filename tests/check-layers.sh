#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# check-layers.sh - the module's plan as rules on its #include lines:
#   core/  includes no Net-SNMP header and nothing from agent/ or mib/
#   agent/ includes nothing from mib/
#   no file includes vm_mib.c's wiring, and no two modules include each
#   other through any chain (a module is x.c with x.h).
# A rule broken names the file and the line.
set -u
top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
src=$top/vm-mib
. "$(dirname "$0")/checks.sh"

cd "$src" || exit 1
check "core/ includes no Net-SNMP header" \
    "$(grep -Hn '^#include <net-snmp/' core/*.[ch])"
check "core/ includes nothing from agent/ or mib/" \
    "$(grep -HnE '^#include "(agent|mib)/' core/*.[ch])"
check "agent/ includes nothing from mib/" \
    "$(grep -Hn '^#include "mib/' agent/*.[ch])"

# Module graph: one edge per local include between different modules.
# tsort reports a cycle on stderr.
edges=$(for f in core/*.[ch] agent/*.[ch] mib/*.[ch]; do
    from=${f%.*}
    sed -n 's/^#include "\([^"]*\)\.h".*/\1/p' "$f" | while read -r to; do
        [ "$to" = "$from" ] || echo "$from $to"
    done
done)
check "no include cycle between modules" \
    "$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null)"

summary
[ "$failed" -eq 0 ]
