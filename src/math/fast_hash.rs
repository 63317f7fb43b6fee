//! A fast, deterministic hasher for the math engine's own keys (nodes and ids). std's SipHash
//! guards a map against keys chosen by an attacker, which hash-consing a typed expression does
//! not need, and it was a fifth of the fuzzer's time in a debug build (the arena interns every
//! node it builds). The mixing step is rustc-hash's (add, multiply by an odd constant, rotate).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Folds each word in with one add and one multiply; [`Hasher::finish`] rotates so that the
/// well-mixed high bits land where hashbrown picks its buckets.
#[derive(Clone, Copy, Debug, Default)]
pub struct FastHasher {
    hash: u64,
}

const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        // Length, so that "ab" + "c" and "a" + "bc" differ.
        self.add(bytes.len() as u64);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash_of(value: impl Hash) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(value)
    }

    #[test]
    fn equal_keys_hash_alike_and_near_keys_do_not() {
        assert_eq!(
            hash_of((3u32, 1.5f64.to_bits())),
            hash_of((3u32, 1.5f64.to_bits()))
        );
        let hashes: FastSet<u64> = (0u32..10_000).map(hash_of).collect();
        assert_eq!(hashes.len(), 10_000);
        // Consecutive ids spread over hashbrown's bucket bits (the low ones) and over its
        // control bits (the top 7; 97 of the 128 here, where a sum without the multiply and
        // rotation gives 1), so that probing stays short.
        let lows: FastSet<u64> = (0u32..1_000).map(|k| hash_of(k) & 1023).collect();
        assert!(
            lows.len() > 600,
            "{} distinct low-10-bit values",
            lows.len()
        );
        let tops: FastSet<u64> = (0u32..1_000).map(|k| hash_of(k) >> 57).collect();
        assert!(tops.len() > 64, "{} distinct top-7-bit values", tops.len());
    }

    #[test]
    fn byte_strings_split_differently_hash_differently() {
        let mut a = FastHasher::default();
        a.write(b"ab");
        a.write(b"c");
        let mut b = FastHasher::default();
        b.write(b"a");
        b.write(b"bc");
        assert_ne!(a.finish(), b.finish());
    }
}
