/**
 * The one encoding of a model's typed fields (fields.ts) into the string map the API takes and the
 * state keeps. It lives apart from models.ts because the item provider's closure captures that
 * module whole (the SDK serializes it into every item's state): encoding is the program's job.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ItemFields, WireFields } from "./fields";
import { type ItemModel, MODELS, type ModelName, type SettingsModel } from "./models";

/** A field value as a caller writes it; an output (an item's uuid) is passed on as it is. */
type FieldValue = string | number | boolean | readonly string[] | pulumi.Output<string>;

/** Fields `toFields` can encode. */
export type Encodable<F> = { readonly [K in keyof F]: FieldValue };

/** The one encoding of typed fields into the API's: booleans "1"/"0", numbers in decimal, lists joined. */
function encode(
  fields: object,
  lists: Readonly<Record<string, string>> = {},
): Record<string, pulumi.Input<string>> {
  const encoded = Object.entries(fields as Readonly<Record<string, FieldValue>>).map(([name, value]) => {
    if (typeof value === "boolean") return [name, value ? "1" : "0"];
    if (typeof value === "number") return [name, String(value)];
    if (!isList(value)) return [name, value];
    const separator = lists[name];
    if (separator === undefined)
      throw new Error(`OPNsense field ${name} is a list, but its model has no separator`);
    return [name, value.join(separator)];
  });
  return Object.fromEntries(encoded) as Record<string, pulumi.Input<string>>;
}

const isList = (value: FieldValue): value is readonly string[] => Array.isArray(value);

/** An item's typed fields as the API takes them (`fields` of the item's resource). */
export function toFields<K extends ModelName>(model: K, fields: ItemFields[K]): WireFields<ItemFields[K]> {
  const untyped: ItemModel = MODELS[model];
  return encode(fields, untyped.lists) as WireFields<ItemFields[K]>;
}

/** Singleton settings' typed fields as the API takes them. */
export function toSettingsFields<F extends Encodable<F>>(model: SettingsModel<F>, fields: F): WireFields<F> {
  const untyped: SettingsModel = model;
  return encode(fields, untyped.lists) as WireFields<F>;
}
