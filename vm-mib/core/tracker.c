/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/tracker.h"
#include "core/sorted.h"

#include <stdlib.h>
#include <string.h>

#define OPER_PREPARING 3

_Static_assert(offsetof(struct vmm_tracked, uuid) == 0, "vmm_uuid_cmp reads the UUID first");

struct vmm_tracker {
    size_t n, cap;
    struct vmm_tracked *m;          /* sorted by UUID */
    bool seeded;
};

struct vmm_tracker *vmm_tracker_new(void)
{
    return calloc(1, sizeof(struct vmm_tracker));
}

void vmm_tracker_free_entry(struct vmm_tracked *m)
{
    free(m->name);
    m->name = NULL;
}

void vmm_tracker_free(struct vmm_tracker *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        vmm_tracker_free_entry(&t->m[i]);
    free(t->m);
    free(t);
}

bool vmm_tracker_seeded(const struct vmm_tracker *t)
{
    return t->seeded;
}

static size_t locate(const struct vmm_tracker *t, const unsigned char *uuid, bool *found)
{
    return vmm_sorted_lower_bound(t->m, t->n, sizeof(*t->m), uuid, vmm_uuid_cmp, found);
}

static struct vmm_tracked *insert(struct vmm_tracker *t, size_t at, const unsigned char *uuid)
{
    struct vmm_tracked *m = vmm_sorted_insert((void **)&t->m, &t->n, &t->cap, sizeof(*t->m), at);

    if (!m)
        return NULL;
    memcpy(m->uuid, uuid, VMM_UUID_LEN);
    m->oper = OPER_PREPARING;
    return m;
}

/* RFC 7666 has no notification for unknown(1), other(2) or preparing(3).
 * A machine passing through one (QEMU's start pauses it "starting up")
 * keeps its last announced state, which the next notification carries. */
static bool announced(int oper)
{
    return oper > OPER_PREPARING;
}

bool vmm_tracker_update(struct vmm_tracker *t, const unsigned char *uuid,
                        const char *name, int oper, int persistent, int *old)
{
    bool found;
    size_t at = locate(t, uuid, &found);
    struct vmm_tracked *m = found ? &t->m[at] : insert(t, at, uuid);
    char *copy;

    if (!m)
        return false;
    m->seen = true;
    m->persistent = persistent;
    if (name && (!m->name || strcmp(m->name, name) != 0) && (copy = strdup(name))) {
        free(m->name);
        m->name = copy;
    }
    *old = m->oper;
    if (!announced(oper))
        return false;
    m->oper = oper;
    return *old != oper;
}

void vmm_tracker_set_incoming(struct vmm_tracker *t, const unsigned char *uuid, bool incoming)
{
    bool found;
    size_t at = locate(t, uuid, &found);

    if (found)
        t->m[at].incoming = incoming;
}

const struct vmm_tracked *vmm_tracker_get(const struct vmm_tracker *t, const unsigned char *uuid)
{
    bool found;
    size_t at = locate(t, uuid, &found);

    return found ? &t->m[at] : NULL;
}

bool vmm_tracker_remove(struct vmm_tracker *t, const unsigned char *uuid,
                        struct vmm_tracked *last)
{
    bool found;
    size_t at = locate(t, uuid, &found);

    if (!found)
        return false;
    *last = t->m[at];
    vmm_sorted_erase(t->m, &t->n, sizeof(*t->m), at);
    return true;
}

void vmm_tracker_begin(struct vmm_tracker *t)
{
    for (size_t i = 0; i < t->n; i++)
        t->m[i].seen = false;
}

void vmm_tracker_end(struct vmm_tracker *t,
                     void (*gone)(const struct vmm_tracked *m, void *ctx), void *ctx)
{
    size_t kept = 0;

    for (size_t i = 0; i < t->n; i++) {
        if (t->m[i].seen) {
            t->m[kept++] = t->m[i];
            continue;
        }
        if (gone && t->seeded)
            gone(&t->m[i], ctx);
        vmm_tracker_free_entry(&t->m[i]);
    }
    t->n = kept;
    t->seeded = true;
}

void vmm_tracker_each(const struct vmm_tracker *t,
                      void (*fn)(const struct vmm_tracked *m, void *ctx), void *ctx)
{
    for (size_t i = 0; i < t->n; i++)
        fn(&t->m[i], ctx);
}

bool vmm_tracker_restore(struct vmm_tracker *t, const unsigned char *uuid, const char *name,
                         int oper, int persistent)
{
    int old;

    if (!announced(oper))
        return false;
    vmm_tracker_update(t, uuid, name, oper, persistent, &old);
    return vmm_tracker_get(t, uuid) != NULL;
}

void vmm_tracker_mark_seeded(struct vmm_tracker *t)
{
    t->seeded = true;
}
