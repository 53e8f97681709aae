/* eslint-disable max-lines, max-lines-per-function -- split pending: issue #9 item 8 (buildLab, 333 lines, and the synthetic plan into bench/synthetic-plan.ts) */
/**
 * `node --import tsx bench/policies.bench.ts [--size N] [--runs N]`: how long the policy pack takes to
 * evaluate a plan offline (linking the resources, then every policy of the registry), as
 * `pulumi preview --policy-pack policies` would run it after the program.
 *
 * Cases:
 *  - home:      the real home plan, captured once with `plan({configFile: "Pulumi.home.yaml"})`;
 *  - synthetic: `--size` (10,000) resources shaped like the ×16 lab of bench/synthetic.ts: 64
 *               M710q-like nodes and 16 laptops, 112 VLANs (the home seven, then users/iot/guest
 *               client VLANs, each with its own interface, zone entries, alias, ipset, vnet, security
 *               group, Kea subnet and filter rules copied from the home VLAN of the same purpose), the
 *               home lab's eight fixed VMs, and as many k3s agents as the size leaves room for
 *               (`lab.minK3sAgents` raised). Every resource's inputs are a copy of the home resource it
 *               stands for, renumbered (every VLAN a /21 of 10.0.0.0/8, so that the servers VLAN holds
 *               all the agents), so the synthetic plan passes the same checks as the home one; parents
 *               and dependencies follow the home plan's pattern (every rule waits for every alias,
 *               each layer component for the layer below, every VM for its node's image, its user data
 *               and the pool). Node capacities are raised to what their VMs use.
 * Times are the median of `--runs` (5) evaluations after one warm-up, each after a full GC; per
 * policy, the median of `--runs` evaluations of that policy alone (linking included).
 *
 * A benchmark, not a test: a missed target prints MISS and still exits 0. It exits non-zero only when
 * it cannot measure (the home plan cannot be captured, or lacks a resource the synthetic plan copies).
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import { intToIp, ipToInt } from "../vocabulary/addresses";
import { plan } from "../stacks/plan/cli";
import { planResource } from "../policies/lib/build";
import { evaluatePolicies, toPolicyResources } from "../policies/lib/offline";
import {
  DNS_DHCP_TYPE,
  HYPERVISOR_TYPE,
  NETWORK_TYPE,
  OPNSENSE,
  SERVICES_TYPE,
  VM_TYPE,
  vmFacts,
} from "../policies/lib/resources";
import type { FortressPolicy, PlanResource } from "../policies/lib/types";
import { POLICIES } from "../policies/registry";
import { COMPONENT_TYPES } from "../vocabulary/typeTokens";
import { packageOf, pulumiTypeOf, SDK_TYPES } from "../vocabulary/sdkTypes";

const TARGET_MS = 1000;
const TARGET_SIZE = 10_000;
/** The ×16 lab of bench/synthetic.ts: 4k M710q-like nodes, k laptops, 7k VLANs. */
const SCALE = 16;
/** Every synthetic VLAN is a /21: the gateway at .1, nodes from .11, VMs from .32, DHCP in the last /24. */
const NET_SIZE = 2048;
const NET_BASE = ipToInt("10.0.0.0");
/** Filter rule sequences: each interface has a block of 2000 (lan 2000…, opt1 4000…), as the home plan. */
const SEQUENCE_BLOCK = 2000;

const TIME_TYPE = COMPONENT_TYPES.time;
const PROXMOX_PROVIDER = `pulumi:providers:${packageOf(SDK_TYPES.proxmoxVm)}`;
const T = {
  ipset: pulumiTypeOf(proxmoxve.firewall.IpsetLegacy),
  group: pulumiTypeOf(proxmoxve.cluster.firewall.security.GroupLegacy),
  timeZone: pulumiTypeOf(proxmoxve.TimeLegacy),
  pool: pulumiTypeOf(proxmoxve.PoolLegacy),
  pci: pulumiTypeOf(proxmoxve.hardware.mapping.Pci),
  image: SDK_TYPES.proxmoxDownload,
  userData: SDK_TYPES.proxmoxFile,
  vmRules: pulumiTypeOf(proxmoxve.firewall.RulesLegacy),
  vmOptions: pulumiTypeOf(proxmoxve.firewall.OptionsLegacy),
  backup: SDK_TYPES.proxmoxBackupJob,
  datacenter: pulumiTypeOf(proxmoxve.cluster.FirewallLegacy),
} as const;

