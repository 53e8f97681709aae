import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execFile } from "node:child_process";
import { startTheHive, type TheHiveDouble } from "../../../test/thehive/server";
import { run } from "../../../test/support/debianTools";
import { testCa } from "../../../test/support/testCa";
import { renderOssecConf, DEFAULT_COMMANDS, DEFAULT_ACTIVE_RESPONSES } from "../../siem/manager/ossecConf";
import { blocksTaking, integrationBlocks } from "../../../test/thehive/integratord";
import {
  THEHIVE_CA_FILE,
  THEHIVE_INTEGRATION_NAME,
  THEHIVE_KEY_FILE,
  theHiveAlertUrl,
  theHiveIntegrations,
  theHiveIntegrationScript,
  theHiveRuleIds,
} from "./integration";

const SCRIPT = join(__dirname, THEHIVE_INTEGRATION_NAME);
const KEY = "k3y-of-the-wazuh-service-account-0123456789";

/**
 * A Wazuh 4.14 alert as alerts.json holds it: the clamd line decoded by `clamd-found`
 * (ruleset/decoders/0075-clamav_decoders.xml: url, extra_data, id), rule 52502 raised by
 * Fortress's 100200 (components/siem/manager/ossecConf.ts DEFAULT_LOCAL_RULES).
 */
const CLAMAV_ALERT = {
  timestamp: "2026-11-30T12:00:00.123+0000",
  rule: {
    level: 12,
    description: "Fortress: the lab's clamd found malware in a scanned file",
    id: "100200",
    firedtimes: 1,
    mail: true,
    groups: ["fortress", "local", "malware"],
  },
  agent: { id: "003", name: "ws-01", ip: "10.0.40.23" },
  manager: { name: "wazuh-manager" },
  id: "1764504000.1234567",
  full_log:
    "Nov 30 12:00:00 ws-01 clamd[511]: /home/user/Downloads/invoice.exe: Fortress.Test.Dropper(44d88612fea8a8f36de82e1278abb02f:68) FOUND",
  predecoder: { program_name: "clamd", timestamp: "Nov 30 12:00:00", hostname: "ws-01" },
  decoder: { parent: "clamd", name: "clamd" },
  data: {
    url: "/home/user/Downloads/invoice.exe",
    extra_data: "Fortress.Test.Dropper",
    id: "44d88612fea8a8f36de82e1278abb02f",
  },
  location: "/var/log/clamav/clamav.log",
};

/** A Suricata EVE alert as Wazuh decodes it (ruleset/rules/0475-suricata_rules.xml sample: data.src_ip/dest_ip). */
const SURICATA_ALERT = {
  timestamp: "2026-11-30T12:01:00.000+0000",
  rule: {
    level: 3,
    description: "Suricata: Alert - ET MALWARE Test",
    id: "86601",
    groups: ["ids", "suricata"],
  },
  agent: { id: "000", name: "wazuh-manager" },
  manager: { name: "wazuh-manager" },
  id: "1764504060.99",
  full_log: '{"event_type":"alert"}',
  decoder: { name: "json" },
  data: {
    src_ip: "203.0.113.9",
    dest_ip: "10.0.40.23",
    event_type: "alert",
    alert: { signature: "ET MALWARE Test" },
  },
  location: "/var/log/suricata/eve.json",
};

/** python3, asynchronously: the loopback TheHive answers from this process's event loop. */
function python3(args: readonly string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("python3", args, { timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error && typeof error.code === "string")
        reject(
          new Error(
            `python3 is not installed (apt-get install python3; .ci/run installs it on CI): ${error.message}`,
          ),
        );
      else resolve({ status: error ? Number(error.code) : 0, stderr });
    });
  });
}

