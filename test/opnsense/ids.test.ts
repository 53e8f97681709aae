/**
 * Suricata's settings, rulesets and drop policies and the NetFlow export through the provider's real
 * HTTP code, against the loopback API on each supported version (test/opnsense/ids.ts): the IDS/IPS
 * switch per version (25.7's `general.ips`, 26.1's `general.mode`, a field a version lacks never sent),
 * ruleset names checked against list_rulesets (a name one version lacks), OPNsense's validation, and
 * the privileges a 403 names.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import {
  OpnsenseError,
  OpnsensePrivilegeError,
  OpnsenseServerError,
  OpnsenseValidationError,
} from "../../components/opnsense/errors";
import type { IdsGeneralFields, NetflowFields } from "../../components/opnsense/fields";
import { IDS_GENERAL, NETFLOW } from "../../components/opnsense/models";
import {
  type FirewallRef,
  ItemProvider,
  PreflightProvider,
  KEY_CONFIG,
  SECRET_CONFIG,
  SettingsProvider,
  type SettingsInputs,
  type Timing,
} from "../../components/opnsense/provider";
import { rememberVersion } from "../../components/opnsense/privileges";
import { MINIMUM_VERSION, OpnsensePreflightError } from "../../components/opnsense/preflight";
import { suricataProbes } from "../../components/sensors/suricata/suricata";
import { RULESETS_KIND, type RulesetsOutputs, RulesetsProvider } from "../../components/opnsense/rulesets";
import { toFields, toSettingsFields } from "../../components/opnsense/toFields";
import {
  UPDATE_SCHEDULE_KIND,
  type UpdateScheduleOutputs,
  UpdateScheduleProvider,
} from "../../components/opnsense/updateSchedule";
import { type OpnsenseApi, startOpnsenseApi } from "./server";

const FAST: Timing = {
  retry: { timeoutMs: 400, retries: 3, backoffMs: 5 },
  probe: { timeoutMs: 250, attempts: 2, intervalMs: 5 },
};

const IDS_PRIVILEGES = ["Lobby: Dashboard", "Services: Intrusion Detection"];
const NETFLOW_PRIVILEGES = ["Diagnostics: Netflow configuration"];

async function configured<P extends { configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> }>(
  provider: P,
  key = "least",
  secret = "p",
): Promise<P> {
  const values: Record<string, string> = { [KEY_CONFIG]: key, [SECRET_CONFIG]: secret };
  await provider.configure({
    config: { get: (name) => values[name], require: (name) => values[name] ?? "" },
  });
  return provider;
}

const servers: OpnsenseApi[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function start(version: string, privileges: string[] = [...IDS_PRIVILEGES, ...NETFLOW_PRIVILEGES]) {
  const api = await startOpnsenseApi({
    version,
    users: [{ key: "least", secret: "p", privileges }],
    assignedInterfaces: [
      { identifier: "wan", device: "vtnet0", description: "WAN", ipv4: "192.0.2.2/24" },
      { identifier: "lan", device: "vtnet1", description: "LAN", ipv4: "10.0.0.1/24" },
      { identifier: "opt1", device: "vlan01", description: "SERVERS", ipv4: "10.20.0.1/24" },
    ],
  });
  servers.push(api);
  return { api, firewall: { url: api.url, insecure: false } satisfies FirewallRef };
}

const general = (overrides: Partial<IdsGeneralFields> = {}): IdsGeneralFields => ({
  enabled: true,
  mode: "pcap",
  interfaces: ["lan", "opt1"],
  homenet: ["10.0.0.0/24", "10.20.0.0/24"],
  syslog: true,
  syslog_eve: true,
  "detect.Profile": "medium",
  ...overrides,
});

/** The `general` node of every body posted to ids/settings/set. */
const postedGeneral = (api: OpnsenseApi) =>
  api.state.requests
    .filter((request) => request.method === "POST" && request.path === "/api/ids/settings/set")
    .map((request) => (request.body as { ids: { general: Record<string, unknown> } }).ids.general);

const flow = (targets: string, overrides: Partial<NetflowFields> = {}): NetflowFields => ({
  "capture.interfaces": ["lan", "opt1", "wan"],
  "capture.egress_only": ["wan"],
  "capture.version": "v9",
  "capture.targets": targets,
  "collect.enable": false,
  activeTimeout: 1800,
  inactiveTimeout: 15,
  ...overrides,
});

