#!/bin/sh
# Run the integration suites that exercise the module's threads (collector,
# SET jobs, connection threads) with snmpd under valgrind's helgrind or DRD,
# and print every report that involves vm_mib (libvirt and GLib use atomics
# that the tools cannot see; their own reports are not ours).  Under the
# tool the suites run 50-100 times slower, so their timing checks fail: only
# the tool's reports count here.  Exits non-zero if there is one.
# Usage: scripts/threadcheck.sh [helgrind|drd] [SUITE...]   (after a build)
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
tool=${1:-helgrind}
[ $# -gt 0 ] && shift
suites=${*:-"notifications connection control resilience"}
out=$(mktemp -d /tmp/vm-mib-threadcheck.XXXXXX)

[ -f vm-mib/.libs/vm_mib.so ] || { echo "build first (./test.sh)"; exit 1; }
echo "== $tool (logs in $out)"
for s in $suites; do
    abs_top_srcdir=$top abs_top_builddir=$top SNMPD_WAIT=600 \
    SNMPD_WRAPPER="valgrind --tool=$tool --log-file=$out/$s.%p.log" \
        bash "tests/integration/$s.sh" > "$out/$s.out" 2>&1
    echo "$s: $(tail -1 "$out/$s.out") (timing checks fail under the tool)"
done
# One report = the lines from a "----" separator to the next; keep those
# naming a function of the module.
bad=0
for f in "$out"/*.log; do
    awk '/^==[0-9]+== -{20,}/ { if (r ~ /vmm_|vm_mib|vm_table/) print r; r = "" }
         { r = r "\n" $0 }
         END { if (r ~ /vmm_|vm_mib|vm_table/ && r ~ /Possible data race|Conflicting|lock order/) print r }' \
        "$f" > "$f.ours"
    if grep -q "Possible data race\|Conflicting\|lock order\|Lock at" "$f.ours"; then
        echo "report involving vm_mib in $f:"; cat "$f.ours"; bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "threadcheck ($tool): no report involving vm_mib"
exit "$bad"
