// The proposal rules, each on create and on every update (PATCH, PUT), each a
// 4xx whose code names the rule; the status machine; racing status moves; and
// the rules holding on a write that bypasses the routes.
import { createServiceProposalRepository, InvalidDocumentError } from '@analytics-engine/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossFieldViolations, proposalSchema, toCents } from '../src/proposal-rules.js';
import { request } from '@analytics-engine/http/testing';
import { client, detailPaths, proposal, useDemoApp } from './support/demo-app.js';

const demo = useDemoApp();
const CLIENT = 'rules-client';
beforeAll(async () => {
  expect((await request(demo.app, 'POST', '/demo/clients', client(CLIENT))).statusCode).toBe(201);
});

let sequence = 0;
const nextId = () => `rule-${++sequence}`;
const post = (body: unknown) => request(demo.app, 'POST', '/demo/proposals', body);
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  request(demo.app, 'PATCH', `/demo/proposals/${id}`, body, headers);
const put = (id: string, body: unknown) => request(demo.app, 'PUT', `/demo/proposals/${id}`, body);

/** A stored proposal in the given status, walked there through the allowed moves. */
async function proposalIn(
  status: 'draft' | 'sent' | 'accepted' | 'rejected',
  fields: Record<string, unknown> = {},
): Promise<string> {
  const id = nextId();
  expect((await post(proposal(id, CLIENT, fields))).statusCode).toBe(201);
  const path = { draft: [], sent: ['sent'], accepted: ['sent', 'accepted'], rejected: ['sent', 'rejected'] }[status];
  for (const step of path) expect((await patch(id, { status: step })).statusCode).toBe(200);
  return id;
}

const documentCases = [
  {
    rule: 'TIMELINE_END_BEFORE_START',
    path: 'body.timeline.end_date',
    fields: { timeline: { start_date: '2026-03-01', end_date: '2026-02-28' } },
    message: 'timeline.end_date must not be before timeline.start_date (2026-02-28 is before 2026-03-01)',
  },
  {
    rule: 'NEGATIVE_PRICING_TOTAL',
    path: 'body.pricing.total',
    fields: { pricing: { total: -0.01 } },
    message: 'pricing.total must not be negative',
  },
  {
    rule: 'NEGATIVE_RESOURCE_HOURS',
    path: 'body.resources.hours',
    fields: { resources: { hours: -8 } },
    message: 'resources.hours must not be negative',
  },
  {
    rule: 'PRICING_BREAKDOWN_MISMATCH',
    path: 'body.pricing.breakdown',
    fields: { pricing: { total: 1000, breakdown: { licenses: 600, services: 400.01 } } },
    message:
      'the numbers in pricing.breakdown must add up to pricing.total, to the cent (they add up to 1000.01, ' +
      'pricing.total is 1000.00)',
  },
] as const;

describe.each(documentCases)('rule $rule', ({ rule, path, fields, message }) => {
  const expectRule = (response: Awaited<ReturnType<typeof post>>) => {
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: rule,
      message,
      details: [{ path, message }],
    });
  };

  it('is enforced on create', async () => {
    const id = nextId();
    expectRule(await post(proposal(id, CLIENT, fields)));
    expect((await request(demo.app, 'GET', `/demo/proposals/${id}`)).statusCode).toBe(404);
  });

  it('is enforced on PATCH, against the merged proposal', async () => {
    const id = await proposalIn('draft', {
      timeline: { start_date: '2026-03-01' },
      pricing: { breakdown: { licenses: 600, services: 400.01 } },
    });
    const patchBody =
      rule === 'TIMELINE_END_BEFORE_START'
        ? { timeline: { end_date: '2026-02-28' } }
        : rule === 'PRICING_BREAKDOWN_MISMATCH'
          ? { pricing: { total: 1000 } }
          : fields;
    expectRule(await patch(id, patchBody));
    const stored = (await request(demo.app, 'GET', `/demo/proposals/${id}`)).json();
    expect(stored.timeline).toEqual({ start_date: '2026-03-01' });
    expect(stored.pricing).toEqual({ breakdown: { licenses: 600, services: 400.01 } });
  });

  it('is enforced on PUT', async () => {
    const id = await proposalIn('draft');
    expectRule(await put(id, proposal(undefined, CLIENT, fields)));
  });
});

