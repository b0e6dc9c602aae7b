//! The BG/NBD model (Fader, Hardie & Lee 2005, "'Counting Your Customers' the Easy Way: An
//! Alternative to the Pareto/NBD Model", *Marketing Science* 24(2)).
//!
//! While active, a customer buys at Poisson rate λ ~ Gamma(r, α); after each *repeat* purchase
//! it drops out with probability p ~ Beta(a, b). Per customer: `x` = repeat purchases, counted as
//! distinct order dates after the first (several orders on one day are one purchase), `t_x` =
//! weeks from the first to the last purchase, `T` = weeks from the first purchase to the
//! analysis date (a week is 7 days). Customers without orders are left out.
//!
//! **Fitting** maximises the log-likelihood (paper, eq. 6) over `ln r, ln α, ln a, ln b` (so
//! the parameters stay positive) with BFGS and the analytic gradient (digamma), which takes tens
//! of likelihood evaluations where Nelder–Mead takes hundreds; it is ~150 lines, hand-written
//! because no small, well-kept optimisation crate fits a wasm bundle with a 300 KB budget.
//! `lgamma`, `exp`, `ln` come from `libm`, so native and wasm32 fits agree. Customers with the
//! same `(x, t_x, T)` are grouped, and `ln(α + T)`, `ln(α + t_x)` and the per-`x` gamma terms
//! are computed once per distinct value, so an evaluation costs about one `exp` and one `ln` per
//! group. [`Fitter::step`] runs at most a given number of evaluations and can be resumed, so a
//! browser can fit in slices of a frame.
//!
//! **P(alive)** = `1 / (1 + [x > 0] · a / (b + x − 1) · ((α + T) / (α + t_x))^(r + x))`. For
//! `x = 0` it is 1: in the BG/NBD a customer can only drop out right after a repeat purchase, so
//! one who never came back is "alive" by construction (Fader, Hardie & Lee's note "Computing
//! P(alive) using the BG/NBD model", and the `lifetimes` package, agree; the MBG/NBD variant
//! changes exactly this).
//!
//! **Expected orders** in the next `t` weeks use the paper's eq. 10 with Euler's transformation
//! `₂F₁(r+x, b+x; a+b+x−1; z) (1−z)^(r+x) = (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z)`,
//! `z = t / (α + T + t) < 1`: the transformed series has small numerator parameters, so it
//! neither overflows for large `x` nor needs many terms. At `a = 1` the formula is 0/0; there it
//! is the mean of the values at `a = 1 ± 10⁻⁶`.
//!
//! **CLV** = expected orders over the horizon × the customer's average known margin per order
//! (undiscounted, customer's currency); `None` when no order has a known margin. **CLV in the
//! reporting currency** (`clv_report`) is the same with the average of the margins converted at
//! their orders' dates (`CustomerRow::margin_report`); `None` also when the currency has no rate.

use super::{Analysis, CustomerRow};
use crate::core::model::{Date, Money};
use serde::{Deserialize, Serialize};

/// One customer's purchase history in the model's terms (weeks).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Repeat purchases (distinct purchase days after the first).
    pub x: u32,
    /// Weeks from the first to the last purchase.
    pub t_x: f64,
    /// Weeks from the first purchase to the analysis date.
    pub t: f64,
}

impl Summary {
    /// From the analysis row (`None` without orders).
    pub fn from_row(row: &CustomerRow, as_of: Date) -> Option<Summary> {
        let (first, last) = (row.first_order?, row.last_order?);
        let t_x = (last - first).num_days().max(0) as f64 / 7.0;
        let t = ((as_of - first).num_days().max(0) as f64 / 7.0).max(t_x);
        Some(Summary { x: row.distinct_days.saturating_sub(1), t_x, t })
    }

    fn is_valid(&self) -> bool {
        self.t_x.is_finite() && self.t.is_finite() && self.t_x >= 0.0 && self.t >= self.t_x
    }
}

