/**
 * Mocks that answer like a freshly created lab: each resource echoes its inputs and gets an id, VMs a
 * VMID, random passwords a value (secret, as the provider marks it), SSH keys an OpenSSH pair, the
 * internal CA a certificate, so that where one goes shows.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

const FIRST_VMID = 100;

export const TLS_PRIVATE_KEY = SDK_TYPES.tlsPrivateKey;

/** What @pulumi/tls's PrivateKey answers, per resource name: recognisable, never real. */
export function mockSshKeyPair(name: string): {
  privateKeyOpenssh: string;
  publicKeyOpenssh: string;
  privateKeyPem: string;
} {
  const tag = Buffer.from(`fortress-mock-${name}`).toString("base64").replace(/=+$/, "");
  return {
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\nmock-${name}\n-----END PRIVATE KEY-----\n`,
    privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\nmock-${name}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKeyOpenssh: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5${tag}\n`,
  };
}

/**
 * A RandomPassword's mock value: `mock-<name>`, or, when the password may hold no symbol
 * (`special: false`), `mock` and hex digits at the requested length, so that what checks a
 * credential's shape downstream (MISP's 40-character key) sees one it accepts.
 */
export function mockPassword(name: string, inputs: Record<string, unknown>): string {
  if (inputs.special !== false) return `mock-${name}`;
  const length = typeof inputs.length === "number" ? inputs.length : 16;
  const digits = createHash("sha256").update(name).digest("hex");
  return `mock${digits}${digits}`.slice(0, length);
}

/** What the Proxmox provider answers for a token (`<user>!<name>=<secret>`): recognisable, never real. */
export function mockTokenValue(name: string, inputs: Record<string, unknown>): string {
  return `${String(inputs.userId)}!${String(inputs.tokenName)}=mock-${name}`;
}

export function labMocks(): pulumi.runtime.Mocks {
  let nextVmId = FIRST_VMID;
  return {
    newResource(args) {
      const state: Record<string, unknown> = { ...args.inputs };
      if (args.type === SDK_TYPES.proxmoxVm) state.vmId = args.inputs.vmId ?? nextVmId++;
      if (args.type === SDK_TYPES.randomPassword) state.result = mockPassword(args.name, args.inputs);
      if (args.type === SDK_TYPES.proxmoxToken) state.value = mockTokenValue(args.name, args.inputs);
      if (args.type === TLS_PRIVATE_KEY) Object.assign(state, mockSshKeyPair(args.name));
      if (args.type === SDK_TYPES.tlsSelfSignedCert || args.type === SDK_TYPES.tlsLocallySignedCert)
        state.certPem = `-----BEGIN CERTIFICATE-----\nmock-${args.name}\n-----END CERTIFICATE-----\n`;
      if (args.type === SDK_TYPES.tlsCertRequest)
        state.certRequestPem = `-----BEGIN CERTIFICATE REQUEST-----\nmock-${args.name}\n-----END CERTIFICATE REQUEST-----\n`;
      return { id: `${args.name}-id`, state };
    },
    call(args) {
      return args.inputs;
    },
  };
}

const { specialSigKey: SIG_KEY, specialSecretSig: SECRET_SIG } = pulumi.runtime;

interface StructLike {
  toJavaScript(): Record<string, unknown>;
}
interface SecretOutputsRequest {
  getAdditionalsecretoutputsList(): string[];
}
interface ObjectResponse {
  getObject(): StructLike | undefined;
  setObject(object: StructLike): void;
}
type ResponseCallback = (error: unknown, response?: ObjectResponse) => void;

/**
 * Marks the outputs a resource lists in `additionalSecretOutputs` as secret in the mock monitor's answer,
 * as the engine does (pulumi/pulumi pkg/resource/deploy/step_executor.go marks them before it returns the
 * outputs); the mock monitor itself ignores the option (sdk/nodejs/runtime/mocks.ts `registerResource`).
 * @pulumi/random declares `additionalSecretOutputs: ["bcryptHash", "result"]` on RandomPassword
 * (randomPassword.js), so offline, as in a real preview, a password's `result` is secret wherever it goes.
 * Call after setMocks.
 */
export function markAdditionalSecretOutputs(): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: SecretOutputsRequest, callback: ResponseCallback): unknown;
  };
  if (!monitor) throw new Error("no monitor: call pulumi.runtime.setMocks first");
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    original(request, (error, response) => {
      const names = request.getAdditionalsecretoutputsList();
      const object = response?.getObject();
      if (!error && response && object && names.length > 0) {
        const state = object.toJavaScript();
        for (const name of names) {
          const value = state[name] as Record<string, unknown> | undefined;
          if (value !== undefined && (value as Record<string, unknown> | null)?.[SIG_KEY] !== SECRET_SIG) {
            state[name] = { [SIG_KEY]: SECRET_SIG, value };
          }
        }
        const Struct = object.constructor as unknown as { fromJavaScript(value: unknown): StructLike };
        response.setObject(Struct.fromJavaScript(state));
      }
      callback(error, response);
    });
}
