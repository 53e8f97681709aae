/**
 * Records every resource registration as it reaches the mock monitor, with what the mocks' own
 * arguments drop: the parent, the dependencies (from `dependsOn` and from Output values) and the
 * inputs as serialized, where secrets are still marked and so can be redacted.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import {
  containsKnownDefaultHash,
  isKnownDefaultCredential,
  SECRET_KNOWN_DEFAULT,
} from "../../vocabulary/credentials";

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
  /** The URNs the resource was registered under before (its `aliases`), when it names any. */
  readonly aliases?: readonly string[];
}

/** The serializer's markers, as @pulumi/pulumi exports them (runtime/rpc.ts). */
const { specialSecretSig: SECRET_SIG, specialResourceSig: RESOURCE_SIG, specialSigKey: SIG_KEY } = pulumi.runtime;
const UNKNOWN = pulumi.runtime.unknownValue;
export const REDACTED = "[secret]";

/** A key that names a credential (`adminPassword`, `db_pass`, `apiToken`, `secretKey`), any case. */
const CREDENTIAL_KEY = /pass|pwd|secret|token|credential|apikey/i;

/**
 * Whether a secret value is a known default: a plain string that is one, or a structured secret (a
 * chart's values, a config object) holding one under a credential key, at any depth; or any text that
 * carries a shipped demo user's bcrypt hash.
 */
function holdsKnownDefault(value: unknown, key?: string): boolean {
  if (typeof value === "string")
    return (
      ((key === undefined || CREDENTIAL_KEY.test(key)) && isKnownDefaultCredential(value)) ||
      // A rendered file (internal_users.yml) that keeps a shipped demo user's hash, under any key.
      containsKnownDefaultHash(value)
    );
  if (Array.isArray(value)) return value.some((item) => holdsKnownDefault(item, key));
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value as Record<string, unknown>).some(([inner, item]) => holdsKnownDefault(item, inner));
}

/**
 * Serialized property values with secrets replaced, resource references as their URN, unknowns marked.
 * A secret that equals a product's known default credential is written as SECRET_KNOWN_DEFAULT: the plan
 * records that it matched (so the pack can refuse it, as `pulumi preview` does with the value in hand),
 * never the value.
 */
export function redact(value: unknown): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const sig = record[SIG_KEY];
  if (sig === SECRET_SIG) return holdsKnownDefault(record.value) ? SECRET_KNOWN_DEFAULT : REDACTED;
  if (sig === RESOURCE_SIG) return { $ref: record.urn };
  if (sig !== undefined) return `[${String(sig).slice(0, 8)}]`;
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, redact(inner)]));
}

/**
 * A dynamic resource carries its provider's serialized source (tens of kilobytes, the same for every
 * resource of a kind): the plan keeps its size and a digest, enough to see that it changed.
 */
function summarizeDynamicProvider(inputs: Record<string, unknown>, digests: Map<string, string>): Record<string, unknown> {
  const source = inputs.__provider;
  if (typeof source !== "string") return inputs;
  // Every resource of a provider object carries the same text: hash it once per text, not per resource.
  let summary = digests.get(source);
  if (summary === undefined) {
    const digest = createHash("sha256").update(source).digest("hex").slice(0, 16);
    summary = `[dynamic provider ${digest}, ${source.length} bytes]`;
    digests.set(source, summary);
  }
  return { ...inputs, __provider: summary };
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
  getAliasesList(): AliasMessage[];
}

/** An alias as the SDK sends it: a URN, or a spec of what differs from the resource (empty: the same). */
interface AliasMessage {
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` in its parts. */
function urnParts(urn: string) {
  const [head = "", project = "", qualifiedType = "", ...name] = urn.split("::");
  return { stack: head.replace(/^urn:pulumi:/, ""), project, qualifiedType, name: name.join("::") };
}

/**
 * The URN an alias names, formed as the mock monitor formed the resource's own URN (the plan's URNs
 * are the mock's): the parent's last type, `$`, the type, `::`, the name (pulumi/pulumi
 * sdk/nodejs/runtime/mocks.ts `newUrn`). An alias that keeps the parent keeps the URN's parent part.
 */
function aliasUrn(alias: AliasMessage, urn: string, parent: string): string {
  const spec = alias.getSpec();
  if (!spec) return alias.getUrn();
  const own = urnParts(urn);
  const types = own.qualifiedType.split("$");
  const type = spec.getType() || types[types.length - 1] || "";
  const aliasParent = spec.getParenturn();
  const parentPart = spec.getNoparent()
    ? []
    : aliasParent && aliasParent !== parent
      ? [urnParts(aliasParent).qualifiedType.split("$").pop() ?? ""]
      : types.slice(0, -1);
  const qualifiedType = [...parentPart, type].join("$");
  return `urn:pulumi:${spec.getStack() || own.stack}::${spec.getProject() || own.project}::${qualifiedType}::${spec.getName() || own.name}`;
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
  const digests = new Map<string, string>();
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    original(request, (error, response) => {
      if (!error && response) {
        const dependencies = new Set(request.getDependenciesList());
        request.getPropertydependenciesMap().forEach((urns) => {
          for (const urn of urns.getUrnsList()) dependencies.add(urn);
        });
        const provider = request.getProvider();
        const urn = response.getUrn();
        const aliases = request.getAliasesList().map((alias) => aliasUrn(alias, urn, request.getParent()));
        captured.push({
          urn,
          type: request.getType(),
          name: request.getName(),
          custom: request.getCustom(),
          parent: request.getParent() || null,
          dependencies: [...dependencies].sort(),
          protect: request.getProtect(),
          provider: provider ? provider.split("::").slice(0, -1).join("::") : null,
          inputs: summarizeDynamicProvider(
            redact(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
            digests,
          ),
          ...(aliases.length > 0 ? { aliases } : {}),
        });
      }
      callback(error, response);
    });
  return captured;
}
