/**
 * The shape of a lab's stack config, one zod schema per top-level `fortress:` key. Each key is
 * checked on its own so that a broken key does not hide the problems of the others; the checks
 * that span keys live in checks.ts.
 */
import { DEFAULT_MONITORING, type MonitoringSettings, monitoringSchema } from "./monitoring";
import { workloadsSchema } from "./workloads";
import { backupSchema } from "./backup";
import { PROFILE_NAMES, type WorkloadSettings } from "../profiles";
import { z } from "zod";
import { LAYERS } from "../blueprint";
import { NETWORK_PURPOSES, SERVICE_IDS } from "../catalog";
import { isIpv4, parseCidr } from "../../vocabulary/addresses";
import { CAPTURE_VLAN } from "../../vocabulary/capture";
import {
  clamavMirror,
  dnsDomain,
  hostName,
  httpsEndpoint,
  linuxNicName,
  linuxUserName,
  opnsenseInterfaceId,
  opnsenseTrunkDevice,
  proxmoxStorageId,
  timeZone,
} from "./formats";
import { type ZoneConfig, zonesSchema } from "./zones";
import { RULESET_FILE } from "../../vocabulary/suricata";
import { GREENBONE_IMAGE_NAMES, IMAGE_DIGEST } from "../../vocabulary/greenbone";
import { MISP_FEED_NAMES, MISP_IMAGE_NAMES } from "../../vocabulary/misp";

const ipv4 = z.string().refine(isIpv4, { message: "must be an IPv4 address such as 10.0.20.1" });

const cidr = z.string().refine((value) => parseCidr(value) !== undefined, {
  message: "must be an IPv4 network such as 10.0.20.0/24 (prefix 8–30, no host bits set)",
});

/** A name usable as a hostname label, a Pulumi resource name and a Proxmox VM name. */
const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be lower-case letters, digits and inner dashes");

const positive = (max: number) => z.number().positive().max(max);

export const imageSchema = z.strictObject({
  url: z.url({ protocol: /^https$/ }),
  fileName: z.string().regex(/^[\w.-]+\.(qcow2|img|raw)$/, "must end in .qcow2, .img or .raw"),
  checksum: z.string().regex(/^[0-9a-f]{64,128}$/, "must be the hex digest published beside the image"),
  checksumAlgorithm: z.enum(["sha256", "sha512"]),
});

/** Debian 12 generic cloud image, pinned by date and digest. */
export const DEFAULT_IMAGE: z.infer<typeof imageSchema> = {
  url: "https://cloud.debian.org/images/cloud/bookworm/20250703-2162/debian-12-generic-amd64-20250703-2162.qcow2",
  fileName: "debian-12-generic-amd64-20250703-2162.qcow2",
  checksum:
    "c651c2f3fd1ee342f225724959a86a97ad804027c3f057e03189455d093d07a006390929a22df0f95a5269291badc619964bde8bf9e2a33b6f3a01f492895068",
  checksumAlgorithm: "sha512",
};

export const labSchema = z.strictObject({
  /** The lab's size (stacks/profiles.ts): what the config leaves out, the profile decides. */
  profile: z.enum(PROFILE_NAMES).default("home"),
  /** Where k3s workloads run: on agent VMs beside dedicated servers, or on the servers (no agents). */
  k3sWorkloadsOn: z.enum(["agents", "servers"]).default("agents"),
  domain: dnsDomain,
  timezone: timeZone,
  adminUser: linuxUserName.refine((name) => !["root", "admin", "debian", "ubuntu"].includes(name), {
    message: "must not be a well-known account name (root, admin, debian, ubuntu)",
  }),
  adminSshPublicKey: z
    .string()
    .regex(
      /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+( .*)?$/,
      "must be one OpenSSH public key line",
    ),
  k3sServers: z
    .union([z.literal(1), z.literal(3), z.literal(5)], {
      error: "must be 1, 3 or 5 (etcd needs an odd number)",
    })
    .default(3),
  /** At least this many general k3s agents, beyond what the services' budgets call for. */
  minK3sAgents: z.int().min(0).max(1000).default(0),
  cpuOvercommit: z.number().min(1).max(4).default(2),
  /** Servers chrony on the firewall follows; every VM and VLAN takes time from the firewall. */
  ntpUpstream: z
    .array(hostName)
    .min(1)
    .default(["0.opnsense.pool.ntp.org", "1.opnsense.pool.ntp.org", "2.opnsense.pool.ntp.org"]),
  /** RAM kept on each node for Proxmox itself. Disk needs no reserve: nodes[].vmStorageGb is the VM datastore alone. */
  reserve: z
    .strictObject({
      memoryGb: z.number().min(1).max(16).default(2),
    })
    .default({ memoryGb: 2 }),
});

