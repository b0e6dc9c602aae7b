//! Regions, countries and cities of the demo, with what a CRM needs to look local:
//! phone codes, address styles, coordinates and time zones.

use crate::core::money::Currency;

pub(crate) struct Region {
    /// Stored in `Customer::region` and `RegionPlan::region`.
    pub name: &'static str,
    /// Used in plan ids (`PLAN-华东-2026-Q3`, `PLAN-EU-2026-Q3`).
    pub code: &'static str,
    pub china: bool,
    /// Share of its market (China or abroad), in per mille.
    pub weight: u32,
    /// Hours ahead of UTC during business hours (rounded; only used to place events in the working day).
    pub utc_offset: i64,
    /// The currency of every customer (and so every plan) in the region.
    pub currency: Currency,
}

#[rustfmt::skip]
pub(crate) const REGIONS: &[Region] = &[
    Region { name: "华东", code: "华东", china: true, weight: 350, utc_offset: 8, currency: Currency::CNY },
    Region { name: "华南", code: "华南", china: true, weight: 220, utc_offset: 8, currency: Currency::CNY },
    Region { name: "华北", code: "华北", china: true, weight: 120, utc_offset: 8, currency: Currency::CNY },
    Region { name: "华中", code: "华中", china: true, weight: 100, utc_offset: 8, currency: Currency::CNY },
    Region { name: "西南", code: "西南", china: true, weight: 100, utc_offset: 8, currency: Currency::CNY },
    Region { name: "西北", code: "西北", china: true, weight: 50, utc_offset: 8, currency: Currency::CNY },
    Region { name: "东北", code: "东北", china: true, weight: 60, utc_offset: 8, currency: Currency::CNY },
    Region { name: "Europe", code: "EU", china: false, weight: 300, utc_offset: 1, currency: Currency::EUR },
    Region { name: "North America", code: "NA", china: false, weight: 220, utc_offset: -5, currency: Currency::USD },
    Region { name: "Southeast Asia", code: "SEA", china: false, weight: 180, utc_offset: 7, currency: Currency::USD },
    Region { name: "Japan & Korea", code: "JK", china: false, weight: 120, utc_offset: 9, currency: Currency::USD },
    Region { name: "Latin America", code: "LATAM", china: false, weight: 100, utc_offset: -4, currency: Currency::USD },
    Region { name: "Middle East", code: "ME", china: false, weight: 80, utc_offset: 4, currency: Currency::USD },
];

/// How street addresses are written in a country.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddressStyle {
    China,
    /// "Robert-Bosch-Straße 17"
    StreetNumber,
    /// "1250 Commerce Drive"
    NumberStreet,
    /// A full template with `{n}` / `{m}` / `{k}` numbers.
    Template,
}

pub(crate) struct Country {
    pub code: &'static str,
    pub dial: &'static str,
    pub tld: &'static str,
    /// Country label used in subsidiaries' names ("… Deutschland GmbH").
    pub label: &'static str,
    /// Legal-form suffixes and weights.
    pub suffixes: &'static [(&'static str, u32)],
    pub mobile_prefixes: &'static [&'static str],
    pub style: AddressStyle,
    pub streets: &'static [&'static str],
    /// Index into `names::PEOPLE`.
    pub people: usize,
    /// Local flavour for company brands (mixed with the international brand list).
    pub brands: &'static [(&'static str, &'static str)],
}

pub(crate) struct City {
    pub name: &'static str,
    /// Lower-case romanised abbreviation (for e-mail domains of Chinese companies).
    pub abbr: &'static str,
    pub country: usize,
    /// Chinese region index (China only; abroad cities take their country's region).
    pub region: usize,
    pub lat: f64,
    pub lon: f64,
    /// Area code without the trunk prefix ("571", "711"); empty where numbers have none.
    pub area: &'static str,
    /// Districts (China) or industrial areas (abroad, may be empty).
    pub districts: &'static [&'static str],
    /// Six-digit administrative division code (China only), used in credit codes.
    pub admin: &'static str,
    pub weight: u32,
}

pub(crate) const CN: usize = 0;

