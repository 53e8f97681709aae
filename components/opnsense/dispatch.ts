/**
 * One provider object for every OPNsense item and settings resource.
 *
 * The SDK serializes a dynamic provider's closure once per provider object (its cache is keyed by
 * the object; @pulumi/pulumi runtime/closure/serializeClosure.ts), and each serialization of these
 * providers walks the same modules (client, items, safeApply, privileges) for about 0.2 s. One object
 * for the items, the six settings models and the two resources of their own kind (the Intrusion
 * Detection's rulesets and rule-update schedule) is one serialization instead of nine. Its text was
 * 89 KB with the items and four settings models and is 121 KB with the Intrusion Detection's and
 * NetFlow's code (versioned.ts, rulesets.ts, updateSchedule.ts), and every resource's state carries
 * it. The preflight keeps its own object
 * (resources.ts): adding its code here would make every item's text 113 KB for three resources' sake.
 *
 * Each call is routed by what the resource's own inputs (or recorded state) say: `model` names an
 * item model, `settings` a settings model. Nothing per resource is kept in the object: it holds the
 * providers, which hold only the timing and (after configure) the credentials read in the provider
 * process. A dynamic provider host deserializes the object from a
 * resource's `__provider` and hands it that resource's olds/news (pulumi/pulumi,
 * sdk/nodejs/cmd/dynamic-provider/index.ts: create/diff/update use the new inputs' provider, read and
 * delete the recorded state's), so state written by the earlier per-kind providers is only ever read
 * or deleted by those; this object sees settings state it wrote, which carries `settings`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { OpnsenseError } from "./errors";
import {
  CHRONY,
  DNSMASQ,
  DNSMASQ_DHCP,
  IDS_GENERAL,
  KEA_DHCPV4,
  MODELS,
  NETFLOW,
  NODE_EXPORTER,
  type SettingsModel,
} from "./models";
import { DEFAULT_TIMING, ItemProvider, SettingsProvider, type Timing } from "./provider";
import { RULESETS_KIND, RulesetsProvider } from "./rulesets";
import { PLUGIN_KIND, PluginProvider } from "./plugin";
import { UPDATE_SCHEDULE_KIND, UpdateScheduleProvider } from "./updateSchedule";

/** The settings singletons by the name their resources carry in `settings`. */
export const SETTINGS_MODELS = {
  chrony: CHRONY,
  keaDhcpv4: KEA_DHCPV4,
  dnsmasq: DNSMASQ,
  dnsmasqDhcp: DNSMASQ_DHCP,
  idsGeneral: IDS_GENERAL,
  netflow: NETFLOW,
  nodeExporter: NODE_EXPORTER,
} as const satisfies Readonly<Record<string, SettingsModel>>;

export type SettingsName = keyof typeof SETTINGS_MODELS;

type AnyProvider = pulumi.dynamic.ResourceProvider;
type Configurable = { configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> };
type Props = Record<string, unknown>;

export class OpnsenseProviders implements pulumi.dynamic.ResourceProvider {
  /**
   * Made by opnsenseProviders() below. The handlers come in ready-made: code in this class must not
   * name provider.ts's exports, since compiled to CommonJS that names provider.ts's whole module
   * object, and the closure would then carry the preflight's code too.
   */
  constructor(
    private readonly items: pulumi.dynamic.ResourceProvider & Configurable,
    private readonly settings: Readonly<Record<SettingsName, pulumi.dynamic.ResourceProvider & Configurable>>,
    /** Resources of their own kind (the Intrusion Detection's rulesets and update schedule), routed by `kind`. */
    private readonly kinds: Readonly<Record<string, pulumi.dynamic.ResourceProvider & Configurable>>,
  ) {}

  /** The provider for a resource, from its inputs or state; a resource that names neither is refused. */
  private handler(props: Props): AnyProvider {
    if (typeof props.model === "string" && Object.hasOwn(MODELS, props.model)) return this.items;
    if (typeof props.kind === "string" && Object.hasOwn(this.kinds, props.kind))
      return this.kinds[props.kind]!;
    if (typeof props.settings === "string" && Object.hasOwn(this.settings, props.settings)) {
      return this.settings[props.settings as SettingsName];
    }
    throw new OpnsenseError(
      `not an OPNsense resource this provider knows (model ${String(props.model)}, settings ${String(props.settings)})`,
    );
  }

  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const all = [this.items, ...Object.values(this.settings), ...Object.values(this.kinds)];
    await Promise.all(all.map((provider) => provider.configure(request)));
  }

  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const provider = this.handler(news);
    return provider.diff ? provider.diff(id, olds, news) : {};
  }

  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    return this.handler(inputs).create(inputs);
  }

  /** As the SDK's host does for a provider without read: the recorded state stands. */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const provider = this.handler(props);
    return provider.read ? provider.read(id, props) : { id, props };
  }

  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const provider = this.handler(news);
    return provider.update ? provider.update(id, olds, news) : {};
  }

  /** Settings have no delete: removing them from the program leaves the firewall as it is. */
  async delete(id: string, props: Props): Promise<void> {
    const provider = this.handler(props);
    if (provider.delete) await provider.delete(id, props);
  }
}

/** The provider object of every item and settings resource. */
export function opnsenseProviders(timing: Timing = DEFAULT_TIMING): OpnsenseProviders {
  return new OpnsenseProviders(
    new ItemProvider(timing),
    {
      chrony: new SettingsProvider(CHRONY, timing),
      keaDhcpv4: new SettingsProvider(KEA_DHCPV4, timing),
      dnsmasq: new SettingsProvider(DNSMASQ, timing),
      dnsmasqDhcp: new SettingsProvider(DNSMASQ_DHCP, timing),
      idsGeneral: new SettingsProvider(IDS_GENERAL, timing),
      netflow: new SettingsProvider(NETFLOW, timing),
      nodeExporter: new SettingsProvider(NODE_EXPORTER, timing),
    },
    {
      [RULESETS_KIND]: new RulesetsProvider(timing),
      [UPDATE_SCHEDULE_KIND]: new UpdateScheduleProvider(timing),
      [PLUGIN_KIND]: new PluginProvider(timing),
    },
  );
}
