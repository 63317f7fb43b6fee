//! Mini-batch sampling: which rows each descent step's gradient is taken over, drawn from one
//! seeded generator so that a run (and every cell of a sweep) sees the same batches again.

use crate::rng::NormalRng;

/// How batches are drawn when the batch size is below the number of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sampling {
    /// A fresh permutation each epoch, cut into consecutive batches (torch's DataLoader with
    /// shuffle=True, drop_last=False).
    #[default]
    Shuffle,
    /// Every step draws its rows independently, with replacement.
    Replace,
}

impl Sampling {
    /// The CLI spelling: `shuffle` or `replace`.
    pub fn parse(s: &str) -> Option<Sampling> {
        match s {
            "shuffle" => Some(Sampling::Shuffle),
            "replace" => Some(Sampling::Replace),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sampling::Shuffle => "shuffle",
            Sampling::Replace => "replace",
        }
    }
}

/// Draws the batches of a run: which rows each step's gradient is taken over.
#[derive(Clone, Debug, PartialEq)]
pub struct Batcher {
    n: usize,
    batch_size: usize,
    sampling: Sampling,
    rng: NormalRng,
    /// Full: 0..n. Shuffle: the current epoch's permutation. Replace: the last step's draws.
    rows: Vec<u32>,
    /// Shuffle: where the next batch starts in `rows`.
    next: usize,
    /// Steps taken so far.
    steps: usize,
    /// Shuffle: permutations drawn so far (the epoch is one less).
    permutations: usize,
}

impl Batcher {
    /// n rows, batch size b (1 ≤ b; b ≥ n means the whole data set every step, in order 0..n, no
    /// draws), sampling, seed. A batch size of 0 is taken as 1. Row indices are u32: n must fit
    /// (a table read from CSV has at most csv::MAX_ROWS rows).
    pub fn new(n: usize, batch_size: usize, sampling: Sampling, seed: u64) -> Batcher {
        debug_assert!(u32::try_from(n).is_ok(), "{n} rows do not fit u32 indices");
        let batch_size = batch_size.max(1);
        let full = batch_size >= n;
        Batcher {
            n,
            batch_size,
            sampling,
            rng: NormalRng::new(seed),
            // The full batch never changes, so it is written once; the others fill as they draw.
            rows: if full {
                (0..n as u32).collect()
            } else {
                Vec::new()
            },
            next: n,
            steps: 0,
            permutations: 0,
        }
    }

    /// The next step's batch and the 0-based epoch it belongs to.
    pub fn next_batch(&mut self) -> (usize, &[u32]) {
        let step = self.steps;
        self.steps += 1;
        if self.is_full() {
            return (step, &self.rows);
        }
        match self.sampling {
            Sampling::Shuffle => {
                if self.next >= self.n {
                    self.shuffle();
                }
                let start = self.next;
                let end = (start + self.batch_size).min(self.n);
                self.next = end;
                (self.permutations - 1, &self.rows[start..end])
            }
            Sampling::Replace => {
                let n = self.n as u64;
                let rng = &mut self.rng;
                self.rows.clear();
                self.rows
                    .extend((0..self.batch_size).map(|_| rng.below(n) as u32));
                (step / self.steps_per_epoch(), &self.rows)
            }
        }
    }

    /// Steps in one epoch: ceil(n / b).
    pub fn steps_per_epoch(&self) -> usize {
        self.n.div_ceil(self.batch_size)
    }

    /// Whether each batch is all rows (b ≥ n).
    pub fn is_full(&self) -> bool {
        self.batch_size >= self.n
    }

    /// A fresh uniform permutation of 0..n for the next epoch: Fisher–Yates from the end, started
    /// from the identity (as torch's randperm is fresh each epoch), so that an epoch's order
    /// depends only on the draws, not on the previous epoch's order.
    fn shuffle(&mut self) {
        self.rows.clear();
        self.rows.extend(0..self.n as u32);
        for i in (1..self.n).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            self.rows.swap(i, j);
        }
        self.next = 0;
        self.permutations += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `steps` batches as (epoch, rows).
    fn draw(b: &mut Batcher, steps: usize) -> Vec<(usize, Vec<u32>)> {
        (0..steps)
            .map(|_| {
                let (epoch, rows) = b.next_batch();
                (epoch, rows.to_vec())
            })
            .collect()
    }

    #[test]
    fn sampling_names_round_trip() {
        for s in [Sampling::Shuffle, Sampling::Replace] {
            assert_eq!(Sampling::parse(s.name()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.name())
            );
        }
        assert_eq!(Sampling::parse("Shuffle"), None);
        assert_eq!(Sampling::default(), Sampling::Shuffle);
    }

