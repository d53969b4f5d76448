/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/stats.h"

/* --- typed parameter values ------------------------------------------- */

/* Drivers and libvirt versions differ in the integer kind they use for the
 * same field, so every kind is accepted; a negative value can't be a
 * counter and is treated as absent. */
static bool get_ull(const virTypedParameter *p, unsigned long long *v)
{
    switch (p->type) {
    case VIR_TYPED_PARAM_INT:
        if (p->value.i < 0)
            return false;
        *v = (unsigned long long)p->value.i;
        return true;
    case VIR_TYPED_PARAM_UINT:
        *v = p->value.ui;
        return true;
    case VIR_TYPED_PARAM_LLONG:
        if (p->value.l < 0)
            return false;
        *v = (unsigned long long)p->value.l;
        return true;
    case VIR_TYPED_PARAM_ULLONG:
        *v = p->value.ul;
        return true;
    default:
        return false;
    }
}

static bool get_uint(const virTypedParameter *p, unsigned *v)
{
    unsigned long long u;

    if (!get_ull(p, &u) || u > UINT_MAX)
        return false;
    *v = (unsigned)u;
    return true;
}

/* For enum-valued fields (states, reasons): out-of-range is absent. */
static bool get_int(const virTypedParameter *p, int *v)
{
    switch (p->type) {
    case VIR_TYPED_PARAM_INT:
        *v = p->value.i;
        return true;
    case VIR_TYPED_PARAM_UINT:
        if (p->value.ui > INT_MAX)
            return false;
        *v = (int)p->value.ui;
        return true;
    case VIR_TYPED_PARAM_LLONG:
        if (p->value.l < INT_MIN || p->value.l > INT_MAX)
            return false;
        *v = (int)p->value.l;
        return true;
    case VIR_TYPED_PARAM_ULLONG:
        if (p->value.ul > INT_MAX)
            return false;
        *v = (int)p->value.ul;
        return true;
    default:
        return false;
    }
}

/* A NULL string is as good as no field. */
static const char *get_str(const virTypedParameter *p)
{
    return p->type == VIR_TYPED_PARAM_STRING ? p->value.s : NULL;
}

/* Replaces *dst by a copy of src; -1 only on allocation failure. */
static int set_str(char **dst, const char *src)
{
    char *copy = strdup(src);

    if (!copy)
        return -1;
    free(*dst);
    *dst = copy;
    return 0;
}

/* --- field names ------------------------------------------------------- */

static const char *skip_prefix(const char *s, const char *prefix)
{
    size_t len = strlen(prefix);

    return strncmp(s, prefix, len) == 0 ? s + len : NULL;
}

/* Reads "<n>." at s.  Fails unless n is plain decimal below limit, so a
 * huge or malformed number never reaches an allocation (and can't
 * overflow: we stop as soon as it reaches the limit). */
static bool parse_index(const char *s, size_t limit, size_t *n, const char **sub)
{
    size_t v = 0;

    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (size_t)(*s - '0');
        if (v >= limit)
            return false;
    }
    if (*s != '.')
        return false;
    *n = v;
    *sub = s + 1;
    return true;
}

/* --- arrays indexed by libvirt's <n> ----------------------------------- */

struct parse_ctx {
    struct vmm_domstats *out;
    size_t vcpu_cap, block_cap;     /* allocated elements */
};

/* Element n of an array indexed by libvirt's <n>, grown (zeroed) to hold
 * it; count follows the highest n seen. */
static void *slot(void **arr, size_t *cap, size_t *count, size_t n, size_t size)
{
    if (vmm_array_grow(arr, cap, n + 1, size) < 0)
        return NULL;
    if (*count <= n)
        *count = n + 1;
    return (char *)*arr + n * size;
}

static struct vmm_vcpu_stat *vcpu_slot(struct parse_ctx *ctx, size_t n)
{
    return slot((void **)&ctx->out->vcpus, &ctx->vcpu_cap, &ctx->out->nvcpus, n,
                sizeof(*ctx->out->vcpus));
}

/* During parsing blocks[] is indexed by <n> like vcpus[]; finish_blocks()
 * compacts it afterwards. */