describe('document rules, the valid side', () => {
  it('accepts an end_date equal to start_date, zero amounts and a breakdown that adds up to the cent', async () => {
    const ok = await post(
      proposal(nextId(), CLIENT, {
        timeline: { start_date: '2026-03-01', end_date: '2026-03-01' },
        resources: { hours: 0 },
        pricing: { total: 0.3, breakdown: { a: 0.1, b: 0.2 } },
      }),
    );
    expect(ok.statusCode).toBe(201);
  });

  it('checks the sum only when every breakdown value is a number, and only with a total', async () => {
    const mixed = await post(
      proposal(nextId(), CLIENT, { pricing: { total: 100, breakdown: { a: 10, b: { note: 'see annex' } } } }),
    );
    expect(mixed.statusCode).toBe(201);
    expect((await post(proposal(nextId(), CLIENT, { pricing: { breakdown: { a: 10, b: 20 } } }))).statusCode).toBe(201);
    expect((await post(proposal(nextId(), CLIENT, { pricing: { total: 100, breakdown: {} } }))).statusCode).toBe(201);
    expect(
      (await post(proposal(nextId(), CLIENT, { pricing: { total: 100, breakdown: { a: 150, discount: -50 } } })))
        .statusCode,
    ).toBe(201);
  });

  it('rejects dates that are not ISO calendar dates with a 400 naming the field', async () => {
    for (const date of ['2026-02-30', '01/03/2026', '2026-03-01T00:00:00Z', '2026-3-1']) {
      const response = await post(proposal(nextId(), CLIENT, { timeline: { start_date: date } }));
      expect(response.statusCode, date).toBe(400);
      expect(response.json().details[0].path, date).toBe('body.timeline.start_date');
    }
  });

  it('names every broken rule at once, and stays a 400 when other fields are invalid too', async () => {
    const both = await post(
      proposal(nextId(), CLIENT, {
        pricing: { total: -5 },
        timeline: { start_date: '2026-03-02', end_date: '2026-03-01' },
      }),
    );
    expect(both.statusCode).toBe(422);
    expect(detailPaths(both)).toEqual(['body.pricing.total', 'body.timeline.end_date']);
    const mixed = await post(proposal(nextId(), CLIENT, { proposal_type: 'audit', pricing: { total: -5 } }));
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().code).toBe('VALIDATION_FAILED');
    expect(detailPaths(mixed)).toEqual(['body.pricing.total', 'body.proposal_type']);
  });

  it('compares money in integer cents', () => {
    expect(toCents(0.1) + toCents(0.2)).toBe(toCents(0.3));
    expect(toCents(1200.5)).toBe(120050);
    expect(crossFieldViolations({ pricing: { total: 10.1, breakdown: { a: 3.3, b: 3.4, c: 3.4 } } })).toEqual([]);
    expect(crossFieldViolations({ pricing: { total: 10.1, breakdown: { a: 3.3, b: 3.4, c: 3.41 } } })).toHaveLength(1);
  });

  it('holds on a write that bypasses the routes: the repository validates with the refined schema', async () => {
    const proposals = createServiceProposalRepository(demo.database.db, proposalSchema);
    const write = proposals.create('rule-direct', {
      client_id: CLIENT,
      proposal_type: 'consulting',
      timeline: { start_date: '2026-05-02', end_date: '2026-05-01' },
    });
    await expect(write).rejects.toBeInstanceOf(InvalidDocumentError);
    await expect(write).rejects.toMatchObject({ issues: [{ path: ['timeline', 'end_date'] }] });
    const id = await proposalIn('draft');
    await expect(proposals.merge(id, { pricing: { total: 5, breakdown: { a: 1 } } })).rejects.toBeInstanceOf(
      InvalidDocumentError,
    );
  });
});

