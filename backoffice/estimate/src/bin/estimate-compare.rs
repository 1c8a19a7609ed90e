//! Compares the ZMS baseline with our estimator over simulated office days.
//!
//! `cargo run --release -p queue-estimate --bin estimate-compare -- --days 200 --seed 1`

use std::process::ExitCode;

use queue_estimate::sim::{Office, Score, compare};

const USAGE: &str = "usage: estimate-compare [--days N] [--seed S]";

fn parse(args: &[String]) -> Result<(usize, u64), String> {
    let (mut days, mut seed) = (200usize, 1u64);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = |v: Option<&String>| v.cloned().ok_or(format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--days" => {
                days = value(it.next())?
                    .parse()
                    .map_err(|e| format!("--days: {e}"))?;
            }
            "--seed" => {
                seed = value(it.next())?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok((days, seed))
}

fn line(name: &str, s: &Score) {
    println!(
        "{name:<5} MAE {:6.2} min (walk-ins {:6.2})  bias {:+6.2}  coverage {:5.1} %  mean range width {:5.1} min",
        s.mae_minutes,
        s.mae_walk_in_minutes,
        s.bias_minutes,
        s.coverage * 100.0,
        s.mean_width_minutes
    );
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (days, seed) = match parse(&args) {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let office = Office::default();
    let c = compare(&office, days, seed);
    println!(
        "days {}  seed {}  tickets {}  unserved {}  mean real wait {:.1} min  ZMS average {} min",
        c.days,
        seed,
        c.tickets,
        c.unserved,
        c.mean_real_wait_minutes,
        office.zms_average_minutes()
    );
    line("ZMS", &c.zms);
    line("ours", &c.ours);
    ExitCode::SUCCESS
}
