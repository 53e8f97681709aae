/**
 * The containment active response as Wazuh 4.14's execd runs it: this test plays execd (writes the
 * message ar_json.c builds, with the whole alert, reads the script's check_keys line and answers
 * continue or abort as execd.c does, then sends delete when the timeout is up), and the loopback
 * OPNsense plays the firewall. The ossec.conf block that wires it is rendered and checked too.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { xmllint } from "../../../test/support/debianTools";
import {
  ACTIVE_RESPONSE,
  type Harness,
  PROGRAM,
  requestsTo,
  runPython,
  startHarness,
} from "../../../test/opnsense/containHarness";
import {
  CONTAIN_COMMAND,
  CONTAIN_RULES,
  containResponse,
  DEFAULT_ACTIVE_RESPONSES,
  DEFAULT_COMMANDS,
  renderOssecConf,
} from "../../siem/manager/ossecConf";
import { unknownElements } from "../../siem/manager/ossecReference";
import { elementPaths } from "../../siem/manager/xml";

const WORKSTATION = "10.10.40.23";

/** A Wazuh 4.14 alert of Fortress's rule 100200 (ClamAV's 52502 raised) from the workstation's agent. */
const clamavAlert = (agentIp: string | null = WORKSTATION) => ({
  timestamp: "2026-11-30T14:20:01.123+0000",
  rule: {
    level: 12,
    description: "Fortress: the lab's clamd found malware in a scanned file",
    id: "100200",
    firedtimes: 1,
    mail: false,
    groups: ["fortress", "malware"],
  },
  agent: { id: "003", name: "workstation-1", ...(agentIp ? { ip: agentIp } : {}) },
  manager: { name: "wazuh-manager-1" },
  id: "1764512401.104857",
  full_log:
    "Nov 30 14:20:00 workstation-1 clamd[812]: /home/user/Downloads/invoice.pdf: Fortress.Test.Sample.UNOFFICIAL FOUND",
  predecoder: { program_name: "clamd", timestamp: "Nov 30 14:20:00", hostname: "workstation-1" },
  decoder: { name: "clamd" },
  location: "/var/log/clamav/clamav.log",
});

/** A Suricata EVE alert as Wazuh decodes it (ruleset/rules/0475-suricata_rules.xml sample, lab addresses). */
const suricataAlert = (src: string, dest: string) => ({
  timestamp: "2026-11-30T14:21:00.000+0000",
  rule: {
    level: 3,
    description: "Suricata: Alert - ET MALWARE Test",
    id: "86601",
    groups: ["ids", "suricata"],
  },
  agent: { id: "000", name: "wazuh-manager-1" },
  id: "1764512460.200000",
  decoder: { name: "json" },
  data: {
    timestamp: "2026-11-30T14:20:59.000000+0000",
    event_type: "alert",
    src_ip: src,
    src_port: "80",
    dest_ip: dest,
    dest_port: "51234",
    proto: "TCP",
    alert: { action: "allowed", signature_id: "2019236", signature: "ET MALWARE Test", severity: "1" },
  },
  location: "/var/log/suricata/eve.json",
});

/** What execd writes on the script's stdin (src/os_execd/execd.c: command add/delete, module, program). */
const message = (command: "add" | "delete", alert: object) =>
  `${JSON.stringify({
    version: 1,
    origin: { name: "wazuh-manager-1", module: "wazuh-execd" },
    command,
    parameters: { extra_args: [], alert, program: "active-response/bin/fortress-contain-ar" },
  })}\n`;

