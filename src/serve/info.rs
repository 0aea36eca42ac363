//! The "About this model / What to notice / Things to try" panel of each
//! preset, in English and Chinese (like NetLogo's Info tab).
//!
//! Rules: texts point students at what to look for and which lever to move;
//! they never state result numbers — every number on the page comes from
//! the run. A scenario without its own texts (an uploaded file) gets the
//! general ones.

use serde::Serialize;

/// One language's panel.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Panel {
    pub about: &'static str,
    pub notice: &'static [&'static str],
    #[serde(rename = "try")]
    pub try_: &'static [&'static str],
}

/// Both languages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Info {
    pub en: Panel,
    pub zh: Panel,
}

const GENERAL: Info = Info {
    en: Panel {
        about: "tiaokuai simulates how the vertical lines of departments (tiao) and the territorial governments (kuai) of a province share data, quarter by quarter, under a strategy. Every run repeats the same world with different random draws; the band around a line shows where 90% of replicates fall.",
        notice: &[
            "Upward flow (data reported to the level above) is easier than downward flow (data returned to counties and townships).",
            "Collaboration needs all three: flow across levels, sharing across departments and usable data across systems — one weak link holds the index down.",
        ],
        try_: &[
            "Change one lever of strategy B only, press Run and read the B − A difference and its interval.",
            "Raise the replicates: the band stays, the interval of the difference narrows.",
        ],
    },
    zh: Panel {
        about: "条块模拟器按季度模拟一个省的条线部门（条）与属地政府（块）在某种策略下如何共享数据。每次运行在同一个世界中用不同随机数重复多次；曲线周围的色带表示90%的重复结果所在范围。",
        notice: &[
            "向上流动（向上级报送数据）比向下流动（数据回流到县和乡镇）容易。",
            "协同需要三者兼备：跨层级流动、跨部门共享、跨系统可用——任何一环薄弱都会拉低指数。",
        ],
        try_: &[
            "只改变策略B的一个杠杆，点击运行，读出 B − A 的差值及其区间。",
            "增加重复次数：色带宽度不变，差值的区间变窄。",
        ],
    },
};

const CLASSROOM: Info = Info {
    en: Panel {
        about: "A small demo province (6 cities, 3 counties each, 4 townships per county). Strategy A: every city and county builds its own data-exchange platform. Strategy B: the province builds once, with one standard, and everyone connects. It runs in well under a second, so change levers freely.",
        notice: &[
            "In the network view, switch Show between A and B and watch the colour of counties and townships; compare the orange (upward) and purple (downward) links.",
            "Compare total cost and duplicate platforms between A and B, not only collaboration.",
            "Cross-system usability: local platforms on different standards make shared data partly unusable.",
        ],
        try_: &[
            "Give strategy A a provincial standard (Data standards) and run again: how much of B's advantage is the standard alone?",
            "Set a data property-rights reform in year 2 for both strategies: which barrier falls?",
            "Cut the budget level to 0.5: which strategy suffers more?",
        ],
    },
    zh: Panel {
        about: "一个小型演示省（6个市，每市3个县，每县4个乡镇）。策略A：各市县各自建设数据交换平台；策略B：省级统一建设一次、统一标准、全员接入。运行不到一秒，可随意调整杠杆。",
        notice: &[
            "在网络图中切换显示A和B，观察县和乡镇的颜色；比较橙色（向上）与紫色（向下）连线的粗细。",
            "比较A与B的总成本和重复建设平台数，而不仅是协同指数。",
            "跨系统可用性：标准不一的本地平台使共享数据部分不可用。",
        ],
        try_: &[
            "给策略A设置省级统一标准后再运行：B的优势中有多少仅来自统一标准？",
            "为两个策略都设置第2年开始的数据产权改革：哪一种障碍下降了？",
            "把投入水平降到0.5：哪种策略受影响更大？",
        ],
    },
};

const PROVINCIAL_VS_LOCAL: Info = Info {
    en: Panel {
        about: "The headline comparison of platform deployment in a mid-sized synthetic province: local builds, city-level builds, provincial centralisation, and a hybrid where the province builds and cities customise. Every strategy sees the same world and the same random draws, so differences are paired.",
        notice: &[
            "Provincial centralisation: collaboration and cross-system usability against cost and duplicate platforms.",
            "Platform fit: a single provincial platform fits diverse places less well; the hybrid lets cities customise.",
        ],
        try_: &[
            "Compare provincial (A) with hybrid (B) and look at platform fit.",
            "Set standards to national for local builds: can standards alone close the gap?",
        ],
    },
    zh: Panel {
        about: "在一个中等规模的合成省中比较平台部署方式：本地自建、市级建设、省级统建，以及省建市配（省级建设、地市定制）。各策略面对同一个世界和同一组随机数，因此差异是配对比较。",
        notice: &[
            "省级统建：协同指数和跨系统可用性，与成本和重复建设平台数对照来看。",
            "平台适配度：单一省级平台难以适应差异很大的地方；省建市配允许地市定制。",
        ],
        try_: &[
            "把省级统建设为A、省建市配设为B，观察平台适配度。",
            "为本地自建设置全国统一标准：仅靠标准能否缩小差距？",
        ],
    },
};

