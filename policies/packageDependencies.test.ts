/** `pulumi preview --policy-pack policies` installs policies/package.json alone: it must list every package the pack loads. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const root = join(__dirname, "..");

/** The pack's production sources: policies/ and what it may import (vocabulary/, stacks/blueprint.ts). */
function packSources(): string[] {
  const under = (dir: string) =>
    readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
      .filter(
        (file) => file.endsWith(".ts") && !/\.(test|fixtures)\.ts$/.test(file) && !file.startsWith("corpus"),
      )
      .map((file) => join(dir, file));
  return [...under("policies"), ...under("vocabulary"), join("stacks", "blueprint.ts")];
}

describe("the policy pack's package.json", () => {
  it("lists every package the pack's sources import, at the root's version", () => {
    const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const pack = JSON.parse(readFileSync(join(root, "policies", "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set(
      packSources().flatMap((file) =>
        [...readFileSync(join(root, file), "utf8").matchAll(/ from "([^".][^"]*)";$/gm)]
          .map((match) => match[1] ?? "")
          .filter((name) => !name.startsWith("node:"))
          .map((name) =>
            name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : (name.split("/")[0] ?? ""),
          ),
      ),
    );
    for (const name of imported) {
      assert.equal(
        pack.dependencies[name],
        rootPackage.dependencies[name],
        `${name} in policies/package.json`,
      );
    }
  });
});
