/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/control.h"

#include "core/state.h"

static int to_running(int state, bool saved, const char **why)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: case VIR_DOMAIN_BLOCKED: return VMM_ACT_NONE;
    case VIR_DOMAIN_PAUSED:      return VMM_ACT_RESUME;
    case VIR_DOMAIN_SHUTOFF:     return saved ? VMM_ACT_RESTORE : VMM_ACT_START;
    case VIR_DOMAIN_PMSUSPENDED: return VMM_ACT_WAKEUP;
    default:
        *why = "the machine is shutting down or crashed";
        return -1;
    }
}

static int to_suspended(int state, bool saved, bool persistent, const char **why)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: case VIR_DOMAIN_BLOCKED: case VIR_DOMAIN_PAUSED:
        if (persistent)
            return VMM_ACT_MANAGEDSAVE;
        *why = "a transient machine has no managed save";
        return -1;
    case VIR_DOMAIN_SHUTOFF:
        if (saved)
            return VMM_ACT_NONE;
        *why = "the machine is shut off";
        return -1;
    default:
        *why = "the machine is not running";
        return -1;
    }
}

static int to_paused(int state, const char **why)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: case VIR_DOMAIN_BLOCKED: return VMM_ACT_SUSPEND;
    case VIR_DOMAIN_PAUSED: case VIR_DOMAIN_PMSUSPENDED: return VMM_ACT_NONE;
    default:
        *why = "the machine is not running";
        return -1;
    }
}

static int to_shutdown(int state, bool saved, const char **why)
{
    switch (state) {
    case VIR_DOMAIN_SHUTOFF:
        if (!saved)
            return VMM_ACT_NONE;
        *why = "the machine has a managed save; start it first";
        return -1;
    case VIR_DOMAIN_SHUTDOWN: return VMM_ACT_NONE;
    case VIR_DOMAIN_CRASHED:  return VMM_ACT_DESTROY;
    default:                  return VMM_ACT_SHUTDOWN;
    }
}

int vmm_control_plan(int target, int state, bool managed_save, bool persistent,
                     const char **why)
{
    *why = "";
    switch (target) {
    case VMM_ADMIN_RUNNING:   return to_running(state, managed_save, why);
    case VMM_ADMIN_SUSPENDED: return to_suspended(state, managed_save, persistent, why);
    case VMM_ADMIN_PAUSED:    return to_paused(state, why);
    case VMM_ADMIN_SHUTDOWN:  return to_shutdown(state, managed_save, why);
    case VMM_ADMIN_DESTROY:
        return state == VIR_DOMAIN_SHUTOFF ? VMM_ACT_NONE : VMM_ACT_DESTROY;
    default:
        *why = "not a VirtualMachineAdminState";
        return -1;
    }
}

bool vmm_control_reversible(int action)
{
    return action == VMM_ACT_SUSPEND || action == VMM_ACT_RESUME;
}

bool vmm_control_slow(int action)
{
    return action == VMM_ACT_MANAGEDSAVE || action == VMM_ACT_RESTORE ||
           action == VMM_ACT_START || action == VMM_ACT_DESTROY;
}

const char *vmm_control_action_name(int action)
{
    static const char *const names[] = {
        "nothing", "start", "restore", "resume", "wake up", "suspend",
        "managed save", "shutdown", "destroy",
    };

    return action >= 0 && action <= VMM_ACT_DESTROY ? names[action] : "?";
}

int vmm_control_run(virDomainPtr dom, int action)
{
    switch (action) {
    case VMM_ACT_NONE:        return 0;
    case VMM_ACT_START:
    case VMM_ACT_RESTORE:     return virDomainCreate(dom);
    case VMM_ACT_RESUME:      return virDomainResume(dom);
    case VMM_ACT_WAKEUP:      return virDomainPMWakeup(dom, 0);
    case VMM_ACT_SUSPEND:     return virDomainSuspend(dom);
    case VMM_ACT_MANAGEDSAVE: return virDomainManagedSave(dom, 0);
    case VMM_ACT_SHUTDOWN:    return virDomainShutdown(dom);
    case VMM_ACT_DESTROY:     return virDomainDestroy(dom);
    default:                  return -1;
    }
}

int vmm_control_undo(virDomainPtr dom, int action)
{
    if (action == VMM_ACT_SUSPEND)
        return virDomainResume(dom);
    if (action == VMM_ACT_RESUME)
        return virDomainSuspend(dom);
    return 0;
}
