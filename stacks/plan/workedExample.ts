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
 *
 * A hop runs on services (`needs`): in a lab without one of them (fortress:services leaves it out, or
 * its layer is off) the hop is skipped, and says which service and what the example does without it
 * (the minimal profile: no TheHive, Cortex, MISP or Greenbone, so hops 3, 4, 6 and 7 are skipped, and
 * the agent, clamd, the escalation, the containment and the dashboards still run). A hop whose
 * services are all on and whose resources the plan lacks is missing, as before.
 */
import { SERVICE_GRAPH, type ServiceId } from "../blueprint";
import { layerStatus } from "../compose";
import type { PlainConfig } from "../config/schema";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import type { CapturedResource } from "./capture";

export interface WorkedExampleHop {
  readonly hop: string;
  /** The resources that configure it, by name. */
  readonly configuredBy: readonly string[];
  /** What the plan lacks for it (empty: configured, or skipped). */
  readonly missing: readonly string[];
  /** Why the lab skips the hop: the services it runs on that are off (absent: the lab runs it). */
  readonly skipped?: string;
}

/** A service a hop runs on, and what the worked example does without it. */
interface Need {
  readonly service: ServiceId;
  readonly without: string;
}

interface Part {
  readonly type: string | RegExp;
  readonly name: RegExp;
  /** What the resource does for the hop, named when it is missing. */
  readonly does: string;
}

const COMMAND = "command:remote:Command";
const OPNSENSE = /^pulumi-nodejs:dynamic\/fortress:opnsense:/;

const NO_THEHIVE = "the escalation contains through the active response alone, no case opens";
const NO_CORTEX =
  "no analyst's click: the active response contains, the expiry timer or `fortress-contain delete` on the manager releases";

const HOPS: readonly { readonly hop: string; readonly needs: readonly Need[]; readonly parts: readonly Part[] }[] = [
  {
    hop: "1 a file lands on the workstation: the agent's FIM and clamd see it",
    needs: [
      { service: "workstation", without: "no user machine to drop the file on" },
      { service: "wazuh-agent", without: "no agent watches the downloads" },
      { service: "clamav", without: "no clamd to scan the file" },
    ],
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
    needs: [{ service: "wazuh-manager", without: "no SIEM to escalate" }],
    parts: [{ type: COMMAND, name: /^siem-manager-install$/, does: "the manager's ossec.conf and rules" }],
  },
  {
    hop: "3 a TheHive alert, once per Wazuh alert id",
    needs: [{ service: "thehive", without: NO_THEHIVE }],
    parts: [
      { type: COMMAND, name: /-manager-bridge$/, does: "custom-thehive, its key and CA on the manager" },
      { type: "kubernetes:helm.sh/v4:Chart", name: /-thehive-chart$/, does: "TheHive" },
      { type: "kubernetes:batch/v1:Job", name: /-thehive-accounts$/, does: "the Wazuh service account's key" },
    ],
  },
  {
    hop: "4 Cortex checks the hash against MISP",
    needs: [
      { service: "cortex", without: "no hash check: the escalation alone decides" },
      { service: "misp", without: "no threat-intelligence check of the hash" },
    ],
    parts: [
      { type: "kubernetes:batch/v1:Job", name: /-cortex-neurons$/, does: "MISP_2_1 enabled in Cortex" },
      { type: COMMAND, name: /-misp-configure$/, does: "MISP's integration user and feeds" },
    ],
  },
  {
    hop: "5 the host is contained on OPNsense",
    needs: [{ service: "quarantine", without: "no containment: the alert is all" }],
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
    needs: [{ service: "greenbone", without: "no rescan after a containment" }],
    parts: [
      { type: COMMAND, name: /-rescan-access$/, does: "the manager's forced-command key on the Greenbone VM" },
      { type: COMMAND, name: /^vuln-greenbone-install$/, does: "Greenbone and fortress-rescan" },
    ],
  },
  {
    hop: "7 an analyst contains from TheHive (Cortex's responder) and releases",
    needs: [
      { service: "thehive", without: NO_CORTEX },
      { service: "cortex", without: NO_CORTEX },
      { service: "quarantine", without: "no containment to release" },
    ],
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
    needs: [{ service: "prometheus", without: "no monitoring layer" }],
    parts: [
      { type: COMPONENT_TYPES.grafana, name: /./, does: "Grafana (behind Keycloak when the lab runs it)" },
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

/** Whether the lab runs a service: it is in fortress:services and its layer is built. */
function runs(config: Pick<PlainConfig, "layers" | "services">, service: ServiceId): boolean {
  const layer = SERVICE_GRAPH.find((node) => node.id === service)?.layer;
  return config.services.includes(service) && layer !== undefined && layerStatus(config, layer) === "built";
}

/** Why the lab skips a hop: each service it needs that is off, with what the example does without it. */
function skipReason(config: Pick<PlainConfig, "layers" | "services">, needs: readonly Need[]): string | undefined {
  const off = needs.filter((need) => !runs(config, need.service));
  if (off.length === 0) return undefined;
  const without = [...new Set(off.map((need) => need.without))].join("; ");
  return `the lab runs no ${off.map((need) => need.service).join(", no ")}: ${without}`;
}

/**
 * Each hop with the resources of `resources` that configure it, and what is missing; a hop whose
 * services `config` leaves off is skipped, with the reason.
 */
export function workedExampleHops(
  resources: readonly CapturedResource[],
  config: Pick<PlainConfig, "layers" | "services">,
): WorkedExampleHop[] {
  return HOPS.map(({ hop, needs, parts }) => {
    const skipped = skipReason(config, needs);
    if (skipped) return { hop, configuredBy: [], missing: [], skipped };
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
