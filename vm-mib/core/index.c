#include "core/index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counters run 1..VMM_INDEX_MAX + 1; the top value means "exhausted", so
 * they are kept unsigned 32-bit where it still fits. */
#define NEXT_EXHAUSTED ((uint32_t)VMM_INDEX_MAX + 1)

struct vmm_disk {
    char *target;
    uint32_t index;
};

struct vmm_nic {
    unsigned char mac[6];
    uint32_t index;
};

/* A machine has a record as soon as any of its three kinds of index is
 * known; index stays 0 while only its disks or NICs have been numbered.
 * Disks and NICs are few per machine, so plain arrays searched linearly. */
struct vmm_machine {
    unsigned char uuid[16];
    uint32_t index;
    uint32_t next_disk, next_nic;
    struct vmm_disk *disks;
    size_t ndisks, disks_cap;
    struct vmm_nic *nics;
    size_t nnics, nics_cap;
};

/* Machines live in a vector in first-seen order (which save() keeps, so its
 * output is deterministic) and are found through two open-addressing hash
 * tables holding vector position + 1 (0 = empty slot): one keyed by UUID for
 * the per-refresh lookups, one keyed by vmIndex so that loading can refuse an
 * index already owned by another UUID.  Entries are never removed, so no
 * tombstones are needed. */
struct vmm_index {
    struct vmm_machine **machines;
    size_t nmachines, machines_cap;
    size_t *by_uuid, *by_index;
    size_t table_size;              /* power of two, > 2 * nmachines */
    uint32_t next_vm;
    bool dirty;
};

/* ---- hashing ---------------------------------------------------------- */

/* splitmix64's finaliser: test UUIDs often differ in one byte only, so the
 * bits must be spread before masking. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t hash_uuid(const unsigned char uuid[16])
{
    uint64_t a, b;

    memcpy(&a, uuid, 8);
    memcpy(&b, uuid + 8, 8);
    return mix64(a ^ mix64(b));
}

/* The slot holding uuid, or the empty slot where it would go. */
static size_t uuid_slot(const struct vmm_index *ix, const unsigned char uuid[16])
{
    size_t mask = ix->table_size - 1;
    size_t s = (size_t)hash_uuid(uuid) & mask;

    while (ix->by_uuid[s] &&
           memcmp(ix->machines[ix->by_uuid[s] - 1]->uuid, uuid, 16) != 0)
        s = (s + 1) & mask;
    return s;
}

static size_t index_slot(const struct vmm_index *ix, uint32_t index)
{
    size_t mask = ix->table_size - 1;
    size_t s = (size_t)mix64(index) & mask;

    while (ix->by_index[s] && ix->machines[ix->by_index[s] - 1]->index != index)
        s = (s + 1) & mask;
    return s;
}

static struct vmm_machine *find_machine(const struct vmm_index *ix,
                                        const unsigned char uuid[16])
{
    size_t pos = ix->by_uuid[uuid_slot(ix, uuid)];

    return pos ? ix->machines[pos - 1] : NULL;
}

static struct vmm_machine *index_owner(const struct vmm_index *ix, uint32_t index)
{
    size_t pos = ix->by_index[index_slot(ix, index)];

    return pos ? ix->machines[pos - 1] : NULL;
}

/* ---- growing ---------------------------------------------------------- */

/* array, reallocated if need be so that it has room for used + 1 elements;
 * NULL (array untouched) if out of memory. */
static void *room_for_one(void *array, size_t *cap, size_t used, size_t elem)
{
    size_t ncap;
    void *p;

    if (used < *cap)
        return array;
    ncap = *cap ? *cap * 2 : 4;
    p = realloc(array, ncap * elem);
    if (p)
        *cap = ncap;
    return p;
}

static int rehash(struct vmm_index *ix, size_t size)
{
    size_t *by_uuid = calloc(size, sizeof(*by_uuid));
    size_t *by_index = calloc(size, sizeof(*by_index));

    if (!by_uuid || !by_index) {
        free(by_uuid);
        free(by_index);
        return -1;
    }
    free(ix->by_uuid);
    free(ix->by_index);
    ix->by_uuid = by_uuid;
    ix->by_index = by_index;
    ix->table_size = size;
    for (size_t i = 0; i < ix->nmachines; i++) {
        ix->by_uuid[uuid_slot(ix, ix->machines[i]->uuid)] = i + 1;
        if (ix->machines[i]->index)
            ix->by_index[index_slot(ix, ix->machines[i]->index)] = i + 1;
    }
    return 0;
}

/* Make room for one more machine, so that inserting it cannot fail.  Tables
 * stay at most half full to keep probe sequences short. */
