//! Names: people (by culture), company brands, the sales team and the service desk.

/// `(display, ascii)`: the ascii form builds e-mail addresses and domains.
pub(crate) type N = (&'static str, &'static str);

pub(crate) struct People {
    /// Given names, or full names when `last` is empty.
    pub first: &'static [N],
    pub last: &'static [N],
    /// Family name first, without a space (Chinese) or with one (Vietnamese).
    pub family_first: bool,
    /// Chinese names are written without a space.
    pub joined: bool,
}

#[rustfmt::skip]
pub(crate) const PEOPLE: &[People] = &[
    // 0: Chinese
    People {
        first: &[
            ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
            ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("涛", "tao"),
            ("明", "ming"), ("超", "chao"), ("斌", "bin"), ("鹏", "peng"), ("建国", "jianguo"), ("志强", "zhiqiang"),
            ("海燕", "haiyan"), ("晓东", "xiaodong"), ("文博", "wenbo"), ("子涵", "zihan"), ("宇航", "yuhang"), ("俊杰", "junjie"),
            ("雪梅", "xuemei"), ("国华", "guohua"), ("永刚", "yonggang"), ("丽华", "lihua"), ("春生", "chunsheng"),
            ("晓峰", "xiaofeng"), ("佳怡", "jiayi"), ("思远", "siyuan"), ("振华", "zhenhua"), ("立新", "lixin"),
            ("红梅", "hongmei"), ("浩然", "haoran"), ("一鸣", "yiming"), ("嘉欣", "jiaxin"), ("德明", "deming"),
            ("卫东", "weidong"), ("秀英", "xiuying"), ("桂兰", "guilan"), ("志明", "zhiming"), ("海峰", "haifeng"),
        ],
        last: &[
            ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("黄", "huang"),
            ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"),
            ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("高", "gao"), ("郑", "zheng"),
            ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"),
            ("邓", "deng"), ("曹", "cao"), ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
            ("潘", "pan"), ("袁", "yuan"), ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"), ("于", "yu"), ("杜", "du"),
            ("叶", "ye"), ("程", "cheng"), ("魏", "wei"), ("苏", "su"), ("吕", "lv"), ("丁", "ding"), ("沈", "shen"),
            ("姚", "yao"),
        ],
        family_first: true,
        joined: true,
    },
    // 1: German
    People {
        first: &[
            ("Thomas", "thomas"), ("Michael", "michael"), ("Stefan", "stefan"), ("Andreas", "andreas"),
            ("Markus", "markus"), ("Julia", "julia"), ("Katrin", "katrin"), ("Sabine", "sabine"), ("Anna", "anna"),
            ("Lukas", "lukas"), ("Jan", "jan"), ("Claudia", "claudia"), ("Jürgen", "juergen"), ("Petra", "petra"),
            ("Tobias", "tobias"),
        ],
        last: &[
            ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Schneider", "schneider"), ("Fischer", "fischer"),
            ("Weber", "weber"), ("Meyer", "meyer"), ("Wagner", "wagner"), ("Becker", "becker"),
            ("Hoffmann", "hoffmann"), ("Schäfer", "schaefer"), ("Koch", "koch"), ("Richter", "richter"),
            ("Wolf", "wolf"), ("Krüger", "krueger"), ("Neumann", "neumann"),
        ],
        family_first: false,
        joined: false,
    },
    // 2: Italian
    People {
        first: &[
            ("Marco", "marco"), ("Luca", "luca"), ("Giulia", "giulia"), ("Francesca", "francesca"),
            ("Alessandro", "alessandro"), ("Paolo", "paolo"), ("Chiara", "chiara"), ("Matteo", "matteo"),
            ("Elena", "elena"), ("Roberto", "roberto"), ("Silvia", "silvia"), ("Davide", "davide"),
        ],
        last: &[
            ("Rossi", "rossi"), ("Russo", "russo"), ("Ferrari", "ferrari"), ("Esposito", "esposito"),
            ("Bianchi", "bianchi"), ("Romano", "romano"), ("Colombo", "colombo"), ("Ricci", "ricci"),
            ("Marino", "marino"), ("Greco", "greco"), ("Bruno", "bruno"), ("Conti", "conti"), ("Gallo", "gallo"),
            ("Fontana", "fontana"),
        ],
        family_first: false,
        joined: false,
    },
    // 3: French
    People {
        first: &[
            ("Jean", "jean"), ("Pierre", "pierre"), ("Marie", "marie"), ("Sophie", "sophie"), ("Nicolas", "nicolas"),
            ("Julien", "julien"), ("Camille", "camille"), ("Claire", "claire"), ("Laurent", "laurent"),
            ("Antoine", "antoine"), ("Isabelle", "isabelle"), ("Hélène", "helene"),
        ],
        last: &[
            ("Martin", "martin"), ("Bernard", "bernard"), ("Dubois", "dubois"), ("Thomas", "thomas"),
            ("Robert", "robert"), ("Richard", "richard"), ("Petit", "petit"), ("Durand", "durand"), ("Leroy", "leroy"),
            ("Moreau", "moreau"), ("Lefèvre", "lefevre"), ("Girard", "girard"), ("Fournier", "fournier"),
        ],
        family_first: false,
        joined: false,
    },
    // 4: English
    People {
        first: &[
            ("James", "james"), ("John", "john"), ("Robert", "robert"), ("Michael", "michael"), ("David", "david"),
            ("Sarah", "sarah"), ("Emily", "emily"), ("Jennifer", "jennifer"), ("Jessica", "jessica"),
            ("Daniel", "daniel"), ("Matthew", "matthew"), ("Laura", "laura"), ("Chris", "chris"), ("Karen", "karen"),
            ("Brian", "brian"), ("Rachel", "rachel"), ("Mark", "mark"), ("Olivia", "olivia"), ("Steven", "steven"),
            ("Megan", "megan"),
        ],
        last: &[
            ("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"), ("Brown", "brown"),
            ("Jones", "jones"), ("Miller", "miller"), ("Davis", "davis"), ("Wilson", "wilson"), ("Taylor", "taylor"),
            ("Anderson", "anderson"), ("Thomas", "thomas"), ("Moore", "moore"), ("Clark", "clark"),
            ("Walker", "walker"), ("Harris", "harris"), ("Young", "young"), ("Evans", "evans"), ("Hughes", "hughes"),
            ("Campbell", "campbell"), ("Mitchell", "mitchell"),
        ],
        family_first: false,
        joined: false,
    },
    // 5: Spanish (Mexico)
    People {
        first: &[
            ("José", "jose"), ("Luis", "luis"), ("Carlos", "carlos"), ("Juan", "juan"), ("María", "maria"),
            ("Ana", "ana"), ("Fernanda", "fernanda"), ("Alejandro", "alejandro"), ("Jorge", "jorge"),
            ("Gabriela", "gabriela"), ("Ricardo", "ricardo"), ("Sofía", "sofia"), ("Miguel", "miguel"),
            ("Daniela", "daniela"),
        ],
        last: &[
            ("García", "garcia"), ("Hernández", "hernandez"), ("López", "lopez"), ("Martínez", "martinez"),
            ("González", "gonzalez"), ("Rodríguez", "rodriguez"), ("Pérez", "perez"), ("Sánchez", "sanchez"),
            ("Ramírez", "ramirez"), ("Torres", "torres"), ("Flores", "flores"), ("Ramos", "ramos"),
            ("Treviño", "trevino"), ("Garza", "garza"),
        ],
        family_first: false,
        joined: false,
    },
    // 6: Portuguese (Brazil)
    People {
        first: &[
            ("João", "joao"), ("Pedro", "pedro"), ("Lucas", "lucas"), ("Gabriel", "gabriel"), ("Mariana", "mariana"),
            ("Ana", "ana"), ("Juliana", "juliana"), ("Rafael", "rafael"), ("Fernanda", "fernanda"), ("Bruno", "bruno"),
            ("Camila", "camila"), ("Thiago", "thiago"),
        ],
        last: &[
            ("Silva", "silva"), ("Santos", "santos"), ("Oliveira", "oliveira"), ("Souza", "souza"), ("Lima", "lima"),
            ("Pereira", "pereira"), ("Costa", "costa"), ("Ferreira", "ferreira"), ("Almeida", "almeida"),
            ("Carvalho", "carvalho"), ("Ribeiro", "ribeiro"), ("Gomes", "gomes"),
        ],
        family_first: false,
        joined: false,
    },
    // 7: Singapore / Malaysia (full names)
    People {
        first: &[
            ("Tan Wei Jie", "weijie.tan"), ("Lim Hui Min", "huimin.lim"), ("Rachel Ng", "rachel.ng"),
            ("Daniel Goh", "daniel.goh"), ("Priya Nair", "priya.nair"), ("Muhammad Hafiz", "hafiz"),
            ("Ahmad Faizal", "faizal"), ("Nurul Huda", "nurul.huda"), ("Lee Chong Wei", "chongwei.lee"),
            ("Siti Aminah", "siti.aminah"), ("Rajesh Kumar", "rajesh.kumar"), ("Wong Mei Ling", "meiling.wong"),
            ("Kelvin Teo", "kelvin.teo"), ("Jasmine Chua", "jasmine.chua"), ("Arif Rahman", "arif.rahman"),
            ("Ong Boon Keat", "boonkeat.ong"),
        ],
        last: &[],
        family_first: false,
        joined: false,
    },
    // 8: Vietnamese
    People {
        first: &[
            ("Van Hung", "hung"), ("Thi Lan", "lan"), ("Minh Tuan", "tuan"), ("Thi Mai", "mai"), ("Duc Anh", "anh"),
            ("Quoc Bao", "bao"), ("Thanh Huong", "huong"), ("Hoang Nam", "nam"), ("Thu Trang", "trang"),
            ("Van Long", "long"),
        ],
        last: &[
            ("Nguyen", "nguyen"), ("Tran", "tran"), ("Le", "le"), ("Pham", "pham"), ("Hoang", "hoang"),
            ("Phan", "phan"), ("Vu", "vu"), ("Dang", "dang"), ("Bui", "bui"), ("Do", "do"),
        ],
        family_first: true,
        joined: false,
    },
    // 9: Thai
    People {
        first: &[
            ("Somchai", "somchai"), ("Somsak", "somsak"), ("Nattapong", "nattapong"), ("Siriporn", "siriporn"),
            ("Kanya", "kanya"), ("Wichai", "wichai"), ("Pimchanok", "pimchanok"), ("Anan", "anan"),
            ("Supaporn", "supaporn"), ("Thanawat", "thanawat"),
        ],
        last: &[
            ("Srisuk", "srisuk"), ("Chaiyaporn", "chaiyaporn"), ("Wongsawat", "wongsawat"),
            ("Rattanakul", "rattanakul"), ("Saetang", "saetang"), ("Boonmee", "boonmee"), ("Kittisak", "kittisak"),
            ("Phromma", "phromma"),
        ],
        family_first: false,
        joined: false,
    },
    // 10: Arabic
    People {
        first: &[
            ("Mohammed", "mohammed"), ("Ahmed", "ahmed"), ("Omar", "omar"), ("Khalid", "khalid"),
            ("Abdullah", "abdullah"), ("Faisal", "faisal"), ("Yousef", "yousef"), ("Fatima", "fatima"),
            ("Aisha", "aisha"), ("Noura", "noura"), ("Hassan", "hassan"), ("Saeed", "saeed"),
        ],
        last: &[
            ("Al-Mansouri", "almansouri"), ("Al-Hashimi", "alhashimi"), ("Al-Qahtani", "alqahtani"),
            ("Al-Harbi", "alharbi"), ("Al-Zahrani", "alzahrani"), ("Al-Otaibi", "alotaibi"), ("Haddad", "haddad"),
            ("Khalil", "khalil"), ("Nasser", "nasser"), ("Al-Shamsi", "alshamsi"),
        ],
        family_first: false,
        joined: false,
    },
    // 11: Japanese
    People {
        first: &[
            ("Hiroshi", "hiroshi"), ("Takeshi", "takeshi"), ("Kenji", "kenji"), ("Yuki", "yuki"), ("Akira", "akira"),
            ("Naoko", "naoko"), ("Yuko", "yuko"), ("Satoshi", "satoshi"), ("Daisuke", "daisuke"), ("Haruka", "haruka"),
            ("Kazuo", "kazuo"), ("Emi", "emi"),
        ],
        last: &[
            ("Sato", "sato"), ("Suzuki", "suzuki"), ("Takahashi", "takahashi"), ("Tanaka", "tanaka"),
            ("Watanabe", "watanabe"), ("Ito", "ito"), ("Yamamoto", "yamamoto"), ("Nakamura", "nakamura"),
            ("Kobayashi", "kobayashi"), ("Kato", "kato"), ("Yoshida", "yoshida"), ("Yamada", "yamada"),
        ],
        family_first: false,
        joined: false,
    },
    // 12: Korean
    People {
        first: &[
            ("Min-jun", "minjun"), ("Seo-yeon", "seoyeon"), ("Ji-hoon", "jihoon"), ("Ji-woo", "jiwoo"),
            ("Hyun-woo", "hyunwoo"), ("Soo-jin", "soojin"), ("Dong-hyun", "donghyun"), ("Eun-ji", "eunji"),
            ("Sung-min", "sungmin"), ("Ye-jin", "yejin"),
        ],
        last: &[
            ("Kim", "kim"), ("Lee", "lee"), ("Park", "park"), ("Choi", "choi"), ("Jung", "jung"), ("Kang", "kang"),
            ("Cho", "cho"), ("Yoon", "yoon"), ("Jang", "jang"), ("Lim", "lim"),
        ],
        family_first: false,
        joined: false,
    },
];

