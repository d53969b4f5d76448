/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/history: what one snapshot remembers of the earlier ones.
 *
 * Parsed domain definitions (so XML is fetched only when something
 * changed), when each machine last started (vmUpTime), and the highest
 * counter values served in the current run of each machine (a Counter64 must
 * not go backwards).  Entries are keyed by UUID and dropped when a machine is
 * no longer listed. */
#ifndef VMM_HISTORY_H
#define VMM_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/domxml.h"
#include "core/driver.h"

struct vmm_history;

struct vmm_history *vmm_history_new(void);
void vmm_history_free(struct vmm_history *h);

/* Per-machine memory, valid until the next vmm_history_sweep(). */
struct vmm_confref;                 /* a shared, reference-counted definition */

#define VMM_SIZE_UNREAD (-2)

struct vmm_past {
    struct vmm_confref *conf;       /* NULL until a definition was parsed */
    int conf_id;                    /* domain id when it was parsed */
    char *conf_name;
    uint64_t conf_cs;               /* when it was parsed */
    bool conf_outdated;             /* a define event said it changed */
    struct vmm_size { long long capacity, allocation; } *sizes;
    size_t nsizes;                  /* an inactive machine's disk sizes, one
                                     * per disk of conf, VMM_SIZE_UNREAD until read */
    int run_id;                     /* domain id of the run the floors belong to */
    uint64_t started_cs;
    int last_oper;
    bool outgoing;                  /* a migration out is in progress */
    bool job_known;                 /* outgoing is known from the job or
                                     * the events since it was asked */
};

/* Start of a snapshot: nothing seen yet. */
void vmm_history_begin(struct vmm_history *h);

/* The entry of uuid, created empty on first sight; marks it seen. */
struct vmm_past *vmm_history_get(struct vmm_history *h, const unsigned char *uuid);

/* Replace the parsed definition (the old one is released once no snapshot
 * uses it). */
void vmm_history_set_conf(struct vmm_past *p, struct vmm_domconf *conf, int id,
                          const char *name, uint64_t now_cs);

/* Parse uuid's definition again with the next snapshot. */
void vmm_history_forget_conf(struct vmm_history *h, const unsigned char *uuid);

/* A migration of uuid out started (true) or its job was seen gone; an
 * unknown uuid is left alone. */
void vmm_history_set_outgoing(struct vmm_history *h, const unsigned char *uuid, bool outgoing);

/* Events may have been missed (a new connection): the next snapshot asks
 * the job of every machine that runs. */
void vmm_history_recheck_jobs(struct vmm_history *h);

/* Keep the current definition alive for a snapshot / let it go. */
struct vmm_confref *vmm_history_ref_hold(struct vmm_confref *ref);
void vmm_history_ref_release(struct vmm_confref *ref);
const struct vmm_domconf *vmm_history_ref_conf(const struct vmm_confref *ref);

/* Counter floors of the machine's current run (reset when run_id changes). */
void vmm_history_new_run(struct vmm_past *p, int run_id);
void vmm_history_floor(struct vmm_past *p, const char *counter, unsigned long long *value);

/* The calls the connection's driver does not support, remembered across
 * snapshots (vmm_driver_may_call resets it for a new connection). */
struct vmm_support *vmm_history_support(struct vmm_history *h);

/* Forget machines not seen since the last sweep.  Returns true if the set of
 * machines changed (entries created or dropped) since the previous sweep;
 * false on the first sweep. */
bool vmm_history_sweep(struct vmm_history *h);

#endif
