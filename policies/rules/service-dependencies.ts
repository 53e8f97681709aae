import type { StackValidationPolicy } from "@pulumi/policy";
import { SERVICE_GRAPH, type ServiceNode } from "../../stacks/blueprint";
import { SERVICES_TYPE, resourcesByType } from "../lib/resources";

const catalog = new Map<string, ServiceNode>(SERVICE_GRAPH.map((service) => [service.id, service]));

export const serviceDependencies: StackValidationPolicy = {
  name: "service-dependencies",
  description:
    "Every enabled service is a known Fortress service, and the services it depends on are enabled too.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const records = resourcesByType(args.resources).get(SERVICES_TYPE) ?? [];
    if (records.length === 0) args.notApplicable("no fortress:lab:Services record in the stack");

    // Each enabled id, with the record that enables it first.
    const enabled = new Map<string, string>();
    for (const record of records) {
      const ids = (record.props as { enabled?: unknown }).enabled;
      for (const id of Array.isArray(ids) ? ids : []) {
        const key = String(id);
        if (!enabled.has(key)) enabled.set(key, record.urn);
      }
    }

    for (const [id, urn] of enabled) {
      const spec = catalog.get(id);
      if (!spec) {
        reportViolation(
          `service "${id}" is not a Fortress service: remove it from fortress:services or use one of ${[...catalog.keys()].join(", ")}`,
          urn,
        );
        continue;
      }
      for (const required of spec.requires.filter((dependency) => !enabled.has(dependency))) {
        reportViolation(
          `service ${id} requires ${required}, which is not enabled: add ${required} to fortress:services or disable ${id}`,
          urn,
        );
      }
    }
  },
};
