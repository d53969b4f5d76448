/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/lifecycle.h"

#include <stddef.h>
#include <libvirt/libvirt.h>

static bool set(struct vmm_lvstate *out, int state, int reason, bool saved)
{
    out->state = state;
    out->reason = reason;
    out->managed_save = saved;
    out->outgoing = false;
    return true;
}

#define REASON(table, detail, unknown) \
    reason_of(table, sizeof(table) / sizeof(table[0]), detail, unknown)

/* The reason an event detail stands for; details libvirt adds later map to
 * the state's unknown reason. */
static int reason_of(const int *table, size_t n, int detail, int unknown)
{
    return detail >= 0 && (size_t)detail < n ? table[detail] : unknown;
}

static bool started(int detail, struct vmm_lvstate *out)
{
    static const int reason[] = {
        [VIR_DOMAIN_EVENT_STARTED_BOOTED] = VIR_DOMAIN_RUNNING_BOOTED,
        [VIR_DOMAIN_EVENT_STARTED_RESTORED] = VIR_DOMAIN_RUNNING_RESTORED,
        [VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT] = VIR_DOMAIN_RUNNING_FROM_SNAPSHOT,
        [VIR_DOMAIN_EVENT_STARTED_WAKEUP] = VIR_DOMAIN_RUNNING_WAKEUP,
    };
    /* An incoming migration starts its machine paused; RESUMED_MIGRATED
     * says when it runs. */
    if (detail == VIR_DOMAIN_EVENT_STARTED_MIGRATED)
        return set(out, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, false);
    return set(out, VIR_DOMAIN_RUNNING, REASON(reason, detail, VIR_DOMAIN_RUNNING_UNKNOWN), false);
}

static bool suspended(int detail, struct vmm_lvstate *out)
{
    static const int reason[] = {
        [VIR_DOMAIN_EVENT_SUSPENDED_PAUSED] = VIR_DOMAIN_PAUSED_USER,
        [VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED] = VIR_DOMAIN_PAUSED_MIGRATION,
        [VIR_DOMAIN_EVENT_SUSPENDED_IOERROR] = VIR_DOMAIN_PAUSED_IOERROR,
        [VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG] = VIR_DOMAIN_PAUSED_WATCHDOG,
        [VIR_DOMAIN_EVENT_SUSPENDED_RESTORED] = VIR_DOMAIN_PAUSED_USER,
        [VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT] = VIR_DOMAIN_PAUSED_FROM_SNAPSHOT,
        [VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR] = VIR_DOMAIN_PAUSED_USER,
        [VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY] = VIR_DOMAIN_PAUSED_POSTCOPY,
        [VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED] = VIR_DOMAIN_PAUSED_POSTCOPY_FAILED,
    };
    return set(out, VIR_DOMAIN_PAUSED, REASON(reason, detail, VIR_DOMAIN_PAUSED_UNKNOWN), false);
}

static bool stopped(int detail, struct vmm_lvstate *out)
{
    static const int reason[] = {
        [VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN] = VIR_DOMAIN_SHUTOFF_SHUTDOWN,
        [VIR_DOMAIN_EVENT_STOPPED_DESTROYED] = VIR_DOMAIN_SHUTOFF_DESTROYED,
        [VIR_DOMAIN_EVENT_STOPPED_CRASHED] = VIR_DOMAIN_SHUTOFF_CRASHED,
        [VIR_DOMAIN_EVENT_STOPPED_MIGRATED] = VIR_DOMAIN_SHUTOFF_MIGRATED,
        [VIR_DOMAIN_EVENT_STOPPED_SAVED] = VIR_DOMAIN_SHUTOFF_SAVED,
        [VIR_DOMAIN_EVENT_STOPPED_FAILED] = VIR_DOMAIN_SHUTOFF_FAILED,
        [VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT] = VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT,
    };
    /* Saved is nearly always a managed save; the read tells a file save. */
    return set(out, VIR_DOMAIN_SHUTOFF, REASON(reason, detail, VIR_DOMAIN_SHUTOFF_UNKNOWN),
               detail == VIR_DOMAIN_EVENT_STOPPED_SAVED);
}

