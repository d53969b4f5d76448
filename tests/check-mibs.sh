#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
#
# check-mibs.sh - check the MIB modules shipped in mibs/.
#
#  a) Net-SNMP (snmptranslate) must resolve every VM-MIB object,
#     notification, group and compliance statement to the OID that
#     RFC 7666 assigns (the expected values below are taken from the
#     RFC's text, section 6, not from the MIB file), show the right
#     MAX-ACCESS, enumerations, indexes and notification objects, and
#     load the modules without complaining about missing modules.
#  b) libsmi (smilint) must report no errors for VM-MIB and the two
#     helper modules shipped with it.
#
# The IETF base modules that Debian does not ship (SNMPv2-SMI, SNMPv2-TC,
# SNMPv2-CONF, SNMPv2-MIB, SNMP-FRAMEWORK-MIB, IF-MIB) come from minimal
# test-only copies in tests/mibs/.
#
# Output: one "ok - ..." / "not ok - ..." line per check, diagnostics on
# lines starting with "#", and a final "N passed, N failed, N skipped"
# line.  Exits 1 if any check failed, 77 (automake "skipped") if
# snmptranslate is not installed.
#
# Environment: abs_top_srcdir (source tree root, default: this script's
# parent directory), SNMPTRANSLATE, SMILINT (tool names or paths).

set -u

top=${abs_top_srcdir:-$(dirname "$0")/..}
top=$(cd "$top" 2>/dev/null && pwd) || { echo "# cannot enter $top"; exit 99; }
mibdir=$top/mibs
testmibdir=$top/tests/mibs
MIBDIRS="$mibdir:$testmibdir"

SNMPTRANSLATE=${SNMPTRANSLATE:-snmptranslate}
SMILINT=${SMILINT:-smilint}

T=$'\t'
. "$(dirname "$0")/checks.sh"

# Keep Net-SNMP away from the host's snmp.conf files (Debian's disables
# MIB loading with "mibs :") and from /var/lib/snmp.
tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/check-mibs.XXXXXX") || exit 99
trap 'rm -rf "$tmpdir"' EXIT
export SNMPCONFPATH="$tmpdir"
export SNMP_PERSISTENT_DIR="$tmpdir"
# Net-SNMP's certificate index directory; created up front because
# Net-SNMP reports "Created directory: ..." on stderr otherwise.
mkdir -p "$tmpdir/cert_indexes"
export MIBDIRS
unset MIBS MIBFILES

if ! command -v "$SNMPTRANSLATE" >/dev/null 2>&1; then
    echo "# SKIP: $SNMPTRANSLATE not found (Debian package: snmp)"
    skipped=1
    summary
    exit 77
fi

