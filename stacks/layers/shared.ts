/**
 * What the composition root builds once and hands to every layer that needs it, as the platform
 * layer's Kubernetes provider is handed to the layers above it: the one Proxmox provider.
 */
import type * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { proxmoxProvider } from "../../components/proxmox/provider";
import type { LabSecrets } from "../config/load";
import type { LabModel } from "../lab";
import { proxmoxConnection } from "./connections";
import type { SharedProviders } from "./types";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";

export const PROXMOX_PROVIDER_NAME = "proxmox";
export const PROXMOX_PROVIDER_TYPE = "pulumi:providers:proxmoxve";

/**
 * The provider the hypervisor layer built for itself before the layers shared one, as the URN its
 * resources name: the shared provider takes it over (an alias), so they keep their provider. The
 * network, time and identity layers' former providers cannot be aliased too (the engine follows one
 * alias); their resources move to a provider with the same settings, which a Pulumi CLI with
 * pulumi/pulumi#18509 (any CLI of the 3.270 SDK's line and later) asks the provider about instead of
 * replacing them: the README's prerequisites ask for that CLI.
 */
export function hypervisorProviderBefore(): pulumi.Output<string> {
  return pulumi.createUrn(
    "hypervisor-proxmox",
    PROXMOX_PROVIDER_TYPE,
    pulumi.createUrn("hypervisor", COMPONENT_TYPES.hypervisor),
  );
}

export function sharedProviders(lab: LabModel, secrets: LabSecrets): SharedProviders {
  let proxmox: proxmoxve.Provider | undefined;
  return {
    proxmox: () =>
      (proxmox ??= proxmoxProvider(PROXMOX_PROVIDER_NAME, proxmoxConnection({ lab, secrets }), {
        aliases: [hypervisorProviderBefore()],
      })),
  };
}
