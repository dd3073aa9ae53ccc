// Through the routes: a generated proposal downloaded in the four formats and
// read back, then sent and accepted, which issues a licence that verifies with
// /demo/licenses/verify and offline against the JWKS with stock jose; tampering,
// revocation and an expired proposal; keys never in a response or a log line.
import { logSink, request, testApp } from '@analytics-engine/http/testing';
import { createDocumentRepository, serviceProposalsTable } from '@analytics-engine/storage';
import { parse as parseHtml } from 'node-html-parser';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSigningKeyEntry } from '../src/licenses/development-signing-key.js';
import { questionnaireExample } from '../src/proposal-generator/index.js';
import { proposalSchema } from '../src/proposal-rules.js';
import { demoConfigService } from '../src/service.js';
import { SECTION_HEADINGS } from '../src/documents/index.js';
import { pdfPages, unzipDocx, wordParagraphs } from './documents/read-back.js';
import { client, useDemoApp } from './support/demo-app.js';

const demo = useDemoApp();
const CLIENT = 'doc-client';
const CLIENT_NAME = 'Ωmega Логистика & Søn <b>';
let proposalId = '';

beforeAll(async () => {
  expect(
    (await request(demo.app, 'POST', '/demo/clients', client(CLIENT, { client_name: CLIENT_NAME }))).statusCode,
  ).toBe(201);
  const created = await request(demo.app, 'POST', '/demo/proposals', {
    proposal_id: 'prop-doc-001',
    client_id: CLIENT,
    proposal_type: 'implementation',
    questionnaire: questionnaireExample,
  });
  expect(created.statusCode, created.body).toBe(201);
  proposalId = 'prop-doc-001';
});

const documentOf = (query: string, accept?: string) =>
  request(demo.app, 'GET', `/demo/proposals/${proposalId}/document${query}`, undefined, accept ? { accept } : {});

describe('GET /demo/proposals/{proposal_id}/document', () => {
  it('answers the PDF, named after the proposal, with the client, every section and the totals', async () => {
    const response = await documentOf('', 'application/pdf');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="prop-doc-001.pdf"');
    const text = pdfPages(response.rawPayload).join('\n');
    expect(text).toContain('Ωmega Логистика & Søn <b>');
    for (const heading of SECTION_HEADINGS) expect(text).toContain(heading);
    expect(text).toContain('$96,070');
  });

  it('answers Word, HTML and Markdown by ?format= and by Accept, with the same figures', async () => {
    const word = await documentOf('?format=docx');
    expect(word.headers['content-disposition']).toBe('attachment; filename="prop-doc-001.docx"');
    const xml = unzipDocx(word.rawPayload)['word/document.xml'] ?? '';
    const paragraphs = wordParagraphs(xml)
      .map((paragraph) => paragraph.text)
      .join('\n');
    expect(paragraphs).toContain(CLIENT_NAME);
    expect(paragraphs).toContain('$96,070');

    const html = await documentOf('', 'text/html');
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    const root = parseHtml(html.body);
    expect(root.querySelectorAll('h2').map((h) => h.text)).toEqual(expect.arrayContaining([...SECTION_HEADINGS]));
    expect(root.text).toContain(CLIENT_NAME);
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('svg')).not.toBeNull();

    const markdown = await documentOf('?format=md', 'application/pdf');
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.body).toContain('$96,070');
  });

  it('answers 406 listing the four formats for anything else, and 404 for an unknown proposal', async () => {
    for (const response of [await documentOf('', 'image/png'), await documentOf('?format=odt')]) {
      expect(response.statusCode).toBe(406);
      expect(response.json()).toMatchObject({ code: 'NOT_ACCEPTABLE' });
      for (const type of ['application/pdf', 'wordprocessingml', 'text/html', 'text/markdown'])
        expect(response.json().message).toContain(type);
    }
    expect((await request(demo.app, 'GET', '/demo/proposals/nobody/document')).statusCode).toBe(404);
  });

  it('renders a hand-entered proposal without a quote with what it has', async () => {
    const hand = {
      proposal_id: 'prop-hand',
      client_id: CLIENT,
      proposal_type: 'consulting',
      pricing: { total: 1234.5 },
    };
    expect((await request(demo.app, 'POST', '/demo/proposals', hand)).statusCode).toBe(201);
    for (const format of ['pdf', 'docx', 'html', 'md']) {
      const response = await request(demo.app, 'GET', `/demo/proposals/prop-hand/document?format=${format}`);
      expect(response.statusCode, format).toBe(200);
      expect(response.rawPayload.length, format).toBeGreaterThan(100);
    }
    expect(
      pdfPages((await request(demo.app, 'GET', '/demo/proposals/prop-hand/document')).rawPayload).join('\n'),
    ).toContain('$1,234.50');
  });
});

