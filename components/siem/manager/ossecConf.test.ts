import assert from "node:assert/strict";
import { xmllint } from "../../../test/support/debianTools";
import { describe, it } from "node:test";
import { CLAMDSCAN_COMMAND } from "../../../vocabulary/agents";
import { syslogRuleFor } from "../../../test/support/auditRules";
import {
  CONTAIN_AUDIT_RULES,
  CONTAIN_DECODER,
  CONTAIN_SYSLOG_PARENT,
  CONTAIN_SYSLOG_RULES,
  containResponse,
  DEFAULT_ACTIVE_RESPONSES,
  DEFAULT_COMMANDS,
  DEFAULT_LOCAL_RULES,
  SURICATA_LOCAL_RULES,
  type ManagerConfig,
  renderLocalDecoders,
  renderLocalRules,
  renderOssecConf,
} from "./ossecConf";
import { OSSEC_REFERENCE, unknownElements } from "./ossecReference";
import { elementPaths } from "./xml";

const config: ManagerConfig = {
  syslogAllowedIps: ["10.0.20.1"],
  indexerHosts: ["https://indexer.lab.example:9200"],
  commands: DEFAULT_COMMANDS,
  activeResponses: DEFAULT_ACTIVE_RESPONSES,
  feedUpdateInterval: "60m",
};

/** The text of every element at `path` (`remote/connection`), in document order. */
const textsAt = (xml: string, path: string) => {
  const paths = elementPaths(xml);
  const texts = [
    ...xml.replace(/<!--[\s\S]*?-->/g, "").matchAll(/<([\w.-]+)(?:\s[^>]*)?>([^<]*)<\/\1>|<[^>]+>/g),
  ];
  // Pair each opening tag with its path: both walk the same tags in the same order.
  const opening = texts.filter((match) => !match[0].startsWith("</"));
  return opening.flatMap((match, index) =>
    paths[index] === `ossec_config/${path}` && match[2] !== undefined ? [match[2]] : [],
  );
};

