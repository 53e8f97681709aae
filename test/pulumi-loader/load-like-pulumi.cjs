// Loads index.ts the way `pulumi up` does: Pulumi's Node host registers its vendored ts-node 7 with the
// project's `typescript` and the tsconfig's options (mirroring @pulumi/pulumi/cmd/run/run.js, non-ESM
// branch), then requires the program. Here it runs under Pulumi's mocks, with config from the
// FORTRESS_LOADER_CONFIG environment variable, and prints the registered resource types and the stack
// outputs (the module's exports, each with whether it is secret) as JSON.
"use strict";
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
process.chdir(root);
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const tsutils = require(path.join(pulumiDir, "tsutils"));
const semver = require(require.resolve("semver", { paths: [pulumiDir] }));

const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const tsVersion = semver.parse(require(typescriptRequire).version);
const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly: compilerOptions.noCheck,
  project: tsConfigPath,
  skipProject: false,
  compilerOptions: {
    target: "ES2020",
    module: useNodeNext ? "nodenext" : "commonjs",
    moduleResolution: useNodeNext ? "nodenext" : "node",
    sourceMap: "true",
    ...compilerOptions,
  },
});

const pulumi = require("@pulumi/pulumi");

async function main() {
  const types = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        types.push(args.type);
        // @pulumi/tls PrivateKey answers an OpenSSH pair (the VMs' SSH host keys go into user-data).
        const keyPair =
          args.type === "tls:index/privateKey:PrivateKey"
            ? {
                privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\nloader-${args.name}\n-----END OPENSSH PRIVATE KEY-----\n`,
                publicKeyOpenssh: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5loader\n",
              }
            : {};
        // A certificate request and a certificate signed by the lab's CA answer PEM text, as @pulumi/tls does
        // (the Wazuh manager's certificate is written into its install script).
        const pem = (kind) => `-----BEGIN ${kind}-----\nloader-${args.name}\n-----END ${kind}-----\n`;
        const certificate =
          args.type === "tls:index/locallySignedCert:LocallySignedCert" ||
          args.type === "tls:index/selfSignedCert:SelfSignedCert"
            ? { certPem: pem("CERTIFICATE") }
            : args.type === "tls:index/certRequest:CertRequest"
              ? { certRequestPem: pem("CERTIFICATE REQUEST") }
              : args.type === "tls:index/privateKey:PrivateKey"
                ? { privateKeyPem: pem("PRIVATE KEY") }
                : {};
        // @pulumi/random's RandomPassword answers `result` at the length asked (MISP checks its keys' shape).
        const password =
          args.type === "random:index/randomPassword:RandomPassword"
            ? { result: `loader${"0".repeat(Math.max(0, (args.inputs.length ?? 16) - 6))}` }
            : {};
        // The Proxmox provider answers a token's `value` as `<user>!<token>=<secret>` (the monitoring
        // layer's exporter writes it into its pve.yml).
        const token =
          args.type === "proxmoxve:user/token:Token"
            ? { value: `${args.inputs.userId}!${args.inputs.tokenName}=loader-${args.name}` }
            : {};
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            vmId: 100 + types.length,
            ...keyPair,
            ...certificate,
            ...password,
            ...token,
          },
        };
      },
      call(args) {
        return args.inputs;
      },
    },
    "fortress",
    "home",
    false,
  );
  const { values, secretKeys } = JSON.parse(process.env.FORTRESS_LOADER_CONFIG ?? "{}");
  pulumi.runtime.setAllConfig(values ?? {}, secretKeys ?? []);
  let exported = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    exported = require(path.join(root, "index.ts"));
    return exported;
  });
  // The stack outputs are the module's exports; record which of them Pulumi would keep secret.
  const outputs = {};
  for (const [key, value] of Object.entries(exported)) {
    outputs[key] = { secret: pulumi.Output.isInstance(value) ? await pulumi.isSecret(value) : false };
  }
  await pulumi.runtime.disconnect();
  process.stdout.write(`${JSON.stringify({ typescript: tsVersion?.version, types, outputs })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
