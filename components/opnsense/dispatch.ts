/**
 * One provider object for every OPNsense dynamic resource: items, settings singletons, preflight.
 *
 * The SDK serializes a dynamic provider's closure once per provider object (its cache is keyed by
 * the object; @pulumi/pulumi runtime/closure/serializeClosure.ts), and each serialization of these
 * providers walks the same modules (client, items, safeApply, privileges) for about 0.2 s. One object
 * for all kinds is one serialization per program run instead of one per kind (five in the home lab).
 *
 * Each call is routed by what the resource's own inputs (or recorded state) say: `needs` is a
 * preflight, `model` an item model, `settings` a settings model. Nothing per resource is kept in the
 * object: it holds the three providers, which hold only the timing and (after configure) the
 * credentials read in the provider process. A dynamic provider host deserializes the object from a
 * resource's `__provider` and hands it that resource's olds/news (pulumi/pulumi,
 * sdk/nodejs/cmd/dynamic-provider/index.ts: create/diff/update use the new inputs' provider, read and
 * delete the recorded state's), so state written by the earlier per-kind providers is only ever read
 * or deleted by those; this object sees settings state it wrote, which carries `settings`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { OpnsenseError } from "./errors";
import { CHRONY, DNSMASQ, DNSMASQ_DHCP, KEA_DHCPV4, MODELS, type SettingsModel } from "./models";
import { DEFAULT_TIMING, ItemProvider, PreflightProvider, SettingsProvider, type Timing } from "./provider";

/** The settings singletons by the name their resources carry in `settings`. */
export const SETTINGS_MODELS = {
  chrony: CHRONY,
  keaDhcpv4: KEA_DHCPV4,
  dnsmasq: DNSMASQ,
  dnsmasqDhcp: DNSMASQ_DHCP,
} as const satisfies Readonly<Record<string, SettingsModel>>;

export type SettingsName = keyof typeof SETTINGS_MODELS;

type AnyProvider = pulumi.dynamic.ResourceProvider;
type Props = Record<string, unknown>;

export class OpnsenseProviders implements pulumi.dynamic.ResourceProvider {
  private readonly items: ItemProvider;
  private readonly preflight: PreflightProvider;
  private readonly settings: Readonly<Record<SettingsName, SettingsProvider>>;

  constructor(timing: Timing = DEFAULT_TIMING) {
    this.items = new ItemProvider(timing);
    this.preflight = new PreflightProvider(timing);
    this.settings = {
      chrony: new SettingsProvider(CHRONY, timing),
      keaDhcpv4: new SettingsProvider(KEA_DHCPV4, timing),
      dnsmasq: new SettingsProvider(DNSMASQ, timing),
      dnsmasqDhcp: new SettingsProvider(DNSMASQ_DHCP, timing),
    };
  }

  /** The provider for a resource, from its inputs or state; a shape none of them takes is refused. */
  private handler(props: Props): AnyProvider {
    if (typeof props.needs === "object" && props.needs !== null) return this.preflight;
    if (typeof props.model === "string" && Object.hasOwn(MODELS, props.model)) return this.items;
    if (typeof props.settings === "string" && Object.hasOwn(this.settings, props.settings)) {
      return this.settings[props.settings as SettingsName];
    }
    throw new OpnsenseError(
      `not an OPNsense resource this provider knows (model ${String(props.model)}, settings ${String(props.settings)})`,
    );
  }

  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const all = [this.items, this.preflight, ...Object.values(this.settings)];
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

  /** Settings and preflight have no delete: removing them from the program leaves the firewall as it is. */
  async delete(id: string, props: Props): Promise<void> {
    const provider = this.handler(props);
    if (provider.delete) await provider.delete(id, props);
  }
}
