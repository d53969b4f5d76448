/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 the vm-mib authors */
#include "core/domxml.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"

/* No hypervisor libvirt drives comes near this; the bound only keeps a
 * bogus <vcpu> from turning into a huge pinmap allocation. */
#define VCPUS_LIMIT 65536U

/* One document being parsed.  Allocation failures are recorded rather than
 * propagated through every helper: the result is discarded at the end,
 * which keeps each field's extraction a single line. */
struct parser {
    xmlXPathContextPtr xp;
    bool failed;
};

/* ---- XPath helpers ---------------------------------------------------- */

static xmlXPathObjectPtr xp_eval(struct parser *p, xmlNodePtr node,
                                 const char *expr)
{
    xmlXPathObjectPtr obj;

    p->xp->node = node;
    obj = xmlXPathEval(BAD_CAST expr, p->xp);
    if (!obj)
        p->failed = true;
    return obj;
}

/* String value of the first node expr selects below node; NULL if it
 * selects nothing, which is how "absent" is told apart from "empty". */
static char *xp_first(struct parser *p, xmlNodePtr node, const char *expr)
{
    xmlXPathObjectPtr obj = xp_eval(p, node, expr);
    xmlChar *value;
    char *copy = NULL;

    if (!obj)
        return NULL;
    if (obj->type == XPATH_NODESET && !xmlXPathNodeSetIsEmpty(obj->nodesetval)) {
        value = xmlXPathCastNodeToString(obj->nodesetval->nodeTab[0]);
        copy = value ? strdup((const char *)value) : NULL;
        if (!copy)
            p->failed = true;
        xmlFree(value);
    }
    xmlXPathFreeObject(obj);
    return copy;
}

static char *dup_or_fail(struct parser *p, const char *s)
{
    char *copy = strdup(s);

    if (!copy)
        p->failed = true;
    return copy;
}

/* As xp_first, but "" when absent: for the fields documented as never
 * NULL, so that consumers need no NULL checks. */
static char *xp_text(struct parser *p, xmlNodePtr node, const char *expr)
{
    char *value = xp_first(p, node, expr);

    return value || p->failed ? value : dup_or_fail(p, "");
}

static bool xp_exists(struct parser *p, xmlNodePtr node, const char *expr)
{
    xmlXPathObjectPtr obj = xp_eval(p, node, expr);
    bool found;

    if (!obj)
        return false;
    found = obj->type == XPATH_NODESET &&
            !xmlXPathNodeSetIsEmpty(obj->nodesetval);
    xmlXPathFreeObject(obj);
    return found;
}

/* ---- numbers -------------------------------------------------------- */

static const char *skip_spaces(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* libvirt writes plain decimals; a sign or trailing junk means the value
 * is unusable rather than something to guess at. */
static bool parse_ull(const char *s, unsigned long long *out)
{
    unsigned long long v;
    char *end;

    if (!s)
        return false;
    s = skip_spaces(s);
    if (!isdigit((unsigned char)*s))
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *skip_spaces(end) != '\0')
        return false;
    *out = v;
    return true;
}

/* Bytes per unit, with the unit names libvirt's virScaleInteger accepts
 * (case-insensitive): b, byte, bytes; k, KiB, M, MiB ... E, EiB (powers of
 * 1024); KB, MB ... EB (powers of 1000).  No unit means KiB for <memory>.
 * 0 for a unit libvirt would reject. */
static unsigned long long unit_scale(const char *unit)
{
    static const char prefixes[] = "kmgtpe";
    const char *prefix;
    unsigned long long base, scale = 1;

    if (!unit || !*unit)
        return 1024;
    if (!strcasecmp(unit, "b") || !strcasecmp(unit, "byte") ||
        !strcasecmp(unit, "bytes"))
        return 1;
    prefix = strchr(prefixes, tolower((unsigned char)unit[0]));
    if (!prefix)
        return 0;
    if (unit[1] == '\0' || !strcasecmp(unit + 1, "iB"))
        base = 1024;
    else if (tolower((unsigned char)unit[1]) == 'b' && unit[2] == '\0')
        base = 1000;
    else
        return 0;
    for (const char *q = prefixes; q <= prefix; q++)
        scale *= base;
    return scale;
}

