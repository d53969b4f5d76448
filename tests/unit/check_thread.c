/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <pthread.h>
#include <signal.h>

#include "suites.h"
#include "core/thread.h"

static void *blocked_signals(void *arg)
{
    sigset_t *cur = arg;

    pthread_sigmask(SIG_BLOCK, NULL, cur);
    return NULL;
}

/* snmpd's SIGHUP and SIGTERM must reach snmpd's own thread. */
START_TEST(threads_take_no_signals)
{
    pthread_t t;
    sigset_t cur;

    ck_assert_int_eq(vmm_thread_create(&t, NULL, blocked_signals, &cur), 0);
    pthread_join(t, NULL);
    ck_assert(sigismember(&cur, SIGHUP));
    ck_assert(sigismember(&cur, SIGTERM));
    pthread_sigmask(SIG_BLOCK, NULL, &cur);
    ck_assert(!sigismember(&cur, SIGHUP));   /* the caller's mask is back */
}
END_TEST

Suite *thread_suite(void)
{
    Suite *s = suite_create("thread");
    TCase *tc = tcase_create("signals");

    tcase_add_test(tc, threads_take_no_signals);
    suite_add_tcase(s, tc);
    return s;
}
