import type { StackValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { walkInputs } from "../lib/resources";
import { K3S_KEPT_COMPONENTS, K3S_PACKAGED_COMPONENTS } from "../../vocabulary/k3sComponents";

/** @pulumi/command's commands, where k3s is installed (components/platform/k3sInstall.ts runs it over SSH). */
const COMMAND_TYPES: ReadonlySet<string> = new Set([SDK_TYPES.commandRemote, SDK_TYPES.commandLocal]);

export { K3S_PACKAGED_COMPONENTS };
/** Kept by default: what Fortress keeps (vocabulary/k3sComponents.ts, with why). */
export const DEFAULT_KEPT_COMPONENTS: string[] = [...K3S_KEPT_COMPONENTS];

const SERVER_INSTALL = /INSTALL_K3S_EXEC=["']?server\b|\bk3s\s+server\b/;

/** The components a k3s server's config and command line disable (`disable:` lists, `--disable x`, `--disable=x,y`). */
export function disabledComponents(text: string): Set<string> {
  const disabled = new Set<string>();
  for (const match of text.matchAll(/^disable:[ \t]*\n((?:[ \t]+-[ \t]*.+\n?)+)/gm)) {
    for (const line of (match[1] ?? "").split("\n")) {
      const item = /^[ \t]+-[ \t]*["']?([\w.-]+)/.exec(line)?.[1];
      if (item) disabled.add(item);
    }
  }
  for (const match of text.matchAll(/^disable:[ \t]*\[([^\]]*)\]/gm)) {
    for (const item of (match[1] ?? "").split(",")) disabled.add(item.trim().replace(/^["']|["']$/g, ""));
  }
  for (const match of text.matchAll(/^disable:[ \t]*["']?([\w.,-]+)["']?[ \t]*$/gm)) {
    for (const item of (match[1] ?? "").split(",")) disabled.add(item.trim());
  }
  for (const match of text.matchAll(/--disable[= ]["']?([\w.,-]+)/g)) {
    for (const item of (match[1] ?? "").split(",")) disabled.add(item.trim());
  }
  return disabled;
}

export const k3sPackagedComponents: StackValidationPolicy = {
  name: "k3s-packaged-components",
  description: `Every component k3s deploys by itself (${K3S_PACKAGED_COMPONENTS.join(", ")}) is disabled on every server (disable: in /etc/rancher/k3s/config.yaml or --disable) or on the list of what Fortress keeps (keptComponents, by default ${DEFAULT_KEPT_COMPONENTS.join(", ")}): none of them is a resource of the plan, so none would otherwise be judged.`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      keptComponents: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_KEPT_COMPONENTS,
        description: "Packaged k3s components Fortress keeps, each reviewed (README, k3s's own add-ons).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = args.getConfig<{ keptComponents?: unknown }>();
    const kept = new Set(
      (Array.isArray(config.keptComponents) ? config.keptComponents : DEFAULT_KEPT_COMPONENTS).map(String),
    );
    for (const resource of args.resources) {
      if (!COMMAND_TYPES.has(resource.type)) continue;
      let text = "";
      walkInputs(resource.props, (_key, value) => {
        if (typeof value === "string" && SERVER_INSTALL.test(value)) text += `${value}\n`;
      });
      if (text === "") continue;
      const disabled = disabledComponents(text);
      const unreviewed = K3S_PACKAGED_COMPONENTS.filter((name) => !disabled.has(name) && !kept.has(name));
      if (unreviewed.length > 0) {
        reportViolation(
          `${resource.name} installs a k3s server that runs its packaged ${unreviewed.join(", ")}, which Fortress does not judge or use: add ${unreviewed.length === 1 ? "it" : "them"} to disable: in the server config, or review ${unreviewed.length === 1 ? "it" : "them"} and add to keptComponents`,
          resource.urn,
        );
      }
    }
  },
};