static struct vmm_block_stat *block_slot(struct parse_ctx *ctx, size_t n)
{
    return slot((void **)&ctx->out->blocks, &ctx->block_cap, &ctx->out->nblocks, n,
                sizeof(*ctx->out->blocks));
}

/* --- groups ------------------------------------------------------------ */

static void parse_state(struct vmm_domstats *out, const char *f, const virTypedParameter *p)
{
    if (strcmp(f, "state") == 0 && get_int(p, &out->state))
        out->has_state = true;
    else if (strcmp(f, "reason") == 0)
        (void)get_int(p, &out->reason);     /* unusable: 0, every state's UNKNOWN */
}

static void parse_cpu(struct vmm_domstats *out, const char *f, const virTypedParameter *p)
{
    /* cpu.user, cpu.system, cpu.cache.* are not used by VM-MIB. */
    if (strcmp(f, "time") == 0 && get_ull(p, &out->cpu_time_ns))
        out->has_cpu_time = true;
}

static void parse_balloon(struct vmm_domstats *out, const char *f, const virTypedParameter *p)
{
    if ((strcmp(f, "current") == 0 && get_ull(p, &out->balloon_cur_kib)) ||
        (strcmp(f, "maximum") == 0 && get_ull(p, &out->balloon_max_kib)))
        out->has_balloon = true;
}

static int parse_vcpu(struct parse_ctx *ctx, const char *f, const virTypedParameter *p)
{
    struct vmm_domstats *out = ctx->out;
    struct vmm_vcpu_stat *v;
    const char *sub;
    size_t n;
    unsigned long long t;
    int state;      /* only its presence counts: the vCPU is online */

    if ((strcmp(f, "current") == 0 && get_uint(p, &out->vcpu_current)) ||
        (strcmp(f, "maximum") == 0 && get_uint(p, &out->vcpu_max))) {
        out->has_vcpu = true;
        return 0;
    }
    if (!parse_index(f, VMM_STATS_MAX_VCPUS, &n, &sub))
        return 0;
    /* The value is checked before the slot exists, so junk allocates nothing.
     * vcpu.<n>.wait/.halted/.delay are ignored. */
    if (strcmp(sub, "state") == 0 && get_int(p, &state)) {
        if (!(v = vcpu_slot(ctx, n)))
            return -1;
        v->present = true;
    } else if (strcmp(sub, "time") == 0 && get_ull(p, &t)) {
        if (!(v = vcpu_slot(ctx, n)))
            return -1;
        v->present = true;
        v->has_time = true;
        v->time_ns = t;
    }
    return 0;
}

static const struct block_field {
    const char *name;
    size_t offset;
    unsigned bit;
} block_fields[] = {
    { "rd.reqs", offsetof(struct vmm_block_stat, rd_reqs), 0 },
    { "rd.bytes", offsetof(struct vmm_block_stat, rd_bytes), 0 },
    { "rd.times", offsetof(struct vmm_block_stat, rd_times_ns), 0 },
    { "wr.reqs", offsetof(struct vmm_block_stat, wr_reqs), 0 },
    { "wr.bytes", offsetof(struct vmm_block_stat, wr_bytes), 0 },
    { "wr.times", offsetof(struct vmm_block_stat, wr_times_ns), 0 },
    { "capacity", offsetof(struct vmm_block_stat, capacity), VMM_HAVE_CAPACITY },
    /* vmStorageAllocatedSize is the image's size on the host (physical);
     * block.<n>.allocation is the guest's highest written offset. */
    { "physical", offsetof(struct vmm_block_stat, physical), VMM_HAVE_PHYSICAL },
};

static const struct block_field *find_block_field(const char *name)
{
    for (size_t i = 0; i < sizeof(block_fields) / sizeof(block_fields[0]); i++)
        if (strcmp(block_fields[i].name, name) == 0)
            return &block_fields[i];
    return NULL;
}

static int parse_block_name(struct parse_ctx *ctx, size_t n, const char *sub,
                            const char *value)
{
    struct vmm_block_stat *b;

    if (!value || strcmp(sub, "name") != 0)
        return 0;
    if (!(b = block_slot(ctx, n)))
        return -1;
    return set_str(&b->name, value);
}

