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

/** The k3s server install text a command's inputs carry (its script and config), or "" when it installs none. */
function serverInstallText(props: unknown): string {
  let text = "";
  walkInputs(props, (_key, value) => {
    if (typeof value === "string" && SERVER_INSTALL.test(value)) text += `${value}\n`;
  });
  return text;
}

export interface K3sServerComponents {
  /** The command that installs the server: its name and URN. */
  readonly server: string;
  readonly urn: string;
  /** What k3s deploys by itself there: packaged components its config does not disable. */
  readonly running: readonly string[];
  readonly disabled: readonly string[];
}

/** What each k3s server the plan installs runs by itself, read from its command as the policy reads it (plan.json). */
export function k3sPackagedComponentsOf(
  resources: readonly {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly inputs: unknown;
  }[],
): K3sServerComponents[] {
  return resources.flatMap((resource) => {
    if (!COMMAND_TYPES.has(resource.type)) return [];
    const text = serverInstallText(resource.inputs);
    if (text === "") return [];
    const disabled = disabledComponents(text);
    return [
      {
        server: resource.name,
        urn: resource.urn,
        running: K3S_PACKAGED_COMPONENTS.filter((name) => !disabled.has(name)),
        disabled: K3S_PACKAGED_COMPONENTS.filter((name) => disabled.has(name)),
      },
    ];
  });
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
    const servers = k3sPackagedComponentsOf(
      args.resources.map(({ urn, type, name, props }) => ({ urn, type, name, inputs: props })),
    );
    for (const { server, urn, running } of servers) {
      const unreviewed = running.filter((name) => !kept.has(name));
      if (unreviewed.length > 0) {
        reportViolation(
          `${server} installs a k3s server that runs its packaged ${unreviewed.join(", ")}, which Fortress does not judge or use: add ${unreviewed.length === 1 ? "it" : "them"} to disable: in the server config, or review ${unreviewed.length === 1 ? "it" : "them"} and add to keptComponents`,
          urn,
        );
      }
    }
  },
};
