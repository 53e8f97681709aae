/**
 * Checks the metric catalogue (components/monitoring/metrics) against the exporters' own source: each
 * name must be built from string literals of the files its producer cites, at the cited ref (the full
 * name, or its `_`-separated parts each a literal: namespace, subsystem, name, as BuildFQName joins
 * them). A typo or a name from memory fails. It reads bare git mirrors of the exporters' repositories
 * (`<dir>/<owner>+<repo>/repo`, default /work/.mirror), which CI does not have: run it by hand after
 * changing the catalogue, `npm run check:metric-sources [-- <mirror dir>]`. Exit 1 on any miss or any
 * missing mirror.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { METRIC_PRODUCERS } from "./index";

/** owner/repo@ref:path[, path…] */
const SOURCE = /^([\w.-]+)\/([\w.-]+)@([\w.-]+):(\S.*)$/;

/** Whether the segments can be cut into consecutive groups each of which is a literal. */
function builtFrom(segments: readonly string[], literals: ReadonlySet<string>): boolean {
  if (segments.length === 0) return true;
  for (let cut = segments.length; cut >= 1; cut -= 1) {
    if (literals.has(segments.slice(0, cut).join("_")) && builtFrom(segments.slice(cut), literals))
      return true;
  }
  return false;
}

function check(mirror: string): string[] {
  const problems: string[] = [];
  for (const producer of METRIC_PRODUCERS) {
    const [, owner, repo, ref, paths] = SOURCE.exec(producer.source) ?? [];
    if (!owner || !repo || !ref || !paths) {
      problems.push(
        `${producer.job}: its source ${producer.source} names no repo@ref:path (not an exporter's)`,
      );
      continue;
    }
    const gitDir = `${mirror}/${owner}+${repo}/repo`;
    if (!existsSync(gitDir)) {
      problems.push(`${producer.job}: no mirror of ${owner}/${repo} at ${gitDir}`);
      continue;
    }
    const text = paths
      .split(/,\s*/)
      .map((path) => execFileSync("git", ["-C", gitDir, "show", `${ref}:${path}`], { encoding: "utf8" }))
      .join("\n");
    const literals = new Set(
      [...text.matchAll(/["'](_?[A-Za-z0-9_:.]+_?)["']/g)].map((match) => match[1]!.replace(/^_|_$/g, "")),
    );
    const missing = producer.metrics.filter(({ name }) => !builtFrom(name.split("_"), literals));
    for (const { name } of missing) problems.push(`${producer.job}: ${name} is not built from ${paths}`);
    console.log(
      `${missing.length === 0 ? "ok  " : "FAIL"} ${producer.job}: ${producer.metrics.length} names, ${owner}/${repo}@${ref}`,
    );
  }
  return problems;
}

const problems = check(process.argv[2] ?? "/work/.mirror");
for (const problem of problems) console.error(problem);
process.exitCode = problems.length === 0 ? 0 : 1;
