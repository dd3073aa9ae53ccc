// The Connector Service: connection profiles for external data sources, with
// secrets encrypted at rest and never shown. Configuration is parsed once here;
// a bad value refuses the boot.
import { sealIdempotentAnswers, type ServiceDefinition } from '@analytics-engine/http';
import { connectorScopeRule } from './access-scopes.js';
import { loadConnectorConfig } from './config.js';
import { registerConnectionTestRoutes } from './connection-test-routes.js';
import { registerProfileRoutes } from './profile-routes.js';
import { createProfileSecrets } from './profile-secrets.js';
import { createSecretBox } from './secret-box.js';

export const connectorService: ServiceDefinition = {
  name: 'connector',
  title: 'Connector Service',
  description:
    'Connection profiles for external data sources (SQL, API, Excel). connection_string and credentials.password are encrypted at rest (AES-256-GCM) and never returned: responses redact credentials inside connection_string and say which secrets are set. Connection tests (POST /connector/profiles/{id}/test, POST /connector/profiles/test) reach the source under a deadline and an egress policy, and can discover its tables and columns.',
  version: '0.1.0',
  defaultPort: 8023,
  portVariable: 'CONNECTOR_PORT',
  scopeRule: connectorScopeRule,
  register: async (app, { database, env, log }) => {
    const config = await loadConnectorConfig(env, log);
    const box = createSecretBox(config.keys);
    const secrets = createProfileSecrets(box);
    registerProfileRoutes(app, database, secrets);
    registerConnectionTestRoutes(app, database, secrets, box, config.connectionTest);
    // A profile's answer shows its connection string (credentials redacted): at rest it stays sealed, like the profile.
    sealIdempotentAnswers(app, {
      seal: (body, key) => box.seal(body, key, 'idempotent-answer'),
      open: (stored, key) => {
        const opened = box.open(stored, key, 'idempotent-answer');
        return opened.ok ? opened.plaintext : undefined;
      },
    });
  },
};
