//! Free texts of tickets, visits and surveys, in Chinese for Chinese customers and English abroad.

use super::rng::Rng;
use crate::core::model::VisitPurpose;
use std::fmt::Write as _;

/// What kind of goods a line is, for texts that only fit some of them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Goods {
    /// Components and equipment: can be installed, returned, certified.
    Technical,
    /// Packaging and chemicals.
    Consumable,
    /// Freight and services.
    Service,
}

pub(crate) struct TicketText {
    pub title: String,
    pub description: String,
    pub resolution: String,
}

impl TicketText {
    fn new() -> TicketText {
        TicketText {
            title: String::with_capacity(64),
            description: String::with_capacity(224),
            resolution: String::with_capacity(160),
        }
    }
}

/// A quality complaint about a delivered product.
pub(crate) fn complaint(
    r: &mut Rng,
    zh: bool,
    product: &str,
    defect: (&str, &str),
    order: &str,
    qty: u32,
) -> TicketText {
    let mut t = TicketText::new();
    let lot = r.range(1000, 9999);
    let affected = (qty / (2 + r.below(20))).max(1);
    if zh {
        let _ = write!(t.title, "{product} {}", defect.0);
        let _ = match r.below(3) {
            0 => write!(
                t.description,
                "客户反馈订单 {order} 中的 {product}（批次 {lot}）存在{}问题，涉及 {affected} 件，要求 48 小时内给出临时措施并提交 8D 报告。",
                defect.0
            ),
            1 => write!(
                t.description,
                "来料检验发现 {product} {}，批次 {lot}，不良 {affected} 件，已隔离，等待我方处理意见。",
                defect.0
            ),
            _ => write!(
                t.description,
                "产线装配时发现 {product} {}，影响客户生产节拍。订单 {order}，受影响数量 {affected} 件。",
                defect.0
            ),
        };
        let causes = [
            "热处理工艺波动",
            "来料检验漏检",
            "包装防护不足",
            "运输途中磕碰",
            "设备参数漂移",
            "操作员未按作业指导书执行",
        ];
        let cause = r.pick(&causes);
        let _ = match r.below(3) {
            0 => write!(t.resolution, "原因确认为{cause}。已补发 {affected} 件合格品，8D 报告已提交客户。"),
            1 => write!(t.resolution, "现场分选后退回不良品 {affected} 件，已开具红字发票冲减货款；原因：{cause}。"),
            _ => write!(t.resolution, "原因：{cause}。已完成纠正措施，后续三个批次加严检验，客户确认关闭。"),
        };
    } else {
        let _ = write!(t.title, "{} – {product}", capitalise(defect.1));
        let _ = match r.below(3) {
            0 => write!(
                t.description,
                "Customer reports {} on {product} from order {order} (lot {lot}); {affected} pcs affected. Requests containment within 48 h and an 8D report.",
                defect.1
            ),
            1 => write!(
                t.description,
                "Incoming inspection found {} on {product}, lot {lot}. {affected} pcs quarantined; awaiting our disposition.",
                defect.1
            ),
            _ => write!(
                t.description,
                "{} found on {product} during assembly, slowing the customer's line. Order {order}, {affected} pcs affected.",
                capitalise(defect.1)
            ),
        };
        let causes = [
            "heat-treatment variation",
            "a missed incoming inspection",
            "insufficient packaging protection",
            "handling damage in transit",
            "machine parameter drift",
            "work instruction not followed",
        ];
        let cause = r.pick(&causes);
        let _ = match r.below(3) {
            0 => write!(t.resolution, "Root cause: {cause}. Replaced {affected} pcs and submitted the 8D report."),
            1 => write!(
                t.resolution,
                "Defective parts sorted on site; credit note issued for {affected} pcs. Root cause: {cause}."
            ),
            _ => write!(
                t.resolution,
                "Root cause: {cause}. Corrective action implemented; tightened inspection on the next three lots. Customer agreed to close."
            ),
        };
    }
    t
}

