//! Orders with their lines, fulfilment and margins; invoices and payments; tickets about orders.

use super::*;

/// 2–5 products the customer usually buys, from its industry's categories, as
/// `(category, product, unit price in minor units before yearly increases)`.
/// Products far above the customer's usual order size are mostly skipped.
pub(super) fn product_mix(r: &mut Rng, p: &Profile) -> Vec<(usize, usize, f64)> {
    let avg_order = p.value / p.freq.max(0.5);
    let mut mix: Vec<(usize, usize, f64)> = Vec::with_capacity(5);
    let ind = ind_of(p.industry);
    let want = 2 + r.below(4) as usize;
    for _ in 0..want * 4 {
        if mix.len() >= want {
            break;
        }
        let cat = *r.pick_w(ind.buys);
        let c = &CATEGORIES[cat.min(CATEGORIES.len() - 1)];
        let k = r.index(c.products.len());
        let prod = &c.products[k.min(c.products.len() - 1)];
        if prod.price as f64 / 100.0 > avg_order * 1.5 && r.chance(0.85) {
            continue;
        }
        if mix.iter().any(|&(a, b, _)| a == cat && b == k) {
            continue;
        }
        let export = if p.china { 1.0 } else { 1.12 };
        let base = prod.price as f64 * p.price_factor * export / p.fx * r.uf(0.95, 1.05);
        mix.push((cat, k, base));
    }
    if mix.is_empty() {
        // Customs clearance: something every account can buy.
        mix.push((catalog::CAT_FREIGHT, 3, 60_000.0 / p.fx));
    }
    mix
}

pub(super) struct OrderStats {
    pub(super) updated: i64,
}

