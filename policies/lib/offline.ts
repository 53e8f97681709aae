/**
 * Runs the pack's policies over a captured plan, offline, the way the policy SDK runs them in
 * `pulumi preview`: each resource policy sees every resource, stack policies see them all, with
 * parents, dependencies and property dependencies linked as PolicyResource objects. Levels and
 * properties come from the policy, then the pack config, as the SDK resolves them.
 */
import type {
  EnforcementLevel,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { FortressPolicy, PackConfig, PlanResource, PolicyViolation } from "./types";

export const PACK_ENFORCEMENT: EnforcementLevel = "mandatory";

class NotApplicable extends Error {}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

function classType(resourceClass: unknown): string | undefined {
  return (resourceClass as { __pulumiType?: string }).__pulumiType;
}

/** Links captured resources into PolicyResource objects. */
export function toPolicyResources(resources: readonly PlanResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const resource of resources) {
    const policyResource: PolicyResource = {
      type: resource.type,
      props: resource.inputs,
      urn: resource.urn,
      name: resource.name,
      opts: {
        protect: resource.protect,
        ignoreChanges: [],
        aliases: [],
        additionalSecretOutputs: [],
      } as never,
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => classType(resourceClass) === resource.type,
      asType: (resourceClass) =>
        classType(resourceClass) === resource.type ? (resource.inputs as never) : undefined,
    };
    byUrn.set(resource.urn, policyResource);
  }
  for (const resource of resources) {
    const target = byUrn.get(resource.urn) as { parent?: PolicyResource; dependencies: PolicyResource[] };
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    if (parent) target.parent = parent;
    target.dependencies = resource.dependencies.flatMap((urn) => {
      const dependency = byUrn.get(urn);
      return dependency ? [dependency] : [];
    });
  }
  return [...byUrn.values()];
}

function levelOf(policy: FortressPolicy, config: PackConfig): EnforcementLevel {
  const entry = config[policy.name];
  const configured = (typeof entry === "string" ? entry : entry?.enforcementLevel) as
    EnforcementLevel | undefined;
  return configured ?? policy.enforcementLevel ?? PACK_ENFORCEMENT;
}

/** The policy's properties: schema defaults, overridden by the pack config. */
export function configOf(policy: FortressPolicy, config: PackConfig): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).flatMap(([key, schema]) =>
      (schema as { default?: unknown }).default === undefined
        ? []
        : [[key, (schema as { default?: unknown }).default]],
    ),
  );
  const entry = config[policy.name];
  const { enforcementLevel: _level, ...properties } =
    typeof entry === "object" && entry !== null ? entry : {};
  return { ...defaults, ...properties };
}

const isStackPolicy = (policy: FortressPolicy): policy is StackValidationPolicy => "validateStack" in policy;

export async function evaluatePolicies(
  policies: readonly FortressPolicy[],
  resources: readonly PlanResource[],
  config: PackConfig = {},
): Promise<PolicyViolation[]> {
  const policyResources = toPolicyResources(resources);
  const violations: PolicyViolation[] = [];
  for (const policy of policies) {
    const level = levelOf(policy, config);
    if (level === "disabled") continue;
    const reported: "mandatory" | "advisory" = level === "advisory" ? "advisory" : "mandatory";
    const properties = configOf(policy, config);
    const report = (urn: string | undefined) => (message: string, violationUrn?: string) => {
      const at = violationUrn ?? urn;
      violations.push({ policy: policy.name, level: reported, message, ...(at ? { urn: at } : {}) });
    };
    try {
      if (isStackPolicy(policy)) {
        await policy.validateStack(
          {
            resources: policyResources,
            stackTags: new Map(),
            getConfig: () => properties as never,
            notApplicable,
          },
          report(undefined),
        );
        continue;
      }
      const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
      for (const resource of policyResources) {
        const args: ResourceValidationArgs = {
          type: resource.type,
          props: resource.props,
          urn: resource.urn,
          name: resource.name,
          opts: resource.opts,
          stackTags: new Map(),
          isType: resource.isType,
          asType: resource.asType as ResourceValidationArgs["asType"],
          getConfig: () => properties as never,
          notApplicable,
        };
        for (const validate of validations) {
          try {
            await validate(args, report(resource.urn));
          } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
          }
        }
      }
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return violations;
}
