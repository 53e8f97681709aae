/**
 * The shell scripts that install MISP on its VM and configure it over SSH, rendered by pure functions
 * (house style: components/vuln/install.ts). The install, in order:
 * 1. secrets from stdin (SECRET_ORDER, one line each, then the web UI's TLS key) into a root-only
 *    staging directory removed on exit; no secret is ever an argument of a command;
 * 2. Docker's apt repository (key accepted only with Docker's pinned fingerprint), Docker Engine, the
 *    compose plugin and python3 at pinned versions, held (the Greenbone VM's pins: components/vuln/pins.ts);
 * 3. the files: compose file, env files and Valkey's config (root-only), certificate and key, the lab CA,
 *    the admin key for Fortress's API client, the data directories on the data disk; each written
 *    only when it differs;
 * 4. `docker compose up -d`; misp-core recreated when its certificate or env changed (its entrypoint reads
 *    them at start);
 * 5. wait until MISP answers `/users/heartbeat` over TLS with the lab CA, then check the admin key works.
 */
import { DATA_MOUNT } from "../../cloud-init/userData";
import { PLACE_FUNCTION, WORKDIR_PROLOGUE } from "../../shipping/shell";
import { dockerPackagesLines, dockerRepositoryLines } from "../../docker/dockerApt";
import {
  CERT_DIR,
  COMPOSE_PATH,
  COMPOSE_PROJECT,
  CORE_ENV_PATH,
  DATA_DIR,
  DATA_SUBDIRS,
  DB_ENV_PATH,
  LAB_CA_PATH,
  MISP_DIR,
  SECRET_ORDER,
  VALKEY_CONF_PATH,
  VALKEY_GID,
} from "./compose";
import { ADMIN_KEY_PATH, FEEDS_PATH, MISP_CONFIG_DIR, MISP_PROGRAM_PATH, PROGRAM_DIR } from "./mispProgram";

/** misp-core's first start (database schema, updates of taxonomies and galaxies) takes minutes. */
const READY_ATTEMPTS = 90;
const READY_INTERVAL_S = 10;

function stage(name: string, content: string, marker: string): string[] {
  if (content.includes(marker)) throw new Error(`internal: a rendered file contains ${marker}`);
  return [`cat > "$work/${name}" <<'${marker}'`, content.trimEnd(), marker];
}

/** Reads SECRET_ORDER from stdin into shell variables, each checked, then the TLS key into a file. */
export function readSecrets(): string[] {
  return [
    ...SECRET_ORDER.map((name) => `IFS= read -r ${name} || { echo "no ${name} on stdin" >&2; exit 1; }`),
    ...SECRET_ORDER.filter((name) => name !== "oidcClientSecret").map(
      (name) =>
        `case "$${name}" in '' | *[!A-Za-z0-9]*) echo "${name}: not letters and digits" >&2; exit 1 ;; esac`,
    ),
    'case "$oidcClientSecret" in *[!A-Za-z0-9]*) echo "oidcClientSecret: not letters and digits" >&2; exit 1 ;; esac',
    'cat > "$work/key.pem"',
    'if ! grep -q "PRIVATE KEY-----" "$work/key.pem"; then echo "no TLS key on stdin" >&2; exit 1; fi',
    // printf is a shell builtin: the values never reach a process's argv.
    'printf "MYSQL_PASSWORD=%s\\nMYSQL_ROOT_PASSWORD=%s\\n" "$mysqlPassword" "$mysqlRootPassword" > "$work/db.env"',
    // Every password misp-docker's entrypoint.sh would otherwise default (MYSQL_PASSWORD example,
    // REDIS_PASSWORD redispassword, GPG_PASSPHRASE passphrase, SUPERVISOR_PASSWORD supervisor: lines 13,
    // 33, 51, 108 at MISP/misp-docker@6d915d5; ADMIN_PASSWORD, MISP's admin).
    'printf "MYSQL_PASSWORD=%s\\nREDIS_PASSWORD=%s\\nADMIN_PASSWORD=%s\\nADMIN_KEY=%s\\nENCRYPTION_KEY=%s\\nGPG_PASSPHRASE=%s\\nSUPERVISOR_PASSWORD=%s\\n" "$mysqlPassword" "$redisPassword" "$adminPassword" "$adminKey" "$encryptionKey" "$gpgPassphrase" "$supervisorPassword" > "$work/core.env"',
    'if [ -n "$oidcClientSecret" ]; then printf "OIDC_CLIENT_SECRET=%s\\n" "$oidcClientSecret" >> "$work/core.env"; fi',
    'printf "requirepass %s\\n" "$redisPassword" > "$work/valkey.conf"',
    'printf "%s\\n" "$adminKey" > "$work/admin.key"',
    `unset ${SECRET_ORDER.join(" ")}`,
  ];
}

export interface MispInstallArgs {
  readonly compose: string;
  readonly certificatePem: string;
  readonly caCertificatePem: string;
  readonly program: string;
}

