import type { ResourceValidationPolicy } from "@pulumi/policy";
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
  // k3s applies every manifest in this directory, and the kubelet runs every pod in the second
  // (docs.k3s.io/installation/packaged-components, "Auto-Deploying Manifests"; k3s agent pod-manifests).
  {
    pattern: /\/var\/lib\/rancher\/k3s\/server\/manifests\//,
    what: "writes into k3s's auto-deploy manifests directory",
  },
  { pattern: /\/var\/lib\/rancher\/k3s\/agent\/pod-manifests\//, what: "writes a static pod manifest" },
];

/** One cheap test before the patterns: most strings of a plan mention none of these. */
const MENTIONS = /kubectl|helm|\/var\/lib\/rancher\/k3s\//;

export const k8sObjectsInPlan: ResourceValidationPolicy = {
  name: "k8s-objects-in-plan",
  description:
    "No command or cloud-init snippet puts Kubernetes objects into the cluster behind the plan's back (kubectl apply/create/replace/patch/run/expose/set/edit/scale, helm install/upgrade, a file in /var/lib/rancher/k3s/server/manifests/ or agent/pod-manifests/): every object is a resource of the plan, where the pack judges it.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!SCRIPT_TYPES.has(args.type)) return;
    const found = new Set<string>();
    walkInputs(args.props, (_key, value) => {
      if (typeof value !== "string" || !MENTIONS.test(value)) return;
      for (const { pattern, what } of OUT_OF_BAND) {
        const match = pattern.exec(value);
        if (match) found.add(what.replace("$1", match[1] ?? ""));
      }
    });
    for (const what of found) {
      reportViolation(
        `${args.name} ${what}, so the objects it deploys are not resources of the plan and no policy judges them: declare them as @pulumi/kubernetes resources (or a chart) instead`,
      );
    }
  },
};
