/**
 * The shell script that installs and configures Vector on a shipper VM over SSH, rendered by a pure
 * function (house style: components/siem/manager/install.ts). In order:
 * 1. the indexer password from stdin into a root-only staging directory, removed on exit;
 * 2. Datadog's apt repository for Vector, each key accepted only with its pinned fingerprint;
 * 3. vector at its pinned version, held;
 * 4. the `vector` user: out of the groups the package puts it in (adm, systemd-journal,
 *    systemd-journal-remote: vectordotdev/vector@v0.57.0 distribution/debian/scripts/postinst), into
 *    the shipped-logs group only, so that it reads the streams' directories and nothing else of /var/log;
 * 5. the files: vector.yaml (no secret in it), the indexer's CA, the password root-only (0600), and a
 *    drop-in that hands the password to the service as a systemd credential (`LoadCredential=`, copied
 *    to /run/credentials/vector.service readable by the service's user only, systemd.exec(5)) and
 *    validates before start with the component checks and the VRL compiled but without the sinks'
 *    healthchecks (`vector validate --skip-healthchecks`, vectordotdev/vector@v0.57.0 src/validate.rs
 *    `Opts`), so that an indexer not yet reachable does not keep the service down;
 * 6. the service restarted only when something changed, else started; then it must be active.
 * A re-run with the same inputs changes nothing on the host.
 */
import { GPG_PACKAGE, VECTOR_APT, VECTOR_PACKAGE } from "./pins";
import {
  type AptKey,
  aptKeys,
  ENSURE_LOGS_GROUP,
  pinnedPackages,
  PROLOGUE,
  quoted,
  SHIPPED_LOGS_GROUP,
  stage,
} from "./shell";
import { PASSWORD_KEY, VECTOR_PATHS } from "./vectorConfig";

export const PASSWORD_PATH = `/etc/vector/fortress/${PASSWORD_KEY}`;
export const DROP_IN_PATH = "/etc/systemd/system/vector.service.d/fortress.conf";
/** The groups the package's postinst adds `vector` to, which would let it read all of /var/log and the journal. */
export const PACKAGE_GROUPS = ["adm", "systemd-journal", "systemd-journal-remote"] as const;

const ACTIVE_ATTEMPTS = 30;
const ACTIVE_INTERVAL_S = 2;

/** The unit's drop-in: the password as a credential, a validation that does not need the indexer. */
export function dropIn(): string {
  return [
    "# Fortress: the indexer password as a systemd credential; validation without healthchecks.",
    "[Service]",
    `LoadCredential=${PASSWORD_KEY}:${PASSWORD_PATH}`,
    "ExecStartPre=",
    "ExecStartPre=/usr/bin/vector validate --skip-healthchecks",
    "ExecReload=",
    "ExecReload=/usr/bin/vector validate --skip-healthchecks",
    "ExecReload=/bin/kill -HUP $MAINPID",
    "UMask=0077",
    "",
  ].join("\n");
}

export interface VectorApt {
  readonly keys: readonly AptKey[];
  readonly keyring: string;
  readonly sourceList: string;
  readonly source: string;
}

export interface VectorInstallArgs {
  /** vector.yaml as vectorConfig.ts renders it. */
  readonly configYaml: string;
  /** PEM of the CA that signs the indexer's certificate. */
  readonly indexerCaPem: string;
  /** The apt repository and its keys (Datadog's, unless a lab mirrors it). */
  readonly apt?: VectorApt;
}

/** Stdin: the indexer password, one line. */
export function vectorInstallScript(args: VectorInstallArgs): string {
  if (!/-----BEGIN CERTIFICATE-----/.test(args.indexerCaPem))
    throw new Error("vector: the indexer CA is no PEM");
  const packages = [VECTOR_PACKAGE];
  const apt = args.apt ?? VECTOR_APT;
  if (!/^[\w:/.+ -]+$/.test(apt.source))
    throw new Error(`vector: the apt source ${apt.source} cannot be written safely`);
  return [
    ...PROLOGUE,
    // 1. The password: one line, stored without its newline; never an argument.
    "umask 077",
    'IFS= read -r password && printf "%s" "$password" > "$work/password" && unset password',
    'if [ ! -s "$work/password" ]; then echo "no indexer password on stdin" >&2; exit 1; fi',
    "umask 022",
    // 2. The repository and its keys.
    `if ! command -v gpg >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq ${GPG_PACKAGE.name}=${GPG_PACKAGE.version} >/dev/null; fi`,
    `sudo apt-mark hold ${GPG_PACKAGE.name} >/dev/null`,
    ...aptKeys(apt.keys, apt.keyring),
    `echo 'deb [signed-by=${quoted(apt.keyring, "the keyring").slice(1, -1)}] ${apt.source}' > "$work/vector.list"`,
    `place "$work/vector.list" ${quoted(apt.sourceList, "the source list")} 644 root root`,
    // 3. Vector, pinned and held.
    ...pinnedPackages(packages),
    // 4. Its groups: the shipped streams' only.
    ENSURE_LOGS_GROUP,
    `for group in ${PACKAGE_GROUPS.join(" ")}; do`,
    '  if id -nG vector | tr " " "\\n" | grep -qx "$group"; then',
    '    sudo gpasswd -d vector "$group" >/dev/null',
    '    changed="$changed groups"',
    "  fi",
    "done",
    `if ! id -nG vector | tr " " "\\n" | grep -qx ${SHIPPED_LOGS_GROUP}; then`,
    `  sudo usermod -a -G ${SHIPPED_LOGS_GROUP} vector`,
    '  changed="$changed groups"',
    "fi",
    // 5. The files.
    ...stage("vector.yaml", args.configYaml, "FORTRESS_VECTOR_YAML"),
    `place "$work/vector.yaml" ${VECTOR_PATHS.config} 644 root root`,
    ...stage("indexer-ca.pem", args.indexerCaPem, "FORTRESS_INDEXER_CA"),
    `place "$work/indexer-ca.pem" ${VECTOR_PATHS.caFile} 644 root root`,
    `place "$work/password" ${PASSWORD_PATH} 600 root root`,
    ...stage("fortress.conf", dropIn(), "FORTRESS_VECTOR_DROP_IN"),
    `place "$work/fortress.conf" ${DROP_IN_PATH} 644 root root`,
    `sudo chmod 0755 /etc/vector/fortress`,
    // 6. The service.
    "sudo systemctl daemon-reload",
    "sudo systemctl enable vector >/dev/null 2>&1",
    'if [ -n "$changed" ]; then sudo systemctl restart vector; else sudo systemctl start vector; fi',
    `for _ in $(seq 1 ${ACTIVE_ATTEMPTS}); do`,
    "  if systemctl is-active --quiet vector; then exit 0; fi",
    `  sleep ${ACTIVE_INTERVAL_S}`,
    "done",
    `echo "vector on $(hostname) is not active after ${ACTIVE_ATTEMPTS * ACTIVE_INTERVAL_S} s" >&2`,
    "sudo journalctl -u vector -n 20 --no-pager >&2 || true",
    "exit 1",
  ].join("\n");
}
