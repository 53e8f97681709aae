/**
 * What the grafana chart (grafana-community/helm-charts@3386a11 charts/grafana, 12.11.1) renders from
 * a release's values, for the parts Fortress depends on. Written from the chart's templates, not from
 * Fortress's code:
 *
 * - templates/_helpers.tpl `grafana.assertNoLeakedSecrets`: the sensitive grafana.ini keys, each
 *   refused unless its value matches `\$(?:__(?:env|file|vault))?{[^}]+}`.
 * - templates/secret.yaml: the chart's own admin Secret (with a random password) unless
 *   `admin.existingSecret`, GF_SECURITY_ADMIN_PASSWORD(__FILE) or DISABLE_INITIAL_ADMIN_CREATION.
 * - templates/_pod.tpl: GF_SECURITY_ADMIN_USER/PASSWORD from `admin.existingSecret` (default the
 *   chart's fullname) and `userKey`/`passwordKey`; `envValueFrom`; the init containers (chown only
 *   with persistence and initChownData); the sidecars with `sidecar.resources`/`securityContext`.
 * - templates/role.yaml, rolebinding.yaml, clusterrole.yaml, clusterrolebinding.yaml: which RBAC
 *   objects exist for `rbac.create`/`namespaced`/`useExistingRole`, and the chart's Role reading
 *   configmaps AND secrets.
 * - templates/deployment.yaml and statefulset.yaml (which kind, `replicas` unless autoscaling),
 *   _helpers.tpl `grafana.selectorLabels` (name and instance), _pod.tpl (`affinity` through `tpl`; the
 *   container ports: the service's targetPort and gossip 9094 TCP and UDP, always; POD_IP always, then
 *   `envValueFrom`), headless-service.yaml (`headlessService`, or a StatefulSet's persistence: port
 *   9094 to `<gossipPortName>-tcp`), poddisruptionbudget.yaml (when `podDisruptionBudget` is set,
 *   minAvailable/maxUnavailable beside the selector labels).
 * - values.yaml: the defaults of what these read; kube-prometheus-stack 88.5.3's `grafana:` subtree
 *   (prometheus-community/helm-charts@cf408a2 values.yaml) is laid over them, then the release's.
 */
import { mergeValues } from "./keycloakxChart";

type Values = Record<string, unknown>;

const SENSITIVE_KEYS: readonly (readonly string[])[] = [
  ["database", "password"],
  ["smtp", "password"],
  ["security", "secret_key"],
  ["security", "admin_password"],
  ["auth.basic", "password"],
  ["auth.ldap", "bind_password"],
  ["auth.google", "client_secret"],
  ["auth.github", "client_secret"],
  ["auth.gitlab", "client_secret"],
  ["auth.generic_oauth", "client_secret"],
  ["auth.okta", "client_secret"],
  ["auth.azuread", "client_secret"],
  ["auth.grafana_com", "client_secret"],
  ["auth.grafananet", "client_secret"],
  ["azure", "user_identity_client_secret"],
  ["unified_alerting", "ha_redis_password"],
  ["metrics", "basic_auth_password"],
  ["external_image_storage.s3", "secret_key"],
  ["external_image_storage.webdav", "password"],
  ["external_image_storage.azure_blob", "account_key"],
];
const EXPANSION = /\$(?:__(?:env|file|vault))?{[^}]+}/;

/** The chart's defaults (values.yaml) of what this renderer reads. */
const CHART_DEFAULTS: Values = {
  assertNoLeakedSecrets: true,
  admin: { existingSecret: "", userKey: "admin-user", passwordKey: "admin-password" },
  env: {},
  envValueFrom: {},
  persistence: { enabled: false, type: "pvc" },
  replicas: 1,
  headlessService: false,
  useStatefulSet: false,
  autoscaling: { enabled: false },
  podDisruptionBudget: {},
  affinity: {},
  gossipPortName: "gossip",
  podPortName: "grafana",
  service: { targetPort: 3000 },
  initChownData: { enabled: true, securityContext: { runAsNonRoot: false, runAsUser: 0 } },
  rbac: { create: true, namespaced: false },
  securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
  resources: {},
  sidecar: {
    resources: {},
    dashboards: { enabled: false, searchNamespace: null, resource: "both" },
    datasources: { enabled: false, searchNamespace: null, resource: "both" },
  },
  plugins: [],
  "grafana.ini": { paths: { data: "/var/lib/grafana/" } },
};

