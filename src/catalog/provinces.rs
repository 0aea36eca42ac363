//! The 31 provincial-level units of mainland China, restated as facts.
//!
//! Sources (restated here so the tool needs no data files at run time):
//! - names and NBS codes: National Bureau of Statistics statistical division
//!   codes as of 2023-06-30 (modood/Administrative-divisions-of-China, MIT);
//! - prefecture / county / township unit counts: derived from the same
//!   division files (they include statistical pseudo-units such as "市辖区",
//!   so totals exceed the official 333 / 2,844 / 38,741);
//! - population: 7th national census, 2020;
//! - region groups: NBS east / central / west / northeast grouping;
//! - `tile`: (column, row) of a tile-grid map, one square per province in
//!   its rough geographic position (north-west at the top left).

use super::Region;

/// One provincial-level unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Province {
    /// NBS two-digit code.
    pub code: u32,
    /// Stable English identifier (lower-case, underscores).
    pub id: &'static str,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub region: Region,
    /// Municipality directly under the central government (直辖市).
    pub municipality: bool,
    /// Prefecture-level units (地级).
    pub prefectures: u32,
    /// County-level units (县级).
    pub counties: u32,
    /// Township-level units (乡级).
    pub townships: u32,
    /// 2020 census population.
    pub population: u64,
    /// Tile-grid position (column, row).
    pub tile: (u8, u8),
}

macro_rules! p {
    ($code:expr, $id:expr, $en:expr, $zh:expr, $reg:ident, $mun:expr, $pre:expr, $cty:expr, $twp:expr, $pop:expr, $tile:expr) => {
        Province {
            code: $code,
            id: $id,
            name_en: $en,
            name_zh: $zh,
            region: Region::$reg,
            municipality: $mun,
            prefectures: $pre,
            counties: $cty,
            townships: $twp,
            population: $pop,
            tile: $tile,
        }
    };
}

