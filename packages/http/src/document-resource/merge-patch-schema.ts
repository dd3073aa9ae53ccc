// The JSON Merge Patch (RFC 7386) form of a document schema, derived instead of
// restated: every member becomes optional (absent keeps it); a member the
// document may lack becomes nullable too (null removes it), while a required one
// cannot be removed; objects are patched member by member, recursively, and keep
// their strictness (those with cross-member rules are checked whole, once
// merged). A default (proposal status: draft) is dropped: an absent
// member keeps the stored value, it does not reset it.
import { z } from 'zod';

type Member = z.ZodType;

/** The member without optional / default / nullable wrappers, and whether the document may lack it. */
function unwrap(member: Member): { inner: Member; removable: boolean } {
  let inner = member;
  let removable = false;
  for (;;) {
    if (inner instanceof z.ZodOptional) {
      removable = true;
      inner = inner.unwrap() as Member;
    } else if (inner instanceof z.ZodDefault) {
      inner = inner.unwrap() as Member;
    } else if (inner instanceof z.ZodNullable) {
      inner = inner.unwrap() as Member;
    } else {
      return { inner, removable };
    }
  }
}

/** Keeps the documentation (description, examples) a wrapper carried. */
function withMetaOf<T extends Member>(original: Member, derived: T): T {
  const meta = z.globalRegistry.get(original);
  return meta ? derived.meta(meta) : derived;
}

/**
 * An object whose rules span its members (refinements) cannot be checked from a
 * patch of it: any JSON object is taken, and the merged document is validated
 * whole, on write, by the repository's schema.
 */
const hasRefinements = (schema: z.ZodObject) => (schema._zod.def.checks ?? []).length > 0;

function patchMember(member: Member): Member {
  const { inner, removable } = unwrap(member);
  const patched =
    inner instanceof z.ZodObject
      ? hasRefinements(inner)
        ? z.record(z.string(), z.unknown())
        : mergePatchOf(inner)
      : inner;
  return withMetaOf(member, removable ? patched.nullable().optional() : patched.optional());
}

export function mergePatchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>): z.ZodObject {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([name, member]) => [name, patchMember(member as Member)]),
  );
  // extend keeps the object's own strictness (strict, loose or stripping).
  return schema.extend(shape);
}
