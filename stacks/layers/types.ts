import type * as pulumi from "@pulumi/pulumi";
import type { LayerName } from "../blueprint";
import type { LabSecrets } from "../config/load";
import type { LabModel } from "../lab";

export interface LayerInputs {
  readonly lab: LabModel;
  readonly secrets: LabSecrets;
  /** The components of the built layers upstream of this one, by layer. */
  readonly upstream: ReadonlyMap<LayerName, pulumi.ComponentResource>;
}

/** Builds one layer's component; `opts.dependsOn` holds its nearest built upstream layers. */
export type LayerBuild = (
  inputs: LayerInputs,
  opts: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;
