/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/thread: the module's threads take no signals.
 *
 * snmpd learns of SIGHUP (reload) and SIGTERM from a flag its handler sets,
 * and relies on the signal interrupting its select(): a signal delivered to
 * one of our threads instead would be noticed only at the next timeout. */
#ifndef VMM_THREAD_H
#define VMM_THREAD_H

#include <pthread.h>

/* pthread_create() with every signal blocked in the new thread. */
int vmm_thread_create(pthread_t *thread, const pthread_attr_t *attr,
                      void *(*run)(void *), void *arg);

#endif
