/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/index.h"
#include "core/array.h"
#include "core/sorted.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* vmStorageIndex and vmNetworkIndex follow the same rules, each keyed by
 * text within its machine: a disk's target name, a NIC's MAC as saved. */
enum kind { DISK, NIC, NKINDS };

static const char *const kind_index[NKINDS] = { "vmStorageIndex", "vmNetworkIndex" };
static const char *const kind_plural[NKINDS] = { "disks", "network interfaces" };
static const enum vmm_index_field kind_next[NKINDS] = { VMM_INDEX_NEXT_DISK, VMM_INDEX_NEXT_NIC };
static const enum vmm_index_field kind_field[NKINDS] = { VMM_INDEX_DISK, VMM_INDEX_NIC };

struct child {
    char *key;
    uint32_t index;
};

/* Disks and NICs are few per machine, so plain arrays searched linearly. */
struct children {
    struct child *v;
    size_t n, cap;
    uint32_t next;                  /* the next index to hand out */
};

/* A machine has a record as soon as any of its three kinds of index is
 * known; index stays 0 while only its disks or NICs have been numbered. */
struct record {
    unsigned char uuid[VMM_UUID_LEN];   /* first: compared by vmm_uuid_cmp */
    uint32_t index;
    struct children kids[NKINDS];
};

_Static_assert(offsetof(struct record, uuid) == 0, "vmm_uuid_cmp reads the UUID first");

/* Records are found through two sorted sets of pointers: by UUID, for the
 * per-refresh lookups and vmm_index_each() (whose order is thus
 * deterministic), and by vmIndex, so that restoring can refuse an index
 * another UUID owns.  Records are never removed. */
struct vmm_index {
    struct record **by_uuid;        /* every record */
    size_t nrecords, uuid_cap;
    struct record **by_index;       /* the records with a vmIndex */
    size_t nindexed, index_cap;
    uint32_t next_vm;
    bool dirty;
    struct vmm_index_listener listener;
};

/* ---- telling the operator --------------------------------------------- */

static void say(const struct vmm_index *ix, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(const struct vmm_index *ix, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!ix->listener.say)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ix->listener.say(msg, ix->listener.ctx);
}

static void renumbered(struct vmm_index *ix)
{
    ix->dirty = true;
    if (ix->listener.renumbered)
        ix->listener.renumbered(ix->listener.ctx);
}

/* ---- records ---------------------------------------------------------- */

static int record_vs_uuid(const void *key, const void *elem)
{
    return vmm_uuid_cmp(key, *(struct record *const *)elem);
}

static int record_vs_index(const void *key, const void *elem)
{
    uint32_t a = *(const uint32_t *)key, b = (*(struct record *const *)elem)->index;

    return a < b ? -1 : a > b;
}

static struct record *find_record(const struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN])
{
    bool found;
    size_t at = vmm_sorted_lower_bound(ix->by_uuid, ix->nrecords, sizeof(*ix->by_uuid), uuid,
                                record_vs_uuid, &found);

    return found ? ix->by_uuid[at] : NULL;
}

static struct record *index_owner(const struct vmm_index *ix, uint32_t index)
{
    bool found;
    size_t at = vmm_sorted_lower_bound(ix->by_index, ix->nindexed, sizeof(*ix->by_index), &index,
                                record_vs_index, &found);

    return found ? ix->by_index[at] : NULL;
}

/* Room for one more record and one more vmIndex in the sets, so that
 * record_insert() and record_set_index() cannot fail. */
static int reserve(struct vmm_index *ix)
{
    if (vmm_array_grow((void **)&ix->by_uuid, &ix->uuid_cap, ix->nrecords + 1,
                 sizeof(*ix->by_uuid)) < 0)
        return -1;
    return vmm_array_grow((void **)&ix->by_index, &ix->index_cap, ix->nindexed + 1,
                    sizeof(*ix->by_index));
}

/* Into a set with room reserved: vmm_sorted_insert() does not fail. */
static void set_insert(struct record ***set, size_t *n, size_t *cap, size_t at,
                       struct record *r)
{
    struct record **slot = vmm_sorted_insert((void **)set, n, cap, sizeof(**set), at);

    *slot = r;
}

static void record_free(struct record *r)
{
    for (int k = 0; k < NKINDS; k++) {
        for (size_t i = 0; i < r->kids[k].n; i++)
            free(r->kids[k].v[i].key);
        free(r->kids[k].v);
    }
    free(r);
}

