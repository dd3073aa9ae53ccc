// Properties over generated questionnaires (fast-check): totals add up to the
// cent, more work never costs less or takes less time, the schedule is
// well-formed and deterministic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFRESH_PERIODS, TM_INTEGRATION_TYPE } from '../../src/proposal-generator/catalog.js';
import { implementationHours, termBreakdown } from '../../src/proposal-generator/generate-quote.js';
import type { QuestionnaireInput } from '../../src/proposal-generator/questionnaire-schema.js';
import type { Quote } from '../../src/proposal-generator/quote-types.js';
import { forEveryQuote, hoursRange, kpiArb, objectArb, questionnaireArb, quoteFor, sizingArb } from './support.js';

const RUNS = { numRuns: 150 };
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

const MONEY = new Set([
  'annual_rate_per_chain',
  'annual_total',
  'term_total',
  'cost',
  'rate',
  'fixed_total',
  'tm_range',
  'total',
  'monthly',
  'annual',
  'additional_cost',
  'year1',
  'yearly_recurring',
]);

/** Every cents member of a quote, by the contract's names (a range's min/max under a money name), with its path. */
function centsMembers(quote: Quote): [string, number][] {
  const found: [string, number][] = [];
  const walk = (node: unknown, path: readonly string[]) => {
    const key = path.at(-1) ?? '';
    if (typeof node === 'number') {
      const inRange = (key === 'min' || key === 'max') && MONEY.has(path.at(-2) ?? '');
      if (MONEY.has(key) || inRange) found.push([path.join('.'), node]);
    } else if (node !== null && typeof node === 'object') {
      for (const [member, value] of Object.entries(node)) walk(value, [...path, member]);
    }
  };
  walk(quote, []);
  return found;
}

describe('totals add up', () => {
  it('every amount is an integer number of cents, and every total is the sum of its parts, exactly', () => {
    forEveryQuote(RUNS.numRuns, (quote) => {
      const amounts = centsMembers(quote);
      expect(amounts.length).toBeGreaterThan(10);
      for (const [path, cents] of amounts) expect(Number.isSafeInteger(cents) && cents >= 0, path).toBe(true);

      const { implementation: work, infrastructure, licensing, managed_services: managed, totals } = quote;
      const lines = [...work.data_integration, ...work.kpi_implementation].map((line) => line.cost);
      expect(work.fixed_total).toBe(sum(lines) + work.environment.cost);
      expect(work.tm_range).toEqual({
        min: sum(work.tm_items.map((item) => item.cost.min)),
        max: sum(work.tm_items.map((item) => item.cost.max)),
      });
      const fixed = work.fixed_total;
      expect(work.total).toEqual({ min: fixed + work.tm_range.min, max: fixed + work.tm_range.max });
      const parts = [infrastructure.compute, infrastructure.storage, infrastructure.network];
      for (const part of [...parts, infrastructure.total]) expect(part.annual).toBe(12 * part.monthly);
      expect(infrastructure.total.monthly).toBe(sum(parts.map((part) => part.monthly)));
      expect(licensing.annual_total).toBe(licensing.value_chains.length * licensing.annual_rate_per_chain);
      expect(licensing.term_total).toBe(licensing.term_years * licensing.annual_total);
      const recurring = licensing.annual_total + infrastructure.total.annual + managed.annual_total;
      expect(totals.yearly_recurring).toBe(recurring);
      for (const bound of ['min', 'max'] as const) {
        expect(totals.year1[bound]).toBe(work.total[bound] + totals.yearly_recurring);
        const later = (licensing.term_years - 1) * totals.yearly_recurring;
        expect(totals.term_total[bound]).toBe(totals.year1[bound] + later);
        const breakdown = termBreakdown(quote, bound);
        const { total, ...rest } = breakdown;
        expect(total).toBe(sum(Object.values(rest)));
        expect(total).toBe(totals.term_total[bound]);
      }
    });
  });
});

