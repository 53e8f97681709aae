/**
 * The layer builders stay independent: none imports another (what two of them share is the lab
 * model's: stacks/cluster.ts, stacks/hostnames.ts, the catalog), so none can import a layer
 * downstream of it; and only the composition root imports the builders.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";

const LAYERS_DIR = __dirname;
const STACKS_DIR = dirname(LAYERS_DIR);
const ROOT = dirname(STACKS_DIR);

/** The modules a file imports (relative ones, resolved to absolute paths without extension). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name).replace(/\.ts$/, ""));
}

const isTest = (file: string) => /\.(test|fixtures)\.ts$/.test(file);

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : productionFiles(path);
    return entry.name.endsWith(".ts") && !isTest(path) ? [path] : [];
  });
}

const indexFile = join(LAYERS_DIR, "index.ts");
/** The builder modules: what the registry imports from stacks/layers, but its types. */
const builders = new Set(
  importsOf(indexFile).filter(
    (module) => dirname(module) === LAYERS_DIR && module !== join(LAYERS_DIR, "types"),
  ),
);
const show = (module: string) => relative(ROOT, module);

describe("the boundaries of stacks/layers", () => {
  it("finds the builders through the registry", () => {
    assert.ok(builders.size >= 6, `only ${[...builders].map(show).join(", ")}`);
  });

  it("no file of stacks/layers but the registry imports a builder", () => {
    const offences = productionFiles(LAYERS_DIR)
      .filter((file) => file !== indexFile)
      .flatMap((file) =>
        importsOf(file)
          .filter((module) => builders.has(module))
          .map((module) => `${show(file)} imports ${show(module)}`),
      );
    assert.deepEqual(offences, [], "move what builders share into the lab model (stacks/*.ts)");
  });

  it("outside stacks/layers, only the composition root imports it", () => {
    const root = join(STACKS_DIR, "compose");
    const offences = [
      join(ROOT, "index.ts"),
      ...productionFiles(join(ROOT, "stacks")),
      ...productionFiles(join(ROOT, "components")),
      ...productionFiles(join(ROOT, "policies")),
    ]
      .filter((file) => !file.startsWith(LAYERS_DIR + "/") && file.replace(/\.ts$/, "") !== root)
      .flatMap((file) =>
        importsOf(file)
          .filter((module) => module === LAYERS_DIR || module.startsWith(LAYERS_DIR + "/"))
          .map((module) => `${show(file)} imports ${show(module)}`),
      );
    assert.deepEqual(offences, []);
  });
});
