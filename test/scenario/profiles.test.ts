/**
 * The worked example against each profile's rendered configuration: the offline lab put together from
 * the door's lab model of a stack (minimal: Pulumi.minimal.yaml; home: Pulumi.home.yaml; smb: built
 * from the home stack in ./labs.ts until an smb stack file exists), the hops each profile runs and the
 * ones it skips with the reason, the host in the table at the plan's workstation address, the
 * allow-list refusing the plan's manager, and contain.json being what Fortress renders for that lab.
 * What is expected comes from the lab model (its VMs, stacks/containment.ts, stacks/managerResponse.ts),
 * not from the offline lab's own configuration.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { QUARANTINE_ALIAS } from "../../components/network/quarantine";
import { rescanArgv } from "../../components/response/containment/rescanAccess";
import { SAMPLE } from "../../scenario/cli";
import { type HopResult, runWorkedExample, type ScenarioResult } from "../../scenario/hops";
import { burstHosts, runBurst } from "../../scenario/offline/burst";
import { offlineEndpoints } from "../../scenario/offline/endpoints";
import { type OfflineLab, startOfflineLab } from "../../scenario/offline/lab";
import { offlineLabConfig } from "../../scenario/offline/labConfig";
import { labModelOf } from "../../scenario/offline/stackModel";
import { containmentPlan } from "../../stacks/containment";
import type { LabModel } from "../../stacks/lab";
import { managerResponse } from "../../stacks/managerResponse";
import { requestsTo } from "../opnsense/containHarness";
import { auditEvents } from "./audit";
import { HOME_STACK, MINIMAL_STACK, SMB_STACK } from "./labs";

const OPTIONS = { timeoutMs: 60_000, intervalMs: 10 };

interface Expected {
  readonly profile: string;
  readonly model: () => LabModel;
  readonly runs: readonly number[];
  /** Hop → the reason it is skipped. */
  readonly skips: Readonly<Record<number, string>>;
}

const PROFILES: readonly Expected[] = [
  {
    profile: "minimal",
    model: () => labModelOf(MINIMAL_STACK),
    runs: [1, 2, 4, 5, 7],
    skips: { 3: "no TheHive in this lab", 6: "no Greenbone in this lab" },
  },
  { profile: "home", model: () => labModelOf(HOME_STACK), runs: [1, 2, 3, 4, 5, 6, 7], skips: {} },
  {
    profile: "smb",
    model: () => labModelOf(SMB_STACK),
    runs: [1, 2, 3, 4, 5, 6, 7],
    skips: {},
  },
];

const vmOf = (model: LabModel, role: string) => {
  const vm = model.vms.find((candidate) => candidate.role.name === role);
  assert.ok(vm, `the plan has a ${role} VM`);
  return vm;
};

const addsFor = (lab: OfflineLab, address: string) =>
  requestsTo(lab.opnsense.api, "firewall/alias_util/add").filter(
    (request) => (request.body as { address?: string } | undefined)?.address === address,
  ).length;

