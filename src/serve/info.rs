//! The "About this model / What to notice / Things to try" panel of each
//! preset, in English and Chinese (like NetLogo's Info tab).
//!
//! Rules: texts point students at what to look for and which lever to move;
//! they never state result numbers — every number on the page comes from
//! the run — and every direction they state ("falls", "higher under B") is
//! checked against the API's paired intervals by the browser test
//! (e2e/claims.mjs), so a model change that breaks a lesson fails CI. A scenario without its own texts (an uploaded file) gets the
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
            "Upward flow (data reported to the level above) is easier than downward flow (data returned to counties and townships), under every strategy.",
            "Collaboration combines flow across levels, sharing across departments and usability across systems: each unit's index lies between its weakest and its strongest part, and the weakest part — cross-department sharing — holds it down.",
        ],
        try_: &[
            "Make B a copy of A (same levers) and run: every difference is 0. Then change one lever of B only: the difference is that lever's effect, with its interval.",
            "Raise the replicates from 10 to 50: the interval of the difference narrows, the band does not (it shows how much single runs differ, and more runs show more of the extremes).",
        ],
    },
    zh: Panel {
        about: "条块模拟器按季度模拟一个省的条线部门（条）与属地政府（块）在某种策略下如何共享数据。每次运行在同一个世界中用不同随机数重复多次；曲线周围的色带表示90%的重复结果所在范围。",
        notice: &[
            "无论哪种策略，向上流动（向上级报送数据）都比向下流动（数据回流到县和乡镇）容易。",
            "协同由跨层级流动、跨部门共享和跨系统可用三部分组成：每个单位的指数介于其最弱和最强的部分之间，最弱的部分——跨部门共享——拉低了指数。",
        ],
        try_: &[
            "让B与A完全相同（杠杆一致）后运行：所有差值都是0。然后只改变B的一个杠杆：差值就是这个杠杆的作用及其区间。",
            "把重复次数从10增加到50：差值的区间变窄，色带却不变窄（色带表示单次运行之间的差异，运行越多越能看到极端情况）。",
        ],
    },
};

const CLASSROOM: Info = Info {
    en: Panel {
        about: "A small demo province (6 cities, about 3 counties each, about 4 townships per county). Strategy A: every city and county builds its own data-exchange platform. Strategy B: the province builds once, with one standard, and everyone connects. It runs in well under a second, so change levers freely.",
        notice: &[
            "Set Show to B − A: purple units are where B's collaboration is higher. Play from the start: B's lead is small in the first year and grows as its common standard moves the departments' legacy systems onto it.",
            "Compare total cost and duplicate platforms, not only collaboration: B builds far fewer platforms and costs less.",
            "Cross-system usability is higher under B: local platforms on different standards make shared data partly unusable — play to the end and watch the dotted and dashed links under A.",
        ],
        try_: &[
            "Give strategy A a provincial standard (Data standards) and run again: the usability gap almost closes and B's lead in collaboration is gone — yet B still costs less.",
            "Give A a data property-rights reform (strength 0.8, year 2), run, and compare with the earlier run under Earlier runs: only 'unwilling to share' falls; 'dare not' does not move.",
            "Cut the budget level to 0.5 for A, run, then for B instead: both lose collaboration, whoever builds the platforms.",
        ],
    },
    zh: Panel {
        about: "一个小型演示省（6个市，每市约3个县，每县约4个乡镇）。策略A：各市县各自建设数据交换平台；策略B：省级统一建设一次、统一标准、全员接入。运行不到一秒，可随意调整杠杆。",
        notice: &[
            "把“显示”设为 B − A：紫色的单位表示B的协同指数更高。从头播放：B的领先在第一年很小，随着统一标准把各部门的遗留系统迁移到共同标准上而扩大。",
            "不仅比较协同指数，也比较总成本和重复建设平台数：B建设的平台少得多，成本也更低。",
            "B的跨系统可用性更高：标准不一的本地平台使共享数据部分不可用——播放到最后，观察A中的点线和虚线。",
        ],
        try_: &[
            "给策略A设置省级统一标准（数据标准）后再运行：可用性差距几乎消失，B在协同上的领先也随之消失——但B的成本仍然更低。",
            "给A设置数据产权改革（力度0.8，第2年），运行后在“历次运行”中与上一次比较：只有“不愿共享”下降，“不敢共享”不变。",
            "先把A的投入水平降到0.5运行，再改为只降B：无论由谁建设平台，两者的协同都会下降。",
        ],
    },
};

