//! A table of deals as the customer's page and the pipeline's list show them: the title (to the
//! deal's form), its customer (on the pipeline's list, which holds many customers' deals), stage,
//! amount, probability, weighted amount while open, expected close (or the date it closed),
//! owner, and the next step — for a lost deal, the reason it was lost.

use crate::app::i18n::*;
use crate::app::paths::{customer_href, form_href, href};
use crate::app::ui::format::{NONE, opt, text_or_none};
use crate::app::ui::labels;
use crate::core::model::{Entity, Opportunity, Stages};
use leptos::prelude::*;
use leptos_router::components::A;

/// The table around its rows (from [`deal_row`]); `with_customer` adds the customer's column.
#[component]
pub fn DealTable(
    #[prop(optional)] with_customer: bool,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <table class="data" data-testid=testid>
            <thead>
                <tr>
                    <th scope="col">{tr(|l| td_string!(l, field_opp_title))}</th>
                    {with_customer.then(|| view! { <th scope="col">{tr(|l| td_string!(l, col_customer))}</th> })}
                    <th scope="col">{tr(|l| td_string!(l, col_stage))}</th>
                    <th scope="col" class="num">{tr(|l| td_string!(l, col_amount))}</th>
                    <th scope="col" class="num">{tr(|l| td_string!(l, field_probability))}</th>
                    <th scope="col" class="num">{tr(|l| td_string!(l, col_weighted))}</th>
                    <th scope="col">{tr(|l| td_string!(l, col_close))}</th>
                    <th scope="col">{tr(|l| td_string!(l, col_owner))}</th>
                    <th scope="col">{tr(|l| td_string!(l, col_next_or_outcome))}</th>
                </tr>
            </thead>
            <tbody>{children()}</tbody>
        </table>
    }
}

/// One deal's row (`testid` names it for the tests); `customer`: its customer's name, shown in
/// the customer's column with a link to their page.
pub fn deal_row(
    l: Locale,
    stages: &Stages,
    o: &Opportunity,
    customer: Option<String>,
    testid: &'static str,
) -> AnyView {
    let to_deal = href(&form_href(&o.customer_id, Entity::Opportunities, Some(&o.id)));
    let customer = customer.map(|name| {
        let to_customer = href(&customer_href(&o.customer_id));
        view! { <td><A href=to_customer>{name}</A></td> }
    });
    let outcome = match (o.is_lost(), o.lost_reason) {
        (true, Some(reason)) => labels::lost_reason(l, reason).to_string(),
        (true, None) => NONE.to_string(),
        (false, _) => text_or_none(&o.next_step),
    };
    let close = if o.is_open() { o.expected_close } else { o.closed_on };
    let class = if o.is_won() {
        "won"
    } else if o.is_lost() {
        "lost"
    } else {
        "open"
    };
    let title = labels::shown_name(l, &o.title);
    let weighted = if o.is_open() { o.weighted().format(o.currency) } else { NONE.to_string() };
    view! {
        <tr class=class data-testid=testid>
            <td><A href=to_deal>{title}</A></td>
            {customer}
            <td>{labels::opp_stage(l, stages, &o.stage)}</td>
            <td class="num">{o.amount.format(o.currency)}</td>
            <td class="num">{format!("{} %", o.probability)}</td>
            <td class="num">{weighted}</td>
            <td>{opt(close, |d| d.to_string())}</td>
            <td>{text_or_none(&o.owner)}</td>
            <td>{outcome}</td>
        </tr>
    }
    .into_any()
}
