/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
/* vmm_domxml: domain XML → storage, network, CPU and OS-type data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "suites.h"
#include "core/domxml.h"

#define HOST_CPUS 4

/* A domain whose <devices> hold the given XML. */
#define DEVICES(devs) \
    "<domain type='kvm'><name>t</name><memory>1024</memory><vcpu>1</vcpu>" \
    "<os><type arch='x86_64'>hvm</type></os><devices>" devs \
    "</devices></domain>"

static struct vmm_domconf *conf;

static void teardown(void)
{
    vmm_domxml_free(conf);
    conf = NULL;
}

static struct vmm_domconf *parse(const char *xml)
{
    vmm_domxml_free(conf);
    conf = vmm_domxml_parse(xml, HOST_CPUS);
    ck_assert_msg(conf != NULL, "failed to parse %s", xml);
    return conf;
}

/* The single disk of a DEVICES() document. */
static const struct vmm_disk *one_disk(const char *xml)
{
    parse(xml);
    ck_assert_uint_eq(conf->ndisks, 1);
    return &conf->disks[0];
}

static const struct vmm_nic *one_nic(const char *xml)
{
    parse(xml);
    ck_assert_uint_eq(conf->nnics, 1);
    return &conf->nics[0];
}

/* ---- storage ---------------------------------------------------------- */

START_TEST(disk_file_qcow2)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='file' device='disk'>"
        "<driver name='qemu' type='qcow2'/>"
        "<source file='/var/lib/libvirt/images/a.qcow2'/>"
        "<target dev='vda' bus='virtio'/></disk>"));

    ck_assert_str_eq(d->target, "vda");
    ck_assert_str_eq(d->source, "/var/lib/libvirt/images/a.qcow2");
    ck_assert_str_eq(d->format, "qcow2");
    ck_assert_str_eq(d->bus, "virtio");
    ck_assert_int_eq(d->source_type, VMM_SRC_SPARSE);
    ck_assert_int_eq(d->media_type, VMM_MEDIA_HARDDISK);
    ck_assert(!d->readonly);
    ck_assert(d->file_backed);
}
END_TEST

START_TEST(disk_file_raw)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        "<source file='/img/b.raw'/><target dev='sdb' bus='scsi'/></disk>"));

    ck_assert_str_eq(d->source, "/img/b.raw");
    ck_assert_str_eq(d->format, "raw");
    ck_assert_str_eq(d->bus, "scsi");
    ck_assert_int_eq(d->source_type, VMM_SRC_RAW);
    ck_assert(d->file_backed);
}
END_TEST

START_TEST(disk_file_without_driver_is_raw)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='file' device='disk'><source file='/img/c'/>"
        "<target dev='hda' bus='ide'/></disk>"));

    ck_assert_str_eq(d->format, "");
    ck_assert_str_eq(d->bus, "ide");
    ck_assert_int_eq(d->source_type, VMM_SRC_RAW);
}
END_TEST

START_TEST(disk_file_formats)
{
    static const struct { const char *format; int type; } cases[] = {
        { "qcow2", VMM_SRC_SPARSE }, { "qed", VMM_SRC_SPARSE },
        { "vmdk", VMM_SRC_SPARSE }, { "vdi", VMM_SRC_SPARSE },
        { "vpc", VMM_SRC_SPARSE }, { "vhdx", VMM_SRC_SPARSE },
        { "raw", VMM_SRC_RAW }, { "iso", VMM_SRC_RAW },
    };
    char xml[512];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(xml, sizeof(xml), DEVICES(
            "<disk type='file'><driver name='qemu' type='%s'/>"
            "<source file='/i'/><target dev='vda'/></disk>"), cases[i].format);
        ck_assert_msg(one_disk(xml)->source_type == cases[i].type,
                      "format %s", cases[i].format);
        ck_assert_str_eq(conf->disks[0].format, cases[i].format);
    }
}
END_TEST

START_TEST(disk_type_defaults_to_file)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk><driver type='qcow2'/><source file='/i.qcow2'/>"
        "<target dev='vda'/></disk>"));

    ck_assert_str_eq(d->source, "/i.qcow2");
    ck_assert_int_eq(d->source_type, VMM_SRC_SPARSE);
    ck_assert_int_eq(d->media_type, VMM_MEDIA_HARDDISK);
    ck_assert(d->file_backed);
}
END_TEST

START_TEST(disk_block)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
        "<source dev='/dev/vg0/lv'/><target dev='vdc' bus='virtio'/></disk>"));

    ck_assert_str_eq(d->source, "/dev/vg0/lv");
    ck_assert_str_eq(d->format, "raw");
    ck_assert_int_eq(d->source_type, VMM_SRC_BLOCK);
    ck_assert(!d->file_backed);
}
END_TEST

START_TEST(disk_block_qcow2_is_still_block)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='block'><driver type='qcow2'/><source dev='/dev/sdz'/>"
        "<target dev='vdc'/></disk>"));

    ck_assert_int_eq(d->source_type, VMM_SRC_BLOCK);
    ck_assert_str_eq(d->format, "qcow2");
}
END_TEST

