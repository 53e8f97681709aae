/**
 * The smb profile planned offline on a cluster the business already runs (test/fixtures/Pulumi.smb.yaml:
 * platform.mode existing, three 32 GB / 8-core nodes in platform.cluster.nodes, the load balancer's
 * addresses for the three routes, backup.s3, the kubeconfig as a secret), with the VMs that must be VMs
 * on two Proxmox nodes. The secure values are replaced by known plaintext, as in home-plan.test.ts, so
 * that a leak anywhere in the output would show.
 */
import assert from "node:assert/strict";
import { COMPONENT_TYPES } from "../vocabulary/typeTokens";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { mayDependOn } from "../stacks/blueprint";
import { EXIT, type PlanOutcome, plan } from "../stacks/plan/cli";
import type { PlanDocument, PlanResource } from "../stacks/plan/document";

const root = join(__dirname, "..");
const out = mkdtempSync(join(tmpdir(), "fortress-smb-plan-"));
const SECRET_MARK = "PLAINTEXTSECRETCANARY";
/** The fixture's platform.cluster.loadBalancer. */
const ROUTES = { indexer: "10.10.20.60", clamd: "10.10.20.61", syslog: "10.10.20.62" } as const;

/** A secure: value in the Pulumi CLI's v1:<nonce>:<ciphertext> form that carries the mark. */
function canary(suffix: string): string {
  const text = `${SECRET_MARK}${suffix}`;
  return `v1:AAAAAAAAAAAAAAAA:${text}${"A".repeat((4 - (text.length % 4)) % 4)}`;
}

type Inputs = Record<string, any>;

let outcome: PlanOutcome;
let document: PlanDocument;
let planJson: string;
const byName = (name: string): PlanResource => {
  const resource = document.resources.find((candidate) => candidate.name === name);
  assert.ok(resource, `no resource ${name}`);
  return resource;
};
const inputsOf = (name: string) => byName(name).inputs as Inputs;

