#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# Regenerate snmp.yml from generator.yml with Debian's prometheus-snmp-generator
# (package prometheus-snmp-exporter, 0.21; it reads generator.yml from the
# current directory).  MIBs: VM-MIB and the two modules it imports that
# Debian lacks from mibs/, the IETF base modules from tests/mibs/ (minimal
# copies written for this project; Debian ships none of them).
#   contrib/snmp_exporter/generate.sh [OUTPUT]     (default: snmp.yml here)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$here/snmp.yml}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
cd "$here"
# The generator's output is vm-mib's, so it gets the license line first.
MIBDIRS="$top/mibs:$top/tests/mibs" prometheus-snmp-generator --log.level=warn \
    --fail-on-parse-errors generate -o "$out.tmp"
{ echo "# SPDX-License-Identifier: BSD-3-Clause"; cat "$out.tmp"; } > "$out"
rm -f "$out.tmp"