START_TEST(disk_network_rbd)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
        "<source protocol='rbd' name='pool/img'>"
        "<host name='mon1' port='6789'/><host name='mon2' port='6789'/>"
        "</source><target dev='vdb' bus='virtio'/></disk>"));

    ck_assert_str_eq(d->source, "rbd://mon1:6789/pool/img");
    ck_assert_str_eq(d->format, "rbd");
    ck_assert_int_eq(d->source_type, VMM_SRC_NETWORK);
    ck_assert(!d->file_backed);
}
END_TEST

START_TEST(disk_network_without_host)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='network'><source protocol='rbd' name='pool/img'/>"
        "<target dev='vdb'/></disk>"));

    ck_assert_str_eq(d->source, "rbd:///pool/img");
    ck_assert_str_eq(d->format, "rbd");
    ck_assert_int_eq(d->source_type, VMM_SRC_NETWORK);
}
END_TEST

START_TEST(disk_network_host_forms)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='network'><source protocol='nbd' name='export'>"
        "<host name='::1' port='10809'/></source><target dev='vdb'/></disk>"));

    ck_assert_str_eq(d->source, "nbd://[::1]:10809/export");
    d = one_disk(DEVICES(
        "<disk type='network'><source protocol='iscsi' name='iqn.x:t/1'>"
        "<host name='san'/></source><target dev='sda'/></disk>"));
    ck_assert_str_eq(d->source, "iscsi://san/iqn.x:t/1");
    ck_assert_str_eq(d->format, "iscsi");
    d = one_disk(DEVICES(
        "<disk type='network' device='cdrom'><source protocol='https' "
        "name='/isos/d.iso'><host name='h' port='443'/></source>"
        "<target dev='sdc'/></disk>"));
    ck_assert_str_eq(d->source, "https://h:443/isos/d.iso");
    ck_assert_int_eq(d->media_type, VMM_MEDIA_OPTICAL);
}
END_TEST

START_TEST(disk_network_without_protocol_has_no_medium)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='network' device='cdrom'><driver type='raw'/>"
        "<target dev='sdc'/></disk>"));

    ck_assert_ptr_null(d->source);
    ck_assert_int_eq(d->source_type, VMM_SRC_UNKNOWN);
    ck_assert_str_eq(d->format, "raw");
}
END_TEST

START_TEST(disk_volume)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source pool='default' volume='vm1.qcow2'/>"
        "<target dev='vda' bus='virtio'/></disk>"));

    ck_assert_str_eq(d->source, "default/vm1.qcow2");
    ck_assert_str_eq(d->format, "qcow2");
    ck_assert_int_eq(d->source_type, VMM_SRC_SPARSE);
    ck_assert(!d->file_backed);
    d = one_disk(DEVICES(
        "<disk type='volume'><source pool='p' volume='v'/>"
        "<target dev='vda'/></disk>"));
    ck_assert_str_eq(d->source, "p/v");
    ck_assert_int_eq(d->source_type, VMM_SRC_RAW);
    ck_assert(!d->file_backed);
}
END_TEST

START_TEST(disk_dir)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='dir' device='disk'><driver name='qemu' type='fat'/>"
        "<source dir='/srv/share'/><target dev='hdb' bus='ide'/></disk>"));

    ck_assert_str_eq(d->source, "/srv/share");
    ck_assert_str_eq(d->format, "fat");
    ck_assert_int_eq(d->source_type, VMM_SRC_OTHER);
    ck_assert(d->file_backed);
}
END_TEST

START_TEST(disk_nvme_and_vhostuser)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='nvme' device='disk'><driver name='qemu' type='raw'/>"
        "<source type='pci' managed='yes' namespace='1'>"
        "<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
        "</source><target dev='vde' bus='virtio'/></disk>"));

    ck_assert_str_eq(d->source, "nvme://0000:01:00.0/1");
    ck_assert_int_eq(d->source_type, VMM_SRC_OTHER);
    ck_assert(!d->file_backed);
    d = one_disk(DEVICES(
        "<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/>"
        "<source type='unix' path='/run/vhost-blk.sock'/>"
        "<target dev='vdf' bus='virtio'/></disk>"));
    ck_assert_str_eq(d->source, "/run/vhost-blk.sock");
    ck_assert_int_eq(d->source_type, VMM_SRC_OTHER);
    ck_assert(!d->file_backed);
}
END_TEST

START_TEST(disk_cdrom_without_media)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
        "<target dev='sda' bus='sata'/><readonly/></disk>"));

    ck_assert_str_eq(d->target, "sda");
    ck_assert_ptr_null(d->source);
    ck_assert_str_eq(d->format, "raw");
    ck_assert_str_eq(d->bus, "sata");
    ck_assert_int_eq(d->source_type, VMM_SRC_UNKNOWN);
    ck_assert_int_eq(d->media_type, VMM_MEDIA_OPTICAL);
    ck_assert(d->readonly);
    ck_assert(!d->file_backed);
    /* <source/> without a path is no medium either */
    d = one_disk(DEVICES(
        "<disk type='block' device='cdrom'><source/><target dev='hdc'/>"
        "</disk>"));
    ck_assert_ptr_null(d->source);
    ck_assert_int_eq(d->source_type, VMM_SRC_UNKNOWN);
}
END_TEST