#[rustfmt::skip]
pub(crate) const COUNTRIES: &[Country] = &[
    Country {
        code: "CN",
        dial: "86",
        tld: "com.cn",
        label: "中国",
        suffixes: &[("有限公司", 60), ("股份有限公司", 26), ("集团有限公司", 9)],
        mobile_prefixes: &["135", "136", "138", "139", "150", "152", "158", "159", "177", "186", "188", "189", "199"],
        style: AddressStyle::China,
        streets: &[
            "科技路", "工业大道", "创业路", "高新大道", "长江路", "黄河路", "人民路", "建设路", "兴业路", "金桥路", "东方大道", "滨海大道", "发展大道", "智造大道",
            "开发区大道", "园区路", "中山路", "和平路", "光明路", "宏业路", "江南大道", "新华路", "解放路", "学府路", "振兴路", "通港路", "临港大道", "航空路",
            "装备园路", "汽车城大道",
        ],
        people: 0,
        brands: &[],
    },
    Country {
        code: "DE",
        dial: "49",
        tld: "de",
        label: "Deutschland",
        suffixes: &[("GmbH", 60), ("AG", 14), ("GmbH & Co. KG", 26)],
        mobile_prefixes: &["151", "160", "170", "172", "176"],
        style: AddressStyle::StreetNumber,
        streets: &[
            "Industriestraße", "Robert-Bosch-Straße", "Daimlerstraße", "Siemensstraße", "Carl-Zeiss-Straße",
            "Max-Planck-Straße", "Gewerbestraße", "Hafenstraße", "Otto-Hahn-Straße", "Benzstraße",
        ],
        people: 1,
        brands: &[
            ("Rheinland", "rheinland"), ("Schwarzwald", "schwarzwald"), ("Hanse", "hanse"), ("Nordstern", "nordstern"),
            ("Weser", "weser"), ("Brandt", "brandt"), ("Kessler", "kessler"), ("Bergmann", "bergmann"),
        ],
    },
    Country {
        code: "IT",
        dial: "39",
        tld: "it",
        label: "Italia",
        suffixes: &[("S.p.A.", 40), ("S.r.l.", 60)],
        mobile_prefixes: &["320", "333", "338", "347", "349"],
        style: AddressStyle::StreetNumber,
        streets: &[
            "Via dell'Industria", "Via Roma", "Via dell'Artigianato", "Viale Europa", "Via Galileo Galilei",
            "Via Enrico Fermi", "Via dei Mestieri",
        ],
        people: 2,
        brands: &[
            ("Lombarda", "lombarda"), ("Adriatica", "adriatica"), ("Ligure", "ligure"), ("Brenta", "brenta"),
            ("Dolomiti", "dolomiti"), ("Veneta", "veneta"),
        ],
    },
    Country {
        code: "FR",
        dial: "33",
        tld: "fr",
        label: "France",
        suffixes: &[("SAS", 60), ("S.A.", 40)],
        mobile_prefixes: &["6", "7"],
        style: AddressStyle::NumberStreet,
        streets: &[
            "rue de l'Industrie", "avenue Jean Jaurès", "boulevard de l'Europe", "rue des Frères Lumière",
            "allée des Artisans", "rue Ampère", "chemin des Forges",
        ],
        people: 3,
        brands: &[
            ("Atlantique", "atlantique"), ("Provence", "provence"), ("Rhône", "rhone"), ("Lumière", "lumiere"),
            ("Garonne", "garonne"),
        ],
    },
    Country {
        code: "GB",
        dial: "44",
        tld: "co.uk",
        label: "UK",
        suffixes: &[("Ltd", 80), ("PLC", 20)],
        mobile_prefixes: &["7700", "7711", "7800", "7911"],
        style: AddressStyle::NumberStreet,
        streets: &[
            "Enterprise Way", "Station Road", "Aston Lane", "Westgate Business Park", "Mill Lane", "Kingsway",
            "Brunel Road", "Trafalgar Court",
        ],
        people: 4,
        brands: &[
            ("Albion", "albion"), ("Pennine", "pennine"), ("Thames", "thames"), ("Severn", "severn"),
            ("Mersey", "mersey"),
        ],
    },
    Country {
        code: "US",
        dial: "1",
        tld: "com",
        label: "USA",
        suffixes: &[("Inc.", 50), ("LLC", 35), ("Corp.", 15)],
        mobile_prefixes: &[],
        style: AddressStyle::NumberStreet,
        streets: &[
            "Commerce Drive", "Industrial Parkway", "Main Street", "Technology Blvd", "Airport Road",
            "Enterprise Avenue", "Lakeview Drive", "Corporate Center Drive",
        ],
        people: 4,
        brands: &[
            ("Great Lakes", "greatlakes"), ("Lone Star", "lonestar"), ("Cascade", "cascade"), ("Liberty", "liberty"),
            ("Frontier", "frontier"), ("Heartland", "heartland"),
        ],
    },
    Country {
        code: "CA",
        dial: "1",
        tld: "ca",
        label: "Canada",
        suffixes: &[("Inc.", 60), ("Ltd.", 40)],
        mobile_prefixes: &[],
        style: AddressStyle::NumberStreet,
        streets: &[
            "Industrial Road", "Commerce Street", "Rue Sherbrooke", "Dixie Road", "Airway Drive", "Huron Church Road",
        ],
        people: 4,
        brands: &[
            ("Maple Leaf", "mapleleaf"), ("Laurentian", "laurentian"), ("Northstar", "northstar"), ("Boreal", "boreal"),
        ],
    },
    Country {
        code: "MX",
        dial: "52",
        tld: "com.mx",
        label: "de México",
        suffixes: &[("S.A. de C.V.", 80), ("S. de R.L. de C.V.", 20)],
        mobile_prefixes: &[],
        style: AddressStyle::Template,
        streets: &[
            "Av. Industrial {n}, Parque Industrial Stiva", "Blvd. Aeropuerto {n}", "Calle Acero {n}, Col. Industrial",
            "Av. de la Luz {n}, Parque Industrial Querétaro", "Carretera a Saltillo km {k}",
        ],
        people: 5,
        brands: &[("Azteca", "azteca"), ("Regio", "regio"), ("Sierra Madre", "sierramadre"), ("Bajío", "bajio")],
    },
    Country {
        code: "BR",
        dial: "55",
        tld: "com.br",
        label: "do Brasil",
        suffixes: &[("Ltda.", 70), ("S.A.", 30)],
        mobile_prefixes: &[],
        style: AddressStyle::Template,
        streets: &[
            "Rua das Indústrias, {n}", "Av. Brasil, {n}", "Rodovia Anhanguera, km {k}", "Rua Dona Francisca, {n}",
            "Av. Cidade Jardim, {n}",
        ],
        people: 6,
        brands: &[("Paulista", "paulista"), ("Amazonas", "amazonas"), ("Guanabara", "guanabara"), ("Tupi", "tupi")],
    },
    Country {
        code: "SG",
        dial: "65",
        tld: "com.sg",
        label: "Singapore",
        suffixes: &[("Pte Ltd", 100)],
        mobile_prefixes: &["8", "9"],
        style: AddressStyle::Template,
        streets: &[
            "{n} Tuas Avenue {k}", "{n} Jurong Port Road", "{n} Loyang Way", "{n} Ubi Avenue {k}",
            "{n} Kaki Bukit Road {k}",
        ],
        people: 7,
        brands: &[("Lion City", "lioncity"), ("Marina", "marina"), ("Straits", "straits")],
    },
    Country {
        code: "VN",
        dial: "84",
        tld: "com.vn",
        label: "Vietnam",
        suffixes: &[("Co., Ltd.", 70), ("JSC", 30)],
        mobile_prefixes: &["90", "91", "98", "97"],
        style: AddressStyle::Template,
        streets: &[
            "Lot A{k}, VSIP II Industrial Park", "Lot {n}, Yen Phong Industrial Park", "{n} Nguyen Van Linh",
            "Lot C{k}, Deep C Industrial Zone", "{n} Tan Thuan Street, Tan Thuan EPZ",
        ],
        people: 8,
        brands: &[("Saigon", "saigon"), ("Mekong", "mekong"), ("Hong Ha", "hongha"), ("Viet Tin", "viettin")],
    },
    Country {
        code: "TH",
        dial: "66",
        tld: "co.th",
        label: "Thailand",
        suffixes: &[("Co., Ltd.", 80), ("Public Co., Ltd.", 20)],
        mobile_prefixes: &["81", "86", "89", "92"],
        style: AddressStyle::Template,
        streets: &[
            "{n}/{m} Moo {k}, Amata City Industrial Estate", "{n} Bangna-Trad Road",
            "{n}/{m} Moo {k}, Hemaraj Eastern Seaboard", "{n} Moo {k}, Rojana Industrial Park",
        ],
        people: 9,
        brands: &[("Siam", "siam"), ("Chao Phraya", "chaophraya"), ("Lanna", "lanna")],
    },
    Country {
        code: "MY",
        dial: "60",
        tld: "com.my",
        label: "Malaysia",
        suffixes: &[("Sdn Bhd", 85), ("Bhd", 15)],
        mobile_prefixes: &["12", "16", "17", "19"],
        style: AddressStyle::Template,
        streets: &[
            "Lot {n}, Jalan Perindustrian {k}", "Plot {n}, Bayan Lepas FIZ Phase {k}", "No. {n}, Jalan Teknologi {k}",
            "No. {n}, Jalan Perusahaan {k}",
        ],
        people: 7,
        brands: &[("Penang", "penang"), ("Klang Valley", "klangvalley"), ("Nusantara", "nusantara")],
    },
    Country {
        code: "AE",
        dial: "971",
        tld: "ae",
        label: "Middle East",
        suffixes: &[("LLC", 60), ("FZE", 25), ("FZCO", 15)],
        mobile_prefixes: &["50", "52", "55", "56"],
        style: AddressStyle::Template,
        streets: &[
            "Plot S{n}, Jebel Ali Free Zone", "Warehouse {k}, Al Quoz Industrial Area {m}",
            "Office {n}, Sharjah Airport Free Zone", "Plot {n}, ICAD {k}, Mussafah",
        ],
        people: 10,
        brands: &[("Gulf", "gulf"), ("Al Noor", "alnoor"), ("Emirates", "emirates"), ("Desert Falcon", "desertfalcon")],
    },
    Country {
        code: "SA",
        dial: "966",
        tld: "com.sa",
        label: "Arabia",
        suffixes: &[("Co., Ltd.", 50), ("LLC", 30), ("Trading Co.", 20)],
        mobile_prefixes: &["50", "53", "55", "56"],
        style: AddressStyle::Template,
        streets: &[
            "Street {k}, 2nd Industrial City", "{n} King Fahd Road", "Building {n}, Jubail Industrial City",
            "{n} Prince Sultan Street",
        ],
        people: 10,
        brands: &[("Arabian", "arabian"), ("Najd", "najd"), ("Red Sea", "redsea"), ("Al Waha", "alwaha")],
    },
    Country {
        code: "JP",
        dial: "81",
        tld: "co.jp",
        label: "Japan",
        suffixes: &[("Co., Ltd.", 70), ("Corporation", 30)],
        mobile_prefixes: &["90", "80", "70"],
        style: AddressStyle::Template,
        streets: &[
            "{k}-{m}-{n} Minato-machi", "{k}-{m}-{n} Shiba", "{k}-{m} Nishiki", "{k}-{m}-{n} Honcho",
            "{k}-{m}-{n} Sakae",
        ],
        people: 11,
        brands: &[
            ("Sakura", "sakura"), ("Fuji Seiko", "fujiseiko"), ("Hoshino", "hoshino"), ("Takumi", "takumi"),
            ("Kawase", "kawase"), ("Nishiki", "nishiki"),
        ],
    },
    Country {
        code: "KR",
        dial: "82",
        tld: "co.kr",
        label: "Korea",
        suffixes: &[("Co., Ltd.", 70), ("Corp.", 30)],
        mobile_prefixes: &["10"],
        style: AddressStyle::Template,
        streets: &["{n} Gongdan-ro", "{n} Teheran-ro", "{n} Jungang-daero", "{n} Sandan-ro", "{n} Seongsan-ro"],
        people: 12,
        brands: &[
            ("Hanbit", "hanbit"), ("Daesung", "daesung"), ("Hanil", "hanil"), ("Seohan", "seohan"),
            ("Jinwoo", "jinwoo"),
        ],
    },
];

