/**
 * What the stack exports, defined once: `index.ts` exports this object as the module (Pulumi's stack
 * outputs are the entry module's exports), and the offline plan returns the same object to its stack.
 * A key whose layer is off (or not built) is undefined, and Pulumi then leaves it out.
 *
 *   pulumi stack output fortressCaCertificate > fortress-ca.crt
 *   pulumi stack output kubeconfig --show-secrets > ~/.kube/fortress
 *   pulumi stack output keycloakAdminPassword --show-secrets
 *   pulumi stack output vaultwardenAdminToken --show-secrets
 */
import type * as pulumi from "@pulumi/pulumi";
import type { HypervisorVmOutputs } from "../components/hypervisor";
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

/** Every output, secret or plain: the one list of keys, and the order `index.ts` exports them in. */
export const OUTPUT_SECRECY = {
  layers: "plain",
  vms: "plain",
  placement: "plain",
  kubeconfig: "secret",
  fortressCaCertificate: "plain",
  keycloakAdminUser: "plain",
  keycloakAdminPassword: "secret",
  vaultwardenAdminToken: "secret",
} as const satisfies { readonly [Key in keyof FortressOutputs]-?: "secret" | "plain" };

type OutputKey = keyof typeof OUTPUT_SECRECY;

/** The exported keys, in the order `index.ts` exports them. */
export const OUTPUT_KEYS = Object.keys(OUTPUT_SECRECY) as OutputKey[];

/** The secret ones: `pulumi stack output` shows them only with --show-secrets. */
export const SECRET_OUTPUT_KEYS = OUTPUT_KEYS.filter((key) => OUTPUT_SECRECY[key] === "secret");

export function stackOutputs(loaded: LoadedLab, composition: Composition): FortressOutputs {
  const { hypervisor, platform, identity } = composition.layers;
  const outputs: FortressOutputs = {
    layers: composition.status,
    vms: hypervisor?.vms ?? {},
    placement: loaded.model.placement.usage,
    kubeconfig: platform?.kubeconfig,
    fortressCaCertificate: platform?.baseline?.caCertificatePem,
    keycloakAdminUser: identity?.keycloakAdmin?.username,
    keycloakAdminPassword: identity?.keycloakAdmin?.password,
    vaultwardenAdminToken: identity?.vaultwardenAdminToken,
  };
  // In the order of OUTPUT_SECRECY, whatever the order above; a layer that is off leaves its keys out
  // (Pulumi warns about every undefined output, on every preview and up).
  return Object.fromEntries(
    OUTPUT_KEYS.filter((key) => outputs[key] !== undefined).map((key) => [key, outputs[key]]),
  ) as unknown as FortressOutputs;
}