describe("the smb plan on an existing cluster", () => {
  before(async () => {
    let counter = 0;
    const smb = readFileSync(join(root, "test/fixtures/Pulumi.smb.yaml"), "utf8");
    const withCanaries = smb.replace(
      /^(\s+)secure: \S+$/gm,
      (_, indent) => `${indent}secure: ${canary(String(++counter))}`,
    );
    assert.equal(
      counter,
      9,
      "the smb fixture holds nine secure values (the home six, kubeconfig, two S3 keys)",
    );
    const configFile = join(out, "Pulumi.smb.yaml");
    writeFileSync(configFile, withCanaries);
    outcome = await plan({ configFile, outDir: out, width: 100 });
    planJson = readFileSync(join(out, "plan.json"), "utf8");
    document = JSON.parse(planJson) as PlanDocument;
  });

  it("exits 0 with no violations, every layer built", () => {
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    assert.deepEqual(document.violations, []);
    assert.match(outcome.text, /^Fortress plan for stack "smb": \d+ resources$/m);
    const notBuilt = document.layers.filter((layer) => layer.status !== "built").map((layer) => layer.name);
    assert.deepEqual(notBuilt, []);
  });

  it("runs the indexer as three nodes without mmap (an existing cluster's vm.max_map_count is not Fortress's to set)", () => {
    const config = document.resources.find((resource) => resource.name === "siem-indexer-config");
    const yml = JSON.stringify(config?.inputs ?? {});
    assert.match(yml, /node\.store\.allow_mmap: false/);
    assert.match(yml, /cluster\.initial_cluster_manager_nodes/);
  });

  it("copies the indexer's snapshots and both PostgreSQL databases (Keycloak's, Grafana's) to S3 each night", () => {
    const backups = document.resources.filter((resource) => resource.type === COMPONENT_TYPES.s3Backup);
    assert.deepEqual(backups.map((resource) => resource.name).sort(), [
      "grafana-postgres",
      "keycloak-postgres",
      "wazuh-snapshots",
    ]);
  });

  it("draws resource edges only along the blueprint DAG", () => {
    const layerOf = new Map(document.resources.map((resource) => [resource.urn, resource.layer]));
    for (const resource of document.resources)
      for (const dependency of resource.dependencies) {
        const to = layerOf.get(dependency);
        if (resource.layer && to)
          assert.ok(mayDependOn(resource.layer, to), `${resource.name} → ${dependency}`);
      }
    assert.ok(!document.violations.some((violation) => violation.policy === "blueprint-dag"));
  });

  it("plans VMs only for the Wazuh manager, Greenbone, MISP and Zeek: no k3s VM, no workstation", () => {
    const vms = document.resources
      .filter((resource) => resource.type === "proxmoxve:index/vmLegacy:VmLegacy")
      .map((resource) => resource.name)
      .sort();
    assert.deepEqual(vms, ["greenbone-1", "misp-1", "wazuh-manager-1", "zeek-1"]);
    const placed = document.placement.flatMap((node) => node.vms.map((vm) => vm.name)).sort();
    assert.deepEqual(placed, ["greenbone-1", "misp-1", "wazuh-manager-1", "zeek-1"]);
  });

  it("reaches the cluster by the kubeconfig secret and builds no k3s", () => {
    const platform = document.resources.filter((resource) => resource.layer === "platform");
    assert.ok(!platform.some((resource) => resource.type === "fortress:platform:K3s"));
    const provider = platform.find((resource) => resource.type === "pulumi:providers:kubernetes");
    assert.equal((provider?.inputs as { kubeconfig: string }).kubeconfig, "[secret]");
    assert.ok(
      !document.resources.some((resource) => /k3s-(server|agent|indexer|gpu)-\d/.test(resource.name)),
    );
    assert.ok(!planJson.includes(SECRET_MARK), "a secret reached plan.json");
    assert.ok(!outcome.text.includes(SECRET_MARK), "a secret reached the printed plan");
  });

  it("serves the three routes at the addresses the load balancer hands out, keeping the senders' addresses", () => {
    const routes = [
      ["siem-indexer-manager-service", ROUTES.indexer],
      ["endpoint-clamav-clamd-service", ROUTES.clamd],
      ["monitoring-vector-route", ROUTES.syslog],
    ] as const;
    for (const [name, address] of routes) {
      const service = inputsOf(name);
      assert.equal(service.metadata.annotations["metallb.io/loadBalancerIPs"], address, name);
      assert.equal(service.metadata.annotations["kube-vip.io/loadbalancerIPs"], address, name);
      // MetalLB up to v0.14.8 reads only the old name; kube-vip in ARP mode needs an election per Service.
      assert.equal(service.metadata.annotations["metallb.universe.tf/loadBalancerIPs"], address, name);
      assert.equal(service.metadata.annotations["kube-vip.io/forcePerServiceElection"], "true", name);
      assert.equal(service.spec.loadBalancerIP, undefined, name);
      assert.equal(service.spec.externalTrafficPolicy, "Local", name);
      assert.equal(service.spec.allocateLoadBalancerNodePorts, false, name);
    }
    // No Service asks for ServiceLB's Cluster policy, and no policy admits k3s's ServiceLB pods.
    const services = document.resources.filter((resource) => resource.type === "kubernetes:core/v1:Service");
    const exposed = services.filter((resource) => (resource.inputs as Inputs).spec?.type === "LoadBalancer");
    assert.deepEqual(exposed.map((resource) => resource.name).sort(), routes.map(([name]) => name).sort());
    assert.ok(!planJson.includes("svccontroller.k3s.cattle.io"), "a policy admits k3s ServiceLB pods");
    // The firewall's syslog arrives from its address on the servers network, which the route alone admits.
    assert.deepEqual(inputsOf("monitoring-vector-from-route").spec.ingress, [
      { from: [{ ipBlock: { cidr: "10.10.20.1/32" } }], ports: [{ protocol: "UDP", port: 514 }] },
    ]);
    // The manager's Filebeat and the shippers (Vector on the Greenbone and Zeek VMs), each its /32.
    const address = (name: string) =>
      document.placement.flatMap((node) => node.vms).find((vm) => vm.name === name)?.address;
    const senders = ["wazuh-manager-1", "greenbone-1", "zeek-1"].map((name) => `${address(name)}/32`);
    assert.deepEqual(
      [...inputsOf("siem-indexer-manager-service").spec.loadBalancerSourceRanges].sort(),
      senders.sort(),
    );
  });

  it("opens the firewall to the routes' addresses: clamd from the agent zones, 9200 from Zeek's network", () => {
    const flows = document.hostFlows ?? [];
    const to = (address: string) => flows.filter((flow) => flow.address === address);
    assert.deepEqual(
      to(ROUTES.clamd).map((flow) => [flow.from, flow.to, flow.services.join(",")]),
      [
        ["mgmt", "servers", "clamd"],
        ["sensors", "servers", "clamd"],
        ["users", "servers", "clamd"],
      ],
    );
    assert.deepEqual(
      to(ROUTES.indexer).map((flow) => [flow.from, flow.to, flow.services.join(",")]),
      [["sensors", "servers", "opensearch"]],
    );
    // The firewall's own syslog leaves by its built-in outbound rule (stacks/hostFlows.ts): no flow.
    assert.deepEqual(to(ROUTES.syslog), []);
  });

  it("points the manager's Filebeat and the shippers at the indexer's route, and the firewall's syslog at the aggregator's", () => {
    const url = `https://${ROUTES.indexer}:9200`;
    for (const name of ["siem-manager-install", "sensors-vector-install", "vuln-vector-install"])
      assert.ok(JSON.stringify(inputsOf(name)).includes(url), `${name} does not dial ${url}`);
    assert.deepEqual(inputsOf("siem-indexer-node-certificate").spec.ipAddresses, [ROUTES.indexer]);
    assert.equal(inputsOf("monitoring-opnsense-syslog").fields.hostname, ROUTES.syslog);
  });
});
