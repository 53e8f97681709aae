import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argon2Verify } from "hash-wasm";
import { evaluatePolicies } from "../../policies/lib/offline";
import { imageProblem, exactChartVersion, DEFAULT_FLOATING_TAGS } from "../../policies/rules/pinned-versions";
import { pinnedVersions } from "../../policies/rules/pinned-versions";
import { secretsFromRandomOrConfig } from "../../policies/rules/secrets-from-random-or-config";
import { type CapturedResource, captureRegistrations, REDACTED } from "../../stacks/plan/capture";
import { Identity, type IdentityArgs } from "./identity";
import { proxmoxProvider } from "../proxmox/provider";
import { PINS, RESOURCES } from "./pins";
import { CLIENT_NAMES, DEFAULT_GROUP, renderRealm } from "./realm";
import { TEST_API_TOKEN, TEST_SSH_KEY, testHostKey } from "../../test/support/fixtures";
import { keycloakManagementInterface, renderKeycloakx } from "../../test/support/keycloakxChart";
import { installScript, removeScript } from "./nodeTrust";
import { renderVaultwarden } from "../../test/support/vaultwardenChart";
import { VAULTWARDEN_ADMIN_SECRET } from "./vaultwarden";

/** Public: the CA certificate is the only thing the nodes receive. */
const TEST_CA_PEM = "-----BEGIN CERTIFICATE-----\nfortress-test-ca\n-----END CERTIFICATE-----\n";

/** The args but the Proxmox provider, which the test makes once the mocks are in place. */
type ArgsWithoutProvider = Omit<IdentityArgs, "proxmox"> & {
  readonly proxmox: Omit<NonNullable<IdentityArgs["proxmox"]>, "provider">;
};

const args: ArgsWithoutProvider = {
  realm: "fortress",
  domain: "lab.example",
  hostnames: {
    keycloak: "keycloak.lab.example",
    vaultwarden: "vault.lab.example",
    grafana: "grafana.lab.example",
    wazuhDashboard: "wazuh.lab.example",
    thehive: "thehive.lab.example",
    cortex: "cortex.lab.example",
    misp: "misp-1.lab.example",
  },
  proxmoxUrls: ["https://10.0.10.11:8006", "https://pve-a.lab.example:8006"],
  namespace: "fortress-identity",
  clusterIssuer: "fortress-ca",
  storageClass: "local-path",
  ingressClassName: "traefik",
  ingressNamespace: "kube-system",
  keycloak: true,
  vaultwarden: true,
  proxmox: {
    realm: "fortress",
    connection: {
      endpoint: "https://10.0.10.11:8006/",
      apiToken: pulumi.secret(TEST_API_TOKEN),
      insecure: false,
      sshUser: "root",
      sshPrivateKey: pulumi.secret(TEST_SSH_KEY),
      nodes: [
        { name: "pve-a", address: "10.0.10.11", sshHostKey: testHostKey("pve-a") },
        { name: "pve-b", address: "10.0.10.12", sshHostKey: testHostKey("pve-b") },
      ],
    },
    caCertificatePem: TEST_CA_PEM,
  },
};

/** What `random` would generate, made up per resource name so that the test can look for it. */
const generated = new Map<string, string>();
function fakeRandom(name: string, kind: string): string {
  const value = createHash("sha256").update(`${kind}:${name}`).digest("base64url").slice(0, 40);
  generated.set(name, value);
  return value;
}

let resources: CapturedResource[] = [];
/** Each registration's aliases as the SDK sends them to the engine (spec: name, type, former parent). */
type AliasSpec = { name: string; type: string; parentUrn: string; noParent: boolean } | { urn: string };
const aliasesOf = new Map<string, AliasSpec[]>();
/** Wraps the mock monitor's registerResource to read the request's aliases, which the capture drops. */
function recordAliases(): void {
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: any, callback: unknown) => {
    aliasesOf.set(
      `${request.getType()}::${request.getName()}`,
      request.getAliasesList().map((alias: any): AliasSpec => {
        const spec = alias.getSpec();
        return spec
          ? {
              name: spec.getName(),
              type: spec.getType(),
              parentUrn: spec.getParenturn(),
              noParent: spec.getNoparent(),
            }
          : { urn: alias.getUrn() };
      }),
    );
    return register(request, callback);
  };
}
/** Inputs as the engine would receive them, secrets resolved (the capture redacts them). */
const rawInputs = new Map<string, Record<string, any>>();
/** A command's SSH connection; the mock receives a secret as Pulumi's secret envelope. */
const connectionOf = (name: string): Record<string, unknown> => {
  const connection = rawInputs.get(name)?.connection;
  return connection?.value ?? connection ?? {};
};
let component: Identity;
let adminToken = "";
let adminTokenHash = "";
let clientSecrets: Record<string, string> = {};

