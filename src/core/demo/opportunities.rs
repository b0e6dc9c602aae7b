//! The demo's opportunities (issue 14): for each customer, after its other records, an open deal
//! for about one customer in three (every open stage populated, about one in eight stuck in its
//! stage for far longer than usual), won deals around the dates of its real orders in the last two
//! years (the order's amount, currency and lines), and lost deals with a reason (and a note for
//! "other"). Aerospace and machine-tool customers have cycles of three to nine months, the others
//! of three weeks to three months. Deals are in the customer's currency (EUR / USD for export
//! customers), owned by the customer's rep (the region's rep for pool accounts), with team members
//! among the same region's reps, one to three catalogue products (or the order's lines), an
//! estimated cost from the customer's margin, competitors from a short plausible list, and a
//! source linking a visit or inquiry ticket of the customer made shortly before the deal started,
//! when there is one.
//!
//! The stage history moves through the default stages on strictly increasing days (each move in
//! the region's working day, never after the demo's now); expected close and next-step dates may
//! lie ahead. Every deal passes `validate()`.
//!
//! Randomness comes from the customer's own stream number 7, which no other record draws from, so
//! the demo's other records are exactly what they were before deals existed, and the first N
//! customers of a bigger dataset have the same deals as a dataset of N customers.

use super::*;
use crate::core::model::{LOST, LostReason, OppLine, OppSource, Opportunity, Stages, WON};

const COMPETITORS_CN: &[&str] = &["哈尔滨轴承", "洛阳轴研科技", "恒立液压", "华中数控", "昊志机电", "航天精工"];
const COMPETITORS_INTL: &[&str] =
    &["SKF", "Schaeffler", "NSK", "Timken", "Bosch Rexroth", "Parker Hannifin", "LISI Aerospace", "Kistler"];
const TITLES_CN: &[&str] = &["采购项目", "年度框架协议", "国产化替代项目", "新产线配套", "备件供货合同"];
const TITLES_EN: &[&str] = &[
    "supply project",
    "annual framework agreement",
    "second-source qualification",
    "new line package",
    "spare parts contract",
];
const NEXT_CN: &[&str] = &["发送技术方案", "安排样品测试", "提交报价", "商务谈判", "技术交流会", "配合工厂审核"];
const NEXT_EN: &[&str] = &[
    "Send the technical proposal",
    "Arrange the sample test",
    "Submit the quote",
    "Negotiate the terms",
    "Technical review meeting",
    "Supplier audit on site",
];
const OTHER_CN: &[&str] = &["项目取消", "客户改为自制", "预算冻结"];
const OTHER_EN: &[&str] = &["Project cancelled", "Customer decided to make it in-house", "Budget frozen"];
const LOST_REASONS: &[(LostReason, u32)] = &[
    (LostReason::Price, 35),
    (LostReason::Delivery, 15),
    (LostReason::Quality, 10),
    (LostReason::Relationship, 10),
    (LostReason::NoDecision, 20),
    (LostReason::Other, 10),
];
/// The open stages' shares of the open deals: lead … negotiation.
const OPEN_STAGE_WEIGHTS: [u32; 5] = [30, 25, 20, 15, 10];
const OPEN_STAGES: [&str; 5] = ["lead", "qualified", "solution", "quote", "negotiation"];
/// Industry index of CNC machine tools in `catalog::INDUSTRIES`.
const IND_MACHINE_TOOLS: usize = 0;

/// Strictly increasing days ending on `last`, each `stays[j]` before the next, none before `lo`
/// (days pushed forward to fit); `None` when `last` leaves no room for them all.
fn days_back(last: i32, stays: &[i32], lo: i32) -> Option<Vec<i32>> {
    let n = stays.len() + 1;
    if last < lo.saturating_add(n as i32 - 1) {
        return None;
    }
    let mut days = vec![last; n];
    for j in (0..n - 1).rev() {
        days[j] = days[j + 1].saturating_sub(stays[j].max(1));
    }
    for (j, d) in days.iter_mut().enumerate() {
        *d = (*d).max(lo + j as i32);
    }
    Some(days)
}

/// What the customer's deals share.
struct Account {
    id: String,
    currency: Currency,
    owner: String,
    team: Vec<&'static str>,
    contacts: Vec<String>,
    created_day: i32,
    long: bool,
    /// Typical order value, minor units of the customer's currency.
    order_value: f64,
}

