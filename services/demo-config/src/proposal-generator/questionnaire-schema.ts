// The questionnaire (the reference's eight steps) as the request body's
// `questionnaire`. Strict objects: an unknown member is a 400 naming it, not a
// silently ignored answer. Issue paths stay natural (objects.3.integration) since
// the HTTP layer prefixes them with body.questionnaire.
import { z } from 'zod';
import {
  INTEGRATION_TYPES,
  KPI_COMPLEXITIES,
  LICENSE_TERMS,
  PLATFORMS,
  REFRESH_PERIODS,
  RETENTION_PRESET_YEARS,
  TM_INTEGRATION_TYPE,
  TM_KPI_COMPLEXITY,
} from './catalog.js';
import { isCalendarDate, isWeekday, parseIsoDate } from './calendar.js';
import { hasAtMostTwoDecimals } from './units.js';

export const MAX_OBJECTS = 1_000;
export const MAX_KPIS = 5_000;
const MAX_HOURS = 100_000;

const text = (max: number) => z.string().max(max).regex(/\S/, { error: 'must not be blank' });

const hours = (description: string) =>
  z
    .number()
    .nonnegative()
    .max(MAX_HOURS)
    .refine(hasAtMostTwoDecimals, { error: 'must have at most two decimals' })
    .describe(description);

const count = (max: number, description: string) => z.int().nonnegative().max(max).describe(description);

const hoursRangeSchema = z
  .strictObject({
    min: hours('Fewest hours'),
    max: hours('Most hours'),
  })
  .refine((range) => range.min <= range.max, { error: 'min must not be above max' });

/** Reject a second element with the same key, naming both positions. */
function unique<T>(keyOf: (item: T) => string, what: string) {
  return (items: readonly T[], context: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else context.addIssue({ code: 'custom', path: [index], message: `duplicate ${what} (also at ${first})` });
    });
  };
}

/** The member that prices an object or a KPI: fixed by its value, time and materials (T&M) when it is `tm`. */
const PRICED_BY = {
  integration: { values: INTEGRATION_TYPES, tm: TM_INTEGRATION_TYPE, label: 'Integration type', defaultHours: '40-60' },
  complexity: {
    values: KPI_COMPLEXITIES,
    tm: TM_KPI_COMPLEXITY,
    label: 'Implementation complexity',
    defaultHours: '20-30',
  },
} as const;

/** An object or a KPI: `shape`, the member that prices it, and tm_hours, which only a T&M item may carry. */
function pricedItem<const Shape extends z.ZodRawShape, const Kind extends keyof typeof PRICED_BY>(
  shape: Shape,
  kind: Kind,
) {
  const { tm, label, defaultHours } = PRICED_BY[kind];
  const values: (typeof PRICED_BY)[Kind]['values'] = PRICED_BY[kind].values;
  const pricing = z.enum(values).describe(`${label}; ${tm} is time and materials (T&M), the others fixed price`);
  return z
    .strictObject({
      ...shape,
      ...({ [kind]: pricing } as { [K in Kind]: typeof pricing }),
      tm_hours: hoursRangeSchema
        .optional()
        .describe(`T&M hour estimate, only for ${tm}; default from the price book (${defaultHours})`),
    })
    .refine((item: Record<string, unknown>) => item.tm_hours === undefined || item[kind] === tm, {
      path: ['tm_hours'],
      error: `tm_hours applies only to ${tm} (time and materials)`,
    });
}

const objectSchema = pricedItem(
  {
    name: text(200).describe('Object model name, e.g. Orders'),
    source_system: text(200).describe('The system the object is loaded from, e.g. SAP ECC'),
  },
  'integration',
).describe('An object model to integrate');

const kpiSchema = pricedItem(
  {
    code: text(50).describe('KPI code, unique in the questionnaire, e.g. OTD-01'),
    name: text(200).describe('KPI name, e.g. On-Time Delivery'),
  },
  'complexity',
).describe('A KPI to implement');

const environmentSchema = z
  .strictObject({
    platform: z
      .enum(PLATFORMS)
      .describe('Where the platform runs; none = the client has an environment (no setup, $0)'),
    cloud_architect_hours: z
      .union([hours('An estimate, priced in the environment subtotal'), hoursRangeSchema])
      .optional()
      .describe('Cloud Architect hours: a number (an estimate, fixed) or {min, max} (T&M); default T&M 40-80'),
  })
  .refine((environment) => environment.platform !== 'none' || environment.cloud_architect_hours === undefined, {
    path: ['cloud_architect_hours'],
    error: 'cloud_architect_hours applies only with an environment setup (platform is none)',
  })
  .describe('Step 5: the environment');

