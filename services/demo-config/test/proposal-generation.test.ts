// Proposals generated from the questionnaire, through the routes: quote without
// storing, generate and store a draft with the guide's fields filled in, reprice
// a draft, freeze a sent one, never reprice on a price-book change, refuse what
// is typed in over what is generated, and the price book as a file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, testApp } from '@analytics-engine/http/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { questionnaireExample, type QuoteJson } from '../src/proposal-generator/index.js';
import { demoConfigService } from '../src/service.js';
import { client, useDemoApp } from './support/demo-app.js';

const demo = useDemoApp();
const CLIENT = 'gen-client';
beforeAll(async () => {
  expect(
    (await request(demo.app, 'POST', '/demo/clients', client(CLIENT, { modules: ['SCOR', 'CRM'] }))).statusCode,
  ).toBe(201);
});

/** What these tests read of a generated proposal. */
interface Proposal {
  proposal_id: string;
  status: string;
  quote: QuoteJson;
  price_book: { version: string };
  pricing: { total: number; breakdown: Record<string, number> };
  timeline: { start_date: string; end_date: string; phases: { id: string }[] };
  resources: { consultants: { role: string }[]; hours: number };
}

/** The reference's SCOR + CRM three-year case, with the value chains left to the client's modules. */
const { value_chains: _chains, ...questionnaire } = questionnaireExample;

/** POST /demo/proposals with that questionnaire for CLIENT, and `beside` it any other members. */
const generate = (beside: Record<string, unknown> = {}) =>
  request(demo.app, 'POST', '/demo/proposals', {
    client_id: CLIENT,
    proposal_type: 'implementation',
    questionnaire,
    ...beside,
  });

describe('POST /demo/proposals/quote', () => {
  it("prices the reference's three-year SCOR + CRM case to the cent, and stores nothing", async () => {
    const before = (await request(demo.app, 'GET', '/demo/proposals')).json<{ items: unknown[] }>().items.length;
    const response = await request(demo.app, 'POST', '/demo/proposals/quote', { client_id: CLIENT, questionnaire });
    expect(response.statusCode, response.body).toBe(200);
    const quote = response.json<QuoteJson>();
    expect(quote.licensing).toMatchObject({
      value_chains: ['SCOR', 'CRM'],
      term_years: 3,
      annual_total: 65000,
      term_total: 195000,
    });
    expect(quote.infrastructure.total).toEqual({ monthly: 1860, annual: 22320 });
    expect(quote.managed_services.annual_total).toBe(8750);
    expect(quote.totals.yearly_recurring).toBe(96070);
    const tmCosts = quote.implementation.tm_items.map((item) => item.cost);
    // The reference's T&M example (API 40-60 h, dynamic RBAC 20-30 h), and the AWS setup's cloud architect (40-80 h).
    expect(tmCosts).toEqual([
      { min: 7000, max: 14000 },
      { min: 7000, max: 10500 },
      { min: 3500, max: 5250 },
    ]);
    expect(quote.implementation.tm_range).toEqual({ min: 17500, max: 29750 });
    expect(quote.totals.term_total.max - quote.totals.term_total.min).toBe(29750 - 17500);
    expect(quote.price_book.version).toMatch(/\S/);
    expect((await request(demo.app, 'GET', '/demo/proposals')).json<{ items: unknown[] }>().items.length).toBe(before);
  });

  it('answers 400 naming the field, 422 UNKNOWN_CLIENT and 422 NO_VALUE_CHAINS', async () => {
    const objects = JSON.parse(JSON.stringify(questionnaire.objects)) as Record<string, unknown>[];
    objects[3] = { ...objects[3], integration: 'carrier_pigeon' };
    const bad = await request(demo.app, 'POST', '/demo/proposals/quote', {
      client_id: CLIENT,
      questionnaire: { ...questionnaire, objects },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ details: { path: string }[] }>().details.map((detail) => detail.path)).toContain(
      'body.questionnaire.objects.3.integration',
    );
    const term = await request(demo.app, 'POST', '/demo/proposals/quote', {
      client_id: CLIENT,
      questionnaire: { ...questionnaire, license_term_years: 2 },
    });
    expect(term.json().details[0].path).toBe('body.questionnaire.license_term_years');
    const unknown = await request(demo.app, 'POST', '/demo/proposals/quote', { client_id: 'nobody', questionnaire });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('UNKNOWN_CLIENT');
    expect((await request(demo.app, 'POST', '/demo/clients', client('no-modules', { modules: [] }))).statusCode).toBe(
      201,
    );
    const none = await request(demo.app, 'POST', '/demo/proposals/quote', { client_id: 'no-modules', questionnaire });
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({
      code: 'NO_VALUE_CHAINS',
      details: [{ path: 'body.questionnaire.value_chains' }],
    });
  });
});

