//! The account itself: company name, address, contacts, tags and registration code.

use super::*;
use std::fmt::Write as _;

pub(super) struct Identity {
    pub(super) name: String,
    pub(super) short_name: String,
    pub(super) address: String,
    pub(super) domain: String,
    pub(super) brand: names::N,
    /// Set when this account can be a parent company.
    pub(super) group_word: Option<&'static str>,
}

impl Gen<'_> {
    pub(super) fn identity(&mut self, r: &mut Rng, p: &Profile, parent: Option<&Group>, id: &str) -> Identity {
        let city = &CITIES[p.city];
        let country = &COUNTRIES[p.country];
        let ind = ind_of(p.industry);
        let mut name = String::with_capacity(48);
        let mut brand = ("", "");
        let mut word = "";
        let mut suffix = "";
        let mut descriptor = "";
        let mut accepted = false;
        for _ in 0..5 {
            name.clear();
            if let Some(g) = parent {
                brand = g.brand;
                word = g.word;
                if p.china {
                    let _ = write!(name, "{}{}（{}）有限公司", brand.0, word, city.name);
                } else {
                    suffix = *r.pick_w(country.suffixes);
                    let _ = write!(name, "{} {} {} {}", brand.0, word, country.label, suffix);
                }
            } else if p.china {
                brand = *r.pick(names::CN_BRANDS);
                word = *r.pick(ind.zh_words);
                suffix = *r.pick_w(country.suffixes);
                if r.chance(0.88) {
                    name.push_str(city.name);
                }
                let _ = write!(name, "{}{}{}", brand.0, word, suffix);
            } else {
                brand = if !country.brands.is_empty() && r.chance(0.35) {
                    *r.pick(country.brands)
                } else {
                    *r.pick(names::INTL_BRANDS)
                };
                word = *r.pick(ind.en_words);
                descriptor = if r.chance(0.3) { *r.pick(names::DESCRIPTORS) } else { "" };
                if word.contains(descriptor) {
                    descriptor = "";
                }
                suffix = *r.pick_w(country.suffixes);
                name.push_str(brand.0);
                if !descriptor.is_empty() {
                    name.push(' ');
                    name.push_str(descriptor);
                }
                let _ = write!(name, " {word} {suffix}");
            }
            if self.names.insert(fnv(&name)) {
                accepted = true;
                break;
            }
        }
        if !accepted {
            // A branch of an existing company: （苏州分公司）, （滨江分公司）, （第 3 分公司）, – Branch 2.
            let base = name.clone();
            for k in 0..6 {
                name.clear();
                if p.china {
                    let district = city.districts.get(k).copied().unwrap_or("");
                    let short = district.trim_end_matches(['区', '县', '市', '镇']);
                    if k == 0 && !base.contains(city.name) {
                        let _ = write!(name, "{base}（{}分公司）", city.name);
                    } else if !short.is_empty() && !base.contains(short) {
                        let _ = write!(name, "{base}（{short}分公司）");
                    } else {
                        let _ = write!(name, "{base}（第 {} 分公司）", k + 2);
                    }
                } else {
                    let _ = write!(name, "{base} – Branch {}", k + 2);
                }
                if self.names.insert(fnv(&name)) {
                    accepted = true;
                    break;
                }
            }
            if !accepted {
                name.clear();
                let _ = write!(name, "{base} – {id}");
                self.names.insert(fnv(&name));
            }
        }
        let short_name = if p.china {
            if parent.is_some() {
                format!("{}{}（{}）", brand.0, ind.zh_short, city.name)
            } else {
                format!("{}{}", brand.0, ind.zh_short)
            }
        } else if descriptor.is_empty() {
            brand.0.to_string()
        } else {
            format!("{} {}", brand.0, descriptor)
        };
        let group_word = if parent.is_none()
            && ((p.china && suffix == "集团有限公司")
                || (!p.china
                    && p.tier == Tier::Key
                    && matches!(suffix, "AG" | "Inc." | "Corp." | "S.p.A." | "PLC" | "Corporation" | "S.A.")))
        {
            Some(word)
        } else {
            None
        };
        let address = self.address(r, p);
        let domain = if p.china {
            match r.below(4) {
                0 => format!("{}{}.com", city.abbr, brand.1),
                1 => format!("{}-{}.com", brand.1, ind.slug),
                2 => format!("{}.com.cn", brand.1),
                _ => format!("{}{}.cn", brand.1, ind.slug),
            }
        } else if r.chance(0.5) {
            format!("{}-{}.{}", brand.1, ind.slug, country.tld)
        } else {
            format!("{}{}.{}", brand.1, ind.slug, country.tld)
        };
        Identity { name, short_name, address, domain, brand, group_word }
    }

    fn address(&self, r: &mut Rng, p: &Profile) -> String {
        let city = &CITIES[p.city];
        let country = &COUNTRIES[p.country];
        let street = *r.pick(country.streets);
        let mut out = String::with_capacity(80);
        let n = r.range(1, 999);
        match country.style {
            AddressStyle::China => {
                let district = if city.districts.is_empty() { "" } else { *r.pick(city.districts) };
                let number = r.range(1, 2999);
                if r.chance(0.3) {
                    let park = *r.pick(geo::CN_PARKS);
                    let _ = write!(out, "{district}{park}{street} {number} 号 {} 号楼", r.range(1, 12));
                } else {
                    let _ = write!(out, "{district}{street} {number} 号");
                }
            }
            AddressStyle::StreetNumber => {
                let _ = write!(out, "{street} {}", r.range(1, 180));
            }
            AddressStyle::NumberStreet => {
                if country.code == "GB" && r.chance(0.4) {
                    let _ = write!(out, "Unit {}, {street}", r.range(1, 40));
                } else if country.code == "US" && r.chance(0.3) {
                    let _ = write!(out, "{} {street}, Suite {}", r.range(100, 9999), r.range(100, 450));
                } else {
                    let _ = write!(
                        out,
                        "{} {street}",
                        if country.code == "FR" { r.range(1, 120) } else { r.range(10, 9999) }
                    );
                }
            }
            AddressStyle::Template => {
                let (m, k) = (r.range(1, 99), r.range(1, 9));
                let mut rest = street;
                while let Some(pos) = rest.find('{') {
                    out.push_str(&rest[..pos]);
                    let tail = &rest[pos..];
                    let (val, len) = if tail.starts_with("{n}") {
                        (n, 3)
                    } else if tail.starts_with("{m}") {
                        (m, 3)
                    } else if tail.starts_with("{k}") {
                        (k, 3)
                    } else {
                        out.push('{');
                        rest = &tail[1..];
                        continue;
                    };
                    let _ = write!(out, "{val}");
                    rest = &tail[len..];
                }
                out.push_str(rest);
            }
        }
        out
    }

    /// Creates the customer's contacts; returns the latest `updated_at` (seconds).
    pub(super) fn contacts(
        &mut self,
        r: &mut Rng,
        p: &Profile,
        customer_id: &str,
        ident: &Identity,
        created: i64,
        out: &mut Vec<(String, String)>,
    ) -> i64 {
        let country = &COUNTRIES[p.country];
        let city = &CITIES[p.city];
        let people = &names::PEOPLE[country.people.min(names::PEOPLE.len() - 1)];
        let n = match (p.arch, p.tier) {
            (Arch::Potential, _) => 1 + r.below(2),
            (_, Tier::Key) => 3 + r.below(2),
            (_, Tier::Mid) => 2 + r.below(2),
            (_, Tier::Small) => 1 + r.below(2),
        } as usize;
        let mut latest = created;
        let mut titles_used = [false; 8];
        for k in 0..n {
            let mut name = String::with_capacity(24);
            let mut email_local = String::with_capacity(24);
            for _ in 0..4 {
                name.clear();
                email_local.clear();
                let first = *r.pick(people.first);
                if people.last.is_empty() {
                    name.push_str(first.0);
                    email_local.push_str(first.1);
                } else {
                    let last = *r.pick(people.last);
                    if people.family_first {
                        name.push_str(last.0);
                        if !people.joined {
                            name.push(' ');
                        }
                        name.push_str(first.0);
                    } else {
                        let _ = write!(name, "{} {}", first.0, last.0);
                    }
                    let given = first.1.rsplit(' ').next().unwrap_or(first.1);
                    let _ = match r.below(4) {
                        0 if !people.joined => write!(email_local, "{}{}", given.get(..1).unwrap_or(""), last.1),
                        0 | 1 => write!(email_local, "{given}.{}", last.1),
                        2 => write!(email_local, "{}{given}", last.1),
                        _ => write!(email_local, "{}.{given}", last.1),
                    };
                }
                if !out.iter().any(|(_, n)| *n == name) {
                    break;
                }
            }
            let title = if k == 0 {
                0
            } else {
                let mut t = 1 + r.index(names::TITLES.len() - 1);
                for _ in 0..4 {
                    if !titles_used[t] {
                        break;
                    }
                    t = 1 + r.index(names::TITLES.len() - 1);
                }
                t
            };
            titles_used[title.min(7)] = true;
            let (tz, dz, te, de) = names::TITLES[title];
            let phone = if r.chance(0.7) { phone_number(r, country, city, false) } else { String::new() };
            let mobile = if r.chance(0.85) { phone_number(r, country, city, true) } else { String::new() };
            let email = if r.chance(0.92) { format!("{email_local}@{}", ident.domain) } else { String::new() };
            let notes = if r.chance(0.2) {
                let opts: &[&str] = if p.china {
                    &["关键决策人", "偏好微信沟通", "每周一例会后方便联系", "对价格敏感", "技术出身，关注参数"]
                } else {
                    &[
                        "Key decision maker",
                        "Prefers e-mail",
                        "Best reached after the Monday meeting",
                        "Price-focused",
                        "Engineer by background",
                    ]
                };
                r.pick(opts).to_string()
            } else {
                String::new()
            };
            self.next_contact += 1;
            let id = format!("P{:07}", self.next_contact);
            let c_created = (created + i64::from(r.days(0, 30)) * DAY).min(self.now);
            let c_updated = (c_created + i64::from(r.days(0, 500)) * DAY + i64::from(r.below(36_000))).min(self.now);
            latest = latest.max(c_updated);
            out.push((id.clone(), name.clone()));
            self.ds.contacts.push(Contact {
                id,
                customer_id: customer_id.to_string(),
                name,
                title: (if p.china { tz } else { te }).to_string(),
                department: (if p.china { dz } else { de }).to_string(),
                phone,
                mobile,
                email,
                primary: k == 0,
                notes,
                created_at: self.ts(c_created),
                updated_at: self.ts(c_updated),
            });
        }
        latest
    }
}

