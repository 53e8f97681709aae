import assert from "node:assert/strict";
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
