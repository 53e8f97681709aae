/**
 * The rendered configuration through Debian's amtool 0.25 (package prometheus-alertmanager; .ci/run
 * installs it): `check-config` on each kind of input, and `config routes test` on a table of alerts
 * saying which receivers each reaches.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import * as yaml from "js-yaml";
import { run } from "../../../test/support/debianTools";
import { alertmanagerConfig } from "./config";
import { INPUTS, SECRET_VALUES } from "./configs.fixtures";

const dir = mkdtempSync(join(tmpdir(), "fortress-am-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, `${name.replace(/\W+/g, "-")}.yml`);
  writeFileSync(file, text);
  return file;
}

function amtool(args: readonly string[]): { status: number | null; output: string; stdout: string } {
  const result = run("amtool", args);
  return { status: result.status, output: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

describe("amtool check-config", () => {
  for (const [name, input] of Object.entries(INPUTS))
    it(`passes ${name}`, () => {
      const config = alertmanagerConfig(input);
      const result = amtool(["check-config", write(name, config.yaml)]);
      assert.equal(result.status, 0, result.output);
      assert.match(result.output, /SUCCESS/);
      for (const secret of SECRET_VALUES)
        assert.ok(!config.yaml.includes(secret), `${secret} is in the YAML`);
    });

  it("refuses a webhook timeout, a field 0.25 does not know (the check can fail)", () => {
    const parsed = yaml.load(alertmanagerConfig(INPUTS["TheHive only"]!).yaml) as {
      receivers: { webhook_configs?: Record<string, unknown>[] }[];
    };
    parsed.receivers[0]!.webhook_configs![0]!.timeout = "10s";
    const result = amtool(["check-config", write("timeout", yaml.dump(parsed))]);
    assert.notEqual(result.status, 0, result.output);
    assert.match(result.output, /field timeout not found/);
  });
});

/**
 * Labels of an alert → the receivers it must reach, in amtool's order: with TheHive and a channel,
 * TheHive alone; without TheHive (the minimal profile), a channel alone, neither.
 */
const ROUTES: readonly {
  readonly labels: Readonly<Record<string, string>>;
  readonly notify: string;
  readonly theHiveOnly: string;
  readonly notifyOnly?: string;
}[] = [
  {
    labels: { alertname: "ProxmoxNodeDown", severity: "critical", layer: "hypervisor", node: "pve1" },
    notify: "notify,thehive",
    theHiveOnly: "thehive",
  },
  {
    labels: { alertname: "ContainmentFailing", severity: "critical", layer: "response" },
    notify: "notify,thehive",
    theHiveOnly: "thehive",
  },
  {
    labels: { alertname: "IndexerDiskWatermarkNear", severity: "warning", layer: "siem" },
    notify: "thehive",
    theHiveOnly: "thehive",
  },
  {
    labels: { alertname: "ScrapeTargetDown", severity: "warning", layer: "vuln", role: "greenbone" },
    notify: "thehive",
    theHiveOnly: "thehive",
  },
  { labels: { alertname: "Watchdog", severity: "none" }, notify: "null", theHiveOnly: "null" },
  { labels: { alertname: "InfoInhibitor", severity: "none" }, notify: "null", theHiveOnly: "null" },
  { labels: { alertname: "KubeletTooManyPods", severity: "info" }, notify: "null", theHiveOnly: "null" },
  {
    labels: { alertname: "KubePodCrashLooping", severity: "warning", namespace: "fortress-siem" },
    notify: "thehive",
    theHiveOnly: "thehive",
  },
];

/** Without TheHive, the channel takes what TheHive would have had (once), and null what went nowhere. */
const withoutTheHive = (route: (typeof ROUTES)[number]) =>
  route.theHiveOnly === "null"
    ? { notifyOnly: "null", neither: "null" }
    : { notifyOnly: "notify", neither: "null" };

describe("amtool config routes test", () => {
  const notifyOnly = write(
    "routes-notify-only",
    alertmanagerConfig(INPUTS["no TheHive, an ntfy webhook with a token"]!).yaml,
  );
  const neither = write("routes-neither", alertmanagerConfig(INPUTS["no TheHive and no channel"]!).yaml);
  const withNotify = write(
    "routes-notify",
    alertmanagerConfig(INPUTS["an SMTP relay with a password"]!).yaml,
  );
  const theHiveOnly = write("routes-thehive", alertmanagerConfig(INPUTS["TheHive only"]!).yaml);
  for (const route of ROUTES)
    it(`sends ${route.labels.alertname} (${route.labels.severity}) to ${route.notify}, or ${route.theHiveOnly} without a channel, and without TheHive to ${withoutTheHive(route).notifyOnly} or null`, () => {
      const labels = Object.entries(route.labels).map(([key, value]) => `${key}=${value}`);
      const without = withoutTheHive(route);
      for (const [file, expected] of [
        [withNotify, route.notify],
        [theHiveOnly, route.theHiveOnly],
        [notifyOnly, without.notifyOnly],
        [neither, without.neither],
      ] as const) {
        const result = amtool([
          "config",
          "routes",
          "test",
          `--config.file=${file}`,
          `--verify.receivers=${expected}`,
          ...labels,
        ]);
        assert.equal(result.status, 0, result.output);
        assert.equal(result.stdout.trim(), expected);
      }
    });

  it("without TheHive names no thehive receiver, and still checks (the null receiver takes everything)", () => {
    for (const file of [notifyOnly, neither]) {
      const result = amtool([
        "config",
        "routes",
        "test",
        `--config.file=${file}`,
        "--verify.receivers=thehive",
        "severity=critical",
        "layer=response",
      ]);
      assert.notEqual(result.status, 0, result.output);
    }
  });

  it("fails a wrong expectation (the routes test can fail)", () => {
    const result = amtool([
      "config",
      "routes",
      "test",
      `--config.file=${withNotify}`,
      "--verify.receivers=thehive",
      "severity=critical",
      "layer=siem",
    ]);
    assert.notEqual(result.status, 0, result.output);
  });
});
