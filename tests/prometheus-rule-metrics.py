#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
"""Print the metric names that a Prometheus rules file's expressions select,
one a line, sorted: the names an exporter must produce for the rules to
work.  Names with a colon are left out: by Prometheus's naming convention
they are recorded by rules, not scraped.

    prometheus-rule-metrics.py RULES.yml

Reads the expressions as vm-mib's rules file writes them (expr: on one
line, or a folded block scalar under it) without a YAML library.  Used by
tests/check-prometheus-rules.sh and tests/integration/exporter.sh."""
import re
import sys

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
EXPR = re.compile(r'^( *)(?:- )?expr: *(.*)$')


def expressions(lines):
    """Each rule's expr: its one line, or the more indented lines under a
    block scalar indicator (>-, >, |, |-)."""
    for i, line in enumerate(lines):
        m = EXPR.match(line)
        if not m:
            continue
        indent, value = len(m.group(1)), m.group(2).strip()
        if value in ('>', '>-', '|', '|-'):
            block = []
            for nxt in lines[i + 1:]:
                if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= indent:
                    break
                block.append(nxt.strip())
            yield ' '.join(block)
        else:
            yield value.strip('\'"')


def metric_names(expr):
    for pattern, repl in STRIP:
        expr = re.sub(pattern, repl, expr)
    for name, call in NAME.findall(expr):
        if not call and name not in KEYWORDS and ':' not in name:
            yield name


def main(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    names = {n for e in expressions(lines) for n in metric_names(e)}
    print('\n'.join(sorted(names)))


if __name__ == '__main__':
    main(*sys.argv[1:])
