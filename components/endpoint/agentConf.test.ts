import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseXml, type XmlElement } from "../../test/wazuh/xml";
import { ROLE_NAMES } from "../../stacks/catalog";
import { AGENT_CONF_ROOT, type ElementRule, LOG_FORMATS, YES_NO_ATTRIBUTES } from "./agentConfElements";
import { profileFor, renderAgentConf, ROLE_WATCHES, scanOnArrival } from "./agentConf";
import { agentGroupOf, MANAGER_ROLE } from "../../stacks/enrollment";
import { groupNameProblem } from "./wazuhGroups";
import { AGENT_PATHS } from "./clamav/activeResponse";
import { xmllint } from "../../test/support/debianTools";

/** Every element and attribute of `element` against `rule`; the problems found. */
function check(element: XmlElement, rule: ElementRule, path: string): string[] {
  const problems: string[] = [];
  for (const attribute of Object.keys(element.attributes)) {
    if (!rule.attributes.includes(attribute))
      problems.push(`${path}: attribute ${attribute} is not allowed (${rule.source})`);
  }
  if (element.name === "directories") {
    for (const [name, value] of Object.entries(element.attributes)) {
      if (YES_NO_ATTRIBUTES.has(name) && value !== "yes" && value !== "no")
        problems.push(`${path}@${name}: ${value} is not yes/no`);
    }
  }
  for (const child of element.children) {
    const childRule = rule.children?.[child.name];
    if (!childRule) problems.push(`${path}: <${child.name}> is not allowed here (${rule.source})`);
    else problems.push(...check(child, childRule, `${path}/${child.name}`));
  }
  return problems;
}

const roles = ROLE_NAMES.filter((role) => role !== MANAGER_ROLE);
const profileOf = (role: (typeof roles)[number]) => profileFor(role, agentGroupOf(role));

describe("agent.conf per VM role", () => {
  it("every VM role of the catalog, and the workstation, has a profile with a valid group name", () => {
    for (const role of roles) {
      const profile = profileOf(role);
      assert.equal(groupNameProblem(profile.group), undefined, role);
    }
    assert.deepEqual(Object.keys(ROLE_WATCHES).sort(), [...roles].sort(), "a profile for every agent role");
    assert.throws(
      () => profileFor("toaster", "fortress-toaster"),
      /no Wazuh agent profile for VM role toaster/,
    );
  });

  it("is well-formed XML (xmllint), with the agent_config block at the top as the manager stores it", () => {
    for (const role of roles) {
      // upload_group_configuration parses the body inside <root> (configuration.py @ v4.14.6).
      const result = xmllint(`<root>\n${renderAgentConf(profileOf(role))}\n</root>`);
      assert.equal(result.status, 0, `${role}: ${result.stderr}`);
    }
  });

  it("xmllint refuses a broken agent.conf (the check can fail)", () => {
    const broken = renderAgentConf(profileOf("workstation")).replace("</syscheck>", "");
    assert.notEqual(xmllint(`<root>${broken}</root>`).status, 0);
  });

  it("holds only the elements and attributes the 4.14 reference allows", () => {
    for (const role of roles) {
      const root = parseXml(`<root>${renderAgentConf(profileOf(role))}</root>`);
      assert.deepEqual(
        root.children.map((child) => child.name),
        ["agent_config"],
        role,
      );
      const problems = root.children.flatMap((child) => check(child, AGENT_CONF_ROOT, "agent_config"));
      assert.deepEqual(problems, [], role);
      for (const localfile of (root.children[0] as XmlElement).children.filter(
        (child) => child.name === "localfile",
      )) {
        const format = localfile.children.find((child) => child.name === "log_format")?.text.trim() ?? "";
        assert.ok(LOG_FORMATS.has(format), `${role}: log_format ${format}`);
        const location = localfile.children.find((child) => child.name === "location")?.text.trim();
        // localfile-config.c: a journald localfile's location must be "journald".
        if (format === "journald") assert.equal(location, "journald");
      }
    }
  });

  it("the element check refuses what the reference does not list", () => {
    const bad = parseXml(
      '<agent_config os="Linux"><syscheck><directories realtime="maybe" colour="red">/x</directories><fim/></syscheck></agent_config>',
    );
    const problems = check(bad, AGENT_CONF_ROOT, "agent_config");
    assert.equal(problems.length, 3, problems.join("\n"));
  });

  it("the workstation watches /home, /root/Downloads and /tmp in real time; servers scan system paths on schedule", () => {
    const workstation = profileOf("workstation");
    assert.deepEqual(
      scanOnArrival(workstation).filter((path) => ["/home", "/root/Downloads", "/tmp"].includes(path)),
      ["/home", "/root/Downloads", "/tmp"],
    );
    const text = renderAgentConf(workstation);
    assert.match(text, /<directories check_all="yes" realtime="yes">\/home<\/directories>/);
    assert.match(text, /<directories check_all="yes">\/etc<\/directories>/);
    assert.match(text, /<ignore type="sregex">\/home\/\.\*\/\\\.cache\/<\/ignore>/);
    assert.doesNotMatch(renderAgentConf(profileOf("k3s-agent")), />\/home</);
    assert.match(
      renderAgentConf(profileOf("k3s-server")),
      /realtime="yes">\/var\/lib\/rancher\/k3s\/server\/manifests</,
    );
  });

  it("reads fortress-clamdscan's detection log as syslog, in every role's group", () => {
    for (const role of roles) {
      const root = parseXml(`<root>${renderAgentConf(profileOf(role))}</root>`);
      const files = (root.children[0] as XmlElement).children
        .filter((child) => child.name === "localfile")
        .map((localfile) => ({
          location: localfile.children.find((child) => child.name === "location")?.text.trim(),
          format: localfile.children.find((child) => child.name === "log_format")?.text.trim(),
        }));
      assert.ok(
        files.some((file) => file.location === AGENT_PATHS.detectionLog && file.format === "syslog"),
        role,
      );
    }
  });

  it("reads journald, since Debian's cloud image has no /var/log/syslog", () => {
    assert.match(
      renderAgentConf(profileOf("misp")),
      /<location>journald<\/location>\n\s*<log_format>journald<\/log_format>/,
    );
  });
});
