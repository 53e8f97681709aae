/**
 * The shell script that installs (or upgrades) k3s on one node over SSH: the join secrets from stdin
 * into root-only files, the node's config, then k3s's own installer, fetched from a pinned commit and
 * checked against the sha256 kept here before it runs. Air-gapped labs fetch the k3s binary and the
 * images tarball from their own mirror, each checked against its digest, and the installer skips
 * its download (`INSTALL_K3S_SKIP_DOWNLOAD=true`).
 */

/** Where an install is fetched from, and what it must hash to. */
export interface K3sInstaller {
  readonly url: string;
  readonly sha256: string;
}

/** An air-gapped lab's own copies of the release's k3s binary and images tarball, by digest. */
export interface K3sAirgap {
  readonly binaryUrl: string;
  readonly binarySha256: string;
  readonly imagesUrl: string;
  readonly imagesSha256: string;
}

/**
 * k3s's install.sh from k3s-io/k3s at commit 0136cf258954a458da1404858396342724b93d24 (the version
 * of the file the vendor snapshot holds; it installs any INSTALL_K3S_VERSION, checking the binary
 * against the release's sha256sum file). The digest was computed from that file.
 */
export const K3S_INSTALLER: K3sInstaller = {
  url: "https://raw.githubusercontent.com/k3s-io/k3s/0136cf258954a458da1404858396342724b93d24/install.sh",
  sha256: "40b487f0d8ef4f5d1bf422e7bb6228cc7789c40ecc66c5ab067d396bbee9816e",
};

export const K3S_CONFIG_PATH = "/etc/rancher/k3s/config.yaml";
export const K3S_TOKEN_PATH = "/etc/rancher/k3s/token";
export const K3S_AGENT_TOKEN_PATH = "/etc/rancher/k3s/agent-token";
/** k3s imports every tarball in this directory at start (docs.k3s.io/installation/airgap). */
export const K3S_IMAGES_DIR = "/var/lib/rancher/k3s/agent/images";
const K3S_BINARY = "/usr/local/bin/k3s";

/** Bounded waits: attempts × seconds. */
const READY_ATTEMPTS = 60;
const READY_INTERVAL_S = 5;

