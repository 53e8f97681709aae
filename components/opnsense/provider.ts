/**
 * Pulumi dynamic providers over the item core. The provider object is serialized into the stack's
 * state, so it holds no credentials: `configure` reads the API key and secret from the stack's
 * secret config in the provider process, at run time.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type Connection, DEFAULT_RETRY, type RetryPolicy, withWriteLock, call } from "./client";
import { OpnsenseError } from "./errors";
import {
  addItem,
  applying,
  changedFields,
  checkSaved,
  delItem,
  type Fields,
  getItem,
  liveFields,
  setItem,
} from "./items";
import { type ApplyKind, type ItemModel, MODELS, type ModelName, type SettingsModel } from "./models";
import { type PreflightNeeds, preflight } from "./preflight";
import { firewallVersion } from "./version";
import { forVersion, fromVersion, nest, pick } from "./versioned";
import { DEFAULT_PROBE, type FilterChange, type ProbePolicy, safeApplyFilter } from "./safeApply";

export const KEY_CONFIG = "fortress:opnsenseApiKey";
export const SECRET_CONFIG = "fortress:opnsenseApiSecret";

/** What a resource says about the firewall it lives on; no secret is among it. */
export interface FirewallRef {
  readonly url: string;
  readonly insecure: boolean;
  readonly caCert?: string;
}

export interface ItemInputs {
  /** Which model the item belongs to: one provider serves them all (one closure in the state, not one per model). */
  readonly model: ModelName;
  readonly firewall: FirewallRef;
  readonly fields: Fields;
}

/** Singleton settings: a SettingsProvider is made for one model; `settings` names it for the shared provider (dispatch.ts). */
export interface SettingsInputs {
  readonly settings?: string;
  readonly firewall: FirewallRef;
  readonly fields: Fields;
}

export interface ItemOutputs extends ItemInputs {
  readonly uuid: string;
  /** Set by a create that adopted the item an earlier, failed run had saved (see addItem). */
  readonly adopted?: boolean;
}

export interface Timing {
  readonly retry: RetryPolicy;
  readonly probe: ProbePolicy;
}

export const DEFAULT_TIMING: Timing = { retry: DEFAULT_RETRY, probe: DEFAULT_PROBE };

interface Credentials {
  readonly key: string;
  readonly secret: string;
}

function readCredentials(config: pulumi.dynamic.Config): Credentials | undefined {
  const key = config.get(KEY_CONFIG);
  const secret = config.get(SECRET_CONFIG);
  return key && secret ? { key, secret } : undefined;
}

/** TLS settings count too: a rotated CA must reach the state, or read and delete would keep the old one. */
function sameConnection(a: FirewallRef, b: FirewallRef): boolean {
  return a.url === b.url && a.insecure === b.insecure && (a.caCert ?? "") === (b.caCert ?? "");
}

function modelOf(inputs: { readonly model: ModelName }): ItemModel {
  const model = MODELS[inputs.model];
  if (!model) throw new OpnsenseError(`unknown OPNsense model ${String(inputs.model)}`);
  return model;
}

/** A filter rule's interface and description, for the record of what went live. */
function filterChange(fields: Fields, action: FilterChange["action"]): FilterChange {
  return { interface: fields.interface ?? "", description: fields.description ?? "", action };
}

export abstract class OpnsenseProvider {
  private credentials: Credentials | undefined;

  constructor(protected readonly timing: Timing) {}

  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.credentials = readCredentials(request.config);
  }

  /** Runs `change` and makes it live as the model requires; `what` names a filter change for its record. */
  protected applying<T>(
    connection: Connection,
    apply: ApplyKind,
    change: () => Promise<T>,
    what?: FilterChange,
  ): Promise<T> {
    if (apply.kind === "filter") {
      return safeApplyFilter(connection, this.timing.retry, this.timing.probe, change, what);
    }
    return applying(connection, apply, this.timing.retry, this.timing.probe, change);
  }

  protected connect(firewall: FirewallRef): Connection {
    if (!this.credentials) {
      throw new OpnsenseError(
        `no OPNsense credentials: set ${KEY_CONFIG} and ${SECRET_CONFIG} with \`pulumi config set --secret\``,
      );
    }
    return { ...firewall, ...this.credentials };
  }
}

