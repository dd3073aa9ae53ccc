// The service_proposals.proposal_data document: the guide's members, and the
// platform's own that the Python Demo Config service stored beside them. The
// named objects are strict: a member they do not name is a 400, never dropped.
import { z } from 'zod';
import {
  calendarDateSchema,
  jsonArraySchema,
  jsonObjectSchema,
  keySchema,
  legacyMembersSchema,
  needsCompletionSchema,
  requiredOnWrite,
} from './common.js';

export const proposalTypes = ['implementation', 'consulting'] as const;
export const proposalStatuses = ['draft', 'sent', 'accepted', 'rejected'] as const;

export const pricingSchema = z.strictObject({
  total: z.number().nonnegative().optional(),
  breakdown: jsonObjectSchema.optional(),
});

export const timelineSchema = z.strictObject({
  start_date: calendarDateSchema.optional(),
  end_date: calendarDateSchema.optional(),
  phases: jsonArraySchema.optional(),
  weeks: z
    .number()
    .nonnegative()
    .optional()
    .describe("How many weeks the work takes (the Python service's timeline_weeks)"),
});

export const resourcesSchema = z.strictObject({
  consultants: jsonArraySchema.optional(),
  hours: z.number().nonnegative().optional(),
});

const absentWhenIncomplete =
  'Absent from a response only when needs_completion names it (a row written by the Python services)';

export const serviceProposalSchema = z.strictObject({
  // Read through zod's serializer (the proposal response does not compile), so a row lacking them must still encode.
  client_id: requiredOnWrite(keySchema, '', absentWhenIncomplete),
  proposal_type: requiredOnWrite(z.enum(proposalTypes), '', absentWhenIncomplete),
  pricing: pricingSchema.optional(),
  timeline: timelineSchema.optional(),
  resources: resourcesSchema.optional(),
  status: z.enum(proposalStatuses).default('draft'),
  // The platform's members.
  required_objects: z
    .array(z.string().min(1).max(255))
    .optional()
    .describe('Business objects to integrate, e.g. Customer, Order'),
  integration_method: z.string().min(1).max(255).optional().describe('How the data is integrated, e.g. batch'),
  estimate: jsonObjectSchema
    .optional()
    .describe(
      'How the Python service worked its estimate out (its breakdown: kpi_count, object_count, hours_per_object, ' +
        'hourly_rate), kept as it was',
    ),
  legacy: legacyMembersSchema.optional(),
  needs_completion: needsCompletionSchema.optional(),
});

export type ServiceProposal = z.infer<typeof serviceProposalSchema>;
export type ProposalType = (typeof proposalTypes)[number];
export type ProposalStatus = (typeof proposalStatuses)[number];