/// Every customer's summary (`None` for customers without orders), in the analysis' order.
pub fn summaries(analysis: &Analysis) -> Vec<Option<Summary>> {
    analysis.rows.iter().map(|r| Summary::from_row(r, analysis.as_of)).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub r: f64,
    /// In weeks.
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl Params {
    fn valid(&self) -> bool {
        [self.r, self.alpha, self.a, self.b].iter().all(|v| v.is_finite() && *v > 0.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Group {
    xi: u32,
    ti: u32,
    txi: u32,
    n: f64,
}

/// Summaries grouped by identical `(x, t_x, T)`, with the distinct values of each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grouped {
    xs: Vec<u32>,
    ts: Vec<f64>,
    txs: Vec<f64>,
    groups: Vec<Group>,
    customers: usize,
    /// Summaries left out: negative, non-finite or `t_x > T`.
    pub rejected: usize,
}

impl Grouped {
    pub fn new(data: impl IntoIterator<Item = Summary>) -> Grouped {
        let mut rejected = 0;
        let mut v: Vec<Summary> = data
            .into_iter()
            .filter(|s| {
                let ok = s.is_valid();
                rejected += usize::from(!ok);
                ok
            })
            .collect();
        // Valid values are finite and ≥ 0, so (with −0 made +0) their IEEE bits order like the
        // numbers: integer keys sort several times faster than `total_cmp` chains, which keeps
        // grouping 100k customers well inside one frame budget in the browser.
        for s in &mut v {
            s.t += 0.0;
            s.t_x += 0.0;
        }
        v.sort_unstable_by_key(|s| (s.x, s.t.to_bits(), s.t_x.to_bits()));
        let sorted_distinct = |vals: Vec<f64>| {
            let mut bits: Vec<u64> = vals.into_iter().map(f64::to_bits).collect();
            bits.sort_unstable();
            bits.dedup();
            bits.into_iter().map(f64::from_bits).collect::<Vec<f64>>()
        };
        let ts = sorted_distinct(v.iter().map(|s| s.t).collect());
        let txs = sorted_distinct(v.iter().map(|s| s.t_x).collect());
        let mut xs: Vec<u32> = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut prev: Option<Summary> = None;
        for s in &v {
            if let (Some(p), Some(g)) = (prev, groups.last_mut())
                && p.x == s.x
                && p.t.total_cmp(&s.t).is_eq()
                && p.t_x.total_cmp(&s.t_x).is_eq()
            {
                g.n += 1.0;
                continue;
            }
            if xs.last() != Some(&s.x) {
                xs.push(s.x);
            }
            let ti = ts.partition_point(|t| t.total_cmp(&s.t).is_lt()) as u32;
            let txi = txs.partition_point(|t| t.total_cmp(&s.t_x).is_lt()) as u32;
            groups.push(Group { xi: (xs.len() - 1) as u32, ti, txi, n: 1.0 });
            prev = Some(*s);
        }
        Grouped { xs, ts, txs, groups, customers: v.len(), rejected }
    }

    pub fn customers(&self) -> usize {
        self.customers
    }

    pub fn groups(&self) -> usize {
        self.groups.len()
    }
}

/// Digamma ψ(x) for x > 0 (recurrence up to 6, then the asymptotic series).
pub fn digamma(mut x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return f64::NAN;
    }
    let mut acc = 0.0;
    while x < 6.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let series = f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))));
    acc + libm::log(x) - 0.5 / x - series
}

fn lgamma(x: f64) -> f64 {
    libm::lgamma_r(x).0
}

/// Reusable buffers of an evaluation.
#[derive(Clone, Debug, Default)]
struct Scratch {
    ln_t: Vec<f64>,
    inv_t: Vec<f64>,
    ln_tx: Vec<f64>,
    inv_tx: Vec<f64>,
}

