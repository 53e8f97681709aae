import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addressRange,
  type Cidr,
  cidrContainsHost,
  cidrsOverlap,
  covers,
  everyAddress,
  intToIp,
  ipToInt,
  isIpv4,
  overlaps,
  parseAddress,
  parseCidr,
} from "./addresses";

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
}

describe("isIpv4", () => {
  it("accepts dotted quads with octets 0-255", () => {
    for (const ip of [
      "0.0.0.0",
      "10.10.20.1",
      "192.168.1.254",
      "255.255.255.255",
      "1.2.3.4",
      "100.99.250.9",
    ]) {
      assert.equal(isIpv4(ip), true, ip);
    }
  });

  it("rejects wrong counts, out-of-range or padded octets, signs, blanks and junk", () => {
    for (const ip of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "1.2.3.",
      ".1.2.3",
      "1..2.3",
      "256.1.1.1",
      "1.1.1.300",
      "01.2.3.4",
      "1.2.3.00",
      "-1.2.3.4",
      "+1.2.3.4",
      " 1.2.3.4",
      "1.2.3.4 ",
      "1.2.3.4/24",
      "a.b.c.d",
      "1.2.3.0x1",
      "1.2.3.4\n",
      "::1",
    ]) {
      assert.equal(isIpv4(ip), false, JSON.stringify(ip));
    }
  });
});

describe("ipToInt / intToIp", () => {
  it("round-trips, including the top of the range", () => {
    for (const ip of ["0.0.0.0", "10.10.20.1", "192.168.255.0", "255.255.255.255"]) {
      assert.equal(intToIp(ipToInt(ip)), ip);
    }
    assert.equal(ipToInt("255.255.255.255"), 2 ** 32 - 1);
    assert.equal(ipToInt("10.0.1.2"), 10 * 2 ** 24 + 256 + 2);
  });
});

describe("parseCidr", () => {
  it("parses a network into first and last address", () => {
    assert.deepEqual(parseCidr("10.10.20.0/24"), {
      network: ipToInt("10.10.20.0"),
      prefix: 24,
      first: ipToInt("10.10.20.0"),
      last: ipToInt("10.10.20.255"),
    });
    const wide = cidr("10.0.0.0/8");
    assert.equal(intToIp(wide.last), "10.255.255.255");
    const narrow = cidr("192.168.1.4/30");
    assert.equal(intToIp(narrow.first), "192.168.1.4");
    assert.equal(intToIp(narrow.last), "192.168.1.7");
  });

  it("rejects host bits set", () => {
    assert.equal(parseCidr("10.10.20.1/24"), undefined);
    assert.equal(parseCidr("192.168.1.2/30"), undefined);
    assert.equal(parseCidr("10.1.0.0/8"), undefined);
  });

  it("rejects prefixes outside 8-30", () => {
    assert.equal(parseCidr("10.0.0.0/7"), undefined);
    assert.equal(parseCidr("0.0.0.0/0"), undefined);
    assert.equal(parseCidr("10.0.0.0/31"), undefined);
    assert.equal(parseCidr("10.0.0.0/32"), undefined);
    assert.equal(parseCidr("10.0.0.0/99"), undefined);
    assert.ok(parseCidr("10.0.0.0/8"));
    assert.ok(parseCidr("10.0.0.0/30"));
  });

  it("rejects garbage", () => {
    for (const text of [
      "",
      "10.0.0.0",
      "10.0.0.0/",
      "/24",
      "10.0.0.0/24/24",
      "10.0.0/24",
      "300.0.0.0/24",
      "10.0.0.0/024",
      "10.0.0.0/ 24",
      "10.0.0.0/-4",
      "10.0.0.0/2a",
      "net/24",
    ]) {
      assert.equal(parseCidr(text), undefined, JSON.stringify(text));
    }
  });
});

describe("cidrContainsHost", () => {
  const net = cidr("10.10.20.0/24");

  it("holds for host addresses, including the first and last host", () => {
    assert.equal(cidrContainsHost(net, "10.10.20.1"), true);
    assert.equal(cidrContainsHost(net, "10.10.20.128"), true);
    assert.equal(cidrContainsHost(net, "10.10.20.254"), true);
  });

  it("excludes the network and broadcast addresses", () => {
    assert.equal(cidrContainsHost(net, "10.10.20.0"), false);
    assert.equal(cidrContainsHost(net, "10.10.20.255"), false);
  });

  it("excludes addresses outside the block", () => {
    assert.equal(cidrContainsHost(net, "10.10.21.1"), false);
    assert.equal(cidrContainsHost(net, "10.10.19.254"), false);
    assert.equal(cidrContainsHost(net, "192.168.20.5"), false);
  });

  it("leaves two hosts in a /30", () => {
    const small = cidr("192.168.1.4/30");
    const hosts = ["192.168.1.4", "192.168.1.5", "192.168.1.6", "192.168.1.7"].filter((ip) =>
      cidrContainsHost(small, ip),
    );
    assert.deepEqual(hosts, ["192.168.1.5", "192.168.1.6"]);
  });
});

