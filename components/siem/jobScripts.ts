/**
 * The scripts the indexer's two Jobs run, rendered by pure functions (checked with shellcheck in a
 * test). Both authenticate with the admin client certificate (its DN is opensearch.yml's `admin_dn`),
 * a credential Fortress issues from its own CA: no shipped password, no password at all.
 *
 * - securityadmin: the image applies the security files once, on the first start
 *   (`plugins.security.allow_default_init_securityindex`); the image's own securityadmin call is
 *   commented out (wazuh/wazuh-docker@v4.14.6:build-docker-images/wazuh-indexer/config/entrypoint.sh).
 *   Later changes reach the security index only through securityadmin.sh, one file and type at a time
 *   (`-f FILE -t TYPE`, opensearch-project/security@2.19.5.0 SecurityAdmin.java), which replaces that
 *   type's document: re-running it with the same files changes nothing.
 * - policies: the snapshot repository (PUT, idempotent), then the ISM and SM policies created, or
 *   updated in place with the `if_seq_no`/`if_primary_term` the GET returned (both APIs refuse an
 *   update without them).
 */
import { INDEXER_CERT_FILES, INDEXER_PATHS } from "./opensearchYml";
import { SECURITY_FILE_TYPES, SECURITY_FILES } from "./securityConfig";

/** Where the Jobs find the admin certificate, the CA and their input files. */
export const JOB_PATHS = { certs: "/certs", input: "/input" } as const;

const ADMIN_TLS = [
  `-cacert ${JOB_PATHS.certs}/${INDEXER_CERT_FILES.rootCa}`,
  `-cert ${JOB_PATHS.certs}/${INDEXER_CERT_FILES.admin}`,
  `-key ${JOB_PATHS.certs}/${INDEXER_CERT_FILES.adminKey}`,
].join(" ");

const HOSTNAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

export function securityAdminScript(host: string, port: number): string {
  if (!HOSTNAME.test(host)) throw new Error(`securityadmin: ${host} is no host name`);
  const uploads = SECURITY_FILES.map(
    (file) =>
      `"${INDEXER_PATHS.securityadmin}" -h "${host}" -p ${port} -icl ${ADMIN_TLS} -f "${JOB_PATHS.input}/${file}" -t ${SECURITY_FILE_TYPES[file]}`,
  );
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    // The JVM securityadmin starts writes nothing but needs a JAVA_HOME (the image's own JDK).
    "export JAVA_HOME=/usr/share/wazuh-indexer/jdk",
    "for attempt in $(seq 1 60); do",
    `  if curl --silent --output /dev/null --fail --cacert "${JOB_PATHS.certs}/${INDEXER_CERT_FILES.rootCa}" \\`,
    `    --cert "${JOB_PATHS.certs}/${INDEXER_CERT_FILES.admin}" --key "${JOB_PATHS.certs}/${INDEXER_CERT_FILES.adminKey}" \\`,
    `    "https://${host}:${port}/_cluster/health?wait_for_status=yellow&timeout=5s"; then break; fi`,
    '  [ "$attempt" -lt 60 ] || { echo "the indexer did not come up" >&2; exit 1; }',
    "  sleep 5",
    "done",
    ...uploads,
    "",
  ].join("\n");
}

export interface PolicyRequest {
  /** Path under the API, e.g. _plugins/_ism/policies/fortress-wazuh-retention. */
  readonly path: string;
  /** The input file holding the body. */
  readonly file: string;
  /** How it is created (ISM: PUT, SM: POST); updates are PUT with the sequence number. */
  readonly create: "PUT" | "POST";
}

export function policiesScript(
  host: string,
  port: number,
  repository: { readonly name: string; readonly file: string },
  policies: readonly PolicyRequest[],
  paths: { readonly certs: string; readonly input: string } = JOB_PATHS,
): string {
  if (!HOSTNAME.test(host)) throw new Error(`policies: ${host} is no host name`);
  for (const { path, file } of [...policies, { path: `_snapshot/${repository.name}`, file: repository.file }])
    if (!/^[A-Za-z0-9_./-]+$/.test(path) || !/^[A-Za-z0-9_.-]+$/.test(file))
      throw new Error(`policies: ${path} / ${file} is not a plain path`);
  const c = paths.certs;
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    `api="https://${host}:${port}"`,
    "work=$(mktemp -d)",
    "trap 'rm -rf \"$work\"' EXIT",
    "call() {",
    `  curl --silent --show-error --cacert "${c}/${INDEXER_CERT_FILES.rootCa}" --cert "${c}/${INDEXER_CERT_FILES.admin}" \\`,
    `    --key "${c}/${INDEXER_CERT_FILES.adminKey}" -H "Content-Type: application/json" "$@"`,
    "}",
    "# call METHOD PATH FILE: the body's answer on stdout, failing on a status of 300 or more.",
    "send() {",
    "  local status",
    '  status=$(call -X "$1" -o "$work/answer.json" -w "%{http_code}" "$api/$2" --data-binary "@$3")',
    '  cat "$work/answer.json"; echo',
    '  [ "$status" -lt 300 ] || { echo "$1 $2: HTTP $status" >&2; exit 1; }',
    "}",
    "# upsert PATH FILE CREATE_METHOD: created when absent, else updated at the sequence number read.",
    "upsert() {",
    "  local status seq term",
    '  status=$(call -o "$work/current.json" -w "%{http_code}" "$api/$1")',
    '  if [ "$status" = 404 ]; then',
    '    send "$3" "$1" "$2"',
    '  elif [ "$status" = 200 ]; then',
    `    seq=$(grep -o '"_seq_no" *: *[0-9]*' "$work/current.json" | grep -o '[0-9]*$')`,
    `    term=$(grep -o '"_primary_term" *: *[0-9]*' "$work/current.json" | grep -o '[0-9]*$')`,
    '    send PUT "$1?if_seq_no=$seq&if_primary_term=$term" "$2"',
    "  else",
    '    echo "GET $1: HTTP $status" >&2; exit 1',
    "  fi",
    "}",
    "for attempt in $(seq 1 60); do",
    '  if call --fail -o /dev/null "$api/_cluster/health?wait_for_status=yellow&timeout=5s"; then break; fi',
    '  [ "$attempt" -lt 60 ] || { echo "the indexer did not come up" >&2; exit 1; }',
    "  sleep 5",
    "done",
    `send PUT "_snapshot/${repository.name}" "${paths.input}/${repository.file}"`,
    ...policies.map((policy) => `upsert "${policy.path}" "${paths.input}/${policy.file}" ${policy.create}`),
    "",
  ].join("\n");
}
