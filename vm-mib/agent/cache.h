/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/cache: the module's picture of the hypervisor, and how it is kept
 * fresh without snmpd's thread ever waiting for libvirt.
 *
 * Threads: everything here runs on snmpd's thread except the jobs, which
 * run in the collector (vmm_collector.h) and call libvirt and plain C only.
 * snmpd's thread submits jobs, installs finished snapshots (rebuilding the
 * table containers) and applies lifecycle events to the picture, in the
 * order libvirt delivered them.
 *
 * - A VM-MIB request that finds the snapshot older than vmMibCacheTimeout
 *   is parked (vmm_park.h) until a snapshot read after it arrived is
 *   installed, for at most vmMibRefreshWait ms.  Parked requests share one
 *   refresh.  While a refresh has been running longer than that bound
 *   (libvirt frozen or very slow), requests are answered at once from the
 *   newest snapshot rather than each waiting the bound again.
 * - A lifecycle event updates that machine in the picture; a definition
 *   change re-reads that one machine.  A machine migrating out is
 *   migrating(9) from its first MIGRATION_ITERATION until its job is gone
 *   (asked every MIGRATION_POLL_S in the collector) or it stops.  Full snapshots are taken only when a
 *   request needs one, and for the resync.
 * - The picture, the collector and its history outlive a module reload
 *   (snmpd's SIGHUP), as does the connection while its URI and mode stay:
 *   requests after a reload are served from the picture, and events and
 *   reads under way across the reload are applied after it, in order.
 *   When the connection is lost, the picture is served for
 *   vmMibStaleGrace seconds, then dropped (tables empty, libvirt's scalars
 *   noSuchInstance).
 * - Before the first picture of a hypervisor (start, or another vmMibUri)
 *   nothing is known: a request waits for it up to vmMibRefreshWait, then
 *   a GET finds noSuchInstance and a walk of a table genErr — never an
 *   empty table, which would read as a host without machines. */
#ifndef VMM_CACHE_H
#define VMM_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/libvirt.h>

#include "agent/conn.h"
#include "core/snapshot.h"

/* One lifecycle event as applied to the picture. */
struct vmm_cache_event {
    unsigned char uuid[VIR_UUID_BUFLEN];
    const char *name;
    int event, detail;              /* libvirt's */
    bool has_state;                 /* the event reports a state: oper */
    int oper;                       /* RFC 7666 state after the event (or the machine's) */
    int persistent;                 /* VMM_PERSISTENT_* after the event */
    bool vanished;                  /* the machine is gone with this event */
    bool incoming;                  /* it is paused for an incoming migration */
};

struct vmm_cache_listener {
    void (*fill)(const struct vmm_snapshot *snap);      /* rebuild the tables */
    void (*clear)(void);                                /* empty them */
    void (*event)(const struct vmm_cache_event *ev);    /* in libvirt's order */
    void (*resync)(const struct vmm_snapshot *snap);    /* a resync's snapshot */
};

int vmm_cache_init(const struct vmm_cache_listener *listener);
/* deinit, before the registrations go: answers parked requests. */
void vmm_cache_shutdown(void);

void vmm_cache_configure(int timeout_s, int wait_ms, int grace_s);

/* A new handler to inject in front of one registration (parking). */
netsnmp_mib_handler *vmm_cache_handler(void);

/* The picture; NULL when there is none (before the first snapshot, or
 * libvirt unreachable for longer than the grace). */
const struct vmm_snapshot *vmm_cache_snapshot(void);

/* vmTableLastChange in TimeTicks. */
uint32_t vmm_cache_last_change(void);

/* Index numbers were renumbered: vmTableLastChange moves, as for a row
 * created or deleted, so that managers watching it read the tables again. */
void vmm_cache_numbers_changed(void);

/* Something changed that no event reports (a SET): the next request reads
 * libvirt again. */
void vmm_cache_invalidate(void);

/* uuid's definition changed: re-read that machine. */
void vmm_cache_definition_changed(const unsigned char *uuid);

/* A lifecycle event from libvirt (snmpd's thread, libvirt's dispatcher). */
void vmm_cache_event(virDomainPtr dom, int event, int detail);

/* A migration of dom to another host started (MIGRATION_ITERATION), or
 * may have ended (JOB_COMPLETED); its end is also found by asking its job,
 * as a cancelled or failed one sends no event. */
void vmm_cache_migration(virDomainPtr dom, bool started);

/* A full snapshot now; the listener's resync() sees it. */
void vmm_cache_resync(void);

/* The hypervisor changed (another vmMibUri): drop its picture; until the
 * first one of the new hypervisor, tables are not read (vmm_park.h). */
void vmm_cache_forget(void);

/* vmm_conn listener. */
void vmm_cache_connection_changed(enum vmm_conn_news news);

#endif
