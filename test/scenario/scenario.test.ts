/**
 * The worked example of issue 14 as a test: the offline scenario (Debian's real clamd and clamdscan,
 * Fortress's real programs, the loopback TheHive, OPNsense and gvmd), a burst of 200 alerts for 20
 * hosts, and the live drill's code path run against the same doubles through a fake Pulumi CLI and a fake
 * SSH transport. Correctness only: timings are printed by `npm run scenario`, never asserted.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { QUARANTINE_ALIAS } from "../../components/network/quarantine";
import { requestsTo } from "../opnsense/containHarness";
import { SAMPLE } from "../../scenario/cli";
import { runWorkedExample, type ScenarioResult } from "../../scenario/hops";
import { runBurst } from "../../scenario/offline/burst";
import { offlineEndpoints } from "../../scenario/offline/endpoints";
import { type OfflineLab, startOfflineLab } from "../../scenario/offline/lab";
import { auditEvents } from "./audit";
import { homeLabConfig } from "./labs";

const OPTIONS = { timeoutMs: 60_000, intervalMs: 10 };
const HOP_NAMES = [
  "clamd found the file",
  "Wazuh alert",
  "TheHive alert",
  "host in the quarantine table",
  "allow-listed addresses refused",
  "rescan requested",
  "host released",
];
/** The home stack's plan (Pulumi.home.yaml): the workstation VM and the Greenbone VM it places. */
const WORKSTATION = { id: "003", name: "workstation-1", ip: "10.10.40.27" };

const sample = (tag: string) => ({ name: `fortress-worked-example-${tag}.txt`, bytes: SAMPLE });
const adds = (lab: OfflineLab, address: string) =>
  requestsTo(lab.opnsense.api, "firewall/alias_util/add").filter(
    (request) => (request.body as { address?: string }).address === address,
  );

