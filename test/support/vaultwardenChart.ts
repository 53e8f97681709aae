/**
 * What the guerzon `vaultwarden` chart renders for storage and pod security from a release's values.
 * Written from the chart's source (github:guerzon/vaultwarden, charts/vaultwarden at the newest commit
 * the snapshot here holds, after v0.43.1; Fortress pins 0.44.0), not from Fortress's code:
 *
 * - `values.yaml`: `storage.existingVolumeClaim`, `storage.data`, `storage.attachments` default to `{}`;
 *   `podSecurityContext` and `securityContext` default to `{}`. There is no top-level `data` key.
 * - `templates/_helpers.tpl` (`vaultwarden.resourceType`): `resourceType` wins; otherwise a Deployment
 *   only with storage and an external database, else a StatefulSet.
 * - `templates/_pvcSpec.tpl`: one volumeClaimTemplate per `storage.data` / `storage.attachments`, named
 *   `.name`, `accessModes: [ .accessMode | quote ]` (no default: an unset one renders `""`), `.size`,
 *   `storageClassName` from `.class`, and `helm.sh/resource-policy: keep` with `.keepPvc`.
 * - `templates/_podSpec.tpl`: pod `securityContext` from `podSecurityContext`; the container mounts
 *   `storage.data.name` at `.path` (default `/data`) unless `storage.existingVolumeClaim` is set.
 * - `templates/configmap.yaml`: `DATA_FOLDER` from `storage.data.path` (default `/data`) when
 *   `storage.data` is set; without it Vaultwarden keeps its default, `/data`, on the container's layer.
 */
import { mergeValues } from "./keycloakxChart";

type Values = Record<string, unknown>;

const CHART_DEFAULTS: Values = {
  resourceType: "",
  storage: { existingVolumeClaim: {}, data: {}, attachments: {} },
  database: { type: "default" },
  podSecurityContext: {},
  securityContext: {},
};

export interface ClaimTemplate {
  readonly name: string;
  readonly accessModes: readonly string[];
  readonly storage: string;
  readonly storageClassName?: string;
  readonly keep: boolean;
}
export interface RenderedVaultwarden {
  readonly kind: "StatefulSet" | "Deployment";
  readonly volumeClaimTemplates: readonly ClaimTemplate[];
  readonly volumeMounts: readonly { readonly name: string; readonly mountPath: string }[];
  readonly podSecurityContext: Readonly<Record<string, unknown>>;
  readonly containerSecurityContext: Readonly<Record<string, unknown>>;
  /** The DATA_FOLDER the chart's ConfigMap sets, if any. */
  readonly dataFolder: string | undefined;
}

const nonEmpty = (value: unknown): value is Values =>
  typeof value === "object" && value !== null && Object.keys(value).length > 0;

function claim(spec: Values): ClaimTemplate {
  return {
    name: String(spec.name),
    accessModes: [spec.accessMode === undefined ? "" : String(spec.accessMode)],
    storage: String(spec.size),
    ...(spec.class ? { storageClassName: String(spec.class) } : {}),
    keep: Boolean(spec.keepPvc),
  };
}

export function renderVaultwarden(userValues: Values): RenderedVaultwarden {
  const values = mergeValues(CHART_DEFAULTS, userValues);
  const storage = values.storage as Values;
  const database = values.database as Values;
  const data = nonEmpty(storage.data) ? storage.data : undefined;
  const attachments = nonEmpty(storage.attachments) ? storage.attachments : undefined;
  const existing = nonEmpty(storage.existingVolumeClaim) ? storage.existingVolumeClaim : undefined;
  const kind = values.resourceType
    ? (String(values.resourceType) as RenderedVaultwarden["kind"])
    : (data || existing) && database.type !== "default"
      ? "Deployment"
      : "StatefulSet";
  const volumeMounts = existing
    ? [{ name: "vaultwarden-data", mountPath: String(existing.dataPath ?? "/data") }]
    : [
        ...(data ? [{ name: String(data.name), mountPath: String(data.path ?? "/data") }] : []),
        ...(attachments
          ? [{ name: String(attachments.name), mountPath: String(attachments.path ?? "/data/attachments") }]
          : []),
      ];
  return {
    kind,
    volumeClaimTemplates: [...(data ? [claim(data)] : []), ...(attachments ? [claim(attachments)] : [])],
    volumeMounts,
    podSecurityContext: (values.podSecurityContext as Values | undefined) ?? {},
    containerSecurityContext: (values.securityContext as Values | undefined) ?? {},
    dataFolder: data ? String(data.path ?? "/data") : undefined,
  };
}
