/**
 * The module graph of the production code, read from the import and export statements (type-only ones
 * included): no cycle, and the arrows of the code layout (README, "Code layout") run one way. ESLint's
 * boundary rules hold the components and the pack; this holds the lab model and the whole graph.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";

const root = resolve(__dirname, "..");
const PRODUCTION_ROOTS = ["index.ts", "stacks", "components", "policies", "vocabulary"];
const SKIPPED = /(\.test|\.fixtures)\.ts$|\/node_modules\/|^stacks\/plan\/|^bench\//;

function productionFiles(): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    const full = join(root, path);
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full)) if (entry !== "node_modules") walk(join(path, entry));
    } else if (path.endsWith(".ts") && !SKIPPED.test(path)) {
      files.push(path);
    }
  };
  for (const path of PRODUCTION_ROOTS) walk(path);
  return files.sort();
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/g;

/** The project files a file imports (relative specifiers only; packages are not part of the graph). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const targets: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? "";
    if (!specifier.startsWith(".")) continue;
    const base = join(dirname(file), specifier);
    const target = [`${base}.ts`, join(base, "index.ts")].find((candidate) =>
      existsSync(join(root, candidate)),
    );
    assert.ok(target, `${file} imports ${specifier}, which resolves to no file`);
    targets.push(relative(root, join(root, target)));
  }
  return targets;
}

const graph = new Map(productionFiles().map((file) => [file, importsOf(file)] as const));

/** Strongly connected components with more than one file, or a file that imports itself (Tarjan). */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (edges.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The lab model: pure, importing only itself, the blueprint data and the vocabulary. */
const LAB_MODEL =
  /^stacks\/(config\/[^/]+|blueprint|catalog|inventory|placement|placementAdvice|clusterPlacement|profiles|demand|addressing|lab|cluster|hostnames)\.ts$/;

describe("the module graph", () => {
  it("reads enough of the code for its checks to mean something", () => {
    assert.ok(graph.size > 100, `only ${graph.size} production files found`);
    assert.ok([...graph.values()].flat().length > 300, "too few imports found");
  });

  it("finds a cycle when there is one (the detector itself)", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    assert.deepEqual(cycles(looped), [["a.ts", "b.ts", "c.ts"]]);
    assert.deepEqual(
      cycles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
      [],
    );
  });

  it("has no import cycle, type-only imports included", () => {
    assert.deepEqual(cycles(graph), []);
  });

  it("keeps the lab model pure: it imports no component, layer builder, planner or pack", () => {
    const outside = [...graph]
      .filter(([file]) => LAB_MODEL.test(file))
      .flatMap(([file, targets]) =>
        targets
          .filter((target) => !LAB_MODEL.test(target) && !target.startsWith("vocabulary/"))
          .map((target) => `${file} → ${target}`),
      );
    assert.deepEqual(outside, []);
  });

  it("gives the pack only the vocabulary and the blueprint data", () => {
    const outside = [...graph]
      .filter(([file]) => file.startsWith("policies/"))
      .flatMap(([file, targets]) =>
        targets
          .filter(
            (target) =>
              !target.startsWith("policies/") &&
              !target.startsWith("vocabulary/") &&
              target !== "stacks/blueprint.ts",
          )
          .map((target) => `${file} → ${target}`),
      );
    assert.deepEqual(outside, []);
  });

  it("lets nothing but the entry point and the tools import the composition root", () => {
    const root = /^stacks\/(main|compose|layerOrder|outputs)\.ts$|^stacks\/layers\//;
    const outside = [...graph]
      .filter(([file]) => !root.test(file) && file !== "index.ts")
      .flatMap(([file, targets]) =>
        targets.filter((target) => root.test(target)).map((target) => `${file} → ${target}`),
      );
    assert.deepEqual(outside, []);
  });
});
