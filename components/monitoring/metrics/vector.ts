/**
 * Vector 0.56/0.57 internal metrics (the `internal_metrics` source, namespace "vector" by default:
 * src/sources/internal_metrics.rs default_namespace), exposed by a `prometheus_exporter` sink. Names
 * from lib/vector-common/src/internal_event/metric_name.rs (same in v0.57.0); every component metric
 * carries the span's component_id/component_kind/component_type (src/topology/builder.rs), buffer
 * metrics carry buffer_id and stage (lib/vector-buffers/src/internal_events.rs), errors error_type
 * and stage (src/internal_events/common.rs); help texts from the internal_metrics reference (.cue).
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

const COMPONENT = ["component_id", "component_kind", "component_type"];
const BUFFER = [...COMPONENT, "buffer_id", "stage"];

export const VECTOR: MetricProducer = {
  job: "vector",
  source:
    "vectordotdev/vector@v0.56.0:lib/vector-common/src/internal_event/metric_name.rs, lib/vector-buffers/src/internal_events.rs, website/cue/reference/components/sources/internal_metrics.cue",
  metrics: [
    metric(
      "vector_component_received_events_total",
      "counter",
      [...COMPONENT, "output"],
      "The number of events accepted by this component either from tagged origins like file and uri, or cumulatively from other origins.",
    ),
    metric(
      "vector_component_received_event_bytes_total",
      "counter",
      COMPONENT,
      "The number of event bytes accepted by this component either from tagged origins like file and uri, or cumulatively from other origins.",
    ),
    metric(
      "vector_component_sent_events_total",
      "counter",
      [...COMPONENT, "output"],
      "The total number of events emitted by this component.",
    ),
    metric(
      "vector_component_sent_event_bytes_total",
      "counter",
      [...COMPONENT, "output"],
      "The total number of event bytes emitted by this component.",
    ),
    metric(
      "vector_component_errors_total",
      "counter",
      [...COMPONENT, "error_type", "stage"],
      "The total number of errors encountered by this component.",
    ),
    metric(
      "vector_component_discarded_events_total",
      "counter",
      [...COMPONENT, "intentional"],
      "The number of events dropped by this component.",
    ),
    metric("vector_buffer_size_events", "gauge", BUFFER, "The number of events currently in the buffer."),
    metric("vector_buffer_size_bytes", "gauge", BUFFER, "The number of bytes currently in the buffer."),
    metric(
      "vector_buffer_discarded_events_total",
      "counter",
      [...BUFFER, "intentional"],
      "The number of events dropped by this non-blocking buffer.",
    ),
  ],
};
