/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/index.h"
#include "core/array.h"
#include "core/sorted.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counters run 1..VMM_INDEX_MAX + 1; the top value means "exhausted", so
 * they are kept unsigned 32-bit where it still fits. */
#define NEXT_EXHAUSTED ((uint32_t)VMM_INDEX_MAX + 1)

/* vmStorageIndex and vmNetworkIndex follow the same rules, each keyed by
 * text within its machine: a disk's target name, a NIC's MAC as saved. */
enum kind { DISK, NIC, NKINDS };

static const char *const kind_name[NKINDS] = { "disk", "nic" };
static const char *const kind_index[NKINDS] = { "vmStorageIndex", "vmNetworkIndex" };
static const char *const kind_plural[NKINDS] = { "disks", "network interfaces" };

struct child {
    char *key;
    uint32_t index;
};

/* Disks and NICs are few per machine, so plain arrays searched linearly. */
struct children {
    struct child *v;
    size_t n, cap;
    uint32_t next;                  /* the next index to hand out */
    uint32_t loaded_next;           /* the highest NEXT loaded, not yet weighed */
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
 * per-refresh lookups and save() (whose output is thus deterministic), and
 * by vmIndex, so that loading can refuse an index another UUID owns.
 * Records are never removed. */
struct vmm_index {
    struct record **by_uuid;        /* every record */
    size_t nrecords, uuid_cap;
    struct record **by_index;       /* the records with a vmIndex */
    size_t nindexed, index_cap;
    uint32_t next_vm;
    uint32_t loaded_next_vm;        /* as children.loaded_next */
    bool dirty;
    bool loading;                   /* lines came in since the last load end */
    unsigned long refused;          /* lines refused in this load */
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

/* Enough of a refused line to recognise it in the file, safe to log. */
#define SHOWN_MAX 80

static void printable(const char *line, char out[SHOWN_MAX + 4])
{
    size_t i;

    for (i = 0; line[i] && i < SHOWN_MAX; i++)
        out[i] = (unsigned char)line[i] < ' ' || line[i] == 0x7f ? '?' : line[i];
    strcpy(out + i, line[i] ? "..." : "");
}

/* Said while few in this load, counted always. */
static void refuse(struct vmm_index *ix, const char *line, const char *why)
{
    char shown[SHOWN_MAX + 4];

    if (++ix->refused > VMM_INDEX_BAD_SHOWN)
        return;
    printable(line, shown);
    say(ix, "ignoring \"vmMibIndex %s\": %s", shown, why);
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

static struct record *find_record(const struct vmm_index *ix, const unsigned char uuid[16])
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
static struct record *record_prepare(struct vmm_index *ix, const unsigned char uuid[16],
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
    memcpy(r->uuid, uuid, 16);
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
    return ix->next_vm != NEXT_EXHAUSTED;
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
    char uuid[37];

    if (c->n)
        qsort(c->v, c->n, sizeof(*c->v), child_vs_child);
    for (size_t i = 0; i < c->n; i++)
        c->v[i].index = (uint32_t)i + 1;
    c->next = (uint32_t)c->n + 1;
    vmm_uuid_format(r->uuid, uuid);
    say(ix, "%s numbers of machine %s used up: its %s renumbered 1 to %zu in their "
        "previous order", kind_index[k], uuid, kind_plural[k], c->n);
    renumbered(ix);
    return c->next != NEXT_EXHAUSTED;
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
static int child_index(struct vmm_index *ix, const unsigned char uuid[16], enum kind k,
                       const char *key)
{
    struct record *r = find_record(ix, uuid);
    struct child *c;
    bool fresh;

    if (r && (c = find_child(&r->kids[k], key)))
        return (int)c->index;
    if (!(r = record_prepare(ix, uuid, &fresh)))
        return 0;
    if (r->kids[k].next == NEXT_EXHAUSTED && !renumber_children(ix, r, k)) {
        record_discard(r, fresh);
        return 0;
    }
    if (child_add(ix, r, fresh, k, key, r->kids[k].next) < 0)
        return 0;
    ix->dirty = true;
    return (int)r->kids[k].v[r->kids[k].n - 1].index;
}

/* ---- text helpers ----------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Two hex digits into *out. */
static int parse_octet(const char *s, unsigned char *out)
{
    int hi = hex_value(s[0]), lo;

    if (hi < 0)
        return -1;
    lo = hex_value(s[1]);
    if (lo < 0)
        return -1;
    *out = (unsigned char)(hi << 4 | lo);
    return 0;
}

void vmm_uuid_format(const unsigned char uuid[16], char out[37])
{
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6],
             uuid[7], uuid[8], uuid[9], uuid[10], uuid[11], uuid[12],
             uuid[13], uuid[14], uuid[15]);
}

int vmm_uuid_parse(const char *text, unsigned char uuid[16])
{
    unsigned char tmp[16];
    size_t pos = 0;

    if (!text || strlen(text) != 36)
        return -1;
    for (int i = 0; i < 16; i++) {
        if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
            if (text[pos] != '-')
                return -1;
            pos++;
        }
        if (parse_octet(text + pos, &tmp[i]) < 0)
            return -1;
        pos += 2;
    }
    memcpy(uuid, tmp, 16);
    return 0;
}

static void mac_format(const unsigned char mac[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static int mac_parse(const char *text, unsigned char mac[6])
{
    unsigned char tmp[6];

    if (strlen(text) != 17)
        return -1;
    for (int i = 0; i < 6; i++) {
        if (i > 0 && text[3 * i - 1] != ':')
            return -1;
        if (parse_octet(text + 3 * i, &tmp[i]) < 0)
            return -1;
    }
    memcpy(mac, tmp, 6);
    return 0;
}

/* Why a line is refused. */
static const char MALFORMED[] = "not a valid entry";
static const char OUT_OF_RANGE[] = "number out of range";
static const char CONFLICT[] = "conflicts with an earlier entry";
static const char NO_MEMORY[] = "out of memory";
static const char TOO_LONG[] = "too long";

/* Plain decimal digits only (no sign, no blanks), within lo..hi; NULL or
 * why not. */
static const char *parse_number(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v = 0;
    bool big = false;

    if (!*s)
        return MALFORMED;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return MALFORMED;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > hi) {
            big = true;
            v = hi + 1;             /* keeps it from overflowing */
        }
    }
    if (big || v < lo)
        return OUT_OF_RANGE;
    *out = (uint32_t)v;
    return NULL;
}

static const char *parse_index(const char *s, uint32_t *out)
{
    return parse_number(s, 1, VMM_INDEX_MAX, out);
}

static const char *parse_next(const char *s, uint32_t *out)
{
    return parse_number(s, 1, NEXT_EXHAUSTED, out);
}

/* ---- public: lifetime and assignment ---------------------------------- */

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

int vmm_index_vm(struct vmm_index *ix, const unsigned char uuid[16])
{
    struct record *r = find_record(ix, uuid);
    bool fresh;

    if (r && r->index)
        return (int)r->index;
    vmm_index_load_end(ix);
    if ((ix->next_vm == NEXT_EXHAUSTED && !renumber_vms(ix)) ||
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

int vmm_index_disk(struct vmm_index *ix, const unsigned char uuid[16],
                   const char *target)
{
    vmm_index_load_end(ix);
    return target_ok(target) ? child_index(ix, uuid, DISK, target) : 0;
}

int vmm_index_nic(struct vmm_index *ix, const unsigned char uuid[16],
                  const unsigned char mac[6])
{
    char key[18];

    mac_format(mac, key);
    vmm_index_load_end(ix);
    return child_index(ix, uuid, NIC, key);
}

int vmm_index_find_vm(const struct vmm_index *ix, const unsigned char uuid[16])
{
    const struct record *r = find_record(ix, uuid);

    return r ? (int)r->index : 0;
}

bool vmm_index_dirty(const struct vmm_index *ix)
{
    return ix->dirty;
}

/* ---- saving ----------------------------------------------------------- */

struct emitter {
    void (*emit)(const char *line, void *ctx);
    void *ctx;
};

static void save_record(const struct record *r, const struct emitter *e)
{
    char line[VMM_INDEX_LINE_MAX], uuid[37];

    vmm_uuid_format(r->uuid, uuid);
    if (r->index) {
        snprintf(line, sizeof(line), "vm %s %u", uuid, (unsigned)r->index);
        e->emit(line, e->ctx);
    }
    for (int k = 0; k < NKINDS; k++) {
        const struct children *c = &r->kids[k];

        if (c->next > 1) {
            snprintf(line, sizeof(line), "next-%s %s %u", kind_name[k], uuid,
                     (unsigned)c->next);
            e->emit(line, e->ctx);
        }
        for (size_t i = 0; i < c->n; i++) {
            snprintf(line, sizeof(line), "%s %s %s %u", kind_name[k], uuid,
                     c->v[i].key, (unsigned)c->v[i].index);
            e->emit(line, e->ctx);
        }
    }
}

void vmm_index_save(struct vmm_index *ix,
                    void (*emit)(const char *line, void *ctx), void *ctx)
{
    struct emitter e = { emit, ctx };
    char line[VMM_INDEX_LINE_MAX];

    vmm_index_load_end(ix);
    snprintf(line, sizeof(line), "next-vm %u", (unsigned)ix->next_vm);
    emit(line, ctx);
    for (size_t i = 0; i < ix->nrecords; i++)
        save_record(ix->by_uuid[i], &e);
    ix->dirty = false;
}

/* ---- loading ---------------------------------------------------------- */

/* Loaders return NULL if the line is applied, else why it is refused. */

static const char *load_next_vm(struct vmm_index *ix, char **tok, enum kind k)
{
    uint32_t next;
    const char *why;

    (void)k;
    if ((why = parse_next(tok[1], &next)))
        return why;
    if (next > ix->loaded_next_vm)
        ix->loaded_next_vm = next;
    return NULL;
}

static const char *load_vm(struct vmm_index *ix, char **tok, enum kind k)
{
    unsigned char uuid[16];
    struct record *r;
    uint32_t index;
    bool fresh;
    const char *why;

    (void)k;
    if (vmm_uuid_parse(tok[1], uuid) < 0)
        return MALFORMED;
    if ((why = parse_index(tok[2], &index)))
        return why;
    r = find_record(ix, uuid);
    if (r && r->index)
        return r->index == index ? NULL : CONFLICT;
    if (index_owner(ix, index))
        return CONFLICT;
    if (!(r = record_prepare(ix, uuid, &fresh)))
        return NO_MEMORY;
    if (fresh)
        record_insert(ix, r);
    record_set_index(ix, r, index);
    return NULL;
}

/* A key as save() writes it: a disk target as it is, a MAC in lower case. */
static int child_key(enum kind k, const char *text, char key[VMM_INDEX_LINE_MAX])
{
    unsigned char mac[6];

    if (k == DISK) {
        if (!target_ok(text))
            return -1;
        snprintf(key, VMM_INDEX_LINE_MAX, "%s", text);
        return 0;
    }
    if (mac_parse(text, mac) < 0)
        return -1;
    mac_format(mac, key);
    return 0;
}

/* disk UUID TARGET INDEX, nic UUID MAC INDEX */
static const char *load_child(struct vmm_index *ix, char **tok, enum kind k)
{
    unsigned char uuid[16];
    char key[VMM_INDEX_LINE_MAX];
    struct record *r;
    struct child *c;
    uint32_t index;
    bool fresh;
    const char *why;

    if (vmm_uuid_parse(tok[1], uuid) < 0 || child_key(k, tok[2], key) < 0)
        return MALFORMED;
    if ((why = parse_index(tok[3], &index)))
        return why;
    r = find_record(ix, uuid);
    if (r && (c = find_child(&r->kids[k], key)))
        return c->index == index ? NULL : CONFLICT;
    if (r && child_index_taken(&r->kids[k], index))
        return CONFLICT;
    if (!(r = record_prepare(ix, uuid, &fresh)))
        return NO_MEMORY;
    return child_add(ix, r, fresh, k, key, index) < 0 ? NO_MEMORY : NULL;
}

/* next-disk and next-nic: note the machine's counter, creating its record
 * if need be (the counter alone is worth keeping: it prevents reuse). */
static const char *load_next_child(struct vmm_index *ix, char **tok, enum kind k)
{
    unsigned char uuid[16];
    struct record *r;
    uint32_t next;
    bool fresh;
    const char *why;

    if (vmm_uuid_parse(tok[1], uuid) < 0)
        return MALFORMED;
    if ((why = parse_next(tok[2], &next)))
        return why;
    if (next == 1 && !find_record(ix, uuid))
        return NULL;                /* the default: nothing to record */
    if (!(r = record_prepare(ix, uuid, &fresh)))
        return NO_MEMORY;
    if (fresh)
        record_insert(ix, r);
    if (next > r->kids[k].loaded_next)
        r->kids[k].loaded_next = next;
    return NULL;
}

#define MAX_TOKENS 4

/* Split buf in place on blanks; -1 if there are more than MAX_TOKENS. */
static int split(char *buf, char *tok[MAX_TOKENS])
{
    int n = 0;
    char *save = NULL;

    for (char *t = strtok_r(buf, " \t\r\n\v\f", &save); t;
         t = strtok_r(NULL, " \t\r\n\v\f", &save)) {
        if (n == MAX_TOKENS)
            return -1;
        tok[n++] = t;
    }
    return n;
}

static const char *load(struct vmm_index *ix, const char *line)
{
    static const struct {
        const char *keyword;
        int ntokens;
        const char *(*load)(struct vmm_index *ix, char **tok, enum kind k);
        enum kind kind;
    } kinds[] = {
        { "next-vm", 2, load_next_vm, DISK },
        { "vm", 3, load_vm, DISK },
        { "next-disk", 3, load_next_child, DISK },
        { "disk", 4, load_child, DISK },
        { "next-nic", 3, load_next_child, NIC },
        { "nic", 4, load_child, NIC },
    };
    char buf[VMM_INDEX_LINE_MAX], *tok[MAX_TOKENS];
    int n;

    if (strlen(line) >= sizeof(buf))
        return TOO_LONG;
    strcpy(buf, line);
    n = split(buf, tok);
    if (n < 1)
        return MALFORMED;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(tok[0], kinds[i].keyword) == 0)
            return n == kinds[i].ntokens ? kinds[i].load(ix, tok, kinds[i].kind) : MALFORMED;
    return MALFORMED;
}

int vmm_index_load_line(struct vmm_index *ix, const char *line)
{
    const char *why;

    if (!line)
        return -1;
    ix->loading = true;
    if (!(why = load(ix, line)))
        return 0;
    refuse(ix, line, why);
    return -1;
}

/* The highest NEXT loaded for one counter, against the highest number in
 * use (held) once every entry is in; the line is refused beyond the window. */
static void weigh(struct vmm_index *ix, uint32_t *next, uint32_t *loaded, uint32_t held,
                  const char *line, const char *what)
{
    char why[160];

    if (*loaded > *next) {
        if (*loaded - held - 1 <= VMM_INDEX_NEXT_WINDOW) {
            *next = *loaded;
        } else {
            snprintf(why, sizeof(why), "more than %d above the highest %s in use (%u)",
                     VMM_INDEX_NEXT_WINDOW, what, (unsigned)held);
            refuse(ix, line, why);
        }
    }
    *loaded = 0;
}

static uint32_t highest_child(const struct children *c)
{
    uint32_t top = 0;

    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].index > top)
            top = c->v[i].index;
    return top;
}

