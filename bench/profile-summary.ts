// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by
// package, idle excluded from the percentages.
//   pnpm exec tsx bench/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { table } from './report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArgument] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArgument ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

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
  const where = url ? `${url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^file:\/\/.*?\/(packages|services)\//, '$1/')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`;
  selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
  const pkg = packageOf(url, functionName);
  selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + delta);
});

const rank = (map: Map<string, number>, count: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => [name.slice(0, 110), (micros / 1000).toFixed(0), `${((100 * micros) / total).toFixed(1)} %`]);

process.stdout.write(`${file}\nbusy ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s\n\n`);
process.stdout.write(`${table(['package / runtime', 'self ms', 'of busy'], rank(selfByPackage, 20))}\n\n`);
process.stdout.write(`${table(['function', 'self ms', 'of busy'], rank(selfByFunction, top))}\n`);
