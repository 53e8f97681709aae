import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { bcryptVerify } from "hash-wasm";
import * as yaml from "js-yaml";
import { evaluatePolicies } from "../../policies/lib/offline";
import { POLICIES } from "../../policies/registry";
import { type CapturedResource, captureRegistrations, REDACTED } from "../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { INDEXER_USERS, type IndexerUserName } from "./securityConfig";
import { hostRange } from "./indexerRoute";
import { Siem, type SiemArgs } from "./siem";
import { TEST_SSH_KEY, testHostKey } from "../../test/support/fixtures";

const args: SiemArgs = {
  namespace: "fortress-siem",
  clusterIssuer: "fortress-ca",
  caCertificatePem: "-----BEGIN CERTIFICATE-----\nfortress-test-ca\n-----END CERTIFICATE-----\n",
  storageClass: "fortress-local",
  snapshotStorageClass: "fortress-rwx",
  ingressClassName: "traefik",
  ingressNamespace: "kube-system",
  dashboardHostname: "wazuh.lab.example",
  indexerNodeSelector: { "fortress/pool": "indexer" },
  snapshotShared: true,
  indexer: {
    replicas: 1,
    memoryMib: 3072,
    heapMib: 1536,
    dataGi: 195,
    snapshotGi: 75,
    ingestGbPerDay: 2,
    maxRetentionDays: 90,
  },
  oidc: {
    issuerUrl: "https://keycloak.lab.example/realms/fortress",
    clientId: "wazuh-dashboard",
    clientSecret: pulumi.secret("client-secret-from-identity"),
    adminGroup: "fortress-admins",
    userGroup: "fortress-users",
    namespaces: ["fortress-identity", "kube-system"],
  },
  consumerNamespaces: ["fortress-response", "fortress-monitoring"],
  manager: {
    host: {
      name: "wazuh-manager-1",
      address: "10.10.20.30",
      fqdn: "wazuh-manager-1.lab.example",
      hostKey: testHostKey("wazuh-manager-1"),
      user: "fortress",
      privateKey: pulumi.secret(TEST_SSH_KEY),
    },
    indexerNodeAddress: "10.10.20.21",
    ca: {
      certificatePem: pulumi.output(
        "-----BEGIN CERTIFICATE-----\nfortress-test-ca\n-----END CERTIFICATE-----\n",
      ),
      privateKeyPem: pulumi.secret(
        "-----BEGIN PRIVATE KEY-----\nfortress-test-ca-key\n-----END PRIVATE KEY-----\n",
      ),
    },
    syslogSources: ["10.10.20.1"],
  },
};

const fakeRandom = (name: string, kind: string) =>
  createHash("sha256").update(`${kind}:${name}`).digest("base64url").slice(0, 40);

let resources: CapturedResource[] = [];
const raw = new Map<string, Record<string, any>>();
let siem: Siem;
let bare: Siem;
let other: Siem;
let existing: Siem;
let passwords: Record<IndexerUserName, string>;
const resolve = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((done) => output.apply((value) => done(value)));
const unwrap = (value: any) =>
  value && typeof value === "object" && "value" in value && Object.keys(value).length <= 2
    ? value.value
    : value;
const byName = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
};
const inputsOf = (name: string) => {
  const inputs = raw.get(name);
  assert.ok(inputs, `no inputs for ${name}`);
  return inputs;
};