/** kube-prometheus-stack 88.5.3's `grafana:` subtree, what it sets of the above. */
const KPS_GRAFANA_DEFAULTS: Values = {
  admin: { existingSecret: "", userKey: "admin-user", passwordKey: "admin-password" },
  rbac: { pspEnabled: false },
  sidecar: {
    dashboards: {
      enabled: true,
      label: "grafana_dashboard",
      labelValue: "1",
      searchNamespace: "ALL",
      provider: { allowUiUpdates: false },
    },
    datasources: { enabled: true, label: "grafana_datasource", labelValue: "1" },
  },
};

export interface RenderedGrafana {
  readonly values: Values;
  /** Each sensitive grafana.ini key set to a literal (the chart's render fails on the first). */
  readonly leakedSecrets: readonly string[];
  readonly chartAdminSecret: boolean;
  /** The Secret (name and key) each admin env variable reads. */
  readonly adminEnv: Readonly<Record<string, { readonly name: string; readonly key: string }>>;
  readonly rbac: readonly ("Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding")[];
  /** The Role the RoleBinding names. */
  readonly roleRef?: string;
  readonly initContainers: readonly string[];
  readonly containers: readonly {
    readonly name: string;
    readonly resources: unknown;
    readonly securityContext: unknown;
  }[];
  /** The Deployment or StatefulSet: its replicas (none with autoscaling), pod labels and affinity. */
  readonly workload: {
    readonly kind: "Deployment" | "StatefulSet";
    readonly replicas?: number;
    readonly podLabels: Readonly<Record<string, string>>;
    readonly affinity?: unknown;
  };
  /** The grafana container's env: POD_IP, then each `envValueFrom` (name → valueFrom). */
  readonly env: Readonly<Record<string, unknown>>;
  readonly ports: readonly {
    readonly name: string;
    readonly containerPort: number;
    readonly protocol: string;
  }[];
  readonly headlessService?: {
    readonly name: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: string }[];
  };
  readonly podDisruptionBudget?: {
    readonly minAvailable?: unknown;
    readonly maxUnavailable?: unknown;
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
  };
}

const STS_TYPES = ["sts", "StatefulSet", "statefulset"];

/** The workload, Services and budget of a release named `release` (kube-prometheus-stack's name). */
function workloadParts(values: Values, fullname: string, release: string) {
  const persistence = map(values.persistence);
  const stsPersistence =
    Boolean(persistence.enabled) &&
    !persistence.existingClaim &&
    STS_TYPES.includes(String(persistence.type));
  const kind: "Deployment" | "StatefulSet" =
    values.useStatefulSet || stsPersistence ? "StatefulSet" : "Deployment";
  const podLabels = {
    "app.kubernetes.io/name": String(values.nameOverride || "grafana"),
    "app.kubernetes.io/instance": release,
  };
  const affinity = map(values.affinity);
  const gossip = String(values.gossipPortName);
  const budget = map(values.podDisruptionBudget);
  const envValueFrom = map(values.envValueFrom);
  return {
    workload: {
      kind,
      ...(map(values.autoscaling).enabled ? {} : { replicas: Number(values.replicas) }),
      podLabels,
      ...(Object.keys(affinity).length > 0 ? { affinity } : {}),
    },
    env: { POD_IP: { fieldRef: { fieldPath: "status.podIP" } }, ...envValueFrom },
    ports: [
      {
        name: String(values.podPortName),
        containerPort: Number(map(values.service).targetPort),
        protocol: "TCP",
      },
      { name: `${gossip}-tcp`, containerPort: 9094, protocol: "TCP" },
      { name: `${gossip}-udp`, containerPort: 9094, protocol: "UDP" },
      { name: "profiling", containerPort: 6060, protocol: "TCP" },
    ],
    ...(values.headlessService || stsPersistence
      ? {
          headlessService: {
            name: `${fullname}-headless`,
            selector: podLabels,
            ports: [{ name: `${gossip}-tcp`, port: 9094, targetPort: `${gossip}-tcp` }],
          },
        }
      : {}),
    // `{{- if .Values.podDisruptionBudget }}`: an empty map is false in Go templates.
    ...(Object.keys(budget).length > 0
      ? {
          podDisruptionBudget: {
            ...(budget.minAvailable ? { minAvailable: budget.minAvailable } : {}),
            ...(budget.maxUnavailable ? { maxUnavailable: budget.maxUnavailable } : {}),
            selector: { matchLabels: podLabels },
          },
        }
      : {}),
  };
}

