// A cheap test, run on every row read, of whether a stored document already has
// the current shape: its members are the ones the schema names (at every depth
// of a strict object), required ones present, enum values known, and types
// right. It does not check lengths or formats (zod's full parse costs several
// microseconds a document; this, a few hundred nanoseconds): rows adopted from
// the Python stack were checked in full once, and what a Python service writes
// later differs in its members and enum values, which this sees.
import { z } from 'zod';
import { isJsonObject } from '../repositories/json-merge-patch.js';
import { isRequiredOnWrite } from '../schemas/common.js';

type Conforms = (value: unknown) => boolean;

const built = new WeakMap<z.ZodType, Conforms>();

/** The check for documents of `schema`, built once per schema. */
export function conformityOf(schema: z.ZodType): Conforms {
  let check = built.get(schema);
  if (!check) {
    check = build(schema);
    built.set(schema, check);
  }
  return check;
}

const anything: Conforms = () => true;

function build(schema: z.ZodType): Conforms {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
    const inner = build(schema.unwrap() as z.ZodType);
    return (value) => value === undefined || inner(value);
  }
  if (schema instanceof z.ZodNullable) {
    const inner = build(schema.unwrap() as z.ZodType);
    return (value) => value === null || inner(value);
  }
  if (schema instanceof z.ZodObject) return objectCheck(schema);
  if (schema instanceof z.ZodEnum) {
    const values = new Set<unknown>(schema.options);
    return (value) => values.has(value);
  }
  if (schema instanceof z.ZodArray) {
    const element = build(schema.element as z.ZodType);
    return element === anything ? Array.isArray : (value) => Array.isArray(value) && value.every(element);
  }
  if (schema instanceof z.ZodRecord) return isJsonObject;
  if (schema instanceof z.ZodString) return (value) => typeof value === 'string';
  if (schema instanceof z.ZodNumber) return (value) => typeof value === 'number';
  if (schema instanceof z.ZodBoolean) return (value) => typeof value === 'boolean';
  return anything;
}

function objectCheck(schema: z.ZodObject): Conforms {
  const members = Object.entries(schema.shape).map(([name, member]) => ({
    name,
    check: build(member as z.ZodType),
    optional: (member as z.ZodType)._zod.optin !== undefined && !isRequiredOnWrite(member as z.ZodType),
  }));
  const names = new Set(members.map((member) => member.name));
  const catchall = schema.def.catchall;
  // z.object strips what it does not name: for a document that is a member lost, so only a loose object is open.
  const open = catchall !== undefined && !(catchall instanceof z.ZodNever);
  return (value) => {
    if (!isJsonObject(value)) return false;
    for (const { name, check, optional } of members) {
      const member = value[name];
      if (member === undefined ? !optional : !check(member)) return false;
    }
    if (!open) for (const name in value) if (!names.has(name)) return false;
    return true;
  };
}