const retentionSchema = z
  .strictObject({
    staged_days: count(3650, 'Days staged source data is kept hot (30, 90, 180, 365 or custom)').default(90),
    analytics_days: count(3650, 'Days analytics data is kept hot (90, 180, 365, 730 or custom)').default(365),
    archive_years: z
      .union([count(10, 'Years'), z.literal('indefinite')])
      .optional()
      .describe('Years archived data is kept cold, 0-10 or "indefinite"; default: the preset\'s, else 1'),
    preset: z
      .enum(['sox', 'hipaa'])
      .optional()
      .describe('Compliance preset: sox keeps the archive 7 years, hipaa 6 years'),
  })
  .superRefine((retention, context) => {
    if (retention.preset === undefined || typeof retention.archive_years !== 'number') return;
    const required = RETENTION_PRESET_YEARS[retention.preset];
    if (retention.archive_years < required) {
      const message = `${retention.preset.toUpperCase()} requires an archive of at least ${required} years`;
      context.addIssue({ code: 'custom', path: ['archive_years'], message });
    }
  })
  .describe('Step 6: data retention; drives hot and cold storage when infrastructure is sized');

export const EXPLICIT_INFRASTRUCTURE = [
  'api_gateway_instances',
  'business_service_instances',
  'backend_service_instances',
  'hot_storage_gb',
  'cold_storage_gb',
  'redis',
  'data_transfer_gb_per_month',
] as const;
export const SIZING_INPUTS = ['daily_ingest_gb', 'concurrent_users', 'refresh_period'] as const;
const MAX_GB = 1_000_000_000;

const infrastructureSchema = z
  .strictObject({
    api_gateway_instances: count(1000, 'API gateway instances (t3.medium); absent = 0').optional(),
    business_service_instances: count(1000, 'Business service instances (t3.large); absent = 0').optional(),
    backend_service_instances: count(1000, 'Backend service instances (t3.xlarge); absent = 0').optional(),
    hot_storage_gb: count(MAX_GB, 'Active database storage, GB; absent = 0').optional(),
    cold_storage_gb: count(MAX_GB, 'Archived data, GB; absent = 0').optional(),
    redis: count(100, 'Redis nodes (cache.m5.large); absent = 0').optional(),
    data_transfer_gb_per_month: count(MAX_GB, 'Data transfer, GB per month; absent = 0').optional(),
    daily_ingest_gb: z
      .number()
      .nonnegative()
      .max(1_000_000)
      .refine(hasAtMostTwoDecimals, { error: 'must have at most two decimals' })
      .optional()
      .describe('Sizing: expected daily data volume, GB'),
    concurrent_users: count(10_000_000, 'Sizing: concurrent users').optional(),
    refresh_period: z.enum(REFRESH_PERIODS).optional().describe('Sizing: how often KPIs refresh; default hour'),
  })
  .superRefine((infrastructure, context) => {
    const given = (key: string) => (infrastructure as Record<string, unknown>)[key] !== undefined;
    const explicit = EXPLICIT_INFRASTRUCTURE.filter(given);
    const sizing = SIZING_INPUTS.filter(given);
    const quantities = `explicit quantities (${EXPLICIT_INFRASTRUCTURE.join(', ')})`;
    const choice = `give either ${quantities} or sizing inputs (${SIZING_INPUTS.join(', ')})`;
    if (explicit.length > 0 && sizing[0] !== undefined) {
      context.addIssue({ code: 'custom', path: [sizing[0]], message: `${choice}, not both` });
    } else if (explicit.length === 0 && sizing.length === 0) {
      context.addIssue({ code: 'custom', path: [], message: choice });
    } else if (sizing.length > 0) {
      for (const key of ['daily_ingest_gb', 'concurrent_users'] as const) {
        if (!given(key)) context.addIssue({ code: 'custom', path: [key], message: 'required with sizing inputs' });
      }
    }
  })
  .describe('Step 7: infrastructure, as explicit quantities or as sizing inputs (quantities derived with retention)');

const managedServicesSchema = z
  .strictObject({
    retainer: z.boolean().default(false).describe('The yearly support retainer (business hours, bug fixes, updates)'),
    additional_hours_per_year: hours('Estimated additional managed-services hours per year').default(0),
  })
  .describe('Step 8: managed services');

const teamSchema = z
  .strictObject({
    integration_developers: z
      .int()
      .min(1)
      .max(50)
      .default(1)
      .describe('Integration Developers / Analysts (fixed-price work)'),
    integration_architects: z.int().min(1).max(20).default(1).describe('Integration Architects (T&M work)'),
    cloud_architects: z.int().min(1).max(10).default(1).describe('Cloud Architects (environment setup)'),
    hours_per_week: z.int().min(1).max(60).default(40).describe('Hours each person works on the project per week'),
  })
  .describe('Team size for the schedule: phase lengths are hours over the team capacity');

const dateSchema = z.iso
  .date({ error: 'must be a calendar date YYYY-MM-DD' })
  // zod runs this check even when the format check failed: an unparseable date is left to that one.
  .refine((date) => !isCalendarDate(date) || isWeekday(parseIsoDate(date)), {
    error: 'must be a working day (Monday to Friday)',
  });

