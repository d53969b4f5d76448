/* mib/vmHypervisor: vmHypervisor group, vmNumber, vmTableLastChange and the two
 * notification switches (RFC 7666 vmHypervisorGroup). */
#ifndef VMM_SCALARS_H
#define VMM_SCALARS_H

#include <stdbool.h>

int vmm_scalars_register(void);
void vmm_scalars_unregister(void);

/* Start values of vmPerVMNotificationsEnabled / vmBulkNotificationsEnabled;
 * SETs change them in memory only (RFC 7666: they MUST NOT persist). */
void vmm_scalars_set_notifications(bool pervm, bool bulk);
bool vmm_pervm_notifications_enabled(void);
bool vmm_bulk_notifications_enabled(void);

#endif
