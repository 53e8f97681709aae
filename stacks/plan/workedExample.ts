/**
 * The worked example's hops (issue 14) as the plan configures them: for each hop, the resources that
 * make it happen, found in the plan by type and name, or what is missing. The plan prints it and writes
 * it to plan.json, so a lab whose services leave a hop out says so before `pulumi up`.
 *
 *   1 a file lands in the workstation's downloads → the agent's FIM and the lab's clamd see it
 *   2 Wazuh escalates ClamAV's 52502 to Fortress's 100200
 *   3 the integration opens a TheHive alert (sourceRef = the Wazuh alert id)
 *   4 Cortex checks the hash against MISP
 *   5 the active response contains the host on OPNsense (fz_quarantine, over the one API pass)
 *   6 Greenbone rescans the host's network
 *   7 an analyst's click in TheHive contains through Cortex's responder; an analyst releases
 *   8 dashboards show it (the monitoring layer)
 */
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { CapturedResource } from "./capture";

export interface WorkedExampleHop {
  readonly hop: string;
  /** The resources that configure it, by name. */
  readonly configuredBy: readonly string[];
  /** What the plan lacks for it (empty: configured). */
  readonly missing: readonly string[];
}

interface Part {
  readonly type: string | RegExp;
  readonly name: RegExp;
  /** What the resource does for the hop, named when it is missing. */
  readonly does: string;
}

const COMMAND = "command:remote:Command";
const OPNSENSE = /^pulumi-nodejs:dynamic\/fortress:opnsense:/;

const HOPS: readonly { readonly hop: string; readonly parts: readonly Part[] }[] = [
  {
    hop: "1 a file lands on the workstation: the agent's FIM and clamd see it",
    parts: [
      { type: COMMAND, name: /^workstation-\d+-wazuh-agent$/, does: "the workstation's agent" },
      {
        type: /:wazuh:agentGroup$/,
        name: /-fortress-workstation$/,
        does: "the workstation group (downloads watched in real time)",
      },
      { type: "kubernetes:apps/v1:StatefulSet", name: /-clamav-clamav$/, does: "the lab's clamd" },
    ],
  },
  {
    hop: "2 Wazuh escalates ClamAV's 52502 to 100200, for TheHive and containment",
    parts: [{ type: COMMAND, name: /^siem-manager-install$/, does: "the manager's ossec.conf and rules" }],
  },
  {
    hop: "3 a TheHive alert, once per Wazuh alert id",
    parts: [
      { type: COMMAND, name: /-manager-bridge$/, does: "custom-thehive, its key and CA on the manager" },
      { type: "kubernetes:helm.sh/v4:Chart", name: /-thehive-chart$/, does: "TheHive" },
      { type: "kubernetes:batch/v1:Job", name: /-thehive-accounts$/, does: "the Wazuh service account's key" },
    ],
  },
  {
    hop: "4 Cortex checks the hash against MISP",
    parts: [
      { type: "kubernetes:batch/v1:Job", name: /-cortex-neurons$/, does: "MISP_2_1 enabled in Cortex" },
      { type: COMMAND, name: /-misp-configure$/, does: "MISP's integration user and feeds" },
    ],
  },
  {
    hop: "5 the host is contained on OPNsense",
    parts: [
      { type: COMMAND, name: /-containment$/, does: "fortress-contain and the active response on the manager" },
      { type: OPNSENSE, name: /-alias-fz_quarantine$/, does: "the quarantine alias" },
      {
        type: OPNSENSE,
        name: /-rule-.*-firewall-api-containment-wazuh-manager-/,
        does: "the manager's one pass to the API",
      },
    ],
  },
  {
    hop: "6 Greenbone rescans the host's network",
    parts: [
      { type: COMMAND, name: /-rescan-access$/, does: "the manager's forced-command key on the Greenbone VM" },
      { type: COMMAND, name: /^vuln-greenbone-install$/, does: "Greenbone and fortress-rescan" },
    ],
  },
  {
    hop: "7 an analyst contains from TheHive (Cortex's responder) and releases",
    parts: [
      { type: "kubernetes:core/v1:Secret", name: /-cortex-responder$/, does: "the FortressContain responder" },
      { type: "kubernetes:core/v1:Secret", name: /-cortex-contain$/, does: "its containment configuration" },
      {
        type: OPNSENSE,
        name: /-rule-.*-firewall-api-containment-responder-cortex-/,
        does: "Cortex's nodes' passes to the API",
      },
    ],
  },
  {
    hop: "8 dashboards show it",
    parts: [
      { type: COMPONENT_TYPES.grafana, name: /./, does: "Grafana, behind Keycloak" },
      {
        type: "kubernetes:core/v1:ConfigMap",
        name: /-dashboard-fortress-security-overview$/,
        does: "the Security Overview dashboard (alerts by severity, contained hosts)",
      },
      {
        type: "kubernetes:core/v1:ConfigMap",
        name: /-dashboard-fortress-incident-response$/,
        does: "the Incident Response dashboard (containments and releases)",
      },
      {
        type: COMPONENT_TYPES.nodeExporterHost,
        name: /-wazuh-manager-/,
        does: "the manager's exporter, which serves the containment's counters",
      },
    ],
  },
];

const matches = (pattern: string | RegExp, value: string) =>
  typeof pattern === "string" ? pattern === value : pattern.test(value);

/** Each hop with the resources of `resources` that configure it, and what is missing. */
export function workedExampleHops(resources: readonly CapturedResource[]): WorkedExampleHop[] {
  return HOPS.map(({ hop, parts }) => {
    const found = parts.map((part) =>
      resources.filter((resource) => matches(part.type, resource.type) && part.name.test(resource.name)),
    );
    return {
      hop,
      configuredBy: found.flat().map((resource) => resource.name),
      missing: parts.filter((_, index) => found[index]?.length === 0).map((part) => part.does),
    };
  });
}
