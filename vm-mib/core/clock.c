#include "core/clock.h"

uint32_t vmm_ticks_from_timespec(const struct timespec *t)
{
    uint64_t cs = (uint64_t)t->tv_sec * 100u + (uint64_t)t->tv_nsec / 10000000u;

    return (uint32_t)cs;
}

uint32_t vmm_hv_uptime_ticks(void)
{
    struct timespec now;

    if (clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        clock_gettime(CLOCK_MONOTONIC, &now);
    return vmm_ticks_from_timespec(&now);
}

uint64_t vmm_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}
