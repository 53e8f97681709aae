import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { METRIC_PRODUCERS, metricByName, producerOf, unproducedNames } from "./index";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** owner/repo@ref:path[, path…] */
const SOURCE = /^([\w.-]+)\/([\w.-]+)@([\w.-]+):(\S.*)$/;

describe("the metric catalogue", () => {
  const all = METRIC_PRODUCERS.flatMap((producer) =>
    producer.metrics.map((metric) => ({ producer, metric })),
  );

  it("names each metric once across every producer, and each job once", () => {
    const names = all.map(({ metric }) => metric.name);
    assert.deepEqual(
      names.filter((name, i) => names.indexOf(name) !== i),
      [],
    );
    const jobs = METRIC_PRODUCERS.map((producer) => producer.job);
    assert.equal(new Set(jobs).size, jobs.length);
  });

  it("holds only valid metric and label names, and no label reserved to Prometheus or set by Fortress", () => {
    for (const { metric } of all) {
      assert.match(metric.name, METRIC_NAME);
      assert.ok(metric.help.length > 0, metric.name);
      for (const label of metric.labels) {
        assert.match(label, LABEL_NAME, `${metric.name}: ${label}`);
        assert.ok(!label.startsWith("__"), `${metric.name}: ${label} is reserved`);
        assert.ok(!["job", "instance", "layer", "role"].includes(label), `${metric.name}: ${label}`);
      }
      assert.equal(new Set(metric.labels).size, metric.labels.length, metric.name);
    }
  });

  it("types counters as counters by their _total suffix, and gauges without it save the vendor's own", () => {
    // prometheus-pve-exporter@v3.10.0:src/pve_exporter/collector/cluster.py: a GaugeMetricFamily.
    const GAUGES_NAMED_TOTAL = ["pve_not_backed_up_total"];
    for (const { metric } of all) {
      if (metric.type === "counter") assert.match(metric.name, /_total$/, metric.name);
      if (metric.type === "gauge" && !GAUGES_NAMED_TOTAL.includes(metric.name)) {
        assert.doesNotMatch(metric.name, /_total$/, metric.name);
      }
    }
  });

  it("cites for each producer the exporter's repository, a pinned ref and its files", () => {
    for (const producer of METRIC_PRODUCERS) {
      assert.match(producer.source, SOURCE, producer.job);
      assert.doesNotMatch(producer.source, /@(main|master|HEAD)\b/, producer.job);
      assert.ok(producer.metrics.length > 0, producer.job);
    }
  });

  it("finds an entry and its producer by name, and nothing for a name nobody produces", () => {
    assert.equal(metricByName("pve_up")?.type, "gauge");
    assert.equal(producerOf("pve_up")?.job, "proxmox");
    assert.equal(producerOf("elasticsearch_cluster_health_status")?.job, "indexer-exporter");
    assert.equal(producerOf("up")?.job, "prometheus-scrape");
    assert.equal(metricByName("node_network_receive_dropped_total"), undefined);
    assert.deepEqual(
      unproducedNames('sum by (id) (pve_up{id=~"node/.*"}) / count(node_load1) + nothing_makes_this'),
      ["nothing_makes_this"],
    );
  });
});

/**
 * Where the exporters' repositories are fetched here (/work/.mirror, the `fetch` tool), each name
 * must be built from string literals of the cited files at the cited ref: the full name, or its
 * `_`-separated parts each a literal (namespace, subsystem, name, as BuildFQName joins them). A
 * typo or a name from memory fails here. CI has no mirrors: the test says so and skips.
 */
describe("the catalogue against the exporters' own source", () => {
  const MIRROR = "/work/.mirror";
  for (const producer of METRIC_PRODUCERS) {
    const [, owner, repo, ref, paths] = SOURCE.exec(producer.source) ?? [];
    const gitDir = `${MIRROR}/${owner}+${repo}/repo`;
    const present = existsSync(gitDir);
    it(
      `${producer.job}: every name is built from literals of ${owner}/${repo}@${ref}`,
      {
        skip: present ? false : `no mirror of ${owner}/${repo} at ${gitDir} (fetch it to run this check)`,
      },
      () => {
        const text = (paths ?? "")
          .split(/,\s*/)
          .map((path) => execFileSync("git", ["-C", gitDir, "show", `${ref}:${path}`], { encoding: "utf8" }))
          .join("\n");
        const literals = new Set(
          [...text.matchAll(/["'](_?[A-Za-z0-9_:.]+_?)["']/g)].map((match) =>
            match[1]!.replace(/^_|_$/g, ""),
          ),
        );
        for (const { name } of producer.metrics) {
          assert.ok(
            builtFrom(name.split("_"), literals),
            `${producer.job}: ${name} is not built from ${paths}`,
          );
        }
      },
    );
  }
});

/** Whether the segments can be cut into consecutive groups each of which is a literal. */
function builtFrom(segments: readonly string[], literals: ReadonlySet<string>): boolean {
  if (segments.length === 0) return true;
  for (let cut = segments.length; cut >= 1; cut -= 1) {
    if (literals.has(segments.slice(0, cut).join("_")) && builtFrom(segments.slice(cut), literals))
      return true;
  }
  return false;
}
