/**
 * `npm run plan -- [--config FILE] [--out DIR] [--diff BASE_PLAN.json]`: plans the lab offline, and with
 * `--diff` compares the plan with a base plan.json (security-relevant changes first; DIR/diff.md).
 * Exit codes: 0 ok; 1 a mandatory check failed; 2 the config is invalid; 3 the command was misused;
 * 4 the planner itself failed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chartsJudgedByValues } from "../../policies/lib/charts";
import { evaluatePolicies } from "../../policies/lib/offline";
import type { PackConfig } from "../../policies/lib/types";
import { POLICIES } from "../../policies/registry";
import { ConfigError } from "../config/errors";
import { parsePlanDocument, type PlanDiff } from "./diff";
import { diffPlans } from "./diffCompute";
import { renderDiffMarkdown } from "./diffMarkdown";
import { buildPlanDocument, type PlanDocument } from "./document";
import { renderMermaid } from "./mermaid";
import { renderConfigIssues, renderPlan } from "./report";
import { PROJECT, runProgram } from "./run";
import { readStackConfig } from "./stackConfig";

export const EXIT = {
  ok: 0,
  violations: 1,
  invalidConfig: ConfigError.EXIT_CODE,
  usage: 3,
  internal: 4,
} as const;

export interface PlanOptions {
  readonly configFile: string;
  readonly outDir: string | null;
  /** The pack config (`pulumi preview --policy-pack-config` format), when not the policies' defaults. */
  readonly policyConfigFile?: string;
  /** A base plan.json (e.g. the base branch's) to compare the new plan with. */
  readonly diffBase?: string;
}

export interface PlanOutcome {
  readonly exitCode: number;
  readonly text: string;
  readonly plan?: PlanDocument;
  readonly diff?: PlanDiff;
}

/** The base plan, or the message that says why it cannot be one. */
function readBasePlan(file: string): PlanDocument | string {
  if (!existsSync(file)) return `no such base plan: ${file} (pass --diff with a plan.json that npm run plan wrote)\n`;
  try {
    return parsePlanDocument(readFileSync(file, "utf8"), file);
  } catch (error) {
    return `${(error as Error).message}\n`;
  }
}

export async function plan(options: PlanOptions): Promise<PlanOutcome> {
  if (!existsSync(options.configFile)) {
    return {
      exitCode: EXIT.usage,
      text: `no such config file: ${options.configFile} (pass --config Pulumi.<stack>.yaml)\n`,
    };
  }
  const base = options.diffBase ? readBasePlan(options.diffBase) : undefined;
  if (typeof base === "string") return { exitCode: EXIT.usage, text: base };
  const config = readStackConfig(options.configFile);
  const run = await runProgram(config);
  if (!run.ok) {
    return { exitCode: EXIT.invalidConfig, text: renderConfigIssues(run.issues) };
  }
  const packConfig = options.policyConfigFile
    ? (JSON.parse(readFileSync(options.policyConfigFile, "utf8")) as PackConfig)
    : {};
  const planned = buildPlanDocument(config.stack, PROJECT, run.resources, run.model.config);
  const policyViolations = await evaluatePolicies(POLICIES, run.resources, packConfig);
  const document: PlanDocument = {
    ...planned,
    violations: [...planned.violations, ...policyViolations],
    chartsJudgedByValues: chartsJudgedByValues(run.resources),
  };
  const diff = base ? diffPlans(base, document) : undefined;
  const markdown = diff ? renderDiffMarkdown(diff) : "";
  if (options.outDir) {
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(join(options.outDir, "plan.json"), `${JSON.stringify(document, null, 2)}\n`);
    writeFileSync(join(options.outDir, "dag.mmd"), renderMermaid(document));
    if (diff) writeFileSync(join(options.outDir, "diff.md"), markdown);
  }
  const mandatory = document.violations.some((violation) => violation.level === "mandatory");
  const written = options.outDir
    ? `Wrote ${join(options.outDir, "plan.json")}${diff ? `, ${join(options.outDir, "diff.md")}` : ""} and ${join(options.outDir, "dag.mmd")}\n`
    : "";
  return {
    exitCode: mandatory ? EXIT.violations : EXIT.ok,
    text: renderPlan(document) + written + (diff ? `\n== Diff against ${options.diffBase}\n\n${markdown}` : ""),
    plan: document,
    ...(diff ? { diff } : {}),
  };
}

function parseCli(argv: readonly string[]): PlanOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: "string", default: "Pulumi.home.yaml" },
      out: { type: "string", default: "plan" },
      "policy-config": { type: "string" },
      diff: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      "usage: npm run plan -- [--config Pulumi.<stack>.yaml] [--out DIR] [--policy-config FILE] [--diff BASE_PLAN.json]\n",
    );
    process.exit(EXIT.ok);
  }
  return {
    configFile: values.config,
    outDir: values.out,
    ...(values["policy-config"] ? { policyConfigFile: values["policy-config"] } : {}),
    ...(values.diff ? { diffBase: values.diff } : {}),
  };
}

async function main(): Promise<void> {
  let options: PlanOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: npm run plan -- [--config FILE] [--out DIR] [--diff BASE_PLAN.json]\n`);
    process.exit(EXIT.usage);
  }
  const outcome = await plan(options);
  (outcome.exitCode === EXIT.ok || outcome.exitCode === EXIT.violations
    ? process.stdout
    : process.stderr
  ).write(outcome.text);
  process.exitCode = outcome.exitCode;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.internal);
  });
}
