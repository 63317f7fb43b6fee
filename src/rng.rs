//! The project's one seeded generator (SplitMix64 to seed xoshiro256++, Marsaglia's polar method
//! for normals, libm's log): a seed gives the same numbers on every machine and in every version,
//! whatever crates the build pulls in. Gradient noise, the built-in data sets and batch sampling
//! all draw from it.

/// A seeded source of standard normal numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct NormalRng {
    state: [u64; 4],
    /// The polar method makes normals in pairs; the second waits here.
    spare: Option<f64>,
}

impl NormalRng {
    pub fn new(seed: u64) -> Self {
        // SplitMix64 spreads any seed (0 included) over the four words xoshiro needs.
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        NormalRng {
            state: [next(), next(), next(), next()],
            spare: None,
        }
    }

    /// xoshiro256++.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [-1, 1) with 53 random bits.
    fn uniform_signed(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (2.0 / (1u64 << 53) as f64) - 1.0
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on {0, …, n − 1}, without modulo bias (Lemire's multiply-and-reject); 0 for n = 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// One draw from N(0, 1).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let (u, v) = (self.uniform_signed(), self.uniform_signed());
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                // libm's log, not the platform's: the same bits on every machine.
                let factor = (-2.0 * libm::log(s) / s).sqrt();
                self.spare = Some(v * factor);
                return u * factor;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_stays_in_range_and_is_even() {
        let mut r = NormalRng::new(3);
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[r.below(7) as usize] += 1;
        }
        for c in counts {
            assert!((c as f64 - 10_000.0).abs() < 400.0, "{counts:?}");
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.below(1), 0);
        let u = r.uniform();
        assert!((0.0..1.0).contains(&u));
    }

    #[test]
    fn pinned_uniform_and_below_draws() {
        // A change to the generator changes every data set and batch order ever saved.
        let mut r = NormalRng::new(0);
        let draws: Vec<u64> = (0..3).map(|_| r.below(100)).collect();
        assert_eq!(draws, PINNED_BELOW_SEED0);
    }

    const PINNED_BELOW_SEED0: [u64; 3] = [32, 38, 35];
}
