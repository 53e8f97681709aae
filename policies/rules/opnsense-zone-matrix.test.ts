import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluatePolicies } from "../lib/offline";
import type { PlanResource } from "../lib/types";
import { opnsenseZoneMatrix } from "./opnsense-zone-matrix";
import {
  apiPass,
  containedToManager,
  lab,
  labWithApiClients,
  labWithQuarantine,
  quarantineAlias,
  labWithoutHostFlows,
  MANAGER,
  quarantineToManager,
  SCANNER,
  usersToManager,
  usersToServers,
  widenedApiPasses,
} from "./opnsense-zone-matrix.fixtures";
import { rule } from "./opnsense-no-pass-into-management.fixtures";

const check = async (...rules: PlanResource[]) =>
  (await evaluatePolicies([opnsenseZoneMatrix], lab(...rules))).map((violation) => violation.message);

describe("opnsense-zone-matrix", () => {
  it("accepts a pass inside its entry, in other spellings of the same addresses and ports", async () => {
    assert.deepEqual(await check(usersToServers), []);
    const spelled = rule({
      interface: "opt3",
      protocol: "TCP",
      destination_net: "10.10.20.0/25,10.10.20.128/25",
      destination_port: "443",
    });
    assert.deepEqual(await check(spelled), []);
  });

  it("names the zone, the destination, the traffic and the entries the zone has", async () => {
    const [message, ...rest] = await check(
      rule({
        interface: "opt3",
        protocol: "TCP",
        destination_net: "fz_net_servers",
        destination_port: "22",
        description: "ssh",
      }),
    );
    assert.deepEqual(rest, []);
    assert.equal(
      message,
      'filter rule "ssh" on opt3 passes users → fz_net_servers (TCP 22), which no entry of fortress:zones grants (entries from users: firewall (dns); servers (https); internet (http, https); wazuh-manager-1 10.10.20.64 (wazuh-agent); k3s-server-1 10.10.20.11 (clamd)): add the entry to fortress:zones and let the compiler write the rule, or remove it',
    );
  });

  it("judges each zone a floating or inverted rule sits on", async () => {
    const floating = rule({
      interface: "opt3,opt4",
      protocol: "TCP",
      destination_net: "fz_net_servers",
      destination_port: "443",
    });
    const messages = await check(floating);
    assert.deepEqual(
      messages.map((message) => /passes (\w+) →/.exec(message)?.[1]),
      ["iot"],
    );
    const inverted = rule({
      interface: "opt3",
      interfacenot: "1",
      protocol: "TCP",
      destination_net: "fz_net_servers",
      destination_port: "443",
    });
    const zones = (await check(inverted)).map((message) => /passes (\w+) →/.exec(message)?.[1]);
    assert.deepEqual(zones, ["servers", "iot", "guest", "quarantine"]);
  });

  it("reads IPv6 halves and the firewall's other addresses as outside a zone's entry", async () => {
    for (const destination_net of ["::/1,8000::/1", "(self)", "10.10.10.1", "opt1ip"]) {
      const messages = await check(
        rule({ interface: "opt3", protocol: "TCP", destination_net, destination_port: "53" }),
      );
      assert.equal(messages.length, 1, destination_net);
    }
  });

  it("grants the derived host flows their one address and ports: the agents' link to the manager (issue 12)", async () => {
    assert.deepEqual(await check(usersToManager, quarantineToManager), []);
    const withoutFlows = await evaluatePolicies(
      [opnsenseZoneMatrix],
      labWithoutHostFlows(usersToManager, quarantineToManager),
    );
    assert.equal(withoutFlows.length, 2, "without the recorded flows both passes are ungranted");
  });

  it("still flags quarantine → servers, and anything but 1514 out of quarantine, beside the agent link", async () => {
    const quarantine = { interface: "opt6", source_net: "fz_net_quarantine" };
    const [toServers, ...none] = await check(
      quarantineToManager,
      rule({ ...quarantine, destination_net: "fz_net_servers", description: "hostile" }),
    );
    assert.deepEqual(none, []);
    assert.match(
      toServers ?? "",
      /^filter rule "hostile" on opt6 passes quarantine → fz_net_servers \(every protocol and port\), which no entry of fortress:zones grants \(entries from quarantine: wazuh-manager-1 10\.10\.20\.64 \(wazuh-agent-events\)\)/,
    );
    for (const destination_port of ["1515", "1514-1515", "22"]) {
      const messages = await check(
        rule({ ...quarantine, protocol: "TCP", destination_net: MANAGER, destination_port }),
      );
      assert.equal(messages.length, 1, destination_port);
    }
    const udp = await check(
      rule({ ...quarantine, protocol: "UDP", destination_net: MANAGER, destination_port: "1514" }),
    );
    assert.equal(udp.length, 1, "1514/udp is not the agent link");
  });

  it("flags users → servers on any port beside the users' flow to the manager", async () => {
    const messages = await check(
      usersToManager,
      rule({ interface: "opt3", source_net: "fz_net_users", destination_net: "fz_net_servers" }),
    );
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? "", /passes users → fz_net_servers \(every protocol and port\)/);
  });

  it("grants the scanner's scan flows from its one address, every protocol, to the networks it scans (issue 13)", async () => {
    const servers = { interface: "opt1", protocol: "any", destination_port: "" };
    const scan = rule({ ...servers, source_net: SCANNER, destination_net: "fz_net_users" });
    assert.deepEqual(await check(scan), []);
    const fromTheNetwork = rule({
      ...servers,
      source_net: "fz_net_servers",
      destination_net: "fz_net_users",
    });
    const [message, ...rest] = await check(fromTheNetwork);
    assert.deepEqual(rest, []);
    assert.match(message ?? "", /passes servers → fz_net_users \(every protocol and port\)/);
    assert.match(message ?? "", new RegExp(`${SCANNER.replaceAll(".", "\\.")} → users \\(all\\)`));
    const beyond = rule({ ...servers, source_net: SCANNER, destination_net: "fz_net_guest" });
    assert.equal((await check(beyond)).length, 1, "the scanner reaches only the networks it scans");
  });

  it("has no entry for an outbound pass", async () => {
    const [message] = await check(
      rule({
        interface: "opt1",
        direction: "out",
        source_net: "fz_net_users",
        destination_net: "fz_net_servers",
      }),
    );
    assert.match(message ?? "", /passes outbound traffic/);
  });
});