// ---------------------------------------------------------------------------------------------
// The synthetic plan

type Inputs = Record<string, unknown>;

/** The home plan's resources, by name and by type, to copy inputs from. */
class Home {
  private readonly byName = new Map<string, PlanResource>();
  private readonly byType = new Map<string, PlanResource[]>();

  constructor(resources: readonly PlanResource[]) {
    for (const resource of resources) {
      this.byName.set(resource.name, resource);
      this.byType.set(resource.type, [...(this.byType.get(resource.type) ?? []), resource]);
    }
  }

  all(type: string): readonly PlanResource[] {
    return this.byType.get(type) ?? [];
  }

  resource(name: string): PlanResource {
    const resource = this.byName.get(name);
    if (!resource) throw new Error(`the home plan has no resource ${name} to copy`);
    return resource;
  }

  /** A deep copy of the inputs of the named home resource. */
  inputs(name: string): Inputs {
    return structuredClone(this.resource(name).inputs);
  }
}

interface LabNetwork {
  readonly name: string;
  readonly vlan: number;
  readonly cidr: string;
  readonly gateway: string;
  readonly interface: string;
  readonly purpose: string;
}

interface SyntheticNetwork extends LabNetwork {
  /** The home network this one copies (itself, for the home seven). */
  readonly home: LabNetwork;
  readonly base: number;
}

const interfaceIndex = (name: string) => (name === "lan" ? 0 : Number(name.replace(/^opt/, "")));

/** The home VLANs renumbered, then client VLANs copying the home VLAN of their purpose, as bench/synthetic.ts. */
function syntheticNetworks(home: readonly LabNetwork[]): SyntheticNetwork[] {
  const repeatable = home.filter((network) => ["users", "iot", "guest"].includes(network.purpose));
  return Array.from({ length: 7 * SCALE }, (_, index) => {
    const own = home[index];
    const template = own ?? (repeatable[index % repeatable.length] as LabNetwork);
    const base = NET_BASE + index * NET_SIZE;
    return {
      name: own?.name ?? `${template.purpose}-${index + 1}`,
      vlan: own?.vlan ?? 100 + index,
      cidr: `${intToIp(base)}/21`,
      gateway: intToIp(base + 1),
      interface: index === 0 ? "lan" : `opt${index}`,
      purpose: template.purpose,
      home: template,
      base,
    };
  });
}

/** A copy of a home network's resource inputs, rewritten for `to`: names, interface, addresses, sequence. */
function forNetwork<V>(value: V, to: SyntheticNetwork): V {
  const from = to.home;
  const pairs: [string, string][] = [
    [`"fz_net_${from.name}"`, `"fz_net_${to.name}"`],
    [`"+fz-${from.name}"`, `"+fz-${to.name}"`],
    [`"fz-${from.name}"`, `"fz-${to.name}"`],
    [`"${from.cidr}"`, `"${to.cidr}"`],
    [`"${from.gateway}"`, `"${to.gateway}"`],
    [`"interface":"${from.interface}"`, `"interface":"${to.interface}"`],
    [`: ${from.name} `, `: ${to.name} `],
    [`zone ${from.name}`, `zone ${to.name}`],
    [`"comment":"${from.name}"`, `"comment":"${to.name}"`],
  ];
  let text = JSON.stringify(value);
  for (const [before, after] of pairs) text = text.split(before).join(after);
  const copy = JSON.parse(text) as V;
  const fields = (copy as { fields?: Record<string, string> }).fields;
  if (fields?.sequence !== undefined && /^\d+$/.test(fields.sequence)) {
    const shift = (interfaceIndex(to.interface) - interfaceIndex(from.interface)) * SEQUENCE_BLOCK;
    fields.sequence = String(Number(fields.sequence) + shift);
  }
  return copy;
}

const withFields = (inputs: Inputs, fields: Record<string, string>): Inputs => ({
  ...inputs,
  fields: { ...((inputs.fields as Record<string, string> | undefined) ?? {}), ...fields },
});

const macOf = (index: number) =>
  `02:f0:${[(index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff]
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join(":")}`;

const fieldsOf = (resource: PlanResource) => (resource.inputs.fields ?? {}) as Record<string, string>;

/**
 * The ×16 lab with `agents` k3s agents: every resource but the per-VM ones is fixed by the topology,
 * and each VM brings six (VM, user data, firewall rules and options, host override, reservation).
 */
