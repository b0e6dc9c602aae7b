//! Industries and the product catalogue the demo company sells.

/// An industry the customers work in.
pub(crate) struct Industry {
    /// Stored in `Customer::industry` for Chinese customers.
    pub zh: &'static str,
    /// Stored in `Customer::industry` for customers abroad.
    pub en: &'static str,
    /// The trade in Chinese company names (机床, 液压科技…).
    pub zh_words: &'static [&'static str],
    /// Short-name trade (精工**机床**).
    pub zh_short: &'static str,
    /// The trade in English company names.
    pub en_words: &'static [&'static str],
    /// Slug for e-mail domains.
    pub slug: &'static str,
    /// `(category index, weight)`: what such customers buy from us.
    pub buys: &'static [(usize, u32)],
    /// Relative complaint rate (aerospace and medical customers inspect harder).
    pub strictness: f64,
}

pub(crate) const IND_LOGISTICS: usize = 4;
pub(crate) const IND_DISTRIBUTION: usize = 11;
pub(crate) const IND_SUPPLY: usize = 12;
pub(crate) const IND_AEROSPACE: usize = 1;
pub(crate) const IND_AUTOMOTIVE: usize = 2;
pub(crate) const IND_MEDICAL: usize = 9;

#[rustfmt::skip]
pub(crate) const INDUSTRIES: &[Industry] = &[
    Industry {
        zh: "机床",
        en: "CNC machine tools",
        zh_words: &["机床", "数控机床", "精密机械", "数控设备", "机械制造"],
        zh_short: "机床",
        en_words: &["Machine Tools", "Precision Machining", "CNC Systems", "Machine Works"],
        slug: "machine",
        buys: &[(2, 3), (0, 3), (8, 3), (9, 2), (1, 1), (7, 1), (10, 1), (5, 1)],
        strictness: 1.0,
    },
    Industry {
        zh: "航空航天",
        en: "Aerospace",
        zh_words: &["航空部件", "航空科技", "航空装备", "航天精密", "航空制造"],
        zh_short: "航空",
        en_words: &["Aerospace", "Aero Components", "Aviation Systems", "Aerostructures"],
        slug: "aero",
        buys: &[(3, 5), (11, 3), (0, 2), (7, 1), (10, 1), (5, 1)],
        strictness: 1.6,
    },
    Industry {
        zh: "汽车零部件",
        en: "Automotive parts",
        zh_words: &["汽车零部件", "汽配", "汽车部件", "动力总成", "底盘系统"],
        zh_short: "汽配",
        en_words: &["Automotive", "Auto Parts", "Drivetrain Components", "Automotive Systems"],
        slug: "auto",
        buys: &[(0, 3), (7, 2), (11, 3), (4, 2), (1, 1), (5, 1)],
        strictness: 1.2,
    },
    Industry {
        zh: "电子制造",
        en: "Electronics manufacturing",
        zh_words: &["电子", "电子科技", "智能科技", "电子制造", "微电子"],
        zh_short: "电子",
        en_words: &["Electronics", "Circuit Systems", "Embedded Systems", "Electronic Assemblies"],
        slug: "tech",
        buys: &[(4, 5), (9, 2), (5, 2), (10, 1)],
        strictness: 1.0,
    },
    Industry {
        zh: "物流",
        en: "Logistics",
        zh_words: &["物流", "供应链管理", "国际货运代理", "国际物流", "仓储物流"],
        zh_short: "物流",
        en_words: &["Logistics", "Freight", "Supply Chain Services", "Shipping & Forwarding"],
        slug: "logistics",
        buys: &[(6, 6), (5, 2)],
        strictness: 0.8,
    },
    Industry {
        zh: "化工",
        en: "Chemicals",
        zh_words: &["化工", "新材料", "精细化工", "化学"],
        zh_short: "化工",
        en_words: &["Chemicals", "Polymers", "Specialty Materials", "Coatings"],
        slug: "chem",
        buys: &[(10, 5), (5, 2), (7, 1), (1, 1)],
        strictness: 0.9,
    },
    Industry {
        zh: "能源装备",
        en: "Energy equipment",
        zh_words: &["能源装备", "电力设备", "风电设备", "新能源科技", "电气"],
        zh_short: "能源",
        en_words: &["Energy Systems", "Power Equipment", "Wind Components", "Energy Solutions"],
        slug: "energy",
        buys: &[(12, 3), (0, 2), (8, 2), (11, 2), (1, 1)],
        strictness: 1.1,
    },
    Industry {
        zh: "工程机械",
        en: "Construction machinery",
        zh_words: &["工程机械", "重工", "机械设备"],
        zh_short: "重工",
        en_words: &["Heavy Equipment", "Construction Machinery", "Earthmoving Parts"],
        slug: "heavy",
        buys: &[(1, 4), (0, 2), (7, 2), (11, 2), (8, 1)],
        strictness: 0.9,
    },
    Industry {
        zh: "轨道交通",
        en: "Rail transit",
        zh_words: &["轨道交通装备", "轨道交通设备", "轨道科技"],
        zh_short: "轨交",
        en_words: &["Rail Systems", "Railway Components"],
        slug: "rail",
        buys: &[(0, 2), (11, 2), (4, 1), (9, 2), (7, 1)],
        strictness: 1.2,
    },
    Industry {
        zh: "医疗器械",
        en: "Medical devices",
        zh_words: &["医疗器械", "医疗科技", "生物医疗"],
        zh_short: "医疗",
        en_words: &["Medical Devices", "MedTech", "Surgical Instruments"],
        slug: "med",
        buys: &[(4, 3), (9, 2), (10, 1), (5, 2), (11, 1)],
        strictness: 1.5,
    },
    Industry {
        zh: "液压气动",
        en: "Hydraulics & pneumatics",
        zh_words: &["液压科技", "液压", "流体控制", "液压气动"],
        zh_short: "液压",
        en_words: &["Hydraulics", "Fluid Power", "Motion Control"],
        slug: "hydraulic",
        buys: &[(1, 5), (7, 3), (11, 1)],
        strictness: 1.0,
    },
    Industry {
        zh: "工业品分销",
        en: "Industrial distribution",
        zh_words: &["机电设备", "五金机电", "工业自动化", "轴承"],
        zh_short: "机电",
        en_words: &["Industrial Supply", "Industrial Distribution", "Bearings & Transmission", "Trading"],
        slug: "supply",
        buys: &[(0, 3), (1, 2), (7, 2), (8, 2), (9, 2), (3, 1)],
        strictness: 0.8,
    },
    Industry {
        zh: "原材料",
        en: "Materials",
        zh_words: &["金属材料", "特钢", "包装材料", "新材料"],
        zh_short: "材料",
        en_words: &["Metals", "Steel Trading", "Packaging", "Materials"],
        slug: "materials",
        buys: &[(5, 2), (10, 2), (11, 2)],
        strictness: 0.8,
    },
];

