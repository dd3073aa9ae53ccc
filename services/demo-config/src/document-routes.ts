// GET /demo/proposals/{proposal_id}/document: the proposal as PDF, Word, HTML
// or Markdown, chosen by ?format= or by Accept, named after the proposal. A
// generated proposal renders from its stored quote (the figures it was priced
// with); a hand-entered one with what it has.
import { ApiError, errorResponses, notFoundError, type ZodTypeProvider } from '@analytics-engine/http';
import { createClientConfigRepository, keySchema, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  DOCUMENT_FORMAT_NAMES,
  DOCUMENT_FORMATS,
  renderDocument,
  type DocumentFormat,
} from './documents/render-document.js';
import { quoteFromJson } from './proposal-generator/index.js';
import { utcDate } from './proposal-generation.js';
import { proposalRepository } from './proposal-repository.js';

const { 400: badRequest, 404: notFound, 503: unavailable } = errorResponses;
const LISTED = DOCUMENT_FORMAT_NAMES.map(
  (format) => `${DOCUMENT_FORMATS[format].contentType.split(';')[0] ?? ''} (${format})`,
).join(', ');

/** The format a request asks for: ?format= first, else the Accept type it prefers; PDF when it takes anything. */
export function negotiateFormat(format: string | undefined, accept: string | undefined): DocumentFormat {
  if (format !== undefined) {
    const chosen = DOCUMENT_FORMAT_NAMES.find((name) => name === format);
    if (chosen) return chosen;
    throw notAcceptable(`format=${format}`);
  }
  const wanted = (accept ?? '*/*')
    .split(',')
    .map((range, order) => {
      const [type = '', ...parameters] = range.trim().toLowerCase().split(';');
      const q = Number(
        parameters
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? 1,
      );
      return { type: type.trim(), q: Number.isFinite(q) ? q : 0, order };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { type } of wanted) {
    if (type === '*/*' || type === 'application/*') return 'pdf';
    const match = DOCUMENT_FORMAT_NAMES.find((name) => DOCUMENT_FORMATS[name].contentType.startsWith(type));
    if (match) return match;
  }
  throw notAcceptable(`Accept: ${accept ?? ''}`);
}

function notAcceptable(asked: string): ApiError {
  return new ApiError(406, 'NOT_ACCEPTABLE', `${asked} is not a document format: ask for one of ${LISTED}`);
}

export function registerDocumentRoutes(app: FastifyInstance, database: OpenDatabase): void {
  const proposals = proposalRepository(database.db);
  const clients = createClientConfigRepository(database.db);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/demo/proposals/:proposal_id/document',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['service proposals'],
        summary: 'The proposal as a document: PDF, Word, HTML or Markdown',
        description:
          `Chosen by ?format= or by Accept: ${LISTED}; anything else is 406. Content-Disposition names ` +
          'the file after the proposal.',
        params: z.object({ proposal_id: keySchema }),
        querystring: z.object({
          format: z
            .string()
            .optional()
            .describe(`One of ${DOCUMENT_FORMAT_NAMES.join(', ')}`),
        }),
        response: {
          200: z.unknown().describe('The document, in the content type asked for'),
          400: badRequest,
          404: notFound,
          406: errorResponses[400].describe(`Not a document format: ${LISTED}`),
          503: unavailable,
        },
      },
    },
    async (request, reply) => {
      const format = negotiateFormat(request.query.format, request.headers.accept);
      const { proposal_id: id } = request.params;
      const stored = await proposals.get(id);
      if (!stored) throw notFoundError(`proposal '${id}'`);
      const { client_id, proposal_type, status, pricing, timeline, resources, quote } = stored.data;
      const client = await clients.get(client_id);
      const document = await renderDocument(format, {
        proposal: {
          proposal_id: id,
          client_id,
          client_name: client?.data.client_name,
          proposal_type,
          status,
          pricing,
          timeline,
          resources,
        },
        quote: quote === undefined ? undefined : quoteFromJson(quote),
        date: quote?.quoted_on ?? utcDate(),
      });
      return reply
        .type(document.contentType)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(document.fileName)}"`)
        .header('vary', 'accept')
        .send(document.body);
    },
  );
}
