/**
 * The rendered ClamAV pieces run through Debian's real tools (ClamAV 1.4.6, the feature release the
 * pinned image ships): clamconf parses the configs, clamscan detects with Fortress's database alone,
 * a real clamd on loopback answers clamdscan --stream, and the fortress-clamdscan active response
 * runs for real; the line it logs goes through Wazuh's pre-decoder, the v4.14.6 clamd decoders and
 * rules (fixtures), and the OS_Regex port.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEFAULT_ACTIVE_RESPONSES, DEFAULT_COMMANDS, renderOssecConf } from "../../siem/manager/ossecConf";
import { CLAMDSCAN_COMMAND } from "../../../vocabulary/agents";
import { AGENT_PATHS, DETECTION_LOG_LOCALFILE, renderActiveResponseScript } from "./activeResponse";
import { renderClamdConf, renderClientConf, renderFreshclamConf } from "./config";
import { CLAMD, freePort, run, startDaemon, type Daemon } from "../../../test/support/debianTools";
import { HASH_DATABASE_FILE, INDICATORS, renderHashDatabase } from "./indicators";
import { decode, matchRules, preDecode } from "./wazuh/analysisd";

const FIXTURES = join(__dirname, "fixtures");
const DECODERS = readFileSync(join(FIXTURES, "wazuh-v4.14.6-0075-clamav_decoders.xml"), "utf8");
const RULES = readFileSync(join(FIXTURES, "wazuh-v4.14.6-0320-clam_av_rules.excerpt.xml"), "utf8");
const SAMPLE = readFileSync(join(FIXTURES, "fortress-test-sample.txt"));
/** The EICAR test file, built here rather than committed (eicar.org: 68 bytes, no newline). */
const EICAR = Buffer.from("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*", "latin1");
/** The sample with one byte changed: same size, another hash. */
const TWIN = Buffer.from(SAMPLE.toString("latin1").replace("harmless", "Harmless"), "latin1");

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");

/** What clamconf prints for a directory of config files, failing on any parse error or warning. */
function clamconf(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fortress-clamconf-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const result = run("clamconf", ["-c", dir]);
    const output = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 0, output);
    // clamconf exits 0 on a parse error and prints it; an unknown option or bad value shows here.
    assert.doesNotMatch(output, /ERROR|WARNING|Parse error|Unknown option/, output);
    return output;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The value clamconf lists for an option of one file's section. */
function listed(output: string, file: string, option: string): string | undefined {
  const section = output.split(/\nConfig file: /).find((part) => part.startsWith(file));
  const line = section?.split("\n").find((candidate) => candidate.startsWith(`${option} `));
  return line?.slice(option.length + 1);
}

