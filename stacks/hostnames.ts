/**
 * The DNS names of the lab's web UIs, derived from the lab domain (and MISP's own VM). The identity
 * layer registers them as Keycloak clients; the DNS layer points the ones behind the ingress at it.
 */
import type { UiHostnames } from "../vocabulary/hostnames";
import type { RoleName } from "./catalog";
import type { LabModel } from "./lab";

const MISP_ROLE = "misp" satisfies RoleName;

export function identityHostnames(lab: LabModel): UiHostnames {
  const domain = lab.config.lab.domain;
  const misp = lab.vms.find((vm) => vm.role.name === MISP_ROLE);
  return {
    keycloak: `keycloak.${domain}`,
    vaultwarden: `vault.${domain}`,
    grafana: `grafana.${domain}`,
    wazuhDashboard: `wazuh.${domain}`,
    thehive: `thehive.${domain}`,
    cortex: `cortex.${domain}`,
    misp: misp?.fqdn ?? `misp.${domain}`,
  };
}
