/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/indexfile.h"
#include "core/array.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each field's line: its keyword and how many blank-separated tokens. */
static const struct {
    const char *keyword;
    int ntokens;
} form[] = {
    [VMM_INDEX_NEXT_VM] = { "next-vm", 2 },
    [VMM_INDEX_VM] = { "vm", 3 },
    [VMM_INDEX_NEXT_DISK] = { "next-disk", 3 },
    [VMM_INDEX_DISK] = { "disk", 4 },
    [VMM_INDEX_NEXT_NIC] = { "next-nic", 3 },
    [VMM_INDEX_NIC] = { "nic", 4 },
};

#define NFIELDS (sizeof(form) / sizeof(form[0]))
#define MAX_TOKENS 4

/* What a weighed counter is compared with, for the log. */
static const char *const held_what[NFIELDS] = {
    [VMM_INDEX_NEXT_VM] = "vmIndex",
    [VMM_INDEX_NEXT_DISK] = "vmStorageIndex of that machine",
    [VMM_INDEX_NEXT_NIC] = "vmNetworkIndex of that machine",
};

static bool is_next(enum vmm_index_field f)
{
    return held_what[f] != NULL;
}

static void format_entry(const struct vmm_index_entry *e, char line[VMM_INDEXFILE_LINE_MAX])
{
    char uuid[VMM_UUID_TEXT_LEN];

    if (e->field == VMM_INDEX_NEXT_VM) {
        snprintf(line, VMM_INDEXFILE_LINE_MAX, "next-vm %u", (unsigned)e->number);
        return;
    }
    vmm_uuid_format(e->uuid, uuid);
    snprintf(line, VMM_INDEXFILE_LINE_MAX, "%s %s%s%s %u", form[e->field].keyword, uuid,
             e->key ? " " : "", e->key ? e->key : "", (unsigned)e->number);
}

/* ---- saving ----------------------------------------------------------- */

struct emitter {
    void (*emit)(const char *line, void *ctx);
    void *ctx;
};

static void emit_entry(const struct vmm_index_entry *e, void *ctx)
{
    const struct emitter *out = ctx;
    char line[VMM_INDEXFILE_LINE_MAX];

    format_entry(e, line);
    out->emit(line, out->ctx);
}

void vmm_indexfile_save(struct vmm_index *ix,
                        void (*emit)(const char *line, void *ctx), void *ctx)
{
    struct emitter out = { emit, ctx };

    vmm_index_each(ix, emit_entry, &out);
    vmm_index_saved(ix);
}

/* ---- telling the operator --------------------------------------------- */

struct vmm_indexfile_load {
    struct vmm_index *ix;
    void (*say)(const char *msg, void *ctx);
    void *ctx;
    unsigned long refused;          /* lines refused so far */
    struct vmm_index_entry *next;   /* NEXT lines, weighed at the end */
    size_t nnext, next_cap;
};

static void say(const struct vmm_indexfile_load *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(const struct vmm_indexfile_load *ld, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!ld->say)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ld->say(msg, ld->ctx);
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
static void refuse(struct vmm_indexfile_load *ld, const char *line, const char *why)
{
    char shown[SHOWN_MAX + 4];

    if (++ld->refused > VMM_INDEXFILE_BAD_SHOWN)
        return;
    printable(line, shown);
    say(ld, "ignoring \"vmMibIndex %s\": %s", shown, why);
}

/* ---- parsing ---------------------------------------------------------- */

/* Why a line is refused. */
static const char MALFORMED[] = "not a valid entry";
static const char OUT_OF_RANGE[] = "number out of range";
static const char TOO_LONG[] = "too long";
static const char NO_MEMORY[] = "out of memory";

static const char *const refusal_why[] = {
    [VMM_INDEX_BAD_KEY] = MALFORMED,
    [VMM_INDEX_OUT_OF_RANGE] = OUT_OF_RANGE,
    [VMM_INDEX_CONFLICT] = "conflicts with an earlier entry",
    [VMM_INDEX_NO_MEMORY] = NO_MEMORY,
};

/* Plain decimal digits only (no sign, no blanks); values past 32 bits
 * stay at UINT32_MAX, out of every range. */
static int parse_number(const char *s, uint32_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX)
            v = UINT32_MAX;
    }
    *out = (uint32_t)v;
    return 0;
}

static int hex_digit(char c)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = c >= 'A' && c <= 'F' ? strchr(hex, c - 'A' + 'a') : c ? strchr(hex, c) : NULL;

    return p ? (int)(p - hex) : -1;
}

