// Ad-hoc: trace a slider drag and print main-thread time by event per input.
import { writeFileSync } from 'node:fs';
import { browser, closeBrowser, DESKTOP, pageUrl } from './harness.mjs';
const query = process.argv[2] ?? '?l=rosenbrock&t=2000';
const testid = process.argv[3] ?? 'lr-multiplier';
const N = 60;
const b = await browser();
const context = await b.newContext({ viewport: DESKTOP, colorScheme: 'light' });
const page = await context.newPage();
await page.goto(pageUrl(query), { waitUntil: 'load' });
await page.getByTestId('landscape-canvas').waitFor();
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
await page.waitForTimeout(1500);
const cats = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8.execute', 'blink.user_timing'];
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
await b.startTracing(page, { categories: cats });
const res = await page.evaluate(async ({ testid, N }) => {
  const input = document.querySelector(`[data-testid="${testid}"]`);
  const start = Number(input.value);
  const raf = (f) => requestAnimationFrame(f);
  const out = [];
  for (let k = 0; k < N; k++) {
    const v = testid === 'inspector-beta1' ? String(k < 30 ? 0.9 - 0.4 * ((k + 1) / 30) : 0.5 + 0.49 * ((k - 29) / 30)) : (start + 0.05 * (k < 20 ? -(k + 1) : k + 1 - 40)).toFixed(2);
    const t = await new Promise((res) => raf(() => {
      performance.mark('in'); const t0 = performance.now();
      input.value = v; input.dispatchEvent(new Event('input', { bubbles: true }));
      const t1 = performance.now();
      const ch = new MessageChannel(); ch.port1.onmessage = () => (performance.mark('out'), res([performance.now() - t0, t1 - t0])); ch.port2.postMessage(null);
    }));
    out.push([...t, v]);
    await new Promise((r) => raf(() => r()));
  }
  return out;
}, { testid, N });
const buf = await b.stopTracing();
const { profile } = await cdp.send('Profiler.stop');
writeFileSync('/tmp/drag.cpuprofile', JSON.stringify(profile));
const self = new Map(); const byId = new Map(profile.nodes.map((n) => [n.id, n]));
profile.samples.forEach((id, i) => { const dt = (profile.timeDeltas[i] ?? 0) / 1000; const f = byId.get(id).callFrame; const key = f.functionName || '(anon)'; self.set(key, (self.get(key) ?? 0) + dt); });
for (const [k, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log('cpu', (ms / N).toFixed(3).padStart(8), k.slice(0, 140));
writeFileSync(process.env.TRACE ?? '/tmp/drag.trace.json', buf);
const tot = res.map((r) => r[0]).sort((a, b) => a - b);
const syn = res.map((r) => r[1]).sort((a, b) => a - b);
console.log(res.map((r) => `${r[2]}:${r[0].toFixed(0)}`).join(' '));
console.log('total p50', tot[N >> 1].toFixed(1), 'p95', tot[Math.floor(N * 0.95)].toFixed(1), 'sync p50', syn[N >> 1].toFixed(1));
const events = JSON.parse(buf.toString()).traceEvents;
const mainTid = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
const by = new Map();
for (const e of events) {
  if (e.tid !== mainTid || e.ph !== 'X') continue;
  by.set(e.name, (by.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
}
const rows = [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
for (const [n, ms] of rows) console.log((ms / N).toFixed(2).padStart(8), n);
await context.close();
await closeBrowser();
