import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { type CapturedResource, captureRegistrations, REDACTED } from "../../stacks/plan/capture";
import {
  GPU_TAINT,
  K3S_TYPE,
  K3sCluster,
  type K3sClusterArgs,
  k3sNodeConfig,
  renderK3sConfig,
  serverClusterFlags,
} from "./k3s";

const TOKEN = "K3S-TOKEN-CANARY-0123456789";
const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nk3s-unit-test-key\n-----END OPENSSH PRIVATE KEY-----";
const VERSION = "v1.33.13+k3s1";
const K3S_YAML = [
  "apiVersion: v1",
  "clusters:",
  "- cluster:",
  "    certificate-authority-data: Q0E=",
  "    server: https://127.0.0.1:6443",
  "  name: default",
  "",
].join("\n");

const args: K3sClusterArgs = {
  version: VERSION,
  apiFqdn: "k3s.lab.example",
  servers: [
    { name: "srv-1", address: "10.0.20.11" },
    { name: "srv-2", address: "10.0.20.12" },
    { name: "srv-3", address: "10.0.20.13" },
  ],
  agents: [
    { name: "agent-1", address: "10.0.20.21", pool: "general" },
    { name: "indexer-1", address: "10.0.20.22", pool: "indexer" },
    { name: "gpu-1", address: "10.0.20.23", pool: "gpu" },
  ],
  ssh: { user: "ops", privateKey: pulumi.secret(SSH_KEY) },
};

type Inputs = Record<string, any>;
let resources: CapturedResource[] = [];
let kubeconfig = "";
let kubeconfigSecret = false;
let cluster: K3sCluster;

const commands = () => resources.filter((resource) => resource.type === "command:remote:Command");
const installs = () => commands().filter((resource) => resource.name.endsWith("-k3s-install"));
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};