/** CRUD for one model's items, with drift detection through read and in-place updates. */
export class ItemProvider
  extends OpnsenseProvider
  implements pulumi.dynamic.ResourceProvider<ItemInputs, ItemOutputs>
{
  async diff(_id: string, olds: ItemOutputs, news: ItemInputs): Promise<pulumi.dynamic.DiffResult> {
    const model = modelOf(news);
    const changed = changedFields(olds.fields, news.fields, model.lists);
    const movedFirewall = olds.firewall.url !== news.firewall.url;
    const replaces = [
      ...(movedFirewall ? ["firewall"] : []),
      ...(olds.model !== news.model ? ["model"] : []),
      ...changed.filter((field) => model.replaceOn.includes(field)).map((field) => `fields.${field}`),
    ];
    const changes =
      changed.length > 0 || replaces.length > 0 || !sameConnection(olds.firewall, news.firewall);
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
  }

  async create(inputs: ItemInputs): Promise<pulumi.dynamic.CreateResult<ItemOutputs>> {
    const model = modelOf(inputs);
    const connection = this.connect(inputs.firewall);
    const { uuid, adopted } = await withWriteLock(connection, () =>
      this.applying(
        connection,
        model.apply,
        () => addItem(connection, model, inputs.fields, this.timing.retry),
        filterChange(inputs.fields, "added"),
      ),
    );
    if (adopted) {
      // A dynamic provider has no engine connection for pulumi.log; its console output is shown
      // (pulumi/pulumi#18253), and the output `adopted` records it in the state.
      console.warn(
        `fortress: adopted the existing ${model.label} ${uuid} on ${inputs.firewall.url} ` +
          `(${model.identity.map((field) => `${field}=${inputs.fields[field] ?? ""}`).join(", ")}), ` +
          "left by an earlier run that failed after saving it, instead of adding a second one",
      );
    }
    return { id: uuid, outs: { ...inputs, uuid, ...(adopted ? { adopted } : {}) } };
  }

  async read(id: string, props?: ItemOutputs): Promise<pulumi.dynamic.ReadResult<ItemOutputs>> {
    if (!props) throw new OpnsenseError(`cannot read OPNsense item ${id} without its recorded state`);
    const model = modelOf(props);
    const live = await getItem(this.connect(props.firewall), model, id, props.fields, this.timing.retry);
    if (!live) return {};
    return { id, props: { ...props, fields: live, uuid: id } };
  }

  async update(
    id: string,
    _olds: ItemOutputs,
    news: ItemInputs,
  ): Promise<pulumi.dynamic.UpdateResult<ItemOutputs>> {
    const model = modelOf(news);
    const connection = this.connect(news.firewall);
    await withWriteLock(connection, () =>
      this.applying(
        connection,
        model.apply,
        () => setItem(connection, model, id, news.fields, this.timing.retry),
        filterChange(news.fields, "updated"),
      ),
    );
    return { outs: { ...news, uuid: id } };
  }

  async delete(id: string, props: ItemOutputs): Promise<void> {
    const model = modelOf(props);
    const connection = this.connect(props.firewall);
    await withWriteLock(connection, () =>
      this.applying(
        connection,
        model.apply,
        () => delItem(connection, model, id, this.timing.retry),
        filterChange(props.fields, "deleted"),
      ),
    );
  }
}

