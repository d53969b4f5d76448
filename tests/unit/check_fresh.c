/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "suites.h"
#include "core/fresh.h"

/* connected, a snapshot read at 10 000 ms, cache 1 s, wait 500 ms */
static struct vmm_fresh base(void)
{
    struct vmm_fresh f = {
        .connected = true, .have_snapshot = true, .read_ms = 10000,
        .timeout_s = 1, .wait_ms = 500,
    };

    return f;
}

START_TEST(fresh_snapshot_answers_at_once)
{
    struct vmm_fresh f = base();

    ck_assert(vmm_fresh_ready(&f, 10999, 10999));
    ck_assert(!vmm_fresh_ready(&f, 11000, 11000));      /* a second old: wait */
    f.timeout_s = 0;                                    /* every request reads */
    ck_assert(!vmm_fresh_ready(&f, 10000, 10000));
    f = base();
    f.read_ms = 0;                                      /* invalidated by a SET */
    ck_assert(!vmm_fresh_ready(&f, 10500, 10500));
}
END_TEST

START_TEST(slow_libvirt_answers_from_what_there_is)
{
    struct vmm_fresh f = base();

    f.refreshing = true;
    f.refresh_ms = 11000;
    ck_assert(!vmm_fresh_ready(&f, 11200, 11200));      /* refresh young: wait */
    ck_assert(!vmm_fresh_ready(&f, 11500, 11500));
    ck_assert(vmm_fresh_ready(&f, 11501, 11501));       /* older than the wait */
    f.have_snapshot = false;                            /* nothing to answer from */
    ck_assert(!vmm_fresh_ready(&f, 11600, 13000));
}
END_TEST

START_TEST(connection_states)
{
    struct vmm_fresh f = base();

    f.connected = false;
    ck_assert(vmm_fresh_ready(&f, 20000, 20000));       /* outage: grace snapshot now */
    f.opening = true;
    ck_assert(!vmm_fresh_ready(&f, 20000, 20000));      /* first connection: wait */
    f.have_snapshot = false;
    ck_assert(!vmm_fresh_ready(&f, 20000, 20000));
}
END_TEST

START_TEST(release_and_wait_bound)
{
    /* one refresh answers every request that arrived before its read began */
    ck_assert(vmm_fresh_answers(5000, 4000));
    ck_assert(vmm_fresh_answers(5000, 5000));
    ck_assert(!vmm_fresh_answers(5000, 5001));          /* waits for the next */
    ck_assert(!vmm_fresh_waited(1000, 1499, 500));
    ck_assert(vmm_fresh_waited(1000, 1500, 500));
    ck_assert(vmm_fresh_waited(1000, 1000, 0));
}
END_TEST

Suite *fresh_suite(void)
{
    Suite *s = suite_create("fresh");
    TCase *tc = tcase_create("fresh");

    tcase_add_test(tc, fresh_snapshot_answers_at_once);
    tcase_add_test(tc, slow_libvirt_answers_from_what_there_is);
    tcase_add_test(tc, connection_states);
    tcase_add_test(tc, release_and_wait_bound);
    suite_add_tcase(s, tc);
    return s;
}