describe("the manager's ossec.conf", () => {
  const xml = renderOssecConf(config);

  it("is well-formed XML (xmllint)", () => {
    const { status, stderr } = xmllint(xml);
    assert.equal(status, 0, stderr);
  });

  it("uses only elements the 4.14 reference documents", () => {
    assert.deepEqual(unknownElements(elementPaths(xml)), []);
  });

  it("fails on an element the reference does not document, in any section", () => {
    const misspelled = xml
      .replace("<allowed-ips>", "<allowed_ips>")
      .replace("</allowed-ips>", "</allowed_ips>");
    assert.deepEqual(unknownElements(elementPaths(misspelled)), ["ossec_config/remote/allowed_ips"]);
    const foreign = xml.replace(
      "</ossec_config>",
      "  <vulnerability-detector><enabled>yes</enabled></vulnerability-detector>\n</ossec_config>",
    );
    assert.deepEqual(unknownElements(elementPaths(foreign)), [
      "ossec_config/vulnerability-detector",
      "ossec_config/vulnerability-detector/enabled",
    ]);
    const nested = xml.replace("<ca>", "<username>admin</username><ca>");
    assert.deepEqual(unknownElements(elementPaths(nested)), [
      "ossec_config/indexer/ssl/certificate_authorities/username",
    ]);
  });

  it("listens for agents on 1514/tcp, enrolls on 1515 with a password, and takes syslog from the firewall only", () => {
    assert.deepEqual(textsAt(xml, "remote/connection"), ["secure", "syslog"]);
    assert.deepEqual(textsAt(xml, "remote/port"), ["1514", "514"]);
    assert.deepEqual(textsAt(xml, "remote/protocol"), ["tcp", "udp"]);
    assert.deepEqual(textsAt(xml, "remote/allowed-ips"), ["10.0.20.1"]);
    assert.deepEqual(textsAt(xml, "auth/port"), ["1515"]);
    assert.deepEqual(textsAt(xml, "auth/use_password"), ["yes"]);
    assert.deepEqual(textsAt(xml, "auth/disabled"), ["no"]);
  });

  it("ships to the indexer with the internal CA and holds no credential", () => {
    assert.deepEqual(textsAt(xml, "indexer/hosts/host"), ["https://indexer.lab.example:9200"]);
    assert.deepEqual(textsAt(xml, "indexer/ssl/certificate_authorities/ca"), [
      "/etc/filebeat/certs/root-ca.pem",
    ]);
    assert.doesNotMatch(xml, /<(username|password|key)>/);
    assert.deepEqual(textsAt(xml, "vulnerability-detection/enabled"), ["yes"]);
    assert.ok(!elementPaths(xml).some((path) => path.startsWith("ossec_config/cluster")), "no cluster block");
  });

  it("defines fortress-clamdscan and runs it on the agent on FIM's new-file and changed-file rules", () => {
    assert.ok(textsAt(xml, "command/name").includes(CLAMDSCAN_COMMAND));
    assert.deepEqual(textsAt(xml, "active-response/command"), [CLAMDSCAN_COMMAND]);
    assert.deepEqual(textsAt(xml, "active-response/location"), ["local"]);
    assert.deepEqual(textsAt(xml, "active-response/rules_id"), ["554,550"]);
  });

  it("refuses configurations Wazuh would reject or that would open the manager", () => {
    assert.throws(() => renderOssecConf({ ...config, syslogAllowedIps: [] }), /at least one allowed address/);
    assert.throws(() => renderOssecConf({ ...config, syslogAllowedIps: ["any"] }), /not an IPv4/);
    assert.throws(
      () => renderOssecConf({ ...config, indexerHosts: ["http://indexer:9200"] }),
      /not an https/,
    );
    assert.throws(
      () =>
        renderOssecConf({
          ...config,
          activeResponses: [{ command: "nope", location: "local", rulesId: [554] }],
        }),
      /no <command> definition/,
    );
    assert.throws(
      () =>
        renderOssecConf({
          ...config,
          activeResponses: [{ command: "restart-wazuh", location: "local", rulesId: [554], timeout: 60 }],
        }),
      /does not allow a timeout/,
    );
    assert.throws(
      () =>
        renderOssecConf({ ...config, commands: [{ name: "a b", executable: "x", timeoutAllowed: false }] }),
      /plain file names/,
    );
  });

  it("escapes values: an address cannot open an element", () => {
    assert.throws(() => renderOssecConf({ ...config, syslogAllowedIps: ["10.0.0.1</allowed-ips><x>"] }));
  });
});

describe("the reference table", () => {
  it("cites a reference page, its stored copy and a 4.14.6 parser for every section, options listed once", () => {
    for (const [section, reference] of Object.entries(OSSEC_REFERENCE)) {
      assert.ok(reference.page.length > 0 && reference.pageCommit.length > 0, section);
      assert.match(reference.parser, /^src\/.+\.c/, section);
      const all = [...reference.options, ...(reference.fromTemplate ?? [])];
      assert.equal(new Set(all).size, all.length, section);
    }
  });

  it("leaves out what 4.14.6 ignores: credentials in <indexer>, the pre-4.8 vulnerability-detector", () => {
    assert.ok(!OSSEC_REFERENCE.indexer?.options.includes("username"));
    assert.ok(!OSSEC_REFERENCE.indexer?.options.includes("password"));
    assert.ok(!("vulnerability-detector" in OSSEC_REFERENCE));
  });

  it("covers every section the renderer writes", () => {
    const sections = new Set(
      elementPaths(renderOssecConf(config))
        .map((path) => path.split("/")[1])
        .filter((section): section is string => section !== undefined),
    );
    assert.deepEqual(
      [...sections].filter((section) => !(section in OSSEC_REFERENCE)),
      [],
    );
  });
});

