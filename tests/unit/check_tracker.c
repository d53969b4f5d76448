/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <string.h>

#include "suites.h"
#include "core/tracker.h"

static const unsigned char A[16] = { 1 }, B[16] = { 2 }, C[16] = { 3 };

struct gone_log {
    int n;
    unsigned char uuid[4][16];
    int oper[4];
};

static void record_gone(const struct vmm_tracked *m, void *ctx)
{
    struct gone_log *g = ctx;

    memcpy(g->uuid[g->n], m->uuid, 16);
    g->oper[g->n++] = m->oper;
}

START_TEST(first_list_is_no_transition)
{
    struct vmm_tracker *t = vmm_tracker_new();
    struct gone_log g = { 0 };
    int old;

    ck_assert(!vmm_tracker_seeded(t));
    vmm_tracker_begin(t);
    /* the caller announces nothing before the tracker is seeded */
    ck_assert(vmm_tracker_update(t, A, "a", 4, 2, &old));
    ck_assert_int_eq(old, 3);                       /* preparing */
    vmm_tracker_end(t, record_gone, &g);
    ck_assert(vmm_tracker_seeded(t));
    ck_assert_int_eq(g.n, 0);
    vmm_tracker_free(t);
}
END_TEST

START_TEST(changes_and_repeats)
{
    struct vmm_tracker *t = vmm_tracker_new();
    int old;

    vmm_tracker_update(t, A, "a", 4, 2, &old);
    ck_assert(!vmm_tracker_update(t, A, "a", 4, 2, &old));   /* same state: nothing */
    ck_assert(vmm_tracker_update(t, A, "a", 8, 2, &old));
    ck_assert_int_eq(old, 4);
    ck_assert(vmm_tracker_update(t, A, "renamed", 4, 2, &old));
    ck_assert_int_eq(old, 8);
    vmm_tracker_free(t);
}
END_TEST

START_TEST(unannounced_states_are_skipped)
{
    struct vmm_tracker *t = vmm_tracker_new();
    int old;

    vmm_tracker_update(t, A, "a", 11, 2, &old);              /* shutdown */
    ck_assert(!vmm_tracker_update(t, A, "a", 2, 2, &old));   /* other: starting up */
    ck_assert(vmm_tracker_update(t, A, "a", 4, 2, &old));    /* running */
    ck_assert_int_eq(old, 11);
    ck_assert(!vmm_tracker_update(t, A, "a", 1, 2, &old));   /* unknown */
    ck_assert(!vmm_tracker_update(t, A, "a", 3, 2, &old));   /* preparing */
    ck_assert(vmm_tracker_update(t, A, "a", 8, 2, &old));
    ck_assert_int_eq(old, 4);
    vmm_tracker_free(t);
}
END_TEST

START_TEST(gone_machines_reported_once)
{
    struct vmm_tracker *t = vmm_tracker_new();
    struct gone_log g = { 0 };
    int old;

    vmm_tracker_begin(t);
    vmm_tracker_update(t, A, "a", 4, 2, &old);
    vmm_tracker_update(t, B, "b", 11, 3, &old);
    vmm_tracker_update(t, C, "c", 8, 2, &old);
    vmm_tracker_end(t, record_gone, &g);
    vmm_tracker_begin(t);
    vmm_tracker_update(t, A, "a", 4, 2, &old);
    vmm_tracker_end(t, record_gone, &g);
    ck_assert_int_eq(g.n, 2);
    ck_assert_mem_eq(g.uuid[0], B, 16);
    ck_assert_int_eq(g.oper[0], 11);
    ck_assert_mem_eq(g.uuid[1], C, 16);
    vmm_tracker_begin(t);
    vmm_tracker_update(t, A, "a", 4, 2, &old);
    vmm_tracker_end(t, record_gone, &g);
    ck_assert_int_eq(g.n, 2);
    vmm_tracker_free(t);
}
END_TEST

START_TEST(remove_returns_last_state)
{
    struct vmm_tracker *t = vmm_tracker_new();
    struct vmm_tracked last;
    int old;

    vmm_tracker_update(t, B, "b", 11, 3, &old);
    ck_assert(vmm_tracker_remove(t, B, &last));
    ck_assert_str_eq(last.name, "b");
    ck_assert_int_eq(last.oper, 11);
    ck_assert_int_eq(last.persistent, 3);
    vmm_tracker_free_entry(&last);
    ck_assert(!vmm_tracker_remove(t, B, &last));
    vmm_tracker_free(t);
}
END_TEST

START_TEST(incoming_copy_is_remembered)
{
    struct vmm_tracker *t = vmm_tracker_new();
    struct vmm_tracked last;
    int old;

    vmm_tracker_update(t, A, "a", 9, 3, &old);              /* migrating */
    vmm_tracker_set_incoming(t, A, true);
    vmm_tracker_set_incoming(t, B, true);                  /* unknown: nothing */
    ck_assert(vmm_tracker_get(t, A)->incoming);
    ck_assert_ptr_null(vmm_tracker_get(t, B));
    ck_assert(vmm_tracker_remove(t, A, &last));
    ck_assert(last.incoming);
    ck_assert_int_eq(last.oper, 9);
    vmm_tracker_free_entry(&last);
    vmm_tracker_free(t);
}
END_TEST

Suite *tracker_suite(void)
{
    Suite *s = suite_create("tracker");
    TCase *tc = tcase_create("tracker");

    tcase_add_test(tc, first_list_is_no_transition);
    tcase_add_test(tc, changes_and_repeats);
    tcase_add_test(tc, unannounced_states_are_skipped);
    tcase_add_test(tc, gone_machines_reported_once);
    tcase_add_test(tc, remove_returns_last_state);
    tcase_add_test(tc, incoming_copy_is_remembered);
    suite_add_tcase(s, tc);
    return s;
}
