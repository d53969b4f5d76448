#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
"""Split demo/node.xml into one domain XML per machine for `virsh define`,
and print "name state" lines (the <test:runstate> the node gives it:
running, paused, shutoff, saved) so the demo can set the states with virsh."""
import os
import sys
import xml.etree.ElementTree as ET

TEST_NS = "{http://libvirt.org/schemas/domain/test/1.0}"
STATES = {"1": "running", "3": "paused", "5": "shutoff"}


def main(node_file, out_dir):
    root = ET.parse(node_file).getroot()
    for dom in root.findall("domain"):
        name = dom.findtext("name")
        state = STATES.get(dom.findtext(TEST_NS + "runstate", "1"), "running")
        if dom.find(TEST_NS + "hasmanagedsave") is not None:
            state = "saved"
        for child in list(dom):
            if child.tag.startswith(TEST_NS):
                dom.remove(child)
        ET.ElementTree(dom).write(os.path.join(out_dir, name + ".xml"), encoding="unicode")
        print(name, state)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
