/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/setjob: park the requests of one SET phase while its libvirt work
 * runs in a worker thread (vmm_worker), so that snmpd's thread never waits
 * for libvirt; finish them on snmpd's thread.
 *
 * Bound: a parked phase waits at most vmMibRefreshWait ms (0: no wait at
 * all, the work still runs in the thread).  RESERVE2 counts from the PDU's
 * arrival at the module (vmm_park_pdu_arrival()), ACTION, UNDO and COMMIT each from their own start.  When the bound
 * passes first, every parked request gets the phase's error with one log
 * line, and the job is abandoned: it goes on in its thread and its result
 * is thrown away, so a change it was making may still happen.
 *
 * snmpd calls every table's handler of a phase before it waits, so one PDU
 * may park several jobs at once: they run one after the other, in the order
 * they were parked, each within its own bound.
 *
 * vmm_setjob_shutdown(), at deinit (a reload, SIGHUP), answers every parked
 * SET the same way while the module's handlers still exist. */
#ifndef VMM_SETJOB_H
#define VMM_SETJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/worker.h"

/* snmpd's thread, after the job ended in time: reqs are un-parked and
 * valid; set their errors. */
typedef void vmm_setjob_apply_fn(void *arg, netsnmp_agent_request_info *reqinfo,
                                 netsnmp_request_info **reqs, size_t n);

/* Park reqs[0..n-1] (of the SET phase reqinfo->mode) and start work(arg)
 * in a worker thread.  In time: apply(arg, ...), then discard(result, arg).
 * Too late: the phase's error (see above); discard(result, arg) runs when
 * the work ends, maybe in its thread.  Takes reqs (malloc'd); false if no
 * thread could be started: nothing parked, reqs and arg stay the caller's. */
bool vmm_setjob_park(netsnmp_agent_request_info *reqinfo, netsnmp_request_info **reqs,
                     size_t n, vmm_work_fn *work, vmm_setjob_apply_fn *apply,
                     vmm_done_fn *discard, void *arg);

/* vmMibRefreshWait, in ms. */
void vmm_setjob_set_wait(int ms);

/* deinit, before the registrations go. */
void vmm_setjob_shutdown(void);

/* The error status of a phase that could not be finished: resourceUnavailable
 * in RESERVE2, undoFailed in UNDO, commitFailed in ACTION and COMMIT. */
int vmm_setjob_phase_error(int mode);

#endif