# ---------------------------------------------------------------------
# Expected values (RFC 7666 section 6: objects, notifications and
# conformance statements).  Columns: name, OID, MAX-ACCESS
#   ro = read-only, rw = read-write, na = not-accessible,
#   an = accessible-for-notify, - = not an OBJECT-TYPE
# ---------------------------------------------------------------------
expected='
vmMIB                           1.3.6.1.2.1.236                 -
vmNotifications                 1.3.6.1.2.1.236.0               -
vmObjects                       1.3.6.1.2.1.236.1               -
vmConformance                   1.3.6.1.2.1.236.2               -
vmHypervisor                    1.3.6.1.2.1.236.1.1             -
vmHvSoftware                    1.3.6.1.2.1.236.1.1.1           ro
vmHvVersion                     1.3.6.1.2.1.236.1.1.2           ro
vmHvObjectID                    1.3.6.1.2.1.236.1.1.3           ro
vmHvUpTime                      1.3.6.1.2.1.236.1.1.4           ro
vmNumber                        1.3.6.1.2.1.236.1.2             ro
vmTableLastChange               1.3.6.1.2.1.236.1.3             ro
vmTable                         1.3.6.1.2.1.236.1.4             na
vmEntry                         1.3.6.1.2.1.236.1.4.1           na
vmIndex                         1.3.6.1.2.1.236.1.4.1.1         na
vmName                          1.3.6.1.2.1.236.1.4.1.2         ro
vmUUID                          1.3.6.1.2.1.236.1.4.1.3         ro
vmOSType                        1.3.6.1.2.1.236.1.4.1.4         ro
vmAdminState                    1.3.6.1.2.1.236.1.4.1.5         ro
vmOperState                     1.3.6.1.2.1.236.1.4.1.6         ro
vmAutoStart                     1.3.6.1.2.1.236.1.4.1.7         ro
vmPersistent                    1.3.6.1.2.1.236.1.4.1.8         ro
vmCurCpuNumber                  1.3.6.1.2.1.236.1.4.1.9         ro
vmMinCpuNumber                  1.3.6.1.2.1.236.1.4.1.10        ro
vmMaxCpuNumber                  1.3.6.1.2.1.236.1.4.1.11        ro
vmMemUnit                       1.3.6.1.2.1.236.1.4.1.12        ro
vmCurMem                        1.3.6.1.2.1.236.1.4.1.13        ro
vmMinMem                        1.3.6.1.2.1.236.1.4.1.14        ro
vmMaxMem                        1.3.6.1.2.1.236.1.4.1.15        ro
vmUpTime                        1.3.6.1.2.1.236.1.4.1.16        ro
vmCpuTime                       1.3.6.1.2.1.236.1.4.1.17        ro
vmCpuTable                      1.3.6.1.2.1.236.1.5             na
vmCpuEntry                      1.3.6.1.2.1.236.1.5.1           na
vmCpuIndex                      1.3.6.1.2.1.236.1.5.1.1         na
vmCpuCoreTime                   1.3.6.1.2.1.236.1.5.1.2         ro
vmCpuAffinityTable              1.3.6.1.2.1.236.1.6             na
vmCpuAffinityEntry              1.3.6.1.2.1.236.1.6.1           na
vmCpuPhysIndex                  1.3.6.1.2.1.236.1.6.1.2         na
vmCpuAffinity                   1.3.6.1.2.1.236.1.6.1.3         ro
vmStorageTable                  1.3.6.1.2.1.236.1.7             na
vmStorageEntry                  1.3.6.1.2.1.236.1.7.1           na
vmStorageVmIndex                1.3.6.1.2.1.236.1.7.1.1         na
vmStorageIndex                  1.3.6.1.2.1.236.1.7.1.2         na
vmStorageParent                 1.3.6.1.2.1.236.1.7.1.3         ro
vmStorageSourceType             1.3.6.1.2.1.236.1.7.1.4         ro
vmStorageSourceTypeString       1.3.6.1.2.1.236.1.7.1.5         ro
vmStorageResourceID             1.3.6.1.2.1.236.1.7.1.6         ro
vmStorageAccess                 1.3.6.1.2.1.236.1.7.1.7         ro
vmStorageMediaType              1.3.6.1.2.1.236.1.7.1.8         ro
vmStorageMediaTypeString        1.3.6.1.2.1.236.1.7.1.9         ro
vmStorageSizeUnit               1.3.6.1.2.1.236.1.7.1.10        ro
vmStorageDefinedSize            1.3.6.1.2.1.236.1.7.1.11        ro
vmStorageAllocatedSize          1.3.6.1.2.1.236.1.7.1.12        ro
vmStorageReadIOs                1.3.6.1.2.1.236.1.7.1.13        ro
vmStorageWriteIOs               1.3.6.1.2.1.236.1.7.1.14        ro
vmStorageReadOctets             1.3.6.1.2.1.236.1.7.1.15        ro
vmStorageWriteOctets            1.3.6.1.2.1.236.1.7.1.16        ro
vmStorageReadLatency            1.3.6.1.2.1.236.1.7.1.17        ro
vmStorageWriteLatency           1.3.6.1.2.1.236.1.7.1.18        ro
vmNetworkTable                  1.3.6.1.2.1.236.1.8             na
vmNetworkEntry                  1.3.6.1.2.1.236.1.8.1           na
vmNetworkIndex                  1.3.6.1.2.1.236.1.8.1.1         na
vmNetworkIfIndex                1.3.6.1.2.1.236.1.8.1.2         ro
vmNetworkParent                 1.3.6.1.2.1.236.1.8.1.3         ro
vmNetworkModel                  1.3.6.1.2.1.236.1.8.1.4         ro
vmNetworkPhysAddress            1.3.6.1.2.1.236.1.8.1.5         ro
vmPerVMNotificationsEnabled     1.3.6.1.2.1.236.1.9             rw
vmBulkNotificationsEnabled      1.3.6.1.2.1.236.1.10            rw
vmAffectedVMs                   1.3.6.1.2.1.236.1.11            an
vmRunning                       1.3.6.1.2.1.236.0.1             -
vmShuttingdown                  1.3.6.1.2.1.236.0.2             -
vmShutdown                      1.3.6.1.2.1.236.0.3             -
vmPaused                        1.3.6.1.2.1.236.0.4             -
vmSuspending                    1.3.6.1.2.1.236.0.5             -
vmSuspended                     1.3.6.1.2.1.236.0.6             -
vmResuming                      1.3.6.1.2.1.236.0.7             -
vmMigrating                     1.3.6.1.2.1.236.0.8             -
vmCrashed                       1.3.6.1.2.1.236.0.9             -
vmDeleted                       1.3.6.1.2.1.236.0.10            -
vmBulkRunning                   1.3.6.1.2.1.236.0.11            -
vmBulkShuttingdown              1.3.6.1.2.1.236.0.12            -
vmBulkShutdown                  1.3.6.1.2.1.236.0.13            -
vmBulkPaused                    1.3.6.1.2.1.236.0.14            -
vmBulkSuspending                1.3.6.1.2.1.236.0.15            -
vmBulkSuspended                 1.3.6.1.2.1.236.0.16            -
vmBulkResuming                  1.3.6.1.2.1.236.0.17            -
vmBulkMigrating                 1.3.6.1.2.1.236.0.18            -
vmBulkCrashed                   1.3.6.1.2.1.236.0.19            -
vmBulkDeleted                   1.3.6.1.2.1.236.0.20            -
vmCompliances                   1.3.6.1.2.1.236.2.1             -
vmFullCompliances               1.3.6.1.2.1.236.2.1.1           -
vmReadOnlyCompliances           1.3.6.1.2.1.236.2.1.2           -
vmGroups                        1.3.6.1.2.1.236.2.2             -
vmHypervisorGroup               1.3.6.1.2.1.236.2.2.1           -
vmVirtualMachineGroup           1.3.6.1.2.1.236.2.2.2           -
vmCpuGroup                      1.3.6.1.2.1.236.2.2.3           -
vmCpuAffinityGroup              1.3.6.1.2.1.236.2.2.4           -
vmStorageGroup                  1.3.6.1.2.1.236.2.2.5           -
vmNetworkGroup                  1.3.6.1.2.1.236.2.2.6           -
vmPerVMNotificationOptionalGroup 1.3.6.1.2.1.236.2.2.7          -
vmBulkNotificationsVariablesGroup 1.3.6.1.2.1.236.2.2.8         -
vmBulkNotificationOptionalGroup 1.3.6.1.2.1.236.2.2.9           -
'

