/**
 * Loki's values against what grafana-community/loki 18.11.0's templates read (transcribed from
 * grafana-community/helm-charts@loki-18.11.0 charts/loki/templates/, each condition with its file):
 * no cache, canary, test, gateway or rules-sidecar pod renders, the release passes validate.yaml, the
 * single binary gets its claim, its limits and a non-root context, and retention follows the volume.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lokiRetentionDays, lokiValues, LOKI_CLAIM, LOKI_FILL_FRACTION } from "./lokiValues";

type Values = Record<string, unknown>;
const at = (values: Values, path: string): unknown =>
  path.split(".").reduce<unknown>((node, key) => (node as Values | undefined)?.[key], values);

/** The chart's defaults for the keys the conditions below read (charts/loki/values.yaml at the tag). */
const DEFAULTS: Values = {
  chunksCache: { enabled: true },
  resultsCache: { enabled: true },
  memcached: { enabled: true },
  lokiCanary: { enabled: true },
  test: { enabled: true },
  gateway: { enabled: true },
  sidecar: { rules: { enabled: true } },
  singleBinary: { replicas: 0, sidecar: true },
  read: { replicas: 0 },
  write: { replicas: 0 },
  backend: { replicas: 0 },
  rbac: { namespaced: false, useExistingRole: false },
  minio: { enabled: false },
  ignoreMinioDeprecation: false,
  loki: { schemaConfig: {}, useTestSchema: false, storage: { type: "s3" }, auth_enabled: true },
};

function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const old = out[key];
    const isMap = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);
    out[key] = isMap(old) && isMap(value) ? merge(old, value) : value;
  }
  return out;
}

/** Each pod (or cluster-wide object) the chart may add, with the condition its template renders it under. */
const OPTIONAL: Record<string, (v: Values) => boolean> = {
  // chunks-cache/statefulset.yaml → memcached/_memcached-statefulset.tpl: `and .enabled .Values.memcached.enabled`
  "chunks cache (memcached, allocatedMemory 8192 MiB)": (v) =>
    at(v, "chunksCache.enabled") === true && at(v, "memcached.enabled") === true,
  // results-cache/statefulset.yaml, same helper
  "results cache (memcached, allocatedMemory 1024 MiB)": (v) =>
    at(v, "resultsCache.enabled") === true && at(v, "memcached.enabled") === true,
  // memcached/serviceaccount.yaml: `or .Values.chunksCache.enabled .Values.memcached.enabled`
  "memcached service account": (v) =>
    at(v, "chunksCache.enabled") === true || at(v, "memcached.enabled") === true,
  // loki-canary/daemonset.yaml: `.Values.lokiCanary.enabled`
  "canary DaemonSet (a pod per node)": (v) => at(v, "lokiCanary.enabled") === true,
  // tests/test-canary.yaml: `and .Values.test.enabled .Values.lokiCanary.enabled`
  "helm test pod (loki-helm-test:latest)": (v) =>
    at(v, "test.enabled") === true && at(v, "lokiCanary.enabled") === true,
  // gateway/deployment.yaml: `.Values.gateway.enabled`
  "nginx gateway Deployment": (v) => at(v, "gateway.enabled") === true,
  // _pod.tpl: `and $component.sidecar .Values.sidecar.rules.enabled`
  "rules sidecar container (k8s-sidecar)": (v) =>
    at(v, "singleBinary.sidecar") === true && at(v, "sidecar.rules.enabled") === true,
  // backend/clusterrole.yaml: `and (not .Values.rbac.namespaced) (not .Values.rbac.useExistingRole)`
  ClusterRole: (v) => at(v, "rbac.namespaced") !== true && at(v, "rbac.useExistingRole") !== true,
};

/** validate.yaml's refusals that the values could meet. */
function validationFailures(v: Values): string[] {
  const failures: string[] = [];
  const filesystem = at(v, "loki.storage.type") === "filesystem";
  const mono = Number(at(v, "singleBinary.replicas") ?? 0);
  const scalable = ["read", "write", "backend"].some((t) => Number(at(v, `${t}.replicas`) ?? 0) > 0);
  if (at(v, "test.enabled") === true && at(v, "lokiCanary.enabled") !== true)
    failures.push("test without canary");
  if (at(v, "minio.enabled") === true && at(v, "ignoreMinioDeprecation") !== true)
    failures.push("minio deprecated");
  if (filesystem && mono > 1) failures.push("more than one monolithic replica on a filesystem");
  if (mono > 0 && scalable) failures.push("monolithic and simple scalable replicas");
  const schema = at(v, "loki.schemaConfig") as Values | undefined;
  if ((!schema || Object.keys(schema).length === 0) && at(v, "loki.useTestSchema") !== true)
    failures.push("no schema_config");
  return failures;
}

const spec = { volumeGi: 20, ingestGiPerDay: 0.5, maxRetentionDays: 30, storageClass: "local-path" };

describe("Loki's chart values", () => {
  const values = merge(DEFAULTS, lokiValues(spec) as Values);

  it("renders none of the chart's optional pods, which the defaults would turn on", () => {
    const defaultsOn = Object.entries(OPTIONAL).filter(([, renders]) => renders(DEFAULTS));
    assert.equal(defaultsOn.length, Object.keys(OPTIONAL).length, "each optional part is on by default");
    assert.deepEqual(
      Object.entries(OPTIONAL)
        .filter(([, renders]) => renders(values))
        .map(([what]) => what),
      [],
    );
  });

  it("passes validate.yaml, monolithic on the filesystem with one tenant", () => {
    assert.deepEqual(validationFailures(values), []);
    assert.deepEqual(validationFailures(DEFAULTS), ["no schema_config"]);
    assert.equal(at(values, "deploymentMode"), "Monolithic");
    assert.equal(at(values, "loki.storage.type"), "filesystem");
    assert.equal(at(values, "loki.auth_enabled"), false);
    assert.equal(at(values, "loki.commonConfig.replication_factor"), 1);
  });

  it("runs the pinned Loki non-root with limits on the claim Fortress protects", () => {
    assert.equal(at(values, "loki.image.tag"), "3.7.6");
    assert.equal(at(values, "loki.podSecurityContext.runAsNonRoot"), true);
    assert.equal(at(values, "loki.containerSecurityContext.allowPrivilegeEscalation"), false);
    assert.match(String(at(values, "singleBinary.resources.limits.memory")), /^\d+Mi$/);
    assert.equal(at(values, "singleBinary.persistence.size"), "20Gi");
    assert.equal(at(values, "singleBinary.persistence.enableStatefulSetAutoDeletePVC"), false);
    // _workload.tpl names the single binary's claim template `storage`; the StatefulSet is `loki`.
    assert.equal(LOKI_CLAIM, "storage-loki-0");
  });

  it("keeps what the volume holds, and the compactor deletes the rest", () => {
    assert.equal(lokiRetentionDays(spec), Math.min(30, Math.floor((20 * LOKI_FILL_FRACTION) / 0.5)));
    assert.equal(at(values, "loki.limits_config.retention_period"), `${lokiRetentionDays(spec) * 24}h`);
    assert.equal(at(values, "loki.compactor.retention_enabled"), true);
    assert.equal(at(values, "loki.compactor.delete_request_store"), "filesystem");
    assert.equal(lokiRetentionDays({ ...spec, volumeGi: 200 }), 30);
    assert.throws(() => lokiRetentionDays({ ...spec, volumeGi: 0.5 }), /cannot hold one day/);
  });
});