/// Total log-likelihood and its gradient with respect to (r, α, a, b).
fn evaluate(g: &Grouped, p: &Params, scratch: &mut Scratch) -> (f64, [f64; 4]) {
    let Params { r, alpha, a, b } = *p;
    if !p.valid() {
        return (f64::NAN, [f64::NAN; 4]);
    }
    let fill = |vals: &[f64], ln: &mut Vec<f64>, inv: &mut Vec<f64>| {
        ln.clear();
        inv.clear();
        for &v in vals {
            ln.push(libm::log(alpha + v));
            inv.push(1.0 / (alpha + v));
        }
    };
    fill(&g.ts, &mut scratch.ln_t, &mut scratch.inv_t);
    fill(&g.txs, &mut scratch.ln_tx, &mut scratch.inv_tx);
    let (lg_r, lg_b, lg_ab) = (lgamma(r), lgamma(b), lgamma(a + b));
    let (ps_r, ps_b, ps_ab) = (digamma(r), digamma(b), digamma(a + b));
    let (ln_alpha, ln_a) = (libm::log(alpha), libm::log(a));
    let mut ll = 0.0;
    let mut grad = [0.0; 4];
    let mut gi = 0;
    for (xi, &x) in g.xs.iter().enumerate() {
        let xf = f64::from(x);
        let rx = r + xf;
        let c1 = lgamma(rx) - lg_r + r * ln_alpha + lg_ab + lgamma(b + xf) - lg_b - lgamma(a + b + xf);
        let dr = digamma(rx) - ps_r + ln_alpha;
        let da = ps_ab - digamma(a + b + xf);
        let db = ps_ab - ps_b + digamma(b + xf) - digamma(a + b + xf);
        let (ln_bx1, inv_bx1) = if x > 0 { (libm::log(b + xf - 1.0), 1.0 / (b + xf - 1.0)) } else { (0.0, 0.0) };
        let (mut count, mut s_ll, mut s_r, mut s_al, mut s_a, mut s_b) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        while let Some(grp) = g.groups.get(gi) {
            if grp.xi as usize != xi {
                break;
            }
            gi += 1;
            let (ti, txi) = (grp.ti as usize, grp.txi as usize);
            let (lt, it) = (scratch.ln_t[ti], scratch.inv_t[ti]);
            let a3 = -rx * lt;
            let (lse, w4, ltx, itx) = if x > 0 {
                let (ltx, itx) = (scratch.ln_tx[txi], scratch.inv_tx[txi]);
                let a4 = ln_a - ln_bx1 - rx * ltx;
                let d = a3 - a4;
                if d > 0.0 {
                    let e = libm::exp(-d);
                    (a3 + libm::log1p(e), e / (1.0 + e), ltx, itx)
                } else {
                    let e = libm::exp(d);
                    (a4 + libm::log1p(e), 1.0 / (1.0 + e), ltx, itx)
                }
            } else {
                (a3, 0.0, 0.0, 0.0)
            };
            let w3 = 1.0 - w4;
            let n = grp.n;
            count += n;
            s_ll += n * lse;
            s_r -= n * (w3 * lt + w4 * ltx);
            s_al -= n * rx * (w3 * it + w4 * itx);
            s_a += n * w4;
            s_b -= n * w4;
        }
        ll += count * c1 + s_ll;
        grad[0] += count * dr + s_r;
        grad[1] += count * r / alpha + s_al;
        grad[2] += count * da + s_a / a;
        grad[3] += count * db + s_b * inv_bx1;
    }
    (ll, grad)
}

/// Total log-likelihood of grouped data at `p` (NaN for non-positive parameters).
pub fn log_likelihood(p: &Params, data: &Grouped) -> f64 {
    evaluate(data, p, &mut Scratch::default()).0
}

/// Total log-likelihood and its gradient with respect to (r, α, a, b).
pub fn log_likelihood_gradient(p: &Params, data: &Grouped) -> (f64, [f64; 4]) {
    evaluate(data, p, &mut Scratch::default())
}

/// The log-likelihood of one customer (eq. 6 of the paper), computed directly.
pub fn log_likelihood_one(p: &Params, s: Summary) -> f64 {
    let Params { r, alpha, a, b } = *p;
    if !p.valid() {
        return f64::NAN;
    }
    let x = f64::from(s.x);
    let a1 = lgamma(r + x) - lgamma(r) + r * libm::log(alpha);
    let a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
    let a3 = -(r + x) * libm::log(alpha + s.t);
    if s.x == 0 {
        return a1 + a2 + a3;
    }
    let a4 = libm::log(a) - libm::log(b + x - 1.0) - (r + x) * libm::log(alpha + s.t_x);
    let m = a3.max(a4);
    a1 + a2 + m + libm::log(libm::exp(a3 - m) + libm::exp(a4 - m))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FitOptions {
    pub start: Params,
    pub max_iterations: u32,
    pub max_evaluations: u32,
    /// Converged when every component of the gradient of −LL / customers with respect to the
    /// log-parameters is below this.
    pub gradient_tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            start: Params { r: 1.0, alpha: 1.0, a: 1.0, b: 1.0 },
            max_iterations: 500,
            max_evaluations: 2_000,
            gradient_tolerance: 1e-8,
        }
    }
}