describe('POST /demo/proposals with a questionnaire', () => {
  it(
    'stores a draft with the questionnaire, the quote, the price book and the guide fields filled from the ' + 'quote',
    async () => {
      const created = await generate();
      expect(created.statusCode, created.body).toBe(201);
      const proposal = created.json<Proposal>();
      expect(proposal.status).toBe('draft');
      expect(proposal.quote.totals.yearly_recurring).toBe(96070);
      expect(proposal.price_book.version).toBe(proposal.quote.price_book.version);
      expect(proposal.pricing.total).toBe(proposal.quote.totals.term_total.max);
      const parts = Object.values(proposal.pricing.breakdown);
      expect(Math.round(parts.reduce((sum, part) => sum + part * 100, 0))).toBe(
        Math.round(proposal.pricing.total * 100),
      );
      expect(proposal.pricing.breakdown).toMatchObject({
        licensing: 195000,
        infrastructure: 66960,
        managed_services: 26250,
      });
      expect(proposal.timeline).toMatchObject({
        start_date: proposal.quote.schedule.start_date,
        end_date: proposal.quote.schedule.end_date,
      });
      expect(proposal.timeline.phases.map((phase) => phase.id)).toEqual(
        proposal.quote.schedule.phases.map((phase) => phase.id),
      );
      expect(proposal.resources.consultants.map((role) => role.role)).toContain('Cloud Architect');
      expect(proposal.resources.hours).toBeGreaterThan(0);
      expect((await request(demo.app, 'GET', `/demo/proposals/${proposal.proposal_id}`)).json()).toEqual(proposal);
    },
  );

  it(
    'reprices a draft whose questionnaire changes, freezes a sent one, and never takes generated members ' + 'typed in',
    async () => {
      const created = (await generate()).json();
      const id = created.proposal_id as string;
      const more = { ...questionnaire, license_term_years: 5 };
      const repriced = await request(demo.app, 'PATCH', `/demo/proposals/${id}`, { questionnaire: more });
      expect(repriced.statusCode, repriced.body).toBe(200);
      expect(repriced.json().quote.licensing).toMatchObject({ term_years: 5, annual_total: 60000, term_total: 300000 });
      expect(repriced.json().pricing.total).toBeGreaterThan(created.pricing.total);
      const typedIn = await request(demo.app, 'PATCH', `/demo/proposals/${id}`, { pricing: { total: 1 } });
      expect(typedIn.statusCode).toBe(422);
      expect(typedIn.json()).toMatchObject({ code: 'GENERATED_FIELD', details: [{ path: 'body.pricing' }] });
      const roundTrip = repriced.json();
      const { proposal_id: _id, created_at: _at, ...document } = roundTrip;
      expect((await request(demo.app, 'PUT', `/demo/proposals/${id}`, document)).statusCode).toBe(200);
      expect((await request(demo.app, 'PATCH', `/demo/proposals/${id}`, { status: 'sent' })).statusCode).toBe(200);
      const frozen = await request(demo.app, 'PATCH', `/demo/proposals/${id}`, { questionnaire });
      expect(frozen.statusCode).toBe(409);
      expect(frozen.json().code).toBe('PROPOSAL_FROZEN');
      expect((await request(demo.app, 'GET', `/demo/proposals/${id}`)).json().quote.licensing.term_years).toBe(5);
    },
  );

  it(
    'refuses a questionnaire with hand-entered pricing beside it, and keeps the hand-entered form ' + 'working',
    async () => {
      const both = await generate({ pricing: { total: 10 } });
      expect(both.statusCode).toBe(422);
      expect(both.json().code).toBe('GENERATED_FIELD');
      const hand = await request(demo.app, 'POST', '/demo/proposals', {
        client_id: CLIENT,
        proposal_type: 'consulting',
        pricing: { total: 10 },
      });
      expect(hand.statusCode).toBe(201);
      expect(hand.json()).not.toHaveProperty('quote');
    },
  );
});

describe('the price book', () => {
  const dir = mkdtempSync(join(tmpdir(), 'price-book-'));
  const apps: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('is served in the file format, which loads back as the same book', async () => {
    const served = await request(demo.app, 'GET', '/demo/price-book');
    expect(served.statusCode).toBe(200);
    const path = join(dir, 'same.json');
    writeFileSync(path, served.body);
    const reloaded = await testApp(demoConfigService, demo.database, { PRICE_BOOK_FILE: path });
    apps.push(reloaded);
    expect((await request(reloaded, 'GET', '/demo/price-book')).json()).toEqual(served.json());
  });

  it('from a YAML file changes the rate it names, and never reprices a proposal priced before', async () => {
    const book = (await request(demo.app, 'GET', '/demo/price-book')).json();
    const before = (await generate()).json();
    const changed = structuredClone(book);
    delete changed.version;
    changed.licensing.per_chain_per_year['3'] = 40000;
    const path = join(dir, 'dearer.yaml');
    writeFileSync(path, stringify(changed));
    const dearer = await testApp(demoConfigService, demo.database, { PRICE_BOOK_FILE: path });
    apps.push(dearer);
    const quote = (await request(dearer, 'POST', '/demo/proposals/quote', { client_id: CLIENT, questionnaire })).json();
    expect(quote.licensing.annual_total).toBe(80000);
    expect(quote.price_book.version).not.toBe(before.quote.price_book.version);
    const untouched = await request(dearer, 'PATCH', `/demo/proposals/${before.proposal_id as string}`, {
      status: 'sent',
    });
    expect(untouched.json().quote).toEqual(before.quote);
    expect(untouched.json().price_book).toEqual(before.price_book);
  });

  it('refuses the boot with one line naming the bad entry', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'licensing:\n  per_chain_per_year:\n    "3": -5\n');
    const boot = testApp(demoConfigService, demo.database, { PRICE_BOOK_FILE: path });
    await expect(boot).rejects.toThrow(/^PRICE_BOOK_FILE .*bad\.yaml: \S+/);
    await expect(testApp(demoConfigService, demo.database, { PRICE_BOOK_FILE: path })).rejects.not.toThrow(/\n/);
  });
});
