import type { StackValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { FILE_TYPE, walkInputs } from "../lib/resources";

/** Where a shell command runs: @pulumi/command's commands, and cloud-init snippets on the Proxmox datastore. */
const SCRIPT_TYPES: ReadonlySet<string> = new Set([
  SDK_TYPES.commandRemote,
  SDK_TYPES.commandLocal,
  FILE_TYPE,
]);
/** Ways to put objects into a cluster that the pack never sees as resources. */
const OUT_OF_BAND: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  {
    pattern:
      /\b(?:kubectl|k3s\s+kubectl)\s+(?:-\S+(?:\s+[^-\s]\S*)?\s+)*(apply|create|replace|patch|run|expose|set|edit|scale)\b/,
    what: "runs kubectl $1",
  },
  { pattern: /\bhelm\s+(?:-\S+(?:\s+[^-\s]\S*)?\s+)*(install|upgrade)\b/, what: "runs helm $1" },
];

/** k3s's data directory unless `data-dir` says otherwise (docs.k3s.io/cli/server, `--data-dir`; `-d` is not read). */
const DEFAULT_DATA_DIR = "/var/lib/rancher/k3s";
/** `data-dir: /x` in a k3s config file, `--data-dir /x` or `--data-dir=/x` on its command line. */
const DATA_DIR = /(?:^|[\s'"])(?:data-dir:|--data-dir[= ])[ \t]*["']?(\/[^\s"',\\]+)/gm;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/**
 * k3s applies every manifest in `<data-dir>/server/manifests`, and the kubelet runs every pod in
 * `<data-dir>/agent/pod-manifests` (docs.k3s.io/installation/packaged-components, "Auto-Deploying
 * Manifests"; k3s agent pod-manifests). The directory is matched whole, with or without a trailing "/"
 * (`cp x.yaml /var/lib/rancher/k3s/server/manifests`), and not as the prefix of another name.
 */
function directoryPatterns(dataDirs: ReadonlySet<string>) {
  return [...dataDirs].flatMap((dir) => {
    const base = escape(dir.replace(/\/+$/, ""));
    return [
      {
        pattern: new RegExp(`${base}/server/manifests(?![\\w.-])`),
        what: "writes into k3s's auto-deploy manifests directory",
      },
      { pattern: new RegExp(`${base}/agent/pod-manifests(?![\\w.-])`), what: "writes a static pod manifest" },
    ];
  });
}

/** One cheap test before the patterns: most strings of a plan mention none of these. */
const MENTIONS = /kubectl|helm|manifests/;

const stringsOf = (props: Record<string, unknown>): string[] => {
  const strings: string[] = [];
  walkInputs(props, (_key, value) => {
    if (typeof value === "string") strings.push(value);
  });
  return strings;
};

export const k8sObjectsInPlan: StackValidationPolicy = {
  name: "k8s-objects-in-plan",
  description:
    "No command or cloud-init snippet puts Kubernetes objects into the cluster behind the plan's back (kubectl apply/create/replace/patch/run/expose/set/edit/scale, helm install/upgrade, a file in k3s's server/manifests or agent/pod-manifests under /var/lib/rancher/k3s or the data-dir a k3s config or command line sets): every object is a resource of the plan, where the pack judges it.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const scripts = args.resources
      .filter((resource) => SCRIPT_TYPES.has(resource.type))
      .map((resource) => ({ resource, strings: stringsOf(resource.props as Record<string, unknown>) }));
    const dataDirs = new Set([DEFAULT_DATA_DIR]);
    for (const { strings } of scripts)
      for (const text of strings) for (const match of text.matchAll(DATA_DIR)) dataDirs.add(match[1] ?? "");
    const patterns = [...OUT_OF_BAND, ...directoryPatterns(dataDirs)];
    for (const { resource, strings } of scripts) {
      const found = new Set<string>();
      for (const text of strings) {
        if (!MENTIONS.test(text)) continue;
        for (const { pattern, what } of patterns) {
          const match = pattern.exec(text);
          if (match) found.add(what.replace("$1", match[1] ?? ""));
        }
      }
      for (const what of found) {
        reportViolation(
          `${resource.name} ${what}, so the objects it deploys are not resources of the plan and no policy judges them: declare them as @pulumi/kubernetes resources (or a chart) instead`,
          resource.urn,
        );
      }
    }
  },
};
