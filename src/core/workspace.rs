//! A workspace: one backend's (or the demo's) records, indexed for the UI.

use crate::core::model::{Customer, Dataset, Entity};
use crate::core::pinyin::Pinyin;
use crate::core::record::{Change, Record};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Where a workspace's data comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// Generated demo data (no backend configured).
    Demo { seed: u64, customers: usize },
    /// A REST backend described by a profile.
    Backend { name: String, url: String },
}

/// Indices (into the dataset's vectors) of one customer's child records, in date order.
#[derive(Clone, Debug, Default)]
pub struct Children {
    pub contacts: Vec<usize>,
    pub orders: Vec<usize>,
    pub invoices: Vec<usize>,
    pub tickets: Vec<usize>,
    pub visits: Vec<usize>,
    pub surveys: Vec<usize>,
    pub opportunities: Vec<usize>,
    pub tasks: Vec<usize>,
}

/// A dataset with the look-ups the UI needs: customer by id, a customer's records, text search.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub source: Source,
    pub data: Dataset,
    by_id: HashMap<String, usize>,
    children: Vec<Children>,
    /// Lower-cased searchable text per customer (names, place, tags, contacts, pinyin keys).
    haystack: Vec<String>,
    /// Every haystack in one buffer, for searching 100k customers in a few milliseconds.
    flat: Flat,
    /// That buffer being built a chunk at a time, and the next customer to add.
    flat_partial: Option<(Flat, usize)>,
    /// The pinyin table, once the app has fetched it.
    pinyin: Option<Arc<Pinyin>>,
    /// Customers before this position have pinyin keys in their haystack.
    pinyin_done: usize,
    revision: u64,
}

/// An answer of [`Workspace::search_typed`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypedSearch {
    pub query: String,
    /// The search text's revision it was computed on.
    pub revision: u64,
    /// Matching customers, in dataset order.
    pub rows: Vec<usize>,
    /// For a one-word query, each row's first match in the search buffer; else empty.
    pub at: Vec<u32>,
}

/// The haystacks end to end, each followed by a NUL (which folded text never contains), with
/// where each one starts. Valid while `built_for` equals the haystacks' revision.
#[derive(Clone, Debug, Default)]
struct Flat {
    text: Vec<u8>,
    starts: Vec<u32>,
    /// Per customer, which of `a`–`z`, `0`–`9` and `@._-+` its text holds (bit = [`ascii_slot`]):
    /// a one-character query, which matches most customers, is answered from these.
    masks: Vec<u64>,
    built_for: u64,
}

/// The mask bit of an ASCII byte (lower-case letters, digits, `@._-+`), if it has one.
fn ascii_slot(b: u8) -> Option<u32> {
    match b {
        b'a'..=b'z' => Some(u32::from(b - b'a')),
        b'0'..=b'9' => Some(26 + u32::from(b - b'0')),
        b'@' => Some(36),
        b'.' => Some(37),
        b'_' => Some(38),
        b'-' => Some(39),
        b'+' => Some(40),
        _ => None,
    }
}

impl Workspace {
    pub fn new(source: Source, data: Dataset) -> Workspace {
        let mut ws = Workspace {
            source,
            data,
            by_id: HashMap::new(),
            children: Vec::new(),
            haystack: Vec::new(),
            flat: Flat::default(),
            flat_partial: None,
            pinyin: None,
            pinyin_done: 0,
            revision: 1,
        };
        ws.reindex();
        ws
    }

    /// [`Workspace::new`] a piece at a time: [`Indexing::step`] until it says done, then
    /// [`Indexing::finish`]. A browser opening a cache of millions of records indexes it over
    /// many short tasks instead of one of seconds.
    pub fn indexing(source: Source, data: Dataset) -> Indexing {
        let n = data.customers.len();
        let ws = Workspace {
            source,
            data,
            by_id: HashMap::with_capacity(n),
            children: vec![Children::default(); n],
            haystack: Vec::with_capacity(n),
            flat: Flat::default(),
            flat_partial: None,
            pinyin: None,
            pinyin_done: 0,
            revision: 1,
        };
        Indexing { ws, stage: 0, pos: 0 }
    }