# ---------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------

# st MODULES ARGS... : run snmptranslate with our MIB directories;
# stdout in $out, stderr in $err, exit status in $rc.
st() {
    local mods=$1
    shift
    out=$("$SNMPTRANSLATE" -M "$MIBDIRS" -m "$mods" "$@" 2>"$tmpdir/stderr")
    rc=$?
    err=$(cat "$tmpdir/stderr")
}

# True if the last snmptranslate run complained about missing modules or
# unresolved imports.
missing_module_noise() {
    case $err in
        *"Cannot find module"* | *"Did not find"*) return 0 ;;
    esac
    return 1
}

report_run() {
    {
        echo "stdout: $out"
        [ -n "$err" ] && echo "stderr: $err"
        echo "exit status: $rc"
    } | diag
}

# check_td DESC MODULES NAME PATTERN... : every PATTERN (fixed string)
# must occur in the output of "snmptranslate -Td NAME".  Net-SNMP
# separates clause names and values with tabs, hence ${T}.
check_td() {
    local desc=$1 mods=$2 name=$3
    shift 3
    st "$mods" -Td "$name"
    local p missing=
    for p in "$@"; do
        case $out in
            *"$p"*) ;;
            *) missing="$missing [$p]" ;;
        esac
    done
    if [ "$rc" -eq 0 ] && [ -z "$missing" ] && ! missing_module_noise; then
        pass "$desc"
    else
        fail "$desc"
        [ -n "$missing" ] && echo "expected but not found:$missing" | diag
        report_run
    fi
}

