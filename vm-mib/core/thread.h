/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/thread: the module's threads, and which one is snmpd's.
 *
 * The module's threads take no signals: snmpd learns of SIGHUP (reload)
 * and SIGTERM from a flag its handler sets, and relies on the signal
 * interrupting its select(); a signal delivered to one of our threads
 * instead would be noticed only at the next timeout.
 *
 * Net-SNMP is single-threaded: only snmpd's thread may call it
 * (doc/design.md).  The entry points that hand results to Net-SNMP check
 * it; functions that run on other threads end in _work. */
#ifndef VMM_THREAD_H
#define VMM_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* pthread_create() with every signal blocked in the new thread. */
int vmm_thread_create(pthread_t *thread, const pthread_attr_t *attr,
                      void *(*run)(void *), void *arg);

/* The calling thread is snmpd's.  fatal: a check failing aborts (test
 * builds: configure --enable-thread-checks, the default with
 * --enable-werror); otherwise it says one line on stderr, once. */
void vmm_thread_mark_main(bool fatal);

/* Called where Net-SNMP is about to be touched (where: the caller's name,
 * for the message).  A compare of two thread ids; nothing before
 * vmm_thread_mark_main(). */
void vmm_thread_assert_main(const char *where);

#endif
