/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <stdint.h>
#include <stdlib.h>

#include "suites.h"
#include "core/array.h"

START_TEST(grows_geometrically_and_zeroes)
{
    int *a = NULL;
    size_t cap = 0, reallocs = 0, last = 0;

    for (size_t n = 1; n <= 1000; n++) {
        ck_assert_int_eq(vmm_array_grow((void **)&a, &cap, n, sizeof(*a)), 0);
        ck_assert_uint_ge(cap, n);
        ck_assert_int_eq(a[n - 1], 0);          /* new elements come zeroed */
        a[n - 1] = (int)n;
        reallocs += cap != last;
        last = cap;
    }
    ck_assert_uint_le(reallocs, 11);            /* doubling: log2(1000) + 1 */
    for (size_t i = 0; i < 1000; i++)
        ck_assert_int_eq(a[i], (int)i + 1);     /* kept across moves */
    free(a);
}
END_TEST

START_TEST(overflow_leaves_array_untouched)
{
    int *a = NULL, *before;
    size_t cap = 0;

    ck_assert_int_eq(vmm_array_grow((void **)&a, &cap, 3, sizeof(*a)), 0);
    before = a;
    ck_assert_int_eq(vmm_array_grow((void **)&a, &cap, SIZE_MAX / 2, sizeof(*a)), -1);
    ck_assert_ptr_eq(a, before);
    ck_assert_uint_eq(cap, 3);
    ck_assert_int_eq(vmm_array_grow((void **)&a, &cap, 2, sizeof(*a)), 0);   /* room already */
    ck_assert_ptr_eq(a, before);
    free(a);
}
END_TEST

Suite *array_suite(void)
{
    Suite *s = suite_create("array");
    TCase *tc = tcase_create("grow");

    tcase_add_test(tc, grows_geometrically_and_zeroes);
    tcase_add_test(tc, overflow_leaves_array_untouched);
    suite_add_tcase(s, tc);
    return s;
}
