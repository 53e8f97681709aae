#!/bin/sh
# Resolve the digest of every Greenbone image Fortress runs, from Greenbone's registry, on a machine
# with network. No public source lists these digests (components/vuln/pins.ts), so they are read from
# the registry itself (the Docker Registry HTTP API v2: a HEAD of the tag's manifest answers with
# Docker-Content-Digest; an anonymous bearer token when the registry asks for one).
#
# Input on stdin, one image a line: <key> <repository> <tag>, as pins.ts lists them:
#   node --import tsx -e 'const { GREENBONE_IMAGES } = require("./components/vuln/pins");
#     for (const [k, i] of Object.entries(GREENBONE_IMAGES)) console.log(k, i.repository, i.tag)' \
#     | scripts/greenbone-digests.sh > greenbone-digests.json
# Output: one JSON object {"<key>": "sha256:…"}: the Greenbone component's `imageDigests` (the stack's
# fortress:vuln.imageDigests). Optional: without it, the first install resolves the same digests on the
# VM and keeps them (components/vuln/README.md "Image digests"); its `pinnedDigests` output has this shape.
# Exit 1 when any image cannot be resolved (nothing partial is printed). GREENBONE_REGISTRY_SCHEME=http
# is for the loopback registry of its test only.
set -eu

accept='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

digest_of() {
  registry=$1 path=$2 tag=$3
  url="${GREENBONE_REGISTRY_SCHEME:-https}://$registry/v2/$path/manifests/$tag"
  status=$(curl -sS -o /dev/null -D "$work/headers" -w '%{http_code}' -I -H "Accept: $accept" "$url")
  if [ "$status" = 401 ]; then
    challenge=$(tr -d '\r' < "$work/headers" | sed -n 's/^[Ww][Ww][Ww]-[Aa]uthenticate: Bearer //p')
    realm=$(printf '%s' "$challenge" | sed -n 's/.*realm="\([^"]*\)".*/\1/p')
    service=$(printf '%s' "$challenge" | sed -n 's/.*service="\([^"]*\)".*/\1/p')
    token=$(curl -sSf -G "$realm" --data-urlencode "service=$service" --data-urlencode "scope=repository:$path:pull" |
      sed -n 's/.*"\(token\|access_token\)"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\2/p' | head -n 1)
    [ -n "$token" ] || return 1
    status=$(curl -sS -o /dev/null -D "$work/headers" -w '%{http_code}' -I -H "Accept: $accept" \
      -H "Authorization: Bearer $token" "$url")
  fi
  [ "$status" = 200 ] || return 1
  tr -d '\r' < "$work/headers" | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: \(sha256:[0-9a-f]\{64\}\)$/\1/p' | head -n 1
}

out="$work/out"
printf '{' > "$out"
separator=''
while read -r key repository tag; do
  [ -n "$key" ] || continue
  registry=${repository%%/*}
  path=${repository#*/}
  if ! digest=$(digest_of "$registry" "$path" "$tag") || [ -z "$digest" ]; then
    echo "greenbone-digests: cannot resolve $repository:$tag" >&2
    exit 1
  fi
  printf '%s\n  "%s": "%s"' "$separator" "$key" "$digest" >> "$out"
  separator=','
done
printf '\n}\n' >> "$out"
cat "$out"
