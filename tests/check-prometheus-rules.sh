#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# check-prometheus-rules.sh - check contrib/prometheus/vm-mib.rules.yml.
#
#  a) promtool check rules accepts it, with nothing on stderr;
#  b) every VM-MIB or sysUpTime name its expressions use is a metric or a
#     label that contrib/snmp_exporter/snmp.yml really produces, and every
#     metric they select is a name the exporter gives it (EnumAsInfo
#     objects as NAME_info, regex_extracts as NAME + suffix);
#  c) every recording rule and every alert is exercised by the unit tests
#     in vm-mib.rules.test.yml, so that a new rule cannot ship untested;
#  d) promtool test rules passes those unit tests;
#  e) every alert has a runbook_url annotation, a path in this tree and an
#     #anchor that is one of that file's headings (as GitHub and GitLab
#     make anchors of Markdown headings).
# The rules against a real Prometheus, snmp_exporter and snmpd:
# tests/integration/exporter.sh.
#
# Output: one "ok - ..." / "not ok - ..." line per check and a final
# "N passed, N failed, N skipped" line.  Exits 1 if any check failed, 77
# (automake "skipped") if promtool is not installed.
#
# Environment: abs_top_srcdir (default: this script's parent directory).

set -u

top=${abs_top_srcdir:-$(dirname "$0")/..}
top=$(cd "$top" 2>/dev/null && pwd) || { echo "# cannot enter $top"; exit 99; }
dir=$top/contrib/prometheus
rules=$dir/vm-mib.rules.yml
tests=$dir/vm-mib.rules.test.yml
snmp_yml=$top/contrib/snmp_exporter/snmp.yml

. "$(dirname "$0")/checks.sh"

if ! command -v promtool >/dev/null 2>&1; then
    echo "# SKIP: promtool not found (Debian package: prometheus)"
    skipped=1
    summary
    exit 77
fi

# a)
out=$(promtool check rules "$rules")
rc=$?
err=$(promtool check rules "$rules" 2>&1 >/dev/null)
records=$(sed -n 's/^ *- record: *//p' "$rules")
alerts=$(sed -n 's/^ *- alert: *//p' "$rules")
nrules=$(( $(echo "$records" | grep -c .) + $(echo "$alerts" | grep -c .) ))
if [ $rc -eq 0 ] && [ -z "$err" ] &&
   printf '%s\n' "$out" | grep -qx "  SUCCESS: $nrules rules found"; then
    pass "promtool check rules: $nrules rules, no warning"
else
    fail "promtool check rules: $nrules rules, no warning"
    printf '%s\n%s\n' "$out" "$err" | diag
fi

# b) names in expr: lines and the folded lines under them, comments
# dropped (annotations may mention anything)
names=$(awk '{ sub(/#.*/, "") }
             /^ *(expr|record|alert|labels|annotations|- )/ { in_expr = 0 }
             /^ *expr:/ { in_expr = 1 }
             in_expr' "$rules" | grep -oE '\b(vm|sys)[A-Za-z]+\b' | sort -u)
known=$( (sed -n 's/^ *- name: *//p; s/^ *-\{0,1\} *labelname: *//p' "$snmp_yml") | sort -u)
check "every VM-MIB/sysUpTime name in the rules' expressions is in snmp.yml" \
    "$(comm -23 <(printf '%s\n' "$names") <(printf '%s\n' "$known"))"
# the names snmp.yml's metrics come out as (its layout: metrics at "  - name:",
# their keys at 4 spaces, regex_extracts' suffixes at 6)
exported=$(awk '
    function out() {
        if (name == "") return
        if (suffixes != "") print suffixes
        else if (type == "EnumAsInfo") print name "_info"
        else print name
        name = ""
    }
    /^[^ ]/ || /^  [a-z]/ { out() }
    /^  - name: / { out(); name = $3; type = ""; suffixes = ""; ext = 0; next }
    /^    [a-z_]+:/ { ext = ($1 == "regex_extracts:") }
    /^    type: / { type = $2 }
    ext && /^      [A-Za-z_][A-Za-z0-9_]*:$/ {
        s = $1; sub(/:$/, "", s); suffixes = suffixes (suffixes == "" ? "" : "\n") name s
    }
    END { out() }' "$snmp_yml")
check "every metric the rules select is one snmp.yml exports" \
    "$(comm -23 <("$top/tests/prometheus-rule-metrics.py" "$rules") <(printf '%s\n' "$exported" | sort -u))"

# c)
tested_exprs=$(sed -n 's/^ *- expr: *//p' "$tests")
tested_alerts=$(sed -n 's/^ *alertname: *//p' "$tests" | sort -u)
check "every recording rule is queried in vm-mib.rules.test.yml" \
    "$(for r in $records; do grep -qF "$r" <<< "$tested_exprs" || echo "$r"; done)"
check "every alert has alert_rule_test cases in vm-mib.rules.test.yml" \
    "$(comm -23 <(printf '%s\n' "$alerts" | sort -u) <(printf '%s\n' "$tested_alerts"))"

# d) (rule_files is relative to the test file)
out=$(promtool test rules "$tests" 2>&1)
if [ $? -eq 0 ] && printf '%s\n' "$out" | grep -qx '  SUCCESS'; then
    pass "promtool test rules vm-mib.rules.test.yml"
else
    fail "promtool test rules vm-mib.rules.test.yml"
    printf '%s\n' "$out" | diag
fi

# e) anchors as GitHub makes them: lower case, punctuation but - and _
# dropped, spaces to -
# (one "ALERT URL" line per alert, URL "-" when it has none)
urls=$(awk '
    function out() { if (alert != "") print alert, (url == "" ? "-" : url); alert = "" }
    /^ *- (alert|record):/ { out() }
    /^ *- alert: / { alert = $3; url = "" }
    /^ *runbook_url: / { url = $2 }
    END { out() }' "$rules")
check "every alert has a runbook_url" "$(awk '$2 == "-" { print $1 }' <<< "$urls")"
check "every runbook_url is a heading of a file in the tree" \
    "$(while read -r alert url; do
        [ "$url" = - ] && continue
        file=${url%%#*} anchor=${url#*#}
        if [ "$file" = "$url" ] || [ ! -f "$top/$file" ]; then echo "$alert: $url: no file#anchor"; continue; fi
        sed -n 's/^#\{1,6\} \{1,\}//p' "$top/$file" | tr '[:upper:]' '[:lower:]' |
            sed 's/[^a-z0-9 _-]//g; s/ /-/g' | grep -qxF -- "$anchor" ||
            echo "$alert: $url: no such heading"
    done <<< "$urls")"

summary
[ "$failed" -eq 0 ]
