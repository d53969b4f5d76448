/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/control: the draft-05 control extension (vmMibWritable yes), libvirt
 * side: which call takes a machine to a requested vmAdminState, and the
 * calls themselves.  No Net-SNMP types; the SET phases are in the tables. */
#ifndef VMM_CONTROL_H
#define VMM_CONTROL_H

#include <stdbool.h>
#include <libvirt/libvirt.h>

#define VMM_ADMIN_DESTROY 5         /* draft-05's destroy(5): a forced stop */

enum vmm_action {
    VMM_ACT_NONE,                   /* already there: success, no call */
    VMM_ACT_START, VMM_ACT_RESTORE, VMM_ACT_RESUME, VMM_ACT_WAKEUP,
    VMM_ACT_SUSPEND, VMM_ACT_MANAGEDSAVE, VMM_ACT_SHUTDOWN, VMM_ACT_DESTROY,
};

/* The action for target (VirtualMachineAdminState 1..4 or 5) from libvirt
 * state `state`; -1 when impossible, *why then says why. */
int vmm_control_plan(int target, int state, bool managed_save, bool persistent,
                     const char **why);

/* Suspend and resume can be undone within the SET (ACTION/UNDO); the others
 * run in COMMIT. */
bool vmm_control_reversible(int action);

/* Saving and restoring move guest memory to or from disk and can take
 * minutes; starting launches the emulator (4 s for QEMU here) and
 * destroying waits for it to exit (up to 10 s before SIGKILL): these run
 * off the main loop (vmm_worker).  The rest return at once (a shutdown is
 * a request, not a wait). */
bool vmm_control_slow(int action);

const char *vmm_control_action_name(int action);

/* 0 on success, -1 with libvirt's error set. */
int vmm_control_run(virDomainPtr dom, int action);
int vmm_control_undo(virDomainPtr dom, int action);

#endif
