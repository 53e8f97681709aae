/**
 * The containment's audit as alerts (issue 14): the rules for fortress-contain's lines in
 * active-responses.log (children of the ruleset's 650) and for its syslog messages (the local decoder
 * below, then twins of the same rules), so every caller's action raises the same alert.
 */
import type { LocalRule } from "./localRule";
import { el, serialize } from "./xml";

/** A pcre2 field match of a local rule. */
const field = (name: string, pattern: string) => ({ name, pattern, pcre2: true });

/**
 * The containment's audit as alerts. fortress-contain and its active response write each action to
 * active-responses.log as `<date> active-response/bin/fortress-contain[-ar]: {"fortress":{...}}`, which
 * the ruleset's ar_log_json decoder reads as JSON (ruleset/decoders/0010-active-response_decoders.xml)
 * and its rule 650 (level 0, "Active Response JSON Messages Grouped": ruleset/rules/0015-ossec_rules.xml)
 * takes; these children make each contain, refusal, release, failure and rescan an alert. They exclude
 * each other (one action and result each), so no order among siblings decides. None of them may be in
 * CONTAIN_RULES (containResponse refuses them).
 */
export const CONTAIN_AUDIT_RULES: readonly LocalRule[] = [
  {
    id: 100210,
    level: 10,
    ifSid: 650,
    fields: [field("fortress.action", "^add$"), field("fortress.result", "^contained$")],
    description: "Fortress: $(fortress.address) contained in the quarantine by $(fortress.by)",
    groups: ["fortress", "containment"],
  },
  {
    id: 100211,
    level: 5,
    ifSid: 650,
    fields: [field("fortress.action", "^add$"), field("fortress.result", "^already contained$")],
    description: "Fortress: $(fortress.address) already contained, kept contained ($(fortress.by))",
    groups: ["fortress", "containment"],
  },
  {
    id: 100212,
    level: 10,
    ifSid: 650,
    fields: [field("fortress.result", "^refused$")],
    description: "Fortress: containment of $(fortress.address) refused: $(fortress.detail)",
    groups: ["fortress", "containment"],
  },
  {
    id: 100213,
    level: 8,
    ifSid: 650,
    fields: [field("fortress.action", "^delete$"), field("fortress.result", "^released$")],
    description: "Fortress: $(fortress.address) released from the quarantine by $(fortress.by)",
    groups: ["fortress", "containment"],
  },
  {
    id: 100214,
    level: 12,
    ifSid: 650,
    fields: [
      field("fortress.action", "^(add|delete|kill_states|reconcile|expire)$"),
      field("fortress.result", "^(failed|transient)$"),
    ],
    description: "Fortress: containment $(fortress.action) of $(fortress.address) failed: $(fortress.detail)",
    groups: ["fortress", "containment"],
  },
  {
    id: 100215,
    level: 5,
    ifSid: 650,
    fields: [field("fortress.action", "^add$"), field("fortress.result", "^skipped$")],
    description: "Fortress: an alert's host was not contained: $(fortress.detail)",
    groups: ["fortress", "containment"],
  },
  {
    id: 100216,
    level: 5,
    ifSid: 650,
    fields: [field("fortress.action", "^rescan$"), field("fortress.result", "^(started|already running)$")],
    description: "Fortress: Greenbone rescan of $(fortress.target) after containing $(fortress.address)",
    groups: ["fortress", "containment", "vulnerability-scan"],
  },
  {
    id: 100217,
    level: 8,
    ifSid: 650,
    fields: [field("fortress.action", "^rescan$"), field("fortress.result", "^(failed|skipped)$")],
    description: "Fortress: no Greenbone rescan after containing $(fortress.address): $(fortress.detail)",
    groups: ["fortress", "containment", "vulnerability-scan"],
  },
  {
    // The expire timer found a recorded, unexpired host missing from the quarantine table (the
    // firewall rebooted: opnsense/core@26.7.2 filter.inc loads an external alias empty) and put it back.
    id: 100218,
    level: 10,
    ifSid: 650,
    fields: [field("fortress.action", "^reconcile$"), field("fortress.result", "^restored$")],
    description:
      "Fortress: $(fortress.address) was missing from the quarantine table and was put back ($(fortress.detail))",
    groups: ["fortress", "containment"],
  },
];

/**
 * The decoder of the containment's syslog messages. The responder (Cortex) and the playbook send
 * `<date> <host> fortress-contain: {"fortress":{...}}` to the manager's remoted; Wazuh's pre-decoder
 * takes `fortress-contain` as the program name, and analysisd tries only decoders with a program_name
 * on such an event (wazuh/wazuh@v4.14.6 src/analysisd/decoders/decoders_list.c, decoder.c
 * DecodeEvent), so the ruleset's generic `json` decoder never takes it first. A parent by program name
 * and a JSON_Decoder child after it, as the ruleset writes it (ruleset/decoders/0460-kaspersky_decoders.xml
 * kes_parent/kes_child, 0575-eset-remote_decoders.xml), in etc/decoders/local_decoder.xml (the
 * package's etc/local_decoder.xml, ossec.conf `<decoder_dir>etc/decoders</decoder_dir>`).
 */
export const CONTAIN_DECODER = { name: "fortress-contain", programName: "fortress-contain" } as const;

/** The parent of the syslog twins: every event the decoder above decoded (level 0, as 650 is). */
export const CONTAIN_SYSLOG_PARENT = 100220;

/**
 * The same alerts as CONTAIN_AUDIT_RULES for the syslog messages: one twin of each (its id + 20) under
 * CONTAIN_SYSLOG_PARENT, with the same fields, so an action of the responder or the playbook raises
 * what the same action of the active response raises.
 */
export const CONTAIN_SYSLOG_RULES: readonly LocalRule[] = [
  {
    id: CONTAIN_SYSLOG_PARENT,
    level: 0,
    decodedAs: CONTAIN_DECODER.name,
    description: "Fortress: containment audit messages (syslog) grouped",
    groups: ["fortress", "containment"],
  },
  ...CONTAIN_AUDIT_RULES.map((rule) => ({ ...rule, id: rule.id + 20, ifSid: CONTAIN_SYSLOG_PARENT })),
];

/** /var/ossec/etc/decoders/local_decoder.xml: Fortress's decoders (ruleset decoders syntax). */
export function renderLocalDecoders(): string {
  const { name, programName } = CONTAIN_DECODER;
  const decoders = [
    el("decoder", [el("program_name", `^${programName}$`)], { name }),
    el("decoder", [el("parent", name), el("plugin_decoder", "JSON_Decoder", { offset: "after_parent" })], {
      name: `${name}-json`,
    }),
  ];
  return `<!-- Rendered by Fortress (components/siem/manager/ossecConf.ts). -->\n${decoders.map((decoder) => serialize(decoder)).join("\n")}\n`;
}
