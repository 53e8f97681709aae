/**
 * The shell script that installs and configures the Wazuh manager on its VM over SSH, rendered by a
 * pure function (house style: components/platform/k3sInstall.ts). In order:
 * 1. secrets from stdin (enrollment password, indexer password, the TLS key) into a root-only
 *    staging directory, removed on exit; nothing secret is ever an argument of a command;
 * 2. Wazuh's apt repository, its key accepted only with the pinned fingerprint;
 * 3. wazuh-manager and filebeat at their pinned versions, held;
 * 4. Filebeat's Wazuh module and alerts template, each file checked by sha256;
 * 5. the rendered files (ossec.conf, local rules, filebeat.yml, CA, TLS pair, authd.pass), each
 *    written only when its content differs, and the keystores only when the password changed;
 * 6. the services restarted only when something changed, else just started; then wait for the API.
 * A re-run with the same inputs changes nothing on the host.
 */
import { type PinnedFile, FILEBEAT_PACKAGE, GPG_PACKAGE, WAZUH_APT, WAZUH_MANAGER_PACKAGE } from "./pins";
import { INDEXER_CA_PATH } from "./ossecConf";
import { SERVICES } from "../../../vocabulary/services";
import { PLACE_FUNCTION } from "../../shipping/shell";

export const API_PORT = SERVICES["wazuh-api"].tcp[0] as number;

export const OSSEC_DIR = "/var/ossec";
export const OSSEC_CONF_PATH = `${OSSEC_DIR}/etc/ossec.conf`;
export const LOCAL_RULES_PATH = `${OSSEC_DIR}/etc/rules/local_rules.xml`;
/** The package's own local decoder file (wazuh/wazuh@v4.14.6 etc/local_decoder.xml, installed in etc/decoders). */
export const LOCAL_DECODERS_PATH = `${OSSEC_DIR}/etc/decoders/local_decoder.xml`;
/** auth.rst: "the shared password will be read from the /var/ossec/etc/authd.pass file". */
export const AUTHD_PASS_PATH = `${OSSEC_DIR}/etc/authd.pass`;
/** wazuh/wazuh@v4.14.6 api/api/constants.py API_SSL_PATH, configuration.py defaults server.key/server.crt. */
export const API_CERT_PATH = `${OSSEC_DIR}/api/configuration/ssl/server.crt`;
export const API_KEY_PATH = `${OSSEC_DIR}/api/configuration/ssl/server.key`;
/** The CA that signed it, kept beside it for the API-users step's TLS check. */
export const API_CA_PATH = `${OSSEC_DIR}/api/configuration/ssl/fortress-ca.pem`;
/** authd's TLS pair (auth.rst ssl_manager_cert/ssl_manager_key defaults). */
export const AUTHD_CERT_PATH = `${OSSEC_DIR}/etc/sslmanager.cert`;
export const AUTHD_KEY_PATH = `${OSSEC_DIR}/etc/sslmanager.key`;
export const FILEBEAT_CONFIG_PATH = "/etc/filebeat/filebeat.yml";
/** Where the script keeps the digests of secrets it has applied (root-only): a re-run compares, never re-reads. */
export const STATE_DIR = "/var/lib/fortress-wazuh";

