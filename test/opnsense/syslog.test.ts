/**
 * The syslog destination model (the firewall's logs to the Wazuh manager) through the provider's real
 * HTTP code, against the loopback API on each supported version: add, adopt, drift, validation, the
 * privilege a 403 names.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { OpnsensePrivilegeError, OpnsenseValidationError } from "../../components/opnsense/errors";
import {
  type ItemInputs,
  type ItemOutputs,
  ItemProvider,
  KEY_CONFIG,
  SECRET_CONFIG,
  type Timing,
} from "../../components/opnsense/provider";
import { rememberVersion } from "../../components/opnsense/privileges";
import { toFields } from "../../components/opnsense/toFields";
import { SERVICES } from "../../vocabulary/services";
import { DEFAULT_KEY, DEFAULT_SECRET, type OpnsenseApi, startOpnsenseApi } from "./server";

const FAST: Timing = {
  retry: { timeoutMs: 400, retries: 3, backoffMs: 5 },
  probe: { timeoutMs: 250, attempts: 2, intervalMs: 5 },
};

async function provider(key: string, secret: string): Promise<ItemProvider> {
  const values: Record<string, string> = { [KEY_CONFIG]: key, [SECRET_CONFIG]: secret };
  const config: pulumi.dynamic.Config = {
    get: (name) => values[name],
    require: (name) => values[name] ?? "",
  };
  const items = new ItemProvider(FAST);
  await items.configure({ config });
  return items;
}

const destination = (hostname: string, transport: "udp4" | "tcp4" = "udp4") =>
  toFields("syslogDestination", {
    enabled: true,
    transport,
    hostname,
    port: SERVICES.syslog.udp[0] ?? 514,
    rfc5424: false,
    level: ["info", "notice", "warn", "err", "crit", "alert", "emerg"],
    description: "fortress: firewall logs to the Wazuh manager",
  }) as Record<string, string>;

const servers: OpnsenseApi[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

for (const version of ["25.7.3", "26.1.2", "26.7.1"]) {
  describe(`syslog destinations on OPNsense ${version}`, () => {
    it("adds one with the least privilege, reconfigures syslog, reads it back unchanged, adopts it on a re-run", async () => {
      const api = await startOpnsenseApi({
        version,
        users: [{ key: "least", secret: "p", privileges: ["System: Settings: Logging"] }],
      });
      servers.push(api);
      const items = await provider("least", "p");
      const inputs: ItemInputs = {
        model: "syslogDestination",
        firewall: { url: api.url, insecure: false },
        fields: destination("10.20.0.5"),
      };
      const created = await items.create(inputs);
      const stored = api.state.items("syslog/settings").find((item) => item.uuid === created.id);
      assert.equal(stored?.hostname, "10.20.0.5");
      assert.equal(stored?.transport, "udp4");
      assert.equal(api.state.reconfigures["syslog/service"], 1);
      const outs = created.outs as ItemOutputs;
      const read = await items.read(created.id, outs);
      assert.deepEqual(read.props?.fields, inputs.fields, "the level list comes back as the same set");
      // A run that failed after the add finds the item by its description instead of adding a second.
      const again = await items.create(inputs);
      assert.equal(again.id, created.id);
      assert.equal(api.state.items("syslog/settings").length, 1);
      await items.delete(created.id, outs);
      assert.equal(api.state.items("syslog/settings").length, 0);
    });

    it("refuses an IPv4 address on an IPv6 transport, as Syslog.php does", async () => {
      const api = await startOpnsenseApi({ version });
      servers.push(api);
      const items = await provider(DEFAULT_KEY, DEFAULT_SECRET);
      const fields = { ...destination("10.20.0.5"), transport: "udp6" };
      await assert.rejects(
        items.create({ model: "syslogDestination", firewall: { url: api.url, insecure: false }, fields }),
        (error: Error) =>
          error instanceof OpnsenseValidationError &&
          /Transport protocol does not match address in hostname/.test(error.message),
      );
    });

    it("refuses a host name that is neither an address nor a name, in this version's words", async () => {
      const api = await startOpnsenseApi({ version });
      servers.push(api);
      const items = await provider(DEFAULT_KEY, DEFAULT_SECRET);
      const expected = version.startsWith("26.7")
        ? "[bad host!] is not a valid IP address or hostname."
        : "Please specify a valid IP address or hostname.";
      await assert.rejects(
        items.create({
          model: "syslogDestination",
          firewall: { url: api.url, insecure: false },
          fields: destination("bad host!"),
        }),
        (error: Error) => error instanceof OpnsenseValidationError && error.message.includes(expected),
      );
    });

    it("sends one program only (Suricata's alerts) and refuses an application syslog-ng does not know", async () => {
      const api = await startOpnsenseApi({ version });
      servers.push(api);
      const items = await provider(DEFAULT_KEY, DEFAULT_SECRET);
      const firewall = { url: api.url, insecure: false };
      const fields = toFields("syslogDestination", {
        enabled: true,
        transport: "udp4",
        hostname: "10.20.0.5",
        port: 514,
        rfc5424: false,
        level: ["info"],
        program: ["suricata"],
        description: "fortress: Suricata alerts to the Wazuh manager",
      }) as Record<string, string>;
      const created = await items.create({ model: "syslogDestination", firewall, fields });
      assert.equal(
        api.state.items("syslog/settings").find((item) => item.uuid === created.id)?.program,
        "suricata",
      );
      await assert.rejects(
        items.create({
          model: "syslogDestination",
          firewall,
          fields: { ...fields, program: "nosuch", description: "x" },
        }),
        (error: Error) =>
          error instanceof OpnsenseValidationError &&
          error.validations["destination.program"] === "Specify valid source applications.",
      );
    });

    it("names System: Settings: Logging when the key lacks it", async () => {
      const api = await startOpnsenseApi({
        version,
        users: [{ key: "k", secret: "s", privileges: ["Lobby: Dashboard"] }],
      });
      servers.push(api);
      rememberVersion(api.url, version);
      const items = await provider("k", "s");
      await assert.rejects(
        items.create({
          model: "syslogDestination",
          firewall: { url: api.url, insecure: false },
          fields: destination("10.20.0.5"),
        }),
        (error: Error) =>
          error instanceof OpnsensePrivilegeError && /"System: Settings: Logging"/.test(error.message),
      );
    });
  });
}