/* xx:xx:xx:xx:xx:xx, any case, into the registry's key for that MAC. */
static int mac_key(const char *text, char key[VMM_INDEX_MAC_KEY_LEN])
{
    unsigned char mac[6];

    if (strlen(text) != VMM_INDEX_MAC_KEY_LEN - 1)
        return -1;
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(text[3 * i]), lo = hex_digit(text[3 * i + 1]);

        if (hi < 0 || lo < 0 || (i < 5 && text[3 * i + 2] != ':'))
            return -1;
        mac[i] = (unsigned char)(hi << 4 | lo);
    }
    vmm_index_mac_key(mac, key);
    return 0;
}

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

/* tok[0..n) into e (its key pointing into tok or key); -1 if malformed. */
static int parse_entry(char **tok, int n, char key[VMM_INDEX_MAC_KEY_LEN],
                       struct vmm_index_entry *e)
{
    size_t f;

    for (f = 0; f < NFIELDS && strcmp(tok[0], form[f].keyword) != 0; f++)
        ;
    if (f == NFIELDS || n != form[f].ntokens)
        return -1;
    e->field = (enum vmm_index_field)f;
    e->key = NULL;
    if (f != VMM_INDEX_NEXT_VM && vmm_uuid_parse(tok[1], e->uuid) < 0)
        return -1;
    if (f == VMM_INDEX_DISK)
        e->key = tok[2];
    if (f == VMM_INDEX_NIC) {
        if (mac_key(tok[2], key) < 0)
            return -1;
        e->key = key;
    }
    return parse_number(tok[n - 1], &e->number);
}

/* ---- loading ---------------------------------------------------------- */

struct vmm_indexfile_load *vmm_indexfile_load_begin(struct vmm_index *ix,
                                                    void (*tell)(const char *msg, void *ctx),
                                                    void *ctx)
{
    struct vmm_indexfile_load *ld = calloc(1, sizeof(*ld));

    if (ld) {
        ld->ix = ix;
        ld->say = tell;
        ld->ctx = ctx;
    }
    return ld;
}

/* A NEXT line, kept for the end. */
static const char *defer(struct vmm_indexfile_load *ld, const struct vmm_index_entry *e)
{
    if (e->number < 1 || e->number > VMM_INDEX_EXHAUSTED)
        return OUT_OF_RANGE;
    if (vmm_array_grow((void **)&ld->next, &ld->next_cap, ld->nnext + 1,
                       sizeof(*ld->next)) < 0)
        return NO_MEMORY;
    ld->next[ld->nnext++] = *e;
    return NULL;
}

/* NULL if the line is taken, else why it is refused. */
static const char *load(struct vmm_indexfile_load *ld, const char *line)
{
    char buf[VMM_INDEXFILE_LINE_MAX], key[VMM_INDEX_MAC_KEY_LEN], *tok[MAX_TOKENS];
    struct vmm_index_entry e;
    enum vmm_index_refusal r;
    int n;

    if (strlen(line) >= sizeof(buf))
        return TOO_LONG;
    strcpy(buf, line);
    n = split(buf, tok);
    if (n < 1 || parse_entry(tok, n, key, &e) < 0)
        return MALFORMED;
    if (is_next(e.field))
        return defer(ld, &e);
    r = vmm_index_restore(ld->ix, &e);
    return r == VMM_INDEX_RESTORED ? NULL : refusal_why[r];
}

int vmm_indexfile_load_line(struct vmm_indexfile_load *ld, const char *line)
{
    const char *why;

    if (!line)
        return -1;
    if (!(why = load(ld, line)))
        return 0;
    refuse(ld, line, why);
    return -1;
}

/* A NEXT line against the highest number in use, now that every entry is
 * in; refused beyond the window. */
static void weigh(struct vmm_indexfile_load *ld, const struct vmm_index_entry *e)
{
    uint32_t held = vmm_index_highest(ld->ix, e);
    char line[VMM_INDEXFILE_LINE_MAX], why[160];
    enum vmm_index_refusal r;

    if (e->number > held && e->number - held - 1 > VMM_INDEXFILE_NEXT_WINDOW) {
        snprintf(why, sizeof(why), "more than %d above the highest %s in use (%u)",
                 VMM_INDEXFILE_NEXT_WINDOW, held_what[e->field], (unsigned)held);
    } else if ((r = vmm_index_restore(ld->ix, e)) != VMM_INDEX_RESTORED) {
        snprintf(why, sizeof(why), "%s", refusal_why[r]);
    } else {
        return;
    }
    format_entry(e, line);
    refuse(ld, line, why);
}

void vmm_indexfile_load_end(struct vmm_indexfile_load *ld)
{
    if (!ld)
        return;
    for (size_t i = 0; i < ld->nnext; i++)
        weigh(ld, &ld->next[i]);
    if (ld->refused > VMM_INDEXFILE_BAD_SHOWN)
        say(ld, "%lu more bad vmMibIndex lines ignored",
            ld->refused - VMM_INDEXFILE_BAD_SHOWN);
    free(ld->next);
    free(ld);
}
