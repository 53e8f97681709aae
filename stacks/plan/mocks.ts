/**
 * Mocks that answer like a freshly created lab: each resource echoes its inputs and gets an id, VMs a
 * VMID, random passwords a value (secret, as the provider marks it), so that where one goes shows.
 */
import type * as pulumi from "@pulumi/pulumi";

const FIRST_VMID = 100;

export function labMocks(): pulumi.runtime.Mocks {
  let nextVmId = FIRST_VMID;
  return {
    newResource(args) {
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === "proxmoxve:index/vmLegacy:VmLegacy") state.vmId = args.inputs.vmId ?? nextVmId++;
      if (args.type === "random:index/randomPassword:RandomPassword") state.result = `mock-${args.name}`;
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      return args.inputs;
    },
  };
}