/* value units of scale bytes, in KiB rounded up as libvirt does
 * (VIR_DIV_UP); 0 if it does not fit. */
static unsigned long long to_kib(unsigned long long value,
                                 unsigned long long scale)
{
    unsigned long long bytes;

    if (scale % 1024 == 0) {
        scale /= 1024;
        return value > ULLONG_MAX / scale ? 0 : value * scale;
    }
    if (value > ULLONG_MAX / scale)
        return 0;
    bytes = value * scale;
    return bytes / 1024 + (bytes % 1024 != 0);
}

/* <memory>/<currentMemory> in KiB; 0 when absent or unusable. */
static unsigned long long parse_memory(struct parser *p, xmlNodePtr root,
                                       const char *element)
{
    char expr[64];
    char *text, *unit;
    unsigned long long value, scale, kib = 0;

    snprintf(expr, sizeof(expr), "./%s", element);
    text = xp_first(p, root, expr);
    snprintf(expr, sizeof(expr), "./%s/@unit", element);
    unit = xp_first(p, root, expr);
    scale = unit_scale(unit);
    if (scale != 0 && parse_ull(text, &value))
        kib = to_kib(value, scale);
    free(text);
    free(unit);
    return kib;
}

/* ---- domain-wide values ------------------------------------------------ */

/* vmOSType: the OS the hypervisor assumes.  Only libosinfo metadata (written
 * by virt-install/virt-manager) names one; <os><type> ("hvm") is the
 * fallback (doc/design.md, vmTable). */
static char *parse_os_type(struct parser *p, xmlNodePtr root)
{
    char *id = xp_first(p, root,
        "./metadata/libosinfo:libosinfo/libosinfo:os/@id");

    if (id && *id)
        return id;
    free(id);
    return xp_text(p, root, "./os/type");
}

static void parse_vcpus(struct parser *p, xmlNodePtr root,
                        struct vmm_domconf *conf)
{
    char *text = xp_first(p, root, "./vcpu");
    char *current = xp_first(p, root, "./vcpu/@current");
    unsigned long long v;

    if (!text)
        conf->vcpus_max = 1;        /* libvirt's default without <vcpu> */
    else if (parse_ull(text, &v) && v > 0 && v <= VCPUS_LIMIT)
        conf->vcpus_max = (unsigned)v;
    else
        conf->vcpus_max = 0;
    conf->vcpus_current = conf->vcpus_max;
    if (parse_ull(current, &v) && v > 0 && v <= conf->vcpus_max)
        conf->vcpus_current = (unsigned)v;
    free(text);
    free(current);
}

/* ---- CPU sets and pinning ----------------------------------------------- */

/* A CPU number: digits only, within libvirt's int range. */
static bool read_cpu(const char **cur, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!isdigit((unsigned char)**cur))
        return false;
    errno = 0;
    v = strtoul(*cur, &end, 10);
    if (errno != 0 || v > INT_MAX)
        return false;
    *cur = end;
    *out = v;
    return true;
}

static void mark_cpus(unsigned char *map, size_t len, unsigned ncpus,
                      unsigned long first, unsigned long last, bool usable)
{
    unsigned long limit = ncpus;

    if (limit > len * 8)
        limit = len * 8;
    for (unsigned long j = first; j <= last && j < limit; j++) {
        if (usable)
            map[j / 8] |= (unsigned char)(1U << (j % 8));
        else
            map[j / 8] &= (unsigned char)~(1U << (j % 8));
    }
}

/* Mirrors libvirt's virBitmapParse: items are applied left to right, so
 * "0-3,^2" is {0,1,3}; "^N-M" is an error; blanks around items are
 * allowed, and so is one trailing comma. */
