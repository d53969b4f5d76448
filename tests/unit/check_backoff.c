/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <limits.h>

#include "suites.h"
#include "core/backoff.h"

START_TEST(backoff)
{
    static const unsigned expect[] = { 1, 2, 4, 8, 16, 32, 60, 60, 60 };
    unsigned d = 0;

    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        d = vmm_backoff_next(d);
        ck_assert_uint_eq(d, expect[i]);
    }
    ck_assert_uint_eq(vmm_backoff_next(UINT_MAX), 60);
}
END_TEST

Suite *backoff_suite(void)
{
    Suite *s = suite_create("backoff");
    TCase *tc = tcase_create("delays");

    tcase_add_test(tc, backoff);
    suite_add_tcase(s, tc);
    return s;
}
