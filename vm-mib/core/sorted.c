/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/sorted.h"
#include "core/array.h"

#include <string.h>

size_t vmm_sorted_lower_bound(const void *base, size_t n, size_t size, const void *key,
                       int (*cmp)(const void *key, const void *elem), bool *found)
{
    size_t lo = 0, hi = n;

    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(key, (const char *)base + mid * size);

        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void *vmm_sorted_insert(void **base, size_t *n, size_t *cap, size_t size, size_t at)
{
    char *p;

    if (vmm_array_grow(base, cap, *n + 1, size) < 0)
        return NULL;
    p = (char *)*base + at * size;
    memmove(p + size, p, (*n - at) * size);
    memset(p, 0, size);
    (*n)++;
    return p;
}

void vmm_sorted_erase(void *base, size_t *n, size_t size, size_t at)
{
    char *p = (char *)base + at * size;

    memmove(p, p + size, (*n - at - 1) * size);
    (*n)--;
}