# check_not_td DESC MODULES NAME PATTERN : PATTERN must not occur.
check_not_td() {
    local desc=$1 mods=$2 name=$3 p=$4
    st "$mods" -Td "$name"
    case $out in
        *"$p"*) fail "$desc"; report_run ;;
        *)
            if [ "$rc" -eq 0 ] && ! missing_module_noise; then
                pass "$desc"
            else
                fail "$desc"; report_run
            fi
            ;;
    esac
}

# check_eq DESC EXPECTED MODULES ARGS... : stdout must equal EXPECTED.
check_eq() {
    local desc=$1 want=$2 mods=$3
    shift 3
    st "$mods" "$@"
    if [ "$rc" -eq 0 ] && [ "$out" = "$want" ] && ! missing_module_noise; then
        pass "$desc"
    else
        fail "$desc"
        echo "expected: $want" | diag
        report_run
    fi
}

# ---------------------------------------------------------------------
# a) Net-SNMP
# ---------------------------------------------------------------------

echo "# MIB directories: $MIBDIRS"
echo "# $("$SNMPTRANSLATE" -V 2>&1 | head -n 1)"

for f in "$mibdir/VM-MIB.txt" "$mibdir/IANA-STORAGE-MEDIA-TYPE-MIB.txt" \
         "$mibdir/UUID-TC-MIB.txt" "$testmibdir/SNMPv2-SMI.txt" \
         "$testmibdir/SNMPv2-TC.txt" "$testmibdir/SNMPv2-CONF.txt" \
         "$testmibdir/SNMP-FRAMEWORK-MIB.txt" "$testmibdir/IF-MIB.txt"; do
    if [ -r "$f" ]; then
        pass "file present: ${f#"$top"/}"
    else
        fail "file present: ${f#"$top"/}"
    fi
done

# Loading VM-MIB (and everything it imports) must be completely silent.
st VM-MIB -On VM-MIB::vmMIB
if [ "$rc" -eq 0 ] && [ -z "$err" ]; then
    pass "snmptranslate loads VM-MIB and its imports without any message"
else
    fail "snmptranslate loads VM-MIB and its imports without any message"
    report_run
fi

# Every name -> numeric OID, and MAX-ACCESS of every OBJECT-TYPE.
count=0
while read -r name oid access; do
    [ -n "$name" ] || continue
    count=$((count + 1))
    check_eq "VM-MIB::$name is .$oid" ".$oid" VM-MIB -On "VM-MIB::$name"
    case $access in
        ro) acc=read-only ;;
        rw) acc=read-write ;;
        na) acc=not-accessible ;;
        an) acc=accessible-for-notify ;;
        *) continue ;;
    esac
    check_td "VM-MIB::$name is $acc" VM-MIB "VM-MIB::$name" \
        "MAX-ACCESS${T}$acc"
done <<EOF
$expected
EOF
echo "# $count names checked against RFC 7666 OIDs"

# Reverse translations.
check_eq "numeric .1.3.6.1.2.1.236.1.4.1.6 -> VM-MIB::vmOperState" \
    "VM-MIB::vmOperState" VM-MIB .1.3.6.1.2.1.236.1.4.1.6
check_eq "numeric .1.3.6.1.2.1.236.0.13 -> VM-MIB::vmBulkShutdown" \
    "VM-MIB::vmBulkShutdown" VM-MIB .1.3.6.1.2.1.236.0.13
