//! "Copy as PyTorch": a runnable Python 3 snippet that re-runs a scenario's race
//! with torch, so a practitioner can check Downhill against it.
//!
//! The snippet needs only `torch`. It sets up the same 2-D function (written
//! once per landscape in [`torch_loss`]), one θ per racer with torch's own
//! optimizer and hyperparameters as `optimizers.md` maps them (the racers torch
//! does not have, Lion, LAMB, Muon and Shampoo, come as short
//! `torch.optim.Optimizer` subclasses that run exactly Downhill's rule), the
//! same `torch.optim.lr_scheduler` schedule, `clip_grad_norm_`, and the same
//! gradient noise, in float64, for the same number of steps in lockstep. It
//! prints one JSON array: each racer in the shape of `downhill trace --format
//! json` (see [`crate::export`]), with the lr the racer ran with (× `lrx`).
//!
//! Noise: Downhill draws ξ from its own seeded ChaCha8 stream; the snippet does
//! not re-implement that generator but lists the draws the race used (two
//! numbers per step, so a noisy snippet grows with the step count).

use crate::landscape::Landscape;
use crate::noise::NoiseStream;
use crate::optim::{Hyper, OptimizerKind, ParamKind};
use crate::scenario::Scenario;
use crate::schedule::{Schedule, ScheduleKind};
use std::fmt::Write;

