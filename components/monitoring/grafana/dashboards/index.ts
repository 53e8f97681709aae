/**
 * The five dashboards of the seed as code (issue 15): their JSON models, generated, provisioned
 * read-only from ConfigMaps the Grafana sidecar loads.
 */
import type { Dashboard } from "../../contract";
import { dashboardModel, type PanelSpec } from "../panels";
import { endpointSecurityPanels } from "./endpointSecurity";
import { incidentResponsePanels } from "./incidentResponse";
import { networkSecurityPanels, type Zone } from "./networkSecurity";
import { performancePanels } from "./performance";
import { securityOverviewPanels } from "./securityOverview";

export type { Zone } from "./networkSecurity";

export interface DashboardInput {
  /** The zones the firewall routes between, each with its IPv4 network (the network layer's VLANs). */
  readonly zones: readonly Zone[];
}

interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly panels: (input: DashboardInput) => PanelSpec[];
}

export const DASHBOARD_SPECS: readonly DashboardSpec[] = [
  {
    uid: "fortress-security-overview",
    title: "Security Overview",
    description: "Alerts by severity and source, what reached TheHive, hosts contained, top rules.",
    panels: securityOverviewPanels,
  },
  {
    uid: "fortress-network-security",
    title: "Network Security",
    description: "Firewall blocks and passes by zone pair, Suricata alerts by category, traffic per VLAN.",
    panels: (input) => networkSecurityPanels(input.zones),
  },
  {
    uid: "fortress-endpoint-security",
    title: "Endpoint Security",
    description: "Agents by status and role, file integrity changes, malware, vulnerabilities by severity.",
    panels: endpointSecurityPanels,
  },
  {
    uid: "fortress-incident-response",
    title: "Incident Response",
    description: "Alerts that open cases, containments and releases, each containment with its cause.",
    panels: incidentResponsePanels,
  },
  {
    uid: "fortress-performance",
    title: "Performance",
    description: "CPU, memory and disk per node and VM, indexer and Loki health, ingest rates.",
    panels: performancePanels,
  },
];

/** The five dashboards, in the seed's order. */
export function dashboards(input: DashboardInput): Dashboard[] {
  return DASHBOARD_SPECS.map((spec) => ({
    uid: spec.uid,
    title: spec.title,
    model: dashboardModel({
      uid: spec.uid,
      title: spec.title,
      description: spec.description,
      panels: spec.panels(input),
    }),
  }));
}
