/**
 * The route tree and the inhibition rules. Routes: `info`/`none` alerts (the chart's Watchdog and
 * InfoInhibitor carry `severity: none`) go nowhere; critical ones reach the admin's channel and go on
 * (`continue`) to TheHive; the security pipeline's layers go to TheHive sooner and repeat hourly; the
 * rest go to TheHive through a last catch-all route. Inhibition (prometheus/alertmanager@v0.25.0:inhibit/inhibit.go: a target alert is
 * muted while a firing source alert has the same values of `equal`; an alert matching both sides does
 * not mute itself): a Proxmox node down mutes everything on that node, a VM down the alerts of its
 * role on its node, the firewall down the firewall's own alerts, a critical alert its warning twin.
 */
import { FIREWALL_DOWN, FIREWALL_ROLE, NODE_DOWN, VM_DOWN } from "../rules/availability";

export const RECEIVERS = { theHive: "thehive", notify: "notify", none: "null" } as const;

/** Labels an alert is grouped by: one notification per alert kind, layer and host. */
export const GROUP_BY = ["alertname", "layer", "node", "role"] as const;

/** Layers whose alerts mean the security pipeline itself is blind or cannot act: sent sooner, repeated hourly. */
export const PIPELINE_LAYERS = ["endpoint", "response", "sensors", "siem"] as const;

/** The labels that make a critical alert and its warning the same problem on the same thing. */
const SAME_PROBLEM = [
  "alertname",
  "layer",
  "node",
  "role",
  "instance",
  "group",
  "name",
  "persistentvolumeclaim",
  "cluster",
];

export interface Route {
  readonly receiver: string;
  readonly matchers?: readonly string[];
  readonly continue?: boolean;
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly routes?: readonly Route[];
}

/**
 * The tree. Without TheHive (`theHive` false) its place is the admin's channel, which then takes every
 * alert but info/none once (no critical route that continues to the same receiver), or `null` when the
 * lab has no channel either: the alerts stay visible in Alertmanager and Grafana.
 */
export function route(notify: boolean, theHive = true): Route {
  if (!theHive) {
    const main = notify ? RECEIVERS.notify : RECEIVERS.none;
    return {
      receiver: main,
      group_by: GROUP_BY,
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [
        { receiver: RECEIVERS.none, matchers: ['severity=~"info|none"'] },
        ...(notify
          ? [
              {
                receiver: main,
                matchers: [`layer=~"${PIPELINE_LAYERS.join("|")}"`],
                group_wait: "10s",
                repeat_interval: "1h",
              },
            ]
          : []),
        { receiver: main },
      ],
    };
  }
  return {
    receiver: RECEIVERS.theHive,
    group_by: GROUP_BY,
    group_wait: "30s",
    group_interval: "5m",
    repeat_interval: "4h",
    routes: [
      { receiver: RECEIVERS.none, matchers: ['severity=~"info|none"'] },
      ...(notify
        ? [
            {
              receiver: RECEIVERS.notify,
              matchers: ['severity="critical"'],
              continue: true,
              repeat_interval: "1h",
            },
          ]
        : []),
      {
        receiver: RECEIVERS.theHive,
        matchers: [`layer=~"${PIPELINE_LAYERS.join("|")}"`],
        group_wait: "10s",
        repeat_interval: "1h",
      },
      // The rest, explicitly: once the critical route above has matched (and continued), the root's
      // own receiver is no longer a fallback (dispatch/route.go Match: the parent is used only when no
      // child matched).
      { receiver: RECEIVERS.theHive },
    ],
  };
}

export interface InhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal?: readonly string[];
}

export function inhibitRules(): InhibitRule[] {
  return [
    {
      source_matchers: [`alertname="${NODE_DOWN}"`],
      target_matchers: [`alertname!="${NODE_DOWN}"`],
      equal: ["node"],
    },
    {
      source_matchers: [`alertname="${VM_DOWN}"`],
      target_matchers: [`alertname!~"${VM_DOWN}|${NODE_DOWN}"`],
      equal: ["node", "role"],
    },
    {
      source_matchers: [`alertname="${FIREWALL_DOWN}"`],
      target_matchers: [`role="${FIREWALL_ROLE}"`, `alertname!="${FIREWALL_DOWN}"`],
    },
    {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: SAME_PROBLEM,
    },
  ];
}
