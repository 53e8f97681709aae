import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../stacks/plan/capture";
import { type NetworkArgs, Network } from "./network";
import { type ProxmoxConnectionArgs, proxmoxProvider } from "../proxmox/provider";
import type { ZoneEntry, ZoneNetwork } from "./types";
import { compileProxmoxFirewall, compileZones } from "./zoneRules";
import { toFields } from "../opnsense/toFields";
import { captureUnderMocks } from "../../test/support/mockRuntime";
import {
  TEST_API_TOKEN,
  TEST_SSH_KEY,
  testHostKey,
  zoneNetwork,
  assertProxmoxProviderSecret,
} from "../../test/support/fixtures";

const DYNAMIC = "pulumi-nodejs:dynamic/fortress:opnsense:";

const net = zoneNetwork;

const NETWORKS: readonly ZoneNetwork[] = [
  net("mgmt", 10, "management", "opt1"),
  net("servers", 20, "servers", "opt2"),
  net("users", 40, "users", "opt4"),
  net("quarantine", 99, "quarantine", "opt7"),
];

const ZONES: readonly ZoneEntry[] = [
  { from: "mgmt", to: "firewall", services: "all" },
  { from: "mgmt", to: "any", services: "all" },
  { from: "servers", to: "firewall", services: ["dns", "ntp"] },
  { from: "servers", to: "mgmt", services: ["node-exporter"] },
  { from: "users", to: "servers", services: ["https"] },
  { from: "users", to: "internet", services: ["http", "https"] },
];

/** The same matrix with one entry more, ahead of every other rule of `users`: it renumbers them. */
const ZONES_RENUMBERED: readonly ZoneEntry[] = [
  ...ZONES,
  { from: "users", to: "firewall", services: ["dns", "ntp"] },
];

/** The manager a contained host still reports to, on servers. */
const QUARANTINE_REPORTS = { host: "wazuh-manager-1", address: "10.10.20.64", network: "servers" };

/** The manager, calling the firewall's API for containment (stacks/hostFlows.ts firewallApiClients). */
const API_CLIENT = { from: "servers", host: "wazuh-manager-1", address: "10.10.20.64", why: "containment" };
const API_URL = "https://10.10.10.1:8443";

/** The Proxmox connection the test's providers are made from (the shared provider's, in a stack). */
const PROXMOX: ProxmoxConnectionArgs = {
  endpoint: "https://pve-a:8006/",
  apiToken: pulumi.secret(TEST_API_TOKEN),
  insecure: false,
  sshUser: "root",
  sshPrivateKey: pulumi.secret(TEST_SSH_KEY),
  nodes: [
    { name: "pve-a", address: "10.10.10.11", sshHostKey: testHostKey("pve-a") },
    { name: "pve-b", address: "10.10.10.12", sshHostKey: testHostKey("pve-b") },
  ],
};

const args: Omit<NetworkArgs, "proxmox"> = {
  firewall: { url: "https://fw.lab.example", insecure: false },
  trunk: "igb1",
  networks: NETWORKS,
  zones: ZONES,
  preflight: { minimumVersion: "25.7", plugins: ["os-chrony"], probes: ["firewall/alias/get"] },
};

type Inputs = Record<string, any>;

let resources: CapturedResource[] = [];
let component: Network;

const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
/** The children of the component named `owner` whose type ends with `type`. */
const ofType = (type: string, owner = "net") =>
  resources.filter((resource) => resource.type.endsWith(type) && resource.parent === named(owner).urn);
const fieldsOf = (resource: CapturedResource) => (resource.inputs as Inputs).fields as Record<string, string>;
const bySequence = (a: Record<string, string>, b: Record<string, string>) =>
  Number(a.sequence) - Number(b.sequence);

/** The alias names each resource registers, by resource name (the capture does not record aliases). */
const aliasesByName = new Map<string, string[]>();

interface AliasRequest {
  getName(): string;
  getAliasesList(): { getSpec(): { getName(): string } | undefined; getUrn(): string }[];
}

function recordAliases(): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: AliasRequest, callback: unknown): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    aliasesByName.set(
      request.getName(),
      request.getAliasesList().map((alias) => alias.getSpec()?.getName() ?? alias.getUrn()),
    );
    return original(request, callback);
  };
}

