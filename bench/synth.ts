/**
 * Measures synth speed and memory of every rendered app (prints; never asserts).
 * Run: npx ts-node --project test/tsconfig.json bench/synth.ts [iterations]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RENDERED_APPS } from '../examples/apps';
import { renderApp } from '../examples/render';

const iterations = Number(process.argv[2] ?? 5);
for (const a of RENDERED_APPS) {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    const t0 = process.hrtime.bigint();
    renderApp(a.build, tmp);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const bytes = fs.readdirSync(tmp).reduce((n, f) => n + fs.statSync(path.join(tmp, f)).size, 0);
    if (i === 0) process.stdout.write(`${a.name}: ${fs.readdirSync(tmp).length} files, ${(bytes / 1024).toFixed(0)} KiB; `);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  times.sort((x, y) => x - y);
  console.log(`synth median ${times[Math.floor(times.length / 2)].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}) over ${iterations}`);
}
console.log(`heap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