START_TEST(disk_media_types)
{
    static const struct { const char *device; int media; } cases[] = {
        { "disk", VMM_MEDIA_HARDDISK }, { "lun", VMM_MEDIA_HARDDISK },
        { "cdrom", VMM_MEDIA_OPTICAL }, { "floppy", VMM_MEDIA_FLOPPY },
        { "tape", VMM_MEDIA_OTHER },
    };
    char xml[512];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(xml, sizeof(xml), DEVICES(
            "<disk type='file' device='%s'><source file='/i'/>"
            "<target dev='x'/></disk>"), cases[i].device);
        ck_assert_msg(one_disk(xml)->media_type == cases[i].media,
                      "device %s", cases[i].device);
    }
}
END_TEST

START_TEST(disk_floppy)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='file' device='floppy'><driver name='qemu' type='raw'/>"
        "<source file='/img/f.img'/><target dev='fda' bus='fdc'/></disk>"));

    ck_assert_int_eq(d->media_type, VMM_MEDIA_FLOPPY);
    ck_assert_str_eq(d->bus, "fdc");
    ck_assert_int_eq(d->source_type, VMM_SRC_RAW);
}
END_TEST

START_TEST(disk_readonly)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='file' device='disk'><driver type='raw'/>"
        "<source file='/ro.img'/><target dev='vdb' bus='usb'/><readonly/>"
        "</disk>"));

    ck_assert(d->readonly);
    ck_assert_str_eq(d->bus, "usb");
}
END_TEST

START_TEST(disk_without_target)
{
    const struct vmm_disk *d = one_disk(DEVICES(
        "<disk type='file'><source file='/i'/></disk>"));

    ck_assert_str_eq(d->target, "");
    ck_assert_str_eq(d->bus, "");
    ck_assert_str_eq(d->format, "");
}
END_TEST

START_TEST(disks_in_document_order)
{
    parse(DEVICES(
        "<disk type='file'><source file='/1'/><target dev='vdb'/></disk>"
        "<interface type='user'/>"
        "<disk type='block'><source dev='/dev/2'/><target dev='vda'/></disk>"
        "<controller type='sata'/>"
        "<disk type='file' device='cdrom'><target dev='sda'/></disk>"));

    ck_assert_uint_eq(conf->ndisks, 3);
    ck_assert_str_eq(conf->disks[0].target, "vdb");
    ck_assert_str_eq(conf->disks[1].target, "vda");
    ck_assert_str_eq(conf->disks[2].target, "sda");
    ck_assert_uint_eq(conf->nnics, 1);
}
END_TEST

/* ---- network ------------------------------------------------------------ */

START_TEST(nic_bridge)
{
    const struct vmm_nic *n = one_nic(DEVICES(
        "<interface type='bridge'><mac address='52:54:00:AB:cd:0f'/>"
        "<source bridge='br0'/><target dev='vnet7'/><model type='virtio'/>"
        "</interface>"));
    static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x0f };

    ck_assert(n->has_mac);
    ck_assert_mem_eq(n->mac, mac, 6);
    ck_assert_str_eq(n->type, "bridge");
    ck_assert_str_eq(n->target, "vnet7");
    ck_assert_str_eq(n->source, "br0");
    ck_assert_str_eq(n->model, "virtio");
}
END_TEST

START_TEST(nic_network_without_target)
{
    const struct vmm_nic *n = one_nic(DEVICES(
        "<interface type='network'><mac address='52:54:00:00:00:01'/>"
        "<source network='default' bridge='virbr0'/><model type='e1000'/>"
        "</interface>"));

    ck_assert_str_eq(n->type, "network");
    ck_assert_str_eq(n->target, "");
    ck_assert_str_eq(n->source, "default");
    ck_assert_str_eq(n->model, "e1000");
}
END_TEST

START_TEST(nic_direct)
{
    const struct vmm_nic *n = one_nic(DEVICES(
        "<interface type='direct'><mac address='52:54:00:00:00:02'/>"
        "<source dev='eth0' mode='bridge'/><target dev='macvtap0'/>"
        "</interface>"));

    ck_assert_str_eq(n->type, "direct");
    ck_assert_str_eq(n->target, "macvtap0");
    ck_assert_str_eq(n->source, "eth0");
    ck_assert_str_eq(n->model, "");
}
END_TEST

START_TEST(nic_types_without_source)
{
    static const char *const types[] = { "user", "ethernet", "hostdev",
                                         "vhostuser", "mcast" };
    char xml[512];

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        const struct vmm_nic *n;

        snprintf(xml, sizeof(xml), DEVICES(
            "<interface type='%s'><mac address='52:54:00:00:00:03'/>"
            "<source dev='x' path='/p' address='239.0.0.1' port='5558'/>"
            "<model type='rtl8139'/></interface>"), types[i]);
        n = one_nic(xml);
        ck_assert_str_eq(n->type, types[i]);
        ck_assert_str_eq(n->source, "");
        ck_assert_str_eq(n->target, "");
        ck_assert_str_eq(n->model, "rtl8139");
    }
}
END_TEST

START_TEST(nic_without_anything)
{
    const struct vmm_nic *n = one_nic(DEVICES("<interface/>"));
    static const unsigned char zero[6];

    ck_assert(!n->has_mac);
    ck_assert_mem_eq(n->mac, zero, 6);
    ck_assert_str_eq(n->type, "");
    ck_assert_str_eq(n->target, "");
    ck_assert_str_eq(n->source, "");
    ck_assert_str_eq(n->model, "");
}
END_TEST