bool vmm_lifecycle_state(int event, int detail, struct vmm_lvstate *out)
{
    switch (event) {
    case VIR_DOMAIN_EVENT_STARTED:
        return started(detail, out);
    case VIR_DOMAIN_EVENT_SUSPENDED:
        return suspended(detail, out);
    case VIR_DOMAIN_EVENT_RESUMED:
        return set(out, VIR_DOMAIN_RUNNING, detail == VIR_DOMAIN_EVENT_RESUMED_POSTCOPY
                   ? VIR_DOMAIN_RUNNING_POSTCOPY : VIR_DOMAIN_RUNNING_UNPAUSED, false);
    case VIR_DOMAIN_EVENT_STOPPED:
        return stopped(detail, out);
    case VIR_DOMAIN_EVENT_SHUTDOWN:
        /* The guest is shutting down; STOPPED follows when QEMU exits.  A
         * host's request (destroy: QEMU killed) is no shutdown of the guest. */
        return detail != VIR_DOMAIN_EVENT_SHUTDOWN_HOST &&
               set(out, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_SHUTDOWN_USER, false);
    case VIR_DOMAIN_EVENT_PMSUSPENDED:
        return set(out, VIR_DOMAIN_PMSUSPENDED, VIR_DOMAIN_PMSUSPENDED_UNKNOWN, false);
    case VIR_DOMAIN_EVENT_CRASHED:
        return set(out, VIR_DOMAIN_CRASHED, VIR_DOMAIN_CRASHED_PANICKED, false);
    case VMM_LIFECYCLE_MIGRATION_OUT:
        /* a live migration's source runs; the read says if it is paused */
        set(out, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN, false);
        out->outgoing = true;
        return true;
    case VMM_LIFECYCLE_MIGRATION_OUT_END:
        /* back to what it was: the read says what that is */
        return set(out, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNKNOWN, false);
    default:
        return false;
    }
}

bool vmm_lifecycle_needs_read(int event, int detail)
{
    return event == VMM_LIFECYCLE_MIGRATION_OUT || event == VMM_LIFECYCLE_MIGRATION_OUT_END ||
           (event == VIR_DOMAIN_EVENT_SUSPENDED && detail == VIR_DOMAIN_EVENT_SUSPENDED_PAUSED) ||
           (event == VIR_DOMAIN_EVENT_STARTED && detail == VIR_DOMAIN_EVENT_STARTED_RESTORED) ||
           (event == VIR_DOMAIN_EVENT_STOPPED && detail == VIR_DOMAIN_EVENT_STOPPED_SAVED);
}

void vmm_lifecycle_refine(int event, int detail, const struct vmm_lvstate *read,
                      struct vmm_lvstate *st)
{
    if (!vmm_lifecycle_needs_read(event, detail))
        return;
    if (event == VMM_LIFECYCLE_MIGRATION_OUT) {
        /* running or paused; a machine already stopped (the migration was
         * over before the read) was still migrating when the event came */
        if (vmm_state_may_migrate(read->state)) {
            st->state = read->state;
            st->reason = read->reason;
        }
    } else if (event == VMM_LIFECYCLE_MIGRATION_OUT_END) {
        *st = *read;
        st->outgoing = false;
    } else if (event == VIR_DOMAIN_EVENT_SUSPENDED) {
        /* A managed save pauses first (reason save), then stops with the
         * image: either read means this pause was the save beginning. */
        if ((read->state == VIR_DOMAIN_PAUSED && read->reason == VIR_DOMAIN_PAUSED_SAVE) ||
            (read->state == VIR_DOMAIN_SHUTOFF && read->managed_save))
            st->reason = VIR_DOMAIN_PAUSED_SAVE;
        else if (read->state == VIR_DOMAIN_PAUSED)
            st->reason = read->reason;
    } else if (event == VIR_DOMAIN_EVENT_STARTED) {
        /* QEMU restores a managed save paused, as an incoming migration. */
        if (read->state == VIR_DOMAIN_PAUSED && read->managed_save &&
            (read->reason == VIR_DOMAIN_PAUSED_MIGRATION ||
             read->reason == VIR_DOMAIN_PAUSED_STARTING_UP))
            *st = *read;
    } else if (read->state == VIR_DOMAIN_SHUTOFF) {
        st->managed_save = read->managed_save;
    }
}

bool vmm_lifecycle_still_outgoing(int event, const struct vmm_lvstate *before,
                                  const struct vmm_lvstate *after)
{
    if (event == VMM_LIFECYCLE_MIGRATION_OUT_END)
        return false;
    return (before->outgoing || after->outgoing) && vmm_state_may_migrate(after->state);
}

bool vmm_lifecycle_incoming(const struct vmm_lvstate *st)
{
    return st->state == VIR_DOMAIN_PAUSED && st->reason == VIR_DOMAIN_PAUSED_MIGRATION &&
           !st->outgoing && !st->managed_save;
}

struct vmm_state vmm_lifecycle_map(const struct vmm_lvstate *st)
{
    struct vmm_state mapped = vmm_state_map(st->state, st->reason, st->managed_save,
                                            st->state != VIR_DOMAIN_SHUTOFF);

    return vmm_state_outgoing(mapped, st->state, st->outgoing);
}

int vmm_lifecycle_oper(const struct vmm_lvstate *st)
{
    return vmm_lifecycle_map(st).oper;
}