impl Gen<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn orders(
        &mut self,
        r: &mut Rng,
        rt: &mut Rng,
        p: &Profile,
        customer_id: &str,
        events: &[Ev],
        mix: &[(usize, usize, f64)],
        sales: &mut Vec<(i32, i64)>,
        drafts: &mut Vec<TicketDraft>,
    ) -> OrderStats {
        let mut latest = i64::MIN;
        let base_order = p.value / p.freq.max(0.5) * 100.0 / p.fx;
        let strict = ind_of(p.industry).strictness;
        let low_sat = if p.sat < 0.5 { 1.6 } else { 1.0 };
        let bad_debt = if matches!(p.arch, Arch::Churning | Arch::Lost) { 0.03 } else { 0.002 };
        let region = p.region;
        let mut order_idx = [0usize; 5];
        for ev in events {
            let day = ev.day.clamp(self.s.min(self.a), self.a);
            let date = self.date(day);
            // Lines.
            let target = base_order * ev.mult * r.lognormal(-0.1, 0.45);
            let roll = r.below(100);
            let k = (if roll < 40 {
                1
            } else if roll < 70 {
                2
            } else if roll < 90 {
                3
            } else {
                4
            })
            .min(mix.len());
            for (j, slot) in order_idx.iter_mut().enumerate().take(mix.len().min(5)) {
                *slot = j;
            }
            for j in 0..k {
                let pick = j + r.index(mix.len().min(5) - j);
                // By hand rather than `swap`: debug builds (the app's dev wasm) pay a lot for its checks.
                #[allow(clippy::manual_swap)]
                {
                    let t = order_idx[j];
                    order_idx[j] = order_idx[pick];
                    order_idx[pick] = t;
                }
            }
            let year_infl = 1.0 + 0.03 * f64::from((day - self.s).max(0) / 365);
            let mut lines = Vec::with_capacity(k);
            let mut weights = [0f64; 5];
            let mut wsum = 0.0;
            for w in weights.iter_mut().take(k) {
                *w = r.uf(0.3, 1.0);
                wsum += *w;
            }
            let mut amount = Money::ZERO;
            let mut any_service = false;
            for j in 0..k {
                let (cat, prod, base) = mix[order_idx[j]];
                let c = &CATEGORIES[cat.min(CATEGORIES.len() - 1)];
                let pr = &c.products[prod.min(c.products.len() - 1)];
                any_service |= c.service;
                let unit = round_price(base * year_infl);
                let share = target * weights[j] / wsum;
                let mut q = libm::round(share / unit as f64).clamp(1.0, 500_000.0) as u32;
                if pr.lot > 1 {
                    q = ((q + pr.lot / 2) / pr.lot * pr.lot).max(pr.lot);
                }
                let line = OrderLine {
                    product: (if p.china { pr.zh } else { pr.en }).to_string(),
                    category: (if p.china { c.zh } else { c.en }).to_string(),
                    quantity: q,
                    unit_price: Money(unit),
                };
                amount = amount.saturating_add(line.total());
                lines.push(line);
            }
            let rate = (p.margin + 0.03 * r.normal() - if any_service { 0.04 } else { 0.0 }).clamp(-0.4, 0.6);
            let margin = Money(libm::round(amount.0 as f64 * rate) as i64).min(amount);

            // Fulfilment.
            let lead = r.days(3, 25);
            let transit = if p.china { r.days(1, 5) } else { r.days(12, 40) };
            let ship = day + lead;
            let delivered = ship + transit;
            let (status, upd_day) = if r.chance(0.02) {
                (OrderStatus::Cancelled, (day + r.days(0, 10)).min(self.a))
            } else if ship > self.a {
                if (self.a - day <= 1 && r.chance(0.7)) || r.chance(0.2) {
                    (OrderStatus::Open, day)
                } else {
                    (OrderStatus::Confirmed, (day + r.days(0, 2)).min(self.a))
                }
            } else if delivered > self.a {
                (OrderStatus::Shipped, ship)
            } else {
                (OrderStatus::Delivered, delivered)
            };
            let updated = self.at(r, upd_day, region).max(i64::from(day) * DAY);
            latest = latest.max(updated);
            self.next_order += 1;
            let order_id = format!("SO{:08}", self.next_order);

            if status != OrderStatus::Cancelled {
                sales.push((day, amount.0));
                let q = usize::try_from(quarter_key(date) - self.q0).unwrap_or(usize::MAX);
                if let Some(slot) = self.revenue[region].get_mut(q) {
                    *slot = slot.saturating_add(amount.0);
                }
            }

            // Tickets about this order.
            let mut complained = false;
            if matches!(status, OrderStatus::Shipped | OrderStatus::Delivered) {
                let pc = 0.028 * strict * low_sat * if ev.late { 4.0 } else { 1.0 };
                if rt.chance(pc) {
                    let li = rt.index(lines.len()).min(lines.len() - 1);
                    let line = &lines[li];
                    let opened_day = if status == OrderStatus::Delivered {
                        delivered + rt.days(0, 25)
                    } else {
                        ship + rt.days(2, 10)
                    };
                    if opened_day <= self.a {
                        complained = true;
                        let cat = mix[order_idx[li]].0;
                        let c = &CATEGORIES[cat.min(CATEGORIES.len() - 1)];
                        let in_sales = status == OrderStatus::Shipped || rt.chance(0.15);
                        let t = if in_sales {
                            text::delivery_complaint(rt, p.china, &order_id)
                        } else {
                            let defect = *rt.pick(c.defects);
                            text::complaint(rt, p.china, &line.product, defect, &order_id, line.quantity)
                        };
                        let severity = *rt.pick_w(&[
                            (Severity::Low, 10),
                            (Severity::Medium, 45),
                            (Severity::High, 35),
                            (Severity::Critical, 10),
                        ]);
                        drafts.push(TicketDraft {
                            kind: TicketKind::Complaint,
                            stage: if in_sales { ServiceStage::InSales } else { ServiceStage::AfterSales },
                            severity,
                            opened: self.at(rt, opened_day, region),
                            text: t,
                            order_id: Some(order_id.clone()),
                            product: if in_sales { None } else { Some(line.product.clone()) },
                            stuck: rt.chance(if ev.late { 0.12 } else { 0.02 }),
                        });
                    }
                }
            }
            if status != OrderStatus::Cancelled && rt.chance(0.04) {
                let opened_day = (day + rt.days(0, 20)).min(self.a);
                let li = rt.index(lines.len()).min(lines.len() - 1);
                let line = &lines[li];
                let t = text::request(rt, p.china, &line.product, &order_id, goods_of(mix[order_idx[li]].0));
                let severity = *rt.pick_w(&[(Severity::Low, 45), (Severity::Medium, 45), (Severity::High, 10)]);
                drafts.push(TicketDraft {
                    kind: TicketKind::Request,
                    stage: if opened_day < ship { ServiceStage::InSales } else { ServiceStage::AfterSales },
                    severity,
                    opened: self.at(rt, opened_day, region),
                    text: t,
                    order_id: Some(order_id.clone()),
                    product: Some(line.product.clone()),
                    stuck: rt.chance(0.02),
                });
            }

            // Invoice and payments.
            if matches!(status, OrderStatus::Shipped | OrderStatus::Delivered) {
                let issue = ship;
                let issue_date = self.date(issue);
                let due = issue + i32::from(p.terms);
                let number = self.invoice_number(issue_date.year());
                let mut delay = match p.payer {
                    Payer::Prompt => r.days(-12, 4),
                    Payer::Normal => {
                        if r.chance(0.12) {
                            r.days(10, 55)
                        } else {
                            r.days(-5, 12)
                        }
                    }
                    Payer::Late => r.days(12, 125),
                };
                if complained {
                    delay += r.days(10, 40);
                }
                if ev.late && r.chance(0.3) {
                    delay += r.days(10, 60);
                }
                let pay_day = (due + delay).max(issue);
                let mut payments = Vec::new();
                if !r.chance(bad_debt) {
                    let split = r.chance(0.06);
                    let first = if split { libm::round(amount.0 as f64 * r.uf(0.3, 0.7)) as i64 } else { amount.0 };
                    if split && first > 0 && first < amount.0 {
                        let second_day = pay_day + r.days(20, 75);
                        if pay_day <= self.a {
                            payments.push(Payment { date: self.date(pay_day), amount: Money(first) });
                            if second_day <= self.a {
                                payments.push(Payment { date: self.date(second_day), amount: Money(amount.0 - first) });
                            }
                        }
                    } else if pay_day <= self.a && amount.0 > 0 {
                        payments.push(Payment { date: self.date(pay_day), amount });
                    }
                }
                self.ds.invoices.push(Invoice {
                    number,
                    customer_id: customer_id.to_string(),
                    order_id: Some(order_id.clone()),
                    issue_date,
                    due_date: self.date(due),
                    amount,
                    currency: p.currency,
                    payments,
                });
            }

            self.ds.orders.push(Order {
                id: order_id,
                customer_id: customer_id.to_string(),
                date,
                amount,
                margin: Some(margin),
                currency: p.currency,
                status,
                lines,
                updated_at: self.ts(updated),
            });
        }
        OrderStats { updated: latest }
    }

    fn invoice_number(&mut self, year: i32) -> String {
        let seq = match self.invoice_seq.iter_mut().find(|(y, _)| *y == year) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.invoice_seq.push((year, 1));
                1
            }
        };
        format!("INV-{year:04}-{seq:06}")
    }
}
