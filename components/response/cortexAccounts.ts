/**
 * Cortex's accounts, made by a Job that runs accounts/cortex-accounts.py against Cortex's API in the
 * cluster: the superadmin with a generated password (the Job is Cortex's first caller, so the
 * credential-less "initial user" of a new Cortex is used once, by Fortress), the organisation TheHive
 * works in, and TheHive's user there with the API key Fortress generated (Cortex 4.1 sets a given key:
 * UserCtrl.setKey), which TheHive reads from its own Secret. No Kubernetes API access.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { JOB_UID, RESPONSE_PINS, RESPONSE_RESOURCES } from "./pins";

export const CORTEX_ACCOUNTS_LABELS = {
  "app.kubernetes.io/name": "cortex-accounts",
  "app.kubernetes.io/part-of": "cortex",
} as const;
export const CORTEX_SUPERADMIN = "fortress-admin";
export const CORTEX_ORGANIZATION = "fortress";
export const CORTEX_THEHIVE_USER = "thehive";

export function cortexAccountsSpec(url: string) {
  return {
    url,
    superadmin: CORTEX_SUPERADMIN,
    organization: CORTEX_ORGANIZATION,
    thehive: { login: CORTEX_THEHIVE_USER, name: "TheHive", roles: ["read", "analyze", "orgadmin"] },
  };
}

export function cortexAccountsScript(): string {
  return readFileSync(join(__dirname, "accounts", "cortex-accounts.py"), "utf8");
}

export function cortexAccounts(
  name: string,
  args: {
    readonly namespace: string;
    readonly url: string;
    readonly superadminPassword: pulumi.Input<string>;
    readonly theHiveKey: pulumi.Input<string>;
  },
  parent: pulumi.Resource,
  dependsOn: pulumi.Input<pulumi.Resource>[],
): k8s.batch.v1.Job {
  const child = { parent };
  const ns = args.namespace;
  const script = cortexAccountsScript();
  const spec = JSON.stringify(cortexAccountsSpec(args.url));
  const digest = createHash("sha256").update(script).update(spec).digest("hex").slice(0, 10);
  const jobName = `cortex-accounts-${digest}`;
  const passwords = new k8s.core.v1.Secret(
    `${name}-accounts-secret`,
    {
      metadata: { name: "cortex-accounts", namespace: ns, labels: { ...CORTEX_ACCOUNTS_LABELS } },
      type: "Opaque",
      stringData: { "superadmin-password": args.superadminPassword, "thehive-key": args.theHiveKey },
    },
    { ...child, additionalSecretOutputs: ["stringData", "data"] },
  );
  const scriptSecret = new k8s.core.v1.Secret(
    `${name}-accounts-script`,
    {
      metadata: { name: jobName, namespace: ns, labels: { ...CORTEX_ACCOUNTS_LABELS } },
      type: "Opaque",
      stringData: { "cortex-accounts.py": script, "spec.json": spec },
    },
    child,
  );
  return new k8s.batch.v1.Job(
    `${name}-accounts`,
    {
      metadata: { name: jobName, namespace: ns, labels: { ...CORTEX_ACCOUNTS_LABELS } },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: { ...CORTEX_ACCOUNTS_LABELS } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(JOB_UID),
            containers: [
              {
                name: "accounts",
                image: RESPONSE_PINS.jobImage,
                imagePullPolicy: "IfNotPresent",
                command: ["python3", "/script/cortex-accounts.py"],
                resources: RESPONSE_RESOURCES.job,
                securityContext: restrictedContainerSecurity(JOB_UID),
                volumeMounts: [
                  { name: "script", mountPath: "/script", readOnly: true },
                  { name: "passwords", mountPath: "/run/fortress/accounts", readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "script", secret: { secretName: jobName, defaultMode: 0o440 } },
              { name: "passwords", secret: { secretName: "cortex-accounts", defaultMode: 0o440 } },
            ],
          },
        },
      },
    },
    { ...child, dependsOn: [...dependsOn, passwords, scriptSecret] },
  );
}
