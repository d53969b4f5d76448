/* core/sorted: binary search in the UUID-keyed sorted arrays. */
#ifndef VMM_SORTED_H
#define VMM_SORTED_H

#include <stdbool.h>
#include <stddef.h>

/* The position of key in base[0..n) sorted by cmp, or where it would be
 * inserted; *found tells whether it is there.  cmp(key, element). */
size_t vmm_lower_bound(const void *base, size_t n, size_t size, const void *key,
                       int (*cmp)(const void *key, const void *elem), bool *found);

#endif
