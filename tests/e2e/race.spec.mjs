// The race page (issue: landscapes on canvas, lockstep race, live controls, URL
// state) as a user and an automated check see it, through the public hooks.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { addressBar, closeBrowser, layerPixels, openPage, PHONE, screenshot, settledLayer } from './harness.mjs';

after(closeBrowser);

const CLI = process.env.DOWNHILL_CLI ?? 'target/debug/downhill';
const LANDSCAPES = ['bowl', 'ravine', 'saddle', 'rosenbrock', 'beale', 'rotated_ravine'];

/** The CLI's trace as JSON. */
function trace(args) {
  return JSON.parse(execFileSync(CLI, ['trace', ...args, '--format', 'json'], { encoding: 'utf8' }));
}

/** data-* of a racer row (numbers parsed). */
async function row(page, slug) {
  const loc = page.locator(`[data-testid="racer-${slug}"]`);
  await loc.waitFor({ state: 'attached', timeout: 10000 });
  const d = await loc.evaluate((e) => ({ ...e.dataset }));
  return { step: +d.step, x: +d.x, y: +d.y, loss: +d.loss, status: d.status, raw: d };
}

async function allRows(page) {
  // The rows appear with the first render; wait for them before reading.
  await page.locator('[data-testid^="racer-"]').first().waitFor({ state: 'attached', timeout: 10000 });
  return page.$$eval('[data-testid^="racer-"]', (rows) =>
    rows.map((r) => ({ id: r.dataset.testid, ...r.dataset })).sort((a, b) => a.id.localeCompare(b.id)),
  );
}

