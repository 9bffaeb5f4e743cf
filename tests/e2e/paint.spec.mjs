// What the browser has to do per frame, checked structurally (counts, never
// timings): the race and a slider drag must not make Chromium re-layerize
// the whole page in frame after frame. A full layerization
// (PaintArtifactCompositor::Update) costs 2–4 ms on this page; Chromium runs
// one whenever a paint chunk changes its bounds or its known-opaque rectangle,
// or a paint property changes. What used to cause one in most frames: the
// effective-LR bars (scaled elements; numbers in clipped boxes), inline-SVG
// swatches and clipped cells in leaderboard rows that move when the board
// re-sorts, a row growing when its status wraps, and step cursors moved by a
// transform.
//
// And only the race layer may be a 2-D canvas: compositing in software,
// Chromium re-produces every 2-D canvas on the page at each commit, changed
// or not (Canvas2DResourceProvider::ProduceCanvasResource); the still pictures
// (heatmap, charts) are bitmaps, which cost nothing until they change.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { browser, closeBrowser, openPage } from './harness.mjs';

after(closeBrowser);

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'cc', 'blink'];

/** Frames, full layerizations and 2-D canvases produced for the compositor
 * on the page's main thread while `act` runs. */
async function layerizations(page, act) {
  const b = await browser();
  await b.startTracing(page, { categories: CATEGORIES });
  await act();
  const events = JSON.parse((await b.stopTracing()).toString()).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const on = (name) => events.filter((e) => e.tid === main && e.ph === 'X' && e.name === name);
  return {
    frames: on('ProxyMain::BeginMainFrame').length,
    full: on('PaintArtifactCompositor::Update').length,
    canvases: on('Canvas2DResourceProvider::ProduceCanvasResource').length,
  };
}

/** The checks every scenario shares: at most `fullShare` of the frames
 * re-layerize the page. */
function check(r, minFrames, fullShare) {
  assert.ok(r.frames >= minFrames, `only ${r.frames} frames traced`);
  assert.ok(r.full <= r.frames * fullShare, `${r.full} of ${r.frames} frames re-layerized the page`);
  // The race layer, at most once a frame (seven per frame when the charts
  // and the heatmap were 2-D canvases).
  assert.ok(r.canvases <= r.frames * 1.1, `${r.canvases} 2-D canvases produced in ${r.frames} frames`);
}

/** Drags the range input `testid` through `values(start)` (strings, from its
 * value at the start), one input every other frame. */
async function drag(page, testid, values) {
  const input = page.getByTestId(testid);
  const list = values(Number(await input.inputValue()));
  await input.evaluate(async (el, list) => {
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    for (const v of list) {
      await frame();
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
    }
  }, list);
}

/** Opens `query`, traces `act(page)` once the page has settled, and checks it. */
async function traced(query, act, minFrames, fullShare) {
  const o = await openPage(query);
  try {
    await o.page.getByTestId('landscape-canvas').waitFor();
    await o.page.waitForTimeout(800);
    check(await layerizations(o.page, () => act(o.page)), minFrames, fullShare);
    assert.deepEqual(o.pageErrors, []);
  } finally {
    await o.close();
  }
}

describe('no re-layerization frame after frame', () => {
  test('racing 14 racers with every instrument shown', () =>
    traced('?l=rosenbrock&speed=50&max=100000', async (page) => {
      await page.getByTestId('play').click();
      await page.waitForTimeout(2500);
      await page.getByTestId('play').click();
    }, 40, 1 / 10));

  // A drag re-layerizes in one frame of 120 at most (the LR drag did in 5 while
  // the leaderboard's rows moved, in 12 when a slider row's paint chunk followed
  // its number's width, and in 23 β₁'s frames when Chromium's slider drew it).
  const DRAG_SHARE = 3 / 120;

  test('dragging the learning-rate slider through 60 values', () =>
    traced('?l=rosenbrock&t=2000', (page) =>
      drag(page, 'lr-multiplier', (start) =>
        Array.from({ length: 60 }, (_, k) => (start + 0.05 * (k < 20 ? -(k + 1) : k + 1 - 40)).toFixed(2)),
      ), 60, DRAG_SHARE));

  test("dragging the inspector's β₁ through 60 values", () =>
    traced('?l=rosenbrock&t=2000&focus=adam', (page) =>
      drag(page, 'inspector-beta1', () =>
        Array.from({ length: 60 }, (_, k) => String(k < 30 ? 0.9 - 0.4 * ((k + 1) / 30) : 0.5 + 0.49 * ((k - 29) / 30))),
      ), 60, DRAG_SHARE));
});