export const proxmoxSchema = z.strictObject({
  endpoint: httpsEndpoint("the Proxmox API", "https://pve1:8006/"),
  insecure: z.boolean().default(false),
  /**
   * The cluster's CA (a node's /etc/pve/pve-root-ca.pem), which the Proxmox exporter in the cluster
   * checks the nodes' API certificates against; without it, against the image's public roots.
   */
  caCert: z
    .string()
    .regex(
      /^-----BEGIN CERTIFICATE-----/,
      "must be a PEM certificate (cat /etc/pve/pve-root-ca.pem on a node)",
    )
    .optional(),
  sshUser: linuxUserName.default("root"),
  bridge: z
    .string()
    .regex(/^vmbr\d+$/, "must be a Linux bridge name such as vmbr0")
    .default("vmbr0"),
  pool: dnsLabel.default("fortress"),
  vmDatastore: proxmoxStorageId.default("local-lvm"),
  imageDatastore: proxmoxStorageId.default("local"),
  snippetDatastore: proxmoxStorageId.default("local"),
  image: imageSchema.default(DEFAULT_IMAGE),
  backup: z
    .strictObject({
      /** A storage off the VM disk (NFS, PBS, a second disk); `local` shares the boot disk with local-lvm. */
      storage: proxmoxStorageId,
      /** Set to accept backups on the same disk as the VMs (checks.ts `checkBackup`). */
      onVmDisk: z.boolean().default(false),
      schedule: z.string().min(1).default("*-*-* 02:30"),
      keepDaily: z.int().min(1).max(365).default(7),
      keepWeekly: z.int().min(0).max(52).default(4),
    })
    .default({ storage: "local", onVmDisk: false, schedule: "*-*-* 02:30", keepDaily: 7, keepWeekly: 4 }),
});

const pciId = (field: string, example: string, howTo: string) =>
  z
    .string({
      error: (problem) =>
        problem.input === undefined
          ? `is missing: Proxmox checks ${field} at VM start (${howTo})`
          : undefined,
    })
    .regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, `must be lower-case hex vendor:device, e.g. ${example} (${howTo})`);

/**
 * A PCI mapping entry as Proxmox checks it when a VM with `hostpci` starts: the device at `path` must
 * have this vendor:device id, subsystem id and IOMMU group, or the VM does not start
 * (pve-guest-common src/PVE/Mapping/PCI.pm `assert_valid`, called from qemu-server
 * src/PVE/QemuServer/PCI.pm `parse_hostpci`). All of them are read from function .0 of the device.
 */
export const gpuSchema = z.strictObject({
  id: pciId("the vendor:device id", "10de:1e93", "`lspci -nn -s 01:00.0`, the last [vvvv:dddd]"),
  subsystemId: pciId(
    "the subsystem id",
    "1025:1441",
    "`lspci -nn -v -s 01:00.0`, the [vvvv:dddd] on the Subsystem line",
  ),
  iommuGroup: z
    .int({
      error: (problem) =>
        problem.input === undefined
          ? "is missing: Proxmox checks the IOMMU group at VM start (`basename $(readlink /sys/bus/pci/devices/0000:01:00.0/iommu_group)`)"
          : undefined,
    })
    .min(0, "must be the IOMMU group number, 0 or more"),
  /** The whole device, every function (GPU, HD audio, USB-C): on a laptop they share one IOMMU group. */
  path: z
    .string()
    .regex(
      /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}$/,
      "must be the PCI device without its function, e.g. 0000:01:00: the GPU and its audio function share an IOMMU group and pass through together",
    ),
  /** A VBIOS file under /usr/share/kvm/ on the node, for GPUs (Optimus laptops) that expose none through the ROM BAR. */
  romFile: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      "must be a file name under /usr/share/kvm/ on the node, e.g. tu104m.rom",
    )
    .optional(),
});