/* The machine's record; if it has none, a new one that is not yet in the
 * registry (*fresh set): the caller inserts it with record_insert() once
 * everything else it needs has been allocated, or discards it, so that
 * failure leaves the registry as it was. */
static struct record *record_prepare(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN],
                                     bool *fresh)
{
    struct record *r;

    *fresh = false;
    if (reserve(ix) < 0)
        return NULL;
    if ((r = find_record(ix, uuid)))
        return r;
    if (!(r = calloc(1, sizeof(*r))))
        return NULL;
    memcpy(r->uuid, uuid, VMM_UUID_LEN);
    r->kids[DISK].next = r->kids[NIC].next = 1;
    *fresh = true;
    return r;
}

static void record_insert(struct vmm_index *ix, struct record *r)
{
    bool found;
    size_t at = vmm_sorted_lower_bound(ix->by_uuid, ix->nrecords, sizeof(*ix->by_uuid), r->uuid,
                                record_vs_uuid, &found);

    set_insert(&ix->by_uuid, &ix->nrecords, &ix->uuid_cap, at, r);
}

static void record_discard(struct record *r, bool fresh)
{
    if (fresh)
        record_free(r);
}

static void record_set_index(struct vmm_index *ix, struct record *r, uint32_t index)
{
    bool found;
    size_t at = vmm_sorted_lower_bound(ix->by_index, ix->nindexed, sizeof(*ix->by_index), &index,
                                record_vs_index, &found);

    r->index = index;
    set_insert(&ix->by_index, &ix->nindexed, &ix->index_cap, at, r);
    if (index >= ix->next_vm)
        ix->next_vm = index + 1;
}

/* Every number up to the top is held: the machines known (also those no
 * longer defined: their numbers must not go to others) get 1..n in the
 * order they had.  False if even that leaves no number free. */
static bool renumber_vms(struct vmm_index *ix)
{
    for (size_t i = 0; i < ix->nindexed; i++)
        ix->by_index[i]->index = (uint32_t)i + 1;
    ix->next_vm = (uint32_t)ix->nindexed + 1;
    say(ix, "vmIndex numbers used up: the machines known renumbered 1 to %zu in their "
        "previous order", ix->nindexed);
    renumbered(ix);
    return ix->next_vm != VMM_INDEX_EXHAUSTED;
}

/* ---- disks and NICs --------------------------------------------------- */

static struct child *find_child(const struct children *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].key, key) == 0)
            return &c->v[i];
    return NULL;
}

static bool child_index_taken(const struct children *c, uint32_t index)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].index == index)
            return true;
    return false;
}

static int child_vs_child(const void *a, const void *b)
{
    uint32_t x = ((const struct child *)a)->index, y = ((const struct child *)b)->index;

    return x < y ? -1 : x > y;
}

/* As renumber_vms(), for the machine's disks or NICs. */
static bool renumber_children(struct vmm_index *ix, struct record *r, enum kind k)
{
    struct children *c = &r->kids[k];
    char uuid[VMM_UUID_TEXT_LEN];

    if (c->n)
        qsort(c->v, c->n, sizeof(*c->v), child_vs_child);
    for (size_t i = 0; i < c->n; i++)
        c->v[i].index = (uint32_t)i + 1;
    c->next = (uint32_t)c->n + 1;
    vmm_uuid_format(r->uuid, uuid);
    say(ix, "%s numbers of machine %s used up: its %s renumbered 1 to %zu in their "
        "previous order", kind_index[k], uuid, kind_plural[k], c->n);
    renumbered(ix);
    return c->next != VMM_INDEX_EXHAUSTED;
}

/* Add key -> index to the record (a fresh one is inserted on success).
 * The caller has checked for conflicts. */
static int child_add(struct vmm_index *ix, struct record *r, bool fresh, enum kind k,
                     const char *key, uint32_t index)
{
    struct children *c = &r->kids[k];
    char *copy = strdup(key);

    if (!copy || vmm_array_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v)) < 0) {
        free(copy);
        record_discard(r, fresh);
        return -1;
    }
    if (fresh)
        record_insert(ix, r);
    c->v[c->n].key = copy;
    c->v[c->n++].index = index;
    if (index >= c->next)
        c->next = index + 1;
    return 0;
}

/* The index of the machine's disk or NIC with this key, assigned on first
 * sight; 0 if out of indexes or memory. */