/// The outcome of a fit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    pub params: Params,
    pub log_likelihood: f64,
    pub iterations: u32,
    pub evaluations: u32,
    pub converged: bool,
    pub customers: usize,
    pub groups: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Start,
    Search { dir: [f64; 4], step: f64, slope: f64, tries: u32 },
    Done,
}

/// Log-parameters are kept within ±LIMIT (parameters between 1e-11 and 7e10).
const LIMIT: f64 = 25.0;
/// Largest change of a log-parameter in one line-search trial.
const MAX_STEP: f64 = 2.0;

/// A resumable BFGS fit: call [`Fitter::step`] until it returns `true`, then [`Fitter::result`].
///
/// One evaluation costs about one `exp` and one `ln` per group (100 k demo customers make ~77 k
/// groups: ~3 ms natively), and a fit takes 20–40 evaluations, so `step(5)` per animation frame
/// keeps a browser responsive.
#[derive(Clone, Debug)]
pub struct Fitter {
    data: Grouped,
    opts: FitOptions,
    scratch: Scratch,
    phi: [f64; 4],
    f: f64,
    g: [f64; 4],
    h: [[f64; 4]; 4],
    fresh_h: bool,
    scaled: bool,
    phase: Phase,
    evaluations: u32,
    iterations: u32,
    converged: bool,
}

fn to_params(phi: &[f64; 4]) -> Params {
    Params { r: libm::exp(phi[0]), alpha: libm::exp(phi[1]), a: libm::exp(phi[2]), b: libm::exp(phi[3]) }
}

fn identity() -> [[f64; 4]; 4] {
    let mut h = [[0.0; 4]; 4];
    for (i, row) in h.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    h
}

