import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { COMPONENT_TYPES, opnsenseType } from "./typeTokens";

const root = join(__dirname, "..");

/** Production TypeScript files (not tests, fixtures or test support) under `dir`. */
function productionFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !/\.(test|fixtures)\.ts$/.test(file) && !file.includes("node_modules"));
}

/** A type token of Fortress's own written out as a string literal. */
const SPELLED_OUT = /["'`](fortress:[a-z-]+:[A-Z]\w*|pulumi-nodejs:dynamic\/)/;

const isComment = (line: string) => /^\s*(\/\/|\/?\*)/.test(line);

describe("the type tokens", () => {
  it("are what the components and the dynamic provider register under", () => {
    assert.equal(COMPONENT_TYPES.network, "fortress:network:Network");
    assert.equal(COMPONENT_TYPES.dnsDhcp, "fortress:dns-dhcp:DnsDhcp");
    assert.equal(opnsenseType("rule"), "pulumi-nodejs:dynamic/fortress:opnsense:rule");
    for (const token of Object.values(COMPONENT_TYPES))
      assert.match(token, /^fortress:[a-z-]+:[A-Z][A-Za-z0-9]*$/);
    assert.equal(new Set(Object.values(COMPONENT_TYPES)).size, Object.values(COMPONENT_TYPES).length);
  });

  it("are spelled out in vocabulary/typeTokens.ts only", () => {
    const offenders = ["components", "stacks", "policies", "bench"]
      .flatMap(productionFiles)
      .concat("index.ts")
      .flatMap((file) =>
        readFileSync(join(root, file), "utf8")
          .split("\n")
          .flatMap((line, index) =>
            SPELLED_OUT.test(line) && !isComment(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
          ),
      );
    assert.deepEqual(offenders, []);
  });
});