/// A complaint about a late or problematic delivery (in-sales).
pub(crate) fn delivery_complaint(r: &mut Rng, zh: bool, order: &str) -> TicketText {
    let mut t = TicketText::new();
    let late = 3 + r.below(12);
    if zh {
        let _ = write!(t.title, "订单 {order} 交货延期");
        let _ = write!(
            t.description,
            "订单 {order} 已超过承诺交期 {late} 天仍未到货，客户产线面临停线风险，要求提供准确到货时间。"
        );
        let _ = write!(t.resolution, "已安排加急发运并提供物流单号，客户确认收货。");
    } else {
        let _ = write!(t.title, "Late delivery – order {order}");
        let _ = write!(
            t.description,
            "Order {order} is {late} days past the promised date; the customer's line is at risk. Requests a firm arrival date."
        );
        let _ =
            write!(t.resolution, "Expedited shipment arranged and tracking number shared; customer confirmed receipt.");
    }
    t
}

/// A service request (documents, support, returns).
pub(crate) fn request(r: &mut Rng, zh: bool, product: &str, order: &str, kind: Goods) -> TicketText {
    let mut t = TicketText::new();
    // Which requests make sense: installation support and RMAs for equipment, papers for everything.
    let variant = match kind {
        Goods::Technical => r.below(7),
        Goods::Consumable => *r.pick(&[0, 1, 3, 4, 5, 6]),
        Goods::Service => *r.pick(&[3, 4, 7]),
    };
    if zh {
        let _ = match variant {
            0 => {
                let _ = write!(t.title, "申请材质证明（订单 {order}）");
                let _ = write!(t.description, "客户审核需要订单 {order} 中 {product} 的材质证明和热处理报告。");
                write!(t.resolution, "已通过邮件发送材质证明及热处理报告。")
            }
            1 => {
                let _ = write!(t.title, "索取出厂合格证（订单 {order}）");
                let _ = write!(t.description, "客户要求补发 {product} 的出厂合格证和检验报告。");
                write!(t.resolution, "合格证和检验报告已补发。")
            }
            2 => {
                let _ = write!(t.title, "技术支持：{product} 安装调试");
                let _ = write!(t.description, "客户首次使用 {product}，需要安装调试指导，希望安排工程师远程支持。");
                write!(t.resolution, "应用工程师已远程指导完成调试，并发送安装手册。")
            }
            3 => {
                let _ = write!(t.title, "申请补开发票（订单 {order}）");
                let _ = write!(t.description, "客户财务反馈订单 {order} 的增值税专用发票遗失，申请补开。");
                write!(t.resolution, "已重新开具发票并快递寄出。")
            }
            4 => {
                let _ = write!(t.title, "变更收货地址");
                let _ = write!(t.description, "客户新仓库启用，后续订单（含 {order}）需改送新地址。");
                write!(t.resolution, "主数据已更新，已通知仓库和物流商。")
            }
            5 => {
                let _ = write!(t.title, "退货申请：{product}");
                let _ = write!(t.description, "客户多订了 {product}，申请退回未开封部分。");
                write!(t.resolution, "退货已入库检验，已开具红字发票。")
            }
            7 => {
                let _ = write!(t.title, "提单副本（订单 {order}）");
                let _ = write!(t.description, "客户清关需要订单 {order} 的提单副本和装箱单。");
                write!(t.resolution, "已发送提单副本和装箱单扫描件。")
            }
            _ => {
                let _ = write!(t.title, "提供 {product} 的 RoHS/REACH 声明");
                let _ = write!(t.description, "客户终端审核要求提供环保合规声明。");
                write!(t.resolution, "已提供 RoHS 和 REACH 符合性声明。")
            }
        };
    } else {
        let _ = match variant {
            0 => {
                let _ = write!(t.title, "Material certificate for order {order}");
                let _ = write!(
                    t.description,
                    "The customer's audit needs the 3.1 material certificate and heat-treatment record for {product} (order {order})."
                );
                write!(t.resolution, "Material certificate and heat-treatment record e-mailed.")
            }
            1 => {
                let _ = write!(t.title, "Certificate of Conformity – order {order}");
                let _ = write!(t.description, "Please resend the CoC and inspection report for {product}.");
                write!(t.resolution, "CoC and inspection report sent.")
            }
            2 => {
                let _ = write!(t.title, "Technical support: commissioning {product}");
                let _ = write!(
                    t.description,
                    "First use of {product}; the customer asks for remote commissioning support."
                );
                write!(t.resolution, "Application engineer guided commissioning remotely; installation manual sent.")
            }
            3 => {
                let _ = write!(t.title, "Invoice copy for order {order}");
                let _ = write!(
                    t.description,
                    "Accounts payable cannot find the invoice for order {order} and asks for a copy."
                );
                write!(t.resolution, "Invoice copy sent to accounts payable.")
            }
            4 => {
                let _ = write!(t.title, "Change of delivery address");
                let _ = write!(
                    t.description,
                    "New warehouse in use; future orders (including {order}) go to the new address."
                );
                write!(t.resolution, "Master data updated; warehouse and forwarder informed.")
            }
            5 => {
                let _ = write!(t.title, "RMA request: {product}");
                let _ = write!(t.description, "Over-ordered {product}; the customer wants to return unopened boxes.");
                write!(t.resolution, "Return received and inspected; credit note issued.")
            }
            7 => {
                let _ = write!(t.title, "Copy of bill of lading – order {order}");
                let _ = write!(t.description, "Customs broker needs the B/L copy and packing list for order {order}.");
                write!(t.resolution, "B/L copy and packing list sent.")
            }
            _ => {
                let _ = write!(t.title, "RoHS/REACH declaration for {product}");
                let _ = write!(t.description, "Required for the customer's end-customer compliance audit.");
                write!(t.resolution, "RoHS and REACH declarations provided.")
            }
        };
    }
    t
}

