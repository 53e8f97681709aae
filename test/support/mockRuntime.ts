/**
 * Pulumi's mocks for component tests, recording every registration with its parent, dependencies
 * and redacted inputs (stacks/plan/capture.ts). Each resource echoes its inputs, gets an id, a
 * `uuid` (the OPNsense items' output), for VMs a VMID, for SSH keys an OpenSSH pair and for Proxmox
 * tokens a value.
 */
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureRegistrations } from "../../stacks/plan/capture";
import { mockSshKeyPair, mockTokenValue, TLS_PRIVATE_KEY } from "../../stacks/plan/mocks";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

export async function captureUnderMocks(stack = "unit"): Promise<CapturedResource[]> {
  let nextVmId = 100;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: {
          ...args.inputs,
          uuid: `${args.name}-uuid`,
          ...(args.type.endsWith("VmLegacy") ? { vmId: nextVmId++ } : {}),
          ...(args.type === TLS_PRIVATE_KEY ? mockSshKeyPair(args.name) : {}),
          ...(args.type === SDK_TYPES.proxmoxToken ? { value: mockTokenValue(args.name, args.inputs) } : {}),
        },
      }),
      call: (args) => args.inputs,
    },
    "fortress",
    stack,
    false,
  );
  return captureRegistrations();
}