/// The snippet for `scenario`'s enabled racers, run for `steps` steps.
pub fn snippet(scenario: &Scenario, steps: u64) -> String {
    let c = scenario.race_config();
    let mut out = String::with_capacity(8192);
    let names: Vec<&str> = c.racers.iter().map(|h| h.kind().title()).collect();
    let _ = writeln!(
        out,
        r#""""Downhill's race, re-run with PyTorch.

Landscape: {title}, {formula}
Racers: {names}
{steps} steps from ({x}, {y})
Schedule: {schedule}
Gradients: {clip}; {noise}
Page link query: ?{query}

Needs only torch (pip install torch) and runs on the CPU in float64. Prints one
JSON array: each racer's path in the shape of `downhill trace --format json`,
to compare with Downhill's own.
"""
import json
import math

import torch

# Downhill computes in f64. NAdam also keeps a scalar state in the default dtype.
torch.set_default_dtype(torch.float64)

LANDSCAPE = "{slug}"
START = ({x}, {y})
STEPS = {steps}
LRX = {lrx}  # the page's global multiplier: each racer runs with lr × LRX
CLIP = {clip_value}  # clip_grad_norm_'s max_norm (None: no clipping)
NOISE = {noise_value}  # gradient noise σ: each step's gradient gets σ·ξ
# Downhill freezes a racer ("diverged at step k") whose point leaves this box
# (10⁶ × the view) or whose point, loss or gradient stops being finite.
BOX = ({x0}, {x1}, {y0}, {y1})
"#,
        title = c.landscape.title(),
        formula = c.landscape.formula(),
        names = names.join(", "),
        x = py_float(c.start.x),
        y = py_float(c.start.y),
        schedule = describe_schedule(&c.schedule),
        clip = match c.clip {
            Some(m) => format!("clipped to norm {}", py_float(m)),
            None => "no clipping".into(),
        },
        noise = if c.noise != 0.0 {
            format!("noise σ = {} (seed {})", py_float(c.noise), c.seed)
        } else {
            "no noise".into()
        },
        query = scenario.to_query(),
        slug = c.landscape.slug(),
        lrx = py_float(c.lr_scale),
        clip_value = c.clip.map_or("None".into(), py_float),
        noise_value = py_float(c.noise),
        x0 = py_float(c.landscape.divergence_box().x0),
        x1 = py_float(c.landscape.divergence_box().x1),
        y0 = py_float(c.landscape.divergence_box().y0),
        y1 = py_float(c.landscape.divergence_box().y1),
    );
    if c.noise != 0.0 {
        write_noise(&mut out, c.seed, steps);
    }
    write_data(&mut out, &c, steps);
    let _ = write!(
        out,
        "\n\ndef f(p, m=None):\n    \"\"\"{}: {}\"\"\"\n    x, y = p[0], p[1]\n{}",
        c.landscape.title(),
        c.landscape.formula(),
        torch_loss(c.landscape)
    );
    write_schedule(&mut out, &c.schedule);
    let mut kinds: Vec<OptimizerKind> = c.racers.iter().map(|h| h.kind()).collect();
    crate::short_sort::sort(&mut kinds);
    kinds.dedup();
    for k in kinds {
        if let Some(class) = custom_class(k) {
            out.push_str("\n\n");
            out.push_str(class);
            out.push('\n');
        }
    }
    out.push_str(RACER_CLASS);
    out.push_str("\n\n\nRACERS = [\n");
    for h in &c.racers {
        let _ = writeln!(
            out,
            "    Racer(\"{}\", {},\n          lambda p, lr: {}),",
            h.kind().slug(),
            hyper_dict(h),
            torch_optimizer(h)
        );
    }
    out.push_str("]\n");
    out.push_str(MAIN_LOOP);
    out
}

/// The body of `f(p)` (after `x, y = p[0], p[1]`), four-space indented, in the
/// same operation order as the landscape's Rust `value`, so that f is bit for
/// bit the same. One arm per landscape.
pub fn torch_loss(l: Landscape) -> String {
    match l {
        Landscape::Bowl => "    return x * x + y * y\n".into(),
        Landscape::Ravine => "    return 0.1 * x * x + 2.0 * y * y\n".into(),
        Landscape::Saddle => "    return x * x - y * y\n".into(),
        Landscape::Rosenbrock => {
            "    a = 1.0 - x\n    b = y - x * x\n    return a * a + 100.0 * b * b\n".into()
        }
        Landscape::Beale => "    t1 = 1.5 - x + x * y\n    t2 = 2.25 - x + x * y * y\n    \
             t3 = 2.625 - x + x * y * y * y\n    return t1 * t1 + t2 * t2 + t3 * t3\n"
            .into(),
        Landscape::Regression => "    mx, mxx, mxy, my, myy = FULL if m is None else m\n    \
             w, b = x, y\n    \
             return 0.5 * (w * w * mxx + 2.0 * w * b * mx + b * b - 2.0 * w * mxy - 2.0 * b * my + myy)\n"
            .into(),
        Landscape::RotatedRavine => {
            "    c, s = 0.8660254037844387, 0.49999999999999994  # cos(π/6), sin(π/6) in f64\n    \
             u = c * x + s * y\n    w = -s * x + c * y\n    return 0.1 * u * u + 2.0 * w * w\n"
                .into()
        }
    }
}

/// The regression landscape's data, as the means its loss is written in
/// (`FULL`), and with mini-batches the means of each step's batch
/// (`BATCHES`, the draws this race used); `BATCHES = None` otherwise.
fn write_data(out: &mut String, c: &crate::race::RaceConfig, steps: u64) {
    use crate::landscape::regression::{full_moments, BatchSampler, Moments};
    let tuple = |m: &Moments| {
        format!(
            "({}, {}, {}, {}, {})",
            py_float(m.x),
            py_float(m.xx),
            py_float(m.xy),
            py_float(m.y),
            py_float(m.yy)
        )
    };
    if c.landscape == Landscape::Regression {
        let _ = writeln!(
            out,
            "# The regression data: Downhill's fixed {} points (x, y). The loss\n\
             # ½·mean (w·x + b − y)² needs only the means of x, x², xy, y and y²:\nFULL = {}",
            crate::landscape::regression::N,
            tuple(&full_moments())
        );
    }
    if !c.uses_batches() {
        out.push_str("BATCHES = None  # full-batch gradients\n");
        return;
    }
    let _ = writeln!(
        out,
        "# Mini-batches of {} points, one per step for every racer, drawn by Downhill's\n\
         # seeded sampler (seed {}): step k's gradient is that of f(p, BATCHES[k - 1]).\nBATCHES = [",
        c.batch, c.seed
    );
    let mut sampler = BatchSampler::new(c.seed);
    for _ in 0..steps {
        let _ = writeln!(out, "    {},", tuple(&sampler.draw_moments(c.batch)));
    }
    out.push_str("]\n");
}

/// A Python float literal that reads back as exactly `v` (shortest round-trip).
fn py_float(v: f64) -> String {
    if v.is_finite() {
        crate::decimal::debug(v)
    } else if v.is_nan() {
        "math.nan".into()
    } else if v > 0.0 {
        "math.inf".into()
    } else {
        "-math.inf".into()
    }
}

/// One hyperparameter as a Python literal of its kind.
fn py_value(h: &Hyper, name: &str) -> String {
    let v = h.get(name);
    match h.param(name).map(|p| p.kind) {
        Ok(ParamKind::Bool) => (if v != 0.0 { "True" } else { "False" }).into(),
        Ok(ParamKind::Int) => format!("{}", v as i64),
        _ => py_float(v),
    }
}

/// Downhill's hyperparameters of one racer, as a Python dict.
fn hyper_dict(h: &Hyper) -> String {
    let items: Vec<String> = h
        .iter()
        .map(|(p, _)| format!("\"{}\": {}", p.name, py_value(h, p.name)))
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// The expression that builds one racer's optimizer from `p` and `lr`.
fn torch_optimizer(h: &Hyper) -> String {
    let a = |names: &[&str]| -> String {
        names
            .iter()
            .map(|n| format!(", {n}={}", py_value(h, n)))
            .collect()
    };
    let betas = || {
        format!(
            ", betas=({}, {})",
            py_value(h, "beta1"),
            py_value(h, "beta2")
        )
    };
    let single = ", foreach=False"; // torch's single-tensor code path
    match h.kind() {
        OptimizerKind::Sgd => format!(
            "torch.optim.SGD([p], lr=lr{}{single})",
            a(&["weight_decay"])
        ),
        OptimizerKind::Momentum => format!(
            "torch.optim.SGD([p], lr=lr{}{single})",
            a(&["momentum", "dampening", "weight_decay"])
        ),
        OptimizerKind::Nesterov if h.get("momentum") > 0.0 => format!(
            "torch.optim.SGD([p], lr=lr{}, nesterov=True{single})",
            a(&["momentum", "weight_decay"])
        ),
        // torch refuses nesterov=True without momentum; with μ = 0 the rule is SGD.
        OptimizerKind::Nesterov => format!(
            "torch.optim.SGD([p], lr=lr, momentum=0.0{}{single})",
            a(&["weight_decay"])
        ),
        OptimizerKind::Adagrad => format!(
            "torch.optim.Adagrad([p], lr=lr{}{single})",
            a(&[
                "lr_decay",
                "eps",
                "initial_accumulator_value",
                "weight_decay"
            ])
        ),
        OptimizerKind::Rmsprop => format!(
            "torch.optim.RMSprop([p], lr=lr{}{single})",
            a(&["alpha", "eps", "momentum", "centered", "weight_decay"])
        ),
        OptimizerKind::Adadelta => format!(
            "torch.optim.Adadelta([p], lr=lr{}{single})",
            a(&["rho", "eps", "weight_decay"])
        ),
        OptimizerKind::Adam => format!(
            "torch.optim.Adam([p], lr=lr{}{}{single})",
            betas(),
            a(&["eps", "weight_decay"])
        ),
        OptimizerKind::Amsgrad => format!(
            "torch.optim.Adam([p], lr=lr{}{}, amsgrad=True{single})",
            betas(),
            a(&["eps", "weight_decay"])
        ),
        OptimizerKind::Adamw => format!(
            "torch.optim.AdamW([p], lr=lr{}{}{single})",
            betas(),
            a(&["eps", "weight_decay", "amsgrad"])
        ),
        OptimizerKind::Nadam => format!(
            "torch.optim.NAdam([p], lr=lr{}{}{single})",
            betas(),
            a(&[
                "eps",
                "weight_decay",
                "momentum_decay",
                "decoupled_weight_decay"
            ])
        ),
        OptimizerKind::Lion => format!("Lion([p], lr=lr{}{})", betas(), a(&["weight_decay"])),
        OptimizerKind::Lamb => {
            format!("Lamb([p], lr=lr{}{})", betas(), a(&["eps", "weight_decay"]))
        }
        OptimizerKind::Muon => format!(
            "Muon([p], lr=lr{})",
            a(&["momentum", "nesterov", "ns_steps", "weight_decay"])
        ),
        OptimizerKind::Shampoo => format!("Shampoo([p], lr=lr{})", a(&["eps"])),
    }
}

fn describe_schedule(s: &Schedule) -> String {
    let params: Vec<String> = s
        .iter()
        .map(|(p, v)| format!("{}={}", p.name, p.format(v)))
        .collect();
    if params.is_empty() {
        s.kind().title().to_ascii_lowercase()
    } else {
        format!("{} ({})", s.kind().title(), params.join(", "))
    }
}

/// `schedule(opt, lr)` and `SCHEDULE_LAST`, the last scheduler step to take.
fn write_schedule(out: &mut String, s: &Schedule) {
    let g = |n: &str| s.get(n);
    let int = |n: &str| format!("{}", s.get(n) as i64);
    let lrs = "torch.optim.lr_scheduler";
    let (doc, body, last) = match s.kind() {
        ScheduleKind::Constant => ("a constant lr: no scheduler.", "None".to_string(), None),
        ScheduleKind::StepLr => (
            "StepLR.",
            format!(
                "{lrs}.StepLR(opt, step_size={}, gamma={})",
                int("step_size"),
                py_float(g("gamma"))
            ),
            None,
        ),
        ScheduleKind::ExponentialLr => (
            "ExponentialLR.",
            format!("{lrs}.ExponentialLR(opt, gamma={})", py_float(g("gamma"))),
            None,
        ),
        ScheduleKind::CosineAnnealingLr => (
            "CosineAnnealingLR (after T_max it rises again, as torch's does).",
            format!(
                "{lrs}.CosineAnnealingLR(opt, T_max={}, eta_min={})",
                int("T_max"),
                py_float(g("eta_min"))
            ),
            None,
        ),
        ScheduleKind::LinearLr => (
            "LinearLR.",
            format!(
                "{lrs}.LinearLR(opt, start_factor={}, end_factor={}, total_iters={})",
                py_float(g("start_factor")),
                py_float(g("end_factor")),
                int("total_iters")
            ),
            None,
        ),
        ScheduleKind::WarmupCosine => (
            "linear warm-up, then cosine: SequentialLR of\n    \
             LinearLR and CosineAnnealingLR, which restarts the cosine at the milestone.",
            format!(
                "{lrs}.SequentialLR(\n        opt,\n        [\n            \
                 {lrs}.LinearLR(opt, start_factor={}, end_factor={}, total_iters={w}),\n            \
                 {lrs}.CosineAnnealingLR(opt, T_max={}, eta_min={}),\n        ],\n        \
                 milestones=[{w}],\n    )",
                py_float(g("start_factor")),
                py_float(g("end_factor")),
                int("T_max"),
                py_float(g("eta_min")),
                w = int("warmup_iters"),
            ),
            None,
        ),
        ScheduleKind::OneCycleLr => (
            "OneCycleLR without momentum cycling (Downhill moves only\n    \
             the lr); max_lr 0 on the page means each racer's own lr.",
            format!(
                "{lrs}.OneCycleLR(\n        opt,\n        max_lr={},\n        total_steps={},\n        \
                 pct_start={},\n        anneal_strategy=\"{}\",\n        div_factor={},\n        \
                 final_div_factor={},\n        three_phase={},\n        cycle_momentum=False,\n    )",
                if g("max_lr") > 0.0 {
                    py_float(g("max_lr"))
                } else {
                    "lr".into()
                },
                int("total_steps"),
                py_float(g("pct_start")),
                if g("anneal_linear") != 0.0 {
                    "linear"
                } else {
                    "cos"
                },
                py_float(g("div_factor")),
                py_float(g("final_div_factor")),
                if g("three_phase") != 0.0 {
                    "True"
                } else {
                    "False"
                },
            ),
            // torch refuses to step past total_steps; Downhill holds the last
            // rate (lr_i = lr_{total_steps − 1} from there on).
            Some(s.get("total_steps") as i64 - 1),
        ),
    };
    let _ = write!(
        out,
        "\n\ndef schedule(opt, lr):\n    \"\"\"The learning-rate schedule: {doc}\"\"\"\n    return {body}\n\n\n"
    );
    match last {
        Some(n) => {
            let _ = writeln!(
                out,
                "# torch refuses to step OneCycleLR past total_steps; Downhill holds the lr of\n\
                 # step total_steps from there on, so the scheduler stops after this many steps.\n\
                 SCHEDULE_LAST = {n}"
            );
        }
        None => {
            out.push_str("SCHEDULE_LAST = None  # step the scheduler after every optimizer step\n")
        }
    }
}

/// `XI`: the ξ draws of Downhill's noise stream for `steps` steps.
fn write_noise(out: &mut String, seed: u64, steps: u64) {
    out.push_str(
        "# Gradient noise. Downhill draws ξ ~ N(0, I) once per step (shared by every racer)\n\
         # from its own seeded generator (ChaCha8 + Box–Muller). Rather than re-implement\n",
    );
    let _ = writeln!(
        out,
        "# it, here are the draws this race used (seed {seed}): step k adds NOISE * XI[k - 1]."
    );
    out.push_str("XI = [\n");
    let mut stream = NoiseStream::new(seed);
    for i in 0..steps {
        let xi = stream.next_normal();
        if i % 3 == 0 {
            out.push_str("   ");
        }
        let _ = write!(out, " ({}, {}),", py_float(xi.x), py_float(xi.y));
        if i % 3 == 2 || i + 1 == steps {
            out.push('\n');
        }
    }
    out.push_str("]\n");
}

/// The Python class of a racer torch does not have, if `k` is one.
fn custom_class(k: OptimizerKind) -> Option<&'static str> {
    Some(match k {
        OptimizerKind::Lion => LION,
        OptimizerKind::Lamb => LAMB,
        OptimizerKind::Muon => MUON,
        OptimizerKind::Shampoo => SHAMPOO,
        _ => return None,
    })
}

const LION: &str = r#"class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023), as lion-pytorch computes it (not in torch.optim):
    c = β₁·m + (1 − β₁)·g;  θ ← θ·(1 − lr·wd) − lr·sign(c);  m ← β₂·m + (1 − β₂)·g."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, (beta1, beta2), wd = group["lr"], group["betas"], group["weight_decay"]
            for p in group["params"]:
                m = self.state[p].setdefault("m", torch.zeros_like(p))
                c = m * beta1 + p.grad * (1 - beta1)
                p.mul_(1 - lr * wd).sub_(torch.sign(c) * lr)
                m.mul_(beta2).add_(p.grad * (1 - beta2))"#;

const LAMB: &str = r#"class Lamb(torch.optim.Optimizer):
    """LAMB (You et al. 2020, Alg. 2 with bias correction; not in torch.optim), the
    whole θ as one layer, φ(z) = z:
    m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  r = m̂ / (√v̂ + eps) + wd·θ;
    τ = ‖θ‖ / ‖r‖ (1 if either is 0);  θ ← θ − lr·τ·r."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-6, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, (beta1, beta2) = group["lr"], group["betas"]
            for p in group["params"]:
                state, g = self.state[p], p.grad
                if not state:
                    state.update(t=0, m=torch.zeros_like(p), v=torch.zeros_like(p))
                state["t"] += 1
                t, m, v = state["t"], state["m"], state["v"]
                m.mul_(beta1).add_(g * (1 - beta1))
                v.mul_(beta2).add_(g * g * (1 - beta2))
                m_hat = m / (1 - beta1**t)
                v_hat = v / (1 - beta2**t)
                r = m_hat / (v_hat.sqrt() + group["eps"]) + p * group["weight_decay"]
                p_norm, r_norm = p.norm().item(), r.norm().item()
                trust = p_norm / r_norm if p_norm > 0 and r_norm > 0 else 1.0
                p.sub_(r * (lr * trust))"#;

const MUON: &str = r#"class Muon(torch.optim.Optimizer):
    """Muon: Keller Jordan's muon_update (KellerJordan/Muon) with θ as a 1×2 matrix,
    in float64 (Keller runs Newton–Schulz in bfloat16). torch.optim.Muon takes only
    2-D parameters and normalises with max(‖X‖, eps) instead, so it is not used.
    M ← lerp(M, g, 1 − β);  u = lerp(g, M, β) if nesterov else M;
    X = u / (‖u‖ + 1e-7), then ns_steps Newton–Schulz steps;  θ ← θ·(1 − lr·wd) − lr·X."""

    def __init__(self, params, lr=0.02, momentum=0.95, nesterov=True, ns_steps=5, weight_decay=0.0):
        defaults = dict(lr=lr, momentum=momentum, nesterov=nesterov, ns_steps=ns_steps,
                        weight_decay=weight_decay)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self):
        a, b, c = 3.4445, -4.7750, 2.0315
        for group in self.param_groups:
            lr, beta = group["lr"], group["momentum"]
            for p in group["params"]:
                m = self.state[p].setdefault("m", torch.zeros_like(p))
                m.lerp_(p.grad, 1 - beta)
                u = p.grad.lerp(m, beta) if group["nesterov"] else m
                X = u.view(1, -1)  # rows ≤ cols: no transpose
                X = X / (X.norm() + 1e-7)
                for _ in range(group["ns_steps"]):
                    A = X @ X.T
                    B = b * A + c * A @ A
                    X = a * X + B @ X
                X = X * max(1, X.size(0) / X.size(1)) ** 0.5
                p.mul_(1 - lr * group["weight_decay"])
                p.sub_(X.view_as(p) * lr)"#;

const SHAMPOO: &str = r#"class Shampoo(torch.optim.Optimizer):
    """Shampoo (Gupta et al. 2018) for a vector, i.e. full-matrix AdaGrad (not in
    torch.optim): H₀ = eps·I;  H ← H + g·gᵀ;  θ ← θ − lr·H^(−1/2)·g."""

    def __init__(self, params, lr=1.0, eps=1e-4):
        super().__init__(params, dict(lr=lr, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                g = p.grad
                H = self.state[p].setdefault("H", group["eps"] * torch.eye(p.numel()))
                H.add_(torch.outer(g, g))
                lam, Q = torch.linalg.eigh(H)
                p.sub_((Q @ ((Q.T @ g) / lam.sqrt())) * group["lr"])"#;

const RACER_CLASS: &str = r#"

class Racer:
    """One racer: its own θ, optimizer and schedule, and the path it took."""

    def __init__(self, slug, hyper, make_optimizer):
        self.slug, self.hyper = slug, hyper
        self.lr = hyper["lr"] * LRX
        self.p = torch.tensor(START, requires_grad=True)
        self.opt = make_optimizer(self.p, self.lr)
        self.sched = schedule(self.opt, self.lr)
        loss = f(self.p).item()
        self.diverged_at = None if math.isfinite(loss) else 0
        self.path, self.loss = ([list(START)], [loss]) if self.diverged_at is None else ([], [])

    def step(self, k, xi):
        """Optimizer step k: gradient, noise, clipping, step, schedule, checks."""
        self.opt.zero_grad()
        (f(self.p) if BATCHES is None else f(self.p, BATCHES[k - 1])).backward()
        if xi is not None:
            self.p.grad += xi
        if CLIP is not None:
            torch.nn.utils.clip_grad_norm_([self.p], CLIP)
        grad_ok = bool(torch.isfinite(self.p.grad).all())
        self.opt.step()
        if self.sched is not None and (SCHEDULE_LAST is None or self.sched.last_epoch < SCHEDULE_LAST):
            self.sched.step()
        with torch.no_grad():
            loss = f(self.p).item()
        x, y = self.p.tolist()
        inside = BOX[0] <= x <= BOX[1] and BOX[2] <= y <= BOX[3]  # False for NaN
        if grad_ok and inside and math.isfinite(loss):
            self.path.append([x, y])
            self.loss.append(loss)
        else:
            self.diverged_at = k  # the path stops at the last finite point

    def record(self):
        return {
            "landscape": LANDSCAPE,
            "optimizer": self.slug,
            "hyper": dict(self.hyper, lr=self.lr),
            "start": list(START),
            "steps": STEPS,
            "path": self.path,
            "loss": self.loss,
            "diverged_at": self.diverged_at,
        }"#;

const MAIN_LOOP: &str = r#"
for k in range(1, STEPS + 1):
    xi = NOISE * torch.tensor(XI[k - 1]) if NOISE else None
    for racer in RACERS:
        if racer.diverged_at is None:
            racer.step(k, xi)

print(json.dumps([racer.record() for racer in RACERS], sort_keys=True))
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(query: &str) -> Scenario {
        Scenario::from_query(query).0
    }

    #[test]
    fn every_hyperparameter_reaches_the_optimizer() {
        for k in OptimizerKind::ALL {
            let mut h = Hyper::defaults(k);
            if k == OptimizerKind::Nesterov {
                h.set("momentum", 0.9).unwrap();
            }
            let call = torch_optimizer(&h);
            assert!(
                !call.contains("nan"),
                "{k:?}: a name not in its table: {call}"
            );
            for (p, _) in h.iter() {
                let named = match p.name {
                    "lr" => call.contains("lr=lr"),
                    "beta1" | "beta2" => call.contains("betas=("),
                    "amsgrad" if k == OptimizerKind::Adamw => call.contains("amsgrad=False"),
                    n => call.contains(&format!("{n}=")),
                };
                assert!(named, "{k:?}: {} missing from {call}", p.name);
            }
        }
    }

    #[test]
    fn racers_map_to_torch_as_the_spec_says() {
        let s = snippet(
            &scenario("l=ravine&adamw.amsgrad=1&nadam.momentum_decay=0.01"),
            5,
        );
        assert!(s.contains("torch.optim.Adam([p], lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=True"));
        assert!(s.contains("torch.optim.AdamW([p], lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=True"));
        assert!(s.contains("momentum_decay=0.01, decoupled_weight_decay=False"));
        assert!(s.contains("nesterov=True"));
        for class in [
            "class Lion(",
            "class Lamb(",
            "class Muon(",
            "class Shampoo(",
        ] {
            assert!(s.contains(class), "{class}");
        }
        assert!(s.contains("Racer(\"shampoo\", {\"lr\": 1.0, \"eps\": 0.0001}"));
        assert!(!s.contains("XI = ["), "no noise, no draws");
        // `cargo xtask check-torch` perturbs the gradient right after these lines.
        assert!(s.contains("\nimport torch\n")
            && s.contains(
                "        (f(self.p) if BATCHES is None else f(self.p, BATCHES[k - 1])).backward()\n"
            ));
        assert!(s.contains("BATCHES = None"));
        let only_adam = snippet(&scenario("o=adam"), 5);
        assert!(!only_adam.contains("class Lion("));
    }

    #[test]
    fn lrx_schedule_clip_and_noise_are_carried() {
        let s = snippet(
            &scenario(
                "l=bowl&lrx=0.5&sched=one_cycle_lr&sched.total_steps=100&clip=2&noise=0.3&seed=7",
            ),
            4,
        );
        assert!(s.contains("LRX = 0.5"));
        assert!(s.contains("CLIP = 2.0"));
        assert!(s.contains("NOISE = 0.3"));
        assert!(s.contains("OneCycleLR("));
        assert!(s.contains("max_lr=lr"));
        assert!(s.contains("cycle_momentum=False"));
        assert!(s.contains("SCHEDULE_LAST = 99"));
        let mut n = NoiseStream::new(7);
        let draws: Vec<String> = (0..4)
            .map(|_| {
                let xi = n.next_normal();
                format!("({}, {})", py_float(xi.x), py_float(xi.y))
            })
            .collect();
        let at: Vec<usize> = draws.iter().map(|d| s.find(d.as_str()).unwrap()).collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "the race's own draws, in order"
        );
        let w = snippet(&scenario("sched=warmup_cosine&sched.warmup_iters=20"), 4);
        assert!(w.contains("SequentialLR(") && w.contains("milestones=[20]"));
    }

    #[test]
    fn floats_are_python_literals_that_read_back_exactly() {
        for v in [0.1, 1e-8, 25.0, -0.0, 1e16, 0.49999999999999994, 5e-324] {
            let s = py_float(v);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{s}");
        }
        assert_eq!(py_float(f64::INFINITY), "math.inf");
    }
}
