import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { COMPONENT_TYPES } from "../../vocabulary/typeTokens";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";
import { dependsOnResource } from "../lib/stack";

export const GREENBONE_TYPE = COMPONENT_TYPES.greenbone;
/** The shortest admin password the pack accepts from `random`. */
export const MIN_ADMIN_PASSWORD_LENGTH = 20;

/**
 * Ways the shipped admin/admin (greenbone/gvmd .docker/start-gvmd.sh: USER/PASSWORD default to admin;
 * greenbone/docs src/22.4/container/admin-user.md) could be kept or set again in what Fortress writes:
 * gvmd's password flags with `admin`, or the container's PASSWORD variable set to `admin`.
 */
const DEFAULT_SET = [
  /--(?:new-)?password[= ]['"]?admin['"]?(?=\s|$)/m,
  /(?:^|\s)PASSWORD(?:=|:\s*)['"]?admin['"]?\s*$/m,
];

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) strings(item, out);
  return out;
}

function check(greenbone: PolicyResource, children: readonly PolicyResource[]): string[] {
  const problems: string[] = [];
  const name = greenbone.name;
  if (greenbone.props.adminPasswordType !== "random")
    problems.push(`Greenbone ${name} does not take its admin password from random`);
  const password = children.find(
    (child) => child.type === SDK_TYPES.randomPassword && child.name === `${name}-admin-password`,
  );
  const install = children.find(
    (child) => child.type === SDK_TYPES.commandRemote && child.name === `${name}-install`,
  );
  if (!password) problems.push(`Greenbone ${name} has no random admin password (${name}-admin-password)`);
  else {
    const length = Number(password.props.length);
    if (!(length >= MIN_ADMIN_PASSWORD_LENGTH))
      problems.push(
        `Greenbone ${name}'s admin password is ${length} characters, under ${MIN_ADMIN_PASSWORD_LENGTH}`,
      );
    if (!install || !dependsOnResource(install, password))
      problems.push(
        `Greenbone ${name}'s install does not take the random admin password (it must come on its stdin)`,
      );
  }
  for (const child of children)
    for (const text of strings(child.props))
      if (DEFAULT_SET.some((pattern) => pattern.test(text)))
        problems.push(`${child.name} sets Greenbone's shipped admin password "admin"`);
  return problems;
}

export const greenboneNoDefaultPassword: StackValidationPolicy = {
  name: "greenbone-no-default-password",
  description:
    "Greenbone's admin password comes from @pulumi/random (at least 20 characters, handed to the install on stdin), and nothing Fortress writes sets the shipped admin/admin again (gvmd --new-password/--password admin, the gvmd container's PASSWORD=admin).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const greenbone of args.resources.filter((resource) => resource.type === GREENBONE_TYPE)) {
      const children = args.resources.filter((resource) => {
        for (let parent = resource.parent, depth = 0; parent && depth < 50; parent = parent.parent, depth++)
          if (parent.urn === greenbone.urn) return true;
        return false;
      });
      for (const problem of check(greenbone, children)) reportViolation(problem, greenbone.urn);
    }
  },
};