/// A pre-sales or in-sales inquiry.
pub(crate) fn inquiry(r: &mut Rng, zh: bool, product: &str, kind: Goods) -> TicketText {
    let mut t = TicketText::new();
    let qty = [50, 100, 200, 500, 1000, 2000][r.index(6)];
    if kind == Goods::Service {
        let weeks = 2 + r.below(6);
        if zh {
            let _ = write!(t.title, "运价咨询：{product}");
            let _ = write!(t.description, "客户询问未来 {weeks} 周 {product} 的运价、舱位和船期。");
            let _ = write!(t.resolution, "已报运价并确认舱位。");
        } else {
            let _ = write!(t.title, "Rate request: {product}");
            let _ = write!(
                t.description,
                "Customer asks for rates, space and schedule of {product} for the next {weeks} weeks."
            );
            let _ = write!(t.resolution, "Rates quoted and space confirmed.");
        }
        return t;
    }
    if zh {
        let _ = match r.below(5) {
            0 => {
                let _ = write!(t.title, "询价：{product}");
                let _ = write!(t.description, "客户询价 {product}，预计年用量 {qty} 件，请报含税价格及交期。");
                write!(t.resolution, "已报价并发送规格书。")
            }
            1 => {
                let _ = write!(t.title, "交期咨询：{product}");
                let _ = write!(t.description, "客户询问 {product} 的标准交期和是否有现货。");
                write!(t.resolution, "已答复：现货 {} 件，其余 4 周交货。", qty / 5)
            }
            2 => {
                let _ = write!(t.title, "{product} 技术参数咨询");
                let _ = write!(t.description, "客户需要 {product} 的详细尺寸图和性能参数用于选型。");
                write!(t.resolution, "已提供 3D 模型和技术参数表。")
            }
            3 => {
                let _ = write!(t.title, "年度框架协议报价");
                let _ = write!(t.description, "客户计划明年集中采购，邀请我司参与 {product} 等品类的年度框架报价。");
                write!(t.resolution, "已提交年度报价，等待客户评标。")
            }
            _ => {
                let _ = write!(t.title, "最小起订量与包装方式咨询");
                let _ = write!(t.description, "客户询问 {product} 的最小起订量、包装方式和出口木箱要求。");
                write!(t.resolution, "已说明起订量 {qty} 件及标准包装。")
            }
        };
    } else {
        let _ = match r.below(5) {
            0 => {
                let _ = write!(t.title, "RFQ: {product}");
                let _ = write!(
                    t.description,
                    "Request for quotation for {product}, estimated {qty} pcs per year. Please quote price and lead time."
                );
                write!(t.resolution, "Quotation and datasheet sent.")
            }
            1 => {
                let _ = write!(t.title, "Lead time for {product}");
                let _ = write!(
                    t.description,
                    "Customer asks for the standard lead time of {product} and stock availability."
                );
                write!(t.resolution, "Answered: {} pcs in stock, balance in 4 weeks.", qty / 5)
            }
            2 => {
                let _ = write!(t.title, "Technical data for {product}");
                let _ = write!(
                    t.description,
                    "Customer needs dimensional drawings and performance data of {product} for design-in."
                );
                write!(t.resolution, "3D model and datasheet provided.")
            }
            3 => {
                let _ = write!(t.title, "Quote for annual frame agreement");
                let _ = write!(
                    t.description,
                    "Invitation to quote {product} and related items for next year's frame agreement."
                );
                write!(t.resolution, "Annual quotation submitted; awaiting the customer's sourcing decision.")
            }
            _ => {
                let _ = write!(t.title, "MOQ and packaging options");
                let _ = write!(
                    t.description,
                    "Customer asks about minimum order quantity and export packaging for {product}."
                );
                write!(t.resolution, "Explained MOQ of {qty} pcs and standard export packaging.")
            }
        };
    }
    t
}

