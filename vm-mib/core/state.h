/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/state: libvirt domain state + reason -> VM-MIB vmOperState and
 * vmAdminState, RFC 7666 numbering (doc/design.md, States).
 *
 * Part of the data layer (no Net-SNMP here).  Two cases are the
 * caller's: when the state can't be read at all, report
 * VMM_OPER_UNKNOWN with the last known admin state; a domain with an
 * outgoing migration job is only known to be one by its job
 * (core/migration.h), so vmm_state_outgoing() adds that. */
#ifndef VMM_STATE_H
#define VMM_STATE_H

#include <stdbool.h>

enum vmm_oper_state {
    VMM_OPER_UNKNOWN = 1, VMM_OPER_OTHER = 2, VMM_OPER_PREPARING = 3, VMM_OPER_RUNNING = 4,
    VMM_OPER_SUSPENDING = 5, VMM_OPER_SUSPENDED = 6, VMM_OPER_RESUMING = 7, VMM_OPER_PAUSED = 8,
    VMM_OPER_MIGRATING = 9, VMM_OPER_SHUTTINGDOWN = 10, VMM_OPER_SHUTDOWN = 11, VMM_OPER_CRASHED = 12
};

enum vmm_admin_state {
    VMM_ADMIN_RUNNING = 1, VMM_ADMIN_SUSPENDED = 2, VMM_ADMIN_PAUSED = 3, VMM_ADMIN_SHUTDOWN = 4
};

struct vmm_state { int oper, admin; };

/* state/reason: virDomainState and its reason enum; managed_save: the machine has a managed-save image;
   active: the domain is running (id != -1), used for NOSTATE.
   Reasons libvirt adds later are treated like the state's UNKNOWN reason. */
struct vmm_state vmm_state_map(int state, int reason, bool managed_save, bool active);

/* st of a machine in libvirt state `state`, when a migration of it to
 * another host is in progress (outgoing): migrating(9) while the machine is
 * still active here (running during the pre-copy, paused at the
 * switchover or by a user), with the admin state it had. */
struct vmm_state vmm_state_outgoing(struct vmm_state st, int state, bool outgoing);

/* The machine runs here (running, blocked or paused): a migration of it
 * can be in progress. */
bool vmm_state_may_migrate(int state);

const char *vmm_state_oper_name(int oper);   /* "running", "shutdown", ... RFC labels, "?" otherwise */

#endif
