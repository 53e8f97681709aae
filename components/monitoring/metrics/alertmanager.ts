/**
 * Alertmanager v0.34.0's own metrics: notifications attempted and failed per integration
 * (notify/metrics.go; `receiver_name` only with the receiver-names-in-metrics feature flag, which
 * Fortress does not set), configuration reloads (config/coordinator.go) and alerts by state
 * (dispatch/metric.go).
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

export const ALERTMANAGER: MetricProducer = {
  job: "alertmanager",
  source: "prometheus/alertmanager@v0.34.0:notify/metrics.go, config/coordinator.go, dispatch/metric.go",
  metrics: [
    metric(
      "alertmanager_notifications_total",
      "counter",
      ["integration"],
      "The total number of attempted notifications.",
    ),
    metric(
      "alertmanager_notifications_failed_total",
      "counter",
      ["integration", "reason"],
      "The total number of failed notifications.",
    ),
    metric(
      "alertmanager_config_last_reload_successful",
      "gauge",
      [],
      "Whether the last configuration reload attempt was successful.",
    ),
    metric("alertmanager_alerts", "gauge", ["state"], "How many alerts by state."),
  ],
};
