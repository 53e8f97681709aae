/**
 * A Helm release of a pinned chart: one exact chart version (the check the pack's `pinned-versions`
 * rule applies, refused here at construction rather than at preview), installed atomically (a failed
 * install or upgrade is rolled back), into a namespace the baseline manages (never created by Helm).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { exactChartVersion } from "../../vocabulary/versions";

/** A chart in a repository at one release; re-check it against the repository before changing it. */
export interface ChartPin {
  readonly repo: string;
  readonly chart: string;
  readonly version: string;
}

export interface PinnedReleaseArgs {
  /** The Helm release's name. */
  readonly name: string;
  readonly namespace: pulumi.Input<string>;
  readonly chart: ChartPin;
  readonly values: pulumi.Inputs;
  /** Seconds Helm waits for the release's resources (the chart's default otherwise). */
  readonly timeout?: number;
  readonly cleanupOnFail?: boolean;
  readonly maxHistory?: number;
}

export function pinnedRelease(
  resourceName: string,
  args: PinnedReleaseArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  const { chart } = args;
  if (!exactChartVersion(chart.version)) {
    throw new Error(
      `Helm chart ${chart.chart} has version ${JSON.stringify(chart.version)}, which is not one exact release: pin the chart release you tested (e.g. "3.6.0")`,
    );
  }
  if (!/^(https|oci):\/\//.test(chart.repo)) {
    throw new Error(`Helm chart ${chart.chart}: repository ${chart.repo} is not an https or oci URL`);
  }
  return new k8s.helm.v3.Release(
    resourceName,
    {
      name: args.name,
      namespace: args.namespace,
      chart: chart.chart,
      version: chart.version,
      repositoryOpts: { repo: chart.repo },
      createNamespace: false,
      atomic: true,
      ...(args.cleanupOnFail !== undefined ? { cleanupOnFail: args.cleanupOnFail } : {}),
      ...(args.timeout !== undefined ? { timeout: args.timeout } : {}),
      ...(args.maxHistory !== undefined ? { maxHistory: args.maxHistory } : {}),
      values: args.values,
    },
    opts,
  );
}