const PROVINCIAL_VS_LOCAL: Info = Info {
    en: Panel {
        about: "The headline comparison of platform deployment in a mid-sized synthetic province: local builds, city-level builds, provincial centralisation, and a hybrid where the province builds and cities customise. Every strategy sees the same world and the same random draws, so differences are paired.",
        notice: &[
            "Provincial centralisation against local builds: higher collaboration and cross-system usability, far lower cost and far fewer duplicate platforms.",
            "Platform fit: one provincial platform fits diverse places less well than local builds; the hybrid, where cities customise, fits better than the provincial platform.",
        ],
        try_: &[
            "Compare provincial (A) with hybrid (B): better platform fit and a little more collaboration, for more money.",
            "Set standards to national for local builds and compare with provincial: the standard alone more than closes the collaboration gap, but the extra cost and the duplicate platforms stay.",
        ],
    },
    zh: Panel {
        about: "在一个中等规模的合成省中比较平台部署方式：本地自建、市级建设、省级统建，以及省建市配（省级建设、地市定制）。各策略面对同一个世界和同一组随机数，因此差异是配对比较。",
        notice: &[
            "省级统建与本地自建相比：协同指数和跨系统可用性更高，成本低得多，重复建设平台少得多。",
            "平台适配度：单一省级平台对差异很大的地方的适配不如本地自建；省建市配允许地市定制，适配度高于省级统建。",
        ],
        try_: &[
            "把省级统建设为A、省建市配设为B：平台适配度更好、协同略高，但花费更多。",
            "为本地自建设置全国统一标准并与省级统建比较：仅靠标准就足以弥补协同差距，但额外成本和重复建设平台依然存在。",
        ],
    },
};

const INSTITUTIONS: Info = Info {
    en: Panel {
        about: "With a shared provincial platform in place, what is left are the three barriers to sharing: dare not (quality and security risk), unwilling (data as bargaining power) and unable (no money or lead). Data institutions — property rights, revenue distribution, circulation and security governance — act on the first two.",
        notice: &[
            "No reform (A) against all reforms (B): 'dare not' and 'unwilling' fall, 'unable' does not; cross-department sharing responds only after the reforms' year (year 2), not before.",
        ],
        try_: &[
            "Move B's property-rights reform from year 2 to year 4: B loses collaboration while it waits, then catches up part of the way by the horizon.",
            "Try security governance alone (security-only as B): only 'dare not' falls.",
        ],
    },
    zh: Panel {
        about: "在已有省级共享平台的前提下，剩下的是共享的三重障碍：不敢（质量与安全风险）、不愿（数据是议价筹码）、不能（缺钱或缺牵头）。数据制度——产权、收益分配、流通交易、安全治理——作用于前两者。",
        notice: &[
            "不改革（A）与全部改革（B）相比：“不敢共享”和“不愿共享”下降，“不能共享”不变；跨部门共享只在改革年份（第2年）之后才有反应，之前没有。",
        ],
        try_: &[
            "把B的数据产权改革从第2年推迟到第4年：B在等待期间损失协同，到期末只追回一部分。",
            "只做安全治理改革（把安全治理设为B）：只有“不敢共享”下降。",
        ],
    },
};

const SECTOR: Info = Info {
    en: Panel {
        about: "Domains differ: government services and market regulation collaborate well top-down, social management lags (many cross-cutting matters, an overloaded grassroots). A provincial data agency and sector-by-sector coordination are the levers.",
        notice: &[
            "The coordinated domain gains most: compare social-sector (A) with services-sector (B) and set Show to B − A — social management is higher under A, public services higher under B.",
        ],
        try_: &[
            "Compare none with social-sector, then none with services-sector: coordinating social management raises the overall index more.",
            "Lower the sector coordination strength of social-sector to 0.5: its gain in social management shrinks.",
        ],
    },
    zh: Panel {
        about: "各领域不同：政务服务和市场监管自上而下协同较好，社会治理滞后（交叉事项多、基层负担重，“上面千条线，下面一根针”）。杠杆是省级数据管理机构和分领域统筹。",
        notice: &[
            "被统筹的领域提升最多：比较社会治理统筹（A）与公共服务统筹（B），把“显示”设为 B − A——社会治理在A下更高，公共服务在B下更高。",
        ],
        try_: &[
            "先比较不统筹与社会治理统筹，再比较不统筹与公共服务统筹：统筹社会治理使总体指数提升更多。",
            "把社会治理统筹的分领域统筹力度降到0.5：社会治理领域的提升变小。",
        ],
    },
};

