/**
 * What each enrolled VM needs to scan on the lab's clamd: the `fortress-clamdscan` script and the
 * clamdscan client config pointing at the central clamd, rendered for AGENT_PATHS. The enrollment
 * script (../enrollScript.ts) installs them with Debian's clamdscan; agent.conf reads the detection log.
 */
import { AGENT_PATHS, renderActiveResponseScript } from "./activeResponse";
import { renderClientConf } from "./config";
import { AGENT_MAX_STREAM_BYTES, AGENT_SCAN_TIMEOUT_SECONDS } from "./pins";

export interface ClamavAgentFiles {
  /** AGENT_PATHS.script: root:wazuh 0750, as the agent package installs its own active responses. */
  readonly script: string;
  /** AGENT_PATHS.clientConf. */
  readonly clientConf: string;
}

export function clamavAgentFiles(clamd: { host: string; port: number }): ClamavAgentFiles {
  return {
    script: renderActiveResponseScript({
      clientConf: AGENT_PATHS.clientConf,
      detectionLog: AGENT_PATHS.detectionLog,
      activeResponseLog: AGENT_PATHS.activeResponseLog,
      timeoutSeconds: AGENT_SCAN_TIMEOUT_SECONDS,
      maxBytes: AGENT_MAX_STREAM_BYTES,
      clamdscan: "/usr/bin/clamdscan",
    }),
    clientConf: renderClientConf(clamd),
  };
}
