/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/driver.h"

#include <string.h>
#include <libvirt/virterror.h>

#include "core/host.h"

unsigned vmm_driver_traits(const char *type)
{
    if (!type)
        return 0;
    if (strcmp(type, "QEMU") == 0)
        return VMM_DRIVER_QEMU_PIDFILE;
    if (strcmp(type, "LXC") == 0)
        return VMM_DRIVER_ID_IS_PID | VMM_DRIVER_INFO_MEMORY_USED;
    if (strcmp(type, "Xen") == 0)
        return VMM_DRIVER_HOST_DOMAIN;
    return 0;
}

bool vmm_driver_is_host(unsigned traits, int id)
{
    return (traits & VMM_DRIVER_HOST_DOMAIN) && id == 0;
}

long vmm_driver_machine_pid(unsigned traits, const char *name, int id)
{
    if (id <= 0)
        return 0;
    if (traits & VMM_DRIVER_ID_IS_PID)
        return id;
    if (traits & VMM_DRIVER_QEMU_PIDFILE)
        return vmm_host_qemu_pid(name);
    return 0;
}

bool vmm_driver_may_call(struct vmm_support *s, unsigned long conn, unsigned call)
{
    if (s->conn != conn) {
        s->conn = conn;
        s->missing = 0;
    }
    return !(s->missing & call);
}

void vmm_driver_failed(struct vmm_support *s, unsigned call, int error)
{
    if (error == VIR_ERR_NO_SUPPORT)
        s->missing |= call;
}