function buildLab(homePlan: readonly PlanResource[], agents: number, extraHosts: number): PlanResource[] {
  const home = new Home(homePlan);
  const out: PlanResource[] = [];
  const add = (
    type: string,
    name: string,
    inputs: Inputs,
    options: { parent?: PlanResource; dependsOn?: readonly PlanResource[]; protect?: boolean } = {},
  ) => {
    const resource = planResource(type, name, inputs, options);
    out.push(resource);
    return resource;
  };

  const nodes = [
    ...Array.from({ length: 4 * SCALE }, (_, index) => ({
      name: `pve${index + 1}`,
      home: `pve${(index % 4) + 1}`,
    })),
    ...Array.from({ length: SCALE }, (_, index) => ({ name: `predator${index + 1}`, home: "predator" })),
  ];
  const homeNetworkInputs = home.inputs("network");
  const networks = syntheticNetworks(homeNetworkInputs.networks as LabNetwork[]);
  const byHomeName = new Map(networks.slice(0, 7).map((network) => [network.home.name, network]));
  const servers = byHomeName.get("servers") as SyntheticNetwork;
  const mgmt = byHomeName.get("mgmt") as SyntheticNetwork;
  const homeZones = homeNetworkInputs.zones as { from: string }[];
  const homeHostFlows = (homeNetworkInputs.hostFlows ?? []) as { from: string }[];

  add(SERVICES_TYPE, "services", home.inputs("services"));

  // Network layer: the component records the networks, the zone matrix and the flows Fortress derives
  // (the agents' to the Wazuh manager and to clamd), which the home rules copied below carry out.
  const network = add(NETWORK_TYPE, "network", {
    networks: networks.map(({ home: _home, base: _base, ...entry }) => entry),
    hostFlows: [
      ...homeHostFlows,
      ...networks
        .slice(7)
        .flatMap((entry) =>
          homeHostFlows
            .filter((flow) => flow.from === entry.home.name)
            .map((flow) => ({ ...flow, from: entry.name })),
        ),
    ],
    zones: [
      ...homeZones,
      ...networks
        .slice(7)
        .flatMap((entry) =>
          homeZones
            .filter((zone) => zone.from === entry.home.name)
            .map((zone) => ({ ...zone, from: entry.name })),
        ),
    ],
  });
  const inNetwork = (type: string, name: string, inputs: Inputs, dependsOn: readonly PlanResource[] = []) =>
    add(type, name, inputs, { parent: network, dependsOn });
  inNetwork(PROXMOX_PROVIDER, "network-proxmox", home.inputs("proxmox"));
  inNetwork(T.datacenter, "network-datacenter-firewall", home.inputs("network-datacenter-firewall"));
  const preflight = inNetwork(OPNSENSE("preflight"), "network-preflight", home.inputs("network-preflight"));
  const ipsets: PlanResource[] = [];
  const vlans: PlanResource[] = [];
  const aliases: PlanResource[] = [];
  for (const entry of networks) {
    const from = entry.home.name;
    ipsets.push(
      inNetwork(
        T.ipset,
        `network-ipset-fz-${entry.name}`,
        forNetwork(home.inputs(`network-ipset-fz-${from}`), entry),
      ),
    );
    vlans.push(
      inNetwork(
        OPNSENSE("vlan"),
        `network-vlan-${entry.name}`,
        withFields(home.inputs(`network-vlan-${from}`), {
          tag: String(entry.vlan),
          descr: `fortress ${entry.name}`,
        }),
        [preflight],
      ),
    );
    aliases.push(
      inNetwork(
        OPNSENSE("alias"),
        `network-alias-fz_net_${entry.name}`,
        forNetwork(home.inputs(`network-alias-fz_net_${from}`), entry),
        [preflight],
      ),
    );
  }
  for (const alias of home
    .all(OPNSENSE("alias"))
    .filter((resource) => !fieldsOf(resource).name?.startsWith("fz_net_"))) {
    aliases.push(inNetwork(OPNSENSE("alias"), alias.name, structuredClone(alias.inputs), [preflight]));
  }
  const assignments = inNetwork(
    OPNSENSE("preflight"),
    "network-assignments",
    {
      ...home.inputs("network-assignments"),
      needs: {
        ...(home.inputs("network-assignments").needs as Inputs),
        interfaces: networks.map((entry) => ({ identifier: entry.interface, vlan: entry.vlan })),
      },
    },
    vlans,
  );
  for (const entry of networks) {
    const group = home
      .all(T.group)
      .find((resource) => resource.name === `network-group-fz-${entry.home.name}`);
    if (group)
      inNetwork(
        T.group,
        `network-group-fz-${entry.name}`,
        forNetwork(structuredClone(group.inputs), entry),
        ipsets,
      );
  }
  const ruleDeps = [...aliases, assignments];
  let ruleIndex = 0;
  for (const entry of networks) {
    for (const rule of home
      .all(OPNSENSE("rule"))
      .filter((resource) => fieldsOf(resource).interface === entry.home.interface)) {
      ruleIndex += 1;
      inNetwork(
        OPNSENSE("rule"),
        `network-rule-${entry.interface}-${ruleIndex.toString(16).padStart(12, "0")}`,
        forNetwork(structuredClone(rule.inputs), entry),
        ruleDeps,
      );
    }
  }
  const networkChildren = out.filter((resource) => resource.parent === network.urn);

  // Time layer.
  const time = add(TIME_TYPE, "time", {}, { dependsOn: networkChildren });
  const timeChildren = [
    add(
      OPNSENSE("chrony"),
      "time-chrony",
      withFields(home.inputs("time-chrony"), {
        allowednetworks: networks.map((entry) => entry.cidr).join(","),
      }),
      { parent: time, dependsOn: [preflight] },
    ),
    add(PROXMOX_PROVIDER, "time-proxmox", home.inputs("proxmox"), { parent: time }),
    ...nodes.map((node) =>
      add(
        T.timeZone,
        `time-tz-${node.name}`,
        { ...home.inputs(`time-tz-${node.home}`), nodeName: node.name },
        { parent: time },
      ),
    ),
  ];

  // VMs: the home lab's fixed ones, then the agents; addresses in their VLAN, from .32 up.
  const homeVms = home.all(VM_TYPE);
  const fixed = homeVms.filter((vm) => !vm.name.startsWith("k3s-agent-"));
  const agentTemplate = home.resource("k3s-agent-1");
  const plainNodes = nodes.filter((node) => node.home !== "predator");
  const nextHost = new Map<number, number>();
  const vms = [
    ...fixed.map((template) => {
      const homeNode = vmFacts({ name: template.name, props: template.inputs }).nodeName ?? "pve1";
      return { name: template.name, template, node: homeNode === "predator" ? "predator1" : homeNode };
    }),
    ...Array.from({ length: agents }, (_, index) => ({
      name: `k3s-agent-${index + 1}`,
      template: agentTemplate,
      node: (plainNodes[index % plainNodes.length] as { name: string }).name,
    })),
  ].map((vm, index) => {
    const vlan = vmFacts({ name: vm.name, props: vm.template.inputs }).vlanId ?? 20;
    const entry = networks.find((candidate) => candidate.vlan === vlan) ?? servers;
    const host = nextHost.get(entry.vlan) ?? 32;
    nextHost.set(entry.vlan, host + 1);
    return {
      ...vm,
      network: entry,
      address: intToIp(entry.base + host),
      mac: macOf(index + 1),
      vmId: 100 + index,
    };
  });

  // DNS and DHCP layer.
  const dnsDhcp = add(DNS_DHCP_TYPE, "dns-dhcp", {}, { dependsOn: timeChildren });
  const subnets = new Map(
    networks.map((entry) => [
      entry.vlan,
      add(
        OPNSENSE("keaSubnet"),
        `dns-dhcp-kea-subnet-${entry.name}`,
        withFields(home.inputs(`dns-dhcp-kea-subnet-${entry.home.name}`), {
          subnet: entry.cidr,
          pools: `${intToIp(entry.base + NET_SIZE - 256)} - ${intToIp(entry.base + NET_SIZE - 2)}`,
          description: `fortress ${entry.name}`,
        }),
        { parent: dnsDhcp, dependsOn: [preflight] },
      ),
    ]),
  );
  const hostOverride = (hostname: string, address: string) =>
    add(
      OPNSENSE("hostOverride"),
      `dns-dhcp-dns-${hostname}`,
      withFields(home.inputs("dns-dhcp-dns-pve1"), {
        hostname,
        server: address,
        description: `fortress ${hostname}`,
      }),
      { parent: dnsDhcp, dependsOn: [preflight] },
    );
  nodes.forEach((node, index) => hostOverride(node.name, intToIp(mgmt.base + 11 + index)));
  for (let index = 0; index < extraHosts; index++)
    hostOverride(`appliance-${index + 1}`, intToIp(mgmt.base + 200 + index));
  for (const vm of vms) {
    hostOverride(vm.name, vm.address);
    const subnet = subnets.get(vm.network.vlan);
    add(
      OPNSENSE("keaReservation"),
      `dns-dhcp-dhcp-${vm.name}`,
      withFields(home.inputs("dns-dhcp-dhcp-k3s-agent-1"), {
        hostname: vm.name,
        hw_address: vm.mac,
        ip_address: vm.address,
        description: `fortress ${vm.name}`,
      }),
      { parent: dnsDhcp, dependsOn: subnet ? [subnet] : [] },
    );
  }
  const dnsChildren = out.filter((resource) => resource.parent === dnsDhcp.urn);

  // Hypervisor layer; node capacities are filled in once the VMs are placed.
  const capacities = new Map(nodes.map((node) => [node.name, { cores: 0, diskGb: 0, memoryGb: 0 }]));
  const hypervisor = add(
    HYPERVISOR_TYPE,
    "hypervisor",
    { nodes: nodes.map((node) => ({ capacity: capacities.get(node.name), name: node.name })) },
    { dependsOn: dnsChildren },
  );
  const inHypervisor = (
    type: string,
    name: string,
    inputs: Inputs,
    dependsOn: readonly PlanResource[] = [],
    protect = false,
  ) => add(type, name, inputs, { parent: hypervisor, dependsOn, protect });
  inHypervisor(PROXMOX_PROVIDER, "hypervisor-proxmox", home.inputs("proxmox"));
  const pool = inHypervisor(T.pool, "hypervisor-pool", home.inputs("hypervisor-pool"));
  const gpuMap = home.inputs("hypervisor-gpu-predator");
  for (const node of nodes.filter((entry) => entry.home === "predator")) {
    inHypervisor(T.pci, `hypervisor-gpu-${node.name}`, {
      ...gpuMap,
      name: `fortress-gpu-${node.name}`,
      maps: (gpuMap.maps as Inputs[]).map((map) => ({ ...map, node: node.name })),
    });
  }
  const images = new Map(
    nodes.map((node) => [
      node.name,
      inHypervisor(T.image, `hypervisor-image-${node.name}`, {
        ...home.inputs(`hypervisor-image-${node.home}`),
        nodeName: node.name,
      }),
    ]),
  );
  const stateful: PlanResource[] = [];
  for (const vm of vms) {
    const template = vm.template.name;
    const userData = inHypervisor(T.userData, `hypervisor-${vm.name}-user-data`, {
      ...home.inputs(`hypervisor-${template}-user-data`),
      nodeName: vm.node,
    });
    const inputs = structuredClone(vm.template.inputs) as Inputs & {
      networkDevices: Inputs[];
      initialization: { ipConfigs: { ipv4: Inputs }[]; dns?: Inputs } & Inputs;
      disks: Inputs[];
      hostpcis?: Inputs[];
    };
    inputs.name = vm.name;
    inputs.nodeName = vm.node;
    inputs.networkDevices = [{ ...inputs.networkDevices[0], macAddress: vm.mac.toUpperCase() }];
    inputs.initialization.ipConfigs = [
      { ipv4: { address: `${vm.address}/21`, gateway: vm.network.gateway } },
    ];
    inputs.initialization.userDataFileId = `${vm.name}-user-data-id`;
    inputs.disks = inputs.disks.map((disk) =>
      disk.importFrom ? { ...disk, importFrom: `hypervisor-image-${vm.node}-id` } : disk,
    );
    if (inputs.hostpcis)
      inputs.hostpcis = inputs.hostpcis.map((pci) => ({ ...pci, mapping: `fortress-gpu-${vm.node}` }));
    const image = images.get(vm.node) as PlanResource;
    const resource = inHypervisor(VM_TYPE, vm.name, inputs, [image, userData, pool], vm.template.protect);
    if (vm.template.protect) stateful.push(resource);
    const firewall = { nodeName: vm.node, vmId: vm.vmId };
    inHypervisor(
      T.vmRules,
      `${vm.name}-firewall-rules`,
      { ...home.inputs(`hypervisor-${template}-firewall-rules`), ...firewall },
      [resource],
    );
    inHypervisor(
      T.vmOptions,
      `${vm.name}-firewall`,
      { ...home.inputs(`hypervisor-${template}-firewall`), ...firewall },
      [resource],
    );
    const facts = vmFacts({ name: vm.name, props: inputs });
    const capacity = capacities.get(vm.node);
    if (capacity) {
      capacity.cores += facts.vcpus;
      capacity.memoryGb += facts.memoryMb / 1024;
      capacity.diskGb += facts.diskGb;
    }
  }
  inHypervisor(
    T.backup,
    "hypervisor-state-backup",
    {
      ...home.inputs("hypervisor-state-backup"),
      vmids: vms.filter((vm) => vm.template.protect).map((vm) => String(vm.vmId)),
    },
    stateful,
    true,
  );
  for (const capacity of capacities.values()) {
    capacity.cores = Math.max(8, Math.ceil(capacity.cores));
    capacity.memoryGb = Math.max(14, Math.ceil(capacity.memoryGb));
    capacity.diskGb = Math.max(224, Math.ceil(capacity.diskGb));
  }
  return out;
}

