#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
#
# check-man.sh - check the vm_mib(8) man page built from man/vm_mib.8.in.
#
#  a) man-db renders it without a single groff or man warning;
#  b) its NAME line is one that whatis/apropos can index (lexgrog);
#  c) make filled in every @placeholder@;
#  d) it documents every snmpd.conf token the module registers
#     (vmm_config_tokens[] in vm-mib/core/config.c) and every debug token
#     the module traces with (DEBUGMSGTL in vm-mib/), so that a new
#     token cannot ship undocumented;
#  e) it is the reference for the MIB: every object and notification of
#     mibs/VM-MIB.txt (but the *Entry types) is named in it;
#  f) it has the sections other documents point to (TOKENS, OBJECTS,
#     NOTIFICATIONS, ...), so that a reference such as "vm_mib(8), RELOAD"
#     cannot dangle.
#
# Output: one "ok - ..." / "not ok - ..." line per check and a final
# "N passed, N failed, N skipped" line.  Exits 1 if any check failed, 77
# (automake "skipped") if man-db is not installed.
#
# Environment: abs_top_srcdir, abs_top_builddir (default: this script's
# parent directory).

set -u

top=${abs_top_srcdir:-$(dirname "$0")/..}
top=$(cd "$top" 2>/dev/null && pwd) || { echo "# cannot enter $top"; exit 99; }
build=${abs_top_builddir:-$top}
page=$build/man/vm_mib.8

. "$(dirname "$0")/checks.sh"

if ! command -v man >/dev/null 2>&1 || ! command -v lexgrog >/dev/null 2>&1; then
    echo "# SKIP: man or lexgrog not found (Debian packages: man-db, groff-base)"
    skipped=1
    summary
    exit 77
fi
[ -r "$page" ] || { fail "$page exists (run make first)"; summary; exit 1; }

# a) Warnings go to stderr; the rendered page is thrown away.  MANROFFSEQ
# keeps preprocessor lines from changing the run, MANWIDTH fixes the layout.
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
           man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
if [ -z "$warnings" ]; then
    pass "man --warnings renders vm_mib.8 without any message"
else
    fail "man --warnings renders vm_mib.8 without any message"
    printf '%s\n' "$warnings" | diag
fi

whatis=$(lexgrog "$page" 2>&1)
expected="$page: \"vm_mib - Net-SNMP module serving the VM-MIB (RFC 7666) from libvirt\""
if [ "$whatis" = "$expected" ]; then
    pass "lexgrog reads the NAME line"
else
    fail "lexgrog reads the NAME line"
    printf 'expected: %s\nactual:   %s\n' "$expected" "$whatis" | diag
fi

left=$(grep -n '@[A-Za-z_]*@' "$page")
if [ -z "$left" ]; then
    pass "no @placeholder@ is left"
else
    fail "no @placeholder@ is left"
    printf '%s\n' "$left" | diag
fi

# d) The page is searched as rendered text, so roff escapes (\-) do not
# hide a name.
text=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$page" 2>/dev/null)
tokens=$(sed -n '/vmm_config_tokens\[\] = {/,/};/p' "$top/vm-mib/core/config.c" |
         grep -o '"vmMib[A-Za-z]*"' | tr -d '"')
debug=$(grep -oh 'DEBUGMSGTL(("vm_mib[a-z:]*"' "$top"/vm-mib/*.c "$top"/vm-mib/*/*.c |
        sed 's/.*"\(.*\)"/\1/' | sort -u)
[ -n "$tokens" ] && [ -n "$debug" ] &&
    pass "found the tokens in the source:" $tokens $debug ||
    fail "found the snmpd.conf and debug tokens in vm-mib/"
# listed WHAT TOKEN...: every TOKEN heads an entry of its own in the page.
listed() {
    what=$1
    shift
    for t in "$@"; do
        if printf '%s\n' "$text" | grep -Eq "^ +$t( |$)"; then
            pass "$what $t has its own entry"
        else
            fail "$what $t has its own entry"
        fi
    done
}
listed token $tokens
listed "debug token" $debug

# e) whole words of the rendered text: vmStorageReadIOs must not pass
# because vmStorageReadIOs2 is there, nor vmBulkRunning because of a range.
objects=$(grep -oE '^ *vm[A-Za-z]+ +(OBJECT-TYPE|NOTIFICATION-TYPE)' "$top/mibs/VM-MIB.txt" |
          awk '$1 !~ /Entry$/ { print $1 }' | sort -u)
[ "$(printf '%s\n' $objects | wc -l)" -ge 70 ] &&
    pass "found the objects and notifications of mibs/VM-MIB.txt" ||
    fail "found the objects and notifications of mibs/VM-MIB.txt"
missing=
for o in $objects; do
    printf '%s\n' "$text" | grep -qw -- "$o" || missing="$missing $o"
done
if [ -z "$missing" ]; then
    pass "every VM-MIB object and notification is named in the page"
else
    fail "every VM-MIB object and notification is named in the page"
    echo "missing:$missing" | diag
fi

# f) headings are unindented lines of the rendered page.
for section in NAME SYNOPSIS DESCRIPTION CONFIGURATION TOKENS OBJECTS NOTIFICATIONS \
               "CONTROL EXTENSION" AGENTX "BEHAVIOUR UNDER FAULTS" RELOAD PERMISSIONS \
               DIAGNOSTICS DEBUGGING FILES EXAMPLES "SEE ALSO"; do
    if printf '%s\n' "$text" | grep -qx -- "$section"; then
        pass "section $section"
    else
        fail "section $section"
    fi
done

summary
[ "$failed" -eq 0 ]
