// Loads policies/index.ts the way `pulumi preview --policy-pack policies` does: Pulumi's policy-pack
// host (@pulumi/pulumi/cmd/run-policy-pack/run.js) registers the vendored ts-node 7, type-checking,
// with the project's `typescript` and the pack's tsconfig, from inside the pack's folder, then
// requires the pack. The pack starts its gRPC server and prints its port; this script exits then.
"use strict";
const path = require("node:path");

const pack = path.resolve(__dirname, "..", "..", "policies");
process.chdir(pack);
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [pack] }));
const tsutils = require(path.join(pulumiDir, "tsutils"));
const semver = require(require.resolve("semver", { paths: [pulumiDir] }));
const fs = require("node:fs");

const tsConfigPath = "tsconfig.json";
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const tsVersion = semver.parse(require(typescriptRequire).version);
const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
require(tsnodeRequire).register({
  typeCheck: true,
  skipProject: !fs.existsSync(tsConfigPath),
  compiler: typescriptRequire,
  compilerOptions: {
    target: "ES2020",
    module: useNodeNext ? "nodenext" : "commonjs",
    moduleResolution: useNodeNext ? "nodenext" : "node",
    sourceMap: "true",
    ...tsutils.loadTypeScriptCompilerOptions(tsConfigPath),
  },
});

const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const text = String(chunk).trim();
  if (/^\d+$/.test(text)) {
    write(`${JSON.stringify({ port: Number(text) })}\n`, () => process.exit(0));
    return true;
  }
  return write(chunk, ...rest);
};
require(path.join(pack, "index.ts"));
setTimeout(() => {
  process.stderr.write("the policy pack did not start its server within 120 s\n");
  process.exit(1);
}, 120_000).unref();
