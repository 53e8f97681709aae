import type { StackValidationPolicy } from "@pulumi/policy";
import { mayDependOn } from "../../stacks/blueprint";
import { layerOf } from "../lib/resources";

export const blueprintDag: StackValidationPolicy = {
  name: "blueprint-dag",
  description:
    "Resources depend only on resources of their own layer or of layers upstream of it in the blueprint DAG.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const resource of args.resources) {
      const from = layerOf(resource);
      if (!from) continue;
      const dependencies = [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()];
      for (const dependency of dependencies) {
        const to = layerOf(dependency);
        if (to && !mayDependOn(from, to)) {
          reportViolation(
            `${resource.name} (layer ${from}) depends on ${dependency.name} in layer ${to}, which is not upstream of ${from}`,
            resource.urn,
          );
        }
      }
    }
  },
};
