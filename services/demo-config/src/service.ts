// The Demo Config Service: client configurations and the service proposals
// made for them, over the storage package's repositories.
import { registerDocumentResource, type ServiceDefinition } from '@analytics-engine/http';
import { clientResource } from './client-resource.js';
import { proposalResource } from './proposal-resource.js';

export const demoConfigService: ServiceDefinition = {
  name: 'demo-config',
  title: 'Demo Config Service',
  description:
    'Client configurations (/demo/clients) and the service proposals made for them (/demo/proposals). A proposal names an existing client; ' +
    'its status moves only draft -> sent -> accepted | rejected; its timeline, hours and pricing stay consistent. ' +
    'Every single-item response carries an ETag, and PATCH, PUT and DELETE honour If-Match.',
  version: '0.1.0',
  defaultPort: 8022,
  portVariable: 'DEMO_CONFIG_PORT',
  setup: ({ database }) => ({
    register: (scope) => {
      registerDocumentResource(scope, database, clientResource);
      registerDocumentResource(scope, database, proposalResource);
    },
  }),
};