static int cpuset_items(const char *cur, unsigned char *map, size_t len,
                        unsigned ncpus)
{
    cur = skip_spaces(cur);
    if (*cur == '\0')
        return -1;
    while (*cur) {
        bool exclude = *cur == '^';
        unsigned long first, last;

        cur += exclude;
        if (!read_cpu(&cur, &first))
            return -1;
        cur = skip_spaces(cur);
        last = first;
        if (*cur == '-') {
            cur = skip_spaces(cur + 1);
            if (exclude || !read_cpu(&cur, &last) || last < first)
                return -1;
            cur = skip_spaces(cur);
        }
        mark_cpus(map, len, ncpus, first, last, !exclude);
        if (*cur == ',')
            cur = skip_spaces(cur + 1);
        else if (*cur != '\0')
            return -1;
    }
    return 0;
}

int vmm_domxml_cpuset_parse(const char *cpuset, unsigned char *map, size_t len,
                     unsigned ncpus)
{
    if (len)
        memset(map, 0, len);
    if (!cpuset)
        return -1;
    if (cpuset_items(cpuset, map, len, ncpus) < 0) {
        if (len)
            memset(map, 0, len);    /* no half-applied set on failure */
        return -1;
    }
    return 0;
}

/* The set a vCPU gets without its own <vcpupin>: <vcpu cpuset>, else (or if
 * unparsable) every host CPU, as libvirt schedules an unpinned vCPU. */
static void default_affinity(struct parser *p, xmlNodePtr root,
                             const struct vmm_domconf *conf,
                             unsigned char *row)
{
    char *cpuset = xp_first(p, root, "./vcpu/@cpuset");

    if (!cpuset ||
        vmm_domxml_cpuset_parse(cpuset, row, conf->pin_len, conf->host_cpus) < 0) {
        memset(row, 0, conf->pin_len);
        mark_cpus(row, conf->pin_len, conf->host_cpus, 0,
                  conf->host_cpus - 1UL, true);
    }
    free(cpuset);
}

/* One <vcpupin vcpu cpuset>; ignored if the vCPU does not exist or the set
 * does not parse (the default stays, as for an unpinned vCPU). */
static void apply_vcpupin(struct parser *p, xmlNodePtr pin,
                          struct vmm_domconf *conf, unsigned char *scratch)
{
    char *vcpu = xp_first(p, pin, "./@vcpu");
    char *cpuset = xp_first(p, pin, "./@cpuset");
    unsigned long long v;

    if (parse_ull(vcpu, &v) && v < conf->vcpus_max && cpuset &&
        vmm_domxml_cpuset_parse(cpuset, scratch, conf->pin_len, conf->host_cpus) == 0)
        memcpy(conf->pinmap + v * conf->pin_len, scratch, conf->pin_len);
    free(vcpu);
    free(cpuset);
}

static void parse_pinning(struct parser *p, xmlNodePtr root,
                          struct vmm_domconf *conf)
{
    unsigned char *scratch;
    xmlXPathObjectPtr pins;

    conf->pin_len = ((size_t)conf->host_cpus + 7) / 8;
    if (conf->vcpus_max == 0 || conf->pin_len == 0)
        return;
    conf->pinmap = calloc(conf->vcpus_max, conf->pin_len);
    scratch = malloc(conf->pin_len);
    if (!conf->pinmap || !scratch) {
        p->failed = true;
        free(scratch);
        return;
    }
    default_affinity(p, root, conf, scratch);
    for (unsigned v = 0; v < conf->vcpus_max; v++)
        memcpy(conf->pinmap + (size_t)v * conf->pin_len, scratch, conf->pin_len);
    pins = xp_eval(p, root, "./cputune/vcpupin");
    for (int i = 0; pins && pins->nodesetval && i < pins->nodesetval->nodeNr; i++)
        apply_vcpupin(p, pins->nodesetval->nodeTab[i], conf, scratch);
    xmlXPathFreeObject(pins);
    free(scratch);
}

/* ---- disks ---------------------------------------------------------- */

static int media_type(const char *device)
{
    if (!device || !strcmp(device, "disk") || !strcmp(device, "lun"))
        return VMM_MEDIA_HARDDISK;  /* libvirt's default device is disk */
    if (!strcmp(device, "cdrom"))
        return VMM_MEDIA_OPTICAL;
    if (!strcmp(device, "floppy"))
        return VMM_MEDIA_FLOPPY;
    return VMM_MEDIA_OTHER;
}

