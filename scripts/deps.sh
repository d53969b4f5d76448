#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Install what vm-mib needs to build and test, if anything is missing.
# Debian 12, as root.  Package services are not started (policy-rc.d), so no
# stray system snmpd appears; the tests start their own daemons.
# Usage: scripts/deps.sh [TIER...]   (default: all)
#   build        compile the module and the unit tests
#   check        build + make check's static checks (fast tier)
#   integration  check + make check-integration (snmpd, libvirtd, QEMU, LXC)
#   tools        check + make check-tools (Zabbix, Prometheus, snmptt)
#   demo         build + demo/demo.sh
#   package      build + tests/package/package.sh
#   all          every tier (what ./test.sh runs)
set -e

BUILD="autoconf automake libtool pkg-config make gcc
libsnmp-dev libvirt-dev libxml2-dev check"
CHECK="$BUILD git python3 snmp smitools man-db groff-base prometheus"
DAEMONS="snmpd snmp snmptrapd libvirt-clients libvirt-daemon iproute2 procps python3"
INTEGRATION="$CHECK $DAEMONS
libvirt-daemon-system libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils
libvirt-daemon-driver-lxc"
TOOLS="$CHECK $DAEMONS prometheus-snmp-exporter snmptt
postgresql zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli"
DEMO="$BUILD $DAEMONS"
PACKAGE="$BUILD git snmpd snmp man-db groff-base dpkg-dev lintian"

PACKAGES=""
for tier in ${*:-all}; do
    case $tier in
        build) PACKAGES="$PACKAGES $BUILD" ;;
        check) PACKAGES="$PACKAGES $CHECK" ;;
        integration) PACKAGES="$PACKAGES $INTEGRATION" ;;
        tools) PACKAGES="$PACKAGES $TOOLS" ;;
        demo) PACKAGES="$PACKAGES $DEMO" ;;
        package) PACKAGES="$PACKAGES $PACKAGE" ;;
        all) PACKAGES="$PACKAGES $INTEGRATION $TOOLS $DEMO $PACKAGE" ;;
        *) echo "usage: $0 [build|check|integration|tools|demo|package|all]..." >&2; exit 2 ;;
    esac
done
PACKAGES=$(echo $PACKAGES | tr ' ' '\n' | sort -u)

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages:$missing (run as root to install them)" >&2
    exit 1
fi
echo "installing:$missing"
policy=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && own_policy=1
fi
trap '[ -n "$own_policy" ] && rm -f "$policy"' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 $missing
