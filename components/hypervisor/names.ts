/** How the hypervisor layer names what it makes per VM. */
import type * as pulumi from "@pulumi/pulumi";

export interface VmChildName {
  /** `<parent>-<vm>-<what>`, e.g. `hypervisor-db-1-firewall`: named after the component that makes it. */
  readonly name: string;
  /**
   * The name it had before (`<vm>-<what>`, issue 9), same parent and type: a stack built then keeps
   * the resource instead of replacing it.
   */
  readonly aliases: pulumi.Alias[];
}

export function vmChildName(parent: string, vm: string, what: string): VmChildName {
  return { name: `${parent}-${vm}-${what}`, aliases: [{ name: `${vm}-${what}` }] };
}
