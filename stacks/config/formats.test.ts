import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import type { z } from "zod";
import {
  dnsDomain,
  hostName,
  httpsEndpoint,
  linuxUserName,
  opnsenseInterfaceId,
  opnsenseTrunkDevice,
  proxmoxStorageId,
  timeZone,
  timeZoneProblem,
} from "./formats";

const accepts = (schema: z.ZodType, value: string) => {
  const result = schema.safeParse(value);
  assert.ok(result.success, `${JSON.stringify(value)} was refused: ${result.error?.message}`);
  return result.data;
};
const refuses = (schema: z.ZodType, value: string) =>
  assert.equal(schema.safeParse(value).success, false, `${JSON.stringify(value)} was accepted`);

describe("httpsEndpoint", () => {
  const endpoint = httpsEndpoint("the Proxmox API", "https://pve1:8006/");

  it("takes scheme, host and port, by name, IPv4 or IPv6, with or without the last slash", () => {
    for (const url of [
      "https://pve1:8006/",
      "https://pve1:8006",
      "https://10.10.10.11:8006/",
      "https://[fd00::11]:8006/",
    ]) {
      assert.equal(accepts(endpoint, url), url);
    }
  });

  it("trims whitespace around the URL, and the trimmed URL is what the lab uses", () => {
    assert.equal(accepts(endpoint, "  https://pve1:8006/\n"), "https://pve1:8006/");
    assert.equal(accepts(endpoint, "\thttps://pve1:8006/ "), "https://pve1:8006/");
  });

  it("refuses credentials, paths, queries, fragments, other schemes and inner whitespace", () => {
    for (const url of [
      "https://root:pw@pve1:8006/",
      "https://root@pve1:8006/",
      "https://:pw@pve1:8006/",
      "https://pve1:8006/api2/json",
      "https://pve1:8006/?a=b",
      "https://pve1:8006?",
      "https://pve1:8006/#x",
      "http://pve1:8006/",
      "https:pve1:8006",
      "pve1:8006",
      "https://pve 1:8006/",
      "https://pve1:8006/\tx",
    ]) {
      refuses(endpoint, url);
    }
  });

  it("never repeats the URL in its message", () => {
    const result = endpoint.safeParse("https://admin:Sup3rSecret@pve1:8006/");
    assert.equal(result.success, false);
    assert.doesNotMatch(JSON.stringify(result.error?.issues.map((issue) => issue.message)), /Sup3rSecret/);
  });
});

describe("timeZone", () => {
  it("takes canonical zones and the aliases tzdata and Intl both know, which Intl's list omits", () => {
    const listed = new Set(Intl.supportedValuesOf("timeZone"));
    assert.equal(listed.has("Etc/UTC"), false, "Node now lists Etc/UTC: the alias rule may be simpler");
    for (const zone of [
      "Europe/Berlin",
      "UTC",
      "Etc/UTC",
      "America/Argentina/Buenos_Aires",
      "America/Port-au-Prince",
      "Etc/GMT+5",
      "EST5EDT",
      "Asia/Calcutta",
      "Europe/Kiev",
      "Europe/Kyiv",
    ]) {
      accepts(timeZone, zone);
    }
  });

  it("refuses unknown zones, offsets and wrong case, saying which", () => {
    assert.equal(timeZoneProblem("Europe/Berlim"), "is not an IANA time zone");
    assert.equal(timeZoneProblem("+01:00"), "is a UTC offset, not an IANA time zone");
    assert.equal(timeZoneProblem("europe/berlin"), "is spelled Europe/Berlin in the IANA zone list");
    assert.match(timeZoneProblem("etc/utc") ?? "", /is not spelled as the IANA zone list spells it/);
    for (const zone of ["", "Berlin", "Europe/Berlin ", "localtime", "Factory"]) refuses(timeZone, zone);
  });
});

describe("DNS names", () => {
  it("takes RFC 1123 domains up to 63 characters a label and 253 in all", () => {
    for (const domain of [
      "home.arpa",
      "lab.example.org",
      "xn--bcher-kva.example",
      `${"a".repeat(63)}.arpa`,
      "1lab.example",
    ]) {
      accepts(dnsDomain, domain);
    }
    accepts(dnsDomain, `${Array.from({ length: 4 }, () => "a".repeat(61)).join(".")}.arpa`);
  });

  it("refuses capitals, a trailing dot, one label, long labels and names, underscores, outer dashes, numeric TLDs", () => {
    for (const domain of [
      "Home.arpa",
      "home.arpa.",
      "lab",
      `${"a".repeat(64)}.arpa`,
      `${Array.from({ length: 5 }, () => "a".repeat(60)).join(".")}.arpa`,
      "my_lab.arpa",
      "-lab.arpa",
      "lab-.arpa",
      "lab..arpa",
      "lab.10",
    ]) {
      refuses(dnsDomain, domain);
    }
  });

  it("takes host names of one label and IPv4 addresses as server names, and refuses broken ones", () => {
    for (const host of ["ntp", "0.pool.ntp.org", "10.10.10.5"]) accepts(hostName, host);
    for (const host of ["10.10.10.256", "10.10.10", "pool..ntp.org", "ntp_1.example", "-ntp.example"])
      refuses(hostName, host);
  });
});

