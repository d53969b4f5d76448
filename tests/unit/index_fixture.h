/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* What the index tests share: test UUIDs and MACs, lines collected, and
 * what the operator was told. */
#ifndef INDEX_FIXTURE_H
#define INDEX_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/index.h"

#define U1 "11111111-2222-3333-4444-555500000001"
#define U2 "11111111-2222-3333-4444-555500000002"
#define U3 "11111111-2222-3333-4444-555500000003"

/* UUID number n: 11111111-2222-3333-4444-5555xxxxxxxx, n in the low bytes,
 * so test UUIDs differ in a few bytes only, as they often do in real life.
 * The last four results stay valid. */
const unsigned char *uuid_n(unsigned n);
const unsigned char *mac_n(unsigned n);       /* 52:54:00:aa:bb:nn */

struct lines {
    char **line;
    size_t n, cap;
};

void lines_add(const char *line, void *ctx);   /* ctx: struct lines */
void lines_free(struct lines *l);
bool lines_have(const struct lines *l, const char *line);
void lines_assert_equal(const struct lines *a, const struct lines *b);

/* The messages said and the renumberings announced, in order; a
 * renumbering shows as the line "RENUMBERED". */
extern struct lines heard;
extern const struct vmm_index_listener hear_all;
void hear(const char *msg, void *ctx);

/* heard is exactly these lines (NULL-terminated), then forgotten. */
void assert_heard(const char *first, ...);

#endif