/* block.<n>.path, backingIndex, fl.*, errors, threshold are ignored: top-level
 * images are told apart by their position, see finish_blocks(). */
static int parse_block(struct parse_ctx *ctx, const char *f, const virTypedParameter *p)
{
    const struct block_field *field;
    struct vmm_block_stat *b;
    const char *sub;
    size_t n;
    unsigned long long v;

    if (!parse_index(f, VMM_STATS_MAX_BLOCKS, &n, &sub))
        return 0;   /* also block.count */
    if (p->type == VIR_TYPED_PARAM_STRING)
        return parse_block_name(ctx, n, sub, get_str(p));
    if (!(field = find_block_field(sub)) || !get_ull(p, &v))
        return 0;
    if (!(b = block_slot(ctx, n)))
        return -1;
    memcpy((char *)b + field->offset, &v, sizeof(v));
    b->have |= field->bit;
    return 0;
}

static int parse_param(struct parse_ctx *ctx, const virTypedParameter *p)
{
    const char *f = p->field, *rest;

    /* field[] comes over the wire; don't read past it if unterminated. */
    if (strnlen(f, sizeof(p->field)) == sizeof(p->field))
        return 0;
    if ((rest = skip_prefix(f, "state.")))
        parse_state(ctx->out, rest, p);
    else if ((rest = skip_prefix(f, "cpu.")))
        parse_cpu(ctx->out, rest, p);
    else if ((rest = skip_prefix(f, "balloon.")))
        parse_balloon(ctx->out, rest, p);
    else if ((rest = skip_prefix(f, "vcpu.")))
        return parse_vcpu(ctx, rest, p);
    else if ((rest = skip_prefix(f, "block.")))
        return parse_block(ctx, rest, p);
    return 0;
}

/* --- finishing --------------------------------------------------------- */

static void block_free(struct vmm_block_stat *b)
{
    free(b->name);
}

static bool name_seen(const struct vmm_block_stat *b, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(b[i].name, name) == 0)
            return true;
    return false;
}

/* Drops nameless entries (nothing can look them up) and repeated names.
 * Only with VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING, which vm_mib does not
 * pass, does libvirt list backing-chain images, as extra block.<n> entries
 * under the disk's name right after its top image.  The top image may carry
 * a backingIndex too (its <source index>), so the lowest <n> per name is
 * kept rather than the entries without backingIndex. */
static void finish_blocks(struct vmm_domstats *out)
{
    size_t kept = 0;

    for (size_t i = 0; i < out->nblocks; i++) {
        struct vmm_block_stat *b = &out->blocks[i];

        if (!b->name || name_seen(out->blocks, kept, b->name)) {
            block_free(b);
            continue;
        }
        out->blocks[kept++] = *b;
    }
    out->nblocks = kept;
    if (kept == 0) {
        free(out->blocks);
        out->blocks = NULL;
    }
}

int vmm_stats_parse(const virTypedParameter *params, int nparams, struct vmm_domstats *out)
{
    struct parse_ctx ctx = { .out = out };

    vmm_stats_clear(out);
    for (int i = 0; params && i < nparams; i++) {
        if (parse_param(&ctx, &params[i]) < 0)
            goto fail;
    }
    finish_blocks(out);
    return 0;

fail:
    vmm_stats_clear(out);
    return -1;
}

void vmm_stats_clear(struct vmm_domstats *stats)
{
    if (!stats)
        return;
    for (size_t i = 0; i < stats->nblocks; i++)
        block_free(&stats->blocks[i]);
    free(stats->blocks);
    free(stats->vcpus);
    memset(stats, 0, sizeof(*stats));
}

const struct vmm_block_stat *vmm_stats_block(const struct vmm_domstats *s, const char *name)
{
    if (!s || !name)
        return NULL;
    for (size_t i = 0; i < s->nblocks; i++)
        if (strcmp(s->blocks[i].name, name) == 0)
            return &s->blocks[i];
    return NULL;
}
