// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by
// package, idle excluded from the percentages.
//   pnpm exec tsx bench/profile-summary.ts <file.cpuprofile> [top] [requests]
// With `requests` (completed requests while profiled, warm-ups included) every
// figure is also given in microseconds per request. The inclusive table counts a
// sample for every package on its stack (a package's own time plus what it
// called); the syscall table names who asked for each write (the nearest caller
// outside Node's internals).
import { readFileSync } from 'node:fs';
import { table } from './report.js';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArgument, requestsArgument] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [requests]\n');
  process.exit(2);
}
const top = Number(topArgument ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const requests = requestsArgument === undefined ? undefined : Number(requestsArgument);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** Which package (or runtime part) a frame belongs to. */
function packageOf(url: string, name: string): string {
  if (name.startsWith('(')) return name;
  const modules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return 'node internals';
  const workspace = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (workspace?.[2]) return `@analytics-engine/${workspace[2]}`;
  return url === '' ? 'native / V8' : url;
}

/** Packages on a sample's stack, and the nearest one outside Node and V8 (who asked). */
function stackOf(id: number): { packages: Set<string>; caller: string } {
  const packages = new Set<string>();
  let caller = '';
  for (let current: number | undefined = parentOf.get(id); current !== undefined; current = parentOf.get(current)) {
    const frame = byId.get(current)?.callFrame;
    if (!frame) break;
    const pkg = packageOf(frame.url, frame.functionName);
    packages.add(pkg);
    if (!caller && pkg !== 'node internals' && pkg !== 'native / V8' && !pkg.startsWith('(')) caller = pkg;
  }
  return { packages, caller: caller || '(none)' };
}

const SYSCALLS = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);
const inclusiveByPackage = new Map<string, number>();
const syscallByCaller = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const selfByPackage = new Map<string, number>();
let total = 0;
let idle = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id);
  const delta = profile.timeDeltas[index] ?? 0;
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') {
    idle += delta;
    return;
  }
  total += delta;
  const where = url
    ? url
        .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
        .replace(/^file:\/\/.*?\/(packages|services)\//, '$1/') + `:${lineNumber + 1}`
    : '';
  const key = `${functionName || '(anonymous)'} ${where}`;
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
  const pkg = packageOf(url, functionName);
  selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + delta);
  const stack = stackOf(id);
  stack.packages.add(pkg);
  for (const name of stack.packages) inclusiveByPackage.set(name, (inclusiveByPackage.get(name) ?? 0) + delta);
  if (SYSCALLS.has(functionName))
    syscallByCaller.set(
      `${functionName} <- ${stack.caller}`,
      (syscallByCaller.get(`${functionName} <- ${stack.caller}`) ?? 0) + delta,
    );
});

const rank = (map: Map<string, number>, count: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => [
      name.slice(0, 110),
      (micros / 1000).toFixed(0),
      `${((100 * micros) / total).toFixed(1)} %`,
      ...(requests ? [(micros / requests).toFixed(1)] : []),
    ]);
const header = (first: string, second: string) => [first, second, 'of busy', ...(requests ? ['µs/req'] : [])];

process.stdout.write(
  `${file}\nbusy ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s` +
    (requests ? `, ${requests} requests: ${(total / requests).toFixed(1)} µs busy per request` : '') +
    '\n\n',
);
process.stdout.write(`${table(header('package / runtime', 'self ms'), rank(selfByPackage, 20))}\n\n`);
process.stdout.write(`${table(header('package (inclusive)', 'incl. ms'), rank(inclusiveByPackage, 20))}\n\n`);
process.stdout.write(`${table(header('socket write <- caller', 'self ms'), rank(syscallByCaller, 10))}\n\n`);
process.stdout.write(`${table(header('function', 'self ms'), rank(selfByFunction, top))}\n`);
