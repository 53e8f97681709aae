/**
 * The Prometheus node exporter's DaemonSet, the one workload outside the allow-listed namespaces that
 * may use the host, and only as prometheus-node-exporter 4.56.1 renders it for kube-prometheus-stack
 * (prometheus-community/helm-charts@prometheus-node-exporter-4.56.1 charts/prometheus-node-exporter
 * values.yaml `hostNetwork: true`, `hostPID: true`, `hostRootFsMount.enabled: true`; templates/
 * daemonset.yaml mounts the node's /proc, /sys and / read-only at /host/proc, /host/sys, /host/root).
 * Why: its metrics are the node's own, read from the node's procfs and sysfs (CPU, memory, disks,
 * filesystems through the root mount), with the node's network interfaces only in the node's network
 * namespace and the node's processes only in its PID namespace; it listens on 9100 on the node, which
 * Prometheus scrapes at the node's address (the zone matrix's `node-exporter` service).
 *
 * Recognised by: a DaemonSet whose every container runs the node exporter's image, with hostPath
 * volumes only of /, /proc and /sys, each mounted read-only, and no hostIPC. Privilege, capabilities
 * and privilege escalation stay judged as for any pod.
 */
import { containersOf } from "./kubernetes";

type Inputs = Record<string, unknown>;

export const NODE_EXPORTER_IMAGE =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?prometheus\/node-exporter:v\d+\.\d+\.\d+(?:-distroless)?(?:@sha256:[0-9a-f]{64})?$/;
export const NODE_EXPORTER_HOST_PATHS: ReadonlySet<string> = new Set(["/", "/proc", "/sys"]);
/** The exporter's port (vocabulary/services.ts `node-exporter`). */
export const NODE_EXPORTER_PORT = 9100;
export const NODE_EXPORTER_REASON =
  "the Prometheus node exporter reads the node's own /proc, /sys and / (read-only) and needs the node's network and PID namespaces to report its interfaces and processes";

const list = (value: unknown): Inputs[] =>
  Array.isArray(value)
    ? value.filter((item): item is Inputs => typeof item === "object" && item !== null)
    : [];

/** Whether a pod spec of a workload of `kind` is the node exporter's DaemonSet, host use as the chart renders it. */
export function isNodeExporterDaemonSet(kind: string | undefined, spec: Inputs): boolean {
  if (kind !== "DaemonSet" || spec.hostIPC === true) return false;
  const containers = containersOf(spec);
  if (containers.length === 0) return false;
  if (!containers.every(({ container }) => NODE_EXPORTER_IMAGE.test(String(container.image ?? ""))))
    return false;
  const hostVolumes = list(spec.volumes).filter(
    (volume) => volume.hostPath !== undefined && volume.hostPath !== null,
  );
  const paths = hostVolumes.map((volume) => String((volume.hostPath as { path?: unknown }).path ?? ""));
  if (!paths.every((path) => NODE_EXPORTER_HOST_PATHS.has(path.replace(/(.)\/+$/, "$1")))) return false;
  const hostVolumeNames = new Set(hostVolumes.map((volume) => String(volume.name ?? "")));
  return containers.every(({ container }) =>
    list(container.volumeMounts).every(
      (mount) => !hostVolumeNames.has(String(mount.name ?? "")) || mount.readOnly === true,
    ),
  );
}