/**
 * `size` resources resembling the ×16 lab (see the header), built from the home plan: the topology
 * and the fixed VMs, then as many agents as fit (six resources each), then DNS names for appliances
 * on the management VLAN for the last few.
 */
export function syntheticPlan(home: readonly PlanResource[], size = TARGET_SIZE): PlanResource[] {
  const perVm = 6;
  const room = Math.max(0, size - buildLab(home, 0, 0).length);
  const agents = Math.floor(room / perVm);
  return buildLab(home, agents, room - agents * perVm);
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** A full collection before each timed run, so that one run's garbage is not charged to the next. */
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function timed(policies: readonly FortressPolicy[], resources: readonly PlanResource[], runs: number) {
  let violations = await evaluatePolicies(policies, resources); // warm-up
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    collect();
    const start = performance.now();
    violations = await evaluatePolicies(policies, resources);
    times.push(performance.now() - start);
  }
  return { median: median(times), times, violations };
}

function timedLink(resources: readonly PlanResource[], runs: number): number {
  toPolicyResources(resources);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    collect();
    const start = performance.now();
    toPolicyResources(resources);
    times.push(performance.now() - start);
  }
  return median(times);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function report(name: string, resources: readonly PlanResource[], runs: number, target: boolean) {
  const edges = resources.reduce((sum, resource) => sum + resource.dependencies.length, 0);
  const vms = resources.filter((resource) => resource.type === VM_TYPE).length;
  const rules = resources.filter((resource) => resource.type === OPNSENSE("rule")).length;
  process.stdout.write(
    `\n== ${name}: ${resources.length} resources (${vms} VMs, ${rules} filter rules), ${edges} dependencies\n`,
  );
  const whole = await timed(POLICIES, resources, runs);
  const line = (label: string, value: string) => process.stdout.write(`  ${label.padEnd(40)} ${value}\n`);
  line("linking (toPolicyResources)", ms(timedLink(resources, runs)));
  process.stdout.write("  each policy alone (linking included):\n");
  for (const policy of POLICIES) {
    line(`  ${policy.name}`, ms((await timed([policy], resources, runs)).median));
  }
  line(
    `pack (${POLICIES.length} policies)`,
    `${ms(whole.median)}  median of ${runs}: ${whole.times.map((time) => time.toFixed(1)).join(", ")}`,
  );
  process.stdout.write(`  violations: ${whole.violations.length}\n`);
  for (const violation of whole.violations.slice(0, 5)) {
    process.stdout.write(`    [${violation.policy}] ${violation.message}\n`);
  }
  if (target) {
    const verdict = whole.median <= TARGET_MS ? "PASS" : "MISS";
    process.stdout.write(
      `  ${verdict}: ${ms(whole.median)} for ${resources.length} resources (target ≤ ${TARGET_MS} ms)\n`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: String(TARGET_SIZE) },
      runs: { type: "string", default: "5" },
    },
  });
  const size = Number(values.size);
  const runs = Number(values.runs);
  const start = performance.now();
  const outcome = await plan({ configFile: join(__dirname, "..", "Pulumi.home.yaml"), outDir: null });
  if (!outcome.plan) {
    process.stderr.write(`cannot capture the home plan (exit ${outcome.exitCode}):\n${outcome.text}`);
    process.exitCode = 1;
    return;
  }
  const home = outcome.plan.resources;
  process.stdout.write(`Captured the home plan in ${ms(performance.now() - start)}\n`);
  await report("home", home, runs, false);
  await report(`synthetic ×${SCALE}`, syntheticPlan(home, size), runs, true);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
