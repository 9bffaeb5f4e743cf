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
//                14 racers × 50 steps/frame on rosenbrock, once with the
//                instrument panels hidden (`hide=`, budget 8 ms) and once with
//                every instrument shown (budget 10 ms). While playing, the
//                text panels follow at most every 100 ms and the charts redraw
//                only when the race changes (their cursors move every frame);
//   slider       `input` on lr-multiplier -> end of that frame, on rosenbrock's
//                default 2,000-step race shown at its end (t=2000), 180
//                inputs (a drag back and forth, see SWEEPS) in each of three
//                page loads, pooled (see DRAG_LOADS; each load's p95 is
//                printed with a speed probe, the load's median wasm re-run
//                time, to tell a slow phase of the machine). The event is
//                dispatched at the start of a frame, inside a rAF callback, as
//                Chromium does for rAF-aligned input (pointer moves while
//                dragging); dispatching from a task instead would add the idle
//                wait for the next vsync (0–16.7 ms) to every sample. From the
//                first input on (a slider's first input starts a drag), the
//                page draws the travelled paths as one-pixel drafts until the
//                slider rests for 150 ms, and refreshes one of its four text
//                lanes per frame (src/raf.rs); the data-* hooks are exact
//                after every input;
//   β₁           the same for the inspector's β₁ slider (focus=adam, t=2000):
//                re-runs the race and redraws rows, paths and the inspector;
//   scrub        the same for the timeline (no budget: moves heads and rows);
//                after a drag input the charts redraw in the next idle period,
//                not in the input's frame, and at most every 100 ms while the
//                inputs keep coming (src/render/mod.rs, `Coalesced`);
//   switch       `change` on landscape-select -> end of that frame (same way);
//   re-run       window.wasmBindings.bench_rerun('rosenbrock', 2000, 40);
//   bundle       gzip -9 of dist/*.wasm, *.js, *.css.
//
//   long         issue 7: a 10⁶-step race loaded by ?t=1000000 (time, wasm
//                memory, JS heap), then played at 100 steps/frame for 2 minutes:
//                memory growth while playing (flat = bounded history, no leak);
// DOWNHILL_BENCH_ONLY=ready,race,race-all,slider,beta,scrub,switch,rerun,long runs
// only those parts. DOWNHILL_BENCH_PROFILE=1 also samples ~3 s of playing with the CDP Profiler
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
const RERUN_REPS = 40;
const LONG_PLAY_S = 120;
const KIB = 1024;

// Issue 4 (the race page) and issue 5 (instruments: every panel shown).
const BUDGETS = {
  ready_ms: 400,
  frame_work_p95_ms: 8,
  frame_work_all_p95_ms: 10,
  slider_p95_ms: 12,
  beta1_p95_ms: 12,
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

// Every instrument panel (issue 5): hidden for the race-only figure.
const INSTRUMENT_PANELS = 'loss,effective-lr,inspector,formulas,schedule';

async function measureRace(query, { profile = false } = {}) {
  const opened = await load(query);
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
    const sampled = profile ? await profilePlaying(opened) : null;
    await page.getByTestId('play').click();
    const advanced = frames.filter((f) => f.after > f.before).slice(RACE_WARMUP_FRAMES);
    const work = advanced.map((f) => f.work);
    const stepsPerFrame = median(advanced.map((f) => f.after - f.before));
    return {
      work,
      stepsPerFrame,
      idleFrames: frames.length - advanced.length - RACE_WARMUP_FRAMES,
      maxCallbacks: Math.max(...advanced.map((f) => f.callbacks)),
      profile: sampled,
    };
  } finally {
    await opened.close();
  }
}

/**
 * Drags the range input `testid` through `values(start)` (strings), one
 * `input` event at the start of every other frame, and times each from the
 * event to the end of that frame. `probe` names a leaderboard row whose
 * loss must change (the race was re-run), or null.
 */
