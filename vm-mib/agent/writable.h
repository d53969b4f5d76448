/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/writable: what the writable columns (vmMibWritable yes) share:
 * RESERVE1's checks and the SET phases that need libvirt.  Only a column
 * that accepts SETs with writes on gets here (agent/container answers the
 * others notWritable).
 *
 * Phases: RESERVE1 checks type and range (snmpd's thread, no libvirt),
 * RESERVE2 looks the machine up live and checks that the change is possible
 * now — so a PDU is validated whole before any libvirt change —, ACTION
 * makes the reversible changes and UNDO reverts them, COMMIT makes the
 * irreversible ones.
 *
 * snmpd's thread never calls libvirt: vmm_writable_phase() gathers the varbinds
 * of one table's handler call into one job of copies (struct vmm_writable_change),
 * runs it in a worker thread while the requests are parked (vmm_setjob),
 * and reports each varbind's result on snmpd's thread: its error status
 * and one log line with the reason or libvirt's message. */
#ifndef VMM_WRITABLE_H
#define VMM_WRITABLE_H

#include <stdbool.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <libvirt/libvirt.h>

/* One varbind's change: plain data, copied from the table row when RESERVE2
 * starts (the row may be gone by the time a parked SET goes on), then the
 * plan and what is needed to undo it.  Kept on the request between phases;
 * a job works on its own copy. */
struct vmm_writable_change {
    unsigned char uuid[VIR_UUID_BUFLEN];
    unsigned col;
    long requested;                 /* the varbind's INTEGER */
    long mem_unit;                  /* vmCurMem: bytes per unit */
    unsigned vcpu, cpu, host_cpus;  /* vmCpuAffinity: row's vCPU and host CPU */
    int action;                     /* vmm_control action (vmAdminState) */
    unsigned long long old, value;  /* vCPUs / KiB before and requested */
    unsigned char *old_map, *new_map;   /* vmCpuAffinity: the vCPU's pin maps */
    int map_len;
    bool done;                      /* ACTION made the change */
};

/* One varbind's outcome in a phase; error SNMP_ERR_NOERROR = success.  With
 * why set it is a refusal ("WHAT refused: WHY"), else a failure
 * ("WHAT failed: MESSAGE", libvirt's message copied in the thread). */
struct vmm_writable_result {
    int error;
    const char *what, *why;         /* static strings */
    char message[256];
};

/* A writable table's part.  prepare and committed run on snmpd's thread;
 * changes and step in the worker thread (libvirt and plain C only). */
struct vmm_writable_ops {
    /* RESERVE2: copy from row what the phases need into c (uuid, col and
     * requested are filled in already), or refuse at once in r. */
    void (*prepare)(const void *row, struct vmm_writable_change *c, struct vmm_writable_result *r);
    /* Whether c makes a libvirt change in ACTION or COMMIT. */
    bool (*changes)(int mode, const struct vmm_writable_change *c);
    /* The libvirt work of c in mode on its live domain. */
    void (*step)(virDomainPtr dom, int mode, struct vmm_writable_change *c,
                 struct vmm_writable_result *r);
    /* After COMMIT, also when it failed (r->error may be set here too). */
    void (*committed)(const struct vmm_writable_change *c, struct vmm_writable_result *r);
};

/* RESERVE1: INTEGER in lo..hi, else wrongType / wrongValue; returns the value. */
bool vmm_writable_check_integer(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req,
                     long lo, long hi, long *value);

/* RESERVE2 to COMMIT, from a table's set function: req and every later
 * varbind of this handler call that is neither answered nor parked yet, in
 * one job.  The later varbinds are then parked, so the table's set
 * function returns at once for them.  Returns without waiting; errors and
 * log lines as the phase's results say, or, when the job outlives
 * vmMibRefreshWait, as vmm_setjob says. */
void vmm_writable_phase(const struct vmm_writable_ops *ops, int mode,
                   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *req);

/* Record a refusal, or a failure with its message.  vmm_writable_failed takes
 * libvirt's last error of the calling thread: worker thread only. */
void vmm_writable_refuse(struct vmm_writable_result *r, int error, const char *what,
                         const char *why);
void vmm_writable_failed_with(struct vmm_writable_result *r, int error, const char *what,
                         const char *message);
void vmm_writable_failed(struct vmm_writable_result *r, int error, const char *what);

#endif