fn dot(a: &[f64; 4], b: &[f64; 4]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(a: &[f64; 4]) -> f64 {
    a.iter().fold(0.0, |m, v| if v.abs() > m { v.abs() } else { m })
}

impl Fitter {
    pub fn new(data: Grouped, opts: FitOptions) -> Fitter {
        let s = opts.start;
        let start = if s.valid() { s } else { FitOptions::default().start };
        let phi = [start.r, start.alpha, start.a, start.b].map(|v| libm::log(v).clamp(-LIMIT, LIMIT));
        let phase = if data.customers == 0 { Phase::Done } else { Phase::Start };
        Fitter {
            data,
            opts,
            scratch: Scratch::default(),
            phi,
            f: f64::NAN,
            g: [0.0; 4],
            h: identity(),
            fresh_h: true,
            scaled: false,
            phase,
            evaluations: 0,
            iterations: 0,
            converged: false,
        }
    }

    /// −LL / customers and its gradient in log-parameters.
    fn objective(&mut self, phi: &[f64; 4]) -> (f64, [f64; 4]) {
        self.evaluations += 1;
        let p = to_params(phi);
        let (ll, grad) = evaluate(&self.data, &p, &mut self.scratch);
        let n = self.data.customers.max(1) as f64;
        let theta = [p.r, p.alpha, p.a, p.b];
        let mut g = [0.0; 4];
        for i in 0..4 {
            g[i] = -theta[i] * grad[i] / n;
        }
        (-ll / n, g)
    }

    fn direction(&mut self) -> Phase {
        let mut dir = [0.0; 4];
        for (i, d) in dir.iter_mut().enumerate() {
            *d = -dot(&self.h[i], &self.g);
        }
        let mut slope = dot(&self.g, &dir);
        if !slope.is_finite() || slope >= 0.0 {
            self.h = identity();
            self.fresh_h = true;
            dir = self.g.map(|v| -v);
            slope = dot(&self.g, &dir);
        }
        let big = max_abs(&dir);
        let step = if big > MAX_STEP { MAX_STEP / big } else { 1.0 };
        Phase::Search { dir, step, slope, tries: 0 }
    }

    fn finish(&mut self, converged: bool) {
        self.converged = converged;
        self.phase = Phase::Done;
    }

    /// Runs at most `max_evals` (at least one) likelihood evaluations; `true` once finished.
    pub fn step(&mut self, max_evals: u32) -> bool {
        let mut budget = max_evals.max(1);
        loop {
            if self.phase == Phase::Done {
                return true;
            }
            if budget == 0 {
                return false;
            }
            if self.evaluations >= self.opts.max_evaluations {
                let ok = max_abs(&self.g) <= self.opts.gradient_tolerance;
                self.finish(ok);
                return true;
            }
            budget -= 1;
            match self.phase {
                Phase::Done => return true,
                Phase::Start => {
                    let phi = self.phi;
                    let (f, g) = self.objective(&phi);
                    if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
                        self.finish(false);
                    } else {
                        self.f = f;
                        self.g = g;
                        if max_abs(&g) <= self.opts.gradient_tolerance {
                            self.finish(true);
                        } else {
                            self.phase = self.direction();
                        }
                    }
                }
                Phase::Search { dir, step, slope, tries } => {
                    let mut cand = self.phi;
                    for i in 0..4 {
                        cand[i] = (cand[i] + step * dir[i]).clamp(-LIMIT, LIMIT);
                    }
                    let (fc, gc) = self.objective(&cand);
                    let finite = fc.is_finite() && gc.iter().all(|v| v.is_finite());
                    if finite && fc <= self.f + 1e-4 * step * slope {
                        self.accept(cand, fc, gc);
                    } else if tries < 60 {
                        self.phase = Phase::Search { dir, step: step * 0.5, slope, tries: tries + 1 };
                    } else if !self.fresh_h {
                        self.h = identity();
                        self.fresh_h = true;
                        self.phase = self.direction();
                    } else {
                        // No descent possible any more: at the optimum to machine precision, or stuck.
                        let ok = max_abs(&self.g) <= self.opts.gradient_tolerance.max(1e-6);
                        self.finish(ok);
                    }
                }
            }
        }
    }

    fn accept(&mut self, cand: [f64; 4], fc: f64, gc: [f64; 4]) {
        let mut s = [0.0; 4];
        let mut y = [0.0; 4];
        for i in 0..4 {
            s[i] = cand[i] - self.phi[i];
            y[i] = gc[i] - self.g[i];
        }
        let sy = dot(&s, &y);
        if sy > 1e-12 * libm::sqrt(dot(&s, &s) * dot(&y, &y)) && sy > 0.0 {
            if !self.scaled {
                // Nocedal & Wright (6.20): scale the first inverse Hessian guess.
                let scale = sy / dot(&y, &y);
                for (i, row) in self.h.iter_mut().enumerate() {
                    row[i] = scale;
                }
                self.scaled = true;
            }
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ.
            let rho = 1.0 / sy;
            let mut hy = [0.0; 4];
            for (i, v) in hy.iter_mut().enumerate() {
                *v = dot(&self.h[i], &y);
            }
            let yhy = dot(&y, &hy);
            for i in 0..4 {
                for j in 0..4 {
                    self.h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
            self.fresh_h = false;
        }
        let decrease = self.f - fc;
        self.phi = cand;
        self.f = fc;
        self.g = gc;
        self.iterations += 1;
        let gmax = max_abs(&gc);
        // Converged: a small gradient, or no progress left at a nearly flat point.
        if gmax <= self.opts.gradient_tolerance || (decrease.abs() <= 1e-15 * fc.abs().max(1.0) && gmax <= 1e-5) {
            self.finish(true);
        } else if self.iterations >= self.opts.max_iterations {
            self.finish(false);
        } else {
            self.phase = self.direction();
        }
    }

    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The current (or final) estimate.
    pub fn result(&self) -> Fit {
        let params = to_params(&self.phi);
        let n = self.data.customers as f64;
        let log_likelihood = if self.f.is_finite() { -self.f * n } else { log_likelihood(&params, &self.data) };
        Fit {
            params,
            log_likelihood,
            iterations: self.iterations,
            evaluations: self.evaluations,
            converged: self.converged,
            customers: self.data.customers,
            groups: self.data.groups.len(),
        }
    }
}

/// Fits grouped data in one go.
pub fn fit(data: Grouped, opts: &FitOptions) -> Fit {
    let mut f = Fitter::new(data, opts.clone());
    while !f.step(u32::MAX) {}
    f.result()
}

/// Fits the customers of an analysis (those with orders) with default options.
pub fn fit_bgnbd(analysis: &Analysis) -> Fit {
    fit(Grouped::new(summaries(analysis).into_iter().flatten()), &FitOptions::default())
}

/// P(alive) (see the module documentation); `None` for invalid parameters or input.
pub fn p_alive(p: &Params, s: Summary) -> Option<f64> {
    if !p.valid() || !s.is_valid() {
        return None;
    }
    if s.x == 0 {
        return Some(1.0);
    }
    let x = f64::from(s.x);
    let log_div =
        libm::log(p.a) - libm::log(p.b + x - 1.0) + (p.r + x) * (libm::log(p.alpha + s.t) - libm::log(p.alpha + s.t_x));
    let v = 1.0 / (1.0 + libm::exp(log_div));
    v.is_finite().then_some(v)
}

/// Gauss' hypergeometric series ₂F₁(a, b; c; z) for |z| < 1; `None` when it does not converge
/// within 200,000 terms, overflows, or `c` is a pole.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if z.is_nan() || z.abs() >= 1.0 || ![a, b, c].iter().all(|v| v.is_finite()) {
        return None;
    }
    if c <= 0.0 && c == libm::floor(c) {
        return None;
    }
    let settle = a.abs() + b.abs() + c.abs() + 2.0;
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    for k in 0..200_000u32 {
        let kf = f64::from(k);
        term *= (a + kf) * (b + kf) / ((c + kf) * (kf + 1.0)) * z;
        sum += term;
        if !sum.is_finite() {
            return None;
        }
        if term == 0.0 || (kf > settle && term.abs() <= 1e-16 * sum.abs()) {
            return Some(sum);
        }
    }
    None
}

