/**
 * Synthetic labs for the plan benchmark: the home lab (Pulumi.home.yaml) scaled ×k. Nodes, VLANs and
 * VMs grow k-fold: 4k M710q-like nodes and k GPU laptops, 7k VLANs (the home lab's seven, then
 * client VLANs, since management, servers, sensors and quarantine are one network each), and 13k
 * VMs (through `lab.minK3sAgents`). Every VLAN is a /22 (a /21 from ×64 on) so that the servers VLAN
 * has room for all the agents below its DHCP range, and is assigned its own OPNsense interface (`lan` for the first, `opt<i>` after).
 * The zone matrix grows with the VLANs: the home lab's entries as they are, and each extra client
 * VLAN the entries of the home VLAN of the same purpose (users, iot or guest), so every network
 * reaches the firewall for DNS and NTP, the internet, and (users) the servers, as in the seed.
 * Settings that do not scale (lab, proxmox, opnsense, services, sensors) are the home lab's own.
 */
import { join } from "node:path";
import * as yaml from "js-yaml";
import { intToIp, ipToInt } from "../vocabulary/addresses";
import { validateConfig } from "../stacks/config/load";
import { SECRET_KEYS } from "../stacks/config/schema";
import type { ZoneConfig } from "../stacks/config/zones";
import {
  parseStackConfig,
  readStackConfig,
  type StackConfig,
  stackConfigSource,
} from "../stacks/plan/stackConfig";

export const HOME_CONFIG = join(__dirname, "..", "Pulumi.home.yaml");

const PREFIX = "fortress:";

/** The home lab's VLANs in order: name, VLAN id and purpose (their interfaces are lan, opt1 … opt6). */
const HOME_NETWORKS = [
  { name: "mgmt", vlan: 10, purpose: "management" },
  { name: "servers", vlan: 20, purpose: "servers" },
  { name: "sensors", vlan: 30, purpose: "sensors" },
  { name: "users", vlan: 40, purpose: "users" },
  { name: "iot", vlan: 50, purpose: "iot" },
  { name: "guest", vlan: 60, purpose: "guest" },
  { name: "quarantine", vlan: 99, purpose: "quarantine" },
] as const;

/**
 * VMs of the home lab; 10 of them do not scale with the agent count (3 servers, gpu, indexer, the
 * Wazuh manager, zeek, greenbone, misp, the workstation).
 */
export const HOME_VMS = 13;
const FIXED_VMS = 10;

/**
 * Each VLAN gets a /22 of 10.0.0.0/8 (the gateway at .1, DHCP over its last /24, static addresses
 * below), or a /21 when the servers VLAN's 13k VMs would not fit below the DHCP range of a /22.
 */
function netPrefix(k: number): number {
  const needed = HOME_VMS * k + DHCP_SIZE + 16;
  return needed <= 2 ** 10 ? 22 : 21;
}
const DHCP_SIZE = 256;
const NET_BASE = ipToInt("10.0.0.0");
/** First node address on the management VLAN, as in the home lab (10.10.10.11). */
const FIRST_NODE_HOST = 11;

/** Purposes a lab may give to more than one VLAN (management, servers, sensors and quarantine are one each). */
const REPEATABLE_PURPOSES = ["users", "iot", "guest"] as const;

/** The OPNsense interface of the index-th VLAN: lan, then opt1, opt2, … (as in the home lab). */
const interfaceOf = (index: number) => (index === 0 ? "lan" : `opt${index}`);

/**
 * The home lab's VLANs first, then extra client VLANs (users, iot, guest in turn) with names and ids
 * of their own. Names stay within the zone compiler's 15 characters (the longest is `guest-112` at ×16).
 */
function network(index: number, prefix: number) {
  const size = 2 ** (32 - prefix);
  const home = HOME_NETWORKS[index];
  const purpose = home?.purpose ?? REPEATABLE_PURPOSES[index % REPEATABLE_PURPOSES.length] ?? "users";
  const base = NET_BASE + index * size;
  return {
    name: home?.name ?? `${purpose}-${index + 1}`,
    interface: interfaceOf(index),
    vlan: home?.vlan ?? 100 + index,
    cidr: `${intToIp(base)}/${prefix}`,
    gateway: intToIp(base + 1),
    purpose,
    dhcp: { start: intToIp(base + size - DHCP_SIZE), end: intToIp(base + size - 2) },
  };
}

