/**
 * Grafana's values against what the grafana chart and kube-prometheus-stack render from them
 * (test/support/grafanaChart.ts, written from their templates): no secret in grafana.ini or the
 * data sources' ConfigMap, the admin account from Fortress's Secret, RBAC on ConfigMaps only, every
 * container non-root with limits, and the login through the identity layer's `grafana` client.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderGrafana } from "../../../test/support/grafanaChart";
import { KNOWN_DEFAULT_CREDENTIALS } from "../../../vocabulary/credentials";
import { unplainValues } from "../../kubernetes/helmRelease";
import { ADMIN_GROUP, PKCE_S256, redirectUris } from "../../identity/realm";
import { DATASOURCE_UIDS } from "../contract";
import {
  ADMIN_USER,
  CA_FILE,
  GRAFANA_SECRETS,
  type GrafanaValuesArgs,
  grafanaValues,
  INDEXER_PASSWORD_ENV,
  SIDECAR_ROLE,
} from "./values";

const ARGS: GrafanaValuesArgs = {
  hostname: "grafana.home.arpa",
  tlsSecret: "grafana-tls",
  oidc: { issuerUrl: "https://keycloak.home.arpa/realms/fortress", clientId: "grafana" },
  indexer: { url: "https://wazuh-indexer.fortress-siem.svc:9200", username: "fortress-grafana" },
  loki: { url: "http://loki.fortress-monitoring.svc:3100" },
};
type Json = Record<string, unknown>;
const values = grafanaValues(ARGS);
const rendered = renderGrafana(values as Json);
const ini = values["grafana.ini"] as Json;
const oauth = ini["auth.generic_oauth"] as Json;

describe("Grafana's values", () => {
  it("are plain data the chart renders at preview", () => {
    assert.deepEqual(unplainValues(values), []);
  });

  it("put no secret in grafana.ini: the chart's own check passes, and fails on a client secret written in", () => {
    assert.deepEqual(rendered.leakedSecrets, []);
    assert.equal(oauth.client_secret, undefined);
    const leaky = renderGrafana({
      ...values,
      "grafana.ini": { ...ini, "auth.generic_oauth": { ...oauth, client_secret: "s3cret" } },
    } as Json);
    assert.deepEqual(leaky.leakedSecrets, ["auth.generic_oauth.client_secret"]);
    const expanded = renderGrafana({
      ...values,
      "grafana.ini": { ...ini, "auth.generic_oauth": { ...oauth, client_secret: "$__env{X}" } },
    } as Json);
    assert.deepEqual(expanded.leakedSecrets, []);
  });

  it("take the admin account from Fortress's Secret, so the chart writes no admin Secret of its own", () => {
    assert.equal(rendered.chartAdminSecret, false);
    const { admin } = GRAFANA_SECRETS;
    assert.deepEqual(rendered.adminEnv, {
      GF_SECURITY_ADMIN_USER: { name: admin.name, key: admin.userKey },
      GF_SECURITY_ADMIN_PASSWORD: { name: admin.name, key: admin.passwordKey },
    });
    assert.ok(!KNOWN_DEFAULT_CREDENTIALS.includes(ADMIN_USER as never));
    assert.equal(renderGrafana({}).chartAdminSecret, true, "without it the chart would make one");
  });

  it("read the OAuth client secret and the indexer password from Secrets through the environment", () => {
    assert.deepEqual(values.envValueFrom, {
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: {
        secretKeyRef: { name: GRAFANA_SECRETS.oauth.name, key: GRAFANA_SECRETS.oauth.key },
      },
      [INDEXER_PASSWORD_ENV]: {
        secretKeyRef: { name: GRAFANA_SECRETS.indexer.name, key: GRAFANA_SECRETS.indexer.key },
      },
    });
  });

  it("give the sidecars a Role on ConfigMaps in their namespace only, no ClusterRole", () => {
    assert.deepEqual(rendered.rbac, ["RoleBinding"]);
    assert.equal(rendered.roleRef, SIDECAR_ROLE);
    const sidecar = rendered.values.sidecar as Json;
    for (const kind of ["dashboards", "datasources"]) {
      assert.equal((sidecar[kind] as Json).searchNamespace, undefined, kind);
      assert.equal((sidecar[kind] as Json).resource, "configmap", kind);
    }
    assert.deepEqual(
      renderGrafana({}).rbac,
      ["ClusterRole", "ClusterRoleBinding"],
      "the chart's default reads every namespace",
    );
  });

  it("run every container non-root with limits, and no root init container", () => {
    assert.deepEqual(rendered.initContainers, []);
    assert.deepEqual(
      rendered.containers.map((container) => container.name),
      ["grafana-sc-dashboards", "grafana-sc-datasources", "grafana"],
    );
    for (const container of rendered.containers) {
      const security = container.securityContext as Json;
      assert.equal(security.runAsNonRoot, true, container.name);
      assert.equal(security.allowPrivilegeEscalation, false, container.name);
      assert.deepEqual(security.capabilities, { drop: ["ALL"] }, container.name);
      const limits = (container.resources as Json).limits as Json;
      assert.ok(limits.cpu && limits.memory, container.name);
    }
    assert.equal((values.image as Json).tag, "13.2.0");
  });

  it("sign in through the identity layer's grafana client: its callback, PKCE, admins by group", () => {
    const root = String((ini.server as Json).root_url);
    assert.deepEqual(redirectUris("grafana", `https://${ARGS.hostname}`), [`${root}login/generic_oauth`]);
    assert.equal(oauth.use_pkce, PKCE_S256.grafana);
    assert.equal(oauth.role_attribute_path, `contains(groups[*], '${ADMIN_GROUP}') && 'Admin' || 'Viewer'`);
    for (const key of ["auth_url", "token_url", "api_url"])
      assert.ok(String(oauth[key]).startsWith(`${ARGS.oidc?.issuerUrl}/protocol/openid-connect/`), key);
    assert.equal(oauth.tls_client_ca, CA_FILE);
    assert.equal(oauth.tls_skip_verify_insecure, false);
    assert.equal((ini["auth.anonymous"] as Json).enabled, false);
    assert.throws(
      () => grafanaValues({ ...ARGS, oidc: { issuerUrl: "http://kc/realms/x", clientId: "grafana" } }),
      /no Keycloak realm/,
    );
    const local = grafanaValues({ ...ARGS, oidc: undefined });
    assert.equal((local["grafana.ini"] as Json)["auth.generic_oauth"], undefined);
    assert.equal((local.envValueFrom as Json).GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET, undefined);
  });

  it("provision the four data sources by the contract's uids, with no password in the ConfigMap", () => {
    const sidecar = values.sidecar as Json;
    const datasources = sidecar.datasources as Json;
    assert.equal(datasources.uid, DATASOURCE_UIDS.prometheus);
    assert.equal((datasources.alertmanager as Json).uid, DATASOURCE_UIDS.alertmanager);
    const extra = values.additionalDataSources as Json[];
    assert.deepEqual(
      extra.map((source) => source.uid),
      [DATASOURCE_UIDS.loki, DATASOURCE_UIDS.alerts],
    );
    const alerts = extra[1];
    assert.equal(alerts.basicAuthUser, "fortress-grafana");
    assert.deepEqual(alerts.secureJsonData, {
      basicAuthPassword: `$__env{${INDEXER_PASSWORD_ENV}}`,
      tlsCACert: `$__file{${CA_FILE}}`,
    });
    // kube-prometheus-stack passes them through `tpl`: nothing in them may look like a template.
    assert.ok(!JSON.stringify(extra).includes("{{"));
    assert.deepEqual(values.plugins, ["grafana-opensearch-datasource@2.34.2"]);
    assert.throws(
      () => grafanaValues({ ...ARGS, indexer: { url: "http://x:9200", username: "u" } }),
      /not https/,
    );
  });

  it("keep provisioned dashboards read-only", () => {
    const dashboards = (values.sidecar as Json).dashboards as Json;
    assert.deepEqual(dashboards.provider, { allowUiUpdates: false, disableDelete: false });
    assert.equal(dashboards.label, "grafana_dashboard");
    assert.equal(dashboards.labelValue, "1");
    assert.equal(values.defaultDashboardsEditable, false);
  });
});

describe("Grafana's values with replicas", () => {
  const database = {
    host: "grafana-postgres.fortress-monitoring.svc:5432",
    name: "grafana",
    user: "grafana",
  };
  const ha = grafanaValues({ ...ARGS, ha: { replicas: 2, resilience: true, database } });
  const haRendered = renderGrafana(ha as Json);
  const haIni = ha["grafana.ini"] as Json;

  it("one pod keeps SQLite, no peers, no budget, no headless Service (home's values)", () => {
    assert.equal((values["grafana.ini"] as Json).database, undefined);
    assert.equal((values["grafana.ini"] as Json).unified_alerting, undefined);
    assert.equal(rendered.workload.replicas, 1);
    assert.equal(rendered.headlessService, undefined);
    assert.equal(rendered.podDisruptionBudget, undefined);
    assert.equal(rendered.workload.affinity, undefined);
    assert.equal("GF_DATABASE_PASSWORD" in rendered.env, false);
  });

  it("share a PostgreSQL whose password only the env carries, and one secret_key from a Secret", () => {
    assert.deepEqual(haIni.database, { type: "postgres", ...database, ssl_mode: "disable" });
    assert.deepEqual(haRendered.leakedSecrets, []);
    assert.equal(haRendered.env.GF_DATABASE_PASSWORD !== undefined, true);
    assert.deepEqual(haRendered.env.GF_DATABASE_PASSWORD, {
      secretKeyRef: { name: GRAFANA_SECRETS.database.name, key: GRAFANA_SECRETS.database.key },
    });
    assert.deepEqual(haRendered.env.GF_SECURITY_SECRET_KEY, {
      secretKeyRef: { name: GRAFANA_SECRETS.secretKey.name, key: GRAFANA_SECRETS.secretKey.key },
    });
    // A password written into grafana.ini instead is what the chart's check refuses.
    const leaky = renderGrafana({ ...ha, "grafana.ini": { ...haIni, database: { password: "x" } } });
    assert.deepEqual(leaky.leakedSecrets, ["database.password"]);
    assert.equal(haRendered.workload.kind, "Deployment", "persistence stays off: no StatefulSet");
    assert.equal((ha.persistence as Json).enabled, false);
  });

  it("gossip their alerting state through the chart's headless Service on the pods' 9094", () => {
    const alerting = haIni.unified_alerting as Json;
    const [host, port] = String(alerting.ha_peers).split(":");
    assert.equal(host, haRendered.headlessService?.name);
    assert.equal(Number(port), haRendered.headlessService?.ports[0]?.port);
    assert.deepEqual(haRendered.headlessService?.selector, haRendered.workload.podLabels);
    const target = haRendered.headlessService?.ports[0]?.targetPort;
    assert.deepEqual(
      haRendered.ports.find((entry) => entry.name === target),
      { name: target, containerPort: Number(port), protocol: "TCP" },
    );
    // Each pod listens and advertises on its own IP, the POD_IP the chart gives every pod.
    assert.equal(alerting.ha_listen_address, "${POD_IP}:9094");
    assert.equal(alerting.ha_advertise_address, "${POD_IP}:9094");
    assert.ok("POD_IP" in haRendered.env);
  });

  it("run two pods a budget drains one at a time, on distinct nodes", () => {
    assert.equal(haRendered.workload.replicas, 2);
    assert.deepEqual(haRendered.podDisruptionBudget, {
      maxUnavailable: 1,
      selector: { matchLabels: haRendered.workload.podLabels },
    });
    const affinity = haRendered.workload.affinity as Json;
    const [term] = (affinity.podAntiAffinity as Json)
      .requiredDuringSchedulingIgnoredDuringExecution as Json[];
    assert.equal(term?.topologyKey, "kubernetes.io/hostname");
    const wanted = (term?.labelSelector as Json).matchLabels as Record<string, string>;
    for (const [key, value] of Object.entries(wanted))
      assert.equal(haRendered.workload.podLabels[key], value);
    assert.throws(
      () => grafanaValues({ ...ARGS, ha: { replicas: 1, resilience: true, database } }),
      /2 or more/,
    );
  });
});
