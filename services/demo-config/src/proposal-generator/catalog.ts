// The names the price book and the questionnaire share: value-chain terms,
// integration types, KPI complexities and environment platforms. Which of them
// are time and materials (T&M) is part of the model, not of the price book: a
// T&M item takes an hour range in the questionnaire, a fixed one does not.

export const LICENSE_TERMS = [1, 3, 5] as const;
export type LicenseTerm = (typeof LICENSE_TERMS)[number];

export const FIXED_INTEGRATION_TYPES = [
  'batch_conformed',
  'batch_non_conformed_single',
  'batch_non_conformed_multi',
  'batch_entity_resolution',
  'streaming_api_architected',
] as const;
export type FixedIntegrationType = (typeof FIXED_INTEGRATION_TYPES)[number];
export const TM_INTEGRATION_TYPE = 'streaming_api_non_architected';
export const INTEGRATION_TYPES = [...FIXED_INTEGRATION_TYPES, TM_INTEGRATION_TYPE] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export const FIXED_KPI_COMPLEXITIES = ['otb', 'custom_basic', 'rbac'] as const;
export type FixedKpiComplexity = (typeof FIXED_KPI_COMPLEXITIES)[number];
export const TM_KPI_COMPLEXITY = 'dynamic_rbac';
export const KPI_COMPLEXITIES = [...FIXED_KPI_COMPLEXITIES, TM_KPI_COMPLEXITY] as const;
export type KpiComplexity = (typeof KPI_COMPLEXITIES)[number];

/** Platforms that need an environment setup (a Cloud Architect and an Access Specialist). */
export const SETUP_PLATFORMS = ['on_prem', 'azure', 'aws', 'gcp', 'oracle'] as const;
export type SetupPlatform = (typeof SETUP_PLATFORMS)[number];
export const PLATFORMS = [...SETUP_PLATFORMS, 'none'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const REFRESH_PERIODS = ['minute', 'hour', 'day'] as const;
export type RefreshPeriod = (typeof REFRESH_PERIODS)[number];

/** Compliance presets and the archive period each requires. */
export const RETENTION_PRESET_YEARS = { sox: 7, hipaa: 6 } as const;
export type RetentionPreset = keyof typeof RETENTION_PRESET_YEARS;

export const INTEGRATION_LABELS: Readonly<Record<IntegrationType, string>> = {
  batch_conformed: 'Batch, conformed / cleansed',
  batch_non_conformed_single: 'Batch, non-conformed, single source',
  batch_non_conformed_multi: 'Batch, non-conformed, multi source',
  batch_entity_resolution: 'Batch, entity resolution',
  streaming_api_architected: 'Streaming, API architected',
  streaming_api_non_architected: 'Streaming, API non-architected',
};

export const KPI_COMPLEXITY_LABELS: Readonly<Record<KpiComplexity, string>> = {
  otb: 'Out of the box',
  custom_basic: 'Custom basic',
  rbac: 'RBAC (role-based filtering)',
  dynamic_rbac: 'Dynamic RBAC',
};

export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = {
  on_prem: 'on-premises',
  azure: 'Azure',
  aws: 'AWS',
  gcp: 'GCP',
  oracle: 'Oracle Cloud',
  none: 'no environment setup',
};
