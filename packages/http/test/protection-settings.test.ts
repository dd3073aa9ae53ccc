// The protection settings: which bindings may run without keys, and how
// API_KEYS entries are refused (by position, never echoing a token).
import { ConfigError } from '@analytics-engine/storage';
import { describe, expect, it } from 'vitest';
import { findKey, parseApiKeys } from '../src/protections/api-keys.js';
import {
  assertSafeBinding,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  isLoopback,
  protectionSettingsFromEnv,
} from '../src/protections/settings.js';

const token = 'T0ken-that-is-long-enough-2026';

describe('assertSafeBinding', () => {
  it('refuses a non-loopback address without keys, naming the way out', () => {
    const open = protectionSettingsFromEnv({});
    expect(() => {
      assertSafeBinding('0.0.0.0', open);
    }).toThrow(ConfigError);
    expect(() => {
      assertSafeBinding('0.0.0.0', open);
    }).toThrow(/API_KEYS.*ALLOW_UNAUTHENTICATED=true/);
    expect(() => {
      assertSafeBinding('10.1.2.3', open);
    }).toThrow(ConfigError);
  });

  it('allows loopback, keys, or the explicit opt-out', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.4.5.6'])
      expect(isLoopback(host), host).toBe(true);
    expect(() => {
      assertSafeBinding('127.0.0.1', protectionSettingsFromEnv({}));
    }).not.toThrow();
    expect(() => {
      assertSafeBinding('0.0.0.0', protectionSettingsFromEnv({ API_KEYS: `read:${token}` }));
    }).not.toThrow();
    expect(() => {
      assertSafeBinding('0.0.0.0', protectionSettingsFromEnv({ ALLOW_UNAUTHENTICATED: 'true' }));
    }).not.toThrow();
  });

  it('turns rate limiting on by default exactly when the service is exposed', () => {
    expect(protectionSettingsFromEnv({}).rateLimitPerMinute).toBe(0);
    expect(protectionSettingsFromEnv({ API_KEYS: `read:${token}` }).rateLimitPerMinute).toBe(
      DEFAULT_RATE_LIMIT_PER_MINUTE,
    );
    expect(
      protectionSettingsFromEnv({ ALLOW_UNAUTHENTICATED: 'true', RATE_LIMIT_PER_MINUTE: '7' }).rateLimitPerMinute,
    ).toBe(7);
  });
});

describe('parseApiKeys', () => {
  it('reads scope:token entries and finds a key by its token only', () => {
    const keys = parseApiKeys(`read:${token}, admin:${token}-admin`);
    expect(keys.map((k) => k.scope)).toEqual(['read', 'admin']);
    expect(findKey(keys, `${token}-admin`)?.scope).toBe('admin');
    expect(findKey(keys, `${token}-other`)).toBeUndefined();
    expect(keys[0]?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('refuses bad entries by position without echoing them', () => {
    const cases: [string, RegExp][] = [
      [`owner:${token}`, /entry 1: must be scope:token/],
      [`read:${token},write:short-${token.slice(0, 5)}`, /entry 2: the token must be at least 24/],
      [`read:${token} with space`, /printable ASCII/],
      [`read:${token},write:${token}`, /the same token appears twice/],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        parseApiKeys(value);
      } catch (caught) {
        error = caught;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(token.slice(0, 10));
    }
  });
});
