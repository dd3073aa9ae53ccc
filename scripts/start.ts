// `pnpm start`: both services in one process over one database — the zero
// set-up default, where embedded PGlite allows a single process only.
import { connectorService } from '@analytics-engine/connector';
import { demoConfigService } from '@analytics-engine/demo-config';
import { main } from '@analytics-engine/http';

await main([connectorService, demoConfigService]);
