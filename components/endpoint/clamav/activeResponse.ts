/**
 * `fortress-clamdscan`: the agent-side active response that scans, on the central clamd, a file that
 * file integrity monitoring saw appear or change, and logs a detection the way clamd itself logs one,
 * so that Wazuh's stock `clamd` decoder and rule 52502 ("ClamAV: Virus detected") fire for the agent
 * that holds the file.
 *
 * Why this path: clamd runs in a pod, so its own log never reaches the agents' syslog, and a line it
 * logs names `stream(<peer>@<port>)`, not the file (Cisco-Talos/clamav@clamav-1.4.5 clamd/scanner.c).
 * The agent knows the file; clamd knows the verdict; clamdscan `--stream` hands clamd the bytes and
 * prints clamd's reply after the file's name (clamdscan/proto.c: `logg("%s%s\n", filename, colon)`):
 * `<path>: <Name> FOUND`. clamd's own log form, the one Wazuh's `clamd-found` decoder needs
 * (`(\S+):\s+(\S+)\((\S+):`), is `<path>: <Name>(<md5>:<size>) FOUND` (clamd/scanner.c, with
 * `ExtendedDetectionInfo yes`); clamd puts the hash in its reply only when its hash callback ran, which
 * for a hash-database match it does not (observed with clamd 1.4.6: the reply has no hash), so the
 * script adds the file's MD5 and size itself when they are missing. It writes that line, behind a
 * syslog header with program name `clamd`, to a file the agent reads as `syslog`
 * (DETECTION_LOG_LOCALFILE), so no rsyslog is needed on the VM.
 *
 * Protocol (Wazuh 4.x execd, wazuh/wazuh@v4.14.6 src/os_execd/execd.c `ExecdRun` and
 * src/active-response/active_responses.c): execd writes one JSON line (`command` "add" or "delete",
 * `parameters.alert` the alert), then waits for one line back; a stateful script answers
 * `{"command":"check_keys","parameters":{"keys":[...]}}` and reads `continue` or `abort` (abort: the
 * same keys are already under a timeout). execd waits for the script to exit (`wpclose` → waitpid), so
 * the scan is bounded by `timeout`. A FIM alert carries the file in `parameters.alert.syscheck.path`.
 *
 * Outcomes, all also written to active-responses.log:
 * - FOUND: the clamd line above (rule 52502, level 8);
 * - clamd unreachable, a scan error or a timeout: `ERROR: ...` as program clamd (rule 52503, level 10,
 *   "Clamd error"): a file went unscanned, and the SIEM says so;
 * - larger than clamd accepts: `WARNING: ...` (rule 52504, level 7);
 * - clean, gone before the scan (a temporary file), not a regular file, `delete`: active-responses.log only.
 *
 * JSON is read with python3, which every Debian cloud image has (cloud-init depends on it).
 */
import { CLAMDSCAN_COMMAND } from "../../../vocabulary/agents";

export interface ActiveResponseOptions {
  /** clamd.conf for clamdscan (config.ts `renderClientConf`): where the central clamd is. */
  readonly clientConf: string;
  /** The syslog-format file the agent reads (DETECTION_LOG_LOCALFILE). */
  readonly detectionLog: string;
  /** The script's own trace (Wazuh's active-responses.log). */
  readonly activeResponseLog: string;
  /** Seconds a scan may take before it counts as failed. */
  readonly timeoutSeconds: number;
  /** Largest file sent, in bytes: clamd's StreamMaxLength. */
  readonly maxBytes: number;
  /** The clamdscan binary (Debian 12: /usr/bin/clamdscan, package clamdscan). */
  readonly clamdscan?: string;
}