export function installScript(args: MispInstallArgs): string {
  const compose = `sudo docker compose -p ${COMPOSE_PROJECT} -f ${COMPOSE_PATH}`;
  return [
    ...WORKDIR_PROLOGUE,
    ...PLACE_FUNCTION,
    // 1. Secrets.
    "umask 077",
    ...readSecrets(),
    "umask 022",
    // 2. Docker's repository and the packages.
    "export DEBIAN_FRONTEND=noninteractive",
    ...dockerRepositoryLines(),
    ...dockerPackagesLines(),
    // 3. Files; the data directories on the data disk (each container sets its own owner at start).
    `if ! mountpoint -q ${DATA_MOUNT}; then echo "${DATA_MOUNT} is not mounted: MISP's data belongs on the data disk" >&2; exit 1; fi`,
    `sudo install -d -m 0755 -o root -g root ${MISP_DIR} ${CERT_DIR} ${PROGRAM_DIR} ${DATA_DIR}`,
    `sudo install -d -m 0700 -o root -g root ${MISP_CONFIG_DIR}`,
    `for sub in ${DATA_SUBDIRS.join(" ")}; do sudo install -d "${DATA_DIR}/$sub"; done`,
    ...stage("compose.yaml", args.compose, "FORTRESS_COMPOSE"),
    `place "$work/compose.yaml" '${COMPOSE_PATH}' 644 root root`,
    `place "$work/db.env" '${DB_ENV_PATH}' 600 root root`,
    `place "$work/core.env" '${CORE_ENV_PATH}' 600 root root`,
    // Valkey's group inside its image (gid 999) may read its config; named as the host names that gid.
    `valkey_group=$(getent group ${VALKEY_GID} | cut -d: -f1 || true)`,
    `place "$work/valkey.conf" '${VALKEY_CONF_PATH}' 640 root "\${valkey_group:-${VALKEY_GID}}"`,
    `place "$work/admin.key" '${ADMIN_KEY_PATH}' 600 root root`,
    ...stage("cert.pem", args.certificatePem, "FORTRESS_TLS_CERT"),
    `place "$work/cert.pem" '${CERT_DIR}/cert.pem' 644 root root`,
    `place "$work/key.pem" '${CERT_DIR}/key.pem' 600 root root`,
    ...stage("lab-ca.crt", args.caCertificatePem, "FORTRESS_LAB_CA"),
    `place "$work/lab-ca.crt" '${LAB_CA_PATH}' 644 root root`,
    ...stage("fortress_misp.py", args.program, "FORTRESS_MISP_PROGRAM"),
    `place "$work/fortress_misp.py" '${MISP_PROGRAM_PATH}' 700 root root`,
    "sudo systemctl enable --now docker >/dev/null 2>&1",
    // 4. The containers: compose recreates what its file changed; misp-core reads env and certs at start.
    `${compose} up -d --remove-orphans --quiet-pull`,
    `case "$changed" in *'${CERT_DIR}/'* | *'${CORE_ENV_PATH}'* | *'${LAB_CA_PATH}'*) ${compose} up -d --force-recreate misp-core ;; esac`,
    `case "$changed" in *'${VALKEY_CONF_PATH}'*) ${compose} restart redis ;; esac`,
    `case "$changed" in *'${DB_ENV_PATH}'*) ${compose} up -d --force-recreate db ;; esac`,
    // 5. Ready: the heartbeat over TLS with the lab CA, then the admin key (sent from a root-only file).
    `for _ in $(seq 1 ${READY_ATTEMPTS}); do`,
    `  if curl -sf --cacert '${LAB_CA_PATH}' -o /dev/null https://localhost/users/heartbeat; then`,
    `    printf 'Authorization: %s\\nAccept: application/json\\n' "$(sudo cat '${ADMIN_KEY_PATH}')" > "$work/headers"`,
    `    if curl -sf --cacert '${LAB_CA_PATH}' -H @"$work/headers" -o /dev/null https://localhost/users/view/me; then exit 0; fi`,
    `    echo "MISP on $(hostname) refuses Fortress's admin key" >&2`,
    "    exit 1",
    "  fi",
    `  sleep ${READY_INTERVAL_S}`,
    "done",
    `echo "MISP on $(hostname) did not answer within ${READY_ATTEMPTS * READY_INTERVAL_S} s" >&2`,
    "exit 1",
  ].join("\n");
}

/** The configure step: the desired feeds (no secret) into a file, then the feeds and the integration user. */
export function configureScript(feedsJson: string, userEmail: string, roleId: number): string {
  if (!/^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$/.test(userEmail))
    throw new Error(`not an e-mail address: ${userEmail}`);
  if (!Number.isInteger(roleId) || roleId < 1) throw new Error(`not a MISP role id: ${roleId}`);
  return [
    "set -eu",
    "work=$(sudo mktemp -d)",
    `trap 'sudo rm -rf "$work"' EXIT`,
    'sudo chown "$(id -u):$(id -g)" "$work"',
    'chmod 0700 "$work"',
    "changed=''",
    ...PLACE_FUNCTION,
    ...stage("feeds.json", feedsJson, "FORTRESS_FEEDS"),
    `place "$work/feeds.json" '${FEEDS_PATH}' 600 root root`,
    `sudo /usr/bin/python3 ${MISP_PROGRAM_PATH} feeds '${FEEDS_PATH}'`,
    // Prints the integration user's key (kept root-only on the VM): the step's stdout is secret.
    `sudo /usr/bin/python3 ${MISP_PROGRAM_PATH} user '${userEmail}' ${roleId}`,
  ].join("\n");
}