/// Expected repeat purchases in the next `t` weeks (paper, eq. 10); `None` when it cannot be
/// computed (invalid input, series not converging).
pub fn expected_orders(p: &Params, s: Summary, t: f64) -> Option<f64> {
    if !p.valid() || !s.is_valid() || !t.is_finite() || t < 0.0 {
        return None;
    }
    if t == 0.0 {
        return Some(0.0);
    }
    if (p.a - 1.0).abs() < 1e-6 {
        let lo = expected_orders_raw(&Params { a: 1.0 - 1e-6, ..*p }, s, t)?;
        let hi = expected_orders_raw(&Params { a: 1.0 + 1e-6, ..*p }, s, t)?;
        return Some((lo + hi) / 2.0);
    }
    expected_orders_raw(p, s, t)
}

fn expected_orders_raw(p: &Params, s: Summary, t: f64) -> Option<f64> {
    let Params { r, alpha, a, b } = *p;
    let x = f64::from(s.x);
    let ln_at = libm::log(alpha + s.t);
    let ln_1mz = ln_at - libm::log(alpha + s.t + t);
    let z = t / (alpha + s.t + t);
    let f = hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)?;
    let bracket = 1.0 - libm::exp((a - 1.0) * ln_1mz) * f;
    let front = (a + b + x - 1.0) / (a - 1.0);
    let denom = if s.x > 0 {
        1.0 + libm::exp(libm::log(a / (b + x - 1.0)) + (r + x) * (ln_at - libm::log(alpha + s.t_x)))
    } else {
        1.0
    };
    let e = front * bracket / denom;
    (e.is_finite() && e > -1e-9).then_some(e.max(0.0))
}

/// One customer's model outputs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub p_alive: Option<f64>,
    /// Over the horizon.
    pub expected_orders: Option<f64>,
    /// Expected orders × average margin per order, customer's currency.
    pub clv: Option<Money>,
    /// The same in the reporting currency (`None` also without a rate).
    #[serde(default)]
    pub clv_report: Option<Money>,
}

/// Predictions for every customer of the analysis (`None` without orders).
pub fn predict(analysis: &Analysis, params: &Params, horizon_weeks: f64) -> Vec<Option<Prediction>> {
    analysis.rows.iter().map(|row| predict_row(row, analysis.as_of, params, horizon_weeks)).collect()
}

/// One customer's predictions from its analysis row (`None` without orders): P(alive), expected
/// orders over the next `horizon_weeks`, and CLV = those × the average known margin per order.
pub fn predict_row(row: &CustomerRow, as_of: Date, params: &Params, horizon_weeks: f64) -> Option<Prediction> {
    let s = Summary::from_row(row, as_of)?;
    let expected = expected_orders(params, s, horizon_weeks);
    let value = |per_order: Option<f64>| match (expected, per_order) {
        (Some(e), Some(m)) => {
            let v = libm::round(e * m);
            v.is_finite().then_some(Money(v as i64))
        }
        _ => None,
    };
    let (clv, clv_report) = (value(row.margin_per_order()), value(row.margin_report_per_order()));
    Some(Prediction { p_alive: p_alive(params, s), expected_orders: expected, clv, clv_report })
}
