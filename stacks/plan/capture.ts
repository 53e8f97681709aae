/**
 * Records every resource registration as it reaches the mock monitor, with what the mocks' own
 * arguments drop: the parent, the dependencies (from `dependsOn` and from Output values) and the
 * inputs as serialized, where secrets are still marked and so can be redacted.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string | null;
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly provider: string | null;
  readonly inputs: Record<string, unknown>;
}

/** The serializer's markers, as @pulumi/pulumi exports them (runtime/rpc.ts). */
const { specialSecretSig: SECRET_SIG, specialResourceSig: RESOURCE_SIG, specialSigKey: SIG_KEY } = pulumi.runtime;
const UNKNOWN = pulumi.runtime.unknownValue;
export const REDACTED = "[secret]";

/** Serialized property values with secrets replaced, resource references as their URN, unknowns marked. */
export function redact(value: unknown): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const sig = record[SIG_KEY];
  if (sig === SECRET_SIG) return REDACTED;
  if (sig === RESOURCE_SIG) return { $ref: record.urn };
  if (sig !== undefined) return `[${String(sig).slice(0, 8)}]`;
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, redact(inner)]));
}

/**
 * A dynamic resource carries its provider's serialized source (tens of kilobytes, the same for every
 * resource of a kind): the plan keeps its size and a digest, enough to see that it changed.
 */
function summarizeDynamicProvider(inputs: Record<string, unknown>): Record<string, unknown> {
  const source = inputs.__provider;
  if (typeof source !== "string") return inputs;
  const digest = createHash("sha256").update(source).digest("hex").slice(0, 16);
  return { ...inputs, __provider: `[dynamic provider ${digest}, ${source.length} bytes]` };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(fn: (value: { getUrnsList(): string[] }) => void): void };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface RegisterResponse {
  getUrn(): string;
}

type Callback = (error: unknown, response?: RegisterResponse) => void;

/** Starts recording on the current (mock) monitor; returns the list it fills. Call after setMocks. */
export function captureRegistrations(): CapturedResource[] {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: Callback): unknown;
  };
  if (!monitor) throw new Error("no monitor: call pulumi.runtime.setMocks first");
  const captured: CapturedResource[] = [];
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    original(request, (error, response) => {
      if (!error && response) {
        const dependencies = new Set(request.getDependenciesList());
        request.getPropertydependenciesMap().forEach((urns) => {
          for (const urn of urns.getUrnsList()) dependencies.add(urn);
        });
        const provider = request.getProvider();
        captured.push({
          urn: response.getUrn(),
          type: request.getType(),
          name: request.getName(),
          custom: request.getCustom(),
          parent: request.getParent() || null,
          dependencies: [...dependencies].sort(),
          protect: request.getProtect(),
          provider: provider ? provider.split("::").slice(0, -1).join("::") : null,
          inputs: summarizeDynamicProvider(redact(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>),
        });
      }
      callback(error, response);
    });
  return captured;
}
