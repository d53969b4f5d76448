/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/worker: run one blocking libvirt call off snmpd's main loop.
 *
 * Net-SNMP is single-threaded, so the thread only calls libvirt; its result
 * comes back through a pipe that snmpd's select loop watches, and done()
 * runs in the main loop.  Used where libvirt can block without bound, such
 * as opening a connection to a daemon that accepts but never answers. */
#ifndef VMM_WORKER_H
#define VMM_WORKER_H

struct vmm_job;

/* Convention: agent/ and mib/ functions that run in the thread end in _work. */
typedef void *vmm_work_fn(void *arg);                 /* in the thread */
typedef void vmm_done_fn(void *result, void *arg);    /* in the main loop */

/* Returns NULL if no thread could be started.  discard() releases result and
 * arg of a job that was abandoned; it may run in the thread. */
struct vmm_job *vmm_worker_start(vmm_work_fn *work, vmm_done_fn *done,
                                 vmm_done_fn *discard, void *arg);

/* Main loop only: done() will not be called for this job. */
void vmm_worker_abandon(struct vmm_job *job);

#endif