describe("clamd.conf, freshclam.conf and the agents' client conf, as clamconf reads them", () => {
  it("parse without a problem and hold the settings that size and expose clamd", () => {
    const output = clamconf({
      "clamd.conf": renderClamdConf({
        databaseDirectory: "/var/lib/clamav",
        temporaryDirectory: "/tmp",
        port: 3310,
      }),
      "freshclam.conf": renderFreshclamConf({ databaseDirectory: "/var/lib/clamav" }),
    });
    assert.equal(listed(output, "clamd.conf", "ConcurrentDatabaseReload"), "disabled");
    assert.equal(listed(output, "clamd.conf", "ExtendedDetectionInfo"), '= "yes"');
    assert.equal(listed(output, "clamd.conf", "TCPSocket"), '= "3310"');
    assert.equal(listed(output, "clamd.conf", "Foreground"), '= "yes"');
    assert.equal(listed(output, "clamd.conf", "SelfCheck"), '= "600"');
    assert.equal(listed(output, "freshclam.conf", "DatabaseMirror"), '= "database.clamav.net"');
    assert.equal(listed(output, "freshclam.conf", "PrivateMirror"), "disabled");
    assert.equal(listed(output, "freshclam.conf", "TestDatabases"), "disabled");
  });

  it("point freshclam at a private mirror instead of the CDN when one is configured", () => {
    const output = clamconf({
      // With clamd.conf beside it: clamconf warns when the two name different database directories.
      "clamd.conf": renderClamdConf({
        databaseDirectory: "/var/lib/clamav",
        temporaryDirectory: "/tmp",
        port: 3310,
      }),
      "freshclam.conf": renderFreshclamConf({
        databaseDirectory: "/var/lib/clamav",
        mirror: "http://clamav-mirror.lab.example:8080/clamav",
      }),
    });
    assert.equal(
      listed(output, "freshclam.conf", "PrivateMirror"),
      '= "http://clamav-mirror.lab.example:8080/clamav"',
    );
    assert.equal(listed(output, "freshclam.conf", "DatabaseMirror"), "disabled");
  });

  it("give clamdscan on an agent the central clamd's address and port", () => {
    const output = clamconf({ "clamd.conf": renderClientConf({ host: "clamd.lab.example", port: 3310 }) });
    assert.equal(listed(output, "clamd.conf", "TCPAddr"), '= "clamd.lab.example"');
    assert.equal(listed(output, "clamd.conf", "TCPSocket"), '= "3310"');
  });

  it("refuse what would break the config line: whitespace in a mirror, a host that is no host", () => {
    assert.throws(() => renderFreshclamConf({ databaseDirectory: "/d", mirror: "http://a b" }));
    assert.throws(() => renderClientConf({ host: "a;b", port: 3310 }));
  });
});

