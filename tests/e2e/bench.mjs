// Browser benchmark: `cargo xtask bench` builds the release dist/, serves it
// and runs `node tests/e2e/bench.mjs` with DOWNHILL_URL (the page) and
// DOWNHILL_ARTIFACTS. Headless Chromium at 1280×800 (the harness's DESKTOP).
//
// It PRINTS figures, a table and one JSON line `{"browser": {...}}`, each
// figure marked against its budget ("met" / "NOT met"). Budgets are not
// assertions: timings depend on the machine. The exit status is non-zero only
// when the page fails to load or a figure cannot be measured.
//
// All times are taken in the page with performance.now() (coarsened by
// Chromium to 0.1 ms on a page that is not cross-origin isolated):
//   ready        navigation start -> first `racer-*` row in the DOM and visible
//                (a MutationObserver in an init script), median of 5 fresh loads;
//   frame work   start of a requestAnimationFrame callback -> a MessageChannel
//                message posted at its end arrives, i.e. the callback, the
//                microtasks (Leptos effects) it triggers, and the frame's style,
//                layout and paint; only frames in which the race advanced;
//   slider       `input` on lr-multiplier -> end of that frame, on rosenbrock's
//                default 2,000-step race shown at its end (t=2000). The event is
//                dispatched at the start of a frame, inside a rAF callback, as
//                Chromium does for rAF-aligned input (pointer moves while
//                dragging); dispatching from a task instead would add the idle
//                wait for the next vsync (0–16.7 ms) to every sample;
//   switch       `change` on landscape-select -> end of that frame (same way);
//   re-run       window.wasmBindings.bench_rerun('rosenbrock', 2000, 40);
//   bundle       gzip -9 of dist/*.wasm, *.js, *.css.
//
// DOWNHILL_BENCH_PROFILE=1 also samples ~3 s of playing with the CDP Profiler
// and a Chromium trace, prints the top self-time functions and the main
// thread's time by trace event, and writes both to DOWNHILL_ARTIFACTS.

import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ARTIFACTS, DESKTOP, browser, closeBrowser, pageUrl } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '..', '..', 'dist');
const PROFILE = ['1', 'true', 'yes'].includes((process.env.DOWNHILL_BENCH_PROFILE ?? '').toLowerCase());

const LANDSCAPES = ['bowl', 'ravine', 'saddle', 'rosenbrock', 'beale', 'rotated_ravine'];
const READY_LOADS = 5;
const RACE_FRAMES = 300;
const RACE_WARMUP_FRAMES = 5;
const SLIDER_CHANGES = 60;
const RERUN_REPS = 40;
const KIB = 1024;

const BUDGETS = {
  ready_ms: 400,
  frame_work_p95_ms: 8,
  slider_p95_ms: 12,
  switch_median_ms: 30,
  rerun_median_ms: 2,
  bundle_gzip_bytes: 250 * KIB,
};

/** A measurement that could not be taken: the script exits non-zero. */
class BenchError extends Error {}

// ---------------------------------------------------------------- in the page

/**
 * Runs before any of the page's scripts, in every load. Installs
 * `window.__bench`: the ready mark, a requestAnimationFrame wrapper that
 * records frame work while `armed`, and `inFrame(action)` for the
 * input-to-frame-end measurements.
 */