const HEREDOC = "FORTRESS_K3S_CONFIG";
const SHA256 = /^[0-9a-f]{64}$/;
/** What single quotes may safely wrap (the config check refuses anything else at the door). */
const QUOTABLE = /^[^'\s]+$/;

export type K3sRole = "server" | "agent";

export interface InstallScriptArgs {
  readonly role: K3sRole;
  readonly version: string;
  /** The rendered config.yaml (no secret in it). */
  readonly config: string;
  /** Files stdin fills, one line each, in order (the join token, and the agent token on servers). */
  readonly secretFiles: readonly string[];
  readonly installer: K3sInstaller;
  readonly airgap?: K3sAirgap;
}

const quoted = (value: string, what: string) => {
  if (!QUOTABLE.test(value)) throw new Error(`internal: ${what} cannot be quoted: ${value}`);
  return `'${value}'`;
};

/** Download `url` to `file` and stop unless it hashes to `sha256`. */
export function fetchChecked(url: string, sha256: string, file: string, what: string): string[] {
  if (!SHA256.test(sha256)) throw new Error(`internal: ${what} sha256 is not 64 hex digits`);
  return [
    `curl -sfL --retry 3 -o "${file}" ${quoted(url, what)}`,
    `if ! echo '${sha256}  '"${file}" | sha256sum -c --quiet - >/dev/null 2>&1; then`,
    `  echo "${what} from ${url} does not match its pinned sha256 ${sha256}: not running it" >&2`,
    "  exit 1",
    "fi",
  ];
}

export function imagesFileName(airgap: K3sAirgap): string {
  const name = airgap.imagesUrl.split("/").pop() ?? "";
  if (!/^[\w.-]+\.tar(\.(gz|zst|bz2|lz4))?$/.test(name))
    throw new Error(`internal: the images tarball ${airgap.imagesUrl} has no tarball file name`);
  return name;
}

/**
 * The script of one node: wait for cloud-init, write the secrets (stdin) and the config, fetch and
 * check the pinned installer (and, air-gapped, the binary and images), run it, then wait until the
 * node serves. INSTALL_K3S_FORCE_RESTART: install.sh restarts k3s only when the binary, unit or env
 * file changed (`service_enable_and_start` in k3s-io/k3s install.sh), and a changed config.yaml is
 * none of those.
 */
export function installScript(args: InstallScriptArgs): string {
  if (args.config.includes(HEREDOC)) throw new Error("internal: the k3s config contains the heredoc marker");
  const readSecrets = args.secretFiles
    .map((file, index) => `IFS= read -r secret${index} && printf "%s\\n" "$secret${index}" > ${file}`)
    .join(" && ");
  const wait =
    args.role === "server"
      ? `sudo k3s kubectl get --raw /readyz >/dev/null 2>&1`
      : `systemctl is-active --quiet k3s-agent`;
  const airgap = args.airgap
    ? [
        ...fetchChecked(args.airgap.binaryUrl, args.airgap.binarySha256, "$work/k3s", "the k3s binary"),
        `sudo install -m 0755 "$work/k3s" ${K3S_BINARY}`,
        `if ! ${K3S_BINARY} --version | grep -qF 'k3s version ${args.version} '; then`,
        `  echo "the k3s binary from ${args.airgap.binaryUrl} is not ${args.version}" >&2`,
        "  exit 1",
        "fi",
        ...fetchChecked(args.airgap.imagesUrl, args.airgap.imagesSha256, "$work/images", "the k3s images"),
        `sudo install -d -m 0755 ${K3S_IMAGES_DIR}`,
        `sudo install -m 0644 "$work/images" ${K3S_IMAGES_DIR}/${imagesFileName(args.airgap)}`,
      ]
    : [];
  const env = [
    `INSTALL_K3S_VERSION=${args.version}`,
    `INSTALL_K3S_EXEC=${args.role}`,
    "INSTALL_K3S_FORCE_RESTART=true",
    ...(args.airgap ? ["INSTALL_K3S_SKIP_DOWNLOAD=true"] : []),
  ];
  return [
    "set -eu",
    "cloud-init status --wait >/dev/null 2>&1 || true",
    "sudo install -d -m 0755 /etc/rancher/k3s",
    `sudo sh -c 'umask 077 && ${readSecrets}'`,
    `sudo tee ${K3S_CONFIG_PATH} >/dev/null <<'${HEREDOC}'`,
    args.config.trimEnd(),
    HEREDOC,
    `sudo chmod 0600 ${K3S_CONFIG_PATH}`,
    "work=$(mktemp -d)",
    `trap 'rm -rf "$work"' EXIT`,
    ...fetchChecked(args.installer.url, args.installer.sha256, "$work/install.sh", "the k3s installer"),
    ...airgap,
    `sudo env ${env.join(" ")} sh "$work/install.sh"`,
    `for attempt in $(seq 1 ${READY_ATTEMPTS}); do`,
    `  if ${wait}; then exit 0; fi`,
    `  sleep ${READY_INTERVAL_S}`,
    "done",
    `echo "k3s ${args.role} on $(hostname) is not ready after ${READY_ATTEMPTS * READY_INTERVAL_S} s" >&2`,
    "exit 1",
  ].join("\n");
}

/**
 * The cluster CA's hash as k3s itself computed it (`K10<hash>::server:<token>` in the server's token
 * file: k3s-io/k3s pkg/clientaccess/token.go `FormatToken`/`hashCA`), printed alone: the token part
 * never leaves the node.
 */
export const SERVER_TOKEN_FILE = "/var/lib/rancher/k3s/server/token";
export function readCaHashScript(tokenFile = SERVER_TOKEN_FILE): string {
  return [
    "set -eu",
    `hash=$(sudo sed -n 's/^K10\\([0-9a-f]\\{64\\}\\)::.*$/\\1/p' ${tokenFile})`,
    // An empty hash would make every join trust whatever answers: stop instead.
    `if [ \${#hash} -ne 64 ]; then echo "no cluster CA hash in ${tokenFile}" >&2; exit 1; fi`,
    'echo "$hash"',
  ].join("\n");
}

/**
 * `k3s certificate rotate` as docs.k3s.io/cli/certificate describes it: stop, rotate, start, wait;
 * servers first, then agents (the k3s maintainers' advice, k3s-io/k3s discussion #10024).
 */
export function rotateCertificatesScript(role: K3sRole): string {
  const service = role === "server" ? "k3s" : "k3s-agent";
  const ready =
    role === "server"
      ? "sudo k3s kubectl get --raw /readyz >/dev/null 2>&1"
      : "systemctl is-active --quiet k3s-agent";
  return [
    "set -eu",
    `sudo systemctl stop ${service}`,
    "sudo k3s certificate rotate",
    `sudo systemctl start ${service}`,
    `for attempt in $(seq 1 ${READY_ATTEMPTS}); do`,
    `  if ${ready}; then exit 0; fi`,
    `  sleep ${READY_INTERVAL_S}`,
    "done",
    `echo "k3s ${role} on $(hostname) is not ready after rotating its certificates" >&2`,
    "exit 1",
  ].join("\n");
}
