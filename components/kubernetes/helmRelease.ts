/**
 * A pinned Helm chart, rendered by the Kubernetes provider and registered object by object: a
 * `helm.v4.Chart` (`helm template` with the provider's embedded Helm, then every rendered object a
 * Pulumi resource whose parent is the Chart: pulumi/pulumi-kubernetes@94977969
 * provider/pkg/provider/helm/v4/chart.go, `pulumi.Parent(comp)`), so that the policy pack judges what a
 * chart creates in `pulumi preview`, not one opaque release. One exact chart version from an https or
 * oci repository (the pack's `pinned-versions` check, refused here at construction), into a namespace
 * the baseline manages.
 *
 * What the mechanism implies, from chart.go:
 * - It renders nothing at preview when any input is unknown ("Input properties have unknown values.
 *   Preview is incomplete."): the namespace is a plain string and the values are plain data, checked
 *   here, so a chart is always rendered in a preview. A secret a chart needs goes in through an
 *   `existingSecret`-style value naming a Secret the caller makes (values then hold no secret either:
 *   rendered objects are not marked secret by the provider, a Secret's `data` aside).
 * - Helm hooks are not run (`cmd.DisableHooks = true`; `includeHooks` only in render-to-directory mode),
 *   test hooks never; `helm.sh/resource-policy: keep` becomes `retainOnDelete` (`preregister`).
 * - No Helm release record, no `atomic` rollback, no release history: Pulumi applies the objects and
 *   waits for each to be ready, and a failed update stops there like any other resource.
 * - A resource that `dependsOn` the Chart waits for every object it rendered (a remote component:
 *   pulumi/pulumi#7541).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { exactChartVersion } from "../../vocabulary/versions";

/** A chart in a repository at one release; re-check it against the repository before changing it. */
export interface ChartPin {
  readonly repo: string;
  readonly chart: string;
  readonly version: string;
}

/** Chart values as plain data: what preview can render (no Output, Promise, resource or asset). */
export type PlainValues = { readonly [key: string]: PlainValue };
export type PlainValue = string | number | boolean | null | readonly PlainValue[] | PlainValues;

export interface PinnedChartArgs {
  /** The release name the chart's templates see (`.Release.Name`). */
  readonly name: string;
  /** A plain name: an unknown namespace would leave the Chart unrendered at preview. */
  readonly namespace: string;
  readonly chart: ChartPin;
  readonly values: PlainValues;
}

/** Where `values` holds something that is not plain data, with the path to it. */
export function unplainValues(value: unknown, path = "values"): string[] {
  // An undefined key is not serialized: the chart sees it absent.
  if (value === undefined || value === null || typeof value === "string" || typeof value === "boolean")
    return [];
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path} is ${value}`];
  if (Array.isArray(value)) {
    return (value as unknown[]).flatMap((item, index) => unplainValues(item, `${path}[${index}]`));
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([key, item]) => unplainValues(item, `${path}.${key}`));
  }
  const what = pulumi.Output.isInstance(value)
    ? "an Output"
    : value instanceof Promise
      ? "a Promise"
      : pulumi.Resource.isInstance(value)
        ? "a resource"
        : pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)
          ? "an asset"
          : typeof value === "object"
            ? "an object of a class"
            : `a ${typeof value}`;
  return [`${path} is ${what}`];
}

/** The Chart's `chart`/`repositoryOpts` for a pin: an oci chart is named by its full reference. */
function chartSource(pin: ChartPin): Pick<k8s.helm.v4.ChartArgs, "chart" | "repositoryOpts"> {
  if (pin.repo.startsWith("oci://")) return { chart: `${pin.repo.replace(/\/+$/, "")}/${pin.chart}` };
  return { chart: pin.chart, repositoryOpts: { repo: pin.repo } };
}

export function pinnedChart(
  resourceName: string,
  args: PinnedChartArgs,
  opts: pulumi.ComponentResourceOptions,
): k8s.helm.v4.Chart {
  const { chart } = args;
  if (!exactChartVersion(chart.version)) {
    throw new Error(
      `Helm chart ${chart.chart} has version ${JSON.stringify(chart.version)}, which is not one exact release: pin the chart release you tested (e.g. "3.6.0")`,
    );
  }
  if (!/^(https|oci):\/\//.test(chart.repo)) {
    throw new Error(`Helm chart ${chart.chart}: repository ${chart.repo} is not an https or oci URL`);
  }
  const unplain = unplainValues(args.values);
  if (unplain.length > 0) {
    throw new Error(
      `Helm chart ${chart.chart}: ${unplain.join("; ")}. A helm.v4 Chart renders nothing at preview while a value is unknown, and the objects it renders are not secret: give the chart plain values, and a secret through an existingSecret-style value naming a Secret you make`,
    );
  }
  if (typeof args.namespace !== "string" || args.namespace === "") {
    throw new Error(`Helm chart ${chart.chart}: the namespace must be a plain name`);
  }
  return new k8s.helm.v4.Chart(
    resourceName,
    {
      name: args.name,
      namespace: args.namespace,
      ...chartSource(chart),
      version: chart.version,
      values: args.values as Record<string, unknown>,
    },
    opts,
  );
}
