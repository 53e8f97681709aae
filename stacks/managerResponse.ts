/**
 * What the response layer asks of the Wazuh manager's ossec.conf, derived from the lab alone so that
 * the siem layer (upstream, where ossec.conf is written whole) renders it before the response layer
 * exists: the `<integration>` blocks of Wazuh → TheHive (while the response layer runs TheHive behind
 * the ingress) and the containment active response (while it contains: the `quarantine` service).
 * The response layer then installs what these blocks call (the script, its key, the containment
 * programs) and restarts what must read them.
 */
import {
  type ActiveResponse,
  type ArCommand,
  CONTAIN_COMMAND,
  containResponse,
  DEFAULT_ACTIVE_RESPONSES,
  DEFAULT_COMMANDS,
  type Integration,
} from "../components/siem/manager/ossecConf";
import { theHiveIntegrations } from "../components/response/wazuh/integration";
import { isLayerEnabled } from "./config/checks";
import { identityHostnames } from "./hostnames";
import type { LabModel } from "./lab";

export interface ManagerResponse {
  readonly integrations: readonly Integration[];
  readonly commands: readonly ArCommand[];
  readonly activeResponses: readonly ActiveResponse[];
}

/** Whether the response layer contains hosts (and so installs the containment on the manager). */
export function containsHosts(lab: LabModel): boolean {
  return (
    isLayerEnabled(lab.config.layers, "response") &&
    lab.config.services.includes("quarantine") &&
    lab.config.services.includes("wazuh-manager")
  );
}

/** The manager's response blocks; none while the response layer is off. */
export function managerResponse(lab: LabModel): ManagerResponse | undefined {
  if (!isLayerEnabled(lab.config.layers, "response")) return undefined;
  const services = new Set<string>(lab.config.services);
  // The manager reaches TheHive by its name through the ingress: the k3s servers, or the existing
  // cluster's ingress address when the config gives it (stacks/layers/ingress.ts).
  const { platform } = lab.config;
  const theHive =
    services.has("thehive") && (platform.mode === "k3s" || platform.cluster?.ingressAddress !== undefined);
  const contain = containsHosts(lab);
  if (!theHive && !contain) return undefined;
  return {
    integrations: theHive ? theHiveIntegrations(`https://${identityHostnames(lab).thehive}`) : [],
    commands: contain ? [...DEFAULT_COMMANDS, CONTAIN_COMMAND] : DEFAULT_COMMANDS,
    activeResponses: contain ? [...DEFAULT_ACTIVE_RESPONSES, containResponse()] : DEFAULT_ACTIVE_RESPONSES,
  };
}
