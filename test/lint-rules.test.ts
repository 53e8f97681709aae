/**
 * The boundaries and the size guard of eslint.config.mjs fire: each rule is fed a deliberate violation
 * through ESLint's Node API (the real config, only those two rules), and code that keeps the rule passes.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { ESLint } from "eslint";
import { LAYERS, upstreamOf } from "../stacks/blueprint";

const ROOT = join(__dirname, "..");
const GUARDED = new Set(["no-restricted-imports", "max-lines", "max-lines-per-function"]);
// Type information is not needed by these rules, so no TypeScript program is built for the snippets.
const eslint = new ESLint({
  cwd: ROOT,
  ruleFilter: ({ ruleId }) => GUARDED.has(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

/** The guarded rules that fire on `code` as if it were the file at `path` (relative to the repository). */
async function firing(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  assert.ok(result, `no lint result for ${path}`);
  const fatal = result.messages.filter((message) => message.fatal);
  assert.deepEqual(fatal, [], `${path} did not parse`);
  return result.messages.map((message) => message.ruleId ?? "");
}

const importing = (specifier: string) =>
  `import { thing } from "${specifier}";\nexport const used = thing;\n`;
const fires = async (path: string, specifier: string) =>
  (await firing(path, importing(specifier))).includes("no-restricted-imports");

describe("module boundaries (eslint.config.mjs)", () => {
  it("a layer's components import only the components of its upstream layers, per stacks/blueprint.ts", async () => {
    for (const layer of LAYERS) {
      const upstream = upstreamOf(layer);
      for (const other of LAYERS) {
        if (other === layer) continue;
        const path = `components/${layer}/${layer}.ts`;
        assert.equal(
          await fires(path, `../${other}/${other}`),
          !upstream.has(other),
          `${layer} importing ${other}: ${upstream.has(other) ? "upstream, allowed" : "not upstream, refused"}`,
        );
      }
    }
  });

  it("the layer rule holds at any depth and through components/ (identity importing siem)", async () => {
    assert.equal(await fires("components/identity/keycloak/realm.ts", "../../siem/siem"), true);
    assert.equal(await fires("components/identity/identity.ts", "../../components/siem/siem"), true);
    assert.equal(await fires("components/identity/keycloak/realm.ts", "../siem"), false, "its own subfolder");
    assert.equal(await fires("components/identity/identity.ts", "../platform/baseline"), false);
  });

  it("components never import the composition root, the planner, the pack, the tests or the entry point", async () => {
    for (const specifier of [
      "../../stacks/lab",
      "../../stacks/plan/capture",
      "../../policies/lib/offline",
      "../../test/support/fixtures",
      "../../index",
    ])
      assert.equal(await fires("components/time/time.ts", specifier), true, specifier);
    assert.equal(await fires("components/opnsense/client.ts", "../../stacks/config/schema"), true);
    assert.equal(
      await fires("components/time/time.ts", "../../vocabulary/ports"),
      false,
      "vocabulary/ is shared",
    );
    assert.equal(await fires("components/time/time.ts", "../opnsense/resources"), false, "a shared block");
    assert.equal(await fires("components/time/time.ts", "@pulumi/pulumi"), false);
  });

  it("a component's tests may use the planner's capture, never a downstream layer", async () => {
    assert.equal(await fires("components/time/time.test.ts", "../../stacks/plan/capture"), false);
    assert.equal(await fires("components/time/time.test.ts", "../identity/identity"), true);
  });

  it("shared blocks import no layer", async () => {
    assert.equal(await fires("components/opnsense/client.ts", "../network/types"), true);
    assert.equal(await fires("components/cloud-init/userData.ts", "../../components/platform/k3s"), true);
    assert.equal(await fires("components/hypervisor/hypervisor.ts", "../proxmox/provider"), false);
    assert.equal(await fires("components/opnsense/client.ts", "../proxmox/provider"), false);
  });

  it("the pack imports only vocabulary/ and the blueprint data", async () => {
    for (const specifier of [
      "../../components/network/types",
      "../../stacks/lab",
      "../../stacks/plan/capture",
      "../../test/support/fixtures",
      "../../stacks/blueprint/extra",
    ])
      assert.equal(await fires("policies/rules/inventory.ts", specifier), true, specifier);
    assert.equal(await fires("policies/registry.ts", "../stacks/lab"), true);
    assert.equal(await fires("policies/registry.ts", "../components/opnsense/items"), true);
    assert.equal(await fires("policies/rules/inventory.ts", "../../stacks/catalog"), true);
    for (const specifier of [
      "../../stacks/blueprint",
      "../../vocabulary/ports",
      "../lib/resources",
      "@pulumi/policy",
    ])
      assert.equal(await fires("policies/rules/inventory.ts", specifier), false, specifier);
    assert.equal(await fires("policies/registry.ts", "./rules/inventory"), false);
  });

  it("vocabulary/ imports none of components, stacks and the pack", async () => {
    assert.equal(await fires("vocabulary/ports.ts", "../stacks/blueprint"), true);
    assert.equal(await fires("vocabulary/ports.ts", "../components/network/services"), true);
    assert.equal(await fires("vocabulary/ports.ts", "./addresses"), false);
    assert.equal(await fires("vocabulary/ports.ts", "ipaddr.js"), false);
  });
});