START_TEST(nic_mac_forms)
{
    static const char *const bad[] = {
        "", "52:54:00:aa:bb", "52:54:00:aa:bb:cc:dd", "52:54:00:aa:bb:",
        "52-54-00-aa-bb-cc", "zz:54:00:aa:bb:cc", "525:4:00:aa:bb:cc",
        "52:54:00:aa:bb:cc ", ":52:54:00:aa:bb",
    };
    static const unsigned char short_form[6] = { 2, 4, 0, 0xa, 0xb, 0xc };
    char xml[512];
    const struct vmm_nic *n;

    n = one_nic(DEVICES("<interface type='user'>"
                        "<mac address='2:4:0:a:B:c'/></interface>"));
    ck_assert(n->has_mac);
    ck_assert_mem_eq(n->mac, short_form, 6);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(xml, sizeof(xml), DEVICES(
            "<interface type='user'><mac address='%s'/></interface>"), bad[i]);
        ck_assert_msg(!one_nic(xml)->has_mac, "accepted \"%s\"", bad[i]);
    }
}
END_TEST

START_TEST(nics_in_document_order)
{
    parse(DEVICES(
        "<interface type='network'><mac address='52:54:00:00:00:01'/>"
        "<source network='a'/></interface>"
        "<disk type='file'><source file='/x'/><target dev='vda'/></disk>"
        "<interface type='bridge'><mac address='52:54:00:00:00:02'/>"
        "<source bridge='b'/></interface>"));

    ck_assert_uint_eq(conf->nnics, 2);
    ck_assert_str_eq(conf->nics[0].source, "a");
    ck_assert_uint_eq(conf->nics[0].mac[5], 1);
    ck_assert_str_eq(conf->nics[1].source, "b");
    ck_assert_uint_eq(conf->nics[1].mac[5], 2);
}
END_TEST

/* ---- memory, vCPUs, OS type ---------------------------------------------- */

START_TEST(memory_units)
{
    static const struct {
        const char *value, *unit;
        unsigned long long kib;
    } cases[] = {
        { "1048576", NULL, 1048576ULL },
        { "1048576", "KiB", 1048576ULL },
        { "1", "b", 1 }, { "1024", "bytes", 1 }, { "1025", "B", 2 },
        { "2048", "byte", 2 },
        { "1", "KB", 1 }, { "2", "KB", 2 }, { "1024", "KB", 1000 },
        { "1", "k", 1 }, { "1", "K", 1 }, { "7", "kib", 7 },
        { "1", "MB", 977 }, { "1", "M", 1024 }, { "2", "MiB", 2048 },
        { "1", "GB", 976563 }, { "1", "G", 1048576 }, { "4", "GiB", 4194304 },
        { "1", "TB", 976562500 }, { "1", "T", 1073741824ULL },
        { "2", "TiB", 2147483648ULL },
        { " 512 ", "MiB", 524288 },
        { "1", "parsec", 0 }, { "1", "Kb ", 0 }, { "-1", "KiB", 0 },
        { "1x", "KiB", 0 }, { "", "KiB", 0 },
        { "18446744073709551615", "KiB", 18446744073709551615ULL },
        { "18446744073709551615", "MiB", 0 },
    };
    char xml[512];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (cases[i].unit)
            snprintf(xml, sizeof(xml),
                     "<domain><memory unit='%s'>%s</memory></domain>",
                     cases[i].unit, cases[i].value);
        else
            snprintf(xml, sizeof(xml), "<domain><memory>%s</memory></domain>",
                     cases[i].value);
        parse(xml);
        ck_assert_msg(conf->mem_max_kib == cases[i].kib,
                      "%s %s: %llu", cases[i].value,
                      cases[i].unit ? cases[i].unit : "(none)",
                      conf->mem_max_kib);
        ck_assert(conf->mem_cur_kib == conf->mem_max_kib);
    }
}
END_TEST

START_TEST(memory_current)
{
    parse("<domain><memory unit='GiB'>2</memory>"
          "<currentMemory unit='MiB'>1536</currentMemory></domain>");
    ck_assert_uint_eq(conf->mem_max_kib, 2097152);
    ck_assert_uint_eq(conf->mem_cur_kib, 1572864);
    parse("<domain><currentMemory>1024</currentMemory></domain>");
    ck_assert_uint_eq(conf->mem_max_kib, 0);
    ck_assert_uint_eq(conf->mem_cur_kib, 1024);
}
END_TEST

START_TEST(vcpus)
{
    parse("<domain><vcpu placement='static' current='2'>4</vcpu></domain>");
    ck_assert_uint_eq(conf->vcpus_max, 4);
    ck_assert_uint_eq(conf->vcpus_current, 2);
    parse("<domain><vcpu>3</vcpu></domain>");
    ck_assert_uint_eq(conf->vcpus_max, 3);
    ck_assert_uint_eq(conf->vcpus_current, 3);
    /* current above the maximum (libvirt rejects it) or invalid: maximum */
    parse("<domain><vcpu current='5'>3</vcpu></domain>");
    ck_assert_uint_eq(conf->vcpus_current, 3);
    parse("<domain><vcpu current='x'>3</vcpu></domain>");
    ck_assert_uint_eq(conf->vcpus_current, 3);
}
END_TEST

