/**
 * Inhibition, by Debian's Alertmanager 0.25 itself (prometheus-alertmanager; .ci/run installs it): the
 * rendered configuration loaded with its secret files written where `*_file` points, the alerts a
 * Proxmox node's failure raises in the home lab posted to its API, and its own view of which are
 * muted (`/api/v2/alerts?inhibited=false`, computed by inhibit/inhibit.go for each alert). One node down
 * → one page: the node's alert, while alerts on the other nodes still come through.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { AlertRule } from "../contract";
import { type Daemon, freePort, startDaemon } from "../../../test/support/debianTools";
import { testCa } from "../../../test/support/testCa";
import { alertRules, alertsOf } from "../rules/alertRules";
import type { AlertRulesInput, RuleVm } from "../rules/input";
import { homeLabInput } from "../rules/labs.fixtures";
import { alertmanagerConfig } from "./config";
import { INPUTS } from "./configs.fixtures";

type Labels = Record<string, string>;

const dir = mkdtempSync(join(tmpdir(), "fortress-am-inhibit-"));
const mount = join(dir, "secrets");
const lab = homeLabInput();
const rules = alertsOf(alertRules(lab));

/** The static labels of the rule raising `alert` (for a VM: its role's rule), templates left out. */
function ruleLabels(alert: string, role?: string): Labels {
  const rule = rules.find(
    (candidate: AlertRule) =>
      candidate.alert === alert &&
      (role === undefined || candidate.labels.role === role || candidate.labels.role === undefined),
  );
  assert.ok(rule, `no ${alert} rule`);
  return Object.fromEntries(
    Object.entries({ alertname: alert, ...rule.labels }).filter(([, value]) => !value.includes("{{")),
  );
}

/** What a VM that stops (with its node or alone) raises: VmDown, its exporter's ScrapeTargetDown, Zeek's own. */
function vmAlerts(vm: RuleVm, input: AlertRulesInput): Labels[] {
  const alerts: Labels[] = [
    { ...ruleLabels("VmDown", vm.role), name: vm.name, node: vm.node, id: `qemu/${vm.name}` },
    {
      ...ruleLabels("ScrapeTargetDown"),
      layer: vm.layer,
      role: vm.role,
      node: vm.node,
      job: "node",
      instance: `${vm.name}:9100`,
    },
  ];
  if (vm.role === input.capture.zeek?.role)
    alerts.push(
      {
        ...ruleLabels("CapturePacketsDropped"),
        role: vm.role,
        node: vm.node,
        device: input.capture.zeek.device,
        instance: `${vm.name}:9100`,
      },
      {
        ...ruleLabels("LogSourceSilent"),
        ...rules.find((rule) => rule.alert === "LogSourceSilent" && rule.labels.source === "zeek")!.labels,
      },
    );
  return alerts;
}

function nodeDownAlerts(node: string): Labels[] {
  return [
    { ...ruleLabels("ProxmoxNodeDown"), node, id: `node/${node}` },
    {
      ...ruleLabels("ScrapeTargetDown"),
      layer: "hypervisor",
      role: "proxmox-node",
      node,
      job: "node",
      instance: `${node}:9100`,
    },
    ...lab.vms.filter((vm) => vm.node === node).flatMap((vm) => vmAlerts(vm, lab)),
  ];
}

let daemon: Daemon;
let base: string;

async function api(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.ok, `${path}: HTTP ${response.status} ${await response.clone().text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

async function unmuted(): Promise<Labels[]> {
  const alerts = (await api("/api/v2/alerts?active=true&inhibited=false&silenced=false")) as {
    labels: Labels;
  }[];
  return alerts.map((alert) => alert.labels);
}

async function post(alerts: readonly Labels[]): Promise<void> {
  const now = new Date();
  await api(
    "/api/v2/alerts",
    alerts.map((labels) => ({
      labels,
      annotations: { summary: labels.alertname ?? "", description: "" },
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + 3_600_000).toISOString(),
    })),
  );
}

/** Until the inhibitor has seen the sources (it reads the alert store asynchronously). */
async function settled(expected: number): Promise<Labels[]> {
  let last: Labels[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    last = await unmuted();
    if (last.length === expected) return last;
    await new Promise((done) => setTimeout(done, 100));
  }
  return last;
}

before(async () => {
  // A real CA certificate: Alertmanager parses ca_file when it loads the configuration.
  const ca = testCa(dir, "lab", []);
  const config = alertmanagerConfig({
    ...INPUTS["an ntfy webhook with a token, the bridge over https with the lab CA"]!,
    caCertificatePem: readFileSync(ca.cert, "utf8"),
    secretsMountPath: mount,
  });
  mkdirSync(mount, { recursive: true });
  for (const [name, content] of Object.entries(config.secretFiles))
    writeFileSync(join(mount, name), String(content), { mode: 0o600 });
  writeFileSync(join(dir, "alertmanager.yml"), config.yaml);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  daemon = await startDaemon("prometheus-alertmanager", [
    `--config.file=${join(dir, "alertmanager.yml")}`,
    `--storage.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--cluster.listen-address=",
  ]);
  for (let attempt = 0; ; attempt++) {
    const ready = await fetch(`${base}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    assert.ok(attempt < 100, `Alertmanager did not start:\n${daemon.output()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
});

after(async () => {
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Alertmanager's inhibition over the home lab", () => {
  it("loads the configuration with its secret files, without complaint", () => {
    assert.doesNotMatch(daemon.output(), /level=error|failed to apply/, daemon.output());
  });

  it("lets one page through when a Proxmox node goes down, and keeps other nodes' alerts", async () => {
    const busiest = [...new Set(lab.vms.map((vm) => vm.node))].sort(
      (a, b) => lab.vms.filter((vm) => vm.node === b).length - lab.vms.filter((vm) => vm.node === a).length,
    )[0]!;
    const down = nodeDownAlerts(busiest);
    assert.ok(
      down.length >= 6,
      `only ${down.length} alerts for ${busiest}: the scenario is too small to prove anything`,
    );
    const elsewhere = lab.vms.find((vm) => vm.node !== busiest)!;
    const other = {
      ...ruleLabels("ScrapeTargetDown"),
      layer: elsewhere.layer,
      role: elsewhere.role,
      node: elsewhere.node,
      job: "node",
      instance: `${elsewhere.name}:9100`,
    };
    await post([...down, other]);
    const left = await settled(2);
    assert.deepEqual(
      left.map((labels) => `${labels.alertname}@${labels.node}`).sort(),
      [`ProxmoxNodeDown@${busiest}`, `ScrapeTargetDown@${elsewhere.node}`].sort(),
      `${down.length} alerts posted for ${busiest}`,
    );
  });
});