macro_rules! city {
    ($name:literal, $abbr:literal, $country:expr, $region:expr, $lat:literal, $lon:literal, $area:literal, [$($d:literal),*], $admin:literal, $w:literal) => {
        City { name: $name, abbr: $abbr, country: $country, region: $region, lat: $lat, lon: $lon, area: $area, districts: &[$($d),*], admin: $admin, weight: $w }
    };
}

#[rustfmt::skip]
pub(crate) const CITIES: &[City] = &[
    // 华东
    city!("杭州", "hz", CN, 0, 30.27, 120.16, "571", ["滨江区", "余杭区", "萧山区", "钱塘区"], "330100", 10),
    city!("宁波", "nb", CN, 0, 29.87, 121.55, "574", ["北仑区", "鄞州区", "镇海区", "慈溪市"], "330200", 8),
    city!("苏州", "sz", CN, 0, 31.30, 120.62, "512", ["工业园区", "吴中区", "相城区", "昆山市"], "320500", 9),
    city!("上海", "sh", CN, 0, 31.23, 121.47, "21", ["浦东新区", "闵行区", "嘉定区", "松江区"], "310000", 10),
    city!("无锡", "wx", CN, 0, 31.49, 120.31, "510", ["新吴区", "滨湖区", "江阴市"], "320200", 5),
    city!("南京", "nj", CN, 0, 32.06, 118.80, "25", ["江宁区", "栖霞区", "浦口区"], "320100", 5),
    city!("常州", "cz", CN, 0, 31.81, 119.97, "519", ["武进区", "新北区"], "320400", 4),
    city!("青岛", "qd", CN, 0, 36.07, 120.38, "532", ["黄岛区", "城阳区", "即墨区"], "370200", 5),
    city!("济南", "jn", CN, 0, 36.65, 117.12, "531", ["历城区", "章丘区"], "370100", 3),
    city!("温州", "wz", CN, 0, 28.00, 120.67, "577", ["瓯海区", "龙湾区", "乐清市"], "330300", 3),
    city!("合肥", "hf", CN, 0, 31.82, 117.23, "551", ["蜀山区", "包河区", "肥西县"], "340100", 3),
    city!("厦门", "xm", CN, 0, 24.48, 118.09, "592", ["海沧区", "湖里区", "集美区"], "350200", 3),
    // 华南
    city!("深圳", "sz", CN, 1, 22.54, 114.06, "755", ["南山区", "宝安区", "龙华区", "龙岗区"], "440300", 10),
    city!("东莞", "dg", CN, 1, 23.02, 113.75, "769", ["长安镇", "松山湖", "虎门镇", "塘厦镇"], "441900", 7),
    city!("广州", "gz", CN, 1, 23.13, 113.26, "20", ["黄埔区", "番禺区", "花都区", "南沙区"], "440100", 8),
    city!("佛山", "fs", CN, 1, 23.02, 113.12, "757", ["顺德区", "南海区"], "440600", 6),
    city!("珠海", "zh", CN, 1, 22.27, 113.58, "756", ["香洲区", "金湾区"], "440400", 3),
    city!("中山", "zs", CN, 1, 22.52, 113.39, "760", ["火炬开发区", "小榄镇"], "442000", 3),
    city!("南宁", "nn", CN, 1, 22.82, 108.32, "771", ["西乡塘区", "江南区"], "450100", 2),
    // 华北
    city!("北京", "bj", CN, 2, 39.90, 116.41, "10", ["海淀区", "大兴区", "顺义区", "昌平区"], "110000", 8),
    city!("天津", "tj", CN, 2, 39.13, 117.20, "22", ["滨海新区", "西青区", "东丽区"], "120000", 8),
    city!("石家庄", "sjz", CN, 2, 38.04, 114.51, "311", ["长安区", "裕华区", "栾城区"], "130100", 3),
    city!("太原", "ty", CN, 2, 37.87, 112.55, "351", ["小店区", "万柏林区"], "140100", 2),
    city!("唐山", "ts", CN, 2, 39.63, 118.18, "315", ["路北区", "曹妃甸区"], "130200", 2),
    city!("保定", "bd", CN, 2, 38.87, 115.46, "312", ["莲池区", "竞秀区"], "130600", 2),
    // 华中
    city!("武汉", "wh", CN, 3, 30.59, 114.31, "27", ["东湖高新区", "江夏区", "汉阳区", "蔡甸区"], "420100", 8),
    city!("长沙", "cs", CN, 3, 28.23, 112.94, "731", ["雨花区", "长沙县", "岳麓区"], "430100", 6),
    city!("郑州", "zz", CN, 3, 34.75, 113.63, "371", ["金水区", "管城回族区", "中原区"], "410100", 5),
    city!("株洲", "zhz", CN, 3, 27.83, 113.13, "731", ["天元区", "芦淞区"], "430200", 3),
    city!("洛阳", "ly", CN, 3, 34.62, 112.45, "379", ["涧西区", "洛龙区"], "410300", 3),
    city!("襄阳", "xy", CN, 3, 32.01, 112.12, "710", ["高新区", "樊城区"], "420600", 2),
    // 西南
    city!("成都", "cd", CN, 4, 30.57, 104.07, "28", ["高新区", "双流区", "龙泉驿区", "新都区"], "510100", 8),
    city!("重庆", "cq", CN, 4, 29.56, 106.55, "23", ["渝北区", "江北区", "九龙坡区", "璧山区"], "500000", 8),
    city!("贵阳", "gy", CN, 4, 26.65, 106.63, "851", ["观山湖区", "白云区"], "520100", 3),
    city!("昆明", "km", CN, 4, 24.88, 102.83, "871", ["官渡区", "呈贡区"], "530100", 2),
    city!("绵阳", "my", CN, 4, 31.47, 104.68, "816", ["涪城区", "游仙区"], "510700", 2),
    // 西北
    city!("西安", "xa", CN, 5, 34.34, 108.94, "29", ["雁塔区", "未央区", "长安区", "阎良区"], "610100", 8),
    city!("兰州", "lz", CN, 5, 36.06, 103.83, "931", ["七里河区", "安宁区"], "620100", 3),
    city!("银川", "yc", CN, 5, 38.49, 106.23, "951", ["金凤区", "西夏区"], "640100", 2),
    city!("宝鸡", "bj", CN, 5, 34.36, 107.24, "917", ["渭滨区", "高新区"], "610300", 2),
    city!("乌鲁木齐", "wlmq", CN, 5, 43.83, 87.62, "991", ["新市区", "米东区"], "650100", 2),
    // 东北
    city!("沈阳", "sy", CN, 6, 41.81, 123.43, "24", ["铁西区", "浑南区", "沈北新区"], "210100", 8),
    city!("大连", "dl", CN, 6, 38.91, 121.61, "411", ["甘井子区", "金州区", "旅顺口区"], "210200", 7),
    city!("长春", "cc", CN, 6, 43.82, 125.32, "431", ["绿园区", "朝阳区", "经开区"], "220100", 5),
    city!("哈尔滨", "heb", CN, 6, 45.80, 126.53, "451", ["平房区", "南岗区", "香坊区"], "230100", 5),
    // Europe
    city!("Stuttgart", "", 1, 7, 48.78, 9.18, "711", [], "", 8),
    city!("Munich", "", 1, 7, 48.14, 11.58, "89", [], "", 7),
    city!("Hamburg", "", 1, 7, 53.55, 9.99, "40", [], "", 5),
    city!("Düsseldorf", "", 1, 7, 51.23, 6.77, "211", [], "", 5),
    city!("Bremen", "", 1, 7, 53.08, 8.80, "421", [], "", 3),
    city!("Milan", "", 2, 7, 45.46, 9.19, "02", [], "", 8),
    city!("Turin", "", 2, 7, 45.07, 7.69, "011", [], "", 6),
    city!("Bologna", "", 2, 7, 44.49, 11.34, "051", [], "", 4),
    city!("Brescia", "", 2, 7, 45.54, 10.21, "030", [], "", 4),
    city!("Lyon", "", 3, 7, 45.76, 4.84, "4", [], "", 6),
    city!("Toulouse", "", 3, 7, 43.60, 1.44, "5", [], "", 6),
    city!("Paris", "", 3, 7, 48.86, 2.35, "1", [], "", 5),
    city!("Bordeaux", "", 3, 7, 44.84, -0.58, "5", [], "", 3),
    city!("Birmingham", "", 4, 7, 52.49, -1.89, "121", [], "", 6),
    city!("Manchester", "", 4, 7, 53.48, -2.24, "161", [], "", 5),
    city!("Derby", "", 4, 7, 52.92, -1.48, "1332", [], "", 3),
    city!("Bristol", "", 4, 7, 51.45, -2.59, "117", [], "", 3),
    // North America
    city!("Houston", "", 5, 8, 29.76, -95.37, "713", [], "", 6),
    city!("Detroit", "", 5, 8, 42.33, -83.05, "313", [], "", 7),
    city!("Chicago", "", 5, 8, 41.88, -87.63, "312", [], "", 6),
    city!("Seattle", "", 5, 8, 47.61, -122.33, "206", [], "", 4),
    city!("Wichita", "", 5, 8, 37.69, -97.34, "316", [], "", 3),
    city!("Charlotte", "", 5, 8, 35.23, -80.84, "704", [], "", 4),
    city!("Los Angeles", "", 5, 8, 34.05, -118.24, "213", [], "", 5),
    city!("Toronto", "", 6, 8, 43.65, -79.38, "416", [], "", 6),
    city!("Montreal", "", 6, 8, 45.50, -73.57, "514", [], "", 5),
    city!("Windsor", "", 6, 8, 42.31, -83.04, "519", [], "", 3),
    // Latin America
    city!("Monterrey", "", 7, 11, 25.69, -100.32, "81", [], "", 7),
    city!("Querétaro", "", 7, 11, 20.59, -100.39, "442", [], "", 5),
    city!("Guadalajara", "", 7, 11, 20.66, -103.35, "33", [], "", 5),
    city!("Saltillo", "", 7, 11, 25.42, -101.00, "844", [], "", 3),
    city!("São Paulo", "", 8, 11, -23.55, -46.63, "11", [], "", 8),
    city!("Joinville", "", 8, 11, -26.30, -48.85, "47", [], "", 3),
    city!("Campinas", "", 8, 11, -22.91, -47.06, "19", [], "", 4),
    city!("São José dos Campos", "", 8, 11, -23.18, -45.89, "12", [], "", 3),
    // Southeast Asia
    city!("Singapore", "", 9, 9, 1.35, 103.82, "", [], "", 10),
    city!("Ho Chi Minh City", "", 10, 9, 10.82, 106.63, "28", [], "", 6),
    city!("Hanoi", "", 10, 9, 21.03, 105.85, "24", [], "", 5),
    city!("Hai Phong", "", 10, 9, 20.84, 106.69, "225", [], "", 3),
    city!("Bac Ninh", "", 10, 9, 21.19, 106.08, "222", [], "", 3),
    city!("Bangkok", "", 11, 9, 13.76, 100.50, "2", [], "", 6),
    city!("Chonburi", "", 11, 9, 13.36, 100.98, "38", [], "", 4),
    city!("Rayong", "", 11, 9, 12.68, 101.28, "38", [], "", 4),
    city!("Penang", "", 12, 9, 5.41, 100.33, "4", [], "", 5),
    city!("Kuala Lumpur", "", 12, 9, 3.139, 101.687, "3", [], "", 5),
    city!("Johor Bahru", "", 12, 9, 1.49, 103.74, "7", [], "", 3),
    city!("Shah Alam", "", 12, 9, 3.07, 101.52, "3", [], "", 3),
    // Middle East
    city!("Dubai", "", 13, 12, 25.20, 55.27, "4", [], "", 8),
    city!("Abu Dhabi", "", 13, 12, 24.45, 54.38, "2", [], "", 4),
    city!("Sharjah", "", 13, 12, 25.35, 55.42, "6", [], "", 3),
    city!("Riyadh", "", 14, 12, 24.71, 46.68, "11", [], "", 6),
    city!("Jeddah", "", 14, 12, 21.49, 39.19, "12", [], "", 4),
    city!("Dammam", "", 14, 12, 26.42, 50.09, "13", [], "", 4),
    // Japan & Korea
    city!("Nagoya", "", 15, 10, 35.18, 136.91, "52", [], "", 7),
    city!("Osaka", "", 15, 10, 34.69, 135.50, "6", [], "", 6),
    city!("Tokyo", "", 15, 10, 35.68, 139.69, "3", [], "", 7),
    city!("Hamamatsu", "", 15, 10, 34.71, 137.73, "53", [], "", 3),
    city!("Ulsan", "", 16, 10, 35.54, 129.31, "52", [], "", 5),
    city!("Changwon", "", 16, 10, 35.23, 128.68, "55", [], "", 4),
    city!("Seoul", "", 16, 10, 37.57, 126.98, "2", [], "", 6),
    city!("Incheon", "", 16, 10, 37.46, 126.71, "32", [], "", 4),
];

/// Industrial parks used in some Chinese addresses.
#[rustfmt::skip]
pub(crate) const CN_PARKS: &[&str] =
    &["经济技术开发区", "高新技术产业园", "先进制造产业园", "临空经济区", "智能装备产业园", "保税区"];

/// Chinese New Year's day (the factory shutdown is around it), by Gregorian year.
#[rustfmt::skip]
pub(crate) const CHINESE_NEW_YEAR: &[(i32, u32, u32)] = &[
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 3),
    (2031, 1, 23),
    (2032, 2, 11),
    (2033, 1, 31),
    (2034, 2, 19),
    (2035, 2, 8),
];
