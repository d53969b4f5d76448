#include "vmm_events.h"

#include <string.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vmm_cache.h"
#include "vmm_conn.h"
#include "vmm_index.h"
#include "vmm_notify.h"
#include "vmm_persist.h"
#include "vmm_snapshot.h"
#include "vmm_state.h"
#include "vmm_tracker.h"

static struct {
    struct vmm_tracker *tracker;
    bool events;                    /* our event loop drives libvirt's */
    int callback;                   /* lifecycle callback id, -1 if none */
    unsigned resync_alarm, soon_alarm;
} e = { .callback = -1 };

/* A machine gone from libvirt keeps the number it had; it gets none new. */
static void announce(const unsigned char *uuid, const char *name, int old, int now,
                     int persistent, bool deleted)
{
    struct vmm_index *ix = vmm_persist_registry();
    long index = deleted ? vmm_index_find_vm(ix, uuid) : vmm_index_vm(ix, uuid);

    vmm_notify_transition(index, name, uuid, old, now, persistent, deleted);
}

static void gone(const struct vmm_tracked *m, void *ctx)
{
    (void)ctx;
    announce(m->uuid, m->name, m->oper, m->oper, m->persistent, true);
}

/* Compare a fresh snapshot with what was announced. */
static void resync(void)
{
    const struct vmm_snapshot *snap = vmm_cache_refresh();
    bool seeded = vmm_tracker_seeded(e.tracker);

    if (!snap)
        return;
    vmm_tracker_begin(e.tracker);
    for (size_t i = 0; i < snap->nmachines; i++) {
        const struct vmm_machine *m = &snap->machines[i];
        int old;

        if (vmm_tracker_update(e.tracker, m->uuid, m->name, m->st.oper, m->persistent, &old) &&
            seeded)
            announce(m->uuid, m->name, old, m->st.oper, m->persistent, false);
    }
    vmm_tracker_end(e.tracker, gone, NULL);
    DEBUGMSGTL(("vm_mib:events", "resync of %zu machines\n", snap->nmachines));
}

static void resync_alarm(unsigned reg, void *arg)
{
    (void)reg; (void)arg;
    if (vmm_conn_get())
        resync();
}

static void resync_soon_alarm(unsigned reg, void *arg)
{
    (void)reg; (void)arg;
    e.soon_alarm = 0;
    if (vmm_conn_get())
        resync();
}

/* A machine that vanished with its event (transient machine stopped, or
 * undefined while shut off): its last state change, then vmDeleted. */
static void vanished(const unsigned char *uuid, int event, int detail)
{
    struct vmm_tracked last;
    int now;

    if (!vmm_tracker_remove(e.tracker, uuid, &last))
        return;
    now = last.oper;
    if (event == VIR_DOMAIN_EVENT_STOPPED) {
        now = detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED ? VMM_OPER_CRASHED : VMM_OPER_SHUTDOWN;
        if (now != last.oper)
            announce(uuid, last.name, last.oper, now, last.persistent, false);
    }
    announce(uuid, last.name, now, now, last.persistent, true);
    vmm_tracker_free_entry(&last);
}

static int persistence(virDomainPtr dom)
{
    int p = virDomainIsPersistent(dom);

    return p < 0 ? VMM_PERSISTENT_UNKNOWN : p ? VMM_PERSISTENT_YES : VMM_PERSISTENT_TRANSIENT;
}

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                        void *opaque)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    const char *name = virDomainGetName(dom);
    int state, reason, old, persistent;
    bool saved;
    struct vmm_state st;

    (void)conn; (void)opaque;
    if (virDomainGetUUID(dom, uuid) < 0)
        return 0;
    DEBUGMSGTL(("vm_mib:events", "%s: event %d detail %d\n", name ? name : "?", event, detail));
    vmm_cache_invalidate();
    if (event == VIR_DOMAIN_EVENT_DEFINED || event == VIR_DOMAIN_EVENT_UNDEFINED) {
        /* re-read the definition; a resync moves vmTableLastChange now */
        vmm_cache_definition_changed(uuid);
        if (!e.soon_alarm)
            e.soon_alarm = snmp_alarm_register(0, 0, resync_soon_alarm, NULL);
    }
    if (!vmm_tracker_seeded(e.tracker))
        return 0;                   /* the first resync will see it */
    /* Recompute from libvirt rather than trusting the event's detail. */
    if (virDomainGetState(dom, &state, &reason, 0) < 0) {
        vanished(uuid, event, detail);
        return 0;
    }
    /* The image matters shut off (suspended) and while a start restores it
     * (paused: resuming, not migrating or starting). */
    saved = (state == VIR_DOMAIN_SHUTOFF || state == VIR_DOMAIN_PAUSED) &&
            virDomainHasManagedSaveImage(dom, 0) == 1;
    st = vmm_state_map(state, reason, saved, virDomainIsActive(dom) == 1);
    persistent = persistence(dom);
    if (vmm_tracker_update(e.tracker, uuid, name, st.oper, persistent, &old))
        announce(uuid, name, old, st.oper, persistent, false);
    return 0;
}

void vmm_events_connection_changed(bool up)
{
    virConnectPtr conn = vmm_conn_get();

    if (!up) {
        if (conn && e.callback >= 0)
            virConnectDomainEventDeregisterAny(conn, e.callback);
        e.callback = -1;
        return;
    }
    if (e.events && conn)
        e.callback = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                      VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                                      NULL, NULL);
    if (!e.soon_alarm)
        e.soon_alarm = snmp_alarm_register(0, 0, resync_soon_alarm, NULL);
}

int vmm_events_start(bool have_event_loop)
{
    e.events = have_event_loop;
    e.callback = -1;
    if (!(e.tracker = vmm_tracker_new()))
        return -1;
    e.resync_alarm = snmp_alarm_register(VMM_RESYNC_SECONDS, SA_REPEAT, resync_alarm, NULL);
    return 0;
}

void vmm_events_shutdown(void)
{
    vmm_events_connection_changed(false);
    if (e.resync_alarm)
        snmp_alarm_unregister(e.resync_alarm);
    if (e.soon_alarm)
        snmp_alarm_unregister(e.soon_alarm);
    e.resync_alarm = e.soon_alarm = 0;
    vmm_tracker_free(e.tracker);
    e.tracker = NULL;
    vmm_notify_shutdown();
}
