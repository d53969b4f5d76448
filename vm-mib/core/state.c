/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <libvirt/libvirt.h>

#include "core/state.h"

static struct vmm_state mk(int oper, int admin)
{
    struct vmm_state s = { oper, admin };

    return s;
}

static struct vmm_state map_running(int reason)
{
    /* In post-copy the guest already executes on the destination while
     * its memory is still pulled from here.  POSTCOPY_FAILED is not in
     * motion any more, so it is plain running (doc/design.md, States). */
    if (reason == VIR_DOMAIN_RUNNING_POSTCOPY)
        return mk(VMM_OPER_MIGRATING, VMM_ADMIN_RUNNING);
    return mk(VMM_OPER_RUNNING, VMM_ADMIN_RUNNING);
}

/* The reason decides between a pause somebody asked for (admin paused)
 * and one libvirt or the guest imposed while the wish is still "run". */
static struct vmm_state map_paused(int reason, bool managed_save)
{
    switch (reason) {
    case VIR_DOMAIN_PAUSED_IOERROR:
    case VIR_DOMAIN_PAUSED_WATCHDOG:
    case VIR_DOMAIN_PAUSED_DUMP:
    case VIR_DOMAIN_PAUSED_SNAPSHOT:
    case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED:
        return mk(VMM_OPER_PAUSED, VMM_ADMIN_RUNNING);
    case VIR_DOMAIN_PAUSED_MIGRATION:
        /* QEMU restores a managed save as an incoming migration. */
        return mk(managed_save ? VMM_OPER_RESUMING : VMM_OPER_MIGRATING, VMM_ADMIN_RUNNING);
    case VIR_DOMAIN_PAUSED_POSTCOPY:
        return mk(VMM_OPER_MIGRATING, VMM_ADMIN_RUNNING);
    case VIR_DOMAIN_PAUSED_SAVE:
        return mk(VMM_OPER_SUSPENDING, VMM_ADMIN_SUSPENDED);
    case VIR_DOMAIN_PAUSED_SHUTTING_DOWN:
        return mk(VMM_OPER_SHUTTINGDOWN, VMM_ADMIN_SHUTDOWN);
    case VIR_DOMAIN_PAUSED_STARTING_UP:
        /* Starting with a managed-save image means restoring it. */
        return mk(managed_save ? VMM_OPER_RESUMING : VMM_OPER_OTHER, VMM_ADMIN_RUNNING);
    case VIR_DOMAIN_PAUSED_CRASHED:
        return mk(VMM_OPER_CRASHED, VMM_ADMIN_RUNNING);
    default:    /* USER, UNKNOWN, FROM_SNAPSHOT and reasons added later */
        return mk(VMM_OPER_PAUSED, VMM_ADMIN_PAUSED);
    }
}

static struct vmm_state map_shutoff(int reason, bool managed_save)
{
    /* The image is checked first: the next start resumes from it, whatever
     * stopped the domain. */
    if (managed_save)
        return mk(VMM_OPER_SUSPENDED, VMM_ADMIN_SUSPENDED);
    if (reason == VIR_DOMAIN_SHUTOFF_CRASHED)
        return mk(VMM_OPER_CRASHED, VMM_ADMIN_SHUTDOWN);
    return mk(VMM_OPER_SHUTDOWN, VMM_ADMIN_SHUTDOWN);
}

struct vmm_state vmm_state_map(int state, int reason, bool managed_save, bool active)
{
    switch (state) {
    case VIR_DOMAIN_NOSTATE:
        return mk(VMM_OPER_OTHER, active ? VMM_ADMIN_RUNNING : VMM_ADMIN_SHUTDOWN);
    case VIR_DOMAIN_RUNNING:
        return map_running(reason);
    case VIR_DOMAIN_BLOCKED:
        /* RFC 7666 dropped blocked(5): a blocked guest is still running. */
        return mk(VMM_OPER_RUNNING, VMM_ADMIN_RUNNING);
    case VIR_DOMAIN_PAUSED:
        return map_paused(reason, managed_save);
    case VIR_DOMAIN_SHUTDOWN:
        return mk(VMM_OPER_SHUTTINGDOWN, VMM_ADMIN_SHUTDOWN);
    case VIR_DOMAIN_SHUTOFF:
        return map_shutoff(reason, managed_save);
    case VIR_DOMAIN_CRASHED:
        /* on_crash=preserve keeps the process; nobody asked it to stop. */
        return mk(VMM_OPER_CRASHED, VMM_ADMIN_RUNNING);
    case VIR_DOMAIN_PMSUSPENDED:
        /* Guest S3: resident but not scheduled, which is RFC "paused". */
        return mk(VMM_OPER_PAUSED, VMM_ADMIN_PAUSED);
    default:
        return mk(VMM_OPER_UNKNOWN, VMM_ADMIN_SHUTDOWN);
    }
}

bool vmm_state_may_migrate(int state)
{
    return state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED ||
           state == VIR_DOMAIN_PAUSED;
}

struct vmm_state vmm_state_outgoing(struct vmm_state st, int state, bool outgoing)
{
    if (outgoing && vmm_state_may_migrate(state))
        st.oper = VMM_OPER_MIGRATING;
    return st;
}

const char *vmm_state_oper_name(int oper)
{
    static const char *const names[] = {
        [VMM_OPER_UNKNOWN] = "unknown", [VMM_OPER_OTHER] = "other",
        [VMM_OPER_PREPARING] = "preparing", [VMM_OPER_RUNNING] = "running",
        [VMM_OPER_SUSPENDING] = "suspending", [VMM_OPER_SUSPENDED] = "suspended",
        [VMM_OPER_RESUMING] = "resuming", [VMM_OPER_PAUSED] = "paused",
        [VMM_OPER_MIGRATING] = "migrating", [VMM_OPER_SHUTTINGDOWN] = "shuttingdown",
        [VMM_OPER_SHUTDOWN] = "shutdown", [VMM_OPER_CRASHED] = "crashed",
    };

    if (oper < VMM_OPER_UNKNOWN || oper > VMM_OPER_CRASHED)
        return "?";
    return names[oper];
}
