/**
 * A real clamd on loopback (Debian's clamav-daemon) with Fortress's signature database alone, the
 * agents' clamdscan client configuration, and Fortress's `fortress-clamdscan` active response rendered
 * to use them: the endpoint layer's detection path (components/endpoint/clamav/README.md) run for real.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderActiveResponseScript } from "../../components/endpoint/clamav/activeResponse";
import { renderClamdConf, renderClientConf } from "../../components/endpoint/clamav/config";
import { HASH_DATABASE_FILE, renderHashDatabase } from "../../components/endpoint/clamav/indicators";
import { CLAMD, freePort, startDaemon } from "../../test/support/debianTools";
import type { CommandResult } from "../endpoints";
import { execdAnswer } from "../wazuh";
import { runProcess } from "./proc";

export interface Clamd {
  /** The agent's clamd-format detection log (what the agent reads as syslog). */
  readonly detectionLog: string;
  /** Runs fortress-clamdscan with an execd message, answering its check_keys with continue. */
  activeResponse(message: string): Promise<CommandResult>;
  stop(): Promise<void>;
}

export async function startClamd(dir: string): Promise<Clamd> {
  const db = join(dir, "db");
  mkdirSync(db, { recursive: true });
  mkdirSync(join(dir, "tmp"), { recursive: true });
  writeFileSync(join(db, HASH_DATABASE_FILE), renderHashDatabase());
  const port = await freePort();
  const clientConf = join(dir, "client.conf");
  writeFileSync(
    join(dir, "clamd.conf"),
    renderClamdConf({
      databaseDirectory: db,
      temporaryDirectory: join(dir, "tmp"),
      port,
      listen: ["127.0.0.1"],
      streamMaxLength: "1M",
    }),
  );
  writeFileSync(clientConf, renderClientConf({ host: "127.0.0.1", port }));
  const detectionLog = join(dir, "fortress-clamd.log");
  writeFileSync(detectionLog, "");
  const script = join(dir, "fortress-clamdscan");
  writeFileSync(
    script,
    renderActiveResponseScript({
      clientConf,
      detectionLog,
      activeResponseLog: join(dir, "active-responses.log"),
      timeoutSeconds: 30,
      maxBytes: 1024 * 1024,
    }),
  );
  chmodSync(script, 0o750);
  const daemon = await startDaemon(CLAMD, [`--config-file=${join(dir, "clamd.conf")}`]);
  // Up when it answers PING (clamd/session.c: "PING" → "PONG").
  for (let attempt = 0; ; attempt++) {
    const ping = await runProcess("clamdscan", ["--ping", "1", `--config-file=${clientConf}`]);
    if (ping.code === 0) break;
    if (attempt >= 240) {
      await daemon.stop();
      throw new Error(`clamd did not start: ${daemon.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    detectionLog,
    activeResponse: (message) =>
      runProcess("sh", [script], {
        input: message,
        onLine: (_line, write) => write(execdAnswer(message, "continue")),
      }),
    stop: () => daemon.stop(),
  };
}