describe("the containment active response (Wazuh 4.14 execd protocol)", () => {
  let lab: Harness;
  let arLog: string;
  /** execd's timeout list: keys it holds (execd.c: rkey = script name + keys). */
  const held = new Set<string>();

  const execd = async (command: "add" | "delete", alert: object) => {
    const sent: unknown[] = [];
    const ran = await runPython(ACTIVE_RESPONSE, [], {
      env: { FORTRESS_CONTAIN_CONFIG: lab.config, FORTRESS_AR_LOG: arLog },
      input: message(command, alert),
      onLine: (line, write) => {
        const keys = JSON.parse(line) as { parameters: { keys: string[] } };
        sent.push(keys);
        const rkey = `fortress-contain-ar.py${keys.parameters.keys.join("")}`;
        const answer = held.has(rkey) ? "abort" : "continue";
        held.add(rkey);
        write(message(command, alert).replace(`"command":"${command}"`, `"command":"${answer}"`));
      },
    });
    return { ...ran, sent };
  };

  before(async () => {
    lab = await startHarness();
    arLog = join(lab.dir, "active-responses.log");
    lab.writeConfig({
      extra: {
        active_response: { internal: ["10.10.10.0/24", "10.10.20.0/24", "10.10.40.0/24"], program: PROGRAM },
      },
    });
  });
  after(async () => lab.close());
  beforeEach(() => {
    lab.api.state.requests.length = 0;
  });

  it("contains the agent's address of a ClamAV alert, after check_keys with that address", async () => {
    const ran = await execd("add", clamavAlert());
    assert.equal(ran.code, 0, ran.stderr + readFileSync(arLog, "utf8"));
    assert.deepEqual(ran.sent, [
      {
        version: 1,
        origin: { name: "fortress-contain-ar.py", module: "active-response" },
        command: "check_keys",
        parameters: { keys: [WORKSTATION] },
      },
    ]);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [WORKSTATION]);
    assert.match(
      readFileSync(arLog, "utf8"),
      /add 10\.10\.40\.23 \(agent\.ip of agent 003 \(workstation-1\)\): exit 0/,
    );
    assert.ok(
      lab.syslog.some((line) =>
        /action=add ip=10\.10\.40\.23 .*result=contained by=wazuh-active-response reason="wazuh alert 1764512401\.104857 rule 100200/.test(
          line,
        ),
      ),
    );
  });

  it("adds nothing for a second alert about the same host: execd answers abort", async () => {
    const ran = await execd("add", clamavAlert());
    assert.equal(ran.code, 0);
    assert.equal(requestsTo(lab.api, "firewall/alias_util").length, 0);
    assert.match(readFileSync(arLog, "utf8"), /already contained within the response's timeout/);
  });

  it("releases the host when execd sends delete at the end of the timeout", async () => {
    const ran = await execd("delete", clamavAlert());
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(ran.sent, [], "no check_keys on delete");
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), []);
  });

  it("contains the internal side of a Suricata alert, and nothing when both or neither side is internal", async () => {
    held.clear();
    const inbound = await execd("add", suricataAlert("203.0.113.80", "10.10.40.31"));
    assert.equal(inbound.code, 0, inbound.stderr);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), ["10.10.40.31"]);
    await execd("add", suricataAlert("10.10.40.32", "198.51.100.7"));
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine").sort(), ["10.10.40.31", "10.10.40.32"]);
    lab.api.state.requests.length = 0;
    await execd("add", suricataAlert("10.10.40.33", "10.10.20.5"));
    await execd("add", suricataAlert("203.0.113.1", "198.51.100.7"));
    assert.equal(lab.api.state.requests.length, 0);
    assert.match(readFileSync(arLog, "utf8"), /both sides are internal \(10\.10\.40\.33, 10\.10\.20\.5\)/);
  });

  it("never contains the manager (allow-listed) nor acts on an alert without an internal address", async () => {
    held.clear();
    const manager = await execd("add", clamavAlert("10.10.20.64"));
    assert.equal(manager.code, 2, "fortress-contain's refusal is the response's exit code");
    assert.match(readFileSync(arLog, "utf8"), /add 10\.10\.20\.64 .*"result": "refused"/);
    const none = await execd("add", clamavAlert(null));
    assert.equal(none.code, 0);
    assert.match(readFileSync(arLog, "utf8"), /nothing to contain: no internal address in the alert/);
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 0);
  });

  it("rejects what execd would not send: no version, a bad command", async () => {
    const bad = await runPython(ACTIVE_RESPONSE, [], {
      env: { FORTRESS_CONTAIN_CONFIG: lab.config, FORTRESS_AR_LOG: arLog },
      input: `${JSON.stringify({ origin: {}, command: "add", parameters: {} })}\n`,
    });
    assert.equal(bad.code, 1);
    const command = await runPython(ACTIVE_RESPONSE, [], {
      env: { FORTRESS_CONTAIN_CONFIG: lab.config, FORTRESS_AR_LOG: arLog },
      input: message("add", clamavAlert()).replace('"command":"add"', '"command":"flush"'),
    });
    assert.equal(command.code, 1);
  });
});

describe("the containment response in the manager's ossec.conf", () => {
  const xml = renderOssecConf({
    syslogAllowedIps: ["10.10.20.1"],
    indexerHosts: ["https://10.10.20.30:9200"],
    commands: [...DEFAULT_COMMANDS, CONTAIN_COMMAND],
    activeResponses: [...DEFAULT_ACTIVE_RESPONSES, containResponse({ timeout: 3600 })],
    feedUpdateInterval: "60m",
  });

  it("is well-formed, documented, on the server, on the escalated ClamAV rule, with a timeout", () => {
    assert.equal(xmllint(xml).status, 0);
    assert.deepEqual(unknownElements(elementPaths(xml)), []);
    const block =
      /<active-response>\s*<disabled>no<\/disabled>\s*<command>fortress-contain-ar<\/command>\s*<location>server<\/location>\s*<rules_id>([^<]+)<\/rules_id>\s*<timeout>3600<\/timeout>\s*<\/active-response>/.exec(
        xml,
      );
    assert.ok(block, xml);
    assert.equal(block[1], CONTAIN_RULES.join(","));
    assert.match(
      xml,
      /<command>\s*<name>fortress-contain-ar<\/name>\s*<executable>fortress-contain-ar<\/executable>\s*<timeout_allowed>yes<\/timeout_allowed>/,
    );
  });

  it("refuses a containment without a positive timeout: release must happen", () => {
    assert.throws(() => containResponse({ timeout: 0 }), /positive number of seconds/);
  });
});