impl Gen<'_> {
    /// Adds the deals of the customer just generated (the last of `ds.customers`, index `i`).
    pub(super) fn opportunities(&mut self, p: &Profile, i: usize) {
        let Some(c) = self.ds.customers.last() else { return };
        let mut r = Rng::new(self.cfg.seed, i as u64, 7);
        let owner = c.owner.clone().unwrap_or_else(|| p.rep.to_string());
        let team: Vec<&'static str> = names::REPS
            .iter()
            .filter(|(name, regions)| regions.contains(&p.region) && *name != owner)
            .map(|(name, _)| *name)
            .collect();
        let acc = Account {
            id: c.id.clone(),
            currency: c.currency,
            owner,
            team,
            contacts: self.contact_ids.iter().map(|(id, _)| id.clone()).collect(),
            created_day: c.created_at.date_naive().num_days_from_ce(),
            long: p.industry == catalog::IND_AEROSPACE || p.industry == IND_MACHINE_TOOLS,
            order_value: (p.value / p.freq.max(0.5) * 100.0 / p.fx).max(10_000.0),
        };
        let mut seq = 0u32;

        // Won deals: the customer's larger orders of the last two years.
        let orders_from = self.ds.orders.iter().rposition(|o| o.customer_id != acc.id).map_or(0, |k| k + 1);
        let mut recent: Vec<usize> = (orders_from..self.ds.orders.len())
            .filter(|&k| {
                let o = &self.ds.orders[k];
                o.counts_as_sale() && o.amount.0 > 0 && o.date.num_days_from_ce() >= self.a - 730
            })
            .collect();
        recent.sort_by_key(|&k| std::cmp::Reverse(self.ds.orders[k].amount.0));
        let won_wanted = match p.tier {
            Tier::Key => 2,
            _ => 1,
        };
        for &k in recent.iter().take(3) {
            if seq >= won_wanted || !r.chance(0.3) {
                continue;
            }
            let o = &self.ds.orders[k];
            let (amount, currency, day) = (o.amount, o.currency, o.date.num_days_from_ce());
            let lines: Vec<OppLine> = o
                .lines
                .iter()
                .take(4)
                .map(|l| OppLine { product: l.product.clone(), category: l.category.clone(), quantity: l.quantity })
                .collect();
            let close = day - r.days(0, 10);
            if let Some(deal) = self.closed_deal(&mut r, p, &acc, &mut seq, close, WON, amount, currency, lines) {
                self.ds.opportunities.push(deal);
            }
        }

        // Lost deals.
        let lost_p = if matches!(p.arch, Arch::Churning | Arch::Lost) { 0.55 } else { 0.3 };
        if r.chance(lost_p) {
            let close = self.a - r.days(20, 600);
            let (amount, lines) = self.offer(&mut r, p, &acc);
            if let Some(deal) = self.closed_deal(&mut r, p, &acc, &mut seq, close, LOST, amount, acc.currency, lines) {
                self.ds.opportunities.push(deal);
            }
        }

        // An open deal.
        let open_p = match p.arch {
            Arch::Potential => 0.55,
            Arch::New | Arch::Growing => 0.45,
            Arch::Steady => 0.33,
            Arch::Occasional => 0.25,
            Arch::Churning => 0.2,
            Arch::Lost => 0.08,
        };
        if r.chance(open_p)
            && let Some(deal) = self.open_deal(&mut r, p, &acc, &mut seq)
        {
            self.ds.opportunities.push(deal);
        }
    }

    /// An amount (minor units of the customer's currency) and one to three catalogue lines the
    /// customer's industry buys.
    fn offer(&self, r: &mut Rng, p: &Profile, acc: &Account) -> (Money, Vec<OppLine>) {
        let scale = if acc.long { r.uf(2.0, 8.0) } else { r.uf(1.0, 3.0) };
        let target = acc.order_value * scale;
        let n = 1 + r.below(3) as usize;
        let ind = ind_of(p.industry);
        let export = if p.china { 1.0 } else { 1.12 };
        let mut lines: Vec<OppLine> = Vec::with_capacity(n);
        let mut total = 0i64;
        for _ in 0..n * 3 {
            if lines.len() >= n {
                break;
            }
            let cat = *r.pick_w(ind.buys);
            let c = &CATEGORIES[cat.min(CATEGORIES.len() - 1)];
            let pr = &c.products[r.index(c.products.len()).min(c.products.len() - 1)];
            let product = if p.china { pr.zh } else { pr.en };
            if lines.iter().any(|l| l.product == product) {
                continue;
            }
            let unit = round_price(pr.price as f64 * p.price_factor * export / p.fx);
            let lot = f64::from(pr.lot.max(1));
            let qty = (libm::round(target / n as f64 / unit as f64 / lot).max(1.0) * lot).min(1_000_000.0) as u32;
            total = total.saturating_add(unit.saturating_mul(i64::from(qty)));
            lines.push(OppLine {
                product: product.to_string(),
                category: (if p.china { c.zh } else { c.en }).to_string(),
                quantity: qty,
            });
        }
        (Money(round_sig(total as f64, 3).max(100)), lines)
    }

    /// A deal's common fields, created on `first` and moved through `path` (first entry: lead).
    #[allow(clippy::too_many_arguments)]
    fn deal(
        &self,
        r: &mut Rng,
        p: &Profile,
        acc: &Account,
        seq: &mut u32,
        path: &[(&str, i32)],
        amount: Money,
        currency: Currency,
        lines: Vec<OppLine>,
    ) -> Option<Opportunity> {
        let stages = Stages::default();
        let &(_, first) = path.first()?;
        *seq += 1;
        let id = format!("OPP-{}-{}", acc.id.trim_start_matches('C'), seq);
        let at = |r: &mut Rng, day: i32| self.ts(self.at(r, day, p.region));
        let mut o = Opportunity::blank(id, acc.id.clone(), &stages, acc.owner.clone(), at(r, first));
        let mut team: Vec<String> = Vec::new();
        for _ in 0..2 {
            if !acc.team.is_empty() && r.chance(0.4) {
                let m = *r.pick(&acc.team);
                if !team.iter().any(|t| t == m) {
                    team.push(m.to_string());
                }
            }
        }
        for &(stage, day) in &path[1..] {
            let by = if !team.is_empty() && r.chance(0.25) { team[0].clone() } else { acc.owner.clone() };
            let when = at(r, day);
            o.move_to(stage, &stages, &by, when);
        }
        o.team = team;
        let cat = lines.first().map_or("", |l| l.category.as_str());
        o.title = if p.china {
            format!("{}{}", cat, r.pick(TITLES_CN))
        } else {
            format!("{} {}", cat, r.pick(TITLES_EN)).trim().to_string()
        };
        o.amount = amount;
        o.currency = currency;
        o.lines = lines;
        o.estimated_cost = Some(Money(libm::round(amount.0 as f64 * (1.0 - p.margin)).max(0.0) as i64));
        if !acc.contacts.is_empty() {
            o.contacts.push(acc.contacts[r.index(acc.contacts.len())].clone());
        }
        let list = if p.china { COMPETITORS_CN } else { COMPETITORS_INTL };
        for _ in 0..r.below(3) {
            let name = *r.pick(list);
            if !o.competitors.iter().any(|x| x == name) {
                o.competitors.push(name.to_string());
            }
        }
        self.source(r, &mut o, first);
        Some(o)
    }

    /// The visit or inquiry ticket of the customer in the 45 days before `start` that led to the
    /// deal, else a campaign, a referral or something else.
    fn source(&self, r: &mut Rng, o: &mut Opportunity, start: i32) {
        let window = |day: i32| (start - 45..=start).contains(&day);
        let visit = self
            .ds
            .visits
            .iter()
            .rev()
            .take_while(|v| v.customer_id == o.customer_id)
            .find(|v| window(v.date.num_days_from_ce()));
        let inquiry = self.ds.tickets.iter().rev().take_while(|t| t.customer_id == o.customer_id).find(|t| {
            t.kind == TicketKind::Inquiry
                && window(t.opened_at.date_naive().num_days_from_ce())
                && t.opened_at < o.created_at
        });
        if let Some(v) = visit.filter(|v| v.date <= o.created_at.date_naive()) {
            o.source = Some(OppSource::Visit);
            o.source_id = Some(v.id.clone());
        } else if let Some(t) = inquiry {
            o.source = Some(OppSource::Inquiry);
            o.source_id = Some(t.id.clone());
        } else if r.chance(0.85) {
            o.source = Some(*r.pick_w(&[(OppSource::Campaign, 3), (OppSource::Referral, 2), (OppSource::Other, 1)]));
        }
    }

    /// A deal won or lost on day `close` after a cycle of the customer's kind; `None` when the
    /// account is too young for it.
    #[allow(clippy::too_many_arguments)]
    fn closed_deal(
        &self,
        r: &mut Rng,
        p: &Profile,
        acc: &Account,
        seq: &mut u32,
        close: i32,
        outcome: &'static str,
        amount: Money,
        currency: Currency,
        lines: Vec<OppLine>,
    ) -> Option<Opportunity> {
        let cycle = if acc.long { r.days(90, 270) } else { r.days(21, 90) };
        // Stages passed: all the way to negotiation when won; a lost deal drops out earlier.
        let reached = if outcome == WON { 4 } else { r.below(5) as usize };
        let mut path: Vec<&str> = OPEN_STAGES[..=reached].to_vec();
        if path.len() > 3 && !acc.long && r.chance(0.3) {
            path.retain(|s| *s != "solution");
        }
        path.push(outcome);
        let stays: Vec<i32> =
            (1..path.len()).map(|_| (f64::from(cycle) / (path.len() - 1) as f64 * r.uf(0.5, 1.5)) as i32).collect();
        let close = close.min(self.a);
        let days = days_back(close, &stays, acc.created_day.max(self.s))?;
        let steps: Vec<(&str, i32)> = path.iter().copied().zip(days).collect();
        let mut o = self.deal(r, p, acc, seq, &steps, amount, currency, lines)?;
        o.expected_close = o.closed_on;
        if outcome == LOST {
            let reason = *r.pick_w(LOST_REASONS);
            o.lost_reason = Some(reason);
            if reason == LostReason::Other {
                o.lost_note = (*r.pick(if p.china { OTHER_CN } else { OTHER_EN })).to_string();
            }
            if o.competitors.is_empty() && matches!(reason, LostReason::Price | LostReason::Delivery) {
                o.competitors.push((*r.pick(if p.china { COMPETITORS_CN } else { COMPETITORS_INTL })).to_string());
            }
        }
        Some(o)
    }

    /// An open deal in a stage drawn by [`OPEN_STAGE_WEIGHTS`]; one in eight is stuck in it.
    fn open_deal(&self, r: &mut Rng, p: &Profile, acc: &Account, seq: &mut u32) -> Option<Opportunity> {
        let cycle = if acc.long { r.days(90, 270) } else { r.days(21, 90) };
        let k = r.weighted(&OPEN_STAGE_WEIGHTS).min(OPEN_STAGES.len() - 1);
        let per_stage = (cycle / 5).max(3);
        let stuck = r.chance(0.125);
        let stay = if stuck { r.days(per_stage * 4, per_stage * 8) } else { r.days(1, per_stage) };
        let stays: Vec<i32> = (0..k).map(|_| r.days(per_stage / 2 + 1, per_stage * 3 / 2 + 1)).collect();
        let lo = acc.created_day.max(self.s);
        // A young account: as far back as it goes, with fewer stages when even that is too short.
        let mut k = k;
        let days = loop {
            let last = (self.a - stay).max(lo + k as i32).min(self.a);
            if let Some(d) = days_back(last, &stays[..k], lo) {
                break d;
            }
            if k == 0 {
                return None;
            }
            k -= 1;
        };
        let path: Vec<(&str, i32)> = OPEN_STAGES[..=k].iter().copied().zip(days).collect();
        let (amount, lines) = self.offer(r, p, acc);
        let start = path.first().map_or(self.a, |s| s.1);
        let mut o = self.deal(r, p, acc, seq, &path, amount, acc.currency, lines)?;
        if r.chance(0.2) {
            o.probability = o.probability.saturating_add(5).min(95);
        }
        let remaining = cycle * (5 - k as i32) / 5 + 14;
        let close =
            if r.chance(0.07) { (self.a - r.days(1, 30)).max(start + 1) } else { self.a + r.days(7, remaining) };
        o.expected_close = self.date(close).max(o.created_at.date_naive()).into();
        o.next_step = (*r.pick(if p.china { NEXT_CN } else { NEXT_EN })).to_string();
        o.next_step_date = Some(self.date(self.a + r.days(1, 21)).max(o.created_at.date_naive()));
        Some(o)
    }
}
