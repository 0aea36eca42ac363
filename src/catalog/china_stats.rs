//! Provincial statistics of 2019 (2020 for the census figures), restated as
//! facts so the tool needs no data files at run time. They feed the `china`
//! and `csv` presets' province attributes (`world::statistics`).
//!
//! Sources, one per column (full citations per row in the reference tables
//! `china-stats/01…09` described in `docs/ODD.md`, "Input data"):
//! - `gdp_per_capita`: GDP per capita 2019, yuan; derived = gross regional
//!   product 2019 (current NBS data-portal series, after the 5th economic
//!   census revision) / year-end resident population 2019 (current NBS
//!   series, revised after the 7th census);
//! - `revenue`, `expenditure`: local general public budget revenue and
//!   expenditure 2019, 100 million yuan, China Statistical Yearbook 2020
//!   tables 7-5 and 7-6 (revenue is own revenue; expenditure includes what
//!   central transfers fund, so `expenditure − revenue` ≈ net transfers);
//! - `population_2019`: year-end resident population 2019, 10,000 persons
//!   (current NBS series);
//! - `university_per_100k`: people with junior-college education or above
//!   per 100,000, 7th national census (2020), communique No. 6, table 6-1;
//! - `digital_rank_2019`: rank in the CAICT digital-economy competitiveness
//!   index (《中国区域与城市数字经济发展报告(2020年)》), only ranks 1–15
//!   published; `None` = not in the published list (ranks below the last
//!   listed one). (The 2017 internet-development ranking of the same
//!   reference folder lists only ten provinces and is not used.)

/// One province's statistics, keyed by NBS two-digit code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProvinceStats {
    pub code: u32,
    /// GDP per capita 2019, yuan.
    pub gdp_per_capita: f64,
    /// Local general public budget revenue 2019, 100 million yuan.
    pub revenue: f64,
    /// Local general public budget expenditure 2019, 100 million yuan.
    pub expenditure: f64,
    /// Year-end resident population 2019, 10,000 persons.
    pub population_2019: f64,
    /// Junior-college-or-above educated per 100,000 (2020 census).
    pub university_per_100k: f64,
    /// Rank in the 2019 digital-economy competitiveness index (top 15 published).
    pub digital_rank_2019: Option<u32>,
}

impl ProvinceStats {
    /// Net transfers received, 100 million yuan: expenditure − own revenue.
    pub fn transfers(&self) -> f64 {
        self.expenditure - self.revenue
    }
}

/// Ranks published in the 2019 list (1..=this).
pub const DIGITAL_LISTED_2019: u32 = 15;

macro_rules! s {
    ($code:expr, $g:expr, $r:expr, $e:expr, $p:expr, $u:expr, $d19:expr) => {
        ProvinceStats {
            code: $code,
            gdp_per_capita: $g,
            revenue: $r,
            expenditure: $e,
            population_2019: $p,
            university_per_100k: $u,
            digital_rank_2019: $d19,
        }
    };
}

/// The 31 provinces, in NBS code order (same order as `provinces::PROVINCES`).
#[rustfmt::skip]
pub const STATS: [ProvinceStats; 31] = [
    s!(11, 172452.0, 5817.10, 7408.19, 2190.0, 41980.0, Some(2)),
    s!(12, 101785.0, 2410.41, 3555.71, 1385.0, 26940.0, Some(7)),
    s!(13, 47836.0, 3738.99, 8309.04, 7447.0, 12418.0, None),
    s!(14, 49502.0, 2347.75, 4710.76, 3497.0, 17358.0, None),
    s!(15, 72378.0, 2059.69, 5100.91, 2415.0, 18688.0, None),
    s!(21, 60009.0, 2652.40, 5745.09, 4277.0, 18216.0, None),
    s!(22, 48813.0, 1116.95, 3933.42, 2448.0, 16738.0, None),
    s!(23, 42896.0, 1262.76, 5011.56, 3255.0, 14793.0, None),
    s!(31, 162198.0, 7165.10, 8179.28, 2481.0, 33872.0, Some(3)),
    s!(32, 117885.0, 8802.36, 12573.55, 8469.0, 18663.0, Some(4)),
    s!(33, 101384.0, 7048.58, 10053.03, 6375.0, 16990.0, Some(5)),
    s!(34, 61695.0, 3182.71, 7392.22, 6092.0, 13280.0, Some(12)),
    s!(35, 102681.0, 3052.93, 5077.93, 4137.0, 14148.0, Some(8)),
    s!(36, 54748.0, 2487.39, 6386.80, 4516.0, 11897.0, None),
    s!(37, 71269.0, 6526.71, 10739.76, 10106.0, 14384.0, Some(6)),
    s!(41, 54277.0, 4041.89, 10163.93, 9901.0, 11744.0, Some(13)),
    s!(42, 76864.0, 3388.57, 7970.21, 5927.0, 15502.0, Some(11)),
    s!(43, 60137.0, 3007.15, 8034.42, 6640.0, 12239.0, Some(15)),
    s!(44, 88452.0, 12654.53, 17297.85, 12489.0, 15699.0, Some(1)),
    s!(45, 42837.0, 1811.89, 5850.96, 4982.0, 10806.0, None),
    s!(46, 54694.0, 814.14, 1858.60, 995.0, 13919.0, None),
    s!(50, 74309.0, 2134.93, 4847.68, 3188.0, 15412.0, Some(10)),
    s!(51, 56483.0, 4070.83, 10348.17, 8351.0, 13267.0, Some(9)),
    s!(52, 44833.0, 1767.47, 5948.74, 3848.0, 10952.0, None),
    s!(53, 50704.0, 2073.56, 6770.09, 4714.0, 11601.0, None),
    s!(54, 48485.0, 221.99, 2187.75, 361.0, 11019.0, None),
    s!(61, 66467.0, 2287.90, 5718.52, 3944.0, 18397.0, Some(14)),
    s!(62, 36083.0, 850.49, 3951.60, 2509.0, 14506.0, None),
    s!(63, 51190.0, 282.25, 1863.67, 590.0, 14880.0, None),
    s!(64, 53577.0, 423.58, 1438.29, 717.0, 17340.0, None),
    s!(65, 54806.0, 1577.63, 5315.49, 2559.0, 16536.0, None),
];

/// Statistics of the province with this NBS code.
pub fn by_code(code: u32) -> Option<&'static ProvinceStats> {
    STATS.iter().find(|s| s.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::provinces::PROVINCES;

    #[test]
    fn one_row_per_province_in_code_order() {
        for (s, p) in STATS.iter().zip(PROVINCES.iter()) {
            assert_eq!(s.code, p.code);
            assert!(s.expenditure > s.revenue, "{}", p.id);
        }
        let mut r: Vec<u32> = STATS.iter().filter_map(|s| s.digital_rank_2019).collect();
        r.sort();
        assert_eq!(r, (1..=DIGITAL_LISTED_2019).collect::<Vec<_>>());
    }
}