describe("the local rules", () => {
  const xml = renderLocalRules(DEFAULT_LOCAL_RULES);

  it("are well-formed and raise ClamAV's virus-found rule 52502 in the custom ID range", () => {
    const { status, stderr } = xmllint(xml);
    assert.equal(status, 0, stderr);
    assert.match(xml, /<rule id="100200" level="12">\s*<if_sid>52502<\/if_sid>/);
    assert.deepEqual(
      [...new Set(elementPaths(xml))],
      [
        "group",
        "group/rule",
        "group/rule/if_sid",
        "group/rule/description",
        "group/rule/group",
        "group/rule/field",
        "group/rule/decoded_as",
      ],
    );
  });

  it("raise Suricata's alert rule 86601 to 10 and more: malware first, then severity 1", () => {
    const { status, stderr } = xmllint(xml);
    assert.equal(status, 0, stderr);
    const ids = SURICATA_LOCAL_RULES.map((rule) => rule.id);
    for (const rule of SURICATA_LOCAL_RULES) {
      assert.equal(rule.ifSid, 86601);
      assert.ok(rule.level >= 10, `${rule.id} is level ${rule.level}`);
      assert.ok(DEFAULT_LOCAL_RULES.includes(rule), `${rule.id} is among the default local rules`);
      const text = new RegExp(
        `<rule id="${rule.id}" level="${rule.level}">\\s*<if_sid>86601</if_sid>\\s*<field name="([^"]+)" type="pcre2">([^<]+)</field>`,
      ).exec(xml);
      assert.ok(text, `rule ${rule.id} is rendered with its field`);
      assert.equal(text[1], rule.fields?.[0]?.name);
    }
    // Wazuh takes the first child of 86601 that matches: the level-12 malware rules come first.
    assert.ok(xml.indexOf('id="100302"') > xml.indexOf('id="100301"'));
    assert.ok(xml.indexOf('id="100301"') > xml.indexOf('id="100300"'));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(!ids.includes(100200));
  });

  it("match what ET open's alerts carry, and not the informational ones", () => {
    const pattern = (id: number) => {
      const field = SURICATA_LOCAL_RULES.find((rule) => rule.id === id)?.fields?.[0];
      assert.ok(field?.pcre2);
      return new RegExp(field.pattern);
    };
    assert.match("ET MALWARE Win32/Lumma Stealer Related CnC Domain in DNS Lookup", pattern(100300));
    assert.match("ET TROJAN Possible Zbot Activity Common Download Struct", pattern(100300));
    assert.doesNotMatch("ET INFO Observed DNS Query to .cloud TLD", pattern(100300));
    assert.doesNotMatch("ET MALWAREX test", pattern(100300));
    assert.match("Malware Command and Control Activity Detected", pattern(100301));
    assert.match("A Network Trojan was detected", pattern(100301));
    assert.doesNotMatch("Potentially Bad Traffic", pattern(100301));
    assert.match("1", pattern(100302));
    assert.doesNotMatch("2", pattern(100302));
  });

  it("refuse IDs outside 100000-120000, duplicates and levels above 16", () => {
    const rule = DEFAULT_LOCAL_RULES[0]!;
    assert.throws(() => renderLocalRules([{ ...rule, id: 5502 }]), /custom range/);
    assert.throws(() => renderLocalRules([rule, rule]), /twice/);
    assert.throws(() => renderLocalRules([{ ...rule, level: 17 }]), /0-16/);
  });

  it("make each containment audit line an alert of exactly one rule, under ar_log_json's rule 650", () => {
    const xml = renderLocalRules(DEFAULT_LOCAL_RULES);
    for (const rule of CONTAIN_AUDIT_RULES) {
      assert.ok(DEFAULT_LOCAL_RULES.includes(rule));
      assert.match(xml, new RegExp(`<rule id="${rule.id}" level="${rule.level}">\\s*<if_sid>650</if_sid>`));
      assert.ok(rule.level >= 3, `${rule.id} is at least the alert level (log_alert_level 3)`);
    }
    // What fortress-contain and its active response write (action, result), and the rule each raises.
    const written: [string, string, number][] = [
      ["add", "contained", 100210],
      ["add", "already contained", 100211],
      ["add", "refused", 100212],
      ["delete", "released", 100213],
      ["add", "failed", 100214],
      ["delete", "transient", 100214],
      ["kill_states", "failed", 100214],
      ["add", "skipped", 100215],
      ["rescan", "started", 100216],
      ["rescan", "already running", 100216],
      ["rescan", "failed", 100217],
      ["rescan", "skipped", 100217],
      ["reconcile", "restored", 100218],
      ["reconcile", "failed", 100214],
      ["expire", "transient", 100214],
    ];
    for (const [action, result, id] of written) {
      const fields = new Map([
        ["fortress.action", action],
        ["fortress.result", result],
      ]);
      const matching = CONTAIN_AUDIT_RULES.filter((rule) =>
        (rule.fields ?? []).every((field) => new RegExp(field.pattern).test(fields.get(field.name) ?? "")),
      ).map((rule) => rule.id);
      assert.deepEqual(matching, [id], `${action} ${result}`);
    }
  });
});