/* Images: raw (and ISO, a raw image) occupy their full size; every other
 * format (qcow2, qed, vmdk, vdi, vhd ...) grows on demand.  No <driver
 * type> means raw, as in QEMU. */
static int image_source_type(const char *format)
{
    if (!*format || !strcmp(format, "raw") || !strcmp(format, "iso"))
        return VMM_SRC_RAW;
    return VMM_SRC_SPARSE;
}

/* "host", "host:port", "[v6addr]:port" */
static char *host_part(struct parser *p, xmlNodePtr disk)
{
    char *name = xp_text(p, disk, "./source/host[1]/@name");
    char *port = xp_first(p, disk, "./source/host[1]/@port");
    bool v6 = name && strchr(name, ':');
    char *out = NULL;

    if (name && asprintf(&out, "%s%s%s%s%s", v6 ? "[" : "", name,
                         v6 ? "]" : "", port && *port ? ":" : "",
                         port ? port : "") < 0) {
        out = NULL;
        p->failed = true;
    }
    free(name);
    free(port);
    return out;
}

/* "protocol://host[:port]/name", the URI form qemu-img and virsh users
 * recognise; NULL (no medium) without a protocol. */
static char *network_source(struct parser *p, xmlNodePtr disk,
                            const char *protocol)
{
    char *host = host_part(p, disk);
    char *name = xp_text(p, disk, "./source/@name");
    char *out = NULL;

    if (host && name &&
        asprintf(&out, "%s://%s%s%s", protocol, host,
                 name[0] == '/' ? "" : "/", name) < 0) {
        out = NULL;
        p->failed = true;
    }
    free(host);
    free(name);
    return out;
}

static void disk_network(struct parser *p, xmlNodePtr node,
                         struct vmm_disk *d, char *driver)
{
    char *protocol = xp_first(p, node, "./source/@protocol");

    if (protocol) {
        d->source = network_source(p, node, protocol);
        d->source_type = VMM_SRC_NETWORK;
        d->format = protocol;
        free(driver);
    } else {
        d->format = driver;
    }
}

/* "pool/volume"; NULL unless both are given. */
static char *volume_source(struct parser *p, xmlNodePtr node)
{
    char *pool = xp_first(p, node, "./source/@pool");
    char *volume = xp_first(p, node, "./source/@volume");
    char *out = NULL;

    if (pool && volume && asprintf(&out, "%s/%s", pool, volume) < 0) {
        out = NULL;
        p->failed = true;
    }
    free(pool);
    free(volume);
    return out;
}

/* "nvme://0000:01:00.0/1": PCI address of the controller and namespace. */
static char *nvme_source(struct parser *p, xmlNodePtr node)
{
    static const char *const parts[] = {
        "./source/address/@domain", "./source/address/@bus",
        "./source/address/@slot", "./source/address/@function",
        "./source/@namespace",
    };
    unsigned long long v[5];
    char *out = NULL;
    bool ok = true;

    for (size_t i = 0; i < 5; i++) {
        char *s = xp_first(p, node, parts[i]);
        char *end;

        errno = 0;
        v[i] = s ? strtoull(s, &end, 0) : 0;
        ok = ok && s && *s && errno == 0 && *end == '\0';
        free(s);
    }
    if (ok && asprintf(&out, "nvme://%04llx:%02llx:%02llx.%llx/%llu",
                       v[0], v[1], v[2], v[3], v[4]) < 0) {
        out = NULL;
        p->failed = true;
    }
    return out;
}

/* Source, source type and file_backed of a disk that is not type network.
 * type is libvirt's <disk type>, "file" when absent (libvirt's default). */
