// POST /demo/proposals/quote prices and schedules a questionnaire for a client
// and stores nothing (live previews while the questionnaire is filled in);
// GET /demo/price-book answers the active price book in the format
// PRICE_BOOK_FILE takes, so it can be saved, edited and loaded back.
import { errorResponses, type ZodTypeProvider } from '@analytics-engine/http';
import { createClientConfigRepository, keySchema, type OpenDatabase } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { quoteFor, utcDate } from './proposal-generation.js';
import {
  priceBookFileSchema,
  priceBookToFile,
  questionnaireExample,
  questionnaireSchema,
  quoteJsonSchema,
  quoteToJson,
  type PriceBook,
} from './proposal-generator/index.js';
import { ApiError } from '@analytics-engine/http';

const tags = ['proposal generator'];
const { 400: badRequest, 422: unprocessable, 503: unavailable } = errorResponses;

const quoteRequestSchema = z
  .strictObject({
    client_id: keySchema.describe(
      'The client to quote: its modules are the value chains when the questionnaire names none',
    ),
    questionnaire: questionnaireSchema,
  })
  .meta({ examples: [{ client_id: 'test-client-001', questionnaire: questionnaireExample }] });

export function registerQuoteRoutes(app: FastifyInstance, database: OpenDatabase, book: PriceBook): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const clients = createClientConfigRepository(database.db);
  const bookFile = priceBookToFile(book);

  routes.post(
    '/demo/proposals/quote',
    {
      // It reads and stores nothing: a preview anyone who may read proposals may ask for.
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'Quote a questionnaire (stores nothing)',
        description:
          "Prices and schedules the eight-step questionnaire for a client with the active price book, on today's " +
          'date. ' +
          'Amounts are USD with at most two decimals, computed in integer cents.',
        body: quoteRequestSchema,
        response: {
          200: quoteJsonSchema,
          400: badRequest,
          422: unprocessable.describe(
            'client_id names no client (UNKNOWN_CLIENT), or no value chains at all (NO_VALUE_CHAINS)',
          ),
          503: unavailable,
        },
      },
    },
    async (request) => {
      const { client_id: clientId, questionnaire } = request.body;
      const client = await clients.get(clientId);
      if (!client) {
        const message = `client_id '${clientId}' names no client: create it with POST /demo/clients first`;
        throw new ApiError(422, 'UNKNOWN_CLIENT', message, [{ path: 'body.client_id', message: 'names no client' }]);
      }
      return quoteToJson(quoteFor(questionnaire, { book, today: utcDate(), clientModules: client.data.modules }));
    },
  );

  routes.get(
    '/demo/price-book',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'The active price book',
        description: 'In the format PRICE_BOOK_FILE takes (amounts in dollars): save it, edit it, and load it back.',
        response: { 200: priceBookFileSchema, 400: badRequest },
      },
    },
    () => bookFile,
  );
}
