import type { ResourceValidationPolicy } from "@pulumi/policy";
import { SDK_TYPES } from "../../vocabulary/sdkTypes";

/**
 * @pulumi/random's RandomPassword is terraform-provider-random's (hashicorp/terraform-provider-random
 * internal/random/string.go CreateString): minUpper, minLower, minNumeric and minSpecial characters are
 * drawn from their own class only, the rest (the free characters) from the concatenation of the classes
 * switched on. The special class is `!@#$%&*()-_=+[]{}<>:?` unless overrideSpecial is non-empty (an empty
 * one falls back to it). Draws are uniform over the bytes of a set, duplicates kept, so a free
 * character's entropy is the min-entropy of that byte distribution. The final shuffle is not counted
 * (a lower bound).
 */
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const NUMERIC = "0123456789";
const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";
/**
 * 128 bits: the security strength NIST SP 800-57 Part 1 Rev. 5 (§5.6.1.1, Table 4) accepts beyond 2030.
 * NIST SP 800-63B's minimums (8 characters chosen, 6 generated) assume a verifier that throttles
 * guesses; a generated service credential (a database password, a join token, a client secret) can be
 * guessed offline from a leaked hash or state file, so it needs the strength of a key: at least 22
 * alphanumeric or 21 default-charset characters.
 */
export const DEFAULT_MINIMUM_BITS = 128;

/** Min-entropy, in bits, of one byte drawn uniformly from the bytes of `charset` (duplicates kept). */
function minEntropyPerDraw(charset: string): number {
  const bytes = new TextEncoder().encode(charset);
  if (bytes.length === 0) return 0;
  const counts = new Map<number, number>();
  for (const byte of bytes) counts.set(byte, (counts.get(byte) ?? 0) + 1);
  return Math.log2(bytes.length / Math.max(...counts.values()));
}

const count = (value: unknown) => (typeof value === "number" && value > 0 ? Math.floor(value) : 0);

/** Bits of entropy of a RandomPassword (or RandomString) from its inputs; undefined when the length is unknown. */
export function passwordBits(props: Record<string, unknown>): number | undefined {
  const length = props.length;
  if (typeof length !== "number") return undefined;
  const on = (key: string) => props[key] !== false;
  const special =
    typeof props.overrideSpecial === "string" && props.overrideSpecial !== ""
      ? props.overrideSpecial
      : DEFAULT_SPECIAL;
  const classes = [
    { charset: UPPER, min: count(props.minUpper), on: on("upper") },
    { charset: LOWER, min: count(props.minLower), on: on("lower") },
    { charset: NUMERIC, min: count(props.minNumeric), on: on("numeric") && on("number") },
    { charset: special, min: count(props.minSpecial), on: on("special") },
  ];
  const fixed = classes.reduce((bits, c) => bits + c.min * minEntropyPerDraw(c.charset), 0);
  const free = Math.max(0, length - classes.reduce((sum, c) => sum + c.min, 0));
  const charset = classes
    .filter((c) => c.on)
    .map((c) => c.charset)
    .join("");
  return fixed + free * minEntropyPerDraw(charset);
}

export const secretsRandomStrength: ResourceValidationPolicy = {
  name: "secrets-random-strength",
  description: `Every generated secret has at least ${DEFAULT_MINIMUM_BITS} bits of entropy (minimumBits): a random.RandomPassword's min* characters at log2 of their own class and the rest at the min-entropy of the classes switched on (duplicates in overrideSpecial kept, as the provider draws), a random.RandomBytes' length times 8. 128 bits is NIST SP 800-57's strength beyond 2030; a service credential can be guessed offline, where SP 800-63B's throttled minimums do not hold.`,
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
