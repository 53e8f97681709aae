// Lint rules: ESLint's and typescript-eslint's recommended sets, type-aware where it pays; the module
// boundaries of the code layout; a size guard that keeps functions and files reviewable.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import js from "@eslint/js";
import ts from "typescript";
import tseslint from "typescript-eslint";

// The layer order comes from the blueprint itself, so a new layer or edge moves the boundaries without
// touching this file. blueprint.ts imports nothing, so its JavaScript runs on its own.
const { LAYERS, upstreamOf } = await import(
  `data:text/javascript,${encodeURIComponent(
    ts.transpileModule(readFileSync(join(import.meta.dirname, "stacks", "blueprint.ts"), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText,
  )}`
);

/** Folders under components/ that are not layers are shared blocks (opnsense, proxmox, cloud-init, …). */
const SHARED_BLOCKS = readdirSync(join(import.meta.dirname, "components"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !LAYERS.includes(entry.name))
  .map((entry) => entry.name);

/** Tests and fixtures: the size guard and the production-only boundaries do not apply. */
const TESTS_AND_FIXTURES = [
  "**/*.test.ts",
  "**/*.fixtures.ts",
  "test/support/**",
  "policies/lib/fixtures.ts",
];

const alternatives = (names) => names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
/** A relative import that reaches a top-level folder or file of the repository (`../../stacks/…`). */
const outside = (depth, names) => `^(\\.\\./){${depth}}(${alternatives(names)})(/|$)`;
/** A relative import that reaches a folder under components/ from a file `depth` folders below components/. */
const component = (depth, names) =>
  `^((\\.\\./){${depth}}|(\\.\\./){${depth + 1}}components/)(${alternatives(names)})(/|$)`;

/** Files one, two and three folders below `root` (components/identity/x.ts, components/identity/a/x.ts, …). */
const DEPTHS = [1, 2, 3];
const below = (root, depth, leaf = "*.ts") => `${root}/${"*/".repeat(depth)}${leaf}`;
/** What only the composition root, the tools and the entry point import. */
const ROOT_ONLY = ["stacks", "policies", "test", "bench", "index"];

const NOT_THE_ROOT = {
  message:
    "Components are built by the composition root (stacks/) and never import it, the planner, the pack, the tests or the entry point: move what you need into the component, a shared block (components/<block>/) or vocabulary/.",
};
const downstreamMessage = (layer, forbidden) =>
  `The ${layer} layer may import only shared blocks, vocabulary/ and the components of its upstream layers (stacks/blueprint.ts): ${forbidden.join(", ")} are not upstream of it.`;

/** components/<layer>/: only shared blocks, vocabulary/ and upstream layers; production code never reaches outside. */
function layerBoundaries() {
  return LAYERS.flatMap((layer) => {
    const allowed = new Set([layer, ...upstreamOf(layer)]);
    const forbidden = LAYERS.filter((other) => !allowed.has(other));
    return DEPTHS.flatMap((depth) => {
      const downstream =
        forbidden.length === 0
          ? []
          : [{ regex: component(depth, forbidden), message: downstreamMessage(layer, forbidden) }];
      const root = { regex: outside(depth + 1, ROOT_ONLY), ...NOT_THE_ROOT };
      const production = {
        files: [below(`components/${layer}`, depth - 1)],
        ignores: TESTS_AND_FIXTURES,
        rules: { "no-restricted-imports": ["error", { patterns: [...downstream, root] }] },
      };
      // A component's tests may drive it through the planner's capture and the pack, never a downstream layer.
      const tests = {
        files: ["*.test.ts", "*.fixtures.ts"].map((leaf) => below(`components/${layer}`, depth - 1, leaf)),
        rules: { "no-restricted-imports": ["error", { patterns: downstream }] },
      };
      return downstream.length === 0 ? [production] : [production, tests];
    });
  });
}

/** Shared blocks under components/: never a layer, never the composition root. */
function sharedBlockBoundaries() {
  return SHARED_BLOCKS.flatMap((block) =>
    DEPTHS.map((depth) => ({
      files: [below(`components/${block}`, depth - 1)],
      ignores: TESTS_AND_FIXTURES,
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                regex: component(depth, [...LAYERS]),
                message: `A shared block (components/${block}/) serves every layer, so it imports none: move what it needs into a shared block or vocabulary/.`,
              },
              { regex: outside(depth + 1, ROOT_ONLY), ...NOT_THE_ROOT },
            ],
          },
        ],
      },
    })),
  );
}

/** The pack (policies/) reads stacks through the SDK: of this repository it imports only vocabulary/ and the blueprint data. */
function packBoundaries() {
  return DEPTHS.map((depth) => ({
    files: [below("policies", depth - 1)],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^(\\.\\./){${depth}}(?!vocabulary/|stacks/blueprint$)`,
              message:
                "The policy pack imports only vocabulary/ and the blueprint data (stacks/blueprint.ts: layers and the service graph): it judges what the program registers, so it must not share the program's code.",
            },
          ],
        },
      ],
    },
  }));
}

/** vocabulary/ is shared by components, stacks and the pack, so it imports none of them. */
function vocabularyBoundaries() {
  return DEPTHS.map((depth) => ({
    files: [below("vocabulary", depth - 1)],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^(\\.\\./){${depth}}(?!vocabulary/)`,
              message:
                "vocabulary/ is imported by components, stacks and the pack, and imports none of them.",
            },
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ["node_modules/", "plan/", "test/pulumi-loader/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-floating-promises": "off" },
  },
  // The size guard: a function over 120 lines is several functions, a file over 400 lines several files.
  // A file that must be longer says why in a comment at its top: `/* eslint-disable max-lines -- <why> */`.
  {
    files: ["**/*.ts", "**/*.mjs"],
    ignores: TESTS_AND_FIXTURES,
    rules: {
      "max-lines-per-function": ["error", { max: 120, skipBlankLines: true, skipComments: true }],
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  ...layerBoundaries(),
  ...sharedBlockBoundaries(),
  ...packBoundaries(),
  ...vocabularyBoundaries(),
);