const INSTITUTIONS: Info = Info {
    en: Panel {
        about: "With a shared provincial platform in place, what is left are the three barriers to sharing: dare not (quality and security risk), unwilling (data as bargaining power) and unable (no money or lead). Data institutions — property rights, revenue distribution, circulation and security governance — act on the first two.",
        notice: &[
            "Which barrier metric falls after a reform's year, and how long cross-department sharing takes to respond.",
        ],
        try_: &[
            "Move the property-rights reform from year 2 to year 4: how much collaboration is lost by the horizon?",
            "Try security governance alone: which barrier does it lower?",
        ],
    },
    zh: Panel {
        about: "在已有省级共享平台的前提下，剩下的是共享的三重障碍：不敢（质量与安全风险）、不愿（数据是议价筹码）、不能（缺钱或缺牵头）。数据制度——产权、收益分配、流通交易、安全治理——作用于前两者。",
        notice: &["改革年份之后哪一种障碍指标下降，跨部门共享需要多久才有反应。"],
        try_: &[
            "把数据产权改革从第2年推迟到第4年：到期末损失多少协同？",
            "只做安全治理改革：它降低了哪一种障碍？",
        ],
    },
};

const SECTOR: Info = Info {
    en: Panel {
        about: "Domains differ: government services and market regulation collaborate well top-down, social management lags (many cross-cutting matters, an overloaded grassroots). A provincial data agency and sector-by-sector coordination are the levers.",
        notice: &["Domain collaboration lines: the targeted domain against the others."],
        try_: &[
            "Coordinate social management only, then public services only: which gains more?",
            "Lower the sector coordination strength and see how the gap changes.",
        ],
    },
    zh: Panel {
        about: "各领域不同：政务服务和市场监管自上而下协同较好，社会治理滞后（交叉事项多、基层负担重，“上面千条线，下面一根针”）。杠杆是省级数据管理机构和分领域统筹。",
        notice: &["各领域协同曲线：被统筹的领域与其他领域对比。"],
        try_: &[
            "只统筹社会治理，再只统筹公共服务：哪个提升更多？",
            "降低分领域统筹力度，观察差距如何变化。",
        ],
    },
};

const REUSE: Info = Info {
    en: Panel {
        about: "Innovate once, reuse many times: pilots arise where capability allows and spread spontaneously to neighbours, or through provincial or national promotion (faster and cheaper adoption). Zhejiang's 'at most one trip' reform is the model case.",
        notice: &["Innovation adoption over time: spontaneous against promoted reuse."],
        try_: &[
            "Switch reuse from spontaneous to provincial promotion and compare the adoption curves.",
        ],
    },
    zh: Panel {
        about: "一地创新、多地复用：试点在能力允许的地方产生，自发扩散到邻近地区，或经省级、国家制度化推广（更快、更省）。浙江“最多跑一次”改革是典型案例。",
        notice: &["创新复用率随时间的变化：自发扩散与制度化推广对比。"],
        try_: &["把创新复用从自发扩散改为省级推广，比较复用曲线。"],
    },
};

const REGIONAL: Info = Info {
    en: Panel {
        about: "All 31 provinces down to counties. East leads, many places lag. Regional coordination — east-to-west transfers and provincial back-stopping of lagging counties — aims to narrow the disparity.",
        notice: &["Regional disparity (Theil) and the east–west gap, not only the average."],
        try_: &[
            "Turn on back-stopping for strategy B and compare disparity.",
            "Raise transfers from 0.2 to 0.4: does the average suffer while the gap narrows?",
        ],
    },
    zh: Panel {
        about: "全国31个省份，细化到县。东部领先，许多地方滞后。区域协调——东西部转移支付和省级为落后县兜底建设——旨在缩小差距。",
        notice: &["区域差异（泰尔指数）与东西部差距，而不仅是平均水平。"],
        try_: &[
            "为策略B开启省级兜底，比较区域差异。",
            "把转移支付从0.2提高到0.4：平均水平是否下降而差距缩小？",
        ],
    },
};

const BASELINE: Info = Info {
    en: Panel {
        about: "Today's arrangements in a synthetic mid-sized province: every city and county builds its own platform, no common standard, no reforms, spontaneous reuse. The reference every other scenario is compared with.",
        notice: &["Upward against downward flow, and the three sharing barriers."],
        try_: &["Change one lever at a time and watch which metric moves first."],
    },
    zh: Panel {
        about: "合成的中等规模省份的现状：各市县自建平台，无统一标准，无制度改革，创新自发扩散。其他情景都与之比较。",
        notice: &["向上与向下流动的对比，以及共享的三重障碍。"],
        try_: &["每次只改变一个杠杆，观察哪个指标最先变化。"],
    },
};

/// The panel of a preset (the general one for others).
pub fn for_preset(id: Option<&str>) -> Info {
    match id {
        Some("classroom") => CLASSROOM,
        Some("provincial-vs-local") => PROVINCIAL_VS_LOCAL,
        Some("institutions") => INSTITUTIONS,
        Some("sector-coordination") => SECTOR,
        Some("reuse") => REUSE,
        Some("regional-coordination") => REGIONAL,
        Some("baseline") => BASELINE,
        _ => GENERAL,
    }
}

/// The general panel, shown under every preset's own texts.
pub fn general() -> Info {
    GENERAL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_panel_has_both_languages_filled() {
        for id in [
            "classroom",
            "provincial-vs-local",
            "institutions",
            "sector-coordination",
            "reuse",
            "regional-coordination",
            "baseline",
            "other",
        ] {
            let i = for_preset(Some(id));
            for p in [i.en, i.zh] {
                assert!(!p.about.is_empty() && !p.notice.is_empty() && !p.try_.is_empty());
            }
            assert_eq!(i.en.notice.len(), i.zh.notice.len(), "{id}");
            assert_eq!(i.en.try_.len(), i.zh.try_.len(), "{id}");
        }
    }
}
