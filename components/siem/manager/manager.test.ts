import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureRegistrations } from "../../../stacks/plan/capture";
import { isKnownDefaultCredential } from "../../../vocabulary/credentials";
import { COMPONENT_TYPES } from "../../../vocabulary/typeTokens";
import { FORTRESS_API_USER, MANAGER_BACKUP_PATHS, WAZUH_MANAGER_TYPE, WazuhManager } from "./manager";
import { METRICS_API_USER } from "./apiUsers";

const CANARY = {
  enrollment: "ENROLLMENT-CANARY-0001",
  indexer: "INDEXER-PASSWORD-CANARY-0002",
  wazuh: "Api-Wazuh-CANARY-0003",
  wui: "Api-Wui-CANARY-0004",
  fortress: "Api-Fortress-CANARY-0005",
  metrics: "Api-Metrics-CANARY-0009",
  key: "-----BEGIN EC PRIVATE KEY-----\nTLS-KEY-CANARY-0006\n-----END EC PRIVATE KEY-----\n",
  caKey: "-----BEGIN EC PRIVATE KEY-----\nCA-KEY-CANARY-0007\n-----END EC PRIVATE KEY-----\n",
  ssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nSSH-CANARY-0008\n-----END OPENSSH PRIVATE KEY-----\n",
};
const RESULTS: Record<string, string> = {
  "mgr-enrollment": CANARY.enrollment,
  "mgr-api-wazuh": CANARY.wazuh,
  "mgr-api-wazuh-wui": CANARY.wui,
  "mgr-api-fortress": CANARY.fortress,
  "mgr-api-metrics": CANARY.metrics,
};
const CERT = "-----BEGIN CERTIFICATE-----\nMANAGER-CERT\n-----END CERTIFICATE-----\n";
const CA_CERT = "-----BEGIN CERTIFICATE-----\nLAB-CA\n-----END CERTIFICATE-----\n";
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5manager-host-key";

type Inputs = Record<string, any>;
let resources: CapturedResource[] = [];
let manager: WazuhManager;
const seen = new Map<string, { stdin: string; stdinSecret: boolean; create: string; connection: Inputs }>();
const endpoint: Record<string, { value: unknown; secret: boolean }> = {};

const named = (suffix: string) => {
  const found = resources.find((resource) => resource.name === `mgr-${suffix}`);
  assert.ok(found, `no resource mgr-${suffix}`);
  return found;
};
const settle = <T>(output: pulumi.Output<T>) =>
  new Promise<{ value: T; secret: boolean }>((resolve) =>
    pulumi
      .all([output, pulumi.isSecret(output)])
      .apply(([value, secret]) => resolve({ value: value as T, secret })),
  );

