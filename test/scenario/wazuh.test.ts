/**
 * Hop 2's alert, checked against Wazuh 4.14.6's own files and output format (scenario/wazuh.ts cites
 * them), and the loopback TheHive's query API the scenario reads alerts with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { theHiveIntegrations } from "../../components/response/wazuh/integration";
import { CONTAIN_RULES } from "../../components/siem/manager/ossecConf";
import { alertFromClamdLine, execdMessage, integrationsFor, wazuhTimestamp } from "../../scenario/wazuh";
import { queryAlerts } from "../thehive/query";

const LINE =
  "Nov 30 14:20:00 workstation-1 clamd[812]: /home/fortress/Downloads/invoice.txt: Fortress.Test.WorkedExample.UNOFFICIAL(c84f4a31b39efdfd736e36693fa53bc3:202) FOUND";
const CONTEXT = {
  agent: { id: "003", name: "workstation-1", ip: "10.10.40.23" },
  manager: "wazuh-manager-1",
  time: new Date("2026-11-30T14:20:01.123Z"),
  counter: 42,
  firedtimes: 1,
};

describe("a clamd line as Wazuh 4.14's alert", () => {
  const { alert, chain } = alertFromClamdLine(LINE, CONTEXT);

  it("climbs 52502 (ClamAV: Virus detected) to Fortress's 100200, the rule the containment fires on", () => {
    assert.deepEqual(chain, ["52502", "100200"]);
    assert.equal(alert.rule.id, String(CONTAIN_RULES[0]));
    assert.equal(alert.rule.level, 12);
    // rules.c: the file's <group name> heads the rule's own groups; json_extended.c splits them.
    assert.deepEqual(alert.rule.groups, ["fortress", "local", "fortress", "malware"]);
  });

  it("carries clamd-found's fields under data, in to_json.c's order, and the agent's address", () => {
    assert.deepEqual(Object.entries(alert.data), [
      ["id", "c84f4a31b39efdfd736e36693fa53bc3"],
      ["url", "/home/fortress/Downloads/invoice.txt"],
      ["extra_data", "Fortress.Test.WorkedExample.UNOFFICIAL"],
    ]);
    assert.deepEqual(alert.agent, CONTEXT.agent);
    assert.deepEqual(alert.predecoder, {
      program_name: "clamd",
      timestamp: "Nov 30 14:20:00",
      hostname: "workstation-1",
    });
    assert.deepEqual(alert.decoder, { parent: "clamd", name: "clamd-found" });
    assert.equal(alert.location, "/var/ossec/logs/fortress-clamd.log");
    assert.equal(alert.full_log, LINE);
  });

  it("is stamped and numbered as analysisd does", () => {
    assert.equal(alert.timestamp, "2026-11-30T14:20:01.123+0000");
    assert.equal(wazuhTimestamp(new Date("2026-01-02T03:04:05.006Z")), "2026-01-02T03:04:05.006+0000");
    assert.equal(alert.id, "1796048401.42");
  });

  it("refuses a line Wazuh would not decode as clamd-found", () => {
    assert.throws(
      () =>
        alertFromClamdLine(
          "Nov 30 14:20:00 workstation-1 clamd[812]: SelfCheck: Database status OK.",
          CONTEXT,
        ),
      /clamd-found/,
    );
    assert.throws(() => alertFromClamdLine("not syslog", CONTEXT), /pre-decoder/);
  });

  it("goes to execd with the whole alert, and to the TheHive integration blocks whose filters it passes", () => {
    const message = JSON.parse(execdMessage("add", alert, "fortress-contain-ar")) as Record<string, any>;
    assert.equal(message.command, "add");
    assert.equal(message.origin.module, "wazuh-execd");
    assert.equal(message.parameters.program, "active-response/bin/fortress-contain-ar");
    assert.deepEqual(message.parameters.alert, alert);
    // At least one block takes it (level ≥ 10); a second one that also takes it is deduplicated by TheHive.
    assert.ok(integrationsFor(alert, theHiveIntegrations("https://thehive.lab.example")).length >= 1);
    const byRule = [{ name: "custom-thehive", hookUrl: "https://h/api/v1/alert", ruleIds: [52502] }];
    assert.equal(integrationsFor(alert, byRule).length, 0, "integratord's <rule_id> is the alert's own rule");
    assert.equal(integrationsFor({ ...alert, rule: { ...alert.rule, id: "52502" } }, byRule).length, 1);
    const low = { ...alert, rule: { ...alert.rule, level: 3, groups: ["syslog"] } };
    assert.equal(integrationsFor(low, theHiveIntegrations("https://thehive.lab.example")).length, 0);
  });
});

describe("the loopback TheHive's alert query (thehive4py's filters)", () => {
  const alerts = [
    { _id: "~1", sourceRef: "a", type: "wazuh", date: 10, tags: ["wazuh-rule:100200"] },
    { _id: "~2", sourceRef: "b", type: "wazuh", date: 20, tags: ["wazuh-rule:5402"] },
    { _id: "~3", sourceRef: "c", type: "misp", date: 30, tags: [] },
  ];
  const ids = (body: unknown) => {
    const found = queryAlerts(alerts, body);
    return typeof found === "string" ? found : found.map((alert) => alert._id);
  };

  it("filters with _eq (a list field: contains), _gte, _and, _or, _not; sorts and pages", () => {
    const list = { _name: "listAlert" };
    assert.deepEqual(ids({ query: [list, { _name: "filter", _eq: { _field: "sourceRef", _value: "b" } }] }), [
      "~2",
    ]);
    assert.deepEqual(
      ids({ query: [list, { _name: "filter", _eq: { _field: "tags", _value: "wazuh-rule:100200" } }] }),
      ["~1"],
    );
    assert.deepEqual(
      ids({
        query: [
          list,
          {
            _name: "filter",
            _and: [{ _eq: { _field: "type", _value: "wazuh" } }, { _gte: { _field: "date", _value: 15 } }],
          },
        ],
      }),
      ["~2"],
    );
    assert.deepEqual(
      ids({ query: [list, { _name: "filter", _not: { _eq: { _field: "type", _value: "wazuh" } } }] }),
      ["~3"],
    );
    assert.deepEqual(
      ids({
        query: [list, { _name: "sort", _fields: [{ date: "desc" }] }, { _name: "page", from: 0, to: 2 }],
      }),
      ["~3", "~2"],
    );
  });

  it("refuses what it does not know instead of answering wrongly", () => {
    assert.match(String(ids({ query: [{ _name: "listCase" }] })), /listAlert queries only/);
    assert.match(
      String(
        ids({
          query: [{ _name: "listAlert" }, { _name: "filter", _like: { _field: "title", _value: "x" } }],
        }),
      ),
      /operator _like/,
    );
  });
});
