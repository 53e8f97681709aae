/**
 * The Alertmanager → TheHive bridge run for real (python3, the script the pod runs) between an
 * Alertmanager webhook message and the loopback TheHive double (test/thehive/server.ts) over HTTPS
 * with a test CA. The message is what Alertmanager 0.34 sends (prometheus/alertmanager@v0.34.0
 * notify/webhook/webhook.go `Message`: version "4", groupKey, truncatedAlerts, and template.Data's
 * fields as template/template.go tags them; Go's time.Time JSON is RFC 3339 with nanoseconds, the
 * zero time for a firing alert's endsAt; a fingerprint is 16 hex digits, model.Fingerprint.String).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { freePort, run } from "../../../test/support/debianTools";
import { testCa } from "../../../test/support/testCa";
import { startTheHive, type TheHiveDouble } from "../../../test/thehive/server";
import { BRIDGE_PATH, bridgePodSpec, theHiveBridgeScript } from "./theHiveBridge";

const KEY = "thehive-wazuh-service-key-0123456789";
const TOKEN = "alertmanager-bridge-token-0123456789";
const SCRIPT = join(__dirname, "thehive-bridge.py");

const NODE_DOWN = {
  status: "firing",
  labels: {
    alertname: "NodeDown",
    severity: "critical",
    layer: "hypervisor",
    node: "pve-1",
    role: "proxmox-node",
  },
  annotations: {
    summary: "pve-1 is down",
    description: "node_exporter on pve-1 has not answered for 5 minutes.",
  },
  startsAt: "2026-11-30T18:55:12.345678901Z",
  endsAt: "0001-01-01T00:00:00Z",
  generatorURL: "http://prometheus.fortress-monitoring.svc:9090/graph?g0.expr=up%3D%3D0",
  fingerprint: "5f3c6a1b2d4e7f80",
};
const DISK_RESOLVED = {
  status: "resolved",
  labels: { alertname: "DiskFilling", severity: "warning", layer: "siem", node: "pve-2" },
  annotations: { summary: "indexer disk filling", description: "…" },
  startsAt: "2026-11-30T17:00:00Z",
  endsAt: "2026-11-30T18:00:00Z",
  generatorURL: "http://prometheus.fortress-monitoring.svc:9090/graph",
  fingerprint: "0a1b2c3d4e5f6071",
};
const message = (alerts: readonly object[], version = "4") => ({
  receiver: "thehive",
  status: "firing",
  alerts,
  groupLabels: { alertname: "NodeDown" },
  commonLabels: { alertname: "NodeDown", severity: "critical" },
  commonAnnotations: {},
  externalURL: "http://alertmanager.fortress-monitoring.svc:9093",
  version,
  groupKey: '{}/{severity="critical"}:{alertname="NodeDown"}',
  truncatedAlerts: 0,
});

describe("the Alertmanager → TheHive bridge", () => {
  let thehive: TheHiveDouble;
  let bridge: ChildProcess;
  let url: string;
  let output = "";

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "fortress-bridge-"));
    const made = testCa(dir, "lab", [
      { name: "thehive", subject: "/CN=thehive.lab.example", extensions: "subjectAltName=IP:127.0.0.1" },
    ]);
    thehive = await startTheHive(KEY, made.leaves.thehive!);
    writeFileSync(join(dir, "token"), `${TOKEN}\n`);
    writeFileSync(join(dir, "thehive.key"), KEY);
    const port = await freePort();
    url = `http://127.0.0.1:${port}${BRIDGE_PATH}`;
    bridge = spawn("python3", ["-u", SCRIPT], {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        BRIDGE_LISTEN: `127.0.0.1:${port}`,
        BRIDGE_TOKEN_FILE: join(dir, "token"),
        THEHIVE_URL: thehive.url,
        THEHIVE_KEY_FILE: join(dir, "thehive.key"),
        THEHIVE_CA_FILE: made.cert,
      },
    });
    bridge.on("error", (error) => {
      throw new Error(`python3 is not installed (apt-get install python3): ${error.message}`);
    });
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`the bridge did not start: ${output}`)), 15_000);
      bridge.stderr!.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (output.includes("listening on")) {
          clearTimeout(timer);
          ready();
        }
      });
      bridge.once("exit", () => (clearTimeout(timer), fail(new Error(`the bridge exited: ${output}`))));
    });
  });
  after(async () => {
    bridge?.kill("SIGTERM");
    await thehive?.close();
  });

  const post = async (body: unknown, token = TOKEN) => {
    const answer = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: answer.status, text: await answer.text() };
  };

  it("refuses a caller without Alertmanager's token, and opens nothing", async () => {
    assert.equal((await post(message([NODE_DOWN]), "wrong")).status, 401);
    assert.equal(thehive.alerts.length, 0);
  });

  it("opens one TheHive alert per firing alert, with the Wazuh bridge's key, and none for a resolved one", async () => {
    const answer = await post(message([NODE_DOWN, DISK_RESOLVED]));
    assert.deepEqual(answer, { status: 200, text: "delivered 1\n" });
    assert.equal(thehive.alerts.length, 1);
    const alert = thehive.alerts[0]!.body;
    assert.equal(alert.type, "prometheus");
    assert.equal(alert.source, "alertmanager");
    assert.equal(alert.sourceRef, `${NODE_DOWN.fingerprint}-${Date.parse("2026-11-30T18:55:12Z") / 1000}`);
    assert.equal(alert.title, "pve-1 is down");
    assert.equal(alert.severity, 4);
    assert.equal(alert.date, Date.parse("2026-11-30T18:55:12.345Z"));
    assert.deepEqual(alert.tags, [
      "alertmanager",
      "layer:hypervisor",
      "node:pve-1",
      "role:proxmox-node",
      "alertname:NodeDown",
      "severity:critical",
    ]);
    assert.match(String(alert.description), /^node_exporter on pve-1 has not answered/);
    assert.match(String(alert.description), /\| node \| pve-1 \|/);
    const last = thehive.requests.at(-1)!;
    assert.equal(last.authorization, `Bearer ${KEY}`);
  });

  it("takes a resend of the same alert as delivered, without a second TheHive alert", async () => {
    assert.equal((await post(message([NODE_DOWN]))).status, 200);
    assert.equal(thehive.alerts.length, 1);
    assert.equal(thehive.requests.at(-1)!.status, 400);
  });

  it("answers 502 while TheHive fails, so that Alertmanager retries, and delivers on the retry", async () => {
    const next = {
      ...NODE_DOWN,
      fingerprint: "1111222233334444",
      labels: { ...NODE_DOWN.labels, severity: "warning" },
    };
    thehive.failNext(1);
    const failed = await post(message([next]));
    assert.equal(failed.status, 502);
    assert.match(failed.text, /TheHive answered 503/);
    assert.equal((await post(message([next]))).status, 200);
    assert.equal(thehive.alerts.at(-1)!.body.severity, 2);
  });

  it("drops what can never be delivered with a 4xx, which Alertmanager does not retry", async () => {
    assert.equal((await post(message([NODE_DOWN], "3"))).status, 400);
    assert.equal((await post(message([{ ...NODE_DOWN, fingerprint: "" }]))).status, 400);
    assert.equal((await post(message([{ ...NODE_DOWN, startsAt: "yesterday" }]))).status, 400);
  });

  it("opens the good alerts of a group even when one of them can never be delivered", async () => {
    const before = thehive.alerts.length;
    const good = {
      ...NODE_DOWN,
      fingerprint: "0123456789abcdef",
      labels: { ...NODE_DOWN.labels, node: "pve9" },
    };
    const answer = await post(message([{ ...NODE_DOWN, fingerprint: "" }, good]));
    assert.deepEqual(answer, { status: 200, text: "delivered 1\n" });
    assert.equal(thehive.alerts.length, before + 1);
  });

  it("is the script the pod runs, compiled by python3, with its files where the pod mounts them", () => {
    assert.equal(run("python3", ["-m", "py_compile", SCRIPT]).status, 0);
    assert.match(theHiveBridgeScript(), /^#!\/usr\/bin\/env python3\n/);
    const container = (bridgePodSpec("https://thehive.lab.example").containers as { env: unknown }[])[0]!;
    const env = Object.fromEntries(
      (container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]),
    );
    assert.equal(env.THEHIVE_URL, "https://thehive.lab.example");
    assert.ok(String(env.THEHIVE_KEY_FILE).startsWith("/etc/fortress/bridge/"));
  });
});
