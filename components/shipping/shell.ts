/**
 * Shell pieces the shipper's and the flow collector's install scripts share (house style:
 * components/siem/manager/install.ts): safe quoting, files staged through here-documents, placing
 * a file only when it differs, and apt keys accepted only by fingerprint. Pure.
 */
/**
 * `place SRC DEST MODE OWNER GROUP`: install SRC as DEST only when the content, mode or owner differs,
 * and note what changed (the services restart only then). Every SSH install script's, the Wazuh
 * manager's among them.
 */
export const PLACE_FUNCTION = [
  "place() {",
  '  if sudo test -f "$2" && sudo cmp -s "$1" "$2" && [ "$(sudo stat -c \'%a %U %G\' "$2")" = "$3 $4 $5" ]; then return 0; fi',
  '  sudo install -D -m "$3" -o "$4" -g "$5" "$1" "$2"',
  '  changed="$changed $2"',
  "}",
];

/**
 * The opening every SSH install script shares: strict mode, cloud-init done, a private work directory
 * (root-made, handed to the admin user, removed on exit), and the list of what changed.
 */
export const WORKDIR_PROLOGUE = [
  "set -eu",
  "cloud-init status --wait >/dev/null 2>&1 || true",
  "work=$(sudo mktemp -d)",
  `trap 'sudo rm -rf "$work"' EXIT`,
  'sudo chown "$(id -u):$(id -g)" "$work"',
  'chmod 0700 "$work"',
  "changed=''",
];

/** What single quotes may safely wrap. */
const QUOTABLE = /^[^'\s]+$/;

export function quoted(value: string, what: string): string {
  if (!QUOTABLE.test(value)) throw new Error(`internal: ${what} cannot be quoted: ${value}`);
  return `'${value}'`;
}

/** Write `content` to "$work/<name>" through a quoted here-document (no expansion). */
export function stage(name: string, content: string, marker: string): string[] {
  if (content.includes(marker)) throw new Error(`internal: a rendered file contains ${marker}`);
  if (!/^[\w.-]+$/.test(name)) throw new Error(`internal: ${name} is no staging file name`);
  return [`cat > "$work/${name}" <<'${marker}'`, content.trimEnd(), marker];
}

/**
 * `ensure_dir MODE OWNER GROUP DIR…`: make each directory with that mode and owner unless it already
 * has them (so that a re-run touches nothing).
 */
export const ENSURE_DIR_FUNCTION = [
  "ensure_dir() {",
  "  mode=$1; owner=$2; group=$3; shift 3",
  "  for dir; do",
  '    if sudo test -d "$dir" && [ "$(sudo stat -c \'%a %U %G\' "$dir")" = "$mode $owner $group" ]; then continue; fi',
  '    sudo install -d -m "$mode" -o "$owner" -g "$group" "$dir"',
  "  done",
  "}",
];

/** The script's opening: stop on any error, a private staging directory removed on exit, `place`. */
export const PROLOGUE = [...WORKDIR_PROLOGUE, ...PLACE_FUNCTION, "export DEBIAN_FRONTEND=noninteractive"];

export interface AptKey {
  readonly url: string;
  readonly fingerprint: string;
}

/**
 * Download each key, accept it only when it holds exactly one primary key with the pinned
 * fingerprint, and join them into one binary keyring at `keyring`.
 */
export function aptKeys(keys: readonly AptKey[], keyring: string): string[] {
  if (keys.length === 0) throw new Error("internal: no apt key");
  const lines = ['mkdir -p "$work/gnupg" && chmod 0700 "$work/gnupg"', ': > "$work/keyring.gpg"'];
  keys.forEach((key, index) => {
    if (!/^[0-9A-F]{40}$/.test(key.fingerprint))
      throw new Error("internal: a key fingerprint is 40 hex digits");
    const file = `"$work/key-${index}.asc"`;
    lines.push(
      `curl -sfL --retry 3 -o ${file} ${quoted(key.url, "the key URL")}`,
      `fprs=$(GNUPGHOME="$work/gnupg" gpg --batch --show-keys --with-colons ${file} 2>/dev/null | awk -F: '$1 == "pub" { primary = 1; next } $1 == "fpr" && primary { print $10; primary = 0 }')`,
      `if [ "$fprs" != '${key.fingerprint}' ]; then`,
      `  echo "the key from ${key.url} is not ${key.fingerprint} (got: $fprs)" >&2`,
      "  exit 1",
      "fi",
      `GNUPGHOME="$work/gnupg" gpg --batch --yes --dearmor -o "$work/key-${index}.gpg" ${file}`,
      `cat "$work/key-${index}.gpg" >> "$work/keyring.gpg"`,
    );
  });
  lines.push(`place "$work/keyring.gpg" ${quoted(keyring, "the keyring path")} 644 root root`);
  return lines;
}

export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
}

/**
 * Install `packages` at their versions unless exactly those are installed, then hold them. The apt
 * index is refreshed only when something is to be installed.
 */
export function pinnedPackages(packages: readonly PinnedPackage[]): string[] {
  for (const p of packages)
    if (!/^[a-z0-9.+-]+$/.test(p.name) || !/^[\w.:+~-]+$/.test(p.version))
      throw new Error(`internal: ${p.name}=${p.version} is no Debian package pin`);
  return [
    "need_packages=''",
    ...packages.map(
      (p) =>
        `[ "$(dpkg-query -W -f='\${Version} \${db:Status-Status}' ${p.name} 2>/dev/null || true)" = '${p.version} installed' ] || need_packages=yes`,
    ),
    'if [ -n "$need_packages" ]; then',
    // A Proxmox node ships the enterprise repositories on, which answer 401 without a subscription
    // (proxmox/pve-manager configs/pve-sources.sources): say so rather than stop silently.
    `  sudo apt-get update -qq || { echo "apt-get update failed: on a Proxmox node without a subscription, switch its enterprise repositories to no-subscription (README, 'Proxmox prerequisites')" >&2; exit 1; }`,
    `  sudo apt-get install -y -qq --no-install-recommends --allow-change-held-packages ${packages.map((p) => `${p.name}=${p.version}`).join(" ")} >/dev/null`,
    '  changed="$changed packages"',
    "fi",
    `sudo apt-mark hold ${packages.map((p) => p.name).join(" ")} >/dev/null`,
  ];
}

/** The group whose members may read the shipped streams' directories: the shipper's user, nobody else. */
export const SHIPPED_LOGS_GROUP = "fortress-logs";

/** Create the shipped-logs group when it is missing (the collector or the shipper, whichever runs first). */
export const ENSURE_LOGS_GROUP = `getent group ${SHIPPED_LOGS_GROUP} >/dev/null || sudo groupadd --system ${SHIPPED_LOGS_GROUP}`;
