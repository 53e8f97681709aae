/**
 * The shell scripts that install Greenbone on its VM and reconcile its scan targets over SSH, rendered by
 * pure functions (house style: components/siem/manager/install.ts). The install, in order:
 * 1. secrets from stdin (the admin password, then the web UI's TLS key) into a root-only staging
 *    directory removed on exit; no secret is ever an argument of a command;
 * 2. Docker's apt repository, its key accepted only with the pinned fingerprint; Docker Engine, the
 *    compose plugin and python3 at pinned versions, held;
 * 3. the files (compose file, certificate and key, the GMP client, `fortress-rescan`, the export
 *    timer, the socket directory), each written only when it differs;
 * 4. the image digests in the project's `.env` (imagePins.ts): from the configured table on every run, or
 *    else resolved on the first install only and kept after; printed as `greenbone-pin <key> <digest>`;
 * 5. `docker compose up -d` (images by digest); nginx restarted when its certificate changed;
 * 6. the admin password set over GMP once gvmd answers, and admin/admin checked to be refused.
 * A re-run with the same inputs changes nothing on the host.
 */
import { PLACE_FUNCTION, WORKDIR_PROLOGUE } from "../shipping/shell";
import {
  CERT_DIR,
  CERT_FILE,
  COMPOSE_COMMAND,
  COMPOSE_PATH,
  ENV_PATH,
  GREENBONE_DIR,
  GVMD_SOCKET,
  GVMD_SOCKET_DIR,
  KEY_FILE,
  SOCKET_PARENT,
} from "./compose";
import {
  GVM_CONFIG_DIR,
  GVM_EXPORT_DIR,
  GVM_PROGRAM_PATH,
  GVM_STATE_DIR,
  RESCAN_EXIT_CODES,
} from "./gvmProgram";
import { PIN_PATH, pinScript } from "./imagePins";
import { type DockerApt, DOCKER_APT, dockerPackagesLines, dockerRepositoryLines } from "../docker/dockerApt";

export const RESCAN_PATH = "/usr/local/sbin/fortress-rescan";
export const ADMIN_PASSWORD_PATH = `${GVM_CONFIG_DIR}/admin-password`;
export const SCAN_KEY_PATH = `${GVM_CONFIG_DIR}/scan-key`;
export const TARGETS_PATH = `${GVM_CONFIG_DIR}/targets.json`;
export const EXPORT_UNIT = "fortress-greenbone-export";
const TMPFILES_PATH = "/etc/tmpfiles.d/fortress-greenbone.conf";
/** gvmd answers only after its database migration and the feed data containers (minutes on a first start). */
const GVMD_ATTEMPTS = 120;
const GVMD_INTERVAL_S = 10;
/**
 * How long the reconcile waits while the client answers 75 (gvmd has not loaded the feed's scan config
 * and port list yet, or a task to change is running): 40 tries 30 s apart, then the step fails with 75
 * and the next `pulumi up` carries on from where it stopped.
 */
export const RECONCILE_ATTEMPTS = 40;
export const RECONCILE_INTERVAL_S = 30;

/** A here-document into "$work/<name>" with a marker the content does not hold. */
function stage(name: string, content: string, marker: string): string[] {
  if (content.includes(marker)) throw new Error(`internal: a rendered file contains ${marker}`);
  return [`cat > "$work/${name}" <<'${marker}'`, content.trimEnd(), marker];
}

/** `fortress-rescan <target-name>`: start one target's task (exit codes: gvmProgram.ts RESCAN_EXIT_CODES). */
export function rescanScript(): string {
  const codes = Object.entries(RESCAN_EXIT_CODES)
    .map(([what, code]) => `#   ${code}  ${what}`)
    .join("\n");
  return [
    "#!/bin/sh",
    "# fortress-rescan <target-name>: start the Fortress scan task of one Greenbone target now.",
    "# Prints the new report's id. Exit codes:",
    codes,
    "set -eu",
    'if [ "$#" -ne 1 ]; then',
    '  echo "usage: fortress-rescan <target-name>" >&2',
    `  exit ${RESCAN_EXIT_CODES.usage}`,
    "fi",
    `exec /usr/bin/python3 ${GVM_PROGRAM_PATH} rescan "$1"`,
    "",
  ].join("\n");
}

