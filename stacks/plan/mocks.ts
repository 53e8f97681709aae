/**
 * Mocks that answer like a freshly created lab: each resource echoes its inputs and gets an id, VMs a
 * VMID, random passwords a value (secret, as the provider marks it), SSH keys an OpenSSH pair, the
 * internal CA a certificate, so that where one goes shows.
 */
import type * as pulumi from "@pulumi/pulumi";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const FIRST_VMID = 100;

export const TLS_PRIVATE_KEY = SDK_TYPES.tlsPrivateKey;

/** What @pulumi/tls's PrivateKey (ED25519) answers, per resource name: recognisable, never real. */
export function mockSshKeyPair(name: string): { privateKeyOpenssh: string; publicKeyOpenssh: string } {
  const tag = Buffer.from(`fortress-mock-${name}`).toString("base64").replace(/=+$/, "");
  return {
    privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\nmock-${name}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5${tag}\n`,
  };
}

export function labMocks(): pulumi.runtime.Mocks {
  let nextVmId = FIRST_VMID;
  return {
    newResource(args) {
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === SDK_TYPES.proxmoxVm) state.vmId = args.inputs.vmId ?? nextVmId++;
      if (args.type === SDK_TYPES.randomPassword) state.result = `mock-${args.name}`;
      if (args.type === TLS_PRIVATE_KEY) Object.assign(state, mockSshKeyPair(args.name));
      if (args.type === SDK_TYPES.tlsSelfSignedCert)
        state.certPem = `-----BEGIN CERTIFICATE-----\nmock-${args.name}\n-----END CERTIFICATE-----\n`;
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      return args.inputs;
    },
  };
}
