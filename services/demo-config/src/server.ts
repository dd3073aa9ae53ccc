// Start script: `pnpm start` (PORT, default 8022; HOST; DATABASE_URL, else embedded PGlite in DATA_DIR).
import { main } from '@analytics-engine/http';
import { demoConfigService } from './service.js';

await main([demoConfigService]);
