import type { ResourceValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

/**
 * @pulumi/random's RandomPassword draws from upper, lower, numeric and special characters, each on by
 * default; the special set is `!@#$%&*()-_=+[]{}<>:?` unless overrideSpecial replaces it (@pulumi/random
 * 4.21.2 randomPassword.d.ts, the docs of `special`, `overrideSpecial`, `numeric` and `number`).
 */
const CLASS_SIZES = { upper: 26, lower: 26, numeric: 10 } as const;
const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";
/**
 * 128 bits: the security strength NIST SP 800-57 Part 1 Rev. 5 (§5.6.1.1, Table 4) accepts beyond 2030.
 * NIST SP 800-63B's minimums (8 characters chosen, 6 generated) assume a verifier that throttles
 * guesses; a generated service credential (a database password, a join token, a client secret) can be
 * guessed offline from a leaked hash or state file, so it needs the strength of a key: at least 22
 * alphanumeric or 21 default-charset characters.
 */
export const DEFAULT_MINIMUM_BITS = 128;

/** Bits of entropy of a RandomPassword (or RandomString) from its inputs; undefined when the length is unknown. */
export function passwordBits(props: Record<string, unknown>): number | undefined {
  const length = props.length;
  if (typeof length !== "number") return undefined;
  const on = (key: string) => props[key] !== false;
  const special =
    typeof props.overrideSpecial === "string" ? new Set(props.overrideSpecial).size : DEFAULT_SPECIAL.length;
  const alphabet =
    (on("upper") ? CLASS_SIZES.upper : 0) +
    (on("lower") ? CLASS_SIZES.lower : 0) +
    (on("numeric") && on("number") ? CLASS_SIZES.numeric : 0) +
    (on("special") ? special : 0);
  return alphabet <= 1 ? 0 : length * Math.log2(alphabet);
}

export const secretsRandomStrength: ResourceValidationPolicy = {
  name: "secrets-random-strength",
  description: `Every generated secret has at least ${DEFAULT_MINIMUM_BITS} bits of entropy (minimumBits): a random.RandomPassword's length times log2 of its alphabet (upper, lower, numeric, special or overrideSpecial), a random.RandomBytes' length times 8. 128 bits is NIST SP 800-57's strength beyond 2030; a service credential can be guessed offline, where SP 800-63B's throttled minimums do not hold.`,
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumBits: {
        type: "number",
        default: DEFAULT_MINIMUM_BITS,
        description: "The entropy every generated secret must reach, in bits.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const config = args.getConfig<{ minimumBits?: unknown }>();
    const minimum = typeof config.minimumBits === "number" ? config.minimumBits : DEFAULT_MINIMUM_BITS;
    const bits =
      args.type === SDK_TYPES.randomPassword
        ? passwordBits(args.props)
        : args.type === SDK_TYPES.randomBytes && typeof args.props.length === "number"
          ? args.props.length * 8
          : undefined;
    if (bits === undefined || bits >= minimum) return;
    reportViolation(
      `${args.name} generates a secret of ${Math.floor(bits)} bits (length ${String(args.props.length)}), below the ${minimum} bits a service credential needs: raise length (22 alphanumeric or 21 default-charset characters reach 128 bits)`,
    );
  },
};