describe("Siem", () => {
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
                ? { result: fakeRandom(mock.name, "pw") }
                : {}),
              ...(mock.type === SDK_TYPES.tlsPrivateKey ? { privateKeyPem: `KEY-${mock.name}` } : {}),
              ...(mock.type === SDK_TYPES.tlsCertRequest ? { certRequestPem: `CSR-${mock.name}` } : {}),
              ...(mock.type === SDK_TYPES.tlsLocallySignedCert
                ? { certPem: `-----BEGIN CERTIFICATE-----\n${mock.name}\n-----END CERTIFICATE-----\n` }
                : {}),
              ...(mock.type === "random:index/randomBytes:RandomBytes"
                ? { base64: Buffer.from(fakeRandom(mock.name, "salt")).subarray(0, 16).toString("base64") }
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
    siem = new Siem("siem", args, { providers: { kubernetes } });
    const { manager: _manager, oidc: _oidc, ...withoutManager } = args;
    bare = new Siem("bare", withoutManager, { providers: { kubernetes } });
    other = new Siem(
      "other",
      {
        ...args,
        indexer: { ...args.indexer, maxRetentionDays: 30 },
        manager: {
          ...(args.manager as NonNullable<SiemArgs["manager"]>),
          indexerSources: ["10.10.40.15", "10.10.20.45"],
        },
      },
      { providers: { kubernetes } },
    );
    // A cluster Fortress did not build: the manager dials the address its load balancer hands the route.
    existing = new Siem(
      "lb",
      {
        ...args,
        manager: {
          ...(args.manager as NonNullable<SiemArgs["manager"]>),
          indexerNodeAddress: "10.10.20.60",
          loadBalancer: true,
          indexerSources: ["10.10.30.45"],
        },
      },
      { providers: { kubernetes } },
    );
    passwords = Object.fromEntries(
      await Promise.all(
        INDEXER_USERS.map(async (user) => [user.name, await resolve(siem.indexer.passwords[user.name])]),
      ),
    ) as Record<IndexerUserName, string>;
    await resolve(pulumi.all([siem.urn, bare.urn, other.urn, existing.urn]));
    await pulumi.runtime.disconnect();
  });

  it("is one fortress:siem:Siem holding the indexer and the dashboard", () => {
    assert.equal(byName("siem").type, COMPONENT_TYPES.siem);
    assert.equal(byName("siem-indexer").type, COMPONENT_TYPES.wazuhIndexer);
    assert.equal(byName("siem-dashboard").type, COMPONENT_TYPES.wazuhDashboard);
    assert.equal(byName("siem-indexer").parent, byName("siem").urn);
    assert.equal(byName("siem-indexer-statefulset").parent, byName("siem-indexer").urn);
  });

  it("runs the indexer non-root on the indexer pool, without init containers, its heap at most half its limit", () => {
    const sts = inputsOf("siem-indexer-statefulset");
    const pod = sts.spec.template.spec;
    assert.equal(pod.initContainers, undefined);
    assert.deepEqual(pod.nodeSelector, { "fortress/pool": "indexer" });
    assert.equal(pod.securityContext.runAsUser, 1000);
    assert.equal(pod.securityContext.fsGroup, 1000);
    const [container] = pod.containers;
    assert.equal(container.image, "docker.io/wazuh/wazuh-indexer:4.14.6");
    assert.equal(container.securityContext.runAsNonRoot, true);
    assert.equal(container.securityContext.privileged, undefined);
    assert.deepEqual(container.securityContext.capabilities, { drop: ["ALL"] });
    const opts = container.env.find((env: any) => env.name === "OPENSEARCH_JAVA_OPTS").value as string;
    const heap = Number(/-Xmx(\d+)m/.exec(opts)?.[1]);
    const limit = Number(/^(\d+)Mi$/.exec(container.resources.limits.memory)?.[1]);
    assert.ok(heap > 0 && heap * 2 <= limit, `${heap} MiB heap in ${limit} MiB`);
    assert.match(opts, new RegExp(`-Xms${heap}m`));
    // The image's demo certificates (and its demo CA key) are hidden under Fortress's own.
    const certs = container.volumeMounts.find((mount: any) => mount.name === "certs");
    assert.equal(certs.mountPath, "/usr/share/wazuh-indexer/config/certs");
    assert.equal(certs.subPath, undefined);
  });

  it("keeps the data and the snapshot repository on protected claims the pod mounts", () => {
    for (const claim of ["siem-indexer-data", "siem-indexer-snapshots"])
      assert.equal(byName(claim).protect, true, claim);
    assert.equal(inputsOf("siem-indexer-snapshots").spec.storageClassName, "fortress-rwx");
    const volumes = inputsOf("siem-indexer-statefulset").spec.template.spec.volumes;
    assert.deepEqual(
      volumes
        .filter((volume: any) => volume.persistentVolumeClaim)
        .map((volume: any) => volume.persistentVolumeClaim.claimName),
      ["wazuh-indexer-data", "wazuh-indexer-snapshots"],
    );
  });

  it("issues the node and admin certificates from the CA as ECDSA PKCS#8, DNs as opensearch.yml names them", () => {
    const node = inputsOf("siem-indexer-node-certificate").spec;
    const admin = inputsOf("siem-indexer-admin-certificate").spec;
    const settings = yaml.load(inputsOf("siem-indexer-config").data["opensearch.yml"]) as Record<string, any>;
    for (const cert of [node, admin]) {
      assert.deepEqual(cert.privateKey, {
        algorithm: "ECDSA",
        size: 256,
        encoding: "PKCS8",
        rotationPolicy: "Always",
      });
      assert.equal(cert.issuerRef.name, "fortress-ca");
    }
    const dn = (cert: any) =>
      `CN=${cert.commonName},OU=${cert.subject.organizationalUnits[0]},O=${cert.subject.organizations[0]}`;
    assert.deepEqual(settings["plugins.security.nodes_dn"], [dn(node)]);
    assert.deepEqual(settings["plugins.security.authcz.admin_dn"], [dn(admin)]);
    assert.ok(node.dnsNames.includes("wazuh-indexer.fortress-siem.svc"));
    assert.deepEqual(node.ipAddresses, ["10.10.20.21"]);
    assert.ok(admin.usages.includes("client auth") && !admin.usages.includes("server auth"));
  });

  it("hashes every user's random password into internal_users.yml, which stays secret", async () => {
    const security = inputsOf("siem-indexer-security");
    const files = unwrap(security.stringData) as Record<string, string>;
    const users = yaml.load(files["internal_users.yml"]) as Record<string, any>;
    for (const user of INDEXER_USERS)
      assert.ok(
        await bcryptVerify({ password: passwords[user.name], hash: users[user.name].hash }),
        user.name,
      );
    assert.equal(byName("siem-indexer-security").inputs.stringData, REDACTED);
    assert.equal(byName("siem").type, COMPONENT_TYPES.siem);
    const breakGlass = await new Promise<string>((done) => siem.breakGlass.password.apply(done));
    assert.equal(breakGlass, passwords["fortress-breakglass"]);
  });

  it("names each admin Job after what it applies: new retention, new policies Job; same security files, same securityadmin Job", () => {
    const name = (resource: string) => inputsOf(resource).metadata.name as string;
    assert.match(name("siem-indexer-securityadmin"), /^wazuh-indexer-securityadmin-[0-9a-f]{10}$/);
    assert.equal(name("siem-indexer-securityadmin"), name("other-indexer-securityadmin"));
    assert.notEqual(name("siem-indexer-policies"), name("other-indexer-policies"));
    const ism = JSON.parse(inputsOf("other-indexer-policy-bodies").data["ism-policy.json"]);
    assert.equal(ism.policy.states[0].transitions[0].conditions.min_index_age, "30d");
    assert.equal(siem.retention.days, 81);
    // Both Jobs hold the admin certificate, never a password.
    for (const job of ["siem-indexer-securityadmin", "siem-indexer-policies"]) {
      const pod = inputsOf(job).spec.template.spec;
      assert.equal(pod.containers[0].env, undefined);
      assert.equal(pod.securityContext.runAsNonRoot, true);
    }
  });

  it("lets only the dashboard, the admin Jobs and the named consumers reach 9200 in the cluster", () => {
    const policy = inputsOf("siem-indexer-ingress").spec;
    assert.deepEqual(policy.ingress[0].ports, [{ protocol: "TCP", port: 9200 }]);
    assert.deepEqual(policy.ingress[0].from, [
      {
        podSelector: {
          matchLabels: { "app.kubernetes.io/name": "wazuh-dashboard", "app.kubernetes.io/part-of": "wazuh" },
        },
      },
      {
        podSelector: {
          matchLabels: {
            "app.kubernetes.io/name": "wazuh-indexer-admin",
            "app.kubernetes.io/part-of": "wazuh",
          },
        },
      },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "fortress-response" } } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "fortress-monitoring" } } },
    ]);
  });

  it("routes the manager VM to 9200 through a LoadBalancer open to the manager's /32 only, and no other Service leaves the cluster", () => {
    const service = inputsOf("siem-indexer-manager-service");
    assert.equal(service.metadata.name, "wazuh-indexer-manager");
    assert.deepEqual(service.spec, {
      type: "LoadBalancer",
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: "Cluster",
      loadBalancerSourceRanges: ["10.10.20.30/32"],
      selector: { "app.kubernetes.io/name": "wazuh-indexer", "app.kubernetes.io/part-of": "wazuh" },
      ports: [{ name: "https", port: 9200, targetPort: "https", protocol: "TCP" }],
    });
    // The pods ServiceLB makes for exactly this Service (kube-system, its name and namespace labels),
    // and the manager's address as kube-proxy's load-balancer path delivers it: nothing else.
    const policy = inputsOf("siem-indexer-from-manager").spec;
    assert.deepEqual(policy.podSelector.matchLabels, {
      "app.kubernetes.io/name": "wazuh-indexer",
      "app.kubernetes.io/part-of": "wazuh",
    });
    assert.deepEqual(policy.ingress, [
      {
        from: [
          { ipBlock: { cidr: "10.10.20.30/32" } },
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: {
              matchLabels: {
                "svccontroller.k3s.cattle.io/svcname": "wazuh-indexer-manager",
                "svccontroller.k3s.cattle.io/svcnamespace": "fortress-siem",
              },
            },
          },
        ],
        ports: [{ protocol: "TCP", port: 9200 }],
      },
    ]);
    // The manager (whose Filebeat ships as soon as it is installed) waits for the route.
    const waits = byName("siem-manager").dependencies;
    assert.ok(waits.includes(byName("siem-indexer-manager-service").urn));
    assert.ok(waits.includes(byName("siem-indexer-from-manager").urn));
    // The address Filebeat dials is one the node certificate names.
    assert.deepEqual(inputsOf("siem-indexer-node-certificate").spec.ipAddresses, ["10.10.20.21"]);
    // Without a manager, nothing outside the cluster gets in: no route, no ipBlock.
    assert.equal(raw.get("bare-indexer-manager-service"), undefined);
    assert.equal(raw.get("bare-indexer-from-manager"), undefined);
    assert.ok(!JSON.stringify(inputsOf("bare-indexer-ingress")).includes("ipBlock"));
    // The route is the only Service that leaves the cluster.
    const exposed = resources.filter(
      (resource) =>
        /Service$/.test(resource.type) &&
        ["NodePort", "LoadBalancer"].includes((raw.get(resource.name)?.spec ?? {}).type),
    );
    assert.deepEqual(
      exposed.map((resource) => resource.name),
      ["siem-indexer-manager-service", "other-indexer-manager-service", "lb-indexer-manager-service"],
    );
  });

  it("refuses a manager address that is no host", () => {
    assert.equal(hostRange("10.10.20.30"), "10.10.20.30/32");
    assert.equal(hostRange("fd00::30"), "fd00::30/128");
    assert.throws(() => hostRange("10.10.20.0/24"), /no host address/);
  });

  it("opens the dashboard to the ingress controller only, and lets it out to the indexer, Keycloak and the manager's API", () => {
    const from = inputsOf("siem-dashboard-from-ingress").spec.ingress;
    assert.deepEqual(from, [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
        ports: [{ protocol: "TCP", port: 5601 }],
      },
    ]);
    const egress = inputsOf("siem-dashboard-egress").spec.egress;
    assert.ok(
      egress.some(
        (rule: any) => JSON.stringify(rule).includes("10.10.20.30/32") && rule.ports[0].port === 55000,
      ),
    );
  });

  it("gives the dashboard every credential by secretKeyRef and none in its ConfigMap or environment values", async () => {
    const container = inputsOf("siem-dashboard-deployment").spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((entry: any) => [entry.name, entry]));
    for (const name of [
      "DASHBOARD_USERNAME",
      "DASHBOARD_PASSWORD",
      "OPENID_CLIENT_SECRET",
      "API_USERNAME",
      "API_PASSWORD",
    ])
      assert.equal(env[name].valueFrom.secretKeyRef.name, "wazuh-dashboard-credentials", name);
    assert.equal(env.WAZUH_API_URL.value, "https://wazuh-manager-1.lab.example");
    const visible = JSON.stringify([container, inputsOf("siem-dashboard-config")]);
    for (const secret of [
      "client-secret-from-identity",
      await resolve(siem.manager?.dashboardApiPassword ?? pulumi.output("no manager")),
      passwords["fortress-dashboard"],
    ])
      assert.ok(!visible.includes(secret));
    assert.equal(byName("siem-dashboard-credentials").inputs.stringData, REDACTED);
    // Without a manager the app still gets Fortress's API user, never the image's wazuh-wui fallback.
    const bareEnv = inputsOf("bare-dashboard-deployment").spec.template.spec.containers[0].env.map(
      (entry: any) => entry.name,
    );
    assert.ok(
      bareEnv.includes("API_USERNAME") &&
        bareEnv.includes("API_PASSWORD") &&
        !bareEnv.includes("WAZUH_API_URL"),
    );
  });

  it("hands each consumer its own user: the manager's Filebeat on the node's address, once there is a manager", async () => {
    const filebeat = siem.indexerAccess("filebeat");
    assert.equal(filebeat.username, "fortress-filebeat");
    assert.equal(await resolve(filebeat.url), "https://10.10.20.21:9200");
    assert.equal(await resolve(filebeat.password), passwords["fortress-filebeat"]);
    assert.equal(
      await resolve(siem.indexerAccess("thehive").url),
      "https://wazuh-indexer.fortress-siem.svc:9200",
    );
    assert.throws(() => bare.indexerAccess("filebeat"), /once the manager is given/);
  });

  it("admits the shipper VMs beside the manager, each as one host, and hands Vector on a VM the node's address", async () => {
    const service = inputsOf("other-indexer-manager-service");
    assert.deepEqual(service.spec.loadBalancerSourceRanges, [
      "10.10.20.30/32",
      "10.10.40.15/32",
      "10.10.20.45/32",
    ]);
    const from = inputsOf("other-indexer-from-manager").spec.ingress[0].from;
    assert.deepEqual(
      from.filter((peer: any) => peer.ipBlock).map((peer: any) => peer.ipBlock.cidr),
      ["10.10.20.30/32", "10.10.40.15/32", "10.10.20.45/32"],
    );
    const vector = other.indexerAccess("vector", "vm");
    assert.equal(vector.username, "fortress-vector");
    assert.equal(await resolve(vector.url), "https://10.10.20.21:9200");
    assert.equal(
      await resolve(siem.indexerAccess("vector").url),
      "https://wazuh-indexer.fortress-siem.svc:9200",
    );
    assert.throws(() => bare.indexerAccess("vector", "vm"), /once the manager is given/);
  });

  it("on an existing cluster asks its load balancer for the route's address, keeps the source (Local) and admits the VMs' /32s only", async () => {
    const service = inputsOf("lb-indexer-manager-service");
    assert.deepEqual(service.metadata.annotations, {
      "metallb.io/loadBalancerIPs": "10.10.20.60",
      "metallb.universe.tf/loadBalancerIPs": "10.10.20.60",
      "kube-vip.io/forcePerServiceElection": "true",
      "kube-vip.io/loadbalancerIPs": "10.10.20.60",
    });
    // MetalLB refuses a Service with both its annotation and spec.loadBalancerIP (controller/service.go).
    assert.equal(service.spec.loadBalancerIP, undefined);
    assert.equal(service.spec.externalTrafficPolicy, "Local");
    assert.equal(service.spec.allocateLoadBalancerNodePorts, false);
    assert.deepEqual(service.spec.loadBalancerSourceRanges, ["10.10.20.30/32", "10.10.30.45/32"]);
    // No ServiceLB on a cluster Fortress did not build: its pods are no peer, the VMs' addresses are.
    assert.deepEqual(inputsOf("lb-indexer-from-manager").spec.ingress, [
      {
        from: [{ ipBlock: { cidr: "10.10.20.30/32" } }, { ipBlock: { cidr: "10.10.30.45/32" } }],
        ports: [{ protocol: "TCP", port: 9200 }],
      },
    ]);
    // Filebeat and Vector on a VM dial the load balancer's address, which the node certificate names.
    assert.equal(await resolve(existing.indexerAccess("filebeat").url), "https://10.10.20.60:9200");
    assert.equal(await resolve(existing.indexerAccess("vector", "vm").url), "https://10.10.20.60:9200");
    assert.deepEqual(inputsOf("lb-indexer-node-certificate").spec.ipAddresses, ["10.10.20.60"]);
    // k3s's route stays as it was: no annotation.
    assert.equal(inputsOf("siem-indexer-manager-service").metadata.annotations, undefined);
  });

  it("hands the manager the OIDC groups, which its API step maps to the Wazuh API roles for dashboard users", async () => {
    const create = await resolve(siem.manager?.apiUsers.create as pulumi.Output<string>);
    assert.match(
      create,
      /"role":"administrator","rule":\{"MATCH":\{"backend_roles":\["fortress-admins"\]\}\}/,
    );
    assert.match(create, /"role":"readonly","rule":\{"MATCH":\{"backend_roles":\["fortress-users"\]\}\}/);
  });

  it("passes the pack's mandatory policies, with and without shippers on the route", async () => {
    for (const prefix of ["siem", "other", "lb"]) {
      const mine = resources.filter((resource) => resource.name.startsWith(prefix));
      const violations = await evaluatePolicies(
        POLICIES.filter((policy) => policy.enforcementLevel === "mandatory"),
        mine,
      );
      assert.deepEqual(violations, [], prefix);
    }
  });
});