function nodes(k: number, managementBase: number) {
  const m710q = Array.from({ length: 4 * k }, (_, index) => ({
    name: `pve${index + 1}`,
    proxmoxNode: `pve${index + 1}`,
    cores: 4,
    // More RAM than the M710q's 16 GB and a larger pool than the home lab's 141 GiB: the scaled lab's
    // extra VMs are all 8 GB general agents (the home lab's VMs average 5.5 GB), three to a node, and
    // they place without per-VM overrides.
    memoryGb: 32,
    vmStorageGb: 400,
  }));
  const laptops = Array.from({ length: k }, (_, index) => ({
    name: k === 1 ? "predator" : `predator${index + 1}`,
    proxmoxNode: k === 1 ? "predator" : `predator${index + 1}`,
    cores: 8,
    memoryGb: 32,
    vmStorageGb: 794,
    capabilities: ["gpu", "bulk-storage"],
    gpu: { id: "10de:1e93", subsystemId: "1025:1441", iommuGroup: 1, path: "0000:01:00" },
  }));
  return [...m710q, ...laptops].map((node, index) => ({
    ...node,
    address: intToIp(managementBase + FIRST_NODE_HOST + index),
    // The ed25519 key line's shape (the schema checks it), distinct per node, never a real key.
    sshHostKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${`SyntheticHostKeyOf${node.name}`.padEnd(43, "A")}`,
  }));
}

function plainValue(config: StackConfig, key: string): unknown {
  const text = config.values[`${PREFIX}${key}`];
  if (text === undefined) throw new Error(`${HOME_CONFIG} has no ${PREFIX}${key}`);
  return JSON.parse(text);
}

/**
 * The zone matrix for `networks`: the home lab's entries unchanged (the home VLANs keep their names),
 * then for every extra VLAN a copy of the entries of the home VLAN with the same purpose, `from`
 * renamed. Destinations stay the home lab's (firewall, internet, servers …), so the copies pass the
 * same checks as the seed: NTP only to the firewall, `all` only from management, nothing to or
 * from quarantine, one entry per pair.
 */
function zones(homeZones: readonly ZoneConfig[], networks: readonly { name: string; purpose: string }[]) {
  const homeByPurpose = new Map<string, string>(HOME_NETWORKS.map((entry) => [entry.purpose, entry.name]));
  const extra = networks.slice(HOME_NETWORKS.length).flatMap((entry) => {
    const template = homeByPurpose.get(entry.purpose);
    return homeZones.filter((zone) => zone.from === template).map((zone) => ({ ...zone, from: entry.name }));
  });
  return [...homeZones, ...extra];
}

/**
 * A placeholder in the form the Pulumi CLI writes a `secure:` value (`v1:<nonce>:<ciphertext>`, both
 * base64), which the offline door requires (stacks/plan/ciphertext.ts); it decrypts to nothing.
 */
function dummyCiphertext(key: string): string {
  const base64 = (text: string) => Buffer.from(text).toString("base64");
  return `v1:${base64("BENCH-NONCE")}:${base64(`bench placeholder for fortress:${key}`)}`;
}

/** The home lab ×k as the Pulumi CLI would hand it to the program: flat keys, JSON values, secrets marked. */
/**
 * The smb profile at scale: the same lab ×k with `lab.profile: smb` on Fortress's own k3s (the profile's
 * "k3s on more nodes": a three-node indexer, Keycloak and Grafana replicas, disruption budgets), backups
 * to S3. Its stack is `smb-x<k>`.
 */
export function syntheticSmbLab(k: number): StackConfig {
  const lab = syntheticLab(k);
  const values = { ...lab.values };
  const labKey = `${PREFIX}lab`;
  values[labKey] = JSON.stringify({ ...(JSON.parse(values[labKey] ?? "{}") as object), profile: "smb" });
  // The three-node indexer snapshots to one shared file system: an NFS export for the RWX class.
  values[`${PREFIX}platform`] = JSON.stringify({
    mode: "k3s",
    rwx: { nfsServer: "nas.home.arpa", nfsPath: "/export/fortress" },
  });
  return { ...lab, stack: `smb-x${k}`, values };
}

export function syntheticLab(k: number, home: StackConfig = readStackConfig(HOME_CONFIG)): StackConfig {
  if (!Number.isInteger(k) || k < 1) throw new Error(`scale must be a positive integer, got ${k}`);
  const networks = Array.from({ length: HOME_NETWORKS.length * k }, (_, index) =>
    network(index, netPrefix(k)),
  );
  const lab = {
    ...(plainValue(home, "lab") as Record<string, unknown>),
    minK3sAgents: HOME_VMS * k - FIXED_VMS,
  };
  const values: Record<string, string> = {
    [`${PREFIX}lab`]: JSON.stringify(lab),
    [`${PREFIX}proxmox`]: JSON.stringify(plainValue(home, "proxmox")),
    [`${PREFIX}nodes`]: JSON.stringify(nodes(k, NET_BASE)),
    [`${PREFIX}networks`]: JSON.stringify(networks),
    [`${PREFIX}opnsense`]: JSON.stringify(plainValue(home, "opnsense")),
    [`${PREFIX}zones`]: JSON.stringify(zones(plainValue(home, "zones") as ZoneConfig[], networks)),
    [`${PREFIX}services`]: JSON.stringify(plainValue(home, "services")),
    [`${PREFIX}sensors`]: JSON.stringify(plainValue(home, "sensors")),
    // Both notification receivers, so that every secret key the labs carry is one they use.
    [`${PREFIX}monitoring`]: JSON.stringify({
      notify: {
        email: {
          host: "mail.home.arpa",
          from: "fortress@home.arpa",
          to: ["admin@home.arpa"],
          username: "fortress",
        },
        webhook: { url: "https://ntfy.home.arpa/fortress" },
      },
    }),
  };
  // Off-site backups, so that the S3 keys the labs carry are used.
  values[`${PREFIX}backup`] = JSON.stringify({
    s3: { endpoint: "https://minio.home.arpa:9000", bucket: "fortress-backups" },
  });
  // The synthetic labs build their own k3s, so they carry every secret but a kubeconfig.
  const secrets = SECRET_KEYS.filter((key) => key !== "kubeconfig");
  for (const key of secrets) values[`${PREFIX}${key}`] = dummyCiphertext(key);
  return { stack: `lab-x${k}`, values, secretKeys: secrets.map((key) => `${PREFIX}${key}`) };
}

/** Renders a StackConfig as a `Pulumi.<stack>.yaml`, secrets as `secure:` leaves, so that `plan()` can read it. */
export function toStackYaml(config: StackConfig): string {
  const secret = new Set(config.secretKeys);
  const document: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(config.values)) {
    if (secret.has(key)) {
      document[key] = { secure: text };
      continue;
    }
    try {
      document[key] = JSON.parse(text);
    } catch {
      document[key] = text;
    }
  }
  return yaml.dump({ config: document }, { lineWidth: -1, noRefs: true });
}

/** Throws, naming every problem, unless the program would accept the config (it exits 2 otherwise). */
export function assertValid(config: StackConfig): { vms: number; zones: number } {
  // Read back from the stack file, as plan() reads it: the secure: values are checked there.
  const { issues, model } = validateConfig(
    stackConfigSource(parseStackConfig(toStackYaml(config), config.stack)),
  );
  if (!model) {
    const lines = issues.map((issue) => `  fortress:${issue.path}: ${issue.message} (${issue.hint})`);
    throw new Error(`synthetic config ${config.stack} is invalid:\n${lines.join("\n")}`);
  }
  return { vms: model.vms.length, zones: model.config.zones.length };
}
