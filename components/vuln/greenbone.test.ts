import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureRegistrations } from "../../stacks/plan/capture";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { GVM_EXPORT_DIR } from "./gvmProgram";
import { GREENBONE_TYPE, Greenbone, rescanCommand } from "./greenbone";
import { SAMPLE_DIGESTS } from "./sample.fixtures";
import { PIN_LINE_PREFIX } from "./imagePins";
import { evaluatePolicies } from "../../policies/lib/offline";
import { greenboneNoDefaultPassword } from "../../policies/rules/greenbone-no-default-password";

const CANARY = {
  admin: "Admin-Greenbone-CANARY-0001",
  tlsKey: "-----BEGIN EC PRIVATE KEY-----\nTLS-KEY-CANARY-0002\n-----END EC PRIVATE KEY-----\n",
  scanKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nSCAN-KEY-CANARY-0003\n-----END OPENSSH PRIVATE KEY-----\n",
  caKey: "-----BEGIN EC PRIVATE KEY-----\nCA-KEY-CANARY-0004\n-----END EC PRIVATE KEY-----\n",
  ssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nSSH-CANARY-0005\n-----END OPENSSH PRIVATE KEY-----\n",
};
const SCAN_PUBLIC = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIScanPublicKey000000000000000000000000000";
const CERT = "-----BEGIN CERTIFICATE-----\nGREENBONE-CERT\n-----END CERTIFICATE-----\n";
const CA_CERT = "-----BEGIN CERTIFICATE-----\nLAB-CA\n-----END CERTIFICATE-----\n";
/** Pulumi's wire form of a secret value (@pulumi/pulumi runtime/rpc.ts specialSigKey, specialSecretSig). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** What an install prints: apt and compose noise around the pin lines. */
const INSTALL_STDOUT = [
  "Reading package lists...",
  ...Object.entries(SAMPLE_DIGESTS).map(([name, digest]) => `${PIN_LINE_PREFIX} ${name} ${digest}`),
  "Container greenbone-community-edition-gvmd-1  Started",
  "",
].join("\n");

type Inputs = Record<string, any>;
let resources: CapturedResource[] = [];
let greenbone: Greenbone;
let unpinned: Greenbone;
let unpinnedInstall = "";
const seen = new Map<
  string,
  { stdin?: { value: string; secret: boolean }; create: string; connection: Inputs }
>();

const settle = <T>(output: pulumi.Output<T>) =>
  new Promise<{ value: T; secret: boolean }>((resolve) =>
    pulumi
      .all([output, pulumi.isSecret(output)])
      .apply(([value, secret]) => resolve({ value: value as T, secret })),
  );
const named = (suffix: string) => {
  const found = resources.find((resource) => resource.name === `gb-${suffix}`);
  assert.ok(found, `no resource gb-${suffix}`);
  return found;
};
const host = (name: string, address: string) => ({
  name,
  address,
  fqdn: `${name}.lab.example`,
  hostKey: `ssh-ed25519 AAAA${name}`,
  user: "ops",
  privateKey: pulumi.secret(CANARY.ssh),
});