void vmm_index_load_end(struct vmm_index *ix)
{
    char line[VMM_INDEX_LINE_MAX], uuid[37], what[64];

    if (!ix->loading)
        return;
    ix->loading = false;
    snprintf(line, sizeof(line), "next-vm %u", (unsigned)ix->loaded_next_vm);
    weigh(ix, &ix->next_vm, &ix->loaded_next_vm,
          ix->nindexed ? ix->by_index[ix->nindexed - 1]->index : 0, line, "vmIndex");
    for (size_t i = 0; i < ix->nrecords; i++) {
        struct record *r = ix->by_uuid[i];

        for (int k = 0; k < NKINDS; k++) {
            struct children *c = &r->kids[k];

            if (c->loaded_next <= c->next) {
                c->loaded_next = 0;
                continue;
            }
            vmm_uuid_format(r->uuid, uuid);
            snprintf(line, sizeof(line), "next-%s %s %u", kind_name[k], uuid,
                     (unsigned)c->loaded_next);
            snprintf(what, sizeof(what), "%s of that machine", kind_index[k]);
            weigh(ix, &c->next, &c->loaded_next, highest_child(c), line, what);
        }
    }
    if (ix->refused > VMM_INDEX_BAD_SHOWN)
        say(ix, "%lu more bad vmMibIndex lines ignored", ix->refused - VMM_INDEX_BAD_SHOWN);
    ix->refused = 0;
}
