//! Tasks and follow-ups (issue 15, item 1 and 2): validation, the follow-up each source
//! prefills, whose task it is, "My day" on hand-made data, the customer's next task, reminders,
//! and the demo's tasks.
// Tests: a panic is the test failing; tables of cases have long tuple types.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::type_complexity)]

use chrono::{NaiveDate, TimeZone, Utc};
use kehu::core::demo::{DemoConfig, generate};
use kehu::core::model::*;
use kehu::core::tasks::{Source, due_reminders, follow_up, follow_up_of, is_mine, my_day, next_task};
use kehu::core::validate::Problem;
use kehu::core::workspace::{Source as WsSource, Workspace};

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}
fn d(m: u32, day: u32) -> Date {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn task(id: &str, cust: &str, owner: &str) -> Task {
    Task { title: format!("task {id}"), ..Task::blank(id.into(), cust.into(), owner.into(), t0()) }
}

#[test]
fn validation_names_each_bad_field() {
    let cases: Vec<(&str, Box<dyn Fn(&mut Task)>, &str, Problem)> = vec![
        ("no title", Box::new(|t| t.title = " ".into()), "title", Problem::Required),
        ("bad time", Box::new(|t| t.due_time = "25:00".into()), "due_time", Problem::InvalidTime),
        ("time without a day", Box::new(|t| t.due_time = "09:30".into()), "due_date", Problem::Required),
        ("negative amount", Box::new(|t| t.amount = Some(Money(-1))), "amount", Problem::Negative),
        ("related id, no kind", Box::new(|t| t.related_id = Some("V1".into())), "related", Problem::Required),
        ("promise before creation", Box::new(|t| t.promised_on = Some(d(3, 1))), "promised_on", Problem::DateOrder),
        (
            "done before made",
            Box::new(|t| t.done_at = Some(t0() - chrono::Duration::hours(1))),
            "done_at",
            Problem::DateOrder,
        ),
    ];
    for (what, edit, field, problem) in cases {
        let mut t = task("K1", "C1", "王磊");
        assert_eq!(t.validate(), Ok(()), "the clean task");
        edit(&mut t);
        let errs = t.validate().expect_err(what);
        assert!(errs.has(field, problem), "{what}: {errs:?}");
    }
    let mut ok = task("K1", "C1", "");
    ok.due_date = Some(d(3, 1)); // a task may be logged for a day already past
    ok.due_time = "09:30".into();
    assert_eq!(ok.validate(), Ok(()));
}

#[test]
fn status_changes_date_the_outcome_and_on_time_compares_with_the_due_date() {
    let mut t = task("K1", "C1", "王磊");
    t.due_date = Some(d(3, 5));
    let done = Utc.with_ymd_and_hms(2026, 3, 5, 15, 0, 0).unwrap();
    t.complete(done);
    assert_eq!((t.status, t.done_at, t.updated_at), (TaskStatus::Done, Some(done), done));
    assert!(t.done_on_time());
    t.complete(done + chrono::Duration::days(3)); // done already: nothing moves
    assert_eq!(t.done_at, Some(done));
    t.set_status(TaskStatus::Open, done);
    assert_eq!((t.status, t.done_at), (TaskStatus::Open, None));
    t.complete(Utc.with_ymd_and_hms(2026, 3, 6, 0, 30, 0).unwrap());
    assert!(!t.done_on_time(), "a day late");
    t.set_status(TaskStatus::Cancelled, done);
    assert!(!t.done_on_time() && !t.is_open() && t.done_at == Some(done));
}

#[test]
fn each_source_prefills_its_follow_up() {
    let now = t0();
    let mut v = Visit::planned("V1".into(), "C1".into(), d(3, 1), "李娜".into(), now);
    v.next_step = "寄样品".into();
    v.next_step_date = Some(d(3, 9));
    let inv = Invoice {
        number: "INV-7".into(),
        customer_id: "C1".into(),
        order_id: None,
        issue_date: d(1, 1),
        due_date: d(1, 31),
        amount: Money(100_000),
        currency: Currency::EUR,
        payments: vec![Payment { date: d(2, 1), amount: Money(30_000) }],
    };
    let tk = ServiceTicket {
        assignee: Some(" 赵工 ".into()),
        ..kehu::core::demo::generate(&DemoConfig { seed: 3, customers: 3, as_of: d(3, 2) }).tickets[0].clone()
    };
    let mut deal = Opportunity::blank("D1".into(), "C1".into(), &Stages::default(), " 赵敏 ".into(), now);
    deal.title = "齿轮箱改造".into();
    deal.next_step = "提交报价".into();
    deal.next_step_date = Some(d(3, 20));
    let cases: Vec<(
        Source,
        Option<TaskRelated>,
        Option<&str>,
        &str,
        Option<Date>,
        TaskPriority,
        Option<Money>,
        Currency,
    )> = vec![
        (
            Source::Visit(&v),
            Some(TaskRelated::Visit),
            Some("V1"),
            "李娜",
            Some(d(3, 9)),
            TaskPriority::Normal,
            None,
            Currency::CNY,
        ),
        (
            Source::Invoice(&inv, d(3, 2)),
            Some(TaskRelated::Invoice),
            Some("INV-7"),
            "王磊",
            Some(d(3, 2)),
            TaskPriority::High,
            Some(Money(70_000)),
            Currency::EUR,
        ),
        (
            Source::Ticket(&tk, d(3, 2)),
            Some(TaskRelated::Ticket),
            Some(tk.id.as_str()),
            "赵工",
            Some(d(3, 2)),
            TaskPriority::High,
            None,
            Currency::CNY,
        ),
        (
            Source::Warning { today: d(3, 2), days: 3 },
            Some(TaskRelated::Warning),
            None,
            "王磊",
            Some(d(3, 5)),
            TaskPriority::Normal,
            None,
            Currency::CNY,
        ),
        (
            Source::Opportunity(&deal),
            Some(TaskRelated::Opportunity),
            Some("D1"),
            "赵敏",
            Some(d(3, 20)),
            TaskPriority::Normal,
            None,
            Currency::CNY,
        ),
    ];
    for (source, related, related_id, owner, due, priority, amount, currency) in cases {
        let t = follow_up(source, "C1", "K9".into(), "跟进".into(), " 王磊 ", now);
        assert_eq!(
            (t.related, t.related_id.as_deref(), t.owner.as_str(), t.due_date, t.priority, t.amount, t.currency),
            (related, related_id, owner, due, priority, amount, currency),
            "{source:?}"
        );
        assert_eq!((t.title.as_str(), t.status, t.customer_id.as_str()), ("跟进", TaskStatus::Open, "C1"));
        assert_eq!(t.validate(), Ok(()), "{source:?}");
    }
    // The follow-up is found once made; a cancelled one can be made again.
    let mut made = follow_up(Source::Visit(&v), "C1", "K9".into(), "跟进".into(), "", now);
    assert_eq!(follow_up_of([&made], "V1").map(|t| t.id.as_str()), Some("K9"));
    assert!(follow_up_of([&made], "V2").is_none());
    made.set_status(TaskStatus::Cancelled, now);
    assert!(follow_up_of([&made], "V1").is_none());
}

#[test]
fn a_task_is_its_owners_and_an_unowned_one_its_account_teams() {
    let c = Customer {
        owner: Some("王磊".into()),
        team: vec!["Li Na".into()],
        ..Customer::blank("C1", Currency::CNY, t0())
    };
    let cases = [
        ("王磊", " 王磊 ", true),
        ("Li Na", "li na", true),
        ("王磊", "Li Na", false),
        ("", "Li Na", true),
        ("", "王磊", true),
        ("", "张伟", false),
        ("张伟", "", true),
    ];
    for (owner, me, mine) in cases {
        assert_eq!(is_mine(&task("K", "C1", owner), Some(&c), me), mine, "owner {owner:?}, me {me:?}");
    }
    assert!(!is_mine(&task("K", "C9", ""), None, "王磊"), "unowned on an unknown account: nobody's in particular");
}

#[test]
fn my_day_sorts_overdue_today_and_coming_tasks() {
    let c = Customer { owner: Some("王磊".into()), ..Customer::blank("C1", Currency::CNY, t0()) };
    let other = Customer { owner: Some("张伟".into()), ..Customer::blank("C2", Currency::CNY, t0()) };
    let today = d(3, 10);
    let mk = |id: &str, cust: &str, owner: &str, due: Option<Date>, time: &str, p: TaskPriority| Task {
        due_date: due,
        due_time: time.into(),
        priority: p,
        ..task(id, cust, owner)
    };
    let mut done_today = mk("K8", "C1", "王磊", Some(d(3, 10)), "", TaskPriority::Normal);
    // 23:30 UTC on the 9th is the 10th in China (UTC+8).
    done_today.complete(Utc.with_ymd_and_hms(2026, 3, 9, 23, 30, 0).unwrap());
    let mut done_before = mk("K9", "C1", "王磊", Some(d(3, 8)), "", TaskPriority::Normal);
    done_before.complete(Utc.with_ymd_and_hms(2026, 3, 8, 3, 0, 0).unwrap());
    let tasks = vec![
        mk("K1", "C1", "王磊", Some(d(3, 9)), "", TaskPriority::Normal),
        mk("K2", "C1", "王磊", Some(d(3, 1)), "", TaskPriority::Low),
        mk("K3", "C1", "", Some(d(3, 9)), "", TaskPriority::High), // unowned, my account
        mk("K4", "C1", "王磊", Some(d(3, 10)), "", TaskPriority::High),
        mk("K5", "C1", "王磊", Some(d(3, 10)), "14:00", TaskPriority::Low),
        mk("K6", "C1", "王磊", Some(d(3, 10)), "09:00", TaskPriority::Low),
        mk("K7", "C2", "张伟", Some(d(3, 1)), "", TaskPriority::High), // not mine
        mk("K10", "C2", "", Some(d(3, 1)), "", TaskPriority::High),    // unowned, someone else's account
        mk("K11", "C1", "王磊", Some(d(3, 17)), "", TaskPriority::Normal), // the 7th day ahead
        mk("K12", "C1", "王磊", Some(d(3, 18)), "", TaskPriority::Normal), // beyond
        mk("K13", "C1", "王磊", None, "", TaskPriority::Normal),
        mk("K14", "C1", "王磊", Some(d(3, 12)), "", TaskPriority::Normal),
        done_today,
        done_before,
    ];
    let data = Dataset { customers: vec![c, other], tasks, ..Dataset::default() };
    let ws = Workspace::new(WsSource::Demo { seed: 1, customers: 2 }, data);
    let day = my_day(&ws, "王磊", today, 8 * 60);
    let ids = |v: &[usize]| v.iter().map(|&i| ws.data.tasks[i].id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&day.overdue), ["K2", "K3", "K1"], "oldest first, then the more urgent");
    assert_eq!(ids(&day.today), ["K6", "K5", "K4"], "timed by time, untimed last");
    assert_eq!(ids(&day.upcoming), ["K14", "K11"]);
    assert_eq!(ids(&day.undated), ["K13"]);
    assert_eq!(ids(&day.done_today), ["K8"]);
    assert_eq!(day.due_count(), 6);
    // In UTC the same done task was done yesterday.
    assert!(my_day(&ws, "王磊", today, 0).done_today.is_empty());
    // Somebody else's day.
    let theirs = my_day(&ws, "张伟", today, 0);
    assert_eq!(ids(&theirs.overdue), ["K10", "K7"]);

    // The customer's next task: the open one due soonest.
    let c1: Vec<&Task> = ws.data.tasks.iter().filter(|t| t.customer_id == "C1").collect();
    assert_eq!(next_task(c1.iter().copied()).map(|t| t.id.as_str()), Some("K2"));
    assert_eq!(next_task(c1.iter().copied().filter(|t| t.due_date.is_none())).map(|t| t.id.as_str()), Some("K13"));

    // Reminders: due by the local time, not yet shown.
    let at = |h: u32, m: u32| today.and_hms_opt(h, m, 0).unwrap();
    let due = |now, already: &[String]| {
        let mut v = ids(&due_reminders(&ws, "王磊", now, already));
        v.sort();
        v
    };
    assert_eq!(due(at(8, 0), &[]), ["K1", "K2", "K3", "K4"], "untimed ones from the start of their day");
    assert_eq!(due(at(9, 0), &["K1".into(), "K2".into()]), ["K3", "K4", "K6"]);
    assert_eq!(due(at(14, 0), &[]), ["K1", "K2", "K3", "K4", "K5", "K6"]);
}