/// Two-character brands of Chinese companies (字号), with pinyin for domains.
#[rustfmt::skip]
pub(crate) const CN_BRANDS: &[N] = &[
    ("精工", "jinggong"), ("海帆", "haifan"), ("恒力", "hengli"), ("华锐", "huarui"), ("天成", "tiancheng"), ("永固", "yonggu"),
    ("鼎盛", "dingsheng"), ("宏达", "hongda"), ("瑞丰", "ruifeng"), ("金桥", "jinqiao"), ("远航", "yuanhang"), ("博远", "boyuan"),
    ("嘉诚", "jiacheng"), ("立信", "lixin"), ("华创", "huachuang"), ("润泰", "runtai"), ("恒通", "hengtong"), ("中联", "zhonglian"),
    ("东方", "dongfang"), ("新锐", "xinrui"), ("凯达", "kaida"), ("联创", "lianchuang"), ("科瑞", "kerui"), ("长盛", "changsheng"),
    ("广越", "guangyue"), ("泰和", "taihe"), ("信达", "xinda"), ("鸿运", "hongyun"), ("德润", "derun"), ("中驰", "zhongchi"),
    ("奥林", "aolin"), ("巨力", "juli"), ("华达", "huada"), ("航宇", "hangyu"), ("翔宇", "xiangyu"), ("天骄", "tianjiao"),
    ("云帆", "yunfan"), ("启航", "qihang"), ("卓越", "zhuoyue"), ("致远", "zhiyuan"), ("锦程", "jincheng"), ("万通", "wantong"),
    ("百川", "baichuan"), ("千里", "qianli"), ("鑫源", "xinyuan"), ("金鼎", "jinding"), ("银河", "yinhe"), ("星辰", "xingchen"),
    ("晨光", "chenguang"), ("朝阳", "chaoyang"), ("青峰", "qingfeng"), ("蓝海", "lanhai"), ("绿源", "lvyuan"),
    ("精诚", "jingcheng"), ("鼎力", "dingli"), ("恒远", "hengyuan"), ("盛达", "shengda"), ("腾飞", "tengfei"), ("飞鹰", "feiying"),
    ("雄鹰", "xiongying"), ("巨星", "juxing"), ("众诚", "zhongcheng"), ("同创", "tongchuang"), ("协力", "xieli"),
    ("合众", "hezhong"), ("宏远", "hongyuan"), ("亿达", "yida"), ("安泰", "antai"), ("康达", "kangda"), ("荣信", "rongxin"),
    ("顺发", "shunfa"), ("利华", "lihua"), ("隆鑫", "longxin"), ("德力", "deli"), ("普瑞", "purui"), ("博瑞", "borui"),
    ("睿智", "ruizhi"), ("华信", "huaxin"), ("汇通", "huitong"), ("兴业", "xingye"), ("盈科", "yingke"), ("天工", "tiangong"),
    ("匠心", "jiangxin"), ("神工", "shengong"), ("铭扬", "mingyang"), ("锐驰", "ruichi"), ("驰宇", "chiyu"), ("晶华", "jinghua"),
    ("光启", "guangqi"), ("恒昌", "hengchang"), ("中天", "zhongtian"), ("新宇", "xinyu"), ("速通", "sutong"), ("路通", "lutong"),
    ("通达", "tongda"), ("顺达", "shunda"), ("安达", "anda"), ("宝利", "baoli"), ("金盛", "jinsheng"), ("富华", "fuhua"),
    ("嘉华", "jiahua"), ("华星", "huaxing"), ("凯胜", "kaisheng"), ("海德", "haide"), ("德瑞", "derui"), ("科力", "keli"),
    ("创力", "chuangli"), ("迈科", "maike"), ("瑞普", "ruipu"), ("奥特", "aote"), ("斯达", "sida"), ("诺维", "nuowei"),
    ("恒泰", "hengtai"), ("海诺", "hainuo"), ("华瑞", "huarui"), ("申达", "shenda"), ("江南", "jiangnan"), ("中川", "zhongchuan"),
    ("天宇", "tianyu"), ("金马", "jinma"),
];

