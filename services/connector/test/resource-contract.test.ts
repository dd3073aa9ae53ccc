// The shared document-resource contract, run against /connector/profiles.
import { describeDocumentResource, useTestApp } from '@analytics-engine/http/testing';
import { connectorService } from '../src/service.js';
import { keyEntry } from './support.js';

const connector = useTestApp(connectorService, { CONNECTOR_ENCRYPTION_KEYS: keyEntry('k1') });

describeDocumentResource({
  app: () => connector.app,
  path: '/connector/profiles',
  keyName: 'id',
  noun: 'profile',
  tag: 'connector profiles',
  body: (n) => ({ name: `Profile ${String(n)}`, type: 'sql' }),
  optional: { name: 'schema_info', value: { tables: ['orders'], columns: { orders: ['id'] } } },
  required: { name: 'type', value: 'api' },
});
