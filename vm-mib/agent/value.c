/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "agent/value.h"

#include <limits.h>

#include "core/text.h"

void vmm_value_integer(netsnmp_variable_list *var, long value)
{
    snmp_set_var_typed_value(var, ASN_INTEGER, &value, sizeof(value));
}

void vmm_value_ticks(netsnmp_variable_list *var, uint32_t ticks)
{
    u_long v = ticks;

    snmp_set_var_typed_value(var, ASN_TIMETICKS, &v, sizeof(v));
}

void vmm_value_counter64(netsnmp_variable_list *var, unsigned long long value)
{
    struct counter64 c = { (u_long)(value >> 32), (u_long)(value & 0xffffffffu) };

    snmp_set_var_typed_value(var, ASN_COUNTER64, &c, sizeof(c));
}

void vmm_value_octets(netsnmp_variable_list *var, const void *data, size_t len)
{
    snmp_set_var_typed_value(var, ASN_OCTET_STR, data, len);
}

void vmm_value_admin_string(netsnmp_variable_list *var, const char *s)
{
    if (!s)
        s = "";
    vmm_value_octets(var, s, vmm_text_utf8_cut(s, VMM_ADMIN_STRING_MAX));
}

long vmm_value_int32_or_max(unsigned long long value)
{
    return value > INT32_MAX ? INT32_MAX : (long)value;
}