function initScript() {
  const raf = window.requestAnimationFrame.bind(window);
  const now = () => performance.now();
  const B = {
    ready: null,
    readyPainted: null,
    armed: false,
    frames: [],
    queue: [],
    current: null,
    origRaf: raf,
  };
  window.__bench = B;

  // 1. Ready: the first leaderboard row, in the DOM and visible.
  const row = () => document.querySelector('[data-testid^="racer-"]');
  const visible = (el) => {
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const mark = () => {
    if (B.ready !== null) return true;
    const el = row();
    if (!el || !visible(el)) return false;
    B.ready = now();
    // And when that frame has been painted (for information).
    raf(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => (B.readyPainted = now());
      ch.port2.postMessage(null);
    });
    return true;
  };
  const observer = new MutationObserver(() => mark() && observer.disconnect());
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  // Visibility can change without a mutation (a stylesheet arriving): poll too.
  const poll = () => mark() || raf(poll);
  raf(poll);

  // 2. Frame work: wrap requestAnimationFrame.
  const counter = () => {
    const b = document.querySelector('[data-testid="step-counter"] b');
    if (b) return Number.parseInt(b.textContent, 10);
    const sgd = document.querySelector('[data-testid="racer-sgd"]');
    return sgd ? Number.parseInt(sgd.dataset.step, 10) : Number.NaN;
  };
  B.counter = counter;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    const end = now();
    const f = B.queue.shift();
    if (!f) return;
    B.frames.push({ work: end - f.t0, before: f.before, after: counter(), callbacks: f.callbacks });
  };
  window.requestAnimationFrame = function requestAnimationFrame(callback) {
    return raf((ts) => {
      if (!B.armed) return callback(ts);
      // Every callback of one frame gets the same timestamp: the frame starts
      // with the first of them, and one message marks its end.
      let f = B.current;
      if (!f || f.ts !== ts) {
        const before = counter();
        f = B.current = { ts, before, t0: now(), callbacks: 0, posted: false };
      }
      f.callbacks += 1;
      try {
        return callback(ts);
      } finally {
        if (!f.posted) {
          f.posted = true;
          B.queue.push(f);
          channel.port2.postMessage(null);
        }
      }
    });
  };

  // 3. Input -> end of frame: run `action` at the start of a frame and resolve
  // with { total, sync } ms once the frame (microtasks, the other rAF
  // callbacks, style, layout, paint) is done; `sync` is the action alone.
  B.inFrame = (action) =>
    new Promise((resolve, reject) => {
      raf(() => {
        const t0 = now();
        try {
          action();
        } catch (error) {
          reject(error);
          return;
        }
        const t1 = now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => resolve({ total: now() - t0, sync: t1 - t0 });
        ch.port2.postMessage(null);
      });
    });
  // Waits for `n` whole frames (to let a change settle).
  B.wait = (n) =>
    new Promise((resolve) => {
      const next = (k) => (k <= 0 ? resolve() : raf(() => next(k - 1)));
      next(n);
    });
}

// ---------------------------------------------------------------- node side

/** Like harness.openPage, but installs the init script before navigating. */
async function load(query, { timeout = 10_000 } = {}) {
  const b = await browser();
  const context = await b.newContext({ viewport: DESKTOP, colorScheme: 'light' });
  const page = await context.newPage();
  const opened = { page, context, pageErrors: [], consoleErrors: [], close: () => context.close() };
  // (A wasm CompileError has an empty stack: fall back to its message.)
  page.on('pageerror', (e) => opened.pageErrors.push(e?.stack || String(e)));
  page.on('console', (m) => m.type() === 'error' && opened.consoleErrors.push(m.text()));
  await page.addInitScript(initScript);
  const url = pageUrl(query);
  try {
    await page.goto(url, { waitUntil: 'load', timeout });
    await page.waitForFunction(() => window.__bench?.ready !== null, null, { timeout });
  } catch (error) {
    const why = [...opened.pageErrors, ...opened.consoleErrors].join('\n  ');
    await opened.close();
    throw new BenchError(`the page ${url} did not load: ${error.message}${why ? `\n  ${why}` : ''}`);
  }
  if (opened.pageErrors.length) {
    console.warn(`warning: uncaught errors on ${url}:\n  ${opened.pageErrors.join('\n  ')}`);
  }
  return opened;
}

