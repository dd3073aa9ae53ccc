// The fuzz's knobs, from the environment; a bad value stops the run naming it.
//   FUZZ_SEED     integer seed (default fixed), or "random" for a new one (printed)
//   FUZZ_RUNS     requests per operation (default: enough for MIN_REQUESTS in all)
//   FUZZ_ONLY     run only the operations whose label contains this text
//   FUZZ_VERBOSE  1: print the per-operation breakdown even when all is well
//   FUZZ_STRICT   1: the known failures fail the run too (to check their fixes)
//   FUZZ_DUMP     a directory: each distinct failure's request is written there
//                 whole, as JSON (method, url, headers, body), to replay by hand

const DEFAULT_SEED = 8_2025_12;
/** The floor: several thousand requests per run. */
export const MIN_REQUESTS = 3000;

export interface FuzzSettings {
  readonly seed: number;
  readonly runs: number | undefined;
  readonly only: string | undefined;
  readonly verbose: boolean;
  readonly strict: boolean;
  readonly dump: string | undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new Error(`${name}=${text}: expected an integer from ${min} to ${max}`);
  return value;
}

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const random = env.FUZZ_SEED?.trim().toLowerCase() === 'random';
  // fast-check seeds are 32-bit integers.
  const seed = random
    ? Math.floor(Math.random() * 2 ** 31)
    : (integer(env, 'FUZZ_SEED', -(2 ** 31), 2 ** 31 - 1) ?? DEFAULT_SEED);
  return {
    seed,
    runs: integer(env, 'FUZZ_RUNS', 1, 100_000),
    only: env.FUZZ_ONLY?.trim() || undefined,
    verbose: env.FUZZ_VERBOSE === '1',
    strict: env.FUZZ_STRICT === '1',
    dump: env.FUZZ_DUMP?.trim() || undefined,
  };
}