const ofType = (type: string) => resources.filter((resource) => resource.type === type);
const byName = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource ${name}`);
  return found;
};
const resolve = <T>(output: pulumi.Output<T>) =>
  new Promise<T>((done) => output.apply((value) => done(value)));

function strings(value: unknown, path = ""): { path: string; value: string }[] {
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${path}[${index}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([key, item]) => strings(item, path ? `${path}.${key}` : key));
  return [];
}

describe("Identity", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => (
          rawInputs.set(mock.name, mock.inputs),
          {
            id: `${mock.name}-id`,
            state: {
              ...mock.inputs,
              ...(mock.type === "random:index/randomPassword:RandomPassword"
                ? { result: fakeRandom(mock.name, "password") }
                : {}),
              ...(mock.type === "random:index/randomBytes:RandomBytes"
                ? { base64: Buffer.from(fakeRandom(mock.name, "bytes")).subarray(0, 16).toString("base64") }
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
    recordAliases();
    const kubernetes = new k8s.Provider("k8s", {
      kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n"),
    });
    const proxmox = {
      ...args.proxmox,
      provider: proxmoxProvider("proxmox", args.proxmox.connection),
    };
    component = new Identity("identity", { ...args, proxmox }, { providers: { kubernetes } });
    adminToken = await resolve(component.vaultwardenAdminToken!);
    adminTokenHash = (await resolve(component.vaultwardenAdminTokenHash!)) ?? "";
    const secrets = await Promise.all(
      CLIENT_NAMES.map(async (client) => [client, await resolve(component.clientSecrets[client]!)] as const),
    );
    clientSecrets = Object.fromEntries(secrets);
    await pulumi.runtime.disconnect();
  });

  it("is one fortress:identity:Identity component, parent of everything it makes", () => {
    const [root, ...others] = ofType("fortress:identity:Identity");
    assert.ok(root);
    assert.deepEqual(others, []);
    for (const resource of resources) {
      // The providers are given to it (in a stack, the platform's and the one the layers share).
      if (resource.urn === root.urn || resource.name === "k8s" || resource.name === "proxmox") continue;
      assert.ok(resource.parent, `${resource.name} has no parent`);
    }
  });

  it("splits into Keycloak, Postgres and Vaultwarden, each resource aliased to where it sat (issue 9)", () => {
    const [root] = ofType("fortress:identity:Identity");
    const parts = [
      "fortress:identity:Keycloak",
      "fortress:identity:Postgres",
      "fortress:identity:Vaultwarden",
    ];
    const components = resources.filter((resource) => parts.includes(resource.type));
    assert.deepEqual(components.map((component) => component.type).sort(), parts);
    for (const component of components) assert.equal(component.parent, root!.urn, component.type);
    const moved = resources.filter((resource) =>
      components.some((component) => component.urn === resource.parent),
    );
    // The stateful ones above all: generated credentials, the database, the vault and its volume.
    for (const name of [
      "identity-postgres",
      "identity-keycloak-db-password",
      "identity-keycloak-admin-password",
      "identity-client-proxmox",
      "identity-vaultwarden-admin-token",
      "identity-vaultwarden-admin-salt",
    ]) {
      assert.ok(
        moved.some((resource) => resource.name === name),
        `${name} did not move`,
      );
    }
    // Same name and type (empty: the resource's own), former parent the Identity component: the
    // engine finds the URN the resource had before the split and updates it in place. (The
    // Kubernetes SDK adds aliases of its own, for the API versions a kind had before.)
    const former = { name: "", type: "", parentUrn: root!.urn, noParent: false };
    // The charts are helm.v4 Charts now, never registered under the Identity component (a helm.v3
    // Release was, and no alias crosses the two mechanisms: README, "Moving from helm.v3 Releases").
    const charts = moved.filter((resource) => resource.type === "kubernetes:helm.sh/v4:Chart");
    assert.deepEqual(charts.map((chart) => chart.name).sort(), ["identity-keycloak", "identity-vaultwarden"]);
    for (const chart of charts) assert.deepEqual(aliasesOf.get(`${chart.type}::${chart.name}`) ?? [], []);
    for (const resource of moved.filter((candidate) => !charts.includes(candidate))) {
      const aliases = aliasesOf.get(`${resource.type}::${resource.name}`) ?? [];
      assert.ok(
        aliases.some((alias) => isDeepStrictEqual(alias, former)),
        `${resource.name} is not aliased to its former parent: ${JSON.stringify(aliases)}`,
      );
    }
  });

  it("exposes the issuer URL, the client ids and secret client secrets", async () => {
    assert.equal(component.issuerUrl, "https://keycloak.lab.example/realms/fortress");
    assert.deepEqual(Object.keys(component.clientIds), [...CLIENT_NAMES]);
    for (const client of CLIENT_NAMES) {
      assert.equal(component.clientIds[client], client);
      assert.ok(await pulumi.isSecret(component.clientSecrets[client]!), `${client} secret is not secret`);
      assert.ok(clientSecrets[client]!.length >= 32);
    }
    assert.ok(await pulumi.isSecret(component.vaultwardenAdminToken!));
    assert.ok(await pulumi.isSecret(component.keycloakAdmin!.password));
  });

  it("never puts a generated value in plaintext in any input", () => {
    assert.ok(generated.size >= CLIENT_NAMES.length + 4);
    const needles = [...generated.values(), adminToken, adminTokenHash, ...Object.values(clientSecrets)];
    for (const resource of resources) {
      if (resource.type.startsWith("random:")) continue;
      const text = JSON.stringify(resource.inputs);
      for (const needle of needles) {
        assert.ok(!text.includes(needle), `${resource.name} carries a generated secret in plaintext`);
      }
    }
  });

  it("redacts every credential input, and the pack's secrets and pinning policies pass", async () => {
    // The Kubernetes SDK keeps a Secret's whole stringData secret.
    for (const secret of ofType("kubernetes:core/v1:Secret"))
      assert.equal(secret.inputs.stringData, REDACTED);
    assert.deepEqual(
      ofType("kubernetes:core/v1:Secret")
        .map((secret) => (secret.inputs.metadata as { name: string }).name)
        .sort(),
      ["keycloak-admin", "keycloak-db", "keycloak-realm", "vaultwarden-admin-token"],
    );
    const realm = byName("identity-proxmox-realm");
    assert.equal(realm.inputs.clientKey, REDACTED);
    const provider = byName("proxmox");
    assert.equal(provider.inputs.apiToken, REDACTED);
    const violations = await evaluatePolicies([secretsFromRandomOrConfig, pinnedVersions], resources);
    assert.deepEqual(violations, []);
  });

  it("leaves no default credential anywhere", () => {
    const defaults = new Set(["admin", "password", "changeme", "secret", "keycloak", "postgres"]);
    const credentialKey = /pass|secret|token|clientkey|credential/i;
    // The Vaultwarden chart's example admin token (a published hash): it must be overridden.
    const chartExampleHash =
      "$argon2id$v=19$m=19456,t=2,p=1$Vkx1VkE4RmhDMUhwNm9YVlhPQkVOZk1Yc1duSDdGRVYzd0Y5ZkgwaVg0Yz0";
    for (const resource of resources) {
      for (const { path, value } of strings(resource.inputs)) {
        assert.ok(!value.includes(chartExampleHash), `${resource.name} ${path} is the chart's example token`);
        const last = path.split(".").pop() ?? "";
        if (credentialKey.test(last) && !/(name|ref|key)$/i.test(last)) {
          assert.ok(!defaults.has(value.toLowerCase()), `${resource.name} ${path} is a default: ${value}`);
        }
      }
    }
    assert.notEqual(component.keycloakAdmin?.username, "admin");
    const env = String((byName("identity-keycloak").inputs.values as Record<string, unknown>).extraEnv);
    assert.match(env, /KC_BOOTSTRAP_ADMIN_PASSWORD\n\s+valueFrom:\n\s+secretKeyRef:/);
    assert.doesNotMatch(env, /KC_BOOTSTRAP_ADMIN_PASSWORD\n\s+value:/);
  });

  it("imports the realm from a Secret, never a ConfigMap", () => {
    assert.deepEqual(ofType("kubernetes:core/v1:ConfigMap"), []);
    const values = byName("identity-keycloak").inputs.values as Record<string, unknown>;
    assert.deepEqual(values.args, ["start", "--import-realm"]);
    assert.match(String(values.extraVolumes), /secretName: keycloak-realm/);
    assert.match(String(values.extraVolumeMounts), /mountPath: \/opt\/keycloak\/data\/import/);
    assert.match(String(values.extraEnv), /KC_HOSTNAME\n\s+value: "https:\/\/keycloak\.lab\.example"/);
  });

  it("turns Vaultwarden signups off and gives it only an Argon2id hash of a random token", async () => {
    const values = byName("identity-vaultwarden").inputs.values as Record<string, unknown>;
    assert.equal(values.signupsAllowed, false);
    assert.equal(values.invitationsAllowed, false);
    // The chart reads the hash from a Secret of ours: its values hold no secret (and nothing unknown).
    assert.deepEqual(values.adminToken, {
      existingSecret: VAULTWARDEN_ADMIN_SECRET.name,
      existingSecretKey: VAULTWARDEN_ADMIN_SECRET.key,
    });
    const secret = byName("identity-vaultwarden-admin-token-secret").inputs as Record<string, any>;
    assert.equal(secret.metadata.name, VAULTWARDEN_ADMIN_SECRET.name);
    // The Kubernetes SDK keeps a Secret's whole stringData secret.
    assert.equal(secret.stringData, REDACTED);
    assert.match(adminTokenHash, /^\$argon2id\$v=19\$m=65540,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.ok(await argon2Verify({ password: adminToken, hash: adminTokenHash }));
    assert.ok(!(await argon2Verify({ password: `${adminToken}x`, hash: adminTokenHash })));
  });

  it("pins every chart and image, and sets requests and limits on every container", () => {
    const releases = ofType("kubernetes:helm.sh/v4:Chart");
    assert.deepEqual(releases.map((release) => [release.inputs.chart, release.inputs.version]).sort(), [
      ["keycloakx", PINS.keycloakChart.version],
      ["vaultwarden", PINS.vaultwardenChart.version],
    ]);
    for (const release of releases) assert.ok(exactChartVersion(release.inputs.version));
    const images = [
      `${PINS.keycloakImage.repository}:${PINS.keycloakImage.tag}`,
      `${PINS.vaultwardenImage.repository}:${PINS.vaultwardenImage.tag}`,
      `${PINS.dbcheckerImage.repository}:${PINS.dbcheckerImage.tag}`,
      PINS.postgresImage,
    ];
    for (const image of images) assert.equal(imageProblem(image, DEFAULT_FLOATING_TAGS), undefined, image);

    const keycloak = byName("identity-keycloak").inputs.values as Record<string, any>;
    assert.deepEqual(keycloak.resources, RESOURCES.keycloak);
    assert.deepEqual(keycloak.dbchecker.resources, RESOURCES.dbchecker);
    assert.equal(keycloak.securityContext.runAsNonRoot, true);
    const vaultwarden = byName("identity-vaultwarden").inputs.values as Record<string, any>;
    assert.deepEqual(vaultwarden.resources, RESOURCES.vaultwarden);
    assert.equal(vaultwarden.securityContext.runAsNonRoot, true);
    const postgres = byName("identity-postgres").inputs as Record<string, any>;
    const pod = postgres.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    for (const container of pod.containers) {
      assert.ok(container.resources.limits.memory && container.resources.limits.cpu, container.name);
      assert.ok(container.resources.requests.memory && container.resources.requests.cpu, container.name);
      assert.equal(container.securityContext.runAsNonRoot, true);
      assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    }
    assert.equal(postgres.spec.volumeClaimTemplates[0].spec.storageClassName, "local-path");
  });

  it("serves each UI over TLS from the CA issuer, only from the ingress controller", () => {
    const certificates = ofType("kubernetes:cert-manager.io/v1:Certificate");
    assert.deepEqual(
      certificates.map((certificate) => (certificate.inputs.spec as Record<string, any>).dnsNames).sort(),
      [
        [
          "keycloak.lab.example",
          "keycloak-http",
          "keycloak-http.fortress-identity.svc",
          "keycloak-http.fortress-identity.svc.cluster.local",
        ],
        ["vault.lab.example"],
      ],
    );
    for (const certificate of certificates) {
      assert.deepEqual((certificate.inputs.spec as Record<string, any>).issuerRef, {
        group: "cert-manager.io",
        kind: "ClusterIssuer",
        name: "fortress-ca",
      });
    }
    for (const ingress of ofType("kubernetes:networking.k8s.io/v1:Ingress")) {
      const spec = ingress.inputs.spec as Record<string, any>;
      assert.equal(spec.tls[0].hosts[0], spec.rules[0].host);
    }
    assert.ok(ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").length >= 4);
    for (const resource of resources.filter((candidate) => candidate.type.startsWith("kubernetes:"))) {
      const metadata = resource.inputs.metadata as Record<string, unknown> | undefined;
      if (metadata) assert.equal(metadata.namespace, "fortress-identity", resource.name);
      else assert.equal(resource.inputs.namespace, "fortress-identity", resource.name);
    }
  });

  it("probes Keycloak's management port with the scheme Keycloak serves there (issue 8, defect 2)", () => {
    const values = byName("identity-keycloak").inputs.values as Record<string, unknown>;
    const rendered = renderKeycloakx(values);
    const management = keycloakManagementInterface(rendered.env);
    assert.ok(management, "health and metrics are on: Keycloak runs its management interface");
    // Keycloak serves TLS on its main port with the cert-manager certificate (in-cluster OIDC on 8443).
    assert.ok(rendered.env.some((entry) => entry.name === "KC_HTTPS_CERTIFICATE_FILE"));
    const probes = Object.entries(rendered.probes);
    assert.deepEqual(probes.map(([kind]) => kind).sort(), ["liveness", "readiness", "startup"]);
    for (const [kind, probe] of probes) {
      const port = rendered.ports.find((candidate) => candidate.name === probe.port);
      assert.ok(port, `${kind} probe port ${probe.port} is not a container port`);
      assert.equal(port.containerPort, management.port, `${kind} probe does not hit the management port`);
      assert.equal(
        probe.scheme.toLowerCase(),
        management.scheme,
        `${kind} probe speaks ${probe.scheme} to a port that serves ${management.scheme}`,
      );
      assert.match(probe.path, /^\/health(\/|$)/, `${kind} probe path ${probe.path}`);
    }
  });

  it("keeps Vaultwarden's data on a Retain volume the pod's user can write (issue 8, defect 3)", () => {
    const values = byName("identity-vaultwarden").inputs.values as Record<string, unknown>;
    const rendered = renderVaultwarden(values);
    assert.equal(rendered.kind, "StatefulSet");
    assert.equal(rendered.volumeClaimTemplates.length, 1, "no volume for /data");
    const [claim] = rendered.volumeClaimTemplates;
    assert.equal(claim.storageClassName, args.storageClass);
    assert.deepEqual(claim.accessModes, ["ReadWriteOnce"]);
    assert.match(claim.storage, /^\d+Gi$/);
    assert.equal(claim.keep, true, "the claim is not kept when the chart goes");
    assert.deepEqual(rendered.volumeMounts, [{ name: claim.name, mountPath: "/data" }]);
    assert.equal(rendered.dataFolder, "/data");
    // The image's /data is root's; the pod runs as 1000, so the volume is handed to its group.
    const uid = rendered.containerSecurityContext.runAsUser;
    assert.equal(uid, 1000);
    assert.equal(rendered.podSecurityContext.fsGroup, uid);
    assert.equal(rendered.podSecurityContext.fsGroupChangePolicy, "OnRootMismatch");
  });

  it("makes every Proxmox node trust the internal CA before the realm exists (issue 8, defect 20)", () => {
    const trust = ofType("command:remote:Command");
    assert.deepEqual(
      trust.map((command) => [command.name, connectionOf(command.name).host]),
      [
        ["identity-ca-trust-pve-a", "10.0.10.11"],
        ["identity-ca-trust-pve-b", "10.0.10.12"],
      ],
    );
    const realm = byName("identity-proxmox-realm");
    for (const command of trust) {
      assert.equal(command.inputs.connection, REDACTED, "the SSH key is not secret");
      assert.equal(connectionOf(command.name).user, "root");
      const node = command.name.replace(/^identity-ca-trust-/, "");
      assert.equal(
        connectionOf(command.name).hostKey,
        testHostKey(node),
        "the node's host key is not pinned",
      );
      assert.equal(command.inputs.stdin, TEST_CA_PEM);
      assert.equal(command.inputs.create, installScript("keycloak.lab.example"));
      assert.equal(command.inputs.update, installScript("keycloak.lab.example"));
      assert.equal(command.inputs.delete, removeScript());
      assert.ok(realm.dependencies.includes(command.urn), `the realm does not wait for ${command.name}`);
    }
  });

  it("makes the Proxmox VE OpenID realm trust the Keycloak realm", () => {
    const realm = byName("identity-proxmox-realm");
    assert.equal(realm.type, "proxmoxve:realm/openid:Openid");
    assert.equal(realm.inputs.issuerUrl, "https://keycloak.lab.example/realms/fortress");
    assert.equal(realm.inputs.clientId, "proxmox");
    assert.equal(realm.inputs.autocreate, true);
    assert.equal(realm.inputs.groupsClaim, "groups");
    assert.equal(realm.provider, byName("proxmox").urn);
  });
});