describe("Network", () => {
  before(async () => {
    resources = await captureUnderMocks();
    recordAliases();
    component = new Network("net", {
      ...args,
      proxmox: { provider: proxmoxProvider("proxmox", PROXMOX) },
    });
    const renumbered = new Network("renum", {
      ...args,
      zones: ZONES_RENUMBERED,
      proxmox: { provider: proxmoxProvider("proxmox-renum", PROXMOX) },
    });
    const quarantined = new Network("quar", {
      ...args,
      quarantine: { reportsTo: QUARANTINE_REPORTS },
      proxmox: { provider: proxmoxProvider("proxmox-quar", PROXMOX) },
    });
    const apiClients = new Network("api", {
      ...args,
      firewall: { url: API_URL, insecure: false },
      quarantine: { reportsTo: QUARANTINE_REPORTS },
      firewallApiClients: [API_CLIENT],
      proxmox: { provider: proxmoxProvider("proxmox-api", PROXMOX) },
    });
    await new Promise<void>((resolve) =>
      pulumi.all([component.urn, renumbered.urn, quarantined.urn, apiClients.urn]).apply(() => resolve()),
    );
    await pulumi.runtime.disconnect();
  });

  it("registers as fortress:network:Network with every child parented to it", () => {
    const layer = named("net");
    assert.equal(layer.type, "fortress:network:Network");
    const children = resources.filter((resource) => resource.name.startsWith("net-"));
    assert.ok(children.length > 20);
    for (const child of children) {
      assert.equal(child.parent, layer.urn, `${child.name} is not a child of the layer`);
    }
  });

  it("records its networks and zones in plain, for the policy pack", () => {
    assert.deepEqual(named("net").inputs, { networks: NETWORKS, zones: ZONES, hostFlows: [], scanFlows: [] });
  });

  it("with the quarantine service: records the alias and the manager, creates fz_quarantine as an external alias and the compiled rules", () => {
    assert.deepEqual(named("quar").inputs, {
      networks: NETWORKS,
      zones: ZONES,
      hostFlows: [],
      scanFlows: [],
      quarantine: { alias: "fz_quarantine", reportsTo: QUARANTINE_REPORTS },
    });
    assert.deepEqual(fieldsOf(named("quar-alias-fz_quarantine")), {
      enabled: "1",
      name: "fz_quarantine",
      type: "external",
      content: "",
      description: fieldsOf(named("quar-alias-fz_quarantine")).description,
    });
    const expected = compileZones({ ...args, quarantine: { reportsTo: QUARANTINE_REPORTS } }).rules;
    const rules = ofType(`${DYNAMIC}rule`, "quar").map(fieldsOf).sort(bySequence);
    assert.deepEqual(rules, expected.map((rule) => toFields("rule", rule)).sort(bySequence));
    assert.ok(rules.some((rule) => rule.source_net === "fz_quarantine" && rule.action === "block"));
    assert.equal(
      ofType(`${DYNAMIC}alias`, "net").filter((alias) => fieldsOf(alias).name === "fz_quarantine").length,
      0,
    );
  });

  it("with a firewall API client: records it and the API's endpoint, and creates its pass to the URL's address and port", () => {
    assert.deepEqual(named("api").inputs, {
      networks: NETWORKS,
      zones: ZONES,
      hostFlows: [],
      scanFlows: [],
      quarantine: { alias: "fz_quarantine", reportsTo: QUARANTINE_REPORTS },
      firewallApiClients: [API_CLIENT],
      firewallApi: { address: "10.10.10.1", port: 8443 },
    });
    const rules = ofType(`${DYNAMIC}rule`, "api").map(fieldsOf);
    const expected = compileZones({
      ...args,
      quarantine: { reportsTo: QUARANTINE_REPORTS },
      firewallApiClients: [API_CLIENT],
      firewallApi: { address: "10.10.10.1", port: 8443 },
    }).rules;
    assert.deepEqual(rules.sort(bySequence), expected.map((rule) => toFields("rule", rule)).sort(bySequence));
    const passes = rules.filter((rule) => rule.source_net === API_CLIENT.address);
    assert.deepEqual(
      passes.map((rule) => [
        rule.interface,
        rule.protocol,
        rule.destination_net,
        rule.destination_port,
        rule.log,
      ]),
      [["opt2", "TCP", "10.10.10.1", "8443", "1"]],
    );
    assert.equal(
      ofType(`${DYNAMIC}rule`, "quar").filter((rule) => fieldsOf(rule).source_net === API_CLIENT.address)
        .length,
      0,
    );
  });

  it("refuses a firewall API client when fortress:opnsense.url names no IPv4 address", () => {
    assert.throws(
      () =>
        new Network("named-url", {
          ...args,
          firewallApiClients: [API_CLIENT],
          proxmox: { provider: proxmoxProvider("proxmox-named", PROXMOX) },
        }),
      /wazuh-manager-1 must reach the firewall's API, but https:\/\/fw\.lab\.example names no IPv4 address/,
    );
  });

  it("creates one VLAN device per network on the trunk, with the network's tag", () => {
    const devices = ofType(`${DYNAMIC}vlan`);
    assert.equal(devices.length, NETWORKS.length);
    for (const network of NETWORKS) {
      const device = named(`net-vlan-${network.name}`);
      assert.equal(device.type, `${DYNAMIC}vlan`);
      assert.deepEqual(fieldsOf(device), {
        if: "igb1",
        tag: String(network.vlan),
        pcp: "0",
        descr: `fortress ${network.name}`,
      });
      assert.deepEqual((device.inputs as Inputs).firewall, args.firewall);
      assert.ok(component.vlanDevices[network.name], `vlanDevices lacks ${network.name}`);
    }
  });

  it("runs the first preflight with the deployment's needs, the management networks and no interfaces, before any VLAN device or alias", () => {
    const preflight = named("net-preflight");
    assert.equal(preflight.type, `${DYNAMIC}preflight`);
    assert.deepEqual(preflight.dependencies, []);
    assert.deepEqual((preflight.inputs as Inputs).needs, {
      minimumVersion: "25.7",
      plugins: ["os-chrony"],
      probes: ["firewall/alias/get"],
      interfaces: [],
      managementCidrs: [NETWORKS[0]?.cidr],
    });
    const gated = [...ofType(`${DYNAMIC}vlan`), ...ofType(`${DYNAMIC}alias`)];
    assert.equal(gated.length, NETWORKS.length + compileZones(args).aliases.length);
    for (const resource of gated) {
      assert.ok(
        resource.dependencies.includes(preflight.urn),
        `${resource.name} does not wait for the preflight`,
      );
    }
  });

  it("checks the interface assignments after every VLAN device exists", () => {
    const assignments = named("net-assignments");
    assert.equal(assignments.type, `${DYNAMIC}preflight`);
    assert.deepEqual((assignments.inputs as Inputs).needs, {
      minimumVersion: "25.7",
      plugins: [],
      probes: [],
      interfaces: [
        { identifier: "opt1", vlan: 10 },
        { identifier: "opt2", vlan: 20 },
        { identifier: "opt4", vlan: 40 },
        { identifier: "opt7", vlan: 99 },
      ],
    });
    for (const device of ofType(`${DYNAMIC}vlan`)) {
      assert.ok(assignments.dependencies.includes(device.urn), `assignments do not wait for ${device.name}`);
    }
  });

  it("makes every filter rule wait for the assignments, which wait for every alias and VLAN device", () => {
    const assignments = named("net-assignments");
    for (const alias of ofType(`${DYNAMIC}alias`)) {
      assert.ok(
        assignments.dependencies.includes(alias.urn),
        `the assignments do not wait for ${alias.name}`,
      );
    }
    for (const vlan of ofType(`${DYNAMIC}vlan`)) {
      assert.ok(assignments.dependencies.includes(vlan.urn), `the assignments do not wait for ${vlan.name}`);
    }
    const rules = ofType(`${DYNAMIC}rule`);
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      assert.ok(
        rule.dependencies.includes(assignments.urn),
        `${rule.name} does not wait for the assignments`,
      );
      assert.ok(rule.dependencies.length <= 2, `${rule.name} waits for more than the barrier and one rule`);
    }
  });

  it("creates each interface's rules one after another in sequence order: anti-lockout first, default deny last", () => {
    const rules = ofType(`${DYNAMIC}rule`);
    const fieldsOfRule = (rule: (typeof rules)[number]) =>
      (rule.inputs as Inputs).fields as Record<string, string>;
    const byInterface = new Map<string, typeof rules>();
    for (const rule of rules) {
      const iface = fieldsOfRule(rule).interface ?? "";
      byInterface.set(iface, [...(byInterface.get(iface) ?? []), rule]);
    }
    assert.ok(byInterface.size > 1);
    for (const [iface, members] of byInterface) {
      const ordered = [...members].sort(
        (a, b) => Number(fieldsOfRule(a).sequence) - Number(fieldsOfRule(b).sequence),
      );
      ordered.forEach((rule, index) => {
        const previous = ordered[index - 1];
        if (previous) {
          assert.ok(
            rule.dependencies.includes(previous.urn),
            `${iface}: ${rule.name} does not follow ${previous.name}`,
          );
        }
      });
    }
  });

  it("applies interface by interface, the management network's first, each interface after the previous one", () => {
    const rules = ofType(`${DYNAMIC}rule`);
    const fieldsOfRule = (rule: (typeof rules)[number]) =>
      (rule.inputs as Inputs).fields as Record<string, string>;
    const byUrn = new Map(rules.map((rule) => [rule.urn, rule]));
    // Follow the chain from the one rule that waits for no other rule.
    const first = rules.filter((rule) => !rule.dependencies.some((urn) => byUrn.has(urn)));
    assert.equal(first.length, 1, "the rules are not one chain");
    const order: string[] = [];
    let current: (typeof rules)[number] | undefined = first[0];
    while (current) {
      order.push(fieldsOfRule(current).interface ?? "");
      const urn: string = current.urn;
      current = rules.find((rule) => rule.dependencies.includes(urn));
    }
    assert.equal(order.length, rules.length);
    const interfaces = order.filter((iface, index) => order[index - 1] !== iface);
    assert.equal(
      new Set(interfaces).size,
      interfaces.length,
      "an interface's rules are interleaved with another's",
    );
    const managementInterface = NETWORKS.find((network) => network.purpose === "management")?.interface;
    assert.equal(interfaces[0], managementInterface);
  });

  it("puts every OPNsense change behind the first preflight", () => {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const preflight = named("net-preflight");
    const reaches = (resource: CapturedResource, seen = new Set<string>()): boolean =>
      resource.dependencies.some((urn) => {
        if (urn === preflight.urn) return true;
        if (seen.has(urn)) return false;
        seen.add(urn);
        const dependency = byUrn.get(urn);
        return dependency !== undefined && reaches(dependency, seen);
      });
    const opnsense = ofType("").filter(
      (resource) => resource.type.startsWith(DYNAMIC) && resource !== preflight,
    );
    assert.ok(opnsense.length > NETWORKS.length);
    for (const resource of opnsense) assert.ok(reaches(resource), `${resource.name} skips the preflight`);
  });

  it("creates the aliases of the compiled policy", () => {
    const expected = compileZones(args).aliases;
    assert.deepEqual(
      component.aliasNames,
      expected.map((alias) => alias.name),
    );
    for (const alias of expected) {
      assert.deepEqual(fieldsOf(named(`net-alias-${alias.name}`)), toFields("alias", alias));
    }
    assert.equal(ofType(`${DYNAMIC}alias`).length, expected.length);
  });

  it("creates exactly the compiled rules, with their sequence numbers", () => {
    const expected = compileZones(args)
      .rules.map((rule) => toFields("rule", rule))
      .sort(bySequence);
    const actual = ofType(`${DYNAMIC}rule`).map(fieldsOf).sort(bySequence);
    assert.deepEqual(actual, expected);
    assert.equal(component.ruleCount, expected.length);
    // Anti-lockout first, default deny of each VLAN last.
    assert.equal(actual[0]?.destination_net, "(self)");
    assert.equal(actual.at(-1)?.description, "fortress: quarantine default deny");
  });

  it("never passes any → any", () => {
    for (const fields of ofType(`${DYNAMIC}rule`).map(fieldsOf)) {
      assert.ok(
        !(fields.action === "pass" && fields.source_net === "any" && fields.destination_net === "any"),
        `pass any → any: ${fields.description}`,
      );
    }
  });

  it("names each rule resource by its interface and description, not its sequence", () => {
    const rules = ofType(`${DYNAMIC}rule`);
    assert.equal(new Set(rules.map((rule) => rule.name)).size, rules.length);
    for (const rule of rules) {
      assert.ok(rule.name.startsWith(`net-rule-${fieldsOf(rule).interface}-`), rule.name);
      assert.ok(!rule.name.endsWith(`-${fieldsOf(rule).sequence}`), rule.name);
    }
    // The renumbered matrix moves the users rules; each keeps its resource name, so it updates in place.
    const suffix = (rule: CapturedResource, owner: string) => rule.name.slice(`${owner}-`.length);
    const original = new Map(rules.map((rule) => [fieldsOf(rule).description, rule]));
    let moved = 0;
    for (const rule of ofType(`${DYNAMIC}rule`, "renum")) {
      const previous = original.get(fieldsOf(rule).description ?? "");
      if (!previous) continue;
      assert.equal(suffix(rule, "renum"), suffix(previous, "net"), fieldsOf(rule).description);
      if (fieldsOf(rule).sequence !== fieldsOf(previous).sequence) moved++;
    }
    assert.ok(moved > 0, "the renumbered matrix moved no rule: the test proves nothing");
  });

  it("names each rule after its zone entry, and keeps the hash-only name it had as an alias", () => {
    const rules = ofType(`${DYNAMIC}rule`).filter((rule) => rule.name.startsWith("net-"));
    const byDescription = new Map(rules.map((rule) => [fieldsOf(rule).description, rule.name]));
    assert.match(
      byDescription.get("fortress zones: users → servers (https)") ?? "",
      /^net-rule-opt4-users-servers-https-[0-9a-f]{8}$/,
    );
    assert.match(
      byDescription.get("fortress: mgmt anti-lockout (https)") ?? "",
      /^net-rule-opt1-mgmt-anti-lockout-https-[0-9a-f]{8}$/,
    );
    for (const rule of rules) {
      const { interface: iface, description } = fieldsOf(rule);
      const hash = createHash("sha256").update(String(description)).digest("hex").slice(0, 12);
      assert.deepEqual(aliasesByName.get(rule.name), [`net-rule-${iface}-${hash}`], rule.name);
    }
  });

  it("builds no SDN zone, vnet or applier: VMs reach their VLAN by a tag on the VLAN-aware bridge", () => {
    // An applier re-applies every pending SDN edit in the cluster, and it runs only on create.
    const sdn = resources.filter((resource) => resource.type.startsWith("proxmoxve:sdn/"));
    assert.deepEqual(
      sdn.map((resource) => resource.name),
      [],
    );
  });

  it("creates the compiled Proxmox IP sets, and each security group after the IP sets it names", () => {
    const provider = named("proxmox");
    const expected = compileProxmoxFirewall(args);
    const ipSets = ofType("firewall/ipsetLegacy:IpsetLegacy");
    assert.deepEqual(
      ipSets.map((ipSet) => ipSet.inputs).sort((a, b) => String(a.name).localeCompare(String(b.name))),
      expected.ipSets.map((ipSet) => ({ ...ipSet })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    const groups = ofType("cluster/firewall/security/groupLegacy:GroupLegacy");
    assert.equal(groups.length, expected.securityGroups.length);
    for (const group of expected.securityGroups) {
      const resource = named(`net-group-${group.name}`);
      assert.deepEqual(resource.inputs, { ...group });
      const referenced = new Set(
        group.rules.flatMap((rule) => [rule.source, rule.dest]).map((ref) => ref.replace(/^\+/, "")),
      );
      assert.ok(referenced.size > 0);
      for (const ipSet of ipSets) {
        const waits = resource.dependencies.includes(ipSet.urn);
        assert.equal(waits, referenced.has(String(ipSet.inputs.name)), `${resource.name} and ${ipSet.name}`);
      }
    }
    for (const resource of [...ipSets, ...groups]) assert.equal(resource.provider, provider.urn);
  });

  it("reports the security group of each network that has one (quarantine has none)", () => {
    assert.deepEqual(component.securityGroups, { mgmt: "fz-mgmt", servers: "fz-servers", users: "fz-users" });
  });

  it("configures the Proxmox provider with its credentials secret", () => {
    const provider = named("proxmox");
    assertProxmoxProviderSecret(provider, resources);
  });
});
