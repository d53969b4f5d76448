/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/events.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/conn.h"
#include "agent/persist.h"
#include "core/driver.h"
#include "core/index.h"
#include "core/lifecycle.h"
#include "core/state.h"
#include "core/statefile.h"
#include "core/tracker.h"

#define STATE_TOKEN "vmMibState"

/* What was announced: kept for the life of the process, across reloads,
 * and in snmpd's persistent file across restarts. */
static struct vmm_tracker *tracker;
static char *tracked_uri;           /* the hypervisor it follows; NULL: none yet */
static bool followed;               /* tracked_uri is vmMibUri, not the saved one */
static unsigned resync_alarm;
static vmm_announce_fn *announce_fn;

/* A machine gone from libvirt keeps the number it had; it gets none new. */
static void announce(const unsigned char *uuid, const char *name, int old, int now,
                     int persistent, bool deleted)
{
    struct vmm_index *ix = vmm_persist_registry();
    long index = deleted ? vmm_index_find_vm(ix, uuid) : vmm_index_vm(ix, uuid);

    announce_fn(index, name, uuid, old, now, persistent, deleted);
}

static void gone(const struct vmm_tracked *m, void *ctx)
{
    (void)ctx;
    announce(m->uuid, m->name, m->oper, m->oper, m->persistent, true);
}

void vmm_events_resync(const struct vmm_snapshot *snap)
{
    bool seeded = vmm_tracker_seeded(tracker);

    vmm_tracker_begin(tracker);
    for (size_t i = 0; i < snap->nmachines; i++) {
        const struct vmm_machine *m = &snap->machines[i];
        struct vmm_lvstate st = vmm_snapshot_lvstate(m);
        int old;

        if (vmm_tracker_update(tracker, m->uuid, m->name, m->st.oper, m->persistent, &old) &&
            seeded)
            announce(m->uuid, m->name, old, m->st.oper, m->persistent, false);
        vmm_tracker_set_incoming(tracker, m->uuid, vmm_lifecycle_incoming(&st));
    }
    vmm_tracker_end(tracker, gone, NULL);
    DEBUGMSGTL(("vm_mib:events", "resync of %zu machines\n", snap->nmachines));
}

static void resync_now(unsigned reg, void *arg)
{
    (void)reg; (void)arg;
    vmm_cache_resync();
}

/* A machine that vanished with its event (transient machine stopped, or
 * undefined while shut off): its last state change, then vmDeleted.  The
 * copy of a failed incoming migration never ran here: only vmDeleted, with
 * migrating(9), the state it had. */
static void vanished(const struct vmm_cache_event *ev)
{
    struct vmm_tracked last;
    int now;

    if (!vmm_tracker_remove(tracker, ev->uuid, &last))
        return;
    now = ev->has_state && !last.incoming ? ev->oper : last.oper;
    if (now != last.oper)
        announce(ev->uuid, last.name, last.oper, now, last.persistent, false);
    announce(ev->uuid, last.name, now, now, last.persistent, true);
    vmm_tracker_free_entry(&last);
}

void vmm_events_apply(const struct vmm_cache_event *ev)
{
    const struct vmm_tracked *known = vmm_tracker_get(tracker, ev->uuid);
    int old, oper = ev->oper;

    DEBUGMSGTL(("vm_mib:events", "%s: event %d detail %d -> %s\n", ev->name, ev->event,
                ev->detail, vmm_state_oper_name(ev->oper)));
    if (!vmm_tracker_seeded(tracker))
        return;                     /* the first resync will see it */
    if (ev->vanished) {
        vanished(ev);
        return;
    }
    /* a definition says nothing of the state, but a new machine is shut off */
    if (!ev->has_state)
        oper = known ? known->oper : ev->oper == VMM_OPER_UNKNOWN ? VMM_OPER_SHUTDOWN : ev->oper;
    if (vmm_tracker_update(tracker, ev->uuid, ev->name, oper, ev->persistent, &old))
        announce(ev->uuid, ev->name, old, oper, ev->persistent, false);
    if (ev->has_state)
        vmm_tracker_set_incoming(tracker, ev->uuid, ev->incoming);
}

