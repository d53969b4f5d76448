/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/lifecycle: what a libvirt lifecycle event says about a machine's state.
 *
 * Every event libvirt delivers gives exactly one notification, for the
 * state that event reports, however fast events come: so the state is
 * derived from the event and its detail, not read back from libvirt when
 * the event is handled (the machine may have moved on by then).  A few
 * details are ambiguous (a pause while a managed save begins looks like a
 * user's pause; a saved machine may or may not have a managed-save image);
 * a read of the machine refines those, and only within what the event
 * said.  Pure C. */
#ifndef VMM_LIFECYCLE_H
#define VMM_LIFECYCLE_H

#include <stdbool.h>

#include "core/state.h"

/* A machine's state in libvirt's terms (virDomainState, its reason), and
 * whether a migration of it to another host is in progress (outgoing: only
 * its job says so; libvirt's state reads running during the pre-copy). */
struct vmm_lvstate {
    int state, reason;
    bool managed_save;
    bool outgoing;
};

/* Two events of our own beside libvirt's lifecycle events, for the source
 * of a migration, which libvirt tells only through its job: a migration of
 * the machine to another host started (MIGRATION_ITERATION), and its job
 * may be over (JOB_COMPLETED, or a poll of the job: a cancelled or failed
 * migration sends the source no event at all).  Both are refined by a read
 * of the machine; the end only with a read made after its job was gone. */
enum {
    VMM_LIFECYCLE_MIGRATION_OUT = 1000,
    VMM_LIFECYCLE_MIGRATION_OUT_END
};

/* The state an event reports; false for events that report none
 * (DEFINED, UNDEFINED) and events libvirt may add later. */
bool vmm_lifecycle_state(int event, int detail, struct vmm_lvstate *out);

/* True when a read of the machine right after the event refines it. */
bool vmm_lifecycle_needs_read(int event, int detail);

/* Refine *st (from vmm_lifecycle_state) with what was read after the event. */
void vmm_lifecycle_refine(int event, int detail, const struct vmm_lvstate *read,
                      struct vmm_lvstate *st);

/* An event (libvirt's or ours) took a machine from before to after: is its
 * migration out still in progress?  Yes while the machine is active here (a
 * pause at the switchover or by a user, a resume after it), until the end
 * says its job is gone. */
bool vmm_lifecycle_still_outgoing(int event, const struct vmm_lvstate *before,
                                  const struct vmm_lvstate *after);

/* The machine is paused for an incoming migration (the destination's
 * copy, from STARTED_MIGRATED until RESUMED_MIGRATED): it never ran here. */
bool vmm_lifecycle_incoming(const struct vmm_lvstate *st);

/* RFC 7666 oper and admin states of a libvirt state. */
struct vmm_state vmm_lifecycle_map(const struct vmm_lvstate *st);
int vmm_lifecycle_oper(const struct vmm_lvstate *st);

#endif