describe('status transitions', () => {
  const moves = [
    ['draft', 'draft', 200],
    ['draft', 'sent', 200],
    ['draft', 'accepted', 409],
    ['draft', 'rejected', 409],
    ['sent', 'sent', 200],
    ['sent', 'accepted', 200],
    ['sent', 'rejected', 200],
    ['sent', 'draft', 409],
    ['accepted', 'accepted', 200],
    ['accepted', 'rejected', 409],
    ['accepted', 'sent', 409],
    ['accepted', 'draft', 409],
    ['rejected', 'rejected', 200],
    ['rejected', 'accepted', 409],
    ['rejected', 'sent', 409],
    ['rejected', 'draft', 409],
  ] as const;

  it.each(moves)('%s -> %s with PATCH: %i', async (from, to, status) => {
    const id = await proposalIn(from);
    const response = await patch(id, { status: to });
    expect(response.statusCode).toBe(status);
    const stored = (await request(demo.app, 'GET', `/demo/proposals/${id}`)).json();
    if (status === 200) {
      expect(stored.status).toBe(to);
    } else {
      expect(stored.status).toBe(from);
      expect(response.json()).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', details: [{ path: 'body.status' }] });
      expect(response.json().message).toContain(`status cannot move from '${from}' to '${to}'`);
    }
  });

  it.each(moves)('%s -> %s with PUT: %i', async (from, to, status) => {
    const id = await proposalIn(from);
    expect((await put(id, proposal(id, CLIENT, { status: to }))).statusCode).toBe(status);
  });

  it('says why: a final status, or where a status can go', async () => {
    const accepted = await proposalIn('accepted');
    expect((await patch(accepted, { status: 'draft' })).json().message).toBe(
      "status cannot move from 'accepted' to 'draft': 'accepted' is final (draft -> sent -> accepted | rejected)",
    );
    const draft = await proposalIn('draft');
    expect((await patch(draft, { status: 'accepted' })).json().message).toBe(
      "status cannot move from 'draft' to 'accepted': from 'draft' a proposal can only move to 'sent' (draft -> " +
        'sent -> accepted | rejected)',
    );
  });

  it('treats a PUT without status as draft, so it cannot silently reopen a sent proposal', async () => {
    const id = await proposalIn('sent');
    const response = await put(id, proposal(undefined, CLIENT));
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('INVALID_STATUS_TRANSITION');
  });

  it('lets a new proposal start as draft or sent, never accepted or rejected', async () => {
    expect((await post(proposal(nextId(), CLIENT, { status: 'sent' }))).statusCode).toBe(201);
    for (const status of ['accepted', 'rejected']) {
      const response = await post(proposal(nextId(), CLIENT, { status }));
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code: 'INVALID_INITIAL_STATUS', details: [{ path: 'body.status' }] });
    }
  });

  it('lets exactly one of two racing sent -> accepted / sent -> rejected moves win, every time', async () => {
    for (let round = 0; round < 15; round++) {
      const id = await proposalIn('sent');
      const via = round % 3;
      const move = (status: string) =>
        via === 0
          ? patch(id, { status })
          : via === 1
            ? put(id, proposal(id, CLIENT, { status }))
            : patch(id, { status, resources: { hours: round } });
      const [accept, reject] = await Promise.all([move('accepted'), move('rejected')]);
      const codes = [accept.statusCode, reject.statusCode].sort();
      expect(codes, `round ${round}`).toEqual([200, 409]);
      const winner = accept.statusCode === 200 ? 'accepted' : 'rejected';
      const loser = accept.statusCode === 200 ? reject : accept;
      expect(loser.json().code).toBe('INVALID_STATUS_TRANSITION');
      expect(loser.json().message).toContain(`'${winner}' is final`);
      expect((await request(demo.app, 'GET', `/demo/proposals/${id}`)).json().status).toBe(winner);
    }
  });

  it('serialises racing moves that each hold the same ETag: one wins, the other is 412', async () => {
    const id = await proposalIn('sent');
    const etag = (await request(demo.app, 'GET', `/demo/proposals/${id}`)).headers.etag as string;
    const results = await Promise.all(
      ['accepted', 'rejected'].map((status) => patch(id, { status }, { 'if-match': etag })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
  });
});
