#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The quick start from a clone in a 0700 directory, as root's clone under
# /root is: demo/demo.sh on free ports, the commands it prints run as a user
# would run them (Debian's snmp.conf, no MIBS/MIBDIRS), a virsh suspend seen
# in the trap log, and `demo/demo.sh stop` ending every daemon and removing
# libvirtd's directory.  The copy is the tree as it is (tracked and new
# files of a git checkout, else the distributed tree under make distcheck)
# plus the module already built, so the demo does not build again.

. "$abs_top_srcdir/tests/integration/lib.sh"
vmm_need_root "the demo's libvirtd runs as nobody (setpriv, chown)"

# WORK is mktemp -d's: 0700
clone="$WORK/clone"
if [ -e "$abs_top_srcdir/.git" ]; then
    mkdir "$clone"
    git -C "$abs_top_srcdir" ls-files -z --cached --others --exclude-standard |
        (cd "$abs_top_srcdir" && tar --null -T - -cf -) | tar -C "$clone" -xf -
else
    # make distcheck's tree: read-only, its build and install directories in it
    mkdir "$clone"
    tar -C "$abs_top_srcdir" --exclude=./_build --exclude=./_inst -cf - . | tar -C "$clone" -xf -
    chmod -R u+w "$clone"
fi
mkdir -p "$clone/vm-mib/.libs" && cp "$VMM_SO" "$clone/vm-mib/.libs/"
assert_eq "the clone's directory is 0700, closed to nobody" "700 no" \
    "$(stat -c %a "$WORK") $(setpriv --reuid=nobody --regid=nogroup --clear-groups \
        test -r "$clone/demo/node.xml" && echo yes || echo no)"

# How a user's shell runs a printed command: no MIB variables of lib.sh's,
# no ~/.snmp, not from the clone.
mkdir "$WORK/home"
as_user() { (cd / && env -u MIBS -u MIBDIRS HOME="$WORK/home" bash -c "$1"); }

port=$(free_port)
trap_port=$(free_port)
while [ "$trap_port" = "$port" ]; do trap_port=$(free_port); done
out="$WORK/demo.out"
run="$clone/demo/run"

