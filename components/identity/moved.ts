/**
 * Issue 9 split the identity layer's one component into Keycloak, PostgreSQL and Vaultwarden
 * components. Their resources kept their names and types but gained a parent, which changes their
 * URNs; each is aliased to where it sat before (directly under the Identity component), so that a
 * stack made before the split updates them in place instead of replacing them (a replaced
 * RandomPassword is a new password; a replaced StatefulSet or release recreates the data's owner).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** Options for a child of `component` that was a direct child of `formerParent` before the split. */
export function movedChild(
  component: pulumi.Resource,
  formerParent: pulumi.Resource | undefined,
): pulumi.CustomResourceOptions {
  return formerParent ? { parent: component, aliases: [{ parent: formerParent }] } : { parent: component };
}

/** A generated credential (letters and digits), secret from the start. */
export function generatedSecret(
  name: string,
  length: number,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  return pulumi.secret(new random.RandomPassword(name, { length, special: false }, opts).result);
}