static void disk_local(struct parser *p, xmlNodePtr node, struct vmm_disk *d,
                       const char *type)
{
    if (!strcmp(type, "file")) {
        d->source = xp_first(p, node, "./source/@file");
        d->source_type = image_source_type(d->format);
        d->file_backed = true;
    } else if (!strcmp(type, "block")) {
        d->source = xp_first(p, node, "./source/@dev");
        d->source_type = VMM_SRC_BLOCK;
    } else if (!strcmp(type, "volume")) {
        /* The pool decides where the bytes live; not resolved here. */
        d->source = volume_source(p, node);
        d->source_type = image_source_type(d->format);
    } else if (!strcmp(type, "dir")) {
        d->source = xp_first(p, node, "./source/@dir");
        d->source_type = VMM_SRC_OTHER;
        d->file_backed = true;
    } else if (!strcmp(type, "nvme")) {
        d->source = nvme_source(p, node);
        d->source_type = VMM_SRC_OTHER;
    } else {
        /* vhostuser, and types newer than this code */
        d->source = xp_first(p, node, "./source/@path");
        d->source_type = VMM_SRC_OTHER;
    }
}

static void parse_disk(struct parser *p, xmlNodePtr node, struct vmm_disk *d)
{
    char *type = xp_first(p, node, "./@type");
    char *device = xp_first(p, node, "./@device");
    char *driver = xp_text(p, node, "./driver/@type");

    d->target = xp_text(p, node, "./target/@dev");
    d->bus = xp_text(p, node, "./target/@bus");
    d->readonly = xp_exists(p, node, "./readonly");
    d->media_type = media_type(device);
    if (driver && type && !strcmp(type, "network")) {
        disk_network(p, node, d, driver);
    } else if (driver) {
        d->format = driver;
        disk_local(p, node, d, type ? type : "file");
    }
    if (!d->source) {               /* e.g. a CD-ROM drive without a disc */
        d->source_type = VMM_SRC_UNKNOWN;
        d->file_backed = false;
    }
    free(type);
    free(device);
}

/* ---- interfaces ------------------------------------------------------- */

/* "52:54:00:ab:cd:ef"; like libvirt's virMacAddrParse, each octet may be
 * one or two hex digits. */
static bool parse_mac(const char *s, unsigned char mac[6])
{
    if (!s)
        return false;
    for (int i = 0; i < 6; i++) {
        unsigned v = 0;
        int digits = 0;

        while (digits < 2 && isxdigit((unsigned char)*s)) {
            v = v * 16 + (unsigned)(isdigit((unsigned char)*s)
                                    ? *s - '0'
                                    : tolower((unsigned char)*s) - 'a' + 10);
            s++;
            digits++;
        }
        if (digits == 0 || *s != (i < 5 ? ':' : '\0'))
            return false;
        mac[i] = (unsigned char)v;
        s += i < 5;
    }
    return true;
}

/* Where the NIC is plugged in, by interface type (doc/design.md, vmNetworkTable). */
static const char *nic_source_expr(const char *type)
{
    if (!strcmp(type, "bridge"))
        return "./source/@bridge";
    if (!strcmp(type, "network"))
        return "./source/@network";
    if (!strcmp(type, "direct"))
        return "./source/@dev";
    return NULL;
}

static void parse_nic(struct parser *p, xmlNodePtr node, struct vmm_nic *n)
{
    char *mac = xp_first(p, node, "./mac/@address");
    const char *source;

    n->has_mac = parse_mac(mac, n->mac);
    if (!n->has_mac)
        memset(n->mac, 0, sizeof(n->mac));
    free(mac);
    n->type = xp_text(p, node, "./@type");
    n->target = xp_text(p, node, "./target/@dev");
    n->model = xp_text(p, node, "./model/@type");
    source = n->type ? nic_source_expr(n->type) : NULL;
    n->source = source ? xp_text(p, node, source) : dup_or_fail(p, "");
    /* The bridge the NIC is on: the live XML of a type network NIC names it. */
    n->bridge = xp_text(p, node, "./source/@bridge");
}

/* ---- devices ---------------------------------------------------------- */

static void parse_disks(struct parser *p, xmlNodePtr root,
                        struct vmm_domconf *conf)
{
    xmlXPathObjectPtr set = xp_eval(p, root, "./devices/disk");
    int n = set && set->nodesetval ? set->nodesetval->nodeNr : 0;

