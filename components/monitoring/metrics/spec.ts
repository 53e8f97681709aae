/**
 * A small constructor for catalogue entries, so each producer file reads as a table: name, type,
 * labels, help — the help text copied from the exporter's own source.
 */
import type { MetricSpec, MetricType } from "../contract";

export function metric(name: string, type: MetricType, labels: readonly string[], help: string): MetricSpec {
  return { name, type, labels, help };
}