for (const version of ["25.7.3", "26.1.2", "26.7.1"]) {
  const modern = version !== "25.7.3";

  describe(`Intrusion Detection on OPNsense ${version}`, () => {
    it(`sets IDS with ${modern ? "general.mode" : "general.ips"} only, with the least privileges, and reads it back`, async () => {
      const { api, firewall } = await start(version, IDS_PRIVILEGES);
      const provider = await configured(new SettingsProvider(IDS_GENERAL, FAST));
      const inputs: SettingsInputs = {
        firewall,
        fields: toSettingsFields(IDS_GENERAL, general()) as Record<string, string>,
      };
      await provider.create(inputs);
      const stored = api.state.ids.general();
      assert.equal(stored["general.enabled"], "1");
      assert.equal(stored["general.interfaces"], "lan,opt1");
      assert.equal(stored["general.homenet"], "10.0.0.0/24,10.20.0.0/24");
      assert.equal(stored["general.syslog_eve"], "1");
      assert.equal(stored["general.detect.Profile"], "medium");
      if (modern) assert.equal(stored["general.mode"], "pcap");
      else assert.equal(stored["general.ips"], "0");
      for (const body of postedGeneral(api)) {
        assert.ok(
          !((modern ? "ips" : "mode") in body),
          `a ${version} firewall got a field its IDS.xml lacks`,
        );
        assert.deepEqual(body.detect, { Profile: "medium" });
      }
      assert.equal(api.state.reconfigures["ids/service"], 1);
      assert.equal(api.state.ids.running(), true);
      assert.deepEqual(
        api.state.ids.cronJob()?.enabled,
        "0",
        "the first reconfigure makes the update job, disabled",
      );
      const read = await provider.read("x", inputs);
      assert.deepEqual(read.props?.fields, inputs.fields);
    });

    it("switches to IPS with netmap; divert only from 26.1, refused on 25.7 before anything is sent", async () => {
      const { api, firewall } = await start(version, IDS_PRIVILEGES);
      const provider = await configured(new SettingsProvider(IDS_GENERAL, FAST));
      const netmap = {
        firewall,
        fields: toSettingsFields(IDS_GENERAL, general({ mode: "netmap" })) as Record<string, string>,
      };
      await provider.create(netmap);
      assert.equal(api.state.ids.general()[modern ? "general.mode" : "general.ips"], modern ? "netmap" : "1");
      assert.deepEqual((await provider.read("x", netmap)).props?.fields, netmap.fields);
      const divert = {
        firewall,
        fields: toSettingsFields(IDS_GENERAL, general({ mode: "divert" })) as Record<string, string>,
      };
      const posts = postedGeneral(api).length;
      if (modern) {
        await provider.update("x", netmap, divert);
        assert.equal(api.state.ids.general()["general.mode"], "divert");
      } else {
        await assert.rejects(
          provider.update("x", netmap, divert),
          (error: Error) =>
            error instanceof OpnsenseError &&
            /mode "divert" needs OPNsense 26\.1 or later; this firewall runs 25\.7\.3/.test(error.message),
        );
        assert.equal(postedGeneral(api).length, posts);
      }
    });

    it("refuses an interface that is not assigned, as InterfaceField does", async () => {
      const { firewall } = await start(version, IDS_PRIVILEGES);
      const provider = await configured(new SettingsProvider(IDS_GENERAL, FAST));
      const fields = toSettingsFields(IDS_GENERAL, general({ interfaces: ["opt9"] })) as Record<
        string,
        string
      >;
      await assert.rejects(
        provider.create({ firewall, fields }),
        (error: Error) =>
          error instanceof OpnsenseValidationError && "ids.general.interfaces" in error.validations,
      );
    });

    it("enables rulesets by file name, downloads them, gives their uuids to a drop policy, follows changes", async () => {
      const { api, firewall } = await start(version, IDS_PRIVILEGES);
      const rulesets = await configured(new RulesetsProvider(FAST));
      const inputs = {
        kind: RULESETS_KIND,
        firewall,
        filenames: "botcc.rules,emerging-malware.rules",
        argument: "sensors.suricata.rulesets",
      } as const;
      const created = await rulesets.create(inputs);
      const outs = created.outs as RulesetsOutputs;
      assert.deepEqual(api.state.ids.files(), { "botcc.rules": "1", "emerging-malware.rules": "1" });
      assert.deepEqual(api.state.ids.downloaded(), ["botcc.rules", "emerging-malware.rules"]);
      assert.equal(outs.fileUuids["botcc.rules"], api.state.ids.fileUuid("botcc.rules"));
      const items = await configured(new ItemProvider(FAST));
      const policy = toFields("idsPolicy", {
        enabled: true,
        prio: 10,
        action: ["alert"],
        rulesets: Object.values(outs.fileUuids).join(","),
        new_action: "drop",
        description: "fortress: drop botcc and emerging-malware",
      }) as Record<string, string>;
      const added = await items.create({ model: "idsPolicy", firewall, fields: policy });
      const stored = api.state.items("ids/settings", "policy").find((item) => item.uuid === added.id);
      assert.equal(stored?.new_action, "drop");
      assert.deepEqual(stored?.rulesets.split(",").sort(), Object.values(outs.fileUuids).sort());
      const bad = { ...policy, rulesets: "00000000-0000-4000-8000-000000000000", description: "x" };
      await assert.rejects(
        items.create({ model: "idsPolicy", firewall, fields: bad }),
        (error: Error) =>
          error instanceof OpnsenseValidationError &&
          error.validations["policy.rulesets"] === "Related ruleset not found.",
      );
      // Turned off by hand: read shows it, update turns it on again, drops botcc, adds compromised.
      api.state.ids.disableFile("emerging-malware.rules");
      const read = await rulesets.read(created.id, outs);
      assert.equal(read.props?.filenames, "botcc.rules");
      const next = { ...inputs, filenames: "compromised.rules,emerging-malware.rules" };
      const updated = await rulesets.update(created.id, read.props as RulesetsOutputs, next);
      assert.deepEqual(api.state.ids.files(), {
        "botcc.rules": "0",
        "compromised.rules": "1",
        "emerging-malware.rules": "1",
      });
      assert.deepEqual(Object.keys((updated.outs as RulesetsOutputs).fileUuids).sort(), [
        "compromised.rules",
        "emerging-malware.rules",
      ]);
      await rulesets.delete(created.id, { ...next, fileUuids: {} });
      assert.deepEqual(Object.values(api.state.ids.files()), ["0", "0", "0"]);
    });

    it("unloads a removed ruleset: update and delete run ids update, since reconfigure installs every file on disk", async () => {
      const { api, firewall } = await start(version, IDS_PRIVILEGES);
      await (
        await configured(new SettingsProvider(IDS_GENERAL, FAST))
      ).create({
        firewall,
        fields: toSettingsFields(IDS_GENERAL, general()) as Record<string, string>,
      });
      const rulesets = await configured(new RulesetsProvider(FAST));
      const inputs = {
        kind: RULESETS_KIND,
        firewall,
        filenames: "botcc.rules,compromised.rules,emerging-malware.rules",
        argument: "sensors.suricata.rulesets",
      } as const;
      const created = await rulesets.create(inputs);
      const all = ["botcc.rules", "compromised.rules", "emerging-malware.rules"];
      assert.deepEqual(api.state.ids.installed(), all);
      // OPNsense itself: a file turned off and reconfigured is still on disk, so installRules.py loads it.
      const post = (command: string) =>
        fetch(`${api.url}/api/ids/${command}`, {
          method: "POST",
          headers: { authorization: api.authorization("least"), "content-type": "application/json" },
          body: "{}",
        }).then((response) => response.json() as Promise<Record<string, unknown>>);
      assert.deepEqual(await post("settings/toggle_ruleset/botcc.rules/0"), { status: "0" });
      assert.deepEqual(await post("service/reconfigure"), { status: "OK" });
      assert.deepEqual(api.state.ids.installed(), all, "reconfigure keeps a disabled file that is on disk");
      assert.deepEqual(await post("settings/toggle_ruleset/botcc.rules/1"), { status: "1" });
      // Removing only (nothing added): the provider still runs ids update, which deletes and unloads it.
      const updates = () => api.state.reconfigures["ids/update_rules"] ?? 0;
      const before = updates();
      const next = { ...inputs, filenames: "compromised.rules,emerging-malware.rules" };
      const updated = await rulesets.update(created.id, created.outs as RulesetsOutputs, next);
      assert.equal(updates(), before + 1, "a removal runs ids/service/update_rules");
      assert.equal(api.state.ids.files()["botcc.rules"], "0");
      assert.deepEqual(api.state.ids.downloaded(), ["compromised.rules", "emerging-malware.rules"]);
      assert.deepEqual(api.state.ids.installed(), ["compromised.rules", "emerging-malware.rules"]);
      // An unchanged list runs nothing; delete unloads the rest.
      await rulesets.update(created.id, updated.outs as RulesetsOutputs, next);
      assert.equal(updates(), before + 1, "no change, no download");
      await rulesets.delete(created.id, updated.outs as RulesetsOutputs);
      assert.equal(updates(), before + 2, "delete runs ids/service/update_rules");
      assert.deepEqual(api.state.ids.downloaded(), []);
      assert.deepEqual(api.state.ids.installed(), []);
    });

    const absent = modern && version.startsWith("26.7") ? "3coresec.rules" : "emerging-dyn_dns.rules";
    it(`names the argument for a ruleset ${version} does not offer (${absent}) and changes nothing`, async () => {
      const { api, firewall } = await start(version, IDS_PRIVILEGES);
      const rulesets = await configured(new RulesetsProvider(FAST));
      await assert.rejects(
        rulesets.create({
          kind: RULESETS_KIND,
          firewall,
          filenames: `botcc.rules,${absent}`,
          argument: "sensors.suricata.rulesets",
        }),
        (error: Error) =>
          error.message.startsWith(
            `sensors.suricata.rulesets: "${absent}" is not a ruleset this firewall offers`,
          ),
      );
      assert.ok(!api.state.requests.some((request) => request.path.includes("toggle_ruleset")));
      assert.deepEqual(api.state.ids.files(), {});
    });

    it("turns OPNsense's own rule-update job on at Fortress's time, keeps its command, turns it off on delete", async () => {
      const { api, firewall } = await start(version, [...IDS_PRIVILEGES, "System: Settings: Cron"]);
      const schedule = await configured(new UpdateScheduleProvider(FAST));
      const inputs = { kind: UPDATE_SCHEDULE_KIND, firewall, minutes: "17", hours: "4" } as const;
      await assert.rejects(schedule.create(inputs), /no rule-update job yet/);
      const settings = await configured(new SettingsProvider(IDS_GENERAL, FAST));
      await settings.create({
        firewall,
        fields: toSettingsFields(IDS_GENERAL, general()) as Record<string, string>,
      });
      const created = await schedule.create(inputs);
      const job = api.state.ids.cronJob();
      assert.equal(created.outs?.jobUuid, job?.uuid);
      assert.deepEqual(
        [job?.enabled, job?.minutes, job?.hours, job?.command, job?.origin],
        ["1", "17", "4", "ids update", "IDS"],
      );
      assert.equal(api.state.ids.cronApplied(), true);
      const outs = created.outs as UpdateScheduleOutputs;
      assert.deepEqual((await schedule.read(created.id, outs)).props, outs);
      assert.equal((await schedule.diff(created.id, outs, inputs)).changes, false);
      await schedule.delete(created.id, outs);
      assert.equal(api.state.ids.cronJob()?.enabled, "0");
      const off = (await schedule.read(created.id, outs)).props as UpdateScheduleOutputs;
      assert.equal(
        (await schedule.diff(created.id, off, inputs)).changes,
        true,
        "a job turned off is turned on again",
      );
      await assert.rejects(
        schedule.create({ ...inputs, hours: "24" }),
        (error: Error) =>
          error instanceof OpnsenseValidationError &&
          /between 0 and 23/.test(error.validations["job.hours"] ?? ""),
      );
    });

    it("names System: Settings: Cron for the schedule when the key lacks it", async () => {
      const { api, firewall } = await start(version, IDS_PRIVILEGES);
      rememberVersion(api.url, version);
      await (
        await configured(new SettingsProvider(IDS_GENERAL, FAST))
      ).create({
        firewall,
        fields: toSettingsFields(IDS_GENERAL, general()) as Record<string, string>,
      });
      const schedule = await configured(new UpdateScheduleProvider(FAST));
      await assert.rejects(
        schedule.create({ kind: UPDATE_SCHEDULE_KIND, firewall, minutes: "17", hours: "4" }),
        (error: Error) =>
          error instanceof OpnsensePrivilegeError && error.privilege === "System: Settings: Cron",
      );
    });

    it("names Services: Intrusion Detection when the key lacks it", async () => {
      const { api, firewall } = await start(version, ["Lobby: Dashboard"]);
      rememberVersion(api.url, version);
      const rulesets = await configured(new RulesetsProvider(FAST));
      await assert.rejects(
        rulesets.create({ kind: RULESETS_KIND, firewall, filenames: "botcc.rules", argument: "a" }),
        (error: Error) =>
          error instanceof OpnsensePrivilegeError && error.privilege === "Services: Intrusion Detection",
      );
    });
  });

  describe(`the Suricata component's preflight probes on OPNsense ${version}`, () => {
    const all = [
      ...IDS_PRIVILEGES,
      ...NETFLOW_PRIVILEGES,
      "System: Settings: Logging",
      "System: Settings: Cron",
    ];
    const needs = (probes: string[]) => ({
      minimumVersion: MINIMUM_VERSION,
      plugins: [],
      probes,
      interfaces: [],
    });
    const probes = suricataProbes({ netflow: true });

    it("pass with the privileges the README lists for Suricata and NetFlow", async () => {
      const { firewall } = await start(version, all);
      const preflight = await configured(new PreflightProvider(FAST));
      await preflight.create({ firewall, needs: needs(probes) });
    });

    it("name the one that is missing", async () => {
      const { firewall } = await start(
        version,
        all.filter((name) => name !== "System: Settings: Cron"),
      );
      const preflight = await configured(new PreflightProvider(FAST));
      await assert.rejects(
        preflight.create({ firewall, needs: needs(probes) }),
        (error: Error) =>
          error instanceof OpnsensePreflightError &&
          error.problems.length === 1 &&
          error.problems[0] === 'missing privilege "System: Settings: Cron" for cron/settings/get_job',
      );
    });
  });

  describe(`NetFlow on OPNsense ${version}`, () => {
    it("exports from the interfaces to the collector with its own privilege only, and reads it back", async () => {
      const { api, firewall } = await start(version, NETFLOW_PRIVILEGES);
      const provider = await configured(new SettingsProvider(NETFLOW, FAST));
      const inputs = {
        firewall,
        fields: toSettingsFields(NETFLOW, flow("10.20.0.9:2055")) as Record<string, string>,
      };
      await provider.create(inputs);
      const stored = api.state.ids.netflow();
      assert.equal(stored["capture.targets"], "10.20.0.9:2055");
      assert.equal(stored["capture.interfaces"], "lan,opt1,wan");
      assert.equal(stored["capture.egress_only"], "wan");
      assert.equal(api.state.ids.exporting(), true);
      assert.equal(api.state.reconfigures["diagnostics/netflow"], 1);
      assert.deepEqual((await provider.read("x", inputs)).props?.fields, inputs.fields);
    });

    if (version.startsWith("26.7")) {
      it("reports a read-only user's refusal (the UserException 26.7's setconfig throws) once, without retrying", async () => {
        const { api, firewall } = await start(version, NETFLOW_PRIVILEGES);
        // Base/ApiControllerBase.php throwReadOnly @ 26.7 (called by NetflowController::setconfigAction).
        api.faults.inject({
          path: "diagnostics/netflow/setconfig",
          kind: "userException",
          message: "User least denied for write access (user-config-readonly set)",
          title: "General access",
        });
        const provider = await configured(new SettingsProvider(NETFLOW, FAST));
        const fields = toSettingsFields(NETFLOW, flow("10.20.0.9:2055")) as Record<string, string>;
        await assert.rejects(
          provider.create({ firewall, fields }),
          (error: Error) =>
            error instanceof OpnsenseServerError &&
            error.userException &&
            /refused \/api\/diagnostics\/netflow\/setconfig: User least denied for write access/.test(
              error.message,
            ),
        );
        assert.equal(
          api.state.requests.filter((r) => r.path === "/api/diagnostics/netflow/setconfig").length,
          1,
        );
        assert.equal(api.state.reconfigures["diagnostics/netflow"], undefined);
      });
    }

    it("refuses egress-only interfaces that are not captured, and a target without a port", async () => {
      const { api, firewall } = await start(version, NETFLOW_PRIVILEGES);
      const provider = await configured(new SettingsProvider(NETFLOW, FAST));
      const egress = toSettingsFields(
        NETFLOW,
        flow("10.20.0.9:2055", { "capture.interfaces": ["lan"] }),
      ) as Record<string, string>;
      await assert.rejects(
        provider.create({ firewall, fields: egress }),
        (error: Error) =>
          error instanceof OpnsenseValidationError &&
          /WAN interfaces missing in listening interfaces: wan/.test(
            error.validations["netflow.capture.interfaces"] ?? "",
          ),
      );
      const target = toSettingsFields(NETFLOW, flow("10.20.0.9")) as Record<string, string>;
      await assert.rejects(
        provider.create({ firewall, fields: target }),
        (error: Error) =>
          error instanceof OpnsenseValidationError &&
          error.validations["netflow.capture.targets"] ===
            '"10.20.0.9" is invalid. Invalid IP-port combination.',
      );
      assert.equal(api.state.reconfigures["diagnostics/netflow"], undefined);
    });
  });
}