/// International brands of foreign companies, mixed with each country's local ones.
#[rustfmt::skip]
pub(crate) const INTL_BRANDS: &[N] = &[
    ("Northwind", "northwind"), ("Alpine", "alpine"), ("Summit", "summit"), ("Apex", "apex"), ("Meridian", "meridian"),
    ("Keystone", "keystone"), ("Orion", "orion"), ("Atlas", "atlas"), ("Falcon", "falcon"), ("Harbor", "harbor"),
    ("Pacific", "pacific"), ("Sterling", "sterling"), ("Vanguard", "vanguard"), ("Crescent", "crescent"),
    ("Evergreen", "evergreen"), ("Horizon", "horizon"), ("Redwood", "redwood"), ("Silverline", "silverline"),
    ("Bluewater", "bluewater"), ("Ironbridge", "ironbridge"), ("Kingsway", "kingsway"), ("Lakeside", "lakeside"),
    ("Norland", "norland"), ("Westfield", "westfield"), ("Pinnacle", "pinnacle"), ("Beacon", "beacon"),
    ("Cobalt", "cobalt"), ("Granite", "granite"), ("Titan", "titan"), ("Polaris", "polaris"), ("Zenith", "zenith"),
    ("Aurora", "aurora"), ("Vector", "vector"), ("Nova", "nova"), ("Trident", "trident"), ("Ridgeway", "ridgeway"),
    ("Highland", "highland"), ("Eastgate", "eastgate"), ("Riverside", "riverside"), ("Oakridge", "oakridge"),
];