/// A phone number written the way the country writes it (`+86 571 8888 1234`, `+1 713 555-0142`, `+33 4 72 12 34 56`).
fn phone_number(r: &mut Rng, country: &geo::Country, city: &geo::City, mobile: bool) -> String {
    let mut s = String::with_capacity(24);
    let _ = write!(s, "+{} ", country.dial);
    let (a4, b4) = (r.range(0, 9999), r.range(0, 9999));
    let _ = match (country.code, mobile) {
        ("US" | "CA", _) => write!(s, "{} {:03}-{:04}", city.area, r.range(200, 989), b4),
        ("CN", true) | ("JP" | "KR", true) => write!(s, "{} {:04} {:04}", r.pick(country.mobile_prefixes), a4, b4),
        ("FR", _) => {
            let lead = if mobile { *r.pick(country.mobile_prefixes) } else { city.area };
            write!(s, "{lead} {:02} {:02} {:02} {:02}", r.range(10, 99), r.range(0, 99), r.range(0, 99), r.range(0, 99))
        }
        ("GB", true) => write!(s, "{} {:06}", r.pick(country.mobile_prefixes), r.range(100_000, 999_999)),
        ("GB", false) if city.area.len() == 4 => write!(s, "{} {:06}", city.area, r.range(200_000, 999_999)),
        ("GB", false) => write!(s, "{} {:03} {:04}", city.area, r.range(200, 999), b4),
        ("SG", true) => write!(s, "{}{:03} {:04}", r.pick(country.mobile_prefixes), r.range(0, 999), b4),
        ("SG", false) => write!(s, "6{:03} {:04}", r.range(100, 999), b4),
        ("BR", true) => write!(s, "{} 9{:04}-{:04}", city.area, r.range(6000, 9999), b4),
        ("MX", true) => write!(s, "{} {:04} {:04}", city.area, r.range(1000, 9999), b4),
        (_, true) => write!(s, "{} {:03} {:04}", r.pick(country.mobile_prefixes), r.range(100, 999), b4),
        (_, false) => write!(s, "{} {:04} {:04}", city.area, r.range(2000, 8999), b4),
    };
    if !mobile && r.chance(0.1) {
        let _ = write!(s, " ext. {}", r.range(100, 899));
    }
    s
}