/** `after` never costs less and never takes less time than `before`. */
function expectNoLessWork(before: Quote, after: Quote): void {
  const pairs: [string, number, number][] = [
    ['implementation.min', before.implementation.total.min, after.implementation.total.min],
    ['implementation.max', before.implementation.total.max, after.implementation.total.max],
    ['infrastructure', before.infrastructure.total.monthly, after.infrastructure.total.monthly],
    ['yearly_recurring', before.totals.yearly_recurring, after.totals.yearly_recurring],
    ['term_total.min', before.totals.term_total.min, after.totals.term_total.min],
    ['term_total.max', before.totals.term_total.max, after.totals.term_total.max],
    ['hours.max', implementationHours(before).max, implementationHours(after).max],
    ['total_weeks', before.schedule.total_weeks, after.schedule.total_weeks],
  ];
  for (const [what, was, now] of pairs) expect(now, what).toBeGreaterThanOrEqual(was);
  expect(after.schedule.end_date >= before.schedule.end_date).toBe(true);
}

const longer = (range: { min: number; max: number }) =>
  fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 })).map(([more, moreMax]) => {
    // In hundredths, so the raised hours keep two decimals.
    const max = (Math.round(range.max * 100) + moreMax) / 100;
    return { min: Math.min((Math.round(range.min * 100) + more) / 100, max), max };
  });

describe('more work never costs less or takes less time', () => {
  it('adding an object', () => {
    fc.assert(
      fc.property(questionnaireArb, objectArb(1_000), (input, object) => {
        expectNoLessWork(quoteFor(input), quoteFor({ ...input, objects: [...input.objects, object] }));
      }),
      RUNS,
    );
  });

  it('adding a KPI (which also sizes compute)', () => {
    fc.assert(
      fc.property(questionnaireArb, kpiArb(5_000), (input, kpi) => {
        expectNoLessWork(quoteFor(input), quoteFor({ ...input, kpis: [...input.kpis, kpi] }));
      }),
      RUNS,
    );
  });

  it('raising T&M hours of an object, a KPI or the environment', () => {
    const raised = hoursRange.chain((range) => fc.tuple(fc.constant(range), longer(range)));
    const where = fc.constantFrom('object', 'kpi', 'environment');
    fc.assert(
      fc.property(questionnaireArb, raised, where, (input, [low, high], at) => {
        const withHours = (tm_hours: { min: number; max: number }): QuestionnaireInput => {
          if (at === 'environment') {
            return { ...input, environment: { platform: 'aws', cloud_architect_hours: tm_hours } };
          }
          if (at === 'object') {
            const object = { name: 'T&M', source_system: 'API', integration: TM_INTEGRATION_TYPE, tm_hours } as const;
            return { ...input, objects: [...input.objects, object] };
          }
          return { ...input, kpis: [...input.kpis, { code: 'TM', name: 'T&M', complexity: 'dynamic_rbac', tm_hours }] };
        };
        expectNoLessWork(quoteFor(withHours(low)), quoteFor(withHours(high)));
      }),
      RUNS,
    );
  });

  it('longer retention, a stricter preset', () => {
    const days = fc.integer({ min: 0, max: 1825 });
    const years = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant('indefinite' as const));
    const rank = (value: number | 'indefinite') => (value === 'indefinite' ? 11 : value);
    const presets = [undefined, 'hipaa', 'sox'] as const;
    fc.assert(
      fc.property(
        questionnaireArb,
        sizingArb,
        fc.tuple(days, days, days, days, years, years, fc.nat(2), fc.nat(2)),
        (input, infrastructure, [s1, s2, a1, a2, y1, y2, p1, p2]) => {
          // Either archive years (ordered) or presets (ordered), as a preset sets the archive when years are absent.
          const [yLow, yHigh] = rank(y1) <= rank(y2) ? [y1, y2] : [y2, y1];
          const base = { ...input, infrastructure };
          const low = { staged_days: Math.min(s1, s2), analytics_days: Math.min(a1, a2) };
          const high = { staged_days: Math.max(s1, s2), analytics_days: Math.max(a1, a2) };
          expectNoLessWork(
            quoteFor({ ...base, retention: { ...low, archive_years: yLow } }),
            quoteFor({ ...base, retention: { ...high, archive_years: yHigh } }),
          );
          const preset = (level: number) => presets[level];
          expectNoLessWork(
            quoteFor({ ...base, retention: { ...low, preset: preset(Math.min(p1, p2)) } }),
            quoteFor({ ...base, retention: { ...high, preset: preset(Math.max(p1, p2)) } }),
          );
        },
      ),
      RUNS,
    );
  });

  it('more ingest, more users, a faster refresh', () => {
    const order = [...REFRESH_PERIODS].reverse(); // day, hour, minute: slowest first
    fc.assert(
      fc.property(
        questionnaireArb,
        sizingArb,
        fc.tuple(fc.nat(100_000), fc.nat(5_000), fc.nat(2), fc.nat(2)),
        (input, sizing, [moreIngest, moreUsers, r1, r2]) => {
          const refresh = (level: number) => order[level]!;
          const before = { ...sizing, refresh_period: refresh(Math.min(r1, r2)) };
          const after = {
            daily_ingest_gb: (Math.round(sizing.daily_ingest_gb * 100) + moreIngest) / 100,
            concurrent_users: sizing.concurrent_users + moreUsers,
            refresh_period: refresh(Math.max(r1, r2)),
          };
          type Infrastructure = QuestionnaireInput['infrastructure'];
          const quote = (infrastructure: Infrastructure) => quoteFor({ ...input, infrastructure });
          expectNoLessWork(quote(before), quote(after));
        },
      ),
      RUNS,
    );
  });

  it('a smaller team never finishes sooner', () => {
    fc.assert(
      fc.property(questionnaireArb, fc.nat(3), (input, fewer) => {
        const team = (size: number) => ({
          ...input.team,
          integration_developers: size,
          integration_architects: size,
          cloud_architects: size,
        });
        const weeks = (size: number) => quoteFor({ ...input, team: team(size) }).schedule.total_weeks;
        expect(weeks(1)).toBeGreaterThanOrEqual(weeks(1 + fewer));
      }),
      RUNS,
    );
  });
});

