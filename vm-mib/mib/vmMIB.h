/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* mib/vmMIB: where the VM-MIB (RFC 7666) sits in the OID tree.  Every OID
 * the module registers, sends or lists in sysORTable is built from here;
 * column numbers come from the mib2c headers beside it. */
#ifndef VMM_VMMIB_H
#define VMM_VMMIB_H

#define VMM_MIB_OID 1, 3, 6, 1, 2, 1, 236           /* vmMIB ::= { mib-2 236 } */
#define VMM_MIB_LEN 7
#define VMM_NOTIFICATIONS_OID VMM_MIB_OID, 0        /* vmNotifications */
#define VMM_NOTIFICATIONS_LEN (VMM_MIB_LEN + 1)
#define VMM_OBJECTS_OID VMM_MIB_OID, 1              /* vmObjects */
#define VMM_OBJECTS_LEN (VMM_MIB_LEN + 1)

/* core/ writes the MIB's enumerations by hand (it includes no MIB header);
 * each is tied to the mib2c-generated value so that the build fails if the
 * two ever differ. */
#define VMM_SAME_AS_MIB(core, mib) _Static_assert((core) == (mib), #core " differs from the MIB")

#endif