const questionnaireShape = z
  .strictObject({
    value_chains: z
      .array(text(100).describe('A value chain, e.g. SCOR'))
      .min(1, { error: "list at least one value chain, or leave value_chains out to use the client's modules" })
      .max(50)
      .superRefine(unique((chain) => chain, 'value chain'))
      .optional()
      .describe("Step 2: the value chains licensed; default: the client's modules"),
    license_term_years: z.literal(LICENSE_TERMS).describe('Step 2: the licence term in years: 1, 3 or 5'),
    objects: z
      .array(objectSchema)
      .max(MAX_OBJECTS, { error: `at most ${MAX_OBJECTS.toLocaleString('en-US')} objects` })
      .superRefine(unique((object) => `${object.name}\u0000${object.source_system}`, 'object name and source_system'))
      .default([])
      .describe('Step 3: the object models to integrate, each with its source system and integration type'),
    kpis: z
      .array(kpiSchema)
      .max(MAX_KPIS, { error: `at most ${MAX_KPIS.toLocaleString('en-US')} KPIs` })
      .superRefine(unique((kpi) => kpi.code, 'KPI code'))
      .default([])
      .describe('Steps 1 and 4: the KPIs, each with its implementation complexity'),
    environment: environmentSchema,
    retention: retentionSchema.prefault({}),
    infrastructure: infrastructureSchema,
    managed_services: managedServicesSchema.prefault({}),
    start_date: dateSchema.optional().describe('First day of the project, a weekday; default: the next Monday'),
    team: teamSchema.prefault({}),
  })
  .describe('The proposal questionnaire (eight steps)');

/** The example's KPIs, by the value chain they measure. */
const exampleKpis = {
  SCOR: [
    { code: 'POF-01', name: 'Perfect Order Fulfillment', complexity: 'otb' },
    { code: 'OTD-01', name: 'On-Time Delivery', complexity: 'otb' },
    { code: 'C2C-01', name: 'Cash-to-Cash Cycle Time', complexity: 'custom_basic' },
    { code: 'DOS-01', name: 'Inventory Days of Supply', complexity: 'custom_basic' },
  ],
  CRM: [
    { code: 'PIPE-01', name: 'Pipeline by Region', complexity: 'rbac' },
    { code: 'WIN-01', name: 'Win Rate by Sales Rep', complexity: 'rbac' },
    { code: 'COMM-01', name: 'Sales Commission', complexity: 'dynamic_rbac', tm_hours: { min: 20, max: 30 } },
  ],
} satisfies Record<string, z.input<typeof kpiSchema>[]>;

/** The reference's SCOR + CRM three-year case: the example Swagger "Try it out" sends. */
export const questionnaireExample = {
  value_chains: ['SCOR', 'CRM'],
  license_term_years: 3,
  objects: [
    { name: 'Sales Orders', source_system: 'SAP ECC', integration: 'batch_conformed' },
    { name: 'Customers', source_system: 'Salesforce', integration: 'batch_conformed' },
    { name: 'Products', source_system: 'SAP ECC', integration: 'batch_non_conformed_single' },
    { name: 'Suppliers', source_system: 'Oracle EBS', integration: 'batch_non_conformed_single' },
    { name: 'Shipments', source_system: 'SAP ECC + Manhattan WMS', integration: 'batch_non_conformed_multi' },
    { name: 'Inventory', source_system: 'SAP ECC + Manhattan WMS', integration: 'batch_non_conformed_multi' },
    { name: 'Accounts', source_system: 'Salesforce + SAP ECC', integration: 'batch_entity_resolution' },
    { name: 'Opportunities', source_system: 'Salesforce', integration: 'streaming_api_architected' },
    {
      name: 'Carrier Events',
      source_system: 'Carrier tracking API',
      integration: 'streaming_api_non_architected',
      tm_hours: { min: 40, max: 60 },
    },
  ],
  kpis: [...exampleKpis.SCOR, ...exampleKpis.CRM],
  environment: { platform: 'aws' },
  retention: { staged_days: 90, analytics_days: 365, preset: 'sox' },
  infrastructure: {
    api_gateway_instances: 2,
    business_service_instances: 6,
    backend_service_instances: 6,
    hot_storage_gb: 500,
    cold_storage_gb: 2000,
    redis: 1,
    data_transfer_gb_per_month: 1000,
  },
  managed_services: { retainer: true, additional_hours_per_year: 50 },
  team: { integration_developers: 1, integration_architects: 1, cloud_architects: 1, hours_per_week: 40 },
} satisfies z.input<typeof questionnaireShape>;

export const questionnaireSchema = questionnaireShape.meta({ examples: [questionnaireExample] });

export type QuestionnaireInput = z.input<typeof questionnaireSchema>;
export type Questionnaire = z.output<typeof questionnaireSchema>;
export type QuestionnaireObject = Questionnaire['objects'][number];
export type QuestionnaireKpi = Questionnaire['kpis'][number];
export type QuestionnaireInfrastructure = Questionnaire['infrastructure'];
export type QuestionnaireRetention = Questionnaire['retention'];
