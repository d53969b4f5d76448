/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/clock.h"

#include <time.h>

/* clock_gettime() fails only for an unknown clock or a bad address, and
 * both clocks exist on every kernel libvirt supports. */
uint64_t vmm_clock_boottime_cs(void)
{
    struct timespec t;

    (void)clock_gettime(CLOCK_BOOTTIME, &t);
    return (uint64_t)t.tv_sec * 100 + (uint64_t)t.tv_nsec / 10000000;
}

uint32_t vmm_clock_uptime_ticks(void)
{
    return (uint32_t)vmm_clock_boottime_cs();
}

uint64_t vmm_clock_now_ms(void)
{
    struct timespec t;

    (void)clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}
