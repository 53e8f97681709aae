/**
 * The flow collector, checked for real: Debian's nfcapd (nfdump 1.7.1) listening on a loopback port
 * with the arguments the unit renders, NetFlow v9 from Debian's softflowd reading a pcap crafted here,
 * nfcapd rotating every 2 s, and the converter (the same program the timer runs) turning the rotated
 * files into JSON lines. Without nfdump or softflowd the test fails naming the package (.ci/run
 * installs both).
 */
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createSocket } from "node:dgram";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run, shellcheck, startDaemon } from "../../../test/support/debianTools";
import { ownerOf, runIn, sandbox, snapshot } from "../../../test/support/installSandbox";
import { CONVERTER_PROGRAM } from "./converter";
import {
  converterUnits,
  DEFAULT_FLOW_RETENTION,
  flowInstallScript,
  FLOW_PATHS,
  NFDUMP_PACKAGE,
  nfcapdArguments,
  nfcapdUnit,
} from "./install";
import { type Packet, pcapFile } from "./pcap.fixtures";

const NOW = Math.floor(Date.now() / 1000) - 30;
const PACKETS: readonly Packet[] = [
  { src: "10.20.0.5", dst: "10.30.0.9", proto: "udp", srcPort: 40000, dstPort: 53, time: NOW },
  { src: "10.20.0.5", dst: "10.30.0.9", proto: "udp", srcPort: 40000, dstPort: 53, time: NOW + 0.5 },
  {
    src: "10.20.0.7",
    dst: "10.30.0.10",
    proto: "tcp",
    srcPort: 51515,
    dstPort: 443,
    time: NOW + 1,
    flags: 0x02,
  },
  {
    src: "10.20.0.7",
    dst: "10.30.0.10",
    proto: "tcp",
    srcPort: 51515,
    dstPort: 443,
    time: NOW + 1.2,
    flags: 0x10,
  },
  { src: "10.40.0.2", dst: "10.20.0.5", proto: "udp", srcPort: 123, dstPort: 123, time: NOW + 2 },
];
const EXPECTED = [
  { src4_addr: "10.20.0.5", dst4_addr: "10.30.0.9", src_port: 40000, dst_port: 53, proto: 17, in_packets: 2 },
  {
    src4_addr: "10.20.0.7",
    dst4_addr: "10.30.0.10",
    src_port: 51515,
    dst_port: 443,
    proto: 6,
    in_packets: 2,
  },
  { src4_addr: "10.40.0.2", dst4_addr: "10.20.0.5", src_port: 123, dst_port: 123, proto: 17, in_packets: 1 },
];

/** A UDP port nothing listens on right now, on 127.0.0.1. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** softflowd is in /usr/sbin, outside a non-root user's PATH on Debian. */
const SOFTFLOWD = existsSync("/usr/sbin/softflowd") ? "/usr/sbin/softflowd" : "softflowd";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Box {
  readonly root: string;
  readonly data: string;
  readonly stream: string;
  readonly state: string;
  readonly converter: string;
  readonly pcap: string;
}

function box(): Box {
  const root = mkdtempSync(join(tmpdir(), "fortress-flows-"));
  const paths = {
    root,
    data: join(root, "nfcapd"),
    stream: join(root, "netflow"),
    state: join(root, "converted"),
    converter: join(root, "nfcapd-to-json"),
    pcap: join(root, "flows.pcap"),
  };
  mkdirSync(paths.stream);
  writeFileSync(paths.converter, CONVERTER_PROGRAM, { mode: 0o755 });
  writeFileSync(paths.pcap, pcapFile(PACKETS));
  return paths;
}

const convert = (b: Box) =>
  run("python3", [b.converter, b.data, b.stream, b.state, String(DEFAULT_FLOW_RETENTION.jsonHours)]);

