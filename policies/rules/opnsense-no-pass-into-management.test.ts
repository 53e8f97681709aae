import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planResource } from "../lib/build";
import { evaluatePolicies } from "../lib/offline";
import { NETWORK_TYPE, OPNSENSE } from "../lib/resources";
import { opnsenseNoPassIntoManagement } from "./opnsense-no-pass-into-management";
import { aliases, network, NETWORKS, rule } from "./opnsense-no-pass-into-management.fixtures";

const check = (...rules: ReturnType<typeof rule>[]) =>
  evaluatePolicies([opnsenseNoPassIntoManagement], [network, ...aliases, ...rules]);

describe("opnsense-no-pass-into-management", () => {
  it("names the rule, the source zone, the destination and management, on the rule", async () => {
    const open = rule(
      {
        interface: "opt3",
        source_net: "fz_net_users",
        destination_net: "fz_net_mgmt",
        description: "users admin",
      },
      "users-admin",
    );
    const [violation, ...rest] = await check(open);
    assert.deepEqual(rest, []);
    assert.equal(violation?.urn, open.urn);
    assert.equal(violation?.level, "mandatory");
    assert.match(
      violation?.message ?? "",
      /"users admin" passes traffic from users to fz_net_mgmt, which reaches the management network mgmt \(10\.10\.10\.0\/24\)/,
    );
    assert.match(violation?.message ?? "", /name a destination that excludes management/);
  });

  it("treats a non-negated any as into management, and a negated private range as the internet", async () => {
    assert.equal((await check(rule({ interface: "opt4", destination_net: "any" }))).length, 1);
    assert.equal((await check(rule({ interface: "opt4" }))).length, 1, "a left-out destination is any");
    assert.deepEqual(
      await check(rule({ interface: "opt4", destination_net: "fz_private", destination_not: "1" })),
      [],
    );
    const [violation] = await check(
      rule({ interface: "opt4", destination_net: "any", destination_not: "1" }),
    );
    assert.equal(violation, undefined, "not any matches nothing");
  });

  it("resolves CIDRs, single addresses and interface names against the management network", async () => {
    assert.equal((await check(rule({ interface: "opt5", destination_net: "10.10.10.5" }))).length, 1);
    assert.equal((await check(rule({ interface: "opt5", destination_net: "10.10.0.0/16" }))).length, 1);
    assert.equal((await check(rule({ interface: "opt5", destination_net: "lan" }))).length, 1);
    assert.equal((await check(rule({ interface: "opt5", destination_net: "lanip" }))).length, 1);
    assert.deepEqual(await check(rule({ interface: "opt5", destination_net: "10.10.20.0/24" })), []);
    assert.deepEqual(await check(rule({ interface: "opt5", destination_net: "opt5ip" })), []);
  });

  it("follows nested host and network aliases", async () => {
    const nested = planResource(OPNSENSE("alias"), "alias-admin", {
      fields: { name: "fz_admin_hosts", type: "host", content: "10.10.20.5\nfz_net_mgmt" },
    });
    const violations = await evaluatePolicies(
      [opnsenseNoPassIntoManagement],
      [network, ...aliases, nested, rule({ interface: "opt3", destination_net: "fz_admin_hosts" })],
    );
    assert.equal(violations.length, 1);
  });

  it("flags a destination it cannot resolve, and says so", async () => {
    const [violation] = await check(rule({ interface: "opt3", destination_net: "someone_elses_alias" }));
    assert.match(violation?.message ?? "", /someone_elses_alias cannot be resolved to addresses/);
  });

  it("leaves trusted zones, block rules and disabled rules alone", async () => {
    assert.deepEqual(
      await check(
        rule({ interface: "opt1", destination_net: "fz_net_mgmt" }),
        rule({ interface: "lan", destination_net: "any" }),
        rule({ interface: "opt3", action: "block", destination_net: "fz_net_mgmt" }),
        rule({ interface: "opt3", action: "reject", destination_net: "any" }),
        rule({ interface: "opt3", enabled: "0", destination_net: "fz_net_mgmt" }),
      ),
      [],
    );
  });

  it("reads floating rules on several interfaces, and outbound rules by their source", async () => {
    const [floating] = await check(rule({ interface: "opt1,opt4", destination_net: "fz_net_mgmt" }));
    assert.match(floating?.message ?? "", /from iot to/);
    assert.equal(
      (await check(rule({ interface: "lan", direction: "out", source_net: "10.10.40.0/24" }))).length,
      1,
    );
    assert.deepEqual(
      await check(rule({ interface: "lan", direction: "out", source_net: "fz_net_servers" })),
      [],
    );
  });

  it("takes the untrusted purposes from the pack config", async () => {
    const servers = rule({ interface: "opt1", destination_net: "fz_net_mgmt" });
    const violations = await evaluatePolicies(
      [opnsenseNoPassIntoManagement],
      [network, ...aliases, servers],
      {
        "opnsense-no-pass-into-management": { untrustedPurposes: ["servers"] },
      },
    );
    assert.equal(violations.length, 1);
  });

  it("has nothing to judge without a Network component", async () => {
    assert.deepEqual(
      await evaluatePolicies(
        [opnsenseNoPassIntoManagement],
        [rule({ interface: "opt3", destination_net: "any" })],
      ),
      [],
    );
  });

  it("reasons about IPv6: a v6 management range, v6 destinations inside and outside it, v6 any", async () => {
    const v6 = planResource(NETWORK_TYPE, "network-v6", {
      networks: [
        { ...NETWORKS[0], name: "mgmt6", cidr: "fd00:10::/64", gateway: "fd00:10::1", interface: "opt7" },
        { ...NETWORKS[2], name: "users6", cidr: "fd00:40::/64", gateway: "fd00:40::1", interface: "opt8" },
      ],
      zones: [],
    });
    const judge = (fields: Record<string, string>) =>
      evaluatePolicies([opnsenseNoPassIntoManagement], [v6, rule({ interface: "opt8", ...fields })]);
    const [inside] = await judge({ destination_net: "fd00:10::/48", description: "users to v6 admin" });
    assert.match(inside?.message ?? "", /which reaches the management network mgmt6 \(fd00:10::\/64\)/);
    assert.equal((await judge({ destination_net: "fd00:10::5" })).length, 1);
    assert.equal((await judge({ destination_net: "::/0" })).length, 1);
    assert.deepEqual(await judge({ destination_net: "fd00:20::/64" }), []);
    assert.deepEqual(
      await judge({ destination_net: "10.10.10.0/24" }),
      [],
      "an IPv4 range never reaches a v6 network",
    );
    assert.deepEqual(await judge({ destination_net: "fd00:10::/64", destination_not: "1" }), []);
  });
});