#[test]
fn the_demo_has_real_work_for_its_reps() {
    let as_of = d(3, 10);
    let data = generate(&DemoConfig { seed: kehu::core::demo::DEFAULT_SEED, customers: 300, as_of });
    assert!(data.tasks.len() > 100, "{}", data.tasks.len());
    for t in &data.tasks {
        assert_eq!(t.validate(), Ok(()), "{t:?}");
        assert!(data.customers.iter().any(|c| c.id == t.customer_id));
        let exists = match (t.related, t.related_id.as_deref()) {
            (Some(TaskRelated::Visit), Some(id)) => data.visits.iter().any(|v| v.id == id),
            (Some(TaskRelated::Invoice), Some(id)) => data.invoices.iter().any(|v| v.number == id),
            (Some(TaskRelated::Ticket), Some(id)) => data.tickets.iter().any(|v| v.id == id),
            other => panic!("{other:?}"),
        };
        assert!(exists, "{t:?}");
    }
    let ws = Workspace::new(WsSource::Demo { seed: 1, customers: 300 }, data.clone());
    let reps: Vec<&str> = kehu::core::demo::sales_reps().collect();
    let mut with_work = 0;
    for rep in &reps {
        let day = my_day(&ws, rep, as_of, 8 * 60);
        if !day.overdue.is_empty() && !day.today.is_empty() {
            with_work += 1;
        }
    }
    assert!(with_work * 2 >= reps.len(), "most reps have overdue and today's tasks: {with_work} of {}", reps.len());
    let kinds = |k: TaskRelated| data.tasks.iter().filter(|t| t.related == Some(k)).count();
    assert!(kinds(TaskRelated::Visit) > 0 && kinds(TaskRelated::Invoice) > 0 && kinds(TaskRelated::Ticket) > 0);
    let done = data.tasks.iter().filter(|t| t.status == TaskStatus::Done).count();
    assert!(done > 0 && done < data.tasks.len());
    // The same first customers, the same tasks.
    let small = generate(&DemoConfig { seed: kehu::core::demo::DEFAULT_SEED, customers: 50, as_of });
    let first: Vec<&Task> =
        data.tasks.iter().filter(|t| small.customers.iter().any(|c| c.id == t.customer_id)).collect();
    assert_eq!(first, small.tasks.iter().collect::<Vec<_>>());
}
