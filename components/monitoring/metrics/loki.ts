/**
 * Loki 3.7.6 (monolithic): what the distributor received (pkg/loghttp/push/push.go), what it refused
 * (pkg/validation/validate.go) and the ingester's streams and chunks (pkg/ingester/instance.go,
 * pkg/ingester/metrics.go). Namespace `constants.Loki` = "loki".
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

export const LOKI: MetricProducer = {
  job: "loki",
  source:
    "grafana/loki@v3.7.6:pkg/loghttp/push/push.go, pkg/validation/validate.go, pkg/ingester/instance.go, pkg/ingester/metrics.go",
  metrics: [
    metric(
      "loki_distributor_bytes_received_total",
      "counter",
      ["tenant", "retention_hours", "is_internal_stream", "policy", "format"],
      "The total number of uncompressed bytes received per tenant. Includes structured metadata bytes.",
    ),
    metric(
      "loki_distributor_lines_received_total",
      "counter",
      ["tenant", "is_internal_stream", "policy", "format"],
      "The total number of lines received per tenant",
    ),
    metric(
      "loki_discarded_samples_total",
      "counter",
      ["reason", "tenant", "retention_hours", "policy", "format"],
      "The total number of samples that were discarded.",
    ),
    metric(
      "loki_discarded_bytes_total",
      "counter",
      ["reason", "tenant", "retention_hours", "policy", "format"],
      "The total number of bytes that were discarded.",
    ),
    metric(
      "loki_ingester_memory_streams",
      "gauge",
      ["tenant"],
      "The total number of streams in memory per tenant.",
    ),
    metric(
      "loki_ingester_streams_created_total",
      "counter",
      ["tenant"],
      "The total number of streams created per tenant.",
    ),
    metric("loki_ingester_memory_chunks", "gauge", [], "The total number of chunks in memory."),
    metric("loki_ingester_chunks_flushed_total", "counter", ["reason"], "Total flushed chunks per reason."),
  ],
};