async function measureDrag(query, testid, values, probe) {
  const opened = await load(query);
  try {
    return await opened.page.evaluate(
      async ({ testid, values, probe }) => {
        const B = window.__bench;
        const input = document.querySelector(`[data-testid="${testid}"]`);
        if (!input) throw new Error(`no [data-testid="${testid}"]`);
        const start = Number(input.value);
        const steps = new Function('start', `return (${values})(start)`)(start);
        const total = [];
        const sync = [];
        const read = () => (probe ? document.querySelector(`[data-testid="racer-${probe}"]`)?.dataset.loss : null);
        const before = read();
        // How fast the machine runs during this load: a fixed piece of the
        // page's own work (a re-run of 14 racers × 2,000 steps, see
        // measureRerun), timed five times before the drag and five after.
        const speedProbe = () => Array.from(window.wasmBindings.bench_rerun('rosenbrock', 2000, 5));
        const probed = speedProbe();
        await B.wait(2);
        for (const v of steps) {
          const r = await B.inFrame(() => {
            input.value = v;
            input.dispatchEvent(new Event('input', { bubbles: true }));
          });
          total.push(r.total);
          sync.push(r.sync);
          await B.wait(1);
        }
        probed.push(...speedProbe());
        probed.sort((a, b) => a - b);
        return { total, sync, changed: probe ? before !== read() : true, last: input.value, speed: probed[probed.length >> 1] };
      },
      { testid, values: values.toString(), probe },
    );
  } finally {
    await opened.close();
  }
}

// The slider drags go their way SWEEPS times (3 × 60 inputs): a p95 of 60
// samples is their 4th slowest, which a few hiccups of a shared machine decide;
// of 180, the 10th.
const SWEEPS = 3;

// Each drag is measured in DRAG_LOADS fresh page loads, and its figures are
// over all their inputs together (3 × 180 for a slider: the p95 is the 27th
// slowest). This VM has bursts of a second or so in which everything runs at
// a third of its speed; one burst in a single load's 180 inputs moved the β₁
// p95 from 7.3–8.7 ms (six loads of the same build) to 19.4 ms. The p95 of
// each load is printed too, so a burst stays visible.
const DRAG_LOADS = 3;

/** `measure()` DRAG_LOADS times, its inputs pooled (see DRAG_LOADS). */
async function pooled(measure) {
  const runs = [];
  for (let i = 0; i < DRAG_LOADS; i += 1) runs.push(await measure());
  return {
    total: runs.flatMap((r) => r.total),
    sync: runs.flatMap((r) => r.sync),
    changed: runs.every((r) => r.changed),
    perLoadP95: runs.map((r) => quantile(r.total, 0.95)),
    perLoadSpeed: runs.map((r) => r.speed),
  };
}

// The default 2,000-step race, shown at its end (t=2000, as after watching
// it): each change re-runs the race and moves every row, head and path.
// A drag in 0.05 steps (×1.12): from the start down one decade, back, then up
// one decade (×1 → ×0.1 → ×1 → ×10 for k = 0…59), then back and forth along
// the same path (k = 58…0, 1…59, …; no value twice in a row).
const measureSlider = () =>
  measureDrag(
    '?l=rosenbrock&t=2000',
    'lr-multiplier',
    `(start) => Array.from({ length: ${60 * SWEEPS} }, (_, i) => {
      const k = i % 118 < 60 ? i % 118 : 118 - (i % 118);
      return (start + 0.05 * (k < 20 ? -(k + 1) : k + 1 - 40)).toFixed(2);
    })`,
    'adam',
  );

// β₁ of the focused racer (Adam) in the inspector, 0.9 → 0.5 → 0.99, then
// back and forth, at t=2000.
const measureBeta = () =>
  measureDrag(
    '?l=rosenbrock&t=2000&focus=adam',
    'inspector-beta1',
    `() => Array.from({ length: ${60 * SWEEPS} }, (_, i) => {
      const k = i % 118 < 60 ? i % 118 : 118 - (i % 118);
      return String(k < 30 ? 0.9 - 0.4 * ((k + 1) / 30) : 0.5 + 0.49 * ((k - 29) / 30));
    })`,
    'adam',
  );

