/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/text.h"

#include <string.h>

size_t vmm_text_utf8_cut(const char *s, size_t max)
{
    size_t len = strlen(s);

    if (len <= max)
        return len;
    /* Back up over continuation bytes (10xxxxxx) to a character start. */
    len = max;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

int vmm_text_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
