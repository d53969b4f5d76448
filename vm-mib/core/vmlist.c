/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/vmlist.h"
#include "core/array.h"

#include <stdlib.h>

int vmm_vmlist_add(struct vmm_vmlist *l, long i)
{
    size_t need = (size_t)(i - 1) / 8 + 1;

    if (i < 1)
        return -1;
    if (vmm_array_grow((void **)&l->map, &l->cap, need, 1) < 0)
        return -1;
    if (need > l->len)
        l->len = need;
    l->map[(i - 1) / 8] |= (unsigned char)(0x80u >> ((i - 1) % 8));
    return 0;
}

void vmm_vmlist_clear(struct vmm_vmlist *l)
{
    free(l->map);
    l->map = NULL;
    l->len = l->cap = 0;
}
