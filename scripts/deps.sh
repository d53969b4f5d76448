#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Install what vm-mib needs to build and test, if anything is missing.
# Debian 12, as root.  Package services are not started (policy-rc.d), so no
# stray system snmpd appears; the tests start their own daemons.
set -e

PACKAGES="autoconf automake libtool pkg-config make gcc
libsnmp-dev libvirt-dev libxml2-dev check
snmpd snmp snmptrapd libvirt-clients libvirt-daemon smitools iproute2 procps
python3 prometheus-snmp-exporter prometheus man-db groff-base dpkg-dev lintian
libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-daemon-driver-lxc qemu-system-x86 qemu-utils
postgresql zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli"

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