describe("Fortress's signature database", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fortress-hsb-"));
    writeFileSync(join(dir, HASH_DATABASE_FILE), renderHashDatabase());
    writeFileSync(join(dir, "sample.txt"), SAMPLE);
    writeFileSync(join(dir, "twin.txt"), TWIN);
    writeFileSync(join(dir, "eicar.com"), EICAR);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the committed sample and the EICAR file by their real hash and size", () => {
    const byName = new Map(INDICATORS.map((indicator) => [indicator.name, indicator]));
    assert.deepEqual(
      {
        sha256: byName.get("Fortress.Test.WorkedExample")?.sha256,
        size: byName.get("Fortress.Test.WorkedExample")?.size,
      },
      { sha256: sha256(SAMPLE), size: SAMPLE.length },
    );
    assert.deepEqual(
      { sha256: byName.get("Fortress.Test.Eicar")?.sha256, size: byName.get("Fortress.Test.Eicar")?.size },
      { sha256: sha256(EICAR), size: EICAR.length },
    );
    assert.notEqual(sha256(TWIN), sha256(SAMPLE));
    assert.equal(TWIN.length, SAMPLE.length);
  });

  it("makes the real clamscan, with only this database, find the sample and EICAR and pass the clean twin", () => {
    const result = run(
      "clamscan",
      ["--no-summary", "-d", join(dir, HASH_DATABASE_FILE), "sample.txt", "twin.txt", "eicar.com"],
      {
        cwd: dir,
      },
    );
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`); // 1: a virus was found
    assert.deepEqual(result.stdout.trim().split("\n").sort(), [
      "eicar.com: Fortress.Test.Eicar.UNOFFICIAL FOUND",
      "sample.txt: Fortress.Test.WorkedExample.UNOFFICIAL FOUND",
      "twin.txt: OK",
    ]);
  });
});

/** One run of the active response: the AR message in, check_keys out, `reply` in. */
function runActiveResponse(
  script: string,
  message: unknown,
  reply: string | undefined,
): { status: number | null; stdout: string; stderr: string } {
  const input = `${JSON.stringify(message)}\n${reply === undefined ? "" : `${reply}\n`}`;
  const result = run("sh", [script], { input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The message wazuh-execd writes (src/os_execd/execd.c ExecdRun) for a FIM alert (rule 554) on `path`. */
function fimMessage(command: "add" | "delete", path: string) {
  return {
    version: 1,
    origin: { name: "node01", module: "wazuh-execd" },
    command,
    parameters: {
      extra_args: [],
      alert: {
        timestamp: "2026-11-30T12:00:00.000+0000",
        rule: { level: 5, description: "File added to the system.", id: "554" },
        agent: { id: "003", name: "workstation-1", ip: "10.0.40.21" },
        syscheck: { path, mode: "realtime", event: "added", size_after: "202" },
        location: "syscheck",
      },
      program: "active-response/bin/fortress-clamdscan",
    },
  };
}

const CONTINUE = JSON.stringify({
  version: 1,
  origin: { name: "node01", module: "wazuh-execd" },
  command: "continue",
  parameters: {},
});
const ABORT = JSON.stringify({
  version: 1,
  origin: { name: "node01", module: "wazuh-execd" },
  command: "abort",
  parameters: {},
});

describe("a real clamd on loopback, and fortress-clamdscan streaming files to it", () => {
  let dir = "";
  let clamd: Daemon | undefined;
  let port = 0;
  let script = "";
  let detectionLog = "";
  let arLog = "";
  const files: Record<string, string> = {};
  /** The line the script logged for the sample. */
  let detectionLine = "";

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fortress-clamd-"));
    const db = join(dir, "db");
    const tmp = join(dir, "tmp");
    run("mkdir", ["-p", db, tmp, join(dir, "Downloads")]);
    writeFileSync(join(db, HASH_DATABASE_FILE), renderHashDatabase());
    port = await freePort();
    writeFileSync(
      join(dir, "clamd.conf"),
      renderClamdConf({
        databaseDirectory: db,
        temporaryDirectory: tmp,
        port,
        listen: ["127.0.0.1"],
        streamMaxLength: "1M",
      }),
    );
    writeFileSync(join(dir, "client.conf"), renderClientConf({ host: "127.0.0.1", port }));
    detectionLog = join(dir, "fortress-clamd.log");
    arLog = join(dir, "active-responses.log");
    script = join(dir, "fortress-clamdscan");
    writeFileSync(
      script,
      renderActiveResponseScript({
        clientConf: join(dir, "client.conf"),
        detectionLog,
        activeResponseLog: arLog,
        timeoutSeconds: 30,
        maxBytes: 1024 * 1024,
      }),
    );
    chmodSync(script, 0o750);
    files.sample = join(dir, "Downloads", "invoice_2026.txt");
    files.twin = join(dir, "Downloads", "twin.txt");
    files.big = join(dir, "Downloads", "big.iso");
    writeFileSync(files.sample, SAMPLE);
    writeFileSync(files.twin, TWIN);
    writeFileSync(files.big, Buffer.alloc(1024 * 1024 + 1));
    clamd = await startDaemon(CLAMD, [`--config-file=${join(dir, "clamd.conf")}`]);
    // Up when it answers PING (clamd/session.c CMD1 "PING" → "PONG").
    for (let attempt = 0; attempt < 120; attempt++) {
      const ping = run("clamdscan", ["--ping", "1", `--config-file=${join(dir, "client.conf")}`]);
      if (ping.status === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  after(async () => {
    await clamd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the script passes shellcheck", () => {
    const result = run("shellcheck", ["-s", "sh", script]);
    assert.equal(result.status, 0, result.stdout);
  });

  it("clamdscan --stream gets the detection from clamd", () => {
    const result = run("clamdscan", [
      "--stream",
      "--no-summary",
      `--config-file=${join(dir, "client.conf")}`,
      files.sample!,
    ]);
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.equal(result.stdout.trim(), `${files.sample}: Fortress.Test.WorkedExample.UNOFFICIAL FOUND`);
  });

  it("clamdscan does not fall back to a second TCPAddr: the agents get one clamd address", () => {
    // 127.0.0.2 is loopback too, but clamd listens on 127.0.0.1 only: the first address refuses.
    const twoAddresses = join(dir, "two-addresses.conf");
    writeFileSync(twoAddresses, `TCPSocket ${port}\nTCPAddr 127.0.0.2\nTCPAddr 127.0.0.1\n`);
    const result = run("clamdscan", [
      "--stream",
      "--no-summary",
      `--config-file=${twoAddresses}`,
      files.sample!,
    ]);
    assert.equal(result.status, 2, `${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /Could not connect to clamd on 127\.0\.0\.2/);
  });

  it("answers check_keys with the file, scans on continue and logs clamd's line, which Wazuh decodes into rule 52502", () => {
    const result = runActiveResponse(script, fimMessage("add", files.sample!), CONTINUE);
    assert.equal(result.status, 0, result.stderr);
    const keys = JSON.parse(result.stdout.trim()) as { command: string; parameters: { keys: string[] } };
    assert.equal(keys.command, "check_keys");
    assert.deepEqual(keys.parameters.keys, [files.sample]);

    const lines = readFileSync(detectionLog, "utf8").trim().split("\n");
    assert.equal(lines.length, 1);
    detectionLine = lines[0]!;
    const event = preDecode(lines[0]!);
    assert.ok(event, lines[0]);
    assert.equal(event.programName, "clamd");
    const decoded = decode(DECODERS, event);
    assert.deepEqual(decoded, {
      decoder: "clamd-found",
      decodedAs: "clamd",
      fields: { url: files.sample, extra_data: "Fortress.Test.WorkedExample.UNOFFICIAL", id: md5(SAMPLE) },
    });
    const rule = matchRules(RULES, event, decoded);
    assert.equal(rule?.id, "52502");
    assert.equal(rule?.level, 8);
    assert.ok(rule?.groups.includes("virus"));
    assert.match(readFileSync(arLog, "utf8"), /FOUND/);
  });

  it("logs nothing to Wazuh for the clean twin", () => {
    writeFileSync(detectionLog, "");
    const result = runActiveResponse(script, fimMessage("add", files.twin!), CONTINUE);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(detectionLog, "utf8"), "");
    assert.match(readFileSync(arLog, "utf8"), /twin\.txt: OK/);
  });

  it("does nothing on delete, on abort, or for a file already gone", () => {
    writeFileSync(detectionLog, "");
    assert.equal(runActiveResponse(script, fimMessage("delete", files.sample!), undefined).status, 0);
    assert.equal(runActiveResponse(script, fimMessage("add", files.sample!), ABORT).status, 0);
    assert.equal(
      runActiveResponse(script, fimMessage("add", join(dir, "Downloads", "gone.exe")), CONTINUE).status,
      0,
    );
    assert.equal(readFileSync(detectionLog, "utf8"), "");
    const trace = readFileSync(arLog, "utf8");
    assert.match(trace, /delete: nothing to undo/);
    assert.match(trace, /abort/);
    assert.match(trace, /gone\.exe is gone before the scan/);
  });

  it("refuses a message that is not a 4.x active response, or an alert without a file", () => {
    assert.equal(runActiveResponse(script, { command: "enable" }, undefined).status, 1);
    const noPath = fimMessage("add", "");
    assert.equal(runActiveResponse(script, noPath, CONTINUE).status, 1);
    assert.match(readFileSync(arLog, "utf8"), /names no file/);
  });

  it("reports a file larger than clamd accepts as a clamd warning (rule 52504)", () => {
    writeFileSync(detectionLog, "");
    assert.equal(runActiveResponse(script, fimMessage("add", files.big!), CONTINUE).status, 0);
    const event = preDecode(readFileSync(detectionLog, "utf8").trim());
    assert.ok(event);
    assert.equal(matchRules(RULES, event, decode(DECODERS, event))?.id, "52504");
  });

  it("reports clamd down as a clamd error (rule 52503), so an unscanned file is seen", async () => {
    await clamd!.stop();
    // clamd logged each INSTREAM detection as "instream(<peer>@<port>): <Name>(<md5>:<size>) FOUND"
    // (clamd/scanner.c): no file name, which is why the agent logs it; the rest is what the script wrote.
    const logged = clamd!.output().match(/instream\(127\.0\.0\.1@\d+\): (\S+\(\S+:\d+\) FOUND)/);
    assert.ok(logged, clamd!.output());
    assert.equal(`${files.sample}: ${logged[1]}`, detectionLine.replace(/^.* clamd\[\d+\]: /, ""));
    writeFileSync(detectionLog, "");
    assert.equal(runActiveResponse(script, fimMessage("add", files.sample!), CONTINUE).status, 0);
    const line = readFileSync(detectionLog, "utf8").trim();
    assert.match(
      line,
      /clamd\[\d+\]: ERROR: fortress-clamdscan could not scan .* Could not connect to clamd/,
    );
    const event = preDecode(line);
    assert.ok(event);
    const rule = matchRules(RULES, event, decode(DECODERS, event));
    assert.equal(rule?.id, "52503");
    assert.equal(rule?.level, 10);
    assert.ok(existsSync(arLog));
  });
});