/** Runs Debian's yamllint (strict) on a document; .ci/run installs it. */
export function yamllint(document: string): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), "fortress-k3s-")), "config.yaml");
  writeFileSync(file, document);
  const result = spawnSync(
    "yamllint",
    ["--strict", "-d", "{extends: default, rules: {line-length: {max: 200}}}", file],
    {
      encoding: "utf8",
    },
  );
  if (result.error)
    throw new Error(`yamllint is not installed (apt-get install yamllint): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("K3sCluster", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => ({
          id: `${mock.name}-id`,
          state: {
            ...mock.inputs,
            ...(mock.type === "random:index/randomPassword:RandomPassword" ? { result: TOKEN } : {}),
            ...(mock.type === "command:remote:Command" && mock.name.endsWith("-kubeconfig")
              ? { stdout: K3S_YAML }
              : {}),
          },
        }),
        call: (mock) => mock.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    cluster = new K3sCluster("k3s", args);
    await new Promise<void>((resolve) =>
      pulumi.all([cluster.kubeconfig, pulumi.isSecret(cluster.kubeconfig)]).apply(([text, secret]) => {
        kubeconfig = text;
        kubeconfigSecret = secret;
        resolve();
      }),
    );
    await pulumi.runtime.disconnect();
  });

  it("registers as fortress:platform:K3s with plain args, every child parented to it", () => {
    const component = named("k3s");
    assert.equal(component.type, K3S_TYPE);
    assert.ok(!JSON.stringify(component.inputs).includes(SSH_KEY));
    for (const child of resources.filter((resource) => resource !== component))
      assert.equal(child.parent, component.urn, child.name);
  });

  it("chains the installs: the first server, the other servers in order, then the agents", () => {
    const order = installs().map((resource) => resource.name.replace(/-k3s-install$/, ""));
    assert.deepEqual(order, ["srv-1", "srv-2", "srv-3", "agent-1", "indexer-1", "gpu-1"]);
    const urnOf = (name: string) => named(`${name}-k3s-install`).urn;
    const installUrns = new Set(installs().map((resource) => resource.urn));
    order.forEach((name, index) => {
      const deps = named(`${name}-k3s-install`).dependencies.filter((urn) => installUrns.has(urn));
      assert.deepEqual(deps, index === 0 ? [] : [urnOf(order[index - 1] as string)], name);
    });
    assert.equal(cluster.chain.length, 6);
  });

  it("initialises etcd on the first server only; the others join it, the agents join the API name", () => {
    const configOf = (name: string) => {
      const create = (named(`${name}-k3s-install`).inputs as Inputs).create as string;
      const body = /<<'FORTRESS_K3S_CONFIG'\n([\s\S]*?)\nFORTRESS_K3S_CONFIG/.exec(create)?.[1];
      assert.ok(body, `${name} writes no config`);
      return yaml.load(body) as Inputs;
    };
    assert.equal(configOf("srv-1")["cluster-init"], true);
    assert.equal(configOf("srv-1").server, undefined);
    for (const name of ["srv-2", "srv-3"]) {
      assert.equal(configOf(name).server, "https://10.0.20.11:6443");
      assert.equal(configOf(name)["cluster-init"], undefined);
    }
    for (const name of ["agent-1", "indexer-1", "gpu-1"]) {
      assert.equal(configOf(name).server, "https://k3s.lab.example:6443");
      assert.equal(configOf(name)["token-file"], "/etc/rancher/k3s/token");
    }
    assert.deepEqual(configOf("indexer-1")["node-label"], ["fortress/pool=indexer"]);
    assert.deepEqual(configOf("gpu-1")["node-label"], ["fortress/pool=gpu", "nvidia.com/gpu.present=true"]);
    assert.deepEqual(configOf("gpu-1")["node-taint"], [GPU_TAINT]);
    assert.equal(configOf("agent-1")["node-taint"], undefined);
  });

  it("gives every server the same cluster-wide flags, with the API name and every server in tls-san", () => {
    const shared = serverClusterFlags(args);
    assert.deepEqual(shared["tls-san"], ["k3s.lab.example", "10.0.20.11", "10.0.20.12", "10.0.20.13"]);
    args.servers.forEach((_, index) => {
      const config = k3sNodeConfig(args, { kind: "server", index });
      for (const [key, value] of Object.entries(shared))
        assert.deepEqual(config[key], value, `${index}: ${key}`);
    });
  });

  it("pins the version in every install and re-runs an install when the version changes", () => {
    assert.equal(installs().length, 6);
    for (const install of installs()) {
      const inputs = install.inputs as Inputs;
      assert.match(inputs.create, new RegExp(`INSTALL_K3S_VERSION=${VERSION.replace("+", "\\+")} `));
      assert.ok(!/INSTALL_K3S_CHANNEL/.test(inputs.create));
      assert.equal(inputs.triggers[0], VERSION, `${install.name} triggers`);
      assert.equal(inputs.delete, undefined, "an upgrade (a replacement) must not uninstall k3s");
    }
    const readTriggers = (named("k3s-kubeconfig").inputs as Inputs).triggers as string[];
    assert.equal(readTriggers[0], VERSION, "the kubeconfig is read again after an upgrade");
    assert.equal(readTriggers.length, 2, "and after the first server is rebuilt (its id)");
  });

  it("waits, bounded, for each server's API before the next node, and for each agent's service", () => {
    for (const install of installs()) {
      const create = (install.inputs as Inputs).create as string;
      assert.match(create, /for attempt in \$\(seq 1 \d+\); do/);
      assert.match(create, /exit 1$/);
      if (install.name.startsWith("srv")) assert.match(create, /k3s kubectl get --raw \/readyz/);
      else assert.match(create, /systemctl is-active --quiet k3s-agent/);
    }
  });

  it("never puts the token or the SSH key in plain text in any input", () => {
    const text = JSON.stringify(resources);
    assert.ok(!text.includes(TOKEN), "the k3s token leaked");
    assert.ok(!text.includes(SSH_KEY), "the SSH key leaked");
    for (const command of commands()) {
      const inputs = command.inputs as Inputs;
      assert.equal(inputs.connection, REDACTED, `${command.name} connection`);
      if (command.name.endsWith("-k3s-install"))
        assert.equal(inputs.stdin, REDACTED, `${command.name} stdin`);
    }
    const token = resources.find(
      (resource) => resource.type === "random:index/randomPassword:RandomPassword",
    );
    assert.ok(token);
    assert.ok(((token.inputs as Inputs).length as number) >= 32);
  });

  it("reads the kubeconfig from the first server, points it at the API name, and keeps it secret", () => {
    const read = named("k3s-kubeconfig");
    assert.match((read.inputs as Inputs).create, /cat \/etc\/rancher\/k3s\/k3s\.yaml/);
    assert.ok(read.dependencies.includes(named("srv-3-k3s-install").urn), "read after the last server");
    assert.ok(kubeconfigSecret, "the kubeconfig is not secret");
    assert.match(kubeconfig, /server: https:\/\/k3s\.lab\.example:6443/);
    assert.ok(!kubeconfig.includes("127.0.0.1"));
  });

  it("builds a Kubernetes provider from the kubeconfig, which stays redacted", () => {
    const provider = resources.find((resource) => resource.type === "pulumi:providers:kubernetes");
    assert.ok(provider);
    assert.equal((provider.inputs as Inputs).kubeconfig, REDACTED);
    assert.ok(cluster.provider);
  });

  it("renders each node's config.yaml so that yamllint (strict) accepts it", () => {
    const documents = [
      ...args.servers.map((_, index) => k3sNodeConfig(args, { kind: "server", index })),
      ...args.agents.map((_, index) => k3sNodeConfig(args, { kind: "agent", index })),
    ].map(renderK3sConfig);
    for (const document of documents) {
      const { status, output } = yamllint(document);
      assert.equal(status, 0, output);
    }
  });

  it("refuses an even number of servers (etcd quorum)", () => {
    assert.throws(
      () => new K3sCluster("even", { ...args, servers: args.servers.slice(0, 2) }),
      /odd number of servers/,
    );
  });
});