/// The account team: the owner, sometimes a second rep of the region, often the service contact.
pub(super) fn team(r: &mut Rng, p: &Profile) -> Vec<String> {
    let mut team: Vec<String> = Vec::with_capacity(3);
    if let Some(o) = p.owner {
        team.push(o.to_string());
        if r.chance(0.3) {
            let others: Vec<&str> =
                names::REPS.iter().filter(|(n, rs)| *n != o && rs.contains(&p.region)).map(|(n, _)| *n).collect();
            if !others.is_empty() {
                team.push(others[r.index(others.len())].to_string());
            }
        }
    }
    if p.arch != Arch::Potential && r.chance(0.45) {
        team.push(p.support.to_string());
    }
    team
}

impl Gen<'_> {
    pub(super) fn tags(&self, r: &mut Rng, p: &Profile, subsidiary: bool, first_order: Option<i32>) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        let mut add = |t: &str| {
            if !tags.iter().any(|x| x == t) {
                tags.push(t.to_string());
            }
        };
        if p.tier == Tier::Key && p.arch != Arch::Potential {
            add("key-account");
            if r.chance(0.35) {
                add("strategic");
            }
        }
        if !p.china {
            add("export");
        }
        let maker = matches!(p.role, SupplyChainRole::EndCustomer | SupplyChainRole::Oem);
        match p.industry {
            catalog::IND_AEROSPACE if r.chance(0.75) => add("AS9100"),
            catalog::IND_AUTOMOTIVE if r.chance(0.6) => add("IATF16949"),
            catalog::IND_MEDICAL if r.chance(0.6) => add("ISO13485"),
            _ => {}
        }
        if maker && r.chance(0.35) {
            add("ISO9001");
        }
        if maker && p.freq > 12.0 && r.chance(0.3) {
            add("VMI");
        }
        if (p.margin < 0.12 || p.role == SupplyChainRole::Distributor) && r.chance(0.6) {
            add("price-sensitive");
        }
        if p.payer == Payer::Late && r.chance(0.5) {
            add("credit-watch");
        }
        if p.tier >= Tier::Mid && p.arch != Arch::Potential && r.chance(0.08) {
            add("EDI");
        }
        if subsidiary {
            add("group-subsidiary");
        }
        if p.arch == Arch::Potential && r.chance(0.5) {
            add("prospect");
        }
        let year = self.cfg.as_of.year();
        let started = first_order.unwrap_or(p.created);
        if self.date(started).year() == year && self.date(p.created).year() == year {
            add(&format!("new-{year}"));
        }
        tags
    }
}

/// A unified social credit code (统一社会信用代码) with a valid check character.
pub(super) fn uscc(r: &mut Rng, admin: &str) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let mut code = String::with_capacity(18);
    code.push_str("91");
    code.push_str(if admin.len() == 6 { admin } else { "310000" });
    let mut sum = 0u32;
    // Digits of the prefix are their own values.
    for (k, b) in code.bytes().enumerate() {
        sum += u32::from(b.wrapping_sub(b'0')) * W[k];
    }
    for w in &W[8..] {
        let v = r.below(CHARS.len() as u32);
        code.push(char::from(CHARS[v as usize]));
        sum += v * w;
    }
    let check = (31 - sum % 31) % 31;
    code.push(char::from(CHARS[check as usize]));
    code
}
