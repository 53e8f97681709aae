/**
 * Cortex's analyzers and responders in the `fortress` organisation, enabled and configured by a Job
 * that runs accounts/cortex-neurons.py against Cortex's API as TheHive's user there (an orgadmin:
 * TheHive-Project/Cortex@4.1.0 AnalyzerCtrl.create/update need Roles.orgAdmin and act in the caller's
 * organisation). A second Job beside the accounts one, because it needs MISP (its URL, the integration
 * key, the lab CA), which TheHive does not wait for. The MISP analyzer's configuration holds the key,
 * so it is a Secret's file, never the spec or an argument.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import {
  CONTAIN_RESPONDER,
  type MispConnection,
  MISP_ANALYZER,
  mispAnalyzerConfiguration,
  workerDefinitionId,
} from "./neurons";
import { JOB_UID, RESPONSE_PINS, RESPONSE_RESOURCES } from "./pins";

export const CORTEX_NEURONS_LABELS = {
  "app.kubernetes.io/name": "cortex-neurons",
  "app.kubernetes.io/part-of": "cortex",
} as const;

export interface NeuronWorkerSpec {
  readonly type: "analyzer" | "responder";
  readonly definition: string;
  readonly name: string;
  /** The Secret's file holding the configuration (JSON), if any. */
  readonly configFile?: string;
}

export function cortexNeuronsSpec(
  url: string,
  withResponder: boolean,
  withMisp = true,
): { url: string; workers: NeuronWorkerSpec[] } {
  const misp = workerDefinitionId(MISP_ANALYZER);
  const contain = workerDefinitionId(CONTAIN_RESPONDER);
  return {
    url,
    workers: [
      ...(withMisp
        ? [{ type: "analyzer" as const, definition: misp, name: misp, configFile: "misp.json" }]
        : []),
      ...(withResponder ? [{ type: "responder" as const, definition: contain, name: contain }] : []),
    ],
  };
}

export function cortexNeuronsScript(): string {
  return readFileSync(join(__dirname, "accounts", "cortex-neurons.py"), "utf8");
}

export function cortexNeurons(
  name: string,
  args: {
    readonly namespace: string;
    readonly url: string;
    /** TheHive's key in Cortex (an orgadmin of `fortress`). */
    readonly theHiveKey: pulumi.Input<string>;
    readonly misp?: {
      readonly url: string;
      readonly key: pulumi.Input<string>;
      readonly caCertificatePem: pulumi.Input<string>;
    };
    readonly withResponder: boolean;
  },
  parent: pulumi.Resource,
  dependsOn: pulumi.Input<pulumi.Resource>[],
): k8s.batch.v1.Job {
  const child = { parent };
  const ns = args.namespace;
  const script = cortexNeuronsScript();
  const spec = JSON.stringify(cortexNeuronsSpec(args.url, args.withResponder, args.misp !== undefined));
  const digest = createHash("sha256").update(script).update(spec).digest("hex").slice(0, 10);
  const jobName = `cortex-neurons-${digest}`;
  const misp = args.misp;
  const mispConfiguration = misp
    ? pulumi
        .all([misp.key, misp.caCertificatePem])
        .apply(([key, caCertificatePem]) =>
          JSON.stringify(
            mispAnalyzerConfiguration({ url: misp.url, key, caCertificatePem } satisfies MispConnection),
          ),
        )
    : undefined;
  const secrets = new k8s.core.v1.Secret(
    `${name}-neurons-secret`,
    {
      metadata: { name: "cortex-neurons", namespace: ns, labels: { ...CORTEX_NEURONS_LABELS } },
      type: "Opaque",
      stringData: {
        "thehive-key": args.theHiveKey,
        ...(mispConfiguration ? { "misp.json": pulumi.secret(mispConfiguration) } : {}),
      },
    },
    { ...child, additionalSecretOutputs: ["stringData", "data"] },
  );
  const scriptSecret = new k8s.core.v1.Secret(
    `${name}-neurons-script`,
    {
      metadata: { name: jobName, namespace: ns, labels: { ...CORTEX_NEURONS_LABELS } },
      type: "Opaque",
      stringData: { "cortex-neurons.py": script, "spec.json": spec },
    },
    child,
  );
  return new k8s.batch.v1.Job(
    `${name}-neurons`,
    {
      metadata: { name: jobName, namespace: ns, labels: { ...CORTEX_NEURONS_LABELS } },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: { ...CORTEX_NEURONS_LABELS } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(JOB_UID),
            containers: [
              {
                name: "neurons",
                image: RESPONSE_PINS.jobImage,
                imagePullPolicy: "IfNotPresent",
                command: ["python3", "/script/cortex-neurons.py"],
                resources: RESPONSE_RESOURCES.job,
                securityContext: restrictedContainerSecurity(JOB_UID),
                volumeMounts: [
                  { name: "script", mountPath: "/script", readOnly: true },
                  { name: "secrets", mountPath: "/run/fortress/neurons", readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "script", secret: { secretName: jobName, defaultMode: 0o440 } },
              { name: "secrets", secret: { secretName: "cortex-neurons", defaultMode: 0o440 } },
            ],
          },
        },
      },
    },
    { ...child, dependsOn: [...dependsOn, secrets, scriptSecret] },
  );
}