    /// Adds pinyin keys to every customer's searchable text now.
    pub fn set_pinyin(&mut self, table: Arc<Pinyin>) {
        self.set_pinyin_deferred(table);
        while !self.index_pinyin(usize::MAX) {}
        self.prepare_search();
    }

    /// Sets the table; the keys are added by [`Workspace::index_pinyin`] a chunk at a time (so a
    /// 100k-customer list stays responsive meanwhile).
    pub fn set_pinyin_deferred(&mut self, table: Arc<Pinyin>) {
        self.pinyin = Some(table);
        self.pinyin_done = 0;
    }

    /// Adds pinyin keys to the next `max` customers; true when all have them.
    pub fn index_pinyin(&mut self, max: usize) -> bool {
        let n = self.data.customers.len();
        let end = self.pinyin_done.saturating_add(max).min(n);
        for i in self.pinyin_done..end {
            let text = self.haystack_of(i);
            if let Some(h) = self.haystack.get_mut(i) {
                *h = text;
            }
        }
        if end > self.pinyin_done {
            self.revision += 1;
        }
        self.pinyin_done = end;
        end >= n
    }

    /// Builds the contiguous search buffer if the text changed since (search works without it,
    /// only slower).
    pub fn prepare_search(&mut self) {
        while !self.prepare_search_step(usize::MAX) {}
    }

    /// [`Workspace::prepare_search`] for at most `max` more customers (a browser builds 100k
    /// customers' buffer over a few short tasks); true when the buffer is ready. A change of the
    /// text in between starts it again.
    pub fn prepare_search_step(&mut self, max: usize) -> bool {
        if self.flat.built_for == self.revision {
            return true;
        }
        let (mut flat, from) = match self.flat_partial.take() {
            Some((f, next)) if f.built_for == self.revision => (f, next),
            _ => {
                let total: usize = self.haystack.iter().map(|h| h.len() + 1).sum();
                let n = self.haystack.len();
                let flat = Flat {
                    text: Vec::with_capacity(total),
                    starts: Vec::with_capacity(n + 1),
                    masks: Vec::with_capacity(n),
                    built_for: self.revision,
                };
                (flat, 0)
            }
        };
        let end = from.saturating_add(max).min(self.haystack.len());
        for h in self.haystack.get(from..end).unwrap_or_default() {
            flat.starts.push(u32::try_from(flat.text.len()).unwrap_or(u32::MAX));
            flat.text.extend_from_slice(h.as_bytes());
            flat.text.push(0);
            flat.masks.push(h.bytes().filter_map(ascii_slot).fold(0u64, |m, s| m | (1 << s)));
        }
        if end < self.haystack.len() {
            self.flat_partial = Some((flat, end));
            return false;
        }
        flat.starts.push(u32::try_from(flat.text.len()).unwrap_or(u32::MAX));
        self.flat = flat;
        true
    }

    /// Rebuilds every look-up from the dataset.
    fn reindex(&mut self) {
        let data = std::mem::take(&mut self.data);
        let source = self.source.clone();
        let mut ix = Workspace::indexing(source, data);
        ix.ws.pinyin = self.pinyin.take();
        ix.ws.revision = self.revision;
        while !ix.step(usize::MAX) {}
        *self = ix.finish();
    }

