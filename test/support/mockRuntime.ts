/**
 * Pulumi's mocks for component tests, recording every registration with its parent, dependencies
 * and redacted inputs (stacks/plan/capture.ts). Each resource echoes its inputs, gets an id, a
 * `uuid` (the OPNsense items' output), for VMs a VMID, for SSH keys an OpenSSH pair and for Proxmox
 * tokens a value.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureRegistrations } from "../../stacks/plan/capture";
import { mockSshKeyPair, mockTokenValue, TLS_PRIVATE_KEY } from "../../stacks/plan/mocks";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

export interface MockOptions {
  /** Filled with each resource's inputs by its name, as the mock monitor saw them (secrets unmasked). */
  readonly raw?: Map<string, Record<string, any>>;
}

/** What a random resource answers: a RandomPassword's `result`, a RandomBytes' 16 bytes as `base64`. */
function randomOutputs(type: string, name: string): Record<string, string> {
  if (type === SDK_TYPES.randomPassword) return { result: `pw-${name}` };
  if (type === SDK_TYPES.randomBytes)
    return { base64: Buffer.from(name.padEnd(16, "x")).subarray(0, 16).toString("base64") };
  return {};
}

export async function captureUnderMocks(
  stack = "unit",
  options: MockOptions = {},
): Promise<CapturedResource[]> {
  let nextVmId = 100;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        options.raw?.set(args.name, args.inputs);
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            ...randomOutputs(args.type, args.name),
            uuid: `${args.name}-uuid`,
            ...(args.type.endsWith("VmLegacy") ? { vmId: nextVmId++ } : {}),
            ...(args.type === TLS_PRIVATE_KEY ? mockSshKeyPair(args.name) : {}),
            ...(args.type === SDK_TYPES.proxmoxToken
              ? { value: mockTokenValue(args.name, args.inputs) }
              : {}),
          },
        };
      },
      call: (args) => args.inputs,
    },
    "fortress",
    stack,
    false,
  );
  return captureRegistrations();
}

/** A Kubernetes provider for components under mocks: no cluster is reached. */
export function mockKubernetesProvider(): k8s.Provider {
  return new k8s.Provider("k8s", { kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n") });
}