describe("Greenbone", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (mock) => ({
          id: `${mock.name}-id`,
          state: {
            ...mock.inputs,
            ...(mock.name === "gb-admin-password" ? { result: CANARY.admin } : {}),
            ...(mock.name === "gb-tls-key" ? { privateKeyPem: CANARY.tlsKey } : {}),
            ...(mock.name.endsWith("-tls-certificate") ? { certPem: CERT } : {}),
            // The install's stdout as the engine may hand it back: secret, like its stdin.
            ...(mock.name === "gb-install"
              ? { stdout: { [SECRET_SIG]: SECRET_VALUE, value: INSTALL_STDOUT } }
              : {}),
            ...(mock.name === "gb-scan-key"
              ? { privateKeyOpenssh: CANARY.scanKey, publicKeyOpenssh: SCAN_PUBLIC }
              : {}),
          },
        }),
        call: (mock) => mock.inputs,
      },
      "fortress",
      "unit",
      false,
    );
    resources = captureRegistrations();
    greenbone = new Greenbone("gb", {
      host: host("greenbone-1", "10.0.10.40"),
      ca: { certificatePem: pulumi.output(CA_CERT), privateKeyPem: pulumi.secret(CANARY.caKey) },
      imageDigests: SAMPLE_DIGESTS,
      targets: [
        { name: "servers", hosts: ["10.0.20.0/24"] },
        { name: "management", hosts: ["10.0.10.0/24"] },
      ],
      scanHosts: [host("k3s-server-1", "10.0.20.11"), host("wazuh-manager-1", "10.0.20.30")],
    });
    for (const command of [greenbone.install, greenbone.reconcile, ...greenbone.scanUsers]) {
      const [urn, create, connection] = await Promise.all([
        settle(command.urn),
        settle(command.create as pulumi.Output<string>),
        settle(command.connection as pulumi.Output<Inputs>),
      ]);
      const stdin = command.stdin ? await settle(command.stdin as pulumi.Output<string>) : undefined;
      seen.set(urn.value.split("::").pop() as string, {
        stdin,
        create: create.value,
        connection: connection.value,
      });
    }
    unpinned = new Greenbone("gbx", {
      host: host("greenbone-2", "10.0.10.41"),
      ca: { certificatePem: pulumi.output(CA_CERT), privateKeyPem: pulumi.secret(CANARY.caKey) },
      targets: [{ name: "servers", hosts: ["10.0.20.0/24"] }],
    });
    unpinnedInstall = (await settle(unpinned.install.create as pulumi.Output<string>)).value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it("registers under fortress:vuln:Greenbone with every resource its child", () => {
    assert.equal(GREENBONE_TYPE, COMPONENT_TYPES.greenbone);
    assert.equal(GREENBONE_TYPE, "fortress:vuln:Greenbone");
    const component = resources.find(
      (resource) => resource.type === GREENBONE_TYPE && resource.name === "gb",
    );
    assert.ok(component);
    const others = resources.filter(
      (resource) => resource !== component && (resource.name === "gb" || resource.name.startsWith("gb-")),
    );
    assert.ok(others.length >= 9);
    for (const resource of others) assert.equal(resource.parent, component.urn, resource.name);
    assert.deepEqual((component.inputs as Inputs).targets, [
      { name: "servers", hosts: ["10.0.20.0/24"] },
      { name: "management", hosts: ["10.0.10.0/24"] },
    ]);
    assert.equal((component.inputs as Inputs).adminPasswordType, "random");
  });

  it("installs over SSH pinned to the host key, the admin password and TLS key only on secret stdin", () => {
    const install = seen.get("gb-install");
    assert.ok(install);
    assert.equal(install.connection.host, "10.0.10.40");
    assert.equal(install.connection.hostKey, "ssh-ed25519 AAAAgreenbone-1");
    assert.deepEqual(install.stdin, { value: `${CANARY.admin}\n${CANARY.tlsKey}`, secret: true });
    assert.ok(install.create.includes(CERT.trim()));
    assert.match(install.create, /- 10\.0\.10\.40:443:443/);
    for (const value of Object.values(CANARY))
      assert.ok(!install.create.includes(value.trim()), "a secret in the script");
    for (const name of ["install", "targets"]) assert.equal((named(name).inputs as Inputs).logging, "none");
  });

  it("makes the admin password random (32, protected), never admin", () => {
    const password = named("admin-password");
    assert.equal(password.type, "random:index/randomPassword:RandomPassword");
    assert.equal((password.inputs as Inputs).length, 32);
    assert.ok(password.protect);
    assert.ok(named("tls-key").protect);
    assert.deepEqual((named("tls-request").inputs as Inputs).dnsNames, [
      "greenbone-1.lab.example",
      "localhost",
    ]);
  });

  it("creates the scan user on each scan host from the Greenbone VM's address only, and hands gvmd the key on stdin", () => {
    for (const [name, address] of [
      ["k3s-server-1", "10.0.20.11"],
      ["wazuh-manager-1", "10.0.20.30"],
    ] as const) {
      const user = seen.get(`gb-scan-user-${name}`);
      assert.ok(user, name);
      assert.equal(user.connection.host, address);
      assert.ok(user.create.includes(`restrict,from="10.0.10.40" ${SCAN_PUBLIC} fortress-scan`));
    }
    assert.equal((named("scan-key").inputs as Inputs).algorithm, "ED25519");
    const reconcile = seen.get("gb-targets");
    assert.deepEqual(reconcile?.stdin, { value: CANARY.scanKey, secret: true });
    assert.ok(reconcile?.create.includes('"name": "fortress-servers"'));
    const dependencies = named("targets").dependencies;
    for (const name of ["install", "scan-user-k3s-server-1", "scan-user-wazuh-manager-1"])
      assert.ok(dependencies.includes(named(name).urn), name);
  });

  it("passes the pack's greenbone-no-default-password as the plan records it", async () => {
    assert.ok(named("install").dependencies.includes(named("admin-password").urn));
    assert.deepEqual(await evaluatePolicies([greenboneNoDefaultPassword], resources), []);
  });

  it("keeps every secret out of the recorded inputs", () => {
    const recorded = JSON.stringify(resources);
    for (const value of Object.values(CANARY))
      assert.ok(!recorded.includes(value.trim()), `${value} is recorded`);
  });

  it("exposes the web URL, the export directory, the admin password as a secret, and the rescan command", async () => {
    assert.equal(greenbone.webUrl, "https://greenbone-1.lab.example/");
    assert.equal(greenbone.exportDir, GVM_EXPORT_DIR);
    assert.deepEqual(await settle(greenbone.adminPassword), { value: CANARY.admin, secret: true });
    assert.equal(rescanCommand("servers"), "sudo /usr/local/sbin/fortress-rescan servers");
    assert.throws(() => rescanCommand("servers; reboot"), /not a Fortress scan target name/);
  });

  it("writes the configured digests to .env with the install, and exposes the printed ones in the clear", async () => {
    const install = seen.get("gb-install");
    assert.ok(install?.create.includes(`FORTRESS_DIGEST_GVMD=${SAMPLE_DIGESTS.gvmd}`));
    assert.ok(install?.create.includes('sh "$work/fortress-greenbone-pin" --print'));
    const component = resources.find(
      (resource) => resource.name === "gb" && resource.type === GREENBONE_TYPE,
    );
    assert.equal((component?.inputs as Inputs).imagePins, "configured");
    assert.deepEqual(await settle(greenbone.pinnedDigests), { value: SAMPLE_DIGESTS, secret: false });
  });

  it("without imageDigests, pins on the first install and keeps them (no digest in the script)", async () => {
    assert.doesNotMatch(unpinnedInstall, /FORTRESS_DIGEST_[A-Z_]+=|sha256:[0-9a-f]{64}/);
    assert.match(unpinnedInstall, /^sh "\$work\/fortress-greenbone-pin"$/m);
    const component = resources.find(
      (resource) => resource.name === "gbx" && resource.type === GREENBONE_TYPE,
    );
    assert.equal((component?.inputs as Inputs).imagePins, "first-install");
    // No complete table printed (the mock install printed nothing): nothing to copy.
    assert.deepEqual((await settle(unpinned.pinnedDigests)).value, {});
    assert.deepEqual(await evaluatePolicies([greenboneNoDefaultPassword], resources), []);
  });

  it("refuses a malformed configured digest before registering anything", () => {
    assert.throws(
      () =>
        new Greenbone("bad-digest", {
          host: host("greenbone-1", "10.0.10.40"),
          ca: { certificatePem: pulumi.output(CA_CERT), privateKeyPem: pulumi.secret(CANARY.caKey) },
          imageDigests: { ...SAMPLE_DIGESTS, gvmd: "stable" },
          targets: [{ name: "servers", hosts: ["10.0.20.0/24"] }],
        }),
      /gvmd: not sha256/,
    );
    assert.ok(!resources.some((resource) => resource.name.startsWith("bad-digest")));
  });

  it("refuses bad targets before registering anything", () => {
    assert.throws(
      () =>
        new Greenbone("bad", {
          host: host("greenbone-1", "10.0.10.40"),
          ca: { certificatePem: pulumi.output(CA_CERT), privateKeyPem: pulumi.secret(CANARY.caKey) },
          imageDigests: SAMPLE_DIGESTS,
          targets: [{ name: "x", hosts: ["10.0.0.0/8"] }],
        }),
      /4095/,
    );
  });
});
