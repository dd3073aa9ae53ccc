// The API's quote: dollars with at most two decimals, the response schema
// covering every member, and the way back to cents exact.
import { describe, expect, it } from 'vitest';
import { questionnaireExample } from '../../src/proposal-generator/questionnaire-schema.js';
import { quoteFromJson, quoteJsonSchema, quoteToJson } from '../../src/proposal-generator/quote-json.js';
import { forEveryQuote, minimal, quoteFor } from './support.js';

describe('quoteToJson', () => {
  it('writes the reference figures in dollars', () => {
    const json = quoteToJson(quoteFor(questionnaireExample));
    expect(json.licensing).toMatchObject({ annual_rate_per_chain: 32_500, annual_total: 65_000, term_total: 195_000 });
    expect(json.infrastructure.total).toEqual({ monthly: 1_860, annual: 22_320 });
    const managed = { retainer: true, additional_hours: 50, additional_cost: 3_750, annual_total: 8_750 };
    expect(json.managed_services).toEqual(managed);
    expect(json.totals.yearly_recurring).toBe(96_070);
    expect(json.implementation.tm_items[1]).toMatchObject({ rate: 175, cost: { min: 7_000, max: 10_500 } });
    expect(json.schedule.roles[1]).toMatchObject({ role: 'Cloud Architect', rate: 175, hours: 80 });
  });

  it('keeps cents as two decimals: $0.09 a GB for 1 GB is 0.09, not 0.09000000000000001', () => {
    const infrastructure = { data_transfer_gb_per_month: 1, hot_storage_gb: 333 };
    const json = quoteToJson(quoteFor({ ...minimal, infrastructure }));
    expect(json.infrastructure.network.monthly).toBe(0.09);
    expect(json.infrastructure.storage).toEqual({ monthly: 33.3, annual: 399.6 });
  });
});

describe('round trip and schema', () => {
  it('quoteFromJson(quoteToJson(q)) is q; the schema keeps every member; dollars have two decimals at most', () => {
    forEveryQuote(100, (quote) => {
      const json = quoteToJson(quote);
      expect(quoteFromJson(json)).toEqual(quote);
      // z.object strips what it does not know: equality means the schema names every member.
      expect(quoteJsonSchema.parse(json)).toEqual(json);
      expect(JSON.parse(JSON.stringify(json))).toEqual(json);
      for (const text of JSON.stringify(json).match(/-?\d+\.\d+/g) ?? []) expect(text).toMatch(/^-?\d+\.\d{1,2}$/);
    });
  });

  it('a stored quote read back from JSON text renders the same cents', () => {
    const quote = quoteFor(questionnaireExample);
    const stored: unknown = JSON.parse(JSON.stringify(quoteToJson(quote)));
    expect(quoteFromJson(quoteJsonSchema.parse(stored))).toEqual(quote);
  });

  it('the schema refuses a quote missing a section', () => {
    const json: Partial<ReturnType<typeof quoteToJson>> = quoteToJson(quoteFor(minimal));
    delete json.totals;
    expect(quoteJsonSchema.safeParse(json).success).toBe(false);
  });
});
