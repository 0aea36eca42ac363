//! The bilingual catalogue: every user-facing name the tool shows, in English
//! and Chinese, and the default department and domain definitions
//! (docs/model.md §2).
//!
//! Rules: identifiers are stable lower-case English (`market_regulation`);
//! display names come only from here, so CSV columns stay stable while
//! reports and the classroom page can switch language.

pub mod china_stats;
pub mod departments;
pub mod domains;
pub mod provinces;
pub mod report_text;

use serde::{Deserialize, Serialize};

/// Display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Parse `en` / `zh` (also `zh-CN`, `english`, `chinese`).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "chinese" | "中文" => Some(Lang::Zh),
            _ => None,
        }
    }
    /// Pick the name in this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// Administrative level of a territorial unit (块), top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    National = 0,
    Province = 1,
    City = 2,
    County = 3,
    Township = 4,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::National,
        Level::Province,
        Level::City,
        Level::County,
        Level::Township,
    ];
    pub fn id(self) -> &'static str {
        ["national", "province", "city", "county", "township"][self as usize]
    }
    pub fn name(self, lang: Lang) -> &'static str {
        let zh = ["中央", "省", "地市", "县区", "乡镇街道"][self as usize];
        lang.pick(
            ["National", "Province", "City", "County", "Township"][self as usize],
            zh,
        )
    }
    pub fn from_id(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.id() == s)
    }
    /// The level one step down, if any.
    pub fn below(self) -> Option<Level> {
        Level::ALL.get(self as usize + 1).copied()
    }
}

/// NBS region group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    East = 0,
    Central = 1,
    West = 2,
    Northeast = 3,
}

impl Region {
    pub const ALL: [Region; 4] = [
        Region::East,
        Region::Central,
        Region::West,
        Region::Northeast,
    ];
    pub fn id(self) -> &'static str {
        ["east", "central", "west", "northeast"][self as usize]
    }
    pub fn name(self, lang: Lang) -> &'static str {
        lang.pick(
            ["East", "Central", "West", "Northeast"][self as usize],
            ["东部", "中部", "西部", "东北"][self as usize],
        )
    }
    pub fn from_id(s: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.id() == s)
    }
}

/// Administrative rank, which sets coordinating capacity (docs/model.md §2:
/// a municipality coordinates better than a sub-provincial city, which
/// coordinates better than an ordinary prefecture).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    National = 0,
    Province = 1,
    Municipality = 2,
    SubProvincial = 3,
    Prefecture = 4,
    County = 5,
    Township = 6,
}

impl Rank {
    pub const ALL: [Rank; 7] = [
        Rank::National,
        Rank::Province,
        Rank::Municipality,
        Rank::SubProvincial,
        Rank::Prefecture,
        Rank::County,
        Rank::Township,
    ];
    pub fn id(self) -> &'static str {
        [
            "national",
            "province",
            "municipality",
            "sub_provincial",
            "prefecture",
            "county",
            "township",
        ][self as usize]
    }
    pub fn name(self, lang: Lang) -> &'static str {
        lang.pick(
            [
                "National",
                "Province",
                "Municipality",
                "Sub-provincial city",
                "Prefecture city",
                "County",
                "Township",
            ][self as usize],
            [
                "中央",
                "省",
                "直辖市",
                "副省级城市",
                "地级市",
                "县区",
                "乡镇街道",
            ][self as usize],
        )
    }
}

/// Names of the strategy levers (docs/model.md §4), for `list`, reports and the
/// classroom page.
pub const LEVERS: &[(&str, &str, &str)] = &[
    (
        "platforms",
        "Platform deployment: local / city / provincial / hybrid",
        "平台部署：本地自建 / 市级 / 省级统建 / 混合",
    ),
    (
        "standards",
        "Data standards: none / provincial / national, with a pace",
        "数据标准：无 / 省级统一 / 全国统一（含推进速度）",
    ),
    (
        "investment",
        "Budget level and split between hardware, platforms, talent, data governance; needs-based or uniform hardware",
        "投入水平及在硬件、平台、人才、数据治理间的分配；按需或平均配置硬件",
    ),
    (
        "institutions",
        "Property-rights, revenue-distribution, circulation and security-governance reforms: start year and strength",
        "数据产权、收益分配、流通交易、安全治理改革：起始年份与力度",
    ),
    (
        "coordination",
        "Data-management agency (national / provincial) and sector-by-sector top-down coordination",
        "数据管理机构（国家/省级）与分领域自上而下统筹",
    ),
    (
        "regional",
        "East-to-west transfers, paired neighbours, provincial back-stopping of lagging counties",
        "东数西算式转移支付、结对协作、省级兜底建设",
    ),
    (
        "reuse",
        "Innovation reuse: spontaneous / provincial / national promotion",
        "创新复用：自发扩散 / 省级推广 / 国家推广",
    ),
];
