import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../../policies/lib/offline";
import { POLICIES } from "../../policies/registry";
import { type CapturedResource, captureRegistrations } from "../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { exactChartVersion } from "../../vocabulary/versions";
import { jobsVolume } from "./cortex";
import {
  CATALOG_BUDGET_GB,
  MEMORY_MIB,
  HEAP_MIB,
  NEURON_MEMORY_MIB,
  NEURON_PARALLELISM,
  RESPONSE_PINS,
  VENDOR_DEFAULT_SECRETS,
  mibToGb,
} from "./pins";
import { Response, type ResponseArgs } from "./response";
import { theHiveConfig, theHiveValues, cortexValues, RESPONSE_SECRETS } from "./values";

const args: ResponseArgs = {
  namespace: "fortress-response",
  clusterIssuer: "fortress-ca",
  caCertificatePem: "-----BEGIN CERTIFICATE-----\nfortress-test-ca\n-----END CERTIFICATE-----\n",
  ingressClassName: "traefik",
  ingressNamespace: "kube-system",
  storageClasses: { default: "fortress-local", rwx: "fortress-rwx" },
  hostnames: { thehive: "thehive.lab.example", cortex: "cortex.lab.example" },
  indexer: {
    host: "wazuh-indexer.fortress-siem.svc",
    port: 9200,
    thehive: { username: "fortress-thehive", password: pulumi.secret("indexer-password-of-thehive") },
    cortex: { username: "fortress-cortex", password: pulumi.secret("indexer-password-of-cortex") },
  },
  theHive: true,
  cortex: true,
};

/** The manager's SSH host (pinned key), for the lab that contains without TheHive. */
const MANAGER = {
  name: "wazuh-manager",
  fqdn: "wazuh-manager.lab.example",
  address: "10.10.20.64",
  user: "fortress",
  privateKey: pulumi.secret(
    "-----BEGIN OPENSSH PRIVATE KEY-----\nmanager\n-----END OPENSSH PRIVATE KEY-----\n",
  ),
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFortressManagerHostKeyForTheTest00000000000",
};

const fakeRandom = (name: string) => createHash("sha256").update(name).digest("base64url").slice(0, 40);
const resolve = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((done) => output.apply((value) => done(value)));

let resources: CapturedResource[] = [];
const raw = new Map<string, Record<string, any>>();
let response: Response;
let withoutCortex: Response;
let wired: Response;
let containedOnly: Response;
const MISP_KEY = "misp-integration-key-0123456789";
const CONTAIN_SECRET = "opnsense-contain-secret-0123456789";

const unwrap = (value: any) =>
  value && typeof value === "object" && "value" in value && Object.keys(value).length <= 2
    ? value.value
    : value;
const inputsOf = (name: string) => {
  const inputs = raw.get(name);
  assert.ok(inputs, `no inputs for ${name}`);
  return inputs;
};
const ofType = (prefix: string, type: string) =>
  resources.filter((resource) => resource.name.startsWith(prefix) && resource.type === type);