    fn haystack_of(&self, i: usize) -> String {
        let Some(c) = self.data.customers.get(i) else { return String::new() };
        let mut text = [c.name.as_str(), &c.short_name, &c.city, &c.region, &c.industry].join("\u{1f}");
        for t in &c.tags {
            text.push('\u{1f}');
            text.push_str(t);
        }
        for &k in self.children.get(i).map(|ch| ch.contacts.as_slice()).unwrap_or_default() {
            if let Some(p) = self.data.contacts.get(k) {
                for part in [&p.name, &p.phone, &p.mobile, &p.email] {
                    text.push('\u{1f}');
                    text.push_str(part);
                }
            }
        }
        if let Some(p) = &self.pinyin {
            for name in [&c.name, &c.short_name] {
                let keys = p.keys(name);
                if !keys.is_empty() {
                    text.push('\u{1f}');
                    text.push_str(&keys);
                }
            }
        }
        crate::core::text::fold(&text)
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.source, Source::Demo { .. })
    }

    pub fn customer_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn customer(&self, id: &str) -> Option<&Customer> {
        self.customer_index(id).and_then(|i| self.data.customers.get(i))
    }

    /// The child records of the customer at `index`; empty for an out-of-range index.
    pub fn children(&self, index: usize) -> &Children {
        static EMPTY: Children = Children {
            contacts: Vec::new(),
            orders: Vec::new(),
            invoices: Vec::new(),
            tickets: Vec::new(),
            visits: Vec::new(),
            surveys: Vec::new(),
            opportunities: Vec::new(),
            tasks: Vec::new(),
        };
        self.children.get(index).unwrap_or(&EMPTY)
    }

    /// The current version of one record, if the workspace has it.
    pub fn get(&self, entity: Entity, id: &str) -> Option<Record> {
        self.position(entity, id, None).and_then(|p| self.record_at(entity, p))
    }

    fn record_at(&self, entity: Entity, p: usize) -> Option<Record> {
        let d = &self.data;
        Some(match entity {
            Entity::Customers => Record::Customers(d.customers.get(p)?.clone()),
            Entity::Contacts => Record::Contacts(d.contacts.get(p)?.clone()),
            Entity::Orders => Record::Orders(d.orders.get(p)?.clone()),
            Entity::Invoices => Record::Invoices(d.invoices.get(p)?.clone()),
            Entity::Tickets => Record::Tickets(d.tickets.get(p)?.clone()),
            Entity::Visits => Record::Visits(d.visits.get(p)?.clone()),
            Entity::Surveys => Record::Surveys(d.surveys.get(p)?.clone()),
            Entity::Plans => Record::Plans(d.plans.get(p)?.clone()),
            Entity::Opportunities => Record::Opportunities(d.opportunities.get(p)?.clone()),
            Entity::Tasks => Record::Tasks(d.tasks.get(p)?.clone()),
        })
    }

    /// Where a record sits in its vector. Child records are looked up among their customer's
    /// records first (a handful), falling back to a scan.
    fn position(&self, entity: Entity, id: &str, customer_hint: Option<&str>) -> Option<usize> {
        let d = &self.data;
        let ch = customer_hint.and_then(|c| self.customer_index(c)).map(|c| self.children(c));
        let find = |list: Option<&Vec<usize>>, matches: &dyn Fn(usize) -> bool, len: usize| {
            list.and_then(|l| l.iter().copied().find(|&p| matches(p))).or_else(|| (0..len).find(|&p| matches(p)))
        };
        match entity {
            Entity::Customers => self.customer_index(id),
            Entity::Contacts => {
                find(ch.map(|c| &c.contacts), &|p| d.contacts.get(p).is_some_and(|r| r.id == id), d.contacts.len())
            }
            Entity::Orders => {
                find(ch.map(|c| &c.orders), &|p| d.orders.get(p).is_some_and(|r| r.id == id), d.orders.len())
            }
            Entity::Invoices => {
                find(ch.map(|c| &c.invoices), &|p| d.invoices.get(p).is_some_and(|r| r.number == id), d.invoices.len())
            }
            Entity::Tickets => {
                find(ch.map(|c| &c.tickets), &|p| d.tickets.get(p).is_some_and(|r| r.id == id), d.tickets.len())
            }
            Entity::Visits => {
                find(ch.map(|c| &c.visits), &|p| d.visits.get(p).is_some_and(|r| r.id == id), d.visits.len())
            }
            Entity::Surveys => {
                find(ch.map(|c| &c.surveys), &|p| d.surveys.get(p).is_some_and(|r| r.id == id), d.surveys.len())
            }
            Entity::Opportunities => find(
                ch.map(|c| &c.opportunities),
                &|p| d.opportunities.get(p).is_some_and(|r| r.id == id),
                d.opportunities.len(),
            ),
            Entity::Tasks => find(ch.map(|c| &c.tasks), &|p| d.tasks.get(p).is_some_and(|r| r.id == id), d.tasks.len()),
            Entity::Plans => d.plans.iter().position(|r| r.id == id),
        }
    }

    /// Applies a batch of changes. The batch is idempotent by record: only the last change of
    /// each record counts (a pull page that overlaps the one before, a create's answer and the
    /// pull's copy of the same new record, a created record's temporary id removed and its server
    /// id added all leave one row per record). Removals go first, in one pass per entity; then
    /// the upserts, each finding what is already there (a customer added earlier in the batch
    /// included). Replacing a record keeps every index current cheaply; adding or removing
    /// customers, moving a record to another customer, or removing records rebuilds the
    /// look-ups once at the end.
    pub fn apply(&mut self, changes: impl IntoIterator<Item = Change>) {
        let mut order: Vec<(Entity, String)> = Vec::new();
        let mut last: HashMap<(Entity, String), Change> = HashMap::new();
        for change in changes {
            let key = {
                let (e, id) = change.key();
                (e, id.to_string())
            };
            if last.insert(key.clone(), change).is_none() {
                order.push(key);
            }
        }
        let mut rebuild = false;
        let mut gone: HashMap<Entity, std::collections::HashSet<String>> = HashMap::new();
        for key in &order {
            if let Some(Change::Remove(e, id)) = last.get(key) {
                gone.entry(*e).or_default().insert(id.clone());
            }
        }
        for (entity, ids) in &gone {
            if self.remove_all(*entity, ids) > 0 {
                rebuild = true;
            }
        }
        if rebuild {
            // Positions moved: the customer look-up is rebuilt now (the rest at the end).
            self.by_id = self.data.customers.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        }
        let mut touched: Vec<usize> = Vec::new();
        for key in order {
            let Some(Change::Upsert(record)) = last.remove(&key) else { continue };
            let entity = record.entity();
            let cid = record.customer_id().map(str::to_string);
            // Child positions of a batch that removed records are stale until the rebuild: no hint.
            let hint = if rebuild { None } else { cid.as_deref() };
            let existing = self.position(entity, record.id(), hint);
            let owner = match entity {
                Entity::Customers => existing,
                _ => cid.as_deref().and_then(|c| self.customer_index(c)),
            };
            match existing {
                Some(p) => {
                    let old = self.record_at(entity, p);
                    if old.as_ref().and_then(Record::customer_id) != cid.as_deref() {
                        rebuild = true; // moved to another customer
                    }
                    self.replace_at(p, record);
                }
                None => {
                    let id = record.id().to_string();
                    record.push_into(&mut self.data);
                    let p = self.data.len(entity) - 1;
                    if entity == Entity::Customers {
                        // Found by the next change of the batch that names it.
                        self.by_id.insert(id, p);
                        rebuild = true;
                    }
                    if let Some(ch) = owner.and_then(|c| self.children.get_mut(c)) {
                        match entity {
                            Entity::Contacts => ch.contacts.push(p),
                            Entity::Orders => ch.orders.push(p),
                            Entity::Invoices => ch.invoices.push(p),
                            Entity::Tickets => ch.tickets.push(p),
                            Entity::Visits => ch.visits.push(p),
                            Entity::Surveys => ch.surveys.push(p),
                            Entity::Opportunities => ch.opportunities.push(p),
                            Entity::Tasks => ch.tasks.push(p),
                            Entity::Customers | Entity::Plans => {}
                        }
                    }
                }
            }
            touched.extend(owner);
        }
        if rebuild {
            self.reindex();
            return;
        }
        touched.sort_unstable();
        touched.dedup();
        for c in touched {
            if let Some(ch) = self.children.get_mut(c) {
                sort_children(&self.data, ch);
            }
            let text = self.haystack_of(c);
            if let Some(h) = self.haystack.get_mut(c) {
                *h = text;
            }
            self.revision += 1;
        }
        self.prepare_search();
    }

    /// Removes every record of `entity` whose id is in `ids`; how many went.
    fn remove_all(&mut self, entity: Entity, ids: &std::collections::HashSet<String>) -> usize {
        fn keep<T>(v: &mut Vec<T>, id: impl Fn(&T) -> &str, ids: &std::collections::HashSet<String>) -> usize {
            let before = v.len();
            v.retain(|r| !ids.contains(id(r)));
            before - v.len()
        }
        let d = &mut self.data;
        match entity {
            Entity::Customers => keep(&mut d.customers, |r| &r.id, ids),
            Entity::Contacts => keep(&mut d.contacts, |r| &r.id, ids),
            Entity::Orders => keep(&mut d.orders, |r| &r.id, ids),
            Entity::Invoices => keep(&mut d.invoices, |r| &r.number, ids),
            Entity::Tickets => keep(&mut d.tickets, |r| &r.id, ids),
            Entity::Visits => keep(&mut d.visits, |r| &r.id, ids),
            Entity::Surveys => keep(&mut d.surveys, |r| &r.id, ids),
            Entity::Plans => keep(&mut d.plans, |r| &r.id, ids),
            Entity::Opportunities => keep(&mut d.opportunities, |r| &r.id, ids),
            Entity::Tasks => keep(&mut d.tasks, |r| &r.id, ids),
        }
    }

    fn replace_at(&mut self, p: usize, record: Record) {
        let d = &mut self.data;
        match record {
            Record::Customers(r) => d.customers[p] = r,
            Record::Contacts(r) => d.contacts[p] = r,
            Record::Orders(r) => d.orders[p] = r,
            Record::Invoices(r) => d.invoices[p] = r,
            Record::Tickets(r) => d.tickets[p] = r,
            Record::Visits(r) => d.visits[p] = r,
            Record::Surveys(r) => d.surveys[p] = r,
            Record::Plans(r) => d.plans[p] = r,
            Record::Opportunities(r) => d.opportunities[p] = r,
            Record::Tasks(r) => d.tasks[p] = r,
        }
    }

    /// Indices of customers matching every whitespace-separated term of `query`
    /// (case-insensitive substring over names, place, industry, tags, contacts and pinyin keys),
    /// in dataset order.
    pub fn search(&self, query: &str) -> Vec<usize> {
        self.search_within(query, None)
    }

    /// [`Workspace::search`] restricted to `within` (dataset positions, ascending), for narrowing
    /// the previous result as the user types on.
    pub fn search_within(&self, query: &str, within: Option<&[usize]>) -> Vec<usize> {
        let mut terms: Vec<String> = query
            .split_whitespace()
            .map(|t| crate::core::text::fold(t).replace('\0', ""))
            .filter(|t| !t.is_empty())
            .collect();
        if terms.is_empty() {
            return within.map(<[usize]>::to_vec).unwrap_or_else(|| (0..self.haystack.len()).collect());
        }
        // The longest term is the most selective: find it first, check the others per hit.
        crate::core::sort::sort_by_key(&mut terms, |t| std::cmp::Reverse(t.len()));
        let finders: Vec<memchr::memmem::Finder<'_>> =
            terms.iter().map(|t| memchr::memmem::Finder::new(t.as_bytes())).collect();
        let Some((first, rest)) = finders.split_first() else { return Vec::new() };
        let all = |h: &[u8]| rest.iter().all(|f| f.find(h).is_some());
        if let Some(within) = within {
            return within
                .iter()
                .copied()
                .filter(|&i| {
                    self.haystack.get(i).is_some_and(|h| first.find(h.as_bytes()).is_some() && all(h.as_bytes()))
                })
                .collect();
        }
        if self.flat.built_for != self.revision {
            return (0..self.haystack.len())
                .filter(|&i| first.find(self.haystack[i].as_bytes()).is_some() && all(self.haystack[i].as_bytes()))
                .collect();
        }
        self.scan(first, |h| all(h)).0
    }

    /// One pass over the search buffer: each customer whose text holds `first` and passes `keep`,
    /// with the position of its first match. Hits only move forward, so the customer index does
    /// too (a step per customer over the whole scan, not a binary search per hit).
    fn scan(&self, first: &memchr::memmem::Finder<'_>, keep: impl Fn(&[u8]) -> bool) -> (Vec<usize>, Vec<u32>) {
        let (text, starts) = (&self.flat.text, &self.flat.starts);
        let (mut rows, mut at) = (Vec::new(), Vec::new());
        let mut pos = 0usize;
        let mut i = 0usize;
        while let Some(hit) = text.get(pos..).and_then(|t| first.find(t)) {
            let p = pos + hit;
            while i + 2 < starts.len() && starts[i + 1] as usize <= p {
                i += 1;
            }
            let (lo, hi) = (starts[i] as usize, starts.get(i + 1).map_or(text.len(), |&e| e as usize));
            if keep(&text[lo..hi]) {
                rows.push(i);
                at.push(p as u32);
            }
            pos = hi;
            if pos >= text.len() {
                break;
            }
        }
        (rows, at)
    }

    /// Search as the user types: the customers matching `query` and, for a one-word query, where
    /// in the search buffer each one's first match is. Given the previous answer for a query
    /// that this one extends by more letters, it only looks again from those places (most
    /// matches simply continue), instead of scanning every customer.
    pub fn search_typed(&self, query: &str, prev: Option<&TypedSearch>) -> TypedSearch {
        let term = crate::core::text::fold(query.trim()).replace('\0', "");
        let single = !term.is_empty() && !term.contains(char::is_whitespace);
        let fresh = self.flat.built_for == self.revision;
        if !(single && fresh) {
            return TypedSearch {
                query: query.to_string(),
                revision: self.revision,
                rows: self.search(query),
                at: Vec::new(),
            };
        }
        let (text, starts) = (&self.flat.text, &self.flat.starts);
        let needle = term.as_bytes();
        if let [b] = needle
            && let Some(slot) = ascii_slot(*b)
        {
            // One letter or digit: the masks answer it. Each row's match is then found lazily
            // (the next letter typed searches each row's text from its start).
            let rows: Vec<usize> =
                self.flat.masks.iter().enumerate().filter(|(_, m)| *m & (1 << slot) != 0).map(|(i, _)| i).collect();
            let at = rows.iter().map(|&i| starts[i]).collect();
            return TypedSearch { query: query.to_string(), revision: self.revision, rows, at };
        }
        let finder = memchr::memmem::Finder::new(needle);
        let extends = prev.filter(|p| {
            p.revision == self.revision && !p.at.is_empty() && p.at.len() == p.rows.len() && {
                let pt = crate::core::text::fold(p.query.trim());
                !pt.is_empty() && term.starts_with(pt.as_str())
            }
        });
        let (rows, at) = match extends {
            // Any match of the longer query starts at or after the shorter one's first match.
            Some(p) => p
                .rows
                .iter()
                .zip(&p.at)
                .filter_map(|(&i, &off)| {
                    let hi = starts.get(i + 1).map_or(text.len(), |&e| e as usize);
                    let h = text.get(off as usize..hi).and_then(|t| finder.find(t))?;
                    Some((i, off + h as u32))
                })
                .unzip(),
            None => self.scan(&finder, |_| true),
        };
        TypedSearch { query: query.to_string(), revision: self.revision, rows, at }
    }

    /// The text the list sorts a customer's name by: the pinyin of a Chinese name when the table
    /// is loaded (so 杭州 sorts under H), else the folded name.
    pub fn sort_name(&self, i: usize) -> String {
        let Some(c) = self.data.customers.get(i) else { return String::new() };
        match self.pinyin.as_ref().map(|p| p.full(&c.name)) {
            Some(full) if !full.is_empty() => full,
            _ => crate::core::text::fold(&c.name),
        }
    }
}

