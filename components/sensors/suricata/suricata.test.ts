import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../../../stacks/plan/capture";
import { installableRulesets } from "../../../test/opnsense/ids";
import { captureUnderMocks } from "../../../test/support/mockRuntime";
import { opnsenseType } from "../../../vocabulary/typeTokens";
import { defaultDropRulesets, defaultEtOpenRulesets } from "./rulesets";
import { privilegeFor } from "../../opnsense/privileges";
import { Suricata, type SuricataArgs, suricataProblems, suricataProbes, suricataWarnings } from "./suricata";

/** Stands for the network layer's preflight. */
class Ready extends pulumi.CustomResource {
  constructor(name: string) {
    super("fortress:test:Ready", name, {});
  }
}

let resources: CapturedResource[] = [];
const named = (name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `no resource named ${name}`);
  return found;
};
const fieldsOf = (name: string) => named(name).inputs.fields as Record<string, string>;

const base = (ready: pulumi.Resource): SuricataArgs => ({
  firewall: { ref: { url: "https://fw.home.arpa", insecure: false }, ready: [ready] },
  interfaces: ["lan", "opt1", "opt2"],
  homeNet: ["10.10.0.0/24", "10.20.0.0/24"],
  mode: "ids",
  rulesets: defaultEtOpenRulesets(),
  dropRulesets: [],
  syslog: { address: pulumi.output("10.20.0.5"), port: 514 },
});

