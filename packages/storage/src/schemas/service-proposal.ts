// The service_proposals.proposal_data document, as the guide lists it.
import { z } from 'zod';
import { calendarDateSchema, jsonArraySchema, jsonObjectSchema, keySchema } from './common.js';

export const proposalTypes = ['implementation', 'consulting'] as const;
export const proposalStatuses = ['draft', 'sent', 'accepted', 'rejected'] as const;

export const pricingSchema = z.object({
  total: z.number().nonnegative().optional(),
  breakdown: jsonObjectSchema.optional(),
});

export const timelineSchema = z.object({
  start_date: calendarDateSchema.optional(),
  end_date: calendarDateSchema.optional(),
  phases: jsonArraySchema.optional(),
});

export const resourcesSchema = z.object({
  consultants: jsonArraySchema.optional(),
  hours: z.number().nonnegative().optional(),
});

export const serviceProposalSchema = z.strictObject({
  client_id: keySchema,
  proposal_type: z.enum(proposalTypes),
  pricing: pricingSchema.optional(),
  timeline: timelineSchema.optional(),
  resources: resourcesSchema.optional(),
  status: z.enum(proposalStatuses).default('draft'),
});

export type ServiceProposal = z.infer<typeof serviceProposalSchema>;
export type ProposalType = (typeof proposalTypes)[number];
export type ProposalStatus = (typeof proposalStatuses)[number];
