#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The Debian package, end to end, as an operator meets it: build it from a
# copy of this tree, lint it, install it, run snmpd the way Debian's unit
# does with the package's own configuration, purge it.
#
# Not part of "make check" (a package build inside distcheck makes no
# sense); test.sh runs it after make distcheck.  Debian 12, as root:
#     tests/package/package.sh
# It installs vm-mib system-wide for a minute and purges it on any exit, so
# it refuses to run where vm-mib is already installed.
#
# snmpd gets the unit's exact command line, a clean environment and the
# stock /etc/snmp/snmpd.conf (which includes /etc/snmp/snmpd.conf.d and so
# the package's vm-mib.conf), plus, all inside the test's directory:
#  - a free loopback port as a command-line address.  snmpd ADDS it to the
#    stock "agentaddress 127.0.0.1,[::1]", so port 161 on loopback must be
#    free as well;
#  - "-c extra.conf", which snmpd reads after every default file: the view
#    line README.Debian asks for, vmMibUri pointing at a copy of a test
#    fixture (a later vmMibUri overrides the conffile's qemu:///system),
#    and a private AgentX socket (the stock file says "master agentx");
#  - "-Lf snmpd.log" next to the unit's -LOw: the module's connect message
#    is informational and -LOw (what the journal gets) drops it;
#  - SNMP_PERSISTENT_DIR, so that /var/lib/snmp stays untouched.

top=$(cd "$(dirname "$0")/../.." && pwd)
export abs_top_srcdir=$top
. "$top/tests/integration/lib.sh"

INSTALLED=""
pkg_cleanup() {
    vmm_cleanup
    if [ -n "$INSTALLED" ]; then dpkg_retry --purge vm-mib >/dev/null; fi
}
trap pkg_cleanup EXIT
trap 'exit 1' INT TERM HUP

# dpkg_retry ARGS...: dpkg, waiting up to 10 minutes while another package
# operation (apt, another test run) holds dpkg's lock.
dpkg_retry() {
    local i out
    for i in $(seq 300); do
        out=$(dpkg "$@" 2>&1) && { printf '%s\n' "$out"; return 0; }
        printf '%s\n' "$out" | grep -q 'lock' || { printf '%s\n' "$out"; return 1; }
        sleep 2
    done
    printf '%s\n' "$out"; return 1
}

# show FILE: a file's last lines as diagnostics.
show() { tail -n "${2:-20}" "$1" | sed 's/^/  | /'; }

vmm_need_root "the test installs a package"
if dpkg-query -W -f='${Status}' vm-mib 2>/dev/null | grep -q 'ok installed'; then
    fail "vm-mib is not installed before the test (it would be purged)"
    vmm_summary; exit
fi
"$top/scripts/deps.sh" || { fail "scripts/deps.sh installs the tools"; vmm_summary; exit; }

# ---- build from a copy: tracked and new files, nothing the build made
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -SVersion)
assert_eq "debian/changelog version is configure.ac's" \
    "$(sed -n 's/^AC_INIT(\[vm-mib\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")" "$version"
chmod 755 "$WORK"               # Debian-snmp reads the fixture, nobody runs lintian
src="$WORK/vm-mib-$version"
mkdir "$src"
git -C "$top" ls-files -z --cached --others --exclude-standard |
    (cd "$top" && tar --null -T - -cf -) | tar -C "$src" -xf -
[ -x "$src/debian/rules" ] || { fail "copy of the tree (needs a git checkout)"; vmm_summary; exit; }

if (cd "$src" && DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -qq \
        -o DPkg::Lock::Timeout=600 ./) > "$WORK/build-dep.log" 2>&1; then
    ok "build dependencies installed (apt-get build-dep ./)"
else
    fail "build dependencies installed (apt-get build-dep ./)"; show "$WORK/build-dep.log"
fi

arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
deb="$WORK/vm-mib_${version}_$arch.deb"
if (cd "$src" && env -u DEB_BUILD_OPTIONS dpkg-buildpackage -us -uc -b) > "$WORK/build.log" 2>&1 && [ -f "$deb" ]; then
    ok "dpkg-buildpackage -us -uc -b builds $(basename "$deb")"
else
    fail "dpkg-buildpackage -us -uc -b"; show "$WORK/build.log" 40; vmm_summary; exit
fi
assert_match "the build ran the daemon-free tests" \
    '^# PASS: +3$' "$(grep '^# PASS:' "$WORK/build.log")"

# Lintian unpacks what it checks: as nobody, not as root.
lint=$(cd "$WORK" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
       env -i PATH=/usr/bin:/bin HOME=/nonexistent \
       lintian -I --pedantic "vm-mib_${version}_$arch.changes" 2>&1)
if printf '%s\n' "$lint" | grep -Eq '^[EW]: '; then
    fail "lintian: no error, no warning"
else
    ok "lintian: no error, no warning"
fi
[ -n "$lint" ] && printf '%s\n' "$lint" | sed 's/^/  lintian: /'

so=/usr/lib/$multiarch/snmp/dlmod/vm_mib.so
mkdir "$WORK/deb" && dpkg-deb -x "$deb" "$WORK/deb"
assert_eq "vm_mib.so has no RPATH or RUNPATH" "" \
    "$(readelf -d "$WORK/deb$so" 2>&1 | grep -E 'RPATH|RUNPATH')"
assert_eq "vm_mib.so is stripped (no .symtab)" "" \
    "$(readelf -S "$WORK/deb$so" 2>&1 | grep -F '.symtab')"

# ---- install
# Which of the package's paths exist already (shared directories): those
# must survive the purge, everything else must go.
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\.||; s|/$||' | grep . > "$WORK/paths"
while read -r p; do [ -e "$p" ] && echo "$p"; done < "$WORK/paths" > "$WORK/existed"
sha_before=$(sha256sum /var/lib/snmp/snmpd.conf 2>/dev/null)

INSTALLED=1                     # from here on the EXIT trap purges, even a half install
if out=$(dpkg_retry -i "$deb"); then
    ok "dpkg -i installs the package"
else
    fail "dpkg -i installs the package"; printf '%s\n' "$out"; vmm_summary; exit
fi
dpkg -L vm-mib | grep -vx '/\.' > "$WORK/listed"
listed() { grep -qxF "$1" "$WORK/listed"; }

listed "$so" && [ -f "$so" ] && ok "module at $so" || fail "module at $so"
assert_eq "no libtool archive installed" "" "$(grep '\.la$' "$WORK/listed")"
for m in VM-MIB IANA-STORAGE-MEDIA-TYPE-MIB UUID-TC-MIB; do
    f=/usr/share/snmp/mibs/$m.txt
    listed "$f" && cmp -s "$f" "$top/mibs/$m.txt" && ok "$f is mibs/$m.txt" || fail "$f is mibs/$m.txt"
done
conf=/etc/snmp/snmpd.conf.d/vm-mib.conf
assert_eq "the conffile is registered" "$conf" \
    "$(dpkg-query -W -f='${Conffiles}' vm-mib | awk 'NF { print $1 }')"
assert_eq "the conffile loads the module for qemu:///system" \
    "dlmod vm_mib|vmMibUri qemu:///system" "$(grep -v '^#' "$conf" | grep . | paste -sd '|')"
assert_eq "the conffile lists every other token with its default" \
    "#vmMibCacheTimeout 5|#vmMibWritable no|#vmMibPerVmNotifications yes|#vmMibBulkNotifications no|#vmMibBulkWindow 1000|#vmMibRefreshWait 500|#vmMibStaleGrace 30" \
    "$(grep '^#vmMib' "$conf" | paste -sd '|')"
