// The guide's "Test Demo Config Service" section, body for body as written,
// then the shared wiring this service gets: health, readiness, OpenAPI, Swagger UI.
import { describe, expect, it } from 'vitest';
import { useDemoApp } from './support/demo-app.js';

const demo = useDemoApp();

interface Operation {
  parameters: { in: string; name: string; required?: boolean }[];
  requestBody: { content: Record<string, any> };
  responses: Record<string, unknown>;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const ETAG = /^"[0-9a-f]{32}"$/;

/** curl -X POST http://localhost:8022<url> -H "Content-Type: application/json" -d '<json>', the JSON as written. */
const curlPost = (url: string, json: string) =>
  demo.app.inject({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, payload: json });

describe("the guide's curl sequence", () => {
  it('creates a client, reads it back and creates a proposal for it', async () => {
    // curl -X POST http://localhost:8022/demo/clients -H "Content-Type: application/json" -d '{...}'
    const created = await curlPost(
      '/demo/clients',
      `{
    "client_id": "test-client-001",
    "client_name": "Test Corporation",
    "license_type": "professional",
    "modules": ["SCOR", "CRM"]
  }`,
    );
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/demo/clients/test-client-001');
    expect(created.headers.etag).toMatch(ETAG);
    const client = created.json();
    expect(client).toEqual({
      client_id: 'test-client-001',
      client_name: 'Test Corporation',
      license_type: 'professional',
      modules: ['SCOR', 'CRM'],
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
    });

    // curl http://localhost:8022/demo/clients/test-client-001
    const read = await demo.app.inject({ method: 'GET', url: '/demo/clients/test-client-001' });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(client);
    expect(read.headers.etag).toBe(created.headers.etag);

    // curl -X POST http://localhost:8022/demo/proposals -H "Content-Type: application/json" -d '{...}'
    const proposal = await curlPost(
      '/demo/proposals',
      `{
    "proposal_id": "prop-001",
    "client_id": "test-client-001",
    "proposal_type": "implementation",
    "status": "draft"
  }`,
    );
    expect(proposal.statusCode).toBe(201);
    expect(proposal.headers.location).toBe('/demo/proposals/prop-001');
    expect(proposal.headers.etag).toMatch(ETAG);
    expect(proposal.json()).toEqual({
      proposal_id: 'prop-001',
      client_id: 'test-client-001',
      proposal_type: 'implementation',
      status: 'draft',
      created_at: expect.stringMatching(TIMESTAMP),
    });
  });
});

describe('shared wiring', () => {
  it('serves /health and /ready', async () => {
    expect((await demo.app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await demo.app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: 'postgres' });
  });

  it('documents every route with its parameters, bodies, responses and examples at /docs/json', async () => {
    const response = await demo.app.inject('/docs/json');
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.info.title).toBe('Demo Config Service');
    const paths = spec.paths as Record<string, Record<string, Operation>>;
    expect(
      Object.keys(paths)
        .filter((path) => path.startsWith('/demo'))
        .sort(),
    ).toEqual([
      '/demo/clients',
      '/demo/clients/{client_id}',
      '/demo/licenses/jwks.json',
      '/demo/licenses/verify',
      '/demo/licenses/{jti}/revoke',
      '/demo/price-book',
      '/demo/proposals',
      '/demo/proposals/quote',
      '/demo/proposals/{proposal_id}',
      '/demo/proposals/{proposal_id}/document',
    ]);
    expect(Object.keys(paths['/demo/clients']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/demo/clients/{client_id}']!).sort()).toEqual(['delete', 'get', 'patch', 'put']);
    expect(Object.keys(paths['/demo/proposals']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/demo/proposals/{proposal_id}']!).sort()).toEqual(['delete', 'get', 'patch', 'put']);

    for (const [path, operations] of Object.entries(paths).filter(([path]) => path.startsWith('/demo'))) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses, `${method} ${path}`).toHaveProperty('400');
        // Every body has examples (revoking a licence takes none).
        if (['post', 'put', 'patch'].includes(method) && !path.endsWith('/revoke')) {
          // @fastify/swagger lifts schema examples to the media type, where Swagger UI's "Try it out" reads them.
          const media = operation.requestBody.content['application/json'];
          expect(media.example ?? media.examples, `${method} ${path} body examples`).toBeDefined();
        }
        if (path.includes('{')) {
          const parameter = operation.parameters.find((p) => p.in === 'path');
          expect(parameter?.required, `${method} ${path}`).toBe(true);
        }
      }
    }

    const createClient = paths['/demo/clients']!.post!;
    expect(createClient.requestBody.content['application/json'].examples.example1.value).toEqual({
      client_id: 'test-client-001',
      client_name: 'Test Corporation',
      license_type: 'professional',
      modules: ['SCOR', 'CRM'],
    });
    expect(Object.keys(createClient.responses)).toEqual(expect.arrayContaining(['201', '409', '413', '415']));
    const listProposals = paths['/demo/proposals']!.get!;
    expect(listProposals.parameters.map((p) => p.name).sort()).toEqual(
      ['created_after', 'created_before', 'client_id', 'cursor', 'limit', 'proposal_type', 'status'].sort(),
    );
    const listClients = paths['/demo/clients']!.get!;
    expect(listClients.parameters.map((p) => p.name).sort()).toEqual(
      ['created_after', 'created_before', 'cursor', 'license_type', 'limit', 'module'].sort(),
    );
    const patchProposal = paths['/demo/proposals/{proposal_id}']!.patch!;
    expect(Object.keys(patchProposal.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '412', '422']));
    expect(patchProposal.parameters.map((p) => p.name)).toContain('if-match');
    const deleteClient = paths['/demo/clients/{client_id}']!.delete!;
    expect(deleteClient.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['client_id', 'cascade', 'if-match']),
    );
  });

  it('serves Swagger UI at /docs', async () => {
    const ui = await demo.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});
