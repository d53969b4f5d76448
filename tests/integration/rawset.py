#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""rawset.py PORT COMMUNITY OID INTEGER: an SNMPv2c SetRequest whose one
varbind is INTEGER encoded in as many octets as it needs (minimal two's
complement, up to 8), which snmpset will not send (it truncates to 32 bits
before encoding).  Prints the response as
    error-status error-index OID = INTEGER VALUE
(the varbind as the agent echoes it; other types as TYPE-BYTE hex), or
"no response" after two seconds."""
import socket
import sys


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(ln)]) + ln + body


def integer(v):
    n = 1
    while not -(1 << (8 * n - 1)) <= v < (1 << (8 * n - 1)):
        n += 1
    return tlv(0x02, v.to_bytes(n, "big", signed=True))


def oid(text):
    arcs = [int(a) for a in text.strip(".").split(".")]
    body = bytes([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        while a > 0x7F:
            a >>= 7
            chunk.insert(0, 0x80 | (a & 0x7F))
        body += bytes(chunk)
    return tlv(0x06, body)


def parse(data, pos):
    """(tag, body, next position) of the TLV at pos."""
    tag, n = data[pos], data[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[pos:pos + k], "big")
        pos += k
    return tag, data[pos:pos + n], pos + n


def oid_text(body):
    arcs, a = [body[0] // 40, body[0] % 40], 0
    for b in body[1:]:
        a = (a << 7) | (b & 0x7F)
        if not b & 0x80:
            arcs.append(a)
            a = 0
    return "." + ".".join(map(str, arcs))


def main():
    port, community, name, value = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    varbind = tlv(0x30, oid(name) + integer(value))
    pdu = tlv(0xA3, integer(4711) + integer(0) + integer(0) + tlv(0x30, varbind))
    msg = tlv(0x30, integer(1) + tlv(0x04, community.encode()) + pdu)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(msg, ("127.0.0.1", int(port)))
    try:
        data = s.recv(65535)
    except socket.timeout:
        print("no response")
        return
    _, msg_body, _ = parse(data, 0)
    _, _, pos = parse(msg_body, 0)                  # version
    _, _, pos = parse(msg_body, pos)                # community
    _, pdu_body, _ = parse(msg_body, pos)
    _, _, pos = parse(pdu_body, 0)                  # request-id
    _, status, pos = parse(pdu_body, pos)
    _, index, pos = parse(pdu_body, pos)
    _, vbl, _ = parse(pdu_body, pos)
    _, vb, _ = parse(vbl, 0)
    _, vname, pos = parse(vb, 0)
    vtag, vval, _ = parse(vb, pos)
    shown = (f"INTEGER {int.from_bytes(vval, 'big', signed=True)}" if vtag == 0x02
             else f"{vtag:02X} {vval.hex()}")
    print(f"{int.from_bytes(status, 'big')} {int.from_bytes(index, 'big')} "
          f"{oid_text(vname)} = {shown}")


main()