/// Puts up to `max` of `records` from `start` on under their customers; returns (where it
/// stopped, how many records there are).
fn link<T>(
    by_id: &HashMap<String, usize>,
    children: &mut [Children],
    records: &[T],
    start: usize,
    max: usize,
    customer_of: fn(&T) -> &String,
    slot: fn(&mut Children) -> &mut Vec<usize>,
) -> (usize, usize) {
    let end = start.saturating_add(max).min(records.len());
    for (i, r) in records.iter().enumerate().take(end).skip(start) {
        if let Some(&c) = by_id.get(customer_of(r).as_str())
            && let Some(ch) = children.get_mut(c)
        {
            slot(ch).push(i);
        }
    }
    (end, records.len())
}

/// A workspace being indexed (see [`Workspace::indexing`]).
pub struct Indexing {
    ws: Workspace,
    /// 0: customers by id; 1–8: each child entity's records under their customers; 9: sorting
    /// each customer's children; 10: search texts; 11: the search buffer; 12: done.
    stage: u8,
    pos: usize,
}

impl Indexing {
    /// Indexes about `max` more records (a stage's end also ends a step); true when done.
    pub fn step(&mut self, max: usize) -> bool {
        let max = max.max(1);
        let ws = &mut self.ws;
        let start = self.pos;
        match self.stage {
            0 => {
                let n = ws.data.customers.len();
                let end = start.saturating_add(max).min(n);
                for (i, c) in ws.data.customers.iter().enumerate().take(end).skip(start) {
                    ws.by_id.insert(c.id.clone(), i);
                }
                self.advance(end, n);
            }
            1..=8 => {
                let Workspace { data, by_id, children, .. } = &mut *ws;
                let (end, len) = match self.stage {
                    1 => link(by_id, children, &data.contacts, start, max, |r| &r.customer_id, |c| &mut c.contacts),
                    2 => link(by_id, children, &data.orders, start, max, |r| &r.customer_id, |c| &mut c.orders),
                    3 => link(by_id, children, &data.invoices, start, max, |r| &r.customer_id, |c| &mut c.invoices),
                    4 => link(by_id, children, &data.tickets, start, max, |r| &r.customer_id, |c| &mut c.tickets),
                    5 => link(by_id, children, &data.visits, start, max, |r| &r.customer_id, |c| &mut c.visits),
                    6 => link(by_id, children, &data.surveys, start, max, |r| &r.customer_id, |c| &mut c.surveys),
                    7 => link(
                        by_id,
                        children,
                        &data.opportunities,
                        start,
                        max,
                        |r| &r.customer_id,
                        |c| &mut c.opportunities,
                    ),
                    _ => link(by_id, children, &data.tasks, start, max, |r| &r.customer_id, |c| &mut c.tasks),
                };
                self.advance(end, len);
            }
            9 => {
                // Sorting reads about ten records per customer.
                let n = ws.children.len();
                let end = start.saturating_add(max / 10 + 1).min(n);
                for ch in &mut ws.children[start..end] {
                    sort_children(&ws.data, ch);
                }
                self.advance(end, n);
            }
            10 => {
                let n = ws.data.customers.len();
                let end = start.saturating_add(max / 4 + 1).min(n);
                for i in start..end {
                    let text = ws.haystack_of(i);
                    ws.haystack.push(text);
                }
                self.advance(end, n);
            }
            11 => {
                if self.pos == 0 {
                    ws.pinyin_done = if ws.pinyin.is_some() { ws.data.customers.len() } else { 0 };
                    ws.revision += 1;
                    self.pos = 1;
                }
                if ws.prepare_search_step(max / 4 + 1) {
                    self.stage = 12;
                    self.pos = 0;
                }
            }
            _ => {}
        }
        self.stage >= 12
    }

