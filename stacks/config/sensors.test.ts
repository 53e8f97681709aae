import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PLAIN_KEYS, sensorsSchema, vulnSchema } from "./schema";
import { checkSensors } from "./sensors";
import { GREENBONE_IMAGE_NAMES } from "../../vocabulary/greenbone";

const check = (value: unknown) => checkSensors(sensorsSchema.parse(value));
const paths = (value: unknown) => check(value).map((found) => found.path);

describe("fortress:sensors", () => {
  it("defaults to IDS with the default rule files, NetFlow on, and Zeek on the node's VM taps", () => {
    assert.deepEqual(sensorsSchema.parse({}), {
      ids: { mode: "ids" },
      netflow: true,
      zeek: { mirror: "vm-taps" },
    });
    assert.deepEqual(vulnSchema.parse({}), { scanManagement: false });
    assert.deepEqual(check({}), []);
  });

  it("refuses drops and an inline engine outside IPS mode, naming the path", () => {
    assert.deepEqual(paths({ ids: { drop: ["emerging-malware.rules"], ipsEngine: "divert" } }), [
      "sensors.ids.drop",
      "sensors.ids.ipsEngine",
    ]);
    assert.deepEqual(
      paths({ ids: { mode: "ips", drop: ["emerging-malware.rules"], ipsEngine: "divert" } }),
      [],
    );
  });

  it("refuses a drop file Suricata does not load, and a rule file listed twice", () => {
    const found = check({
      ids: { mode: "ips", rulesets: ["botcc.rules", "botcc.rules"], drop: ["tor.rules"] },
    });
    assert.deepEqual(
      found.map((problem) => problem.path),
      ["sensors.ids.rulesets[1]", "sensors.ids.drop[0]"],
    );
    assert.match(found[1]?.hint ?? "", /add tor\.rules to sensors\.ids\.rulesets/);
    const defaults = check({ ids: { mode: "ips", drop: ["tor.rules"] } });
    assert.match(defaults[0]?.hint ?? "", /without it the defaults load: botcc\.rules/);
  });

  it("needs the node's uplink with the zeek service", () => {
    const found = checkSensors(sensorsSchema.parse({}), ["zeek"]);
    assert.deepEqual(
      found.map((problem) => problem.path),
      ["sensors.zeek.uplink"],
    );
    assert.match(found[0]?.hint ?? "", /\/sys\/class\/net\/vmbr0\/brif/);
    assert.deepEqual(checkSensors(sensorsSchema.parse({ zeek: { uplink: "eno1" } }), ["zeek"]), []);
  });

  it("refuses names that are not rule files or node NICs, and a SPAN NIC that is the uplink", () => {
    assert.equal(sensorsSchema.safeParse({ ids: { rulesets: ["../etc/passwd"] } }).success, false);
    assert.equal(sensorsSchema.safeParse({ zeek: { spanNic: "tap100i0" } }).success, false);
    assert.equal(sensorsSchema.safeParse({ zeek: { uplink: "a-name-longer-than-15" } }).success, false);
    assert.deepEqual(paths({ zeek: { uplink: "eno1", spanNic: "eno1" } }), ["sensors.zeek.spanNic"]);
    assert.deepEqual(paths({ zeek: { uplink: "eno1", spanNic: "enx00e04c680001" } }), []);
  });
});

describe("fortress:vuln.imageDigests", () => {
  const digest = (fill: string) => `sha256:${fill.repeat(64)}`;
  const all = Object.fromEntries(GREENBONE_IMAGE_NAMES.map((name) => [name, digest("a")]));

  it("takes a whole table of sha256 digests, or none", () => {
    assert.equal(vulnSchema.safeParse({ imageDigests: all }).success, true);
    assert.equal(vulnSchema.safeParse({}).success, true);
  });

  it("refuses a partial table, an unknown image and a tag instead of a digest, naming the image", () => {
    const partial = vulnSchema.safeParse({ imageDigests: { gvmd: digest("b") } });
    assert.equal(partial.success, false);
    assert.match(JSON.stringify(partial.error?.issues), /must give every image of Greenbone's compose file/);
    const unknown = vulnSchema.safeParse({ imageDigests: { ...all, "not-an-image": digest("c") } });
    assert.equal(unknown.success, false);
    const tag = vulnSchema.safeParse({ imageDigests: { ...all, gvmd: "stable" } });
    assert.equal(tag.success, false);
    assert.deepEqual(tag.error?.issues[0]?.path, ["imageDigests", "gvmd"]);
  });
});

describe("a lab without fortress:sensors", () => {
  it("gets the defaults, which pass the checks (IDS, no drops)", () => {
    const defaults = PLAIN_KEYS.sensors.parse(undefined);
    assert.deepEqual(defaults.ids, { mode: "ids" });
    assert.deepEqual(checkSensors(defaults, []), []);
  });
});
