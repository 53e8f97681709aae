import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EXIT, plan } from "./cli";
import {
  ALIAS_TYPE,
  categoryOf,
  NETWORK_COMPONENT_TYPE,
  parsePlanDocument,
  PlanFileError,
  PREFLIGHT_TYPE,
  RULE_TYPE,
} from "./diff";
import { diffPlans } from "./diffCompute";
import { renderDiffMarkdown } from "./diffMarkdown";
import { type NodePlacement, type PlanDocument, type PlanResource, VM_TYPE } from "./document";

const GROUP_TYPE = "proxmoxve:cluster/firewall/security/groupLegacy:GroupLegacy";
const OPTIONS_TYPE = "proxmoxve:firewall/optionsLegacy:OptionsLegacy";
const ACL_TYPE = "proxmoxve:index/acl:Acl";
const VLAN_TYPE = "pulumi-nodejs:dynamic/fortress:opnsense:vlan";

function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  options: { stack?: string; layer?: PlanResource["layer"]; provider?: string; protect?: boolean } = {},
): PlanResource {
  return {
    urn: `urn:pulumi:${options.stack ?? "home"}::fortress::fortress:network:Network$${type}::${name}`,
    type,
    name,
    custom: !type.startsWith("fortress:"),
    parent: null,
    dependencies: [],
    protect: options.protect ?? false,
    provider: null,
    layer: options.layer ?? "network",
    inputs: options.provider ? { __provider: options.provider, ...inputs } : inputs,
  };
}

function ruleFields(overrides: Record<string, string>): Record<string, string> {
  return {
    action: "pass",
    description: "fortress zones: users → servers (https)",
    destination_net: "fz_net_servers",
    destination_not: "0",
    destination_port: "fz_svc_https",
    direction: "in",
    enabled: "1",
    interface: "opt3",
    ipprotocol: "inet",
    log: "0",
    protocol: "TCP",
    quick: "1",
    sequence: "8004",
    source_net: "fz_net_users",
    source_not: "0",
    ...overrides,
  };
}

const rule = (name: string, overrides: Record<string, string> = {}, provider = "[dynamic provider aaaa, 1 bytes]") =>
  resource(RULE_TYPE, name, { fields: ruleFields(overrides), firewall: { url: "https://fw" } }, { provider });

const alias = (name: string, content: string) =>
  resource(ALIAS_TYPE, `network-alias-${name}`, { fields: { name, content, type: "port", enabled: "1" } });

const group = (name: string, rules: Record<string, unknown>[]) =>
  resource(GROUP_TYPE, `network-group-${name}`, { name, rules });

const vm = (name: string, node: string, options: { firewall?: boolean; memory?: number } = {}) =>
  resource(
    VM_TYPE,
    name,
    {
      name,
      nodeName: node,
      memory: { dedicated: options.memory ?? 4096 },
      networkDevices: [{ bridge: "vmbr0", firewall: options.firewall ?? true, vlanId: 20 }],
    },
    { layer: "hypervisor" },
  );

const vmFirewall = (name: string, node: string, vmId: number, inputPolicy = "DROP") =>
  resource(OPTIONS_TYPE, `${name}-firewall`, { enabled: true, inputPolicy, outputPolicy: "ACCEPT", nodeName: node, vmId });

const preflight = (probes: string[], plugins: string[] = []) =>
  resource(PREFLIGHT_TYPE, "network-preflight", {
    needs: { interfaces: [], minimumVersion: "25.7", plugins, probes },
  });

function node(name: string, vms: { name: string; memoryGb: number }[]): NodePlacement {
  const memoryGb = vms.reduce((sum, entry) => sum + entry.memoryGb, 0);
  return {
    node: name,
    proxmoxNode: name,
    capacity: { cores: 8, memoryGb: 14, diskGb: 224 },
    used: { cores: 2 * vms.length, memoryGb, diskGb: 40 * vms.length },
    headroomPct: { cores: 0, memoryGb: 0, diskGb: 0 },
    vms: vms.map((entry) => ({ ...entry, cores: 2, diskGb: 40, address: null, vlan: 20 })),
  };
}

