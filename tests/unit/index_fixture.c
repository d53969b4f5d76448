/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "index_fixture.h"

const unsigned char *uuid_n(unsigned n)
{
    static unsigned char u[4][16];
    static int which;
    unsigned char *p = u[which++ % 4];
    static const unsigned char base[16] = {
        0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x33, 0x33,
        0x44, 0x44, 0x55, 0x55, 0, 0, 0, 0,
    };

    memcpy(p, base, 16);
    p[12] = (unsigned char)(n >> 24);
    p[13] = (unsigned char)(n >> 16);
    p[14] = (unsigned char)(n >> 8);
    p[15] = (unsigned char)n;
    return p;
}

const unsigned char *mac_n(unsigned n)
{
    static unsigned char m[4][6];
    static int which;
    unsigned char *p = m[which++ % 4];

    p[0] = 0x52;
    p[1] = 0x54;
    p[2] = 0x00;
    p[3] = 0xaa;
    p[4] = 0xbb;
    p[5] = (unsigned char)n;
    return p;
}

void lines_add(const char *line, void *ctx)
{
    struct lines *l = ctx;

    ck_assert_uint_lt(strlen(line), 512);
    ck_assert_ptr_null(strchr(line, '\n'));
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->line = realloc(l->line, l->cap * sizeof(*l->line));
        ck_assert_ptr_nonnull(l->line);
    }
    l->line[l->n] = strdup(line);
    ck_assert_ptr_nonnull(l->line[l->n]);
    l->n++;
}

void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->line[i]);
    free(l->line);
    memset(l, 0, sizeof(*l));
}

bool lines_have(const struct lines *l, const char *line)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->line[i], line) == 0)
            return true;
    return false;
}

void lines_assert_equal(const struct lines *a, const struct lines *b)
{
    ck_assert_uint_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        ck_assert_str_eq(a->line[i], b->line[i]);
}

/* Saving clears the dirty flag, so tests that must not disturb it take
 * their snapshot knowing that. */
struct lines heard;

void hear(const char *msg, void *ctx)
{
    (void)ctx;
    lines_add(msg, &heard);
}

static void hear_renumbered(void *ctx)
{
    (void)ctx;
    lines_add("RENUMBERED", &heard);
}

const struct vmm_index_listener hear_all = { hear, hear_renumbered, NULL };

void assert_heard(const char *first, ...)
{
    va_list ap;
    size_t n = 0;

    va_start(ap, first);
    for (const char *want = first; want; want = va_arg(ap, const char *), n++) {
        ck_assert_msg(n < heard.n, "missing \"%s\"", want);
        ck_assert_str_eq(heard.line[n], want);
    }
    va_end(ap);
    ck_assert_msg(heard.n == n, "%zu lines heard, %zu expected; extra: \"%s\"", heard.n, n,
                  heard.n > n ? heard.line[n] : "");
    lines_free(&heard);
}
