//! Words of the report and the workbook, in English and Chinese: sheet
//! names, section headings, chart titles, axis labels and the captions that
//! tell a student what to notice.
//!
//! Rules: every string a reader sees in `results.xlsx` or `report.html`
//! that is not a metric, department, domain, level, region or province name
//! (those live in the rest of the catalogue and the metrics registry) is a
//! constant here. Templates mark the places the report fills with computed
//! values as `{name}`; [`Text::fill`] replaces them.

use super::Lang;

/// One piece of text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.en, self.zh)
    }
    /// The text in `lang` with each `{key}` replaced by its value.
    pub fn fill(self, lang: Lang, values: &[(&str, &str)]) -> String {
        let mut s = self.get(lang).to_string();
        for (k, v) in values {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}

const fn t(en: &'static str, zh: &'static str) -> Text {
    Text { en, zh }
}

// ---- workbook sheets -------------------------------------------------------

pub const SHEET_SUMMARY: Text = t("Summary", "汇总");
pub const SHEET_COMPARE: Text = t("Compare", "策略比较");
pub const SHEET_TIMESERIES: Text = t("Time series", "时间序列");
pub const SHEET_REGIONS: Text = t("Regions", "区域");
pub const SHEET_PARAMETERS: Text = t("Parameters", "参数");
pub const SHEET_ABOUT: Text = t("About", "说明");

pub const ABOUT_SUMMARY: Text = t(
    "Each strategy's headline metrics at the horizon (end of the last year), over replicates: mean and 95% confidence interval of the mean; a line chart of the collaboration index by year.",
    "各策略在模拟期末（最后一年年末）的核心指标：各重复运行的均值及均值的95%置信区间；附条块协同指数逐年折线图。",
);
pub const ABOUT_COMPARE: Text = t(
    "Paired differences against the baseline strategy at the horizon: replicate r of a strategy minus replicate r of the baseline (both use the same random seed), mean and 95% interval.",
    "模拟期末与基准策略的配对差值：某策略第r次重复减去基准策略第r次重复（二者使用相同随机种子），给出均值及95%置信区间。",
);
pub const ABOUT_TIMESERIES: Text = t(
    "World scope (the whole simulated territory), mean over replicates of every metric, one row per strategy and quarter.",
    "全域（整个模拟区域）各指标的重复运行均值，每个策略每个季度一行。",
);
pub const ABOUT_REGIONS: Text = t(
    "Headline metrics per province, region group, level and rank at the horizon, mean over replicates, per strategy.",
    "模拟期末各省、区域、层级与行政级别的核心指标（重复运行均值），按策略列出。",
);
pub const ABOUT_PARAMETERS: Text = t(
    "Every resolved scenario parameter (defaults filled in), one row per key, as the simulator used it.",
    "模拟所用的全部已解析情景参数（含默认值），每个参数一行。",
);
pub const ABOUT_CITE: Text = t(
    "How to cite: tiaokuai {version}, scenario \"{scenario}\" (sha256 {sha}), seed {seed}, {replicates} replicates.",
    "引用方式：tiaokuai {version}，情景“{scenario}”（sha256 {sha}），随机种子 {seed}，重复 {replicates} 次。",
);
pub const NO_BASELINE: Text = t(
    "The scenario names no baseline strategy, so there are no paired differences. Set `baseline = \"...\"` in the scenario's [run] table to get them.",
    "情景未指定基准策略，因此没有配对差值。在情景文件的 [run] 表中设置 `baseline = \"...\"` 即可得到。",
);

pub const ITEM_TOOL: Text = t("Tool version", "工具版本");
pub const ITEM_SCENARIO: Text = t("Scenario", "情景");
pub const ITEM_DESCRIPTION: Text = t("Description", "描述");
pub const ITEM_FILE: Text = t("Scenario file", "情景文件");
pub const ITEM_SHA: Text = t("Scenario SHA-256", "情景文件SHA-256");
pub const ITEM_SEED: Text = t("Master seed", "主随机种子");
pub const ITEM_REPLICATES: Text = t("Replicates", "重复次数");
pub const ITEM_YEARS: Text = t("Years simulated", "模拟年数");
pub const ITEM_STRATEGIES: Text = t("Strategies", "策略");
pub const ITEM_PRESET: Text = t("World preset", "世界预设");
pub const ITEM_CITE: Text = t("How to cite", "引用方式");
pub const ITEM_SHEETS: Text = t("Sheets", "工作表");
pub const CHART_SUMMARY: Text = t("{metric} by year", "{metric}逐年变化");

// ---- column headings ---------------------------------------------------------

pub const COL_STRATEGY: Text = t("Strategy", "策略");
pub const COL_METRIC: Text = t("Metric", "指标");
pub const COL_UNIT: Text = t("Unit", "单位");
pub const COL_MEAN: Text = t("Mean", "均值");
pub const COL_CI_LOW: Text = t("95% CI low", "95%置信下限");
pub const COL_CI_HIGH: Text = t("95% CI high", "95%置信上限");
pub const COL_DIFF: Text = t("Difference vs baseline", "与基准之差");
pub const COL_N: Text = t("Replicates", "重复次数");
pub const COL_YEAR: Text = t("Year", "年");
pub const COL_QUARTER: Text = t("Quarter", "季度");
pub const COL_SCOPE_LEVEL: Text = t("Scope level", "范围类型");
pub const COL_SCOPE: Text = t("Scope", "范围");
pub const COL_KEY: Text = t("Parameter", "参数");
pub const COL_VALUE: Text = t("Value", "取值");
pub const COL_ITEM: Text = t("Item", "项目");
pub const COL_BASELINE: Text = t("Baseline", "基准策略");

pub const SCOPE_WORLD: Text = t("Whole territory", "全域");
pub const SCOPE_LEVEL: Text = t("Level", "层级");
pub const SCOPE_REGION: Text = t("Region group", "区域");
pub const SCOPE_PROVINCE: Text = t("Province", "省份");
pub const SCOPE_RANK: Text = t("Rank", "行政级别");

// ---- report sections ---------------------------------------------------------

pub const REPORT_TITLE: Text = t("Simulation report", "模拟报告");
pub const SEC_SCENARIO: Text = t("The scenario in plain words", "情景概述");
pub const SEC_COMPARISON: Text = t("Strategies compared", "策略比较");
pub const SEC_TIME: Text = t("How things change over time", "随时间的变化");
pub const SEC_COLLAB: Text = t("Where collaboration happens", "协同发生在哪里");
pub const SEC_REGIONS: Text = t("The regional picture", "区域格局");
pub const SEC_INNOVATION: Text = t("Innovate once, reuse many times", "一地创新、多地复用");

pub const SCENARIO_LINE: Text = t(
    "Scenario \"{name}\" simulates {years} years, quarter by quarter, for {n} strategies, each repeated {replicates} times with different random draws (master seed {seed}).",
    "情景“{name}”按季度模拟 {years} 年，比较 {n} 个策略，每个策略用不同随机数重复运行 {replicates} 次（主随机种子 {seed}）。",
);
pub const WORLD_LINE: Text = t(
    "The simulated world ({preset} preset) holds {units} territorial governments ({levels}), {departments} departments and {links} data links between them.",
    "模拟世界（{preset}预设）包含 {units} 个地方政府（{levels}），{departments} 个部门，以及它们之间的 {links} 条数据联系。",
);
pub const DRAW_PER_REPLICATE: Text = t(
    "Each replicate drew its own world (unobserved attributes, needs and populations; for the synthetic province also its numbers of counties and townships, so the counts above are the first replicate's), and every strategy of a replicate met that same world and the same random draws: intervals below cover the uncertainty of the world as well as exchange noise, and differences between strategies are paired.",
    "每次重复各自抽取一个世界（未观测的属性、需求与人口；合成省份还包括各市的县数和各县的乡镇数，上面的数量是第一次重复的），同一次重复中的所有策略面对同一个世界和同一组随机数：下文的区间涵盖世界的不确定性与交换噪声，策略之间的差值是配对的。",
);
pub const DRAW_FIXED: Text = t(
    "All replicates shared one drawn world (run.world = \"fixed\"): intervals below cover exchange noise in that world only, not the uncertainty of the world itself.",
    "所有重复共用一个抽取的世界（run.world = \"fixed\"）：下文的区间只涵盖该世界中的交换噪声，不涵盖世界本身的不确定性。",
);
pub const STRATEGIES_LINE: Text = t(
    "The strategies and the settings in which they differ:",
    "各策略及其不同的设置：",
);
pub const STRATEGIES_SAME: Text = t(
    "(no setting differs from the other strategies)",
    "（与其他策略的设置相同）",
);
pub const BASELINE_LINE: Text = t(
    "Differences are measured against the baseline strategy \"{baseline}\".",
    "差值均相对于基准策略“{baseline}”计算。",
);
pub const TABLE_NOTE: Text = t(
    "Mean over replicates at the end of year {years}, with the 95% confidence interval of the mean in brackets. The best strategy on each metric is highlighted, and with it every strategy tied with it (the 95% interval of their paired difference includes zero).",
    "第 {years} 年末各重复运行的均值，括号内为均值的95%置信区间。每项指标表现最好的策略以底色标出，与其不相上下的策略（两者配对差值的95%置信区间包含零）也一并标出。",
);
pub const DIFF_NOTE: Text = t(
    "Paired difference from the baseline \"{baseline}\" (same random seeds): mean and 95% interval. Highlighted when the whole interval lies on the better side of zero.",
    "与基准策略“{baseline}”的配对差值（相同随机种子）：均值及95%置信区间。若整个区间都位于更优一侧则以底色标出。",
);
pub const SCENARIO_FILE: Text = t(
    "The scenario file of this run (scenario.toml)",
    "本次运行的情景文件（scenario.toml）",
);
pub const GENERATED_BY: Text = t(
    "Generated by tiaokuai {version} from run directory \"{dir}\".",
    "由 tiaokuai {version} 根据运行目录“{dir}”生成。",
);

// ---- charts ------------------------------------------------------------------

pub const AXIS_YEAR: Text = t("Year", "年份");
pub const AXIS_STRATEGY: Text = t("Strategy", "策略");
pub const AXIS_DOMAIN_COLLAB: Text = t("Domain collaboration", "领域协同");
pub const AXIS_FLOW: Text = t("Share of exchanges that succeed", "数据交换成功比例");
pub const LEGEND_BAND: Text = t(
    "line: mean over replicates; band: 5th–95th percentile",
    "线：重复运行均值；色带：5%–95%分位区间",
);
pub const LEGEND_NO_DATA: Text = t("no data", "无数据");

pub const CHART_FAN: Text = t("{metric} over time", "{metric}随时间变化");
pub const CAPTION_FAN: Text = t(
    "Each line is one strategy; the shaded band shows where 90% of the replicates fall. Bands show how much single replicates vary; every strategy runs on the same draws, so whether one strategy beats another is read from their paired difference, replicate by replicate, not from whether the bands overlap.",
    "每条线代表一个策略；色带表示90%的重复运行结果落在其中。色带反映单次运行的波动；各策略使用相同的随机抽样，因此一个策略是否优于另一个，应看两者逐次配对的差值，而不是看色带是否重叠。",
);
/// The leading strategy is ahead of the runner-up: the paired interval excludes zero.
pub const LEAD_AHEAD: Text = t(
    "At the end of year {years} \"{a}\" leads \"{b}\" by {diff} (paired 95% interval [{lo}, {hi}]; ahead in {wins} of {n} replicates).",
    "第 {years} 年末，“{a}”领先“{b}”{diff}（配对差值95%置信区间 [{lo}, {hi}]；在 {n} 次重复运行中有 {wins} 次领先）。",
);
/// The two leading strategies cannot be told apart: the paired interval covers zero.
pub const LEAD_TIED: Text = t(
    "At the end of year {years} \"{a}\" and \"{b}\" are tied on this metric: the 95% interval of their paired difference, [{lo}, {hi}], includes zero.",
    "第 {years} 年末，“{a}”与“{b}”在该指标上不相上下：两者配对差值的95%置信区间 [{lo}, {hi}] 包含零。",
);
/// Every strategy has the same value in every replicate.
pub const LEAD_IDENTICAL: Text = t(
    "At the end of year {years} all strategies have the same value in every replicate.",
    "第 {years} 年末，各策略在每次重复运行中的取值都相同。",
);
pub const CHART_DOMAINS: Text = t("Collaboration by domain", "各领域协同水平");
pub const CAPTION_DOMAINS: Text = t(
    "Domains that need many departments at once and overload the grassroots (such as social management) collaborate less than those with an existing top-down push (such as public services). Here the weakest domain is \"{weakest}\" and the strongest \"{strongest}\" (averaged over strategies).",
    "需要众多部门同时参与、基层负担重的领域（如社会管理）协同水平低于已有自上而下推动的领域（如公共服务）。本次运行中最弱的领域是“{weakest}”，最强的是“{strongest}”（各策略平均）。",
);
pub const CHART_FLOWS: Text = t(
    "Data flow: up, down and across",
    "数据流动：向上、向下与横向",
);
pub const CAPTION_FLOWS: Text = t(
    "Under hierarchy data flows up more easily than back down to counties and townships. Compare the three bars of each strategy: a strategy that narrows the gap between \"up\" and \"down\" helps the grassroots. Averaged over strategies, up minus down is {gap}.",
    "在层级体制下，数据向上流动比回流到县乡更容易。比较每个策略的三根柱子：缩小“向上”与“向下”差距的策略对基层更有帮助。各策略平均，向上减向下为 {gap}。",
);
pub const CHART_EFFICIENCY: Text = t(
    "Cost and collaboration: the efficiency picture",
    "成本与协同：效率图",
);
pub const CAPTION_EFFICIENCY: Text = t(
    "Each point is a strategy, with whiskers showing the 95% interval on both axes. Up and to the left is better: more collaboration for less money. \"{best}\" buys the most collaboration per million yuan.",
    "每个点代表一个策略，须线表示两个方向上的95%置信区间。越靠左上越好：花钱更少、协同更高。“{best}”每百万元换来的协同最多。",
);
pub const CHART_MAP: Text = t("Maturity by province: {strategy}", "各省成熟度：{strategy}");
pub const CAPTION_MAP: Text = t(
    "Each square is a province, placed roughly where it lies on the map of China; darker means more mature at the end of the run. Look for the east–west pattern and whether a strategy narrows it. Under \"{strategy}\" the most mature province is {top} and the least mature {bottom}.",
    "每个方块代表一个省份，大致按其地理位置排列；颜色越深表示期末成熟度越高。注意东西部差异，以及某个策略是否缩小了差异。在“{strategy}”下，成熟度最高的是{top}，最低的是{bottom}。",
);
pub const CHART_REGION_BARS: Text = t("{metric} by {scope}", "各{scope}的{metric}");
pub const CAPTION_REGION_BARS: Text = t(
    "One group of bars per {scope}, one bar per strategy, at the end of the run. Places that start behind usually stay behind unless a strategy targets them.",
    "每组柱子代表一个{scope}，每根柱子代表一个策略，取期末值。起点落后的地方通常一直落后，除非策略专门向其倾斜。",
);
pub const CHART_ADOPTION: Text = t("Innovation adoption over time", "创新复用率随时间变化");
pub const CAPTION_ADOPTION: Text = t(
    "The share of units that have adopted a reused innovation, per strategy. {shape}",
    "各策略下已复用创新的单位比例。{shape}",
);
/// Shapes of the leading adoption curve, as measured from its yearly increases.
pub const SHAPE_S_CURVE: Text = t(
    "The leading curve rises slowly, then quickly, then levels off: an S-curve.",
    "领先的曲线先慢后快、最后趋于平稳，呈S形。",
);
pub const SHAPE_PLATEAU: Text = t(
    "The leading curve rose early and has levelled off.",
    "领先的曲线早期上升，此后趋于平稳。",
);
pub const SHAPE_RISING: Text = t(
    "The leading curve is still rising at the horizon; neither an S-shape nor a plateau shows within the run.",
    "领先的曲线到期末仍在上升；在模拟期内既未呈现S形，也未出现平台期。",
);
pub const SHAPE_FLAT: Text = t(
    "The curves hardly move over the run.",
    "各曲线在模拟期内几乎没有变化。",
);

// ---- strategy levers -----------------------------------------------------------

/// Short names of the strategy levers (the long descriptions are
/// [`super::LEVERS`]), for labelling the settings in which strategies differ.
pub const LEVER_NAMES: [(&str, Text); 7] = [
    ("platforms", t("Platform deployment", "平台部署")),
    ("standards", t("Data standards", "数据标准")),
    ("investment", t("Investment", "投入")),
    ("institutions", t("Institutional reforms", "制度改革")),
    ("coordination", t("Coordination", "统筹协调")),
    ("regional", t("Regional support", "区域协作")),
    ("reuse", t("Innovation reuse", "创新复用")),
];

// ---- errors shown to users ----------------------------------------------------

pub const NOT_A_RUN_DIR: Text = t(
    "not a run directory (no manifest.json)",
    "不是运行目录（缺少 manifest.json）",
);

// ---- calibration report -------------------------------------------------

pub const CAL_TITLE: Text = t("Calibration report", "校准报告");
pub const CAL_GENERATED_BY: Text = t(
    "Generated by tiaokuai {version} from the calibration folder “{dir}”.",
    "由 tiaokuai {version} 根据校准目录“{dir}”生成。",
);
pub const CAL_SEC_RUN: Text = t("The calibration", "校准设置");
pub const CAL_RUN_TEXT: Text = t(
    "ABC-SMC (approximate Bayesian computation with sequential Monte Carlo) fitted {params} parameters of {scenario} to the {targets} targets of {targets_file}: {particles} particles, {generations} generations after the prior sample, seed {seed}, {replicates} replicate(s) averaged per simulation; {simulations} simulations in all, final tolerance {tolerance} (root mean square z-score).",
    "用 ABC-SMC（近似贝叶斯计算，序贯蒙特卡洛）将 {scenario} 的 {params} 个参数拟合到 {targets_file} 的 {targets} 个目标：每代 {particles} 个粒子，先验抽样之后 {generations} 代，种子 {seed}，每次模拟平均 {replicates} 次重复；共模拟 {simulations} 次，最终容差 {tolerance}（z 分数的均方根）。",
);
pub const CAL_INCOMPLETE: Text = t(
    "This calibration has not finished: the figures below are those of its last saved generation.",
    "本次校准尚未完成：以下数字来自最后保存的一代。",
);
pub const CAL_SEC_PARAMS: Text = t(
    "Prior and posterior of each parameter",
    "各参数的先验与后验",
);
pub const CAL_PARAMS_NOTE: Text = t(
    "Prior quantiles are those of the prior distribution; posterior quantiles are weighted quantiles of the last generation's particles. The width ratio is the posterior 90% interval's width over the prior's: the smaller it is, the more the targets say about the parameter.",
    "先验分位数取自先验分布；后验分位数是最后一代粒子的加权分位数。宽度比为后验 90% 区间宽度与先验 90% 区间宽度之比：越小，目标对该参数的约束越强。",
);
pub const CAL_COL_PARAMETER: Text = t("Parameter", "参数");
pub const CAL_COL_PRIOR: Text = t("Prior", "先验");
pub const CAL_COL_PRIOR_MEDIAN: Text = t("Prior median", "先验中位数");
pub const CAL_COL_PRIOR_90: Text = t("Prior 90% interval", "先验 90% 区间");
pub const CAL_COL_POST_MEDIAN: Text = t("Posterior median", "后验中位数");
pub const CAL_COL_POST_90: Text = t("Posterior 90% interval", "后验 90% 区间");
pub const CAL_COL_WIDTH: Text = t("Width ratio", "宽度比");
pub const CAL_LEGEND_PRIOR: Text = t("prior draws (generation 0)", "先验抽样（第 0 代）");
pub const CAL_LEGEND_POST: Text = t(
    "posterior (generation {g}, weighted)",
    "后验（第 {g} 代，加权）",
);
pub const CAL_AXIS_SHARE: Text = t("share of particles", "粒子占比");
pub const CAL_CAPTION_PARAM: Text = t(
    "Histograms over {bins} equal bins between the smallest and largest value drawn: the {n0} prior draws of generation 0 (each counted once) and the {n} particles of generation {g} (counted by weight). Dashed lines: medians.",
    "在抽到的最小值与最大值之间分 {bins} 个等宽区间的直方图：第 0 代的 {n0} 个先验抽样（各计一次）与第 {g} 代的 {n} 个粒子（按权重计）。虚线：中位数。",
);
pub const CAL_SEC_FIT: Text = t("Observed and simulated targets", "目标的观测值与模拟值");
pub const CAL_FIT_NOTE: Text = t(
    "The posterior-predictive mean and 90% interval are the weighted mean and 5%/95% quantiles of the last generation's simulated values; z = (predictive mean − observed) / sd. Targets marked holdout were never used in fitting.",
    "后验预测均值与 90% 区间为最后一代模拟值的加权均值与 5%/95% 分位数；z =（预测均值 − 观测值）/ 标准差。标为“留出”的目标从未用于拟合。",
);
pub const CAL_FOREST_TITLE: Text = t(
    "Targets in units of their observation sd",
    "以观测标准差为单位的各目标",
);
pub const CAL_FOREST_AXIS: Text = t("(simulated − observed) / sd", "（模拟值 − 观测值）/ 标准差");
pub const CAL_CAPTION_FOREST: Text = t(
    "Dots: z of the posterior-predictive mean; lines: its 90% interval, on the same scale. 0 is the observed value; the grey band (±1.645) is the observation's own 90% interval.",
    "圆点：后验预测均值的 z 分数；横线：同一尺度上的 90% 区间。0 为观测值；灰带（±1.645）为观测本身的 90% 区间。",
);
pub const CAL_COL_TARGET: Text = t("Target", "目标");
pub const CAL_COL_USED: Text = t("Used", "用途");
pub const CAL_USED_FIT: Text = t("fit", "拟合");
pub const CAL_USED_HOLDOUT: Text = t("holdout", "留出");
pub const CAL_COL_OBSERVED: Text = t("Observed", "观测值");
pub const CAL_COL_SD: Text = t("sd", "标准差");
pub const CAL_COL_PRED_MEAN: Text = t("Predictive mean", "预测均值");
pub const CAL_COL_PRED_90: Text = t("Predictive 90% interval", "预测 90% 区间");
pub const CAL_COL_Z: Text = t("z", "z");
pub const CAL_SEC_SCHEDULE: Text = t("Tolerance schedule", "容差序列");
pub const CAL_SCHEDULE_NOTE: Text = t(
    "Generation 0 keeps every prior draw (tolerance ∞); each later generation's tolerance is the smallest that keeps the effective sample size of the reweighted particles at least alpha times the previous one's (never below --min-tolerance). ESS: effective sample size after reweighting; resampled: whether the particles were resampled; simulations: model runs of the generation; accepted: proposals accepted; distinct: different parameter vectors among the particles after the move; distinct ESS: effective sample size with copies of one vector pooled.",
    "第 0 代保留全部先验抽样（容差 ∞）；此后每代的容差取能使重新加权后的有效样本量不低于上一代 alpha 倍的最小值（不低于 --min-tolerance）。ESS：重新加权后的有效样本量；重抽样：粒子是否重抽样；模拟次数：该代运行模型的次数；接受数：被接受的提议数；不同粒子数：移动后粒子中互不相同的参数向量个数；去重 ESS：把同一向量的副本合并后的有效样本量。",
);
pub const CAL_SCHEDULE_TITLE: Text = t("Tolerance by generation", "各代容差");
pub const CAL_AXIS_GENERATION: Text = t("generation", "代");
pub const CAL_AXIS_TOLERANCE: Text = t("tolerance (RMS z-score)", "容差（z 分数均方根）");
pub const CAL_CAPTION_SCHEDULE: Text = t(
    "The tolerance of generations 1 to {g}, as written in schedule.csv.",
    "第 1 至 {g} 代的容差，取自 schedule.csv。",
);
pub const CAL_COL_GENERATION: Text = t("Generation", "代");
pub const CAL_COL_TOLERANCE: Text = t("Tolerance", "容差");
pub const CAL_COL_ESS: Text = t("ESS", "ESS");
pub const CAL_COL_RESAMPLED: Text = t("Resampled", "重抽样");
pub const CAL_COL_SIMULATIONS: Text = t("Simulations", "模拟次数");
pub const CAL_COL_ACCEPTED: Text = t("Accepted", "接受数");
pub const CAL_COL_DISTINCT: Text = t("Distinct", "不同粒子数");
pub const CAL_COL_DISTINCT_ESS: Text = t("Distinct ESS", "去重 ESS");
pub const CAL_YES: Text = t("yes", "是");
pub const CAL_NO: Text = t("no", "否");
pub const CAL_SEC_SCORES: Text = t("Out-of-sample scores", "样本外评分");
pub const CAL_SCORES_NOTE: Text = t(
    "From holdout.csv (targets never fitted) and crossval.csv (K-fold cross-validation over provinces), as written by `tiaokuai calibrate`.",
    "取自 holdout.csv（从未拟合的目标）与 crossval.csv（按省份 K 折交叉验证），由 `tiaokuai calibrate` 写出。",
);

// ---- role-play session: workbook and report ---------------------------------

pub const SHEET_CHOICES: Text = t("Choices", "选择");
pub const SHEET_TRAJECTORY: Text = t("Trajectory", "全班轨迹");
pub const SHEET_CLASS_COMPARE: Text = t("Class vs strategies", "全班与策略对比");
pub const SHEET_DEBRIEF: Text = t("Debrief", "复盘");
pub const ABOUT_CHOICES: Text = t(
    "One row per year and role: who played it, the choice in force that year (empty: the class strategy's), its points, and the role's results at the end of that year in the world on the teacher's screen (replicate 0).",
    "每年每个角色一行：扮演者、当年生效的选择（空白表示沿用课堂默认策略）、所用点数，以及该年年末本角色在教师屏幕上的世界（第0个重复）中的结果。",
);
pub const ABOUT_TRAJECTORY: Text = t(
    "Each followed metric year by year: the class's mean over the replicates and each scripted strategy's mean on the same worlds and draws; below, the collaboration index with a line chart.",
    "各跟踪指标逐年的值：全班在各重复上的均值，以及每个脚本策略在相同世界和随机抽样下的均值；下方为协同指数及其折线图。",
);
pub const ABOUT_CLASS_COMPARE: Text = t(
    "At the last year played, per strategy and metric: the class's mean, the strategy's mean, the mean paired difference class − strategy over the replicates with its 95% interval, and the verdict by the metric's direction.",
    "在已进行的最后一年，按策略和指标：全班均值、策略均值、全班 − 策略的配对差值均值（跨重复）及其95%区间，以及按指标方向给出的判断。",
);
pub const ABOUT_DEBRIEF: Text = t(
    "Per role: rounds shared, rounds played, points spent, results, and whether it free-rode; data flows by level; the units with the least data flowing down to them.",
    "按角色：共享轮数、参与轮数、所用点数、结果以及是否搭便车；各层级的数据流；向下数据流最少的单位。",
);
pub const ABOUT_SESSION_CITE: Text = t(
    "tiaokuai {version}, role-play session on scenario \"{scenario}\" (SHA-256 {sha}), seed {seed}, {replicates} replicates; every figure is recomputed from the session's saved choices.",
    "tiaokuai {version}，情景“{scenario}”（SHA-256 {sha}）上的角色扮演会话，随机种子 {seed}，{replicates} 次重复；所有数字均由会话保存的选择重新计算。",
);
pub const SESSION_TITLE: Text = t("Role-play session report", "角色扮演会话报告");
pub const SESSION_LINE: Text = t(
    "{played} of {years} years played by {players} students in {roles} roles; roles nobody played and levers nobody set followed the strategy \"{strategy}\". Every figure is recomputed from the session's choices on {replicates} replicates (seed {seed}).",
    "共 {years} 年中已进行 {played} 年，{players} 名学生扮演 {roles} 个角色；无人扮演的角色和无人设定的杠杆沿用策略“{strategy}”。所有数字均由会话中的选择在 {replicates} 个重复（随机种子 {seed}）上重新计算。",
);
pub const SESSION_GENERATED_BY: Text = t(
    "Generated by tiaokuai {version} from the role-play session on \"{scenario}\".",
    "由 tiaokuai {version} 根据情景“{scenario}”上的角色扮演会话生成。",
);
pub const SEC_CLASS_PATH: Text = t("The class against the strategies", "全班与各策略对比");
pub const SEC_CLASS_DIFF: Text = t(
    "Class − strategy at year {year}, paired over the replicates",
    "第 {year} 年全班 − 策略（跨重复配对）",
);
pub const SEC_DEBRIEF: Text = t("Debrief", "复盘");
pub const SEC_CHOICES: Text = t("Choices year by year", "逐年选择");
pub const CHART_CLASS_PATH: Text = t(
    "{metric}: the class and the strategies",
    "{metric}：全班与各策略",
);
pub const CAPTION_CLASS_PATH: Text = t(
    "Lines are means over the replicates: the class (its choices) and each scripted strategy on the same worlds and draws. Whether a gap is clear of zero is in the paired table below.",
    "各线为跨重复的均值：全班（按其选择）以及每个脚本策略在相同世界和随机抽样下的结果。差距是否明显不为0见下方的配对表。",
);
pub const CHART_CLASS_FOREST: Text = t(
    "{metric}: class − strategy at year {year}",
    "{metric}：第 {year} 年全班 − 策略",
);
pub const CAPTION_CLASS_FOREST: Text = t(
    "Mean paired difference with its 95% interval over the replicates; right of zero means the class reached more.",
    "配对差值均值及其跨重复的95%区间；在0右侧表示全班的值更高。",
);
pub const AXIS_CLASS_DIFF: Text = t("Class − strategy", "全班 − 策略");
pub const NO_ROUNDS: Text = t("No year has been played yet.", "尚未进行任何一年。");
pub const LABEL_CLASS: Text = t("Class", "全班");
pub const COL_ROLE: Text = t("Role", "角色");
pub const COL_ROLE_NAME: Text = t("Role name", "角色名称");
pub const COL_KIND: Text = t("Kind", "类型");
pub const COL_PLAYER: Text = t("Student", "学生");
pub const COL_CHOSEN_BY: Text = t("Chosen by", "选择者");
pub const COL_PLATFORM: Text = t("Platform", "平台");
pub const COL_SHARE: Text = t("Share", "共享");
pub const COL_STANDARD: Text = t("Standard", "标准");
pub const COL_TRANSFER: Text = t("Transfer", "转移支付");
pub const COL_POINTS: Text = t("Points", "点数");
pub const COL_COLLAB: Text = t("Collaboration index", "协同指数");
pub const COL_FLOW_UP: Text = t("Data flowing up", "向上数据流");
pub const COL_FLOW_DOWN: Text = t("Data flowing down", "向下数据流");
pub const COL_SHARING: Text = t("Sharing between departments", "部门间共享");
pub const COL_COST: Text = t("Cost (million yuan)", "成本（百万元）");
pub const COL_FREE_RIDER: Text = t("Free-rider", "搭便车");
pub const COL_COPY: Text = t("Copied from", "借鉴自");
pub const COL_INNOVATIONS: Text = t("Innovations held", "已采用的创新");
pub const COL_INNOVATIONS_COPIED: Text = t("Innovations copied", "借鉴的创新");
pub const COL_ROUNDS_SHARED: Text = t("Rounds shared", "共享轮数");
pub const COL_ROUNDS_PLAYED: Text = t("Rounds played", "参与轮数");
pub const COL_POINTS_SPENT: Text = t("Points spent", "已用点数");
pub const COL_CLASS_MEAN: Text = t("Class mean", "全班均值");
pub const COL_STRATEGY_MEAN: Text = t("Strategy mean", "策略均值");
pub const COL_CLASS_DIFF: Text = t("Class − strategy", "全班 − 策略");
pub const COL_VERDICT: Text = t("Verdict", "判断");
pub const COL_LEVEL: Text = t("Level", "层级");
pub const COL_UNITS: Text = t("Units", "单位数");
pub const COL_UNIT_ID: Text = t("Unit", "单位");
pub const VERDICT_BETTER: Text = t("better", "更好");
pub const VERDICT_WORSE: Text = t("worse", "更差");
pub const VERDICT_SAME: Text = t("no clear difference", "无明显差别");
pub const CHOSEN_STUDENT: Text = t("student", "学生");
pub const CHOSEN_STRATEGY: Text = t("strategy", "策略");
pub const KIND_PROVINCE: Text = t("province government (kuai)", "省政府（块）");
pub const KIND_CITY: Text = t("city government (kuai)", "市政府（块）");
pub const KIND_LINE: Text = t("department line (tiao)", "部门条线（条）");
pub const YES: Text = t("yes", "是");
pub const NO: Text = t("no", "否");
pub const DEBRIEF_SHARERS: Text = t("Who shared, who free-rode", "谁在共享，谁在搭便车");
pub const DEBRIEF_SHARERS_NOTE: Text = t(
    "A role free-rode when it shared in under half of the rounds it played yet received at least the median downward data flow of the roles (results at the last year played, world on the teacher's screen).",
    "若一个角色在其参与的轮次中共享不到一半，却收到不低于各角色中位数的向下数据流，即为搭便车（结果为已进行的最后一年、教师屏幕上的世界）。",
);
pub const DEBRIEF_LEVELS: Text = t("Where data stopped flowing", "数据在哪里停止流动");
pub const DEBRIEF_STOPPED: Text = t(
    "Least data flowing down (city and county level): {units}.",
    "向下数据流最少的单位（市、县级）：{units}。",
);
pub const CHOICE_NONE: Text = t("as the strategy", "沿用策略");
pub const CHOICE_OWN: Text = t("own platform", "自建平台");
pub const CHOICE_JOIN: Text = t("join the province's", "接入省级平台");
pub const CHOICE_SHARE: Text = t("shares", "共享");
pub const CHOICE_KEEP: Text = t("keeps its data", "不共享");
pub const CHOICE_STANDARD: Text = t("standard: {standard}", "标准：{standard}");
pub const CHOICE_TRANSFER: Text = t("asks for a transfer", "申请转移支付");
pub const CHOICE_COPY: Text = t("copies an innovation from {role}", "借鉴 {role} 的创新");
pub const ITEM_PLAYED: Text = t("Years played", "已进行年数");
pub const ITEM_PLAYERS: Text = t("Students", "学生人数");
pub const ITEM_ROLES: Text = t("Roles", "角色数");
pub const ITEM_CLASS_STRATEGY: Text = t("Class strategy", "课堂默认策略");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_placeholder_in_both_languages() {
        for lang in [Lang::En, Lang::Zh] {
            let s = SCENARIO_LINE.fill(
                lang,
                &[
                    ("name", "demo"),
                    ("years", "5"),
                    ("n", "3"),
                    ("replicates", "10"),
                    ("seed", "42"),
                ],
            );
            assert!(!s.contains('{'), "{s}");
            assert!(s.contains("demo") && s.contains("42"));
        }
    }

    #[test]
    fn chinese_differs_from_english() {
        for x in [SHEET_SUMMARY, SHEET_ABOUT, CHART_DOMAINS, CAPTION_FAN] {
            assert_ne!(x.en, x.zh);
            assert!(!x.zh.is_empty());
        }
    }

    #[test]
    fn every_lever_has_a_short_name() {
        for (id, _, _) in super::super::LEVERS {
            assert!(LEVER_NAMES.iter().any(|(x, _)| x == id), "{id}");
        }
    }

    #[test]
    fn sheet_names_are_valid_excel_names() {
        for s in [
            SHEET_SUMMARY,
            SHEET_COMPARE,
            SHEET_TIMESERIES,
            SHEET_REGIONS,
            SHEET_PARAMETERS,
            SHEET_ABOUT,
            SHEET_CHOICES,
            SHEET_TRAJECTORY,
            SHEET_CLASS_COMPARE,
            SHEET_DEBRIEF,
        ] {
            for name in [s.en, s.zh] {
                assert!(name.chars().count() <= 31);
                assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']));
            }
        }
    }
}
