// What a child process writes, stdout and stderr as one text, for readiness
// checks and for the message when it fails. A long-lived child keeps only its
// last `limit` characters.
import type { ChildProcess } from 'node:child_process';

export function captureOutput(child: ChildProcess, limit = Number.POSITIVE_INFINITY): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-limit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}
