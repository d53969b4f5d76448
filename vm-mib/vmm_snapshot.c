#include "vmm_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vmm_version_format(unsigned long version, char *buf, size_t len)
{
    snprintf(buf, len, "%lu.%lu.%lu", version / 1000000,
             version / 1000 % 1000, version % 1000);
}

bool vmm_machines_equal(const struct vmm_machine *a, size_t na,
                        const struct vmm_machine *b, size_t nb)
{
    return na == nb && (na == 0 || memcmp(a, b, na * sizeof(*a)) == 0);
}

static int compare_uuid(const void *a, const void *b)
{
    return memcmp(((const struct vmm_machine *)a)->uuid,
                  ((const struct vmm_machine *)b)->uuid, VIR_UUID_BUFLEN);
}

static int take_hypervisor(virConnectPtr conn, struct vmm_snapshot *snap)
{
    const char *type = virConnectGetType(conn);
    unsigned long version;

    if (!type || !(snap->hv_software = strdup(type)))
        return -1;
    /* Some drivers cannot tell; the object is then absent, not invented. */
    if (virConnectGetVersion(conn, &version) == 0) {
        char buf[32];

        vmm_version_format(version, buf, sizeof(buf));
        if (!(snap->hv_version = strdup(buf)))
            return -1;
    }
    return 0;
}

static int take_machines(virConnectPtr conn, struct vmm_snapshot *snap)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    int rc = 0;

    if (n < 0)
        return -1;
    snap->machines = calloc(n ? (size_t)n : 1, sizeof(*snap->machines));
    if (!snap->machines)
        rc = -1;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && virDomainGetUUID(doms[i], snap->machines[i].uuid) < 0)
            rc = -1;
        virDomainFree(doms[i]);
    }
    free(doms);
    if (rc == 0) {
        snap->nmachines = (size_t)n;
        qsort(snap->machines, snap->nmachines, sizeof(*snap->machines),
              compare_uuid);
    }
    return rc;
}

struct vmm_snapshot *vmm_snapshot_take(virConnectPtr conn)
{
    struct vmm_snapshot *snap = calloc(1, sizeof(*snap));

    if (!snap)
        return NULL;
    if (take_hypervisor(conn, snap) < 0 || take_machines(conn, snap) < 0) {
        vmm_snapshot_free(snap);
        return NULL;
    }
    return snap;
}

void vmm_snapshot_free(struct vmm_snapshot *snap)
{
    if (!snap)
        return;
    free(snap->hv_software);
    free(snap->hv_version);
    free(snap->machines);
    free(snap);
}