START_TEST(vcpus_default_and_invalid)
{
    parse("<domain/>");
    ck_assert_uint_eq(conf->vcpus_max, 1);
    ck_assert_uint_eq(conf->vcpus_current, 1);
    ck_assert_ptr_nonnull(conf->pinmap);
    parse("<domain><vcpu>lots</vcpu></domain>");
    ck_assert_uint_eq(conf->vcpus_max, 0);
    ck_assert_uint_eq(conf->vcpus_current, 0);
    ck_assert_ptr_null(conf->pinmap);
    parse("<domain><vcpu>0</vcpu></domain>");
    ck_assert_uint_eq(conf->vcpus_max, 0);
    parse("<domain><vcpu>4000000000</vcpu></domain>");
    ck_assert_uint_eq(conf->vcpus_max, 0);
    ck_assert_ptr_null(conf->pinmap);
}
END_TEST

START_TEST(os_type_libosinfo)
{
    parse("<domain><metadata>"
          "<libosinfo:libosinfo xmlns:libosinfo="
          "'http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
          "<libosinfo:os id='http://debian.org/debian/12'/>"
          "</libosinfo:libosinfo></metadata>"
          "<os><type arch='x86_64'>hvm</type></os></domain>");
    ck_assert_str_eq(conf->os_type, "http://debian.org/debian/12");
    /* the namespace counts, not the prefix */
    parse("<domain><metadata>"
          "<lo:libosinfo xmlns:lo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
          "<lo:os id='http://microsoft.com/win/11'/></lo:libosinfo>"
          "</metadata><os><type>hvm</type></os></domain>");
    ck_assert_str_eq(conf->os_type, "http://microsoft.com/win/11");
}
END_TEST

START_TEST(os_type_fallbacks)
{
    parse("<domain><os><type arch='x86_64' machine='pc'>hvm</type></os>"
          "</domain>");
    ck_assert_str_eq(conf->os_type, "hvm");
    /* other metadata, and libosinfo elements in the wrong namespace */
    parse("<domain><metadata><app:x xmlns:app='urn:app'><app:os id='no'/>"
          "</app:x><libosinfo><os id='no'/></libosinfo></metadata>"
          "<os><type>exe</type></os></domain>");
    ck_assert_str_eq(conf->os_type, "exe");
    parse("<domain><metadata><libosinfo:libosinfo xmlns:libosinfo="
          "'http://libosinfo.org/xmlns/libvirt/domain/1.0'>"
          "<libosinfo:os id=''/></libosinfo:libosinfo></metadata>"
          "<os><type>hvm</type></os></domain>");
    ck_assert_str_eq(conf->os_type, "hvm");
    parse("<domain/>");
    ck_assert_str_eq(conf->os_type, "");
}
END_TEST

START_TEST(empty_domain)
{
    parse("<domain type='kvm'><name>x</name></domain>");
    ck_assert_uint_eq(conf->ndisks, 0);
    ck_assert_ptr_null(conf->disks);
    ck_assert_uint_eq(conf->nnics, 0);
    ck_assert_ptr_null(conf->nics);
    ck_assert_uint_eq(conf->mem_max_kib, 0);
    ck_assert_uint_eq(conf->host_cpus, HOST_CPUS);
    ck_assert_uint_eq(conf->pin_len, 1);
}
END_TEST

START_TEST(malformed)
{
    static const char *const bad[] = {
        "", "not xml", "<domain>", "<domain><name>x</domain>",
        "<node><domain/></node>", "<?xml version='1.0'?>",
        "<d:domain xmlns:d='urn:x'/>", "<domain/><domain/>",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(vmm_domxml_parse(bad[i], HOST_CPUS) == NULL,
                      "accepted \"%s\"", bad[i]);
    ck_assert_ptr_null(vmm_domxml_parse(NULL, HOST_CPUS));
    vmm_domxml_free(NULL);
}
END_TEST

/* ---- CPU sets and pinning ----------------------------------------------- */

static unsigned map16(const char *cpuset, unsigned ncpus, int *rc)
{
    unsigned char map[2] = { 0xff, 0xff };

    *rc = vmm_domxml_cpuset_parse(cpuset, map, sizeof(map), ncpus);
    return map[0] | (unsigned)map[1] << 8;
}

START_TEST(cpuset_syntax)
{
    static const struct { const char *set; unsigned bits; } good[] = {
        { "0", 0x1 }, { "0-3", 0xf }, { "0-3,^2", 0xb }, { "0-3,^2,5", 0x2b },
        { "^2,0-3", 0xf },          /* left to right, as libvirt */
        { "1,3,5-6", 0x6a }, { " 1 , 3 - 4 ", 0x1a }, { "2-2", 0x4 },
        { "0,", 0x1 }, { "^3", 0x0 }, { "15", 0x8000 }, { "8-9,0", 0x301 },
        { "007", 0x80 }, { "0-15,^0,^15", 0x7ffe },
    };
    static const char *const bad[] = {
        "", "   ", "a", "1-", "3-1", "^1-2", "1,,2", "-1", "1 2", ",1",
        "1-2-3", "99999999999", "2147483648", "1;2", "^", "1-x", "+1",
        "0x1", "1,^", "0-3,^2x",
    };
    int rc;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        unsigned bits = map16(good[i].set, 16, &rc);

        ck_assert_msg(rc == 0, "rejected \"%s\"", good[i].set);
        ck_assert_msg(bits == good[i].bits, "\"%s\": %#x", good[i].set, bits);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unsigned bits = map16(bad[i], 16, &rc);

        ck_assert_msg(rc == -1, "accepted \"%s\"", bad[i]);
        ck_assert_msg(bits == 0, "\"%s\" left %#x", bad[i], bits);
    }
    ck_assert_uint_eq(map16(NULL, 16, &rc), 0);
    ck_assert_int_eq(rc, -1);
}
END_TEST