pub(crate) struct VisitText {
    pub notes: String,
    pub outcome: &'static str,
    pub next_step: &'static str,
}

/// Notes, outcome and next step of a visit report.
pub(crate) fn visit(r: &mut Rng, zh: bool, purpose: VisitPurpose, contact: &str, product: &str) -> VisitText {
    let mut notes = String::with_capacity(192);
    let who = if contact.is_empty() { if zh { "客户" } else { "the customer" } } else { contact };
    let (outcome, next): (&[&'static str], &[&'static str]) = if zh {
        let _ = match purpose {
            VisitPurpose::Relationship => match r.below(3) {
                0 => write!(notes, "与{who}沟通年度合作情况，客户对交付表现总体满意，提到明年产量预计增长。"),
                1 => write!(notes, "拜访{who}，了解客户产能扩张计划，新厂房预计下半年投产。"),
                _ => write!(notes, "例行拜访{who}，交流行业形势和原材料价格走势。"),
            },
            VisitPurpose::Opportunity => match r.below(3) {
                0 => write!(notes, "向{who}介绍{product}新方案，客户有意向小批量试用。"),
                1 => write!(notes, "参观客户产线，与{who}讨论{product}国产化替代的可行性。"),
                _ => write!(notes, "客户新项目定点在即，{who}邀请我方参与{product}报价。"),
            },
            VisitPurpose::Service => {
                write!(notes, "应用工程师陪同，现场解决{product}安装和调试问题，{who}确认设备运行正常。")
            }
            VisitPurpose::Complaint => {
                write!(notes, "就{product}质量问题当面向{who}致歉，确认临时措施和 8D 整改计划。")
            }
            VisitPurpose::Collection => write!(notes, "与{who}核对应收账款，客户承诺月底前支付逾期货款。"),
            VisitPurpose::Survey => write!(notes, "满意度回访，{who}对响应速度评价较好，建议改进包装。"),
            VisitPurpose::Other => write!(notes, "参加客户供应商大会，与{who}简短交流。"),
        };
        let outcome: &[&'static str] = match purpose {
            VisitPurpose::Opportunity => &["获得试单机会", "需进一步报价", "客户在比价", "进入供应商名录"],
            VisitPurpose::Complaint => &["客户接受整改方案", "客户要求扣款", "关系有所缓和"],
            VisitPurpose::Collection => &["客户承诺付款", "部分付款", "付款仍有不确定性"],
            VisitPurpose::Service => &["问题已解决", "需二次上门", "客户满意"],
            VisitPurpose::Survey => &["收集到改进建议", "客户满意"],
            _ => &["客户认可", "沟通顺畅", "已达成一致", "价格仍有分歧"],
        };
        let next: &[&'static str] = match purpose {
            VisitPurpose::Relationship => &["发送报价单", "安排技术交流", "邀请客户来厂参观", "签订年度框架协议"],
            VisitPurpose::Opportunity => &["发送报价单", "安排样品寄送"],
            VisitPurpose::Service => &["安排技术交流", "回访设备运行情况"],
            VisitPurpose::Complaint => &["提交 8D 报告"],
            VisitPurpose::Collection => &["跟进付款"],
            VisitPurpose::Survey => &["落实改进建议"],
            VisitPurpose::Other => &["发送报价单", "邀请客户来厂参观"],
        };
        (outcome, next)
    } else {
        let _ = match purpose {
            VisitPurpose::Relationship => match r.below(3) {
                0 => write!(
                    notes,
                    "Met {who} to review the year; overall satisfied with delivery performance and expecting higher volumes next year."
                ),
                1 => write!(
                    notes,
                    "Visited {who}; discussed the customer's capacity expansion, new plant expected to start in H2."
                ),
                _ => write!(notes, "Regular visit with {who}; talked about market outlook and raw-material prices."),
            },
            VisitPurpose::Opportunity => match r.below(3) {
                0 => write!(notes, "Presented {product} to {who}; interested in a small trial order."),
                1 => write!(notes, "Plant tour with {who}; discussed moving {product} to our supply."),
                _ => write!(notes, "New program about to be sourced; {who} invited us to quote {product}."),
            },
            VisitPurpose::Service => write!(
                notes,
                "On-site with an application engineer to solve {product} installation issues; {who} confirmed normal operation."
            ),
            VisitPurpose::Complaint => write!(
                notes,
                "Apologised to {who} in person for the {product} quality issue; agreed containment and the 8D plan."
            ),
            VisitPurpose::Collection => {
                write!(notes, "Reconciled open invoices with {who}; payment of overdue items promised by month end.")
            }
            VisitPurpose::Survey => {
                write!(notes, "Satisfaction follow-up; {who} praised responsiveness and suggested better packaging.")
            }
            VisitPurpose::Other => write!(notes, "Attended the customer's supplier day; short talk with {who}."),
        };
        let outcome: &[&'static str] = match purpose {
            VisitPurpose::Opportunity => {
                &["Trial order agreed", "Quote requested", "Customer comparing offers", "Added to approved vendor list"]
            }
            VisitPurpose::Complaint => {
                &["Corrective plan accepted", "Customer asks for a credit", "Relationship calmer"]
            }
            VisitPurpose::Collection => &["Payment promised", "Partial payment", "Payment still uncertain"],
            VisitPurpose::Service => &["Issue solved", "Second visit needed", "Customer satisfied"],
            VisitPurpose::Survey => &["Improvement ideas collected", "Customer satisfied"],
            _ => &["Positive", "Good discussion", "Agreement reached", "Price gap remains"],
        };
        let next: &[&'static str] = match purpose {
            VisitPurpose::Relationship => &[
                "Send quotation",
                "Arrange a technical workshop",
                "Invite for a factory visit",
                "Sign annual frame agreement",
            ],
            VisitPurpose::Opportunity => &["Send quotation", "Ship samples"],
            VisitPurpose::Service => &["Arrange a technical workshop", "Check the equipment again"],
            VisitPurpose::Complaint => &["Submit 8D report"],
            VisitPurpose::Collection => &["Follow up on payment"],
            VisitPurpose::Survey => &["Act on the suggestions"],
            VisitPurpose::Other => &["Send quotation", "Invite for a factory visit"],
        };
        (outcome, next)
    };
    let outcome = *r.pick(outcome);
    let next_step = *r.pick(next);
    VisitText { notes, outcome, next_step }
}

