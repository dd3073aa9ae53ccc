// The client_configs.config_data document: the guide's members, and the
// platform's own that the Python Demo Config service stored beside them.
import { z } from 'zod';
import {
  isoDateTimeSchema,
  jsonArraySchema,
  jsonObjectSchema,
  legacyMembersSchema,
  needsCompletionSchema,
} from './common.js';

export const licenseTypes = ['basic', 'professional', 'enterprise'] as const;

export const clientConfigSchema = z.strictObject({
  client_name: z.string().min(1).max(255),
  license_type: z.enum(licenseTypes),
  modules: z.array(z.string().min(1).max(255)).optional(),
  preferences: jsonObjectSchema.optional(),
  custom_kpis: jsonArraySchema.optional(),
  data_sources: jsonArraySchema.optional(),
  // The platform's members (null: none, as the Python service stored it).
  selected_kpis: z
    .array(z.string().min(1).max(255))
    .nullable()
    .optional()
    .describe('KPI codes the client picked, e.g. POF, OTD'),
  deployment_config: jsonObjectSchema.nullable().optional().describe('How the client is deployed; free-form'),
  license_key: z.string().max(16_384).nullable().optional().describe('The licence key issued to the client (a JWT)'),
  license_expiration: isoDateTimeSchema.nullable().optional().describe('When the licence expires, ISO-8601'),
  legacy: legacyMembersSchema.optional(),
  needs_completion: needsCompletionSchema.optional(),
});

export type ClientConfig = z.infer<typeof clientConfigSchema>;
export type LicenseType = (typeof licenseTypes)[number];
