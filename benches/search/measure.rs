//! Plain timing loops and process memory, printed for the report (nothing is asserted).
//! A searcher is any `FnMut(i) -> total` that runs query `i` of the rotation, so the
//! engine and SQLite FTS5 go through the very same loops.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::rotation::{label, Kind, ROTATION};

/// `VmHWM` (peak resident memory since the last [`reset_peak`]) and `VmRSS`, in MiB.
pub fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Resets `VmHWM` to the current RSS (Linux ≥ 4.0, `clear_refs` value 5), so that each
/// corpus reports its own peak. Says whether it worked.
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The machine's load average: the figures are only as good as the machine is quiet.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Runs query `i` of the rotation, returns its number of results.
pub type Searcher<'a> = &'a mut dyn FnMut(usize) -> usize;

/// p50 and p99 of a loop, in milliseconds.
#[derive(Clone, Copy)]
pub struct Latency {
    pub p50: f64,
    pub p99: f64,
}

fn summary(name: &str, mut times: Vec<Duration>) -> Latency {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let latency = Latency {
        p50: ms(percentile(&times, 0.50)),
        p99: ms(percentile(&times, 0.99)),
    };
    println!(
        "{name:<44} n={:<5} p50 {:>8.3} ms  p90 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  mean {:>8.3} ms",
        times.len(),
        latency.p50,
        ms(percentile(&times, 0.90)),
        latency.p99,
        ms(times[times.len() - 1]),
        ms(mean),
    );
    latency
}

/// `n` queries taken in turn from the rotation; prints p50/p99 overall and per kind and
/// returns the overall ones.
pub fn rotation_loop(title: &str, n: usize, search: &mut dyn FnMut(usize) -> usize) -> Latency {
    for i in 0..ROTATION.len() {
        search(i); // warm-up
    }
    let mut all = Vec::with_capacity(n);
    let mut by_kind: Vec<(Kind, Vec<Duration>)> =
        Kind::ALL.iter().map(|k| (*k, Vec::new())).collect();
    for i in 0..n {
        let q = i % ROTATION.len();
        let start = Instant::now();
        black_box(search(q));
        let t = start.elapsed();
        all.push(t);
        if let Some((_, v)) = by_kind.iter_mut().find(|(k, _)| *k == ROTATION[q].kind) {
            v.push(t);
        }
    }
    let overall = summary(&format!("{title} all"), all);
    for (k, v) in by_kind {
        if !v.is_empty() {
            summary(&format!("{title} {}", k.label()), v);
        }
    }
    overall
}

fn median(reps: usize, search: &mut dyn FnMut(usize) -> usize, i: usize) -> f64 {
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            black_box(search(i));
            start.elapsed()
        })
        .collect();
    times.sort();
    ms(times[times.len() / 2])
}

/// Per query, for each searcher: median of `reps` runs and the number of results, side by
/// side (the result counts show what each one finds, not only how fast).
pub fn per_query(
    title: &str,
    reps: usize,
    searchers: &mut [(&str, &mut dyn FnMut(usize) -> usize)],
) {
    let names: Vec<&str> = searchers.iter().map(|(n, _)| *n).collect();
    println!(
        "{title}: median of {reps} runs per query, and number of results ({})",
        names.join(" | ")
    );
    for (i, q) in ROTATION.iter().enumerate() {
        let mut cells = Vec::new();
        for (_, search) in searchers.iter_mut() {
            let total = search(i);
            cells.push(format!(
                "{:>8.3} ms {total:>6}",
                median(reps, &mut **search, i)
            ));
        }
        println!(
            "  {:<9} {:<44} {}",
            q.kind.label(),
            label(q),
            cells.join("   ")
        );
    }
}

/// Prints the memory line of a step.
pub fn memory_line(step: &str) -> (f64, f64) {
    let (hwm, rss) = memory_mib();
    println!("memory {step}: peak {hwm:.0} MiB, resident {rss:.0} MiB");
    (hwm, rss)
}

/// Runs `f`, prints how long it took, returns its value.
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    println!("{what}: {:.2} s", took.as_secs_f64());
    (out, took)
}