describe("the Wazuh configuration that wires the script", () => {
  it("the manager's ossec.conf (xmllint) runs the script by its file name, on the agent, for FIM rules 554 and 550", () => {
    const manager = renderOssecConf({
      syslogAllowedIps: ["10.0.20.1"],
      indexerHosts: ["https://indexer.lab.example:9200"],
      commands: DEFAULT_COMMANDS,
      activeResponses: DEFAULT_ACTIVE_RESPONSES,
      feedUpdateInterval: "60m",
    });
    for (const xml of [manager, DETECTION_LOG_LOCALFILE]) {
      const result = run("xmllint", ["--noout", "-"], { input: xml });
      assert.equal(result.status, 0, result.stderr);
    }
    // execd runs active-response/bin/<executable>: the script's file name on the agent.
    const command = manager.match(
      /<command>\s*<name>fortress-clamdscan<\/name>\s*<executable>([^<]+)<\/executable>/,
    );
    assert.ok(command, "a <command> named fortress-clamdscan");
    assert.equal(command[1], CLAMDSCAN_COMMAND);
    assert.ok(AGENT_PATHS.script.endsWith(`/${command[1]}`));
    const response = manager.match(/<active-response>([\s\S]*?)<\/active-response>/g) ?? [];
    const scan = response.find((block) => block.includes(`<command>${CLAMDSCAN_COMMAND}</command>`));
    assert.ok(scan, "an <active-response> for the script");
    assert.match(scan, /<location>local<\/location>/);
    assert.match(scan, /<rules_id>554,550<\/rules_id>/);
    assert.match(DETECTION_LOG_LOCALFILE, new RegExp(`<location>${AGENT_PATHS.detectionLog}</location>`));
    assert.match(DETECTION_LOG_LOCALFILE, /<log_format>syslog<\/log_format>/);
  });
});