describe("linuxUserName", () => {
  it("takes Debian's default NAME_REGEX up to 32 characters", () => {
    for (const name of ["fortress", "ops-admin", "svc_backup1", "a".repeat(32)]) accepts(linuxUserName, name);
  });

  it("refuses capitals, a leading digit, dash or underscore, dots, realms and 33 characters", () => {
    for (const name of [
      "Fortress",
      "1admin",
      "-admin",
      "_svc",
      "ops.admin",
      "root@pam",
      "a".repeat(33),
      "",
    ]) {
      refuses(linuxUserName, name);
    }
  });
});

describe("OPNsense names", () => {
  it("takes physical and lagg devices as the trunk, and refuses VLAN, pf, loopback and malformed ones", () => {
    for (const device of ["igb1", "em0", "vtnet0", "ix0", "igc3", "lagg0", "axe0"])
      accepts(opnsenseTrunkDevice, device);
    for (const device of [
      "vlan01",
      "vlan0.10",
      "igb1_vlan10",
      "qinq0",
      "lo0",
      "pfsync0",
      "enc0",
      "wg0",
      "IGB1",
      "igb",
      "igb1 ",
      "averylongdriver12345",
    ]) {
      refuses(opnsenseTrunkDevice, device);
    }
  });

  it("takes lan and opt1… as interface identifiers, as Interfaces > Assignments numbers them", () => {
    for (const id of ["lan", "opt1", "opt9", "opt12", "opt100"]) accepts(opnsenseInterfaceId, id);
    for (const id of ["wan", "LAN", "opt0", "opt01", "opt", "igb1", "vlan01", "opt1000"])
      refuses(opnsenseInterfaceId, id);
  });
});

describe("proxmoxStorageId", () => {
  it("takes pve-storage-id names and refuses the rest", () => {
    for (const id of ["local", "local-lvm", "local-zfs", "nas_backup.2", "PBS1"])
      accepts(proxmoxStorageId, id);
    for (const id of ["", "l", "1local", "local-", "local lvm", "nas/backup", "-local"])
      refuses(proxmoxStorageId, id);
  });
});

describe("the review's cases (a vendor-source review of the door)", () => {
  it("refuses URLs that only Node's parser cleans up, and port 0", () => {
    const endpoint = httpsEndpoint("the Proxmox API", "https://pve1:8006");
    for (const url of [
      "https://host:8006\\",
      "https://0x0a.0.0.1:8006",
      "https://10.1:8006",
      "https://host:8006/.",
      "https://@host:8006",
      "https://:@host:8006",
      "https://host:0",
    ])
      assert.equal(endpoint.safeParse(url).success, false, url);
    for (const url of [
      "https://host:8006/",
      "HTTPS://HOST:8006",
      "https://[fe80::1]:8006",
      "https://fw.home.arpa:443/",
    ])
      assert.equal(endpoint.safeParse(url).success, true, url);
  });

  it(
    "refuses an alias in a case tzdata does not have, though Intl resolves it",
    {
      skip: existsSync("/usr/share/zoneinfo") ? false : "no tzdata on this machine (.ci/run installs it)",
    },
    () => {
      for (const zone of ["Europe/KYIV", "Asia/KOLKATA", "ETC/UTC", "US/EASTERN", "America/Fort_wayne"])
        assert.ok(timeZoneProblem(zone), zone);
      for (const zone of [
        "US/Eastern",
        "Europe/Kiev",
        "Etc/UTC",
        "UTC",
        "GMT",
        "Etc/GMT+5",
        "EST5EDT",
        "Zulu",
      ])
        assert.equal(timeZoneProblem(zone), undefined, zone);
    },
  );

  it("refuses point-to-point and bridge devices as the VLAN trunk (OPNsense's VlanInterfaceField)", () => {
    for (const device of ["ovpns1", "ovpnc1", "pppoe0", "ipsec1", "bridge0"])
      assert.equal(opnsenseTrunkDevice.safeParse(device).success, false, device);
    for (const device of ["igb1", "mce0", "lagg0", "vtnet0", "ixl0"])
      assert.equal(opnsenseTrunkDevice.safeParse(device).success, true, device);
  });
});