describe('the schedule', () => {
  it('is deterministic: the same questionnaire, the same quote, whatever object identity', () => {
    fc.assert(
      fc.property(questionnaireArb, (input) => {
        expect(quoteFor(structuredClone(input))).toEqual(quoteFor(input));
      }),
      RUNS,
    );
  });

  it('is well-formed: phases after what they depend on, dated within their weeks; roles within the project', () => {
    forEveryQuote(RUNS.numRuns, ({ schedule }, input) => {
      const byId = new Map(schedule.phases.map((phase) => [phase.id, phase]));
      expect(byId.has('environment_setup')).toBe(input.environment.platform !== 'none');
      expect(schedule.phases[0]?.start_week).toBe(1);
      for (const phase of schedule.phases) {
        expect(phase.start_week).toBeLessThanOrEqual(phase.end_week);
        expect(phase.start_date <= phase.end_date).toBe(true);
        expect(new Date(`${phase.end_date}T00:00:00Z`).getUTCDay()).toBe(5);
        for (const id of phase.depends_on) expect(byId.get(id)!.start_week).toBeLessThanOrEqual(phase.start_week);
      }
      expect(schedule.phases.at(-1)).toMatchObject({ id: 'go_live', end_week: schedule.total_weeks, critical: true });
      for (const role of schedule.roles) {
        expect(role.start_week).toBeGreaterThanOrEqual(1);
        expect(role.end_week).toBeLessThanOrEqual(schedule.total_weeks);
        expect(role.start_week).toBeLessThanOrEqual(role.end_week);
      }
    });
  });
});
