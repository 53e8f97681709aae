/**
 * `up` is not exposed by any exporter: Prometheus writes it for every target on every scrape (1 when
 * the scrape succeeded). Labelled by `job` and `instance` and the target's own labels only.
 */
import type { MetricProducer } from "../contract";
import { metric } from "./spec";

export const UP: MetricProducer = {
  job: "prometheus-scrape",
  source: "prometheus/prometheus@v3.14.0:scrape/scrape.go",
  metrics: [
    metric(
      "up",
      "gauge",
      [],
      "Health of the scrape target. 1 means the target is healthy, 0 if the scrape failed.",
    ),
    metric("scrape_duration_seconds", "gauge", [], "Duration of the scrape."),
    metric("scrape_samples_scraped", "gauge", [], "Number of samples the target exposed."),
  ],
};
