/**
 * The loopback double's os-node_exporter plugin and firmware jobs, written from the vendors' files:
 * - opnsense/plugins sysutils/node_exporter (PLUGIN_VERSION 1.2, the same at tags 25.7, 26.1, 26.7
 *   but for 26.1's model style run dropping the collectors' defaults): NodeExporter/General.xml (the
 *   schema below), Api/GeneralController.php (ApiMutableModelControllerBase, key `general`),
 *   Api/ServiceController.php (reconfigure), templates/OPNsense/NodeExporter/node_exporter (the rc.conf
 *   lines `rcConf` renders), ACL/ACL.xml (aclTable.ts);
 * - opnsense/core Core/Api/FirmwareController.php @ 25.7, 26.1, 26.7: installAction/removeAction
 *   (POST only, {"status":"ok","msg_uuid"}; a GET answers {"status":"failure"}), upgradestatusAction
 *   (running / done on ***DONE*** / reboot on ***REBOOT*** / error when configd answers nothing),
 *   infoAction (plugins with installed "1" for local packages, "0" for remote ones, `provided`).
 */
import { randomUUID } from "node:crypto";
import type { AclEntry } from "./aclTable";
import { bool, network, port, type Raw, type Schema } from "./fields";

export const NODE_EXPORTER_PLUGIN = "os-node_exporter";
export const NODE_EXPORTER_PLUGIN_VERSION = "1.2";

/** sysutils/node_exporter/src/opnsense/mvc/app/models/OPNsense/NodeExporter/ACL/ACL.xml @ 25.7, 26.1, 26.7. */
export const NODE_EXPORTER_ACL: AclEntry = {
  key: "page-services-nodeexporter",
  name: "Services: Prometheus Exporter",
  patterns: ["api/nodeexporter/*"],
};

const collectorDefault = (version: string) => (version.startsWith("25.7") ? { default: "1" as const } : {});

/** General.xml: 25.7 had the common collectors on by default; 26.1's style run dropped the Defaults. */
export function nodeExporterSchema(version: string): Schema {
  const on = collectorDefault(version);
  return {
    enabled: bool({ default: "0", required: true }),
    listenaddress: network({ default: "0.0.0.0", required: true, netmask: "forbidden" }),
    listenport: port({ default: "9100", required: true }),
    cpu: bool(on),
    exec: bool(on),
    filesystem: bool(on),
    loadavg: bool(on),
    meminfo: bool(on),
    netdev: bool(on),
    time: bool(on),
    devstat: bool(),
    interrupts: bool(),
    ntp: bool(),
    zfs: bool(),
  };
}

/** templates/OPNsense/NodeExporter/node_exporter: what rc.conf.d gets at reconfigure. */
export function rcConf(settings: Raw): string {
  if (settings.enabled !== "1") return 'node_exporter_enable="NO"';
  const off = (field: string) => (settings[field] === "1" ? "" : `--no-collector.${field} `);
  const on = (field: string) => (settings[field] === "1" ? `--collector.${field} ` : "");
  const args =
    off("cpu") +
    off("exec") +
    off("filesystem") +
    off("loadavg") +
    off("meminfo") +
    off("netdev") +
    on("ntp") +
    off("time") +
    on("devstat") +
    off("zfs");
  const address = (settings.listenaddress ?? "").includes(":")
    ? `[${settings.listenaddress}]`
    : (settings.listenaddress ?? "");
  return [
    `node_exporter_args="${args}"`,
    `node_exporter_listen_address="${address}:${settings.listenport ?? ""}"`,
    'node_exporter_enable="YES"',
  ].join("\n");
}

export interface FirmwareJob {
  readonly action: "install" | "remove";
  readonly pkg: string;
  /** upgradestatus calls left before the job's log says done. */
  polls: number;
  /** The job ends done but pkg failed: the package does not change. */
  readonly fails: boolean;
}

/** The firmware's background jobs (configd `firmware install|remove`) and the installed plugins. */
export class Firmware {
  readonly installed: Set<string>;
  /** Packages the mirror offers (infoAction's remote list). */
  readonly offered = new Set([NODE_EXPORTER_PLUGIN]);
  /** Packages whose install the mirror breaks (the job's log says done, pkg did nothing). */
  readonly broken = new Set<string>();
  /** How many upgradestatus calls a job runs for. */
  jobPolls = 2;
  job: FirmwareJob | undefined;
  private log: string | undefined;
  readonly started: string[] = [];

  constructor(plugins: readonly string[]) {
    this.installed = new Set(plugins);
  }

  start(action: "install" | "remove", pkg: string, method: string): Record<string, unknown> {
    if (method !== "POST") return { status: "failure" };
    this.started.push(`${action} ${pkg}`);
    this.job = { action, pkg, polls: this.jobPolls, fails: this.broken.has(pkg) };
    this.log = `***GOT REQUEST TO ${action.toUpperCase()}***\n`;
    return { status: "ok", msg_uuid: randomUUID() };
  }

  status(): Record<string, unknown> {
    const job = this.job;
    if (job) {
      job.polls -= 1;
      if (job.polls > 0) return { status: "running", log: this.log };
      if (!job.fails) {
        if (job.action === "install") this.installed.add(job.pkg);
        else this.installed.delete(job.pkg);
      } else this.log += `pkg: No packages available to ${job.action} matching '${job.pkg}'\n`;
      this.log += "***DONE***";
      this.job = undefined;
    }
    if (this.log === undefined) return { status: "error", log: "" };
    return { status: "done", log: this.log };
  }

  /** infoAction's plugin rows: local (installed) and remote (offered). */
  pluginRows(row: (name: string, version: string, installed: boolean) => Record<string, unknown>) {
    const names = new Set([...this.installed, ...this.offered]);
    return [...names]
      .sort()
      .map((name) =>
        row(
          name,
          name === NODE_EXPORTER_PLUGIN ? NODE_EXPORTER_PLUGIN_VERSION : "1.0",
          this.installed.has(name),
        ),
      );
  }
}
