#include "core/vmlist.h"

#include <stdlib.h>
#include <string.h>

int vmm_vmlist_add(struct vmm_vmlist *l, long i)
{
    size_t need = (size_t)(i - 1) / 8 + 1;

    if (i < 1)
        return -1;
    if (need > l->len) {
        unsigned char *grown = realloc(l->map, need);

        if (!grown)
            return -1;
        memset(grown + l->len, 0, need - l->len);
        l->map = grown;
        l->len = need;
    }
    l->map[(i - 1) / 8] |= (unsigned char)(0x80u >> ((i - 1) % 8));
    return 0;
}

void vmm_vmlist_clear(struct vmm_vmlist *l)
{
    free(l->map);
    l->map = NULL;
    l->len = 0;
}