START_TEST(cpuset_beyond_host)
{
    int rc;
    unsigned char one = 0xff;

    ck_assert_uint_eq(map16("0,7,9", 8, &rc), 0x81);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(map16("2-100", 4, &rc), 0x0c);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(map16("2000000000", 4, &rc), 0);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(map16("0-2147483647", 10, &rc), 0x3ff);
    ck_assert_int_eq(rc, 0);
    /* the map bounds the bits too, whatever ncpus says */
    ck_assert_int_eq(vmm_domxml_cpuset_parse("0-20", &one, 1, 64), 0);
    ck_assert_uint_eq(one, 0xff);
    ck_assert_int_eq(vmm_domxml_cpuset_parse("0", NULL, 0, 4), 0);
}
END_TEST

static unsigned pin_row(unsigned v)
{
    unsigned bits = 0;

    ck_assert_uint_lt(v, conf->vcpus_max);
    for (size_t i = 0; i < conf->pin_len && i < sizeof(bits); i++)
        bits |= (unsigned)conf->pinmap[v * conf->pin_len + i] << (8 * i);
    return bits;
}

START_TEST(pinning_default_all_host_cpus)
{
    parse("<domain><vcpu>2</vcpu></domain>");
    ck_assert_uint_eq(conf->pin_len, 1);
    ck_assert_uint_eq(pin_row(0), 0xf);
    ck_assert_uint_eq(pin_row(1), 0xf);
    vmm_domxml_free(conf);
    conf = vmm_domxml_parse("<domain><vcpu>3</vcpu></domain>", 10);
    ck_assert_ptr_nonnull(conf);
    ck_assert_uint_eq(conf->host_cpus, 10);
    ck_assert_uint_eq(conf->pin_len, 2);
    for (unsigned v = 0; v < 3; v++)
        ck_assert_uint_eq(pin_row(v), 0x3ff);
}
END_TEST

START_TEST(pinning_vcpu_cpuset)
{
    parse("<domain><vcpu placement='static' cpuset='1-3,^2'>2</vcpu></domain>");
    ck_assert_uint_eq(pin_row(0), 0xa);
    ck_assert_uint_eq(pin_row(1), 0xa);
    /* an unparsable cpuset pins nothing */
    parse("<domain><vcpu cpuset='1-'>2</vcpu></domain>");
    ck_assert_uint_eq(pin_row(0), 0xf);
}
END_TEST

START_TEST(pinning_vcpupin)
{
    parse("<domain><vcpu placement='static' cpuset='1-3'>4</vcpu>"
          "<cputune><vcpupin vcpu='0' cpuset='0'/>"
          "<vcpupin vcpu='1' cpuset='2-3'/>"
          "<emulatorpin cpuset='0'/></cputune></domain>");
    ck_assert_uint_eq(pin_row(0), 0x1);
    ck_assert_uint_eq(pin_row(1), 0xc);
    ck_assert_uint_eq(pin_row(2), 0xe);
    ck_assert_uint_eq(pin_row(3), 0xe);
    parse("<domain><vcpu current='1'>2</vcpu><cputune>"
          "<vcpupin vcpu='1' cpuset='3,7'/></cputune></domain>");
    ck_assert_uint_eq(pin_row(0), 0xf);
    ck_assert_uint_eq(pin_row(1), 0x8);    /* offline vCPUs keep their pin */
}
END_TEST

START_TEST(pinning_ignores_bad_vcpupin)
{
    parse("<domain><vcpu>2</vcpu><cputune>"
          "<vcpupin vcpu='2' cpuset='0'/><vcpupin vcpu='-1' cpuset='0'/>"
          "<vcpupin vcpu='x' cpuset='0'/><vcpupin cpuset='0'/>"
          "<vcpupin vcpu='0' cpuset='0-'/><vcpupin vcpu='1'/>"
          "</cputune></domain>");
    ck_assert_uint_eq(pin_row(0), 0xf);
    ck_assert_uint_eq(pin_row(1), 0xf);
}
END_TEST

START_TEST(pinning_without_host_cpus)
{
    vmm_domxml_free(conf);
    conf = vmm_domxml_parse("<domain><vcpu>2</vcpu></domain>", 0);
    ck_assert_ptr_nonnull(conf);
    ck_assert_uint_eq(conf->pin_len, 0);
    ck_assert_ptr_null(conf->pinmap);
}
END_TEST

