/**
 * Rule files and Alertmanager configurations, good and bad, each with what Debian's promtool/amtool say
 * of it (`tool`) and what the pack says (`pack`): components/monitoring/validators.test.ts runs both and
 * checks they agree (the pack may not run the program's tools), save where the pack is stricter by
 * Fortress's own rules (`tool: "pass", pack: "fail"`).
 */
import * as yaml from "js-yaml";
import { layerComponent, planResource } from "../lib/build";
import type { PolicyFixtures } from "../lib/fixtures";
import type { PlanResource } from "../lib/types";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { ALERTMANAGER_CONFIG_KEY, PROMETHEUS_RULE_TYPE } from "./monitoring-config-validated";

type Verdict = "pass" | "fail";
export interface Sample {
  readonly name: string;
  readonly doc: Record<string, unknown>;
  readonly tool: Verdict;
  readonly pack: Verdict;
}

const alert = (extra: Record<string, unknown> = {}) => ({
  alert: "Example",
  expr: 'up{job="node"} == 0',
  for: "5m",
  labels: { severity: "warning", layer: "monitoring" },
  annotations: { summary: "s", description: "d" },
  ...extra,
});
const file = (...rules: Record<string, unknown>[]) => ({ groups: [{ name: "g", rules }] });

export const RULE_SAMPLES: readonly Sample[] = [
  {
    name: "two groups as Fortress renders them",
    doc: {
      groups: [
        {
          name: "fortress-availability",
          interval: "1m",
          rules: [
            alert({
              alert: "ProxmoxNodeDown",
              expr: 'label_replace(pve_up{id=~"node/pve1|node/pve2"}, "node", "$1", "id", "node/(.+)") == 0',
              for: "2m",
              labels: { severity: "critical", layer: "hypervisor" },
            }),
            alert({
              alert: "ScrapeTargetDown",
              labels: { severity: "warning", layer: "{{ $labels.layer }}" },
            }),
          ],
        },
        {
          name: "fortress-storage",
          rules: [
            alert({
              alert: "VolumeAlmostFull",
              expr: 'kubelet_volume_stats_available_bytes{namespace="m"} / kubelet_volume_stats_capacity_bytes{namespace="m"} < 0.1',
              labels: { severity: "critical", layer: "monitoring", volume: "Loki" },
            }),
          ],
        },
      ],
    },
    tool: "pass",
    pack: "pass",
  },
  {
    name: "a plain alert and a recording rule",
    doc: file(alert(), { record: "job:up:sum", expr: "sum by (job) (up)" }),
    tool: "pass",
    pack: "pass",
  },
  {
    name: "a group without a name",
    doc: { groups: [{ name: "", rules: [alert()] }] },
    tool: "fail",
    pack: "fail",
  },
  {
    name: "two groups of one name",
    doc: {
      groups: [
        { name: "g", rules: [alert()] },
        { name: "g", rules: [] },
      ],
    },
    tool: "fail",
    pack: "fail",
  },
  { name: "an unknown rule field", doc: file(alert({ keep_firing: "5m" })), tool: "fail", pack: "fail" },
  {
    name: "Prometheus 3's query_offset on a group",
    doc: { groups: [{ name: "g", query_offset: "1m", rules: [alert()] }] },
    tool: "fail",
    pack: "fail",
  },
  { name: "alert and record at once", doc: file(alert({ record: "x:y" })), tool: "fail", pack: "fail" },
  { name: "no expression", doc: file(alert({ expr: "" })), tool: "fail", pack: "fail" },
  {
    name: "an unbalanced expression",
    doc: file(alert({ expr: "sum(rate(x[5m])" })),
    tool: "fail",
    pack: "fail",
  },
  { name: "a duration in words", doc: file(alert({ for: "5 minutes" })), tool: "fail", pack: "fail" },
  {
    name: "a label name with a dash",
    doc: file(alert({ labels: { severity: "warning", layer: "x", "team-name": "a" } })),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "a recording rule with for",
    doc: file({ record: "job:up:sum", expr: "sum(up)", for: "5m" }),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "a recording rule named badly",
    doc: file({ record: "job-up", expr: "sum(up)" }),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "the same alert twice with the same labels (lint)",
    doc: file(alert(), alert()),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "an alert without severity (Fortress)",
    doc: file(alert({ labels: { layer: "x" } })),
    tool: "pass",
    pack: "fail",
  },
  {
    name: "an alert without layer (Fortress)",
    doc: file(alert({ labels: { severity: "critical" } })),
    tool: "pass",
    pack: "fail",
  },
  {
    name: "an alert without a description (Fortress)",
    doc: file(alert({ annotations: { summary: "s" } })),
    tool: "pass",
    pack: "fail",
  },
];

const MOUNT = "/etc/alertmanager/secrets/fortress-alertmanager-files";

