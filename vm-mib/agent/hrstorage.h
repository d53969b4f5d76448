/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* agent/hrstorage: vmStorageParent, the hrStorageIndex that the same snmpd's
 * HOST-RESOURCES-MIB gives the filesystem holding an image file. */
#ifndef VMM_HRSTORAGE_H
#define VMM_HRSTORAGE_H

/* Bring Net-SNMP's filesystem list and the mount table up to date (once
 * per table refill); release frees the mount table. */
void vmm_hrstorage_refresh(void);
void vmm_hrstorage_release(void);

/* The hrStorageIndex of the filesystem mounted at the longest prefix of
 * path (links already resolved: the collector did, off snmpd's thread), 0
 * if hrStorageTable does not list one. */
long vmm_hrstorage_index(const char *path);

#endif