/* ---- the test driver's view of tests/fixtures/full.xml -------------------- */

#define FULL_URI "test://" TOP_SRCDIR "/tests/fixtures/full.xml"

static const char long_name[] =
    "long-name-"
    "01234567890123456789012345678901234567890123456789"
    "01234567890123456789012345678901234567890123456789"
    "01234567890123456789012345678901234567890123456789"
    "01234567890123456789012345678901234567890123456789"
    "01234567890123456789012345678901234567890123456789"
    "0123456789012345678901234567890123456789";

static void check_web01(const struct vmm_domconf *c)
{
    static const unsigned char mac[6] = { 0x52, 0x54, 0, 0, 1, 1 };

    ck_assert_str_eq(c->os_type, "http://debian.org/debian/12");
    ck_assert_uint_eq(c->vcpus_max, 4);
    ck_assert_uint_eq(c->vcpus_current, 2);
    ck_assert_uint_eq(c->mem_max_kib, 2097152);
    ck_assert_uint_eq(c->mem_cur_kib, 1048576);
    ck_assert_uint_eq(c->ndisks, 3);
    ck_assert_str_eq(c->disks[0].source, "/var/lib/libvirt/images/web01.qcow2");
    ck_assert_int_eq(c->disks[0].source_type, VMM_SRC_SPARSE);
    ck_assert_int_eq(c->disks[1].source_type, VMM_SRC_RAW);
    ck_assert_str_eq(c->disks[2].target, "sda");
    ck_assert_ptr_null(c->disks[2].source);
    ck_assert_int_eq(c->disks[2].source_type, VMM_SRC_UNKNOWN);
    ck_assert_int_eq(c->disks[2].media_type, VMM_MEDIA_OPTICAL);
    ck_assert(c->disks[2].readonly);
    ck_assert_uint_eq(c->nnics, 2);
    ck_assert_mem_eq(c->nics[0].mac, mac, 6);
    ck_assert_str_eq(c->nics[0].target, "tap-web01");
    ck_assert_str_eq(c->nics[0].source, "br0");
    /* the test driver names a NIC without a target "testnetN" */
    ck_assert_str_eq(c->nics[1].target, "testnet0");
    ck_assert_str_eq(c->nics[1].source, "default");
    ck_assert_str_eq(c->nics[1].model, "e1000");
    for (unsigned v = 0; v < 4; v++)
        ck_assert_uint_eq(c->pinmap[v], 0xf);
}

static void check_db01(const struct vmm_domconf *c)
{
    static const unsigned char pins[4] = { 0x1, 0xc, 0xe, 0xe };

    ck_assert_str_eq(c->os_type, "hvm");
    ck_assert_uint_eq(c->vcpus_current, 4);
    ck_assert_uint_eq(c->mem_max_kib, 4194304);
    ck_assert_uint_eq(c->mem_cur_kib, 4194304);
    ck_assert_uint_eq(c->ndisks, 3);
    ck_assert_int_eq(c->disks[0].source_type, VMM_SRC_BLOCK);
    ck_assert_str_eq(c->disks[0].source, "/dev/vg0/db01");
    ck_assert_str_eq(c->disks[1].source,
                     "rbd://mon1.example.org:6789/rbdpool/db01-data");
    ck_assert_int_eq(c->disks[1].source_type, VMM_SRC_NETWORK);
    ck_assert_str_eq(c->disks[1].format, "rbd");
    ck_assert(c->disks[2].readonly);
    ck_assert(!c->disks[1].readonly);
    ck_assert_uint_eq(c->nnics, 1);
    ck_assert_str_eq(c->nics[0].type, "direct");
    ck_assert_str_eq(c->nics[0].source, "eth0");
    ck_assert_str_eq(c->nics[0].target, "mvtap-db01");
    ck_assert_mem_eq(c->pinmap, pins, 4);
}

static void check_build01(const struct vmm_domconf *c)
{
    ck_assert_uint_eq(c->ndisks, 2);
    ck_assert_int_eq(c->disks[0].media_type, VMM_MEDIA_FLOPPY);
    ck_assert_str_eq(c->disks[0].bus, "fdc");
    ck_assert_str_eq(c->disks[1].bus, "ide");
    ck_assert_uint_eq(c->nnics, 1);
    ck_assert_str_eq(c->nics[0].type, "user");
    ck_assert_str_eq(c->nics[0].source, "");
    ck_assert_str_eq(c->nics[0].model, "rtl8139");
}

static void check_koennen(const struct vmm_domconf *c)
{
    ck_assert_uint_eq(c->vcpus_max, 2);
    ck_assert_uint_eq(c->nnics, 1);
    ck_assert_str_eq(c->nics[0].model, "");
    ck_assert_str_eq(c->nics[0].target, "testnet0");
}

static void check_mail01(const struct vmm_domconf *c)
{
    ck_assert_uint_eq(c->mem_cur_kib, 786432);
    ck_assert_str_eq(c->nics[0].target, "tap-mail01");
}

static void check_long(const struct vmm_domconf *c)
{
    ck_assert_uint_eq(c->ndisks, 0);
    ck_assert_uint_eq(c->nnics, 0);
    ck_assert_uint_eq(c->mem_max_kib, 262144);
}

