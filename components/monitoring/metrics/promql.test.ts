import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricNamesIn, tokenize } from "./promql";

/**
 * Real expressions from kube-prometheus-stack 88.5.3's rules
 * (prometheus-community/helm-charts@HEAD:charts/kube-prometheus-stack/templates/prometheus/rules-1.14/*.yaml),
 * with the chart's template parts rendered for its defaults: fsSelector `fstype!=""`, no
 * additionalAggregationLabels, namespaceOperator `=~`, targetNamespace `.*`.
 */
const CHART_RULES: readonly (readonly [string, string, readonly string[]])[] = [
  [
    "node-exporter.yaml NodeFilesystemSpaceFillingUp",
    `(
  node_filesystem_avail_bytes{job="node-exporter",fstype!="",mountpoint!=""} / node_filesystem_size_bytes{job="node-exporter",fstype!="",mountpoint!=""} * 100 < 15
and
  predict_linear(node_filesystem_avail_bytes{job="node-exporter",fstype!="",mountpoint!=""}[6h], 24*60*60) < 0
and
  node_filesystem_readonly{job="node-exporter",fstype!="",mountpoint!=""} == 0
)`,
    ["node_filesystem_avail_bytes", "node_filesystem_size_bytes", "node_filesystem_readonly"],
  ],
  [
    "node-exporter.yaml NodeNetworkReceiveErrs",
    `rate(node_network_receive_errs_total{job="node-exporter"}[2m]) / rate(node_network_receive_packets_total{job="node-exporter"}[2m]) > 0.01`,
    ["node_network_receive_errs_total", "node_network_receive_packets_total"],
  ],
  [
    "kubernetes-apps.yaml KubePodNotReady",
    `sum by (namespace, pod, job, cluster) (
  max by (namespace, pod, job, cluster) (
    kube_pod_status_phase{job="kube-state-metrics", namespace=~".*", phase=~"Pending|Unknown"}
    or
    (
      kube_pod_status_phase{job="kube-state-metrics", namespace=~".*", phase="Running"} == 1
      and on (namespace, pod, cluster)
      kube_pod_status_ready{job="kube-state-metrics", namespace=~".*", condition="true"} == 0
    )
  ) * on (namespace, pod, cluster) group_left() topk by (namespace, pod, cluster) (
    1, max by (namespace, pod, owner_kind, cluster) (kube_pod_owner{owner_kind!="Job"})
  )
) > 0
unless on (namespace, pod, cluster)
kube_pod_status_reason{job="kube-state-metrics", namespace=~".*", reason="SchedulingGated"} == 1`,
    ["kube_pod_status_phase", "kube_pod_status_ready", "kube_pod_owner", "kube_pod_status_reason"],
  ],
  [
    "kubernetes-storage.yaml KubePersistentVolumeFillingUp",
    `(
  kubelet_volume_stats_available_bytes{job="kubelet", namespace=~".*", metrics_path="/metrics"}
    /
  kubelet_volume_stats_capacity_bytes{job="kubelet", namespace=~".*", metrics_path="/metrics"}
) < 0.15
and
kubelet_volume_stats_used_bytes{job="kubelet", namespace=~".*", metrics_path="/metrics"} > 0
and
predict_linear(kubelet_volume_stats_available_bytes{job="kubelet", namespace=~".*", metrics_path="/metrics"}[6h], 4 * 24 * 3600) < 0
unless on (cluster, namespace, persistentvolumeclaim)
kube_persistentvolumeclaim_access_mode{ access_mode="ReadOnlyMany"} == 1
unless on (cluster, namespace, persistentvolumeclaim)
kube_persistentvolumeclaim_labels{label_excluded_from_alerts="true"} == 1`,
    [
      "kubelet_volume_stats_available_bytes",
      "kubelet_volume_stats_capacity_bytes",
      "kubelet_volume_stats_used_bytes",
      "kube_persistentvolumeclaim_access_mode",
      "kube_persistentvolumeclaim_labels",
    ],
  ],
  [
    "alertmanager.rules.yaml AlertmanagerFailedReload (a comment inside the expression)",
    `# Without max_over_time, failed scrapes could create false negatives, see
# https://www.robustperception.io/alerting-on-gauges-in-prometheus-2-0 for details.
max_over_time(alertmanager_config_last_reload_successful{job="alertmanager",container="alertmanager",namespace="monitoring"}[5m]) == 0`,
    ["alertmanager_config_last_reload_successful"],
  ],
  [
    "alertmanager.rules.yaml AlertmanagerClusterFailedToSendAlerts (raw strings, ignoring + group_left without list)",
    `min by (namespace,service, integration) (
  rate(alertmanager_notifications_failed_total{job="alertmanager",container="alertmanager",namespace="monitoring", integration=~\`.*\`}[15m])
/
  ignoring (reason) group_left rate(alertmanager_notifications_total{job="alertmanager",container="alertmanager",namespace="monitoring", integration=~\`.*\`}[15m]) > 0
)
> 0.01`,
    ["alertmanager_notifications_failed_total", "alertmanager_notifications_total"],
  ],
  [
    "alertmanager.rules.yaml AlertmanagerConfigInconsistent (count_values with a string parameter)",
    `count by (namespace,service,cluster) (
  count_values by (namespace,service,cluster) ("config_hash", alertmanager_config_hash{job="alertmanager",container="alertmanager",namespace="monitoring"})
)
!= 1`,
    ["alertmanager_config_hash"],
  ],
];

