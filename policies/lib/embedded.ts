/**
 * Kubernetes objects a resource carries as data rather than registers: a `yaml/v2:ConfigGroup`'s `objs`
 * and `yaml`. In `pulumi preview` the provider registers each as a child resource (pulumi-kubernetes
 * provider/pkg/provider/yaml/v2/configgroup.go); offline, under mocks, it registers none, so the pack
 * reads them from the inputs and judges them like registered objects, by the token they would get.
 */
import type { PolicyResource } from "@pulumi/policy";
import * as yaml from "js-yaml";
import { K8S_PACKAGE, SDK_TYPES } from "../../vocabulary/sdkTypes";
import { K8S_JSON_SCHEMA } from "./yaml11";

export const CONFIG_GROUP_TYPE = SDK_TYPES.k8sConfigGroupV2;

type Inputs = Record<string, unknown>;

export interface EmbeddedObject {
  readonly type: string;
  readonly name: string;
  readonly props: Inputs;
}

/** `kubernetes:<group>/<version>:<Kind>`, as the provider names a resource of that apiVersion and kind (`v1` is `core/v1`). */
export function k8sTypeOf(apiVersion: unknown, kind: unknown): string | undefined {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || apiVersion === "" || kind === "")
    return undefined;
  return `${K8S_PACKAGE}:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}

const asObject = (value: unknown): Inputs | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Inputs) : undefined;

function documents(text: unknown): unknown[] {
  if (typeof text !== "string") return [];
  try {
    return yaml.loadAll(text, undefined, { schema: K8S_JSON_SCHEMA });
  } catch {
    return [];
  }
}

/** The objects of a ConfigGroup (none for any other resource), `List` kinds unwrapped. */
export function embeddedObjects(resource: {
  readonly type: string;
  readonly props: Inputs;
}): EmbeddedObject[] {
  if (resource.type !== CONFIG_GROUP_TYPE) return [];
  const texts = Array.isArray(resource.props.yaml) ? resource.props.yaml : [resource.props.yaml];
  const raw = [
    ...(Array.isArray(resource.props.objs) ? resource.props.objs : []),
    ...texts.flatMap(documents),
  ];
  const objects = raw.flatMap((item) => {
    const object = asObject(item);
    if (
      object &&
      typeof object.kind === "string" &&
      object.kind.endsWith("List") &&
      Array.isArray(object.items)
    )
      return object.items as unknown[];
    return [item];
  });
  return objects.flatMap((item, index) => {
    const object = asObject(item);
    const type = k8sTypeOf(object?.apiVersion, object?.kind);
    if (!object || !type) return [];
    const name = (asObject(object.metadata)?.name as string | undefined) ?? `object-${index}`;
    return [{ type, name, props: object }];
  });
}

/**
 * A resource policy's check, run on the resource and on every object it carries. A resource policy sees
 * no other resource, so in a preview, where the group's objects are also registered as its children, an
 * object it carries can be reported twice (once here, once as the child); the stack policies skip such
 * groups (withEmbeddedResources).
 */
export function withEmbeddedObjects<
  A extends { readonly type: string; readonly name: string; readonly props: Inputs },
>(
  validate: (args: A, report: (message: string) => void) => void,
): (args: A, report: (message: string) => void) => void {
  return (args, report) => {
    validate(args, report);
    for (const object of embeddedObjects(args)) {
      validate({ ...args, type: object.type, name: object.name, props: object.props }, (message) =>
        report(`${message} (carried by ConfigGroup ${args.name})`),
      );
    }
  };
}

/**
 * The stack's resources with the objects ConfigGroups carry, as children of their group. A group whose
 * objects are registered as its children (a `pulumi preview`) is left to them, so that no object is
 * judged, and reported, twice.
 */
export function withEmbeddedResources(resources: readonly PolicyResource[]): PolicyResource[] {
  const parents = new Set(resources.flatMap((resource) => (resource.parent ? [resource.parent.urn] : [])));
  const added = resources.flatMap((resource) =>
    (parents.has(resource.urn) ? [] : embeddedObjects(resource)).map((object, index): PolicyResource => ({
      ...resource,
      type: object.type,
      name: object.name,
      props: object.props,
      urn: `${resource.urn}/${index}`,
      parent: resource,
    })),
  );
  return added.length === 0 ? [...resources] : [...resources, ...added];
}

/**
 * The ConfigGroups of a captured plan that name `files`: the provider reads those at deploy time and
 * registers their objects in a preview, but offline nothing reads them, so plan.json lists them
 * (`configGroupFilesNotJudged`) rather than the pack passing them silently.
 */
export function configGroupFilesNotJudged(
  resources: readonly { readonly type: string; readonly name: string; readonly inputs: Inputs }[],
): string[] {
  return resources.flatMap((resource) => {
    if (resource.type !== CONFIG_GROUP_TYPE) return [];
    const files = (
      Array.isArray(resource.inputs.files) ? resource.inputs.files : [resource.inputs.files]
    ).filter((file) => file !== undefined && file !== null);
    return files.length === 0
      ? []
      : [`ConfigGroup ${resource.name} (files: ${files.map(String).join(", ")})`];
  });
}