describe("cidrsOverlap", () => {
  it("is true for identical, nested and containing blocks, both ways round", () => {
    const pairs: [string, string][] = [
      ["10.10.20.0/24", "10.10.20.0/24"],
      ["10.0.0.0/8", "10.10.20.0/24"],
      ["10.10.20.0/24", "10.10.20.128/25"],
      ["10.10.20.0/24", "10.10.20.252/30"],
    ];
    for (const [a, b] of pairs) {
      assert.equal(cidrsOverlap(cidr(a), cidr(b)), true, `${a} ${b}`);
      assert.equal(cidrsOverlap(cidr(b), cidr(a)), true, `${b} ${a}`);
    }
  });

  it("is false for disjoint blocks, including adjacent ones, both ways round", () => {
    const pairs: [string, string][] = [
      ["10.10.20.0/24", "10.10.21.0/24"],
      ["10.10.20.0/25", "10.10.20.128/25"],
      ["10.0.0.0/8", "11.0.0.0/8"],
      ["192.168.1.0/30", "192.168.1.4/30"],
    ];
    for (const [a, b] of pairs) {
      assert.equal(cidrsOverlap(cidr(a), cidr(b)), false, `${a} ${b}`);
      assert.equal(cidrsOverlap(cidr(b), cidr(a)), false, `${b} ${a}`);
    }
  });
});

describe("addressRange", () => {
  const v4 = (first: number, last: number) => ({ family: "ipv4", first: BigInt(first), last: BigInt(last) });

  it("reads IPv4 CIDRs (host bits meaning their block), addresses and dashed ranges", () => {
    assert.deepEqual(addressRange("10.10.10.0/24"), v4(168430080, 168430335));
    assert.deepEqual(addressRange("10.10.10.7/24"), v4(168430080, 168430335));
    assert.deepEqual(addressRange("10.0.0.1-10.0.0.2"), v4(167772161, 167772162));
    assert.deepEqual(addressRange(" 0.0.0.0/0 "), everyAddress("ipv4"));
    assert.deepEqual(addressRange("10.0.0.1"), v4(167772161, 167772161));
  });

  it("reads IPv6 CIDRs, addresses and ranges", () => {
    assert.deepEqual(addressRange("::/0"), everyAddress("ipv6"));
    assert.deepEqual(addressRange("::0/0"), everyAddress("ipv6"));
    assert.equal(everyAddress("ipv6").last, 2n ** 128n - 1n);
    const ula = addressRange("fd00:10::/32");
    assert.deepEqual(ula, {
      family: "ipv6",
      first: 0xfd000010n << 96n,
      last: ((0xfd000010n + 1n) << 96n) - 1n,
    });
    assert.deepEqual(addressRange("fd00:10::5/32"), ula);
    assert.deepEqual(addressRange("fd00::1"), {
      family: "ipv6",
      first: (0xfd00n << 112n) | 1n,
      last: (0xfd00n << 112n) | 1n,
    });
    assert.deepEqual(addressRange("fd00::1-fd00::9"), {
      family: "ipv6",
      first: (0xfd00n << 112n) | 1n,
      last: (0xfd00n << 112n) | 9n,
    });
  });

  it("rejects malformed text, prefixes too long, mixed-family and backwards ranges", () => {
    for (const text of [
      "10.0.0.256",
      "fz_net_mgmt",
      "10.0.0.0/33",
      "::/129",
      "10.0.0.0/024",
      "10.1",
      "0x0a.0.0.1",
      "010.0.0.1",
      "10.0.0.1-fd00::1",
      "10.0.0.9-10.0.0.1",
      "fd00::g",
      "1.2.3.4/8/8",
      "",
      "any",
    ]) {
      assert.equal(addressRange(text), undefined, JSON.stringify(text));
    }
  });
});

describe("parseAddress", () => {
  it("tells the families apart", () => {
    assert.deepEqual(parseAddress("10.0.0.1"), { family: "ipv4", value: 167772161n });
    assert.deepEqual(parseAddress("::1"), { family: "ipv6", value: 1n });
    assert.deepEqual(parseAddress("::ffff:10.0.0.1"), {
      family: "ipv6",
      value: (0xffffn << 32n) | 167772161n,
    });
    assert.equal(parseAddress("10.0.0.1/32"), undefined);
  });
});

describe("covers and overlaps", () => {
  const ranges = (...texts: string[]) => texts.map((text) => addressRange(text)!);

  it("adds IPv4 and IPv6 pieces up to everything, each family on its own", () => {
    assert.equal(covers(ranges("0.0.0.0/1", "128.0.0.0/1"), everyAddress("ipv4")), true);
    assert.equal(covers(ranges("::/1", "8000::/1"), everyAddress("ipv6")), true);
    assert.equal(covers(ranges("::/1", "8000::/2"), everyAddress("ipv6")), false);
    // IPv4 everything says nothing of IPv6, and the other way round.
    assert.equal(covers(ranges("0.0.0.0/0"), everyAddress("ipv6")), false);
    assert.equal(covers(ranges("::/0"), everyAddress("ipv4")), false);
  });

  it("never lets ranges of different families overlap", () => {
    const [v4all, v6all, ula] = ranges("0.0.0.0/0", "::/0", "fd00:10::/48");
    assert.equal(overlaps(v4all!, v6all!), false);
    assert.equal(overlaps(v6all!, ula!), true);
    assert.equal(overlaps(ula!, addressRange("fd00:11::/48")!), false);
  });
});
