/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/thread.h"

#include <signal.h>

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
