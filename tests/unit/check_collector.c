/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "suites.h"
#include "core/collector.h"

static void record(void *arg)
{
    int *slot = arg;

    *slot = *slot * 10 + 1;         /* ran exactly once */
}

/* Jobs come back in the order they were submitted, each run once. */
START_TEST(collector_keeps_order)
{
    struct vmm_collector *c = vmm_collector_new();
    int slots[50] = { 0 };
    int *done;
    size_t n = 0;

    ck_assert_ptr_nonnull(c);
    for (size_t i = 0; i < 50; i++) {
        slots[i] = (int)i;
        ck_assert_int_eq(vmm_collector_submit(c, record, &slots[i]), 0);
    }
    while (n < 50) {
        if (!(done = vmm_collector_done(c)))
            continue;
        ck_assert_ptr_eq(done, &slots[n]);
        ck_assert_int_eq(*done, (int)n * 10 + 1);
        n++;
    }
    ck_assert_ptr_null(vmm_collector_done(c));
    vmm_collector_free(c);
}
END_TEST

Suite *collector_suite(void)
{
    Suite *s = suite_create("collector");
    TCase *tc = tcase_create("order");

    tcase_add_test(tc, collector_keeps_order);
    suite_add_tcase(s, tc);
    return s;
}
