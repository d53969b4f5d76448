/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/events: libvirt lifecycle events (and a migration's iteration and
 * job-completed events) and the periodic resync, turned into VM-MIB
 * notifications.
 *
 * Each event libvirt delivers is announced once, with the state that event
 * reports and the state announced before it as the previous one (vmm_cache
 * applies events in libvirt's order, after reads of the collector).  The
 * resync — right after every (re)connection and every VMM_RESYNC_SECONDS —
 * compares a fresh snapshot with the states last announced and reports what
 * no event did (e.g. while libvirtd was restarting).  The announced states
 * outlive a module reload, so a change during a reload is announced by the
 * resync that follows it, and are kept in the persistent file for the next
 * snmpd.  Without an event loop of our own (another
 * component owns libvirt's), the resync alone does the work.
 * snmpd's thread only. */
#ifndef VMM_EVENTS_H
#define VMM_EVENTS_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#include "agent/cache.h"

#define VMM_RESYNC_SECONDS 60

/* Announces one change: vm_index 0 (none) is to be ignored; deleted: the
 * machine is gone and its last state is old_oper (mib/vmNotifications). */
typedef void vmm_announce_fn(long vm_index, const char *name, const unsigned char *uuid,
                             int old_oper, int new_oper, int persistent, bool deleted);

int vmm_events_start(vmm_announce_fn *announce_change);
void vmm_events_shutdown(void);

/* The hypervisor whose machines are tracked (vmMibUri), at every start of
 * a connection.  The states that an earlier snmpd saved in the persistent
 * file ("vmMibState" lines, written at every store) are taken up at the
 * first load if they are of this hypervisor, so that a restart announces,
 * like a reconnect, each machine's net change over the gap. */
void vmm_events_follow(const char *uri);

/* The lifecycle callback for vmm_conn_start()'s table of events. */
int vmm_events_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                         void *opaque);

/* A migration's source: the first iteration starts migrating(9), a
 * completed migration job may end it (registered with the lifecycle
 * callback, optional: vm_mib.c's table of events). */
int vmm_events_migration_iteration(virConnectPtr conn, virDomainPtr dom, int iteration,
                                   void *opaque);
int vmm_events_job_completed(virConnectPtr conn, virDomainPtr dom,
                             virTypedParameterPtr params, int nparams, void *opaque);

/* vmm_cache listener parts. */
void vmm_events_apply(const struct vmm_cache_event *ev);
void vmm_events_resync(const struct vmm_snapshot *snap);

#endif
