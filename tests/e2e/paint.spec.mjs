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

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { browser, closeBrowser, openPage } from './harness.mjs';

after(closeBrowser);

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'cc', 'blink'];

/** Frames and full layerizations on the page's main thread while `act` runs. */
async function layerizations(page, act) {
  const b = await browser();
  await b.startTracing(page, { categories: CATEGORIES });
  await act();
  const events = JSON.parse((await b.stopTracing()).toString()).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  const on = (name) => events.filter((e) => e.tid === main && e.ph === 'X' && e.name === name);
  return { frames: on('ProxyMain::BeginMainFrame').length, full: on('PaintArtifactCompositor::Update').length };
}

describe('no re-layerization frame after frame', () => {
  test('racing 14 racers with every instrument shown', async () => {
    const o = await openPage('?l=rosenbrock&speed=50&max=100000');
    try {
      await o.page.getByTestId('landscape-canvas').waitFor();
      await o.page.waitForTimeout(800);
      const r = await layerizations(o.page, async () => {
        await o.page.getByTestId('play').click();
        await o.page.waitForTimeout(2500);
        await o.page.getByTestId('play').click();
      });
      assert.ok(r.frames >= 40, `only ${r.frames} frames traced`);
      assert.ok(r.full <= r.frames / 10, `${r.full} of ${r.frames} frames re-layerized the page`);
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });

  test('dragging the learning-rate slider through 60 values', async () => {
    const o = await openPage('?l=rosenbrock&t=2000');
    try {
      await o.page.getByTestId('landscape-canvas').waitFor();
      await o.page.waitForTimeout(800);
      const r = await layerizations(o.page, () =>
        o.page.evaluate(async () => {
          const input = document.querySelector('[data-testid="lr-multiplier"]');
          const start = Number(input.value);
          const frame = () => new Promise((res) => requestAnimationFrame(res));
          for (let k = 0; k < 60; k += 1) {
            await frame();
            input.value = (start + 0.05 * (k < 20 ? -(k + 1) : k + 1 - 40)).toFixed(2);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            await frame();
          }
        }),
      );
      assert.ok(r.frames >= 60, `only ${r.frames} frames traced`);
      assert.ok(r.full <= r.frames / 10, `${r.full} of ${r.frames} frames re-layerized the page`);
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});