describe("renderRealm", () => {
  const secret = (client: string) => `${client}-secret-`.padEnd(48, "x");
  const realm = JSON.parse(
    renderRealm({
      realm: "fortress",
      displayName: "Fortress",
      clients: CLIENT_NAMES.map((client) => ({
        clientId: client,
        urls:
          client === "proxmox"
            ? ["https://10.0.10.11:8006", "https://pve-a.lab.example:8006/"]
            : [`https://${client}.lab.example`],
        secret: secret(client),
      })),
    }),
  );

  it("has the four confidential clients with their secrets, and none for TheHive (free edition: local accounts only)", () => {
    assert.deepEqual(
      realm.clients.map((client: { clientId: string }) => client.clientId),
      ["grafana", "wazuh-dashboard", "misp", "proxmox"],
    );
    for (const client of realm.clients) {
      assert.equal(client.publicClient, false);
      assert.equal(client.secret, secret(client.clientId));
      assert.equal(client.directAccessGrantsEnabled, false);
      assert.equal(client.implicitFlowEnabled, false);
    }
  });

  it("sends each client back only to its own host", () => {
    const uris = Object.fromEntries(
      realm.clients.map((client: { clientId: string; redirectUris: string[] }) => [
        client.clientId,
        client.redirectUris,
      ]),
    );
    assert.deepEqual(uris.grafana, ["https://grafana.lab.example/login/generic_oauth"]);
    assert.deepEqual(uris["wazuh-dashboard"], ["https://wazuh-dashboard.lab.example/auth/openid/login"]);
    assert.equal(uris.thehive, undefined);
    assert.deepEqual(uris.misp, ["https://misp.lab.example/users/login"]);
    assert.deepEqual(uris.proxmox, [
      "https://10.0.10.11:8006",
      "https://10.0.10.11:8006/",
      "https://pve-a.lab.example:8006",
      "https://pve-a.lab.example:8006/",
    ]);
    for (const list of Object.values(uris) as string[][]) {
      for (const uri of list) assert.doesNotMatch(uri, /\*/);
    }
  });

  it("closes registration, requires TLS and puts every user in the default group", () => {
    assert.equal(realm.realm, "fortress");
    assert.equal(realm.registrationAllowed, false);
    assert.equal(realm.sslRequired, "all");
    assert.deepEqual(realm.defaultGroups, [`/${DEFAULT_GROUP}`]);
    assert.equal(realm.bruteForceProtected, true);
  });

  it("refuses missing secrets, duplicates and non-https URLs", () => {
    const base = { realm: "r", displayName: "R" };
    assert.throws(() =>
      renderRealm({ ...base, clients: [{ clientId: "grafana", urls: ["https://g"], secret: "" }] }),
    );
    assert.throws(() =>
      renderRealm({
        ...base,
        clients: [{ clientId: "grafana", urls: ["http://g"], secret: "x".repeat(40) }],
      }),
    );
    const grafana = { clientId: "grafana" as const, urls: ["https://g"], secret: "x".repeat(40) };
    assert.throws(() => renderRealm({ ...base, clients: [grafana, grafana] }));
  });
});