describe("opnsense-zone-matrix: contained hosts (issue 14)", () => {
  const withQuarantine = async (type: string, ...rules: PlanResource[]) =>
    (await evaluatePolicies([opnsenseZoneMatrix], labWithQuarantine(type, ...rules))).map(
      (violation) => violation.message,
    );

  it("grants the external quarantine alias's pass to the manager's address on 1514 alone, on any zone", async () => {
    assert.deepEqual(await withQuarantine("external", containedToManager), []);
    const [message, ...rest] = await check(quarantineAlias(), containedToManager);
    assert.deepEqual(rest, []);
    assert.match(
      message ?? "",
      /passes iot → 10\.10\.20\.64 \(TCP 1514\), which no entry of fortress:zones grants/,
    );
  });

  it("says why a pass from contained hosts is not granted: more ports, a wider destination, a host alias", async () => {
    const contained = { interface: "opt3", protocol: "TCP", source_net: "fz_quarantine" };
    const [ports] = await withQuarantine(
      "external",
      rule({
        ...contained,
        destination_net: MANAGER,
        destination_port: "fz_svc_wazuh_agent",
        description: "enrol",
      }),
    );
    // users' own flow to the manager grants 1515 to the users network, never to contained hosts.
    assert.match(
      ports ?? "",
      /^filter rule "enrol" on opt3 passes contained hosts \(fz_quarantine\) → 10\.10\.20\.64 \(TCP 1514, 1515\), which nothing grants: contained hosts may reach only wazuh-manager-1 10\.10\.20\.64 with wazuh-agent-events/,
    );
    const wide = await withQuarantine(
      "external",
      rule({ ...contained, destination_net: "fz_net_servers", destination_port: "1514" }),
    );
    assert.equal(wide.length, 1);
    const [hostAlias] = await withQuarantine("host", containedToManager);
    assert.match(
      hostAlias ?? "",
      /fz_quarantine is of type host, not external, so alias_util would write its hosts into config/,
    );
  });
});

describe("opnsense-zone-matrix: the firewall API's recorded clients (containment)", () => {
  const checkApi = async (...rules: PlanResource[]) =>
    (await evaluatePolicies([opnsenseZoneMatrix], labWithApiClients(...rules))).map(
      (violation) => violation.message,
    );
  const at = (fields: Record<string, string>, url = "https://10.10.10.1") => {
    const made = rule({ ...apiPass, ...fields });
    return { ...made, inputs: { ...made.inputs, firewall: { url, insecure: false } } };
  };

  it("grants the manager's one pass to the API's address and port, and nothing wider", async () => {
    assert.deepEqual(await checkApi(at({})), []);
    for (const [what, fields] of widenedApiPasses) {
      const messages = await checkApi(at(fields));
      assert.equal(messages.length, 1, what);
      assert.match(messages[0] ?? "", /passes servers → .* which no entry of fortress:zones grants/, what);
    }
  });

  it("reads the API's address and port from the URL the rule is written to", async () => {
    assert.deepEqual(await checkApi(at({ destination_port: "8443" }, "https://10.10.10.1:8443")), []);
    assert.equal((await checkApi(at({}, "https://10.10.10.1:8443"))).length, 1, "443 is not the API's port");
    assert.equal((await checkApi(at({}, "https://fw.home.arpa"))).length, 1, "no address in the URL");
  });

  it("grants nothing from quarantine, whatever the record says", async () => {
    const forged = labWithApiClients(rule({ ...apiPass, interface: "opt6", source_net: "10.10.99.5" })).map(
      (resource) =>
        resource.type.endsWith(":Network")
          ? {
              ...resource,
              inputs: {
                ...resource.inputs,
                firewallApiClients: [{ from: "quarantine", host: "x", address: "10.10.99.5", why: "forged" }],
              },
            }
          : resource,
    );
    const violations = await evaluatePolicies([opnsenseZoneMatrix], forged);
    assert.equal(violations.length, 1);
  });
});
