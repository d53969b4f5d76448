/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/history.h"
#include "core/array.h"
#include "core/sorted.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>

/* Snapshots are taken in the collector's thread and freed in snmpd's: the
 * definitions they share with the history are counted under a lock. */
static pthread_mutex_t refs_lock = PTHREAD_MUTEX_INITIALIZER;

struct vmm_confref {
    int refs;
    struct vmm_domconf *conf;
};

struct floor {
    char *name;
    unsigned long long value;
};

struct entry {
    unsigned char uuid[VIR_UUID_BUFLEN];
    struct vmm_past past;
    bool seen;                      /* listed by the snapshot being taken */
    bool listed;                    /* listed by the previous complete one */
    size_t nfloors, floors_cap;
    struct floor *floors;
};

struct vmm_history {
    size_t n, cap;
    struct entry **entries;         /* sorted by UUID */
    bool swept_once;
    struct vmm_support support;
};

struct vmm_history *vmm_history_new(void)
{
    return calloc(1, sizeof(struct vmm_history));
}

struct vmm_support *vmm_history_support(struct vmm_history *h)
{
    return &h->support;
}

struct vmm_confref *vmm_history_ref_hold(struct vmm_confref *ref)
{
    if (ref) {
        pthread_mutex_lock(&refs_lock);
        ref->refs++;
        pthread_mutex_unlock(&refs_lock);
    }
    return ref;
}

void vmm_history_ref_release(struct vmm_confref *ref)
{
    bool last;

    if (!ref)
        return;
    pthread_mutex_lock(&refs_lock);
    last = --ref->refs == 0;
    pthread_mutex_unlock(&refs_lock);
    if (last) {
        vmm_domxml_free(ref->conf);
        free(ref);
    }
}

const struct vmm_domconf *vmm_history_ref_conf(const struct vmm_confref *ref)
{
    return ref ? ref->conf : NULL;
}

static void clear_floors(struct entry *e)
{
    for (size_t i = 0; i < e->nfloors; i++)
        free(e->floors[i].name);
    free(e->floors);
    e->floors = NULL;
    e->nfloors = e->floors_cap = 0;
}

static void entry_free(struct entry *e)
{
    vmm_history_ref_release(e->past.conf);
    free(e->past.conf_name);
    free(e->past.sizes);
    clear_floors(e);
    free(e);
}

void vmm_history_free(struct vmm_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        entry_free(h->entries[i]);
    free(h->entries);
    free(h);
}

void vmm_history_begin(struct vmm_history *h)
{
    for (size_t i = 0; i < h->n; i++)
        h->entries[i]->seen = false;
}

static int key_vs_entry(const void *key, const void *elem)
{
    return memcmp(key, (*(struct entry *const *)elem)->uuid, VIR_UUID_BUFLEN);
}

static size_t locate(const struct vmm_history *h, const unsigned char *uuid, bool *found)
{
    return vmm_sorted_lower_bound(h->entries, h->n, sizeof(*h->entries), uuid, key_vs_entry, found);
}

void vmm_history_forget_conf(struct vmm_history *h, const unsigned char *uuid)
{
    bool found;
    size_t at = locate(h, uuid, &found);

    if (found)
        h->entries[at]->past.conf_outdated = true;
}

void vmm_history_set_outgoing(struct vmm_history *h, const unsigned char *uuid, bool outgoing)
{
    bool found;
    size_t at = locate(h, uuid, &found);

    if (found)
        h->entries[at]->past.outgoing = outgoing;
}

void vmm_history_recheck_jobs(struct vmm_history *h)
{
    for (size_t i = 0; i < h->n; i++)
        h->entries[i]->past.job_known = false;
}

struct vmm_past *vmm_history_get(struct vmm_history *h, const unsigned char *uuid)
{
    bool found;
    size_t at = locate(h, uuid, &found);
    struct entry *e, **slot;

    if (!found) {
        if (!(e = calloc(1, sizeof(*e))))
            return NULL;
        if (!(slot = vmm_sorted_insert((void **)&h->entries, &h->n, &h->cap,
                                       sizeof(*h->entries), at))) {
            free(e);
            return NULL;
        }
        memcpy(e->uuid, uuid, VIR_UUID_BUFLEN);
        e->past.run_id = -1;
        *slot = e;
    }
    h->entries[at]->seen = true;
    return &h->entries[at]->past;
}

void vmm_history_set_conf(struct vmm_past *p, struct vmm_domconf *conf, int id,
                          const char *name, uint64_t now_cs)
{
    struct vmm_confref *ref = calloc(1, sizeof(*ref));
    char *copy = strdup(name ? name : "");

    if (!ref || !copy) {
        free(ref);
        free(copy);
        vmm_domxml_free(conf);
        return;
    }
    ref->refs = 1;
    ref->conf = conf;
    free(p->sizes);
    p->nsizes = 0;
    if ((p->sizes = malloc((conf->ndisks ? conf->ndisks : 1) * sizeof(*p->sizes)))) {
        p->nsizes = conf->ndisks;
        for (size_t i = 0; i < p->nsizes; i++)
            p->sizes[i].capacity = p->sizes[i].allocation = VMM_SIZE_UNREAD;
    }
    vmm_history_ref_release(p->conf);
    free(p->conf_name);
    p->conf = ref;
    p->conf_name = copy;
    p->conf_outdated = false;
    p->conf_id = id;
    p->conf_cs = now_cs;
}

static struct entry *entry_of(struct vmm_past *p)
{
    return (struct entry *)((char *)p - offsetof(struct entry, past));
}

void vmm_history_new_run(struct vmm_past *p, int run_id)
{
    if (p->run_id != run_id)
        clear_floors(entry_of(p));
    p->run_id = run_id;
}

void vmm_history_floor(struct vmm_past *p, const char *counter, unsigned long long *value)
{
    struct entry *e = entry_of(p);
    char *name;

    for (size_t i = 0; i < e->nfloors; i++) {
        if (strcmp(e->floors[i].name, counter) != 0)
            continue;
        if (*value < e->floors[i].value)
            *value = e->floors[i].value;
        else
            e->floors[i].value = *value;
        return;
    }
    /* Out of memory the value is served unfloored: better than none. */
    if (!(name = strdup(counter)))
        return;
    if (vmm_array_grow((void **)&e->floors, &e->floors_cap, e->nfloors + 1, sizeof(*e->floors)) < 0) {
        free(name);
        return;
    }
    e->floors[e->nfloors].name = name;
    e->floors[e->nfloors].value = *value;
    e->nfloors++;
}

bool vmm_history_sweep(struct vmm_history *h)
{
    size_t kept = 0;
    bool changed = false;

    for (size_t i = 0; i < h->n; i++) {
        struct entry *e = h->entries[i];

        changed |= e->seen != e->listed;
        if (!e->seen) {
            entry_free(e);
            continue;
        }
        e->listed = true;
        h->entries[kept++] = e;
    }
    h->n = kept;
    if (!h->swept_once) {
        h->swept_once = true;
        return false;
    }
    return changed;
}
