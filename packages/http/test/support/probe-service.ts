// The probe service of the plugin's own tests: one document resource, /things
// over client_configs (keyed thing_id), with the guide's client document or one
// a test extends, and any routes a test adds beside it.
import { clientConfigsTable, clientConfigSchema, createDocumentRepository, keySchema } from '@analytics-engine/storage';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { registerDocumentResource, type ServiceDefinition } from '../../src/index.js';

export interface ProbeOptions {
  readonly description: string;
  /** The things' document: the guide's client document unless a test adds to it. */
  readonly document?: z.ZodObject;
  /** Routes beside the resource, in the same scope. */
  readonly routes?: (scope: FastifyInstance) => void;
}

export function probeService({ description, document = clientConfigSchema, routes }: ProbeOptions): ServiceDefinition {
  return {
    name: 'probe',
    title: 'Probe',
    description,
    version: '0.0.0',
    defaultPort: 0,
    portVariable: 'PROBE_PORT',
    setup: ({ database }) => ({
      register: (scope) => {
        registerDocumentResource(scope, database, {
          path: '/things',
          key: { name: 'thing_id', schema: keySchema },
          noun: 'thing',
          title: { one: 'thing', many: 'things' },
          tag: 'things',
          document,
          repository: (executor) => createDocumentRepository(executor, clientConfigsTable, document),
          hasUpdatedAt: true,
        });
        routes?.(scope);
      },
    }),
  };
}