/* Returns the bit of the machine checked, 0 for an unexpected one. */
static unsigned check_domain(const char *name, const struct vmm_domconf *c)
{
    static const struct {
        const char *name;
        void (*check)(const struct vmm_domconf *);
    } machines[] = {
        { "web01", check_web01 }, { "db01", check_db01 },
        { "build01", check_build01 }, { "können-测试-🚀", check_koennen },
        { "mail01", check_mail01 }, { long_name, check_long },
    };

    for (unsigned i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
        if (!strcmp(name, machines[i].name)) {
            machines[i].check(c);
            return 1U << i;
        }
    }
    return 0;
}

START_TEST(test_driver_documents)
{
    virConnectPtr vc = virConnectOpenReadOnly(FULL_URI);
    virDomainPtr *doms = NULL;
    virNodeInfo node;
    unsigned seen = 0;
    int n;

    ck_assert_ptr_nonnull(vc);
    ck_assert_int_eq(virNodeGetInfo(vc, &node), 0);
    ck_assert_uint_eq(node.cpus, 4);
    ck_assert_uint_eq(strlen(long_name), 300);
    n = virConnectListAllDomains(vc, &doms, 0);
    ck_assert_int_eq(n, 6);
    for (int i = 0; i < n; i++) {
        char *xml = virDomainGetXMLDesc(doms[i], 0);
        struct vmm_domconf *c;
        unsigned bit;

        ck_assert_ptr_nonnull(xml);
        c = vmm_domxml_parse(xml, node.cpus);
        free(xml);
        ck_assert_ptr_nonnull(c);
        ck_assert_uint_eq(c->pin_len, 1);
        bit = check_domain(virDomainGetName(doms[i]), c);
        ck_assert_msg(bit != 0, "unexpected domain %s", virDomainGetName(doms[i]));
        seen |= bit;
        vmm_domxml_free(c);
        virDomainFree(doms[i]);
    }
    free(doms);
    ck_assert_uint_eq(seen, 0x3f);
    virConnectClose(vc);
}
END_TEST

Suite *domxml_suite(void)
{
    Suite *s = suite_create("domxml");
    TCase *storage = tcase_create("storage");
    TCase *network = tcase_create("network");
    TCase *domain = tcase_create("domain");
    TCase *cpus = tcase_create("cpus");
    TCase *live = tcase_create("test-driver");

    tcase_add_checked_fixture(storage, NULL, teardown);
    tcase_add_test(storage, disk_file_qcow2);
    tcase_add_test(storage, disk_file_raw);
    tcase_add_test(storage, disk_file_without_driver_is_raw);
    tcase_add_test(storage, disk_file_formats);
    tcase_add_test(storage, disk_type_defaults_to_file);
    tcase_add_test(storage, disk_block);
    tcase_add_test(storage, disk_block_qcow2_is_still_block);
    tcase_add_test(storage, disk_network_rbd);
    tcase_add_test(storage, disk_network_without_host);
    tcase_add_test(storage, disk_network_host_forms);
    tcase_add_test(storage, disk_network_without_protocol_has_no_medium);
    tcase_add_test(storage, disk_volume);
    tcase_add_test(storage, disk_dir);
    tcase_add_test(storage, disk_nvme_and_vhostuser);
    tcase_add_test(storage, disk_cdrom_without_media);
    tcase_add_test(storage, disk_media_types);
    tcase_add_test(storage, disk_floppy);
    tcase_add_test(storage, disk_readonly);
    tcase_add_test(storage, disk_without_target);
    tcase_add_test(storage, disks_in_document_order);
    suite_add_tcase(s, storage);

    tcase_add_checked_fixture(network, NULL, teardown);
    tcase_add_test(network, nic_bridge);
    tcase_add_test(network, nic_network_without_target);
    tcase_add_test(network, nic_direct);
    tcase_add_test(network, nic_types_without_source);
    tcase_add_test(network, nic_without_anything);
    tcase_add_test(network, nic_mac_forms);
    tcase_add_test(network, nics_in_document_order);
    suite_add_tcase(s, network);

    tcase_add_checked_fixture(domain, NULL, teardown);
    tcase_add_test(domain, memory_units);
    tcase_add_test(domain, memory_current);
    tcase_add_test(domain, vcpus);
    tcase_add_test(domain, vcpus_default_and_invalid);
    tcase_add_test(domain, os_type_libosinfo);
    tcase_add_test(domain, os_type_fallbacks);
    tcase_add_test(domain, empty_domain);
    tcase_add_test(domain, malformed);
    suite_add_tcase(s, domain);

    tcase_add_checked_fixture(cpus, NULL, teardown);
    tcase_add_test(cpus, cpuset_syntax);
    tcase_add_test(cpus, cpuset_beyond_host);
    tcase_add_test(cpus, pinning_default_all_host_cpus);
    tcase_add_test(cpus, pinning_vcpu_cpuset);
    tcase_add_test(cpus, pinning_vcpupin);
    tcase_add_test(cpus, pinning_ignores_bad_vcpupin);
    tcase_add_test(cpus, pinning_without_host_cpus);
    suite_add_tcase(s, cpus);

    tcase_add_test(live, test_driver_documents);
    suite_add_tcase(s, live);
    return s;
}