function noErrors(opened) {
  assert.deepEqual(opened.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(opened.consoleErrors, [], 'console errors');
  assert.deepEqual(opened.failedRequests, [], 'failed requests');
}

describe('every landscape', () => {
  for (const l of LANDSCAPES) {
    test(`${l} loads with all 14 racers and no error`, async () => {
      const o = await openPage(`?l=${l}&t=50`);
      try {
        await o.page.locator('[data-testid="racer-sgd"]').waitFor({ timeout: 10000 });
        assert.equal(await o.page.locator('[data-testid^="racer-"]').count(), 14);
        assert.equal(await o.page.locator('[data-testid="landscape-select"]').inputValue(), l);
        const r = await row(o.page, 'adam');
        assert.equal(r.step, 50);
        assert.ok(Number.isFinite(r.loss));
        noErrors(o);
      } finally {
        await o.close();
      }
    });
  }
});

describe('the numbers are the core\'s', () => {
  test('t=120 shows exactly what `downhill trace` computes', async () => {
    const o = await openPage('?l=ravine&o=sgd,adam,muon&sgd.lr=0.3&adam.lr=0.05&muon.nesterov=false&t=120');
    try {
      for (const [slug, sets] of [['sgd', ['lr=0.3']], ['adam', ['lr=0.05']], ['muon', ['lr=0.03', 'nesterov=false']]]) {
        const cli = trace(['--landscape', 'ravine', '--optimizer', slug, '--steps', '120', ...sets.flatMap((s) => ['--set', s])]);
        const r = await row(o.page, slug);
        assert.equal(r.step, 120);
        assert.equal(r.x, cli.path[120][0], `${slug} x`);
        assert.equal(r.y, cli.path[120][1], `${slug} y`);
        assert.equal(r.loss, cli.loss[120], `${slug} loss`);
      }
      noErrors(o);
    } finally {
      await o.close();
    }
  });

  test('schedule, clipping and seeded noise replay identically', async () => {
    const q = '?l=rosenbrock&o=adam,momentum&adam.lr=0.02&sched=cosine_annealing_lr&sched.T_max=200&clip=1&noise=0.3&seed=7&t=120';
    const o = await openPage(q);
    try {
      const cli = trace(['--landscape', 'rosenbrock', '--optimizer', 'adam', '--steps', '120', '--set', 'lr=0.02',
        '--schedule', 'cosine_annealing_lr', '--set-schedule', 'T_max=200', '--clip', '1', '--noise', '0.3', '--seed', '7']);
      const r = await row(o.page, 'adam');
      assert.equal(r.x, cli.path[120][0]);
      assert.equal(r.y, cli.path[120][1]);
      // Same link, same race.
      const again = await openPage(q);
      assert.deepEqual(await allRows(again.page), await allRows(o.page));
      await again.close();
    } finally {
      await o.close();
    }
  });

  test('a diverging racer is reported as a state, never NaN', async () => {
    const o = await openPage('?l=bowl&o=sgd,adam&sgd.lr=1000&t=100');
    try {
      const r = await row(o.page, 'sgd');
      assert.equal(r.status, 'diverged');
      assert.ok(Number.isFinite(r.x) && Number.isFinite(r.loss));
      const text = await o.page.locator('[data-testid="racer-sgd"]').innerText();
      assert.match(text, /diverged at step \d+/);
      assert.doesNotMatch(await o.page.locator('body').innerText(), /NaN/);
      assert.equal((await row(o.page, 'adam')).status, 'running');
      noErrors(o);
    } finally {
      await o.close();
    }
  });
});

describe('interaction', () => {
  test('clicking the canvas restarts every racer from there', async () => {
    const o = await openPage('?l=bowl&t=30');
    try {
      const before = await row(o.page, 'sgd');
      const canvas = o.page.locator('[data-testid="landscape-canvas"]');
      const box = await canvas.boundingBox();
      await canvas.click({ position: { x: box.width * 0.75, y: box.height * 0.3 } });
      const rows = await allRows(o.page);
      assert.ok(rows.every((r) => r.step === '0'), 'back to step 0');
      const xs = new Set(rows.map((r) => r.x));
      assert.equal(xs.size, 1, 'every racer starts from the same point');
      const start = await row(o.page, 'sgd');
      assert.ok(start.x > 0 && start.y > 0, `clicked the upper right quadrant: ${start.x}, ${start.y}`);
      assert.notEqual(start.x, before.x);
      const href = await addressBar(o.page, /[?&]s=/);
      assert.match(new URL(href).search, /[?&]s=/, 'the address bar carries the start');
    } finally {
      await o.close();
    }
  });

  test('play advances, pause stops', async () => {
    const o = await openPage('?l=ravine&speed=3');
    try {
      await o.page.getByTestId('play').click();
      // Plays until past step 10 (polled: a stalled machine draws few frames).
      await o.page.waitForFunction(() => Number(document.querySelector('[data-testid="racer-sgd"]').dataset.step) > 10, null, { timeout: 3000 }).catch(() => {});
      await o.page.getByTestId('play').click();
      const paused = (await row(o.page, 'sgd')).step;
      assert.ok(paused > 10, `played to step ${paused}`);
      await o.page.waitForTimeout(400);
      assert.equal((await row(o.page, 'sgd')).step, paused);
      await o.page.getByTestId('step').click();
      assert.equal((await row(o.page, 'sgd')).step, paused + 1);
      await o.page.getByTestId('reset').click();
      assert.equal((await row(o.page, 'sgd')).step, 0);
    } finally {
      await o.close();
    }
  });

  test('moving the learning-rate slider re-runs the future at once', async () => {
    const o = await openPage('?l=rosenbrock&t=200');
    try {
      const before = await row(o.page, 'adam');
      const slider = o.page.getByTestId('lr-multiplier');
      await slider.evaluate((el) => {
        el.value = '-0.5';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const after = await row(o.page, 'adam');
      assert.equal(after.step, 200, 'the shown step stays');
      assert.notEqual(after.x, before.x, 'the path changed');
      const cli = trace(['--landscape', 'rosenbrock', '--optimizer', 'adam', '--steps', '200', '--set', `lr=${0.02 * 0.316}`]);
      assert.equal(after.x, cli.path[200][0], 'lr × 0.316 as the multiplier says');
    } finally {
      await o.close();
    }
  });

  test('the leaderboard re-sorts by moving only the rows that changed order', async () => {
    const o = await openPage('?l=rosenbrock&t=300');
    try {
      await o.page.locator('[data-testid="racer-sgd"]').waitFor({ timeout: 10000 });
      const result = await o.page.evaluate(async () => {
        const rows = () => [...document.querySelectorAll('tbody [data-testid^="racer-"]')];
        const slugs = () => rows().map((r) => r.dataset.testid.slice(6));
        const rank = (r) => (r.dataset.status === 'diverged' ? [1, 0] : [0, Number(r.dataset.loss)]);
        const sorted = () => rows().every((r, i, all) => {
          if (i === 0) return true;
          const [a, b] = [rank(all[i - 1]), rank(r)];
          return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
        });
        // The fewest moves that turn one order into another: n − the longest
        // run of rows whose old positions increase.
        const fewest = (from, to) => {
          const pos = to.map((s) => from.indexOf(s));
          const len = pos.map(() => 1);
          for (let i = 0; i < pos.length; i++) for (let j = 0; j < i; j++) if (pos[j] < pos[i]) len[i] = Math.max(len[i], len[j] + 1);
          return pos.length - Math.max(0, ...len);
        };
        const nodes = new Map(rows().map((r) => [r.dataset.testid, r]));
        const slider = document.querySelector('[data-testid="lr-multiplier"]');
        // The board follows its text lane, within about 100 ms of an input:
        // once the hooks are exact (the input's effects ran by the next frame),
        // wait (up to 2 s) until the rows' order is the hooks' sorted one.
        const rest = async () => {
          await new Promise((r) => requestAnimationFrame(r));
          const t0 = performance.now();
          while (!sorted() && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 20));
        };
        const out = { reorders: 0, extraMoves: [], unsorted: [], rebuilt: 0 };
        for (const v of ['-1', '-0.5', '0', '0.5', '1', '-0.25', '0.75']) {
          const before = slugs();
          let removed = 0;
          const mo = new MutationObserver((l) => l.forEach((m) => (removed += m.removedNodes.length)));
          mo.observe(document.querySelector('.leaderboard tbody'), { childList: true });
          slider.value = v;
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          await rest();
          mo.takeRecords().forEach((m) => (removed += m.removedNodes.length));
          mo.disconnect();
          const after = slugs();
          if (after.join() !== before.join()) out.reorders += 1;
          if (removed !== fewest(before, after)) out.extraMoves.push(`${v}: ${removed} moves, ${fewest(before, after)} needed`);
          if (!sorted()) out.unsorted.push(v);
          out.rebuilt += rows().filter((r) => nodes.get(r.dataset.testid) !== r).length;
        }
        return out;
      });
      assert.ok(result.reorders >= 3, `the slider should reorder the board (${result.reorders} reorders)`);
      assert.deepEqual(result.unsorted, [], 'rows sorted by loss, diverged last');
      assert.deepEqual(result.extraMoves, [], 'each reorder moves only the rows that changed order');
      assert.equal(result.rebuilt, 0, 'rows are kept, not rebuilt');

      // A racer switched off leaves the board and comes back, sorted, from its chip.
      await o.page.locator('[data-testid="racer-adam"] input[type=checkbox]').click();
      await o.page.locator('[data-testid="racer-adam"]').waitFor({ state: 'detached' });
      await o.page.locator('[data-testid="racer-rmsprop"] input[type=checkbox]').click();
      const chips = await o.page.locator('.off-racers .chip').allTextContents();
      assert.equal(chips.length, 2);
      await o.page.locator('.off-racers .chip[title^="Add Adam "]').click();
      await o.page.locator('[data-testid="racer-adam"]').waitFor({ state: 'attached' });
      await o.page.locator('.off-racers .chip[title^="Add RMS"]').click();
      await o.page.locator('.off-racers').waitFor({ state: 'detached' });
      // The rows follow the board's text lane: within 100 ms of a change in a burst.
      await o.page.waitForFunction(() => document.querySelectorAll('tbody [data-testid^="racer-"]').length === 14, null, { timeout: 2000 });
      await o.page.waitForFunction(() => {
        const ls = [...document.querySelectorAll('tbody [data-testid^="racer-"]')].map((r) => (r.dataset.status === 'diverged' ? Infinity : Number(r.dataset.loss)));
        return ls.every((l, i) => i === 0 || ls[i - 1] <= l);
      }, null, { timeout: 2000 }).catch(() => {});
      assert.equal(await o.page.locator('tbody [data-testid^="racer-"]').count(), 14);
      const ranks = await o.page.$$eval('tbody [data-testid^="racer-"]', (rs) =>
        rs.map((r) => (r.dataset.status === 'diverged' ? Infinity : Number(r.dataset.loss))),
      );
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'the returning racers took their sorted places');
      noErrors(o);
    } finally {
      await o.close();
    }
  });

  test('a learning-rate drag writes no other control\'s value', async () => {
    // Each write of a value restyles its control (a range input re-lays out
    // its thumb), and would undo what someone is typing into a number box.
    const o = await openPage('?l=rosenbrock&t=300&sched=step_lr&clip=2&noise=0.1');
    try {
      await o.page.locator('[data-testid="racer-sgd"]').waitFor({ timeout: 10000 });
      const writes = await o.page.evaluate(async () => {
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        const slider = document.querySelector('[data-testid="lr-multiplier"]');
        const seen = [];
        const spy = (proto, prop) => {
          const d = Object.getOwnPropertyDescriptor(proto, prop);
          Object.defineProperty(proto, prop, {
            ...d,
            set(v) {
              if (this !== slider) seen.push(`${this.dataset.testid ?? this.tagName}.${prop}`);
              d.set.call(this, v);
            },
          });
          return () => Object.defineProperty(proto, prop, d);
        };
        const undo = [spy(HTMLInputElement.prototype, 'value'), spy(HTMLInputElement.prototype, 'checked'), spy(HTMLSelectElement.prototype, 'value')];
        for (let k = 0; k < 10; k++) {
          slider.value = String(-0.1 * (k + 1));
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          await frame();
        }
        await new Promise((r) => setTimeout(r, 300));
        undo.forEach((u) => u());
        return seen;
      });
      assert.deepEqual(writes, []);
      noErrors(o);
    } finally {
      await o.close();
    }
  });

  test('while a slider is dragged the board keeps its rows in place, and sorts when it rests', async () => {
    // A drag ends when no input comes for 150 ms: a drag with a longer gap
    // between two of its frames (a stalled machine) is done again, on a
    // fresh page, up to three times.
    for (let attempt = 1; ; attempt++) {
      const done = await dragBoard(attempt === 3);
      if (done) return;
    }
  });

  /** The board-in-place drag; false when a frame gap spoilt it (and `last` is false). */
  async function dragBoard(last) {
    const o = await openPage('?l=rosenbrock&t=300');
    try {
      await o.page.locator('[data-testid="racer-sgd"]').waitFor({ timeout: 10000 });
      const result = await o.page.evaluate(async () => {
        const rows = () => [...document.querySelectorAll('tbody [data-testid^="racer-"]')];
        const order = () => rows().map((r) => r.dataset.testid).join();
        const texts = () => rows().map((r) => r.querySelector('td.num').textContent).join();
        const rank = (r) => (r.dataset.status === 'diverged' ? Infinity : Number(r.dataset.loss));
        const sorted = () => rows().every((r, i, all) => i === 0 || rank(all[i - 1]) <= rank(r));
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        const slider = document.querySelector('[data-testid="lr-multiplier"]');
        const before = { order: order(), texts: texts() };
        let moved = 0;
        const mo = new MutationObserver((l) => l.forEach((m) => (moved += m.removedNodes.length)));
        mo.observe(document.querySelector('.leaderboard tbody'), { childList: true });
        // A drag from ×10 down to ×0.01 over 40 frames (one input per frame).
        const unsortedDuring = [];
        let gap = 0;
        let prev = performance.now();
        for (let k = 0; k <= 40; k++) {
          slider.value = String(1 - (3 * k) / 40);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          await frame();
          const now = performance.now();
          gap = Math.max(gap, now - prev);
          prev = now;
          if (!sorted()) unsortedDuring.push(k);
        }
        mo.takeRecords().forEach((m) => (moved += m.removedNodes.length));
        const during = { moved, order: order(), texts: texts(), unsorted: unsortedDuring.length, gap };
        mo.disconnect();
        const t0 = performance.now();
        while (!sorted() && performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 20));
        return { before, during, after: { order: order(), sorted: sorted(), ms: performance.now() - t0 } };
      });
      if (result.during.gap > 120 && !last) return false;
      assert.equal(result.during.moved, 0, `no row moved while the slider was dragged (longest frame gap ${result.during.gap} ms)`);
      assert.equal(result.during.order, result.before.order);
      assert.notEqual(result.during.texts, result.before.texts, 'the rows\' numbers followed the drag');
      assert.ok(result.during.unsorted > 0, 'the drag changed the ranking (else this test shows nothing)');
      assert.ok(result.after.sorted, 'sorted by loss once the slider rests');
      assert.notEqual(result.after.order, result.before.order, 'the rows moved to their new places');
      noErrors(o);
      return true;
    } finally {
      await o.close();
    }
  }

  test('keyboard: space plays and pauses, → steps, R resets', async () => {
    const o = await openPage('?l=bowl');
    try {
      await o.page.locator('body').click({ position: { x: 5, y: 5 } });
      await o.page.keyboard.press('ArrowRight');
      await o.page.keyboard.press('ArrowRight');
      assert.equal((await row(o.page, 'sgd')).step, 2);
      await o.page.keyboard.press(' ');
      await o.page.waitForTimeout(300);
      assert.equal(await o.page.getByTestId('play').getAttribute('aria-pressed'), 'true');
      await o.page.keyboard.press(' ');
      assert.equal(await o.page.getByTestId('play').getAttribute('aria-pressed'), 'false');
      assert.ok((await row(o.page, 'sgd')).step > 2);
      await o.page.keyboard.press('r');
      assert.equal((await row(o.page, 'sgd')).step, 0);
    } finally {
      await o.close();
    }
  });

  test('a copied link reproduces the state', async () => {
    const o = await openPage('');
    try {
      await o.page.getByTestId('landscape-select').selectOption('saddle');
      await o.page.getByTestId('lr-multiplier').evaluate((el) => {
        el.value = '0.3';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await o.page.locator('[data-testid="racer-lion"] input[type=checkbox]').click();
      await o.page.locator('[data-testid="racer-lion"]').waitFor({ state: 'detached' });
      for (let i = 0; i < 7; i++) await o.page.getByTestId('step').click();
      const href = await o.page.getByTestId('share-link').getAttribute('href');
      assert.match(href, /l=saddle/);
      assert.match(href, /lrx=/);
      assert.match(href, /t=7/);
      const snippet = await o.page.getByTestId('embed-code').getAttribute('data-snippet');
      assert.match(snippet, /^<iframe src="[^"]*embed=1/);
      const copy = await openPage(new URL(href).search);
      assert.deepEqual(await allRows(copy.page), await allRows(o.page));
      assert.equal(await copy.page.locator('[data-testid="racer-lion"]').count(), 0);
      noErrors(copy);
      await copy.close();
    } finally {
      await o.close();
    }
  });
});

describe('swatches', () => {
  // The racers' colours (render/style.rs): SGD's, and the light/dark pair.
  for (const [scheme, rgb] of [['light', [0xc7, 0x7c, 0x00]], ['dark', [0xff, 0xb0, 0x00]]]) {
    test(`every row's mark is drawn, in the racer's ${scheme} colour`, async () => {
      const o = await openPage('?l=bowl', { colorScheme: scheme });
      try {
        await o.page.locator('[data-testid^="racer-"] img.swatch').first().waitFor();
        const marks = await o.page.$$eval('[data-testid^="racer-"] img.swatch', async (imgs) =>
          Promise.all(imgs.map(async (img) => {
            await img.decode();
            const c = document.createElement('canvas');
            c.width = img.naturalWidth;
            c.height = img.naturalHeight;
            const ctx = c.getContext('2d');
            ctx.drawImage(img, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            let inked = 0;
            for (let i = 3; i < d.length; i += 4) inked += d[i] > 0;
            return { row: img.closest('tr').dataset.testid, w: img.naturalWidth, shown: img.width, inked, data: Array.from(d) };
          })),
        );
        assert.equal(marks.length, 14);
        for (const m of marks) {
          assert.equal(m.shown, 30, m.row);
          assert.ok(m.w >= 60, `${m.row}: a ${m.w}-pixel bitmap is blurry on a dense screen`);
          assert.ok(m.inked > 100, `${m.row}: ${m.inked} inked pixels`);
        }
        const sgd = marks.find((m) => m.row === 'racer-sgd').data;
        let near = 0;
        for (let i = 0; i < sgd.length; i += 4) {
          if (sgd[i + 3] === 255 && Math.abs(sgd[i] - rgb[0]) + Math.abs(sgd[i + 1] - rgb[1]) + Math.abs(sgd[i + 2] - rgb[2]) < 12) near += 1;
        }
        assert.ok(near > 100, `SGD's mark has ${near} pixels of its colour`);
        assert.deepEqual(o.pageErrors, []);
      } finally {
        await o.close();
      }
    });
  }
});

describe('bad input', () => {
  test('a hostile URL loads the nearest valid state, says so, injects nothing', async () => {
    const q = '?l=<img src=x onerror=window.__pwned=1>&foo=<script>window.__pwned=1</script>'
      + '&adam.lr=NaN&o=sgd,adam,<b id=injected>x</b>&s=1e308,NaN&speed=1e9&t=-4'
      + '&hide=<svg onload=window.__pwned=1>&sched.T_max=javascript:alert(1)';
    const o = await openPage(q);
    try {
      const notice = o.page.getByTestId('url-notice');
      await notice.waitFor({ timeout: 10000 });
      const text = await notice.innerText();
      assert.match(text, /foo/);
      assert.match(text, /adam\.lr/);
      // (The page's own images are the swatches: PNG data it drew itself.)
      assert.equal(await o.page.locator('#injected, img:not(.swatch[src^="data:image/png;base64,"]), script:not([src]), svg[onload]').count(), 0);
      assert.equal(await o.page.evaluate(() => window.__pwned), undefined);
      assert.equal(await o.page.locator('[data-testid^="racer-"]').count(), 2);
      noErrors(o);
      await screenshot(o.page, 'hostile-url.png');
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      assert.equal(await o.page.getByTestId('url-notice').count(), 0);
    } finally {
      await o.close();
    }
  });
});

describe('screenshots (looked at by a person)', () => {
  test('desktop, phone and dark mode', async () => {
    const desk = await openPage('?l=beale&t=300');
    await desk.page.getByTestId('racer-adam').waitFor();
    // Two columns: the leaderboard heads the side column.
    assert.equal(await desk.page.getByTestId('racer-sgd').evaluate((el) => el.closest('.side') !== null), true);
    await screenshot(desk.page, 'race-desktop.png');
    noErrors(desk);
    await desk.close();
    const phone = await openPage('?l=ravine&t=60', { viewport: PHONE });
    await phone.page.getByTestId('racer-adam').waitFor();
    const canvas = await phone.page.getByTestId('landscape-canvas').boundingBox();
    assert.ok(canvas.width <= PHONE.width, 'the canvas fits a phone');
    // One column: the leaderboard right under the race controls, above the
    // instruments, on screen and in the page's order (what the keyboard and
    // screen readers follow).
    const top = (id) => phone.page.getByTestId(id).evaluate((el) => el.getBoundingClientRect().top);
    const [play, board, loss] = [await top('play'), await top('racer-sgd'), await top('loss-chart')];
    assert.ok(play < board && board < loss, `play ${play}, leaderboard ${board}, loss chart ${loss}`);
    const inOrder = (page) => page.evaluate(() => {
      const [play, board, loss, training] = ['play', 'racer-sgd', 'loss-chart', 'lr-multiplier']
        .map((id) => document.querySelector(`[data-testid="${id}"]`));
      const before = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
      return { board: before(play, board) && before(board, loss), training: before(loss, training), side: board.closest('.side') !== null };
    });
    assert.deepEqual(await inOrder(phone.page), { board: true, training: true, side: false });
    // Tab from the timeline (the last transport control) lands in the leaderboard.
    await phone.page.getByTestId('timeline').focus();
    await phone.page.keyboard.press('Tab');
    assert.equal(
      await phone.page.evaluate(() => Boolean(document.activeElement?.closest('.leaderboard'))),
      true,
      'Tab from the timeline goes to the leaderboard',
    );
    // Widening the window moves the board to the side column, keeping its sort
    // choice and the keyboard's place in it.
    const sortBox = phone.page.locator('.leaderboard .panel-head input[type=checkbox]');
    await sortBox.uncheck();
    await phone.page.locator('[data-testid="racer-adam"] input[type=checkbox]').focus();
    await phone.page.setViewportSize({ width: 1280, height: 800 });
    await phone.page.waitForFunction(() => document.querySelector('[data-testid="racer-sgd"]')?.closest('.side'));
    assert.equal(await sortBox.isChecked(), false, 'the sort choice survives the move');
    await phone.page.waitForFunction(() => document.activeElement?.closest('.side [data-testid="racer-adam"]'), null, { timeout: 2000 })
      .catch(() => {});
    assert.equal(
      await phone.page.evaluate(() => document.activeElement?.closest('[data-testid^="racer-"]')?.dataset.testid ?? document.activeElement?.tagName),
      'racer-adam',
      'the focus stays on Adam\'s switch when the board moves',
    );
    await phone.page.setViewportSize(PHONE);
    await phone.page.waitForFunction(() => !document.querySelector('[data-testid="racer-sgd"]')?.closest('.side'));
    await sortBox.check();
    // Racer names are not cut short on a phone.
    const cut = await phone.page.locator('.leaderboard td.name').evaluateAll((tds) =>
      tds.filter((td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.textContent));
    assert.deepEqual(cut, [], 'racer names cut in the leaderboard');
    await phone.page.getByTestId('landscape-canvas').tap({ position: { x: canvas.width / 2, y: canvas.height / 3 } }).catch(() => {});
    await screenshot(phone.page, 'race-phone.png');
    noErrors(phone);
    await phone.close();
    const dark = await openPage('?l=rosenbrock&t=400', { colorScheme: 'dark' });
    await dark.page.getByTestId('racer-adam').waitFor();
    await screenshot(dark.page, 'race-dark.png');
    noErrors(dark);
    await dark.close();
  });
});

describe('landscape cache', () => {
  test('switching away and back paints the same base layer (from the cache)', async () => {
    const o = await openPage('?l=beale');
    try {
      // Settled: the first heatmap waits for the page's first frame.
      const hash = () => settledLayer(o.page, 0);
      const first = await hash();
      await o.page.getByTestId('landscape-select').selectOption('rosenbrock');
      const other = await hash();
      await o.page.getByTestId('landscape-select').selectOption('beale');
      const again = await hash();
      assert.ok(first.ink > 10000, 'the base layer is painted');
      assert.notEqual(other.h, first.h, 'another landscape looks different');
      assert.deepEqual(again, first);
      noErrors(o);
    } finally {
      await o.close();
    }
  });
});

describe('drafts while dragging', () => {
  // The race layer's pixels (the landscape's paths and markers).
  const racePixels = (page) => layerPixels(page, 2);
  // The same, once it has stopped changing (no draft showing).
  const settledRace = (page) => settledLayer(page, 2);

  test('a drag draws thin drafts, and once it rests the landscape equals a fresh load of its link', async () => {
    const o = await openPage('?l=rosenbrock&t=2000');
    try {
      const slider = o.page.getByTestId('lr-multiplier');
      const full = await settledRace(o.page);
      // Inputs a frame apart, like a thumb being dragged. Four drafts are
      // read, each two frames after its input; a read later than 120 ms after
      // its input (a stalled machine: the full repaint comes 150 ms after the
      // last input) does not count, and the drag goes on to the next value.
      const drafts = await slider.evaluate(async (el) => {
        const inks = [];
        for (let k = 1; k <= 12 && inks.length < 4; k++) {
          const t0 = performance.now();
          el.value = String(-0.05 * k);
          el.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const d = document.querySelector('[data-testid="landscape-canvas"]');
          const px = d.getContext('2d').getImageData(0, 0, d.width, d.height).data;
          if (performance.now() - t0 > 120) continue;
          let ink = 0;
          for (let i = 3; i < px.length; i += 4) ink += px[i] > 0;
          inks.push(ink);
        }
        return inks;
      });
      assert.equal(drafts.length, 4, 'four drafts read within 120 ms of their input');
      // A draft's one-pixel paths cover fewer pixels than the full ones, from
      // the drag's first input on (a slider's first input starts a drag).
      for (const ink of drafts) assert.ok(ink < 0.9 * full.ink, `draft ink ${drafts} vs full ${full.ink}`);
      // Read once it has stopped changing: the full repaint comes 150 ms
      // after the last input, and two reads 250 ms apart cannot both be a
      // draft.
      const settled = await settledRace(o.page);
      assert.ok(settled.ink > drafts.at(-1), 'repainted in full quality after the drag');
      // The state's link as the share button has it (the address bar
      // follows 300 ms after the last input, in an idle period).
      const link = await o.page.getByTestId('share-link').getAttribute('href');
      assert.match(link, /lrx=/);
      const fresh = await openPage(link.slice(link.indexOf('?')));
      try {
        assert.deepEqual(await settledRace(fresh.page), settled);
      } finally {
        await fresh.close();
      }
      noErrors(o);
    } finally {
      await o.close();
    }
  });

  test('a slider\'s first input moves the hooks in its own frame and the visible numbers in the next few', async () => {
    const o = await openPage('?l=rosenbrock&t=2000');
    try {
      await o.page.getByTestId('racer-adam').waitFor();
      // (No eval in the page: the CSP that xtask serves forbids it.)
      const before = await o.page.evaluate(() => {
        const el = document.querySelector('[data-testid="racer-adam"]');
        return { loss: el.dataset.loss, text: el.innerText };
      });
      // One input at the start of a frame, read when that frame has been
      // rendered (a message posted in it arrives after its effects and paint).
      const inFrame = await o.page.evaluate(() => new Promise((res) => requestAnimationFrame(() => {
        const input = document.querySelector('[data-testid="lr-multiplier"]');
        input.value = String(Number(input.value) - 0.3);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          const el = document.querySelector('[data-testid="racer-adam"]');
          res({ loss: el.dataset.loss, text: el.innerText });
        };
        ch.port2.postMessage(null);
      })));
      assert.notEqual(inFrame.loss, before.loss, 'the data-* hooks are exact after the input');
      assert.equal(inFrame.text, before.text, 'no text lane is re-laid out in the frame the thumb first moves');
      await o.page.waitForFunction((t) => document.querySelector('[data-testid="racer-adam"]').innerText !== t, before.text, { timeout: 3000 });
      noErrors(o);
    } finally {
      await o.close();
    }
  });

  test('playing straight after a drag draws in full quality, not in drafts', async () => {
    const o = await openPage('?l=rosenbrock');
    try {
      const seen = await o.page.evaluate(async () => {
        const slider = document.querySelector('[data-testid="lr-multiplier"]');
        const play = document.querySelector('[data-testid="play"]');
        const frames = (n) => new Promise((r) => {
          const go = (k) => (k ? requestAnimationFrame(() => go(k - 1)) : r());
          go(n);
        });
        for (const v of ['-0.05', '-0.1']) {
          slider.value = v;
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          await frames(1);
        }
        play.click();
        await frames(40);
        play.click();
        // The last played frame, read before anything can repaint it.
        const d = document.querySelector('[data-testid="landscape-canvas"]');
        const px = d.getContext('2d').getImageData(0, 0, d.width, d.height).data;
        let ink = 0;
        for (let i = 3; i < px.length; i += 4) ink += px[i] > 0;
        await frames(2);
        return { ink, step: document.querySelector('[data-testid="racer-sgd"]').dataset.step };
      });
      assert.ok(Number(seen.step) > 0, `the race played (step ${seen.step})`);
      // The state's link as the share button has it (the address bar
      // follows only 300 ms later, in an idle period).
      const link = await o.page.getByTestId('share-link').getAttribute('href');
      assert.match(link, /lrx=/);
      const query = link.slice(link.indexOf('?')).replace(/([?&])t=\d+/, '$1').replace(/&$/, '');
      const fresh = await openPage(`${query}${query.includes('?') ? '&' : '?'}t=${seen.step}`);
      try {
        const full = await settledRace(fresh.page);
        // Drafts ink well under 90 % of a full repaint (the test above).
        assert.ok(seen.ink > 0.97 * full.ink, `played frame ink ${seen.ink} vs a fresh load's ${full.ink}`);
      } finally {
        await fresh.close();
      }
      noErrors(o);
    } finally {
      await o.close();
    }
  });
});

describe('long links', () => {
  test('t beyond the exact history shows the exact step, not the last kept sample', async () => {
    // 10,001 steps: the trace keeps every 2nd step by then; the row must still
    // say 10001 and carry SGD's closed form on the ravine, x₀·(1 − 0.2·lr)^t.
    const o = await openPage('?l=ravine&o=sgd&sgd.lr=0.001&s=-8,2&t=10001');
    try {
      const row = o.page.getByTestId('racer-sgd');
      await row.waitFor();
      assert.equal(await row.getAttribute('data-step'), '10001');
      const x = +(await row.getAttribute('data-x'));
      const want = -8 * (1 - 0.2 * 0.001) ** 10001;
      assert.ok(Math.abs(x - want) <= 1e-10 * Math.abs(want), `${x} vs ${want}`);
      noErrors(o);
    } finally {
      await o.close();
    }
  });
});

describe('hover readout', () => {
  test('names the axes: x, y — or the regression’s w, b — with f there', async () => {
    for (const [l, re] of [['bowl', /^x = .+, y = .+, f\(x, y\) = /], ['regression', /^w = .+, b = .+, f\(w, b\) = /]]) {
      const o = await openPage(`?l=${l}`);
      try {
        const c = o.page.getByTestId('landscape-canvas');
        const box = await c.boundingBox();
        await c.hover({ position: { x: box.width / 2, y: box.height / 3 } });
        const text = await o.page.getByTestId('hover-readout').innerText();
        assert.match(text, re);
        if (l === 'regression') await screenshot(o.page, 'hover-regression.png');
      } finally {
        await o.close();
      }
    }
  });
});