const NETWORKS = [
  {
    name: "users",
    vlan: 40,
    cidr: "10.10.40.0/24",
    gateway: "10.10.40.1",
    purpose: "users" as const,
    dhcp: { start: "10.10.40.100", end: "10.10.40.250" },
    interface: "opt3",
  },
  {
    name: "servers",
    vlan: 20,
    cidr: "10.10.20.0/24",
    gateway: "10.10.20.1",
    purpose: "servers" as const,
    dhcp: { start: "10.10.20.200", end: "10.10.20.250" },
    interface: "opt1",
  },
];

function document(overrides: Partial<PlanDocument> = {}): PlanDocument {
  return {
    version: 1,
    project: "fortress",
    stack: "home",
    resources: [],
    layers: [
      { name: "network", status: "built", dependsOn: [], resources: 0 },
      { name: "platform", status: "not built yet", dependsOn: ["hypervisor"], resources: 0 },
    ],
    edges: [],
    placement: [],
    networks: NETWORKS,
    zones: [{ from: "users", to: "servers", services: ["https"] }],
    violations: [],
    ...overrides,
  };
}

/** The lab before the change: one users → servers rule, its aliases, a group, a VM with its firewall. */
function baseDocument(): PlanDocument {
  return document({
    resources: [
      rule("network-rule-opt3-aaa"),
      rule("network-rule-opt3-bbb", { description: "fortress: users default deny", action: "block", sequence: "8099" }),
      alias("fz_svc_https", "443"),
      alias("fz_svc_ssh", "22"),
      group("fz-servers", [
        { action: "ACCEPT", type: "in", source: "+fz-servers", dest: "+fz-servers", comment: "intra" },
        { action: "ACCEPT", type: "in", source: "+fz-users", dest: "+fz-servers", proto: "tcp", dport: "443" },
      ]),
      vm("k3s-agent-1", "pve1"),
      vmFirewall("k3s-agent-1", "pve1", 105),
      preflight(["firewall/filter/search_rule"]),
      resource(NETWORK_COMPONENT_TYPE, "network", { networks: NETWORKS, zones: [] }),
    ],
    placement: [node("pve1", [{ name: "k3s-agent-1", memoryGb: 4 }]), node("pve2", [])],
  });
}

