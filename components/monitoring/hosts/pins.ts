/**
 * The node exporter every non-k3s VM and every Proxmox node runs: Debian's own package, at the exact
 * version of the host's release, held. Read from the packages themselves (`apt-get download
 * prometheus-node-exporter`, `dpkg -c` / `dpkg -x`, Debian 12 bookworm 1.5.0-1+b6):
 * - the unit (/lib/systemd/system/prometheus-node-exporter.service, DEBIAN_UNIT) runs
 *   `/usr/bin/prometheus-node-exporter $ARGS` as user `prometheus` with
 *   `EnvironmentFile=/etc/default/prometheus-node-exporter` (a conffile), whose shipped ARGS is "";
 * - the binary's defaults (`--help`): `--web.listen-address=:9100` (every address: so Fortress sets
 *   the host's own), `--collector.textfile.directory=/var/lib/prometheus/node-exporter`, a directory the
 *   package ships root:root 0755;
 * - Recommends prometheus-node-exporter-collectors (apt, smartmon, … textfile timers): not installed
 *   (`--no-install-recommends`), Fortress writes its own textfiles.
 * Proxmox VE 9 is Debian 13 trixie: packages.debian.org lists prometheus-node-exporter 1.9.0-1+b2 there
 * (source 1.9.0-1; unit under /usr/lib/systemd/system, same /etc/default file and textfile directory
 * in its file list). That version is read from the package index, not from a downloaded .deb: this
 * machine reaches bookworm only.
 */
import { NODE_EXPORTER_TEXTFILE_DIR } from "../../../vocabulary/monitoring";
import { SERVICES } from "../../../vocabulary/services";
import type { PinnedPackage } from "../../shipping/shell";

export const NODE_EXPORTER_PACKAGE_NAME = "prometheus-node-exporter";

/** The exact package version per Debian release (VERSION_CODENAME of /etc/os-release). */
export const NODE_EXPORTER_VERSIONS = {
  /** Debian 12, the lab's VMs (stacks/config/schema.ts cloud image). */
  bookworm: "1.5.0-1+b6",
  /** Debian 13, Proxmox VE 9. */
  trixie: "1.9.0-1+b2",
} as const;

export type DebianRelease = keyof typeof NODE_EXPORTER_VERSIONS;

export const nodeExporterPackage = (release: DebianRelease): PinnedPackage => ({
  name: NODE_EXPORTER_PACKAGE_NAME,
  version: NODE_EXPORTER_VERSIONS[release],
});

export const NODE_EXPORTER_PORT = SERVICES["node-exporter"].tcp[0] as number;
export const NODE_EXPORTER_UNIT = "prometheus-node-exporter";
export const NODE_EXPORTER_BINARY = "/usr/bin/prometheus-node-exporter";
/** Fortress's drop-in for the package's unit (its ExecStart replaces the package's `$ARGS` one). */
export const NODE_EXPORTER_DROP_IN = "/etc/systemd/system/prometheus-node-exporter.service.d/fortress.conf";
/**
 * The package's unit as Debian 12 ships it (/lib/systemd/system/prometheus-node-exporter.service in
 * prometheus-node-exporter_1.5.0-1+b6_amd64.deb), for the test that checks the drop-in against it.
 */
export const DEBIAN_UNIT = [
  "[Unit]",
  "Description=Prometheus exporter for machine metrics",
  "Documentation=https://github.com/prometheus/node_exporter",
  "",
  "[Service]",
  "Restart=on-failure",
  "User=prometheus",
  "EnvironmentFile=/etc/default/prometheus-node-exporter",
  "ExecStart=/usr/bin/prometheus-node-exporter $ARGS",
  "ExecReload=/bin/kill -HUP $MAINPID",
  "TimeoutStopSec=20s",
  "SendSIGKILL=no",
  "",
  "[Install]",
  "WantedBy=multi-user.target",
  "",
].join("\n");
/** The textfile collector's directory: Debian's default, where Fortress's own metrics land. */
export const TEXTFILE_DIR = NODE_EXPORTER_TEXTFILE_DIR;