describe('licences on acceptance', () => {
  let key = '';
  let jti = '';

  it('issues a signed licence on sent -> accepted, onto the proposal and the client', async () => {
    expect((await request(demo.app, 'PATCH', `/demo/proposals/${proposalId}`, { status: 'sent' })).statusCode).toBe(
      200,
    );
    const accepted = await request(demo.app, 'PATCH', `/demo/proposals/${proposalId}`, { status: 'accepted' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const license = accepted.json().license;
    expect(license).toMatchObject({
      key: expect.stringMatching(/^ey/) as string,
      key_id: expect.any(String) as string,
    });
    ({ key, jti } = license);
    const storedClient = (await request(demo.app, 'GET', `/demo/clients/${CLIENT}`)).json();
    expect(storedClient).toMatchObject({ license_key: key, license_expiration: license.expires_at });
    const typedIn = await request(demo.app, 'PATCH', `/demo/proposals/${proposalId}`, {
      license: { ...license, key: 'forged' },
    });
    expect(typedIn.statusCode).toBe(422);
  });

  it('verifies with /demo/licenses/verify, and offline against the JWKS with stock jose', async () => {
    const verified = await request(demo.app, 'POST', '/demo/licenses/verify', { license_key: key });
    expect(verified.json()).toMatchObject({
      valid: true,
      claims: {
        iss: 'AnalyticsEngine',
        sub: CLIENT,
        value_chains: ['SCOR', 'CRM'],
        modules: ['SCOR', 'CRM'],
        term_years: 3,
        proposal_id: proposalId,
        jti,
      },
    });
    const jwks = await request(demo.app, 'GET', '/demo/licenses/jwks.json');
    expect(jwks.statusCode).toBe(200);
    expect(jwks.body).not.toContain('"d"');
    const { payload, protectedHeader } = await jwtVerify(key, createLocalJWKSet(jwks.json()), {
      issuer: 'AnalyticsEngine',
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.sub).toBe(CLIENT);
  });

  it('answers invalid for a key with one character changed, and for any string, never a 500', async () => {
    const [header = '', payload = '', signature = ''] = key.split('.');
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const tampered = [
      `${header}.${flip(payload, 10)}.${signature}`,
      `${header}.${payload}.${flip(signature, 5)}`,
      `${flip(header, 3)}.${payload}.${signature}`,
    ];
    for (const license_key of [...tampered, '', 'not a key', 'x'.repeat(100_000)]) {
      const response = await request(demo.app, 'POST', '/demo/licenses/verify', { license_key });
      expect(response.statusCode).toBe(200);
      expect(response.json().valid).toBe(false);
    }
  });

  it('revokes (admin), after which verify says revoked', async () => {
    const revoked = await request(demo.app, 'POST', `/demo/licenses/${jti}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ jti, proposal_id: proposalId });
    expect((await request(demo.app, 'POST', '/demo/licenses/verify', { license_key: key })).json()).toEqual({
      valid: false,
      reason: 'revoked',
    });
    expect((await request(demo.app, 'POST', '/demo/licenses/nobody/revoke')).statusCode).toBe(404);
  });

  it('refuses to accept a proposal past its valid_until with 409 PROPOSAL_EXPIRED', async () => {
    const created = await request(demo.app, 'POST', '/demo/proposals', {
      proposal_id: 'prop-old',
      client_id: CLIENT,
      proposal_type: 'implementation',
      questionnaire: questionnaireExample,
    });
    expect(created.statusCode).toBe(201);
    // Time passes: the stored quote's validity ends yesterday.
    const proposals = createDocumentRepository(demo.database.db, serviceProposalsTable, proposalSchema);
    await proposals.update('prop-old', (current) => ({
      ...current,
      status: 'sent',
      quote: { ...current.quote!, valid_until: '2020-01-01' },
    }));
    const refused = await request(demo.app, 'PATCH', '/demo/proposals/prop-old', { status: 'accepted' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('PROPOSAL_EXPIRED');
  });
});

describe('signing keys', () => {
  const apps: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('are required in production, and never appear in a response or a log line', async () => {
    await expect(testApp(demoConfigService, demo.database, { NODE_ENV: 'production' })).rejects.toThrow(
      /^LICENSE_SIGNING_KEYS is required/,
    );
    const entry = newSigningKeyEntry('prod-1');
    const material = entry.slice('prod-1:'.length);
    const sink = logSink();
    const app = await testApp(
      demoConfigService,
      demo.database,
      { NODE_ENV: 'production', LICENSE_SIGNING_KEYS: entry },
      { logger: sink.logger },
    );
    apps.push(app);
    const jwks = await request(app, 'GET', '/demo/licenses/jwks.json');
    expect(jwks.json().keys).toEqual([expect.objectContaining({ kid: 'prod-1', kty: 'OKP', crv: 'Ed25519' })]);
    const bodies = [jwks.body, (await request(app, 'GET', '/docs/json')).body];
    for (const text of [...bodies, sink.lines.join('\n')]) expect(text).not.toContain(material.slice(20, 60));
  });
});
