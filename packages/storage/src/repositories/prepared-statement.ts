// A statement built and compiled by Kysely once, then run many times with new
// values: the per-request cost of building and compiling the query tree is gone,
// and the text, always the same, is sent as a named prepared statement.
import { CompiledQuery, type Compilable, type Kysely, type QueryResult, type Transaction } from 'kysely';
import { registerNamedStatement } from '../database/named-statements.js';

/** Stands in for a value at build time; NUL cannot occur in real parameters (PostgreSQL refuses it). */
const slotValue = (slot: string) => `\u0000slot:${slot}`;

export interface PreparedStatement<Slot extends string> {
  readonly sql: string;
  run<R>(
    executor: Kysely<unknown> | Transaction<unknown>,
    values: Readonly<Record<Slot, unknown>>,
  ): Promise<QueryResult<R>>;
}

/**
 * `build` receives one placeholder per slot and returns the query; each
 * placeholder must reach the compiled statement as a parameter of its own.
 */
export function prepareStatement<Slot extends string>(
  slots: readonly Slot[],
  build: (placeholders: Record<Slot, string>) => Compilable,
): PreparedStatement<Slot> {
  const placeholders = Object.fromEntries(slots.map((slot) => [slot, slotValue(slot)])) as Record<Slot, string>;
  const compiled = build(placeholders).compile();
  const bySlotValue = new Map<unknown, Slot>(slots.map((slot) => [slotValue(slot), slot]));
  // For each parameter: the slot it takes its value from, or the constant Kysely put there.
  const parameters = compiled.parameters.map((value) => {
    const slot = bySlotValue.get(value);
    return slot === undefined ? { constant: value } : { slot };
  });
  for (const slot of slots) {
    if (!parameters.some((parameter) => parameter.slot === slot))
      throw new Error(`prepareStatement: slot ${slot} is not a parameter of ${compiled.sql}`);
  }
  registerNamedStatement(compiled.sql);
  return {
    sql: compiled.sql,
    run: <R>(executor: Kysely<unknown> | Transaction<unknown>, values: Readonly<Record<Slot, unknown>>) =>
      executor.executeQuery<R>(
        CompiledQuery.raw(
          compiled.sql,
          parameters.map((parameter) => (parameter.slot === undefined ? parameter.constant : values[parameter.slot])),
        ),
      ),
  };
}