    if (n > 0 && !(conf->disks = calloc((size_t)n, sizeof(*conf->disks))))
        p->failed = true;
    for (int i = 0; conf->disks && i < n; i++, conf->ndisks++)
        parse_disk(p, set->nodesetval->nodeTab[i], &conf->disks[i]);
    xmlXPathFreeObject(set);
}

static void parse_nics(struct parser *p, xmlNodePtr root,
                       struct vmm_domconf *conf)
{
    xmlXPathObjectPtr set = xp_eval(p, root, "./devices/interface");
    int n = set && set->nodesetval ? set->nodesetval->nodeNr : 0;

    if (n > 0 && !(conf->nics = calloc((size_t)n, sizeof(*conf->nics))))
        p->failed = true;
    for (int i = 0; conf->nics && i < n; i++, conf->nnics++)
        parse_nic(p, set->nodesetval->nodeTab[i], &conf->nics[i]);
    xmlXPathFreeObject(set);
}

/* ---- entry points ------------------------------------------------------- */

static void parse_domain(struct parser *p, xmlNodePtr root,
                         struct vmm_domconf *conf)
{
    conf->os_type = parse_os_type(p, root);
    parse_vcpus(p, root, conf);
    conf->mem_max_kib = parse_memory(p, root, "memory");
    if (xp_exists(p, root, "./currentMemory"))
        conf->mem_cur_kib = parse_memory(p, root, "currentMemory");
    else
        conf->mem_cur_kib = conf->mem_max_kib;
    parse_disks(p, root, conf);
    parse_nics(p, root, conf);
    parse_pinning(p, root, conf);
}

/* libvirt never hands out anything but a well-formed document, but the
 * parser must not print to snmpd's stderr nor reach the network if it
 * did. */
static xmlDocPtr read_document(const char *xml)
{
    size_t len = strlen(xml);

    if (len > INT_MAX)
        return NULL;
    return xmlReadMemory(xml, (int)len, "domain.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR |
                         XML_PARSE_NOWARNING);
}

static bool is_domain_root(xmlNodePtr root)
{
    return root && root->type == XML_ELEMENT_NODE && !root->ns &&
           xmlStrEqual(root->name, BAD_CAST "domain");
}

void vmm_domxml_init(void)
{
    xmlInitParser();
}

struct vmm_domconf *vmm_domxml_parse(const char *xml, unsigned host_cpus)
{
    struct parser p = { NULL, false };
    struct vmm_domconf *conf = NULL;
    xmlDocPtr doc;
    xmlNodePtr root;

    if (!xml)
        return NULL;
    xmlInitParser();                /* idempotent; libvirt shares libxml2 */
    doc = read_document(xml);
    root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!is_domain_root(root))
        goto out;
    p.xp = xmlXPathNewContext(doc);
    conf = calloc(1, sizeof(*conf));
    if (!p.xp || !conf ||
        xmlXPathRegisterNs(p.xp, BAD_CAST "libosinfo", BAD_CAST LIBOSINFO_NS) != 0) {
        p.failed = true;
        goto out;
    }
    conf->host_cpus = host_cpus;
    parse_domain(&p, root, conf);
out:
    if (p.failed) {
        vmm_domxml_free(conf);
        conf = NULL;
    }
    xmlXPathFreeContext(p.xp);
    xmlFreeDoc(doc);
    return conf;
}

static void free_disk(struct vmm_disk *d)
{
    free(d->target);
    free(d->source);
    free(d->format);
    free(d->bus);
}

static void free_nic(struct vmm_nic *n)
{
    free(n->type);
    free(n->target);
    free(n->source);
    free(n->bridge);
    free(n->model);
}

void vmm_domxml_free(struct vmm_domconf *conf)
{
    if (!conf)
        return;
    for (size_t i = 0; i < conf->ndisks; i++)
        free_disk(&conf->disks[i]);
    for (size_t i = 0; i < conf->nnics; i++)
        free_nic(&conf->nics[i]);
    free(conf->disks);
    free(conf->nics);
    free(conf->os_type);
    free(conf->pinmap);
    free(conf);
}
