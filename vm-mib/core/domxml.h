/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/domxml: the parts of a libvirt domain XML document that VM-MIB needs.
 *
 * vmStorageTable, vmNetworkTable, vmOSType and the configured CPU affinity
 * have no libvirt API of their own; they come from virDomainGetXMLDesc().
 * This layer turns one such document (live or inactive) into plain C data
 * so that the mapping rules (doc/design.md, "Domain XML and statistics →
 * columns") can be unit-tested without
 * snmpd or a hypervisor. */
#ifndef VMM_DOMXML_H
#define VMM_DOMXML_H

#include <stdbool.h>
#include <stddef.h>

/* RFC 7666 VirtualMachineStorageSourceType */
enum vmm_source_type {
    VMM_SRC_UNKNOWN = 1, VMM_SRC_OTHER = 2, VMM_SRC_BLOCK = 3,
    VMM_SRC_RAW = 4, VMM_SRC_SPARSE = 5, VMM_SRC_NETWORK = 6
};

/* IANAStorageMediaType (2016 values) */
enum vmm_media_type {
    VMM_MEDIA_OTHER = 1, VMM_MEDIA_UNKNOWN = 2, VMM_MEDIA_HARDDISK = 3,
    VMM_MEDIA_OPTICAL = 4, VMM_MEDIA_FLOPPY = 5
};

struct vmm_disk {
    char *target;        /* <target dev>, e.g. "vda"; "" if absent */
    char *source;        /* file path, block device, "pool/volume", directory,
                          * "protocol://host[:port]/name" (network),
                          * "nvme://PCI-address/namespace" or the vhost-user
                          * socket path; NULL when there is no medium */
    char *format;        /* <driver type>; the protocol for network disks;
                          * "" if unknown */
    char *bus;           /* <target bus>; "" if absent */
    int source_type;     /* enum vmm_source_type */
    int media_type;      /* enum vmm_media_type */
    bool readonly;       /* <readonly/> present */
    bool file_backed;    /* source is a path on this host's filesystem
                          * (type file or dir); false for volumes, which
                          * would have to be resolved through their pool */
};

struct vmm_nic {
    unsigned char mac[6];
    bool has_mac;        /* false if <mac> is absent or malformed */
    char *type;          /* <interface type>; "" if absent */
    char *target;        /* <target dev>; "" if absent */
    char *source;        /* bridge (bridge), network (network), dev (direct);
                          * "" otherwise */
    char *bridge;        /* <source bridge>: the host bridge, also for a running
                          * type network NIC; "" if absent */
    char *model;         /* <model type>; "" if absent */
};

struct vmm_domconf {
    char *os_type;                  /* libosinfo <os id>, else <os><type>,
                                     * else "" */
    unsigned vcpus_max;             /* <vcpu>; 1 if absent (libvirt's
                                     * default), 0 if unusable */
    unsigned vcpus_current;         /* <vcpu current>, else vcpus_max */
    unsigned long long mem_max_kib; /* <memory> in KiB (unit= honoured,
                                     * rounded up); 0 if absent/invalid */
    unsigned long long mem_cur_kib; /* <currentMemory>, else mem_max_kib */
    size_t ndisks;
    struct vmm_disk *disks;         /* document order */
    size_t nnics;
    struct vmm_nic *nics;           /* document order */
    unsigned host_cpus;             /* as passed to the parser */
    size_t pin_len;                 /* bytes per vCPU: (host_cpus + 7) / 8 */
    unsigned char *pinmap;          /* vcpus_max * pin_len bytes, libvirt's
                                     * VIR_CPU_USABLE layout: vCPU v may run
                                     * on host CPU j iff
                                     * pinmap[v * pin_len + j / 8] & (1 << j % 8).
                                     * From <vcpupin>, else <vcpu cpuset>,
                                     * else every host CPU.  NULL when
                                     * vcpus_max or pin_len is 0. */
};

/* libxml2's first initialisation must not race: call once from the main
 * thread before any thread (libvirt's own included) may parse XML. */
void vmm_domxml_init(void);

/* Parse one domain XML document.  NULL if it cannot be parsed, its root is
 * not <domain>, or memory runs out. */
struct vmm_domconf *vmm_domxml_parse(const char *xml, unsigned host_cpus);

void vmm_domxml_free(struct vmm_domconf *conf);

/* Parse a libvirt cpuset ("0-3,^2,5": numbers, ranges, ^exclusions, applied
 * left to right as libvirt does) into map (len bytes, zeroed first).  CPUs
 * >= ncpus, or beyond the map, are ignored.  -1 on a syntax error. */
int vmm_domxml_cpuset_parse(const char *cpuset, unsigned char *map, size_t len,
                     unsigned ncpus);

#endif
