/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/thread.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* Written once at init, on snmpd's thread, before any of our threads
 * exists (pthread_create() orders it before their reads). */
static pthread_t main_thread;
static bool marked, fatal_off_main;
static atomic_flag said = ATOMIC_FLAG_INIT;

int vmm_thread_create(pthread_t *thread, const pthread_attr_t *attr,
                      void *(*run)(void *), void *arg)
{
    sigset_t all, old;
    int rc;

    (void)sigfillset(&all);                     /* fails only for a NULL set */
    if ((rc = pthread_sigmask(SIG_SETMASK, &all, &old)) != 0)
        return rc;                              /* the new thread inherits it */
    rc = pthread_create(thread, attr, run, arg);
    (void)pthread_sigmask(SIG_SETMASK, &old, NULL);   /* the mask it gave back */
    return rc;
}

void vmm_thread_mark_main(bool fatal)
{
    main_thread = pthread_self();
    fatal_off_main = fatal;
    marked = true;
}

void vmm_thread_assert_main(const char *where)
{
    if (!marked || pthread_equal(pthread_self(), main_thread))
        return;
    /* stderr, not snmp_log(): Net-SNMP must not be called from here */
    if (fatal_off_main || !atomic_flag_test_and_set(&said))
        fprintf(stderr, "vm_mib: %s called off snmpd's thread\n", where);
    if (fatal_off_main)
        abort();
}