static int reserve_machine(struct vmm_index *ix)
{
    void *p = room_for_one(ix->machines, &ix->machines_cap, ix->nmachines,
                           sizeof(*ix->machines));

    if (!p)
        return -1;
    ix->machines = p;
    if (2 * (ix->nmachines + 1) < ix->table_size)
        return 0;
    return rehash(ix, ix->table_size * 2);
}

/* ---- machines --------------------------------------------------------- */

static void machine_free(struct vmm_machine *m)
{
    for (size_t i = 0; i < m->ndisks; i++)
        free(m->disks[i].target);
    free(m->disks);
    free(m->nics);
    free(m);
}

/* The machine's record; if it has none, a new one that is not yet in the
 * registry (*fresh set): the caller inserts it with machine_insert() once
 * everything else it needs has been allocated, or frees it, so that failure
 * leaves the registry as it was. */
static struct vmm_machine *machine_prepare(struct vmm_index *ix,
                                           const unsigned char uuid[16],
                                           bool *fresh)
{
    struct vmm_machine *m = find_machine(ix, uuid);

    *fresh = false;
    if (m)
        return m;
    if (reserve_machine(ix) < 0)
        return NULL;
    m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    memcpy(m->uuid, uuid, 16);
    m->next_disk = 1;
    m->next_nic = 1;
    *fresh = true;
    return m;
}

/* Cannot fail after machine_prepare() (which reserved the room). */
static void machine_insert(struct vmm_index *ix, struct vmm_machine *m)
{
    ix->by_uuid[uuid_slot(ix, m->uuid)] = ix->nmachines + 1;
    ix->machines[ix->nmachines++] = m;
}

static void machine_discard(struct vmm_machine *m, bool fresh)
{
    if (fresh)
        machine_free(m);
}

static void machine_set_index(struct vmm_index *ix, struct vmm_machine *m,
                              uint32_t index)
{
    size_t pos = ix->by_uuid[uuid_slot(ix, m->uuid)];

    m->index = index;
    ix->by_index[index_slot(ix, index)] = pos;
    if (index >= ix->next_vm)
        ix->next_vm = index + 1;
}

static struct vmm_disk *find_disk(const struct vmm_machine *m, const char *target)
{
    for (size_t i = 0; i < m->ndisks; i++)
        if (strcmp(m->disks[i].target, target) == 0)
            return &m->disks[i];
    return NULL;
}

static bool disk_index_taken(const struct vmm_machine *m, uint32_t index)
{
    for (size_t i = 0; i < m->ndisks; i++)
        if (m->disks[i].index == index)
            return true;
    return false;
}

static struct vmm_nic *find_nic(const struct vmm_machine *m,
                                const unsigned char mac[6])
{
    for (size_t i = 0; i < m->nnics; i++)
        if (memcmp(m->nics[i].mac, mac, 6) == 0)
            return &m->nics[i];
    return NULL;
}

static bool nic_index_taken(const struct vmm_machine *m, uint32_t index)
{
    for (size_t i = 0; i < m->nnics; i++)
        if (m->nics[i].index == index)
            return true;
    return false;
}

/* Add target -> index to the machine (a fresh one is inserted on success).
 * The caller has checked for conflicts. */
static int disk_add(struct vmm_index *ix, struct vmm_machine *m, bool fresh,
                    const char *target, uint32_t index)
{
    void *p = room_for_one(m->disks, &m->disks_cap, m->ndisks, sizeof(*m->disks));
    char *copy;

    if (p)
        m->disks = p;
    if (!p || !(copy = strdup(target))) {
        machine_discard(m, fresh);
        return -1;
    }
    if (fresh)
        machine_insert(ix, m);
    m->disks[m->ndisks].target = copy;
    m->disks[m->ndisks++].index = index;
    if (index >= m->next_disk)
        m->next_disk = index + 1;
    return 0;
}

static int nic_add(struct vmm_index *ix, struct vmm_machine *m, bool fresh,
                   const unsigned char mac[6], uint32_t index)
{
    void *p = room_for_one(m->nics, &m->nics_cap, m->nnics, sizeof(*m->nics));

    if (!p) {
        machine_discard(m, fresh);
        return -1;
    }
    m->nics = p;
    if (fresh)
        machine_insert(ix, m);
    memcpy(m->nics[m->nnics].mac, mac, 6);
    m->nics[m->nnics++].index = index;
    if (index >= m->next_nic)
        m->next_nic = index + 1;
    return 0;
}

/* ---- public: lifetime and assignment ---------------------------------- */

struct vmm_index *vmm_index_new(void)
{
    struct vmm_index *ix = calloc(1, sizeof(*ix));

    if (!ix)
        return NULL;
    ix->next_vm = 1;
    if (rehash(ix, 16) < 0) {
        free(ix);
        return NULL;
    }
    return ix;
}