/**
 * An ed25519 public key line as OpenSSH writes it: the blob is the type name and a 32-byte key (68
 * base64 characters, the first 25 fixed), then an optional comment.
 */
const ED25519_PUBLIC_KEY_LINE = /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}( \S.*)?$/;

export const nodeSchema = z.strictObject({
  name: dnsLabel,
  proxmoxNode: dnsLabel,
  address: ipv4,
  /** The node's own SSH host key, pinned on every SSH connection Fortress makes to the node. */
  sshHostKey: z
    .string()
    .trim()
    .regex(
      ED25519_PUBLIC_KEY_LINE,
      "must be the node's ed25519 SSH host key line (ssh-ed25519 AAAAC3NzaC1lZDI1NTE5…)",
    ),
  cores: z.int().min(1).max(256),
  memoryGb: positive(4096),
  /** Size of the VM datastore (proxmox.vmDatastore) on this node, e.g. the local-lvm thin pool: `lvs pve/data`. */
  vmStorageGb: positive(100_000),
  capabilities: z.array(z.enum(["gpu", "bulk-storage"])).default([]),
  gpu: gpuSchema.optional(),
});

export const networkSchema = z.strictObject({
  name: dnsLabel,
  vlan: z
    .int()
    .min(1, "must be a VLAN id from 1 to 4094 (0 and 4095 are reserved)")
    .max(4094, "must be a VLAN id from 1 to 4094 (0 and 4095 are reserved)")
    .refine((vlan) => vlan !== CAPTURE_VLAN, {
      message: `is the Zeek VM's capture NIC's tag (${CAPTURE_VLAN}), which no network may use: vocabulary/capture.ts`,
    }),
  cidr,
  gateway: ipv4,
  purpose: z.enum(NETWORK_PURPOSES),
  dhcp: z.strictObject({ start: ipv4, end: ipv4 }),
  /** The OPNsense interface the VLAN device is assigned to (Interfaces > Assignments), e.g. opt2. */
  interface: opnsenseInterfaceId.optional(),
});

export const opnsenseSchema = z.strictObject({
  url: httpsEndpoint("the firewall", "https://fw.home.arpa"),
  insecure: z.boolean().default(false),
  caCert: z
    .string()
    .regex(/^-----BEGIN CERTIFICATE-----/, "must be a PEM certificate")
    .optional(),
  /** The physical interface that carries the VLANs, e.g. igb1. */
  trunk: opnsenseTrunkDevice,
  /** Kea, or Dnsmasq (the default DHCP server from OPNsense 26.1). */
  dhcp: z.enum(["kea", "dnsmasq"]).default("kea"),
});

