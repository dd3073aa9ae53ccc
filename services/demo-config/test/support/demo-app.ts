// One app per test file over its own cloned, migrated database, built exactly
// as production builds it, plus the bodies and list walks the tests share.
import { useTestApp, type UsedApp } from '@analytics-engine/http/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { demoConfigService } from '../../src/service.js';

/** The Demo Config app of this test file, over its own database. */
export function useDemoApp(options: { bodyLimit?: number } = {}): UsedApp {
  return useTestApp(demoConfigService, {}, options);
}

export const client = (clientId: string, fields: Record<string, unknown> = {}) => ({
  client_id: clientId,
  client_name: `Client ${clientId}`,
  license_type: 'professional',
  modules: ['SCOR', 'CRM'],
  ...fields,
});

export const proposal = (proposalId: string | undefined, clientId: string, fields: Record<string, unknown> = {}) => ({
  ...(proposalId === undefined ? {} : { proposal_id: proposalId }),
  client_id: clientId,
  proposal_type: 'implementation',
  ...fields,
});

/** Every item of a list, following next_cursor page by page. */
export async function listAll(app: FastifyInstance, path: string, query: Record<string, string>, limit: number) {
  const items: Record<string, unknown>[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams({
      ...query,
      limit: String(limit),
      ...(cursor === null ? {} : { cursor }),
    });
    const response: LightMyRequestResponse = await app.inject({ method: 'GET', url: `${path}?${params.toString()}` });
    if (response.statusCode !== 200) throw new Error(`GET ${path} answered ${response.statusCode}: ${response.body}`);
    const page: { items: Record<string, unknown>[]; next_cursor: string | null } = response.json<{
      items: Record<string, unknown>[];
      next_cursor: string | null;
    }>();
    items.push(...page.items);
    pages.push(page.items.length);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return { items, pages };
}

/** The sorted field paths of an error response's details. */
export function detailPaths(response: LightMyRequestResponse): string[] {
  const body = response.json<{ details?: { path: string; message: string }[] }>();
  return (body.details ?? []).map((detail) => detail.path).sort();
}
