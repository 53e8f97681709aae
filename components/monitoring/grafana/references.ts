/**
 * What the dashboards may refer to, each with where it comes from: the Wazuh indexer's alert fields
 * (the template Filebeat loads, and the fields Wazuh's JSON decoder adds under `data.` for the
 * streams the lab sends it), the labels the lab's shippers put on Loki streams, and the streams' values.
 * Metric names are the monitoring layer's catalogue's (components/monitoring/metrics), not listed here.
 */
import { FIREWALL_SENDER, LOKI_LABELS, lokiLabelValue, SYSLOG_STREAM } from "../logs/aggregatorConfig";

/** Wazuh 4.14's alert template (the `wazuh` legacy template Filebeat loads on the indexer). */
const TEMPLATE = "wazuh/wazuh@v4.14.6:extensions/elasticsearch/7.x/wazuh-template.json";

export interface FieldRef {
  readonly field: string;
  /** "keyword" for terms, "long" for ranges, "date" for the time field. */
  readonly type: "keyword" | "long" | "date";
  readonly source: string;
}

/**
 * The alert fields the dashboards query. Fields under `data.` that the template does not list are
 * mapped by its dynamic template `string_as_keyword` (every string a keyword), numbers as long.
 */
export const ALERT_FIELDS: readonly FieldRef[] = [
  { field: "timestamp", type: "date", source: `${TEMPLATE} mappings.properties.timestamp (date)` },
  { field: "rule.level", type: "long", source: `${TEMPLATE} rule.level (long)` },
  { field: "rule.id", type: "keyword", source: `${TEMPLATE} rule.id (keyword)` },
  { field: "rule.description", type: "keyword", source: `${TEMPLATE} rule.description (keyword)` },
  { field: "rule.groups", type: "keyword", source: `${TEMPLATE} rule.groups (keyword)` },
  { field: "agent.name", type: "keyword", source: `${TEMPLATE} agent.name (keyword)` },
  { field: "syscheck.event", type: "keyword", source: `${TEMPLATE} syscheck.event (keyword)` },
  { field: "syscheck.path", type: "keyword", source: `${TEMPLATE} syscheck.path (keyword)` },
  {
    field: "data.vulnerability.severity",
    type: "keyword",
    source: `${TEMPLATE} data.vulnerability.severity (keyword); ruleset/rules/0520-vulnerability-detector_rules.xml 23503-23506 read it`,
  },
  {
    field: "data.vulnerability.status",
    type: "keyword",
    source: `${TEMPLATE} data.vulnerability.status (keyword); values Active/Solved/Clear in 0520-vulnerability-detector_rules.xml`,
  },
  {
    field: "data.alert.category",
    type: "keyword",
    source:
      "Suricata EVE decoded by Wazuh's json decoder (wazuh/wazuh@v4.14.6:ruleset/rules/0475-suricata_rules.xml sample), dynamic string_as_keyword",
  },
  {
    field: "data.alert.signature",
    type: "keyword",
    source: "as data.alert.category (0475-suricata_rules.xml sample; rule 86601 names $(alert.signature))",
  },
  {
    field: "data.fortress.address",
    type: "keyword",
    source:
      "fortress-contain's audit JSON {fortress:{action,address,result,by,reason,detail}} (components/response/containment/fortress-contain.py `log`), decoded by ar_log_json or CONTAIN_DECODERS",
  },
  { field: "data.fortress.reason", type: "keyword", source: "as data.fortress.address (`reason`)" },
  { field: "data.fortress.by", type: "keyword", source: "as data.fortress.address (`by`)" },
];

export const ALERT_FIELD_NAMES: ReadonlySet<string> = new Set(ALERT_FIELDS.map((entry) => entry.field));

/** The indexer's alert indices the Grafana data source reads (Filebeat's index prefix plus the day). */
export const ALERT_INDEX_PATTERN = "wazuh-alerts-4.x-*";
/** The time field of Wazuh's alerts. */
export const ALERT_TIME_FIELD = "timestamp";

/** The labels the lab's Vector aggregator puts on Loki streams (components/monitoring/logs). */
export { LOKI_LABELS };
export type LokiLabel = (typeof LOKI_LABELS)[number];

/**
 * OPNsense's syslog in Loki (its pf `filterlog` lines among it): the aggregator's syslog stream from
 * its firewall sender, each label value prefixed as the aggregator writes it (aggregatorConfig.ts).
 */
export const FIREWALL_LOG_SELECTOR = `{stream=${JSON.stringify(lokiLabelValue(SYSLOG_STREAM))}, host=${JSON.stringify(
  lokiLabelValue(FIREWALL_SENDER),
)}}`;

/**
 * OPNsense's pf log line for IPv4: `filterlog[pid]: ` then rulenr, subrulenr, anchorname, rid,
 * interface, reason, action, dir, ipversion, tos, ecn, ttl, id, offset, ipflags, protonum, protoname,
 * length, src, dst (opnsense/core@26.7.2:src/opnsense/scripts/filter/read_log.py `fields_general`,
 * `fields_ipv4`). A LogQL `regexp` (RE2) that names interface, action, dir, src and dst. Vector's syslog
 * source takes `filterlog[pid]:` apart (appname, procid), so the fields start the event's `message`,
 * which the Loki sink writes as JSON (`encoding.codec: json`): the pattern starts there.
 */
export const FILTERLOG_IPV4_REGEXP =
  '"message":"[^,]*,[^,]*,[^,]*,[^,]*,(?P<interface>[^,]*),[^,]*,(?P<action>pass|block),(?P<dir>in|out),4,(?:[^,]*,){9}(?P<src>[0-9.]+),(?P<dst>[0-9.]+)';