/// Descriptors sometimes placed between brand and trade in English names.
#[rustfmt::skip]
pub(crate) const DESCRIPTORS: &[&str] =
    &["Precision", "Industrial", "Advanced", "Global", "Technical", "International"];

/// Our sales reps and the regions (indices into `geo::REGIONS`) each one covers, most important first.
#[rustfmt::skip]
pub(crate) const REPS: &[(&str, &[usize])] = &[
    ("王磊", &[0]),
    ("李娜", &[0]),
    ("陈静", &[1]),
    ("周涛", &[1]),
    ("张伟", &[2, 6]),
    ("刘洋", &[3, 4]),
    ("赵敏", &[5, 4]),
    ("Anna Schmidt", &[7]),
    ("Kevin Zhang", &[8, 11]),
    ("Sarah Lim", &[9]),
    ("Emily Chen", &[10, 7]),
    ("Omar Haddad", &[12]),
];

/// Service desk (客服) and application engineers: ticket assignees and team members.
pub(crate) const SUPPORT_CN: &[&str] = &["孙丽", "马强", "何静", "郭峰"];
pub(crate) const SUPPORT_INTL: &[&str] = &["Lisa Wong", "Tom Becker", "Mei Chen"];

/// Job titles and departments: `(zh title, zh department, en title, en department)`; the first is the usual primary contact.
#[rustfmt::skip]
pub(crate) const TITLES: &[(&str, &str, &str, &str)] = &[
    ("采购经理", "采购部", "Purchasing Manager", "Procurement"),
    ("采购专员", "采购部", "Buyer", "Procurement"),
    ("质量工程师", "质量部", "Quality Engineer", "Quality"),
    ("财务主管", "财务部", "Accounts Payable", "Finance"),
    ("总经理", "总经办", "Managing Director", "Management"),
    ("技术总监", "技术部", "Engineering Manager", "Engineering"),
    ("供应链经理", "供应链部", "Supply Chain Manager", "Supply Chain"),
    ("仓库主管", "物流部", "Logistics Coordinator", "Logistics"),
];

pub(crate) const LEAD_SOURCES_CN: &[&str] =
    &["展会", "官网询盘", "老客户推荐", "行业协会", "电话开发", "招投标", "1688"];
#[rustfmt::skip]
pub(crate) const LEAD_SOURCES_INTL: &[&str] =
    &["Canton Fair", "Hannover Messe", "Website inquiry", "Referral", "Alibaba.com", "LinkedIn", "Agent"];
