/**
 * The layer's ScrapeJobs as Prometheus's additional scrape configuration (the YAML list the operator
 * appends to the generated prometheus.yml from `additionalScrapeConfigs`: prometheus-operator@v0.93.0
 * pkg/prometheus/promcfg.go). One static_config per target, so each target carries its own Fortress
 * labels (TARGET_LABELS). A multi-target exporter's job (`exporterAddress`) moves each target's address
 * to the `target` parameter, keeps it as `instance`, and sends the scrape to the exporter, as the
 * Prometheus docs' multi-target exporter pattern does (prometheus/docs content/docs/guides/multi-target-exporter.md).
 */
import * as yaml from "js-yaml";
import { type ScrapeJob, TARGET_LABELS, type TargetLabel } from "./contract";

const KNOWN_LABELS: ReadonlySet<string> = new Set(Object.values(TARGET_LABELS));
const JOB_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;
/** A multi-target exporter's target is its `target` parameter: a host, with or without a port. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

export type ScrapeConfig = Record<string, unknown>;

function checkJob(job: ScrapeJob): void {
  if (!JOB_NAME.test(job.job)) throw new Error(`scrape job ${JSON.stringify(job.job)} is not a job name`);
  if (job.targets.length === 0) throw new Error(`scrape job ${job.job} has no targets`);
  for (const target of job.targets) {
    const form = job.exporterAddress === undefined ? HOST_PORT : HOST;
    if (!form.test(target.address))
      throw new Error(
        `scrape job ${job.job}: target ${JSON.stringify(target.address)} is not ${job.exporterAddress === undefined ? "host:port" : "a host"}`,
      );
    const unknown = Object.keys(target.labels).filter((label) => !KNOWN_LABELS.has(label));
    if (unknown.length > 0)
      throw new Error(
        `scrape job ${job.job}: ${target.address} has labels outside TARGET_LABELS: ${unknown}`,
      );
  }
  if (job.exporterAddress !== undefined && !HOST_PORT.test(job.exporterAddress))
    throw new Error(`scrape job ${job.job}: exporterAddress ${job.exporterAddress} is not host:port`);
}

export function scrapeConfig(job: ScrapeJob): ScrapeConfig {
  checkJob(job);
  const labels = (target: ScrapeJob["targets"][number]) =>
    Object.fromEntries(
      Object.entries(target.labels).filter(
        (entry): entry is [TargetLabel, string] => typeof entry[1] === "string",
      ),
    );
  return {
    job_name: job.job,
    scheme: job.scheme,
    ...(job.metricsPath ? { metrics_path: job.metricsPath } : {}),
    ...(job.params
      ? { params: Object.fromEntries(Object.entries(job.params).map(([k, v]) => [k, [...v]])) }
      : {}),
    ...(job.scrapeInterval ? { scrape_interval: job.scrapeInterval } : {}),
    static_configs: job.targets.map((target) => ({ targets: [target.address], labels: labels(target) })),
    ...(job.exporterAddress
      ? {
          relabel_configs: [
            { source_labels: ["__address__"], target_label: "__param_target" },
            { source_labels: ["__param_target"], target_label: "instance" },
            { target_label: "__address__", replacement: job.exporterAddress },
          ],
        }
      : {}),
  };
}

/** The additional scrape configuration (a list), with every job name used once. */
export function scrapeConfigs(jobs: readonly ScrapeJob[]): ScrapeConfig[] {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.job)) throw new Error(`scrape job ${job.job} is given twice`);
    seen.add(job.job);
  }
  return jobs.map(scrapeConfig);
}

/** The same as the YAML the operator appends to prometheus.yml. */
export const renderScrapeConfigs = (jobs: readonly ScrapeJob[]): string =>
  yaml.dump(scrapeConfigs(jobs), { lineWidth: -1, noRefs: true });
