/**
 * The generated inventory and the two playbooks, checked by Debian's ansible-core (ansible-inventory
 * --list, ansible-playbook --syntax-check) and yamllint, and contain.yml run for real against the
 * loopback OPNsense (test/opnsense/pf.ts) with ansible.builtin.uri.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ALLOW,
  CONTAIN_USER,
  type Harness,
  hasSyslogEvent,
  requestsTo,
  runAsync,
  startHarness,
} from "../../../test/opnsense/containHarness";
import { syslogRuleFor } from "../../../test/support/auditRules";
import { containmentAllowList } from "./allowList";
import { ipv4Range, renderInventory, roleGroup } from "./inventory";

const PLAYBOOKS = join(__dirname, "ansible");
const VMS = [
  { name: "k3s-server-1", ip: "10.10.20.11", role: "k3s-server" },
  { name: "k3s-server-2", ip: "10.10.20.12", role: "k3s-server" },
  { name: "wazuh-manager-1", ip: "10.10.20.64", role: "wazuh-manager" },
  { name: "workstation-1", ip: "10.10.40.23", role: "workstation" },
];

const inventoryFor = (url: string, syslogPort: number) =>
  renderInventory({
    firewall: { url, validateCerts: true },
    vms: VMS,
    allow: ALLOW,
    syslog: { host: "127.0.0.1", port: syslogPort },
    sshUser: "fortress",
  });

/** ansible-core's environment for a test: its own temp and home, no config file of the machine's. */
const ansibleEnv = (dir: string) => ({
  ANSIBLE_HOME: join(dir, "ansible-home"),
  ANSIBLE_LOCAL_TEMP: join(dir, "ansible-tmp"),
  ANSIBLE_CONFIG: join(dir, "none.cfg"),
  ANSIBLE_NOCOLOR: "1",
  ANSIBLE_RETRY_FILES_ENABLED: "0",
  ANSIBLE_STDOUT_CALLBACK: "default",
});

describe("the allow-list from the plan", () => {
  it("holds the management network, the firewall's addresses, the nodes, the protected roles and the Pulumi host", () => {
    const allow = containmentAllowList({
      networks: [
        { name: "mgmt", cidr: "10.10.10.0/24", gateway: "10.10.10.1", purpose: "management" },
        { name: "users", cidr: "10.10.40.0/24", gateway: "10.10.40.1", purpose: "users" },
      ],
      nodes: [{ name: "pve1", address: "10.10.10.11" }],
      vms: VMS,
      protectedRoles: { "k3s-server": "a k3s server", "wazuh-manager": "the Wazuh manager" },
      pulumiHost: "192.168.1.50",
    });
    assert.deepEqual(
      allow.map((entry) => entry.cidr),
      [
        "10.10.10.0/24",
        "10.10.10.1/32",
        "10.10.40.1/32",
        "10.10.10.11/32",
        "10.10.20.11/32",
        "10.10.20.12/32",
        "10.10.20.64/32",
        "192.168.1.50/32",
      ],
    );
    assert.ok(!allow.some((entry) => entry.cidr === "10.10.40.23/32"), "the workstation may be contained");
    assert.throws(
      () => containmentAllowList({ networks: [], nodes: [], vms: [], protectedRoles: {} }),
      /no management network/,
    );
  });

  it("gives each entry its range as integers", () => {
    assert.deepEqual(ipv4Range("10.10.10.0/24"), { first: 168430080, last: 168430335 });
    assert.deepEqual(ipv4Range("10.10.20.64/32"), { first: 168432704, last: 168432704 });
  });
});

