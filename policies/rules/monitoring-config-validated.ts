import type { ResourceValidationPolicy } from "@pulumi/policy";
import * as yaml from "js-yaml";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { alertmanagerProblems } from "../lib/alertmanagerConfig";
import { CHART_TYPES, chartValuesOf } from "../lib/charts";
import { withEmbeddedObjects } from "../lib/embedded";
import { knownString } from "../lib/inputs";
import { PROMETHEUS_RULE_TYPE, ruleFileProblems } from "../lib/promRules";

export { PROMETHEUS_RULE_TYPE };
/**
 * The key the operator reads a configuration Secret's Alertmanager config from
 * (prometheus-operator/prometheus-operator@v0.93.0:pkg/alertmanager/statefulset.go alertmanagerConfigFile).
 */
export const ALERTMANAGER_CONFIG_KEY = "alertmanager.yaml";

type Inputs = Record<string, unknown>;
const asRecord = (value: unknown): Inputs | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Inputs) : undefined;

/** The Alertmanager configuration a Secret carries as text, or why it cannot be read; undefined when it carries none. */
function secretConfig(props: Inputs): { text?: string; unreadable?: string } | undefined {
  const stringData = asRecord(props.stringData);
  const data = asRecord(props.data);
  const plain = stringData?.[ALERTMANAGER_CONFIG_KEY];
  const encoded = data?.[ALERTMANAGER_CONFIG_KEY];
  if (plain === undefined && encoded === undefined) return undefined;
  const text = plain !== undefined ? knownString(plain) : knownString(encoded);
  if (text === undefined)
    return {
      unreadable: "it is secret or unknown in the plan, though it holds no secret (only *_file references)",
    };
  return { text: plain !== undefined ? text : Buffer.from(text, "base64").toString("utf8") };
}

function problemsOfText(where: string, text: string): string[] {
  try {
    return alertmanagerProblems(where, yaml.load(text));
  } catch (error) {
    return [`${where}: not YAML (${(error as Error).message.split("\n")[0]})`];
  }
}

/** kube-prometheus-stack's values: `alertmanager.config` and `additionalPrometheusRulesMap.<name>.groups`. */
function chartProblems(name: string, values: unknown): string[] {
  const root = asRecord(values);
  if (!root) return [];
  const problems: string[] = [];
  const config = asRecord(root.alertmanager)?.config;
  if (config !== undefined)
    problems.push(...alertmanagerProblems(`chart ${name} alertmanager.config`, config));
  for (const [key, file] of Object.entries(asRecord(root.additionalPrometheusRulesMap) ?? {}))
    problems.push(...ruleFileProblems(`chart ${name} additionalPrometheusRulesMap.${key}`, file));
  return problems;
}

export const monitoringConfigValidated: ResourceValidationPolicy = {
  name: "monitoring-config-validated",
  description:
    "Every Prometheus rule file (a PrometheusRule's spec, kube-prometheus-stack's additionalPrometheusRulesMap) and every Alertmanager configuration (a Secret's alertmanager.yaml, the chart's alertmanager.config) in the plan is one Debian's promtool 2.42 and amtool 0.25 accept: the fields each knows (strict YAML), group and rule names, durations, label names, matchers, receivers that exist, a root route with a receiver and no matchers; every alert has severity, layer, summary and description; the Alertmanager configuration holds no inline secret (only *_file) and only webhook or email receivers.",
  enforcementLevel: "mandatory",
  validateResource: withEmbeddedObjects((args, reportViolation) => {
    if (args.type === PROMETHEUS_RULE_TYPE) {
      const spec = asRecord(args.props.spec);
      for (const problem of ruleFileProblems(`PrometheusRule ${args.name}`, spec ?? {}))
        reportViolation(problem);
      return;
    }
    if (args.type === SDK_TYPES.k8sSecret) {
      const found = secretConfig(args.props);
      if (!found) return;
      const where = `Secret ${args.name} ${ALERTMANAGER_CONFIG_KEY}`;
      if (found.unreadable) reportViolation(`${where} cannot be checked: ${found.unreadable}`);
      else for (const problem of problemsOfText(where, found.text ?? "")) reportViolation(problem);
      return;
    }
    if (CHART_TYPES.has(args.type))
      for (const source of chartValuesOf(args).sources)
        for (const problem of chartProblems(args.name, source.values)) reportViolation(problem);
  }),
};
