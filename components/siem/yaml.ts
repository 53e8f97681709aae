/** One way to write the SIEM's YAML files: a document start, no line folding, no anchors. */
import * as yaml from "js-yaml";

export function renderYaml(document: unknown): string {
  return `---\n${yaml.dump(document, { lineWidth: -1, noRefs: true, sortKeys: false })}`;
}
