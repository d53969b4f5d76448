#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
"""Print the metric names that a Prometheus rules file's expressions select,
one a line, sorted: the names an exporter must produce for the rules to
work.  Names with a colon are left out: by Prometheus's naming convention
they are recorded by rules, not scraped.

    prometheus-rule-metrics.py RULES.yml

Used by tests/check-prometheus-rules.sh and tests/integration/exporter.sh."""
import re
import sys

import yaml

# PromQL words that look like names but select nothing
KEYWORDS = {'and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on',
            'ignoring', 'group_left', 'group_right', 'inf', 'nan'}
STRIP = [
    (r'"(?:[^"\\]|\\.)*"', '""'),        # string literals
    (r'\{[^}]*\}', ''),                  # label matchers
    (r'\[[^\]]*\]', ''),                 # range and subquery durations
    (r'\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)', ' '),
]
NAME = re.compile(r'(?<![\w.:])([A-Za-z_:][\w:]*)(\s*\()?')


def metric_names(expr):
    for pattern, repl in STRIP:
        expr = re.sub(pattern, repl, expr)
    for name, call in NAME.findall(expr):
        if not call and name not in KEYWORDS and ':' not in name:
            yield name


def main(path):
    with open(path, encoding='utf-8') as f:
        groups = yaml.safe_load(f)['groups']
    names = {n for g in groups for r in g['rules'] for n in metric_names(r['expr'])}
    print('\n'.join(sorted(names)))


if __name__ == '__main__':
    main(*sys.argv[1:])