describe("Wazuh's clamd decoder on the line clamd itself would log (v4.14.6 sample)", () => {
  it("decodes the sample in the decoder file's own comment into url, extra_data and id", () => {
    const line =
      "Nov 18 16:51:04 hostname clamd[511]: /usr/share/clamav-testfiles/clam.arj: ClamAV-Test-File(f58327b03afd2a727c3329ba3c0947a7:393) FOUND";
    const event = preDecode(line);
    assert.ok(event);
    assert.deepEqual(decode(DECODERS, event)?.fields, {
      url: "/usr/share/clamav-testfiles/clam.arj",
      extra_data: "ClamAV-Test-File",
      id: "f58327b03afd2a727c3329ba3c0947a7",
    });
    assert.equal(matchRules(RULES, event, decode(DECODERS, event))?.id, "52502");
  });

  it("does not fire 52502 for another program, or for clamd without FOUND", () => {
    const other = preDecode("Nov 18 16:51:04 host clamav-scan[1]: /x: Eicar(abc:1) FOUND");
    assert.ok(other);
    assert.equal(decode(DECODERS, other), undefined);
    const plain = preDecode("Nov 18 16:51:04 host clamd[1]: SelfCheck: Database status OK.");
    assert.ok(plain);
    assert.equal(matchRules(RULES, plain, decode(DECODERS, plain))?.id, "52500");
  });
});
