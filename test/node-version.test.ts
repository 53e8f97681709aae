/**
 * The Node version gate (scripts/require-node.cjs): npm runs it before `npm run plan`, `npm test` and
 * `npm run bench`, so an old Node stops with one sentence. Its logic is a function tested here; the
 * script itself is run on this Node, and on an older one when the machine has one (Debian's, often).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Linter } from "eslint";
import { nodeVersionProblem, REQUIRED_MAJOR } from "../scripts/require-node.cjs";

const ROOT = join(__dirname, "..");
const SCRIPT = join(ROOT, "scripts", "require-node.cjs");

/** Parse errors of a script read as ES2017 CommonJS: what Node 8 and later can run. */
function es2017ParseErrors(text: string): string[] {
  const messages = new Linter().verify(text, {
    languageOptions: { ecmaVersion: 2017, sourceType: "commonjs" },
  });
  return messages.filter((message) => message.fatal).map((message) => message.message);
}

describe("the Node version gate", () => {
  it("refuses Node older than 22 with the version it found, and passes 22 and newer", () => {
    assert.equal(REQUIRED_MAJOR, 22);
    assert.equal(nodeVersionProblem("18.19.1"), "Fortress needs Node 22 or newer (you have v18.19.1)");
    assert.equal(nodeVersionProblem("v20.20.2"), "Fortress needs Node 22 or newer (you have v20.20.2)");
    assert.equal(nodeVersionProblem("21.7.3"), "Fortress needs Node 22 or newer (you have v21.7.3)");
    assert.equal(
      nodeVersionProblem("not-a-version"),
      "Fortress needs Node 22 or newer (you have vnot-a-version)",
    );
    assert.equal(nodeVersionProblem("22.0.0"), null);
    assert.equal(nodeVersionProblem("24.3.0"), null);
  });

  it("is written in syntax old Node parses (ES2017, CommonJS)", () => {
    assert.deepEqual(es2017ParseErrors(readFileSync(SCRIPT, "utf8")), []);
    // The check itself can fail: optional chaining (ES2020) is refused.
    assert.equal(es2017ParseErrors("var a = {}; module.exports = a?.b;").length, 1);
  });

  it("runs before npm run plan, npm test and npm run bench", () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    for (const script of ["plan", "test", "bench"]) {
      assert.ok(scripts[script], `package.json has no ${script} script`);
      assert.equal(
        scripts[`pre${script}`],
        "node scripts/require-node.cjs",
        `npm run ${script} does not check Node first`,
      );
    }
  });

  it("lets this Node through, silently", () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout + run.stderr, "");
  });

  const older = ["/usr/bin/node", "/usr/local/bin/node"].find((candidate) => {
    if (!existsSync(candidate)) return false;
    const version = spawnSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
    return Number(version.split(".")[0]) < REQUIRED_MAJOR;
  });
  it(
    "stops an older Node at once, with the sentence and exit 1",
    { skip: older ? false : "no Node older than 22 on this machine" },
    () => {
      const run = spawnSync(older!, [SCRIPT], { encoding: "utf8" });
      assert.equal(run.status, 1, run.stderr);
      assert.match(
        run.stderr,
        /^Fortress needs Node 22 or newer \(you have v\d+\.\d+\.\d+\): install Node 22/,
      );
    },
  );
});
