/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/backoff.h"

unsigned vmm_backoff_next(unsigned previous)
{
    if (previous < VMM_BACKOFF_FIRST)
        return VMM_BACKOFF_FIRST;
    if (previous >= VMM_BACKOFF_MAX / 2)
        return VMM_BACKOFF_MAX;
    return previous * 2;
}