check_eq "instance .1.3.6.1.2.1.236.1.6.1.3.1.2.196608 -> vmCpuAffinity.1.2.196608" \
    "VM-MIB::vmCpuAffinity.1.2.196608" VM-MIB .1.3.6.1.2.1.236.1.6.1.3.1.2.196608
check_eq "-Of of .1.3.6.1.2.1.236.1.7.1.8 names the full path" \
    ".iso.org.dod.internet.mgmt.mib-2.vmMIB.vmObjects.vmStorageTable.vmStorageEntry.vmStorageMediaType" \
    VM-MIB -Of .1.3.6.1.2.1.236.1.7.1.8
check_eq "-Of of .1.3.6.1.2.1.236.2.2.8 names the full path" \
    ".iso.org.dod.internet.mgmt.mib-2.vmMIB.vmConformance.vmGroups.vmBulkNotificationsVariablesGroup" \
    VM-MIB -Of .1.3.6.1.2.1.236.2.2.8
check_eq "-IR vmCpuPhysIndex -> .1.3.6.1.2.1.236.1.6.1.2" \
    ".1.3.6.1.2.1.236.1.6.1.2" VM-MIB -IR -On vmCpuPhysIndex
check_eq "-IR vmAffectedVMs.0 -> .1.3.6.1.2.1.236.1.11.0" \
    ".1.3.6.1.2.1.236.1.11.0" VM-MIB -IR -On vmAffectedVMs.0
check_eq "-IR ianaStorageMediaTypeMIB -> .1.3.6.1.2.1.237" \
    ".1.3.6.1.2.1.237" VM-MIB -IR -On ianaStorageMediaTypeMIB
check_eq "-IR uuidTCMIB -> .1.3.6.1.2.1.217" \
    ".1.3.6.1.2.1.217" VM-MIB -IR -On uuidTCMIB

# Enumerations (RFC 7666 values, not draft-05's).
check_td "vmOperState enumeration is the RFC 7666 one" VM-MIB VM-MIB::vmOperState \
    "unknown(1), other(2), preparing(3), running(4), suspending(5), suspended(6), resuming(7), paused(8), migrating(9), shuttingdown(10), shutdown(11), crashed(12)}"
check_not_td "vmOperState has no draft-era blocked state" VM-MIB VM-MIB::vmOperState \
    "blocked"
check_td "vmAdminState enumeration is running(1)..shutdown(4)" VM-MIB VM-MIB::vmAdminState \
    "{running(1), suspended(2), paused(3), shutdown(4)}"
check_td "vmAutoStart uses enabled(2)/disabled(3)" VM-MIB VM-MIB::vmAutoStart \
    "{unknown(1), enabled(2), disabled(3)}"
check_td "vmPersistent enumeration" VM-MIB VM-MIB::vmPersistent \
    "{unknown(1), persistent(2), transient(3)}"
check_td "vmCpuAffinity enumeration includes unknown(0)" VM-MIB VM-MIB::vmCpuAffinity \
    "{unknown(0), enable(1), disable(2)}"
check_td "vmStorageSourceType enumeration" VM-MIB VM-MIB::vmStorageSourceType \
    "{unknown(1), other(2), block(3), raw(4), sparse(5), network(6)}"
check_td "vmStorageAccess has unknown(1), readwrite(2), readonly(3)" VM-MIB VM-MIB::vmStorageAccess \
    "{unknown(1), readwrite(2), readonly(3)}"
check_td "vmStorageMediaType uses IANAStorageMediaType incl. floppyDisk(5)" VM-MIB VM-MIB::vmStorageMediaType \
    "TEXTUAL CONVENTION IANAStorageMediaType" \
    "{other(1), unknown(2), hardDisk(3), opticalDisk(4), floppyDisk(5)}"

# Other syntax details.
check_td "vmUUID is UUIDorZero (SIZE 0|16) with the UUID display hint" VM-MIB VM-MIB::vmUUID \
    "TEXTUAL CONVENTION UUIDorZero" "(0 | 16)" "DISPLAY-HINT${T}\"4x-2x-2x-1x1x-6x\""