static int child_index(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN], enum kind k,
                       const char *key)
{
    struct record *r = find_record(ix, uuid);
    struct child *c;
    bool fresh;

    if (r && (c = find_child(&r->kids[k], key)))
        return (int)c->index;
    if (!(r = record_prepare(ix, uuid, &fresh)))
        return 0;
    if (r->kids[k].next == VMM_INDEX_EXHAUSTED && !renumber_children(ix, r, k)) {
        record_discard(r, fresh);
        return 0;
    }
    if (child_add(ix, r, fresh, k, key, r->kids[k].next) < 0)
        return 0;
    ix->dirty = true;
    return (int)r->kids[k].v[r->kids[k].n - 1].index;
}

/* ---- public: lifetime and assignment ---------------------------------- */

void vmm_index_mac_key(const unsigned char mac[6], char key[VMM_INDEX_MAC_KEY_LEN])
{
    snprintf(key, VMM_INDEX_MAC_KEY_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

struct vmm_index *vmm_index_new(void)
{
    struct vmm_index *ix = calloc(1, sizeof(*ix));

    if (ix)
        ix->next_vm = 1;
    return ix;
}

void vmm_index_free(struct vmm_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->nrecords; i++)
        record_free(ix->by_uuid[i]);
    free(ix->by_uuid);
    free(ix->by_index);
    free(ix);
}

void vmm_index_set_listener(struct vmm_index *ix, const struct vmm_index_listener *l)
{
    ix->listener = *l;
}

int vmm_index_vm(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN])
{
    struct record *r = find_record(ix, uuid);
    bool fresh;

    if (r && r->index)
        return (int)r->index;
    if ((ix->next_vm == VMM_INDEX_EXHAUSTED && !renumber_vms(ix)) ||
        !(r = record_prepare(ix, uuid, &fresh)))
        return 0;
    if (fresh)
        record_insert(ix, r);
    record_set_index(ix, r, ix->next_vm);
    ix->dirty = true;
    return (int)r->index;
}

/* Targets go into space-separated lines, so blanks and control characters
 * cannot be stored; bytes >= 0x80 (UTF-8) are fine. */
static bool target_ok(const char *target)
{
    size_t len;

    if (!target)
        return false;
    len = strlen(target);
    if (len == 0 || len > VMM_INDEX_TARGET_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)target[i];

        if (c <= ' ' || c == 0x7f)
            return false;
    }
    return true;
}

int vmm_index_disk(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN],
                   const char *target)
{
    return target_ok(target) ? child_index(ix, uuid, DISK, target) : 0;
}

int vmm_index_nic(struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN],
                  const unsigned char mac[6])
{
    char key[VMM_INDEX_MAC_KEY_LEN];

    vmm_index_mac_key(mac, key);
    return child_index(ix, uuid, NIC, key);
}

int vmm_index_find_vm(const struct vmm_index *ix, const unsigned char uuid[VMM_UUID_LEN])
{
    const struct record *r = find_record(ix, uuid);

    return r ? (int)r->index : 0;
}

bool vmm_index_dirty(const struct vmm_index *ix)
{
    return ix->dirty;
}


/* ---- entries ---------------------------------------------------------- */

static void each_of_record(const struct record *r,
                           void (*fn)(const struct vmm_index_entry *e, void *ctx), void *ctx)
{
    struct vmm_index_entry e = { .field = VMM_INDEX_VM, .number = r->index };

    memcpy(e.uuid, r->uuid, VMM_UUID_LEN);
    if (r->index)
        fn(&e, ctx);
    for (int k = 0; k < NKINDS; k++) {
        const struct children *c = &r->kids[k];

        e.key = NULL;
        e.field = kind_next[k];
        e.number = c->next;
        if (c->next > 1)
            fn(&e, ctx);
        e.field = kind_field[k];
        for (size_t i = 0; i < c->n; i++) {
            e.key = c->v[i].key;
            e.number = c->v[i].index;
            fn(&e, ctx);
        }
    }
}

void vmm_index_each(const struct vmm_index *ix,
                    void (*fn)(const struct vmm_index_entry *e, void *ctx), void *ctx)
{
    struct vmm_index_entry e = { .field = VMM_INDEX_NEXT_VM, .number = ix->next_vm };

    fn(&e, ctx);
    for (size_t i = 0; i < ix->nrecords; i++)
        each_of_record(ix->by_uuid[i], fn, ctx);
}

void vmm_index_saved(struct vmm_index *ix)
{
    ix->dirty = false;
}

static enum vmm_index_refusal restore_vm(struct vmm_index *ix, const struct vmm_index_entry *e)
{
    struct record *r = find_record(ix, e->uuid);
    bool fresh;

