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