/// A survey comment for a CSAT band (1–5).
pub(crate) fn survey_comment(r: &mut Rng, zh: bool, csat: u8) -> &'static str {
    let options: &[&'static str] = match (zh, csat) {
        (true, 5) => {
            &["交期稳定，质量可靠。", "服务响应快，非常满意。", "技术支持专业，值得信赖。", "合作多年，一直很放心。"]
        }
        (true, 4) => &["整体不错，价格还有优化空间。", "质量稳定，希望缩短交期。", "服务好，包装可以再改进。"],
        (true, 3) => &["表现一般，交期偶有延误。", "价格偏高，质量尚可。", "沟通还需更及时。"],
        (true, _) => &["质量问题反复出现，很失望。", "投诉处理太慢。", "交期经常延误，正在评估其他供应商。"],
        (false, 5) => &[
            "Reliable quality and on-time delivery.",
            "Fast response from the service team.",
            "Very professional technical support.",
            "A supplier we can count on.",
        ],
        (false, 4) => &[
            "Good overall, but prices could be more competitive.",
            "Stable quality; lead times could be shorter.",
            "Good service; packaging could be improved.",
        ],
        (false, 3) => {
            &["Average; occasional delays.", "Prices are high for the quality.", "Communication could be faster."]
        }
        (false, _) => &[
            "Recurring quality problems – very disappointed.",
            "Complaints take far too long to resolve.",
            "Frequent late deliveries; we are evaluating other suppliers.",
        ],
    };
    r.pick::<&'static str>(options)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}
