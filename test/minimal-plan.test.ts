/**
 * The minimal profile planned offline (Pulumi.minimal.yaml: one M710q, `lab.profile: minimal`), as
 * `npm run plan -- --config Pulumi.minimal.yaml` does it: clean, on one node with RAM to spare, every
 * layer built but vuln (no service on), along the blueprint DAG; no TheHive, Cortex, MISP, Greenbone or
 * Keycloak, and what stands in for them: the manager's containment alone, Vaultwarden's own login, the
 * Wazuh dashboard's and Grafana's generated break-glass admins, Alertmanager with no TheHive receiver;
 * and the worked example's hops as the plan reports them, the skipped ones with the reason.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as yaml from "js-yaml";
import { blueprintDag } from "../policies/rules/blueprint-dag";
import { evaluatePolicies } from "../policies/lib/offline";
import { mayDependOn } from "../stacks/blueprint";
import { EXIT, type PlanOutcome, plan } from "../stacks/plan/cli";
import type { PlanDocument } from "../stacks/plan/document";
import { labMocks } from "../stacks/plan/mocks";
import { runProgram } from "../stacks/plan/run";
import { readStackConfig } from "../stacks/plan/stackConfig";
import { run } from "./support/debianTools";

const root = join(__dirname, "..");
const CONFIG = join(root, "Pulumi.minimal.yaml");
/** The least share of the node's allocatable RAM (after the Proxmox reserve) the minimal plan leaves free. */
const MIN_HEADROOM = 0.1;

let outcome: PlanOutcome;
let document: PlanDocument;

const named = (name: string) => {
  const found = document.resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
};
const ofLayer = (layer: string) => document.resources.filter((resource) => resource.layer === layer);