/// The 31 provinces, in NBS code order.
pub const PROVINCES: [Province; 31] = [
    p!(
        11,
        "beijing",
        "Beijing",
        "北京市",
        East,
        true,
        1,
        16,
        349,
        21_893_095,
        (5, 1)
    ),
    p!(
        12,
        "tianjin",
        "Tianjin",
        "天津市",
        East,
        true,
        1,
        16,
        299,
        13_866_009,
        (6, 1)
    ),
    p!(
        13,
        "hebei",
        "Hebei",
        "河北省",
        East,
        false,
        11,
        190,
        2365,
        74_610_235,
        (5, 2)
    ),
    p!(
        14,
        "shanxi",
        "Shanxi",
        "山西省",
        Central,
        false,
        11,
        121,
        1352,
        34_915_616,
        (4, 2)
    ),
    p!(
        15,
        "inner_mongolia",
        "Inner Mongolia",
        "内蒙古自治区",
        West,
        false,
        12,
        108,
        1225,
        24_049_155,
        (4, 1)
    ),
    p!(
        21,
        "liaoning",
        "Liaoning",
        "辽宁省",
        Northeast,
        false,
        14,
        100,
        1406,
        42_591_407,
        (6, 2)
    ),
    p!(
        22,
        "jilin",
        "Jilin",
        "吉林省",
        Northeast,
        false,
        9,
        69,
        1075,
        24_073_453,
        (7, 1)
    ),
    p!(
        23,
        "heilongjiang",
        "Heilongjiang",
        "黑龙江省",
        Northeast,
        false,
        13,
        126,
        1703,
        31_850_088,
        (7, 0)
    ),
    p!(
        31,
        "shanghai",
        "Shanghai",
        "上海市",
        East,
        true,
        1,
        16,
        234,
        24_870_895,
        (7, 5)
    ),
    p!(
        32,
        "jiangsu",
        "Jiangsu",
        "江苏省",
        East,
        false,
        13,
        104,
        1487,
        84_748_016,
        (6, 4)
    ),
    p!(
        33,
        "zhejiang",
        "Zhejiang",
        "浙江省",
        East,
        false,
        11,
        90,
        1387,
        64_567_588,
        (6, 5)
    ),
    p!(
        34,
        "anhui",
        "Anhui",
        "安徽省",
        Central,
        false,
        16,
        119,
        1685,
        61_027_171,
        (5, 4)
    ),
    p!(
        35,
        "fujian",
        "Fujian",
        "福建省",
        East,
        false,
        9,
        84,
        1170,
        41_540_086,
        (5, 6)
    ),
    p!(
        36,
        "jiangxi",
        "Jiangxi",
        "江西省",
        Central,
        false,
        11,
        100,
        1767,
        45_188_635,
        (5, 5)
    ),
    p!(
        37,
        "shandong",
        "Shandong",
        "山东省",
        East,
        false,
        16,
        151,
        1853,
        101_527_453,
        (5, 3)
    ),
    p!(
        41,
        "henan",
        "Henan",
        "河南省",
        Central,
        false,
        18,
        181,
        2586,
        99_365_519,
        (4, 3)
    ),
    p!(
        42,
        "hubei",
        "Hubei",
        "湖北省",
        Central,
        false,
        14,
        105,
        1475,
        57_752_557,
        (4, 4)
    ),
    p!(
        43,
        "hunan",
        "Hunan",
        "湖南省",
        Central,
        false,
        14,
        134,
        2008,
        66_444_864,
        (4, 5)
    ),
    p!(
        44,
        "guangdong",
        "Guangdong",
        "广东省",
        East,
        false,
        21,
        124,
        1757,
        126_012_510,
        (4, 6)
    ),
    p!(
        45,
        "guangxi",
        "Guangxi",
        "广西壮族自治区",
        West,
        false,
        14,
        111,
        1284,
        50_126_804,
        (3, 6)
    ),
    p!(
        46,
        "hainan",
        "Hainan",
        "海南省",
        East,
        false,
        5,
        27,
        243,
        10_081_232,
        (4, 7)
    ),
    p!(
        50,
        "chongqing",
        "Chongqing",
        "重庆市",
        West,
        true,
        2,
        38,
        1031,
        32_054_159,
        (3, 4)
    ),
    p!(
        51,
        "sichuan",
        "Sichuan",
        "四川省",
        West,
        false,
        21,
        183,
        3111,
        83_674_866,
        (2, 4)
    ),
    p!(
        52,
        "guizhou",
        "Guizhou",
        "贵州省",
        West,
        false,
        9,
        88,
        1510,
        38_562_148,
        (3, 5)
    ),
    p!(
        53,
        "yunnan",
        "Yunnan",
        "云南省",
        West,
        false,
        16,
        129,
        1461,
        47_209_277,
        (2, 5)
    ),
    p!(
        54,
        "tibet",
        "Tibet",
        "西藏自治区",
        West,
        false,
        7,
        78,
        705,
        3_648_100,
        (0, 4)
    ),
    p!(
        61,
        "shaanxi",
        "Shaanxi",
        "陕西省",
        West,
        false,
        10,
        107,
        1335,
        39_528_999,
        (3, 3)
    ),
    p!(
        62,
        "gansu",
        "Gansu",
        "甘肃省",
        West,
        false,
        14,
        88,
        1403,
        25_019_831,
        (2, 2)
    ),
    p!(
        63,
        "qinghai",
        "Qinghai",
        "青海省",
        West,
        false,
        8,
        45,
        422,
        5_923_957,
        (1, 3)
    ),
    p!(
        64,
        "ningxia",
        "Ningxia",
        "宁夏回族自治区",
        West,
        false,
        5,
        22,
        259,
        7_202_654,
        (3, 2)
    ),
    p!(
        65,
        "xinjiang",
        "Xinjiang",
        "新疆维吾尔自治区",
        West,
        false,
        15,
        108,
        1405,
        25_852_345,
        (0, 2)
    ),
];

/// Look a province up by its English id, English name or Chinese name.
pub fn find(name: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| {
        p.id.eq_ignore_ascii_case(name) || p.name_en.eq_ignore_ascii_case(name) || p.name_zh == name
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_match_the_division_files() {
        let pre: u32 = PROVINCES.iter().map(|p| p.prefectures).sum();
        let cty: u32 = PROVINCES.iter().map(|p| p.counties).sum();
        let twp: u32 = PROVINCES.iter().map(|p| p.townships).sum();
        assert_eq!((pre, cty, twp), (342, 2978, 41352));
        let pop: u64 = PROVINCES.iter().map(|p| p.population).sum();
        assert_eq!(pop, 1_409_778_724);
    }

    #[test]
    fn four_municipalities_and_unique_tiles() {
        assert_eq!(PROVINCES.iter().filter(|p| p.municipality).count(), 4);
        let mut tiles: Vec<_> = PROVINCES.iter().map(|p| p.tile).collect();
        tiles.sort();
        tiles.dedup();
        assert_eq!(tiles.len(), 31);
    }

    #[test]
    fn find_by_any_name() {
        assert_eq!(find("Zhejiang").unwrap().code, 33);
        assert_eq!(find("浙江省").unwrap().code, 33);
        assert_eq!(find("inner_mongolia").unwrap().code, 15);
    }
}
