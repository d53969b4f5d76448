/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int vmm_array_grow(void **base, size_t *cap, size_t need, size_t size)
{
    size_t most = SIZE_MAX / size, ncap;
    char *p;

    if (need <= *cap)
        return 0;
    if (need > most)
        return -1;
    ncap = *cap <= most / 2 ? *cap * 2 : most;
    if (ncap < need)
        ncap = need;
    if (!(p = realloc(*base, ncap * size)))
        return -1;
    memset(p + *cap * size, 0, (ncap - *cap) * size);
    *base = p;
    *cap = ncap;
    return 0;
}
