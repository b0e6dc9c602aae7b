//! When to retry a failed push: exponential backoff with jitter, honouring `Retry-After`.

use chrono::Duration;

/// First retry after about this long.
pub const BASE: Duration = Duration::seconds(2);
/// Never wait longer than this between attempts (unless the server asks for more).
pub const CAP: Duration = Duration::minutes(5);
/// After this many failed attempts an entry is parked and shown, instead of blocking the rest.
pub const MAX_ATTEMPTS: u32 = 10;

/// Delay before attempt number `attempts + 1`, given `attempts` failures so far (≥ 1).
///
/// "Equal jitter": half of the exponential step is fixed, half random, so retries from many
/// tablets coming back online spread out but never retry immediately. A server's
/// `Retry-After` is a floor.
pub fn retry_delay(attempts: u32, jitter: f64, retry_after: Option<Duration>) -> Duration {
    let exp = attempts.saturating_sub(1).min(20);
    let step_ms = (BASE.num_milliseconds().saturating_mul(1i64 << exp)).min(CAP.num_milliseconds());
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.5 };
    let ms = step_ms / 2 + ((step_ms / 2) as f64 * jitter) as i64;
    let computed = Duration::milliseconds(ms.max(1));
    match retry_after {
        Some(ra) if ra > computed => ra,
        _ => computed,
    }
}

/// Parses a `Retry-After` header: delay-seconds or an HTTP date (relative to `now`).
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::seconds(secs.min(86_400) as i64));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&chrono::Utc);
    Some((when - now).max(Duration::zero()))
}
