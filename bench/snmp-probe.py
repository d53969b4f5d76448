#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
"""Latency probe for bench/responsiveness.sh: SNMPv2c GETs at a fixed pace.

Usage: snmp-probe.py HOST PORT SECONDS STREAM...
  STREAM = NAME:OID:INTERVAL_MS:TIMEOUT_MS, e.g.
           probe:1.3.6.1.2.1.1.3.0:20:2000 vmmib:1.3.6.1.2.1.236.1.2.0:200:12000

Python standard library only: one UDP socket per stream, GetRequest PDUs
encoded by hand (BER), responses matched by request-id.  Each stream sends
one GET every INTERVAL ms (on a fixed schedule, not after the previous
answer) for SECONDS seconds, never retransmits, and counts a request as a
timeout when no answer came within TIMEOUT ms; an answer after that counts
as "late" and not as a latency sample.  After SECONDS it stops sending and
waits for the outstanding requests (at most the longest TIMEOUT).

Prints one line per stream:
  NAME sent answered timeouts late errors p50_ms p99_ms max_ms last_value
("-" where there is no sample; errors = answers with an error-status or an
exception value such as noSuchObject; last_value = the last INTEGER,
Gauge32 or TimeTicks value answered).  SIGTERM stops it early, still
printing what it has.
"""

import math
import random
import select
import signal
import socket
import sys
import time


# ------------------------------------------------------------------ BER

def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + enc_len(len(content)) + content


def enc_int(v):
    n = max(1, (v.bit_length() + 8) // 8)       # room for the sign bit
    return tlv(0x02, v.to_bytes(n, "big", signed=True))


def enc_oid(dotted):
    arcs = [int(a) for a in dotted.strip(".").split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def get_request(community, reqid, oid):
    varbind = tlv(0x30, enc_oid(oid) + b"\x05\x00")
    pdu = tlv(0xA0, enc_int(reqid) + enc_int(0) + enc_int(0) + tlv(0x30, varbind))
    return tlv(0x30, enc_int(1) + tlv(0x04, community) + pdu)      # version 1 = v2c


def dec_tlv(buf, pos):
    """(tag, content start, content end) of the TLV at pos."""
    tag = buf[pos]
    n = buf[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(buf[pos:pos + k], "big")
        pos += k
    if pos + n > len(buf):
        raise ValueError("truncated")
    return tag, pos, pos + n


def parse_response(buf):
    """(request-id, error, value or None) of a GetResponse."""
    tag, p, end = dec_tlv(buf, 0)                     # Message SEQUENCE
    _, p0, p = dec_tlv(buf, p)                        # version
    _, p0, p = dec_tlv(buf, p)                        # community
    tag, p, end = dec_tlv(buf, p)                     # PDU
    if tag != 0xA2:
        raise ValueError("not a GetResponse")
    _, s, p = dec_tlv(buf, p)
    reqid = int.from_bytes(buf[s:p], "big", signed=True)
    _, s, p = dec_tlv(buf, p)
    errstat = int.from_bytes(buf[s:p], "big")
    _, s, p = dec_tlv(buf, p)                         # error-index
    _, p, _ = dec_tlv(buf, p)                         # varbind list
    _, p, _ = dec_tlv(buf, p)                         # first varbind
    _, s, p = dec_tlv(buf, p)                         # name
    vtag, s, e = dec_tlv(buf, p)                      # value
    value = None
    if vtag in (0x02, 0x41, 0x42, 0x43):              # INTEGER, Counter32, Gauge32, TimeTicks
        value = int.from_bytes(buf[s:e], "big", signed=(vtag == 0x02))
    error = errstat != 0 or vtag in (0x80, 0x81, 0x82)
    return reqid, error, value


# ------------------------------------------------------------------ probe

class Stream:
    def __init__(self, spec, addr):
        name, oid, interval, timeout = spec.rsplit(":", 3)
        self.name, self.oid = name, oid
        self.interval = float(interval) / 1000
        self.timeout = float(timeout) / 1000
        self.addr = addr
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.next_id = random.randint(1, 1 << 30)
        self.pending = {}            # request-id -> send time
        self.expired = set()         # request-ids that timed out
        self.sent = self.timeouts = self.late = self.errors = 0
        self.lat = []                # ms
        self.last = None
        self.next_send = None

    def send(self, now):
        rid = self.next_id
        self.next_id = (self.next_id + 1) & 0x7FFFFFFF or 1
        try:
            self.sock.sendto(get_request(b"public", rid, self.oid), self.addr)
        except OSError:
            pass                     # counted as a timeout below
        self.pending[rid] = now
        self.sent += 1

    def receive(self, now):
        while True:
            try:
                buf = self.sock.recv(65535)
            except (BlockingIOError, InterruptedError):
                return
            try:
                rid, error, value = parse_response(buf)
            except (ValueError, IndexError):
                continue
            t = self.pending.pop(rid, None)
            if t is None:
                if rid in self.expired:
                    self.expired.discard(rid)
                    self.late += 1
                continue
            self.lat.append((now - t) * 1000)
            if error:
                self.errors += 1
            elif value is not None:
                self.last = value

    def expire(self, now):
        for rid, t in list(self.pending.items()):
            if now - t >= self.timeout:
                del self.pending[rid]
                self.expired.add(rid)
                self.timeouts += 1

    def report(self):
        lat = sorted(self.lat)

        def pct(p):
            return "%.1f" % lat[max(0, math.ceil(p * len(lat)) - 1)] if lat else "-"
        return "%s %d %d %d %d %d %s %s %s %s" % (
            self.name, self.sent, len(lat), self.timeouts, self.late, self.errors,
            pct(0.50), pct(0.99), "%.1f" % lat[-1] if lat else "-",
            "-" if self.last is None else self.last)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    addr = (sys.argv[1], int(sys.argv[2]))
    seconds = float(sys.argv[3])
    streams = [Stream(spec, addr) for spec in sys.argv[4:]]
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))

    start = time.monotonic()
    send_end = start + seconds
    hard_end = send_end + max(s.timeout for s in streams) + 0.1
    for s in streams:
        s.next_send = start
    socks = {s.sock: s for s in streams}
    while not stop:
        now = time.monotonic()
        sending = now < send_end
        for s in streams:
            s.expire(now)
            if sending:
                while s.next_send <= now:      # fixed schedule; a late loop catches up
                    s.send(now)
                    s.next_send += s.interval
        if not sending and (now >= hard_end or not any(s.pending for s in streams)):
            break
        wake = [hard_end]
        for s in streams:
            if sending:
                wake.append(s.next_send)
            if s.pending:
                wake.append(min(s.pending.values()) + s.timeout)
        delay = max(0.0, min(wake) - now)
        try:
            ready, _, _ = select.select(list(socks), [], [], delay)
        except InterruptedError:
            continue
        now = time.monotonic()
        for sock in ready:
            socks[sock].receive(now)
    for s in streams:
        s.expire(time.monotonic() + (1e9 if stop else 0))
        print(s.report())


if __name__ == "__main__":
    main()
