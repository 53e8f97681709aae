/**
 * YAML read as cloud-init reads it: PyYAML's `safe_load`, YAML 1.1 (cloudinit/util.py `load_yaml`),
 * and values judged by Python's truthiness where cloud-init tests them with a bare `if`.
 *
 * js-yaml's default schema is YAML 1.2's core schema, which disagrees with PyYAML on plain scalars:
 * `no`, `off`, `yes` and `on` are booleans to PyYAML and strings to js-yaml; `0_0` and `0x_0` are
 * integers to PyYAML; `0e0` and `0o0` are strings to PyYAML. The resolvers below are PyYAML's
 * (yaml/resolver.py `Resolver.add_implicit_resolver`, yaml/constructor.py `construct_yaml_int`,
 * `construct_yaml_float`); quoted scalars stay strings, as in both.
 */
import { DEFAULT_SCHEMA, type Schema, Type } from "js-yaml";

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** `1:30:00` (base 60) as PyYAML's constructors read it. */
const sexagesimal = (digits: string) =>
  digits.split(":").reduce((total, part) => total * 60 + Number(part), 0);

function constructInt(data: string): number {
  const text = data.replace(/_/g, "");
  const sign = text.startsWith("-") ? -1 : 1;
  const digits = text.replace(/^[-+]/, "");
  if (digits === "0") return 0;
  if (digits.startsWith("0b")) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith("0x")) return sign * parseInt(digits.slice(2), 16);
  if (digits.startsWith("0")) return sign * parseInt(digits, 8);
  return sign * (digits.includes(":") ? sexagesimal(digits) : Number(digits));
}

function constructFloat(data: string): number {
  const text = data.replace(/_/g, "").toLowerCase();
  const sign = text.startsWith("-") ? -1 : 1;
  const digits = text.replace(/^[-+]/, "");
  if (digits === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (digits === ".nan") return Number.NaN;
  return sign * (digits.includes(":") ? sexagesimal(digits) : Number.parseFloat(digits));
}

const scalar = (tag: string, pattern: RegExp, construct: (data: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (data: unknown) => typeof data === "string" && pattern.test(data),
    construct: (data: string) => construct(data),
  });

/** js-yaml's default schema with PyYAML's implicit booleans, integers and floats (YAML 1.1). */
export const PYYAML_SCHEMA: Schema = DEFAULT_SCHEMA.extend({
  // js-yaml replaces a type of the same tag and kind: these take the core schema's places.
  implicit: [
    scalar("bool", BOOL, (data) => /^(?:yes|true|on)$/i.test(data)),
    scalar("int", INT, constructInt),
    scalar("float", FLOAT, constructFloat),
  ],
});

/**
 * Python's `bool(value)` of what PyYAML made of a scalar or collection: None, False, 0, 0.0, and
 * empty strings, bytes, lists and dicts are false; everything else (NaN and dates included) is true.
 */
export function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return false;
  if (typeof value === "number") return value !== 0;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length > 0;
  if (value instanceof Date) return true;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}
