import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureRegistrations, REDACTED } from "../../stacks/plan/capture";
import type { BaselineArgs } from "./baseline";
import { Platform, PLATFORM_TYPE } from "./platform";

const KUBECONFIG =
  "apiVersion: v1\nclusters:\n- cluster:\n    server: https://kube.example:6443\n  name: mine\n";
const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nplatform-unit-test\n-----END OPENSSH PRIVATE KEY-----";

const baseline: BaselineArgs = {
  namespaces: [
    { name: "fortress-identity", layer: "identity", podSecurity: "restricted" },
    { name: "fortress-sensors", layer: "sensors", podSecurity: "privileged" },
  ],
  flows: [{ from: "fortress-sensors", to: "fortress-identity", ports: [{ port: 8443, protocol: "TCP" }] }],
  caCommonName: "Fortress test CA",
};

type Inputs = Record<string, any>;
let existing: CapturedResource[] = [];
let k3s: CapturedResource[] = [];
let existingKubeconfigSecret = false;

describe("Platform", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => ({ id: `${mock.name}-id`, state: { ...mock.inputs } }),
        call: (mock) => mock.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    const all = captureRegistrations();
    const mine = new Platform("existing", { mode: "existing", kubeconfig: KUBECONFIG, baseline });
    const own = new Platform("own", {
      mode: "k3s",
      k3s: {
        version: "v1.35.6+k3s1",
        apiFqdn: "k3s.lab.example",
        servers: [{ name: "srv-1", address: "10.0.20.11", hostKey: "ssh-ed25519 AAAAsrv1" }],
        agents: [
          { name: "agent-1", address: "10.0.20.21", hostKey: "ssh-ed25519 AAAAagent1", pool: "general" },
        ],
        ssh: { user: "ops", privateKey: pulumi.secret(SSH_KEY) },
        localStoragePath: "/srv/data/local-path",
      },
    });
    await new Promise<void>((resolve) =>
      pulumi.all([pulumi.isSecret(mine.kubeconfig), own.kubeconfig]).apply(([secret]) => {
        existingKubeconfigSecret = secret;
        resolve();
      }),
    );
    await pulumi.runtime.disconnect();
    const under = (root: string) => {
      const component = all.find((resource) => resource.name === root && resource.type === PLATFORM_TYPE);
      assert.ok(component, root);
      const members = new Set([component.urn]);
      for (const resource of all)
        if (resource.parent && members.has(resource.parent)) members.add(resource.urn);
      return all.filter((resource) => members.has(resource.urn));
    };
    existing = under("existing");
    k3s = under("own");
  });

  it("in mode existing, builds a provider from the kubeconfig secret and no k3s chain", () => {
    assert.equal(
      existing.filter((resource) => resource.type.startsWith("command:")).length,
      0,
      "no remote command for an existing cluster",
    );
    assert.ok(!existing.some((resource) => resource.type === "fortress:platform:K3s"));
    assert.ok(!existing.some((resource) => resource.type.startsWith("random:")), "no k3s token");
    const provider = existing.find((resource) => resource.type === "pulumi:providers:kubernetes");
    assert.ok(provider);
    assert.equal((provider.inputs as Inputs).kubeconfig, REDACTED);
    assert.ok(existingKubeconfigSecret);
    assert.ok(!JSON.stringify(existing).includes("kube.example"), "the kubeconfig stays redacted");
  });

  it("builds the Kubernetes baseline on the cluster's provider when asked", () => {
    const provider = existing.find((resource) => resource.type === "pulumi:providers:kubernetes");
    const namespaces = existing.filter((resource) => resource.type === "kubernetes:core/v1:Namespace");
    assert.ok(namespaces.length >= 2);
    for (const namespace of namespaces) assert.equal(namespace.provider, provider?.urn, namespace.name);
  });

  it("in mode k3s, holds the k3s chain and uses its provider; no baseline unless asked", () => {
    assert.equal(k3s.filter((resource) => resource.type === "fortress:platform:K3s").length, 1);
    assert.equal(k3s.filter((resource) => resource.name.endsWith("-k3s-install")).length, 2);
    assert.equal(k3s.filter((resource) => resource.type === "pulumi:providers:kubernetes").length, 1);
    assert.ok(!k3s.some((resource) => resource.type === "fortress:platform:Baseline"));
    assert.ok(
      !k3s.some((resource) => resource.name.endsWith("-k3s-rotate-certificates")),
      "no certificate rotation unless a rotation label is set",
    );
  });
});
