/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/stats: one record of virConnectGetAllDomainStats as plain C.
 *
 * Part of the data layer (no Net-SNMP here).  libvirt 9.0 names its bulk
 * stats with strings ("block.0.rd.reqs"); the VIR_DOMAIN_STATS_*_SUFFIX_*
 * macros only exist from libvirt 11.2, so the names are spelt out in
 * vmm_stats.c.  Units are libvirt's: nanoseconds, KiB for memory, bytes
 * for disks. */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <libvirt/libvirt.h>

/* Input is only trusted this far: a record naming "vcpu.4000000000.time"
 * must not make the agent allocate gigabytes.  Numbers at or above a cap
 * are ignored. */
#define VMM_STATS_MAX_VCPUS 16384
#define VMM_STATS_MAX_BLOCKS 4096

struct vmm_vcpu_stat {
    bool present;               /* libvirt reported vcpu.<n>.state or .time */
    bool has_time;
    unsigned long long time_ns;
};

struct vmm_block_stat {
    char *name;   /* "vda" */
    unsigned long long rd_reqs, rd_bytes, rd_times_ns, wr_reqs, wr_bytes, wr_times_ns;
    unsigned long long capacity, physical;
    unsigned have;  /* VMM_HAVE_* bits: the sizes that were present (an
                     * absent counter is as good as 0, an absent size is not) */
};

enum { VMM_HAVE_CAPACITY = 1, VMM_HAVE_PHYSICAL = 2 };

struct vmm_domstats {
    bool has_state; int state, reason;          /* has_state: state.state seen */
    bool has_cpu_time; unsigned long long cpu_time_ns;
    bool has_balloon; unsigned long long balloon_cur_kib, balloon_max_kib;  /* either seen */
    bool has_vcpu; unsigned vcpu_current, vcpu_max;                         /* either seen */
    size_t nvcpus; struct vmm_vcpu_stat *vcpus;     /* index = libvirt vCPU number; entries not reported have present=false */
    size_t nblocks; struct vmm_block_stat *blocks;  /* by libvirt's block.<n> order; named, one per name */
};

/* Parses one record's params.  Unknown fields, fields of an unexpected
 * type and negative counters are ignored; numeric fields accept any of
 * INT/UINT/LLONG/ULLONG.  If a field repeats, the last one wins.
 *
 * Blocks: only entries with a name are kept, and for a name that appears
 * more than once only the lowest block.<n> (with
 * VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING libvirt lists a disk's
 * backing-chain images after its top image, under the same name).
 * block.count is not needed and ignored.  Interface statistics (net.*)
 * are IF-MIB's business and are not asked for.
 *
 * 0 on success, -1 on allocation failure (out is then cleared).  out must
 * be zero-initialised or cleared; anything it still holds is freed. */
int vmm_stats_parse(const virTypedParameter *params, int nparams, struct vmm_domstats *out);

/* Frees and zeroes; safe on a zeroed or already cleared struct. */
void vmm_stats_clear(struct vmm_domstats *stats);

/* The block entry for a target name ("vda"), or NULL. */
const struct vmm_block_stat *vmm_stats_block(const struct vmm_domstats *s, const char *name);

/* The groups vm_mib asks for */
#define VMM_STATS_GROUPS (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | \
                          VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU | \
                          VIR_DOMAIN_STATS_BLOCK)

#endif
