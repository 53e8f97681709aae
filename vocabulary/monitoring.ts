/**
 * Where the monitoring layer's node exporters read Fortress's own metrics: the textfile collector's
 * directory, Debian's default (prometheus-node-exporter's `--collector.textfile.directory`, read from
 * the bookworm 1.5.0-1+b6 package; components/monitoring/hosts/pins.ts). Programs of earlier layers
 * that count what they do (the containment action) write their textfile there.
 */
export const NODE_EXPORTER_TEXTFILE_DIR = "/var/lib/prometheus/node-exporter";

/**
 * The node exporter's own namespace, beside the monitoring layer's: its DaemonSet reads the k3s nodes'
 * /proc, /sys and root filesystem through hostPath with hostNetwork and hostPID
 * (prometheus-community/helm-charts charts/prometheus-node-exporter daemonset.yaml), which only the
 * `privileged` Pod Security level admits. Kept apart so the rest of monitoring stays `restricted`.
 */
export const NODE_EXPORTER_NAMESPACE = "fortress-node-exporter";