describe("the worked example, offline", () => {
  let lab: OfflineLab;
  let result: ScenarioResult;
  before(async () => {
    lab = await startOfflineLab(homeLabConfig());
    result = await runWorkedExample(offlineEndpoints(lab), sample("offline"), OPTIONS);
    await lab.idle();
  });
  after(async () => lab?.close());

  it("sees the seven hops in the issue's order", () => {
    assert.deepEqual(
      result.hops.map((hop) => hop.name).sort((a, b) => HOP_NAMES.indexOf(a) - HOP_NAMES.indexOf(b)),
      HOP_NAMES,
    );
    assert.deepEqual(result.hops.map((hop) => hop.n).sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  it("1–2: the real clamdscan's line names the file and Fortress's signature, and Wazuh's alert is rule 100200 over 52502", () => {
    const line = readFileSync(lab.clamd.detectionLog, "utf8").split("\n")[0]!;
    assert.match(
      line,
      / clamd\[\d+\]: \S+fortress-worked-example-offline\.txt: Fortress\.Test\.WorkedExample\.UNOFFICIAL\([0-9a-f]{32}:\d+\) FOUND$/,
    );
    const alert = lab.manager.alerts.find((candidate) => candidate.id === result.alertId)!;
    assert.equal(alert.rule.id, "100200");
    assert.equal(alert.rule.level, 12);
    assert.deepEqual(alert.agent, WORKSTATION);
    assert.equal(alert.decoder.name, "clamd-found");
    assert.equal(alert.data.extra_data, "Fortress.Test.WorkedExample.UNOFFICIAL");
    assert.equal(alert.full_log, line);
  });

  it("3: TheHive holds one alert for it (sourceRef = the Wazuh id) with the hash, the address and the host as observables", () => {
    const posted = lab.theHive!.server.alerts.filter((stored) => stored.body.sourceRef === result.alertId);
    assert.equal(posted.length, 1);
    const observables = (posted[0]!.body.observables as { dataType: string; data: string }[]).map(
      (observable) => `${observable.dataType}:${observable.data}`,
    );
    const md5 = /\(([0-9a-f]{32}):/.exec(readFileSync(lab.clamd.detectionLog, "utf8"))![1]!;
    for (const expected of [`hash:${md5}`, `ip:${WORKSTATION.ip}`, `hostname:${WORKSTATION.name}`])
      assert.ok(observables.includes(expected), `${expected} in ${observables.join(", ")}`);
    // Both <integration> blocks posted it; TheHive's dedup on sourceRef kept one.
    const runs = lab.manager.integrationRuns.filter((run) => run.alertId === result.alertId);
    assert.ok(runs.length >= 1 && runs.every((run) => run.result.code === 0));
  });

  it("4: the host was contained once through alias_util and its states killed; the second alert added nothing", () => {
    assert.equal(adds(lab, WORKSTATION.ip).length, 1);
    assert.ok(
      requestsTo(lab.opnsense.api, "diagnostics/firewall/kill_states").some(
        (request) => (request.body as { filter?: string }).filter === WORKSTATION.ip,
      ),
    );
    assert.equal(
      lab.opnsense.api.state.pfStates().filter((state) => state.src_addr === WORKSTATION.ip).length,
      0,
    );
    // Two alerts about the host, two active-response runs (execd keeps no list: it ran both), both done
    // (exit 0), and one add (above). The active response is stateless: no keys line, so execd answered nothing.
    const about = new Set(
      lab.manager.alerts.filter((alert) => alert.agent.ip === WORKSTATION.ip).map((alert) => alert.id),
    );
    const runs = lab.manager.arRuns.filter((run) => about.has(run.alertId));
    assert.deepEqual(
      runs.map((run) => [run.result.code, run.keysLine, run.answer]),
      [
        [0, undefined, undefined],
        [0, undefined, undefined],
      ],
    );
  });

  it("5: the manager and a Proxmox node were refused, logged to the manager's active-responses.log, never sent to the firewall", () => {
    assert.deepEqual(
      lab.config.allowListed.map((entry) => entry.address),
      ["10.10.20.64", "10.10.10.11"],
    );
    for (const address of ["10.10.20.64", "10.10.10.11"]) {
      assert.equal(adds(lab, address).length, 0);
      assert.ok(
        auditEvents(readFileSync(lab.arLog, "utf8")).some(
          (event) => event.address === address && event.result === "refused",
        ),
      );
    }
  });

  it("6: the active response's ssh request passed the Greenbone VM's wrapper and reached gvmd as start_task of the users network's task", () => {
    // One new containment, one request: `fortress-rescan users` as sshd hands it to the forced command.
    const greenbone = lab.greenbone!;
    // The home plan's Greenbone VM (greenbone-1), as rescanArgv names it in contain.json.
    assert.equal(readFileSync(greenbone.rescan.log, "utf8"), "10.10.20.46 fortress-rescan users\n");
    assert.match(
      readFileSync(lab.arLog, "utf8"),
      new RegExp(`rescan users after containing ${WORKSTATION.ip.replace(/\./g, "\\.")}: exit 0 `),
    );
    assert.ok(greenbone.gvmd.log.includes("start_task"));
    const task = greenbone.gvmd.items.task.find((item) => item.name === "fortress-users");
    assert.equal(task?.status, "Requested");
    assert.equal(greenbone.gvmd.items.task.filter((item) => item.status === "Requested").length, 1);
  });

  it("7: release emptied the table, and the test file is gone", () => {
    assert.deepEqual(lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS), []);
    assert.deepEqual(readdirSync(lab.workstation.downloadDir), []);
  });
});

/** The burst; FORTRESS_SCENARIO_BURST=<n> runs a smaller one while working on this file. */
const ALERTS = Number(process.env.FORTRESS_SCENARIO_BURST ?? 200);

describe(`a burst of ${ALERTS} alerts for 20 hosts`, () => {
  let lab: OfflineLab;
  before(async () => {
    lab = await startOfflineLab(homeLabConfig());
  });
  after(async () => lab?.close());

  it("loses no alert, makes no duplicate case, no duplicate table entry, and contains each host once", async () => {
    const burst = await runBurst(lab, offlineEndpoints(lab), { alerts: ALERTS, hosts: 20 });
    assert.deepEqual(
      {
        wazuh: burst.wazuhAlerts,
        theHive: burst.theHive?.alerts,
        lost: burst.theHive?.lost,
        duplicateCases: burst.theHive?.duplicateCases,
        contained: burst.contained,
        duplicateTableEntries: burst.duplicateTableEntries,
        duplicateAdds: burst.duplicateAdds,
        responses: burst.responses,
        failedRuns: burst.failedRuns,
      },
      {
        wazuh: ALERTS,
        theHive: ALERTS,
        lost: 0,
        duplicateCases: 0,
        contained: 20,
        duplicateTableEntries: 0,
        duplicateAdds: 0,
        responses: ALERTS,
        failedRuns: 0,
      },
    );
    // Released afterwards.
    assert.deepEqual(lab.opnsense.api.state.liveTable(QUARANTINE_ALIAS), []);
  });
});