check_td "vmAffectedVMs is VirtualMachineList with DISPLAY-HINT \"1x\"" VM-MIB VM-MIB::vmAffectedVMs \
    "TEXTUAL CONVENTION VirtualMachineList" "DISPLAY-HINT${T}\"1x\""
check_td "vmCpuTime is Counter64 in microseconds" VM-MIB VM-MIB::vmCpuTime \
    "SYNTAX${T}Counter64" "UNITS${T}${T}\"microsecond\""
check_td "vmCpuCoreTime is Counter64 in microseconds" VM-MIB VM-MIB::vmCpuCoreTime \
    "SYNTAX${T}Counter64" "UNITS${T}${T}\"microsecond\""
check_td "vmMinMem allows -1" VM-MIB VM-MIB::vmMinMem "(-1 | 0..2147483647)"
check_td "vmNetworkIfIndex is InterfaceIndexOrZero" VM-MIB VM-MIB::vmNetworkIfIndex \
    "TEXTUAL CONVENTION InterfaceIndexOrZero"
check_td "vmNetworkPhysAddress is PhysAddress" VM-MIB VM-MIB::vmNetworkPhysAddress \
    "TEXTUAL CONVENTION PhysAddress"
check_td "vmName is SnmpAdminString (SIZE 0..255)" VM-MIB VM-MIB::vmName \
    "TEXTUAL CONVENTION SnmpAdminString" "(0..255)"

# Indexes.
check_td "vmEntry INDEX { vmIndex }" VM-MIB VM-MIB::vmEntry \
    "INDEX${T}${T}{ vmIndex }"
check_td "vmCpuEntry INDEX { vmIndex, vmCpuIndex }" VM-MIB VM-MIB::vmCpuEntry \
    "INDEX${T}${T}{ vmIndex, vmCpuIndex }"
check_td "vmCpuAffinityEntry INDEX { vmIndex, vmCpuIndex, vmCpuPhysIndex }" VM-MIB VM-MIB::vmCpuAffinityEntry \
    "INDEX${T}${T}{ vmIndex, vmCpuIndex, vmCpuPhysIndex }"
check_td "vmStorageEntry INDEX { vmStorageVmIndex, vmStorageIndex }" VM-MIB VM-MIB::vmStorageEntry \
    "INDEX${T}${T}{ vmStorageVmIndex, vmStorageIndex }"
check_td "vmNetworkEntry INDEX { vmIndex, vmNetworkIndex }" VM-MIB VM-MIB::vmNetworkEntry \
    "INDEX${T}${T}{ vmIndex, vmNetworkIndex }"

# Notification objects.
for n in vmRunning vmShuttingdown vmShutdown vmPaused vmSuspending \
         vmSuspended vmResuming vmMigrating vmCrashed; do
    check_td "$n OBJECTS { vmName, vmUUID, vmOperState }" VM-MIB "VM-MIB::$n" \
        "OBJECTS${T}{ vmName, vmUUID, vmOperState }"
done
check_td "vmDeleted OBJECTS { vmName, vmUUID, vmOperState, vmPersistent }" VM-MIB VM-MIB::vmDeleted \
    "OBJECTS${T}{ vmName, vmUUID, vmOperState, vmPersistent }"
for n in vmBulkRunning vmBulkShuttingdown vmBulkShutdown vmBulkPaused \
         vmBulkSuspending vmBulkSuspended vmBulkResuming vmBulkMigrating \
         vmBulkCrashed vmBulkDeleted; do
    check_td "$n OBJECTS { vmAffectedVMs }" VM-MIB "VM-MIB::$n" \
        "OBJECTS${T}{ vmAffectedVMs }"
done

# Test-only base modules, as later tests use them.
check_eq "IF-MIB::ifDescr is .1.3.6.1.2.1.2.2.1.2" \
    ".1.3.6.1.2.1.2.2.1.2" IF-MIB -On IF-MIB::ifDescr