describe("the minimal profile's plan", () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "fortress-minimal-plan-"));
    outcome = await plan({ configFile: CONFIG, outDir: out, width: 100 });
    document = JSON.parse(readFileSync(join(out, "plan.json"), "utf8")) as PlanDocument;
  });

  it("exits 0 with no violations", () => {
    assert.equal(outcome.exitCode, EXIT.ok, outcome.text);
    assert.deepEqual(document.violations, []);
    assert.match(outcome.text, /^Fortress plan for stack "minimal": \d+ resources$/m);
    assert.match(outcome.text, /^ {2}violations 0 \(0 mandatory\)$/m);
  });

  it("places every VM on its one node, with at least 10 % of its allocatable RAM free", () => {
    assert.equal(document.placement.length, 1);
    const [node] = document.placement;
    assert.ok(node);
    assert.equal(node.node, "pve1");
    assert.equal(node.capacity.memoryGb, 14, "16 GB less the 2 GB kept for Proxmox");
    assert.ok(
      node.used.memoryGb <= node.capacity.memoryGb * (1 - MIN_HEADROOM) + 1e-9,
      `pve1: ${node.used.memoryGb}/${node.capacity.memoryGb} GB`,
    );
    assert.ok(node.used.cores <= node.capacity.cores && node.used.diskGb <= node.capacity.diskGb);
    assert.deepEqual(node.vms.map((vm) => vm.name).sort(), [
      "k3s-server-1",
      "wazuh-manager-1",
      "workstation-1",
    ]);
  });

  it("builds every layer but vuln, which has no service on, and says so", () => {
    const status = Object.fromEntries(document.layers.map((layer) => [layer.name, layer.status]));
    for (const [layer, value] of Object.entries(status))
      assert.equal(value, layer === "vuln" ? "no service on" : "built", layer);
    assert.deepEqual(ofLayer("vuln"), []);
    assert.match(outcome.text, /^vuln: no service on$/m);
    assert.match(outcome.text, /^ {2}vuln ← siem {2}\[no service on\]$/m);
  });

  it("keeps to the blueprint DAG: the stack policy holds and every dependency points upstream", async () => {
    assert.deepEqual(await evaluatePolicies([blueprintDag], document.resources), []);
    const layerOf = new Map(document.resources.map((resource) => [resource.urn, resource.layer]));
    let edges = 0;
    for (const resource of document.resources)
      for (const dependency of resource.dependencies) {
        const to = layerOf.get(dependency);
        if (!resource.layer || !to) continue;
        edges += 1;
        assert.ok(mayDependOn(resource.layer, to), `${resource.name} → ${dependency}`);
      }
    assert.ok(edges > 100, "too few dependencies for the check to mean anything");
    const observed = document.edges.filter((edge) => edge.observed).map((edge) => `${edge.from}->${edge.to}`);
    assert.ok(observed.includes("response->siem") && observed.includes("monitoring->response"));
    assert.ok(!observed.some((edge) => edge.includes("vuln")), "nothing depends on the unbuilt vuln layer");
  });

  it("reports the worked example: the agent, the escalation, the containment and the dashboards run; TheHive, MISP, Greenbone and the analyst's click are skipped, each with why", () => {
    const hops = document.workedExample ?? [];
    assert.deepEqual(
      hops.map((hop) => [hop.hop.split(" ")[0], hop.skipped === undefined ? "runs" : "skipped", hop.missing]),
      [
        ["1", "runs", []],
        ["2", "runs", []],
        ["3", "skipped", []],
        ["4", "skipped", []],
        ["5", "runs", []],
        ["6", "skipped", []],
        ["7", "skipped", []],
        ["8", "runs", []],
      ],
    );
    const hop = (n: string) => hops.find((candidate) => candidate.hop.startsWith(`${n} `));
    assert.deepEqual(hop("5")?.configuredBy.slice(0, 2), [
      "response-containment",
      "network-alias-fz_quarantine",
    ]);
    assert.ok(hop("1")?.configuredBy.includes("endpoint-clamav-clamav"));
    assert.match(hop("3")?.skipped ?? "", /^the lab runs no thehive: /);
    assert.match(hop("4")?.skipped ?? "", /^the lab runs no cortex, no misp: /);
    assert.match(hop("6")?.skipped ?? "", /^the lab runs no greenbone: no rescan/);
    assert.match(hop("7")?.skipped ?? "", /^the lab runs no thehive, no cortex: .*fortress-contain delete/);
    assert.match(outcome.text, /^✓ 5 the host is contained on OPNsense: response-containment, /m);
    assert.match(
      outcome.text,
      /^– 3 a TheHive alert, once per Wazuh alert id: skipped, the lab runs no thehive/m,
    );
    assert.doesNotMatch(outcome.text, /^✗ /m, "no hop is missing what its services should configure");
  });

  it("runs every workload on the one k3s server: no taint on it, no node selector a pool would need", () => {
    const install = JSON.stringify(named("k3s-server-1-k3s-install").inputs);
    assert.match(install, /node-ip: 10\.10\.20\.\d+\\ncluster-init: true/);
    assert.doesNotMatch(
      install,
      /node-taint|CriticalAddonsOnly/,
      "no agents: the server takes the workloads",
    );
    const indexer = named("siem-indexer-statefulset").inputs as {
      spec: { template: { spec: { nodeSelector: Record<string, string> } } };
    };
    assert.deepEqual(indexer.spec.template.spec.nodeSelector, {}, "no indexer pool: wherever the server is");
    assert.deepEqual(
      document.enrollment?.map((row) => row.group),
      ["fortress-k3s-server", "fortress-workstation"],
    );
  });

  it("builds the response layer as the manager's containment alone: no TheHive, Cortex, MISP or their bridges", () => {
    assert.deepEqual(
      ofLayer("response")
        .map((resource) => `${resource.type} ${resource.name}`)
        .filter((line) => !line.startsWith("random:index/randomId"))
        .sort(),
      ["command:remote:Command response-containment", "fortress:response:Response response"],
    );
    const create = String((named("response-containment").inputs as { create?: unknown }).create ?? "");
    assert.match(create, /fortress-contain/);
    // The indexer still makes its fixed set of internal users (fortress-thehive and fortress-cortex
    // among them, generated passwords): that set is the siem layer's, not the response layer's.
    const indexerUser = /^siem-indexer-fortress-(thehive|cortex)-(salt|password)$/;
    assert.deepEqual(
      document.resources
        .filter((resource) => /thehive|cortex|misp/i.test(resource.name) && !indexerUser.test(resource.name))
        .map((resource) => resource.name),
      [],
      "no TheHive, Cortex or MISP resource anywhere (the monitoring bridge included)",
    );
    const egress = (named("monitoring-stack-alertmanager").inputs as { spec: { egress: unknown[] } }).spec
      .egress;
    assert.deepEqual(egress, [], "Alertmanager reaches nothing: no bridge, no channel configured");
  });

  it("builds the identity layer as Vaultwarden alone with its own admin token, and no Keycloak or Proxmox realm", () => {
    const types = ofLayer("identity").map((resource) => resource.type);
    assert.ok(types.includes("fortress:identity:Vaultwarden"));
    assert.ok(!types.some((type) => /Keycloak|Postgres|Realm|realm|openid/i.test(type)), types.join(", "));
    assert.ok(!document.resources.some((resource) => /keycloak/i.test(resource.name)));
    assert.ok(named("identity-vaultwarden-admin-token"), "a generated /admin token, never the chart's");
  });

  it("signs in to the Wazuh dashboard and Grafana with basic auth and the generated break-glass admins", () => {
    const dashboard = yaml.load(
      (named("siem-dashboard-config").inputs as { data: Record<string, string> }).data[
        "opensearch_dashboards.yml"
      ] ?? "",
    ) as Record<string, unknown>;
    // wazuh/wazuh-security-dashboards-plugin@v4.14.6:server/index.ts: auth.type an array of the
    // supported types, basicauth mandatory once there are several; multiple_auth_enabled defaults false.
    assert.deepEqual(dashboard["opensearch_security.auth.type"], ["basicauth"]);
    assert.equal(dashboard["opensearch_security.auth.multiple_auth_enabled"], undefined);
    assert.ok(!Object.keys(dashboard).some((key) => key.startsWith("opensearch_security.openid.")));
    const chart = named("monitoring-stack-chart").inputs as {
      values: { grafana: { "grafana.ini": Record<string, unknown>; admin?: Record<string, unknown> } };
    };
    const ini = chart.values.grafana["grafana.ini"];
    assert.equal(ini["auth.generic_oauth"], undefined, "no OAuth without Keycloak");
    assert.deepEqual(ini["auth.anonymous"], { enabled: false });
    assert.equal(
      chart.values.grafana.admin?.existingSecret,
      "grafana-admin",
      "the generated admin, not admin/admin",
    );
    assert.ok(named("monitoring-grafana-admin-password"));
    const grafanaEgress = (
      named("monitoring-grafana-egress-policy").inputs as { spec: { egress: unknown[] } }
    ).spec.egress;
    assert.ok(
      !JSON.stringify(grafanaEgress).includes("fortress-identity"),
      "no way to a Keycloak that is not there",
    );
    assert.ok(named("siem-dashboard-credentials"));
  });
});

