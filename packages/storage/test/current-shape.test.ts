// Every row read in the current shape (legacy/current-shape.ts): what the schema
// refuses moves under `legacy` at the path it had, a missing required member is
// named in needs_completion, a current row is returned as it is (the same object,
// no copy), and mapping twice changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conformityOf } from '../src/legacy/conforms.js';
import { currentShape, readShape } from '../src/legacy/current-shape.js';
import {
  clientConfigSchema,
  clientConfigsTable,
  connectorProfileSchema,
  connectorProfilesTable,
  serviceProposalSchema,
  serviceProposalsTable,
} from '../src/index.js';

const clients = (data: unknown) => currentShape(clientConfigSchema, clientConfigsTable.fromPython, 'c', data);
const proposals = (data: unknown) => currentShape(serviceProposalSchema, serviceProposalsTable.fromPython, 'p', data);
const profiles = (data: unknown) => currentShape(connectorProfileSchema, connectorProfilesTable.fromPython, 'x', data);

describe('the current shape of a stored row', () => {
  it('is the row itself when it already has it', () => {
    const data = { client_name: 'A', license_type: 'basic', preferences: { any: [{ thing: null }] } };
    const shape = clients(data);
    expect(shape).toEqual({ document: data, needsCompletion: [], changed: false });
    expect(shape.document).toBe(data);
  });

  it('keeps what the schema refuses under legacy, at the path it had, at any depth', () => {
    const shape = proposals({
      client_id: 'c',
      proposal_type: 'implementation',
      status: 'sent',
      pricing: { total: 10, currency: 'EUR' },
      timeline: { start_date: 'soon', milestones: ['m'] },
      resources: { hours: -1 },
      note: 'free text',
    });
    expect(shape.document).toEqual({
      client_id: 'c',
      proposal_type: 'implementation',
      status: 'sent',
      pricing: { total: 10 },
      timeline: {},
      resources: {},
      legacy: {
        pricing: { currency: 'EUR' },
        timeline: { start_date: 'soon', milestones: ['m'] },
        resources: { hours: -1 },
        note: 'free text',
      },
    });
    expect(shape.changed).toBe(true);
    expect(serviceProposalSchema.safeParse(shape.document).success).toBe(true);
  });

  it('names the required members it lacks, in the schema order, and a read returns them as needs_completion', () => {
    const shape = clients({ license_type: 'gold', modules: ['A', 7] });
    expect(shape.document).toEqual({ legacy: { license_type: 'gold', modules: ['A', 7] } });
    expect(shape.needsCompletion).toEqual(['client_name', 'license_type']);
    expect(readShape(shape)).toEqual({ ...shape.document, needs_completion: ['client_name', 'license_type'] });
    expect(proposals({ client_id: 'c', status: 'bogus' }).document).toEqual({
      client_id: 'c',
      status: 'draft',
      legacy: { status: 'bogus' },
    });
  });

  it('adds to a legacy member the row has, never over what is kept there', () => {
    const shape = profiles({ name: 'N', type: 'sql', owner: 'x', legacy: { owner: 'y', kept: true } });
    expect(shape.document).toEqual({ name: 'N', type: 'sql', legacy: { owner: 'y', kept: true, 'owner~2': 'x' } });
  });

  it('keeps a document that is not even an object whole', () => {
    expect(clients(['not', 'an', 'object']).document).toEqual({ legacy: { document: ['not', 'an', 'object'] } });
  });

  it('never stores needs_completion: a stored one is recomputed', () => {
    const shape = clients({ client_name: 'A', license_type: 'basic', needs_completion: ['x'] });
    expect(shape).toMatchObject({
      document: { client_name: 'A', license_type: 'basic' },
      needsCompletion: [],
      changed: true,
    });
  });

  const anyRow = fc.dictionary(
    fc.constantFrom(
      'name',
      'type',
      'client_name',
      'license_type',
      'client_id',
      'proposal_type',
      'status',
      'pricing',
      'timeline',
      'schedule',
      'legacy',
      'host',
      'password',
      'x',
    ),
    fc.jsonValue({ maxDepth: 3 }),
  );

  it('is valid but for needs_completion, and stays as it is when mapped again, whatever the row', () => {
    for (const [schema, map] of [
      [clientConfigSchema, clients],
      [serviceProposalSchema, proposals],
      [connectorProfileSchema, profiles],
    ] as const) {
      fc.assert(
        fc.property(anyRow, (row) => {
          const shape = map(row);
          const parsed = schema.safeParse(shape.document);
          const unmet = parsed.success ? [] : [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
          expect(unmet.sort()).toEqual([...shape.needsCompletion].sort());
          expect(map(shape.document)).toMatchObject({ document: shape.document, changed: false });
          expect(conformityOf(schema)(shape.document)).toBe(shape.needsCompletion.length === 0);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('loses no value of any row: each one is still there, in place or under legacy', () => {
    // Scalars: an empty object may gain members (legacy does) without anything being lost.
    const leaves = (value: unknown): string[] =>
      Array.isArray(value)
        ? value.flatMap(leaves)
        : isObject(value)
          ? Object.values(value).flatMap(leaves)
          : [JSON.stringify(value)];
    const row = fc.dictionary(
      fc.constantFrom('client_name', 'license_type', 'modules', 'preferences', 'legacy', 'x', 'y'),
      fc.jsonValue({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(row, (data) => {
        const kept = leaves(clients(data).document);
        for (const leaf of leaves(data)) {
          const at = kept.indexOf(leaf);
          expect(at, leaf).toBeGreaterThanOrEqual(0);
          kept.splice(at, 1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