/** An Alertmanager configuration of Fortress's shape (components/monitoring/alertmanager), written out. */
const base = () => ({
  global: { resolve_timeout: "5m" } as Record<string, unknown>,
  route: {
    receiver: "thehive",
    group_by: ["alertname", "layer", "node", "role"],
    group_wait: "30s",
    group_interval: "5m",
    repeat_interval: "4h",
    routes: [
      { receiver: "null", matchers: ['severity=~"info|none"'] },
      { receiver: "notify", matchers: ['severity="critical"'], continue: true, repeat_interval: "1h" },
      { receiver: "thehive" },
    ] as Record<string, unknown>[],
  } as Record<string, unknown>,
  inhibit_rules: [
    {
      source_matchers: ['alertname="ProxmoxNodeDown"'],
      target_matchers: ['alertname!="ProxmoxNodeDown"'],
      equal: ["node"],
    },
  ],
  receivers: [
    {
      name: "thehive",
      webhook_configs: [
        {
          send_resolved: true,
          url: "https://thehive-bridge.fortress-monitoring.svc:8443/alertmanager",
          max_alerts: 0,
          http_config: {
            authorization: { type: "Bearer", credentials_file: `${MOUNT}/thehive-bridge-token` },
          },
        },
      ],
    },
    {
      name: "notify",
      email_configs: [
        {
          send_resolved: true,
          to: "admin@lab.example",
          from: "alertmanager@lab.example",
          smarthost: "mail.lab.example:587",
          auth_username: "alertmanager",
          auth_password_file: `${MOUNT}/smtp-password`,
          require_tls: true,
        },
      ],
    },
    { name: "null" },
  ] as Record<string, unknown>[],
});
function changed(change: (doc: ReturnType<typeof base>) => void): Record<string, unknown> {
  const doc = base();
  change(doc);
  return doc;
}
const hook = (doc: ReturnType<typeof base>) =>
  (doc.receivers[0]!.webhook_configs as Record<string, unknown>[])[0]!;

export const ALERTMANAGER_SAMPLES: readonly Sample[] = [
  {
    name: "TheHive, an SMTP relay and null, as Fortress renders them",
    doc: base(),
    tool: "pass",
    pack: "pass",
  },
  {
    name: "a webhook timeout (0.34 knows it, 0.25 does not)",
    doc: changed((doc) => void (hook(doc).timeout = "10s")),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "a webhook url_file (0.34 only)",
    doc: changed((doc) => void (hook(doc).url_file = "/x")),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "a route to an undefined receiver",
    doc: changed((doc) => void ((doc.route.routes as Record<string, unknown>[])[0]!.receiver = "pager")),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "matchers on the root route",
    doc: changed((doc) => void (doc.route.matchers = ['severity="critical"'])),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "continue on the root route",
    doc: changed((doc) => void (doc.route.continue = true)),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "no receiver on the root route",
    doc: changed((doc) => void delete doc.route.receiver),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "an invalid group_by label",
    doc: changed((doc) => void (doc.route.group_by = ["alertname", "team-name"])),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "a zero repeat_interval",
    doc: changed((doc) => void (doc.route.repeat_interval = "0s")),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "a bad matcher",
    doc: changed(
      (doc) => void ((doc.route.routes as Record<string, unknown>[])[0]!.matchers = ["severity critical"]),
    ),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "two receivers of one name",
    doc: changed((doc) => void doc.receivers.push({ name: "thehive" })),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "a webhook without a scheme",
    doc: changed((doc) => void (hook(doc).url = "thehive-bridge:8080/x")),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "an email without to",
    doc: changed(
      (doc) => void doc.receivers.push({ name: "mail", email_configs: [{ from: "a@b", smarthost: "m:25" }] }),
    ),
    tool: "fail",
    pack: "fail",
  },
  {
    name: "an inline SMTP password (Fortress)",
    doc: changed(
      (doc) =>
        void doc.receivers.push({
          name: "mail",
          email_configs: [
            { to: "a@b", from: "c@d", smarthost: "m:25", auth_username: "u", auth_password: "p" },
          ],
        }),
    ),
    tool: "pass",
    pack: "fail",
  },
  {
    name: "a bearer token inline (Fortress)",
    doc: changed(
      (doc) => void (hook(doc).http_config = { authorization: { type: "Bearer", credentials: "t" } }),
    ),
    tool: "pass",
    pack: "fail",
  },
  {
    name: "a SaaS receiver (Fortress)",
    doc: changed(
      (doc) =>
        void doc.receivers.push({
          name: "slack",
          slack_configs: [{ api_url: "https://hooks.slack.com/x", channel: "#a" }],
        }),
    ),
    tool: "pass",
    pack: "fail",
  },
];

const monitoring = layerComponent("monitoring");

export function rulePlan(doc: Record<string, unknown>): PlanResource[] {
  return [
    monitoring,
    planResource(
      PROMETHEUS_RULE_TYPE,
      "fortress-rules",
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "fortress-rules" },
        spec: doc,
      },
      { parent: monitoring },
    ),
  ];
}

export function alertmanagerPlan(doc: Record<string, unknown> | string, encoded = false): PlanResource[] {
  const text = typeof doc === "string" ? doc : yaml.dump(doc);
  return [
    monitoring,
    planResource(
      SDK_TYPES.k8sSecret,
      "alertmanager-config",
      {
        metadata: { name: "fortress-alertmanager", namespace: "fortress-monitoring" },
        ...(encoded
          ? { data: { [ALERTMANAGER_CONFIG_KEY]: Buffer.from(text).toString("base64") } }
          : { stringData: { [ALERTMANAGER_CONFIG_KEY]: text } }),
      },
      { parent: monitoring },
    ),
  ];
}

export const fixtures: PolicyFixtures = {
  passing: [
    { name: "Fortress's rule groups as a PrometheusRule", resources: rulePlan(RULE_SAMPLES[0]!.doc) },
    { name: "Fortress's Alertmanager config in a Secret", resources: alertmanagerPlan(base()) },
    { name: "the same, base64 in data", resources: alertmanagerPlan(base(), true) },
    { name: "no monitoring in the plan", resources: [monitoring] },
  ],
  failing: [
    ...RULE_SAMPLES.filter((sample) => sample.pack === "fail").map((sample) => ({
      name: `rules: ${sample.name}`,
      resources: rulePlan(sample.doc),
    })),
    ...ALERTMANAGER_SAMPLES.filter((sample) => sample.pack === "fail").map((sample) => ({
      name: `Alertmanager: ${sample.name}`,
      resources: alertmanagerPlan(sample.doc),
    })),
    { name: "an Alertmanager config secret in the plan", resources: alertmanagerPlan("[secret]") },
  ],
};