    if (r && r->index)
        return r->index == e->number ? VMM_INDEX_RESTORED : VMM_INDEX_CONFLICT;
    if (index_owner(ix, e->number))
        return VMM_INDEX_CONFLICT;
    if (!(r = record_prepare(ix, e->uuid, &fresh)))
        return VMM_INDEX_NO_MEMORY;
    if (fresh)
        record_insert(ix, r);
    record_set_index(ix, r, e->number);
    return VMM_INDEX_RESTORED;
}

/* What vmm_index_mac_key() writes. */
static bool mac_key_ok(const char *key)
{
    if (!key || strlen(key) != VMM_INDEX_MAC_KEY_LEN - 1)
        return false;
    for (int i = 0; i < VMM_INDEX_MAC_KEY_LEN - 1; i++)
        if (i % 3 == 2 ? key[i] != ':' : !strchr("0123456789abcdef", key[i]))
            return false;
    return true;
}

static enum vmm_index_refusal restore_child(struct vmm_index *ix, enum kind k,
                                            const struct vmm_index_entry *e)
{
    struct record *r;
    struct child *c;
    bool fresh;

    if (!(k == DISK ? target_ok(e->key) : mac_key_ok(e->key)))
        return VMM_INDEX_BAD_KEY;
    r = find_record(ix, e->uuid);
    if (r && (c = find_child(&r->kids[k], e->key)))
        return c->index == e->number ? VMM_INDEX_RESTORED : VMM_INDEX_CONFLICT;
    if (r && child_index_taken(&r->kids[k], e->number))
        return VMM_INDEX_CONFLICT;
    if (!(r = record_prepare(ix, e->uuid, &fresh)))
        return VMM_INDEX_NO_MEMORY;
    return child_add(ix, r, fresh, k, e->key, e->number) < 0 ? VMM_INDEX_NO_MEMORY
                                                              : VMM_INDEX_RESTORED;
}

/* The machine's counter, creating its record if need be (the counter
 * alone is worth keeping: it prevents reuse). */
static enum vmm_index_refusal restore_next_child(struct vmm_index *ix, enum kind k,
                                                 const struct vmm_index_entry *e)
{
    struct record *r;
    bool fresh;

    if (e->number == 1 && !find_record(ix, e->uuid))
        return VMM_INDEX_RESTORED;  /* the default: nothing to record */
    if (!(r = record_prepare(ix, e->uuid, &fresh)))
        return VMM_INDEX_NO_MEMORY;
    if (fresh)
        record_insert(ix, r);
    if (e->number > r->kids[k].next)
        r->kids[k].next = e->number;
    return VMM_INDEX_RESTORED;
}

/* The kind of a DISK, NIC or their NEXT. */
static enum kind kind_of(enum vmm_index_field f)
{
    return f <= VMM_INDEX_DISK ? DISK : NIC;
}

static bool is_next(enum vmm_index_field f)
{
    return f == VMM_INDEX_NEXT_VM || f == VMM_INDEX_NEXT_DISK || f == VMM_INDEX_NEXT_NIC;
}

enum vmm_index_refusal vmm_index_restore(struct vmm_index *ix, const struct vmm_index_entry *e)
{
    enum kind k = kind_of(e->field);

    if (e->number < 1 || e->number > (is_next(e->field) ? VMM_INDEX_EXHAUSTED : VMM_INDEX_MAX))
        return VMM_INDEX_OUT_OF_RANGE;
    switch (e->field) {
    case VMM_INDEX_NEXT_VM:
        if (e->number > ix->next_vm)
            ix->next_vm = e->number;
        return VMM_INDEX_RESTORED;
    case VMM_INDEX_VM:
        return restore_vm(ix, e);
    case VMM_INDEX_NEXT_DISK:
    case VMM_INDEX_NEXT_NIC:
        return restore_next_child(ix, k, e);
    case VMM_INDEX_DISK:
    case VMM_INDEX_NIC:
        return restore_child(ix, k, e);
    }
    return VMM_INDEX_BAD_KEY;
}

static uint32_t highest_child(const struct children *c)
{
    uint32_t top = 0;

    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].index > top)
            top = c->v[i].index;
    return top;
}

uint32_t vmm_index_highest(const struct vmm_index *ix, const struct vmm_index_entry *next)
{
    const struct record *r;

    if (next->field == VMM_INDEX_NEXT_VM)
        return ix->nindexed ? ix->by_index[ix->nindexed - 1]->index : 0;
    r = find_record(ix, next->uuid);
    return r ? highest_child(&r->kids[kind_of(next->field)]) : 0;
}
