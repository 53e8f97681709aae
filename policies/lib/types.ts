import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** A policy of the pack: one per file under rules/, listed in registry.ts. */
export type FortressPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** A resource as the plan captures it (and as fixtures build it by hand). */
export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly provider: string | null;
  readonly inputs: Record<string, unknown>;
}

export interface PolicyViolation {
  readonly policy: string;
  readonly level: "mandatory" | "advisory";
  readonly urn?: string;
  readonly message: string;
}

/** `--policy-pack-config` format: per policy a level, or an object with `enforcementLevel` and properties. */
export type PackConfig = Readonly<Record<string, string | Readonly<Record<string, unknown>>>>;
