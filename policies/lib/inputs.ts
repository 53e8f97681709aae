/** Reading any resource's inputs: walking them, and the values the offline capture writes for secrets and unknowns. */
import type { PolicyResource } from "@pulumi/policy";
import { SECRET_KNOWN_DEFAULT } from "../../vocabulary/credentials";

/** How the offline capture writes a secret-marked input value (`pulumi preview` unwraps secrets instead). */
export const REDACTED = "[secret]";
/** Values the offline capture writes for an input it cannot know (an unresolved output) or may not show. */
const OPAQUE_VALUES = new Set(["[unknown]", REDACTED, SECRET_KNOWN_DEFAULT]);

/** A string input the capture knows, or undefined when absent, empty, unknown or secret. */
export function knownString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && !OPAQUE_VALUES.has(value) ? value : undefined;
}

/**
 * Visits every value under `value`, depth first, with the key it sits under and the path to it.
 * Skips `__provider` (a dynamic resource's serialized provider code, not configuration).
 */
export function walkInputs(
  value: unknown,
  visit: (key: string, value: unknown, path: readonly string[], parent: unknown) => void,
  path: readonly string[] = [],
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const itemPath = [...path, String(index)];
      visit(path.at(-1) ?? "", item, itemPath, value);
      walkInputs(item, visit, itemPath);
    });
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (key === "__provider") continue;
    const itemPath = [...path, key];
    visit(key, item, itemPath, value);
    walkInputs(item, visit, itemPath);
  }
}

/** Whether the resources come from the offline capture, where secret values read REDACTED. */
export function isRedactedPlan(resources: readonly PolicyResource[]): boolean {
  return resources.some((resource) => {
    let found = false;
    const provider = resource.props.__provider;
    if (typeof provider === "string" && provider.startsWith("[dynamic provider ")) return true;
    walkInputs(resource.props, (_key, value) => {
      if (value === REDACTED || value === SECRET_KNOWN_DEFAULT) found = true;
    });
    return found;
  });
}
