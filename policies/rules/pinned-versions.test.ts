import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { exactChartVersion, imageProblem, pinnedVersions } from "./pinned-versions";
import { cloudImage, helmRelease, k3sInstall, PINNED_K3S } from "./pinned-versions.fixtures";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const messages = async (...resources: Parameters<typeof evaluatePolicies>[1]) =>
  (await evaluatePolicies([pinnedVersions], resources)).map((violation) => violation.message);
const FLOATING = ["latest"];

describe("pinned-versions", () => {
  it("reads image references: tag, digest, registry port", () => {
    assert.equal(imageProblem("nginx", FLOATING), "has no tag, so it pulls latest");
    assert.equal(imageProblem("registry.local:5000/team/app", FLOATING), "has no tag, so it pulls latest");
    assert.equal(imageProblem("registry.local:5000/team/app:1.2.3", FLOATING), undefined);
    assert.equal(imageProblem("nginx:LATEST", FLOATING), "uses the floating tag LATEST");
    assert.equal(imageProblem("nginx@sha256:abc", FLOATING), undefined);
    assert.match(imageProblem("misp-core:${CORE_TAG}", FLOATING) ?? "", /from a variable/);
  });

  it("finds images under image keys, repository + tag, and image: lines of embedded YAML", async () => {
    const compose = planResource(SDK_TYPES.proxmoxFile, "misp-user-data", {
      contentType: "snippets",
      sourceRaw: {
        data: "#cloud-config\nwrite_files:\n  - content: |\n      services:\n        misp:\n          image: ghcr.io/misp/misp-docker/misp-core:v2.5.17\n        redis:\n          image: valkey/valkey\n",
      },
    });
    assert.deepEqual(await messages(compose), [
      "container image valkey/valkey at sourceRaw.data (embedded YAML) has no tag, so it pulls latest: pin an exact version tag or a digest",
    ]);
    assert.deepEqual(
      await messages(helmRelease({ values: { image: { repository: "wazuh/wazuh-indexer" } } })),
      ["container image wazuh/wazuh-indexer at values.image has no tag: set tag to an exact version"],
    );
    assert.deepEqual(
      await messages(helmRelease({ values: { image: { repository: "a/b", tag: "latest" } } })),
      [
        "container image a/b:latest at values.image.tag uses the floating tag latest: pin an exact version tag or a digest",
      ],
    );
    assert.equal((await messages(helmRelease({ values: { sidecarImage: "busybox:latest" } }))).length, 1);
    assert.equal((await messages(helmRelease({ values: { image: { tag: "latest" } } }))).length, 1);
  });

  it("does not take disk images, URLs or chart repositories for container images", async () => {
    assert.deepEqual(
      await messages(
        helmRelease({
          values: {
            image: "debian-12-generic-amd64.qcow2",
            cloudImage: "https://example.org/disk.img",
            chartRepo: { repository: "https://charts.example.org" },
          },
        }),
      ),
      [],
    );
  });

  it("asks Helm releases and charts for one exact version", async () => {
    for (const version of ["^3.6.0", "3.x", "*", ">=3", "latest", "", "1", "1.2", "3.6"]) {
      assert.equal(exactChartVersion(version), false, version);
    }
    for (const version of ["3.6.0", "v1.2.0", "88.1.0", "1.0.5-rc.1", "1.2.3+build.5"])
      assert.ok(exactChartVersion(version), version);
    const [missing] = await messages(helmRelease({ version: undefined }));
    assert.equal(
      missing,
      'Helm chart opensearch has no version: set version to the chart release you tested (e.g. "3.6.0")',
    );
    const v4 = planResource(SDK_TYPES.helmChartV4, "loki", {
      chart: "oci://ghcr.io/grafana/loki",
      version: "~18",
    });
    assert.match((await messages(v4))[0] ?? "", /has version "~18", which is not one exact release/);
    const local = planResource(SDK_TYPES.helmChartV4, "own", { chart: "./charts/fortress" });
    assert.deepEqual(await messages(local), []);
  });

  it("asks every Helm resource kind for a version: v3 Release, v3 Chart, v4 Chart", async () => {
    const unpinned = [
      planResource(SDK_TYPES.helmChartV4, "loki", { chart: "oci://ghcr.io/grafana/loki" }),
      planResource(SDK_TYPES.helmChartV3, "cert-manager", {
        chart: "cert-manager",
        fetchOpts: { repo: "https://charts.jetstack.io" },
      }),
      helmRelease({ version: "" }),
      helmRelease({ version: undefined, chart: "oci://registry-1.docker.io/bitnamicharts/postgresql" }),
    ];
    for (const resource of unpinned) {
      const [violation] = await messages(resource);
      assert.match(
        violation ?? "",
        /^Helm chart \S+ has no version: set version to the chart release you tested/,
        resource.type,
      );
    }
    const pinned = [
      planResource(SDK_TYPES.helmChartV4, "loki", {
        chart: "oci://ghcr.io/grafana/loki",
        version: "6.30.1",
      }),
      planResource(SDK_TYPES.helmChartV3, "cert-manager", {
        chart: "cert-manager",
        version: "v1.19.4",
      }),
    ];
    for (const resource of pinned) assert.deepEqual(await messages(resource), [], resource.type);
  });

  it("asks cloud images for a checksum and an algorithm, from a dated URL", async () => {
    const [checksum, url] = await messages(
      cloudImage({
        checksumAlgorithm: undefined,
        url: "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-generic-amd64.qcow2",
      }),
    );
    assert.match(checksum ?? "", /^download of https:\/\/cloud\.debian\.org\/.* has no checksumAlgorithm/);
    assert.match(url ?? "", /follows "latest", which moves to each new build/);
    assert.equal(
      (await messages(cloudImage({ url: "https://example.org/images/noble-server-current-amd64.img" })))
        .length,
      1,
    );
    assert.deepEqual(
      await messages(cloudImage({ url: "https://example.org/concurrent/img-20250101.qcow2" })),
      [],
    );
    const upload = planResource(SDK_TYPES.proxmoxFile, "iso", {
      contentType: "iso",
      sourceFile: { path: "https://releases.ubuntu.com/noble/ubuntu-24.04.2-live-server-amd64.iso" },
    });
    assert.match((await messages(upload))[0] ?? "", /has no checksum/);
  });

  it("asks every k3s install for INSTALL_K3S_VERSION=v…", async () => {
    assert.deepEqual(await messages(k3sInstall(PINNED_K3S)), []);
    const [unpinned] = await messages(
      k3sInstall("curl -sfL https://get.k3s.io | INSTALL_K3S_CHANNEL=stable sh -"),
    );
    assert.match(unpinned ?? "", /^k3s install at create does not pin INSTALL_K3S_VERSION/);
    assert.equal(
      (await messages(k3sInstall("curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=latest sh -"))).length,
      1,
    );
    assert.equal(
      (await messages(k3sInstall("curl https://get.k3s.io | sh -", { INSTALL_K3S_VERSION: "stable" })))
        .length,
      1,
    );
  });
});
