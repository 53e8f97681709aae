/**
 * The indexer's admin Jobs (securityadmin, policies): the only pods that hold the admin client
 * certificate, non-root, running a script rendered by jobScripts.ts from a ConfigMap named, like the
 * Job, after the digest of what it applies.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { tlsSecretName } from "../kubernetes/certificate";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { JOB_PATHS } from "./jobScripts";
import { INDEXER_ADMIN_LABELS } from "./labels";
import { INDEXER_CERT_FILES } from "./opensearchYml";
import { SIEM_IMAGES, SIEM_RESOURCES, WAZUH_UID } from "./pins";

/** The admin certificate's id and common name (its DN is opensearch.yml's admin_dn). */
export const ADMIN_CN = "wazuh-indexer-admin";

/**
 * A Job with the admin certificate, named after what it applies: a change is a new Job that runs
 * once; the same content is the same Job, which does not run again.
 */
export function indexerAdminJob(
  parent: pulumi.Resource,
  name: string,
  job: string,
  digest: string,
  script: string,
  input: { readonly secret: string } | { readonly configMap: string },
  ns: string,
  dependsOn: pulumi.Resource[],
): k8s.batch.v1.Job {
  const child = { parent };
  const scriptMap = new k8s.core.v1.ConfigMap(
    `${name}-${job}-script`,
    {
      metadata: {
        name: `wazuh-indexer-${job}-script-${digest}`,
        namespace: ns,
        labels: { ...INDEXER_ADMIN_LABELS },
      },
      data: { "run.sh": script },
    },
    child,
  );
  return new k8s.batch.v1.Job(
    `${name}-${job}`,
    {
      metadata: {
        name: `wazuh-indexer-${job}-${digest}`,
        namespace: ns,
        labels: { ...INDEXER_ADMIN_LABELS },
      },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: { ...INDEXER_ADMIN_LABELS } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(WAZUH_UID),
            containers: [
              {
                name: job,
                image: SIEM_IMAGES.indexer,
                imagePullPolicy: "IfNotPresent",
                command: ["/bin/bash", "/script/run.sh"],
                resources: SIEM_RESOURCES.job,
                securityContext: restrictedContainerSecurity(WAZUH_UID),
                volumeMounts: [
                  { name: "script", mountPath: "/script", readOnly: true },
                  { name: "certs", mountPath: JOB_PATHS.certs, readOnly: true },
                  { name: "input", mountPath: JOB_PATHS.input, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volumes: [
              {
                name: "script",
                configMap: { name: `wazuh-indexer-${job}-script-${digest}`, defaultMode: 0o500 },
              },
              {
                name: "certs",
                projected: {
                  defaultMode: 0o400,
                  sources: [
                    {
                      secret: {
                        name: tlsSecretName(ADMIN_CN),
                        items: [
                          { key: "tls.crt", path: INDEXER_CERT_FILES.admin },
                          { key: "tls.key", path: INDEXER_CERT_FILES.adminKey },
                          { key: "ca.crt", path: INDEXER_CERT_FILES.rootCa },
                        ],
                      },
                    },
                  ],
                },
              },
              "secret" in input
                ? { name: "input", secret: { secretName: input.secret, defaultMode: 0o400 } }
                : { name: "input", configMap: { name: input.configMap, defaultMode: 0o400 } },
              { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
            ],
          },
        },
      },
    },
    { ...child, dependsOn: [...dependsOn, scriptMap] },
  );
}