describe("metricNamesIn", () => {
  for (const [title, expr, names] of CHART_RULES) {
    it(`reads exactly the metrics of ${title}`, () => {
      assert.deepEqual(metricNamesIn(expr), names);
    });
  }

  it("keeps a bare name, a name before a matcher and `up`, and drops functions and keywords", () => {
    assert.deepEqual(metricNamesIn("up == 0"), ["up"]);
    assert.deepEqual(metricNamesIn('absent(up{job="x"})'), ["up"]);
    assert.deepEqual(metricNamesIn("a and b or c unless d"), ["a", "b", "c", "d"]);
    assert.deepEqual(metricNamesIn("x > bool 1"), ["x"]);
    assert.deepEqual(metricNamesIn("atan2(x, y)"), ["x", "y"]);
    assert.deepEqual(metricNamesIn("x atan2 y"), ["x", "y"]);
  });

  it("reads a recording rule's name with colons", () => {
    assert.deepEqual(metricNamesIn("instance:node_cpu:ratio > 0.9"), ["instance:node_cpu:ratio"]);
  });

  it("skips durations, offsets, @ modifiers, subqueries and numbers of every form", () => {
    assert.deepEqual(
      metricNamesIn(
        "rate(x[1h30m] offset 5m) @ 1609746000 + max_over_time(y[30m:1m]) * 1e3 + 0x1F - Inf + NaN",
      ),
      ["x", "y"],
    );
    assert.deepEqual(metricNamesIn("z @ start() - z offset -1d"), ["z"]);
    assert.deepEqual(metricNamesIn("time() - w > 3.5 * 86400"), ["w"]);
  });

  it("skips the label lists of by, without, on, ignoring, group_left and group_right, before or after", () => {
    assert.deepEqual(metricNamesIn("sum(a) by (job, instance)"), ["a"]);
    assert.deepEqual(metricNamesIn("sum without (cpu) (rate(b[5m]))"), ["b"]);
    assert.deepEqual(metricNamesIn("c * on (pod) group_right (node, owner) d"), ["c", "d"]);
    assert.deepEqual(metricNamesIn("topk by (namespace) (3, e)"), ["e"]);
  });

  it("skips label_replace's strings and reads __name__ and quoted names in braces", () => {
    assert.deepEqual(metricNamesIn('label_replace(f, "dst", "$1", "src", "(.*)")'), ["f"]);
    assert.deepEqual(metricNamesIn('{__name__="g", job="x"}'), ["g"]);
    assert.deepEqual(metricNamesIn('{"h.with.dots", job="x"} + {job="y", "i"}'), ["h.with.dots", "i"]);
  });

  it("reads each name once, in order of first appearance", () => {
    assert.deepEqual(metricNamesIn("b / a + b"), ["b", "a"]);
  });

  it("refuses what PromQL would refuse: an unterminated string, an unknown character, an open bracket", () => {
    assert.throws(() => tokenize('x{job="y}'), /unterminated string/);
    assert.throws(() => tokenize("x ; y"), /unexpected ";"/);
    assert.throws(() => metricNamesIn("sum(x[5m)"), /unbalanced \[/);
  });
});
