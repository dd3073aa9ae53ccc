// Start script: `pnpm start` (PORT, HOST, DATABASE_URL, DATA_DIR, CONNECTOR_ENCRYPTION_KEYS).
import { main } from '@analytics-engine/http';
import { connectorService } from './service.js';

await main([connectorService]);