void vmm_index_free(struct vmm_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->nmachines; i++)
        machine_free(ix->machines[i]);
    free(ix->machines);
    free(ix->by_uuid);
    free(ix->by_index);
    free(ix);
}

int vmm_index_vm(struct vmm_index *ix, const unsigned char uuid[16])
{
    struct vmm_machine *m = find_machine(ix, uuid);
    bool fresh = false;

    if (m && m->index)
        return (int)m->index;
    if (ix->next_vm == NEXT_EXHAUSTED)
        return 0;
    if (!m) {
        m = machine_prepare(ix, uuid, &fresh);
        if (!m)
            return 0;
        machine_insert(ix, m);
    }
    machine_set_index(ix, m, ix->next_vm);
    ix->dirty = true;
    return (int)m->index;
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
    struct vmm_machine *m;
    struct vmm_disk *d;
    bool fresh;

    if (!target_ok(target))
        return 0;
    m = machine_prepare(ix, uuid, &fresh);
    if (!m)
        return 0;
    if (!fresh && (d = find_disk(m, target)))
        return (int)d->index;
    if (m->next_disk == NEXT_EXHAUSTED) {
        machine_discard(m, fresh);
        return 0;
    }
    if (disk_add(ix, m, fresh, target, m->next_disk) < 0)
        return 0;
    ix->dirty = true;
    return (int)m->disks[m->ndisks - 1].index;
}

int vmm_index_nic(struct vmm_index *ix, const unsigned char uuid[16],
                  const unsigned char mac[6])
{
    struct vmm_machine *m;
    struct vmm_nic *n;
    bool fresh;

    m = machine_prepare(ix, uuid, &fresh);
    if (!m)
        return 0;
    if (!fresh && (n = find_nic(m, mac)))
        return (int)n->index;
    if (m->next_nic == NEXT_EXHAUSTED) {
        machine_discard(m, fresh);
        return 0;
    }
    if (nic_add(ix, m, fresh, mac, m->next_nic) < 0)
        return 0;
    ix->dirty = true;
    return (int)m->nics[m->nnics - 1].index;
}

int vmm_index_find_vm(const struct vmm_index *ix, const unsigned char uuid[16])
{
    const struct vmm_machine *m = find_machine(ix, uuid);

    return m ? (int)m->index : 0;
}

bool vmm_index_dirty(const struct vmm_index *ix)
{
    return ix->dirty;
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

/* Plain decimal digits only (no sign, no blanks), within lo..hi. */
static int parse_number(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > hi)
            return -1;
    }
    if (v < lo)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_index(const char *s, uint32_t *out)
{
    return parse_number(s, 1, VMM_INDEX_MAX, out);
}

static int parse_next(const char *s, uint32_t *out)
{
    return parse_number(s, 1, NEXT_EXHAUSTED, out);
}

/* ---- saving ----------------------------------------------------------- */

struct emitter {
    void (*emit)(const char *line, void *ctx);
    void *ctx;
    char uuid[37];                  /* of the machine being written */
};

static void save_machine(const struct vmm_machine *m, struct emitter *e)
{
    char line[VMM_INDEX_LINE_MAX], mac[18];

    vmm_uuid_format(m->uuid, e->uuid);
    if (m->index) {
        snprintf(line, sizeof(line), "vm %s %u", e->uuid, (unsigned)m->index);
        e->emit(line, e->ctx);
    }
    if (m->next_disk > 1) {
        snprintf(line, sizeof(line), "next-disk %s %u", e->uuid,
                 (unsigned)m->next_disk);
        e->emit(line, e->ctx);
    }
    for (size_t i = 0; i < m->ndisks; i++) {
        snprintf(line, sizeof(line), "disk %s %s %u", e->uuid,
                 m->disks[i].target, (unsigned)m->disks[i].index);
        e->emit(line, e->ctx);
    }
    if (m->next_nic > 1) {
        snprintf(line, sizeof(line), "next-nic %s %u", e->uuid,
                 (unsigned)m->next_nic);
        e->emit(line, e->ctx);
    }
    for (size_t i = 0; i < m->nnics; i++) {
        mac_format(m->nics[i].mac, mac);
        snprintf(line, sizeof(line), "nic %s %s %u", e->uuid, mac,
                 (unsigned)m->nics[i].index);
        e->emit(line, e->ctx);
    }
}

void vmm_index_save(struct vmm_index *ix,
                    void (*emit)(const char *line, void *ctx), void *ctx)
{
    struct emitter e = { emit, ctx, "" };
    char line[VMM_INDEX_LINE_MAX];

    snprintf(line, sizeof(line), "next-vm %u", (unsigned)ix->next_vm);
    emit(line, ctx);
    for (size_t i = 0; i < ix->nmachines; i++)
        save_machine(ix->machines[i], &e);
    ix->dirty = false;
}

