/** Reading resources as policies see them: type tokens, OPNsense item fields, the layer a resource is in. */
import type { PolicyResource } from "@pulumi/policy";
import { isLayerName, type LayerName } from "../../stacks/blueprint";

export const OPNSENSE = (model: string) => `pulumi-nodejs:dynamic/fortress:opnsense:${model}`;
export const VM_TYPE = "proxmoxve:index/vmLegacy:VmLegacy";

/** An OPNsense item's model fields (string values), or undefined for other resources. */
export function opnsenseFields(props: Record<string, unknown>): Record<string, string> | undefined {
  const fields = props.fields;
  return typeof fields === "object" && fields !== null ? (fields as Record<string, string>) : undefined;
}

/** `fortress:<layer>:<Name>` names a layer component. */
export function layerOfType(type: string): LayerName | undefined {
  const [namespace, layer] = type.split(":");
  return namespace === "fortress" && layer !== undefined && isLayerName(layer) ? layer : undefined;
}

/** The layer of a resource: its nearest ancestor that is a layer component (itself included). */
export function layerOf(resource: PolicyResource): LayerName | undefined {
  let current: PolicyResource | undefined = resource;
  for (let depth = 0; current && depth < 1000; depth++) {
    const layer = layerOfType(current.type);
    if (layer) return layer;
    current = current.parent;
  }
  return undefined;
}