int vmm_events_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                         void *opaque)
{
    bool current = conn == vmm_conn_get();   /* not a connection we dropped */

    (void)opaque;
    /* the host's own domain (Xen's Domain-0) is no row: nothing to announce
     * (the id is in dom, not asked of libvirtd) */
    if (vmm_driver_is_host(vmm_conn_hypervisor()->traits, (int)virDomainGetID(dom)))
        return 0;
    DEBUGMSGTL(("vm_mib:events", "%s: event %d detail %d received%s\n", virDomainGetName(dom),
                event, detail, current ? "" : " on a dropped connection: ignored"));
    if (current)
        vmm_cache_event(dom, event, detail);
    return 0;
}

int vmm_events_migration_iteration(virConnectPtr conn, virDomainPtr dom, int iteration,
                                   void *opaque)
{
    (void)opaque;
    DEBUGMSGTL(("vm_mib:events", "%s: migration iteration %d\n", virDomainGetName(dom),
                iteration));
    if (conn == vmm_conn_get())
        vmm_cache_migration(dom, true);
    return 0;
}

int vmm_events_job_completed(virConnectPtr conn, virDomainPtr dom,
                             virTypedParameterPtr params, int nparams, void *opaque)
{
    int operation = 0;

    (void)opaque;
    /* not every driver names the operation: then the job is asked */
    if (virTypedParamsGetInt(params, nparams, VIR_DOMAIN_JOB_OPERATION, &operation) == 1 &&
        operation != VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT)
        return 0;
    DEBUGMSGTL(("vm_mib:events", "%s: job completed\n", virDomainGetName(dom)));
    if (conn == vmm_conn_get())
        vmm_cache_migration(dom, false);
    return 0;
}

static int store(int major, int minor, void *server, void *client)
{
    struct vmm_persist_lines *l;

    (void)major; (void)minor; (void)server; (void)client;
    if (!tracked_uri)
        return SNMPERR_SUCCESS;
    if ((l = vmm_persist_lines_new(STATE_TOKEN)))
        vmm_statefile_save(tracker, tracked_uri, vmm_persist_lines_emit, l);
    vmm_persist_lines_store(l, "the announced states");
    return SNMPERR_SUCCESS;
}

static void state_line(const char *rest, void *ld)
{
    vmm_statefile_load_line(ld, rest);
}

/* What an earlier snmpd announced, if it saved any: where this one goes on
 * from (the first picture's resync then announces what changed while
 * snmpd was down).  Read at the first load: snmpd may store (and so
 * rewrite) its persistent file before the first connection starts. */
static struct vmm_tracker *restore(void)
{
    struct vmm_statefile_load ld = { NULL, NULL, 0 };
    struct vmm_tracker *t;

    vmm_persist_read(STATE_TOKEN, state_line, &ld);
    if (ld.bad)
        snmp_log(LOG_WARNING, "vm_mib: %u bad %s lines in the persistent file ignored\n",
                 ld.bad, STATE_TOKEN);
    if ((t = vmm_statefile_load_end(&ld, &tracked_uri)))
        DEBUGMSGTL(("vm_mib:events", "announced states of %s restored\n", tracked_uri));
    return t ? t : vmm_tracker_new();
}

int vmm_events_start(vmm_announce_fn *announce_change)
{
    announce_fn = announce_change;
    if (!tracker && !(tracker = restore()))
        return -1;
    resync_alarm = snmp_alarm_register(VMM_RESYNC_SECONDS, SA_REPEAT, resync_now, NULL);
    vmm_persist_token(STATE_TOKEN);
    snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_STORE_DATA, store, NULL);
    return 0;
}

void vmm_events_shutdown(void)
{
    snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_STORE_DATA, store, NULL, 1);
    unregister_app_config_handler(STATE_TOKEN);
    if (resync_alarm)
        snmp_alarm_unregister(resync_alarm);
    resync_alarm = 0;
}

/* Saved states of another hypervisor are no starting point for this one;
 * a later change of URI (a reload) is announced as the net change. */
void vmm_events_follow(const char *uri)
{
    struct vmm_tracker *fresh;
    char *copy;

    if (tracked_uri && strcmp(tracked_uri, uri) == 0) {
        followed = true;
        return;
    }
    if (!(copy = strdup(uri)))
        return;
    if (!followed && tracked_uri && (fresh = vmm_tracker_new())) {
        vmm_tracker_free(tracker);
        tracker = fresh;
    }
    followed = true;
    free(tracked_uri);
    tracked_uri = copy;
}
