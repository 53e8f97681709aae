import type { StackValidationPolicy } from "@pulumi/policy";
import { withEmbeddedResources } from "../lib/embedded";
import { DEFAULT_BASELINE_NAMESPACES } from "../lib/kubernetes";
import {
  allowedNamespacesOf,
  DEFAULT_PRIVILEGED_POD_SECURITY_NAMESPACES,
  allowedNamespacesSetting,
  K8S_NAMESPACE_TYPE,
  knownString,
} from "../lib/resources";

/**
 * The Pod Security admission label that decides what a namespace's pods may do. Without it the API
 * server's defaults apply, which are `privileged` unless an admission configuration says otherwise
 * (kubernetes.io docs, "Pod Security Admission": defaults `enforce: privileged`); k3s sets none by default.
 */
export const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
const NAMESPACE_TYPES: ReadonlySet<string> = new Set([K8S_NAMESPACE_TYPE, `${K8S_NAMESPACE_TYPE}Patch`]);

export const k8sNamespacePodSecurity: StackValidationPolicy = {
  name: "k8s-namespace-pod-security",
  description: `Every Namespace the stack creates enforces the restricted Pod Security profile (label ${ENFORCE_LABEL}: restricted); only the allow-listed namespaces (allowedNamespaces, by default ${DEFAULT_PRIVILEGED_POD_SECURITY_NAMESPACES.join(", ")}) may enforce privileged or baseline, and the namespaces of baselineNamespaces (by default ${Object.keys(DEFAULT_BASELINE_NAMESPACES).join(", ")}: ${Object.values(DEFAULT_BASELINE_NAMESPACES).join("; ")}) baseline. A missing label means the API server's default, privileged. A NamespacePatch may not lower it either. Covers objects a yaml/v2 ConfigGroup carries.`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedNamespaces: allowedNamespacesSetting(
        "Namespaces that may enforce the privileged level (network sensors, the node exporter's DaemonSet).",
        DEFAULT_PRIVILEGED_POD_SECURITY_NAMESPACES,
      ),
      baselineNamespaces: {
        type: "array",
        items: { type: "string" },
        default: Object.keys(DEFAULT_BASELINE_NAMESPACES),
        description: "Namespaces that may enforce baseline, never privileged (Cortex's neuron Jobs).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{ allowedNamespaces?: unknown; baselineNamespaces?: unknown }>();
    const allowed = allowedNamespacesOf(config, DEFAULT_PRIVILEGED_POD_SECURITY_NAMESPACES);
    const baseline = allowedNamespacesOf(
      { allowedNamespaces: config.baselineNamespaces },
      Object.keys(DEFAULT_BASELINE_NAMESPACES),
    );
    for (const resource of withEmbeddedResources(args.resources)) {
      if (!NAMESPACE_TYPES.has(resource.type)) continue;
      const metadata = (resource.props.metadata ?? {}) as {
        name?: unknown;
        labels?: Record<string, unknown>;
      };
      const name = knownString(metadata.name) ?? resource.name;
      if (allowed.has(name)) continue;
      const patch = resource.type.endsWith("Patch");
      const level = metadata.labels?.[ENFORCE_LABEL];
      if (level === "restricted" || (patch && level === undefined)) continue;
      if (level === "baseline" && baseline.has(name)) continue;
      reportViolation(
        `Namespace ${name} ${level === undefined ? `has no ${ENFORCE_LABEL} label, so the API server's default (privileged) applies` : `enforces ${String(level)}`}: label it ${ENFORCE_LABEL}: restricted (only ${[...allowed].join(", ") || "no namespace"} may be privileged)`,
        resource.urn,
      );
    }
  },
};
