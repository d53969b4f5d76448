/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/sorted: the module's UUID-keyed sets (snapshot machines, history,
 * tracker) are arrays kept sorted by UUID: binary search to find, memmove
 * to insert or erase.  They hold hundreds of machines at most and are read
 * far more often than changed. */
#ifndef VMM_SORTED_H
#define VMM_SORTED_H

#include <stdbool.h>
#include <stddef.h>

#include "core/uuid.h"               /* vmm_uuid_cmp: the usual cmp */

/* The position of key in base[0..n) sorted by cmp, or where it would be
 * inserted; *found tells whether it is there.  cmp(key, element). */
size_t vmm_sorted_lower_bound(const void *base, size_t n, size_t size, const void *key,
                       int (*cmp)(const void *key, const void *elem), bool *found);

/* A zeroed element opened at position at of *base (n elements, room for
 * *cap, grown as vmm_array_grow() does); *n counts it.  NULL if out of memory,
 * with everything untouched. */
void *vmm_sorted_insert(void **base, size_t *n, size_t *cap, size_t size, size_t at);

/* Close the gap of element at (the caller has released what it held). */
void vmm_sorted_erase(void *base, size_t *n, size_t size, size_t at);

#endif
