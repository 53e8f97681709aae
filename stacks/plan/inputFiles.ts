/**
 * Checks of the files `npm run plan` is given, made before anything is planned or written: each
 * returns why the path cannot be used (one line, naming the option), or undefined.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { POLICIES } from "../../policies/registry";
import { parsePlanDocument } from "./diff";
import { parsePackConfig } from "./packConfig";

/** The file's kind, or undefined when nothing is there. */
function kindOf(path: string): "file" | "directory" | "other" | undefined {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? "directory" : stat.isFile() ? "file" : "other";
  } catch {
    return undefined;
  }
}

/** A file to read: it exists and is not a directory. `missing` says what to pass instead. */
function readable(path: string, flag: string, what: string, missing: string): string | undefined {
  const kind = kindOf(path);
  if (kind === undefined) return `no such ${what}: ${path} (${missing})`;
  if (kind === "directory") return `${flag} ${path} is a directory; ${missing}`;
  return undefined;
}

/** The text of a file the caller has already checked, or why it cannot be read (permissions). */
function contentOf(path: string, flag: string): { text: string } | { reason: string } {
  try {
    return { text: readFileSync(path, "utf8") };
  } catch (error) {
    return { reason: `${flag} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
}

export function stackFileProblem(path: string, flag: string): string | undefined {
  return readable(path, flag, "config file", "pass --config Pulumi.<stack>.yaml");
}

/** The output directory: an existing directory, or a path that can be created (no file on the way). */
export function outputDirProblem(path: string, flag: string): string | undefined {
  const kind = kindOf(path);
  if (kind === "directory") return undefined;
  if (kind !== undefined)
    return `${flag} ${path} exists and is not a directory; pass a directory (it is created if missing)`;
  let parent = dirname(resolve(path));
  while (kindOf(parent) === undefined && dirname(parent) !== parent) parent = dirname(parent);
  return kindOf(parent) === "directory"
    ? undefined
    : `${flag} ${path} cannot be created: ${parent} is not a directory`;
}

export function basePlanProblem(path: string, flag: string): string | undefined {
  const missing = "pass --diff with a plan.json that npm run plan wrote";
  const unusable = readable(path, flag, "base plan", missing);
  if (unusable) return unusable;
  const content = contentOf(path, flag);
  if ("reason" in content) return content.reason;
  try {
    parsePlanDocument(content.text, `${flag} ${path}`);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function packConfigProblem(path: string, flag: string): string | undefined {
  const missing =
    "pass --policy-config with a JSON file in the format of pulumi preview --policy-pack-config";
  const unusable = readable(path, flag, "pack config", missing);
  if (unusable) return unusable;
  const content = contentOf(path, flag);
  if ("reason" in content) return content.reason;
  try {
    parsePackConfig(content.text, `${flag} ${path}`, POLICIES);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