function quantile(values, q) {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const median = (v) => quantile(v, 0.5);
const round = (x, d = 2) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

async function measureReady() {
  const ready = [];
  const painted = [];
  for (let i = 0; i < READY_LOADS; i += 1) {
    const opened = await load('');
    try {
      await opened.page.waitForFunction(() => window.__bench.readyPainted !== null, null, { timeout: 5000 });
      const r = await opened.page.evaluate(() => [window.__bench.ready, window.__bench.readyPainted]);
      ready.push(r[0]);
      painted.push(r[1]);
    } finally {
      await opened.close();
    }
  }
  return { ready, painted };
}

async function measureRace() {
  const opened = await load('?l=rosenbrock&speed=50&max=100000');
  const { page } = opened;
  try {
    await page.evaluate(() => window.__bench.wait(3));
    await page.evaluate(() => {
      window.__bench.frames.length = 0;
      window.__bench.armed = true;
    });
    await page.getByTestId('play').click();
    const want = RACE_FRAMES + RACE_WARMUP_FRAMES;
    try {
      await page.waitForFunction(
        (n) => window.__bench.frames.filter((f) => f.after > f.before).length >= n,
        want,
        { timeout: 60_000, polling: 250 },
      );
    } catch {
      const got = await page.evaluate(() => window.__bench.frames.length);
      throw new BenchError(`the race did not advance for ${want} frames (${got} frames recorded)`);
    }
    const frames = await page.evaluate(() => {
      window.__bench.armed = false;
      return window.__bench.frames;
    });
    // Still playing: sample it for the diagnosis, outside the measured frames.
    const profile = PROFILE ? await profilePlaying(opened) : null;
    await page.getByTestId('play').click();
    const advanced = frames.filter((f) => f.after > f.before).slice(RACE_WARMUP_FRAMES);
    const work = advanced.map((f) => f.work);
    const stepsPerFrame = median(advanced.map((f) => f.after - f.before));
    return {
      work,
      stepsPerFrame,
      idleFrames: frames.length - advanced.length - RACE_WARMUP_FRAMES,
      maxCallbacks: Math.max(...advanced.map((f) => f.callbacks)),
      profile,
    };
  } finally {
    await opened.close();
  }
}

async function measureSlider() {
  // The default 2,000-step race, shown at its end (t=2000, as after watching
  // it): each change re-runs the race and moves every row, head and path.
  const opened = await load('?l=rosenbrock&t=2000');
  try {
    return await opened.page.evaluate(async (n) => {
      const B = window.__bench;
      const input = document.querySelector('[data-testid="lr-multiplier"]');
      if (!input) throw new Error('no [data-testid="lr-multiplier"]');
      const start = Number(input.value);
      // A drag in 0.05 steps (×1.12): from the start down one decade, back,
      // then up one decade (×1 → ×0.1 → ×1 → ×10 for n = 60).
      const values = [];
      for (let i = 1; i <= n; i += 1) {
        const offset = i <= 20 ? -i : i - 40;
        values.push((start + 0.05 * offset).toFixed(2));
      }
      const total = [];
      const sync = [];
      const lossBefore = document.querySelector('[data-testid="racer-adam"]')?.dataset.loss;
      await B.wait(2);
      for (const v of values) {
        const r = await B.inFrame(() => {
          input.value = v;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        });
        total.push(r.total);
        sync.push(r.sync);
        await B.wait(1);
      }
      const lossAfter = document.querySelector('[data-testid="racer-adam"]')?.dataset.loss;
      return { total, sync, changed: lossBefore !== lossAfter, last: input.value };
    }, SLIDER_CHANGES);
  } finally {
    await opened.close();
  }
}

async function measureSwitch() {
  const opened = await load('');
  try {
    return await opened.page.evaluate(async (landscapes) => {
      const B = window.__bench;
      const select = document.querySelector('[data-testid="landscape-select"]');
      if (!select) throw new Error('no [data-testid="landscape-select"]');
      const from = landscapes.indexOf(select.value);
      const order = [];
      for (let i = 1; i <= 2 * landscapes.length; i += 1) {
        order.push(landscapes[(Math.max(from, 0) + i) % landscapes.length]);
      }
      const total = [];
      const sync = [];
      const seen = [];
      await B.wait(2);
      for (const l of order) {
        const r = await B.inFrame(() => {
          select.value = l;
          select.dispatchEvent(new Event('change', { bubbles: true }));
        });
        total.push(r.total);
        sync.push(r.sync);
        seen.push(select.value);
        await B.wait(2);
      }
      return { order, seen, total, sync };
    }, LANDSCAPES);
  } finally {
    await opened.close();
  }
}

async function measureRerun() {
  const opened = await load('?l=rosenbrock');
  try {
    return await opened.page.evaluate((reps) => {
      const b = window.wasmBindings;
      if (!b || typeof b.bench_rerun !== 'function') {
        throw new Error(
          `window.wasmBindings.bench_rerun is missing (wasmBindings has: ${Object.keys(b ?? {}).join(', ') || 'nothing'})`,
        );
      }
      return Array.from(b.bench_rerun('rosenbrock', 2000, reps));
    }, RERUN_REPS);
  } finally {
    await opened.close();
  }
}

function measureBundle() {
  let names;
  try {
    names = readdirSync(DIST).filter((n) => /\.(wasm|js|css)$/.test(n));
  } catch (error) {
    throw new BenchError(`cannot read ${DIST}: ${error.message}`);
  }
  if (!names.some((n) => n.endsWith('.wasm'))) throw new BenchError(`${DIST} has no .wasm`);
  const files = names.sort().map((name) => {
    const raw = readFileSync(path.join(DIST, name));
    return { name, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
  });
  return { files, total: files.reduce((s, f) => s + f.gzip, 0) };
}

// -------------------------------------------------------------- diagnosis

/** ~3 s of playing: CPU profile (top self time) and a trace (main-thread events). */
async function profilePlaying({ page, context }) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(3000);
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const cpuFile = path.join(ARTIFACTS, 'bench-play.cpuprofile');
  writeFileSync(cpuFile, JSON.stringify(profile));

  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const { functionName, url } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'}${url ? ` ${path.basename(url)}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([fn, ms]) => ({ fn, ms: round(ms, 1), pct: round((100 * ms) / total, 1) }));

  // The trace: main-thread time by top-level event name.
  const b = await browser();
  const cats = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc'];
  await b.startTracing(page, { categories: cats });
  await page.waitForTimeout(2000);
  const buf = await b.stopTracing();
  const traceFile = path.join(ARTIFACTS, 'bench-play.trace.json');
  writeFileSync(traceFile, buf);
  const events = JSON.parse(buf.toString()).traceEvents ?? [];
  const mainTid = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const wanted = new Set([
    'FunctionCall', 'FireAnimationFrame', 'RunMicrotasks', 'EventDispatch', 'TimerFire',
    'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'Commit',
    'PaintImage', 'RasterTask', 'ScheduleStyleRecalculation', 'HitTest', 'MajorGC', 'MinorGC',
    'V8.GC_SCAVENGER', 'BlinkGC.AtomicPhase', 'ParseHTML', 'CompositeLayers', 'UpdateLayerTree',
  ]);
  const byName = new Map();
  const frames = events.filter((e) => e.tid === mainTid && e.name === 'FireAnimationFrame').length;
  for (const e of events) {
    if (e.tid !== mainTid || e.ph !== 'X' || !wanted.has(e.name)) continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  const trace = [...byName.entries()]
    .sort((a, b2) => b2[1] - a[1])
    .map(([name, ms]) => ({ name, ms: round(ms, 1), per_frame_ms: frames ? round(ms / frames, 3) : null }));
  return { total_ms: round(total, 0), top, cpuFile, trace, traceFrames: frames, traceFile };
}

// ------------------------------------------------------------------- main

async function main() {
  console.log(`bench: ${pageUrl('')} in ${process.env.CHROMIUM ?? '/usr/bin/chromium'}, ${DESKTOP.width}×${DESKTOP.height}`);
  const bundle = measureBundle();

  const ready = await measureReady();
  const readyMs = median(ready.ready);
  console.log(`ready: loads ${ready.ready.map((v) => fmt(v)).join(', ')} ms; painted ${ready.painted.map((v) => fmt(v)).join(', ')} ms`);

  const race = await measureRace();
  if (race.work.length < RACE_FRAMES) throw new BenchError(`only ${race.work.length} race frames measured`);
  console.log(
    `race: ${race.work.length} frames, ${race.stepsPerFrame} steps/frame, up to ${race.maxCallbacks} rAF callback(s) per frame, max ${fmt(Math.max(...race.work))} ms`,
  );

  const slider = await measureSlider();
  if (slider.total.length < SLIDER_CHANGES) throw new BenchError('the slider measurement did not complete');
  if (!slider.changed) console.warn('warning: moving lr-multiplier did not change racer-adam’s loss');
  console.log(`slider: input handler alone (sync, includes the re-run) p50 ${fmt(median(slider.sync), 2)} / p95 ${fmt(quantile(slider.sync, 0.95), 2)} ms`);

  const sw = await measureSwitch();
  const wrong = sw.order.filter((l, i) => sw.seen[i] !== l);
  if (wrong.length) throw new BenchError(`landscape-select did not take ${wrong.join(', ')}`);
  console.log(`switch: ${sw.order.map((l, i) => `${l} ${fmt(sw.total[i])}`).join(', ')} ms`);

  const rerun = await measureRerun();
  if (rerun.length !== RERUN_REPS) throw new BenchError(`bench_rerun returned ${rerun.length} timings, wanted ${RERUN_REPS}`);
  console.log(`re-run: min ${fmt(Math.min(...rerun), 2)}, max ${fmt(Math.max(...rerun), 2)} ms over ${RERUN_REPS}`);

  const fig = {
    ready_ms: round(readyMs, 1),
    ready_painted_ms: round(median(ready.painted), 1),
    frame_work_p50_ms: round(median(race.work)),
    frame_work_p95_ms: round(quantile(race.work, 0.95)),
    frame_work_frames: race.work.length,
    frame_steps: race.stepsPerFrame,
    slider_p50_ms: round(median(slider.total)),
    slider_p95_ms: round(quantile(slider.total, 0.95)),
    slider_handler_p50_ms: round(median(slider.sync)),
    slider_changes: slider.total.length,
    switch_median_ms: round(median(sw.total)),
    switch_max_ms: round(Math.max(...sw.total)),
    switches: sw.total.length,
    rerun_median_ms: round(median(rerun), 3),
    rerun_reps: rerun.length,
    bundle_gzip_bytes: bundle.total,
  };
  const rows = [
    ['ready (median of 5 loads)', `${fmt(fig.ready_ms)} ms`, `≤ ${BUDGETS.ready_ms} ms`, fig.ready_ms <= BUDGETS.ready_ms],
    ['race frame work p50', `${fmt(fig.frame_work_p50_ms, 2)} ms`, '', null],
    ['race frame work p95', `${fmt(fig.frame_work_p95_ms, 2)} ms`, `≤ ${BUDGETS.frame_work_p95_ms} ms`, fig.frame_work_p95_ms <= BUDGETS.frame_work_p95_ms],
    ['slider input→frame end p50', `${fmt(fig.slider_p50_ms, 2)} ms`, '', null],
    ['slider input→frame end p95', `${fmt(fig.slider_p95_ms, 2)} ms`, `≤ ${BUDGETS.slider_p95_ms} ms`, fig.slider_p95_ms <= BUDGETS.slider_p95_ms],
    ['landscape switch median', `${fmt(fig.switch_median_ms, 2)} ms`, `≤ ${BUDGETS.switch_median_ms} ms`, fig.switch_median_ms <= BUDGETS.switch_median_ms],
    ['wasm re-run 14×2000 median', `${fmt(fig.rerun_median_ms, 3)} ms`, `≤ ${BUDGETS.rerun_median_ms} ms`, fig.rerun_median_ms <= BUDGETS.rerun_median_ms],
    [
      'bundle gzip -9 (wasm+js+css)',
      `${fmt(bundle.total / KIB)} KiB`,
      `≤ 250 KiB (${BUDGETS.bundle_gzip_bytes} B)`,
      bundle.total <= BUDGETS.bundle_gzip_bytes,
    ],
  ];
  const met = (ok) => (ok === null ? '' : ok ? 'met' : 'NOT met');
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['figure', 'value', 'budget'][c].length));
  const line = (cells) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
  console.log('');
  console.log(line(['figure', 'value', 'budget', '']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('-------')));
  for (const r of rows) console.log(line([r[0], r[1], r[2], met(r[3])]));
  console.log(`bundle: ${bundle.files.map((f) => `${f.name} ${fmt(f.gzip / KIB)} KiB`).join(', ')}`);
  console.log('');

  const verdict = {
    ready: fig.ready_ms <= BUDGETS.ready_ms,
    frame_work_p95: fig.frame_work_p95_ms <= BUDGETS.frame_work_p95_ms,
    slider_p95: fig.slider_p95_ms <= BUDGETS.slider_p95_ms,
    switch_median: fig.switch_median_ms <= BUDGETS.switch_median_ms,
    rerun_median: fig.rerun_median_ms <= BUDGETS.rerun_median_ms,
    bundle: bundle.total <= BUDGETS.bundle_gzip_bytes,
  };
  console.log(JSON.stringify({ browser: { ...fig, budgets: BUDGETS, met: verdict } }));

  if (race.profile) {
    const p = race.profile;
    console.log(`\nprofile: ${p.total_ms} ms sampled while playing (${p.cpuFile}); top self time:`);
    for (const t of p.top) console.log(`  ${String(t.ms).padStart(8)} ms ${String(t.pct).padStart(5)}%  ${t.fn}`);
    console.log(`trace: main thread over ${p.traceFrames} animation frames (${p.traceFile}), nested events overlap:`);
    for (const t of p.trace) console.log(`  ${String(t.ms).padStart(8)} ms  ${String(t.per_frame_ms).padStart(7)} ms/frame  ${t.name}`);
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${error instanceof BenchError ? error.message : error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await closeBrowser();
}
