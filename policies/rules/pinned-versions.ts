import { exactChartVersion } from "../../vocabulary/versions";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { FILE_TYPE, REDACTED } from "../lib/resources";
import { chartValuesOf, K3S_HELM_CHART_CONFIG_TYPE, K3S_HELM_CHART_TYPE } from "../lib/charts";
import { movingFetches } from "../lib/fetches";

export const DOWNLOAD_TYPES: readonly string[] = [SDK_TYPES.proxmoxDownload, SDK_TYPES.proxmoxDownloadLegacy];
const HELM_TYPES: ReadonlySet<string> = new Set([
  SDK_TYPES.helmReleaseV3,
  SDK_TYPES.helmChartV3,
  SDK_TYPES.helmChartV4,
]);
export const DEFAULT_FLOATING_TAGS = ["latest", "stable", "edge", "nightly", "main", "master", "dev"];

/** Disk images, archives and URLs are files, not container images. */
const NOT_AN_IMAGE = /(:\/\/|\s|\.(qcow2|img|iso|raw|vmdk|tar|gz|tgz|zst|xz|bz2)$)/i;

/** What leaves a container image reference unpinned, or undefined when it is pinned. */
export function imageProblem(reference: string, floatingTags: readonly string[]): string | undefined {
  if (reference.includes("@sha256:")) return undefined;
  const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return "has no tag, so it pulls latest";
  const tag = lastSegment.slice(colon + 1);
  if (tag === "") return "has an empty tag";
  if (/\$\{|\{\{/.test(tag)) return `takes its tag from a variable (${tag}) that this input does not pin`;
  if (floatingTags.includes(tag.toLowerCase())) return `uses the floating tag ${tag}`;
  return undefined;
}

export { exactChartVersion };

const K3S_MENTION = /get\.k3s\.io|INSTALL_K3S_VERSION/;
const K3S_PIN = /INSTALL_K3S_VERSION=["']?v\d+\.\d+\.\d+/;
const PINNED_VERSION = /^v\d+\.\d+\.\d+/;
/** A URL path segment or file-name part that moves: `bookworm/latest/…`, `…-current-…`. */
const MOVING_URL = /(^|[/._-])(latest|current)([/._-]|$)/i;

type Report = (message: string) => void;

/** Walks the inputs for image references, under `*image` keys, `repository` + `tag`, and YAML lines. */
function checkImages(props: unknown, floatingTags: readonly string[], report: Report) {
  const judge = (reference: string, where: string) => {
    const problem = imageProblem(reference.trim(), floatingTags);
    if (problem)
      report(
        `container image ${reference.trim()} at ${where} ${problem}: pin an exact version tag or a digest`,
      );
  };
  const visit = (node: unknown, path: string, key: string) => {
    if (typeof node === "string") {
      if (node === REDACTED) return;
      if (/^image[-_]?tag$/i.test(key) && floatingTags.includes(node.trim().toLowerCase())) {
        report(`image tag ${node.trim()} at ${path} is a floating tag: pin an exact version tag or a digest`);
      } else if (/image$/i.test(key) && !NOT_AN_IMAGE.test(node.trim()) && node.trim() !== "")
        judge(node, path);
      else if (node.includes("\n")) {
        for (const match of node.matchAll(/^[ \t-]*image:[ \t]*["']?([^\s"'#]+)/gm)) {
          if (match[1] && !NOT_AN_IMAGE.test(match[1])) judge(match[1], `${path} (embedded YAML)`);
        }
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`, key));
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const object = node as Record<string, unknown>;
    const { repository, tag, digest } = object;
    if (typeof repository === "string" && !NOT_AN_IMAGE.test(repository) && repository !== "") {
      if (typeof digest === "string" && digest !== "") {
        // pinned by digest
      } else if (typeof tag !== "string" && typeof tag !== "number") {
        report(
          `container image ${repository} at ${path || "(inputs)"} has no tag: set tag to an exact version`,
        );
      } else {
        judge(`${repository}:${String(tag)}`, `${path ? `${path}.` : ""}tag`);
      }
    } else if (/image$/i.test(key) && (typeof tag === "string" || typeof tag === "number")) {
      judge(`image:${String(tag)}`, `${path}.tag`);
    }
    for (const [childKey, child] of Object.entries(object)) {
      if (
        childKey === "__provider" ||
        ((childKey === "tag" || childKey === "repository") && typeof repository === "string")
      ) {
        continue;
      }
      visit(child, path ? `${path}.${childKey}` : childKey, childKey);
    }
  };
  visit(props, "", "");
}

/** Every string of the inputs with where it sits, and the `INSTALL_K3S_VERSION` keys among them. */
function stringsOf(props: unknown): { path: string; key: string; value: string }[] {
  const strings: { path: string; key: string; value: string }[] = [];
  const visit = (node: unknown, path: string, key: string) => {
    if (typeof node === "string") strings.push({ path, key, value: node });
    else if (Array.isArray(node)) node.forEach((item, index) => visit(item, `${path}[${index}]`, key));
    else if (typeof node === "object" && node !== null) {
      for (const [childKey, child] of Object.entries(node)) {
        if (childKey !== "__provider") visit(child, path ? `${path}.${childKey}` : childKey, childKey);
      }
    }
  };
  visit(props, "", "");
  return strings;
}

/**
 * A k3s HelmChart is pinned by its embedded archive (`spec.chartContent`), by a chart URL that names one
 * archive, or by an exact `spec.version` of a repository chart (helm-controller ignores the version when
 * chart is a URL or chartContent is set: k3s-io/helm-controller pkg/apis/helm.cattle.io/v1/types.go).
 */
function checkK3sHelmChart(props: Record<string, unknown>, name: string, report: Report) {
  const spec = (props.spec ?? {}) as Record<string, unknown>;
  if (typeof spec.chartContent === "string" && spec.chartContent !== "") return;
  const chart = typeof spec.chart === "string" ? spec.chart : "";
  if (/^https?:\/\//.test(chart)) {
    const moving = MOVING_URL.exec(new URL(chart).pathname)?.[2];
    if (!chart.startsWith("https://") || !/\.tgz$/.test(chart) || moving) {
      report(
        `k3s HelmChart ${name} installs ${chart}, which is not one https chart archive (.tgz) at a fixed release: point spec.chart at the release's .tgz over https, or embed it as spec.chartContent`,
      );
    }
    return;
  }
  if (!exactChartVersion(spec.version)) {
    report(
      `k3s HelmChart ${name} (chart ${chart || "?"}) ${spec.version === undefined || spec.version === "" ? "has no spec.version" : `has spec.version ${JSON.stringify(spec.version)}, which is not one exact release`}, so helm-controller installs whatever the repository serves: set spec.version to the release you tested`,
    );
  }
}

export const pinnedVersions: ResourceValidationPolicy = {
  name: "pinned-versions",
  description:
    "Everything Fortress installs is pinned: container images by tag or digest (in inputs, Helm values and k3s HelmChart/HelmChartConfig valuesContent), Helm charts and k3s helm.cattle.io/v1 HelmCharts by exact version (or an embedded chartContent or a fixed .tgz URL), cloud images by checksum, k3s by INSTALL_K3S_VERSION; no command or script fetches from a moving URL (/latest/, releases/latest, /master/, /main/, /HEAD/, a branch on raw.githubusercontent.com).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      floatingTags: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_FLOATING_TAGS,
        description: "Container image tags that move, and so pin nothing.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<{ floatingTags?: unknown }>();
    const floatingTags = (
      Array.isArray(config.floatingTags) ? config.floatingTags : DEFAULT_FLOATING_TAGS
    ).map((tag) => String(tag).toLowerCase());
    const props = args.props as Record<string, unknown>;

    checkImages(props, floatingTags, reportViolation);

    if (args.type === K3S_HELM_CHART_TYPE || args.type === K3S_HELM_CHART_CONFIG_TYPE) {
      for (const source of chartValuesOf({ type: args.type, props }).sources.slice(1)) {
        checkImages(source.values, floatingTags, (message) => reportViolation(`${source.path}: ${message}`));
      }
    }
    if (args.type === K3S_HELM_CHART_TYPE) checkK3sHelmChart(props, args.name, reportViolation);

    if (HELM_TYPES.has(args.type)) {
      const chart = String(props.chart ?? args.name);
      const remoteArchive = /^https?:\/\/.*\.tgz$/.test(chart);
      const local = !remoteArchive && (/^(\.{1,2}\/|\/)/.test(chart) || /\.tgz$/.test(chart));
      if (remoteArchive) {
        const moving = MOVING_URL.exec(new URL(chart).pathname)?.[2];
        if (moving || !chart.startsWith("https://")) {
          reportViolation(
            `Helm chart ${chart} is ${moving ? `a "${moving}" archive, which moves` : "fetched over plain HTTP"}: point chart at the release's .tgz over https`,
          );
        }
      } else if (!local && !exactChartVersion(props.version)) {
        reportViolation(
          `Helm chart ${chart} ${props.version === undefined || props.version === "" ? "has no version" : `has version ${JSON.stringify(props.version)}, which is not one exact release`}: set version to the chart release you tested (e.g. "3.6.0")`,
        );
      }
    }

    const download = DOWNLOAD_TYPES.includes(args.type)
      ? { url: props.url, checksum: props.checksum, algorithm: props.checksumAlgorithm, what: "download" }
      : args.type === FILE_TYPE &&
          typeof (props.sourceFile as { path?: unknown } | undefined)?.path === "string"
        ? (() => {
            const source = props.sourceFile as { path: string; checksum?: unknown };
            return /^https?:\/\//.test(source.path)
              ? { url: source.path, checksum: source.checksum, algorithm: "sha256", what: "file" }
              : undefined;
          })()
        : undefined;
    if (download) {
      const url = String(download.url ?? "");
      const missing = [
        ...(typeof download.checksum === "string" && download.checksum !== "" ? [] : ["checksum"]),
        ...(typeof download.algorithm === "string" && download.algorithm !== "" ? [] : ["checksumAlgorithm"]),
      ];
      if (missing.length > 0) {
        reportViolation(
          `${download.what} of ${url || args.name} has no ${missing.join(" or ")}, so a changed or tampered image goes unnoticed: set the checksum the publisher signs (e.g. SHA512SUMS) and its algorithm`,
        );
      }
      const moving = MOVING_URL.exec(new URL(url, "https://x.invalid").pathname)?.[2];
      if (moving) {
        reportViolation(
          `${download.what} URL ${url} follows "${moving}", which moves to each new build: use the dated release directory (e.g. bookworm/20250703-2162/)`,
        );
      }
    }

    const strings = stringsOf(props);
    for (const { path, value } of strings) {
      for (const fetch of movingFetches(value)) {
        reportViolation(
          `${path} fetches ${fetch.url}, which follows ${fetch.why}, so each run may install something else: use a release or commit URL (a tag or a 40-character commit) and check its sha256`,
        );
      }
    }
    // A command that leaves INSTALL_K3S_VERSION to an environment key of the resource defers to that key.
    const versionKey = strings.some(({ key }) => key === "INSTALL_K3S_VERSION");
    for (const { path, key, value } of strings) {
      const unpinned =
        key === "INSTALL_K3S_VERSION"
          ? !PINNED_VERSION.test(value.trim())
          : K3S_MENTION.test(value) &&
            !K3S_PIN.test(value) &&
            !(versionKey && !value.includes("INSTALL_K3S_VERSION="));
      if (unpinned) {
        reportViolation(
          `k3s install at ${path} does not pin INSTALL_K3S_VERSION, so each node installs whatever k3s is current: set INSTALL_K3S_VERSION=v<version>+k3s<n> (e.g. v1.33.4+k3s1), the same on every node`,
        );
      }
    }
  },
};