assert_eq "man -w vm_mib finds the page" "/usr/share/man/man8/vm_mib.8.gz" "$(man -w vm_mib 2>&1)"
assert_match "README.Debian gives the view line" "^ +view systemonly included ${vmMIB//./\\.}\$" \
    "$(cat /usr/share/doc/vm-mib/README.Debian 2>&1)"

# ---- the MIB files load by name
# Debian's snmp lacks the IETF base modules (snmp-mibs-downloader, non-free,
# has them); without them the repository's test-only copies stand in.
mibenv=(env -u MIBS -u MIBDIRS SNMPCONFPATH="$WORK/snmpconf" SNMP_PERSISTENT_DIR="$WORK/snmpconf")
mkdir -p "$WORK/snmpconf/cert_indexes"
if [ -r /usr/share/snmp/mibs/ietf/SNMPv2-SMI ]; then
    assert_eq "snmptranslate -m +VM-MIB VM-MIB::vmTable (snmp-mibs-downloader's base modules)" \
        "$vmTable" "$("${mibenv[@]}" snmptranslate -m +VM-MIB -On VM-MIB::vmTable 2>&1)"
else
    assert_match "without snmp-mibs-downloader VM-MIB lacks its imports" \
        'Cannot find module \(SNMPv2-SMI\)' \
        "$("${mibenv[@]}" snmptranslate -M /usr/share/snmp/mibs -m VM-MIB -On VM-MIB::vmTable 2>&1)"
    assert_eq "installed VM-MIB loads on top of base modules (tests/mibs stand-ins)" \
        "$vmTable" \
        "$("${mibenv[@]}" snmptranslate -M "/usr/share/snmp/mibs:$top/tests/mibs" -m VM-MIB \
           -On VM-MIB::vmTable 2>&1)"
fi

# ---- snmpd as Debian's unit starts it
cp "$FIXTURES/node.xml" "$WORK/node.xml" && chmod 644 "$WORK/node.xml"
uri="test://$WORK/node.xml"
cat > "$WORK/extra.conf" <<CONF
view systemonly included $vmMIB
vmMibUri $uri
agentXSocket unix:$WORK/agentx
CONF
mkdir "$WORK/persist" && chown Debian-snmp:Debian-snmp "$WORK/persist"
if ss -Hlun 'sport = :161' | grep -q .; then
    fail "udp port 161 is free (the stock agentaddress needs it)"; ss -Hlunp 'sport = :161'
fi
SNMP_PORT=$(free_port)
SNMPD_LOG="$WORK/snmpd.log"
# start_unit_snmpd: snmpd as the unit starts it, until VM-MIB is connected
start_unit_snmpd() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin SNMP_PERSISTENT_DIR="$WORK/persist" \
        /usr/sbin/snmpd -LOw -u Debian-snmp -g Debian-snmp -I -smux,mteTrigger,mteTriggerConf -f \
        -c "$WORK/extra.conf" -Lf "$SNMPD_LOG" "udp:127.0.0.1:$SNMP_PORT" > "$WORK/journal" 2>&1 &
    SNMPD_PID=$!
    PIDS+=("$SNMPD_PID")
    for i in $(seq 50); do
        sget $sysUpTime.0 | grep -q Timeticks && break
        sleep 0.1
    done
    wait_log 'vm_mib: (connected to|cannot connect to) libvirt'
}
start_unit_snmpd

if snmpd_alive; then ok "snmpd runs with the stock configuration and the package's"; else
    fail "snmpd runs with the stock configuration and the package's"; show "$WORK/journal"; fi
if grep -qxF "vm_mib: connected to libvirt at $uri (read-only)" "$SNMPD_LOG"; then
    ok "log: vm_mib: connected to libvirt at $uri (read-only)"
else
    fail "log: vm_mib: connected to libvirt at $uri (read-only)"; show "$SNMPD_LOG"
