/**
 * The containment active response as Wazuh 4.14's execd runs it: this test plays execd (writes the
 * message ar_json.c builds, with the whole alert; reads whatever the script writes back, as ExecdRun's
 * fgets does; sends `delete` as ExecdShutdown would for a timed response), the loopback OPNsense plays
 * the firewall and the fake gvmd the scanner (the rescan runs components/vuln/gvmProgram's rescan).
 * The ossec.conf block that wires it is rendered and checked too.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { xmllint } from "../../../test/support/debianTools";
import {
  ACTIVE_RESPONSE,
  type Harness,
  hasSyslogEvent,
  PROGRAM,
  requestsTo,
  runPython,
  startHarness,
} from "../../../test/opnsense/containHarness";
import { type RescanLab, startRescanLab } from "../../../test/greenbone/rescanLab";
import { auditRuleFor } from "../../../test/support/auditRules";
import {
  CONTAIN_AUDIT_RULES,
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
const RELEASE_AFTER = 3600;

/** A Wazuh 4.14 alert of Fortress's rule 100200 (ClamAV's 52502 raised) from the workstation's agent. */
const clamavAlert = (agentIp: string | null = WORKSTATION, id = "1764512401.104857") => ({
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
  id,
  full_log:
    "Nov 30 14:20:00 workstation-1 clamd[812]: /home/user/Downloads/invoice.pdf: Fortress.Test.Sample.UNOFFICIAL FOUND",
  predecoder: { program_name: "clamd", timestamp: "Nov 30 14:20:00", hostname: "workstation-1" },
  decoder: { name: "clamd" },
  location: "/var/log/clamav/clamav.log",
});

/**
 * A Suricata 7 EVE alert as Wazuh decodes it (ruleset/rules/0475-suricata_rules.xml): src_ip/dest_ip
 * are the packet's, `direction` says whether it goes to the flow's server or its client, and `flow`
 * (with the alert output's flow option) holds the flow's own src_ip/dest_ip (OISF/suricata@suricata-7.0.17
 * src/output-json-alert.c AlertJson).
 */
