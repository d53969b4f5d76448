/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "core/sorted.h"

struct elem {
    unsigned char uuid[16];
    int value;
};

struct set {
    struct elem *e;
    size_t n, cap;
};

static void put(struct set *s, unsigned char first, int value)
{
    unsigned char key[16] = { first };
    bool found;
    size_t at = vmm_sorted_lower_bound(s->e, s->n, sizeof(*s->e), key, vmm_uuid_cmp, &found);
    struct elem *e;

    ck_assert(!found);
    e = vmm_sorted_insert((void **)&s->e, &s->n, &s->cap, sizeof(*s->e), at);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->value, 0);              /* opened zeroed */
    memcpy(e->uuid, key, sizeof(key));
    e->value = value;
}

static int get(const struct set *s, unsigned char first)
{
    unsigned char key[16] = { first };
    bool found;
    size_t at = vmm_sorted_lower_bound(s->e, s->n, sizeof(*s->e), key, vmm_uuid_cmp, &found);

    return found ? s->e[at].value : -1;
}

START_TEST(insert_find_erase_keep_order)
{
    static const unsigned char firsts[] = { 5, 1, 9, 3, 7, 0, 255 };
    struct set s = { 0 };
    unsigned char key[16] = { 3 };
    bool found;

    for (size_t i = 0; i < sizeof(firsts); i++)
        put(&s, firsts[i], (int)firsts[i] + 100);
    ck_assert_uint_eq(s.n, sizeof(firsts));
    for (size_t i = 1; i < s.n; i++)
        ck_assert_int_lt(memcmp(s.e[i - 1].uuid, s.e[i].uuid, 16), 0);
    ck_assert_int_eq(get(&s, 9), 109);
    ck_assert_int_eq(get(&s, 4), -1);
    ck_assert_uint_eq(vmm_sorted_lower_bound(s.e, s.n, sizeof(*s.e), (unsigned char[16]){ 4 },
                                      vmm_uuid_cmp, &found), 3);   /* after 0, 1, 3 */
    vmm_sorted_erase(s.e, &s.n, sizeof(*s.e), vmm_sorted_lower_bound(s.e, s.n, sizeof(*s.e), key,
                                                               vmm_uuid_cmp, &found));
    ck_assert_uint_eq(s.n, sizeof(firsts) - 1);
    ck_assert_int_eq(get(&s, 3), -1);
    ck_assert_int_eq(get(&s, 1), 101);
    ck_assert_int_eq(get(&s, 5), 105);
    ck_assert_int_eq(get(&s, 255), 355);
    free(s.e);
}
END_TEST

Suite *sorted_suite(void)
{
    Suite *s = suite_create("sorted");
    TCase *tc = tcase_create("uuid set");

    tcase_add_test(tc, insert_find_erase_keep_order);
    suite_add_tcase(s, tc);
    return s;
}