fi
assert_eq "nothing at warning level or worse (what the journal would get)" "" "$(cat "$WORK/journal")"
assert_eq "snmpd listens on loopback only: our port and the stock agentaddress" \
    "127.0.0.1:161 127.0.0.1:$SNMP_PORT [::1]:161" \
    "$(ss -Hlunp | grep "pid=$SNMPD_PID," | awk '{ print $4 }' | LC_ALL=C sort | xargs)"
[ -S "$WORK/agentx" ] && ok "AgentX master socket is the test's own" ||
    fail "AgentX master socket is the test's own"

walk=$(snmpwalk -v2c -c public -On -t 1 -r 0 "127.0.0.1:$SNMP_PORT" $vmTable 2>&1)
assert_eq "snmpwalk vmTable names the fixture's machines" \
    "$vmName.1 = STRING: \"web01\"
$vmName.2 = STRING: \"db01\"
$vmName.3 = STRING: \"build01\"
$vmName.4 = STRING: \"mail01\"" \
    "$(printf '%s\n' "$walk" | grep -F "$vmName.")"
assert_eq "vmTable: 16 readable columns of 4 machines" 64 "$(printf '%s\n' "$walk" | grep -c .)"
assert_eq "vmNumber.0 is 4" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"

# ---- an upgrade under the running snmpd: dpkg renames the new file into
# place; a reload keeps the loaded module and says, where the journal
# looks, that snmpd must be restarted
if out=$(dpkg_retry -i "$deb"); then ok "dpkg -i again (an upgrade's unpack) while snmpd runs"
else fail "dpkg -i again (an upgrade's unpack) while snmpd runs"; printf '%s\n' "$out"; fi
kill -HUP "$SNMPD_PID"
want="vm_mib: $so was replaced since snmpd loaded it; a reload keeps running the loaded module: restart snmpd to run the new one"
if retry 50 grep -qxF "$want" "$WORK/journal"; then ok "then a reload: the journal says to restart snmpd"
else fail "then a reload: the journal says to restart snmpd"; show "$WORK/journal"; fi
assert_eq "and VM-MIB is served on: vmNumber.0 is 4" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"

# ---- the restart it asks for: snmpd (which reads its persistent file
# itself here, no -C) knows the module's saved lines
stop_snmpd
assert_eq "the stopped snmpd saved the states announced (4 machines)" 5 \
    "$(grep -c '^vmMibState ' "$WORK/persist/snmpd.conf")"
: > "$SNMPD_LOG"
start_unit_snmpd
assert_eq "restarted: vmNumber.0 is 4" "$vmNumber.0 = INTEGER: 4" "$(sget $vmNumber.0)"
assert_eq "restarted: nothing at warning level or worse (no unknown token)" "" "$(cat "$WORK/journal")"

stop_snmpd
snmpd_alive && fail "snmpd stopped by its PID" || ok "snmpd stopped by its PID"
assert_eq "/var/lib/snmp/snmpd.conf untouched" "$sha_before" \
    "$(sha256sum /var/lib/snmp/snmpd.conf 2>/dev/null)"

# ---- purge
if out=$(dpkg_retry --purge vm-mib); then
    INSTALLED=""; ok "dpkg --purge vm-mib"
else
    fail "dpkg --purge vm-mib"; printf '%s\n' "$out"
fi
dpkg -s vm-mib >/dev/null 2>&1 && fail "dpkg -s vm-mib fails after the purge" ||
    ok "dpkg -s vm-mib fails after the purge"
left=$(while read -r p; do
           grep -qxF "$p" "$WORK/existed" || [ ! -e "$p" ] || echo "$p"
       done < "$WORK/listed")
assert_eq "nothing of the package is left ($(grep -c . "$WORK/listed") paths; $(grep -c . "$WORK/existed") shared directories kept)" \
    "" "$left"
assert_eq "no conffile or dpkg backup of it left" "" "$(ls -d "$conf"* 2>/dev/null)"

vmm_summary
