/**
 * What the stack exports, defined once: `index.ts` exports each key, the offline plan returns the same
 * object. A key whose layer is off (or not built) is undefined, and Pulumi then leaves it out.
 *
 *   pulumi stack output fortressCaCertificate > fortress-ca.crt
 *   pulumi stack output kubeconfig --show-secrets > ~/.kube/fortress
 *   pulumi stack output keycloakAdminPassword --show-secrets
 *   pulumi stack output vaultwardenAdminToken --show-secrets
 */
import type * as pulumi from "@pulumi/pulumi";
import { Hypervisor, type HypervisorVmOutputs } from "../components/hypervisor";
import { Identity } from "../components/identity/identity";
import { Platform } from "../components/platform/platform";
import type { Composition } from "./compose";
import type { LoadedLab } from "./config/load";
import type { NodeUsage } from "./placement";

export interface FortressOutputs {
  /** Each layer: built, not built yet, or disabled. */
  readonly layers: Composition["status"];
  /** Every VM: Proxmox id, node, address, name. */
  readonly vms: Readonly<Record<string, HypervisorVmOutputs>>;
  /** What each node holds and has left. */
  readonly placement: readonly NodeUsage[];
  /** Admin kubeconfig of the cluster (secret). */
  readonly kubeconfig: pulumi.Output<string> | undefined;
  /** The internal CA's certificate (PEM, public): trust it in browsers and on the Pulumi host. */
  readonly fortressCaCertificate: pulumi.Output<string> | undefined;
  /** Keycloak's bootstrap admin: the user name (plain) and the password (secret). */
  readonly keycloakAdminUser: string | undefined;
  readonly keycloakAdminPassword: pulumi.Output<string> | undefined;
  /** The token for Vaultwarden's /admin page (secret); Vaultwarden holds only its Argon2id hash. */
  readonly vaultwardenAdminToken: pulumi.Output<string> | undefined;
}

/** The exported keys, in the order `index.ts` exports them. */
export const OUTPUT_KEYS = [
  "layers",
  "vms",
  "placement",
  "kubeconfig",
  "fortressCaCertificate",
  "keycloakAdminUser",
  "keycloakAdminPassword",
  "vaultwardenAdminToken",
] as const satisfies readonly (keyof FortressOutputs)[];

/** The secret ones: `pulumi stack output` shows them only with --show-secrets. */
export const SECRET_OUTPUT_KEYS = [
  "kubeconfig",
  "keycloakAdminPassword",
  "vaultwardenAdminToken",
] as const satisfies readonly (keyof FortressOutputs)[];

export function stackOutputs(loaded: LoadedLab, composition: Composition): FortressOutputs {
  const hypervisor = composition.components.get("hypervisor");
  const platform = composition.components.get("platform");
  const identity = composition.components.get("identity");
  const platformBuilt = platform instanceof Platform ? platform : undefined;
  const identityBuilt = identity instanceof Identity ? identity : undefined;
  return {
    layers: composition.status,
    vms: hypervisor instanceof Hypervisor ? hypervisor.vms : {},
    placement: loaded.model.placement.usage,
    kubeconfig: platformBuilt?.kubeconfig,
    fortressCaCertificate: platformBuilt?.baseline?.caCertificatePem,
    keycloakAdminUser: identityBuilt?.keycloakAdmin?.username,
    keycloakAdminPassword: identityBuilt?.keycloakAdmin?.password,
    vaultwardenAdminToken: identityBuilt?.vaultwardenAdminToken,
  };
}
