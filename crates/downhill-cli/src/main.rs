//! `downhill`: trajectories and learning-rate schedules from Downhill's core,
//! as JSON or CSV, for plotting in matplotlib, a paper or a check script.
//!
//! Usage errors (an unknown name, a value that does not parse) exit with 2.

use clap::{Args, Parser, Subcommand, ValueEnum};
use downhill_core::export::{self, num, Trajectory};
use downhill_core::race::{Race, RaceConfig};
use downhill_core::scenario::Scenario;
use downhill_core::schedule::{Schedule, ScheduleKind};
use downhill_core::{pytorch, Hyper, Landscape, OptimizerKind, Vec2};
use serde_json::json;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "downhill",
    version,
    about = "Gradient-descent optimizers on 2-D loss landscapes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

#[derive(Subcommand)]
enum Command {
    /// Runs one optimizer and prints its trajectory.
    Trace(TraceArgs),
    /// Prints the learning rate of each optimizer step under a schedule.
    Schedule {
        #[arg(long)]
        kind: String,
        #[arg(long = "base-lr", default_value_t = 1.0)]
        base_lr: f64,
        #[arg(long)]
        steps: u64,
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Runs a page link's race (every enabled racer) and prints the racers'
    /// trajectories: a JSON array of `trace` objects, or CSV `racer,step,x,y,loss`.
    Race {
        /// The link's query string (the part after `?`); empty: the default page.
        #[arg(long, default_value = "")]
        query: String,
        /// Steps to run (default: the link's race length, `max`).
        #[arg(long)]
        steps: Option<u64>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Prints a Python snippet that re-runs a page link's race with PyTorch.
    Pytorch {
        /// The link's query string (the part after `?`); empty: the default page.
        #[arg(long, default_value = "")]
        query: String,
        /// Steps to run (default: the link's race length, `max`).
        #[arg(long)]
        steps: Option<u64>,
    },
    /// Lists the scenes: one line each, `<slug>\t<title>` (a scene is `?scene=<slug>`).
    Scenes,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = match cli.command {
        Command::Trace(args) => trace(args),
        Command::Schedule {
            kind,
            base_lr,
            steps,
            set,
            format,
        } => schedule(&kind, base_lr, steps, &set, format),
        Command::Race {
            query,
            steps,
            format,
        } => race(&query, steps, format),
        Command::Pytorch { query, steps } => {
            let s = scenario(&query);
            Ok(pytorch::snippet(&s, steps.unwrap_or(s.max_steps)))
        }
        Command::Scenes => Ok(downhill_core::scene::Scene::ALL
            .iter()
            .map(|sc| format!("{}\t{}\n", sc.slug(), sc.title()))
            .collect()),
    };
    match out {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("downhill: {msg}");
            ExitCode::from(2)
        }
    }
}

#[derive(Args)]
struct TraceArgs {
    /// bowl, ravine, saddle, rosenbrock, beale, rotated_ravine or regression.
    #[arg(long)]
    landscape: String,
    /// sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, amsgrad,
    /// adamw, nadam, lion, lamb, muon or shampoo.
    #[arg(long)]
    optimizer: String,
    /// Start point X,Y (default: the landscape's classic start).
    #[arg(long, allow_hyphen_values = true)]
    start: Option<String>,
    /// Number of optimizer steps.
    #[arg(long, default_value_t = 300)]
    steps: u64,
    /// A hyperparameter, e.g. lr=0.05, beta2=0.95, nesterov=false (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    set: Vec<String>,
    /// Clip gradients to this global norm.
    #[arg(long)]
    clip: Option<f64>,
    /// Gradient noise σ: each gradient gets σ·ξ, ξ ~ N(0, I) from the seed.
    #[arg(long, default_value_t = 0.0)]
    noise: f64,
    /// Seed of the noise and of the mini-batches.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Mini-batch size on the regression landscape (0: the full batch); each
    /// step's gradient is the mean over a batch drawn from the seed. Other
    /// landscapes have no data and ignore it.
    #[arg(long, default_value_t = 0)]
    batch: usize,
    /// Learning-rate schedule kind (default constant).
    #[arg(long)]
    schedule: Option<String>,
    /// A schedule parameter, e.g. T_max=200 (repeatable).
    #[arg(long = "set-schedule", value_name = "NAME=VALUE")]
    set_schedule: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

fn slugs<T: Copy>(all: &[T], slug: fn(T) -> &'static str) -> String {
    all.iter().map(|&x| slug(x)).collect::<Vec<_>>().join(", ")
}

fn split_assignment(s: &str) -> Result<(&str, &str), String> {
    s.split_once('=')
        .map(|(n, v)| (n.trim(), v.trim()))
        .ok_or_else(|| format!("'{s}' is not NAME=VALUE"))
}

fn parse_schedule(kind: &str, sets: &[String]) -> Result<Schedule, String> {
    let kind = ScheduleKind::from_slug(kind).ok_or_else(|| {
        format!(
            "unknown schedule '{kind}' (accepted: {})",
            slugs(&ScheduleKind::ALL, ScheduleKind::slug)
        )
    })?;
    let mut s = Schedule::new(kind);
    for a in sets {
        let (n, v) = split_assignment(a)?;
        s.set_str(n, v).map_err(|e| e.to_string())?;
    }
    Ok(s)
}

fn finite(name: &str, v: f64) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("--{name} must be a finite number, not {v}"))
    }
}

