// The client_configs.config_data document, as the guide lists it.
import { z } from 'zod';
import { jsonArraySchema, jsonObjectSchema } from './common.js';

export const licenseTypes = ['basic', 'professional', 'enterprise'] as const;

export const clientConfigSchema = z.strictObject({
  client_name: z.string().min(1).max(255),
  license_type: z.enum(licenseTypes),
  modules: z.array(z.string().min(1).max(255)).optional(),
  preferences: jsonObjectSchema.optional(),
  custom_kpis: jsonArraySchema.optional(),
  data_sources: jsonArraySchema.optional(),
});

export type ClientConfig = z.infer<typeof clientConfigSchema>;
export type LicenseType = (typeof licenseTypes)[number];