const map = (value: unknown): Values =>
  typeof value === "object" && value !== null ? (value as Values) : {};

function leaked(ini: Values): string[] {
  return SENSITIVE_KEYS.flatMap((path) => {
    let current: unknown = ini;
    for (const key of path) {
      if (typeof current !== "object" || current === null || !(key in (current as Values))) return [];
      current = (current as Values)[key];
    }
    return EXPANSION.test(String(current)) ? [] : [path.join(".")];
  });
}

export function renderGrafana(
  release: Values,
  fullname = "grafana",
  releaseName = "kube-prometheus-stack",
): RenderedGrafana {
  const values = mergeValues(mergeValues(CHART_DEFAULTS, KPS_GRAFANA_DEFAULTS), release);
  const admin = map(values.admin);
  const env = map(values.env);
  const rbac = map(values.rbac);
  const sidecar = map(values.sidecar);
  const adminSecret = String(admin.existingSecret || fullname);
  const noAdminOverride =
    !env.GF_SECURITY_ADMIN_PASSWORD &&
    !env.GF_SECURITY_ADMIN_PASSWORD__FILE &&
    !env.GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION;
  const adminEnv: Record<string, { name: string; key: string }> = {};
  if (!env.GF_SECURITY_ADMIN_USER && !env.GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION)
    adminEnv.GF_SECURITY_ADMIN_USER = { name: adminSecret, key: String(admin.userKey || "admin-user") };
  if (noAdminOverride)
    adminEnv.GF_SECURITY_ADMIN_PASSWORD = {
      name: adminSecret,
      key: String(admin.passwordKey || "admin-password"),
    };
  const sidecars = (["dashboards", "datasources"] as const).filter((kind) => map(sidecar[kind]).enabled);
  const rbacKinds: RenderedGrafana["rbac"][number][] = [];
  if (rbac.create) {
    if (!rbac.namespaced || rbac.extraClusterRoleRules) rbacKinds.push("ClusterRole", "ClusterRoleBinding");
    if (rbac.namespaced) {
      if (!rbac.useExistingRole) rbacKinds.push("Role");
      rbacKinds.push("RoleBinding");
    }
  }
  return {
    values,
    leakedSecrets: values.assertNoLeakedSecrets ? leaked(map(values["grafana.ini"])) : [],
    chartAdminSecret: !admin.existingSecret && noAdminOverride,
    adminEnv,
    rbac: rbacKinds,
    ...(rbac.create && rbac.namespaced ? { roleRef: String(rbac.useExistingRole || fullname) } : {}),
    initContainers:
      map(values.persistence).enabled && map(values.initChownData).enabled ? ["init-chown-data"] : [],
    containers: [
      ...sidecars.map((kind) => ({
        name: `grafana-sc-${kind}`,
        resources: sidecar.resources,
        securityContext: sidecar.securityContext,
      })),
      { name: "grafana", resources: values.resources, securityContext: values.containerSecurityContext },
    ],
    ...workloadParts(values, fullname, releaseName),
  };
}
