/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/uuid.h"
#include "core/text.h"

#include <stdio.h>
#include <string.h>

void vmm_uuid_format(const unsigned char uuid[VMM_UUID_LEN], char out[VMM_UUID_TEXT_LEN])
{
    snprintf(out, VMM_UUID_TEXT_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6],
             uuid[7], uuid[8], uuid[9], uuid[10], uuid[11], uuid[12],
             uuid[13], uuid[14], uuid[15]);
}

int vmm_uuid_parse(const char *text, unsigned char uuid[VMM_UUID_LEN])
{
    unsigned char tmp[VMM_UUID_LEN];
    size_t pos = 0;

    if (!text || strlen(text) != VMM_UUID_TEXT_LEN - 1)
        return -1;
    for (int i = 0; i < VMM_UUID_LEN; i++) {
        int hi, lo;

        if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
            if (text[pos] != '-')
                return -1;
            pos++;
        }
        if ((hi = vmm_text_hex_digit(text[pos])) < 0 || (lo = vmm_text_hex_digit(text[pos + 1])) < 0)
            return -1;
        tmp[i] = (unsigned char)(hi << 4 | lo);
        pos += 2;
    }
    memcpy(uuid, tmp, VMM_UUID_LEN);
    return 0;
}

int vmm_uuid_cmp(const void *key, const void *elem)
{
    return memcmp(key, elem, VMM_UUID_LEN);
}