/** `lines` lines of statements inside one function. */
const longFunction = (lines: number) =>
  `export function long(): number {\n  let n = 0;\n${"  n += 1;\n".repeat(lines - 4)}  return n;\n}\n`;
/** `lines` lines of top-level statements. */
const longFile = (lines: number) => `export let n = 0;\n${"n += 1;\n".repeat(lines - 1)}`;

describe("size guard (eslint.config.mjs)", () => {
  it("a production function over 120 lines fires; comments and blank lines do not count", async () => {
    assert.deepEqual(await firing("stacks/lab.ts", longFunction(120)), []);
    assert.deepEqual(await firing("stacks/lab.ts", longFunction(121)), ["max-lines-per-function"]);
    const padded = longFunction(120).replace("  return n;", `${"  // why\n\n".repeat(30)}  return n;`);
    assert.deepEqual(await firing("stacks/lab.ts", padded), []);
  });

  it("a production file over 400 lines fires unless its top comment says why", async () => {
    assert.deepEqual(await firing("components/time/time.ts", longFile(400)), []);
    assert.deepEqual(await firing("components/time/time.ts", longFile(401)), ["max-lines"]);
    const reasoned = `/* eslint-disable max-lines -- one table of every OPNsense endpoint */\n${longFile(401)}`;
    assert.deepEqual(await firing("components/time/time.ts", reasoned), []);
  });

  it("tests and fixtures are not guarded", async () => {
    for (const path of [
      "components/time/time.test.ts",
      "policies/rules/inventory.fixtures.ts",
      "test/support/fixtures.ts",
    ])
      assert.deepEqual(await firing(path, longFile(401) + longFunction(130)), [], path);
  });
});

describe("size-guard exceptions in the repository", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.name === "node_modules" || entry.name.startsWith(".")
        ? []
        : entry.isDirectory()
          ? files(join(dir, entry.name))
          : /\.(ts|mjs)$/.test(entry.name)
            ? [join(dir, entry.name)]
            : [],
    );

  it("every exception is the file's first line and says why (`-- <reason>`)", () => {
    const problems = files(ROOT).flatMap((file) => {
      const lines = readFileSync(file, "utf8").split("\n");
      return lines.flatMap((line, index) =>
        /^\s*(\/\*|\/\/)\s*eslint-disable(-next-line|-line)?\s+[^*]*\bmax-lines/.test(line) &&
        !(index === 0 && /^\/\* eslint-disable [^*]*max-lines[^*]* -- \S[^*]*\*\/$/.test(line))
          ? [`${relative(ROOT, file)}:${index + 1}: ${line.trim()}`]
          : [],
      );
    });
    assert.deepEqual(problems, []);
  });
});
