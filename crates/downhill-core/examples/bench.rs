//! Native figures for `cargo xtask bench`: racer-steps per second with all 14
//! racers, and the time to re-run a 14 × 2,000-step race from scratch (what the
//! page redoes on every slider movement). Prints a table and one JSON line.

use downhill_core::race::{Race, RaceConfig};
use downhill_core::Landscape;
use std::hint::black_box;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut rows = Vec::new();
    for l in Landscape::ALL {
        // Throughput: long runs, history bounded by the trace cap.
        let mut race = Race::new(RaceConfig::new(l));
        let steps = 200_000u64;
        let t0 = Instant::now();
        race.run(steps);
        let secs = t0.elapsed().as_secs_f64();
        black_box(race.racers()[0].theta());
        let racer_steps = steps as f64 * race.racers().len() as f64 / secs;

        // Re-run: 14 × 2,000 from scratch, reusing allocations as the page does.
        let config = RaceConfig::new(l);
        let mut race = Race::new(config.clone());
        let mut times = Vec::new();
        for _ in 0..60 {
            let t0 = Instant::now();
            race.reconfigure(config.clone());
            race.run(2000);
            times.push(t0.elapsed().as_secs_f64() * 1e3);
            black_box(race.racers()[0].theta());
        }
        rows.push((l.slug(), racer_steps, median(times)));
    }
    println!(
        "{:<16} {:>22} {:>22}",
        "landscape", "racer-steps/s", "14x2000 re-run (ms)"
    );
    for (l, rs, ms) in &rows {
        println!("{l:<16} {:>22.0} {:>22.3}", rs, ms);
    }
    let min_rate = rows.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
    let max_rerun = rows.iter().map(|r| r.2).fold(0.0, f64::max);
    println!(
        "budget: >= 20,000,000 racer-steps/s natively: worst {min_rate:.0} ({})",
        if min_rate >= 2e7 { "met" } else { "NOT met" }
    );
    let json: Vec<String> = rows
        .iter()
        .map(|(l, rs, ms)| format!("{{\"landscape\":\"{l}\",\"racer_steps_per_s\":{rs:.0},\"rerun_14x2000_ms\":{ms:.4}}}"))
        .collect();
    println!(
        "{{\"native\":[{}],\"min_racer_steps_per_s\":{min_rate:.0},\"max_rerun_ms\":{max_rerun:.4}}}",
        json.join(",")
    );
}
