/**
 * The Wazuh manager's metrics textfile as files Fortress installs on the manager (pure): the program
 * (`fortress-wazuh-metrics.py`, Python 3 standard library, read as it is), its configuration and its
 * systemd service and timer. The configuration holds the read-only API user's password: the caller
 * passes it as a Pulumi secret and it is written root-only (0600), never on a command line.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TEXTFILE_DIR } from "../hosts/pins";

export const WAZUH_METRICS_PATHS = {
  program: "/usr/local/sbin/fortress-wazuh-metrics",
  config: "/etc/fortress/wazuh-metrics.json",
  /** What the program writes, in the node exporter's textfile directory. */
  textfile: `${TEXTFILE_DIR}/fortress_wazuh.prom`,
} as const;

export const WAZUH_METRICS_UNIT = "fortress-wazuh-metrics";
/** How often the textfile is rewritten: the scrape interval's order (Prometheus reads it on each scrape). */
export const WAZUH_METRICS_INTERVAL = "30s";

/** The repository path of the program: the metric catalogue's `source`. */
export const WAZUH_METRICS_SOURCE = "components/monitoring/wazuh/fortress-wazuh-metrics.py";

export const wazuhMetricsProgram = (): string =>
  readFileSync(join(__dirname, "fortress-wazuh-metrics.py"), "utf8");

export interface WazuhMetricsConfigInput {
  /** The API as the manager reaches itself (the API certificate names the manager, and localhost). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** The CA of the API's certificate, on the manager. */
  readonly caFile: string;
  readonly timeout?: number;
  readonly textfileDir?: string;
}

/** /etc/fortress/wazuh-metrics.json (root-only). */
export function renderWazuhMetricsConfig(input: WazuhMetricsConfigInput): string {
  if (!/^https:\/\/[\w.-]+(:\d+)?$/.test(input.url))
    throw new Error(`wazuh metrics: ${input.url} is no https URL of the API`);
  if (!input.password) throw new Error("wazuh metrics: no password for the API user");
  return `${JSON.stringify(
    {
      url: input.url,
      username: input.username,
      password: input.password,
      ca_file: input.caFile,
      timeout: input.timeout ?? 10,
      textfile_dir: input.textfileDir ?? TEXTFILE_DIR,
    },
    null,
    2,
  )}\n`;
}

/** The oneshot service (root: the configuration is root-only; everything but the textfile directory read-only) and its timer. */
export function wazuhMetricsUnits(): { service: string; timer: string } {
  return {
    service: [
      "[Unit]",
      "Description=Fortress: the Wazuh manager's agents and queues as a node exporter textfile",
      "After=wazuh-manager.service",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=/usr/bin/python3 ${WAZUH_METRICS_PATHS.program}`,
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      `ReadWritePaths=${TEXTFILE_DIR}`,
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "PrivateDevices=yes",
      "",
    ].join("\n"),
    timer: [
      "[Unit]",
      `Description=Fortress: rewrite the Wazuh metrics textfile every ${WAZUH_METRICS_INTERVAL}`,
      "",
      "[Timer]",
      `OnBootSec=${WAZUH_METRICS_INTERVAL}`,
      `OnUnitActiveSec=${WAZUH_METRICS_INTERVAL}`,
      "AccuracySec=5s",
      "",
      "[Install]",
      "WantedBy=timers.target",
      "",
    ].join("\n"),
  };
}