const REUSE: Info = Info {
    en: Panel {
        about: "Innovate once, reuse many times: pilots arise where capability allows and spread spontaneously to neighbours, or through provincial or national promotion (faster and cheaper adoption). Zhejiang's 'at most one trip' reform is the model case.",
        notice: &[
            "Innovation adoption over time: provincial promotion pulls further ahead of spontaneous diffusion year after year.",
        ],
        try_: &[
            "Compare spontaneous (A) with provincial (B) on Innovation adoption and on Total cost: more adoption, for less money — a promoted adoption comes with a template, a spontaneous one is re-developed.",
        ],
    },
    zh: Panel {
        about: "一地创新、多地复用：试点在能力允许的地方产生，自发扩散到邻近地区，或经省级、国家制度化推广（更快、更省）。浙江“最多跑一次”改革是典型案例。",
        notice: &["创新复用率随时间的变化：省级推广逐年拉开与自发扩散的差距。"],
        try_: &[
            "在创新复用率和总成本上比较自发扩散（A）与省级推广（B）：复用更多，花费反而更少——推广的复用附带模板，自发的复用需要重新开发。",
        ],
    },
};

const REGIONAL: Info = Info {
    en: Panel {
        about: "All 31 provinces down to counties. East leads, many places lag. Regional coordination — east-to-west transfers and provincial back-stopping of lagging counties — aims to narrow the disparity.",
        notice: &[
            "Regional disparity (Theil) and the east–west gap, not only the average: against none (A), transfers-backstop (B) narrows the east–west gap, while disparity across all counties barely moves.",
        ],
        try_: &[
            "Compare none (A) with backstop (B): disparity barely moves — transfers already co-fund the lagging counties' own platforms, so building for them adds little.",
            "Raise transfers from 0.2 to 0.4: the east–west gap narrows while average maturity barely moves.",
        ],
    },
    zh: Panel {
        about: "全国31个省份，细化到县。东部领先，许多地方滞后。区域协调——东西部转移支付和省级为落后县兜底建设——旨在缩小差距。",
        notice: &[
            "看区域差异（泰尔指数）与东西部差距，而不仅是平均水平：与不协调（A）相比，转移支付加兜底（B）缩小了东西部差距，而全部县之间的差异几乎不变。",
        ],
        try_: &[
            "比较不协调（A）与省级兜底（B）：区域差异几乎不变——转移支付已经为落后县自建平台提供了共同出资，省级代建的作用很小。",
            "把转移支付从0.2提高到0.4：东西部差距缩小，而平均成熟度几乎不变。",
        ],
    },
};

const BASELINE: Info = Info {
    en: Panel {
        about: "Today's arrangements in a synthetic mid-sized province: every city and county builds its own platform, no common standard, no reforms, spontaneous reuse. The reference every other scenario is compared with.",
        notice: &[
            "Upward flow is easier than downward flow, and cross-department sharing is the weakest of the three parts of collaboration.",
        ],
        try_: &[
            "Give the strategy a provincial standard (Data standards), run, and compare with the first run under Earlier runs: cross-system usability rises.",
        ],
    },
    zh: Panel {
        about: "合成的中等规模省份的现状：各市县自建平台，无统一标准，无制度改革，创新自发扩散。其他情景都与之比较。",
        notice: &["向上流动比向下流动容易，跨部门共享是协同三部分中最弱的一环。"],
        try_: &[
            "给该策略设置省级统一标准（数据标准），运行后在“历次运行”中与第一次比较：跨系统可用性上升。",
        ],
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
