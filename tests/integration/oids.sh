# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 the vm-mib authors
# The OIDs the tests, benchmarks and the demo use, declared once (sourced by
# lib.sh; expect.py reads it too, so keep to NAME=VALUE lines, a value being
# a dotted OID or $PARENT.N).  VM-MIB's are its own names, in tree order, as
# `snmptranslate -Tz -On -m VM-MIB` lists them (but vmConformance: no test
# queries a group); an object's instance is appended: "$vmNumber.0",
# "$vmName.$INDEX".

# Used beside VM-MIB by several suites
sysUpTime=.1.3.6.1.2.1.1.3
snmpTrapOID=.1.3.6.1.6.3.1.1.4.1
hrStorageDescr=.1.3.6.1.2.1.25.2.3.1.3

# VM-MIB (RFC 7666)
vmMIB=.1.3.6.1.2.1.236
vmNotifications=$vmMIB.0
vmRunning=$vmNotifications.1
vmShuttingdown=$vmNotifications.2
vmShutdown=$vmNotifications.3
vmPaused=$vmNotifications.4
vmSuspending=$vmNotifications.5
vmSuspended=$vmNotifications.6
vmResuming=$vmNotifications.7
vmMigrating=$vmNotifications.8
vmCrashed=$vmNotifications.9
vmDeleted=$vmNotifications.10
vmBulkRunning=$vmNotifications.11
vmBulkShuttingdown=$vmNotifications.12
vmBulkShutdown=$vmNotifications.13
vmBulkPaused=$vmNotifications.14
vmBulkSuspending=$vmNotifications.15
vmBulkSuspended=$vmNotifications.16
vmBulkResuming=$vmNotifications.17
vmBulkMigrating=$vmNotifications.18
vmBulkCrashed=$vmNotifications.19
vmBulkDeleted=$vmNotifications.20
vmObjects=$vmMIB.1
vmHypervisor=$vmObjects.1
vmHvSoftware=$vmHypervisor.1
vmHvVersion=$vmHypervisor.2
vmHvObjectID=$vmHypervisor.3
vmHvUpTime=$vmHypervisor.4
vmNumber=$vmObjects.2
vmTableLastChange=$vmObjects.3
vmTable=$vmObjects.4
vmEntry=$vmTable.1
vmIndex=$vmEntry.1
vmName=$vmEntry.2
vmUUID=$vmEntry.3
vmOSType=$vmEntry.4
vmAdminState=$vmEntry.5
vmOperState=$vmEntry.6
vmAutoStart=$vmEntry.7
vmPersistent=$vmEntry.8
vmCurCpuNumber=$vmEntry.9
vmMinCpuNumber=$vmEntry.10
vmMaxCpuNumber=$vmEntry.11
vmMemUnit=$vmEntry.12
vmCurMem=$vmEntry.13
vmMinMem=$vmEntry.14
vmMaxMem=$vmEntry.15
vmUpTime=$vmEntry.16
vmCpuTime=$vmEntry.17
vmCpuTable=$vmObjects.5
vmCpuEntry=$vmCpuTable.1
vmCpuIndex=$vmCpuEntry.1
vmCpuCoreTime=$vmCpuEntry.2
vmCpuAffinityTable=$vmObjects.6
vmCpuAffinityEntry=$vmCpuAffinityTable.1
vmCpuPhysIndex=$vmCpuAffinityEntry.2
vmCpuAffinity=$vmCpuAffinityEntry.3
vmStorageTable=$vmObjects.7
vmStorageEntry=$vmStorageTable.1
vmStorageVmIndex=$vmStorageEntry.1
vmStorageIndex=$vmStorageEntry.2
vmStorageParent=$vmStorageEntry.3
vmStorageSourceType=$vmStorageEntry.4
vmStorageSourceTypeString=$vmStorageEntry.5
vmStorageResourceID=$vmStorageEntry.6
vmStorageAccess=$vmStorageEntry.7
vmStorageMediaType=$vmStorageEntry.8
vmStorageMediaTypeString=$vmStorageEntry.9
vmStorageSizeUnit=$vmStorageEntry.10
vmStorageDefinedSize=$vmStorageEntry.11
vmStorageAllocatedSize=$vmStorageEntry.12
vmStorageReadIOs=$vmStorageEntry.13
vmStorageWriteIOs=$vmStorageEntry.14
vmStorageReadOctets=$vmStorageEntry.15
vmStorageWriteOctets=$vmStorageEntry.16
vmStorageReadLatency=$vmStorageEntry.17
vmStorageWriteLatency=$vmStorageEntry.18
vmNetworkTable=$vmObjects.8
vmNetworkEntry=$vmNetworkTable.1
vmNetworkIndex=$vmNetworkEntry.1
vmNetworkIfIndex=$vmNetworkEntry.2
vmNetworkParent=$vmNetworkEntry.3
vmNetworkModel=$vmNetworkEntry.4
vmNetworkPhysAddress=$vmNetworkEntry.5
vmPerVMNotificationsEnabled=$vmObjects.9
vmBulkNotificationsEnabled=$vmObjects.10
vmAffectedVMs=$vmObjects.11