describe("Suricata", () => {
  before(async () => {
    resources = await captureUnderMocks("sensors");
    const ready = new Ready("opnsense-preflight");
    const ids = new Suricata("ids", base(ready));
    const ips = new Suricata("ips", {
      ...base(ready),
      mode: "ips",
      dropRulesets: defaultDropRulesets(),
      netflow: { collector: pulumi.output("10.20.0.9"), port: 2055, interfaces: ["lan", "opt1", "wan"] },
      ruleUpdates: false,
    });
    await new Promise<void>((resolve) =>
      pulumi
        .all([ids.syslog?.urn, ids.ruleUpdates?.urn, ips.dropPolicy?.urn, ips.netflow?.urn])
        .apply(() => resolve()),
    );
    await pulumi.runtime.disconnect();
  });

  it("registers IDS by default: settings with mode pcap and no IPS field, rulesets, the syslog destination, no policy", () => {
    const ids = resources.filter((resource) => resource.parent === named("ids").urn).map((r) => r.type);
    assert.deepEqual(
      ids.sort(),
      [
        opnsenseType("idsGeneral"),
        opnsenseType("idsRulesets"),
        opnsenseType("idsUpdateSchedule"),
        opnsenseType("syslogDestination"),
      ].sort(),
    );
    const fields = fieldsOf("ids-ids");
    assert.equal(fields.mode, "pcap");
    assert.ok(!("ips" in fields), "the 25.7 field is the provider's to send");
    assert.equal(fields.enabled, "1");
    assert.equal(fields.interfaces, "lan,opt1,opt2");
    assert.equal(fields.homenet, "10.10.0.0/24,10.20.0.0/24");
    assert.equal(fields.syslog_eve, "1");
    assert.equal(fields.syslog, "0");
    assert.ok(named("ids-ids").dependencies.includes(named("opnsense-preflight").urn));
    assert.ok(named("ids-rulesets").dependencies.includes(named("ids-ids").urn));
  });

  it("turns the daily rule download on at 03:17 after the settings, unless told not to", () => {
    const schedule = named("ids-rule-updates");
    assert.deepEqual([schedule.inputs.hours, schedule.inputs.minutes], ["3", "17"]);
    assert.ok(schedule.dependencies.includes(named("ids-ids").urn));
    assert.ok(!resources.some((resource) => resource.name === "ips-rule-updates"));
  });

  it("enables the rulesets by sorted file name and names the argument for errors", () => {
    const rulesets = named("ids-rulesets").inputs;
    assert.equal(rulesets.filenames, [...defaultEtOpenRulesets()].sort().join(","));
    assert.equal(rulesets.argument, "sensors.suricata.rulesets");
  });

  it("sends only the suricata program to the manager's syslog", () => {
    const fields = fieldsOf("ids-syslog");
    assert.equal(fields.program, "suricata");
    assert.equal(fields.hostname, "10.20.0.5");
    assert.equal(fields.port, "514");
    assert.equal(fields.transport, "udp4");
  });

  it("in IPS mode uses netmap and drops the drop rulesets' alerts by one policy over their uuids", () => {
    assert.equal(fieldsOf("ips-ids").mode, "netmap");
    const policy = fieldsOf("ips-drop");
    assert.equal(named("ips-drop").type, opnsenseType("idsPolicy"));
    assert.equal(policy.new_action, "drop");
    assert.equal(policy.action, "alert");
    // The mock echoes inputs, so the rulesets resource's fileUuids is undefined: every uuid is then "".
    assert.equal(
      policy.rulesets,
      defaultDropRulesets()
        .map(() => "")
        .join(","),
    );
    assert.ok(named("ips-drop").dependencies.includes(named("ips-rulesets").urn));
    assert.equal(resources.filter((r) => r.type === opnsenseType("idsPolicy")).length, 1);
  });

  it("exports NetFlow v9 to the collector, the WAN outgoing only", () => {
    const fields = fieldsOf("ips-netflow");
    assert.equal(fields["capture.targets"], "10.20.0.9:2055");
    assert.equal(fields["capture.interfaces"], "lan,opt1,wan");
    assert.equal(fields["capture.egress_only"], "wan");
    assert.equal(fields["capture.version"], "v9");
  });

  it("names a preflight probe for each privilege it needs, each granted by that privilege alone", () => {
    const probes = suricataProbes({ netflow: true });
    assert.deepEqual(
      probes.map((probe) => privilegeFor(probe, "26.1")),
      [
        "Services: Intrusion Detection",
        "System: Settings: Logging",
        "System: Settings: Cron",
        "Diagnostics: Netflow configuration",
      ],
    );
    assert.deepEqual(suricataProbes({ ruleUpdates: false }), [
      "ids/settings/get",
      "syslog/settings/search_destinations",
    ]);
  });

  it("warns about hardware offloading for netmap only", () => {
    assert.match(suricataWarnings({ mode: "ips" }).join(""), /hardware offloading off/);
    assert.deepEqual(suricataWarnings({ mode: "ips", ipsEngine: "divert" }), []);
    assert.deepEqual(suricataWarnings({ mode: "ids" }), []);
  });

  it("refuses drops in IDS mode, drop rulesets not enabled, bad names and networks, each naming its argument", () => {
    const ready = {} as pulumi.Resource;
    const problems = suricataProblems({
      ...base(ready),
      interfaces: ["igb0"],
      homeNet: ["10.0.0.0/33"],
      rulesets: ["emerging-malware"],
      dropRulesets: ["botcc.rules"],
      ipsEngine: "divert",
    });
    assert.deepEqual(problems, [
      'sensors.suricata.interfaces: "igb0" is not an OPNsense interface id (lan, wan, optN)',
      'sensors.suricata.homeNet: "10.0.0.0/33" is not an IPv4 network (a.b.c.d/n)',
      'sensors.suricata.rulesets: "emerging-malware" is not a ruleset file name (emerging-malware.rules)',
      'sensors.suricata.dropRulesets: "botcc.rules" is not among sensors.suricata.rulesets',
      'sensors.suricata.dropRulesets: IDS mode only alerts; set sensors.suricata.mode to "ips" to drop, or leave it empty',
      'sensors.suricata.ipsEngine: applies to IPS mode only (sensors.suricata.mode is "ids")',
    ]);
    assert.deepEqual(suricataProblems(base(ready)), []);
  });

  it("chooses default rulesets that OPNsense's et-open.xml lists at every supported release", () => {
    const names = [...defaultEtOpenRulesets(), ...defaultDropRulesets()];
    for (const version of ["25.7.3", "26.1.2", "26.7.1"]) {
      const offered = installableRulesets(version);
      for (const name of names)
        assert.ok(offered.has(name), `${name} on ${version} (loopback transcription)`);
    }
    // Where the opnsense/core mirror is at hand, against the vendor's file itself.
    const repo = process.env.OPNSENSE_CORE_GIT ?? "/work/.mirror/opnsense+core/repo";
    if (!existsSync(repo)) return;
    for (const tag of ["25.7.11", "26.1.11", "26.7.2"]) {
      const xml = execFileSync(
        "git",
        ["-C", repo, "show", `${tag}:src/opnsense/scripts/suricata/metadata/rules/et-open.xml`],
        { encoding: "utf8" },
      );
      const offered = new Set([...xml.matchAll(/<file [^>]*>([^<]+)<\/file>/g)].map((match) => match[1]));
      for (const name of names) assert.ok(offered.has(name), `${name} is not in et-open.xml at ${tag}`);
    }
  });
});
