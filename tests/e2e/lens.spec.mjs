// The focused racer under a lens: arrows at its head, the gradient field, the
// "without bias correction" ghost, its effective LR over time and the
// inspector's chart. Each number is checked against an independent
// recomputation or the CLI, and each drawing against the pixels it changes.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { closeBrowser, drawnColours, layerPixels, openPage, screenshot, settledLayer } from './harness.mjs';

after(closeBrowser);

const CLI = process.env.DOWNHILL_CLI ?? 'target/debug/downhill';

const pair = (s) => (s === '' ? null : s.split(',').map(Number));
const data = (page, testid) => page.getByTestId(testid).evaluate((e) => ({ ...e.dataset }));
// The canvas's look-ahead hook, once its first frame has been drawn.
async function lookahead(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="landscape-canvas"]').hasAttribute('data-lookahead'), null, { timeout: 3000 });
  return (await data(page, 'landscape-canvas')).lookahead;
}

async function setChecked(page, testid, on) {
  const box = page.getByTestId(testid);
  if ((await box.isChecked()) !== on) await box.click();
}

function cliTrace(args) {
  return JSON.parse(execFileSync(CLI, ['trace', ...args, '--format', 'json'], { encoding: 'utf8' }));
}

describe('arrows at the focused racer', () => {
  test('momentum: −g, −m and the step taken are the recorded ones', async () => {
    const o = await openPage('?l=ravine&s=-8,2&o=sgd,momentum&focus=momentum&momentum.lr=0.05&momentum.momentum=0.9&t=10');
    try {
      const a = await data(o.page, 'focus-arrows');
      assert.equal(a.racer, 'momentum');
      assert.equal(a.step, '10');
      const t = cliTrace(['--landscape', 'ravine', '--optimizer', 'momentum', '--start', '-8,2', '--steps', '11',
        '--set', 'lr=0.05', '--set', 'momentum=0.9']);
      const [x10, y10] = t.path[10];
      const [x11, y11] = t.path[11];
      const [ux, uy] = pair(a.update);
      assert.equal(ux, x11 - x10);
      assert.equal(uy, y11 - y10);
      // The ravine's gradient at θ₁₀, ∇f = (0.2x, 4y).
      const [gx, gy] = pair(a.grad);
      assert.ok(Math.abs(gx - 0.2 * x10) <= 1e-15 * Math.abs(gx) + 1e-300);
      assert.ok(Math.abs(gy - 4 * y10) <= 1e-15 * Math.abs(gy) + 1e-300);
      // torch's momentum: θ₁₁ = θ₁₀ − lr·b₁₁, so b₁₁ = −Δθ/lr.
      const [mx, my] = pair(a.momentum);
      assert.ok(Math.abs(mx + ux / 0.05) <= 1e-9 * Math.abs(mx), `${mx} vs ${-ux / 0.05}`);
      assert.ok(Math.abs(my + uy / 0.05) <= 1e-9 * Math.abs(my), `${my} vs ${-uy / 0.05}`);
    } finally {
      await o.close();
    }
  });

  test("Nesterov's look-ahead point is θ − lr·μ·b, recomputed here", async () => {
    const o = await openPage('?l=ravine&s=-8,2&o=sgd,nesterov&nesterov.lr=0.05&nesterov.momentum=0.9&t=10');
    try {
      const ghost = pair(await lookahead(o.page));
      assert.ok(ghost, 'the canvas names the look-ahead point');
      // torch's Nesterov: b₁ = g₁, bₖ = μ·bₖ₋₁ + gₖ with gₖ = ∇f(θₖ₋₁), the
      // ravine's ∇f = (0.2x, 4y); the look-ahead after step 10 is θ₁₀ − lr·μ·b₁₀.
      const t = cliTrace(['--landscape', 'ravine', '--optimizer', 'nesterov', '--start', '-8,2', '--steps', '10',
        '--set', 'lr=0.05', '--set', 'momentum=0.9']);
      let b = null;
      for (let k = 1; k <= 10; k++) {
        const [x, y] = t.path[k - 1];
        const g = [0.2 * x, 4 * y];
        b = b ? [0.9 * b[0] + g[0], 0.9 * b[1] + g[1]] : g;
      }
      const [x10, y10] = t.path[10];
      const want = [x10 - 0.05 * 0.9 * b[0], y10 - 0.05 * 0.9 * b[1]];
      for (let i = 0; i < 2; i++) {
        assert.ok(Math.abs(ghost[i] - want[i]) <= 1e-12 * Math.max(1, Math.abs(want[i])), `${ghost} vs ${want}`);
      }
      // Not the head itself: the ghost is a step ahead of it.
      assert.ok(Math.hypot(ghost[0] - x10, ghost[1] - y10) > 1e-3);
      // No Nesterov, no look-ahead (and the hook says so from the start).
      const none = await openPage('?l=ravine&o=sgd,adam&t=10');
      try {
        assert.equal(await lookahead(none.page), '');
      } finally {
        await none.close();
      }
      await o.page.locator('[data-testid="racer-nesterov"] input[type=checkbox]').click();
      await o.page.locator('[data-testid="racer-nesterov"]').waitFor({ state: 'detached' });
      assert.equal(await lookahead(o.page), '');
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });

  test('toggling the arrows changes the overlay, and they follow the focus', async () => {
    const o = await openPage('?l=beale&focus=adam&t=30');
    try {
      const on = await settledLayer(o.page, 2);
      await setChecked(o.page, 'toggle-arrows', false);
      const off = await layerPixels(o.page, 2);
      assert.notEqual(on.h, off.h, 'hiding the arrows changes the overlay');
      assert.ok(on.ink > off.ink, 'the arrows add ink');
      await setChecked(o.page, 'toggle-arrows', true);
      await o.page.getByTestId('focus-select').selectOption('sgd');
      const a = await data(o.page, 'focus-arrows');
      assert.equal(a.racer, 'sgd');
      assert.equal(a.momentum, '', 'SGD keeps no momentum');
      const [gx] = pair(a.grad);
      const [ux] = pair(a.update);
      assert.ok(Math.sign(ux) === -Math.sign(gx), 'SGD steps against the gradient');
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

describe('gradient field', () => {
  test('drawn on its own layer when toggled, on every landscape', async () => {
    const o = await openPage('?l=rosenbrock');
    try {
      for (const l of ['rosenbrock', 'saddle', 'rotated_ravine']) {
        await o.page.getByTestId('landscape-select').selectOption(l);
        await setChecked(o.page, 'toggle-field', false);
        const before = await layerPixels(o.page, 1);
        await setChecked(o.page, 'toggle-field', true);
        const after = await layerPixels(o.page, 1);
        assert.ok(after.ink > before.ink + 500, `${l}: the field adds ink (${before.ink} → ${after.ink})`);
      }
      await screenshot(o.page, 'lens-field-rotated-ravine.png');
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});

describe('without bias correction', () => {
  test("the ghost's numbers are Adam's rule with m̂ = m, v̂ = v, recomputed here", async () => {
    const lr = 0.05;
    const o = await openPage(`?l=bowl&s=-4,3&o=adam&adam.lr=${lr}&t=3`);
    try {
      await setChecked(o.page, 'inspector-ghost', true);
      const d = await data(o.page, 'adam-inspector');
      // Independent recomputation on the bowl (∇f = 2θ) from the preset start.
      const start = [-4, 3];
      const [b1, b2, eps] = [0.9, 0.999, 1e-8];
      let th = [...start];
      let m = [0, 0];
      let v = [0, 0];
      let upd = [0, 0];
      for (let t = 1; t <= 3; t++) {
        for (let i = 0; i < 2; i++) {
          const g = 2 * th[i];
          m[i] = m[i] + (g - m[i]) * (1 - b1);
          v[i] = b2 * v[i] + (1 - b2) * g * g;
          upd[i] = -lr * m[i] / (Math.sqrt(v[i]) + eps);
          th[i] += upd[i];
        }
      }
      const [ux, uy] = pair(d.ghostUpdate);
      const [mx, my] = pair(d.ghostMhat);
      const [vx, vy] = pair(d.ghostVhat);
      const close = (a, b) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
      assert.ok(close(ux, upd[0]) && close(uy, upd[1]), `update ${ux},${uy} vs ${upd}`);
      assert.ok(close(mx, m[0]) && close(my, m[1]), `m̂ ${mx},${my} vs ${m}`);
      assert.ok(close(vx, v[0]) && close(vy, v[1]), `v̂ ${vx},${vy} vs ${v}`);
      // The ghost path is on the landscape's lens layer.
      assert.ok((await layerPixels(o.page, 1)).ink > 200, 'the ghost path is drawn');
      await o.page.getByTestId('adam-inspector').scrollIntoViewIfNeeded();
      await o.page.getByTestId('adam-inspector').screenshot({ path: 'tests/e2e/artifacts/lens-inspector-ghost.png' });
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });

  test('no ghost for an optimizer without bias correction', async () => {
    const o = await openPage('?l=bowl&o=sgd,rmsprop&focus=rmsprop&t=3');
    try {
      await setChecked(o.page, 'inspector-ghost', true);
      const d = await data(o.page, 'adam-inspector');
      assert.equal(d.ghostUpdate, '');
      assert.match(await o.page.getByTestId('focus-arrows').innerText(), /no bias correction/);
    } finally {
      await o.close();
    }
  });
});

describe('charts of the focused racer', () => {
  test('effective LR over time and the inspector chart are drawn and follow the controls', async () => {
    const o = await openPage('?l=bowl&o=adagrad,rmsprop,adam&focus=adagrad&t=40');
    try {
      const h = o.page.getByTestId('eff-lr-history');
      assert.equal(await h.getAttribute('data-racer'), 'adagrad');
      assert.ok((await drawnColours(o.page, 'eff-lr-history', 8)) > 8, 'the effective-LR history is not blank');
      const chart = o.page.getByTestId('moment-chart');
      for (const q of ['m', 'v', 'mhat', 'vhat', 'update']) {
        await o.page.getByTestId('moment-quantity').selectOption(q);
        assert.equal(await chart.getAttribute('data-quantity'), q);
        assert.ok((await drawnColours(o.page, 'moment-chart', 8)) > 8, `${q}: the chart is not blank`);
      }
      // The inspector's step slider scrubs every head.
      await o.page.getByTestId('inspector-step').evaluate((el) => {
        el.value = '7';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      assert.equal(await o.page.getByTestId('racer-adam').getAttribute('data-step'), '7');
      await screenshot(o.page, 'lens-desktop.png');
      assert.deepEqual(o.pageErrors, []);
    } finally {
      await o.close();
    }
  });
});
