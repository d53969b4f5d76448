/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "suites.h"
#include "core/history.h"

static const unsigned char A[16] = { 1 }, B[16] = { 2 }, C[16] = { 3 };

START_TEST(history_set_changes)
{
    struct vmm_history *h = vmm_history_new();

    vmm_history_begin(h);
    vmm_history_get(h, A);
    vmm_history_get(h, B);
    ck_assert(!vmm_history_sweep(h));           /* the first set is no change */
    vmm_history_begin(h);
    vmm_history_get(h, B);
    vmm_history_get(h, A);
    ck_assert(!vmm_history_sweep(h));
    vmm_history_begin(h);
    vmm_history_get(h, A);
    ck_assert(vmm_history_sweep(h));            /* B gone */
    vmm_history_begin(h);
    vmm_history_get(h, A);
    vmm_history_get(h, C);
    ck_assert(vmm_history_sweep(h));            /* C new */
    /* a snapshot that failed half-way leaves no trace */
    vmm_history_begin(h);
    vmm_history_get(h, B);
    vmm_history_begin(h);
    vmm_history_get(h, A);
    vmm_history_get(h, C);
    ck_assert(!vmm_history_sweep(h));
    vmm_history_free(h);
}
END_TEST

START_TEST(history_floors)
{
    struct vmm_history *h = vmm_history_new();
    struct vmm_past *p;
    unsigned long long v;

    vmm_history_begin(h);
    p = vmm_history_get(h, A);
    vmm_history_new_run(p, 7);
    v = 100; vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 100);
    v = 90;  vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 100);
    v = 150; vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 150);
    v = 5;   vmm_history_floor(p, "vda/0", &v); ck_assert_uint_eq(v, 5);
    vmm_history_new_run(p, 7);
    v = 120; vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 150);
    vmm_history_new_run(p, 8);                  /* a new run starts from zero */
    v = 3;   vmm_history_floor(p, "cpu", &v); ck_assert_uint_eq(v, 3);
    vmm_history_free(h);
}
END_TEST

START_TEST(history_conf_outlives_replacement)
{
    struct vmm_history *h = vmm_history_new();
    struct vmm_past *p;
    struct vmm_confref *held;

    vmm_history_begin(h);
    p = vmm_history_get(h, A);
    vmm_history_set_conf(p, vmm_domxml_parse("<domain><vcpu>2</vcpu></domain>", 2), 1, "a", 10);
    held = vmm_history_ref_hold(p->conf);
    vmm_history_set_conf(p, vmm_domxml_parse("<domain><vcpu>3</vcpu></domain>", 2), 1, "a", 20);
    ck_assert_uint_eq(vmm_history_ref_conf(held)->vcpus_max, 2);
    ck_assert_uint_eq(vmm_history_ref_conf(p->conf)->vcpus_max, 3);
    ck_assert_uint_eq(p->conf_cs, 20);
    vmm_history_ref_release(held);
    vmm_history_free(h);
}
END_TEST

Suite *history_suite(void)
{
    Suite *s = suite_create("history");
    TCase *tc = tcase_create("history");

    tcase_add_test(tc, history_set_changes);
    tcase_add_test(tc, history_floors);
    tcase_add_test(tc, history_conf_outlives_replacement);
    suite_add_tcase(s, tc);
    return s;
}
