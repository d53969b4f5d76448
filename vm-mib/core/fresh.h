/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/fresh: when a VM-MIB request may be answered from the snapshot there
 * is, and when it waits (parked) for a newer one.  The rules, as plain C so
 * that they are unit-tested without snmpd; vmm_cache feeds them its state
 * and vmm_park applies them.  Times in ms of vmm_clock_now_ms(). */
#ifndef VMM_FRESH_H
#define VMM_FRESH_H

#include <stdbool.h>
#include <stdint.h>

struct vmm_fresh {
    bool connected;                 /* a libvirt connection is up */
    bool opening;                   /* the first connection is being opened */
    bool have_snapshot;
    uint64_t read_ms;               /* when the snapshot's read began; 0: stale */
    int timeout_s;                  /* vmMibCacheTimeout */
    bool refreshing;                /* a full snapshot is being read */
    uint64_t refresh_ms;            /* since when */
    int wait_ms;                    /* vmMibRefreshWait */
};

/* A request that arrived at arrival_ms may be answered at now_ms:
 * - not connected: unless the first connection is being opened (then it
 *   waits for the first snapshot), nothing better is coming;
 * - the snapshot was read less than timeout_s before the request arrived;
 * - libvirt is slow: a refresh has been running longer than a request may
 *   wait, and there is a snapshot to answer from. */
bool vmm_fresh_ready(const struct vmm_fresh *f, uint64_t arrival_ms, uint64_t now_ms);

/* A snapshot whose read began at read_ms answers a request that arrived at
 * arrival_ms: it was read after the request arrived. */
bool vmm_fresh_answers(uint64_t read_ms, uint64_t arrival_ms);

/* A parked request has waited as long as it may. */
bool vmm_fresh_waited(uint64_t arrival_ms, uint64_t now_ms, int wait_ms);

#endif
