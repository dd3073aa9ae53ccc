// The service's own account of its requests, from its request log (JSON lines,
// written at LOG_LEVEL=debug): which it received and which it answered. A graceful stop
// answers every request it received.

export interface RequestAccount {
  readonly received: number;
  /** Request ids logged as 'incoming request' and never as 'request completed'. */
  readonly unanswered: string[];
}

export function requestAccount(output: string): RequestAccount {
  const received = new Set<string>();
  const answered = new Set<string>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { msg?: unknown; reqId?: unknown };
    try {
      entry = JSON.parse(line) as { msg?: unknown; reqId?: unknown };
    } catch {
      continue;
    }
    if (typeof entry.reqId !== 'string') continue;
    if (entry.msg === 'incoming request') received.add(entry.reqId);
    else if (entry.msg === 'request completed') answered.add(entry.reqId);
  }
  return { received: received.size, unanswered: [...received].filter((id) => !answered.has(id)) };
}