/// Weights of the manufacturing industries for end customers and OEMs (not logistics/distribution/materials).
#[rustfmt::skip]
pub(crate) const MAKER_INDUSTRIES: &[(usize, u32)] =
    &[(0, 16), (1, 9), (2, 18), (3, 15), (5, 7), (6, 9), (7, 8), (8, 5), (9, 5), (10, 8)];

pub(crate) struct Product {
    pub zh: &'static str,
    pub en: &'static str,
    /// List price in fen (CNY minor units).
    pub price: i64,
    /// Quantities come in multiples of this.
    pub lot: u32,
}

pub(crate) struct Category {
    pub zh: &'static str,
    pub en: &'static str,
    pub products: &'static [Product],
    /// Typical defects `(zh, en)` for complaints.
    pub defects: &'static [(&'static str, &'static str)],
    /// Freight and services: margins are thinner.
    pub service: bool,
}

macro_rules! p {
    ($zh:literal, $en:literal, $yuan:literal, $lot:literal) => {
        Product { zh: $zh, en: $en, price: ($yuan * 100.0 + 0.5) as i64, lot: $lot }
    };
}

#[rustfmt::skip]
pub(crate) const CATEGORIES: &[Category] = &[
    Category {
        zh: "轴承",
        en: "Bearings",
        products: &[
            p!("深沟球轴承 6205-2RS", "Deep groove ball bearing 6205-2RS", 12.5, 100),
            p!("圆锥滚子轴承 32210", "Tapered roller bearing 32210", 95.0, 10),
            p!("主轴轴承 7014C P4", "Spindle bearing 7014C P4", 780.0, 2),
            p!("交叉滚子轴承 RU228", "Crossed roller bearing RU228", 3600.0, 1),
            p!("调心滚子轴承 22220", "Spherical roller bearing 22220", 420.0, 1),
        ],
        defects: &[
            ("噪音异常", "abnormal noise"), ("游隙超差", "radial clearance out of tolerance"),
            ("外圈锈蚀", "rust on the outer ring"), ("保持架断裂", "cage fracture"),
        ],
        service: false,
    },
    Category {
        zh: "液压阀",
        en: "Hydraulic valves",
        products: &[
            p!("电磁换向阀 4WE6", "Solenoid directional valve 4WE6", 560.0, 1),
            p!("比例溢流阀 DBETE", "Proportional relief valve DBETE", 2800.0, 1),
            p!("叠加式单向阀 Z2S6", "Modular check valve Z2S6", 240.0, 1),
            p!("轴向柱塞泵 A10VSO45", "Axial piston pump A10VSO45", 13500.0, 1),
            p!("液压阀块总成", "Hydraulic manifold assembly", 4200.0, 1),
        ],
        defects: &[
            ("内泄漏超标", "internal leakage above limit"), ("阀芯卡滞", "spool sticking"), ("线圈烧毁", "burnt solenoid coil"),
            ("油口螺纹损伤", "damaged port threads"),
        ],
        service: false,
    },
    Category {
        zh: "数控主轴",
        en: "CNC spindles",
        products: &[
            p!("电主轴 BT40 12000rpm", "Motorized spindle BT40 12,000 rpm", 38000.0, 1),
            p!("机械主轴 BT30", "Belt-driven spindle BT30", 14500.0, 1),
            p!("车削主轴单元 A2-6", "Lathe spindle unit A2-6", 22000.0, 1),
            p!("主轴维修服务", "Spindle repair service", 8500.0, 1),
        ],
        defects: &[
            ("振动超标", "vibration above limit"), ("温升过高", "overheating"), ("径向跳动超差", "runout out of tolerance"),
            ("拉刀机构失效", "drawbar failure"),
        ],
        service: false,
    },
    Category {
        zh: "航空紧固件",
        en: "Aerospace fasteners",
        products: &[
            p!("钛合金高锁螺栓 HL10", "Titanium Hi-Lok pin HL10", 38.0, 100),
            p!("自锁螺母 NAS1291", "Self-locking nut NAS1291", 7.5, 100),
            p!("实心铆钉 MS20470", "Solid rivet MS20470", 0.85, 1000),
            p!("托板螺母 MS21047", "Anchor nut MS21047", 16.0, 100),
            p!("钢丝螺套 MS21209", "Helical insert MS21209", 4.2, 100),
        ],
        defects: &[
            ("螺纹通止规检验不合格", "thread gauge failure"), ("镀层脱落", "plating peeling"),
            ("材质证明缺失", "missing material certificate"), ("批次混料", "mixed lots"),
        ],
        service: false,
    },
    Category {
        zh: "PCB 组件",
        en: "PCB assemblies",
        products: &[
            p!("四层控制板 PCBA", "4-layer controller PCBA", 185.0, 10),
            p!("24V 电源模块", "24 V power supply module", 320.0, 10),
            p!("传感器接口板", "Sensor interface board", 95.0, 10),
            p!("伺服驱动板", "Servo driver board", 560.0, 10),
        ],
        defects: &[
            ("虚焊", "cold solder joints"), ("功能测试失败", "failed functional test"), ("元器件错料", "wrong component fitted"),
            ("静电损伤", "ESD damage"),
        ],
        service: false,
    },
    Category {
        zh: "包装材料",
        en: "Packaging",
        products: &[
            p!("出口熏蒸木箱", "Fumigated export crate", 680.0, 1),
            p!("VCI 防锈膜（卷）", "VCI anti-corrosion film (roll)", 320.0, 1),
            p!("免熏蒸托盘", "Heat-treated pallet", 115.0, 10),
            p!("珍珠棉内衬", "EPE foam insert", 6.5, 100),
        ],
        defects: &[("木箱破损", "damaged crate"), ("受潮", "moisture damage"), ("尺寸不符", "wrong dimensions")],
        service: false,
    },
    Category {
        zh: "货运服务",
        en: "Freight services",
        products: &[
            p!("海运整柜 40HQ 上海-汉堡", "Ocean freight 40HQ Shanghai–Hamburg", 16500.0, 1),
            p!("海运拼箱 宁波-新加坡（每立方）", "LCL Ningbo–Singapore (per CBM)", 420.0, 1),
            p!("空运 浦东-法兰克福（每百公斤）", "Air freight PVG–FRA (per 100 kg)", 3800.0, 1),
            p!("报关服务", "Customs clearance", 600.0, 1),
            p!("仓储服务（托盘·月）", "Warehousing (pallet-month)", 65.0, 10),
            p!("国内零担运输", "Domestic LTL trucking", 1200.0, 1),
        ],
        defects: &[
            ("运输延误", "shipment delayed"), ("货物破损", "cargo damaged"), ("单证错误", "wrong shipping documents"),
            ("清关滞留", "held at customs"),
        ],
        service: true,
    },
    Category {
        zh: "密封件",
        en: "Seals",
        products: &[
            p!("氟橡胶 O 型圈", "FKM O-ring", 1.8, 100),
            p!("液压油封 TC 型", "Hydraulic oil seal type TC", 18.0, 10),
            p!("机械密封", "Mechanical seal", 950.0, 1),
        ],
        defects: &[
            ("尺寸超差", "dimensions out of tolerance"), ("硬度不合格", "hardness out of spec"), ("老化开裂", "cracking"),
        ],
        service: false,
    },
    Category {
        zh: "传动部件",
        en: "Motion components",
        products: &[
            p!("行星减速机 PLF90", "Planetary gearbox PLF90", 3200.0, 1),
            p!("斜齿轮", "Helical gear", 680.0, 1),
            p!("精密滚珠丝杠", "Precision ball screw", 1900.0, 1),
            p!("直线导轨", "Linear guide rail", 850.0, 1),
        ],
        defects: &[
            ("背隙超标", "backlash too high"), ("齿面磨损", "tooth wear"), ("运行异响", "abnormal running noise"),
        ],
        service: false,
    },
    Category {
        zh: "电机与驱动",
        en: "Motors & drives",
        products: &[
            p!("伺服电机 1.5kW", "Servo motor 1.5 kW", 2900.0, 1),
            p!("变频器 7.5kW", "Variable frequency drive 7.5 kW", 2300.0, 1),
            p!("步进电机", "Stepper motor", 260.0, 10),
        ],
        defects: &[("编码器故障", "encoder fault"), ("过热报警", "overheat alarm"), ("绝缘不良", "poor insulation")],
        service: false,
    },
    Category {
        zh: "化工原料",
        en: "Chemicals",
        products: &[
            p!("全合成切削液（200 升）", "Synthetic cutting fluid (200 L drum)", 3600.0, 1),
            p!("环氧树脂（公斤）", "Epoxy resin (kg)", 38.0, 25),
            p!("工业清洗剂（25 升）", "Industrial degreaser (25 L)", 420.0, 1),
            p!("防锈油（18 升）", "Rust-preventive oil (18 L)", 260.0, 1),
        ],
        defects: &[
            ("批次色差", "batch colour deviation"), ("浓度不达标", "concentration out of spec"),
            ("安全技术说明书缺失", "missing safety data sheet"),
        ],
        service: false,
    },
    Category {
        zh: "铸锻件",
        en: "Castings & forgings",
        products: &[
            p!("球墨铸铁壳体", "Ductile iron housing", 460.0, 1),
            p!("锻造法兰 DN200", "Forged flange DN200", 1350.0, 1),
            p!("铝合金压铸件", "Aluminium die-cast part", 85.0, 10),
            p!("钛合金锻件", "Titanium alloy forging", 12000.0, 1),
        ],
        defects: &[
            ("气孔", "porosity"), ("尺寸超差", "dimensional deviation"), ("探伤不合格", "failed NDT inspection"),
        ],
        service: false,
    },
    Category {
        zh: "风电部件",
        en: "Wind power components",
        products: &[
            p!("偏航轴承", "Yaw bearing", 168000.0, 1),
            p!("变桨减速机", "Pitch drive gearbox", 46000.0, 1),
            p!("塔筒法兰", "Tower flange", 28000.0, 1),
        ],
        defects: &[
            ("防腐涂层缺陷", "coating defect"), ("硬度不足", "insufficient hardness"), ("尺寸超差", "dimensional deviation"),
        ],
        service: false,
    },
];

pub(crate) const CAT_PACKAGING: usize = 5;
pub(crate) const CAT_FREIGHT: usize = 6;
pub(crate) const CAT_CHEMICALS: usize = 10;
