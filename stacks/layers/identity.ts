/**
 * Maps the lab model onto the identity layer. The layer is switched by `fortress:layers`; the
 * `keycloak` and `vaultwarden` services say what runs in it. Kubernetes comes from the platform
 * layer's provider; the Proxmox realm through the Proxmox provider the layers share.
 */
import { Identity } from "../../components/identity/identity";
import type { KeycloakSizing } from "../../components/identity/pins";
import { INGRESS, namespaceOf } from "../cluster";
import { identityHostnames } from "../hostnames";
import type { LabModel } from "../lab";
import { profileOfConfig, workloadsOf } from "../profiles";
import { proxmoxConnection } from "./connections";
import type { LayerBuild } from "./types";
import { keycloakBackup } from "./backup";

export { INGRESS } from "../cluster";

/** The Keycloak realm, and the Proxmox VE realm that signs in through it. */
export const REALM = "fortress";

/** Where admins open the Proxmox web UI: the API endpoint's origin and each node by name. */
export function proxmoxUrls(lab: LabModel): string[] {
  const { proxmox, nodes } = lab.config;
  const domain = lab.config.lab.domain;
  const endpoint = new URL(proxmox.endpoint);
  return [
    ...new Set([
      endpoint.origin,
      ...nodes.map((node) => `https://${node.name}.${domain}:${endpoint.port || "8006"}`),
    ]),
  ];
}

/**
 * Keycloak's replicas and memory as the lab's profile (or fortress:workloads) sizes them, and the
 * profile's `resilience` (pods on distinct nodes, required). PostgreSQL stays one pod.
 */
export function keycloakSizing(config: Parameters<typeof workloadsOf>[0]): KeycloakSizing {
  const { keycloak } = workloadsOf(config);
  return {
    replicas: keycloak.replicas,
    memoryMib: Math.round(keycloak.memoryGb * 1024),
    resilience: profileOfConfig(config).resilience,
  };
}

export const buildIdentity: LayerBuild<"identity", "platform"> = (inputs, opts) => {
  const { lab } = inputs;
  const { platform } = inputs.upstream;
  if (!platform.baseline) {
    throw new Error("internal: the identity layer is built without the platform layer's Kubernetes baseline");
  }
  const { baseline } = platform;
  const namespace = namespaceOf("identity");
  if (!baseline.namespaces[namespace]) {
    throw new Error(`internal: the platform baseline has no namespace ${namespace}`);
  }
  const services = new Set<string>(lab.config.services);
  const keycloak = services.has("keycloak");
  const identity = new Identity(
    "identity",
    {
      realm: REALM,
      domain: lab.config.lab.domain,
      hostnames: identityHostnames(lab),
      proxmoxUrls: proxmoxUrls(lab),
      namespace,
      clusterIssuer: baseline.clusterIssuer,
      storageClass: baseline.storageClasses.default,
      ingressClassName: INGRESS.className,
      ingressNamespace: INGRESS.namespace,
      keycloak,
      vaultwarden: services.has("vaultwarden"),
      ...(keycloak ? { keycloakSizing: keycloakSizing(lab.config) } : {}),
      ...(keycloak
        ? {
            proxmox: {
              provider: inputs.shared.proxmox(),
              connection: proxmoxConnection(inputs),
              realm: REALM,
              caCertificatePem: baseline.caCertificatePem,
            },
          }
        : {}),
    },
    { ...opts, providers: { kubernetes: platform.provider } },
  );
  const { secrets } = inputs;
  keycloakBackup(lab, secrets, namespace, { parent: identity, providers: { kubernetes: platform.provider } });
  return identity;
};
