// Request and response shapes of /demo/proposals, derived from the storage
// package's service proposal schema (the fields are defined once, there), with
// the proposal rules of proposal-rules.ts on every body that holds a whole
// proposal. Requests and responses take the guide's flat shape: proposal_id
// beside the proposal fields.
import { pageQuerySchema, pageSchema } from '@analytics-engine/http';
import { keySchema, pricingSchema, resourcesSchema, serviceProposalSchema, timelineSchema, timestampSchema } from '@analytics-engine/storage';
import { z } from 'zod';
import { withProposalRules } from './proposal-rules.js';

const field = serviceProposalSchema.shape;
const statusSchema = field.status.unwrap();

export const proposalIdSchema = keySchema
  .describe('Proposal identifier, 1 to 255 characters')
  .meta({ examples: ['prop-001'] });

export const proposalParamsSchema = z.object({ proposal_id: proposalIdSchema });

/** The guide's proposal. */
const guideProposalExample = {
  client_id: 'test-client-001',
  proposal_type: 'implementation',
  status: 'draft',
};

const fullProposalExample = {
  client_id: 'test-client-001',
  proposal_type: 'implementation',
  pricing: { total: 48000, breakdown: { licenses: 18000, implementation: 24000, training: 6000 } },
  timeline: { start_date: '2026-01-05', end_date: '2026-03-27', phases: [{ name: 'Discovery', weeks: 2 }, { name: 'Build', weeks: 8 }] },
  resources: { consultants: ['Lead consultant', 'Data engineer'], hours: 320 },
  status: 'draft',
};

const bodyIdSchema = proposalIdSchema.optional().describe('Optional; when given it must equal the proposal_id in the path');

export const createProposalBodySchema = withProposalRules(
  serviceProposalSchema.extend({
    proposal_id: proposalIdSchema
      .optional()
      .describe('Optional: when absent a readable unique id is generated, e.g. prop-20261125-7f3a9c'),
    status: field.status.describe("draft (the default) or sent; a proposal is accepted or rejected only after it was sent"),
  }),
).meta({ examples: [{ proposal_id: 'prop-001', ...guideProposalExample }, { proposal_id: 'prop-002', ...fullProposalExample }] });

export const replaceProposalBodySchema = withProposalRules(
  serviceProposalSchema.extend({
    proposal_id: bodyIdSchema,
    status: field.status.describe('Absent means draft, as on create: send the current status to keep it'),
  }),
)
  .describe('The whole proposal: a field left out is removed')
  .meta({ examples: [{ ...fullProposalExample, status: 'sent' }] });

/** JSON Merge Patch (RFC 7386): absent = keep, null = remove, a value = replace; objects merge member by member. */
export const patchProposalBodySchema = z
  .strictObject({
    proposal_id: bodyIdSchema,
    client_id: field.client_id.optional(),
    proposal_type: field.proposal_type.optional(),
    pricing: z
      .object({
        total: pricingSchema.shape.total.unwrap().nullable().optional(),
        breakdown: pricingSchema.shape.breakdown.unwrap().nullable().optional(),
      })
      .nullable()
      .optional(),
    timeline: z
      .object({
        start_date: timelineSchema.shape.start_date.unwrap().nullable().optional(),
        end_date: timelineSchema.shape.end_date.unwrap().nullable().optional(),
        phases: timelineSchema.shape.phases.unwrap().nullable().optional(),
      })
      .nullable()
      .optional(),
    resources: z
      .object({
        consultants: resourcesSchema.shape.consultants.unwrap().nullable().optional(),
        hours: resourcesSchema.shape.hours.unwrap().nullable().optional(),
      })
      .nullable()
      .optional(),
    status: statusSchema.optional().describe('draft -> sent -> accepted | rejected; accepted and rejected are final'),
  })
  .describe('JSON Merge Patch: a field left out is kept, null removes it, a value replaces it')
  .meta({ examples: [{ status: 'sent' }, { status: 'accepted' }, { pricing: { total: 50000, breakdown: { licenses: 20000, implementation: 24000, training: 6000 } } }] });

export const proposalResponseSchema = z
  .object({
    proposal_id: z.string(),
    ...field,
    status: statusSchema,
    created_at: timestampSchema.nullable(),
  })
  .meta({ examples: [{ proposal_id: 'prop-001', ...guideProposalExample, created_at: '2025-12-21T06:20:48.123456Z' }] });

export const listProposalsQuerySchema = pageQuerySchema.extend({
  client_id: field.client_id.optional().describe('Only proposals for this client'),
  status: statusSchema.optional().describe('Only proposals with this status'),
  proposal_type: field.proposal_type.optional().describe('Only proposals of this type'),
});

export const proposalPageSchema = pageSchema(proposalResponseSchema);

export type ProposalResponse = z.infer<typeof proposalResponseSchema>;
