/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/fresh.h"

bool vmm_fresh_ready(const struct vmm_fresh *f, uint64_t arrival_ms, uint64_t now_ms)
{
    if (!f->connected)
        return !f->opening;
    if (f->have_snapshot && f->read_ms && f->timeout_s > 0 &&
        arrival_ms < f->read_ms + (uint64_t)f->timeout_s * 1000)
        return true;
    return f->have_snapshot && f->refreshing &&
           now_ms - f->refresh_ms > (uint64_t)f->wait_ms;
}

bool vmm_fresh_answers(uint64_t read_ms, uint64_t arrival_ms)
{
    return arrival_ms <= read_ms;
}

bool vmm_fresh_waited(uint64_t arrival_ms, uint64_t now_ms, int wait_ms)
{
    return now_ms >= arrival_ms + (uint64_t)wait_ms;
}
