/**
 * The additional scrape configs as Prometheus reads them: a prometheus.yml holding them passes Debian's
 * `promtool check config` (prometheus 2.42), and a broken one does not.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { run } from "../../test/support/debianTools";
import type { ScrapeJob } from "./contract";
import { renderScrapeConfigs, scrapeConfig } from "./scrapeConfigs";

const NODES: ScrapeJob = {
  job: "node",
  scheme: "http",
  targets: [
    { address: "10.10.20.30:9100", labels: { layer: "siem", role: "wazuh-manager", node: "pve1" } },
    { address: "10.10.10.11:9100", labels: { layer: "hypervisor", role: "proxmox-node", node: "pve1" } },
  ],
};
const PVE: ScrapeJob = {
  job: "pve",
  scheme: "http",
  metricsPath: "/pve",
  params: { module: ["default"], cluster: ["1"], node: ["1"] },
  exporterAddress: "pve-exporter.fortress-monitoring.svc:9221",
  scrapeInterval: "60s",
  targets: [{ address: "10.10.10.11", labels: { layer: "hypervisor", role: "proxmox-node", node: "pve1" } }],
};

/** prometheus.yml as the operator writes it, with the additional scrape configs appended. */
function promtoolCheck(scrapeConfigsYaml: string) {
  const dir = mkdtempSync(join(tmpdir(), "fortress-prom-"));
  const file = join(dir, "prometheus.yml");
  const config = {
    global: { scrape_interval: "30s", evaluation_interval: "30s" },
    scrape_configs: yaml.load(scrapeConfigsYaml),
  };
  writeFileSync(file, yaml.dump(config));
  return run("promtool", ["check", "config", file]);
}

describe("Prometheus's additional scrape configs", () => {
  it("pass promtool check config", () => {
    const result = promtoolCheck(renderScrapeConfigs([NODES, PVE]));
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it("fail promtool when a job is broken, so the check above can fail", () => {
    const broken = renderScrapeConfigs([{ ...NODES, scrapeInterval: "5 minutes" }]);
    const result = promtoolCheck(broken);
    assert.notEqual(result.status, 0, result.stdout);
  });

  it("put each target's Fortress labels on it, one static config per target", () => {
    const config = scrapeConfig(NODES) as any;
    assert.deepEqual(config.static_configs, [
      { targets: ["10.10.20.30:9100"], labels: { layer: "siem", role: "wazuh-manager", node: "pve1" } },
      { targets: ["10.10.10.11:9100"], labels: { layer: "hypervisor", role: "proxmox-node", node: "pve1" } },
    ]);
    assert.equal(config.relabel_configs, undefined);
  });

  it("send a multi-target exporter's scrapes to the exporter with the target as its parameter", () => {
    const config = scrapeConfig(PVE) as any;
    assert.deepEqual(config.relabel_configs, [
      { source_labels: ["__address__"], target_label: "__param_target" },
      { source_labels: ["__param_target"], target_label: "instance" },
      { target_label: "__address__", replacement: "pve-exporter.fortress-monitoring.svc:9221" },
    ]);
    assert.equal(config.metrics_path, "/pve");
    assert.deepEqual(config.params, { module: ["default"], cluster: ["1"], node: ["1"] });
  });

  it("refuse a label outside TARGET_LABELS, a target that is not host:port, and a job given twice", () => {
    const bad = (labels: Record<string, string>) =>
      ({ ...NODES, targets: [{ address: "10.0.0.1:9100", labels }] }) as unknown as ScrapeJob;
    assert.throws(() => scrapeConfig(bad({ zone: "servers" })), /outside TARGET_LABELS/);
    assert.throws(
      () => scrapeConfig({ ...NODES, targets: [{ address: "10.0.0.1", labels: {} }] }),
      /host:port/,
    );
    assert.throws(() => renderScrapeConfigs([NODES, NODES]), /given twice/);
    assert.equal(renderScrapeConfigs([]).trim(), "[]");
  });
});
