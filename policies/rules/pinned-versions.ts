import { exactChartVersion } from "../../vocabulary/versions";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { FILE_TYPE, REDACTED } from "../lib/resources";

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
      if (/image$/i.test(key) && !NOT_AN_IMAGE.test(node.trim()) && node.trim() !== "") judge(node, path);
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

export const pinnedVersions: ResourceValidationPolicy = {
  name: "pinned-versions",
  description:
    "Everything Fortress installs is pinned: container images by tag or digest, Helm charts by version, cloud images by checksum, k3s by INSTALL_K3S_VERSION.",
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

    if (HELM_TYPES.has(args.type)) {
      const chart = String(props.chart ?? args.name);
      const local = /^(\.{1,2}\/|\/)/.test(chart) || /\.tgz$/.test(chart);
      if (!local && !exactChartVersion(props.version)) {
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
