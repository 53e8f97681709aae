/**
 * The script that installs the Wazuh metrics textfile on the manager over SSH (house style:
 * components/shipping/install.ts): the configuration from stdin into a root-only file, the program and
 * the units placed only when they differ, the textfile directory made if the node exporter has not
 * made it yet, the timer enabled, and one run now so that a broken API user shows at `pulumi up`
 * rather than as a missing series. A re-run with the same inputs changes nothing.
 */
import { ENSURE_DIR_FUNCTION, PROLOGUE, stage } from "../../shipping/shell";
import { TEXTFILE_DIR } from "../hosts/pins";
import { WAZUH_METRICS_PATHS, WAZUH_METRICS_UNIT, wazuhMetricsProgram, wazuhMetricsUnits } from "./program";

const UNIT_DIR = "/etc/systemd/system";

/** Stdin: the configuration (renderWazuhMetricsConfig), base64 on one line. */
export function wazuhMetricsInstallScript(): string {
  const units = wazuhMetricsUnits();
  return [
    ...PROLOGUE,
    ...ENSURE_DIR_FUNCTION,
    "umask 077",
    'IFS= read -r config && printf "%s" "$config" | base64 -d > "$work/config.json" && unset config',
    'if [ ! -s "$work/config.json" ]; then echo "no configuration on stdin" >&2; exit 1; fi',
    `python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/config.json"`,
    "umask 022",
    "ensure_dir 755 root root /etc/fortress",
    `ensure_dir 755 root root ${TEXTFILE_DIR}`,
    `place "$work/config.json" ${WAZUH_METRICS_PATHS.config} 600 root root`,
    ...stage("program.py", wazuhMetricsProgram(), "FORTRESS_WAZUH_METRICS_PROGRAM"),
    `place "$work/program.py" ${WAZUH_METRICS_PATHS.program} 755 root root`,
    ...stage("metrics.service", units.service, "FORTRESS_WAZUH_METRICS_SERVICE"),
    `place "$work/metrics.service" ${UNIT_DIR}/${WAZUH_METRICS_UNIT}.service 644 root root`,
    ...stage("metrics.timer", units.timer, "FORTRESS_WAZUH_METRICS_TIMER"),
    `place "$work/metrics.timer" ${UNIT_DIR}/${WAZUH_METRICS_UNIT}.timer 644 root root`,
    'if [ -n "$changed" ]; then sudo systemctl daemon-reload; fi',
    `sudo systemctl enable --now ${WAZUH_METRICS_UNIT}.timer >/dev/null 2>&1`,
    // One run now: its exit code says whether the file could be written, the file whether the API answered.
    `sudo systemctl start ${WAZUH_METRICS_UNIT}.service`,
    `if ! sudo grep -qx 'fortress_wazuh_api_up 1' ${WAZUH_METRICS_PATHS.textfile}; then`,
    `  echo "the Wazuh metrics could not read the API: see journalctl -u ${WAZUH_METRICS_UNIT}" >&2`,
    `  sudo journalctl -u ${WAZUH_METRICS_UNIT} -n 10 --no-pager >&2 || true`,
    "  exit 1",
    "fi",
  ].join("\n");
}
