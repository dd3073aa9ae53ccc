// The questionnaire's boundaries: each bad answer is refused at its own path
// (the HTTP layer prefixes body.questionnaire), defaults fill the rest, and the
// OpenAPI form describes every member with a working example.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  MAX_KPIS,
  MAX_OBJECTS,
  questionnaireExample,
  questionnaireSchema,
} from '../../src/proposal-generator/questionnaire-schema.js';
import { issues, minimal, parse } from './support.js';

const object = (index: number, fields: Record<string, unknown> = {}) => ({
  name: `Object ${index}`,
  source_system: 'SAP',
  integration: 'batch_conformed',
  ...fields,
});
const kpi = (index: number, fields: Record<string, unknown> = {}) => ({
  code: `K${index}`,
  name: `KPI ${index}`,
  complexity: 'otb',
  ...fields,
});
const objects = (n: number) => Array.from({ length: n }, (_, i) => object(i));
const kpis = (n: number) => Array.from({ length: n }, (_, i) => kpi(i));

describe('refused answers, each at its path', () => {
  it.each([
    ['a term of 2 years', { license_term_years: 2 }, 'license_term_years: Invalid option: expected one of 1|3|5'],
    [
      'an unknown integration type',
      { objects: [object(0), object(1), object(2), object(3, { integration: 'ftp' })] },
      'objects.3.integration: Invalid option',
    ],
    [
      'an unknown complexity',
      { kpis: [kpi(0), kpi(1), kpi(2, { complexity: 'hard' })] },
      'kpis.2.complexity: Invalid option',
    ],
    ['an unknown platform', { environment: { platform: 'ibm' } }, 'environment.platform: Invalid option'],
    [
      'object tm_hours with min above max',
      { objects: [object(0, { integration: 'streaming_api_non_architected', tm_hours: { min: 61, max: 60 } })] },
      'objects.0.tm_hours: min must not be above max',
    ],
    [
      'KPI tm_hours with min above max',
      { kpis: [kpi(0, { complexity: 'dynamic_rbac', tm_hours: { min: 31, max: 30 } })] },
      'kpis.0.tm_hours: min must not be above max',
    ],
    [
      'cloud architect hours with min above max',
      { environment: { platform: 'gcp', cloud_architect_hours: { min: 80, max: 40 } } },
      'environment.cloud_architect_hours: min must not be above max',
    ],
    [
      'tm_hours on a fixed-price integration',
      { objects: [object(0, { tm_hours: { min: 1, max: 2 } })] },
      'objects.0.tm_hours: tm_hours applies only to streaming_api_non_architected',
    ],
    [
      'tm_hours on a fixed-price KPI',
      { kpis: [kpi(0, { complexity: 'rbac', tm_hours: { min: 1, max: 2 } })] },
      'kpis.0.tm_hours: tm_hours applies only to dynamic_rbac',
    ],
    [
      'negative tm hours',
      { kpis: [kpi(0, { complexity: 'dynamic_rbac', tm_hours: { min: -1, max: 2 } })] },
      'kpis.0.tm_hours.min: Too small',
    ],
    [
      'cloud architect hours without a setup',
      { environment: { platform: 'none', cloud_architect_hours: 40 } },
      'environment.cloud_architect_hours: cloud_architect_hours applies only with an environment setup',
    ],
    [
      'a negative count',
      { infrastructure: { api_gateway_instances: -1 } },
      'infrastructure.api_gateway_instances: Too small',
    ],
    [
      'a fractional count',
      { infrastructure: { backend_service_instances: 1.5 } },
      'infrastructure.backend_service_instances: Invalid input: expected int',
    ],
    ['fractional GB', { infrastructure: { hot_storage_gb: 0.5 } }, 'infrastructure.hot_storage_gb: Invalid input'],
    ['a fractional team', { team: { integration_developers: 1.5 } }, 'team.integration_developers: Invalid input'],
    ['an empty team', { team: { integration_developers: 0 } }, 'team.integration_developers: Too small'],
    [
      'negative managed-services hours',
      { managed_services: { retainer: true, additional_hours_per_year: -5 } },
      'managed_services.additional_hours_per_year: Too small',
    ],
    [
      'hours with three decimals',
      { managed_services: { additional_hours_per_year: 1.005 } },
      'managed_services.additional_hours_per_year: must have at most two decimals',
    ],
    [
      'explicit quantities mixed with sizing inputs',
      { infrastructure: { api_gateway_instances: 2, daily_ingest_gb: 10 } },
      'infrastructure.daily_ingest_gb: give either explicit quantities',
    ],
    ['an empty infrastructure', { infrastructure: {} }, 'infrastructure: give either explicit quantities'],
    [
      'sizing without concurrent users',
      { infrastructure: { daily_ingest_gb: 10 } },
      'infrastructure.concurrent_users: required with sizing inputs',
    ],
    [
      'an archive shorter than the SOX preset',
      { retention: { preset: 'sox', archive_years: 5 } },
      'retention.archive_years: SOX requires an archive of at least 7 years',
    ],
    ['an archive of 11 years', { retention: { archive_years: 11 } }, 'retention.archive_years: Too big'],
    ['an unknown preset', { retention: { preset: 'gdpr' } }, 'retention.preset: Invalid option'],
    ['a start on a Saturday', { start_date: '2027-01-02' }, 'start_date: must be a working day (Monday to Friday)'],
    ['a start that is not a date', { start_date: '2026-02-30' }, 'start_date: must be a calendar date YYYY-MM-DD'],
    ['an empty value_chains', { value_chains: [] }, 'value_chains: list at least one value chain'],
    ['a duplicate value chain', { value_chains: ['SCOR', 'SCOR'] }, 'value_chains.1: duplicate value chain'],
    ['a duplicate KPI code', { kpis: [kpi(0), kpi(1), kpi(0)] }, 'kpis.2: duplicate KPI code (also at 0)'],
    ['a duplicate object', { objects: [object(0), object(0)] }, 'objects.1: duplicate object name and source_system'],
    ['a blank object name', { objects: [object(0, { name: '  ' })] }, 'objects.0.name: must not be blank'],
    ['a missing term', { license_term_years: undefined }, 'license_term_years: Invalid option'],
    [`${MAX_OBJECTS + 1} objects`, { objects: objects(MAX_OBJECTS + 1) }, 'objects: at most 1,000 objects'],
    [`${MAX_KPIS + 1} KPIs`, { kpis: kpis(MAX_KPIS + 1) }, 'kpis: at most 5,000 KPIs'],
  ])('%s', (_case, fields, expected) => {
    const found = issues({ ...minimal, ...fields });
    expect(
      found.some((line) => line.startsWith(expected)),
      found.join('\n'),
    ).toBe(true);
  });

  it.each([
    ['the questionnaire', { colour: 'blue' }, '', 'colour'],
    ['an object', { objects: [object(0, { colour: 'blue' })] }, 'objects.0', 'colour'],
    ['the environment', { environment: { platform: 'aws', region: 'eu' } }, 'environment', 'region'],
    ['the infrastructure', { infrastructure: { redis_nodes: 1 } }, 'infrastructure', 'redis_nodes'],
  ])('an unknown member of %s is named', (_case, fields, path, key) => {
    const result = questionnaireSchema.safeParse({ ...minimal, ...fields });
    const unknown = result.error?.issues.filter((issue) => issue.code === 'unrecognized_keys');
    expect(unknown?.map((issue) => [issue.path.join('.'), issue.keys])).toEqual([[path, [key]]]);
  });
});