describe("the inventory and the playbooks (ansible-core)", () => {
  let lab: Harness;
  let inventory: string;
  let vars: string;
  const playbook = (name: string, ...args: string[]) =>
    runAsync("ansible-playbook", ["-i", inventory, join(PLAYBOOKS, name), ...args], {
      env: ansibleEnv(lab.dir),
      package: "ansible-core",
    });
  const contain = (ip: string, ...extra: string[]) =>
    playbook("contain.yml", "-e", `@${vars}`, "-e", `contain_ip=${ip}`, "-e", "api_delay=0", ...extra);

  before(async () => {
    lab = await startHarness();
    inventory = join(lab.dir, "inventory.yml");
    writeFileSync(inventory, inventoryFor(lab.api.url, lab.syslogPort));
    vars = join(lab.dir, "contain-ansible.json");
    writeFileSync(
      vars,
      JSON.stringify({
        opnsense_contain_key: CONTAIN_USER.key,
        opnsense_contain_secret: CONTAIN_USER.secret,
      }),
      { mode: 0o600 },
    );
  });
  after(async () => lab.close());

  it("lists the firewall as a local API target and one group per role (ansible-inventory --list)", async () => {
    const ran = await runAsync("ansible-inventory", ["-i", inventory, "--list"], {
      env: ansibleEnv(lab.dir),
      package: "ansible-core",
    });
    assert.equal(ran.code, 0, ran.stderr);
    const listed = JSON.parse(ran.stdout) as Record<string, { hosts?: string[]; children?: string[] }> & {
      _meta: { hostvars: Record<string, Record<string, unknown>> };
    };
    assert.deepEqual(listed.firewall?.hosts, ["opnsense"]);
    assert.equal(listed._meta.hostvars.opnsense?.ansible_connection, "local");
    assert.deepEqual(listed.k3s_server?.hosts, ["k3s-server-1", "k3s-server-2"]);
    assert.deepEqual(listed.fortress_vms?.children?.sort(), ["k3s_server", "wazuh_manager", "workstation"]);
    assert.equal(listed._meta.hostvars["workstation-1"]?.ansible_host, "10.10.40.23");
    assert.equal(roleGroup("k3s-agent-general"), "k3s_agent_general");
    assert.doesNotMatch(readFileSync(inventory, "utf8"), /secret/i, "no secret in the inventory");
  });

  it("passes ansible-playbook --syntax-check and strict yamllint", async () => {
    for (const name of ["contain.yml", "remediate.yml"]) {
      const ran = await playbook(name, "--syntax-check", "-e", "fortress_role=workstation");
      assert.equal(ran.code, 0, `${name}: ${ran.stdout}${ran.stderr}`);
      const lint = spawnSync(
        "yamllint",
        ["--strict", "-d", "{extends: default, rules: {line-length: {max: 200}}}", join(PLAYBOOKS, name)],
        { encoding: "utf8" },
      );
      assert.equal(lint.status, 0, lint.stdout);
    }
    const lint = spawnSync(
      "yamllint",
      ["--strict", "-d", "{extends: default, rules: {line-length: {max: 200}}}", inventory],
      {
        encoding: "utf8",
      },
    );
    assert.equal(lint.status, 0, lint.stdout);
  });

  it("remediates only Fortress VMs of the role, never the firewall (--list-hosts)", async () => {
    const hosts = async (role: string) => {
      const ran = await playbook("remediate.yml", "--list-hosts", "-e", `fortress_role=${role}`);
      assert.equal(ran.code, 0, ran.stderr);
      return [...ran.stdout.matchAll(/^ {6}(\S+)$/gm)].map((match) => match[1]).sort();
    };
    assert.deepEqual(await hosts("k3s_server"), ["k3s-server-1", "k3s-server-2"]);
    assert.deepEqual(await hosts("firewall"), []);
  });

  it("contains a host for real through the loopback OPNsense, and a second run changes nothing", async () => {
    lab.api.state.addPfState({
      proto: "tcp",
      src_addr: "10.10.40.23",
      src_port: "50001",
      dst_addr: "203.0.113.5",
      dst_port: "443",
    });
    const first = await contain("10.10.40.23", "-e", "contain_by=alice", "-e", "contain_reason=case-7");
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), ["10.10.40.23"]);
    assert.equal(lab.api.state.pfStates().length, 0, "its states are killed");
    assert.match(first.stdout, /opnsense\s+: ok=\d+\s+changed=2 /);
    assert.ok(
      hasSyslogEvent(lab.syslog, {
        action: "add",
        address: "10.10.40.23",
        alias: "fz_quarantine",
        result: "contained",
        by: "alice",
        reason: "case-7",
      }),
      lab.syslog.join("\n"),
    );
    // The manager's local decoder and rules raise the active response's alert for it: 100210's twin.
    assert.ok(lab.syslog.map(syslogRuleFor).includes(100230), lab.syslog.join("\n"));
    const adds = requestsTo(lab.api, "firewall/alias_util/add").length;
    const second = await contain("10.10.40.23");
    assert.equal(second.code, 0, second.stdout);
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, adds, "no second add");
    assert.match(second.stdout, /opnsense\s+: ok=\d+\s+changed=0 /);
  });

  it("refuses an allow-listed address, logged, without calling the firewall", async () => {
    const before = lab.api.state.requests.length;
    const ran = await contain("10.10.20.64");
    assert.equal(ran.code, 2, ran.stdout);
    assert.match(
      ran.stdout,
      /10\.10\.20\.64 is allow-listed \(wazuh-manager-1: the Wazuh manager\) and is never contained/,
    );
    assert.equal(lab.api.state.requests.length, before);
    assert.ok(
      hasSyslogEvent(lab.syslog, { action: "add", address: "10.10.20.64", result: "refused", by: "ansible" }),
    );
    assert.ok(lab.syslog.map(syslogRuleFor).includes(100232), "the refusal's alert (100212's twin)");
  });

  it("retries a 503, stops at a 500 with its errorMessage (logged), and releases", async () => {
    lab.api.faults.inject({ path: "firewall/alias_util/add", kind: "5xx", status: 503, times: 1 });
    const retried = await contain("10.10.40.24");
    assert.equal(retried.code, 0, retried.stdout);
    assert.ok(lab.api.state.liveTable("fz_quarantine").includes("10.10.40.24"));
    lab.api.faults.inject({
      path: "firewall/alias_util/add",
      kind: "userException",
      message: "Config lock timeout",
      times: 5,
    });
    const before = requestsTo(lab.api, "firewall/alias_util/add").length;
    const failed = await contain("10.10.40.25");
    assert.equal(failed.code, 2, failed.stdout);
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, before + 1, "a 500 is not retried");
    assert.match(failed.stdout, /Config lock timeout/);
    assert.ok(hasSyslogEvent(lab.syslog, { action: "add", address: "10.10.40.25", result: "failed" }));
    assert.ok(lab.syslog.map(syslogRuleFor).includes(100234), "the failure's alert (100214's twin)");
    lab.api.faults.clear();
    const released = await contain("10.10.40.24", "-e", "contain_action=delete");
    assert.equal(released.code, 0, released.stdout);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), ["10.10.40.23"]);
  });
});