/** Singleton settings (chrony, Kea, Dnsmasq): create and update set the managed fields; delete leaves them. */
export class SettingsProvider
  extends OpnsenseProvider
  implements pulumi.dynamic.ResourceProvider<SettingsInputs, SettingsInputs>
{
  constructor(
    private readonly model: SettingsModel,
    timing: Timing = DEFAULT_TIMING,
  ) {
    super(timing);
  }

  /** The firewall's release when the model's fields differ between releases; undefined when they do not. */
  private async version(connection: Connection): Promise<string | undefined> {
    return this.model.versioned?.length ? firewallVersion(connection, this.timing.retry) : undefined;
  }

  private async write(inputs: SettingsInputs): Promise<void> {
    const connection = this.connect(inputs.firewall);
    const version = await this.version(connection);
    const fields = version ? forVersion(this.model, inputs.fields, version) : inputs.fields;
    await withWriteLock(connection, () =>
      this.applying(connection, this.model.apply, async () => {
        const body = this.model.section ? { [this.model.section]: nest(fields) } : nest(fields);
        const answer = await call(
          connection,
          "POST",
          `${this.model.base}/${this.model.commands?.set ?? "set"}`,
          { [this.model.key]: body },
          this.timing.retry,
        );
        checkSaved(this.model, answer, "set");
      }),
    );
  }

  async diff(_id: string, olds: SettingsInputs, news: SettingsInputs): Promise<pulumi.dynamic.DiffResult> {
    return {
      changes:
        changedFields(olds.fields, news.fields, this.model.lists).length > 0 ||
        !sameConnection(olds.firewall, news.firewall),
    };
  }

  async create(inputs: SettingsInputs): Promise<pulumi.dynamic.CreateResult<SettingsInputs>> {
    await this.write(inputs);
    return { id: `${inputs.firewall.url}#${this.model.base}`, outs: inputs };
  }

  async read(id: string, props?: SettingsInputs): Promise<pulumi.dynamic.ReadResult<SettingsInputs>> {
    if (!props) throw new OpnsenseError(`cannot read ${this.model.label} without its recorded state`);
    const connection = this.connect(props.firewall);
    const answer = (await call(
      connection,
      "GET",
      `${this.model.base}/${this.model.commands?.get ?? "get"}`,
      undefined,
      this.timing.retry,
    )) as Record<string, unknown>;
    const root = (answer[this.model.key] ?? {}) as Record<string, unknown>;
    const values = (this.model.section ? (root[this.model.section] ?? {}) : root) as Record<string, unknown>;
    const managed = Object.keys(props.fields);
    const older = (this.model.versioned ?? []).flatMap((entry) => (entry.before ? [entry.before.field] : []));
    const version = await this.version(connection);
    const flat = pick(values, [...managed, ...older]);
    const live = version ? fromVersion(this.model, flat, version) : flat;
    const fields = liveFields(live, managed, props.fields, this.model.lists);
    return { id, props: { ...props, fields } };
  }

  async update(
    _id: string,
    _olds: SettingsInputs,
    news: SettingsInputs,
  ): Promise<pulumi.dynamic.UpdateResult<SettingsInputs>> {
    await this.write(news);
    return { outs: news };
  }
}

export interface PreflightInputs {
  readonly firewall: FirewallRef;
  readonly needs: PreflightNeeds;
}

/** Checks the firewall on every deployment (its diff always reports a change), before anything that depends on it. */
export class PreflightProvider
  extends OpnsenseProvider
  implements pulumi.dynamic.ResourceProvider<PreflightInputs, PreflightInputs>
{
  private async verify(inputs: PreflightInputs): Promise<void> {
    await preflight(this.connect(inputs.firewall), inputs.needs, this.timing.retry);
  }

  async diff(): Promise<pulumi.dynamic.DiffResult> {
    return { changes: true };
  }

  async create(inputs: PreflightInputs): Promise<pulumi.dynamic.CreateResult<PreflightInputs>> {
    await this.verify(inputs);
    return { id: `${inputs.firewall.url}#preflight`, outs: inputs };
  }

  async update(
    _id: string,
    _olds: PreflightInputs,
    news: PreflightInputs,
  ): Promise<pulumi.dynamic.UpdateResult<PreflightInputs>> {
    await this.verify(news);
    return { outs: news };
  }
}
