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
  agentConfig,
  DETACHED_AGENTS_TYPE,
  DetachedK3sAgents,
  GPU_TAINT,
  K3S_INSTALLER,
  K3S_TYPE,
  K3sCluster,
  type K3sClusterArgs,
  renderK3sConfig,
  serverClusterFlags,
  serverConfig,
  TRAEFIK_RESOURCES,
} from "./k3s";
import {
  DEFAULT_KEPT_COMPONENTS,
  K3S_PACKAGED_COMPONENTS,
} from "../../policies/rules/k3s-packaged-components";

const TOKEN = "K3S-TOKEN-CANARY-0123456789";
const AGENT_TOKEN = "K3S-AGENT-TOKEN-CANARY-9876543210";
const CA_HASH = "c0ffee".repeat(10) + "beef";
const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nk3s-unit-test-key\n-----END OPENSSH PRIVATE KEY-----";
const VERSION = "v1.35.6+k3s1";
const ROTATION = "2027-06";
const K3S_YAML = [
  "apiVersion: v1",
  "clusters:",
  "- cluster:",
  "    certificate-authority-data: Q0E=",
  "    server: https://127.0.0.1:6443",
  "  name: default",
  "",
].join("\n");

const hostKeyOf = (name: string) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5host-key-of-${name}`;
const node = (name: string, address: string) => ({ name, address, hostKey: hostKeyOf(name) });

const args: K3sClusterArgs = {
  version: VERSION,
  apiFqdn: "k3s.lab.example",
  servers: [node("srv-1", "10.0.20.11"), node("srv-2", "10.0.20.12"), node("srv-3", "10.0.20.13")],
  agents: [
    { ...node("agent-1", "10.0.20.21"), pool: "general" },
    { ...node("indexer-1", "10.0.20.22"), pool: "indexer" },
  ],
  ssh: { user: "ops", privateKey: pulumi.secret(SSH_KEY) },
  localStoragePath: "/srv/data/local-path",
  certificateRotation: ROTATION,
};
const gpu = { ...node("gpu-1", "10.0.20.23"), pool: "gpu" as const, vmId: 123 };

type Inputs = Record<string, any>;
let resources: CapturedResource[] = [];
let kubeconfig = "";
let kubeconfigSecret = false;
let cluster: K3sCluster;
let romRestart: pulumi.CustomResource;

/** Stands in for the hypervisor's command that sets a GPU VM's ROM file and restarts the VM. */
class RomRestart extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:hypervisor:RomRestart", name, {});
  }
}
/** Per command name, what reached the command (secrets included), as the provider would see it. */
const seen = new Map<string, { stdin?: string; hostKey?: string; stdinSecret: boolean }>();

const commands = () => resources.filter((resource) => resource.type === "command:remote:Command");
const installs = () => commands().filter((resource) => resource.name.endsWith("-k3s-install"));
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
const configOf = (name: string) => {
  const create = (named(`${name}-k3s-install`).inputs as Inputs).create as string;
  const body = /<<'FORTRESS_K3S_CONFIG'\n([\s\S]*?)\nFORTRESS_K3S_CONFIG/.exec(create)?.[1];
  assert.ok(body, `${name} writes no config`);
  return yaml.load(body) as Inputs;
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
            ...(mock.name === "k3s-token" ? { result: TOKEN } : {}),
            ...(mock.name === "k3s-agent-token" ? { result: AGENT_TOKEN } : {}),
            ...(mock.name === "k3s-kubeconfig" ? { stdout: K3S_YAML } : {}),
            ...(mock.name === "k3s-ca-hash" ? { stdout: `${CA_HASH}\n` } : {}),
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
    // What the hypervisor layer says the GPU VM's users wait for (its ROM command's restart).
    romRestart = new RomRestart("rom-restart-of-gpu-1");
    const detached = new DetachedK3sAgents("gpu-agents", {
      join: cluster.agentJoin,
      agents: [gpu],
      waitFor: { "gpu-1": [romRestart] },
    });
    const all = [...cluster.chain, ...detached.installs];
    await Promise.all(
      all.map(
        (install) =>
          new Promise<void>((resolve) =>
            pulumi
              .all([install.urn, install.stdin, pulumi.isSecret(install.stdin), install.connection])
              .apply(([urn, stdin, secret, connection]) => {
                seen.set(urn.split("::").pop() as string, {
                  ...(stdin === undefined ? {} : { stdin }),
                  ...(connection.hostKey === undefined ? {} : { hostKey: connection.hostKey }),
                  stdinSecret: secret,
                });
                resolve();
              }),
          ),
      ),
    );
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
    const detached = named("gpu-agents");
    const outside = new Set([component.name, detached.name, "rom-restart-of-gpu-1"]);
    for (const child of resources.filter((resource) => !outside.has(resource.name)))
      assert.equal(child.parent, child.name.startsWith("gpu-1-") ? detached.urn : component.urn, child.name);
  });

  it("chains the installs: the first server, the other servers in order, then the agents", () => {
    const order = cluster.chain.map((install) => install.urn);
    const names = installs()
      .filter((resource) => resource.parent === named("k3s").urn)
      .map((resource) => resource.name.replace(/-k3s-install$/, ""));
    assert.deepEqual(names, ["srv-1", "srv-2", "srv-3", "agent-1", "indexer-1"]);
    const urnOf = (name: string) => named(`${name}-k3s-install`).urn;
    const installUrns = new Set(installs().map((resource) => resource.urn));
    names.forEach((name, index) => {
      const deps = named(`${name}-k3s-install`).dependencies.filter((urn) => installUrns.has(urn));
      assert.deepEqual(deps, index === 0 ? [] : [urnOf(names[index - 1] as string)], name);
    });
    assert.equal(order.length, 5);
  });

  it("joins a detached agent (the GPU worker) after the servers, outside the chain and its component", () => {
    const install = named("gpu-1-k3s-install");
    assert.equal(named("gpu-agents").type, DETACHED_AGENTS_TYPE);
    const installUrns = new Set(installs().map((resource) => resource.urn));
    assert.deepEqual(
      install.dependencies.filter((urn) => installUrns.has(urn)),
      [named("srv-3-k3s-install").urn],
      "it waits for the last server only",
    );
    for (const other of installs())
      assert.ok(!other.dependencies.includes(install.urn), `${other.name} waits for the GPU agent`);
    assert.ok(!named("k3s-kubeconfig").dependencies.includes(install.urn));
    assert.equal((install.inputs as Inputs).triggers.at(-1), 123, "a rebuilt GPU VM is joined again");
    assert.ok(
      install.dependencies.includes(named("rom-restart-of-gpu-1").urn),
      "the join must wait for the ROM command's restart of its VM",
    );
    assert.deepEqual(configOf("gpu-1")["node-label"], ["fortress/pool=gpu", "nvidia.com/gpu.present=true"]);
    assert.deepEqual(configOf("gpu-1")["node-taint"], [GPU_TAINT]);
  });

  it("initialises etcd on the first server only; the others join it, the agents join the API name", () => {
    assert.equal(configOf("srv-1")["cluster-init"], true);
    assert.equal(configOf("srv-1").server, undefined);
    for (const name of ["srv-2", "srv-3"]) {
      assert.equal(configOf(name).server, "https://10.0.20.11:6443");
      assert.equal(configOf(name)["cluster-init"], undefined);
    }
    for (const name of ["agent-1", "indexer-1", "gpu-1"]) {
      assert.equal(configOf(name).server, "https://k3s.lab.example:6443");
      assert.equal(configOf(name)["token-file"], "/etc/rancher/k3s/token");
      assert.equal(configOf(name)["agent-token-file"], undefined);
    }
    assert.deepEqual(configOf("indexer-1")["node-label"], ["fortress/pool=indexer"]);
    assert.equal(configOf("agent-1")["node-taint"], undefined);
  });

  it("gives every server the same cluster-wide flags, with the API name and every server in tls-san", () => {
    const shared = serverClusterFlags(args);
    assert.deepEqual(shared["tls-san"], ["k3s.lab.example", "10.0.20.11", "10.0.20.12", "10.0.20.13"]);
    args.servers.forEach((_, index) => {
      const config = serverConfig(args, index);
      for (const [key, value] of Object.entries(shared))
        assert.deepEqual(config[key], value, `${index}: ${key}`);
    });
  });

  it("joins agents with their own token and every node with the cluster CA's hash (K10 secure form)", () => {
    assert.deepEqual(configOf("srv-1")["agent-token-file"], "/etc/rancher/k3s/agent-token");
    // The first server has no CA to pin yet: its own token, then the agent token.
    assert.equal(seen.get("srv-1-k3s-install")?.stdin, `${TOKEN}\n${AGENT_TOKEN}\n`);
    for (const name of ["srv-2", "srv-3"])
      assert.equal(
        seen.get(`${name}-k3s-install`)?.stdin,
        `K10${CA_HASH}::server:${TOKEN}\n${AGENT_TOKEN}\n`,
      );
    for (const name of ["agent-1", "indexer-1", "gpu-1"]) {
      const stdin = seen.get(`${name}-k3s-install`)?.stdin ?? "";
      assert.equal(stdin, `K10${CA_HASH}::node:${AGENT_TOKEN}\n`, name);
      assert.ok(!stdin.includes(TOKEN), `${name} holds the server token`);
    }
    for (const [name, { stdinSecret }] of seen) assert.ok(stdinSecret, `${name} stdin is not secret`);
    const hash = named("k3s-ca-hash");
    assert.ok(
      hash.dependencies.includes(named("srv-1-k3s-install").urn),
      "the hash is read once the CA exists",
    );
    assert.match((hash.inputs as Inputs).create, /\/var\/lib\/rancher\/k3s\/server\/token/);
  });

  it("writes each secret line to its own root-only file, as a real shell reads them", () => {
    const create = (named("srv-2-k3s-install").inputs as Inputs).create as string;
    const line = create.split("\n").find((text) => text.startsWith("sudo sh -c 'umask 077"));
    assert.ok(line);
    const dir = mkdtempSync(join(tmpdir(), "fortress-k3s-secrets-"));
    const script = line
      .replace(/^sudo /, "")
      .replaceAll("/etc/rancher/k3s/token", `${dir}/token`)
      .replaceAll("/etc/rancher/k3s/agent-token", `${dir}/agent-token`);
    const stdin = seen.get("srv-2-k3s-install")?.stdin ?? "";
    const result = spawnSync(
      "sh",
      ["-c", `${script} && cat ${dir}/token && cat ${dir}/agent-token && stat -c %a ${dir}/token`],
      {
        input: stdin,
        encoding: "utf8",
      },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `K10${CA_HASH}::server:${TOKEN}\n${AGENT_TOKEN}\n600\n`);
  });

  it("pins every VM's SSH host key on every connection", () => {
    for (const [name, { hostKey }] of seen) {
      const vm = name.replace(/-k3s-install$/, "");
      assert.equal(hostKey, hostKeyOf(vm), name);
    }
    assert.equal(seen.size, 6);
  });

  it("logs nothing from any command: they receive tokens, and one prints the cluster-admin kubeconfig", () => {
    assert.ok(commands().length >= 10);
    for (const command of commands()) assert.equal((command.inputs as Inputs).logging, "none", command.name);
  });

  it("pins the version in every install and re-runs an install when the version changes", () => {
    assert.equal(installs().length, 6);
    for (const install of installs()) {
      const inputs = install.inputs as Inputs;
      assert.match(inputs.create, new RegExp(`INSTALL_K3S_VERSION=${VERSION.replace("+", "\\+")} `));
      assert.ok(!/INSTALL_K3S_CHANNEL/.test(inputs.create));
      assert.equal(inputs.triggers[0], VERSION, `${install.name} triggers`);
      assert.equal(inputs.delete, undefined, "an upgrade (a replacement) must not uninstall k3s");
      // install.sh restarts k3s only when its binary, unit or env file changed, not on a new config.
      assert.match(inputs.create, /INSTALL_K3S_FORCE_RESTART=true/);
    }
  });

  it("runs only the pinned installer, after checking its sha256", () => {
    for (const install of installs()) {
      const create = (install.inputs as Inputs).create as string;
      assert.ok(!create.includes("get.k3s.io"), install.name);
      const fetch = create.indexOf(K3S_INSTALLER.url);
      const check = create.indexOf(`echo '${K3S_INSTALLER.sha256}  '"$work/install.sh" | sha256sum -c`);
      const run = create.indexOf('sh "$work/install.sh"');
      assert.ok(fetch > 0 && check > fetch && run > check, install.name);
      assert.ok(!create.includes("INSTALL_K3S_SKIP_DOWNLOAD"), "online by default");
    }
    assert.match(
      K3S_INSTALLER.url,
      /^https:\/\/raw\.githubusercontent\.com\/k3s-io\/k3s\/[0-9a-f]{40}\/install\.sh$/,
    );
    assert.match(K3S_INSTALLER.sha256, /^[0-9a-f]{64}$/);
  });

  it("re-reads the kubeconfig after an upgrade, a rebuilt first server and a certificate rotation", () => {
    const read = named("k3s-kubeconfig");
    const triggers = (read.inputs as Inputs).triggers as string[];
    assert.equal(triggers[0], VERSION);
    assert.equal(triggers[1], "srv-1-k3s-install-id");
    assert.equal(triggers[2], ROTATION);
    const rotations = commands().filter((command) => command.name.endsWith("-k3s-rotate-certificates"));
    const rotationOf = (name: string) => named(`${name}-k3s-rotate-certificates`);
    assert.deepEqual(
      rotations.map((rotation) => rotation.name.replace(/-k3s-rotate-certificates$/, "")).sort(),
      ["agent-1", "gpu-1", "indexer-1", "srv-1", "srv-2", "srv-3"],
    );
    // Servers first, one at a time, then the agents (the detached GPU agent after the servers too).
    const order: [string, string][] = [
      ["srv-1", "srv-3-k3s-install"],
      ["srv-2", "srv-1-k3s-rotate-certificates"],
      ["srv-3", "srv-2-k3s-rotate-certificates"],
      ["agent-1", "srv-3-k3s-rotate-certificates"],
      ["indexer-1", "agent-1-k3s-rotate-certificates"],
      ["gpu-1", "srv-3-k3s-rotate-certificates"],
    ];
    for (const [name, before] of order)
      assert.ok(rotationOf(name).dependencies.includes(named(before).urn), `${name} after ${before}`);
    for (const rotation of rotations) {
      const inputs = rotation.inputs as Inputs;
      assert.deepEqual(inputs.triggers, [ROTATION]);
      const service = rotation.name.startsWith("srv-") ? "k3s" : "k3s-agent";
      assert.ok(
        inputs.create.includes(
          `sudo systemctl stop ${service}\nsudo k3s certificate rotate\nsudo systemctl start ${service}\n`,
        ),
        rotation.name,
      );
    }
    assert.ok(read.dependencies.includes(rotationOf("srv-3").urn), "read after the servers' rotation");
    for (const agent of ["agent-1", "indexer-1", "gpu-1"])
      assert.ok(!read.dependencies.includes(rotationOf(agent).urn), `the read waits for ${agent}`);
  });

  it("reads the kubeconfig from the first server, points it at the API name, and keeps it secret", () => {
    const read = named("k3s-kubeconfig");
    assert.match((read.inputs as Inputs).create, /cat \/etc\/rancher\/k3s\/k3s\.yaml/);
    assert.ok(kubeconfigSecret, "the kubeconfig is not secret");
    assert.match(kubeconfig, /server: https:\/\/k3s\.lab\.example:6443/);
    assert.ok(!kubeconfig.includes("127.0.0.1"));
  });

  it("never puts a token or the SSH key in plain text in any input", () => {
    const text = JSON.stringify(resources);
    assert.ok(!text.includes(TOKEN), "the k3s token leaked");
    assert.ok(!text.includes(AGENT_TOKEN), "the agent token leaked");
    assert.ok(!text.includes(SSH_KEY), "the SSH key leaked");
    for (const command of commands()) {
      const inputs = command.inputs as Inputs;
      assert.equal(inputs.connection, REDACTED, `${command.name} connection`);
      if (command.name.endsWith("-k3s-install"))
        assert.equal(inputs.stdin, REDACTED, `${command.name} stdin`);
    }
    const tokens = resources.filter(
      (resource) => resource.type === "random:index/randomPassword:RandomPassword",
    );
    assert.deepEqual(tokens.map((token) => token.name).sort(), ["k3s-agent-token", "k3s-token"]);
    for (const token of tokens) assert.ok(((token.inputs as Inputs).length as number) >= 32);
  });

  it("puts local-path volumes on the data disk and disables metrics-server, keeping Traefik and ServiceLB", () => {
    for (const name of ["srv-1", "srv-2", "srv-3"]) {
      assert.equal(configOf(name)["default-local-storage-path"], "/srv/data/local-path");
      assert.deepEqual(configOf(name).disable, ["metrics-server"]);
    }
    const traefik = named("k3s-traefik-config");
    const inputs = traefik.inputs as Inputs;
    assert.equal(inputs.kind, "HelmChartConfig");
    assert.deepEqual(inputs.metadata, { name: "traefik", namespace: "kube-system" });
    assert.deepEqual((yaml.load(inputs.spec.valuesContent) as Inputs).resources, TRAEFIK_RESOURCES);
    assert.equal(traefik.provider, named("k3s-kubernetes").urn);
    const packaged = (named("k3s").inputs as Inputs).packaged;
    assert.deepEqual(packaged, {
      kept: ["coredns", "local-storage", "servicelb", "traefik", "runtimes"],
      disabled: ["metrics-server"],
    });
    // One list with the pack: what the platform keeps is what k3s-packaged-components accepts by default,
    // and every packaged component is either kept or disabled.
    assert.deepEqual(packaged.kept, DEFAULT_KEPT_COMPONENTS);
    assert.deepEqual([...packaged.kept, ...packaged.disabled].sort(), [...K3S_PACKAGED_COMPONENTS].sort());
  });

  it("builds a Kubernetes provider from the kubeconfig, which stays redacted", () => {
    const provider = resources.find((resource) => resource.type === "pulumi:providers:kubernetes");
    assert.ok(provider);
    assert.equal((provider.inputs as Inputs).kubeconfig, REDACTED);
    assert.ok(cluster.provider);
  });

  it("renders each node's config.yaml so that yamllint (strict) accepts it", () => {
    const documents = [
      ...args.servers.map((_, index) => serverConfig(args, index)),
      ...[...args.agents, gpu].map((agent) => agentConfig(args.apiFqdn, agent)),
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
