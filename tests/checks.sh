# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# checks.sh - the counting shared by the check-*.sh scripts (sourced; POSIX
# sh): one "ok - " / "not ok - " line per check, diagnostics on "#" lines,
# and summary's closing "N passed, N failed, N skipped" line that test.sh
# adds up.
passed=0
failed=0
skipped=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
skip() { skipped=$((skipped + 1)); echo "ok - $1 # SKIP $2"; }
diag() { sed 's/^/#   /'; }
# check NAME OFFENDING: passes when OFFENDING (one item a line) is empty,
# otherwise fails and shows it
check() {
    if [ -z "$2" ]; then pass "$1"; else fail "$1"; printf '%s\n' "$2" | diag; fi
}
summary() { echo "$passed passed, $failed failed, $skipped skipped"; }
