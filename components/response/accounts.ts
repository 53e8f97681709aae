/**
 * TheHive's accounts (free edition: local accounts only): the shipped administrator's password
 * replaced, an analyst, and service accounts with API keys for the integrations, made by a Job that
 * runs accounts/thehive-accounts.py against TheHive's API in the cluster. Passwords come from
 * `random` into a Secret the Job mounts as files; each API key is written by the Job into its own
 * Secret, which the Job's Role may read and patch and nothing else (no create, no list).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/securityContext";
import { JOB_UID, RESPONSE_PINS, RESPONSE_RESOURCES } from "./pins";

export const ACCOUNTS_LABELS = {
  "app.kubernetes.io/name": "thehive-accounts",
  "app.kubernetes.io/part-of": "thehive",
} as const;
export const ACCOUNTS_SECRET = "thehive-accounts";
export const ORGANISATION = "fortress";
export const ADMIN_LOGIN = "admin@thehive.local";

/** An integration's service account and the Secret its key lands in. */
export interface ServiceAccountSpec {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly secret: string;
  readonly secretKey: string;
}

/** The service accounts the layer makes: Wazuh's integration posts alerts (analyst profile: manageAlert). */
export const SERVICE_ACCOUNTS: readonly ServiceAccountSpec[] = [
  {
    id: "wazuh",
    login: "wazuh@fortress.local",
    name: "Wazuh integration",
    secret: "thehive-key-wazuh",
    secretKey: "api-key",
  },
];

export const ANALYST_LOGIN = "analyst@fortress.local";

/** What the script is told (no secret in it: passwords are files, keys go to Secrets). */
export function accountsSpec(url: string) {
  return {
    url,
    organisation: ORGANISATION,
    users: [
      {
        login: ANALYST_LOGIN,
        name: "Fortress analyst",
        profile: "analyst",
        passwordFile: "analyst-password",
      },
    ],
    services: SERVICE_ACCOUNTS.map((service) => ({
      login: service.login,
      name: service.name,
      profile: "analyst",
      secret: service.secret,
      secretKey: service.secretKey,
    })),
  };
}

export function accountsScript(): string {
  return readFileSync(join(__dirname, "accounts", "thehive-accounts.py"), "utf8");
}

export interface TheHiveAccountsArgs {
  readonly namespace: string;
  /** TheHive as the Job reaches it (http://thehive:9000). */
  readonly url: string;
}

export interface TheHiveAccountsResult {
  readonly admin: { readonly login: string; readonly password: pulumi.Output<string> };
  readonly analyst: { readonly login: string; readonly password: pulumi.Output<string> };
  /** Each service account's key Secret (name and key), filled by the Job. */
  readonly keySecrets: Readonly<Record<string, { readonly name: string; readonly key: string }>>;
  readonly job: k8s.batch.v1.Job;
}

const password = (name: string, parent: pulumi.Resource) =>
  new random.RandomPassword(name, { length: 32, special: false }, { parent }).result;

export function theHiveAccounts(
  name: string,
  args: TheHiveAccountsArgs,
  parent: pulumi.Resource,
  dependsOn: pulumi.Input<pulumi.Resource>[],
): TheHiveAccountsResult {
  const child = { parent };
  const ns = args.namespace;
  const adminPassword = password(`${name}-admin-password`, parent);
  const analystPassword = password(`${name}-analyst-password`, parent);
  const passwords = new k8s.core.v1.Secret(
    `${name}-accounts-secret`,
    {
      metadata: { name: ACCOUNTS_SECRET, namespace: ns, labels: { ...ACCOUNTS_LABELS } },
      type: "Opaque",
      stringData: { "admin-password": adminPassword, "analyst-password": analystPassword },
    },
    { ...child, additionalSecretOutputs: ["stringData", "data"] },
  );
  // Made empty here and filled by the Job: Pulumi keeps its hands off the data it did not write.
  const keySecrets = SERVICE_ACCOUNTS.map(
    (service) =>
      new k8s.core.v1.Secret(
        `${name}-key-${service.id}`,
        { metadata: { name: service.secret, namespace: ns, labels: { ...ACCOUNTS_LABELS } }, type: "Opaque" },
        { ...child, ignoreChanges: ["data", "stringData"], additionalSecretOutputs: ["data"] },
      ),
  );
  const account = new k8s.core.v1.ServiceAccount(
    `${name}-accounts-sa`,
    { metadata: { name: "thehive-accounts", namespace: ns }, automountServiceAccountToken: false },
    child,
  );
  const role = new k8s.rbac.v1.Role(
    `${name}-accounts-role`,
    {
      metadata: { name: "thehive-accounts", namespace: ns },
      rules: [
        {
          apiGroups: [""],
          resources: ["secrets"],
          resourceNames: SERVICE_ACCOUNTS.map((service) => service.secret),
          verbs: ["get", "patch"],
        },
      ],
    },
    child,
  );
  const binding = new k8s.rbac.v1.RoleBinding(
    `${name}-accounts-binding`,
    {
      metadata: { name: "thehive-accounts", namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "thehive-accounts" },
      subjects: [{ kind: "ServiceAccount", name: "thehive-accounts", namespace: ns }],
    },
    child,
  );
  const script = accountsScript();
  const spec = JSON.stringify(accountsSpec(args.url));
  // Named after what it does: a changed script or spec is a new Job; the same is the same Job.
  const digest = createHash("sha256").update(script).update(spec).digest("hex").slice(0, 10);
  // A Secret, not a ConfigMap: the script carries TheHive's shipped admin password (to replace it).
  const scriptMap = new k8s.core.v1.Secret(
    `${name}-accounts-script`,
    {
      metadata: { name: `thehive-accounts-${digest}`, namespace: ns, labels: { ...ACCOUNTS_LABELS } },
      type: "Opaque",
      stringData: { "thehive-accounts.py": script, "spec.json": spec },
    },
    child,
  );
  const job = new k8s.batch.v1.Job(
    `${name}-accounts`,
    {
      metadata: { name: `thehive-accounts-${digest}`, namespace: ns, labels: { ...ACCOUNTS_LABELS } },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: { ...ACCOUNTS_LABELS } },
          spec: {
            restartPolicy: "OnFailure",
            serviceAccountName: "thehive-accounts",
            // Only this pod gets the token: it patches the key Secrets.
            automountServiceAccountToken: true,
            securityContext: restrictedPodSecurity(JOB_UID),
            containers: [
              {
                name: "accounts",
                image: RESPONSE_PINS.jobImage,
                imagePullPolicy: "IfNotPresent",
                command: ["python3", "/script/thehive-accounts.py"],
                resources: RESPONSE_RESOURCES.job,
                securityContext: restrictedContainerSecurity(JOB_UID),
                volumeMounts: [
                  { name: "script", mountPath: "/script", readOnly: true },
                  { name: "passwords", mountPath: "/run/fortress/accounts", readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: "script", secret: { secretName: `thehive-accounts-${digest}`, defaultMode: 0o440 } },
              { name: "passwords", secret: { secretName: ACCOUNTS_SECRET, defaultMode: 0o440 } },
            ],
          },
        },
      },
    },
    { ...child, dependsOn: [...dependsOn, passwords, ...keySecrets, account, role, binding, scriptMap] },
  );
  return {
    admin: { login: ADMIN_LOGIN, password: pulumi.secret(adminPassword) },
    analyst: { login: ANALYST_LOGIN, password: pulumi.secret(analystPassword) },
    keySecrets: Object.fromEntries(
      SERVICE_ACCOUNTS.map((service) => [service.id, { name: service.secret, key: service.secretKey }]),
    ),
    job,
  };
}
