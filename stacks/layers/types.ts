/**
 * What a layer builder gets and gives. The built layers are a typed record, filled by compose.ts in
 * blueprint order: a builder names the upstream layers it needs, and receives exactly those, typed.
 * Adding a layer is one line in `LayerComponents` and a builder in `LAYER_BUILDERS` (./index.ts).
 */
import type * as proxmoxve from "@muhlba91/pulumi-proxmoxve";
import type * as pulumi from "@pulumi/pulumi";
import type { DnsDhcp } from "../../components/dns-dhcp/dnsDhcp";
import type { Hypervisor } from "../../components/hypervisor";
import type { Identity } from "../../components/identity/identity";
import type { Network } from "../../components/network/network";
import type { Platform } from "../../components/platform/platform";
import type { Siem } from "../../components/siem/siem";
import type { Endpoint } from "../../components/endpoint/endpoint";
import type { Sensors } from "../../components/sensors/sensors";
import type { Vuln } from "../../components/vuln/vuln";
import type { Response } from "../../components/response/response";
import type { Monitoring } from "../../components/monitoring/monitoring";
import type { Time } from "../../components/time/time";
import type { LayerName } from "../blueprint";
import type { LabSecrets } from "../config/load";
import type { LabModel } from "../lab";

/** The monitoring layer's component, with Grafana's break-glass admin (its password secret) for the outputs. */
export type MonitoringLayer = Monitoring & {
  readonly grafanaAdmin: { readonly login: string; readonly password: pulumi.Output<string> };
};

/** The component each built layer makes, by layer name (a key that is no layer name fails BUILT_LAYERS_ARE_LAYERS). */
export interface LayerComponents {
  readonly network: Network;
  readonly time: Time;
  readonly "dns-dhcp": DnsDhcp;
  readonly hypervisor: Hypervisor;
  readonly platform: Platform;
  readonly identity: Identity;
  readonly siem: Siem;
  readonly sensors: Sensors;
  readonly endpoint: Endpoint;
  readonly vuln: Vuln;
  readonly response: Response;
  readonly monitoring: MonitoringLayer;
}

/** A layer Fortress builds. */
export type BuiltLayer = keyof LayerComponents;

/** Holds only while every key of `LayerComponents` is a layer of the blueprint. */
export const BUILT_LAYERS_ARE_LAYERS: BuiltLayer extends LayerName ? true : never = true;

/** The layers built so far in a run: a layer is absent when it is disabled or not built yet. */
export type BuiltLayers = Partial<LayerComponents>;

/** What the composition root builds once and hands to every layer that needs it (./shared.ts). */
export interface SharedProviders {
  /** The Proxmox provider every layer on Proxmox uses: built on first use, then the same one. */
  readonly proxmox: () => proxmoxve.Provider;
}

export interface LayerInputs<Needs extends BuiltLayer = never> {
  readonly lab: LabModel;
  readonly secrets: LabSecrets;
  /** The upstream layers this one needs, each built (compose.ts refuses to build it otherwise). */
  readonly upstream: Pick<LayerComponents, Needs>;
  /** What the composition root builds once for every layer (the Proxmox provider). */
  readonly shared: SharedProviders;
}

/**
 * Builds one layer's component from the upstream layers it needs (`Needs`, each upstream of it in the
 * blueprint); `opts` makes it wait for its nearest built upstream layers.
 */
export type LayerBuild<Layer extends BuiltLayer, Needs extends BuiltLayer = never> = (
  inputs: LayerInputs<Needs>,
  opts: pulumi.ComponentResourceOptions,
) => LayerComponents[Layer];

/** A builder as the composition root holds it, with the layers it needs as data. */
export interface RegisteredBuilder<Layer extends BuiltLayer> {
  readonly needs: readonly BuiltLayer[];
  readonly build: LayerBuild<Layer, BuiltLayer>;
}

/**
 * Registers a builder with the layers it needs. The list must cover the builder's `Needs`, so what
 * compose.ts hands over cannot fall behind what the builder reads.
 */
export function layer<Layer extends BuiltLayer, Needs extends BuiltLayer = never>(
  needs: { readonly [Needed in Needs]: true },
  build: LayerBuild<Layer, NoInfer<Needs>>,
): RegisteredBuilder<Layer> {
  return { needs: Object.keys(needs) as Needs[], build };
}