// The timeline scrubbed back and forth over the recorded 2,000 steps.
const measureScrub = () =>
  measureDrag(
    '?l=rosenbrock&t=2000',
    'timeline',
    () => Array.from({ length: 60 }, (_, k) => String(Math.round(k < 30 ? 2000 - 65 * (k + 1) : 65 * (k - 29)))),
    null,
  );

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

/** Issue 7's long runs: a 10⁶-step race loaded by a link, then played at
 * full speed; wasm memory and JS heap after load and after playing. */
async function measureLong() {
  const mem = (page) => page.evaluate(() => ({
    wasm: window.wasmBindings.bench_memory(),
    heap: performance.memory ? performance.memory.usedJSHeapSize : null,
  }));
  const t0 = Date.now();
  const loaded = await load('?l=rosenbrock&t=1000000', { timeout: 120_000 });
  const out = {};
  try {
    await loaded.page.getByTestId('racer-adam').waitFor({ timeout: 120_000 });
    out.load_ms = Date.now() - t0;
    out.step = await loaded.page.getByTestId('racer-adam').getAttribute('data-step');
    Object.assign(out, { after_load: await mem(loaded.page) });
  } finally {
    await loaded.close();
  }
  const played = await load('?l=rosenbrock&max=1000000&speed=100&autoplay=1', { timeout: 120_000 });
  try {
    await played.page.getByTestId('racer-adam').waitFor({ timeout: 120_000 });
    await played.page.waitForTimeout(3000);
    out.playing_3s = await mem(played.page);
    await played.page.waitForTimeout(LONG_PLAY_S * 1000);
    out.playing_later = await mem(played.page);
    out.step_later = await played.page.getByTestId('racer-adam').getAttribute('data-step');
  } finally {
    await played.close();
  }
  return out;
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

/** DOWNHILL_BENCH_ONLY=race,slider,… runs only those parts (while iterating). */
const ONLY = new Set((process.env.DOWNHILL_BENCH_ONLY ?? '').split(',').map((x) => x.trim()).filter(Boolean));
const wanted = (part) => ONLY.size === 0 || ONLY.has(part);

function raceFigures(race, label) {
  if (race.work.length < RACE_FRAMES) throw new BenchError(`${label}: only ${race.work.length} race frames measured`);
  console.log(
    `${label}: ${race.work.length} frames, ${race.stepsPerFrame} steps/frame, up to ${race.maxCallbacks} rAF callback(s) per frame, max ${fmt(Math.max(...race.work))} ms`,
  );
  return { p50: round(median(race.work)), p95: round(quantile(race.work, 0.95)), frames: race.work.length, steps: race.stepsPerFrame };
}

function dragFigures(drag, label, n) {
  if (drag.total.length < n) throw new BenchError(`the ${label} measurement did not complete`);
  if (!drag.changed) console.warn(`warning: the ${label} drag did not change the race`);
  console.log(`${label}: input handler alone (sync) p50 ${fmt(median(drag.sync), 2)} / p95 ${fmt(quantile(drag.sync, 0.95), 2)} ms`);
  if (drag.perLoadP95) console.log(`${label}: p95 of each of ${drag.perLoadP95.length} loads ${drag.perLoadP95.map((v) => fmt(v, 2)).join(' / ')} ms (figures: all ${drag.total.length} inputs)`);
  // The machine's speed in each load, to read the p95s against (a slow phase
  // of a shared VM shows as a slower probe).
  if (drag.perLoadSpeed) console.log(`${label}: speed probe of each load (wasm re-run, median of 10) ${drag.perLoadSpeed.map((v) => fmt(v, 2)).join(' / ')} ms`);
  return { p50: round(median(drag.total)), p95: round(quantile(drag.total, 0.95)), handler_p50: round(median(drag.sync)), n: drag.total.length };
}

async function main() {
  console.log(`bench: ${pageUrl('')} in ${process.env.CHROMIUM ?? '/usr/bin/chromium'}, ${DESKTOP.width}×${DESKTOP.height}`);
  const bundle = measureBundle();
  const fig = {};
  // [figure, value, unit, budget key or null]
  const rows = [];

  if (wanted('ready')) {
    const ready = await measureReady();
    console.log(`ready: loads ${ready.ready.map((v) => fmt(v)).join(', ')} ms; painted ${ready.painted.map((v) => fmt(v)).join(', ')} ms`);
    fig.ready_ms = round(median(ready.ready), 1);
    fig.ready_painted_ms = round(median(ready.painted), 1);
    rows.push(['ready (median of 5 loads)', fig.ready_ms, 'ready_ms']);
  }

  let profiled = null;
  if (wanted('race')) {
    const query = `?l=rosenbrock&speed=50&max=100000&hide=${INSTRUMENT_PANELS}`;
    const r = raceFigures(await measureRace(query), 'race, instruments hidden');
    Object.assign(fig, { frame_work_p50_ms: r.p50, frame_work_p95_ms: r.p95, frame_work_frames: r.frames, frame_steps: r.steps });
    rows.push(['race frame work p50, instruments hidden', r.p50, null]);
    rows.push(['race frame work p95, instruments hidden', r.p95, 'frame_work_p95_ms']);
  }
  if (wanted('race') || wanted('race-all')) {
    const race = await measureRace('?l=rosenbrock&speed=50&max=100000', { profile: PROFILE });
    profiled = race.profile;
    const r = raceFigures(race, 'race, every instrument shown');
    Object.assign(fig, { frame_work_all_p50_ms: r.p50, frame_work_all_p95_ms: r.p95, frame_work_all_frames: r.frames });
    rows.push(['race frame work p50, every instrument', r.p50, null]);
    rows.push(['race frame work p95, every instrument', r.p95, 'frame_work_all_p95_ms']);
  }

  if (wanted('slider')) {
    const r = dragFigures(await pooled(measureSlider), 'slider (lr-multiplier)', 60 * SWEEPS * DRAG_LOADS);
    Object.assign(fig, { slider_p50_ms: r.p50, slider_p95_ms: r.p95, slider_handler_p50_ms: r.handler_p50, slider_changes: r.n });
    rows.push(['LR slider input→frame end p50', r.p50, null]);
    rows.push(['LR slider input→frame end p95', r.p95, 'slider_p95_ms']);
  }
  if (wanted('beta')) {
    const r = dragFigures(await pooled(measureBeta), 'β₁ (inspector-beta1)', 60 * SWEEPS * DRAG_LOADS);
    Object.assign(fig, { beta1_p50_ms: r.p50, beta1_p95_ms: r.p95, beta1_handler_p50_ms: r.handler_p50 });
    rows.push(['β₁ slider input→frame end p50', r.p50, null]);
    rows.push(['β₁ slider input→frame end p95', r.p95, 'beta1_p95_ms']);
  }
  if (wanted('scrub')) {
    const r = dragFigures(await pooled(measureScrub), 'scrub (timeline)', 60 * DRAG_LOADS);
    Object.assign(fig, { scrub_p50_ms: r.p50, scrub_p95_ms: r.p95 });
    rows.push(['timeline scrub input→frame end p50', r.p50, null]);
    rows.push(['timeline scrub input→frame end p95', r.p95, null]);
  }

  if (wanted('switch')) {
    const sw = await measureSwitch();
    const wrong = sw.order.filter((l, i) => sw.seen[i] !== l);
    if (wrong.length) throw new BenchError(`landscape-select did not take ${wrong.join(', ')}`);
    console.log(`switch: ${sw.order.map((l, i) => `${l} ${fmt(sw.total[i])}`).join(', ')} ms`);
    Object.assign(fig, { switch_median_ms: round(median(sw.total)), switch_max_ms: round(Math.max(...sw.total)), switches: sw.total.length });
    rows.push(['landscape switch median', fig.switch_median_ms, 'switch_median_ms']);
  }

  if (wanted('rerun')) {
    const rerun = await measureRerun();
    if (rerun.length !== RERUN_REPS) throw new BenchError(`bench_rerun returned ${rerun.length} timings, wanted ${RERUN_REPS}`);
    console.log(`re-run: min ${fmt(Math.min(...rerun), 2)}, max ${fmt(Math.max(...rerun), 2)} ms over ${RERUN_REPS}`);
    Object.assign(fig, { rerun_median_ms: round(median(rerun), 3), rerun_reps: rerun.length });
    rows.push(['wasm re-run 14×2000 median', fig.rerun_median_ms, 'rerun_median_ms']);
  }

  if (wanted('long')) {
    const l = await measureLong();
    const mib = (b) => (b === null ? 'n/a' : `${fmt(b / KIB / KIB)} MiB`);
    console.log(`long run: ?t=1000000 ready in ${l.load_ms} ms at step ${l.step}; wasm ${mib(l.after_load.wasm)}, JS heap ${mib(l.after_load.heap)}`);
    console.log(`long run: playing 10⁶ steps at 100/frame: after 3 s wasm ${mib(l.playing_3s.wasm)}, heap ${mib(l.playing_3s.heap)}; after ${LONG_PLAY_S + 3} s (step ${l.step_later}) wasm ${mib(l.playing_later.wasm)}, heap ${mib(l.playing_later.heap)}`);
    Object.assign(fig, {
      long_load_ms: l.load_ms,
      long_wasm_bytes: l.after_load.wasm,
      long_heap_bytes: l.after_load.heap,
      long_play_wasm_growth_bytes: l.playing_later.wasm - l.playing_3s.wasm,
      long_play_heap_growth_bytes: l.playing_later.heap - l.playing_3s.heap,
    });
  }

  fig.bundle_gzip_bytes = bundle.total;
  fig.bundle_gzip_kib = round(bundle.total / KIB, 1);

  const verdict = {};
  const lines = rows.map(([name, value, key]) => {
    const ok = key ? value !== null && value <= BUDGETS[key] : null;
    if (key) verdict[key] = ok;
    return [name, `${fmt(value, 2)} ms`, key ? `≤ ${BUDGETS[key]} ms` : '', ok === null ? '' : ok ? 'met' : 'NOT met'];
  });
  const bundleOk = bundle.total <= BUDGETS.bundle_gzip_bytes;
  verdict.bundle_gzip_bytes = bundleOk;
  lines.push(['bundle gzip -9 (wasm+js+css)', `${fmt(bundle.total / KIB)} KiB`, `≤ 250 KiB (${BUDGETS.bundle_gzip_bytes} B)`, bundleOk ? 'met' : 'NOT met']);
  // The issue writes "250 KB": printed both ways, so that nobody has to
  // convert. The budget above reads KB as KiB; this row as 1,000 B.
  const si = 250 * 1000;
  const siOk = bundle.total <= si;
  verdict.bundle_gzip_bytes_if_kb_is_1000 = siOk;
  lines.push(['the same in bytes', `${bundle.total} B`, `≤ ${si} B (KB = 1,000 B)`, siOk ? 'met' : `NOT met (${bundle.total - si} B over)`]);

  const widths = [0, 1, 2].map((c) => Math.max(...lines.map((r) => r[c].length), ['figure', 'value', 'budget'][c].length));
  const line = (cells) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
  console.log('');
  console.log(line(['figure', 'value', 'budget', '']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('-------')));
  for (const r of lines) console.log(line(r));
  console.log(`bundle: ${bundle.files.map((f) => `${f.name} ${fmt(f.gzip / KIB)} KiB`).join(', ')}`);
  console.log('');
  console.log(JSON.stringify({ browser: { ...fig, budgets: BUDGETS, met: verdict } }));

  if (profiled) {
    const p = profiled;
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
