/**
 * The Greenbone images' digests on the VM: the project's `.env` (beside compose.yaml, root-only) that
 * compose.yaml's `${FORTRESS_DIGEST_<KEY>:?…}` read, and `fortress-greenbone-pin`, which writes it from
 * the registry (pins.ts: pinned on first install, moved only on purpose).
 *
 * `.env` syntax (docs.docker.com/compose/how-tos/environment-variables/variable-interpolation, "`.env`
 * file syntax"; the parser compose-spec/compose-go@v2.8.1:dotenv/parser.go): `#` lines are comments, each
 * other line is `KEY=VALUE`; an unquoted value runs to the end of the line (less an inline ` #` comment
 * and trailing space) and has `$` interpolated. Fortress writes only `FORTRESS_DIGEST_<KEY>=sha256:<hex>`,
 * values without space, `#`, quote or `$`, so each is taken literally.
 */
import { COMPOSE_COMMAND, ENV_PATH } from "./compose";
import {
  GREENBONE_IMAGES,
  type GreenboneImageDigests,
  type GreenboneImageName,
  digestProblems,
  digestVariable,
} from "./pins";

export const PIN_PATH = "/usr/local/sbin/fortress-greenbone-pin";
/** Each digest the install and `fortress-greenbone-pin` use, one stdout line: `greenbone-pin <key> sha256:…`. */
export const PIN_LINE_PREFIX = "greenbone-pin";
/** The first line of a `.env` written from the stack's configuration (the pin program warns before replacing it). */
export const CONFIG_ENV_HEADER =
  "# Greenbone image digests from the stack's fortress:vuln.imageDigests (Fortress install).";

const names = () => Object.keys(GREENBONE_IMAGES) as GreenboneImageName[];

/** `.env` from the configured digests (pure; throws on a missing, malformed or unknown entry). */
export function renderEnv(digests: GreenboneImageDigests): string {
  const problems = digestProblems(digests);
  if (problems.length > 0) throw new Error(`Greenbone image digests: ${problems.join("; ")}`);
  return [
    CONFIG_ENV_HEADER,
    "# Written on every install: change the configuration to move them.",
    ...names().map((name) => `${digestVariable(name)}=${digests[name]}`),
    "",
  ].join("\n");
}

/** The digests an install printed (its stdout), when it printed a complete, well-formed table; else `{}`. */
export function parsePinnedDigests(stdout: string): Partial<GreenboneImageDigests> {
  const found: Record<string, string> = {};
  const line = new RegExp(`^${PIN_LINE_PREFIX} ([a-z0-9-]+) (sha256:[0-9a-f]{64})$`);
  for (const text of stdout.split("\n")) {
    const match = line.exec(text.trimEnd());
    if (match) found[match[1] as string] = match[2] as string;
  }
  return digestProblems(found).length === 0 ? (found as GreenboneImageDigests) : {};
}

/**
 * `fortress-greenbone-pin [--refresh | --print]`, run by the VM's admin user (it uses sudo) or root:
 * - no argument (what the install runs without configured digests): keep every digest `.env` records,
 *   resolve only the ones it lacks (all of them on the first install), write `.env` when it changed;
 * - `--refresh`: resolve every tag anew, write `.env`, `docker compose up -d` (recreates what changed);
 * - `--print`: check `.env` and print it.
 * Resolving: `docker pull <repository>:<tag>`, then the `<repository>@sha256:<64 hex>` entry of
 * `docker image inspect --format '{{range .RepoDigests}}…'` (the digest Docker recorded when it pulled the tag),
 * refused unless it has exactly that form. Every mode ends by printing `greenbone-pin <key> <digest>` lines.
 */
export function pinScript(): string {
  const table = names().map((name) => {
    const { repository, tag } = GREENBONE_IMAGES[name];
    return `${name} ${digestVariable(name)} ${repository} ${tag}`;
  });
  return `#!/bin/sh
# fortress-greenbone-pin [--refresh | --print]: the digests of Greenbone's images in ${ENV_PATH}.
#   (none)     keep the recorded digests, resolve only missing ones (the first install resolves all)
#   --refresh  resolve every tag anew from the registry, write ${ENV_PATH}, docker compose up -d
#              (the only way the feed data images are updated)
#   --print    check ${ENV_PATH} and print it
# Prints "${PIN_LINE_PREFIX} <key> sha256:<hex>" for every image. Written by Fortress (components/vuln/imagePins.ts).
set -eu
env_file='${ENV_PATH}'
mode=\${1:-keep}
case "$mode" in
  keep|--refresh|--print) ;;
  *) echo "usage: fortress-greenbone-pin [--refresh | --print]" >&2; exit 2 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
recorded=$(sudo cat "$env_file" 2>/dev/null || true)
printf '%s\\n' "$recorded" > "$work/recorded"

well_formed() {
  printf '%s\\n' "$1" | grep -qx 'sha256:[0-9a-f]\\{64\\}'
}

resolve() {
  if ! sudo docker pull -q "$1:$2" > /dev/null < /dev/null; then
    echo "fortress-greenbone-pin: cannot pull $1:$2" >&2
    return 1
  fi
  found=$(sudo docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$1:$2" < /dev/null |
    awk -v prefix="$1@" 'index($0, prefix) == 1 { print; exit }')
  if ! well_formed "\${found#"$1"@}" || [ "\${found%%@*}" != "$1" ]; then
    echo "fortress-greenbone-pin: docker image inspect gives '$found' for $1:$2, not $1@sha256:<64 hex>" >&2
    return 1
  fi
  printf '%s\\n' "\${found#"$1"@}"
}

resolved=''
: > "$work/pins"
while read -r key variable repository tag; do
  digest=$(sed -n "s/^$variable=//p" "$work/recorded" | tail -n 1)
  if [ "$mode" = --refresh ] || { [ "$mode" = keep ] && [ -z "$digest" ]; }; then
    digest=$(resolve "$repository" "$tag")
    resolved=yes
  elif ! well_formed "$digest"; then
    echo "fortress-greenbone-pin: $variable in $env_file is not sha256:<64 hex> (fix it, or run fortress-greenbone-pin --refresh)" >&2
    exit 1
  fi
  printf '%s=%s\\n' "$variable" "$digest" >> "$work/pins"
  printf '%s %s\\n' "$key" "$digest" >> "$work/printed"
done <<'FORTRESS_IMAGES'
${table.join("\n")}
FORTRESS_IMAGES

if [ -n "$resolved" ]; then
  if head -n 1 "$work/recorded" | grep -qxF "${CONFIG_ENV_HEADER}"; then
    echo "fortress-greenbone-pin: $env_file held the stack's fortress:vuln.imageDigests; the next install writes those back unless the configuration takes the digests printed below" >&2
  fi
  {
    echo "# Greenbone image digests resolved by fortress-greenbone-pin on $(date -u +%Y-%m-%dT%H:%M:%SZ)."
    echo "# Kept by every install; move them with: fortress-greenbone-pin --refresh"
    cat "$work/pins"
  } > "$work/env"
  sudo install -m 600 -o root -g root "$work/env" "$env_file"
fi
while read -r key digest; do
  echo "${PIN_LINE_PREFIX} $key $digest"
done < "$work/printed"
if [ "$mode" = --refresh ]; then
  sudo ${COMPOSE_COMMAND} up -d --remove-orphans --quiet-pull
fi
`;
}