/**
 * Alertmanager's configuration is a secret in plan.json: here it is read as the provider would receive
 * it, and checked by Debian's amtool (.ci/run installs prometheus-alertmanager).
 */
describe("the minimal lab's Alertmanager", () => {
  let config = "";

  before(async () => {
    const lab = labMocks();
    const planned = await runProgram(readStackConfig(CONFIG), {
      ...lab,
      newResource(args) {
        if (args.name === "monitoring-stack-alertmanager-config") {
          const raw = args.inputs.stringData as { value?: Record<string, string> } & Record<string, string>;
          config = (raw.value ?? raw)["alertmanager.yaml"] ?? "";
        }
        return lab.newResource(args);
      },
    });
    assert.ok(planned.ok, "the minimal config plans");
  });

  it("has no TheHive receiver and routes every alert to null (no channel configured), and amtool accepts it", () => {
    assert.ok(config.length > 0, "the configuration was captured");
    const parsed = yaml.load(config) as { receivers: { name: string }[]; route: { receiver: string } };
    assert.deepEqual(
      parsed.receivers.map((receiver) => receiver.name),
      ["null"],
    );
    assert.equal(parsed.route.receiver, "null");
    const dir = mkdtempSync(join(tmpdir(), "fortress-minimal-am-"));
    const file = join(dir, "alertmanager.yml");
    writeFileSync(file, config);
    const check = run("amtool", ["check-config", file]);
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    for (const labels of [
      ["severity=critical", "layer=response", "alertname=ContainmentFailing"],
      ["severity=warning", "layer=siem"],
      ["severity=none", "alertname=Watchdog"],
    ]) {
      const routed = run("amtool", [
        "config",
        "routes",
        "test",
        `--config.file=${file}`,
        "--verify.receivers=null",
        ...labels,
      ]);
      assert.equal(routed.status, 0, `${labels.join(" ")}: ${routed.stdout}${routed.stderr}`);
    }
  });
});