const jsonLines = (b: Box) =>
  readdirSync(b.stream)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .flatMap((name) =>
      readFileSync(join(b.stream, name), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );

/** Runs nfcapd as the unit does (rotation shortened), replays the pcap through softflowd, converts. */
async function collect(b: Box, sources: readonly string[], waitFor: (b: Box) => boolean) {
  const port = await freeUdpPort();
  const args = nfcapdArguments({
    bindAddress: "127.0.0.1",
    port,
    sources,
    dataDir: b.data,
    rotateSeconds: 2,
  });
  sources.forEach((_, index) => mkdirSync(join(b.data, `fw${index}`), { recursive: true }));
  const nfcapd = await startDaemon("nfcapd", args);
  try {
    for (let i = 0; i < 20 && !nfcapd.output().includes("Startup"); i++) await sleep(100);
    const replay = run(SOFTFLOWD, ["-r", b.pcap, "-n", `127.0.0.1:${port}`, "-v", "9", "-d"]);
    assert.equal(replay.status, 0, `${replay.stdout}${replay.stderr}`);
    for (let i = 0; i < 30; i++) {
      await sleep(500);
      const converted = convert(b);
      assert.equal(converted.status, 0, converted.stderr);
      if (waitFor(b)) break;
    }
  } finally {
    await nfcapd.stop();
  }
  return nfcapd.output();
}

describe("the flow collector's install", () => {
  const script = flowInstallScript({
    nfcapd: { bindAddress: "10.10.40.15", port: 2055, sources: ["10.10.40.1"] },
  });

  it("passes bash -n and shellcheck; the converter compiles", () => {
    const syntax = run("bash", ["-n"], { input: script });
    assert.equal(syntax.status, 0, syntax.stderr);
    const checked = shellcheck(script, "bash");
    assert.equal(checked.status, 0, checked.stdout);
    const b = box();
    const compiled = run("python3", ["-m", "py_compile", b.converter]);
    assert.equal(compiled.status, 0, compiled.stderr);
  });

  it("pins nfdump and holds it, switches Debian's own instance off, and runs nfcapd unprivileged, bound, from the firewall only", () => {
    assert.ok(script.includes(`nfdump=${NFDUMP_PACKAGE.version}`));
    assert.match(script, /^sudo apt-mark hold nfdump >\/dev\/null$/m);
    assert.ok(script.includes(`place "$work/default.conf" ${FLOW_PATHS.debianDefaultConf} 644 root root`));
    assert.match(script, /^options=''$/m);
    const unit = nfcapdUnit({
      bindAddress: "10.10.40.15",
      port: 2055,
      sources: ["10.10.40.1"],
      dataDir: FLOW_PATHS.data,
    });
    assert.match(
      unit,
      /^ExecStart=\/usr\/bin\/nfcapd -b 10\.10\.40\.15 -4 -p 2055 -t 300 -y -e -n fw0,10\.10\.40\.1,\/var\/lib\/fortress-flows\/nfcapd\/fw0$/m,
    );
    assert.match(unit, /^User=fortress-flows$/m);
    assert.match(unit, /^ReadWritePaths=\/var\/lib\/fortress-flows\/nfcapd$/m);
    // The data directory is bounded: expiry limits in each source directory, applied at each rotation (-e).
    assert.match(script, /nfexpire -u \/var\/lib\/fortress-flows\/nfcapd\/fw0 -s 2048M -t 14d -w 90/);
    // The stream directory: the shipper's group may read it, nobody else.
    assert.match(script, /^ensure_dir 2750 fortress-flows fortress-logs \/var\/log\/fortress\/netflow$/m);
    const { service, timer } = converterUnits(DEFAULT_FLOW_RETENTION);
    assert.match(
      service,
      /^ExecStart=\/usr\/local\/lib\/fortress\/nfcapd-to-json \/var\/lib\/fortress-flows\/nfcapd \/var\/log\/fortress\/netflow \/var\/lib\/fortress-flows\/converted 24$/m,
    );
    assert.match(timer, /^OnUnitActiveSec=1min$/m);
  });

  it("refuses a privileged port, no source, a source that is no address, and a repeated source", () => {
    const base = { bindAddress: "10.10.40.15", port: 2055, sources: ["10.10.40.1"], dataDir: "/d" };
    assert.throws(() => nfcapdArguments({ ...base, port: 514 }), /unprivileged/);
    assert.throws(() => nfcapdArguments({ ...base, sources: [] }), /no firewall address/);
    assert.throws(() => nfcapdArguments({ ...base, sources: ["opnsense.lab"] }), /no firewall address/);
    assert.throws(() => nfcapdArguments({ ...base, sources: ["10.10.40.1", "10.10.40.1"] }), /repeats/);
    assert.deepEqual(
      nfcapdArguments({ ...base, sources: ["10.10.40.1", "fd00:40::1"] }).filter((a) => a.startsWith("fw")),
      ["fw0,10.10.40.1,/d/fw0", "fw1,fd00:40::1,/d/fw1"],
    );
  });
});

describe("nfcapd and the converter, for real", () => {
  it("turns the NetFlow v9 softflowd sends into JSON lines carrying the flows, each rotated file once", async () => {
    const b = box();
    const hasAll = (current: Box) => jsonLines(current).length >= EXPECTED.length;
    await collect(b, ["127.0.0.1"], hasAll);
    const lines = jsonLines(b);
    for (const flow of EXPECTED) {
      const match = lines.find(
        (line) => line.src4_addr === flow.src4_addr && line.dst_port === flow.dst_port,
      );
      assert.ok(match, `no line for ${JSON.stringify(flow)} in ${JSON.stringify(lines)}`);
      for (const [key, value] of Object.entries(flow))
        assert.equal(match[key], value, `${key} of ${flow.src4_addr}`);
      assert.equal(match.flow_source, "fw0");
      assert.match(String(match.received), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    assert.equal(lines.length, EXPECTED.length, "each flow once");
    for (const name of readdirSync(b.stream).filter((n) => n.endsWith(".json")))
      assert.equal(statSync(join(b.stream, name)).mode & 0o777, 0o640, name);

    // A second run converts nothing again: the same files, untouched; the state lists each rotated file once.
    const before = readdirSync(b.stream).map((name) => [name, statSync(join(b.stream, name)).mtimeMs]);
    const again = convert(b);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(
      readdirSync(b.stream).map((name) => [name, statSync(join(b.stream, name)).mtimeMs]),
      before,
    );
    const state = readFileSync(b.state, "utf8").trim().split("\n");
    const rotated = readdirSync(join(b.data, "fw0")).filter((name) => /^nfcapd\.\d{12,14}$/.test(name));
    assert.deepEqual([...state].sort(), rotated.map((name) => `fw0/${name}`).sort());
    assert.equal(new Set(state).size, state.length);
  });

  it("drops the flows of a sender that is not the firewall", async () => {
    const b = box();
    let rotatedFiles = 0;
    const output = await collect(b, ["127.0.0.9"], (current) => {
      rotatedFiles = readdirSync(join(current.data, "fw0")).filter((name) =>
        /^nfcapd\.\d+$/.test(name),
      ).length;
      return rotatedFiles >= 2;
    });
    assert.ok(rotatedFiles >= 2, "nfcapd rotated");
    assert.deepEqual(jsonLines(b), []);
    assert.match(output, /Unknown flow source/);
  });
});

describe("the flow collector's install script, run in a sandbox", () => {
  const NFEXPIRE = `#!/bin/sh\necho "nfexpire $*" >> "$LOG"\n`;
  const script = flowInstallScript({
    nfcapd: { bindAddress: "10.10.40.15", port: 2055, sources: ["10.10.40.1", "10.10.40.2"] },
  });

  it("installs nfdump pinned and held, makes its user, directories, limits and units, and changes nothing on a re-run", () => {
    const box = sandbox({ nfexpire: NFEXPIRE });
    const first = runIn(box, script, "");
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.log, /apt-get install .*nfdump=1\.7\.1-2\+deb12u1/);
    assert.match(first.log, /apt-mark hold nfdump/);
    assert.match(first.log, /useradd --system --user-group .* fortress-flows/);
    assert.match(first.log, /groupadd --system fortress-logs/);
    assert.match(first.log, /nfexpire -u \/var\/lib\/fortress-flows\/nfcapd\/fw0 -s 1024M -t 14d -w 90/);
    assert.match(first.log, /nfexpire -u \/var\/lib\/fortress-flows\/nfcapd\/fw1 -s 1024M -t 14d -w 90/);
    assert.match(first.log, /systemctl restart fortress-nfcapd\.service/);
    assert.match(first.log, /systemctl enable fortress-nfcapd\.service fortress-flows-json\.timer/);
    assert.equal(ownerOf(box, FLOW_PATHS.stream), "2750 fortress-flows fortress-logs");
    assert.equal(ownerOf(box, FLOW_PATHS.converter), "755 root root");
    assert.equal(
      readFileSync(join(box.root, FLOW_PATHS.converter), "utf8"),
      `${CONVERTER_PROGRAM.trimEnd()}\n`,
    );
    assert.match(
      readFileSync(join(box.root, FLOW_PATHS.nfcapdUnit), "utf8"),
      / -n fw0,10\.10\.40\.1,\/var\/lib\/fortress-flows\/nfcapd\/fw0 -n fw1,10\.10\.40\.2,\/var\/lib\/fortress-flows\/nfcapd\/fw1$/m,
    );
    assert.match(readFileSync(join(box.root, FLOW_PATHS.debianDefaultConf), "utf8"), /^options=''$/m);
    const before = snapshot(box.root);
    const again = runIn(box, script, "");
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.log, /apt-get install|systemctl restart|useradd|groupadd/);
    assert.match(again.log, /systemctl start fortress-nfcapd\.service/);
    assert.deepEqual(snapshot(box.root), before);
  });
});