describe("Response (TheHive and Cortex)", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => (
          raw.set(mock.name, mock.inputs),
          {
            id: `${mock.name}-id`,
            state: {
              ...mock.inputs,
              ...(mock.type === "random:index/randomPassword:RandomPassword"
                ? { result: fakeRandom(mock.name) }
                : {}),
            },
          }
        ),
        call: (mock) => mock.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    const kubernetes = new k8s.Provider("k8s", {
      kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n"),
    });
    response = new Response("response", args, { providers: { kubernetes } });
    withoutCortex = new Response("solo", { ...args, cortex: false }, { providers: { kubernetes } });
    wired = new Response(
      "wired",
      {
        ...args,
        misp: {
          url: "https://misp.lab.example",
          key: pulumi.secret(MISP_KEY),
          caCertificatePem: args.caCertificatePem,
          endpoint: { ip: "10.10.20.70", port: 443 },
        },
        containment: {
          configJson: pulumi.secret(
            JSON.stringify({ url: "https://10.10.10.1", key: "k", secret: CONTAIN_SECRET }),
          ),
          caCertificatePem: args.caCertificatePem,
          firewallApi: { ip: "10.10.10.1", port: 443 },
          syslog: { ip: "10.10.20.64", port: 514, protocol: "UDP" },
        },
      },
      { providers: { kubernetes } },
    );
    // The minimal profile's response layer: no TheHive, no Cortex, no MISP; the manager contains alone.
    containedOnly = new Response(
      "contained",
      {
        ...args,
        theHive: false,
        cortex: false,
        manager: MANAGER,
        managerContainment: {
          manager: MANAGER,
          config: {
            url: "https://10.10.10.1",
            key: pulumi.secret("fortress-contain"),
            secret: pulumi.secret(CONTAIN_SECRET),
            allow: [{ cidr: "10.10.10.0/24", why: "the management network" }],
            internal: ["10.10.40.0/24"],
            releaseAfter: 86400,
          },
        },
      },
      { providers: { kubernetes } },
    );
    await resolve(
      pulumi.all([
        response.urn,
        withoutCortex.urn,
        wired.urn,
        containedOnly.urn,
        response.accounts!.admin.password,
      ]),
    );
    await pulumi.runtime.disconnect();
  });

  it("is one fortress:response:Response holding TheHive and Cortex, and Cortex only when the lab runs it", () => {
    const types = new Map(resources.map((resource) => [resource.name, resource.type]));
    assert.equal(types.get("response"), COMPONENT_TYPES.response);
    assert.equal(types.get("response-thehive"), COMPONENT_TYPES.theHive);
    assert.equal(types.get("response-cortex"), COMPONENT_TYPES.cortex);
    assert.equal(types.get("solo-cortex"), undefined);
    assert.equal(withoutCortex.cortexUrl, undefined);
    assert.equal(response.theHiveUrl, "https://thehive.lab.example");
    assert.equal(response.cortexUrl, "https://cortex.lab.example");
  });

  it("pins both charts to one release each from StrangeBee's repository", () => {
    for (const [name, pin] of [
      ["response-thehive-chart", RESPONSE_PINS.theHiveChart],
      ["response-cortex-chart", RESPONSE_PINS.cortexChart],
    ] as const) {
      const inputs = inputsOf(name);
      assert.equal(inputs.chart, pin.chart);
      assert.equal(inputs.version, pin.version);
      assert.ok(exactChartVersion(inputs.version));
      assert.equal(inputs.repositoryOpts.repo, "https://strangebeecorp.github.io/helm-charts");
    }
    assert.equal(RESPONSE_PINS.theHiveChart.version, "1.0.5");
    assert.equal(RESPONSE_PINS.cortexChart.version, "1.2.0");
  });

  it("leaves no vendor default secret anywhere it renders, and hands every secret through Fortress's Secrets", () => {
    const everything = JSON.stringify([...raw.values()]);
    for (const vendorDefault of VENDOR_DEFAULT_SECRETS)
      assert.ok(!everything.includes(vendorDefault), vendorDefault);
    const hive = inputsOf("response-thehive-chart").values.thehive;
    for (const part of [hive, hive.database, hive.index, hive.storage])
      assert.equal(
        part.k8sSecretName,
        RESPONSE_SECRETS.theHive.name,
        "so the chart writes no Secret of its own",
      );
    assert.equal(
      inputsOf("response-thehive-chart").values.cassandra.dbUser.existingSecret,
      RESPONSE_SECRETS.theHive.name,
    );
    const cortex = inputsOf("response-cortex-chart").values.cortex;
    assert.equal(cortex.k8sSecretName, RESPONSE_SECRETS.cortex.name);
    assert.equal(cortex.index.k8sSecretName, RESPONSE_SECRETS.cortex.name);
    const secret = unwrap(inputsOf("response-thehive-secrets").stringData);
    assert.equal(unwrap(secret["http-secret"]), fakeRandom("response-thehive-http-secret"));
    assert.equal(unwrap(secret["cassandra-password"]), fakeRandom("response-thehive-cassandra-password"));
    assert.equal(unwrap(secret["index-password"]), "indexer-password-of-thehive");
  });

  it("puts TheHive's and Cortex's indices on the shared indexer with their own users, over TLS with the lab's CA", () => {
    const hive = inputsOf("response-thehive-chart").values;
    assert.equal(hive.elasticsearch.enabled, false);
    assert.equal(hive.minio.enabled, false);
    assert.deepEqual(hive.thehive.index.hostnames, ["wazuh-indexer.fortress-siem.svc"]);
    assert.equal(hive.thehive.index.username, "fortress-thehive");
    assert.match(hive.thehive.configFile, /ssl\.enabled = true/);
    assert.match(hive.thehive.configFile, /http\.auth\.basic\.password = \$\{\?TH_ELASTICSEARCH_PASSWORD\}/);
    const cortex = inputsOf("response-cortex-chart").values;
    assert.equal(cortex.elasticsearch.enabled, false);
    assert.equal(cortex.cortex.index.uri, "https://wazuh-indexer.fortress-siem.svc:9200");
    assert.match(cortex.cortex.configFile, /trustStore \{/);
    // Cortex builds its TLS context only under search.keyStore.path (elastic4play DBConfiguration.scala).
    assert.match(cortex.cortex.configFile, /keyStore \{\n\s+path = "[^"]+truststore[^"]*"/);
    assert.match(cortex.cortex.configFile, /^auth\.method\.basic = true$/m);
    for (const id of ["thehive", "cortex"]) {
      const certificate = inputsOf(`response-${id}-certificate`);
      assert.deepEqual(certificate.spec.keystores.jks.passwordSecretRef, {
        name: `${id}-secrets`,
        key: "truststore-password",
      });
      assert.equal(certificate.spec.issuerRef.name, "fortress-ca");
    }
    assert.ok(!JSON.stringify([hive, cortex]).includes("indexer-password"), "no password in chart values");
  });

  it("configures TheHive for local accounts only: no OAuth2 or SAML provider", () => {
    const conf = theHiveConfig({
      storageClass: "x",
      indexer: { host: "h", port: 9200, username: "u" },
      truststoreSecret: "t",
      filesClaim: "f",
    });
    assert.doesNotMatch(conf, /oauth2|saml|ad\b|ldap/i);
    assert.match(conf, /\{ name = local \}/);
  });

  it("puts Cortex's job directory on the ReadWriteMany class, or on the local class as ReadWriteOnce without one", () => {
    const cortex = inputsOf("response-cortex-chart").values.cortex;
    assert.deepEqual(cortex.persistentVolumeClaim, { create: false });
    const claim = inputsOf("response-cortex-jobs");
    assert.equal(claim.metadata.name, "cortex-shared-fs-claim", "the chart's default claim name");
    assert.deepEqual(claim.spec.accessModes, ["ReadWriteMany"]);
    assert.equal(claim.spec.storageClassName, "fortress-rwx");
    assert.deepEqual(jobsVolume({ rwx: undefined, local: "fortress-local" }), {
      storageClassName: "fortress-local",
      accessMode: "ReadWriteOnce",
    });
    assert.deepEqual(jobsVolume({ rwx: "fortress-rwx", local: "fortress-local" }), {
      storageClassName: "fortress-rwx",
      accessMode: "ReadWriteMany",
    });
    // Root, for the published neuron images (values.ts NEURON_POD_SECURITY); the namespace is baseline.
    assert.deepEqual(cortex.k8sJobs.securityContext, { runAsNonRoot: false });
  });

  it("fits the catalog's budgets: thehive 6 GB (TheHive and Cassandra), cortex 4 GB (Cortex and its neuron Jobs), heaps at most half", () => {
    assert.ok(mibToGb(MEMORY_MIB.thehive + MEMORY_MIB.cassandra) <= CATALOG_BUDGET_GB.thehive);
    const neurons = (NEURON_PARALLELISM.analyzers + NEURON_PARALLELISM.responders) * NEURON_MEMORY_MIB;
    assert.ok(mibToGb(MEMORY_MIB.cortex + neurons) <= CATALOG_BUDGET_GB.cortex);
    for (const part of ["thehive", "cassandra", "cortex"] as const)
      assert.ok(HEAP_MIB[part] * 2 <= MEMORY_MIB[part], part);
    const values = [
      theHiveValues({
        storageClass: "s",
        indexer: { host: "h", port: 1, username: "u" },
        truststoreSecret: "t",
        filesClaim: "f",
      }),
      cortexValues({
        indexer: { host: "h", port: 1, username: "u" },
        truststoreSecret: "t",
        catalogConfigMap: "c",
      }),
    ] as any[];
    // Cortex 4.1.0's neuron pools are thread-pool executors (reference.conf): their size is the cap.
    assert.match(
      values[1].cortex.configFile,
      /analyzer \{[^}]*thread-pool-executor \{ fixed-pool-size = 2 \}/,
    );
    assert.match(
      values[1].cortex.configFile,
      /responder \{[^}]*thread-pool-executor \{ fixed-pool-size = 1 \}/,
    );
    assert.doesNotMatch(values[1].cortex.configFile, /fork-join-executor/);
    assert.equal(values[0].thehive.resources.limits.memory, `${MEMORY_MIB.thehive}Mi`);
    assert.equal(values[0].cassandra.resources.limits.memory, `${MEMORY_MIB.cassandra}Mi`);
    assert.equal(values[1].cortex.resources.limits.memory, `${MEMORY_MIB.cortex}Mi`);
  });

  it("runs every chart container non-root, with the init containers that have no securityContext off", () => {
    const hive = inputsOf("response-thehive-chart").values;
    assert.equal(hive.thehive.podSecurityContext.runAsNonRoot, true);
    assert.ok(hive.thehive.securityContext.runAsUser > 0);
    assert.equal(hive.thehive.initContainers.checkCassandra.enabled, false);
    assert.equal(hive.thehive.initContainers.checkElasticsearch.enabled, false);
    assert.equal(hive.cassandra.containerSecurityContext.runAsNonRoot, true);
    assert.equal(hive.cassandra.volumePermissions.enabled, false);
    const cortex = inputsOf("response-cortex-chart").values.cortex;
    assert.equal(cortex.initContainers.checkElasticsearch.enabled, false);
    assert.equal(cortex.securityContext.allowPrivilegeEscalation, false);
  });

  it("lets the accounts Job read and patch only the key Secrets, and keeps the passwords secret outputs", async () => {
    const role = inputsOf("response-thehive-accounts-role");
    assert.deepEqual(role.rules, [
      {
        apiGroups: [""],
        resources: ["secrets"],
        resourceNames: ["thehive-key-wazuh"],
        verbs: ["get", "patch"],
      },
    ]);
    const job = inputsOf("response-thehive-accounts");
    assert.equal(
      job.spec.template.spec.containers[0].env,
      undefined,
      "passwords are mounted files, never env or argv",
    );
    assert.deepEqual(job.spec.template.spec.containers[0].command, [
      "python3",
      "/script/thehive-accounts.py",
    ]);
    assert.ok(
      !JSON.stringify(job).includes(fakeRandom("response-thehive-admin-password")),
      "no password in the Job",
    );
    assert.equal(await pulumi.isSecret(response.accounts!.admin.password), true);
    assert.equal(await pulumi.isSecret(response.accounts!.analyst.password), true);
    assert.equal(response.accounts!.admin.login, "admin@thehive.local");
  });

  it("opens TheHive to the ingress and the accounts Job, Cassandra to TheHive only, Cortex to the ingress and TheHive", () => {
    const policies = ofType("response", "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) =>
      inputsOf(p.name),
    );
    const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]));
    assert.deepEqual(byName["thehive-cassandra-ingress"].ingress, [
      {
        from: [
          {
            podSelector: {
              matchLabels: { "app.kubernetes.io/name": "thehive", "app.kubernetes.io/instance": "thehive" },
            },
          },
        ],
        ports: [{ port: 9042, protocol: "TCP" }],
      },
    ]);
    assert.equal(byName["thehive-ingress"].ingress.length, 2);
    assert.deepEqual(byName["cortex-ingress"].ingress[0].ports, [{ port: 9001, protocol: "TCP" }]);
  });

  it("connects TheHive to Cortex with one generated key, set in Cortex by its accounts Job before TheHive starts", async () => {
    const key = fakeRandom("response-cortex-thehive-key");
    assert.equal(unwrap(inputsOf("response-thehive-secrets").stringData)["cortex-api-keys"], key);
    assert.equal(unwrap(inputsOf("response-cortex-accounts-secret").stringData)["thehive-key"], key);
    const cortex = inputsOf("response-thehive-chart").values.thehive.cortex;
    assert.deepEqual(
      {
        enabled: cortex.enabled,
        hostnames: cortex.hostnames,
        port: cortex.port,
        secret: cortex.k8sSecretName,
      },
      { enabled: true, hostnames: ["cortex"], port: 9001, secret: "thehive-secrets" },
    );
    const chart = resources.find((resource) => resource.name === "response-thehive-chart");
    const job = resources.find((resource) => resource.name === "response-cortex-accounts");
    assert.ok(chart && job);
    assert.ok(chart.dependencies.includes(job.urn), "TheHive waits for Cortex's accounts");
    assert.equal(inputsOf("solo-thehive-chart").values.thehive.cortex.enabled, false);
    const cortexJob = inputsOf("response-cortex-accounts").spec.template.spec;
    assert.equal(
      cortexJob.automountServiceAccountToken,
      false,
      "Cortex's accounts Job needs no Kubernetes API",
    );
    assert.equal(await pulumi.isSecret(response.accounts!.cortexAdmin!.password), true);
    assert.ok(
      !JSON.stringify(inputsOf("response-cortex-chart")).includes(key),
      "the key is in no chart value",
    );
  });

  it("hands the manager the integration: the TheHive alert URL behind the ingress, the script, the key's Secret and the CA", () => {
    const bridge = response.wazuhBridge!;
    assert.deepEqual(
      bridge.integrations.map((block) => block.hookUrl),
      ["https://thehive.lab.example/api/v1/alert", "https://thehive.lab.example/api/v1/alert"],
    );
    assert.deepEqual(
      bridge.integrations.map((block) => [block.level, block.ruleIds]),
      [
        [10, undefined],
        [undefined, [52502]],
      ],
    );
    assert.deepEqual(bridge.keySecret, {
      namespace: "fortress-response",
      name: "thehive-key-wazuh",
      key: "api-key",
    });
    assert.match(bridge.script, /^#!\/var\/ossec\/framework\/python\/bin\/python3/);
    assert.equal(bridge.ready.length, 1);
  });

  it("reads Cortex's neurons from Fortress's pinned catalogs, not StrangeBee's floating one", () => {
    const cortex = inputsOf("response-cortex-chart").values.cortex;
    assert.match(cortex.configFile, /urls = \["\/opt\/fortress\/neurons\/catalog\/analyzers\.json"\]/);
    assert.match(cortex.configFile, /urls = \["\/opt\/fortress\/neurons\/catalog\/responders\.json"\]/);
    assert.doesNotMatch(cortex.configFile, /catalogs\.download\.strangebee\.com/);
    const catalog = inputsOf("response-cortex-neuron-catalog").data;
    assert.equal(JSON.parse(catalog["analyzers.json"])[0].dockerImage, "ghcr.io/thehive-project/misp:2.1");
    assert.deepEqual(JSON.parse(catalog["responders.json"]), [], "no responder without containment");
    assert.equal(response.cortex?.neuronsJob, undefined, "no neurons Job without MISP or containment");
  });

  it("connects TheHive to MISP (the connector, the key from the environment, MISP's CA) and opens TheHive to MISP's VM only", () => {
    const thehive = inputsOf("wired-thehive-chart").values.thehive;
    assert.match(
      thehive.configFile,
      /scalligraph\.modules \+= org\.thp\.thehive\.connector\.misp\.MispModule/,
    );
    assert.match(thehive.configFile, /url = "https:\/\/misp\.lab\.example"/);
    assert.match(thehive.configFile, /auth \{ type = key, key = \$\{\?MISP_KEY\} \}/);
    assert.match(thehive.configFile, /purpose = ImportOnly/);
    assert.match(
      thehive.configFile,
      /trustManager\.stores = \[\{ type = "PEM", path = "\/etc\/fortress\/misp\/ca\.pem" \}\]/,
    );
    assert.deepEqual(thehive.extraEnv.find((env: any) => env.name === "MISP_KEY").valueFrom.secretKeyRef, {
      name: "thehive-secrets",
      key: "misp-key",
    });
    assert.equal(unwrap(inputsOf("wired-thehive-secrets").stringData)["misp-key"], MISP_KEY);
    assert.ok(
      !JSON.stringify(inputsOf("wired-thehive-chart")).includes(MISP_KEY),
      "the key is in no chart value",
    );
    const egress = ofType("wired", "kubernetes:networking.k8s.io/v1:NetworkPolicy")
      .map((p) => inputsOf(p.name))
      .find((p) => p.metadata.name === "thehive-egress")!.spec.egress;
    assert.deepEqual(egress.at(-1), {
      to: [{ ipBlock: { cidr: "10.10.20.70/32" } }],
      ports: [{ port: 443, protocol: "TCP" }],
    });
    assert.doesNotMatch(inputsOf("response-thehive-chart").values.thehive.configFile, /misp/i);
  });

  it("enables the MISP analyzer and the responder by a Job after Cortex's accounts, the key in a Secret only", async () => {
    const job = resources.find((resource) => resource.name === "wired-cortex-neurons");
    const accounts = resources.find((resource) => resource.name === "wired-cortex-accounts");
    assert.ok(job && accounts);
    assert.ok(job.dependencies.includes(accounts.urn));
    const spec = JSON.parse(unwrap(inputsOf("wired-cortex-neurons-script").stringData)["spec.json"]);
    assert.deepEqual(
      spec.workers.map((w: any) => [w.type, w.definition]),
      [
        ["analyzer", "MISP_2_1"],
        ["responder", "FortressContain_1_0"],
      ],
    );
    const secret = unwrap(inputsOf("wired-cortex-neurons-secret").stringData);
    assert.deepEqual(JSON.parse(unwrap(secret["misp.json"])).key, [MISP_KEY]);
    assert.ok(!JSON.stringify(inputsOf("wired-cortex-neurons")).includes(MISP_KEY));
    assert.equal(inputsOf("wired-cortex-neurons").spec.template.spec.automountServiceAccountToken, false);
  });

  it("runs the responder in Cortex's pod: its program and fortress-contain mounted, the configuration root-only from a Secret, egress to the firewall's API and the SIEM", () => {
    const cortex = inputsOf("wired-cortex-chart").values.cortex;
    const mounts = Object.fromEntries(cortex.volumeMounts.map((m: any) => [m.name, m.mountPath]));
    assert.equal(mounts.responder, "/opt/fortress/neurons/FortressContain");
    assert.equal(mounts.contain, "/etc/fortress/contain");
    const contain = cortex.volumes.find((v: any) => v.name === "contain");
    assert.deepEqual(contain.secret, { secretName: "cortex-contain", defaultMode: 0o440 });
    const program = unwrap(inputsOf("wired-cortex-responder").stringData);
    assert.deepEqual(Object.keys(program).sort(), [
      "fortress-contain-responder",
      "fortress-contain-responder.py",
      "fortress-contain.py",
    ]);
    assert.ok(!JSON.stringify(inputsOf("wired-cortex-chart")).includes(CONTAIN_SECRET));
    const policies = ofType("wired", "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) =>
      inputsOf(p.name),
    );
    const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]));
    assert.deepEqual(byName["cortex-egress"].egress.slice(1), [
      { to: [{ ipBlock: { cidr: "10.10.10.1/32" } }], ports: [{ port: 443, protocol: "TCP" }] },
      { to: [{ ipBlock: { cidr: "10.10.20.64/32" } }], ports: [{ port: 514, protocol: "UDP" }] },
    ]);
    assert.deepEqual(byName["cortex-neuron-jobs-egress"], {
      podSelector: { matchLabels: { "cortex-neuron-job": "true" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.10.20.70/32" } }], ports: [{ port: 443, protocol: "TCP" }] }],
    });
    assert.equal(byName["cortex-neurons-egress"].egress[0].ports[0].port, 9001);
    assert.throws(
      () => new Response("bad", { ...args, cortex: false, containment: {} as any }),
      /containment responder runs in Cortex/,
    );
  });

  it("without TheHive contains alone: the manager's containment, and no TheHive, Cortex, bridge or Kubernetes object", () => {
    const mine = resources.filter((resource) => resource.name.startsWith("contained"));
    assert.deepEqual(
      mine.map((resource) => resource.type).sort(),
      ["command:remote:Command", "fortress:response:Response"],
      "one SSH step on the manager, under the layer's component",
    );
    assert.ok(containedOnly.containment, "the containment's steps on the manager");
    assert.equal(containedOnly.containment.rescanAccess, undefined, "no Greenbone, no rescan access");
    assert.equal(containedOnly.theHive, undefined);
    assert.equal(containedOnly.theHiveUrl, undefined);
    assert.equal(containedOnly.accounts, undefined);
    assert.equal(containedOnly.wazuhBridge, undefined);
    assert.equal(containedOnly.managerBridge, undefined, "no Wazuh → TheHive script on the manager");
    const step = inputsOf("contained-containment");
    assert.ok(
      !JSON.stringify(step.create ?? "").includes(CONTAIN_SECRET),
      "the secret is on stdin, not argv",
    );
    assert.throws(
      () => new Response("bad", { ...args, theHive: false, cortex: true }),
      /Cortex answers TheHive's analysts/,
    );
  });

  it("passes the pack's mandatory policies", async () => {
    const mine = resources.filter(
      (resource) =>
        resource.name.startsWith("response") ||
        resource.name.startsWith("wired") ||
        resource.name.startsWith("contained"),
    );
    const violations = await evaluatePolicies(
      POLICIES.filter((policy) => policy.enforcementLevel === "mandatory"),
      mine,
    );
    assert.deepEqual(violations, []);
  });
});