describe("Wazuh → TheHive integration", () => {
  let thehive: TheHiveDouble;
  let dir: string;
  let logFile: string;

  before(async () => {
    thehive = await startTheHive(KEY);
    dir = mkdtempSync(join(tmpdir(), "fortress-thehive-"));
    logFile = join(dir, "integrations.log");
    writeFileSync(join(dir, "thehive.key"), `${KEY}\n`, { mode: 0o640 });
  });
  after(() => thehive.close());

  /** Run the script as integratord does: argv 1 alert file, 2 api key (none), 3 hook url, 4 debug, 5 options. */
  function integratord(alert: unknown, options: Record<string, unknown> = {}) {
    const alertFile = join(dir, `${THEHIVE_INTEGRATION_NAME}-${Date.now()}-${Math.random()}.alert`);
    writeFileSync(alertFile, `${JSON.stringify(alert)}\n`);
    const optionsFile = join(dir, "options.json");
    writeFileSync(
      optionsFile,
      JSON.stringify({
        api_key_file: join(dir, "thehive.key"),
        log_file: logFile,
        retry_pause: 0.01,
        ...options,
      }),
    );
    const hookUrl = `${thehive.url}/api/v1/alert`;
    return python3([SCRIPT, alertFile, "", hookUrl, "", optionsFile, "5", "3"]);
  }

  it("creates the alert: sourceRef the Wazuh id, severity from the level, the hash, host and file as observables", async () => {
    const result = await integratord(CLAMAV_ALERT);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(thehive.alerts.length, 1);
    const body = thehive.alerts[0]!.body;
    assert.equal(body.sourceRef, CLAMAV_ALERT.id);
    assert.equal(body.type, "wazuh");
    assert.equal(body.source, "wazuh-manager");
    assert.equal(body.severity, 3);
    assert.equal(body.tlp, 2);
    assert.match(String(body.title), /clamd found malware.* on ws-01/);
    assert.match(String(body.description), /Fortress\.Test\.Dropper/);
    assert.ok((body.tags as string[]).includes("wazuh-rule:100200"));
    const observables = (body.observables as { dataType: string; data: string }[]).map(
      (o) => `${o.dataType}=${o.data}`,
    );
    assert.deepEqual(observables.sort(), [
      "filename=/home/user/Downloads/invoice.exe",
      "hash=44d88612fea8a8f36de82e1278abb02f",
      "hostname=ws-01",
      "ip=10.0.40.23",
    ]);
    assert.equal(body.date, Date.UTC(2026, 10, 30, 12, 0, 0, 123));
  });

  it("takes TheHive's 'already exist' answer to a second post of the same alert as success, and creates nothing twice", async () => {
    const before = thehive.requests.length;
    const result = await integratord(CLAMAV_ALERT);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(thehive.alerts.length, 1);
    assert.equal(thehive.requests.at(-1)?.status, 400);
    assert.equal(thehive.requests.length, before + 1);
    assert.match(readFileSync(logFile, "utf8"), /1764504000\.1234567 is already in TheHive/);
  });

  it("takes only TheHive's duplicate-alert CreateError for this alert's own triple as done; any other 'already exist' is a refusal", async () => {
    const refusals = [
      { type: "CreateError", message: "Observable already exists" },
      {
        type: "CreateError",
        message: "Alert wazuh:wazuh-manager:1764504000.0 already exist in organisation fortress",
      },
      {
        type: "BadRequest",
        message: `Alert wazuh:wazuh-manager:${CLAMAV_ALERT.id} already exist in organisation fortress`,
      },
      {
        type: "CreateError",
        message: `Alert wazuh:wazuh-manager:${CLAMAV_ALERT.id} already exist in organisation `,
      },
    ];
    for (const [index, error] of refusals.entries()) {
      thehive.refuseNextAlert(400, error);
      const result = await integratord({ ...CLAMAV_ALERT, id: `1764504000.${index + 10}` });
      assert.equal(result.status, 3, `${error.type}: ${error.message}`);
      assert.ok(!thehive.alerts.some((alert) => alert.body.sourceRef === `1764504000.${index + 10}`));
    }
    // TheHive's exact answer for this alert: done.
    thehive.refuseNextAlert(400, {
      type: "CreateError",
      message: "Alert wazuh:wazuh-manager:1764504000.99 already exist in organisation fortress",
    });
    assert.equal((await integratord({ ...CLAMAV_ALERT, id: "1764504000.99" })).status, 0);
    assert.match(
      readFileSync(logFile, "utf8"),
      /TheHive refused alert 1764504000\.10: HTTP 400 .*Observable already exists/,
    );
  });

  it("sends the key only as a bearer header, read from its file, and fails without retrying on a wrong key", async () => {
    writeFileSync(join(dir, "wrong.key"), "not-the-key\n");
    const before = thehive.requests.length;
    const result = await integratord(
      { ...SURICATA_ALERT, id: "1764504060.1" },
      { api_key_file: join(dir, "wrong.key") },
    );
    assert.equal(result.status, 3);
    assert.equal(thehive.requests.length, before + 1, "a 401 is not retried");
    assert.equal(thehive.requests.at(-1)?.status, 401);
    assert.ok(!readFileSync(logFile, "utf8").includes("not-the-key"), "the key is never logged");
    assert.ok(
      thehive.requests.every((r) => r.authorization === undefined || r.authorization.startsWith("Bearer ")),
    );
  });

  it("retries while TheHive answers 503 and then creates the alert once", async () => {
    thehive.failNext(2);
    const before = thehive.requests.length;
    const result = await integratord(SURICATA_ALERT);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(thehive.requests.length, before + 3);
    const created = thehive.alerts.find((alert) => alert.body.sourceRef === SURICATA_ALERT.id);
    assert.ok(created);
    assert.equal(created.body.severity, 1);
    const ips = (created.body.observables as { dataType: string; data: string }[])
      .filter((o) => o.dataType === "ip")
      .map((o) => o.data);
    assert.deepEqual(ips, ["203.0.113.9", "10.0.40.23"]);
  });

  it("gives up after the retries when TheHive stays down, with its own exit status", async () => {
    thehive.failNext(10);
    const result = await integratord({ ...SURICATA_ALERT, id: "1764504060.2" }, { retries: 1 });
    thehive.failNext(0);
    assert.equal(result.status, 4);
    assert.ok(!thehive.alerts.some((alert) => alert.body.sourceRef === "1764504060.2"));
  });

  it("refuses an alert without an id and a missing key file, before any request", async () => {
    const before = thehive.requests.length;
    assert.equal((await integratord({ rule: { level: 12 } })).status, 7);
    assert.equal((await integratord(CLAMAV_ALERT, { api_key_file: join(dir, "absent.key") })).status, 5);
    assert.equal(thehive.requests.length, before);
  });

  it("refuses an https hook without TheHive's CA file, before any request", async () => {
    const before = thehive.requests.length;
    const alertFile = join(dir, "ca-check.alert");
    writeFileSync(alertFile, JSON.stringify(CLAMAV_ALERT));
    const optionsFile = join(dir, "ca-options.json");
    writeFileSync(
      optionsFile,
      JSON.stringify({
        api_key_file: join(dir, "thehive.key"),
        log_file: logFile,
        ca_file: join(dir, "absent-ca.pem"),
      }),
    );
    const result = await python3([
      SCRIPT,
      alertFile,
      "",
      "https://thehive.lab.example/api/v1/alert",
      "",
      optionsFile,
    ]);
    assert.equal(result.status, 6);
    assert.equal(thehive.requests.length, before);
    assert.match(readFileSync(logFile, "utf8"), /CA file .*absent-ca\.pem is missing/);
  });

  it("is the file the module installs, executable by its shebang on the manager, with the same key and CA paths", () => {
    const script = theHiveIntegrationScript();
    assert.equal(script, readFileSync(SCRIPT, "utf8"));
    assert.match(script, /^#!\/var\/ossec\/framework\/python\/bin\/python3\n/);
    assert.ok(script.includes(`KEY_FILE = "${THEHIVE_KEY_FILE}"`));
    assert.ok(script.includes(`CA_FILE = "${THEHIVE_CA_FILE}"`));
    assert.doesNotMatch(
      script,
      /^\s*(import|from)\s+(requests|urllib3|thehive4py)/m,
      "standard library only",
    );
    chmodSync(SCRIPT, 0o755);
    const compiled = run("python3", ["-m", "py_compile", SCRIPT]);
    assert.equal(compiled.status, 0, compiled.stderr);
  });
});

describe("Wazuh → TheHive over TLS, trusting only TheHive's CA", () => {
  let thehive: TheHiveDouble;
  let dir: string;
  let ca: string;
  let other: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fortress-thehive-tls-"));
    const made = testCa(dir, "lab", [
      { name: "thehive", subject: "/CN=thehive.lab.example", extensions: "subjectAltName=IP:127.0.0.1" },
    ]);
    ca = made.cert;
    other = testCa(dir, "other", []).cert;
    thehive = await startTheHive(KEY, made.leaves.thehive!);
    writeFileSync(join(dir, "thehive.key"), KEY);
  });
  after(() => thehive.close());

  const post = (caFile: string, id: string) => {
    const alertFile = join(dir, `${id}.alert`);
    writeFileSync(alertFile, JSON.stringify({ ...CLAMAV_ALERT, id }));
    const optionsFile = join(dir, `${id}.json`);
    writeFileSync(
      optionsFile,
      JSON.stringify({
        api_key_file: join(dir, "thehive.key"),
        log_file: join(dir, "log"),
        ca_file: caFile,
        retries: 0,
      }),
    );
    return python3([SCRIPT, alertFile, "", `${thehive.url}/api/v1/alert`, "", optionsFile]);
  };

  it("posts the alert when TheHive's certificate is from the given CA", async () => {
    const result = await post(ca, "tls.1");
    assert.equal(result.status, 0, result.stderr);
    assert.equal(thehive.alerts.length, 1);
  });

  it("sends nothing to a server whose certificate another CA signed", async () => {
    const result = await post(other, "tls.2");
    assert.equal(result.status, 4);
    assert.equal(thehive.alerts.length, 1);
    assert.match(
      readFileSync(join(dir, "log"), "utf8"),
      /CERTIFICATE_VERIFY_FAILED|certificate verify failed/,
    );
  });
});