    fn advance(&mut self, end: usize, len: usize) {
        if end >= len {
            self.stage += 1;
            self.pos = 0;
        } else {
            self.pos = end;
        }
    }

    /// The indexed workspace (finishing what `step` has not done).
    pub fn finish(mut self) -> Workspace {
        while !self.step(usize::MAX) {}
        self.ws
    }
}

fn sort_children(data: &Dataset, ch: &mut Children) {
    let day = |d: crate::core::model::Date| i64::from(chrono::Datelike::num_days_from_ce(&d)) * 86_400;
    by_time(&mut ch.orders, &|i| day(data.orders[i].date));
    by_time(&mut ch.invoices, &|i| day(data.invoices[i].issue_date));
    by_time(&mut ch.tickets, &|i| data.tickets[i].opened_at.timestamp());
    by_time(&mut ch.visits, &|i| day(data.visits[i].date));
    by_time(&mut ch.surveys, &|i| day(data.surveys[i].date));
    by_time(&mut ch.opportunities, &|i| data.opportunities[i].created_at.timestamp());
    by_time(&mut ch.tasks, &|i| data.tasks[i].created_at.timestamp());
}

/// Sorts record positions by a time key, ties by position. One sort instantiation for all
/// record kinds (each `sort_by_key` closure would be its own copy of the sort in the wasm build).
fn by_time(v: &mut [usize], key: &dyn Fn(usize) -> i64) {
    v.sort_unstable_by_key(|&i| (key(i), i));
}