check_eq "IF-MIB::ifName is .1.3.6.1.2.1.31.1.1.1.1" \
    ".1.3.6.1.2.1.31.1.1.1.1" IF-MIB -On IF-MIB::ifName
check_eq "numeric ifDescr.2 -> IF-MIB::ifDescr.2" \
    "IF-MIB::ifDescr.2" IF-MIB .1.3.6.1.2.1.2.2.1.2.2
check_eq "SNMPv2-SMI::zeroDotZero is .0.0" ".0.0" SNMPv2-SMI -On SNMPv2-SMI::zeroDotZero
check_eq "SNMP-FRAMEWORK-MIB::snmpFrameworkMIB is .1.3.6.1.6.3.10" \
    ".1.3.6.1.6.3.10" SNMP-FRAMEWORK-MIB -On SNMP-FRAMEWORK-MIB::snmpFrameworkMIB

# Net-SNMP's own MIBs (if installed) must find what they need from the
# test-only base modules.
netsnmp_mibdir=/usr/share/snmp/mibs
for m in NET-SNMP-AGENT-MIB NET-SNMP-EXTEND-MIB NET-SNMP-TC; do
    if [ -r "$netsnmp_mibdir/$m.txt" ]; then
        out=$("$SNMPTRANSLATE" -M "$MIBDIRS:$netsnmp_mibdir" -m "$m:VM-MIB" \
              -On VM-MIB::vmMIB 2>"$tmpdir/stderr")
        rc=$?
        err=$(cat "$tmpdir/stderr")
        if [ "$rc" -eq 0 ] && [ -z "$err" ]; then
            pass "$m loads together with VM-MIB without any message"
        else
            fail "$m loads together with VM-MIB without any message"
            report_run
        fi
    else
        skip "$m loads together with VM-MIB" "$netsnmp_mibdir/$m.txt not installed"
    fi
done

# ---------------------------------------------------------------------
# b) libsmi
# ---------------------------------------------------------------------

if command -v "$SMILINT" >/dev/null 2>&1; then
    echo "# $("$SMILINT" -V 2>&1 | head -n 1)"
    # SMIPATH without a leading or trailing ':' replaces the search path
    # from /etc/smi.conf, so only our directories are used.
    for f in "$mibdir/VM-MIB.txt" "$mibdir/IANA-STORAGE-MEDIA-TYPE-MIB.txt" \
             "$mibdir/UUID-TC-MIB.txt"; do
        base=${f##*/}
        # Errors: smilint's severity levels 0-3.
        lint=$(SMIPATH="$MIBDIRS" "$SMILINT" -l 3 -s -m "$f" 2>&1)
        errors=$(printf '%s\n' "$lint" | grep -E '\[[0-3]\]')
        other=$(printf '%s\n' "$lint" | grep -vE '\[[0-3]\]' | grep -v '^$')
        if [ -z "$errors" ] && [ -z "$other" ]; then
            pass "smilint -l 3 reports no errors for $base"
        else
            fail "smilint -l 3 reports no errors for $base"
            printf '%s\n' "$lint" | diag
        fi
        # Warnings (levels 4-6) are shown but do not fail the check.
        warnings=$(SMIPATH="$MIBDIRS" "$SMILINT" -l 6 -s -m "$f" 2>&1 |
                   grep -E '\[[4-6]\]')
        if [ -n "$warnings" ]; then
            echo "# smilint warnings for $base (not failures):"
            printf '%s\n' "$warnings" | diag
        fi
    done
    # The test-only base modules must at least be error-free.
    for f in "$testmibdir"/*.txt; do
        base=${f##*/}
        lint=$(SMIPATH="$MIBDIRS" "$SMILINT" -l 3 -s -m "$f" 2>&1)
        if [ -z "$lint" ]; then
            pass "smilint -l 3 reports no errors for tests/mibs/$base"
        else
            fail "smilint -l 3 reports no errors for tests/mibs/$base"
            printf '%s\n' "$lint" | diag
        fi
    done
else
    skip "smilint checks" "$SMILINT not found (Debian package: smitools)"
fi

summary
[ "$failed" -eq 0 ]