export const vmOverrideSchema = z.strictObject({
  node: dnsLabel.optional(),
  cores: z.int().min(1).max(64).optional(),
  memoryGb: positive(1024).optional(),
  diskGb: positive(10_000).optional(),
  dataDiskGb: z.number().min(0).max(100_000).optional(),
  ip: ipv4.optional(),
});

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 digest: 64 lower-case hex digits");
/** A download URL the node fetches (single-quoted in a shell script, so no quotes or spaces). */
const downloadUrl = z
  .string()
  .regex(/^https?:\/\/[^\s'"]+$/, "must be an http(s) URL without spaces or quotes");

export const platformSchema = z.strictObject({
  /** k3s: Fortress bootstraps k3s on its VMs over SSH. existing: a cluster you run, by fortress:kubeconfig. */
  mode: z.enum(["k3s", "existing"]).default("k3s"),
  /**
   * The existing cluster's nodes as Fortress may use them (memory and cores left for its workloads):
   * the plan places the workloads' pods on them with 10 % headroom. Only with mode: existing.
   */
  cluster: z
    .strictObject({
      nodes: z
        .array(
          z.strictObject({
            name: dnsLabel,
            /** Memory the node has for Fortress's pods (its allocatable, less what else runs there). */
            memoryGb: positive(4096),
            /** Shown in the plan; pods are placed by memory, which is what runs out first on a lab. */
            cores: z.int().min(1).max(512).optional(),
          }),
        )
        .min(1, "list at least one node of the cluster"),
      /**
       * The addresses the cluster's load balancer (MetalLB, kube-vip) hands the routes that VMs and the
       * firewall reach the cluster by, one per route, on the servers network (stacks/config/checks.ts
       * checkPlatform): `indexer` (the manager's Filebeat and the shippers, 9200), `clamd` (agents,
       * 3310) and `syslog` (the firewall's logs to the Vector aggregator, 514/UDP).
       */
      loadBalancer: z
        .strictObject({ indexer: ipv4.optional(), clamd: ipv4.optional(), syslog: ipv4.optional() })
        .optional(),
      /**
       * The address the cluster's ingress controller answers on (on the servers network): the UIs' names
       * point there, and the Wazuh manager reaches TheHive through it. None: no names, and no Wazuh → TheHive.
       */
      ingressAddress: ipv4.optional(),
    })
    .optional(),
  /** Pinned k3s release, as INSTALL_K3S_VERSION takes it. */
  k3sVersion: z
    .string()
    .regex(/^v\d+\.\d+\.\d+\+k3s\d+$/, "must be a k3s release such as v1.35.6+k3s1")
    .default("v1.35.6+k3s1"),
  /** Host name (under lab.domain) of the Kubernetes API: in every server's tls-san and in the kubeconfig. */
  apiName: dnsLabel.default("k3s"),
  /** An NFS export for the ReadWriteMany storage class (Cortex needs one); none without it. */
  rwx: z
    .strictObject({
      nfsServer: hostName,
      nfsPath: z.string().regex(/^\/\S*$/, "must be an absolute export path such as /export/fortress"),
    })
    .optional(),
  /** k3s's install.sh from somewhere else (a mirror), checked against this digest; default: the pinned upstream copy. */
  installer: z.strictObject({ url: downloadUrl, sha256 }).optional(),
  /** Air gap: the release's k3s binary and images tarball from your mirror, by digest (INSTALL_K3S_SKIP_DOWNLOAD). */
  airgap: z
    .strictObject({
      binaryUrl: downloadUrl,
      binarySha256: sha256,
      imagesUrl: downloadUrl.regex(
        /\/[\w.-]+\.tar(\.(gz|zst|bz2|lz4))?$/,
        "must end in the images tarball's file name, such as k3s-airgap-images-amd64.tar.zst",
      ),
      imagesSha256: sha256,
    })
    .optional(),
  /** A label (such as 2027-06); a new one rotates the k3s servers' certificates and re-reads the kubeconfig. */
  certificateRotation: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be a short label such as 2027-06 (letters, digits, . _ -)")
    .optional(),
});

export const DEFAULT_PLATFORM: z.infer<typeof platformSchema> = {
  mode: "k3s",
  k3sVersion: "v1.35.6+k3s1",
  apiName: "k3s",
};

/** The lab's one clamd (components/endpoint/clamav): where freshclam fetches signatures. */
export const clamavSchema = z.strictObject({
  /** A private mirror for a lab without internet; none: database.clamav.net. */
  mirror: clamavMirror.optional(),
});

const rulesetFile = z
  .string()
  .regex(RULESET_FILE, "must be a rule file OPNsense lists, such as emerging-malware.rules");

/** The sensors layer: Suricata on OPNsense, the firewall's NetFlow, Zeek's mirroring. */
export const sensorsSchema = z.strictObject({
  ids: z
    .strictObject({
      /** ids: alerts only (pcap); ips: inline, drops what the `drop` rule files match. */
      mode: z.enum(["ids", "ips"]).default("ids"),
      /** The inline engine on OPNsense 26.1+ (25.7 has netmap only); netmap needs hardware offloading off. */
      ipsEngine: z.enum(["netmap", "divert"]).optional(),
      /** ET open rule files to enable; none: vocabulary/suricata.ts's defaults. */
      rulesets: z.array(rulesetFile).min(1, "list at least one rule file, or leave rulesets out").optional(),
      /** Rule files whose alerts become drops (IPS only); none: the IP reputation lists (vocabulary/suricata.ts). */
      drop: z.array(rulesetFile).optional(),
    })
    .default({ mode: "ids" }),
  /** OPNsense's NetFlow export to the collector on the Zeek VM, for every managed interface. */
  netflow: z.boolean().default(true),
  zeek: z
    .strictObject({
      /** vm-taps: what the node's VMs send and what reaches the node; uplink: the node's NIC both ways. */
      mirror: z.enum(["vm-taps", "uplink"]).default("vm-taps"),
      /** The node's physical NIC under the bridge; none: found on the node (the bridge's one physical port). */
      uplink: linuxNicName.optional(),
      /** A second NIC of the Zeek VM's node wired to a managed switch's mirror (SPAN) port. */
      spanNic: linuxNicName.optional(),
    })
    .default({ mirror: "vm-taps" }),
});

/** The vuln layer: what Greenbone scans. */
export const vulnSchema = z.strictObject({
  /**
   * Scan the management network too: the scanner on the servers network then passes every protocol
   * into management from its one address. Off by default (least privilege).
   */
  scanManagement: z.boolean().default(false),
  /**
   * The digest of each Greenbone image (what scripts/greenbone-digests.sh prints). None: each image is
   * pinned to the digest its tag has at the first install, and moves only on purpose (README, "Vuln").
   */
  imageDigests: z
    .partialRecord(
      z.enum(GREENBONE_IMAGE_NAMES),
      z
        .string()
        .regex(IMAGE_DIGEST, "must be sha256:<64 lower-case hex>, as scripts/greenbone-digests.sh prints it"),
    )
    .refine(
      (digests) => GREENBONE_IMAGE_NAMES.every((name) => digests[name] !== undefined),
      `must give every image of Greenbone's compose file (${GREENBONE_IMAGE_NAMES.join(", ")}): paste the whole output of scripts/greenbone-digests.sh, or leave imageDigests out to pin them at the first install`,
    )
    .optional(),
});

/** The response layer: MISP's organisation and feeds, and how long a containment lasts. */
export const responseSchema = z.strictObject({
  misp: z
    .strictObject({
      /** MISP's organisation: the admin's, the integration user's and every Keycloak user's. */
      organisation: z
        .string()
        .regex(/^[\w .-]{1,64}$/, "must be 1-64 letters, digits, spaces, dots, dashes or underscores")
        .default("Fortress"),
      /** The break-glass admin's login (an e-mail address); default admin@<lab.domain>. */
      adminEmail: z
        .string()
        .regex(/^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$/, "must be an e-mail address, e.g. admin@home.arpa")
        .optional(),
      /** Feeds MISP pulls (components/response/misp/feeds.ts); none by default: offline-first. */
      feeds: z.array(z.enum(MISP_FEED_NAMES)).default([]),
      /** A `sha256:` digest per MISP image, to pin beyond the exact tags. */
      imageDigests: z
        .partialRecord(
          z.enum(MISP_IMAGE_NAMES),
          z.string().regex(IMAGE_DIGEST, "must be sha256:<64 lower-case hex>"),
        )
        .optional(),
    })
    .default({ organisation: "Fortress", feeds: [] }),
  containment: z
    .strictObject({
      /**
       * Hours a host the SIEM contained stays contained unless an analyst releases it first; 0: until
       * an analyst releases it.
       */
      releaseAfterHours: z.number().int().min(0).max(720).default(24),
    })
    .default({ releaseAfterHours: 24 }),
});

/** Every plain (non-secret) key, with its schema. */
export const PLAIN_KEYS = {
  lab: labSchema,
  proxmox: proxmoxSchema,
  nodes: z.array(nodeSchema).min(1, "declare at least one Proxmox node"),
  networks: z.array(networkSchema).min(1, "declare at least the management network"),
  layers: z.partialRecord(z.enum(LAYERS), z.boolean()).default({}),
  services: z.array(z.enum(SERVICE_IDS)).default([]),
  vms: z.record(dnsLabel, vmOverrideSchema).default({}),
  opnsense: opnsenseSchema.optional(),
  zones: zonesSchema,
  platform: platformSchema.default(DEFAULT_PLATFORM),
  clamav: clamavSchema.default({}),
  sensors: sensorsSchema.default({ ids: { mode: "ids" }, netflow: true, zeek: { mirror: "vm-taps" } }),
  vuln: vulnSchema.default({ scanManagement: false }),
  response: responseSchema.default({
    misp: { organisation: "Fortress", feeds: [] },
    containment: { releaseAfterHours: 24 },
  }),
  monitoring: monitoringSchema.default(DEFAULT_MONITORING),
  workloads: workloadsSchema.default({}),
  backup: backupSchema.default({}),
} as const;

export type PlainKey = keyof typeof PLAIN_KEYS;

/** Keys that are read only as secrets, each in its own top-level key (a `secure:` leaf would make a whole object secret). */
export const SECRET_KEYS = [
  "proxmoxApiToken",
  "sshPrivateKey",
  "opnsenseApiKey",
  "opnsenseApiSecret",
  "kubeconfig",
  "containmentApiKey",
  "containmentApiSecret",
  "smtpPassword",
  "notifyWebhookToken",
  "s3AccessKeyId",
  "s3SecretAccessKey",
] as const;

export type SecretKey = (typeof SECRET_KEYS)[number];

export type LabSettings = z.infer<typeof labSchema>;
export type ProxmoxSettings = z.infer<typeof proxmoxSchema>;
export type NodeConfig = z.infer<typeof nodeSchema>;
export type GpuConfig = z.infer<typeof gpuSchema>;
export type NetworkConfig = z.infer<typeof networkSchema>;
export type VmOverride = z.infer<typeof vmOverrideSchema>;
export type ImageConfig = z.infer<typeof imageSchema>;
export type OpnsenseSettings = z.infer<typeof opnsenseSchema>;
export type PlatformSettings = z.infer<typeof platformSchema>;
export type ClamavSettings = z.infer<typeof clamavSchema>;
export type SensorsSettings = z.infer<typeof sensorsSchema>;
export type VulnSettings = z.infer<typeof vulnSchema>;
export type ResponseSettings = z.infer<typeof responseSchema>;

export interface PlainConfig {
  readonly lab: LabSettings;
  readonly proxmox: ProxmoxSettings;
  readonly nodes: readonly NodeConfig[];
  readonly networks: readonly NetworkConfig[];
  readonly layers: Partial<Record<(typeof LAYERS)[number], boolean>>;
  readonly services: readonly (typeof SERVICE_IDS)[number][];
  readonly vms: Readonly<Record<string, VmOverride>>;
  /** Required while the network layer is enabled. */
  readonly opnsense?: OpnsenseSettings;
  readonly zones: readonly ZoneConfig[];
  readonly platform: PlatformSettings;
  /** Always present after the door (default `{}`); optional for configs built by hand in tests. */
  readonly clamav?: ClamavSettings;
  /** Always present after the door; optional for configs built by hand in tests. */
  readonly sensors?: SensorsSettings;
  readonly vuln?: VulnSettings;
  /** Always present after the door; optional for configs built by hand in tests. */
  readonly response?: ResponseSettings;
  /** Always present after the door; optional for configs built by hand in tests. */
  readonly monitoring?: MonitoringSettings;
  /**
   * Every sized workload, the profile's values under the config's overrides (config/profile.ts); absent
   * in configs built by hand in tests: workloadsOf() gives the profile's.
   */
  readonly workloads?: WorkloadSettings;
  /** Always present after the door; optional for configs built by hand in tests. */
  readonly backup?: z.infer<typeof backupSchema>;
}
