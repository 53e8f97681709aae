/**
 * The adversarial corpus of the infrastructure classes (issue 11, classes 1–4): each case is the home
 * lab's plan with one change a careless or hostile contributor might make, in a spelling the policies'
 * own fixtures never used; each twin a change that must pass. The base is the real home plan
 * (test/policy-corpus-infra.test.ts plans it), so a twin is judged in a full lab, not in a vacuum.
 */
import { planResource } from "../lib/build";
import { NETWORK_TYPE, OPNSENSE } from "../lib/resources";
import type { PlanResource } from "../lib/types";

export type CorpusClass = "opnsense" | "guests" | "passwords" | "privileges";

export interface CorpusCase {
  readonly name: string;
  /** The policy that must report it; absent for a twin, which no policy may report. */
  readonly policy?: string;
  /** The existing fixture it varies (rules/<policy>.fixtures.ts), when it is a variant of one. */
  readonly variantOf?: string;
  readonly build: (lab: Lab) => Lab;
}

export interface Corpus {
  readonly violations: readonly CorpusCase[];
  readonly twins: readonly CorpusCase[];
}

type Inputs = Record<string, unknown>;

/** A plan to change, immutably: each method returns a new Lab. */
export class Lab {
  constructor(readonly resources: readonly PlanResource[]) {}

  find(predicate: (resource: PlanResource) => boolean, what: string): PlanResource {
    const found = this.resources.find(predicate);
    if (!found) throw new Error(`corpus: the home plan has no ${what}`);
    return found;
  }

  byType(type: string): PlanResource {
    return this.find((resource) => resource.type === type, type);
  }

  named(type: string, name: string): PlanResource {
    return this.find((resource) => resource.type === type && resource.name === name, `${type} ${name}`);
  }

  /** The filter rule whose description is `description`. */
  rule(description: string): PlanResource {
    return this.find(
      (resource) =>
        resource.type === OPNSENSE("rule") &&
        (resource.inputs.fields as Record<string, unknown> | undefined)?.description === description,
      `rule "${description}"`,
    );
  }

  plus(...added: PlanResource[]): Lab {
    return new Lab([...this.resources, ...added]);
  }

  without(target: PlanResource): Lab {
    return new Lab(this.resources.filter((resource) => resource.urn !== target.urn));
  }

  edit(target: PlanResource, change: (inputs: Inputs) => Inputs): Lab {
    return new Lab(
      this.resources.map((resource) =>
        resource.urn === target.urn ? { ...resource, inputs: change(resource.inputs) } : resource,
      ),
    );
  }

  /** The rule with `fields` changed. */
  editRule(description: string, fields: Record<string, string>): Lab {
    return this.edit(this.rule(description), (inputs) => ({
      ...inputs,
      fields: { ...(inputs.fields as Record<string, string>), ...fields },
    }));
  }

  /** A new filter rule as the Network component writes them, with `fields` over a pass's defaults. */
  newRule(name: string, fields: Record<string, string>): Lab {
    const network = this.byType(NETWORK_TYPE);
    const firewall = this.find((resource) => resource.type === OPNSENSE("rule"), "rule").inputs.firewall;
    return this.plus(
      planResource(
        OPNSENSE("rule"),
        `corpus-${name}`,
        {
          firewall,
          fields: {
            action: "pass",
            direction: "in",
            enabled: "1",
            ipprotocol: "inet",
            protocol: "any",
            quick: "1",
            source_not: "0",
            destination_not: "0",
            destination_port: "",
            sequence: "8100",
            description: `corpus: ${name}`,
            ...fields,
          },
        },
        { parent: network },
      ),
    );
  }

  newAlias(name: string, type: string, content: string): Lab {
    return this.plus(
      planResource(OPNSENSE("alias"), `corpus-alias-${name}`, { fields: { name, type, content } }),
    );
  }
}
