/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static void *assert_main(void *arg)
{
    bool *returned = arg;

    vmm_thread_assert_main("assert_main");
    *returned = true;
    return NULL;
}

/* Calls a check on another thread; whether it came back. */
static bool off_main_returns(void)
{
    pthread_t t;
    bool returned = false;

    ck_assert_int_eq(pthread_create(&t, NULL, assert_main, &returned), 0);
    pthread_join(t, NULL);
    return returned;
}

START_TEST(main_thread_passes)
{
    bool returned = false;

    vmm_thread_mark_main(true);
    assert_main(&returned);
    ck_assert(returned);
}
END_TEST

/* Before init marks snmpd's thread there is nothing to compare with. */
START_TEST(unmarked_passes)
{
    ck_assert(off_main_returns());
}
END_TEST

/* Test builds: the process aborts (the test passes on SIGABRT only). */
START_TEST(off_main_aborts_when_fatal)
{
    vmm_thread_mark_main(true);
    off_main_returns();
}
END_TEST

/* Other builds: one line on stderr, once, and snmpd carries on. */
START_TEST(off_main_said_once_when_not_fatal)
{
    FILE *err = tmpfile();
    char line[128] = "";
    int saved = dup(2);

    ck_assert_ptr_nonnull(err);
    ck_assert_int_ge(saved, 0);
    ck_assert_int_eq(dup2(fileno(err), 2), 2);
    vmm_thread_mark_main(false);
    ck_assert(off_main_returns());
    ck_assert(off_main_returns());
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(err);
    ck_assert_ptr_nonnull(fgets(line, sizeof(line), err));
    ck_assert_str_eq(line, "vm_mib: assert_main called off snmpd's thread\n");
    ck_assert_ptr_null(fgets(line, sizeof(line), err));
    fclose(err);
}
END_TEST

Suite *thread_suite(void)
{
    Suite *s = suite_create("thread");
    TCase *tc = tcase_create("signals");

    tcase_add_test(tc, threads_take_no_signals);
    suite_add_tcase(s, tc);

    tc = tcase_create("main");
    tcase_add_test(tc, main_thread_passes);
    tcase_add_test(tc, unmarked_passes);
    tcase_add_test_raise_signal(tc, off_main_aborts_when_fatal, SIGABRT);
    tcase_add_test(tc, off_main_said_once_when_not_fatal);
    suite_add_tcase(s, tc);
    return s;
}