describe("diffPlans", () => {
  it("finds nothing between a plan and itself, and says so", () => {
    const diff = diffPlans(baseDocument(), baseDocument());
    assert.deepEqual(diff.counts, {
      security: 0,
      sections: { filterRules: 0, exposure: 0, vlans: 0, privileges: 0, violations: 0 },
      added: 0,
      removed: 0,
      changed: 0,
    });
    assert.match(renderDiffMarkdown(diff), /No changes: the new plan builds exactly what the base plan builds/);
  });

  it("sorts resources into the security sections by type", () => {
    assert.equal(categoryOf(RULE_TYPE), "filter-rule");
    assert.equal(categoryOf(ALIAS_TYPE), "alias");
    assert.equal(categoryOf(GROUP_TYPE), "exposure");
    assert.equal(categoryOf("proxmoxve:firewall/ipsetLegacy:IpsetLegacy"), "exposure");
    assert.equal(categoryOf(VLAN_TYPE), "vlan");
    assert.equal(categoryOf("proxmoxve:sdn/vnet:Vnet"), "vlan");
    assert.equal(categoryOf(ACL_TYPE), "privilege");
    assert.equal(categoryOf("proxmoxve:index/roleLegacy:RoleLegacy"), "privilege");
    assert.equal(categoryOf("proxmoxve:user/token:Token"), "privilege");
    assert.equal(categoryOf("proxmoxve:index/groupLegacy:GroupLegacy"), "privilege", "a user group");
    assert.equal(categoryOf(VM_TYPE), "other");
    assert.equal(categoryOf("proxmoxve:backup/job:Job"), "other");
  });

  it("reports filter rules added, removed and changed, resolves port aliases, and folds renumbering", () => {
    const base = baseDocument();
    const head = document({
      ...base,
      resources: [
        ...base.resources.filter((r) => !r.name.startsWith("network-rule")),
        // aaa changes action; bbb only moves; ccc is new (ssh); ddd (in the base only) is gone
        rule("network-rule-opt3-aaa", { action: "block" }),
        rule("network-rule-opt3-bbb", { description: "fortress: users default deny", action: "block", sequence: "8100" }),
        rule("network-rule-opt3-ccc", {
          description: "fortress zones: users → servers (ssh)",
          destination_port: "fz_svc_ssh",
          sequence: "8005",
        }),
      ],
    });
    const withGone = { ...base, resources: [...base.resources, rule("network-rule-opt1-ddd", { interface: "opt1" })] };
    const diff = diffPlans(withGone, head);
    const rules = diff.security.filterRules;
    assert.deepEqual(
      rules.map((r) => [r.kind, r.name, r.sequenceOnly]),
      [
        ["removed", "network-rule-opt1-ddd", false],
        ["changed", "network-rule-opt3-aaa", false],
        ["added", "network-rule-opt3-ccc", false],
        ["changed", "network-rule-opt3-bbb", true],
      ],
    );
    const added = rules.find((r) => r.kind === "added");
    assert.equal(added?.rule.port, "fz_svc_ssh (22)");
    assert.equal(added?.rule.source, "fz_net_users");
    const changed = rules.find((r) => r.name === "network-rule-opt3-aaa");
    assert.deepEqual(changed?.fields, [{ path: "fields.action", before: "pass", after: "block" }]);
    assert.equal(diff.counts.sections.filterRules, 3, "renumbering alone is not counted");
    const markdown = renderDiffMarkdown(diff);
    assert.match(markdown, /\| added \| `opt3` \| 8005 \| \*\*pass\*\* in `fz_net_users` → `fz_net_servers` port `fz_svc_ssh \(22\)` TCP/);
    assert.match(markdown, /action: `pass` → `block`/);
    assert.match(markdown, /1 rule only renumbered \(same rule, new position\): `opt3` ×1/);
  });

  it("counts a changed port alias as a filter change: it changes what the rules open", () => {
    const base = baseDocument();
    const head = document({
      ...base,
      resources: base.resources.map((r) => (r.name === "network-alias-fz_svc_https" ? alias("fz_svc_https", "443\n8443") : r)),
    });
    const diff = diffPlans(base, head);
    assert.equal(diff.security.aliases.length, 1);
    assert.deepEqual(diff.security.aliases[0]?.fields, [{ path: "fields.content", before: "443", after: "443\n8443" }]);
    assert.equal(diff.counts.security, 1);
    assert.match(renderDiffMarkdown(diff), /Aliases the rules use:[\s\S]*`fields.content` `443` → `443⏎8443`/);
  });

  it("compares security group rules as a set: a new open port shows, a reordering does not", () => {
    const base = baseDocument();
    const groupOf = (plan: PlanDocument) => plan.resources.find((r) => r.type === GROUP_TYPE);
    const rules = (groupOf(base)?.inputs.rules as Record<string, unknown>[]) ?? [];
    const reordered = document({
      ...base,
      resources: base.resources.map((r) => (r.type === GROUP_TYPE ? group("fz-servers", [...rules].reverse()) : r)),
    });
    assert.equal(diffPlans(base, reordered).counts.security, 0);
    const ssh = { action: "ACCEPT", type: "in", source: "+fz-users", dest: "+fz-servers", proto: "tcp", dport: "22", comment: "users → servers (ssh)" };
    const opened = document({
      ...base,
      resources: base.resources.map((r) => (r.type === GROUP_TYPE ? group("fz-servers", [...rules, ssh]) : r)),
    });
    const diff = diffPlans(base, opened);
    assert.equal(diff.security.exposure.length, 1);
    assert.deepEqual(diff.security.exposure[0]?.lists, [{ list: "rules", added: [ssh], removed: [] }]);
    assert.match(renderDiffMarkdown(diff), /➕ ACCEPT in `\+fz-users` → `\+fz-servers` tcp\/22 — users → servers \(ssh\)/);
  });

  it("reports a VM's NIC firewall and a VM firewall policy as exposure, but not a VM's move or resize", () => {
    const base = baseDocument();
    const change = (map: (r: PlanResource) => PlanResource) => diffPlans(base, document({ ...base, resources: base.resources.map(map) }));
    const nicOff = change((r) => (r.type === VM_TYPE ? vm("k3s-agent-1", "pve1", { firewall: false }) : r));
    assert.deepEqual(
      nicOff.security.exposure.map((c) => [c.name, c.fields.map((f) => f.path)]),
      [["k3s-agent-1", ["networkDevices[0].firewall"]]],
    );
    const accept = change((r) => (r.type === OPTIONS_TYPE ? vmFirewall("k3s-agent-1", "pve1", 105, "ACCEPT") : r));
    assert.deepEqual(accept.security.exposure[0]?.fields, [{ path: "inputPolicy", before: "DROP", after: "ACCEPT" }]);
    const moved = change((r) =>
      r.type === VM_TYPE
        ? vm("k3s-agent-1", "pve2", { memory: 6144 })
        : r.type === OPTIONS_TYPE
          ? vmFirewall("k3s-agent-1", "pve2", 106)
          : r,
    );
    assert.equal(moved.counts.security, 0);
    assert.equal(moved.counts.changed, 2);
    const markdown = renderDiffMarkdown(moved);
    assert.match(markdown, /`memory.dedicated` `4096` → `6144`/);
    assert.match(markdown, /`nodeName` `pve1` → `pve2`/);
  });

  it("reports the zone matrix and the networks by name and pair, whatever their order", () => {
    const base = baseDocument();
    const head = document({
      ...base,
      networks: [{ ...NETWORKS[1]!, vlan: 21 }, NETWORKS[0]!],
      zones: [
        { from: "users", to: "iot", services: ["https"] },
        { from: "users", to: "servers", services: ["https", "ssh"] },
      ],
    });
    const diff = diffPlans(base, head);
    assert.deepEqual(diff.security.zones, [
      { kind: "added", from: "users", to: "iot", before: [], after: ["https"] },
      { kind: "changed", from: "users", to: "servers", before: ["https"], after: ["https", "ssh"] },
    ]);
    assert.deepEqual(
      diff.security.networks.map((n) => [n.kind, n.name, n.fields]),
      [["changed", "servers", [{ path: "vlan", before: 20, after: 21 }]]],
    );
    const markdown = renderDiffMarkdown(diff);
    assert.match(markdown, /\| changed \| `users` \| `servers` \| https \| https, ssh \|/);
    assert.match(markdown, /\| added \| `users` \| `iot` \| — \| https \|/);
    assert.match(markdown, /network `servers`:\n {2}- `vlan` `20` → `21`/);
    const reordered = document({ ...base, networks: [...NETWORKS].reverse() });
    assert.equal(diffPlans(base, reordered).counts.security, 0);
  });

  it("reports new privileges: Proxmox ACLs and what the OPNsense API key will need", () => {
    const base = baseDocument();
    const head = document({
      ...base,
      resources: [
        ...base.resources.filter((r) => r.type !== PREFLIGHT_TYPE),
        preflight(["firewall/filter/search_rule", "chrony/general/get"], ["os-chrony"]),
        resource(ACL_TYPE, "hypervisor-acl-exporter", {
          path: "/",
          roleId: "PVEAuditor",
          tokenId: "exporter@pve!metrics",
          propagate: true,
        }),
      ],
    });
    const diff = diffPlans(base, head);
    assert.deepEqual(diff.security.opnsense.privileges, { added: ["Services: Chrony"], removed: [] });
    assert.deepEqual(diff.security.opnsense.plugins, { added: ["os-chrony"], removed: [] });
    assert.deepEqual(
      diff.security.privileges.map((c) => [c.kind, c.name]),
      [
        ["changed", "network-preflight"],
        ["added", "hypervisor-acl-exporter"],
      ],
    );
    assert.equal(diff.counts.sections.privileges, 4);
    const markdown = renderDiffMarkdown(diff);
    assert.match(markdown, /- \*\*new\*\* OPNsense privilege for the API key: `Services: Chrony`/);
    assert.match(markdown, /- \*\*new\*\* OPNsense plugin: `os-chrony`/);
    assert.match(markdown, /- \*\*added\*\* `hypervisor-acl-exporter` \(Acl\): role `PVEAuditor` on `\/` for `exporter@pve!metrics`/);
    assert.doesNotMatch(markdown, /needs\.probes/, "the probes are summed up as privileges");
  });

  it("reports policy violations added and fixed", () => {
    const old = { policy: "opnsense-no-any-to-any", level: "mandatory" as const, message: "old problem" };
    const fresh = { policy: "node-capacity", level: "mandatory" as const, message: "pve1: VMs use 16 memoryGb" };
    const diff = diffPlans(document({ violations: [old] }), document({ violations: [fresh] }));
    assert.deepEqual(diff.security.violations, { added: [fresh], removed: [old] });
    const markdown = renderDiffMarkdown(diff);
    assert.match(markdown, /- \*\*new\*\* `node-capacity` \(mandatory\): pve1: VMs use 16 memoryGb/);
    assert.match(markdown, /- \*\*fixed\*\* `opnsense-no-any-to-any` \(mandatory\): old problem/);
  });

  it("reports placement per node, VM moves and layer status", () => {
    const base = document({
      placement: [node("pve1", [{ name: "k3s-agent-1", memoryGb: 4 }]), node("pve2", [])],
    });
    const head = document({
      layers: [
        { name: "network", status: "built", dependsOn: [], resources: 0 },
        { name: "platform", status: "built", dependsOn: ["hypervisor"], resources: 0 },
      ],
      placement: [
        node("pve1", []),
        node("pve2", [
          { name: "k3s-agent-1", memoryGb: 4 },
          { name: "k3s-agent-2", memoryGb: 5 },
        ]),
      ],
    });
    const diff = diffPlans(base, head);
    assert.deepEqual(diff.other.moves, [{ vm: "k3s-agent-1", from: "pve1", to: "pve2" }]);
    assert.deepEqual(
      diff.other.placement.map((n) => [n.node, n.vmsAdded, n.vmsRemoved]),
      [
        ["pve1", [], ["k3s-agent-1"]],
        ["pve2", ["k3s-agent-1", "k3s-agent-2"], []],
      ],
    );
    assert.deepEqual(diff.other.layers, [{ layer: "platform", before: "not built yet", after: "built" }]);
    const markdown = renderDiffMarkdown(diff);
    assert.match(markdown, /\| `pve2` \| \+k3s-agent-1, \+k3s-agent-2 \| 0 → \*\*4\*\*\/8 \| 0 → \*\*9\*\*\/14 \|/);
    assert.match(markdown, /- `k3s-agent-1` moves from `pve1` to `pve2`/);
    assert.match(markdown, /- `platform`: not built yet → \*\*built\*\*/);
  });

  it("lists a change of the dynamic provider's code alone apart, not as a security change", () => {
    const base = document({ resources: [rule("network-rule-opt3-aaa")] });
    const head = document({ resources: [rule("network-rule-opt3-aaa", {}, "[dynamic provider bbbb, 2 bytes]")] });
    const diff = diffPlans(base, head);
    assert.equal(diff.counts.security, 0);
    assert.equal(diff.other.providerOnly.length, 1);
    assert.match(renderDiffMarkdown(diff), /The OPNsense provider's code changed: 1 resource with no other change/);
  });

  it("matches resources across stacks by URN without the stack", () => {
    const base = document({ resources: [rule("network-rule-opt3-aaa")] });
    const other = resource(RULE_TYPE, "network-rule-opt3-aaa", { fields: ruleFields({}), firewall: { url: "https://fw" } }, {
      stack: "staging",
      provider: "[dynamic provider aaaa, 1 bytes]",
    });
    const diff = diffPlans(base, document({ stack: "staging", resources: [other] }));
    assert.deepEqual([diff.counts.added, diff.counts.removed, diff.counts.changed], [0, 0, 0]);
    assert.match(renderDiffMarkdown(diff), /\(`home` → `staging`\)/);
  });

  it("matches a resource renamed with an alias to its old URN: listed as renamed, not added and removed", () => {
    const old = rule("network-rule-opt3-aaa");
    const renamed = (overrides: Record<string, string> = {}) => ({
      ...rule("network-rule-opt3-users-servers-https-0123abcd", overrides),
      aliases: [old.urn.replace("urn:pulumi:home::", "urn:pulumi:staging::")],
    });
    const base = document({ resources: [old] });
    const diff = diffPlans(base, document({ resources: [renamed()] }));
    assert.deepEqual([diff.counts.security, diff.counts.added, diff.counts.removed, diff.counts.changed], [0, 0, 0, 0]);
    assert.deepEqual(diff.other.renamed, [{ from: old.urn, to: renamed().urn }]);
    const markdown = renderDiffMarkdown(diff);
    assert.doesNotMatch(markdown, /No changes/);
    assert.match(markdown, /1 renamed with an alias[^\n]*\n\n- `[^`]*::network-rule-opt3-aaa` → `[^`]*::network-rule-opt3-users-servers-https-0123abcd`/);
    // A renamed resource whose inputs changed is reported as changed, under its new URN.
    const changed = diffPlans(base, document({ resources: [renamed({ action: "block" })] }));
    assert.deepEqual([changed.counts.added, changed.counts.removed, changed.counts.changed], [0, 0, 1]);
    assert.equal(changed.security.filterRules[0]?.urn, renamed().urn);
    // Without the alias, the same rename is a removal and an addition.
    const unaliased = diffPlans(base, document({ resources: [{ ...renamed(), aliases: [] }] }));
    assert.deepEqual([unaliased.counts.added, unaliased.counts.removed, unaliased.other.renamed.length], [1, 1, 0]);
  });

  it("lists resources added, removed and changed by URN, with field changes for the others", () => {
    const base = baseDocument();
    const job = resource("proxmoxve:backup/job:Job", "hypervisor-state-backup", { schedule: "02:30" }, { layer: "hypervisor" });
    const head = document({
      ...base,
      resources: [
        ...base.resources.filter((r) => r.type !== VM_TYPE),
        vm("k3s-agent-1", "pve1", { memory: 8192 }),
        vm("k3s-agent-2", "pve2"),
        job,
      ],
    });
    const withJob = document({ ...base, resources: [...base.resources, { ...job, inputs: { schedule: "03:00" } }] });
    const diff = diffPlans(withJob, head);
    assert.deepEqual([diff.counts.added, diff.counts.removed, diff.counts.changed], [1, 0, 2]);
    const markdown = renderDiffMarkdown(diff);
    assert.match(markdown, /<details><summary>1 added \(by URN\)<\/summary>\n\n- `urn:pulumi:home::fortress::[^`]*::k3s-agent-2`/);
    assert.match(markdown, /`schedule` `03:00` → `02:30`/);
    assert.match(markdown, /\| hypervisor \| `proxmoxve:index\/vmLegacy:VmLegacy` \| \+1 \| {2}\| ~1 \|/);
  });
});

describe("renderDiffMarkdown", () => {
  function busy(): ReturnType<typeof diffPlans> {
    const base = baseDocument();
    const rules = Array.from({ length: 30 }, (_, index) =>
      rule(`network-rule-opt3-n${index}`, {
        description: `fortress zones: users → servers (rule ${index} | piped)`,
        sequence: String(9000 + index),
      }),
    );
    const head = document({
      ...base,
      resources: [...base.resources, ...rules],
      placement: [node("pve1", []), node("pve2", [{ name: "k3s-agent-1", memoryGb: 4 }])],
      violations: [{ policy: "node-capacity", level: "mandatory", message: "too full" }],
    });
    return diffPlans(base, head);
  }

  it("starts with a summary line of counts, puts the security sections first, then everything else", () => {
    const markdown = renderDiffMarkdown(busy());
    const lines = markdown.split("\n");
    assert.equal(lines[0], "## Fortress plan diff (stack `home`)");
    assert.equal(
      lines[2],
      "**31 security-relevant changes** (filter rules 30, policy violations 1) · resources **+30 −0 ~0** (9 → 39) · violations +1 −0 · placement: 2 nodes changed",
    );
    const order = [
      "### Security-relevant changes",
      "#### Filter rules (OPNsense)",
      "#### Policy violations",
      "_No change to exposed ports, VLANs and zones, privileges._",
      "### Everything else",
      "#### Resources",
      "#### Placement",
    ].map((heading) => markdown.indexOf(heading));
    assert.ok(order.every((position) => position >= 0), `${order}`);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });

  it("escapes pipes in table cells and keeps long lists and the whole text within bounds", () => {
    const diff = busy();
    const markdown = renderDiffMarkdown(diff, { maxRows: 10 });
    assert.match(markdown, /rule 0 \\\| piped/);
    assert.match(markdown, /… and 20 more rows \(plan\.json has them all\)/);
    const short = renderDiffMarkdown(diff, { maxChars: 2000 });
    assert.ok(short.length <= 2000, String(short.length));
    assert.match(short, /cut at 2000 characters: the full diff is in diff\.md/);
  });
});

describe("parsePlanDocument", () => {
  it("reads a plan.json, and a base that predates some lists as having them empty", () => {
    const full = parsePlanDocument(JSON.stringify(baseDocument()), "base/plan.json");
    assert.equal(full.resources.length, baseDocument().resources.length);
    const old = parsePlanDocument(JSON.stringify({ version: 1, project: "fortress", stack: "home", resources: [] }), "old.json");
    assert.deepEqual([old.zones, old.networks, old.placement, old.violations], [[], [], [], []]);
  });

  it("says what is wrong with a file that is not a version 1 plan.json", () => {
    const cases: [string, RegExp][] = [
      ["{not json", /^x\.json is not JSON \(.*\): pass the plan\.json that npm run plan wrote$/],
      ["[]", /^x\.json is not a Fortress plan\.json: it has no "version"$/],
      ['{"name": "fortress"}', /^x\.json is not a Fortress plan\.json: it has no "version"$/],
      ['{"version": 2, "resources": []}', /^x\.json is a plan\.json of version 2; this planner compares version 1 only$/],
      ['{"version": 1}', /"resources" is not a list/],
      ['{"version": 1, "resources": [], "zones": {}}', /"zones" is not a list/],
    ];
    for (const [text, message] of cases)
      assert.throws(() => parsePlanDocument(text, "x.json"), (error: unknown) => {
        assert.ok(error instanceof PlanFileError);
        assert.match(error.message, message);
        return true;
      });
  });
});

describe("npm run plan -- --diff", () => {
  const root = join(__dirname, "..", "..");
  const dir = mkdtempSync(join(tmpdir(), "fortress-diff-"));

  it("exits 3 with a clear message when the base is missing or not a version 1 plan.json", async () => {
    const configFile = join(root, "Pulumi.home.yaml");
    const missing = await plan({ configFile, outDir: null, diffBase: join(dir, "nope.json") });
    assert.equal(missing.exitCode, EXIT.usage);
    assert.match(missing.text, /^no such base plan: .*nope\.json \(pass --diff with a plan\.json that npm run plan wrote\)\n$/);
    const wrong = join(dir, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ version: 7, resources: [] }));
    const outcome = await plan({ configFile, outDir: null, diffBase: wrong });
    assert.equal(outcome.exitCode, EXIT.usage);
    assert.match(outcome.text, /wrong\.json is a plan\.json of version 7; this planner compares version 1 only/);
  });

  it("plans the home lab against its own base after a zone edit: the report ends with the diff, diff.md beside plan.json", async () => {
    const home = readFileSync(join(root, "Pulumi.home.yaml"), "utf8");
    const edited = home.replace(
      "    - { from: users, to: servers, services: [https] }\n",
      "    - { from: users, to: servers, services: [https, ssh] }\n    - { from: users, to: iot, services: [https] }\n",
    );
    assert.notEqual(edited, home, "the seed's users → servers entry moved: update this test");
    const [baseDir, headDir] = [join(dir, "base"), join(dir, "head")];
    const base = await plan({ configFile: join(root, "Pulumi.home.yaml"), outDir: baseDir });
    assert.equal(base.exitCode, EXIT.ok, base.text);
    assert.ok(!existsSync(join(baseDir, "diff.md")), "no diff.md without --diff");
    const configFile = join(dir, "Pulumi.home.yaml");
    writeFileSync(configFile, edited);
    const outcome = await plan({ configFile, outDir: headDir, diffBase: join(baseDir, "plan.json") });
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    const markdown = readFileSync(join(headDir, "diff.md"), "utf8");
    assert.ok(outcome.text.endsWith(markdown), "the report ends with the Markdown diff");
    assert.match(outcome.text, /== Diff against .*plan\.json\n\n## Fortress plan diff \(stack `home`\)/);
    const diff = outcome.diff!;
    assert.deepEqual(
      diff.security.filterRules.filter((r) => !r.sequenceOnly).map((r) => [r.kind, r.rule.description]),
      [
        ["added", "fortress zones: users → servers (ssh)"],
        ["added", "fortress zones: users → iot (https)"],
      ],
    );
    assert.deepEqual(
      diff.security.zones.map((z) => [z.kind, z.from, z.to]),
      [
        ["changed", "users", "servers"],
        ["added", "users", "iot"],
      ],
    );
    assert.deepEqual(
      diff.security.exposure.map((c) => c.name),
      ["network-group-fz-iot", "network-group-fz-servers"],
    );
    assert.deepEqual(diff.security.opnsense.privileges, { added: [], removed: [] });
    assert.match(markdown, /port `fz_svc_ssh \(22\)` TCP \| fortress zones: users → servers \(ssh\)/);
  });
});
