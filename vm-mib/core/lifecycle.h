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

/* A machine's state in libvirt's terms (virDomainState, its reason). */
struct vmm_lvstate {
    int state, reason;
    bool managed_save;
};

/* The state an event reports; false for events that report none
 * (DEFINED, UNDEFINED) and events libvirt may add later. */
bool vmm_lifecycle_state(int event, int detail, struct vmm_lvstate *out);

/* True when a read of the machine right after the event refines it. */
bool vmm_lifecycle_needs_read(int event, int detail);

/* Refine *st (from vmm_lifecycle_state) with what was read after the event. */
void vmm_lifecycle_refine(int event, int detail, const struct vmm_lvstate *read,
                      struct vmm_lvstate *st);

/* RFC 7666 oper state of a libvirt state. */
int vmm_lifecycle_oper(const struct vmm_lvstate *st);

#endif