/** Where the agent's files go on a Debian VM (Wazuh's layout under /var/ossec). */
export const AGENT_PATHS = {
  script: `/var/ossec/active-response/bin/${CLAMDSCAN_COMMAND}`,
  clientConf: "/var/ossec/etc/fortress-clamdscan.conf",
  detectionLog: "/var/ossec/logs/fortress-clamd.log",
  activeResponseLog: "/var/ossec/logs/active-responses.log",
} as const;

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The script after its settings: fixed text, so the renderer only fills in the settings above it. */
const SCRIPT_BODY = `NAME=${CLAMDSCAN_COMMAND}

trace() {
  printf '%s %s: %s\\n' "$(date '+%Y/%m/%d %H:%M:%S')" "$NAME" "$1" >>"$AR_LOG"
}

# One line as clamd writes it to syslog: "Mon dd hh:mm:ss host clamd[pid]: message".
clamd_log() {
  printf '%s %s clamd[%s]: %s\\n' "$(LC_ALL=C date '+%b %e %H:%M:%S')" "$(hostname)" "$$" "$1" >>"$DETECTION_LOG"
}

# json_get FIELD...: the string at that path of the JSON on stdin, or nothing.
json_get() {
  python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1:]:
    value = value.get(key) if isinstance(value, dict) else None
if isinstance(value, str) and "\\n" not in value:
    sys.stdout.write(value)
' "$@"
}

check_keys() {
  python3 -c '
import json, sys
print(json.dumps({"version": 1, "origin": {"name": "${CLAMDSCAN_COMMAND}", "module": "active-response"},
                  "command": "check_keys", "parameters": {"keys": [sys.argv[1]]}}))
' "$1"
}

IFS= read -r message || { trace "no message on stdin"; exit 1; }
command=$(printf '%s' "$message" | json_get command 2>/dev/null) || command=""
case "$command" in
  add) ;;
  delete)
    trace "delete: nothing to undo (a scan changes nothing on the host)"
    exit 0
    ;;
  *)
    trace "not a Wazuh 4.x active response message (command '$command')"
    exit 1
    ;;
esac

path=$(printf '%s' "$message" | json_get parameters alert syscheck path 2>/dev/null) || path=""
if [ -z "$path" ]; then
  trace "the alert names no file (parameters.alert.syscheck.path): bind this response to FIM rules only"
  exit 1
fi

check_keys "$path"
IFS= read -r reply || { trace "execd sent no continue/abort for $path"; exit 1; }
case "$(printf '%s' "$reply" | json_get command 2>/dev/null)" in
  continue) ;;
  *)
    trace "execd said abort for $path: already scanned within the timeout"
    exit 0
    ;;
esac

if [ ! -e "$path" ] && [ ! -L "$path" ]; then
  trace "$path is gone before the scan: nothing to send"
  exit 0
fi
if [ -L "$path" ] || [ ! -f "$path" ]; then
  trace "$path is not a regular file: not scanned"
  exit 0
fi
size=$(wc -c <"$path" 2>/dev/null) || size=""
size=$(printf '%s' "$size" | tr -d ' ')
if [ -z "$size" ]; then
  clamd_log "ERROR: $NAME could not read $path"
  trace "could not read $path"
  exit 1
fi
if [ "$size" -gt "$MAX_BYTES" ]; then
  clamd_log "WARNING: $NAME did not scan $path: $size bytes, more than clamd's StreamMaxLength ($MAX_BYTES)"
  trace "$path not scanned: $size bytes > $MAX_BYTES"
  exit 0
fi

output=$(timeout "$TIMEOUT" "$CLAMDSCAN" --stream --no-summary --config-file="$CLIENT_CONF" -- "$path" 2>&1)
status=$?
case "$status" in
  0)
    trace "$path: OK"
    ;;
  1)
    # clamdscan prints "<path>: <Name> FOUND", with "(<md5>:<size>)" after the name only when clamd
    # had them; clamd's log form always has them, so they are added here when missing.
    md5=$(md5sum <"$path" 2>/dev/null | cut -d' ' -f1)
    printf '%s\\n' "$output" | while IFS= read -r line; do
      case "$line" in
        "$path: "*" FOUND")
          signature=\${line#"$path: "}
          signature=\${signature% FOUND}
          case "$signature" in
            *"("*) ;;
            *) signature="$signature($md5:$size)" ;;
          esac
          clamd_log "$path: $signature FOUND"
          ;;
        *) ;;
      esac
    done
    trace "$path: FOUND"
    ;;
  124)
    clamd_log "ERROR: $NAME timed out after \${TIMEOUT}s scanning $path on the central clamd"
    trace "$path: timed out after \${TIMEOUT}s"
    ;;
  *)
    reason=$(printf '%s' "$output" | tr '\\n' ' ' | sed 's/ *$//')
    clamd_log "ERROR: $NAME could not scan $path on the central clamd: $reason"
    trace "$path: clamdscan exit $status: $reason"
    ;;
esac
exit 0
`;

export function renderActiveResponseScript(options: ActiveResponseOptions): string {
  if (!Number.isInteger(options.timeoutSeconds) || options.timeoutSeconds < 1) {
    throw new Error("timeoutSeconds must be a whole number of seconds");
  }
  if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1) throw new Error("maxBytes must be bytes");
  return `#!/bin/sh
# ${CLAMDSCAN_COMMAND}: Wazuh active response; scans the file an FIM alert names on Fortress's central
# clamd and logs the verdict as clamd does. Rendered by Fortress
# (components/endpoint/clamav/activeResponse.ts); do not edit.
set -u

CLIENT_CONF=${shellQuote(options.clientConf)}
DETECTION_LOG=${shellQuote(options.detectionLog)}
AR_LOG=${shellQuote(options.activeResponseLog)}
TIMEOUT=${options.timeoutSeconds}
MAX_BYTES=${options.maxBytes}
CLAMDSCAN=${shellQuote(options.clamdscan ?? "clamdscan")}
${SCRIPT_BODY}`;
}

/**
 * The agent's `<localfile>` for the detection log (ossec.conf / agent.conf), read as syslog so that
 * analysisd's pre-decoder takes `clamd` as the program name (wazuh/wazuh@v4.14.6
 * src/analysisd/cleanevent.c `OS_CleanMSG`).
 */
export const DETECTION_LOG_LOCALFILE = `<localfile>
  <log_format>syslog</log_format>
  <location>${AGENT_PATHS.detectionLog}</location>
</localfile>`;