describe("the manager's <integration> blocks", () => {
  const blocks = theHiveIntegrations("https://thehive.lab.example");
  const xml = renderOssecConf({
    syslogAllowedIps: ["10.0.20.1"],
    indexerHosts: ["https://indexer.lab.example:9200"],
    commands: DEFAULT_COMMANDS,
    activeResponses: DEFAULT_ACTIVE_RESPONSES,
    feedUpdateInterval: "60m",
    integrations: blocks,
  });

  it("are two blocks, level 10 and the rule ids below it, with no group filter", () => {
    const rendered = [...xml.matchAll(/<integration>([\s\S]*?)<\/integration>/g)].map((m) => m[1]!);
    assert.equal(rendered.length, 2);
    assert.match(rendered[0]!, /<level>10<\/level>/);
    assert.match(rendered[1]!, /<rule_id>52502<\/rule_id>/);
    assert.doesNotMatch(rendered[1]!, /<level>/);
    for (const block of rendered) {
      assert.doesNotMatch(block, /<group>/);
      assert.match(block, /<name>custom-thehive<\/name>/);
      assert.match(block, /<hook_url>https:\/\/thehive\.lab\.example\/api\/v1\/alert<\/hook_url>/);
      assert.match(block, /<alert_format>json<\/alert_format>/);
      assert.doesNotMatch(block, /api_key|options/, "no key on integratord's command line, no escaped JSON");
    }
  });

  // Rules of wazuh/wazuh@v4.14.6 ruleset/rules/0320-clam_av_rules.xml and 0475-suricata_rules.xml, with
  // the groups their file and rule give them, and Fortress's escalations (ossecConf.ts).
  const CLAMD = ["clamd", "freshclam"];
  const sent = (id: string, level: number, groups: readonly string[]) =>
    blocksTaking(integrationBlocks(xml), { id, level, groups }).length;

  it("leave ClamAV's housekeeping and Suricata's level-3 alerts on the manager (integratord's filters, from integrator.c)", () => {
    assert.equal(sent("52505", 3, [...CLAMD, "virus", "gpg13_4.14"]), 0, "Clamd restarted");
    assert.equal(sent("52506", 3, [...CLAMD, "virus", "pci_dss_5.2"]), 0, "Clamd database updated");
    assert.equal(sent("52507", 3, [...CLAMD, "virus", "pci_dss_5.2"]), 0, "ClamAV database update");
    assert.equal(sent("52508", 3, [...CLAMD, "virus", "pci_dss_5.2"]), 0, "ClamAV database updated");
    assert.equal(sent("52504", 7, [...CLAMD, "virus"]), 0, "Clamd warning");
    assert.equal(sent("86601", 3, ["ids", "suricata"]), 0, "every Suricata alert");
  });

  it("send each worked-example detection exactly once: ClamAV's 52502, Fortress's 100200 and the Suricata escalations", () => {
    assert.equal(sent("52502", 8, [...CLAMD, "virus", "pci_dss_5.1"]), 1);
    assert.equal(sent("100200", 12, ["fortress", "malware"]), 1);
    assert.equal(sent("100300", 12, ["fortress", "suricata", "malware"]), 1);
    assert.equal(sent("100301", 12, ["fortress", "suricata", "malware"]), 1);
    assert.equal(sent("100302", 10, ["fortress", "suricata", "ids"]), 1);
    assert.equal(sent("52511", 10, [...CLAMD, "virus"]), 1, "virus detected multiple times: level 10");
    assert.equal(sent("5712", 10, ["syslog", "sshd"]), 1, "any alert of level 10");
    assert.deepEqual(
      theHiveRuleIds(13),
      [52502, 100200, 100300, 100301, 100302],
      "with a higher threshold, the detections below it join the rule-id block",
    );
  });

  it("refuse what integratord would take wrongly: a name without custom-, a block without filter, a plain http URL", () => {
    const base = {
      syslogAllowedIps: ["10.0.20.1"],
      indexerHosts: ["https://i:9200"],
      commands: [],
      activeResponses: [],
      feedUpdateInterval: "60m",
    };
    assert.throws(
      () =>
        renderOssecConf({
          ...base,
          integrations: [{ name: "thehive", hookUrl: "https://h/api/v1/alert", level: 10 }],
        }),
      /custom-/,
    );
    assert.throws(
      () =>
        renderOssecConf({
          ...base,
          integrations: [{ name: "custom-thehive", hookUrl: "https://h/api/v1/alert" }],
        }),
      /every alert/,
    );
    assert.throws(
      () =>
        renderOssecConf({
          ...base,
          integrations: [{ name: "custom-thehive", hookUrl: "https://h/api/v1/alert", ruleIds: [0] }],
        }),
      /positive integer/,
    );
    assert.throws(() => theHiveAlertUrl("http://thehive.lab.example"), /https/);
  });
});
