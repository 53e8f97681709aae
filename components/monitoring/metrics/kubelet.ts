/**
 * The kubelet's volume statistics (k3s embeds the upstream kubelet; the chart's `kubelet`
 * ServiceMonitor scrapes /metrics on each node): capacity, available and used bytes per claim.
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

const PVC = ["namespace", "persistentvolumeclaim"];

export const KUBELET: MetricProducer = {
  job: "kubelet",
  source:
    "kubernetes/kubernetes@03ac3ef25991c7a3e6660ba5bdfe9f8e4dcf6062:pkg/kubelet/metrics/collectors/volume_stats.go",
  metrics: [
    metric("kubelet_volume_stats_capacity_bytes", "gauge", PVC, "Capacity in bytes of the volume"),
    metric("kubelet_volume_stats_available_bytes", "gauge", PVC, "Number of available bytes in the volume"),
    metric("kubelet_volume_stats_used_bytes", "gauge", PVC, "Number of used bytes in the volume"),
    metric("kubelet_volume_stats_inodes", "gauge", PVC, "Maximum number of inodes in the volume"),
    metric("kubelet_volume_stats_inodes_free", "gauge", PVC, "Number of free inodes in the volume"),
  ],
};
