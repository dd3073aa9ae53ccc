// The Demo Config Service: client configurations and the service proposals
// made for them, over the storage package's repositories.
import { registerDocumentResource, type ServiceDefinition } from '@analytics-engine/http';
import { clientResource } from './client-resource.js';
import { demoConfigEnvShape, loadDemoConfigSettings } from './config.js';
import { registerDocumentRoutes } from './document-routes.js';
import { registerLicenseKeysRoute, registerLicenseRoutes } from './license-routes.js';
import { proposalResource } from './proposal-resource.js';
import { registerQuoteRoutes } from './quote-routes.js';

export const demoConfigService: ServiceDefinition = {
  name: 'demo-config',
  title: 'Demo Config Service',
  description:
    'Client configurations (/demo/clients) and the service proposals made for them (/demo/proposals), priced and ' +
    'scheduled ' +
    'from an eight-step questionnaire (POST /demo/proposals/quote previews; the price book is GET ' +
    '/demo/price-book). A proposal names an existing client; ' +
    'its status moves only draft -> sent -> accepted | rejected; its timeline, hours and pricing stay consistent. ' +
    'Every single-item response carries an ETag, and PATCH, PUT and DELETE honour If-Match.',
  version: '0.1.0',
  defaultPort: 8022,
  portVariable: 'DEMO_CONFIG_PORT',
  env: demoConfigEnvShape,
  setup: async ({ database, config, log }) => {
    const { priceBook, signingKeys } = await loadDemoConfigSettings(config, log);
    return {
      register: (scope) => {
        registerDocumentResource(scope, database, clientResource);
        registerDocumentResource(scope, database, proposalResource(priceBook, signingKeys));
        registerQuoteRoutes(scope, database, priceBook);
        registerDocumentRoutes(scope, database);
        registerLicenseRoutes(scope, database, signingKeys);
      },
      registerOpen: (app) => {
        registerLicenseKeysRoute(app, signingKeys);
      },
    };
  },
};
