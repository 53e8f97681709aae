import { planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf, SDK_TYPES } from "../../vocabulary/sdkTypes";

export const cloudImage = (inputs: Record<string, unknown> = {}) =>
  planResource(SDK_TYPES.proxmoxDownload, "hypervisor-image-pve1", {
    checksum: "c651c2f3fd1ee342f225724959a86a97ad804027c3f057e03189455d093d07a0",
    checksumAlgorithm: "sha512",
    contentType: "import",
    datastoreId: "local",
    fileName: "debian-12-generic-amd64-20250703-2162.qcow2",
    nodeName: "pve1",
    url: "https://cloud.debian.org/images/cloud/bookworm/20250703-2162/debian-12-generic-amd64-20250703-2162.qcow2",
    ...inputs,
  });

export const helmRelease = (inputs: Record<string, unknown> = {}) =>
  planResource(SDK_TYPES.helmReleaseV3, "opensearch", {
    chart: "opensearch",
    version: "3.6.0",
    repositoryOpts: { repo: "https://opensearch-project.github.io/helm-charts/" },
    values: { image: { repository: "opensearchproject/opensearch", tag: "3.6.0" } },
    ...inputs,
  });

export const k3sInstall = (create: string, environment?: Record<string, string>) =>
  planResource(pulumiTypeOf(command.remote.Command), "k3s-install", {
    create,
    ...(environment ? { environment } : {}),
  });

export const PINNED_K3S =
  "curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=v1.33.4+k3s1 sh -s - server --cluster-init";

export const fixtures: PolicyFixtures = {
  passing: [
    {
      name: "a checksummed dated cloud image, a pinned chart and a pinned k3s",
      resources: [cloudImage(), helmRelease(), k3sInstall(PINNED_K3S)],
    },
    {
      name: "images by digest, k3s pinned through the environment",
      resources: [
        planResource(pulumiTypeOf(k8s.apps.v1.Deployment), "vaultwarden", {
          spec: {
            template: {
              spec: { containers: [{ name: "vw", image: "vaultwarden/server@sha256:" + "a".repeat(64) }] },
            },
          },
        }),
        k3sInstall("curl -sfL https://get.k3s.io | sh -", { INSTALL_K3S_VERSION: "v1.33.4+k3s1" }),
      ],
    },
  ],
  failing: [
    {
      name: "a cloud image from latest/ without a checksum",
      resources: [
        cloudImage({
          url: "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-generic-amd64.qcow2",
          checksum: undefined,
          checksumAlgorithm: undefined,
        }),
      ],
    },
    { name: "a chart without a version", resources: [helmRelease({ version: undefined })] },
    {
      name: "an image on latest",
      resources: [
        planResource(pulumiTypeOf(k8s.apps.v1.Deployment), "misp", {
          spec: {
            template: {
              spec: { containers: [{ name: "misp", image: "ghcr.io/misp/misp-docker/misp-core:latest" }] },
            },
          },
        }),
      ],
    },
    { name: "k3s from get.k3s.io unpinned", resources: [k3sInstall("curl -sfL https://get.k3s.io | sh -")] },
  ],
};