const suricataAlert = (
  src: string,
  dest: string,
  direction?: "to_server" | "to_client",
  flow?: { src_ip: string; dest_ip: string },
) => ({
  timestamp: "2026-11-30T14:21:00.000+0000",
  rule: { level: 12, description: "Fortress: Suricata saw malware on the network", id: "100300" },
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
    ...(direction ? { direction } : {}),
    ...(flow ? { flow: { pkts_toserver: "3", ...flow } } : {}),
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
  let scanner: RescanLab;
  let arLog: string;

  const configure = (rescan: { argv: string[]; targets?: Record<string, string> } | null) =>
    lab.writeConfig({
      extra: {
        active_response: {
          internal: ["10.10.10.0/24", "10.10.20.0/24", "10.10.40.0/24"],
          servers: ["10.10.20.0/24"],
          program: PROGRAM,
          release_after: RELEASE_AFTER,
        },
        ...(rescan
          ? {
              rescan: {
                argv: rescan.argv,
                targets: rescan.targets ?? { "10.10.20.0/24": "servers", "10.10.40.0/24": "users" },
                timeout: 30,
              },
            }
          : {}),
      },
    });

  /** Runs the script as execd does; execd reads one line back (fgets) and, stateless, never answers. */
  const execd = async (command: "add" | "delete", alert: object) => {
    const ran = await runPython(ACTIVE_RESPONSE, [], {
      env: { FORTRESS_CONTAIN_CONFIG: lab.config, FORTRESS_AR_LOG: arLog, ...scanner.env },
      input: message(command, alert),
    });
    return ran;
  };
  const record = (ip: string) =>
    JSON.parse(readFileSync(join(lab.stateDir, `${ip}.json`), "utf8")) as { expires: number | null };
  const arLines = () => readFileSync(arLog, "utf8");
  const audits = () =>
    arLines()
      .split("\n")
      .filter((line) => line.includes("active-response/bin/fortress-contain-ar: {"))
      .map(
        (line) =>
          (JSON.parse(line.slice(line.indexOf(": {") + 2)) as { fortress: Record<string, string | number> })
            .fortress,
      );

  before(async () => {
    lab = await startHarness();
    scanner = await startRescanLab(["servers", "users"]);
    arLog = join(lab.dir, "active-responses.log");
  });
  after(async () => {
    await scanner.close();
    await lab.close();
  });
  beforeEach(() => {
    configure({ argv: scanner.direct });
    lab.api.state.requests.length = 0;
    writeFileSync(arLog, "");
  });

  it("contains the agent's address of a ClamAV alert, records its expiry, and answers execd nothing (stateless)", async () => {
    const ran = await execd("add", clamavAlert());
    assert.equal(ran.code, 0, ran.stderr + arLines());
    assert.equal(ran.stdout, "", "no check_keys: execd keeps nothing in its timeout list");
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [WORKSTATION]);
    const expires = record(WORKSTATION).expires ?? 0;
    assert.ok(Math.abs(expires - (Date.now() / 1000 + RELEASE_AFTER)) < 60, String(expires));
    assert.match(arLines(), /add 10\.10\.40\.23 \(agent\.ip of agent 003 \(workstation-1\)\): exit 0/);
    assert.ok(
      hasSyslogEvent(lab.syslog, {
        action: "add",
        address: WORKSTATION,
        result: "contained",
        by: "wazuh-active-response",
        reason: /^wazuh alert 1764512401\.104857 rule 100200/,
      }),
    );
  });

  it("keeps the host contained on a second alert: nothing added twice, the expiry pushed later", async () => {
    const before = record(WORKSTATION).expires ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const ran = await execd("add", clamavAlert(WORKSTATION, "1764512499.200000"));
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(requestsTo(lab.api, "firewall/alias_util/add").length, 0);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [WORKSTATION]);
    assert.ok((record(WORKSTATION).expires ?? 0) > before, "the expiry moved later");
    assert.match(arLines(), /"result": "already contained"/);
  });

  it("releases nothing when execd sends delete, as its shutdown does for a timed response (execd.c ExecdShutdown)", async () => {
    const ran = await execd("delete", clamavAlert());
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(lab.api.state.liveTable("fz_quarantine"), [WORKSTATION], "still contained");
    assert.equal(requestsTo(lab.api, "firewall/alias_util/delete").length, 0);
    assert.match(arLines(), /delete ignored: a contained host is released by fortress-contain/);
  });

  it("starts the rescan of the contained host's network once, and never for a host already contained", async () => {
    assert.deepEqual(scanner.started(), ["users"], "the first containment started fortress-users");
    const rescans = audits().filter((fields) => fields.action === "rescan");
    assert.equal(rescans.length, 0, "the second alert and the delete started none");
    for (const task of scanner.gvmd.items.task) task.status = "Done";
    const ran = await execd("add", clamavAlert("10.10.40.24"));
    assert.equal(ran.code, 0, ran.stderr);
    assert.deepEqual(scanner.started(), ["users"]);
    assert.deepEqual(
      audits().map((fields) => [fields.action, fields.address, fields.target, fields.result]),
      [["rescan", "10.10.40.24", "users", "started"]],
    );
    const started = arLines()
      .split("\n")
      .find((line) => line.includes('"action":"rescan"'));
    assert.equal(auditRuleFor(started ?? ""), 100216);
    // Another host of the same network while its scan runs: fortress-rescan exits 4, which is fine.
    const second = await execd("add", clamavAlert("10.10.40.25"));
    assert.equal(second.code, 0);
    assert.equal(audits().at(-1)?.result, "already running");
  });

  it("reaches the scanner through the forced-command wrapper as the manager's ssh would", async () => {
    configure({ argv: scanner.viaWrapper });
    for (const task of scanner.gvmd.items.task) task.status = "Done";
    const ran = await execd("add", clamavAlert("10.10.40.26"));
    assert.equal(ran.code, 0, ran.stderr + arLines());
    assert.deepEqual(scanner.started(), ["users"]);
    assert.equal(audits().at(-1)?.result, "started", arLines());
  });

  it("logs a failed rescan and keeps the containment: gvmd unreachable, a network without a target", async () => {
    configure({ argv: ["python3", "-c", "import sys; sys.exit(5)"] });
    const failed = await execd("add", clamavAlert("10.10.40.27"));
    assert.equal(failed.code, 0, "the containment's result, not the rescan's");
    assert.ok(lab.api.state.liveTable("fz_quarantine").includes("10.10.40.27"));
    assert.deepEqual(
      audits().map((fields) => [fields.action, fields.result, fields.exit]),
      [["rescan", "failed", 5]],
    );
    const failedLine = arLines()
      .split("\n")
      .find((line) => line.includes('"action":"rescan"'));
    assert.equal(auditRuleFor(failedLine ?? ""), 100217);
    configure({ argv: scanner.direct, targets: { "10.10.20.0/24": "servers" } });
    await execd("add", clamavAlert("10.10.40.28"));
    assert.ok(lab.api.state.liveTable("fz_quarantine").includes("10.10.40.28"));
    assert.equal(audits().at(-1)?.detail, "no scan target holds it");
  });

  it("contains the client of a Suricata alert's flow only when it is internal, outside a servers network, and talks out of its zone", async () => {
    configure(null);
    const cases: [string, ReturnType<typeof suricataAlert>, string | null][] = [
      // A workstation downloads malware: the packet goes to the client, the workstation.
      ["download", suricataAlert("203.0.113.80", "10.10.40.31", "to_client"), "10.10.40.31"],
      // A workstation calls its command and control.
      ["c2", suricataAlert("10.10.40.32", "198.51.100.7", "to_server"), "10.10.40.32"],
      // A workstation attacks a server in another zone.
      ["lateral", suricataAlert("10.10.40.33", "10.10.20.5", "to_server"), "10.10.40.33"],
      // An outsider attacks a server: the server is the victim, never contained.
      ["inbound attack", suricataAlert("203.0.113.9", "10.10.20.5", "to_server"), null],
      ["server's answer", suricataAlert("10.10.20.5", "203.0.113.9", "to_client"), null],
      // A server that opens a flow out: a network alert alone never contains a server.
      ["server out", suricataAlert("10.10.20.6", "198.51.100.7", "to_server"), null],
      // Both in one network: which host is infected is not said (and the firewall sees neither).
      ["same zone", suricataAlert("10.10.40.34", "10.10.40.35", "to_server"), null],
      // No direction: who opened the flow is not said.
      ["no direction", suricataAlert("203.0.113.80", "10.10.40.36"), null],
      // The flow object names the client, whatever the packet's direction.
      [
        "flow",
        suricataAlert("203.0.113.80", "10.10.40.37", "to_server", {
          src_ip: "10.10.40.37",
          dest_ip: "203.0.113.80",
        }),
        "10.10.40.37",
      ],
    ];
    for (const [what, alert, expected] of cases) {
      lab.api.state.requests.length = 0;
      const ran = await execd("add", alert);
      assert.equal(ran.code, 0, `${what}: ${ran.stderr}`);
      const added = requestsTo(lab.api, "firewall/alias_util/add").map(
        (request) => (request.body as { address?: string }).address,
      );
      assert.deepEqual(added, expected ? [expected] : [], what);
    }
    assert.match(arLines(), /10\.10\.20\.5 is not internal|the flow's client 203\.0\.113\.9 is not internal/);
    assert.match(arLines(), /10\.10\.20\.6 is in a servers network/);
    const skipped = audits().filter((fields) => fields.result === "skipped");
    assert.equal(skipped.length, 5, "each refusal to contain is an audit line");
    const raised = arLines()
      .split("\n")
      .filter((line) => line.includes('"result":"skipped"'))
      .map(auditRuleFor);
    assert.deepEqual(raised, [100215, 100215, 100215, 100215, 100215], "and an alert (rule 100215)");
  });

  it("never contains the manager (allow-listed) nor acts on an alert without an internal address", async () => {
    const manager = await execd("add", clamavAlert("10.10.20.64"));
    assert.equal(manager.code, 2, "fortress-contain's refusal is the response's exit code");
    assert.match(arLines(), /add 10\.10\.20\.64 .*"result": "refused"/);
    const none = await execd("add", clamavAlert(null));
    assert.equal(none.code, 0);
    assert.match(arLines(), /nothing to contain: no internal address in the alert/);
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
    activeResponses: [...DEFAULT_ACTIVE_RESPONSES, containResponse()],
    feedUpdateInterval: "60m",
  });

  it("is well-formed, documented, on the server, on the escalated ClamAV rule, and stateless in execd", () => {
    assert.equal(xmllint(xml).status, 0);
    assert.deepEqual(unknownElements(elementPaths(xml)), []);
    const block =
      /<active-response>\s*<disabled>no<\/disabled>\s*<command>fortress-contain-ar<\/command>\s*<location>server<\/location>\s*<rules_id>([^<]+)<\/rules_id>\s*<\/active-response>/.exec(
        xml,
      );
    assert.ok(block, xml);
    assert.equal(block[1], CONTAIN_RULES.join(","));
    assert.match(
      xml,
      /<command>\s*<name>fortress-contain-ar<\/name>\s*<executable>fortress-contain-ar<\/executable>\s*<timeout_allowed>no<\/timeout_allowed>/,
    );
  });

  it("refuses an execd timeout (execd releases every timed host when it stops) and its own audit rules", () => {
    assert.throws(
      () => containResponse({ timeout: 3600 } as unknown as { rulesId?: number[] }),
      /no execd timeout/,
    );
    assert.throws(() => containResponse({ rulesId: [100200, CONTAIN_AUDIT_RULES[0]?.id ?? 0] }), /loops/);
  });

  it("reads the active-response log, once, as the package's ossec.conf does", () => {
    const blocks = xml.match(/<localfile>[\s\S]*?<\/localfile>/g) ?? [];
    assert.deepEqual(
      blocks.filter((block) => block.includes("/var/ossec/logs/active-responses.log")).length,
      1,
    );
    assert.match(
      blocks[0] ?? "",
      /<log_format>syslog<\/log_format>\s*<location>\/var\/ossec\/logs\/active-responses\.log<\/location>/,
    );
  });
});