# the demo's daemons outlive it: if a check fails first, stop them here
stop_demo() {
    local f
    [ -x "$clone/demo/demo.sh" ] && "$clone/demo/demo.sh" stop > /dev/null 2>&1
    for f in "$run"/*.pid; do [ -f "$f" ] && vmm_stop_pid "$(cat "$f")"; done
    vmm_cleanup
}
trap stop_demo EXIT

t0=$SECONDS
if VMM_DEMO_PORT=$port VMM_DEMO_TRAP_PORT=$trap_port "$clone/demo/demo.sh" > "$out" 2> "$WORK/demo.err"; then
    ok "demo/demo.sh starts from the 0700 clone (in $((SECONDS - t0)) s)"
else
    fail "demo/demo.sh starts from the 0700 clone"
    sed 's/^/  | /' "$out" "$WORK/demo.err"; tail -5 "$run/libvirtd/libvirtd.log" 2>/dev/null
    vmm_summary; exit
fi
assert_eq "demo/demo.sh writes nothing to stderr" "" "$(cat "$WORK/demo.err")"

# printed LINE-START: the command the demo printed on the line that starts so
printed() { grep -m1 "^  $1" "$out" | sed 's/^  //'; }

# the machines of demo/node.xml, "name state" per line
mkdir "$WORK/domains"
python3 "$clone/demo/domains.py" "$clone/demo/node.xml" "$WORK/domains" > "$WORK/machines"
count=$(grep -c . "$WORK/machines")

cmd=$(printed "snmpget ")
got=$(as_user "$cmd" 2> "$WORK/err")
assert_match "printed numeric snmpget: vmNumber.0 = $count ($cmd)" \
    "^(iso|\.1)\.3\.6\.1\.2\.1\.236\.1\.2\.0 = INTEGER: $count\$" "$got"
assert_eq "printed numeric snmpget: no stderr" "" "$(cat "$WORK/err")"
cmd=$(printed "snmpwalk ")
got=$(as_user "$cmd" 2> "$WORK/err")
assert_eq "printed numeric snmpwalk: the hypervisor's four scalars, no stderr ($cmd)" \
    "1.0 = STRING: \"TEST\"|2.0 = STRING:|3.0 = OID:|4.0 = Timeticks:|" \
    "$(printf '%s\n' "$got" | sed -E 's/^(iso|\.1)\.3\.6\.1\.2\.1\.236\.1\.1\.//' |
        sed -E '/^1\.0 = STRING: "TEST"$/!s/^([0-9]\.0 = [A-Za-z-]+:) .*/\1/' | paste -sd'|')|$(cat "$WORK/err")"
cmd=$(printed "snmpbulkwalk -v2c -c public 127")
numeric=$(as_user "$cmd" 2> "$WORK/err")
assert_eq "printed numeric snmpbulkwalk of VM-MIB: no stderr" "" "$(cat "$WORK/err")"

# the walk with names: what Net-SNMP prints for the fixture, nothing else
cmd=$(grep -A1 '^With object names' "$out" | tail -1 | sed 's/^  //')
named=$(as_user "$cmd" 2> "$WORK/err")
assert_eq "printed named walk: no stderr ($cmd)" "" "$(cat "$WORK/err")"
assert_eq "printed named walk: as many lines as the numeric one, every name VM-MIB::" \
    "$(printf '%s\n' "$numeric" | grep -c .) 0" \
    "$(printf '%s\n' "$named" | grep -c .) $(printf '%s\n' "$named" | grep -vc '^VM-MIB::')"
assert_eq "printed named walk: vmNumber.0" "VM-MIB::vmNumber.0 = INTEGER: $count" \
    "$(printf '%s\n' "$named" | grep '^VM-MIB::vmNumber\.0 ')"
assert_eq "printed named walk: vmName of each machine" \
    "$(cut -d' ' -f1 "$WORK/machines" | sort | sed 's/^/STRING: /')" \
    "$(printf '%s\n' "$named" | sed -n 's/^VM-MIB::vmName\.[0-9]* = //p' | sort)"
web=$(printf '%s\n' "$named" | sed -n 's/^VM-MIB::vmName\.\([0-9]*\) = STRING: web-frontend$/\1/p')
paused=$(awk '$2 == "paused" { print $1; exit }' "$WORK/machines")
pidx=$(printf '%s\n' "$named" | sed -n "s/^VM-MIB::vmName\.\([0-9]*\) = STRING: $paused\$/\1/p")
assert_eq "printed named walk: enumerations by name (vmOperState of $paused)" \
    "VM-MIB::vmOperState.$pidx = INTEGER: paused(8)" \
    "$(printf '%s\n' "$named" | grep "^VM-MIB::vmOperState\.$pidx ")"

# a change reaches the trap log, by name
log=$(printed "tail -f " | sed 's/^tail -f \(.*\) &$/\1/')
paused_web() { grep -c "OID: VM-MIB::vmPaused.*VM-MIB::vmName\.$web = STRING: web-frontend" "$log"; }
before=$(paused_web)
cmd=$(printed "virsh .* suspend web-frontend")
as_user "$cmd" > /dev/null 2> "$WORK/err"
for i in $(seq 50); do [ "$(paused_web)" -gt "$before" ] && break; sleep 0.1; done
assert_eq "printed virsh suspend: one vmPaused for web-frontend in $log" "0 1" "$before $(paused_web)"
assert_eq "snmptrapd found every MIB module" "" "$(grep 'Cannot find module' "$log")"

# stop: every daemon by its PID, libvirtd's directory removed
sock=$(sed -n "s/.*socket=\([^']*\)'.*/\1/p" "$out" | head -1)
rt=${sock%/run/libvirt/libvirt-sock}
pids=$(cat "$run/snmpd.pid" "$run/snmptrapd.pid" "$run/libvirtd.pid" | xargs)
assert_match "libvirtd's directory is under /tmp, out of the clone ($rt)" '^/tmp/vm-mib-libvirtd\.' "$rt"
"$clone/demo/demo.sh" stop > "$WORK/stop.out" 2>&1
assert_eq "demo/demo.sh stop exits 0" 0 $?
alive=""
for p in $pids; do
    # a zombie (not reaped yet by whoever inherited it) has stopped too
    kill -0 "$p" 2>/dev/null && [ "$(ps -o stat= -p "$p" | cut -c1)" != Z ] && alive+=" $p"
done
assert_eq "demo/demo.sh stop stops snmpd, snmptrapd and libvirtd (pids $pids)" "" "$alive"
assert_eq "demo/demo.sh stop removes libvirtd's directory and the pid files" "no none" \
    "$([ -e "$rt" ] && echo "$rt" || echo no) $(ls "$run" | grep -E '\.(pid|dir)$' || echo none)"

vmm_summary