for (const expected of PROFILES)
  describe(`the worked example on the ${expected.profile} profile's rendered configuration`, () => {
    let model: LabModel;
    let lab: OfflineLab;
    let result: ScenarioResult;
    let tableAtHop4: string[] | undefined;
    before(async () => {
      model = expected.model();
      lab = await startOfflineLab(offlineLabConfig(model));
      const onHop = (hop: HopResult) => {
        if (hop.n === 4 && !hop.skipped) tableAtHop4 = lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS);
      };
      result = await runWorkedExample(
        offlineEndpoints(lab),
        { name: `fortress-worked-example-${expected.profile}.txt`, bytes: SAMPLE },
        { ...OPTIONS, onHop },
      );
      await lab.idle();
    });
    after(async () => lab?.close());

    it("is the profile's lab, through the door", () => {
      assert.equal(model.config.lab.profile, expected.profile);
    });

    it(`runs hops ${expected.runs.join(", ")} and reports the others as skipped, with the reason`, () => {
      assert.deepEqual(
        result.hops.filter((hop) => hop.skipped === undefined).map((hop) => hop.n),
        expected.runs,
      );
      const skipped = Object.fromEntries(
        result.hops.filter((hop) => hop.skipped !== undefined).map((hop) => [hop.n, hop.skipped]),
      );
      assert.deepEqual(skipped, expected.skips);
      assert.deepEqual(
        result.hops.map((hop) => hop.n),
        [1, 2, 3, 4, 5, 6, 7],
      );
    });

    it("contains the plan's workstation VM (or, without one, a user's PC on the users network) and releases it", () => {
      const planned = model.vms.find((vm) => vm.role.name === "workstation");
      const users = model.config.networks.find((network) => network.purpose === "users");
      // smb plans no workstation: the business's own PCs are the endpoints (scenario/offline/labConfig.ts).
      const workstation = planned ?? { name: "user-pc", ip: users?.dhcp.start ?? "" };
      assert.equal(result.address, workstation.ip);
      assert.ok(tableAtHop4?.includes(workstation.ip), `${workstation.ip} in ${tableAtHop4?.join(", ")}`);
      assert.equal(addsFor(lab, workstation.ip), 1);
      const alert = lab.manager.alerts.find((candidate) => candidate.id === result.alertId);
      assert.deepEqual(
        [alert?.agent.name, alert?.agent.ip, alert?.rule.id],
        [workstation.name, workstation.ip, "100200"],
      );
      assert.deepEqual(lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS), []);
    });

    it("the allow-list refuses the plan's manager address (exit 2, logged, never sent to the firewall)", () => {
      const manager = vmOf(model, "wazuh-manager");
      const hop5 = result.hops.find((hop) => hop.n === 5)!;
      const line = hop5.detail.find((entry) =>
        entry.startsWith(`${manager.ip} (${manager.name}: the Wazuh manager`),
      );
      assert.match(line ?? "", /: refused, exit 2 /);
      const refused = auditEvents(readFileSync(lab.arLog, "utf8")).filter(
        (event) => event.address === manager.ip && event.result === "refused",
      );
      assert.ok(refused.length >= 1, "fortress-contain logged the refusal to active-responses.log");
      assert.equal(addsFor(lab, manager.ip), 0);
    });

    it("runs on contain.json as Fortress renders it for this lab (allow-list, networks, hold, rescan)", () => {
      const plan = containmentPlan(model);
      const written = JSON.parse(readFileSync(lab.opnsense.config, "utf8")) as {
        allow: unknown;
        log_file: string;
        syslog?: unknown;
        active_response: { internal: unknown; servers: unknown; release_after: number };
        rescan?: { argv: string[]; targets: unknown };
      };
      assert.deepEqual(written.allow, plan.allow);
      assert.deepEqual(written.active_response.internal, plan.internal);
      assert.deepEqual(written.active_response.servers, plan.servers);
      assert.equal(written.active_response.release_after, plan.releaseAfter);
      // The manager's audit goes to active-responses.log (onManager.ts), never to syslog.
      assert.equal(written.log_file, lab.arLog);
      assert.equal(written.syslog, undefined);
      if (expected.skips[6]) {
        assert.equal(written.rescan, undefined);
        assert.equal(lab.greenbone, undefined);
        return;
      }
      const greenbone = vmOf(model, "greenbone");
      assert.deepEqual(written.rescan?.targets, plan.rescanTargets);
      assert.deepEqual(written.rescan?.argv.slice(1), rescanArgv(greenbone.ip).slice(1));
      assert.equal(
        readFileSync(lab.greenbone!.rescan.log, "utf8"),
        `${greenbone.ip} fortress-rescan users\n`,
      );
    });

    it("sends the alert to TheHive through the manager's own <integration> blocks, or has no TheHive", () => {
      const blocks = managerResponse(model)?.integrations ?? [];
      if (expected.skips[3]) {
        assert.deepEqual(blocks, []);
        assert.equal(lab.theHive, undefined);
        assert.deepEqual(lab.manager.integrationRuns, []);
        return;
      }
      assert.ok(blocks.length > 0);
      const posted = lab.theHive!.server.alerts.filter((stored) => stored.body.sourceRef === result.alertId);
      assert.equal(posted.length, 1);
      const runs = lab.manager.integrationRuns.filter((run) => run.alertId === result.alertId);
      assert.ok(runs.length >= 1 && runs.every((run) => run.result.code === 0));
    });
  });

describe("a lab without a hop says why", () => {
  const home = () => labModelOf(HOME_STACK);
  const withConfig = (model: LabModel, change: Partial<LabModel["config"]>): LabModel => ({
    ...model,
    config: { ...model.config, ...change },
  });

  it("names the layer that is off, or the service that is missing", () => {
    const model = home();
    assert.deepEqual(offlineLabConfig(withConfig(model, { layers: { vuln: false } })).skipped, {
      rescan: "no rescan in this lab: layers.vuln is off",
    });
    const noResponse = offlineLabConfig(withConfig(model, { layers: { response: false } }));
    assert.deepEqual(noResponse.skipped, {
      theHive: "no TheHive in this lab: layers.response is off",
      containment: "no containment in this lab: layers.response is off",
      rescan: "no containment in this lab: layers.response is off",
    });
    assert.equal(noResponse.containment, undefined);
    const services = model.config.services.filter((service) => service !== "quarantine");
    assert.equal(
      offlineLabConfig(withConfig(model, { services })).skipped.containment,
      "no containment in this lab: fortress:services has no quarantine",
    );
  });

  it("refuses to run a hop that is neither there nor skipped with a reason", async () => {
    const lab = await startOfflineLab(offlineLabConfig(labModelOf(MINIMAL_STACK)));
    try {
      await assert.rejects(
        runWorkedExample(
          { ...offlineEndpoints(lab), skipped: {} },
          { name: "x.txt", bytes: SAMPLE },
          OPTIONS,
        ),
        /TheHive is neither there nor skipped with a reason/,
      );
    } finally {
      await lab.close();
    }
  });
});

describe("a burst on the minimal lab (no TheHive)", () => {
  it("contains each host once on the workstation's network and counts no TheHive alert it could not have", async () => {
    const lab = await startOfflineLab(offlineLabConfig(labModelOf(MINIMAL_STACK)));
    try {
      const burst = await runBurst(lab, offlineEndpoints(lab), { alerts: 10, hosts: 5 });
      assert.deepEqual(
        [burst.wazuhAlerts, burst.theHive, burst.contained, burst.duplicateTableEntries, burst.duplicateAdds],
        [10, undefined, 5, 0, 0],
      );
      assert.deepEqual([burst.responses, burst.integrationRuns, burst.failedRuns], [10, 0, 0]);
      const hosts = burstHosts(5, "10.10.40.0/24", [lab.workstation.ip]);
      assert.deepEqual(
        hosts.map((host) => host.ip),
        ["10.10.40.100", "10.10.40.101", "10.10.40.102", "10.10.40.103", "10.10.40.104"],
      );
      assert.deepEqual(
        burstHosts(2, "10.10.40.0/24", ["10.10.40.100"]).map((host) => host.ip),
        ["10.10.40.101", "10.10.40.102"],
      );
      assert.deepEqual(lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS), []);
    } finally {
      await lab.close();
    }
  });
});
