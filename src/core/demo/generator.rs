//! The generator's work, customer by customer: a profile, the account and its contacts, the
//! order history, receivables, service and visits (with `account`, `history` and `service`,
//! which add their parts to the same [`Gen`]), then the region plans.

use super::*;

impl<'a> Gen<'a> {
    pub(super) fn new(cfg: &'a DemoConfig) -> Gen<'a> {
        let a = cfg.as_of.num_days_from_ce();
        let s = a.saturating_sub(HISTORY_DAYS);
        let n = cfg.customers.min(MAX_CUSTOMERS);
        let cap = n.min(200_000);
        let mut g = Gen {
            cfg,
            a,
            s,
            now: i64::from(a) * DAY + 9 * HOUR,
            season_cn: Vec::new(),
            season_intl: Vec::new(),
            campaigns: Vec::new(),
            ds: Dataset {
                customers: Vec::with_capacity(cap),
                contacts: Vec::with_capacity(cap * 2),
                orders: Vec::with_capacity(cap * 21 / 2),
                invoices: Vec::with_capacity(cap * 10),
                tickets: Vec::with_capacity(cap * 2),
                visits: Vec::with_capacity(cap * 7 / 2),
                surveys: Vec::with_capacity(cap * 8 / 5),
                plans: Vec::new(),
                opportunities: Vec::new(),
                tasks: Vec::new(),
            },
            names: HashSet::with_capacity(cap),
            end_customers: vec![Vec::new(); REGIONS.len()],
            groups: Vec::new(),
            invoice_seq: Vec::new(),
            revenue: Vec::new(),
            region_used: vec![false; REGIONS.len()],
            q0: 0,
            events: Vec::with_capacity(MAX_ORDERS_PER_CUSTOMER + 8),
            sales: Vec::with_capacity(MAX_ORDERS_PER_CUSTOMER + 8),
            drafts: Vec::new(),
            contact_ids: Vec::new(),
            region_cities: (0..REGIONS.len())
                .map(|ri| {
                    let cities: Vec<usize> = (0..CITIES.len()).filter(|&c| CITIES[c].region == ri).collect();
                    let weights = cities.iter().map(|&c| CITIES[c].weight).collect();
                    (cities, weights)
                })
                .collect(),
            region_reps: (0..REGIONS.len())
                .map(|ri| {
                    names::REPS
                        .iter()
                        .map(|(_, rs)| match rs.iter().position(|&x| x == ri) {
                            Some(0) => 3,
                            Some(_) => 1,
                            None => 0,
                        })
                        .collect()
                })
                .collect(),
            next_contact: 0,
            next_order: 0,
            next_ticket: 0,
            next_visit: 0,
            next_survey: 0,
        };
        g.build_calendar();
        g
    }

    pub(super) fn date(&self, day: i32) -> Date {
        NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(self.cfg.as_of)
    }

    pub(super) fn ts(&self, secs: i64) -> Timestamp {
        let secs = secs.min(self.now);
        let day = i32::try_from(secs.div_euclid(DAY)).unwrap_or(self.a);
        let sod = u32::try_from(secs.rem_euclid(DAY)).unwrap_or(0);
        match (NaiveDate::from_num_days_from_ce_opt(day), NaiveTime::from_num_seconds_from_midnight_opt(sod, 0)) {
            (Some(d), Some(t)) => NaiveDateTime::new(d, t).and_utc(),
            _ => demo_now(self.cfg.as_of),
        }
    }

    /// A moment in the local working day (09:00–18:00) of `region`, never after now.
    pub(super) fn at(&self, r: &mut Rng, day: i32, region: usize) -> i64 {
        let offset = REGIONS.get(region).map_or(8, |x| x.utc_offset);
        let secs = i64::from(day) * DAY + (9 - offset) * HOUR + i64::from(r.below(9 * 3600));
        secs.min(self.now)
    }

    pub(super) fn build_calendar(&mut self) {
        // Month factors: Chinese factories slow down around the Spring Festival; Q4 is the peak.
        const CN: [f64; 12] = [0.85, 0.6, 1.0, 1.0, 1.0, 1.05, 0.95, 0.95, 1.05, 0.95, 1.3, 1.4];
        const INTL: [f64; 12] = [0.9, 0.85, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 1.0, 1.05, 1.3, 1.25];
        let len = usize::try_from(self.a - self.s + 1).unwrap_or(0);
        self.season_cn = Vec::with_capacity(len);
        self.season_intl = Vec::with_capacity(len);
        for k in 0..len {
            let d = self.date(self.s + k as i32);
            let m = d.month0() as usize;
            let (mut cn, mut intl) = (CN[m], INTL[m]);
            let cny = geo::CHINESE_NEW_YEAR
                .iter()
                .find(|(y, _, _)| *y == d.year())
                .and_then(|&(y, mo, da)| NaiveDate::from_ymd_opt(y, mo, da))
                .or_else(|| NaiveDate::from_ymd_opt(d.year(), 2, 5));
            if let Some(c) = cny {
                let off = (d - c).num_days();
                if (-6..=12).contains(&off) {
                    cn *= 0.3;
                    intl *= 0.7;
                }
            }
            if d.month() == 12 && d.day() >= 22 {
                intl *= 0.5;
            }
            self.season_cn.push(cn);
            self.season_intl.push(intl);
        }
        // Relationship surveys go out twice a year.
        let (y0, y1) = (self.date(self.s).year(), self.cfg.as_of.year());
        for y in y0..=y1 {
            for (m, d) in [(6, 10), (11, 20)] {
                if let Some(day) = NaiveDate::from_ymd_opt(y, m, d).map(|x| x.num_days_from_ce())
                    && day >= self.s
                    && day <= self.a
                {
                    self.campaigns.push(day);
                }
            }
        }
        self.q0 = quarter_key(self.date(self.s));
        let nq = usize::try_from(quarter_key(self.cfg.as_of) - self.q0 + 1).unwrap_or(0).min(64);
        self.revenue = vec![vec![0; nq]; REGIONS.len()];
    }

    pub(super) fn season(&self, day: i32, china: bool) -> f64 {
        let table = if china { &self.season_cn } else { &self.season_intl };
        usize::try_from(day - self.s).ok().and_then(|k| table.get(k)).copied().unwrap_or(1.0)
    }

    /// Thinned Poisson process of order days on `[from, to]`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn poisson(
        &self,
        r: &mut Rng,
        from: i32,
        to: i32,
        per_year: f64,
        china: bool,
        shape: Shape,
        out: &mut Vec<Ev>,
    ) {
        if to < from || per_year <= 0.0 {
            return;
        }
        let lmax = per_year / 365.0 * SEASON_MAX * shape.max();
        let span = f64::from((to - from).max(1));
        let mut t = f64::from(from);
        let end = f64::from(to) + 1.0;
        loop {
            t += r.exponential(1.0 / lmax);
            if t >= end || out.len() >= MAX_ORDERS_PER_CUSTOMER {
                break;
            }
            let day = (libm::floor(t) as i32).min(to);
            let p = (t - f64::from(from)) / span;
            let accept = self.season(day, china) * shape.rate(p) / (SEASON_MAX * shape.max());
            if r.f() < accept {
                out.push(Ev { day, mult: shape.mult(p), late: shape.late(p) });
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // One customer

    pub(super) fn customer(&mut self, i: usize) {
        let seed = self.cfg.seed;
        let idx = i as u64;
        let mut r = Rng::new(seed, idx, 0);
        let id = format!("C{:06}", i + 1);
        let mut p = self.profile(&mut r);
        let mut events = std::mem::take(&mut self.events);
        events.clear();
        self.timeline(&mut r, &mut p, &mut events);

        // Identity: name, place, relations.
        let mut rn = Rng::new(seed, idx, 1);
        let mut parent: Option<Group> = None;
        if !matches!(p.role, SupplyChainRole::Distributor | SupplyChainRole::LogisticsPartner) && rn.chance(0.05) {
            let candidates = self.groups.iter().filter(|g| g.china == p.china).count();
            if candidates > 0 {
                let k = rn.index(candidates);
                parent = self.groups.iter().filter(|g| g.china == p.china).nth(k).copied();
            }
        }
        if let Some(g) = parent {
            p.industry = g.industry;
        }
        let ident = self.identity(&mut rn, &p, parent.as_ref(), &id);
        let parent_id = parent.map(|g| format!("C{:06}", g.index + 1));
        let mut distributor_of = Vec::new();
        if p.role == SupplyChainRole::Distributor {
            let pool = &self.end_customers[p.region];
            let want = 2 + rn.below(5) as usize;
            for _ in 0..want * 3 {
                if distributor_of.len() >= want || pool.is_empty() {
                    break;
                }
                let j = pool[rn.index(pool.len())];
                let cid = format!("C{:06}", j + 1);
                if !distributor_of.contains(&cid) {
                    distributor_of.push(cid);
                }
            }
        }
        if p.role == SupplyChainRole::EndCustomer {
            self.end_customers[p.region].push(i as u32);
        }
        if ident.group_word.is_some() && parent.is_none() {
            self.groups.push(Group {
                index: i as u32,
                china: p.china,
                industry: p.industry,
                brand: ident.brand,
                word: ident.group_word.unwrap_or(""),
            });
        }
        self.region_used[p.region] = true;

        let created_ts = self.at(&mut r, p.created, p.region);
        let mut updated = created_ts;

        // Contacts.
        let mut rc = Rng::new(seed, idx, 2);
        let mut contacts = std::mem::take(&mut self.contact_ids);
        contacts.clear();
        updated = updated.max(self.contacts(&mut rc, &p, &id, &ident, created_ts, &mut contacts));

        // Product mix: 2–5 products the customer usually buys.
        let mut ro = Rng::new(seed, idx, 3);
        let mix = history::product_mix(&mut ro, &p);

        // Orders, invoices and ticket drafts.
        let mut rt = Rng::new(seed, idx, 4);
        let mut drafts = std::mem::take(&mut self.drafts);
        drafts.clear();
        let mut sales = std::mem::take(&mut self.sales);
        sales.clear();
        let order_stats = self.orders(&mut ro, &mut rt, &p, &id, &events, &mix, &mut sales, &mut drafts);
        updated = updated.max(order_stats.updated);

        // Inquiries (pre-sales for prospects and before first orders; in-sales later).
        let first_order = events.first().map(|e| e.day);
        let last_order = events.last().map(|e| e.day);
        let active_end = match p.arch {
            Arch::Lost => last_order.map_or(self.a, |d| (d + 90).min(self.a)),
            _ => self.a,
        };
        self.inquiries(&mut rt, &p, &mix, first_order, active_end, &mut drafts);
        let churny = matches!(p.arch, Arch::Churning | Arch::Lost);
        let ticket_start = self.ds.tickets.len();
        let complaints = drafts.iter().filter(|d| d.kind == TicketKind::Complaint).count();
        updated = updated.max(self.finish_tickets(&mut rt, &p, &id, &mut drafts, churny));

        // Visits.
        let mut rv = Rng::new(seed, idx, 5);
        let primary_product = self.product_name(mix[0].0, mix[0].1, p.china);
        updated = updated.max(self.visits(
            &mut rv,
            &p,
            &id,
            &contacts,
            primary_product,
            complaints > 0,
            last_order,
            active_end,
        ));

        // Surveys.
        let mut rs = Rng::new(seed, idx, 6);
        self.surveys(&mut rs, &p, &id, &contacts, first_order, last_order, ticket_start, complaints);

        // The account itself.
        let value_minor = p.value * 100.0 / p.fx;
        let peak = rolling_peak(&sales);
        let potential_annual_spend = if p.arch == Arch::Potential || rn.chance(0.7) {
            let base = (peak as f64).max(value_minor);
            Some(Money(round_sig(base * rn.uf(1.25, 4.0), 2).max(peak)))
        } else {
            None
        };
        let credit_limit = if (p.arch == Arch::Potential && rn.chance(0.7)) || rn.chance(0.1) {
            None
        } else {
            let raw = value_minor * (f64::from(p.terms) + 30.0) / 365.0 * rn.uf(1.2, 2.2);
            let step = if p.china { 1_000_000.0 } else { 500_000.0 };
            Some(Money(((libm::ceil(raw / step) * step) as i64).max(step as i64)))
        };
        let tags = self.tags(&mut rn, &p, parent.is_some(), first_order);
        let team = account::team(&mut rn, &p);
        let mut custom = BTreeMap::new();
        let sources = if p.china { names::LEAD_SOURCES_CN } else { names::LEAD_SOURCES_INTL };
        custom.insert("lead_source".to_string(), serde_json::Value::from(*rn.pick(sources)));
        if p.china {
            custom.insert("uscc".to_string(), serde_json::Value::from(account::uscc(&mut rn, CITIES[p.city].admin)));
        }
        let customer = Customer {
            id,
            name: ident.name,
            short_name: ident.short_name,
            role: p.role,
            industry: if p.china { ind_of(p.industry).zh.to_string() } else { ind_of(p.industry).en.to_string() },
            region: REGIONS[p.region].name.to_string(),
            country: COUNTRIES[p.country].code.to_string(),
            city: CITIES[p.city].name.to_string(),
            address: ident.address,
            owner: p.owner.map(str::to_string),
            team,
            tags,
            credit_limit,
            currency: p.currency,
            payment_terms_days: p.terms,
            potential_annual_spend,
            parent_id,
            distributor_of,
            created_at: self.ts(created_ts),
            updated_at: self.ts(updated.max(created_ts)),
            custom,
        };
        self.ds.customers.push(customer);
        self.events = events;
        self.sales = sales;
        self.drafts = drafts;
        self.contact_ids = contacts;
        self.opportunities(&p, i);
        self.tasks(&p, i);
    }

    pub(super) fn profile(&self, r: &mut Rng) -> Profile {
        let arch = *r.pick_w(ARCHETYPES);
        let china = r.chance(0.6);
        let mut region_weights = [0u32; 16];
        for (w, x) in region_weights.iter_mut().zip(REGIONS) {
            *w = if x.china == china { x.weight } else { 0 };
        }
        let region = r.weighted(&region_weights).min(REGIONS.len() - 1);
        let (cities, city_weights) = &self.region_cities[region];
        let city = cities.get(r.weighted(city_weights)).copied().unwrap_or(0);
        let country = CITIES[city].country;
        let role = *r.pick_w(ROLES);
        let industry = match role {
            SupplyChainRole::LogisticsPartner => catalog::IND_LOGISTICS,
            SupplyChainRole::Distributor => catalog::IND_DISTRIBUTION,
            SupplyChainRole::Supplier => catalog::IND_SUPPLY,
            _ => *r.pick_w(catalog::MAKER_INDUSTRIES),
        };
        let role_value = match role {
            SupplyChainRole::Distributor => 1.6,
            SupplyChainRole::LogisticsPartner => 0.6,
            SupplyChainRole::Supplier => 0.3,
            SupplyChainRole::Other => 0.4,
            _ => 1.0,
        };
        let z = r.normal();
        let mut value = MEDIAN_VALUE * libm::exp(VALUE_SIGMA * z) * role_value * if china { 1.0 } else { 1.3 };
        if arch == Arch::Occasional {
            value *= 0.35;
        }
        let value = value.clamp(5_000.0, 400_000_000.0);
        let tier = if z > 1.4 {
            Tier::Key
        } else if z > 0.5 {
            Tier::Mid
        } else {
            Tier::Small
        };
        let role_freq = match role {
            SupplyChainRole::Distributor => 1.4,
            SupplyChainRole::LogisticsPartner => 1.6,
            _ => 1.0,
        };
        let freq = match arch {
            Arch::Occasional => r.uf(0.8, 2.4),
            _ => (ORDER_RATE * (1.5 + 5.0 * libm::pow(value / MEDIAN_VALUE, 0.45)) * role_freq).min(120.0),
        };
        let currency = REGIONS[region].currency;
        let terms = if role == SupplyChainRole::Distributor {
            *r.pick(&[30u16, 30, 45])
        } else if china {
            *r.pick_w(&[(30u16, 25), (45, 10), (60, 35), (90, 30)])
        } else {
            *r.pick_w(&[(30u16, 40), (45, 25), (60, 30), (90, 5)])
        };
        let margin = if r.chance(0.05) {
            -r.uf(0.01, 0.12)
        } else {
            let m = 0.08 + 0.27 * libm::pow(r.f(), 1.3);
            if role == SupplyChainRole::Distributor { m * 0.75 } else { m }
        };
        let payer = if matches!(arch, Arch::Churning | Arch::Lost) {
            *r.pick_w(&[(Payer::Prompt, 40), (Payer::Normal, 30), (Payer::Late, 30)])
        } else {
            *r.pick_w(&[(Payer::Prompt, 55), (Payer::Normal, 30), (Payer::Late, 15)])
        };
        let sat_base = match arch {
            Arch::Steady => 0.83,
            Arch::Growing => 0.86,
            Arch::New => 0.78,
            Arch::Occasional => 0.7,
            Arch::Churning => 0.4,
            Arch::Lost => 0.45,
            Arch::Potential => 0.6,
        };
        let sat = (sat_base + 0.1 * r.normal()).clamp(0.05, 0.98);
        let pool_p = match arch {
            Arch::Potential => 0.35,
            Arch::Lost => 0.45,
            Arch::Churning => 0.15,
            _ => 0.07,
        };
        let rep = names::REPS[r.weighted(&self.region_reps[region])].0;
        let owner = if r.chance(pool_p) { None } else { Some(rep) };
        let support = if china { *r.pick(names::SUPPORT_CN) } else { *r.pick(names::SUPPORT_INTL) };
        Profile {
            arch,
            china,
            region,
            city,
            country,
            role,
            industry,
            value,
            freq,
            tier,
            currency,
            fx: super::rates::cny_per_unit(currency),
            terms,
            margin,
            payer,
            price_factor: r.uf(0.88, 1.12),
            sat,
            owner,
            rep,
            support,
            created: self.a,
            start: self.a,
        }
    }

    /// Order days (and per-order value multipliers) of the customer's archetype.
    pub(super) fn timeline(&self, r: &mut Rng, p: &mut Profile, ev: &mut Vec<Ev>) {
        let (a, s) = (self.a, self.s);
        let h = a - s;
        let f = p.freq;
        let cn = p.china;
        let early_start = |r: &mut Rng, p: &mut Profile, share: f64, latest: i32| {
            if r.chance(share) {
                p.start = s;
                p.created = s - r.days(30, 2900);
            } else {
                p.start = r.days(s, latest.max(s));
                p.created = p.start - r.days(0, 90);
            }
        };
        match p.arch {
            Arch::Potential => {
                p.created = a - (f64::from(h) * libm::pow(r.f(), 1.6)) as i32;
                p.start = p.created;
            }
            Arch::New => {
                let first = a - r.days(0, 88);
                p.start = first;
                p.created = first - r.days(1, 120);
                ev.push(Ev { day: first, mult: 1.0, late: false });
                self.poisson(r, first + 1, a, f, cn, Shape::Flat, ev);
            }
            Arch::Steady => {
                early_start(r, p, 0.65, a - 300);
                self.poisson(r, p.start, a, f, cn, Shape::Flat, ev);
            }
            Arch::Occasional => {
                early_start(r, p, 0.6, a - 200);
                self.poisson(r, p.start, a, f, cn, Shape::Flat, ev);
            }
            Arch::Growing => {
                p.start = r.days(s, a - 420);
                p.created = p.start - r.days(0, 60);
                self.poisson(r, p.start, a, f, cn, Shape::Growing, ev);
            }
            Arch::Churning => {
                let last = a - r.days(95, 360);
                // Gaps grow 1.3–1.8× each; the first is about the customer's usual rhythm.
                let n_gaps = 3 + r.below(4) as usize;
                let mut gaps = [0i32; 8];
                let mut g = (365.0 / f.max(1.0) * r.uf(0.8, 1.2)).clamp(7.0, 75.0);
                for gap in gaps.iter_mut().take(n_gaps) {
                    *gap = libm::round(g) as i32;
                    g *= r.uf(1.3, 1.8);
                }
                // Keep at most what fits after the window start (always at least three gaps).
                let mut first_gap = 0;
                while first_gap + 3 < n_gaps && gaps[first_gap..n_gaps].iter().sum::<i32>() > last - s - 30 {
                    first_gap += 1;
                }
                let span: i32 = gaps[first_gap..n_gaps].iter().sum();
                let seq_start = (last - span).max(s);
                p.start = if r.chance(0.7) { s } else { r.days(s, (s + 150).min(seq_start)) };
                p.created = if p.start == s { s - r.days(30, 1500) } else { p.start - r.days(0, 60) };
                let lead_in = gaps[first_gap];
                self.poisson(r, p.start, seq_start - lead_in, f, cn, Shape::Flat, ev);
                let mut day = seq_start;
                let steps = n_gaps - first_gap;
                ev.push(Ev { day, mult: 1.0, late: true });
                for (k, gap) in gaps[first_gap..n_gaps].iter().enumerate() {
                    day += gap;
                    let mult = 1.0 - 0.45 * (k + 1) as f64 / steps as f64;
                    ev.push(Ev { day: day.min(a), mult, late: true });
                }
            }
            Arch::Lost => {
                let stop = a - r.days(380, 900);
                early_start(r, p, 0.6, stop - 200);
                p.start = p.start.min(stop - 30);
                p.created = p.created.min(p.start);
                self.poisson(r, p.start, stop - 1, f, cn, Shape::Fading, ev);
                ev.push(Ev { day: stop, mult: 0.8, late: true });
            }
        }
        if p.arch != Arch::Potential && ev.is_empty() {
            let day = r.days(p.start, a);
            ev.push(Ev { day, mult: 1.0, late: false });
        }
        ev.sort_by_key(|e| e.day);
        p.created = p.created.min(ev.first().map_or(p.created, |e| e.day)).min(a);
    }

    pub(super) fn product_name(&self, cat: usize, prod: usize, zh: bool) -> &'static str {
        let c = &CATEGORIES[cat.min(CATEGORIES.len() - 1)];
        let p = &c.products[prod.min(c.products.len() - 1)];
        if zh { p.zh } else { p.en }
    }
}

impl Gen<'_> {
    pub(super) fn plans(&mut self) {
        if self.ds.customers.is_empty() {
            return;
        }
        let nq = self.revenue.first().map_or(0, Vec::len);
        for (ri, region) in REGIONS.iter().enumerate() {
            if !self.region_used[ri] {
                continue;
            }
            let mut r = Rng::new(self.cfg.seed, u64::MAX, ri as u64);
            for q in 0..nq {
                let key = self.q0 + q as i32;
                let (year, quarter) = (key.div_euclid(4), (key.rem_euclid(4) + 1) as u8);
                let period = Period::Quarter(year, quarter);
                let Some((start, end)) = period.bounds() else { continue };
                let (qs, qe) = (start.num_days_from_ce(), end.num_days_from_ce());
                let covered = (qe.min(self.a) - qs.max(self.s) + 1).max(1);
                let scale = f64::from(qe - qs + 1) / f64::from(covered);
                let actual = self.revenue[ri][q] as f64;
                let target = round_sig(actual * scale * r.uf(0.85, 1.2), 3);
                self.ds.plans.push(RegionPlan {
                    id: format!("PLAN-{}-{year}-Q{quarter}", region.code),
                    region: region.name.to_string(),
                    period,
                    target: Money(target),
                    currency: region.currency,
                });
            }
        }
    }
}
