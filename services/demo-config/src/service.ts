// The Demo Config Service: client configurations and the service proposals
// made for them, over the storage package's repositories.
import type { ServiceDefinition } from '@analytics-engine/http';
import { registerClientRoutes } from './client-routes.js';
import { registerProposalRoutes } from './proposal-routes.js';

export const demoConfigService: ServiceDefinition = {
  name: 'demo-config',
  title: 'Demo Config Service',
  description:
    'Client configurations (/demo/clients) and the service proposals made for them (/demo/proposals). A proposal names an existing client; its status moves only draft -> sent -> accepted | rejected; its timeline, hours and pricing stay consistent. Every single-item response carries an ETag, and PATCH, PUT and DELETE honour If-Match.',
  version: '0.1.0',
  defaultPort: 8022,
  portVariable: 'DEMO_CONFIG_PORT',
  register: async (app, { database }) => {
    registerClientRoutes(app, database);
    registerProposalRoutes(app, database);
    await Promise.resolve();
  },
};
