// The environment every test builds the services with.
//
// Tests run many files at once on two cores, where the event loop lags for
// reasons of the machine, not of the service: event-loop shedding is off unless
// a test turns it on (test/security/limits.test.ts does). Everything else is
// production's default.
export const TEST_ENV = { NODE_ENV: 'test', MAX_EVENT_LOOP_DELAY_MS: '0' } as const;
