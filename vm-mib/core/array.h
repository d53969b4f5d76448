/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* core/array: growing the module's arrays, one element or a run at a time,
 * without paying a realloc per element. */
#ifndef VMM_ARRAY_H
#define VMM_ARRAY_H

#include <stddef.h>

/* Make *base (room for *cap elements of size bytes) hold at least need
 * elements; the new ones are zeroed.  Capacity at least doubles, so that
 * appending one at a time costs amortised O(1).  0, or -1 when out of
 * memory (or need * size overflows), with *base and *cap untouched. */
int vmm_array_grow(void **base, size_t *cap, size_t need, size_t size);

#endif
