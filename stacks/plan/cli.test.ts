/**
 * The command line of `npm run plan`, run as a user runs it: each misuse spawns the real CLI and must
 * exit 3 with a one-line reason on stderr's first line, the full usage after it, no stack trace, and
 * nothing written.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { EXIT, USAGE } from "./cli";

const ROOT = join(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "fortress-cli-"));
const OUT = join(scratch, "never-written");

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real CLI, as `npm run plan -- ARGS` runs it (asynchronously, so that cases run side by side). */
function runCli(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "stacks/plan/cli.ts", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

interface Misuse {
  readonly title: string;
  readonly args: readonly string[];
  /** What stderr's first line must match. */
  readonly reason: RegExp;
}

const directory = join(scratch, "a-directory");
mkdirSync(directory);
const aFile = file("a-file.txt", "not a directory\n");

const MISUSES: readonly Misuse[] = [
  {
    title: "--config naming a directory",
    args: ["--config", directory],
    reason: /^--config \S+a-directory is a directory; pass --config Pulumi\.<stack>\.yaml$/,
  },
  {
    title: "--config naming a missing file",
    args: ["--config", join(scratch, "Pulumi.nope.yaml")],
    reason: /^no such config file: \S+Pulumi\.nope\.yaml \(pass --config Pulumi\.<stack>\.yaml\)$/,
  },
  {
    title: "--out naming an existing file",
    args: ["--out", aFile],
    reason: /^--out \S+a-file\.txt exists and is not a directory; pass a directory/,
  },
  {
    title: "--out below a file",
    args: ["--out", join(aFile, "plan")],
    reason: /^--out \S+a-file\.txt\/plan cannot be created: \S+a-file\.txt is not a directory$/,
  },
  {
    title: "--diff naming a missing file",
    args: ["--diff", join(scratch, "nope.json")],
    reason: /^no such base plan: \S+nope\.json \(pass --diff with a plan\.json that npm run plan wrote\)$/,
  },
  {
    title: "--diff naming a directory",
    args: ["--diff", directory],
    reason: /^--diff \S+a-directory is a directory; pass --diff with a plan\.json/,
  },
  // V8 quotes the text around a JSON error, newlines included: the reason must still be one line.
  {
    title: "--diff naming a file that is not JSON",
    args: ["--diff", file("broken.json", "{\n  oops\n}\n")],
    reason: /^--diff \S+broken\.json is not JSON \(.+\): pass the plan\.json that npm run plan wrote$/,
  },
  {
    title: "--policy-config naming a missing file",
    args: ["--policy-config", join(scratch, "nope-pack.json")],
    reason: /^no such pack config: \S+nope-pack\.json \(pass --policy-config with a JSON file/,
  },
  {
    title: "--policy-config naming a file that is not JSON",
    args: ["--policy-config", file("pack.yaml", "pinned-versions: advisory\n")],
    reason: /^--policy-config \S+pack\.yaml is not JSON: /,
  },
  {
    title: "--policy-config naming a policy the pack lacks",
    args: ["--policy-config", file("typo.json", '{"pinned-version": "disabled"}')],
    reason:
      /^--policy-config \S+typo\.json: the pack has no policy "pinned-version"; its policies are .*pinned-versions/,
  },
  { title: "an unknown option", args: ["--confg", "Pulumi.home.yaml"], reason: /^unknown option --confg$/ },
  {
    title: "a positional argument",
    args: ["Pulumi.home.yaml"],
    reason: /^unexpected argument "Pulumi\.home\.yaml": every value follows its option/,
  },
  {
    title: "an option without its value",
    args: ["--out", OUT, "--config"],
    reason: /^--config needs a value \(Pulumi\.<stack>\.yaml\)$/,
  },
  {
    title: "an option followed by another option instead of its value",
    args: ["--config", "--out", OUT],
    reason: /^--config needs a value \(Pulumi\.<stack>\.yaml\), not the option --out/,
  },
  {
    title: "an option given twice",
    args: ["--config", "Pulumi.home.yaml", "--config", "Pulumi.home.yaml"],
    reason: /^--config is given twice$/,
  },
];

describe("npm run plan: misuse", { concurrency: 4 }, () => {
  after(() => rmSync(scratch, { recursive: true, force: true }));

  for (const misuse of MISUSES) {
    it(`${misuse.title}: exit 3, the reason, the usage`, async () => {
      const args = misuse.args.includes("--out") ? misuse.args : [...misuse.args, "--out", OUT];
      const run = await runCli(args);
      const shown = `exit ${run.status}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
      assert.equal(run.status, EXIT.usage, shown);
      const [reason, blank, ...rest] = run.stderr.split("\n");
      assert.match(reason ?? "", misuse.reason, shown);
      assert.equal(blank, "", `the reason is more than one line:\n${run.stderr}`);
      assert.equal(rest.join("\n"), USAGE, "the usage does not follow the reason");
      assert.doesNotMatch(run.stderr, /^ {4}at /m, "a stack trace was printed");
      assert.equal(run.stdout, "", "something was printed on stdout");
      assert.equal(existsSync(OUT), false, "the output directory was created");
    });
  }

  it("--help prints the usage the errors print, naming every option and the exit codes, and exits 0", async () => {
    const run = await runCli(["--help"]);
    assert.equal(run.status, EXIT.ok, run.stderr);
    assert.equal(run.stdout, USAGE);
    for (const option of ["--config", "--out", "--policy-config", "--diff", "--help"]) {
      assert.match(USAGE, new RegExp(`^  ${option} `, "m"), `the usage leaves out ${option}`);
    }
    assert.match(USAGE, /exit codes: 0 .*, 1 .*, 2 .*, 3 .*, 4 /);
  });
});
