import type { ResourceValidationPolicy } from "@pulumi/policy";
import { withEmbeddedObjects } from "../lib/embedded";
import { isNodeExporterDaemonSet } from "../lib/nodeExporter";
import { allowedNamespacesSetting, containersOf, k8sKindOf, workloadToJudge } from "../lib/resources";

/** The one capability a container may add: binding ports below 1024 as non-root. */
export const ALLOWED_CAPABILITIES = new Set(["NET_BIND_SERVICE"]);
/** Pod fields that share a node namespace, with what they share. */
export const HOST_NAMESPACES = { hostNetwork: "network", hostPID: "PID", hostIPC: "IPC" } as const;

export const capabilityName = (value: unknown) => String(value).toUpperCase().replace(/^CAP_/, "");

export const k8sNoPrivileged: ResourceValidationPolicy = {
  name: "k8s-no-privileged",
  description:
    "No pod outside the allow-listed namespaces (allowedNamespaces, by default fortress-sensors, where network sensors such as Zeek and Suricata capture traffic) runs privileged containers, mounts hostPath volumes, shares the node's network, PID or IPC namespace, adds a capability other than NET_BIND_SERVICE, allows privilege escalation (allowPrivilegeEscalation: true) or is a Windows HostProcess container; the one exception is the Prometheus node exporter's DaemonSet (every container its image, hostPath only /, /proc and /sys mounted read-only, no hostIPC), which may share the node's network and PID namespaces and mount those paths because its metrics are the node's own; no PersistentVolume is a hostPath volume. Covers Pods and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs, and their patches; the namespace is the object's metadata.namespace.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedNamespaces: allowedNamespacesSetting(
        "Namespaces whose pods may be privileged (network sensors that capture on the host's NICs).",
      ),
    },
  },
  validateResource: withEmbeddedObjects((args, reportViolation) => {
    const hostPath = (args.props.spec as { hostPath?: { path?: unknown } } | undefined)?.hostPath;
    if (k8sKindOf(args.type) === "PersistentVolume" && hostPath) {
      reportViolation(
        `PersistentVolume ${args.name} is a hostPath volume (${String(hostPath.path ?? "?")}), so any pod that claims it reaches into the node's filesystem: use the storage classes (local-path, NFS) instead`,
      );
      return;
    }
    const workload = workloadToJudge(args, { patches: true });
    if (!workload) return;
    const { podSpecs, who, allowed } = workload;
    const remedy = `move it into an allow-listed namespace (${[...allowed].join(", ") || "none"}) if it is a sensor that needs the host`;

    for (const { path, spec } of podSpecs) {
      // The node exporter's host use, and only that (policies/lib/nodeExporter.ts: its reason).
      const nodeExporter = isNodeExporterDaemonSet(k8sKindOf(args.type), spec);
      for (const [field, shared] of Object.entries(HOST_NAMESPACES)) {
        if (nodeExporter && field !== "hostIPC") continue;
        if (spec[field] === true) {
          reportViolation(
            `${who} sets ${path}.${field}: true, so its pods share the node's ${shared} namespace: remove it, or ${remedy}`,
          );
        }
      }
      const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Record<string, unknown>[]) : [];
      volumes.forEach((volume, index) => {
        const hostPath = volume?.hostPath as { path?: unknown } | undefined;
        if (hostPath === undefined || hostPath === null || nodeExporter) return;
        reportViolation(
          `${who} mounts hostPath ${String(hostPath.path ?? "?")} as volume ${String(volume.name ?? index)}, which reaches into the node's filesystem: use a PersistentVolumeClaim, ConfigMap, Secret or emptyDir instead, or ${remedy}`,
        );
      });
      for (const { list, name, container } of containersOf(spec)) {
        const securityContext = (container.securityContext ?? {}) as {
          privileged?: unknown;
          allowPrivilegeEscalation?: unknown;
          capabilities?: { add?: unknown };
          windowsOptions?: { hostProcess?: unknown };
        };
        const where = `${who}: ${list === "containers" ? "container" : list.replace(/s$/, "")} ${name}`;
        if (securityContext.privileged === true) {
          reportViolation(
            `${where} is privileged (securityContext.privileged: true), which gives it the whole node: remove it, or ${remedy}`,
          );
        }
        if (securityContext.allowPrivilegeEscalation === true) {
          reportViolation(
            `${where} sets allowPrivilegeEscalation: true, so a setuid binary can make it root: set it to false, or ${remedy}`,
          );
        }
        const podWindows = (
          spec.securityContext as { windowsOptions?: { hostProcess?: unknown } } | undefined
        )?.windowsOptions;
        if (securityContext.windowsOptions?.hostProcess === true || podWindows?.hostProcess === true) {
          reportViolation(
            `${where} is a Windows HostProcess container, which runs on the node itself: remove it, or ${remedy}`,
          );
        }
        const added = Array.isArray(securityContext.capabilities?.add)
          ? securityContext.capabilities.add
          : [];
        const extra = added.map(capabilityName).filter((capability) => !ALLOWED_CAPABILITIES.has(capability));
        if (extra.length > 0) {
          reportViolation(
            `${where} adds capabilit${extra.length === 1 ? "y" : "ies"} ${extra.join(", ")}: drop ${extra.length === 1 ? "it" : "them"} (only NET_BIND_SERVICE may be added), or ${remedy}`,
          );
        }
      }
    }
  }),
};
