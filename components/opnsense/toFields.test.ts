import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AliasFields, ChronyFields, KeaSettingsFields, VlanFields } from "./fields";
import { CHRONY, type ItemModel, KEA_DHCPV4, MODELS, type SettingsModel } from "./models";
import type { OpnsenseAlias } from "./resources";
import { toFields, toSettingsFields } from "./toFields";

describe("toFields: typed fields as the OPNsense API takes them", () => {
  it("writes booleans as 1/0 and numbers in decimal, and keeps strings as they are", () => {
    const vlan: VlanFields = { if: "igb1", tag: 20, pcp: 0, descr: "fortress servers" };
    assert.deepEqual(toFields("vlan", vlan), { if: "igb1", tag: "20", pcp: "0", descr: "fortress servers" });
    const off = toFields("hostOverride", {
      enabled: false,
      hostname: "k3s",
      domain: "lab.example",
      rr: "A",
      server: "10.10.20.10",
      description: "fortress k3s",
    });
    assert.equal(off.enabled, "0");
  });

  it("joins each list with its own model's separator", () => {
    const alias: AliasFields = {
      enabled: true,
      name: "fz_net_users",
      type: "network",
      content: ["10.10.40.0/24", "10.10.41.0/24"],
      description: "users",
    };
    assert.equal(toFields("alias", alias).content, "10.10.40.0/24\n10.10.41.0/24");
    assert.equal(MODELS.alias.lists.content, "\n");
    const chrony: ChronyFields = {
      enabled: true,
      port: 123,
      peers: ["a.pool", "b.pool"],
      allowednetworks: [],
    };
    assert.deepEqual(toSettingsFields(CHRONY, chrony), {
      enabled: "1",
      port: "123",
      peers: "a.pool,b.pool",
      allowednetworks: "",
    });
  });

  it("refuses a list its model gives no separator for", () => {
    const untyped = KEA_DHCPV4 as SettingsModel as SettingsModel<{ readonly other: readonly string[] }>;
    assert.throws(() => toSettingsFields(untyped, { other: ["x"] }), /other is a list/);
  });
});

const FIREWALL = { url: "https://fw", insecure: false };
const aliasArgs = (args: ConstructorParameters<typeof OpnsenseAlias>[1]) => args;

// The model's identity, replace-on and list fields are keys of its fields interface: each line
// below must fail to compile (`tsc` reports an unused @ts-expect-error if the typing loosens).
export const typeChecks: readonly unknown[] = [
  // @ts-expect-error -- an identity that is not a field of the model
  { ...MODELS.alias, identity: ["nmae"] } satisfies ItemModel<AliasFields>,
  // @ts-expect-error -- a replace-on field that is not a field of the model
  { ...MODELS.vlan, replaceOn: ["parent"] } satisfies ItemModel<VlanFields>,
  // @ts-expect-error -- a list field without its separator
  { ...KEA_DHCPV4, lists: {} } satisfies SettingsModel<KeaSettingsFields>,
  // @ts-expect-error -- a string map where the model's typed fields belong
  aliasArgs({ firewall: FIREWALL, fields: { enabled: "1" } }),
];