const READY_ATTEMPTS = 60;
const READY_INTERVAL_S = 5;
const SHA256 = /^[0-9a-f]{64}$/;
const QUOTABLE = /^[^'\s]+$/;
const quoted = (value: string, what: string) => {
  if (!QUOTABLE.test(value)) throw new Error(`internal: ${what} cannot be quoted: ${value}`);
  return `'${value}'`;
};

export interface ManagerFiles {
  readonly ossecConf: string;
  readonly localRules: string;
  readonly localDecoders: string;
  readonly filebeatYml: string;
  /** The indexer's CA (PEM). */
  readonly indexerCaPem: string;
  /** The manager's certificate from the internal CA (PEM), for the API and authd. */
  readonly tlsCertificatePem: string;
  /** The CA that signed it, to check the API answers with it. */
  readonly apiCaPem: string;
}

export interface ManagerInstallArgs {
  readonly files: ManagerFiles;
  readonly template: PinnedFile;
  readonly module: readonly PinnedFile[];
  /** The manager's user on the indexer (not secret; its password comes on stdin). */
  readonly indexerUsername: string;
  /** The apt repository and its key (Wazuh's, unless a lab mirrors it). */
  readonly apt?: AptRepository;
}

export interface AptRepository {
  readonly keyUrl: string;
  readonly keyFingerprint: string;
  readonly keyring: string;
  readonly sourceList: string;
  readonly source: string;
}

/** Stdin, in this order: the enrollment password, the indexer password (a line each), then the TLS key PEM. */
export const STDIN_ORDER = ["enrollment", "indexer-password", "tls-key"] as const;

/** A here-document marker no rendered file contains. */
function heredoc(content: string, marker: string): string[] {
  if (content.includes(marker)) throw new Error(`internal: a rendered file contains ${marker}`);
  return [`<<'${marker}'`, content.trimEnd(), marker];
}

/** Write stdin-fed `content` to "$work/<name>", to be placed by `place`. */
function stage(name: string, content: string, marker: string): string[] {
  const [open, ...rest] = heredoc(content, marker);
  return [`cat > "$work/${name}" ${open}`, ...rest];
}

/** The fingerprint check: the downloaded key must hold exactly one primary key, the pinned one. */
export function keyCheck(keyFile: string, fingerprint: string, keyUrl: string): string[] {
  if (!/^[0-9A-F]{40}$/.test(fingerprint)) throw new Error("internal: a key fingerprint is 40 hex digits");
  return [
    `fprs=$(GNUPGHOME="$work/gnupg" gpg --batch --show-keys --with-colons "${keyFile}" 2>/dev/null | awk -F: '$1 == "pub" { primary = 1; next } $1 == "fpr" && primary { print $10; primary = 0 }')`,
    `if [ "$fprs" != '${fingerprint}' ]; then`,
    `  echo "the key from ${keyUrl} is not the Wazuh signing key ${fingerprint} (got: $fprs)" >&2`,
    "  exit 1",
    "fi",
  ];
}

/** Download a pinned file into "$work/<name>" and stop unless it hashes to its sha256. */
export function fetchPinned(file: PinnedFile, name: string): string[] {
  if (!SHA256.test(file.sha256)) throw new Error(`internal: ${file.url} sha256 is not 64 hex digits`);
  if (!QUOTABLE.test(file.path)) throw new Error(`internal: ${file.path} cannot be quoted`);
  return [
    `curl -sfL --retry 3 -o "$work/${name}" ${quoted(file.url, file.url)}`,
    `if ! echo '${file.sha256}  '"$work/${name}" | sha256sum -c --quiet - >/dev/null 2>&1; then`,
    `  echo "${file.url} does not match its pinned sha256 ${file.sha256}" >&2`,
    "  exit 1",
    "fi",
  ];
}

/** `place SRC DEST MODE OWNER GROUP`: the shared install scripts' (components/shipping/shell.ts). */
export { PLACE_FUNCTION };

/** `keystore_once NAME FILE CMD…`: feed FILE to CMD on stdin when its digest differs from the last applied one. */
export const KEYSTORE_FUNCTION = [
  "keystore_once() {",
  '  digest=$(sudo sha256sum "$2" | cut -d" " -f1)',
  `  if [ "$(sudo cat "${STATE_DIR}/$1.sha256" 2>/dev/null || true)" = "$digest" ]; then return 0; fi`,
  "  name=$1; file=$2; shift 2",
  '  sudo sh -c \'f=$1; shift; "$@" < "$f"\' keystore "$file" "$@" >/dev/null',
  `  printf "%s\\n" "$digest" | sudo tee "${STATE_DIR}/$name.sha256" >/dev/null`,
  '  changed="$changed keystore"',
  "}",
];

const packages = [WAZUH_MANAGER_PACKAGE, FILEBEAT_PACKAGE];

export function installScript(args: ManagerInstallArgs): string {
  const { files } = args;
  const apt = args.apt ?? WAZUH_APT;
  if (!/^[\w:/.+ -]+$/.test(apt.source) || !QUOTABLE.test(apt.keyring) || !QUOTABLE.test(apt.sourceList))
    throw new Error(`internal: the apt repository ${apt.source} cannot be written safely`);
  const moduleFetches = args.module.flatMap((file, index) => [
    ...fetchPinned(file, `module-${index}`),
    // The module tarball's modes: directories 755, files 644, root-owned (4_builderpackage_filebeat-module.yml).
    `place "$work/module-${index}" '${file.path}' 644 root root`,
  ]);
  return [
    "set -eu",
    "cloud-init status --wait >/dev/null 2>&1 || true",
    "work=$(sudo mktemp -d)",
    `trap 'sudo rm -rf "$work"' EXIT`,
    'sudo chown "$(id -u):$(id -g)" "$work"',
    'chmod 0700 "$work"',
    "changed=''",
    ...PLACE_FUNCTION,
    ...KEYSTORE_FUNCTION,
    // 1. Secrets: one read each, then the key; the staging directory is the admin user's, mode 0700.
    "umask 077",
    'IFS= read -r enrollment && printf "%s\\n" "$enrollment" > "$work/authd.pass" && unset enrollment',
    // The indexer password without a newline: `filebeat keystore add --stdin` stores every byte it reads
    // (elastic/beats libbeat/cmd/keystore.go addKey: ioutil.ReadAll(stdin), then store.Store as is;
    // libbeat/keystore/file_keystore.go Store keeps the bytes), so a trailing newline would become part of
    // the password. wazuh-keystore reads one line with std::getline (wazuh/wazuh@v4.14.6:
    // src/shared_modules/keystore/src/main.cpp), so the same bytes suit it too.
    'IFS= read -r indexer_password && printf "%s" "$indexer_password" > "$work/indexer-password" && unset indexer_password',
    'cat > "$work/tls.key"',
    'if ! grep -q "PRIVATE KEY-----" "$work/tls.key"; then echo "no TLS key on stdin" >&2; exit 1; fi',
    "umask 022",
    // 2. The repository and its key.
    "export DEBIAN_FRONTEND=noninteractive",
    `if ! command -v gpg >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq ${GPG_PACKAGE.name}=${GPG_PACKAGE.version} >/dev/null; fi`,
    `sudo apt-mark hold ${GPG_PACKAGE.name} >/dev/null`,
    `curl -sfL --retry 3 -o "$work/wazuh.key" ${quoted(apt.keyUrl, "the key URL")}`,
    'mkdir -p "$work/gnupg" && chmod 0700 "$work/gnupg"',
    ...keyCheck("$work/wazuh.key", apt.keyFingerprint, apt.keyUrl),
    'GNUPGHOME="$work/gnupg" gpg --batch --yes --dearmor -o "$work/wazuh.gpg" "$work/wazuh.key"',
    `place "$work/wazuh.gpg" '${apt.keyring}' 644 root root`,
    `echo 'deb [signed-by=${apt.keyring}] ${apt.source}' > "$work/wazuh.list"`,
    `place "$work/wazuh.list" '${apt.sourceList}' 644 root root`,
    // 3. The packages, pinned and held (apt-get install of an installed version changes nothing).
    `need_packages=''`,
    ...packages.map(
      (p) =>
        `[ "$(dpkg-query -W -f='\${Version} \${db:Status-Status}' ${p.name} 2>/dev/null || true)" = '${p.version} installed' ] || need_packages=yes`,
    ),
    'if [ -n "$need_packages" ]; then',
    "  sudo apt-get update -qq",
    `  sudo apt-get install -y -qq --allow-change-held-packages ${packages.map((p) => `${p.name}=${p.version}`).join(" ")} >/dev/null`,
    '  changed="$changed packages"',
    "fi",
    `sudo apt-mark hold ${packages.map((p) => p.name).join(" ")} >/dev/null`,
    // 4. Filebeat's module and template, by digest.
    ...moduleFetches,
    ...fetchPinned(args.template, "wazuh-template.json"),
    `place "$work/wazuh-template.json" '${args.template.path}' 644 root root`,
    // 5. The rendered files.
    ...stage("ossec.conf", files.ossecConf, "FORTRESS_OSSEC_CONF"),
    `place "$work/ossec.conf" '${OSSEC_CONF_PATH}' 640 root wazuh`,
    ...stage("local_rules.xml", files.localRules, "FORTRESS_LOCAL_RULES"),
    `place "$work/local_rules.xml" '${LOCAL_RULES_PATH}' 660 wazuh wazuh`,
    ...stage("local_decoder.xml", files.localDecoders, "FORTRESS_LOCAL_DECODERS"),
    `place "$work/local_decoder.xml" '${LOCAL_DECODERS_PATH}' 660 wazuh wazuh`,
    ...stage("filebeat.yml", files.filebeatYml, "FORTRESS_FILEBEAT"),
    `place "$work/filebeat.yml" '${FILEBEAT_CONFIG_PATH}' 600 root root`,
    ...stage("indexer-ca.pem", files.indexerCaPem, "FORTRESS_INDEXER_CA"),
    `place "$work/indexer-ca.pem" '${INDEXER_CA_PATH}' 644 root root`,
    ...stage("api-ca.pem", files.apiCaPem, "FORTRESS_API_CA"),
    `place "$work/api-ca.pem" '${API_CA_PATH}' 644 root root`,
    ...stage("tls.crt", files.tlsCertificatePem, "FORTRESS_TLS_CERT"),
    `place "$work/tls.crt" '${API_CERT_PATH}' 644 wazuh wazuh`,
    `place "$work/tls.key" '${API_KEY_PATH}' 400 wazuh wazuh`,
    `place "$work/tls.crt" '${AUTHD_CERT_PATH}' 640 root wazuh`,
    `place "$work/tls.key" '${AUTHD_KEY_PATH}' 640 root wazuh`,
    // authd.pass as Wazuh's docs leave it: root:wazuh 640.
    `place "$work/authd.pass" '${AUTHD_PASS_PATH}' 640 root wazuh`,
    `sudo test -d ${STATE_DIR} || sudo install -d -m 0700 -o root -g root ${STATE_DIR}`,
    // The indexer credentials: the manager's keystore (vulnerability detection, indexer connector) and Filebeat's.
    // The manager's indexer connector reads both from its keystore (wazuh-docker@v4.14.6 cont-init.d/2-manager:
    // `wazuh-keystore -f indexer -k username` and `-k password`).
    `printf '%s\\n' ${quoted(args.indexerUsername, "the indexer user name")} > "$work/indexer-username"`,
    `keystore_once wazuh-keystore-username "$work/indexer-username" ${OSSEC_DIR}/bin/wazuh-keystore -f indexer -k username`,
    `keystore_once wazuh-keystore-password "$work/indexer-password" ${OSSEC_DIR}/bin/wazuh-keystore -f indexer -k password`,
    "if ! sudo test -f /var/lib/filebeat/filebeat.keystore; then sudo filebeat keystore create >/dev/null; fi",
    'keystore_once filebeat-keystore-password "$work/indexer-password" filebeat keystore add password --stdin --force',
    // 6. Services: restart only on a change.
    "sudo systemctl daemon-reload",
    "sudo systemctl enable wazuh-manager filebeat >/dev/null 2>&1",
    'if [ -n "$changed" ]; then',
    "  sudo systemctl restart wazuh-manager filebeat",
    "else",
    "  sudo systemctl start wazuh-manager filebeat",
    "fi",
    `for _ in $(seq 1 ${READY_ATTEMPTS}); do`,
    `  if curl -s -o /dev/null --cacert "$work/api-ca.pem" https://localhost:${API_PORT}/; then exit 0; fi`,
    `  sleep ${READY_INTERVAL_S}`,
    "done",
    `echo "the Wazuh API on $(hostname) does not answer after ${READY_ATTEMPTS * READY_INTERVAL_S} s" >&2`,
    "exit 1",
  ].join("\n");
}