describe("the containment's syslog decoder and rules", () => {
  const decoders = renderLocalDecoders();
  const rules = renderLocalRules(DEFAULT_LOCAL_RULES);

  it("decode the program fortress-contain's message as JSON, as the ruleset's kes/eset decoders do", () => {
    // A decoder file holds several top-level decoders (ruleset/decoders/*.xml): well-formed inside a root.
    const { status, stderr } = xmllint(`<root>${decoders.replace(/^<!--.*-->\n/, "")}</root>`);
    assert.equal(status, 0, stderr);
    assert.match(
      decoders,
      /<decoder name="fortress-contain">\s*<program_name>\^fortress-contain\$<\/program_name>\s*<\/decoder>/,
    );
    assert.match(
      decoders,
      /<decoder name="fortress-contain-json">\s*<parent>fortress-contain<\/parent>\s*<plugin_decoder offset="after_parent">JSON_Decoder<\/plugin_decoder>\s*<\/decoder>/,
    );
  });

  it("raise for each syslog action the alert of the same action in active-responses.log", () => {
    assert.match(
      rules,
      new RegExp(
        `<rule id="${CONTAIN_SYSLOG_PARENT}" level="0">\\s*<decoded_as>${CONTAIN_DECODER.name}</decoded_as>`,
      ),
    );
    for (const rule of CONTAIN_AUDIT_RULES) {
      const twin = CONTAIN_SYSLOG_RULES.find((candidate) => candidate.id === rule.id + 20);
      assert.ok(twin && DEFAULT_LOCAL_RULES.includes(twin), `${rule.id} has its syslog twin`);
      assert.equal(twin.level, rule.level);
      assert.deepEqual(twin.fields, rule.fields);
      assert.match(
        rules,
        new RegExp(
          `<rule id="${twin.id}" level="${twin.level}">\\s*<if_sid>${CONTAIN_SYSLOG_PARENT}</if_sid>`,
        ),
      );
    }
    const message = (fortress: Record<string, string>) =>
      `<36>Nov 30 18:01:45 cortex-1 fortress-contain: ${JSON.stringify({ fortress })}`;
    assert.equal(
      syslogRuleFor(message({ action: "add", address: "10.10.40.23", result: "contained" })),
      100230,
    );
    assert.equal(syslogRuleFor(message({ action: "add", address: "10.10.10.5", result: "refused" })), 100232);
    assert.equal(
      syslogRuleFor(message({ action: "delete", address: "10.10.40.23", result: "released" })),
      100233,
    );
    assert.equal(
      syslogRuleFor(message({ action: "reconcile", address: "10.10.40.23", result: "restored" })),
      100238,
    );
    assert.equal(
      syslogRuleFor(
        `<36>Nov 30 18:01:45 cortex-1 other-program: ${JSON.stringify({ fortress: { result: "refused" } })}`,
      ),
      undefined,
      "another program's JSON is not ours",
    );
    assert.throws(() => containResponse({ rulesId: [100200, 100230] }), /loops/);
  });
});