describe("WazuhManager", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => ({
          id: `${mock.name}-id`,
          state: {
            ...mock.inputs,
            ...(RESULTS[mock.name] !== undefined ? { result: RESULTS[mock.name] } : {}),
            ...(mock.name === "mgr-tls-key" ? { privateKeyPem: CANARY.key } : {}),
            ...(mock.name === "mgr-tls-request" ? { certRequestPem: "CSR" } : {}),
            ...(mock.name === "mgr-tls-certificate" ? { certPem: CERT } : {}),
          },
        }),
        call: (mock) => mock.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    manager = new WazuhManager("mgr", {
      host: {
        name: "wazuh-manager-1",
        address: "10.0.20.30",
        fqdn: "wazuh-manager-1.lab.example",
        hostKey: HOST_KEY,
        user: "ops",
        privateKey: pulumi.secret(CANARY.ssh),
      },
      indexer: {
        url: pulumi.output("https://wazuh-indexer.lab.example:9200"),
        caCertificatePem: pulumi.output(CA_CERT),
        username: "wazuh-manager-filebeat",
        password: pulumi.secret(CANARY.indexer),
      },
      ca: { certificatePem: pulumi.output(CA_CERT), privateKeyPem: pulumi.secret(CANARY.caKey) },
      syslogSources: ["10.0.20.1"],
      dashboardGroups: { adminGroup: "fortress-admins", userGroup: "fortress-users" },
    });
    for (const command of [manager.install, manager.apiUsers]) {
      const [urn, stdin, create, connection] = await Promise.all([
        settle(command.urn),
        settle(command.stdin as pulumi.Output<string>),
        settle(command.create as pulumi.Output<string>),
        settle(command.connection as pulumi.Output<Inputs>),
      ]);
      seen.set(urn.value.split("::").pop() as string, {
        stdin: stdin.value,
        stdinSecret: stdin.secret,
        create: create.value,
        connection: connection.value,
      });
    }
    endpoint.dashboardApiPassword = await settle(manager.dashboardApiPassword);
    for (const key of [
      "address",
      "apiUrl",
      "apiPassword",
      "enrollmentPassword",
      "apiCaCertificatePem",
    ] as const)
      endpoint[key] = await settle(manager.endpoint[key]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("registers under its own token, with every resource its child", () => {
    assert.equal(WAZUH_MANAGER_TYPE, COMPONENT_TYPES.wazuhManager);
    const component = resources.find((resource) => resource.type === WAZUH_MANAGER_TYPE);
    assert.ok(component);
    const others = resources.filter((resource) => resource !== component);
    assert.ok(others.length >= 9);
    for (const resource of others) assert.equal(resource.parent, component.urn, resource.name);
  });

  it("installs over SSH pinned to the VM's host key, secrets only on stdin, nothing logged", () => {
    const install = seen.get("mgr-install");
    assert.ok(install);
    assert.equal(install.connection.hostKey, HOST_KEY);
    assert.equal(install.connection.host, "10.0.20.30");
    assert.ok(install.stdinSecret);
    assert.equal(install.stdin, `${CANARY.enrollment}\n${CANARY.indexer}\n${CANARY.key}`);
    for (const value of Object.values(CANARY))
      assert.ok(!install.create.includes(value.trim()), "a secret in the script");
    assert.match(install.create, /wazuh-manager=4\.14\.6-1 filebeat=7\.10\.2-2/);
    assert.match(install.create, /<allowed-ips>10\.0\.20\.1<\/allowed-ips>/);
    assert.match(install.create, /<host>https:\/\/wazuh-indexer\.lab\.example:9200<\/host>/);
    assert.match(install.create, /username: wazuh-manager-filebeat\n/);
    assert.ok(install.create.includes(CERT.trim()), "the certificate from the internal CA is placed");
    for (const name of ["install", "api-users"]) assert.equal((named(name).inputs as Inputs).logging, "none");
  });

  it("hands the API step its passwords as secret JSON on stdin, after the install", () => {
    const users = seen.get("mgr-api-users");
    assert.ok(users?.stdinSecret);
    assert.deepEqual(JSON.parse(users.stdin), {
      wazuh: CANARY.wazuh,
      wazuhWui: CANARY.wui,
      username: FORTRESS_API_USER,
      password: CANARY.fortress,
      accounts: { [METRICS_API_USER]: CANARY.metrics },
    });
    assert.match(seen.get("mgr-api-users")?.create ?? "", /^ACCOUNTS = \[\{"username":"fortress-metrics"/m);
    assert.ok(named("api-users").dependencies.includes(named("install").urn));
  });

  it("maps the dashboard's Keycloak groups to the API roles in the API step's program", () => {
    const create = seen.get("mgr-api-users")?.create ?? "";
    assert.match(
      create,
      /^RULES = .*"name":"fortress-sso-admin","role":"administrator","rule":\{"MATCH":\{"backend_roles":\["fortress-admins"\]\}\}/m,
    );
    assert.match(
      create,
      /"name":"fortress-sso-read","role":"readonly","rule":\{"MATCH":\{"backend_roles":\["fortress-users"\]\}\}/,
    );
  });

  it("keeps every secret out of the recorded inputs", () => {
    const recorded = JSON.stringify(resources);
    for (const value of Object.values(CANARY))
      assert.ok(!recorded.includes(value.trim()), `${value} is recorded`);
  });

  it("makes random passwords the API accepts, protects the admin password and the TLS key", () => {
    for (const name of ["api-wazuh", "api-wazuh-wui", "api-fortress", "api-metrics"]) {
      const inputs = named(name).inputs as Inputs;
      assert.ok(inputs.length >= 8 && inputs.length <= 64);
      for (const minimum of ["minUpper", "minLower", "minNumeric", "minSpecial"])
        assert.ok(inputs[minimum] >= 1, `${name} ${minimum}`);
    }
    assert.equal((named("enrollment").inputs as Inputs).length, 32);
    assert.ok(named("api-wazuh").protect);
    assert.ok(named("tls-key").protect);
    assert.ok(!named("api-fortress").protect);
  });

  it("has the internal CA sign a certificate for the manager's name and address", () => {
    const inputs = named("tls-request").inputs as Inputs;
    assert.deepEqual(inputs.dnsNames, ["wazuh-manager-1.lab.example", "localhost"]);
    assert.deepEqual(inputs.ipAddresses, ["10.0.20.30", "127.0.0.1"]);
    const signed = named("tls-certificate").inputs as Inputs;
    assert.equal(signed.caCertPem, CA_CERT);
    assert.ok(signed.allowedUses.includes("server_auth"));
  });

  it("exposes the endpoint agents and the endpoint layer use", () => {
    assert.deepEqual(endpoint.address, { value: "10.0.20.30", secret: false });
    assert.deepEqual(endpoint.apiUrl, { value: "https://wazuh-manager-1.lab.example:55000", secret: false });
    assert.deepEqual(endpoint.apiPassword, { value: CANARY.fortress, secret: true });
    assert.deepEqual(endpoint.enrollmentPassword, { value: CANARY.enrollment, secret: true });
    assert.equal(endpoint.apiCaCertificatePem?.value, CA_CERT);
    assert.deepEqual(endpoint.dashboardApiPassword, { value: CANARY.wui, secret: true });
    assert.equal(manager.endpoint.apiUsername, FORTRESS_API_USER);
    assert.ok(!isKnownDefaultCredential(manager.endpoint.apiUsername));
    assert.deepEqual(manager.endpoint.ready, [manager.install, manager.apiUsers]);
    assert.ok(
      MANAGER_BACKUP_PATHS.includes("/var/ossec/etc") && MANAGER_BACKUP_PATHS.includes("/var/ossec/queue/db"),
    );
  });
});