describe('accepted answers and defaults', () => {
  it(`accepts ${MAX_OBJECTS} objects and ${MAX_KPIS} KPIs, the limits themselves`, () => {
    expect(issues({ ...minimal, objects: objects(MAX_OBJECTS), kpis: kpis(MAX_KPIS) })).toEqual([]);
  });

  it('fills the defaults: no objects or KPIs, retention, no managed services, a team of one per role', () => {
    const parsed = parse(minimal);
    expect(parsed).toMatchObject({
      objects: [],
      kpis: [],
      retention: { staged_days: 90, analytics_days: 365 },
      managed_services: { retainer: false, additional_hours_per_year: 0 },
      team: { integration_developers: 1, integration_architects: 1, cloud_architects: 1, hours_per_week: 40 },
    });
    expect(parsed.value_chains).toEqual(['SCOR', 'CRM']);
    expect(parsed.start_date).toBeUndefined();
    expect(parse({ ...minimal, value_chains: undefined }).value_chains).toBeUndefined();
  });

  it('takes a preset with a longer archive, an indefinite one, and every platform', () => {
    expect(issues({ ...minimal, retention: { preset: 'hipaa', archive_years: 8 } })).toEqual([]);
    expect(issues({ ...minimal, retention: { preset: 'sox', archive_years: 'indefinite' } })).toEqual([]);
    for (const platform of ['on_prem', 'azure', 'aws', 'gcp', 'oracle', 'none']) {
      expect(issues({ ...minimal, environment: { platform } })).toEqual([]);
    }
  });

  it('takes sizing inputs with the refresh period left out', () => {
    expect(issues({ ...minimal, infrastructure: { daily_ingest_gb: 12.5, concurrent_users: 300 } })).toEqual([]);
  });
});

describe('the OpenAPI form', () => {
  const schema = z.toJSONSchema(questionnaireSchema, { io: 'input' }) as Record<string, unknown>;

  it('describes every member', () => {
    const undescribed: string[] = [];
    let members = 0;
    const walk = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      const properties = record.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, member] of Object.entries(properties ?? {})) {
        members += 1;
        if (typeof member.description !== 'string' || member.description === '') undescribed.push(`${path}${key}`);
        walk(member, `${path}${key}.`);
      }
      for (const key of ['items', 'anyOf'] as const) {
        const inner = record[key];
        for (const child of Array.isArray(inner) ? inner : [inner]) walk(child, path);
      }
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
    expect(members).toBeGreaterThan(40);
  });

  it('carries the SCOR + CRM example, which is a valid questionnaire', () => {
    expect(schema.examples).toEqual([questionnaireExample]);
    expect(issues(questionnaireExample)).toEqual([]);
  });
});
