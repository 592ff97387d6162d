//! Iuran BPJS Ketenagakerjaan JKK and JKM for a trainee's coverage period (DOMAIN.md, "BPJS
//! Ketenagakerjaan coverage for trainees"; PP 44/2015 and amendments; PP 50/2025 for the
//! temporary discount). Every rate comes in as `ContributionRates`, read from settings by the db
//! layer: nothing here is a constant of the law. Pure: no I/O.

use chrono::NaiveDate;
use serde::Serialize;

use super::cohort::Funding;
use super::coverage::CoverageStatus;

/// Whether a participant is billed on the BPJS list (DOMAIN.md, "The cohort from plan to
/// certificate": only participants whose registration was submitted or accepted are billed).
/// Unregistered and rejected participants are listed apart, with their status, and cost nothing.
pub fn billed(status: CoverageStatus) -> bool {
    matches!(status, CoverageStatus::Submitted | CoverageStatus::Active)
}

/// The editable rates (settings `bpjs.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContributionRates {
    /// Penghasilan yang dilaporkan per bulan, rupiah (default 1,000,000).
    pub declared_income: i64,
    /// JKK per mille of declared income (default 10 = 1%).
    pub jkk_per_mille: i64,
    /// JKM per month, rupiah (default 6,800).
    pub jkm_monthly: i64,
    /// Temporary discount on JKK and JKM, percent (PP 50/2025: 50).
    pub discount_percent: i64,
    /// The discount applies to periods starting on or before this date.
    pub discount_until: Option<NaiveDate>,
    /// Funding sources whose trainees get no discount (APBN/APBD-paid contributions).
    pub discount_excluded_funding: Vec<Funding>,
}

/// One participant's contribution for one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Contribution {
    pub months: i64,
    pub jkk: i64,
    pub jkm: i64,
    pub total: i64,
    pub discounted: bool,
}

/// Months billed for a coverage period: its length in months, a part month rounded up
/// ("months rounded up"): the smallest n for which start + n months is after the end. 2 Feb -
/// 27 Feb and 25 Feb - 13 Mar are 1; 16 Mar - 20 Apr is 2. A 4-week course across a month end is
/// therefore billed once.
pub fn months_billed(start: NaiveDate, end: NaiveDate) -> i64 {
    if end < start {
        return 0;
    }
    let mut months = 1;
    while start
        .checked_add_months(chrono::Months::new(months as u32))
        .is_some_and(|next| next <= end)
    {
        months += 1;
    }
    months
}

/// JKK and JKM for a participant with the given programs flagged.
pub fn contribution(
    rates: &ContributionRates,
    start: NaiveDate,
    end: NaiveDate,
    jkk: bool,
    jkm: bool,
    funding: Funding,
) -> Contribution {
    let months = months_billed(start, end);
    let discounted = rates.discount_percent > 0
        && rates.discount_until.is_some_and(|until| start <= until)
        && !rates.discount_excluded_funding.contains(&funding);
    let keep = |amount: i64| {
        if discounted {
            // Round to the rupiah, half up.
            (amount * (100 - rates.discount_percent) + 50) / 100
        } else {
            amount
        }
    };
    let jkk_month = keep(rates.declared_income * rates.jkk_per_mille / 1000);
    let jkm_month = keep(rates.jkm_monthly);
    let jkk = if jkk { jkk_month * months } else { 0 };
    let jkm = if jkm { jkm_month * months } else { 0 };
    Contribution {
        months,
        jkk,
        jkm,
        total: jkk + jkm,
        discounted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rates() -> ContributionRates {
        ContributionRates {
            declared_income: 1_000_000,
            jkk_per_mille: 10,
            jkm_monthly: 6_800,
            discount_percent: 50,
            discount_until: Some(d(2026, 12, 31)),
            discount_excluded_funding: vec![Funding::Apbn, Funding::Apbd],
        }
    }

    #[test]
    fn only_submitted_or_active_coverage_is_billed() {
        for (status, expected) in [
            (CoverageStatus::Unregistered, false),
            (CoverageStatus::Submitted, true),
            (CoverageStatus::Active, true),
            (CoverageStatus::Rejected, false),
        ] {
            assert_eq!(billed(status), expected, "{status:?}");
        }
    }

    #[test]
    fn months_are_the_length_rounded_up() {
        for (start, end, months) in [
            (d(2026, 2, 2), d(2026, 2, 27), 1),
            (d(2026, 2, 25), d(2026, 3, 13), 1),
            (d(2026, 3, 16), d(2026, 4, 15), 1),
            (d(2026, 3, 16), d(2026, 4, 16), 2),
            (d(2026, 3, 16), d(2026, 4, 20), 2),
            (d(2026, 12, 21), d(2027, 1, 20), 1),
            (d(2026, 1, 5), d(2026, 4, 1), 3),
            (d(2026, 5, 1), d(2026, 4, 1), 0),
        ] {
            assert_eq!(months_billed(start, end), months, "{start} {end}");
        }
    }

    #[test]
    fn apbd_funded_trainees_pay_the_full_rate() {
        let c = contribution(
            &rates(),
            d(2026, 3, 16),
            d(2026, 4, 20),
            true,
            true,
            Funding::Apbd,
        );
        assert_eq!(
            c,
            Contribution {
                months: 2,
                jkk: 20_000,
                jkm: 13_600,
                total: 33_600,
                discounted: false
            }
        );
        let c = contribution(
            &rates(),
            d(2026, 3, 16),
            d(2026, 4, 10),
            true,
            true,
            Funding::Apbn,
        );
        assert_eq!((c.months, c.total, c.discounted), (1, 16_800, false));
    }

    #[test]
    fn the_discount_applies_to_other_funding_until_its_date() {
        let c = contribution(
            &rates(),
            d(2026, 3, 2),
            d(2026, 3, 27),
            true,
            true,
            Funding::Csr,
        );
        assert_eq!(
            c,
            Contribution {
                months: 1,
                jkk: 5_000,
                jkm: 3_400,
                total: 8_400,
                discounted: true
            }
        );
        let c = contribution(
            &rates(),
            d(2027, 1, 4),
            d(2027, 1, 29),
            true,
            true,
            Funding::Csr,
        );
        assert_eq!((c.total, c.discounted), (16_800, false));
        let none = ContributionRates {
            discount_percent: 0,
            ..rates()
        };
        assert!(
            !contribution(
                &none,
                d(2026, 3, 2),
                d(2026, 3, 27),
                true,
                true,
                Funding::Dif
            )
            .discounted
        );
    }

    #[test]
    fn only_flagged_programs_are_billed() {
        let c = contribution(
            &rates(),
            d(2026, 3, 2),
            d(2026, 3, 27),
            false,
            true,
            Funding::Apbd,
        );
        assert_eq!((c.jkk, c.jkm, c.total), (0, 6_800, 6_800));
    }
}
