/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/uuid: a machine's UUID as the module keeps it (16 octets), as text
 * (lower-case 8-4-4-4-12, the form libvirt and the index file use) and as
 * the key of the module's sorted sets. */
#ifndef VMM_UUID_H
#define VMM_UUID_H

#define VMM_UUID_LEN 16             /* VIR_UUID_BUFLEN, without including libvirt */
#define VMM_UUID_TEXT_LEN 37        /* 36 characters and the NUL */

void vmm_uuid_format(const unsigned char uuid[VMM_UUID_LEN], char out[VMM_UUID_TEXT_LEN]);

/* Also takes upper-case; rejects anything else, including surrounding
 * text.  0, or -1 leaving uuid untouched. */
int vmm_uuid_parse(const char *text, unsigned char uuid[VMM_UUID_LEN]);

/* cmp (vmm_sorted_lower_bound(), qsort()) for sets whose elements start
 * with their UUID. */
int vmm_uuid_cmp(const void *key, const void *elem);

#endif
