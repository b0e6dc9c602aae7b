//! After-sales life: service tickets, visit reports and satisfaction surveys.

use super::*;

impl Gen<'_> {
    /// Inquiry drafts: pre-sales for prospects and before a new customer's first order, in-sales later.
    pub(super) fn inquiries(
        &self,
        r: &mut Rng,
        p: &Profile,
        mix: &[(usize, usize, f64)],
        first_order: Option<i32>,
        active_end: i32,
        drafts: &mut Vec<TicketDraft>,
    ) {
        let from = p.created.max(self.s);
        let years = f64::from((active_end - from).max(0)) / 365.0;
        let mut n = r.poisson(0.35 * years);
        if p.arch == Arch::Potential {
            n += 1 + r.below(3);
        }
        if p.arch == Arch::New {
            n += 1;
        }
        for k in 0..n {
            let (lo, hi, pre) = match first_order {
                Some(f) if p.arch == Arch::New && k == n - 1 => (from.min(f), f, true),
                Some(_) => (from, active_end, false),
                None => (from, self.a, true),
            };
            let day = r.days(lo, hi.max(lo));
            let Some(&(cat, prod, _)) = mix.get(r.index(mix.len())) else { continue };
            let product = self.product_name(cat, prod, p.china);
            let text = text::inquiry(r, p.china, product, goods_of(cat));
            let severity = if r.chance(0.7) { Severity::Low } else { Severity::Medium };
            let stage = if pre || r.chance(0.4) { ServiceStage::PreSales } else { ServiceStage::InSales };
            drafts.push(TicketDraft {
                kind: TicketKind::Inquiry,
                stage,
                severity,
                opened: self.at(r, day, p.region),
                text,
                order_id: None,
                product: Some(product.to_string()),
                stuck: r.chance(0.01),
            });
        }
    }

    /// Settles statuses and times of the drafts, numbers them in date order and stores them.
    pub(super) fn finish_tickets(
        &mut self,
        r: &mut Rng,
        p: &Profile,
        customer_id: &str,
        drafts: &mut Vec<TicketDraft>,
        churny: bool,
    ) -> i64 {
        drafts.sort_by_key(|d| d.opened);
        let mut latest = i64::MIN;
        for d in drafts.drain(..) {
            let opened = d.opened.min(self.now);
            let sla = d.severity.default_sla().num_seconds();
            // Most tickets are solved well within the SLA; a third of complaints need an 8D
            // investigation of one to six weeks; a few tickets get stuck for months.
            let mut took = if d.kind == TicketKind::Complaint && r.chance(0.35) {
                r.range(7 * DAY, 45 * DAY)
            } else {
                (sla as f64 * libm::exp(-0.8 + 0.7 * r.normal())) as i64
            };
            if d.stuck || (churny && r.chance(0.05)) {
                took = (took as f64 * r.uf(10.0, 60.0)) as i64;
            }
            let resolve = opened + took.max(15 * 60);
            let (status, resolved_at, closed_at, updated, resolution) = if resolve > self.now {
                let status = if self.now - opened > 4 * HOUR && r.chance(0.75) {
                    TicketStatus::InProgress
                } else {
                    TicketStatus::Open
                };
                let touched = opened + r.range(0, (self.now - opened).max(0));
                (status, None, None, touched, String::new())
            } else {
                let close = resolve + r.range(2 * HOUR, 5 * DAY);
                if close > self.now {
                    (TicketStatus::Resolved, Some(resolve), None, resolve, d.text.resolution)
                } else {
                    (TicketStatus::Closed, Some(resolve), Some(close), close, d.text.resolution)
                }
            };
            let assignee = if status == TicketStatus::Open && r.chance(0.35) {
                None
            } else if r.chance(0.8) {
                Some(p.support.to_string())
            } else {
                let pool = if p.china { names::SUPPORT_CN } else { names::SUPPORT_INTL };
                Some(r.pick(pool).to_string())
            };
            latest = latest.max(updated);
            self.next_ticket += 1;
            self.ds.tickets.push(ServiceTicket {
                id: format!("T{:07}", self.next_ticket),
                customer_id: customer_id.to_string(),
                kind: d.kind,
                stage: d.stage,
                severity: d.severity,
                status,
                title: d.text.title,
                description: d.text.description,
                resolution,
                order_id: d.order_id,
                product: d.product,
                assignee,
                opened_at: self.ts(opened),
                sla_due: self.ts_unclamped(opened + sla),
                resolved_at: resolved_at.map(|t| self.ts(t)),
                closed_at: closed_at.map(|t| self.ts(t)),
                updated_at: self.ts(updated),
                photos: Vec::new(),
            });
        }
        latest
    }

    /// Like `ts` but may lie after now (deadlines).
    fn ts_unclamped(&self, secs: i64) -> Timestamp {
        let day = i32::try_from(secs.div_euclid(DAY)).unwrap_or(self.a);
        let sod = u32::try_from(secs.rem_euclid(DAY)).unwrap_or(0);
        match (NaiveDate::from_num_days_from_ce_opt(day), NaiveTime::from_num_seconds_from_midnight_opt(sod, 0)) {
            (Some(d), Some(t)) => NaiveDateTime::new(d, t).and_utc(),
            _ => self.ts(secs),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn visits(
        &mut self,
        r: &mut Rng,
        p: &Profile,
        customer_id: &str,
        contacts: &[(String, String)],
        product: &str,
        had_complaints: bool,
        last_order: Option<i32>,
        active_end: i32,
    ) -> i64 {
        let mut rate = match p.tier {
            Tier::Key => 8.0,
            Tier::Mid => 3.0,
            Tier::Small => 1.0,
        };
        if !p.china {
            rate *= 0.4;
        }
        if p.owner.is_none() {
            rate *= 0.3;
        }
        let from = p.created.max(self.s);
        let to = match p.arch {
            Arch::Lost => last_order.map_or(active_end, |d| (d + 60).min(self.a)),
            Arch::Churning => last_order.map_or(self.a, |d| (d + 120).min(self.a)),
            _ => self.a,
        };
        let mut days: Vec<i32> = Vec::new();
        if p.arch == Arch::Potential {
            if p.owner.is_some() {
                for _ in 0..r.below(3) {
                    days.push(r.days(from, self.a));
                }
            }
        } else {
            let years = f64::from((to - from).max(0)) / 365.0;
            for _ in 0..r.poisson(rate * years).min(60) {
                days.push(r.days(from, to.max(from)));
            }
        }
        // A win-back visit for some lost accounts.
        if p.arch == Arch::Lost && p.owner.is_some() && r.chance(0.3) {
            days.push(r.days(to, self.a));
        }
        days.sort_unstable();
        let mut latest = i64::MIN;
        let city = &CITIES[p.city];
        for mut day in days {
            let Some(date) = NaiveDate::from_num_days_from_ce_opt(day) else { continue };
            match date.weekday() {
                Weekday::Sat => day -= 1,
                Weekday::Sun => day = if day < self.a { day + 1 } else { day - 2 },
                _ => {}
            }
            let day = day.max(from).min(self.a);
            let date = self.date(day);
            let purpose = if p.arch == Arch::Potential {
                if r.chance(0.8) { VisitPurpose::Opportunity } else { VisitPurpose::Relationship }
            } else {
                let w = [
                    (VisitPurpose::Relationship, 35),
                    (VisitPurpose::Opportunity, 20),
                    (VisitPurpose::Service, 15),
                    (VisitPurpose::Complaint, if had_complaints { 12 } else { 0 }),
                    (VisitPurpose::Collection, if p.payer == Payer::Late { 12 } else { 1 }),
                    (VisitPurpose::Survey, 5),
                    (VisitPurpose::Other, 5),
                ];
                *r.pick_w(&w)
            };
            let mut met = Vec::with_capacity(2);
            if !contacts.is_empty() {
                let first = r.index(contacts.len());
                met.push(contacts[first].0.clone());
                if contacts.len() > 1 && r.chance(0.35) {
                    let second = (first + 1 + r.index(contacts.len() - 1)) % contacts.len();
                    met.push(contacts[second].0.clone());
                }
            }
            let contact_name =
                met.first().and_then(|m| contacts.iter().find(|(id, _)| id == m)).map_or("", |(_, n)| n.as_str());
            let t = text::visit(r, p.china, purpose, contact_name, product);
            let (next_step, next_step_date) = if r.chance(0.75) {
                (t.next_step.to_string(), Some(self.date(day + r.days(3, 30))))
            } else {
                (String::new(), None)
            };
            let location = if r.chance(if p.china { 0.6 } else { 0.3 }) {
                Some(GeoPoint {
                    lat: libm::round((city.lat + r.uf(-0.08, 0.08)) * 1e5) / 1e5,
                    lon: libm::round((city.lon + r.uf(-0.08, 0.08)) * 1e5) / 1e5,
                    accuracy_m: Some(r.range(5, 60) as f64),
                })
            } else {
                None
            };
            let updated = self.at(r, day, p.region);
            latest = latest.max(updated);
            self.next_visit += 1;
            self.ds.visits.push(Visit {
                id: format!("V{:07}", self.next_visit),
                customer_id: customer_id.to_string(),
                date,
                rep: p.owner.unwrap_or(p.rep).to_string(),
                contacts_met: met,
                purpose,
                notes: t.notes,
                outcome: t.outcome.to_string(),
                next_step,
                next_step_date,
                location,
                updated_at: self.ts(updated),
            });
        }
        latest
    }

    /// Satisfaction at a day: churning and lost accounts start content and sour towards the end.
    fn sat_at(&self, p: &Profile, day: i32, last_order: Option<i32>) -> f64 {
        match (p.arch, last_order) {
            (Arch::Churning | Arch::Lost, Some(last)) => {
                let span = f64::from((last - p.start).max(30));
                let progress = (f64::from(day - p.start) / span).clamp(0.0, 1.2);
                p.sat + 0.35 * (1.0 - progress)
            }
            _ => p.sat,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn surveys(
        &mut self,
        r: &mut Rng,
        p: &Profile,
        customer_id: &str,
        contacts: &[(String, String)],
        first_order: Option<i32>,
        last_order: Option<i32>,
        ticket_start: usize,
        complaints: usize,
    ) {
        let penalty = 0.06 * complaints.min(4) as f64;
        let respond = match p.tier {
            Tier::Key => 0.45,
            Tier::Mid => 0.32,
            Tier::Small => 0.22,
        };
        let contact = |r: &mut Rng| -> Option<String> {
            if contacts.is_empty() { None } else { Some(contacts[r.index(contacts.len())].0.clone()) }
        };
        if let (Some(first), Some(last)) = (first_order, last_order) {
            for ci in 0..self.campaigns.len() {
                let c = self.campaigns[ci];
                if c < first || c > last + 540 || !r.chance(respond) {
                    continue;
                }
                let day = (c + r.days(0, 21)).min(self.a);
                let s = self.sat_at(p, day, last_order) - penalty;
                let csat = (libm::round(1.0 + 4.0 * (s + 0.12 * r.normal()))).clamp(1.0, 5.0) as u8;
                let nps = (libm::round(11.0 * (s + 0.12 * r.normal()) + 0.2)).clamp(0.0, 10.0) as u8;
                let comment =
                    if r.chance(0.55) { text::survey_comment(r, p.china, csat).to_string() } else { String::new() };
                let contact_id = contact(r);
                self.next_survey += 1;
                self.ds.surveys.push(SurveyResponse {
                    id: format!("S{:07}", self.next_survey),
                    customer_id: customer_id.to_string(),
                    contact_id,
                    date: self.date(day),
                    csat: Some(csat),
                    nps: if r.chance(0.9) { Some(nps) } else { None },
                    comment,
                    ticket_id: None,
                });
            }
        }
        // Follow-ups of closed tickets.
        for k in ticket_start..self.ds.tickets.len() {
            let t = &self.ds.tickets[k];
            let Some(closed) = t.closed_at else { continue };
            if !r.chance(0.3) {
                continue;
            }
            let day = (closed.date_naive().num_days_from_ce() + r.days(0, 3)).min(self.a);
            let breached = t.resolved_at.is_some_and(|x| x > t.sla_due);
            let is_complaint = t.kind == TicketKind::Complaint;
            let ticket_id = t.id.clone();
            let s = self.sat_at(p, day, last_order)
                - if breached { 0.25 } else { 0.0 }
                - if is_complaint { 0.1 } else { 0.0 };
            let csat = (libm::round(1.0 + 4.0 * (s + 0.15 * r.normal()))).clamp(1.0, 5.0) as u8;
            let nps = if r.chance(0.3) {
                Some((libm::round(11.0 * (s + 0.12 * r.normal()) + 0.2)).clamp(0.0, 10.0) as u8)
            } else {
                None
            };
            let comment =
                if r.chance(0.4) { text::survey_comment(r, p.china, csat).to_string() } else { String::new() };
            let contact_id = contact(r);
            self.next_survey += 1;
            self.ds.surveys.push(SurveyResponse {
                id: format!("S{:07}", self.next_survey),
                customer_id: customer_id.to_string(),
                contact_id,
                date: self.date(day),
                csat: Some(csat),
                nps,
                comment,
                ticket_id: Some(ticket_id),
            });
        }
    }
}
