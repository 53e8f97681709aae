import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runNodeScript } from "../../test/support/runNode";
import { after, before, describe, it } from "node:test";
import { startWazuhDouble, type WazuhDouble } from "../../test/wazuh/server";
import { AgentGroupProvider, type AgentGroupOutputs } from "./agentGroup";
import { WazuhClient, type WazuhConnection } from "./wazuhClient";
import { WazuhAuthError, WazuhRefusedError, WazuhUnavailableError } from "./wazuhErrors";
import { profileFor, ROLE_WATCHES, renderAgentConf } from "./agentConf";
import { createGroup, getGroup, putGroupConfiguration, sameAgentConf } from "./wazuhGroups";

const USER = "fortress-groups";
const PASSWORD = "a-random-password-from-the-stack";
const FAST = { timeoutMs: 2_000, retries: 2, backoffMs: 5 };

const CONF = [
  '<agent_config os="Linux">',
  "  <syscheck>",
  '    <directories realtime="yes" check_all="yes">/home</directories>',
  "  </syscheck>",
  "</agent_config>",
].join("\n");

describe("the Wazuh API client and WazuhAgentGroup, through the loopback double", () => {
  let double: WazuhDouble;
  let api: WazuhConnection;
  before(async () => {
    double = await startWazuhDouble({ username: USER, password: PASSWORD });
    api = { url: double.url, username: USER, password: PASSWORD };
  });
  after(() => double.close());

  it("logs in with Basic auth, then calls with the token", async () => {
    const client = new WazuhClient(api, FAST);
    assert.equal(await getGroup(client, "nope"), undefined);
    assert.deepEqual(double.requests.slice(-2), [
      "POST /security/user/authenticate",
      "GET /groups?groups_list=nope",
    ]);
  });

  it("says a wrong password is wrong, without retrying it", async () => {
    const before = double.requests.length;
    const client = new WazuhClient({ ...api, password: "wrong" }, FAST);
    await assert.rejects(
      getGroup(client, "x"),
      (error: Error) => error instanceof WazuhAuthError && /Invalid credentials/.test(error.message),
    );
    assert.equal(double.requests.length - before, 1);
  });

  it("logs in again once when the token has expired", async () => {
    const client = new WazuhClient(api, FAST);
    await getGroup(client, "x");
    double.expireTokens();
    assert.equal(await getGroup(client, "x"), undefined);
    assert.deepEqual(double.requests.slice(-3), [
      "GET /groups?groups_list=x",
      "POST /security/user/authenticate",
      "GET /groups?groups_list=x",
    ]);
  });

  it("retries a gateway error, and gives up with WazuhUnavailableError when it persists", async () => {
    const client = new WazuhClient(api, FAST);
    await client.login();
    double.failNext(2);
    assert.equal(await getGroup(client, "x"), undefined);
    double.failNext(10);
    await assert.rejects(getGroup(client, "x"), WazuhUnavailableError);
    double.failNext(0);
  });

  it("answers an existing group with 1711, and create adopts it", async () => {
    const client = new WazuhClient(api, FAST);
    assert.equal(await createGroup(client, "fortress-adopt"), true);
    assert.equal(await createGroup(client, "fortress-adopt"), false);
    // "default" exists on every manager: the API says so with 1711 as well.
    assert.equal(await createGroup(client, "default"), false);
  });

  it("refuses an invalid group name (the spec's group_names format) without retrying", async () => {
    const client = new WazuhClient(api, FAST);
    await assert.rejects(
      createGroup(client, "bad name"),
      (error: Error) => error instanceof WazuhRefusedError && error.status === 400,
    );
    await assert.rejects(createGroup(client, "all"), WazuhRefusedError);
  });

  it("refuses XML that does not parse (1113) and an element verify-agent-conf does not know (1114)", async () => {
    const client = new WazuhClient(api, FAST);
    await createGroup(client, "fortress-xml");
    await assert.rejects(
      putGroupConfiguration(client, "fortress-xml", "<agent_config><syscheck></agent_config>"),
      (error: Error) =>
        error instanceof WazuhRefusedError && error.code === 1113 && /mismatched tag/.test(error.message),
    );
    await assert.rejects(
      putGroupConfiguration(client, "fortress-xml", "<agent_config><fim/></agent_config>"),
      (error: Error) =>
        error instanceof WazuhRefusedError &&
        error.code === 1114 &&
        /Invalid element in the configuration: 'fim'/.test(error.message),
    );
    await assert.rejects(
      putGroupConfiguration(
        client,
        "fortress-xml",
        "<agent_config><localfile><path>/x</path></localfile></agent_config>",
      ),
      (error: Error) =>
        error instanceof WazuhRefusedError && error.code === 1114 && /'path'/.test(error.message),
    );
    await assert.rejects(
      putGroupConfiguration(client, "fortress-xml", ""),
      (error: Error) => error instanceof WazuhRefusedError && error.code === 1112,
    );
    await assert.rejects(
      putGroupConfiguration(client, "absent", CONF),
      (error: Error) => error instanceof WazuhRefusedError && error.code === 1710 && error.status === 404,
    );
  });

  it("the provider creates, reads back (pretty-printed by the manager, still the same), updates and deletes a group", async () => {
    const provider = new AgentGroupProvider();
    const inputs = { api, name: "fortress-workstation", configuration: CONF };
    assert.deepEqual(await provider.check(inputs, inputs), { inputs });
    const created = await provider.create(inputs);
    assert.equal(created.id, "fortress-workstation");
    const stored = double.groups.get("fortress-workstation")?.agentConf ?? "";
    assert.notEqual(stored, CONF, "the manager rewrites what it is given");
    assert.ok(sameAgentConf(stored, CONF));
    const outs = created.outs as AgentGroupOutputs;
    assert.match(outs.configSum, /^[0-9a-f]{32}$/);

    const read = await provider.read(created.id, outs);
    assert.equal(read.id, created.id);
    assert.equal(
      (read.props as AgentGroupOutputs).configuration,
      CONF,
      "no drift: the recorded configuration stays",
    );

    // Someone edits the group on the manager: a refresh records it, and the next diff puts ours back.
    const group = double.groups.get("fortress-workstation");
    if (group) group.agentConf = "<agent_config>\n  <labels/>\n</agent_config>\n";
    const drifted = await provider.read(created.id, outs);
    const driftedProps = drifted.props as AgentGroupOutputs;
    assert.notEqual(driftedProps.configuration, CONF);
    assert.equal((await provider.diff(created.id, driftedProps, inputs)).changes, true);
    await provider.update(created.id, driftedProps, inputs);
    assert.ok(sameAgentConf(double.groups.get("fortress-workstation")?.agentConf ?? "", CONF));

    assert.deepEqual(await provider.diff(created.id, outs, { ...inputs, name: "fortress-other" }), {
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
    assert.equal((await provider.diff(created.id, outs, inputs)).changes, false);

    await provider.delete(created.id, outs);
    assert.equal(double.groups.has("fortress-workstation"), false);
    // Deleting a group that is already gone (1710 as a failed item) is no error.
    await provider.delete(created.id, outs);
    const gone = await provider.read(created.id, outs);
    assert.equal(gone.id, "");
  });

  it("the provider's check refuses a name the API would refuse", async () => {
    const provider = new AgentGroupProvider();
    for (const name of ["default", "all", "..", "has space", "x".repeat(129)]) {
      const result = await provider.check(
        { api, name, configuration: CONF },
        { api, name, configuration: CONF },
      );
      assert.equal(result.failures?.[0]?.property, "name", name);
    }
  });

  it("a failed create that already made the group is adopted on the next run", async () => {
    const provider = new AgentGroupProvider();
    await createGroup(new WazuhClient(api, FAST), "fortress-retry");
    const created = await provider.create({ api, name: "fortress-retry", configuration: CONF });
    assert.ok(sameAgentConf(double.groups.get(created.id)?.agentConf ?? "", CONF));
  });

  it("the manager accepts every role's rendered agent.conf", async () => {
    const client = new WazuhClient(api, FAST);
    for (const role of Object.keys(ROLE_WATCHES)) {
      const profile = profileFor(role, `fortress-${role}`);
      await createGroup(client, profile.group);
      await putGroupConfiguration(client, profile.group, renderAgentConf(profile));
      assert.ok(
        sameAgentConf(double.groups.get(profile.group)?.agentConf ?? "", renderAgentConf(profile)),
        profile.group,
      );
    }
  });

  it("serializes as the engine does, and creates a group from the serialized text in a fresh process", async () => {
    const provider = new AgentGroupProvider();
    const serialized = await pulumi.runtime.serializeFunction(() => provider);
    assert.ok(!serialized.text.includes(PASSWORD), "the password was captured");
    const dir = mkdtempSync(join(tmpdir(), "fortress-wazuh-dynamic-"));
    writeFileSync(join(dir, "provider.js"), serialized.text);
    const script = `
      const provider = require(${JSON.stringify(join(dir, "provider.js"))}).${serialized.exportName}();
      provider
        .create({ api: { url: process.env.U, username: process.env.N, password: process.env.P }, name: "fortress-serialized", configuration: process.env.C })
        .then((result) => console.log(JSON.stringify({ id: result.id })))
        .catch((error) => { console.error(error.stack || error); process.exit(1); });`;
    const child = await runNodeScript(script, { env: { U: api.url, N: USER, P: PASSWORD, C: CONF } });
    assert.equal(child.status, 0, child.stderr);
    assert.equal((JSON.parse(child.stdout.trim()) as { id: string }).id, "fortress-serialized");
    assert.ok(sameAgentConf(double.groups.get("fortress-serialized")?.agentConf ?? "", CONF));
  });
});
