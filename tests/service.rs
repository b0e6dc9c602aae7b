//! The service overview: open tickets by severity and SLA state, my tickets, my visit plan.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use kehu::core::model::Dataset;
use kehu::core::model::*;
use kehu::core::service::{SlaState, overview, sla_state};
use kehu::core::workspace::{Source, Workspace};

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 4, 12, 0, 0).unwrap()
}

fn ticket(id: &str, severity: Severity, status: TicketStatus, due_in_h: i64, assignee: Option<&str>) -> ServiceTicket {
    let opened = now() - Duration::hours(48);
    ServiceTicket {
        id: id.into(),
        customer_id: "c1".into(),
        kind: TicketKind::Complaint,
        stage: ServiceStage::AfterSales,
        severity,
        status,
        title: id.into(),
        description: String::new(),
        resolution: if status.is_open() { String::new() } else { "done".into() },
        order_id: None,
        product: None,
        assignee: assignee.map(str::to_string),
        opened_at: opened,
        sla_due: now() + Duration::hours(due_in_h),
        resolved_at: (!status.is_open()).then(now),
        closed_at: None,
        updated_at: now(),
        photos: vec![],
    }
}

fn visit(id: &str, day: u32, rep: &str) -> Visit {
    Visit {
        id: id.into(),
        customer_id: "c1".into(),
        date: NaiveDate::from_ymd_opt(2026, 5, day).unwrap(),
        rep: rep.into(),
        contacts_met: vec![],
        purpose: VisitPurpose::Relationship,
        notes: String::new(),
        outcome: String::new(),
        next_step: String::new(),
        next_step_date: None,
        location: None,
        updated_at: now(),
    }
}

#[test]
fn sla_states() {
    let cases = [(-1, SlaState::Breached), (0, SlaState::DueSoon), (24, SlaState::DueSoon), (25, SlaState::OnTrack)];
    for (h, want) in cases {
        assert_eq!(sla_state(now() + Duration::hours(h), now()), want, "{h} h");
    }
}

#[test]
fn overview_counts_and_lists() {
    let tickets = vec![
        ticket("t1", Severity::Critical, TicketStatus::Open, -2, Some("王伟")),
        ticket("t2", Severity::Critical, TicketStatus::InProgress, 3, None),
        ticket("t3", Severity::Low, TicketStatus::Open, 100, Some("王伟")),
        ticket("t4", Severity::High, TicketStatus::Resolved, -5, Some("王伟")),
        ticket("t5", Severity::Medium, TicketStatus::Open, -30, Some("李娜")),
    ];
    let visits = vec![visit("v1", 4, "王伟"), visit("v2", 4, "李娜"), visit("v3", 5, "王伟")];
    let ws = Workspace::new(Source::Demo { seed: 0, customers: 0 }, Dataset { tickets, visits, ..Dataset::default() });
    let o = overview(&ws, now(), NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(), " 王伟 ");
    let grid: Vec<(Severity, [usize; 3])> = o.grid.clone();
    assert_eq!(
        grid,
        vec![
            (Severity::Critical, [1, 1, 0]),
            (Severity::High, [0, 0, 0]),
            (Severity::Medium, [1, 0, 0]),
            (Severity::Low, [0, 0, 1])
        ]
    );
    let ids = |v: &[usize]| v.iter().map(|&i| ws.data.tickets[i].id.as_str()).collect::<Vec<_>>();
    assert_eq!(ids(&o.urgent), vec!["t5", "t1", "t2"], "most overdue first; resolved t4 is not open");
    assert_eq!(ids(&o.mine), vec!["t1", "t3"]);
    assert_eq!(o.visits_today.iter().map(|&i| ws.data.visits[i].id.as_str()).collect::<Vec<_>>(), vec!["v1"]);
    // Nobody signed in: no "mine".
    let anon = overview(&ws, now(), NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(), "");
    assert!(anon.mine.is_empty() && anon.visits_today.is_empty());
}
