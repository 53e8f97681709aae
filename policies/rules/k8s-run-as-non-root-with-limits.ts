import type { ResourceValidationPolicy } from "@pulumi/policy";
import { withEmbeddedObjects } from "../lib/embedded";
import { allowedNamespacesSetting, containersOf, workloadToJudge } from "../lib/resources";

interface SecurityContext {
  runAsNonRoot?: unknown;
  runAsUser?: unknown;
}

const RESOURCES = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

const quantity = (value: unknown) =>
  (typeof value === "string" && value.trim() !== "") || typeof value === "number";

/** Why a container may run as root, given its own and its pod's securityContext, or undefined when it cannot. */
export function rootProblem(pod: SecurityContext, container: SecurityContext): string | undefined {
  const runAsNonRoot = container.runAsNonRoot ?? pod.runAsNonRoot;
  const runAsUser = container.runAsUser ?? pod.runAsUser;
  if (runAsUser === 0) return "runs as UID 0 (runAsUser: 0)";
  if (runAsNonRoot === true || (typeof runAsUser === "number" && runAsUser > 0)) return undefined;
  if (runAsNonRoot === false) return "sets runAsNonRoot: false";
  return "may run as root (neither runAsNonRoot: true nor a runAsUser above 0, in its or the pod's securityContext)";
}

/** The requests and limits a container leaves out, as `limits.cpu`, …. */
export function missingResources(container: Record<string, unknown>): string[] {
  const resources = (container.resources ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return RESOURCES.filter((path) => {
    const [group, name] = path.split(".") as [string, string];
    return !quantity(resources[group]?.[name]);
  });
}

export const k8sRunAsNonRootWithLimits: ResourceValidationPolicy = {
  name: "k8s-run-as-non-root-with-limits",
  description:
    "Every container and init container of a Pod or a workload's pod template runs as non-root (runAsNonRoot: true or a runAsUser above 0, in the container's or the pod's securityContext, and never runAsUser: 0) and sets requests and limits for cpu and memory; pods in the allow-listed namespaces (allowedNamespaces, by default fortress-sensors) are exempt.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedNamespaces: allowedNamespacesSetting(
        "Namespaces whose pods may run as root or without limits (network sensors).",
      ),
    },
  },
  validateResource: withEmbeddedObjects((args, reportViolation) => {
    const workload = workloadToJudge(args);
    if (!workload) return;
    const { podSpecs, who } = workload;

    for (const { spec } of podSpecs) {
      const podContext = (spec.securityContext ?? {}) as SecurityContext;
      for (const { list, name, container } of containersOf(spec)) {
        // Ephemeral (debug) containers take no resources and are never part of a plan's pod spec.
        if (list === "ephemeralContainers") continue;
        const where = `${who}: ${list === "containers" ? "container" : "init container"} ${name}`;
        const root = rootProblem(podContext, (container.securityContext ?? {}) as SecurityContext);
        if (root) {
          reportViolation(
            `${where} ${root}: set securityContext.runAsNonRoot: true and a runAsUser above 0 (on the pod or the container), with an image that runs as that user`,
          );
        }
        const missing = missingResources(container);
        if (missing.length > 0) {
          reportViolation(
            `${where} has no resources.${missing.join(", resources.")}: set requests and limits for cpu and memory so that it cannot starve its node`,
          );
        }
      }
    }
  }),
};
