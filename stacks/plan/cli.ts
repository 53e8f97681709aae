/**
 * `npm run plan -- [options]` (OPTIONS below): plans the lab offline, and with `--diff` compares the
 * plan with a base plan.json (security-relevant changes first; DIR/diff.md). Writes DIR/plan.json,
 * DIR/dag.mmd and DIR/report.html; `--verbose` lists every resource in the text.
 * Exit codes: 0 ok; 1 a mandatory check failed; 2 the config is invalid; 3 the command was misused;
 * 4 the planner itself failed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartsJudgedByValues } from "../../policies/lib/charts";
import { configGroupFilesNotJudged } from "../../policies/lib/embedded";
import { k3sPackagedComponentsOf } from "../../policies/rules/k3s-packaged-components";
import { evaluatePolicies } from "../../policies/lib/offline";
import { POLICIES } from "../../policies/registry";
import { ConfigError } from "../config/errors";
import { type OptionSpec, parseCommandLine, renderUsage } from "./commandLine";
import { parsePlanDocument, type PlanDiff } from "./diff";
import { diffPlans } from "./diffCompute";
import { renderDiffMarkdown } from "./diffMarkdown";
import { buildPlanDocument, type PlanDocument } from "./document";
import { renderReportHtml } from "./html/page";
import { basePlanProblem, outputDirProblem, packConfigProblem, stackFileProblem } from "./inputFiles";
import { renderMermaid } from "./mermaid";
import { parsePackConfig } from "./packConfig";
import { renderConfigIssues, renderPlan, terminalWidth } from "./report";
import { PROJECT, runProgram } from "./run";
import { readStackFile } from "./stackConfig";
import { StackFileError } from "./stackFile";

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
  /** List every resource by name per type (`--verbose`); by default one line per layer with counts per type. */
  readonly verbose?: boolean;
  /** The text report's width; by default the terminal's when stdout is one, else 100 columns. */
  readonly width?: number;
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
  const config = readStackFile(options.configFile);
  if (config instanceof StackFileError) return { exitCode: EXIT.invalidConfig, text: `${config.message}\n` };
  const run = await runProgram(config);
  if (!run.ok) {
    return { exitCode: EXIT.invalidConfig, text: renderConfigIssues(run.issues) };
  }
  const packConfig = options.policyConfigFile
    ? parsePackConfig(readFileSync(options.policyConfigFile, "utf8"), options.policyConfigFile, POLICIES)
    : {};
  const planned = buildPlanDocument(config.stack, PROJECT, run.resources, run.model.config, run.model);
  const policyViolations = await evaluatePolicies(POLICIES, run.resources, packConfig);
  const document: PlanDocument = {
    ...planned,
    violations: [...planned.violations, ...policyViolations],
    chartsJudgedByValues: chartsJudgedByValues(run.resources),
    configGroupFilesNotJudged: configGroupFilesNotJudged(run.resources),
    k3sPackagedComponents: k3sPackagedComponentsOf(run.resources),
  };
  const diff = base ? diffPlans(base, document) : undefined;
  const markdown = diff ? renderDiffMarkdown(diff) : "";
  if (options.outDir) {
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(join(options.outDir, "plan.json"), `${JSON.stringify(document, null, 2)}\n`);
    writeFileSync(join(options.outDir, "dag.mmd"), renderMermaid(document));
    writeFileSync(
      join(options.outDir, "report.html"),
      renderReportHtml(document, diff && options.diffBase ? { diff, base: options.diffBase } : undefined),
    );
    if (diff) writeFileSync(join(options.outDir, "diff.md"), markdown);
  }
  const mandatory = document.violations.some((violation) => violation.level === "mandatory");
  const written = options.outDir
    ? `Wrote plan.json, dag.mmd${diff ? ", diff.md" : ""} and report.html to ${options.outDir}\n`
    : "";
  return {
    exitCode: mandatory ? EXIT.violations : EXIT.ok,
    text:
      renderPlan(document, { verbose: options.verbose ?? false, width: options.width ?? terminalWidth() }) +
      written + (diff ? `\n== Diff against ${options.diffBase}\n\n${markdown}` : ""),
    plan: document,
    ...(diff ? { diff } : {}),
  };
}

/** The options of `npm run plan`, one entry each: they drive the parsing, the checks and the usage. */
const OPTIONS: readonly OptionSpec<PlanOptions>[] = [
  { name: "config", field: "configFile", value: "Pulumi.<stack>.yaml", default: "Pulumi.home.yaml", help: "the stack config to plan", check: stackFileProblem },
  { name: "out", field: "outDir", value: "DIR", default: "plan", help: "where plan.json, dag.mmd, report.html (and diff.md) are written", check: outputDirProblem },
  { name: "policy-config", field: "policyConfigFile", value: "FILE", help: "levels and settings for the policy pack, as for pulumi preview --policy-pack-config", check: packConfigProblem },
  { name: "diff", field: "diffBase", value: "BASE_PLAN.json", help: "compare with a base plan.json (security-relevant changes first; writes DIR/diff.md)", check: basePlanProblem },
  { name: "verbose", field: "verbose", help: "list every resource by name (by default one line per layer with counts per type)" },
];

export const USAGE = renderUsage(
  "npm run plan --",
  OPTIONS,
  "exit codes: 0 the plan is clean, 1 a mandatory check failed, 2 the config is invalid, 3 wrong usage, 4 the planner failed\n",
);

/** A misuse as the user sees it: the reason on the first line, then the usage. */
function misuse(reason: string): never {
  process.stderr.write(`${reason.replace(/\s*\n\s*/g, " ").trim()}\n\n${USAGE}`);
  process.exit(EXIT.usage);
}

async function main(): Promise<void> {
  const commandLine = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (commandLine.kind === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (commandLine.kind === "misuse") misuse(commandLine.reason);
  const outcome = await plan(commandLine.options);
  if (outcome.exitCode === EXIT.usage) misuse(outcome.text);
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
