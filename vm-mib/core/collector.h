/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/collector: the thread that talks to libvirt for snmpd.
 *
 * snmpd serves every MIB of its host from one thread, and libvirt can take
 * seconds to answer (a domain job lock held by a stuck QEMU monitor, a
 * restarting libvirtd).  So snmpd's thread only submits work here and picks
 * up the finished results: jobs run one after the other in the order they
 * were submitted, in one thread that calls libvirt and plain C only, and
 * each finished job is handed back in the same order.  That order is what
 * keeps lifecycle events and snapshots consistent: an event submitted after
 * a snapshot is applied after it.
 *
 * Pure C + pthreads: no Net-SNMP here.  The owner watches vmm_collector_fd()
 * (readable while finished jobs wait) and calls vmm_collector_done(). */
#ifndef VMM_COLLECTOR_H
#define VMM_COLLECTOR_H

#include <stdbool.h>

struct vmm_collector;

/* Runs in the collector's thread; agent/ and mib/ name theirs *_work. */
typedef void vmm_collect_fn(void *arg);

/* Starts the thread; NULL if it cannot. */
struct vmm_collector *vmm_collector_new(void);

/* Asks the thread to finish the job at hand and stop, then joins it: only
 * for a collector known to be idle or whose libvirt calls return (tests,
 * process exit).  Jobs not run are returned by vmm_collector_done() no more:
 * their args are lost to the caller, so drain first. */
void vmm_collector_free(struct vmm_collector *c);

/* Queue work(arg).  -1 if out of memory. */
int vmm_collector_submit(struct vmm_collector *c, vmm_collect_fn *work, void *arg);

/* The arg of the oldest finished job, or NULL when none is finished.
 * Clears the wake-up fd once the list is empty. */
void *vmm_collector_done(struct vmm_collector *c);

/* Readable while vmm_collector_done() has something to return. */
int vmm_collector_fd(const struct vmm_collector *c);

#endif
