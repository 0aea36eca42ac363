//! `tiaokuai list [WHAT] [--lang en|zh]`
//!
//! Prints the catalogue: world presets, department types, domains, strategy
//! levers and output metrics, with English or Chinese names.
//!
//! ```text
//! tiaokuai list                 # everything
//! tiaokuai list metrics --lang zh
//! ```

use tiaokuai::catalog::{self, departments, domains};
use tiaokuai::metrics::registry;
use tiaokuai::output::pad;
use tiaokuai::{InputError, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to list: presets, departments, domains, levers, metrics (default: all).
    pub what: Option<String>,
    /// Language of the names: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: String,
}

const SECTIONS: [&str; 5] = ["presets", "departments", "domains", "levers", "metrics"];

pub fn run(args: Args) -> Result<()> {
    let lang = super::common::parse_lang(&args.lang)?;
    let what = args.what.as_deref();
    if let Some(w) = what {
        if !SECTIONS.contains(&w) {
            let mut e =
                InputError::new(format!("unknown list `{w}`")).expected(SECTIONS.join(", "));
            if let Some(s) = tiaokuai::error::did_you_mean(w, SECTIONS) {
                e = e.suggest(format!("did you mean `{s}`?"));
            }
            return Err(e.into());
        }
    }
    let show = |s: &str| what.is_none_or(|w| w == s);
    if show("presets") {
        println!("# presets");
        for (id, en, zh) in PRESETS {
            println!("  {id:<10} {}", lang.pick(en, zh));
        }
    }
    if show("departments") {
        println!("# departments (sensitivity, value, vertical, lowest level, systems)");
        for d in departments::defaults() {
            println!(
                "  {:<24} {} {:.2} {:.2} {:.2} {:<8} {:.1}",
                d.id,
                pad(lang.pick(&d.name_en, &d.name_zh), 40),
                d.sensitivity,
                d.value,
                d.vertical,
                d.lowest_level.id(),
                d.systems
            );
        }
    }
    if show("domains") {
        println!("# domains (complexity, lag quarters, departments)");
        for d in domains::defaults() {
            println!(
                "  {:<22} {} {:.2} {:>4} {}",
                d.id,
                pad(lang.pick(&d.name_en, &d.name_zh), 30),
                d.complexity,
                d.lag_quarters,
                d.departments.join(",")
            );
        }
    }
    if show("levers") {
        println!("# levers");
        for (id, en, zh) in catalog::LEVERS {
            println!("  {id:<13} {}", lang.pick(en, zh));
        }
    }
    if show("metrics") {
        println!("# metrics (unit, better)");
        for m in registry::metrics(&domains::defaults()) {
            println!(
                "  {:<28} {} {:<16} {}",
                m.id,
                pad(m.name(lang), 36),
                m.unit,
                m.direction.id()
            );
        }
    }
    Ok(())
}

const PRESETS: [(&str, &str, &str); 3] = [
    (
        "province",
        "One synthetic province (cities, counties, townships)",
        "一个合成省份（地市、县区、乡镇）",
    ),
    (
        "china",
        "The 31 provinces with the real division tree (342 prefectures, 2,978 counties, 41,352 townships) and 2019 statistics, built in",
        "全国31个省级单位：内置真实行政区划（342个地级、2978个县级、41352个乡级单位）与2019年统计数据",
    ),
    (
        "csv",
        "A real unit tree loaded from division-code CSV files",
        "从行政区划代码CSV文件加载的真实单位树",
    ),
];
