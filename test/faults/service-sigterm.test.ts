// SIGTERM under write load: the service stops taking requests, answers every
// request it had received, closes its pool and exits 0 well within its grace
// period; no acknowledged write is lost, and a new instance on the same
// database serves. Writes sent after the signal may be refused or, on a
// keep-alive socket the server was closing, reset: unknown, never judged
// stored or not.
import { describe, expect, it } from 'vitest';
import { stop } from '../run-modes/running-services.js';
import { tail } from './support/fault-services.js';
import { runProcessFault } from './support/process-fault-run.js';
import { requestAccount } from './support/request-log.js';
import { untilInFlight } from './support/write-load.js';

const SHUTDOWN_GRACE_MS = 10_000;

describe('SIGTERM of the service', () => {
  it('under load', async () => {
    await runProcessFault({
      name: 'sigterm',
      // debug: the request log ('incoming request', 'request completed') is written at debug.
      env: { SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS), LOG_LEVEL: 'debug' },
      strike: async (services, load) => {
        // Signalled while writes await their answers: those are what the shutdown must finish.
        const inFlight = await untilInFlight(load, 1);
        const started = Date.now();
        const exit = await stop(services, 'SIGTERM');
        const tookMs = Date.now() - started;
        // 0, not a signal and not the grace period's forced exit: the shutdown finished by itself.
        expect(exit, `exit after SIGTERM:\n${tail(services.output())}`).toBe(0);
        expect(services.output()).toContain('SIGTERM received');
        expect(tookMs, 'the shutdown outlived its grace period').toBeLessThan(SHUTDOWN_GRACE_MS);
        const account = requestAccount(services.output());
        expect(account.received, 'no request in the service log').toBeGreaterThan(0);
        expect(account.unanswered, 'requests received and never answered').toEqual([]);
        return (
          `${inFlight} writes in flight at SIGTERM, all ${account.received} received requests answered, ` +
          `exit 0 after ${tookMs} ms`
        );
      },
    });
  });
});
