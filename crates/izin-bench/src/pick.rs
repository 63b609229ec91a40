//! Reproducible randomness for the seeded data and the queue benchmark: a SplitMix64 generator
//! (a seed gives the same rows on every machine, without a dependency) and the weighted lists
//! both draw from.

/// Nationalities (ISO 3166 alpha-3) of applicants, weighted roughly as Türkiye's foreign
/// workforce: many from a few neighbours, a long tail of rare ones.
pub const NATIONALITIES: &[(&str, f64)] = &[
    ("AZE", 12.0),
    ("SYR", 10.0),
    ("IRN", 9.0),
    ("AFG", 8.0),
    ("RUS", 8.0),
    ("UKR", 7.0),
    ("TKM", 6.0),
    ("UZB", 6.0),
    ("IRQ", 5.0),
    ("GEO", 4.0),
    ("DEU", 3.0),
    ("KGZ", 3.0),
    ("PAK", 3.0),
    ("EGY", 2.0),
    ("CHN", 2.0),
    ("IND", 2.0),
    ("KAZ", 1.5),
    ("GBR", 1.0),
    ("USA", 1.0),
    ("TUN", 1.0),
    ("MAR", 1.0),
    ("PHL", 1.0),
    ("NGA", 0.5),
    ("BGR", 0.5),
    ("FRA", 0.5),
    ("ITA", 0.3),
    ("JPN", 0.2),
    ("BRA", 0.2),
    ("CAN", 0.1),
    ("NOR", 0.05),
    ("ISL", 0.01),
    ("NZL", 0.01),
];

/// SplitMix64's finaliser: spreads the bits of `x` over the whole word.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n` > 0; the bias is below 2⁻³² for the sizes used here).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items`, each as likely as its weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, f64)]) -> &'a T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut at = self.unit() * total;
        for (item, weight) in items {
            if at < *weight {
                return item;
            }
            at -= weight;
        }
        &items[items.len() - 1].0
    }
}
