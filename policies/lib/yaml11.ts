/**
 * YAML as Kubernetes tools read it. sigs.k8s.io/yaml, which k8s.io/apimachinery's YAML decoder,
 * pulumi-kubernetes' yaml/v2 (provider/pkg/provider/yaml/v2/yaml.go, NewYAMLOrJSONDecoder) and Helm's
 * `-f` values files use (helm/helm pkg/cli/values/options.go MergeValues, `yaml.Unmarshal`; helm-controller
 * hands valuesContent to Helm as such a file, values-01_HelmChart.yaml in chart.go), parses with go-yaml v2, a YAML 1.1 parser: an unquoted y/yes/on (n/no/off), in any
 * of its three cases, is a boolean (kubernetes-sigs/yaml yaml.go, "As per the YAML 1.1 specification";
 * go-yaml v2 resolve.go resolveMapList). js-yaml reads YAML 1.2, where those are strings, so a
 * `privileged: yes` would escape an `=== true` check; these schemas read them as go-yaml does.
 */
import * as yaml from "js-yaml";

const YAML11_TRUE = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
const YAML11_FALSE = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];

const yaml11Bool = new yaml.Type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: (data: unknown) =>
    typeof data === "string" && (YAML11_TRUE.includes(data) || YAML11_FALSE.includes(data)),
  construct: (data: string) => YAML11_TRUE.includes(data),
  predicate: (value: unknown) => typeof value === "boolean",
  represent: (value: object) => String(value),
});

/** js-yaml's JSON schema with YAML 1.1 booleans (Kubernetes manifests). */
export const K8S_JSON_SCHEMA = yaml.JSON_SCHEMA.extend({ implicit: [yaml11Bool] });
/** js-yaml's default schema with YAML 1.1 booleans (Helm values). */
export const K8S_DEFAULT_SCHEMA = yaml.DEFAULT_SCHEMA.extend({ implicit: [yaml11Bool] });
