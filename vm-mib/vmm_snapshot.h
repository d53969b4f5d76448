/* vmm_snapshot: one consistent picture of a libvirt hypervisor as plain C.
 *
 * The data layer of vm_mib: it knows libvirt and nothing of Net-SNMP.  The
 * MIB layer serves every object from the current snapshot, so all varbinds
 * of one request see the same moment. */
#ifndef VMM_SNAPSHOT_H
#define VMM_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <libvirt/libvirt.h>

struct vmm_machine {
    unsigned char uuid[VIR_UUID_BUFLEN];
};

struct vmm_snapshot {
    char *hv_software;              /* virConnectGetType, e.g. "QEMU" */
    char *hv_version;               /* "major.minor.release"; NULL if unknown */
    size_t nmachines;               /* every defined machine, active or not */
    struct vmm_machine *machines;   /* sorted by UUID */
};

/* Returns NULL on failure; libvirt's last error says why. */
struct vmm_snapshot *vmm_snapshot_take(virConnectPtr conn);
void vmm_snapshot_free(struct vmm_snapshot *snap);

/* True when both lists hold the same machines (both sorted by UUID). */
bool vmm_machines_equal(const struct vmm_machine *a, size_t na,
                        const struct vmm_machine *b, size_t nb);

/* libvirt encodes versions as major * 1000000 + minor * 1000 + release. */
void vmm_version_format(unsigned long version, char *buf, size_t len);

#endif
