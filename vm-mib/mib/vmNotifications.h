/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmNotifications: the VM-MIB notifications.
 *
 * Per-VM (vmRunning .. vmDeleted): one per change of a machine's
 * vmOperState, named after the new state, carrying vmName, vmUUID and the
 * PREVIOUS vmOperState (and vmPersistent for vmDeleted).  Bulk
 * (vmBulkRunning .. vmBulkDeleted): changes to the same new state within
 * vmMibBulkWindow ms are gathered into one notification whose only object
 * is vmAffectedVMs.0, a bitmap of vmIndex values.  Sent with send_v2trap, so
 * every snmpd notification target (trap2sink, informsink, trapsess, the
 * RFC 3413 tables) receives them.  Main loop only. */
#ifndef VMM_VMNOTIFICATIONS_H
#define VMM_VMNOTIFICATIONS_H

#include <stdbool.h>

void vmm_vmNotifications_set_window(int ms);
void vmm_vmNotifications_shutdown(void);     /* drop gathered bulk changes */

/* vm_index 0 (no index) sends nothing.  deleted: the machine is gone, its
 * last state is old_oper. */
void vmm_vmNotifications_transition(long vm_index, const char *name, const unsigned char *uuid,
                           int old_oper, int new_oper, int persistent, bool deleted);

#endif