/** The export service and its timer: every 15 minutes, finished reports not yet written. */
export function exportUnits(): { service: string; timer: string } {
  return {
    service: [
      "[Unit]",
      "Description=Fortress: export finished Greenbone reports as JSON lines",
      "After=docker.service",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=/usr/bin/python3 ${GVM_PROGRAM_PATH} export`,
      "",
    ].join("\n"),
    timer: [
      "[Unit]",
      "Description=Fortress: export finished Greenbone reports every 15 minutes",
      "",
      "[Timer]",
      "OnCalendar=*:0/15",
      "Persistent=true",
      "",
      "[Install]",
      "WantedBy=timers.target",
      "",
    ].join("\n"),
  };
}

/** The socket's parent is root-only; gvmd (another uid in its container) must create the socket. */
export const TMPFILES = `d ${SOCKET_PARENT} 0700 root root -\nd ${GVMD_SOCKET_DIR} 0777 root root -\n`;

export type { DockerApt };

export interface GreenboneInstallArgs {
  readonly compose: string;
  /** The web UI's certificate from the internal CA (PEM). */
  readonly certificatePem: string;
  readonly program: string;
  /** `.env` from the stack's `imageDigests` (imagePins.ts renderEnv); none: resolved on the first install. */
  readonly env?: string;
  /** Docker's apt repository (tests only: a key of their own); DOCKER_APT otherwise. */
  readonly docker?: DockerApt;
}

/** Stdin of the install: the admin password (one line), then the TLS key PEM. */
export const INSTALL_STDIN_ORDER = ["admin-password", "tls-key"] as const;

export function installScript(args: GreenboneInstallArgs): string {
  const units = exportUnits();
  const compose = `sudo ${COMPOSE_COMMAND}`;
  return [
    ...WORKDIR_PROLOGUE,
    ...PLACE_FUNCTION,
    // 1. Secrets.
    "umask 077",
    'IFS= read -r admin_password && printf "%s\\n" "$admin_password" > "$work/admin-password" && unset admin_password',
    'if [ "$(wc -c < "$work/admin-password")" -lt 17 ]; then echo "no admin password on stdin" >&2; exit 1; fi',
    'cat > "$work/tls.key"',
    'if ! grep -q "PRIVATE KEY-----" "$work/tls.key"; then echo "no TLS key on stdin" >&2; exit 1; fi',
    "umask 022",
    // 2. Docker's repository and the packages.
    "export DEBIAN_FRONTEND=noninteractive",
    ...dockerRepositoryLines(args.docker ?? DOCKER_APT),
    ...dockerPackagesLines(),
    // 3. Files.
    `sudo install -d -m 0755 -o root -g root ${GREENBONE_DIR} ${CERT_DIR} ${GVM_EXPORT_DIR} ${GVM_PROGRAM_PATH.replace(/\/[^/]+$/, "")}`,
    `sudo install -d -m 0700 -o root -g root ${GVM_CONFIG_DIR} ${GVM_STATE_DIR}`,
    ...stage("compose.yaml", args.compose, "FORTRESS_COMPOSE"),
    `place "$work/compose.yaml" '${COMPOSE_PATH}' 644 root root`,
    ...stage("fortress-greenbone-pin", pinScript(), "FORTRESS_PIN"),
    `place "$work/fortress-greenbone-pin" '${PIN_PATH}' 755 root root`,
    ...(args.env === undefined ? [] : stage("greenbone.env", args.env, "FORTRESS_ENV")),
    ...(args.env === undefined ? [] : [`place "$work/greenbone.env" '${ENV_PATH}' 600 root root`]),
    ...stage("cert.pem", args.certificatePem, "FORTRESS_TLS_CERT"),
    `place "$work/cert.pem" '${CERT_DIR}/${CERT_FILE}' 644 root root`,
    `place "$work/tls.key" '${CERT_DIR}/${KEY_FILE}' 600 root root`,
    `place "$work/admin-password" '${ADMIN_PASSWORD_PATH}' 600 root root`,
    ...stage("fortress_gvm.py", args.program, "FORTRESS_GVM_PROGRAM"),
    `place "$work/fortress_gvm.py" '${GVM_PROGRAM_PATH}' 700 root root`,
    ...stage("fortress-rescan", rescanScript(), "FORTRESS_RESCAN"),
    `place "$work/fortress-rescan" '${RESCAN_PATH}' 750 root root`,
    ...stage("tmpfiles.conf", TMPFILES, "FORTRESS_TMPFILES"),
    `place "$work/tmpfiles.conf" '${TMPFILES_PATH}' 644 root root`,
    `sudo systemd-tmpfiles --create '${TMPFILES_PATH}'`,
    ...stage("export.service", units.service, "FORTRESS_EXPORT_SERVICE"),
    `place "$work/export.service" '/etc/systemd/system/${EXPORT_UNIT}.service' 644 root root`,
    ...stage("export.timer", units.timer, "FORTRESS_EXPORT_TIMER"),
    `place "$work/export.timer" '/etc/systemd/system/${EXPORT_UNIT}.timer' 644 root root`,
    "sudo systemctl daemon-reload",
    "sudo systemctl enable --now docker >/dev/null 2>&1",
    // 4. The image digests: configured (written above, checked here), or recorded, or resolved once.
    `sh "$work/fortress-greenbone-pin"${args.env === undefined ? "" : " --print"}`,
    // 5. The containers (compose recreates only what changed); nginx reads its certificate at start.
    `${compose} up -d --remove-orphans --quiet-pull`,
    `case "$changed" in *'${CERT_DIR}/'*) ${compose} restart nginx ;; esac`,
    `sudo systemctl enable --now ${EXPORT_UNIT}.timer >/dev/null 2>&1`,
    // 6. The admin password, once gvmd answers on its socket.
    `for _ in $(seq 1 ${GVMD_ATTEMPTS}); do`,
    `  if sudo test -S '${GVMD_SOCKET}' && sudo /usr/bin/python3 ${GVM_PROGRAM_PATH} password; then exit 0; fi`,
    `  sleep ${GVMD_INTERVAL_S}`,
    "done",
    `echo "gvmd on $(hostname) did not take the admin password within ${GVMD_ATTEMPTS * GVMD_INTERVAL_S} s" >&2`,
    "exit 1",
  ].join("\n");
}

/**
 * The reconcile step: the desired state (no secret) and, for authenticated scans, the scan key from
 * stdin into a root-only file; then the GMP client reconciles. On exit 75 (the feed's scan config or
 * port list not loaded yet, as on a first install; or a task to change is running) it waits and tries
 * again for RECONCILE_ATTEMPTS × RECONCILE_INTERVAL_S; still 75 then fails the step, and the next
 * `pulumi up` carries on (the reconcile is idempotent).
 */
export function reconcileScript(desiredJson: string, withKey: boolean): string {
  return [
    "set -eu",
    "work=$(sudo mktemp -d)",
    `trap 'sudo rm -rf "$work"' EXIT`,
    'sudo chown "$(id -u):$(id -g)" "$work"',
    'chmod 0700 "$work"',
    "changed=''",
    ...PLACE_FUNCTION,
    "umask 077",
    ...(withKey
      ? [
          'cat > "$work/scan-key"',
          'if ! grep -q "PRIVATE KEY-----" "$work/scan-key"; then echo "no scan key on stdin" >&2; exit 1; fi',
          `place "$work/scan-key" '${SCAN_KEY_PATH}' 600 root root`,
        ]
      : []),
    ...stage("targets.json", desiredJson, "FORTRESS_TARGETS"),
    `place "$work/targets.json" '${TARGETS_PATH}' 600 root root`,
    `for _ in $(seq 1 ${RECONCILE_ATTEMPTS}); do`,
    "  status=0",
    `  sudo /usr/bin/python3 ${GVM_PROGRAM_PATH} reconcile '${TARGETS_PATH}' || status=$?`,
    '  if [ "$status" -ne 75 ]; then exit "$status"; fi',
    `  sleep ${RECONCILE_INTERVAL_S}`,
    "done",
    `echo "Greenbone reconcile: still waiting (feed objects or a running task) after ${RECONCILE_ATTEMPTS * RECONCILE_INTERVAL_S} s; the next pulumi up carries on" >&2`,
    "exit 75",
  ].join("\n");
}
