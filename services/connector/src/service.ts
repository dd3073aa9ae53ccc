// The Connector Service: connection profiles for external data sources, with
// secrets encrypted at rest and never shown. A bad setting refuses the boot.
import { registerDocumentResource, type ServiceDefinition } from '@analytics-engine/http';
import { connectorEnvShape, CONNECTOR_DEFAULT_PORT, loadConnectorConfig } from './config.js';
import { registerConnectionTestRoutes } from './connection-test-routes.js';
import { registerPreviewRoutes } from './preview-routes.js';
import { profileResource } from './profile-resource.js';
import { createProfileSecrets } from './profile-secrets.js';
import { createSecretBox } from './secret-box.js';

export const connectorService: ServiceDefinition = {
  name: 'connector',
  title: 'Connector Service',
  description:
    'Connection profiles for external data sources (SQL, API, Excel). connection_string and credentials.password ' +
    'are encrypted at rest ' +
    '(AES-256-GCM) and never returned: responses redact credentials inside connection_string and say which ' +
    'secrets are set. ' +
    'Connection tests (POST /connector/profiles/{id}/test, POST /connector/profiles/test) reach the source under ' +
    'a deadline and an ' +
    'egress policy, discover tables, columns, primary keys and row estimates (POST .../discover), and preview the ' +
    'first rows ' +
    'of a table (POST .../preview); profiles carry selected_tables and a schedule with its next runs.',
  version: '0.1.0',
  defaultPort: CONNECTOR_DEFAULT_PORT,
  portVariable: 'CONNECTOR_PORT',
  env: connectorEnvShape,
  setup: async ({ database, config, log, metrics }) => {
    const settings = await loadConnectorConfig(config, log);
    const box = createSecretBox(settings.keys);
    const secrets = createProfileSecrets(box);
    return {
      register: (scope) => {
        registerDocumentResource(scope, database, profileResource(secrets));
        registerConnectionTestRoutes(scope, database, secrets, box, settings.connectionTest, metrics);
        registerPreviewRoutes(scope, database, box, settings.connectionTest);
      },
      // A profile's answer shows its connection string (credentials redacted): at rest it stays sealed, like the
      // profile.
      idempotencySealer: {
        seal: (body, key) => box.seal(body, key, 'idempotent-answer'),
        open: (stored, key) => {
          const opened = box.open(stored, key, 'idempotent-answer');
          return opened.ok ? opened.plaintext : undefined;
        },
      },
    };
  },
};
