/**
 * `WazuhAgentGroup`: one agent group on the manager with its centralised configuration (agent.conf),
 * made through the Wazuh server API (wazuhGroups.ts). Create makes the group (adopting one an earlier,
 * failed run already made: 1711) and uploads its agent.conf; an update uploads it again; a refresh
 * reads the group back and records drift; delete removes it (one already gone is no error). A new
 * name replaces the group: the manager has no rename.
 */
import * as pulumi from "@pulumi/pulumi";
import { WazuhClient, type WazuhConnection } from "./wazuhClient";
import {
  createGroup,
  deleteGroup,
  getGroup,
  getGroupConfiguration,
  groupNameProblem,
  putGroupConfiguration,
  sameAgentConf,
} from "./wazuhGroups";
import { WAZUH_MODULE, wazuhKind } from "../../vocabulary/typeTokens";

/** What the provider gets: the API's connection and the group. */
export interface AgentGroupInputs {
  readonly api: WazuhConnection;
  readonly name: string;
  /** The group's agent.conf (agentConf.ts). */
  readonly configuration: string;
}

/** What the state keeps besides the inputs: the checksum the manager reports for the agent.conf. */
export interface AgentGroupOutputs extends AgentGroupInputs {
  readonly configSum: string;
}

export class AgentGroupProvider implements pulumi.dynamic.ResourceProvider {
  async check(_olds: AgentGroupInputs, news: AgentGroupInputs): Promise<pulumi.dynamic.CheckResult> {
    const problem = typeof news.name === "string" ? groupNameProblem(news.name) : undefined;
    return problem ? { failures: [{ property: "name", reason: problem }] } : { inputs: news };
  }

  async diff(
    _id: string,
    olds: AgentGroupOutputs,
    news: AgentGroupInputs,
  ): Promise<pulumi.dynamic.DiffResult> {
    const replaces = olds.name !== news.name ? ["name"] : [];
    const changed =
      replaces.length > 0 ||
      olds.configuration !== news.configuration ||
      JSON.stringify(olds.api) !== JSON.stringify(news.api);
    return { changes: changed, replaces, deleteBeforeReplace: false };
  }

  private async apply(inputs: AgentGroupInputs): Promise<AgentGroupOutputs> {
    const client = new WazuhClient(inputs.api);
    await putGroupConfiguration(client, inputs.name, inputs.configuration);
    const group = await getGroup(client, inputs.name);
    return { ...inputs, configSum: group?.configSum ?? "" };
  }

  async create(inputs: AgentGroupInputs): Promise<pulumi.dynamic.CreateResult> {
    await createGroup(new WazuhClient(inputs.api), inputs.name);
    return { id: inputs.name, outs: await this.apply(inputs) };
  }

  async update(
    _id: string,
    _olds: AgentGroupOutputs,
    news: AgentGroupInputs,
  ): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: await this.apply(news) };
  }

  /**
   * The group as the manager has it: gone (an empty id, so the engine recreates it), or its agent.conf
   * in the state when it is no longer the recorded one (the next diff then puts ours back).
   */
  async read(id: string, props: AgentGroupOutputs): Promise<pulumi.dynamic.ReadResult> {
    const client = new WazuhClient(props.api);
    const group = await getGroup(client, id);
    if (!group) return { id: "", props: {} };
    const live = await getGroupConfiguration(client, id);
    const configuration = sameAgentConf(live, props.configuration) ? props.configuration : live;
    return { id, props: { ...props, name: id, configuration, configSum: group.configSum ?? "" } };
  }

  async delete(id: string, props: AgentGroupOutputs): Promise<void> {
    await deleteGroup(new WazuhClient(props.api), id);
  }
}

/** The provider object every group shares (the SDK serializes a provider once per object). */
const PROVIDER = new AgentGroupProvider();

export interface WazuhAgentGroupArgs {
  readonly api: pulumi.Input<WazuhConnection>;
  readonly name: string;
  readonly configuration: pulumi.Input<string>;
}

export class WazuhAgentGroup extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly configSum: pulumi.Output<string>;

  constructor(name: string, args: WazuhAgentGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      PROVIDER,
      name,
      {
        api: pulumi.secret(args.api),
        name: args.name,
        configuration: args.configuration,
        configSum: undefined,
      },
      // The API's password travels in `api`: secret in the inputs and in the state.
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "api"] },
      WAZUH_MODULE,
      wazuhKind("agentGroup"),
    );
  }
}
