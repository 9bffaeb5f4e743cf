// The instruments (loss curves, effective learning rates, timeline, schedule)
// must not lie: each is checked against numbers computed independently.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { closeBrowser, drawnColours, openPage, screenshot } from './harness.mjs';

after(closeBrowser);

const CLI = process.env.DOWNHILL_CLI ?? 'target/debug/downhill';

async function effLr(page, slug) {
  const d = await page.getByTestId(`eff-lr-${slug}`).evaluate((e) => ({ ...e.dataset }));
  return { x: d.x === '' ? null : +d.x, y: d.y === '' ? null : +d.y };
}

async function scrub(page, t) {
  await page.getByTestId('timeline').evaluate((el, t) => {
    el.value = String(t);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, t);
}

describe('effective learning rate', () => {
  test("SGD's equals its scheduled lr", async () => {
    const o = await openPage('?l=ravine&o=sgd,adagrad&sgd.lr=0.1&sched=exponential_lr&sched.gamma=0.99&t=50');
    try {
      const { x, y } = await effLr(o.page, 'sgd');
      const want = 0.1 * 0.99 ** 49; // step 50 uses lr_49
      assert.ok(Math.abs(x - want) <= 1e-12 * want, `x ${x} vs ${want}`);
      assert.ok(Math.abs(y - want) <= 1e-12 * want, `y ${y} vs ${want}`);
    } finally {
      await o.close();
    }
  });

  test("AdaGrad's shrinks step after step; RMSProp's settles", async () => {
    const o = await openPage('?l=bowl&o=adagrad,rmsprop&t=5');
    try {
      let prev = Infinity;
      for (const t of [5, 6, 7, 8, 20, 40]) {
        await scrub(o.page, t);
        const { x } = await effLr(o.page, 'adagrad');
        assert.ok(x < prev, `step ${t}: ${x} should be below ${prev}`);
        prev = x;
      }
    } finally {
      await o.close();
    }
  });
});

describe('effective-LR bars', () => {
  test("each bar's length is its rate on the 1e-5 … 10 log scale", async () => {
    const o = await openPage('?l=bowl&o=sgd,adam,adagrad&sgd.lr=0.002&t=30');
    try {
      for (const slug of ['sgd', 'adam', 'adagrad']) {
        const { x, y } = await effLr(o.page, slug);
        const shown = await o.page.getByTestId(`eff-lr-${slug}`).locator('.bar-track').evaluateAll((tracks) =>
          tracks.map((t) => {
            // The bar is the first background layer; its width is the share of the track.
            const width = getComputedStyle(t).backgroundSize.split(',')[0].trim().split(' ')[0];
            return { width, text: t.textContent.trim() };
          }),
        );
        for (const [i, rate] of [x, y].entries()) {
          const want = Math.min(100, Math.max(1, ((Math.log10(rate) + 5) / 6) * 100));
          assert.match(shown[i].width, /%$/, `${slug} axis ${i}: ${shown[i].width}`);
          assert.ok(Math.abs(parseFloat(shown[i].width) - want) < 1e-3, `${slug} axis ${i}: bar ${shown[i].width}, rate ${rate} wants ${want}%`);
          assert.ok(Math.abs(Number(shown[i].text) - rate) <= 1e-3 * rate, `${slug} axis ${i}: shows ${shown[i].text}, rate ${rate}`);
        }
      }
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

describe('loss chart', () => {
  for (const [l, scale] of [['bowl', 'log'], ['saddle', 'symmetric log'], ['rosenbrock', 'log'], ['beale', 'log'], ['ravine', 'log'], ['rotated_ravine', 'log']]) {
    test(`${l}: drawn, ${scale} axis`, async () => {
      const o = await openPage(`?l=${l}&t=100`);
      try {
        const chart = o.page.getByTestId('loss-chart');
        await chart.waitFor();
        assert.equal(await chart.getAttribute('data-scale'), scale);
        assert.ok((await drawnColours(o.page, 'loss-chart', 10)) > 10, 'the loss chart is not blank');
        assert.deepEqual(o.pageErrors, []);
      } finally {
        await o.close();
      }
    });
  }
});

describe('charts follow the page width', () => {
  test('a resized chart is drawn at its new size within a few frames', async () => {
    const o = await openPage('?l=rosenbrock&t=300&focus=adam');
    try {
      await o.page.getByTestId('moment-chart').waitFor();
      // Every chart drawn once (its first drawing waits for an idle period).
      const charts = ['loss-chart', 'eff-lr-history', 'moment-chart', 'schedule-chart'];
      for (const id of charts) assert.ok(await drawnColours(o.page, id, 5) > 5, `${id} is drawn`);
      // Each chart's picture against its box, a few frames after each of two
      // resizes 50 ms apart (the second within the charts' 100 ms redraw
      // interval: a size change is drawn at once, not in a later idle period).
      const fit = () => o.page.evaluate(async (charts) => {
        for (let i = 0; i < 3; i += 1) await new Promise((r) => requestAnimationFrame(r));
        return charts.map((id) => {
          const c = document.querySelector(`[data-testid="${id}"] canvas`);
          const box = c.parentElement.getBoundingClientRect().width;
          return `${id} ${Math.abs(c.width - Math.round(box * devicePixelRatio)) <= 1 ? 'fits' : `${c.width} px in a ${box} px box`}`;
        });
      }, charts);
      const all = () => charts.map((id) => `${id} fits`);
      await o.page.setViewportSize({ width: 1100, height: 800 });
      assert.deepEqual(await fit(), all());
      await o.page.setViewportSize({ width: 700, height: 800 });
      assert.deepEqual(await fit(), all());
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

describe('timeline', () => {
  test('scrubbing moves every head to its recorded values', async () => {
    const o = await openPage('?l=rosenbrock&o=adam,sgd&adam.lr=0.02&t=300');
    try {
      await scrub(o.page, 37);
      const row = await o.page.getByTestId('racer-adam').evaluate((e) => ({ ...e.dataset }));
      assert.equal(row.step, '37');
      const cli = JSON.parse(execFileSync(CLI, ['trace', '--landscape', 'rosenbrock', '--optimizer', 'adam', '--steps', '37', '--set', 'lr=0.02'], { encoding: 'utf8' }));
      assert.equal(+row.x, cli.path[37][0]);
      assert.equal(+row.y, cli.path[37][1]);
      await screenshot(o.page, 'instruments.png');
    } finally {
      await o.close();
    }
  });

  test('the schedule chart is drawn', async () => {
    const o = await openPage('?l=bowl&sched=one_cycle_lr&sched.total_steps=2000');
    try {
      assert.ok((await drawnColours(o.page, 'schedule-chart', 5)) > 5, 'the schedule chart is not blank');
    } finally {
      await o.close();
    }
  });
});

describe('moment inspector', () => {
  /** Adam on Rosenbrock, written independently here, as torch computes it. */
  function adamReference(start, lr, b1, b2, eps, steps) {
    const grad = ([x, y]) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
    let th = [...start];
    let m = [0, 0];
    let v = [0, 0];
    for (let t = 1; t <= steps; t++) {
      const g = grad(th);
      m = m.map((mi, i) => mi + (1 - b1) * (g[i] - mi));
      v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      th = th.map((p, i) => p - (lr / bc1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps));
      if (t === steps) return { m, v, mhat: m.map((x) => x / bc1), vhat: v.map((x) => x / bc2) };
    }
  }

  const close = (got, want) => Math.abs(got - want) <= 1e-10 * Math.max(1, Math.abs(want));

  test("m, v, m̂, v̂ at step k equal an independent recomputation", async () => {
    const o = await openPage('?l=rosenbrock&o=adam,sgd&adam.lr=0.02&adam.beta2=0.95&focus=adam&t=25');
    try {
      const inspector = o.page.getByTestId('adam-inspector');
      const d = await inspector.evaluate((e) => ({ ...e.dataset }));
      assert.equal(d.focus, 'adam');
      assert.equal(d.step, '25');
      const want = adamReference([-1.2, 1], 0.02, 0.9, 0.95, 1e-8, 25);
      for (const key of ['m', 'v', 'mhat', 'vhat']) {
        const got = d[key].split(',').map(Number);
        assert.equal(got.length, 2, key);
        got.forEach((g, i) => assert.ok(close(g, want[key][i]), `${key}[${i}]: ${g} vs ${want[key][i]}`));
      }
      // Moving β₁ in the inspector re-runs the race at once.
      await o.page.getByTestId('inspector-beta1').evaluate((el) => {
        el.value = '0.5';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const after = await inspector.getAttribute('data-m');
      assert.notEqual(after, d.m);
      await screenshot(o.page, 'inspector.png');
    } finally {
      await o.close();
    }
  });
});

describe('formulas', () => {
  test('every racer shows its rule as MathML, its values and an intuition', async () => {
    const o = await openPage('?l=bowl&focus=adamw&adamw.weight_decay=0.1');
    try {
      const panel = o.page.getByTestId('formulas');
      await panel.waitFor();
      assert.match(await panel.innerText(), /weight_decay = 0\.1/);
      const select = panel.locator('select');
      for (const slug of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adadelta', 'adam', 'amsgrad', 'adamw', 'nadam', 'lion', 'lamb', 'muon', 'shampoo']) {
        await select.selectOption(slug);
        assert.equal(await panel.locator('.math').getAttribute('data-racer'), slug);
        const maths = await panel.locator('math').count();
        assert.ok(maths >= 1, `${slug}: no MathML`);
        assert.ok((await panel.locator('.intuition').innerText()).length > 40, `${slug}: no intuition`);
      }
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });

  test('the values in use follow a slider drag and show where it rests', async () => {
    const o = await openPage('?l=rosenbrock&t=300&focus=adam');
    try {
      const values = o.page.getByTestId('formula-values');
      await values.waitFor();
      assert.match(await values.innerText(), /^In use: lr = 0\.02 · beta1 = 0\.9 · beta2 = 0\.999 /);
      assert.doesNotMatch(await values.innerText(), /lr ×/);
      // A drag: the line follows within the text lanes' interval, and its last
      // text is the resting value's.
      await o.page.evaluate(async () => {
        const beta = document.querySelector('[data-testid="inspector-beta1"]');
        const lrx = document.querySelector('[data-testid="lr-multiplier"]');
        for (let k = 1; k <= 10; k++) {
          await new Promise((r) => requestAnimationFrame(r));
          beta.value = String(0.9 - 0.02 * k);
          beta.dispatchEvent(new Event('input', { bubbles: true }));
          lrx.value = String(0.03 * k);
          lrx.dispatchEvent(new Event('input', { bubbles: true }));
        }
      });
      // The multiplier as the slider itself reads it out ("times 2").
      const times = (await o.page.getByTestId('lr-multiplier').getAttribute('aria-valuetext')).replace('times ', '');
      assert.notEqual(times, '1');
      // Polled until the line shows the resting multiplier (it follows its
      // lane within about 100 ms of the rest; mid-drag texts also have
      // beta1 = 0.7x), then read once more to report what it shows.
      await o.page.waitForFunction(
        (times) => document.querySelector('[data-testid="formula-values"]').innerText.endsWith(`(lr × ${times})`),
        times,
        { timeout: 3000 },
      ).catch(() => {});
      const text = await values.innerText();
      assert.ok(text.endsWith(`(lr × ${times})`), `${text} (slider: times ${times})`);
      assert.match(text, /beta1 = 0\.7\d* · beta2 = 0\.999 /, text);

      // A racer switched off changes no race: its values follow its own slider.
      await o.page.locator('[data-testid="racer-lion"] input[type=checkbox]').click();
      await o.page.getByTestId('formulas').locator('select').selectOption('lion');
      // Lion's own values (beta2 0.99, where Adam's is 0.999): the select switched.
      await o.page.waitForFunction(() => / beta2 = 0\.99 /.test(document.querySelector('[data-testid="formula-values"]').innerText), null, { timeout: 2000 }).catch(() => {});
      const lionBefore = await values.innerText();
      await o.page.getByTestId('lion-lr').evaluate((el) => {
        el.value = String(Number(el.min) + (Number(el.max) - Number(el.min)) / 3);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await o.page.waitForFunction((t) => document.querySelector('[data-testid="formula-values"]').innerText !== t, lionBefore, { timeout: 2000 }).catch(() => {});
      const lion = await values.innerText();
      assert.match(lionBefore, /^In use: lr = \S+ · beta1 = 0\.9 · beta2 = 0\.99 · /, lionBefore);
      assert.match(lion, /^In use: lr = \S+ · beta1 = 0\.9 · beta2 = 0\.99 · /, lion);
      assert.notEqual(lion, lionBefore, 'the switched-off racer\'s new lr is shown');
    } finally {
      await o.close();
    }
  });
});
