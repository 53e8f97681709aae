import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureRegistrations, REDACTED } from "../../stacks/plan/capture";
import { DEFAULT_PLATFORM } from "../../stacks/config/schema";
import {
  Baseline,
  type BaselineArgs,
  CA_ISSUER,
  CA_SECRET,
  CERT_MANAGER_NAMESPACE,
  DEFAULT_STORAGE_CLASS,
  POD_SECURITY_VERSION,
  RWX_STORAGE_CLASS,
  STORAGE_NAMESPACE,
} from "./baseline";

type Inputs = Record<string, any>;
/** A captured registration whose inputs the assertions read freely. */
type Captured = Omit<CapturedResource, "inputs"> & { readonly inputs: Inputs };

const args: BaselineArgs = {
  namespaces: [
    { name: "identity", layer: "identity", podSecurity: "restricted" },
    { name: "siem", layer: "siem", podSecurity: "restricted" },
    { name: "sensors", layer: "sensors", podSecurity: "privileged" },
    { name: "response", layer: "response", podSecurity: "restricted" },
  ],
  flows: [
    { from: "sensors", to: "siem", ports: [{ port: 1514, protocol: "TCP" }] },
    // Merged with the flow above, the duplicate port kept once.
    {
      from: "sensors",
      to: "siem",
      ports: [
        { port: 1515, protocol: "TCP" },
        { port: 1514, protocol: "TCP" },
      ],
    },
    { from: "siem", to: "identity", ports: [{ port: 8443, protocol: "TCP" }] },
    { from: "kube-system", to: "response", ports: [{ port: 9000, protocol: "TCP" }] },
    { from: "response", to: "response", ports: [{ port: 9042, protocol: "TCP" }] },
  ],
  caCommonName: "Fortress Lab CA",
};
const withRwx: BaselineArgs = { ...args, rwx: { nfsServer: "10.0.20.5", nfsPath: "/export/cortex" } };

let resources: Captured[] = [];
let plain: Baseline;
let shared: Baseline;

const component = (name: string) => {
  const found = resources.find((r) => r.name === name && r.type === "fortress:platform:Baseline");
  assert.ok(found, `no component ${name}`);
  return found;
};
const childrenOf = (name: string) => resources.filter((r) => r.parent === component(name).urn);
const ofKind = (name: string, type: string) => childrenOf(name).filter((r) => r.type === type);
const inNamespace = (list: Captured[], ns: string) =>
  list.filter((r) => (r.inputs as Inputs).metadata.namespace === ns);