fn trace(a: TraceArgs) -> Result<String, String> {
    let landscape = Landscape::from_slug(&a.landscape).ok_or_else(|| {
        format!(
            "unknown landscape '{}' (accepted: {})",
            a.landscape,
            slugs(&Landscape::ALL, Landscape::slug)
        )
    })?;
    let kind = OptimizerKind::from_slug(&a.optimizer).ok_or_else(|| {
        format!(
            "unknown optimizer '{}' (accepted: {})",
            a.optimizer,
            slugs(&OptimizerKind::ALL, OptimizerKind::slug)
        )
    })?;
    let mut hyper = Hyper::defaults(kind);
    for s in &a.set {
        let (n, v) = split_assignment(s)?;
        hyper.set_str(n, v).map_err(|e| e.to_string())?;
    }
    let start = match &a.start {
        None => landscape.start(),
        Some(s) => parse_point(s)?,
    };
    let mut config = RaceConfig::single(landscape, hyper);
    config.start = start;
    if let Some(c) = a.clip {
        if finite("clip", c)? <= 0.0 {
            return Err("--clip must be positive".into());
        }
        config.clip = Some(c);
    }
    config.noise = finite("noise", a.noise)?.abs();
    config.seed = a.seed;
    config.batch = a.batch;
    if let Some(kind) = &a.schedule {
        config.schedule = parse_schedule(kind, &a.set_schedule)?;
    } else if !a.set_schedule.is_empty() {
        return Err("--set-schedule needs --schedule".into());
    }
    let mut race = Race::new(config);
    race.run_to(a.steps);
    let t = Trajectory::of(&race, &race.racers()[0], a.steps);
    Ok(match a.format {
        Format::Csv => t.to_csv(),
        Format::Json => t.to_json() + "\n",
    })
}

/// A page link's scenario. A link never fails to decode: it gives the nearest
/// valid state, and the notes on whatever it ignored go to stderr.
fn scenario(query: &str) -> Scenario {
    let (scenario, notes) = Scenario::from_query(query);
    for n in notes {
        eprintln!("downhill: {n}");
    }
    scenario
}

fn race(query: &str, steps: Option<u64>, format: Format) -> Result<String, String> {
    let scenario = scenario(query);
    let steps = steps.unwrap_or(scenario.max_steps);
    let mut race = Race::new(scenario.race_config());
    race.run_to(steps);
    Ok(match format {
        Format::Json => export::race_json(&race, steps) + "\n",
        Format::Csv => export::race_csv(&race, steps),
    })
}

fn parse_point(s: &str) -> Result<Vec2, String> {
    let bad = || format!("--start wants X,Y (two finite numbers), not '{s}'");
    let (x, y) = s.split_once(',').ok_or_else(bad)?;
    let x: f64 = x.trim().parse().map_err(|_| bad())?;
    let y: f64 = y.trim().parse().map_err(|_| bad())?;
    if x.is_finite() && y.is_finite() {
        Ok(Vec2::new(x, y))
    } else {
        Err(bad())
    }
}

fn schedule(
    kind: &str,
    base_lr: f64,
    steps: u64,
    set: &[String],
    format: Format,
) -> Result<String, String> {
    let s = parse_schedule(kind, set)?;
    if finite("base-lr", base_lr)? < 0.0 {
        return Err("--base-lr must not be negative".into());
    }
    if s.kind() == ScheduleKind::OneCycleLr && steps > s.get("total_steps") as u64 + 1 {
        return Err(format!(
            "one_cycle_lr has lr_i only for i ≤ total_steps ({}); asked for {steps} steps",
            s.get("total_steps")
        ));
    }
    let lr = s.sequence(base_lr, steps);
    Ok(match format {
        Format::Json => json!({ "lr": lr }).to_string() + "\n",
        Format::Csv => {
            let mut out = String::from("step,lr\n");
            for (i, v) in lr.iter().enumerate() {
                out += &format!("{},{}\n", i + 1, num(*v));
            }
            out
        }
    })
}