/* ---- loading ---------------------------------------------------------- */

static int load_next_vm(struct vmm_index *ix, char **tok)
{
    uint32_t next;

    if (parse_next(tok[1], &next) < 0)
        return -1;
    if (next > ix->next_vm)
        ix->next_vm = next;
    return 0;
}

static int load_vm(struct vmm_index *ix, char **tok)
{
    unsigned char uuid[16];
    struct vmm_machine *m, *owner;
    uint32_t index;
    bool fresh;

    if (vmm_uuid_parse(tok[1], uuid) < 0 || parse_index(tok[2], &index) < 0)
        return -1;
    m = find_machine(ix, uuid);
    if (m && m->index)
        return m->index == index ? 0 : -1;
    owner = index_owner(ix, index);
    if (owner)
        return -1;
    m = machine_prepare(ix, uuid, &fresh);
    if (!m)
        return -1;
    if (fresh)
        machine_insert(ix, m);
    machine_set_index(ix, m, index);
    return 0;
}

static int load_disk(struct vmm_index *ix, char **tok)
{
    unsigned char uuid[16];
    struct vmm_machine *m;
    struct vmm_disk *d;
    uint32_t index;
    bool fresh;

    if (vmm_uuid_parse(tok[1], uuid) < 0 || !target_ok(tok[2]) ||
        parse_index(tok[3], &index) < 0)
        return -1;
    m = find_machine(ix, uuid);
    if (m && (d = find_disk(m, tok[2])))
        return d->index == index ? 0 : -1;
    if (m && disk_index_taken(m, index))
        return -1;
    m = machine_prepare(ix, uuid, &fresh);
    if (!m)
        return -1;
    return disk_add(ix, m, fresh, tok[2], index);
}

static int load_nic(struct vmm_index *ix, char **tok)
{
    unsigned char uuid[16], mac[6];
    struct vmm_machine *m;
    struct vmm_nic *n;
    uint32_t index;
    bool fresh;

    if (vmm_uuid_parse(tok[1], uuid) < 0 || mac_parse(tok[2], mac) < 0 ||
        parse_index(tok[3], &index) < 0)
        return -1;
    m = find_machine(ix, uuid);
    if (m && (n = find_nic(m, mac)))
        return n->index == index ? 0 : -1;
    if (m && nic_index_taken(m, index))
        return -1;
    m = machine_prepare(ix, uuid, &fresh);
    if (!m)
        return -1;
    return nic_add(ix, m, fresh, mac, index);
}

/* next-disk and next-nic: raise the machine's counter, creating its record
 * if need be (the counter alone is worth keeping: it prevents reuse). */
static int load_next_child(struct vmm_index *ix, char **tok, bool disk)
{
    unsigned char uuid[16];
    struct vmm_machine *m;
    uint32_t next, *counter;
    bool fresh;

    if (vmm_uuid_parse(tok[1], uuid) < 0 || parse_next(tok[2], &next) < 0)
        return -1;
    if (next == 1 && !find_machine(ix, uuid))
        return 0;                   /* the default: nothing to record */
    m = machine_prepare(ix, uuid, &fresh);
    if (!m)
        return -1;
    if (fresh)
        machine_insert(ix, m);
    counter = disk ? &m->next_disk : &m->next_nic;
    if (next > *counter)
        *counter = next;
    return 0;
}

static int load_next_disk(struct vmm_index *ix, char **tok)
{
    return load_next_child(ix, tok, true);
}

static int load_next_nic(struct vmm_index *ix, char **tok)
{
    return load_next_child(ix, tok, false);
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

int vmm_index_load_line(struct vmm_index *ix, const char *line)
{
    static const struct {
        const char *keyword;
        int ntokens;
        int (*load)(struct vmm_index *ix, char **tok);
    } kinds[] = {
        { "next-vm", 2, load_next_vm },
        { "vm", 3, load_vm },
        { "next-disk", 3, load_next_disk },
        { "disk", 4, load_disk },
        { "next-nic", 3, load_next_nic },
        { "nic", 4, load_nic },
    };
    char buf[VMM_INDEX_LINE_MAX], *tok[MAX_TOKENS];
    int n;

    if (!line || strlen(line) >= sizeof(buf))
        return -1;
    strcpy(buf, line);
    n = split(buf, tok);
    if (n < 1)
        return -1;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(tok[0], kinds[i].keyword) == 0)
            return n == kinds[i].ntokens ? kinds[i].load(ix, tok) : -1;
    return -1;
}
