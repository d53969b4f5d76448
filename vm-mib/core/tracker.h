/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/tracker: the last vmOperState announced for each machine.
 *
 * Notifications are sent on changes of vmOperState; the tracker knows the
 * previous state (which a per-VM notification carries), and which machines
 * disappeared (vmDeleted) when a complete list is compared with it.  Pure C,
 * keyed by UUID. */
#ifndef VMM_TRACKER_H
#define VMM_TRACKER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/uuid.h"

struct vmm_tracked {
    unsigned char uuid[VMM_UUID_LEN];
    char *name;
    int oper;                       /* RFC 7666 vmOperState */
    int persistent;                 /* VMM_PERSISTENT_* */
    bool incoming;                  /* migrating(9) as an incoming migration's copy */
    bool seen;
};

struct vmm_tracker;

struct vmm_tracker *vmm_tracker_new(void);
void vmm_tracker_free(struct vmm_tracker *t);

/* True once a complete list has been seen (before that, nothing is
 * announced: the first sight of a machine is no transition). */
bool vmm_tracker_seeded(const struct vmm_tracker *t);

/* Record the state of one machine.  Returns true when it differs from the
 * recorded one; *old is then the previous state (preparing(3) for a machine
 * the tracker did not know yet).  States no notification names (unknown,
 * other, preparing) are not recorded: false, the last one stays. */
bool vmm_tracker_update(struct vmm_tracker *t, const unsigned char *uuid,
                        const char *name, int oper, int persistent, int *old);

/* The machine (known) is, or is no longer, an incoming migration's copy,
 * paused for it: one that leaves so never ran here. */
void vmm_tracker_set_incoming(struct vmm_tracker *t, const unsigned char *uuid, bool incoming);

/* The entry of uuid, NULL if unknown; valid until the tracker changes. */
const struct vmm_tracked *vmm_tracker_get(const struct vmm_tracker *t, const unsigned char *uuid);

/* Forget a machine; returns false if it was unknown, else fills *last,
 * which the caller releases with vmm_tracker_free_entry(). */
bool vmm_tracker_remove(struct vmm_tracker *t, const unsigned char *uuid,
                        struct vmm_tracked *last);

/* Each machine in UUID order. */
void vmm_tracker_each(const struct vmm_tracker *t,
                      void (*fn)(const struct vmm_tracked *m, void *ctx), void *ctx);

/* What an earlier life of the process announced (core/statefile): the
 * machine's last state, without announcing anything; false if out of
 * memory or oper is a state no notification names.  mark_seeded then says
 * the restored machines are a complete list. */
bool vmm_tracker_restore(struct vmm_tracker *t, const unsigned char *uuid, const char *name,
                         int oper, int persistent);
void vmm_tracker_mark_seeded(struct vmm_tracker *t);

/* Comparing with a complete list: begin, update every listed machine, then
 * end, which reports each machine not listed through gone() (the entry is
 * freed right after the call) and marks the tracker seeded. */
void vmm_tracker_begin(struct vmm_tracker *t);
void vmm_tracker_end(struct vmm_tracker *t,
                     void (*gone)(const struct vmm_tracked *m, void *ctx), void *ctx);

void vmm_tracker_free_entry(struct vmm_tracked *m);

#endif