    #[test]
    fn shuffle_visits_every_row_once_per_epoch() {
        for (n, b) in [
            (10, 3),
            (10, 5),
            (7, 1),
            (100, 32),
            (2, 1),
            (150, 149),
            (5, 4),
        ] {
            let mut batcher = Batcher::new(n, b, Sampling::Shuffle, 7);
            let per_epoch = n.div_ceil(b);
            assert_eq!(batcher.steps_per_epoch(), per_epoch);
            assert!(!batcher.is_full());
            let batches = draw(&mut batcher, 3 * per_epoch);
            let mut orders = Vec::new();
            for (e, epoch) in batches.chunks(per_epoch).enumerate() {
                let mut seen: Vec<u32> = Vec::new();
                for (k, (epoch_of, rows)) in epoch.iter().enumerate() {
                    assert_eq!(*epoch_of, e, "n {n}, b {b}");
                    // Batches are b long, except an epoch's last when b does not divide n.
                    let want = if k + 1 < per_epoch {
                        b
                    } else {
                        n - b * (per_epoch - 1)
                    };
                    assert_eq!(rows.len(), want, "n {n}, b {b}, batch {k}");
                    seen.extend(rows);
                }
                orders.push(seen.clone());
                seen.sort_unstable();
                assert_eq!(seen, (0..n as u32).collect::<Vec<_>>(), "n {n}, b {b}");
            }
            if n > 5 {
                assert_ne!(orders[0], orders[1], "each epoch draws a fresh order");
                assert_ne!(orders[0], (0..n as u32).collect::<Vec<_>>(), "shuffled");
            }
        }
    }

    #[test]
    fn shuffle_is_fisher_yates_from_one_generator() {
        let (n, b) = (6, 4);
        let mut rng = NormalRng::new(11);
        let mut expected = Vec::new();
        for _ in 0..2 {
            let mut perm: Vec<u32> = (0..n as u32).collect();
            for i in (1..n).rev() {
                perm.swap(i, rng.below(i as u64 + 1) as usize);
            }
            expected.extend(perm);
        }
        let got: Vec<u32> = draw(&mut Batcher::new(n, b, Sampling::Shuffle, 11), 4)
            .into_iter()
            .flat_map(|(_, rows)| rows)
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn same_seed_same_batches_other_seed_others() {
        for sampling in [Sampling::Shuffle, Sampling::Replace] {
            let a = draw(&mut Batcher::new(50, 8, sampling, 3), 20);
            let b = draw(&mut Batcher::new(50, 8, sampling, 3), 20);
            let c = draw(&mut Batcher::new(50, 8, sampling, 4), 20);
            assert_eq!(a, b, "{sampling:?}");
            assert_ne!(a, c, "{sampling:?}");
        }
    }

    #[test]
    fn replace_draws_in_range_with_repeats() {
        let (n, b) = (10, 4);
        let mut batcher = Batcher::new(n, b, Sampling::Replace, 1);
        assert_eq!(batcher.steps_per_epoch(), 3);
        let mut repeats = false;
        let mut counts = [0usize; 10];
        for step in 0..3000 {
            let (epoch, rows) = batcher.next_batch();
            assert_eq!(epoch, step / 3);
            assert_eq!(rows.len(), b);
            for &r in rows {
                counts[r as usize] += 1;
            }
            let mut sorted = rows.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            repeats |= sorted.len() < b;
        }
        assert!(repeats, "with replacement, a batch can hold a row twice");
        // 12 000 draws over 10 rows: each near 1200.
        assert!(
            counts.iter().all(|&c| (1000..1400).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn full_batch_is_every_row_in_order_each_step_an_epoch() {
        for (n, b) in [(5, 5), (5, 100), (1, 1)] {
            for sampling in [Sampling::Shuffle, Sampling::Replace] {
                let mut batcher = Batcher::new(n, b, sampling, 9);
                assert!(batcher.is_full());
                assert_eq!(batcher.steps_per_epoch(), 1);
                for step in 0..4 {
                    let (epoch, rows) = batcher.next_batch();
                    assert_eq!(epoch, step);
                    assert_eq!(rows, (0..n as u32).collect::<Vec<_>>());
                }
                // No draws: the generator is untouched.
                assert_eq!(batcher.rng, NormalRng::new(9));
            }
        }
    }

    #[test]
    fn steps_per_epoch_is_ceil() {
        let spe = |n, b| Batcher::new(n, b, Sampling::Shuffle, 0).steps_per_epoch();
        assert_eq!(spe(100, 32), 4);
        assert_eq!(spe(100, 25), 4);
        assert_eq!(spe(100, 1), 100);
        assert_eq!(spe(100, 99), 2);
        assert_eq!(spe(100, 100), 1);
        assert_eq!(spe(100, 0), 100, "batch size 0 is taken as 1");
    }
}