const policies = (name: string) => ofKind(name, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
const child = (name: string, childName: string) => {
  const found = childrenOf(name).find((r) => r.name === childName);
  assert.ok(found, `no child ${childName} of ${name}`);
  return found;
};
const managed = (name: string) =>
  ofKind(name, "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata as Inputs);

describe("Baseline", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mockArgs) => ({ id: `${mockArgs.name}-id`, state: { ...mockArgs.inputs } }),
        call: (mockArgs) => mockArgs.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations() as Captured[];
    const kubernetes = new k8s.Provider("k8s", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    plain = new Baseline("base", args, { providers: { kubernetes } });
    shared = new Baseline("shared", withRwx, { providers: { kubernetes } });
    await pulumi.runtime.disconnect();
  });

  it("registers as fortress:platform:Baseline with every child parented and on the given provider", () => {
    for (const name of ["base", "shared"]) {
      const self = component(name);
      const children = resources.filter((r) => r.name.startsWith(`${name}-`));
      assert.ok(children.length > 20);
      for (const resource of children) {
        assert.equal(resource.parent, self.urn, `${resource.name} is not a child of ${name}`);
        // The internal CA is made by the tls provider, outside the cluster.
        if (resource.type.startsWith("tls:")) continue;
        assert.match(
          resource.provider ?? "",
          /pulumi:providers:kubernetes::k8s$/,
          `${resource.name} provider`,
        );
      }
    }
  });

  it("records the allow-list as plain component inputs for the policy pack", () => {
    const inputs = component("base").inputs as Inputs;
    assert.deepEqual(
      inputs.namespaces.map((ns: Inputs) => ns.name),
      ["identity", "siem", "sensors", "response", CERT_MANAGER_NAMESPACE],
    );
    assert.equal(inputs.flows.length, 4);
    assert.deepEqual(
      inputs.flows.find((f: Inputs) => f.from === "sensors"),
      {
        from: "sensors",
        to: "siem",
        ports: [
          { port: 1514, protocol: "TCP" },
          { port: 1515, protocol: "TCP" },
        ],
      },
    );
    assert.equal(inputs.caCommonName, "Fortress Lab CA");
    assert.ok(!JSON.stringify(inputs).includes("[secret]"));
  });

  it("labels every namespace with its pinned Pod Security level, privileged only where asked", () => {
    const namespaces = managed("base");
    assert.deepEqual(Object.keys(plain.namespaces).sort(), namespaces.map((m) => m.name).sort());
    for (const metadata of namespaces) {
      const spec = args.namespaces.find((ns) => ns.name === metadata.name);
      const level = spec ? spec.podSecurity : "restricted";
      for (const mode of ["enforce", "audit", "warn"]) {
        assert.equal(
          metadata.labels[`pod-security.kubernetes.io/${mode}`],
          level,
          `${metadata.name} ${mode}`,
        );
        assert.equal(metadata.labels[`pod-security.kubernetes.io/${mode}-version`], POD_SECURITY_VERSION);
      }
      assert.notEqual(metadata.labels["pod-security.kubernetes.io/enforce-version"], "latest");
    }
    const privileged = namespaces.filter(
      (m) => m.labels["pod-security.kubernetes.io/enforce"] === "privileged",
    );
    assert.deepEqual(
      privileged.map((m) => m.name),
      ["sensors"],
    );
    assert.equal(managed("base").find((m) => m.name === "siem")?.labels["fortress/layer"], "siem");
  });

  it("denies all ingress and egress by default in every namespace", () => {
    for (const name of ["base", "shared"]) {
      for (const metadata of managed(name)) {
        const deny = inNamespace(policies(name), metadata.name).filter(
          (p) => p.inputs.metadata.name === "fortress-default-deny",
        );
        assert.equal(deny.length, 1, `${name}/${metadata.name}`);
        const spec = deny[0].inputs.spec as Inputs;
        assert.deepEqual(spec.podSelector, {});
        assert.deepEqual([...spec.policyTypes].sort(), ["Egress", "Ingress"]);
        assert.equal(spec.ingress, undefined);
        assert.equal(spec.egress, undefined);
      }
    }
  });

  it("allows DNS to kube-dns in kube-system, UDP and TCP 53, from every namespace", () => {
    for (const metadata of managed("base")) {
      const [dns] = inNamespace(policies("base"), metadata.name).filter(
        (p) => p.inputs.metadata.name === "fortress-allow-dns",
      );
      assert.ok(dns, metadata.name);
      const spec = dns.inputs.spec as Inputs;
      assert.deepEqual(spec.policyTypes, ["Egress"]);
      assert.equal(spec.ingress, undefined);
      assert.deepEqual(spec.egress, [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: 53, protocol: "UDP" },
            { port: 53, protocol: "TCP" },
          ],
        },
      ]);
    }
  });

  it("allows each flow exactly: ingress on the target from the source, egress from the source to the target", () => {
    const byNs = (ns: string) =>
      inNamespace(policies("base"), ns).filter(
        (p) => !["fortress-default-deny", "fortress-allow-dns"].includes(p.inputs.metadata.name),
      );
    const from = (ns: string) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
      podSelector: {},
    });

    const siem = byNs("siem");
    assert.deepEqual(siem.map((p) => p.inputs.metadata.name).sort(), [
      "fortress-allow-from-sensors",
      "fortress-allow-to-identity",
    ]);
    const fromSensors = siem.find((p) => p.inputs.metadata.name === "fortress-allow-from-sensors")!;
    assert.deepEqual(fromSensors.inputs.spec, {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [from("sensors")],
          ports: [
            { port: 1514, protocol: "TCP" },
            { port: 1515, protocol: "TCP" },
          ],
        },
      ],
    });
    const toIdentity = siem.find((p) => p.inputs.metadata.name === "fortress-allow-to-identity")!;
    assert.deepEqual(toIdentity.inputs.spec, {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [from("identity")], ports: [{ port: 8443, protocol: "TCP" }] }],
    });

    const sensors = byNs("sensors");
    assert.deepEqual(
      sensors.map((p) => p.inputs.metadata.name),
      ["fortress-allow-to-siem"],
    );
    assert.deepEqual(sensors[0].inputs.spec.egress, [
      {
        to: [from("siem")],
        ports: [
          { port: 1514, protocol: "TCP" },
          { port: 1515, protocol: "TCP" },
        ],
      },
    ]);

    const identity = byNs("identity");
    assert.deepEqual(
      identity.map((p) => p.inputs.metadata.name),
      ["fortress-allow-from-siem"],
    );
    assert.deepEqual(identity[0].inputs.spec.ingress, [
      { from: [from("siem")], ports: [{ port: 8443, protocol: "TCP" }] },
    ]);

    // kube-system (the ingress controller) is not managed: only the target side gets a policy.
    const response = byNs("response");
    assert.deepEqual(response.map((p) => p.inputs.metadata.name).sort(), [
      "fortress-allow-from-kube-system",
      "fortress-allow-from-response",
      "fortress-allow-to-response",
    ]);
    assert.ok(!policies("base").some((p) => p.inputs.metadata.namespace === "kube-system"));

    // No policy anywhere admits a namespace that no flow names for it.
    const allowed = new Set(args.flows.map((f) => `${f.from}->${f.to}`));
    for (const policy of policies("base")) {
      const ns = policy.inputs.metadata.namespace as string;
      for (const rule of (policy.inputs.spec.ingress ?? []) as Inputs[]) {
        for (const peer of (rule.from ?? []) as Inputs[]) {
          const source = peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
          assert.ok(allowed.has(`${source}->${ns}`), `${ns} admits ${source}`);
        }
      }
      for (const rule of (policy.inputs.spec.egress ?? []) as Inputs[]) {
        for (const peer of (rule.to ?? []) as Inputs[]) {
          const target = peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
          if (policy.inputs.metadata.name === "fortress-allow-dns") continue;
          assert.ok(allowed.has(`${ns}->${target}`), `${ns} reaches ${target}`);
        }
      }
    }
  });

  it("opens the API server (by port) only to the baseline's own controllers", () => {
    const portOnly = policies("shared").filter((p) =>
      ((p.inputs.spec.egress ?? []) as Inputs[]).some((rule) => rule.to === undefined),
    );
    assert.deepEqual(portOnly.map((p) => p.inputs.metadata.namespace).sort(), [
      CERT_MANAGER_NAMESPACE,
      STORAGE_NAMESPACE,
    ]);
    for (const policy of portOnly) {
      assert.deepEqual(policy.inputs.spec.egress, [
        {
          ports: [
            { port: 443, protocol: "TCP" },
            { port: 6443, protocol: "TCP" },
          ],
        },
      ]);
    }
    const webhook = inNamespace(policies("base"), CERT_MANAGER_NAMESPACE).find(
      (p) => p.inputs.metadata.name === "fortress-allow-webhook",
    );
    assert.deepEqual(webhook?.inputs.spec.podSelector, {
      matchLabels: { "app.kubernetes.io/component": "webhook" },
    });
  });

  it("sets default requests and limits and a quota in every namespace", () => {
    for (const name of ["base", "shared"]) {
      for (const metadata of managed(name)) {
        const [limits] = inNamespace(ofKind(name, "kubernetes:core/v1:LimitRange"), metadata.name);
        assert.ok(limits, `${name}/${metadata.name} LimitRange`);
        const [container] = limits.inputs.spec.limits as Inputs[];
        assert.equal(container.type, "Container");
        for (const field of ["default", "defaultRequest"]) {
          assert.ok(container[field].cpu && container[field].memory, `${metadata.name} ${field}`);
        }
        const [quota] = inNamespace(ofKind(name, "kubernetes:core/v1:ResourceQuota"), metadata.name);
        assert.ok(quota, `${name}/${metadata.name} ResourceQuota`);
        for (const key of ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods"]) {
          assert.ok(quota.inputs.spec.hard[key], `${metadata.name} quota ${key}`);
        }
      }
    }
  });

  it("installs cert-manager from its pinned chart, with CRDs and requests and limits", () => {
    const [release] = ofKind("base", "kubernetes:helm.sh/v4:Chart").filter(
      (r) => r.inputs.chart === "cert-manager",
    );
    assert.ok(release);
    const inputs = release.inputs as Inputs;
    assert.match(inputs.version, /^v1\.\d+\.\d+$/);
    assert.ok(!JSON.stringify(inputs).includes("latest"));
    assert.equal(inputs.repositoryOpts.repo, "https://charts.jetstack.io");
    assert.equal(inputs.namespace, CERT_MANAGER_NAMESPACE);
    assert.equal(inputs.values.crds.enabled, true);
    // The startup API check runs as an ordinary Job (a helm.v4 Chart omits hooks): every hook
    // annotation of the chart's defaults is deleted by a null, and it has requests and limits.
    const check = inputs.values.startupapicheck;
    assert.equal(check.enabled, true);
    for (const annotations of [
      check.jobAnnotations,
      check.rbac.annotations,
      check.serviceAccount.annotations,
    ]) {
      assert.deepEqual(annotations, {
        "helm.sh/hook": null,
        "helm.sh/hook-weight": null,
        "helm.sh/hook-delete-policy": null,
      });
    }
    assert.ok(check.resources.limits.cpu && check.resources.limits.memory);
    for (const values of [inputs.values, inputs.values.webhook, inputs.values.cainjector]) {
      assert.ok(values.resources.requests.cpu && values.resources.requests.memory);
      assert.ok(values.resources.limits.cpu && values.resources.limits.memory);
    }
    // Installed only once its namespace is fenced: deny, DNS, API server, limits and quota exist first.
    const guards = inNamespace(
      childrenOf("base").filter((r) => /:(NetworkPolicy|LimitRange|ResourceQuota)$/.test(r.type)),
      CERT_MANAGER_NAMESPACE,
    );
    assert.equal(guards.length, 6);
    for (const guard of guards) {
      assert.ok(release.dependencies.includes(guard.urn), `release waits for ${guard.name}`);
    }
  });

  it("makes the internal CA in the program and hands it to cert-manager's CA issuer (issue 8, defect 20)", async () => {
    const release = child("base", "base-cert-manager");
    const key = child("base", "base-ca-key");
    const certificate = child("base", "base-ca-certificate");
    const secret = child("base", "base-ca-secret");
    const caIssuer = child("base", "base-ca-issuer");
    assert.equal(key.type, "tls:index/privateKey:PrivateKey");
    assert.deepEqual(
      { algorithm: key.inputs.algorithm, curve: key.inputs.ecdsaCurve },
      { algorithm: "ECDSA", curve: "P256" },
    );

    assert.equal(certificate.type, "tls:index/selfSignedCert:SelfSignedCert");
    assert.equal(certificate.inputs.isCaCertificate, true);
    assert.equal(certificate.inputs.subject.commonName, "Fortress Lab CA");
    assert.ok(certificate.inputs.allowedUses.includes("cert_signing"));
    assert.equal(
      certificate.inputs.privateKeyPem,
      REDACTED,
      "the CA key reaches the certificate in plaintext",
    );
    assert.ok(certificate.dependencies.includes(key.urn));

    assert.equal(secret.type, "kubernetes:core/v1:Secret");
    assert.equal(secret.inputs.type, "kubernetes.io/tls");
    assert.equal(secret.inputs.metadata.name, CA_SECRET);
    assert.equal(secret.inputs.metadata.namespace, CERT_MANAGER_NAMESPACE);
    assert.equal(secret.inputs.stringData, REDACTED, "the CA key is not secret in the CA Secret");
    assert.ok(secret.dependencies.includes(certificate.urn) && secret.dependencies.includes(key.urn));

    assert.equal(caIssuer.type, "kubernetes:cert-manager.io/v1:ClusterIssuer");
    assert.equal(caIssuer.inputs.metadata.name, CA_ISSUER);
    assert.deepEqual(caIssuer.inputs.spec, { ca: { secretName: CA_SECRET } });
    assert.ok(caIssuer.dependencies.includes(secret.urn));
    assert.ok(caIssuer.dependencies.includes(release.urn));
    assert.deepEqual(
      childrenOf("base").filter((r) => r.type === "kubernetes:cert-manager.io/v1:Certificate"),
      [],
      "cert-manager no longer makes a CA of its own",
    );
    assert.equal(plain.clusterIssuer, CA_ISSUER);
    assert.equal(await pulumi.isSecret(plain.caCertificatePem), false, "the CA certificate is public");
  });

  it("pins the Pod Security version to the minor of the pinned k3s release", () => {
    const minor = /^(v\d+\.\d+)\./.exec(DEFAULT_PLATFORM.k3sVersion)?.[1];
    assert.equal(POD_SECURITY_VERSION, minor);
  });

  it("provides a local-path class that retains volumes (not a second default), and RWX only when asked", () => {
    for (const name of ["base", "shared"]) {
      const classes = ofKind(name, "kubernetes:storage.k8s.io/v1:StorageClass");
      assert.equal(classes.length, 1);
      const local = classes[0].inputs as Inputs;
      assert.equal(local.metadata.name, DEFAULT_STORAGE_CLASS);
      // k3s's own local-path class is the cluster's default: a second one would make claims ambiguous.
      assert.equal(local.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"], undefined);
      assert.equal(local.provisioner, "rancher.io/local-path");
      // `local` volumes, so that the kubelet applies the pods' fsGroup (hostPath volumes get none).
      assert.equal(local.metadata.annotations?.defaultVolumeType, "local");
      assert.equal(local.reclaimPolicy, "Retain");
      assert.equal(local.volumeBindingMode, "WaitForFirstConsumer");
    }
    assert.deepEqual(plain.storageClasses, { default: DEFAULT_STORAGE_CLASS });
    assert.equal(
      ofKind("base", "kubernetes:helm.sh/v4:Chart").filter((r) => r.inputs.chart !== "cert-manager").length,
      0,
    );
    assert.ok(!managed("base").some((m) => m.name === STORAGE_NAMESPACE));

    assert.deepEqual(shared.storageClasses, { default: DEFAULT_STORAGE_CLASS, rwx: RWX_STORAGE_CLASS });
    const [nfs] = ofKind("shared", "kubernetes:helm.sh/v4:Chart").filter(
      (r) => r.inputs.chart === "nfs-subdir-external-provisioner",
    );
    assert.ok(nfs);
    const inputs = nfs.inputs as Inputs;
    assert.match(inputs.version, /^\d+\.\d+\.\d+$/);
    assert.equal(
      inputs.repositoryOpts.repo,
      "https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/",
    );
    assert.equal(inputs.namespace, STORAGE_NAMESPACE);
    assert.deepEqual(inputs.values.nfs, { server: "10.0.20.5", path: "/export/cortex" });
    assert.equal(inputs.values.storageClass.name, RWX_STORAGE_CLASS);
    assert.equal(inputs.values.storageClass.reclaimPolicy, "Retain");
    assert.equal(inputs.values.storageClass.accessModes, "ReadWriteMany");
    assert.equal(inputs.values.storageClass.defaultClass, false);
    assert.ok(inputs.values.resources.requests.memory && inputs.values.resources.limits.memory);
    // The provisioner mounts an nfs volume: its namespace is baseline, not privileged.
    const storage = managed("shared").find((m) => m.name === STORAGE_NAMESPACE);
    assert.equal(storage?.labels["pod-security.kubernetes.io/enforce"], "baseline");
  });

  it("rejects unknown flow ends, reserved or duplicate namespaces and empty ports, registering nothing", () => {
    const bad: BaselineArgs = {
      namespaces: [
        { name: "siem", layer: "siem", podSecurity: "restricted" },
        { name: "siem", layer: "siem", podSecurity: "restricted" },
        { name: "cert-manager", layer: "platform", podSecurity: "restricted" },
      ],
      flows: [
        { from: "sensors", to: "siem", ports: [{ port: 1514, protocol: "TCP" }] },
        { from: "siem", to: "siem", ports: [] },
        { from: "siem", to: "kube-system", ports: [{ port: 70000, protocol: "TCP" }] },
      ],
      caCommonName: " ",
    };
    const before = resources.length;
    assert.throws(
      () => new Baseline("bad", bad, {}),
      (error: Error) =>
        [
          /"siem" is declared twice/,
          /"cert-manager" is reserved/,
          /"sensors" is not a managed namespace/,
          /siem → siem: no ports/,
          /port 70000/,
          /caCommonName is empty/,
        ].every((pattern) => pattern.test(error.message)),
    );
    assert.equal(resources.length, before);
  });
});
