/**
 * The worked example's hops against a plan's resources and the lab's services: configured, missing
 * (the services are on, the resources are not there), or skipped (a service it runs on is off), with
 * the reason.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SERVICE_IDS } from "../blueprint";
import { PROFILES } from "../profiles";
import type { CapturedResource } from "./capture";
import { workedExampleHops } from "./workedExample";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

const COMMAND = "command:remote:Command";
const OPNSENSE = "pulumi-nodejs:dynamic/fortress:opnsense";
const resource = (type: string, name: string) => ({ type, name }) as unknown as CapturedResource;

/** One resource for each part of each hop, named as the home plan names them. */
const HOME_LIKE: CapturedResource[] = [
  resource(COMMAND, "workstation-1-wazuh-agent"),
  resource(`${OPNSENSE}:wazuh:agentGroup`, "endpoint-group-fortress-workstation"),
  resource("kubernetes:apps/v1:StatefulSet", "endpoint-clamav-clamav"),
  resource(COMMAND, "siem-manager-install"),
  resource(COMMAND, "response-manager-bridge"),
  resource("kubernetes:helm.sh/v4:Chart", "response-thehive-chart"),
  resource("kubernetes:batch/v1:Job", "response-thehive-accounts"),
  resource("kubernetes:batch/v1:Job", "response-cortex-neurons"),
  resource(COMMAND, "response-misp-configure"),
  resource(COMMAND, "response-containment"),
  resource(`${OPNSENSE}:alias`, "network-alias-fz_quarantine"),
  resource(`${OPNSENSE}:rule`, "network-rule-opt1-fortress-firewall-api-containment-wazuh-manager-1-x"),
  resource(COMMAND, "response-rescan-access"),
  resource(COMMAND, "vuln-greenbone-install"),
  resource("kubernetes:core/v1:Secret", "response-cortex-responder"),
  resource("kubernetes:core/v1:Secret", "response-cortex-contain"),
  resource(`${OPNSENSE}:rule`, "network-rule-opt1-fortress-firewall-api-containment-responder-cortex-k3s-agent-1"),
  resource(COMPONENT_TYPES.grafana, "monitoring-grafana"),
  resource("kubernetes:core/v1:ConfigMap", "monitoring-grafana-dashboard-fortress-security-overview"),
  resource("kubernetes:core/v1:ConfigMap", "monitoring-grafana-dashboard-fortress-incident-response"),
  resource(COMPONENT_TYPES.nodeExporterHost, "monitoring-node-exporter-wazuh-manager-1"),
];

const EVERY_SERVICE = { layers: {}, services: [...SERVICE_IDS] };
const MINIMAL_SERVICES = PROFILES.minimal.services;
const state = (hops: ReturnType<typeof workedExampleHops>) =>
  hops.map((hop) => (hop.skipped !== undefined ? "skipped" : hop.missing.length === 0 ? "runs" : "missing"));

describe("the worked example's hops", () => {
  it("runs all eight where every service is on and the plan configures each part", () => {
    const hops = workedExampleHops(HOME_LIKE, EVERY_SERVICE);
    assert.deepEqual(state(hops), Array(8).fill("runs"));
    assert.ok(hops.every((hop) => hop.configuredBy.length > 0));
  });

  it("says what is missing when the services are on but a part is not in the plan", () => {
    const withoutBridge = HOME_LIKE.filter((item) => item.name !== "response-manager-bridge");
    const hops = workedExampleHops(withoutBridge, EVERY_SERVICE);
    assert.equal(state(hops)[2], "missing");
    assert.deepEqual(hops[2]?.missing, ["custom-thehive, its key and CA on the manager"]);
  });

  it("skips, with the service and what the example does without it, the hops a lab leaves out", () => {
    const minimal = HOME_LIKE.filter((item) => !/thehive|cortex|misp|greenbone|rescan|bridge/.test(item.name));
    const hops = workedExampleHops(minimal, { layers: {}, services: MINIMAL_SERVICES });
    assert.deepEqual(state(hops), ["runs", "runs", "skipped", "skipped", "runs", "skipped", "skipped", "runs"]);
    assert.equal(
      hops[2]?.skipped,
      "the lab runs no thehive: the escalation contains through the active response alone, no case opens",
    );
    assert.match(hops[3]?.skipped ?? "", /^the lab runs no cortex, no misp: /);
    assert.deepEqual(hops[3]?.configuredBy, [], "a skipped hop lists nothing");
  });

  it("skips a hop whose service is on but whose layer is off", () => {
    const hops = workedExampleHops(HOME_LIKE, { layers: { vuln: false }, services: [...SERVICE_IDS] });
    assert.match(hops[5]?.skipped ?? "", /^the lab runs no greenbone: /);
    assert.equal(state(hops).filter((value) => value === "skipped").length, 1);
  });
});
