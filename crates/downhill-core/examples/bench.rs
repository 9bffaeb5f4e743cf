//! Native figures for `cargo xtask bench`: racer-steps per second with all 14
//! racers, the time to re-run a 14 × 2,000-step race from scratch (what the
//! page redoes on every slider movement), and a 10⁶-step race: its time and the
//! memory its traces hold (bounded by design). Prints tables and one JSON line.

use downhill_core::race::{Race, RaceConfig};
use downhill_core::scenario::Scenario;
use downhill_core::Landscape;
use std::hint::black_box;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Bytes the racers' traces hold: (used, by length; allocated, by capacity).
fn trace_bytes(race: &Race) -> (usize, usize) {
    let used = race
        .racers()
        .iter()
        .map(|r| std::mem::size_of_val(r.trace().samples()))
        .sum();
    let held = race.racers().iter().map(|r| r.trace().heap_bytes()).sum();
    (used, held)
}

/// A 10⁶-step race of the page's configuration: (seconds, used, held, stride).
fn long_run(config: &RaceConfig) -> (f64, usize, usize, u64) {
    let mut race = Race::new(config.clone());
    let t0 = Instant::now();
    race.run(1_000_000);
    let secs = t0.elapsed().as_secs_f64();
    let (used, held) = trace_bytes(&race);
    let stride = race.racers().iter().map(|r| r.trace().stride()).max();
    (secs, used, held, stride.unwrap_or(1))
}

fn main() {
    let mut rows = Vec::new();
    let mut long = Vec::new();
    for l in Landscape::ALL {
        // Throughput: long runs of the page's race (its preset), history bounded
        // by the trace cap.
        let config = Scenario::preset(l).race_config();
        let mut race = Race::new(config.clone());
        let steps = 200_000u64;
        let t0 = Instant::now();
        race.run(steps);
        let secs = t0.elapsed().as_secs_f64();
        black_box(race.racers()[0].theta());
        let racer_steps = steps as f64 * race.racers().len() as f64 / secs;

        // Re-run: 14 × 2,000 from scratch, reusing allocations, as the page
        // does when a global setting changes (the same configuration would
        // be a no-op for `reconfigure`, which re-runs only changed racers).
        let mut race = Race::new(config.clone());
        let mut times = Vec::new();
        for _ in 0..60 {
            let t0 = Instant::now();
            race.restart();
            race.run(2000);
            times.push(t0.elapsed().as_secs_f64() * 1e3);
            black_box(race.racers()[0].theta());
        }
        let rerun = median(times);
        rows.push((l.slug(), racer_steps, rerun, 28_000.0 / (rerun * 1e-3)));
        long.push((l.slug(), long_run(&config)));
    }
    println!(
        "{:<16} {:>24} {:>22} {:>24}",
        "landscape", "racer-steps/s (200k)", "14x2000 re-run (ms)", "racer-steps/s (re-run)"
    );
    for (l, rs, ms, rr) in &rows {
        println!("{l:<16} {rs:>24.0} {ms:>22.3} {rr:>24.0}");
    }
    let min_rate = rows.iter().map(|r| r.3).fold(f64::INFINITY, f64::min);
    let max_rerun = rows.iter().map(|r| r.2).fold(0.0, f64::max);
    println!(
        "budget: >= 20,000,000 racer-steps/s natively (2,000-step re-runs): worst {min_rate:.0} ({})",
        if min_rate >= 2e7 { "met" } else { "NOT met" }
    );
    println!(
        "\n{:<16} {:>22} {:>14} {:>20} {:>20} {:>8}",
        "landscape",
        "10^6-step race (s)",
        "racer-steps/s",
        "traces used (bytes)",
        "traces held (bytes)",
        "stride"
    );
    for (l, (secs, used, held, stride)) in &long {
        println!(
            "{l:<16} {secs:>22.3} {:>14.0} {used:>20} {held:>20} {stride:>8}",
            14e6 / secs
        );
    }
    let long_json: Vec<String> = long
        .iter()
        .map(|(l, (secs, used, held, stride))| format!("{{\"landscape\":\"{l}\",\"million_steps_s\":{secs:.3},\"trace_bytes_used\":{used},\"trace_bytes_held\":{held},\"stride\":{stride}}}"))
        .collect();
    let json: Vec<String> = rows
        .iter()
        .map(|(l, rs, ms, rr)| format!("{{\"landscape\":\"{l}\",\"racer_steps_per_s_long\":{rs:.0},\"racer_steps_per_s_rerun\":{rr:.0},\"rerun_14x2000_ms\":{ms:.4}}}"))
        .collect();
    println!(
        "{{\"native\":[{}],\"min_racer_steps_per_s\":{min_rate:.0},\"max_rerun_ms\":{max_rerun:.4},\"long_run\":[{}]}}",
        json.join(","),
        long_json.join(",")
    );
}
