/**
 * `npm run scenario -- --live`'s code path (scenario/live/*: the stack read through the Pulumi CLI, SSH
 * to the plan's VMs, TheHive and OPNsense over their APIs) run against the offline lab through a fake
 * Pulumi CLI and a fake SSH transport (./fakeLab.ts); and what the drill refuses, and how it cleans up
 * when interrupted or when a hop never comes.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { QUARANTINE_ALIAS } from "../../components/network/quarantine";
import { requestsTo } from "../opnsense/containHarness";
import { parseArgs, SAMPLE } from "../../scenario/cli";
import { runWorkedExample, type ScenarioResult } from "../../scenario/hops";
import { DRILL_ACTOR, liveEndpoints } from "../../scenario/live/endpoints";
import { pickWorkstation, readStack } from "../../scenario/live/stack";
import { offlineEndpoints } from "../../scenario/offline/endpoints";
import { type OfflineLab, startOfflineLab } from "../../scenario/offline/lab";
import { ADMIN_USER, fakePulumi, fakeSsh, fakeStack, REMOTE_DOWNLOADS } from "./fakeLab";
import { homeLabConfig } from "./labs";

const OPTIONS = { timeoutMs: 60_000, intervalMs: 10 };
const sample = (tag: string) => ({ name: `fortress-worked-example-${tag}.txt`, bytes: SAMPLE });

describe("the live drill's code path, against the loopback lab", () => {
  let lab: OfflineLab;
  let result: ScenarioResult;
  let ssh: ReturnType<typeof fakeSsh>;
  const pulumiCalls: string[][] = [];
  before(async () => {
    lab = await startOfflineLab(homeLabConfig());
    const stack = fakeStack(lab);
    const live = await readStack(fakePulumi(stack, pulumiCalls), { env: {} });
    ssh = fakeSsh(lab, stack);
    result = await runWorkedExample(liveEndpoints(live, ssh), sample("live"), { ...OPTIONS, intervalMs: 25 });
    await lab.idle();
  });
  after(async () => lab?.close());

  it("reads the stack with --show-secrets from the CLI's output, never a secret as an argument", () => {
    assert.deepEqual(pulumiCalls, [
      ["pulumi", "stack", "output", "--json", "--show-secrets"],
      ["pulumi", "config", "--json", "--show-secrets"],
    ]);
  });

  it("sees all seven hops, with the Wazuh alert read through TheHive with the analyst's login", () => {
    assert.equal(result.hops.length, 7);
    assert.equal(result.path, `${REMOTE_DOWNLOADS}/fortress-worked-example-live.txt`);
    assert.ok(lab.theHive!.server.alerts.some((alert) => alert.body.sourceRef === result.alertId));
    assert.equal(result.scanTarget, "users");
  });

  it("drops and removes the file on the workstation only, and asks the manager's fortress-contain to refuse and to release", () => {
    const byHost = (host: string) =>
      ssh.calls.filter((call) => call.host === host).map((call) => call.command);
    assert.ok(
      byHost("workstation-1").some((command) =>
        command.startsWith(`mkdir -p '${REMOTE_DOWNLOADS}' && cat > `),
      ),
    );
    assert.ok(byHost("workstation-1").some((command) => command.startsWith("rm -f -- ")));
    assert.deepEqual(
      byHost("wazuh-manager-1").map((command) => command.replace(/--reason '[^']*'/, "--reason R")),
      [
        `sudo -n /usr/local/sbin/fortress-contain --by ${DRILL_ACTOR} --reason R add ${lab.config.manager.ip}`,
        `sudo -n /usr/local/sbin/fortress-contain --by ${DRILL_ACTOR} --reason R delete ${lab.workstation.ip}`,
      ],
    );
    assert.ok(byHost("greenbone-1").every((command) => command === "sudo -n python3 - users"));
    assert.deepEqual([...new Set(ssh.calls.map((call) => call.host))].sort(), [
      "greenbone-1",
      "wazuh-manager-1",
      "workstation-1",
    ]);
    assert.deepEqual(
      ["greenbone-1", "wazuh-manager-1", "workstation-1"],
      [lab.config.greenbone?.name, lab.config.manager.name, lab.workstation.name],
      "the home stack's VM names",
    );
    assert.deepEqual(lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS), []);
    assert.deepEqual(readdirSync(lab.workstation.downloadDir), []);
  });
});

describe("what the live drill refuses", () => {
  const outputs = (vms: string[], groups: Record<string, string> = {}) => ({
    vms: Object.fromEntries(
      vms.map((name, i) => [name, { address: `10.10.40.${i + 2}`, hostKey: "ssh-ed25519 AAAA" }]),
    ),
    wazuhAgentGroups: groups,
  });

  it("any host but the plan's workstation VM", () => {
    assert.equal(pickWorkstation(outputs(["workstation-1", "wazuh-manager-1"])).name, "workstation-1");
    assert.throws(
      () => pickWorkstation(outputs(["workstation-1", "wazuh-manager-1"]), "wazuh-manager-1"),
      /wazuh-manager-1 is not the plan's workstation VM \(workstation-1\): the drill refuses any other host/,
    );
    assert.throws(() => pickWorkstation(outputs(["k3s-server-1"])), /the plan has no workstation VM/);
    assert.throws(
      () => pickWorkstation(outputs(["workstation-1"], { "workstation-1": "fortress-servers" })),
      /no workstation VM/,
    );
  });

  it("a stack without TheHive's URL or a way into TheHive, naming what is missing", async () => {
    const lab = await startOfflineLab(homeLabConfig());
    try {
      const noUrl = fakeStack(lab, { theHiveUrl: undefined });
      await assert.rejects(readStack(fakePulumi(noUrl), { env: {} }), /the stack has no theHiveUrl/);
      const noLogin = fakeStack(lab, { theHiveAnalystPassword: undefined });
      await assert.rejects(
        readStack(fakePulumi(noLogin), { env: {} }),
        /theHiveAnalystPassword, or FORTRESS_THEHIVE_KEY/,
      );
      const keyed = await readStack(fakePulumi(noLogin), { env: { FORTRESS_THEHIVE_KEY: "k" } });
      assert.equal(keyed.theHive.authorization, "Bearer k");
      assert.equal(keyed.adminUser, ADMIN_USER);
    } finally {
      await lab.close();
    }
  });

  it("options it does not know, and a burst that is not ALERTS/HOSTS", () => {
    assert.deepEqual(parseArgs(["--live", "--workstation", "workstation-2"]), {
      live: true,
      workstation: "workstation-2",
      burst: { alerts: 200, hosts: 20 },
    });
    assert.throws(() => parseArgs(["--host", "10.10.20.64"]), /unknown option --host/);
    assert.throws(() => parseArgs(["--burst", "lots"]), /ALERTS\/HOSTS/);
    assert.deepEqual(parseArgs(["--config", "Pulumi.minimal.yaml", "--burst", "0"]), {
      live: false,
      config: "Pulumi.minimal.yaml",
      burst: { alerts: 0, hosts: 0 },
    });
    assert.throws(
      () => parseArgs(["--live", "--config", "Pulumi.minimal.yaml"]),
      /--config is for the offline lab/,
    );
  });
});

describe("cleaning up", () => {
  let lab: OfflineLab;
  beforeEach(async () => {
    // A lab each: execd keeps a contained host's key for the response's timeout.
    lab = await startOfflineLab(homeLabConfig());
  });
  afterEach(async () => lab?.close());

  it("releases a containment that comes after the drill gave up, within the grace period", async () => {
    await assert.rejects(
      runWorkedExample(offlineEndpoints(lab), sample("late"), {
        timeoutMs: 1,
        intervalMs: 5,
        graceMs: 60_000,
      }),
      /gave up waiting for the clamd detection line after 1 ms/,
    );
    await lab.idle();
    const adds = requestsTo(lab.opnsense.api, "firewall/alias_util/add");
    assert.equal(adds.length, 1, "it was contained, after the drill gave up");
    assert.deepEqual(lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS), []);
    assert.deepEqual(readdirSync(lab.workstation.downloadDir), []);
  });

  it("releases the host and removes the file when interrupted once the host is contained", async () => {
    const controller = new AbortController();
    await assert.rejects(
      runWorkedExample(offlineEndpoints(lab), sample("interrupted"), {
        ...OPTIONS,
        signal: controller.signal,
        onHop: (hop) => hop.name === "host in the quarantine table" && controller.abort(),
      }),
      /interrupted after hop 4/,
    );
    assert.deepEqual(lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS), []);
    assert.deepEqual(readdirSync(lab.workstation.downloadDir), []);
  });

  it("fails, naming the hop, when the host is never contained (and still removes the file)", async () => {
    const broken = lab;
    {
      // The active response's containment program fails: nothing reaches the firewall.
      broken.opnsense.writeConfig({
        extra: { active_response: { internal: ["10.10.40.0/24"], program: "/bin/false" } },
      });
      await assert.rejects(
        runWorkedExample(offlineEndpoints(broken), sample("uncontained"), {
          timeoutMs: 8000,
          intervalMs: 25,
        }),
        new RegExp(
          `gave up waiting for ${broken.workstation.ip.replace(/\./g, "\\.")} in fz_quarantine after 8000 ms`,
        ),
      );
      assert.deepEqual(readdirSync(broken.workstation.downloadDir), []);
    }
  });
});
